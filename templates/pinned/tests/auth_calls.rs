//! A client with a private key: a fresh token per call, reused on retries, and the checkout session
//! embed token, through the pinned spec's operations (`auth.rs` tests the tokens themselves).

use gr4vy::Client;
use gr4vy::ErrorKind;
use gr4vy::auth::{EmbedParams, TokenOptions};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/jwt.rs"]
mod jwt;
#[path = "support/seeds.rs"]
mod seeds;

use jwt::{PKCS8, key, parts, signature_holds};

#[tokio::test]
async fn a_client_with_a_private_key_signs_a_fresh_token_per_call_and_reuses_it_on_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seeds::docs_transaction()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .private_key_with(key(), TokenOptions::default().scopes(["buyers.write"]))
        .build()
        .expect("builds");
    // A GET: the spec's retry policy covers it, so the 503 is retried.
    client
        .transactions()
        .get("t1")
        .send()
        .await
        .expect("retried to success");
    client.buyers().delete("b2").send().await.expect("succeeds");

    let tokens: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| {
            let value = request
                .headers
                .get("authorization")
                .expect("sent")
                .to_str()
                .unwrap();
            value
                .strip_prefix("Bearer ")
                .expect("a bearer token")
                .to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 3);
    // The retry of the first call reused its token; the second call got a new one.
    assert_eq!(tokens[0], tokens[1]);
    assert_ne!(parts(&tokens[1]).1["jti"], parts(&tokens[2]).1["jti"]);
    for token in &tokens {
        assert!(signature_holds(token, PKCS8));
        assert_eq!(parts(token).1["scopes"], json!(["buyers.write"]));
    }
}

#[tokio::test]
async fn checkout_session_embed_token_creates_the_session_then_pins_a_token_to_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path("/checkout/sessions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "type": "checkout-session",
            "id": "4137b1cf-39ac-42a8-bad6-1c680d5dab6b",
            "expires_at": "2024-05-01T12:00:00.000Z",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .private_key(key())
        .build()
        .unwrap();
    let embed = EmbedParams::new().amount(1299).currency("USD");
    let session = gr4vy::models::CheckoutSessionUpdate::new()
        .metadata([("order".to_owned(), "A-1".to_owned())]);
    let (created, token) = client
        .checkout_session_embed_token(&embed, Some(session))
        .await
        .expect("creates and signs");
    assert_eq!(created.id, "4137b1cf-39ac-42a8-bad6-1c680d5dab6b");
    let (_, claims) = parts(&token);
    assert_eq!(claims["scopes"], json!(["embed"]));
    assert_eq!(claims["checkout_session_id"], json!(created.id));
    assert_eq!(claims["embed"], json!({"amount": 1299, "currency": "USD"}));
    assert!(signature_holds(&token, PKCS8));

    let requests = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body, json!({"metadata": {"order": "A-1"}}));
    // The call that creates the session is authenticated with a token of the same key.
    let sent = requests[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(signature_holds(sent.trim_start_matches("Bearer "), PKCS8));

    // Without a private key nothing is sent.
    let unsigned = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .unwrap();
    let error = unsigned
        .checkout_session_embed_token(&embed, None)
        .await
        .expect_err("no key");
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.attempts(), 0);
}
