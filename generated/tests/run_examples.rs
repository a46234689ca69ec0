//! Runs every program of `examples/` against Prism, which serves the spec's example responses and
//! checks each request against the spec: an example that sends a request the API would refuse, or
//! cannot read the answer, fails here.
//!
//! The client is the one the examples' `main` would build (a private key, a merchant account),
//! pointed at Prism. Prism answers every list with the example cursor of the spec, which would make
//! a stream ask for the same page again and stop with an error, so the spec it serves has no
//! `next_cursor` in its responses: every list is one page, as a real last page is.
//!
//! Needs Prism (`GR4VY_PRISM`, set by `cargo xtask test`) and the overlaid spec that
//! `cargo xtask regen` writes.

// Each example's `main` is for `cargo run --example`; only `run` (or its handler) is called here.
#[allow(dead_code)]
#[path = "../examples/buyer_with_stored_card.rs"]
mod buyer_with_stored_card;
#[allow(dead_code)]
#[path = "../examples/card_payment.rs"]
mod card_payment;
#[allow(dead_code)]
#[path = "../examples/embed_token.rs"]
mod embed_token;
#[allow(dead_code)]
#[path = "../examples/errors_and_retries.rs"]
mod errors_and_retries;
#[allow(dead_code)]
#[path = "../examples/list_with_filters.rs"]
mod list_with_filters;
#[allow(dead_code)]
#[path = "../examples/tour.rs"]
mod tour;
#[allow(dead_code)]
#[path = "../examples/webhook_endpoint.rs"]
mod webhook_endpoint;

// Only its spec loader is used here.
#[allow(dead_code)]
#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/prism.rs"]
mod prism;

use std::error::Error;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{KeyInit, Mac};
use serde_json::Value;

const SECRET: &str = "the webhook subscription's secret";
/// A transaction id Prism accepts (the spec's example).
const TRANSACTION_ID: &str = "7099948d-7286-47e4-aad8-b68f7eb44591";

/// The spec Prism serves: the overlaid spec without `next_cursor` properties.
fn served_spec() -> std::path::PathBuf {
    let mut spec = bodies::load_spec();
    let mut removed = 0;
    if let Some(Value::Object(schemas)) = spec.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            if let Some(Value::Object(properties)) = schema.get_mut("properties") {
                removed += usize::from(properties.remove("next_cursor").is_some());
            }
        }
    }
    assert!(
        removed > 0,
        "no schema has a `next_cursor`: is pagination still cursor-based?"
    );
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("run_examples.openapi.json");
    std::fs::write(&path, serde_json::to_vec(&spec).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// The two webhook headers Gr4vy would send with `body`, signed now with [`SECRET`].
fn signed(body: &[u8]) -> (String, String) {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
        .to_string();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    let signature = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (signature, timestamp)
}

fn outcome<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<(), String> {
    result.map(drop).map_err(|e| e.to_string())
}

#[tokio::test]
async fn every_example_runs_against_prism() {
    let binary = prism::prism_binary();
    let prism = prism::Prism::mock(&binary, &served_spec(), &[], "run_examples.log");
    let key = gr4vy::auth::PrivateKey::from_pem(include_str!("support/test_key.pem"))
        .expect("the test key reads");
    let client = gr4vy::Client::builder()
        .base_url(format!("http://127.0.0.1:{}", prism.port))
        .private_key(key)
        .merchant_account_id("default")
        // A call that Prism never answers fails instead of hanging the test.
        .timeout(Duration::from_secs(30))
        .build()
        .expect("the client builds");

    let body = format!(
        r#"{{"type":"event","id":"e1","target":{{"type":"transaction","id":"{TRANSACTION_ID}"}}}}"#
    );
    let body = body.as_bytes();
    let (signature, timestamp) = signed(body);
    let (signature, timestamp) = (signature.as_str(), timestamp.as_str());
    let mut headers = gr4vy::reqwest::header::HeaderMap::new();
    headers.insert(
        gr4vy::webhooks::SIGNATURE_HEADER,
        signature.parse().unwrap(),
    );
    headers.insert(
        gr4vy::webhooks::TIMESTAMP_HEADER,
        timestamp.parse().unwrap(),
    );
    let handled = |result: Result<webhook_endpoint::Event, Box<dyn Error>>| {
        let event = result.map_err(|e| e.to_string())?;
        if event.target.id == TRANSACTION_ID {
            Ok(())
        } else {
            Err(format!("parsed the target as {event:?}"))
        }
    };
    let forged = br#"{"type":"event","id":"e2","target":{"type":"transaction","id":"x"}}"#;
    let rejected = |result: Result<webhook_endpoint::Event, Box<dyn Error>>| match result {
        Err(e) if e.is::<gr4vy::webhooks::WebhookError>() => Ok(()),
        Err(e) => Err(format!("failed for another reason than the signature: {e}")),
        Ok(event) => Err(format!(
            "accepted a body the signature is not for: {event:?}"
        )),
    };

    let results = [
        ("card_payment", outcome(card_payment::run(&client).await)),
        (
            "buyer_with_stored_card",
            outcome(buyer_with_stored_card::run(&client).await),
        ),
        (
            "list_with_filters",
            outcome(list_with_filters::run(&client).await),
        ),
        (
            "errors_and_retries",
            outcome(errors_and_retries::run(&client).await),
        ),
        ("embed_token", outcome(embed_token::run(&client).await)),
        (
            "webhook_endpoint, signed",
            handled(
                webhook_endpoint::handle(&client, SECRET, body, Some(signature), Some(timestamp))
                    .await,
            ),
        ),
        (
            "webhook_endpoint, forged",
            rejected(
                webhook_endpoint::handle(&client, SECRET, forged, Some(signature), Some(timestamp))
                    .await,
            ),
        ),
        ("tour", outcome(tour::run(&client).await)),
        (
            "tour, webhook",
            outcome(tour::on_webhook(SECRET, body, &headers)),
        ),
        (
            "tour, forged webhook",
            match tour::on_webhook(SECRET, forged, &headers) {
                Err(_) => Ok(()),
                Ok(parsed) => Err(format!("accepted a forged body: {parsed}")),
            },
        ),
    ];
    let failed: Vec<String> = results
        .iter()
        .filter_map(|(name, result)| Some(format!("{name}: {}", result.as_ref().err()?)))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} example runs failed:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
}
