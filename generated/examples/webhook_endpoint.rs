//! Handles a webhook: checks the request's signature with the subscription's secret, and only
//! then parses the body and fetches the transaction it is about. A webhook says that something
//! changed, not the latest state, so the handler reads that from the API.
//!
//! Wire `handle` into your web framework. This `main` reads one saved request: the body on
//! standard input and the `X-Gr4vy-Signature` and `X-Gr4vy-Timestamp` headers as arguments, with
//! `GR4VY_WEBHOOK_SECRET`, `GR4VY_ID` (your instance, on the sandbox server),
//! `GR4VY_PRIVATE_KEY_PATH` (the path of the PEM private key) and `GR4VY_MERCHANT_ACCOUNT_ID` set:
//! `cargo run --example webhook_endpoint -- SIGNATURE TIMESTAMP < body.json`.

use std::error::Error;
use std::io::Read;
use std::time::Duration;

use gr4vy::webhooks;
use serde::Deserialize;

/// Requests signed longer ago than this are refused: they may be recordings sent again.
const TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The fields of a webhook body this handler reads; serde skips the others.
#[derive(Debug, Deserialize)]
pub struct Event {
    /// The event's id.
    pub id: String,
    /// The resource the event is about.
    pub target: Target,
}

/// What the event is about.
#[derive(Debug, Deserialize)]
pub struct Target {
    /// `transaction`, `payment-method`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The resource's id.
    pub id: String,
}

/// Verifies, parses and acts on one webhook request. An `Err` means: answer with a 4XX (or a
/// 5XX if the API call failed, so that Gr4vy sends the webhook again).
pub async fn handle(
    client: &gr4vy::Client,
    secret: &str,
    body: &[u8],
    signature: Option<&str>,
    timestamp: Option<&str>,
) -> Result<Event, Box<dyn Error>> {
    // The raw body, byte for byte: parsed and serialized again, it would no longer match.
    webhooks::verify(body, secret, signature, timestamp, TOLERANCE)?;
    let event: Event = serde_json::from_slice(body)?;
    if event.target.kind == "transaction" {
        let transaction = client.transactions().get(&event.target.id).send().await?;
        println!(
            "{}: transaction {} is {}",
            event.id, transaction.id, transaction.status
        );
    }
    Ok(event)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let client = gr4vy::Client::from_env()?;
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body)?;
    let mut headers = std::env::args().skip(1);
    let (signature, timestamp) = (headers.next(), headers.next());
    let secret = var("GR4VY_WEBHOOK_SECRET")?;
    let event = handle(
        &client,
        &secret,
        &body,
        signature.as_deref(),
        timestamp.as_deref(),
    )
    .await?;
    println!("handled {event:?}");
    Ok(())
}
