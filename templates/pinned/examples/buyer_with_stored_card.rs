//! Stores a card for a returning customer: creates a buyer, saves a card to it, lists the buyer's
//! payment methods, and charges the stored card by its id (no card number in the request).
//!
//! Set `GR4VY_ID` (your instance, on the sandbox server), `GR4VY_PRIVATE_KEY_PATH` (the path of the
//! PEM private key from the dashboard) and `GR4VY_MERCHANT_ACCOUNT_ID`, then
//! `cargo run --example buyer_with_stored_card`.

use gr4vy::models::{BuyerCreate, CardPaymentMethodCreate, CardPaymentMethodCreateRequired};
use gr4vy::models::{TokenPaymentMethodCreate, TransactionCreate, TransactionPaymentSource};

/// Creates a buyer, stores a card for it, and charges the stored card.
pub async fn run(client: &gr4vy::Client) -> Result<(), gr4vy::Error> {
    // Your own customer id as `external_identifier` lets you find the buyer again without
    // storing Gr4vy's id.
    let buyer = BuyerCreate::new()
        .display_name("Jane Doe")
        .external_identifier("customer-42");
    let buyer = client.buyers().create().body(buyer).send().await?;

    let card = CardPaymentMethodCreate::new(CardPaymentMethodCreateRequired {
        number: "4111111111111111".into(),
        expiration_date: "12/30".into(),
    })
    .buyer_id(&buyer.id);
    let method = client.payment_methods().create(card).send().await?;
    println!("stored {} for buyer {}", method.id, buyer.id);

    let stored = client
        .buyers()
        .payment_methods()
        .list()
        .buyer_id(&buyer.id)
        .send()
        .await?;
    for summary in stored.items {
        println!(
            "{}: {:?} {:?}",
            summary.id, summary.label, summary.expiration_date
        );
    }

    // A later purchase: the stored method by id, marked as a card-on-file payment.
    let payment = TransactionCreate::new(2500, "USD")
        .payment_method(TokenPaymentMethodCreate::new(&method.id))
        .buyer_id(&buyer.id)
        .payment_source(TransactionPaymentSource::CardOnFile);
    let transaction = client.transactions().create(payment).send().await?;
    println!("{} {}", transaction.id, transaction.status);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    Ok(run(&gr4vy::Client::from_env()?).await?)
}
