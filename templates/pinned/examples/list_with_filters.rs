//! Lists transactions with filters: the last day's captured (or capturing) payments in USD or
//! EUR of 10.00 or more, item by item through the `items()` stream, which fetches the next page as
//! it is needed.
//!
//! Set `GR4VY_ID` (your instance, on the sandbox server), `GR4VY_PRIVATE_KEY_PATH` (the path of
//! the PEM private key) and `GR4VY_MERCHANT_ACCOUNT_ID` (see `Client::from_env`), then
//! `cargo run --example list_with_filters`.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};

/// Prints each matching transaction, and their total.
pub async fn run(client: &gr4vy::Client) -> Result<(), gr4vy::Error> {
    // Date-time filters take any `chrono::DateTime`.
    let since = DateTime::<Utc>::from(SystemTime::now() - Duration::from_secs(24 * 60 * 60));
    // Every filter applies to every page; `limit` is the page size, not a total.
    let mut items = client
        .transactions()
        .list()
        .status(["capture_succeeded", "capture_pending"])
        .currency(["USD", "EUR"])
        .amount_gte(1000)
        .created_at_gte(since)
        .limit(100)
        .items();

    let mut total = 0;
    while let Some(transaction) = items.next().await {
        // An error ends the stream: a page that failed after its retries, or one that did not
        // decode.
        let transaction = transaction?;
        total += transaction.amount;
        println!(
            "{} {} {}",
            transaction.id, transaction.currency, transaction.amount
        );
    }
    println!("{total} in the smallest units of their currencies");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    Ok(run(&gr4vy::Client::from_env()?).await?)
}
