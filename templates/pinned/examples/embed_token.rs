//! Signs a token for Gr4vy Embed, the checkout form in the browser: the token fixes the amount,
//! currency and buyer, so the page cannot change them, and is pinned to a checkout session
//! created for this checkout. Your server makes the token and hands it to the page.
//!
//! Embed tokens are signed with your private key: set `GR4VY_ID` (your instance, on the sandbox
//! server), `GR4VY_PRIVATE_KEY_PATH` (the path of the PEM private key from the dashboard) and
//! `GR4VY_MERCHANT_ACCOUNT_ID`, then `cargo run --example embed_token`.

use gr4vy::auth::EmbedParams;
use gr4vy::models::CheckoutSessionUpdate;

/// Signs an Embed token pinned to a new checkout session, and one without a session.
pub async fn run(client: &gr4vy::Client) -> Result<(), gr4vy::Error> {
    let embed = EmbedParams::new()
        .amount(1299)
        .currency("USD")
        .buyer_external_identifier("customer-42");

    // Creates the checkout session, then signs a token with its id in the claims.
    let session = CheckoutSessionUpdate::new().metadata([("order", "order-1234")]);
    let (session, token) = client
        .checkout_session_embed_token(&embed, Some(session))
        .await?;
    println!(
        "checkout session {} expires at {}",
        session.id, session.expires_at
    );
    // Hand `token` to the page (it is as good as a password for this checkout until it expires).
    println!("token for the page: {} bytes", token.len());

    // A token without a session is signed locally: nothing is sent.
    let token = client.embed_token(&embed, None)?;
    println!("token without a session: {} bytes", token.len());
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    Ok(run(&gr4vy::Client::from_env()?).await?)
}
