//! Reads an API error (status, message, code) by its kind, without matching on status-specific
//! types, and sets retries and a time limit for single calls.
//!
//! Set `GR4VY_ID` (your instance, on the sandbox server), `GR4VY_PRIVATE_KEY_PATH` (the path of the
//! PEM private key from the dashboard) and `GR4VY_MERCHANT_ACCOUNT_ID`, then
//! `cargo run --example errors_and_retries`.

use std::time::Duration;

use gr4vy::models::TransactionRefundCreate;
use gr4vy::{Backoff, ErrorKind, RequestOptions, RetryConfig};

/// Reads one API error, then makes two calls with retries and a time limit of their own.
pub async fn run(client: &gr4vy::Client) -> Result<(), gr4vy::Error> {
    // Not a transaction id: the API answers with a 4XX.
    match client
        .transactions()
        .get("no-such-transaction")
        .send()
        .await
    {
        Ok(transaction) => println!("found {}", transaction.id),
        Err(error) => match error.kind() {
            // `Display` shows all of this in one line too.
            ErrorKind::Api => {
                let status = error.status().map_or(0, |status| status.as_u16());
                let message = error.api_message().unwrap_or("no message");
                println!("HTTP {status}: {message} (code {:?})", error.api_code());
            }
            // No complete answer: the call may or may not have reached Gr4vy.
            ErrorKind::Timeout | ErrorKind::Transport => {
                eprintln!("{error}; processed: {}", error.may_have_been_processed());
            }
            _ => return Err(error),
        },
    }

    // One patient call: up to 4 attempts on a 5XX, a 429 or a lost connection, 0.5 s apart at
    // first and 1.5 times longer each time, within 30 s; each attempt gets 20 s.
    let retries = RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(5),
        max_elapsed_time: Duration::from_secs(30),
        exponent: 1.5,
    })
    .max_attempts(4)
    .status_codes(["5XX", "429"])
    .retry_connection_errors(true);
    let patient = RequestOptions::new()
        .retries(retries.clone())
        .timeout(Duration::from_secs(20));
    let page = client
        .transactions()
        .list()
        .limit(10)
        .options(patient)
        .send()
        .await?;

    // A POST is repeated only when it carries an idempotency key: the key is what keeps a
    // retried refund from refunding twice.
    if let Some(first) = page.items.first() {
        let refund = client
            .transactions()
            .refunds()
            .create(&first.id)
            .body(TransactionRefundCreate::new().amount(100))
            .idempotency_key(format!("refund-{}", first.id))
            .options(RequestOptions::new().retries(retries))
            .send()
            .await?;
        println!("refund {}: {}", refund.id, refund.status);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    Ok(run(&gr4vy::Client::from_env()?).await?)
}
