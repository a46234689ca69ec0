//! Takes a card payment: authorizes 12.99 USD on a card, captures it, then refunds 5.00 of it.
//!
//! Set `GR4VY_ID` (your instance, on the sandbox server), `GR4VY_PRIVATE_KEY_PATH` (the path of the
//! PEM private key from the dashboard) and `GR4VY_MERCHANT_ACCOUNT_ID`, then
//! `cargo run --example card_payment`.

use gr4vy::models::{CardWithUrlPaymentMethodCreate, CardWithUrlPaymentMethodCreateRequired};
use gr4vy::models::{TransactionCreate, TransactionIntent, TransactionRefundCreate};

/// Authorizes, captures and partly refunds one card payment.
pub async fn run(client: &gr4vy::Client) -> Result<(), gr4vy::Error> {
    // A plain card is `CardWithUrlPaymentMethodCreate`; its required fields are named, so the
    // number and the expiry date cannot be swapped.
    let card = CardWithUrlPaymentMethodCreate::new(CardWithUrlPaymentMethodCreateRequired {
        number: "4111111111111111".into(),
        expiration_date: "12/30".into(),
    })
    .security_code("123");
    // Amounts are in the currency's smallest unit. `Authorize` holds the funds; the capture
    // below takes them.
    let payment = TransactionCreate::new(1299, "USD")
        .payment_method(card)
        .intent(TransactionIntent::Authorize)
        .external_identifier("order-1234");

    let transactions = client.transactions();
    // An idempotency key makes the call safe to repeat: with one, a retry cannot charge twice.
    let transaction = transactions
        .create(payment)
        .idempotency_key("order-1234-payment")
        .send()
        .await?;
    println!(
        "{} {} {}",
        transaction.id, transaction.status, transaction.amount
    );

    // No body: the whole authorized amount is captured.
    transactions.capture(&transaction.id).send().await?;

    // Part of the amount goes back to the card.
    let refund = transactions
        .refunds()
        .create(&transaction.id)
        .body(
            TransactionRefundCreate::new()
                .amount(500)
                .reason("damaged item"),
        )
        .send()
        .await?;
    println!("refund {}: {} {}", refund.id, refund.status, refund.amount);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    Ok(run(&gr4vy::Client::from_env()?).await?)
}
