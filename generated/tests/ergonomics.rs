//! The call shapes a new user reaches for first: spawning a request, looping over a stream without
//! `pin!`, literals for list and map fields, and a capture or refund without building an empty body.
//! Most of these are compile-time properties; each test also checks what goes on the wire.

use std::future::Future;

use gr4vy::models::TransactionCreate;
use gr4vy::{Client, Items};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "support/seeds.rs"]
mod seeds;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("test-token")
        .build()
        .expect("client builds")
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// Compiles only for what `tokio::spawn` takes.
fn spawnable<F: Future + Send + 'static>(future: F) -> F {
    future
}

/// Compiles only for a stream that can be polled in place and moved to another task.
fn unpinned<S: Unpin + Send + 'static>(stream: S) -> S {
    stream
}

#[tokio::test]
async fn a_request_outlives_the_client_it_came_from_and_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seeds::docs_transaction()))
        .mount(&server)
        .await;
    let task = {
        let client = client(&server);
        tokio::spawn(spawnable(client.transactions().get("tx-1").send()))
        // `client` is dropped here; the request holds its own handle.
    };
    let transaction = task.await.expect("task runs").expect("decodes");
    assert_eq!(transaction.amount, seeds::docs_transaction()["amount"]);
    assert_eq!(received(&server).await[0].url.path(), "/transactions/tx-1");
}

#[tokio::test]
async fn streams_are_looped_over_without_pin_and_filters_take_literals() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/transactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [seeds::docs_transaction()], "next_cursor": null
        })))
        .mount(&server)
        .await;
    let mut items: Items<_> = unpinned(
        client(&server)
            .transactions()
            .list()
            .currency(["USD", "EUR"])
            .status(["authorization_succeeded"])
            .items(),
    );
    let mut count = 0;
    while let Some(item) = items.next().await {
        item.expect("decodes");
        count += 1;
    }
    assert_eq!(count, 1);
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some("status=authorization_succeeded&currency=USD&currency=EUR")
    );
}

#[test]
fn map_fields_take_pairs_of_literals() {
    let body = TransactionCreate::new(1299, "EUR").metadata([("order", "1234"), ("shop", "nl")]);
    let sent: Value = serde_json::to_value(&body).expect("serializes");
    assert_eq!(sent["metadata"], json!({"order": "1234", "shop": "nl"}));
}

#[tokio::test]
async fn a_body_without_required_fields_is_sent_empty_unless_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seeds::docs_transaction()))
        .mount(&server)
        .await;
    let client = client(&server);
    // A full capture: the spec requires a body, and none of its fields.
    let _ = client.transactions().capture("tx-1").send().await;
    // A partial one replaces the default body.
    let _ = client
        .transactions()
        .capture("tx-1")
        .body(gr4vy::models::TransactionCaptureCreate::new().amount(500))
        .send()
        .await;
    let requests = received(&server).await;
    let bodies: Vec<Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect();
    assert_eq!(bodies, [json!({}), json!({"amount": 500})]);
    assert!(
        requests
            .iter()
            .all(|r| r.url.path() == "/transactions/tx-1/capture")
    );
}

#[test]
fn a_union_takes_the_required_fields_of_a_variant_named_by_its_struct() {
    use gr4vy::models::{
        CardWithUrlPaymentMethodCreate, CardWithUrlPaymentMethodCreateRequired,
        TransactionCreatePaymentMethod,
    };
    let card = || CardWithUrlPaymentMethodCreateRequired {
        number: "4111111111111111".into(),
        expiration_date: "12/30".into(),
    };
    let short = TransactionCreate::new(1299, "USD").payment_method(card());
    let long = TransactionCreate::new(1299, "USD")
        .payment_method(CardWithUrlPaymentMethodCreate::new(card()));
    assert_eq!(short, long);
    let Some(gr4vy::Nullable::Value(
        TransactionCreatePaymentMethod::CardWithUrlPaymentMethodCreate(sent),
    )) = &short.payment_method
    else {
        panic!("the card variant");
    };
    assert_eq!(sent.number, "4111111111111111");
    let body = serde_json::to_value(&short).unwrap();
    assert_eq!(
        body["payment_method"],
        json!({"method": "card", "number": "4111111111111111", "expiration_date": "12/30"})
    );
}
