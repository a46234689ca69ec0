//! The seven tasks of a first integration in one program: sign calls with a private key, take a
//! card payment (authorize, capture, refund part of it), page through transactions, read an API
//! error, make a call for another merchant account, sign an Embed token and verify a webhook.
//! `docs/tour.py` is the same program with Gr4vy's Python SDK.
//!
//! `GR4VY_ID` (your instance, on the sandbox server), `GR4VY_PRIVATE_KEY_PATH` (the path of your PEM
//! key) and `GR4VY_MERCHANT_ACCOUNT_ID`, then `cargo run --example tour`.

use std::error::Error;

use gr4vy::auth::EmbedParams;
use gr4vy::models::{CardWithUrlPaymentMethodCreateRequired, TransactionCreate};
use gr4vy::{Client, ErrorKind, RequestOptions, reqwest::header::HeaderMap, webhooks};
use serde_json::Value;

/// Every task but the webhook, which arrives on its own: see [`on_webhook`].
pub async fn run(client: &Client) -> Result<(), gr4vy::Error> {
    // Take a card payment, capture it, refund part of it.
    let card = CardWithUrlPaymentMethodCreateRequired {
        number: "4111111111111111".into(),
        expiration_date: "12/30".into(),
    };
    let payment = TransactionCreate::new(1299, "USD").payment_method(card);
    let transactions = client.transactions();
    let id = transactions.create(payment).send().await?.id;
    transactions.capture(&id).send().await?;
    let refunds = transactions.refunds();
    let refund = refunds.create(&id).amount(500).send().await?;
    println!("refund {}: {}", refund.id, refund.status);

    // Every transaction in USD or EUR, page after page.
    let mut items = transactions.list().currency(["USD", "EUR"]).items();
    while let Some(item) = items.next().await {
        let item = item?;
        println!("{} {}", item.id, item.amount);
    }

    // An error the API answers (4XX): `Display` shows its status, code and message.
    match transactions.get("no-such-transaction").send().await {
        Err(error) if error.kind() == ErrorKind::Api => println!("{error}"),
        result => println!("found {}", result?.id),
    }

    // One call on behalf of another merchant account.
    let other = RequestOptions::new().merchant_account_id("other-merchant");
    let buyers = client.buyers().list().options(other).send().await?;
    println!("{} buyers in other-merchant", buyers.items.len());

    // A token for Gr4vy Embed, pinned to a new checkout session.
    let embed = EmbedParams::new()
        .amount(1299)
        .currency("USD")
        .buyer_external_identifier("user-1234");
    let (_session, token) = client.checkout_session_embed_token(&embed, None).await?;
    println!("embed token of {} bytes", token.len());
    Ok(())
}

/// What your web framework calls with a webhook request: only a request signed with the
/// subscription's secret, in the last five minutes, is parsed.
pub fn on_webhook(secret: &str, body: &[u8], headers: &HeaderMap) -> Result<Value, Box<dyn Error>> {
    webhooks::verify_headers(body, secret, headers, webhooks::DEFAULT_TOLERANCE)?;
    Ok(serde_json::from_slice(body)?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    Ok(run(&Client::from_env()?).await?)
}
