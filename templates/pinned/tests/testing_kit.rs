//! The testing kit (`gr4vy::testing`, feature `test-util`): a client answered by registered
//! replies, and the requests it sent, without a server.

use std::time::Duration;

use gr4vy::models::{Transaction, TransactionCreate};
use gr4vy::testing::{MockApi, Reply};
use gr4vy::{Backoff, ErrorKind, RequestOptions, RetryConfig};
use serde_json::{Value, json};

#[path = "support/seeds.rs"]
mod seeds;
// The `card_payment` example, tested as your own payment code would be: no server, the API's
// answers registered per operation, then the requests it sent read back.
#[allow(dead_code)] // its `main` is for `cargo run --example`
#[path = "../examples/card_payment.rs"]
mod card_payment;

fn transaction() -> Transaction {
    serde_json::from_value(seeds::docs_transaction()).expect("the docs' transaction decodes")
}

fn quick_retries() -> RetryConfig {
    RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(1),
        max_elapsed_time: Duration::from_secs(5),
        exponent: 1.0,
    })
    .status_codes(["5XX"])
    .retry_connection_errors(true)
}

#[tokio::test]
async fn a_model_value_is_what_the_call_returns_and_the_request_is_kept() {
    let api = MockApi::new();
    api.on("create_transaction", [Reply::json(201, &transaction())]);
    let client = api.client().merchant_account_id("acme").build().unwrap();

    let created = client
        .transactions()
        .create(TransactionCreate::new(1299, "EUR").metadata([("order", "o-1")]))
        .idempotency_key("order-o-1")
        .send()
        .await
        .expect("the reply decodes");
    assert_eq!(created, transaction());

    let [request] = &api.requests()[..] else {
        panic!("one request: {:?}", api.requests());
    };
    assert_eq!(request.operation_id(), "create_transaction");
    assert_eq!(request.method(), "POST");
    assert_eq!(request.path(), "/transactions");
    assert_eq!(request.header("x-gr4vy-merchant-account-id"), Some("acme"));
    assert_eq!(request.header("idempotency-key"), Some("order-o-1"));
    let sent: TransactionCreate = request.body().expect("a TransactionCreate");
    assert_eq!(sent.amount, 1299);
    let body: Value = request.body().unwrap();
    assert_eq!(body["metadata"], json!({"order": "o-1"}));
    // Debug shows where the request went, not its headers or body.
    let debug = format!("{request:?}");
    assert!(
        debug.contains("create_transaction") && !debug.contains("mock-token"),
        "{debug}"
    );
}

#[tokio::test]
async fn an_api_error_reply_is_a_typed_api_error() {
    let api = MockApi::new();
    api.on(
        "get_transaction",
        [Reply::json(
            404,
            &json!({"type": "error", "code": "not_found", "status": 404,
                "message": "The resource could not be found"}),
        )],
    );
    api.on(
        "create_transaction",
        [Reply::json(
            400,
            &json!({"type": "error", "code": "bad_request", "status": 400,
                "message": "Request failed validation",
                "details": [{"location": "body", "pointer": "/currency",
                    "message": "Unknown currency", "type": "value_error"}]}),
        )],
    );
    let client = api.client().build().unwrap();
    let error = client.transactions().get("tx-1").send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.api_code(), Some("not_found"));
    assert_eq!(error.api_message(), Some("The resource could not be found"));
    assert!(error.api_details().is_empty());

    let error = client
        .transactions()
        .create(TransactionCreate::new(1299, "XXX"))
        .send()
        .await
        .unwrap_err();
    let [detail] = error.api_details() else {
        panic!("one detail: {:?}", error.api_details());
    };
    assert_eq!(detail.pointer, "/currency");
    assert_eq!(detail.message, "Unknown currency");
}

#[tokio::test]
async fn a_transport_failure_then_a_sequence_shows_the_retries() {
    let api = MockApi::new();
    api.on(
        "list_transactions",
        [
            Reply::transport_failure(),
            Reply::status(503),
            Reply::json(
                200,
                &json!({"items": [seeds::docs_transaction()], "next_cursor": null}),
            ),
        ],
    );
    let client = api.client().retries(quick_retries()).build().unwrap();
    let page = client
        .transactions()
        .list()
        .currency(["EUR"])
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(page.items.len(), 1);
    let requests = api.requests_to("list_transactions");
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.query_values("currency") == ["EUR"])
    );

    // Without retries the first reply of a fresh sequence is the result.
    api.on("get_transaction", [Reply::transport_failure()]);
    let error = client
        .transactions()
        .get("tx-1")
        .options(RequestOptions::new().no_retries())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
}

#[tokio::test(start_paused = true)]
async fn a_delay_longer_than_the_timeout_is_a_timeout() {
    let api = MockApi::new();
    api.on(
        "get_transaction",
        [Reply::json(200, &transaction()).after(Duration::from_secs(120))],
    );
    let client = api
        .client()
        .timeout(Duration::from_secs(30))
        .retries(RetryConfig::none())
        .build()
        .unwrap();
    let error = client.transactions().get("tx-1").send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn an_operation_without_a_reply_fails_naming_it() {
    let api = MockApi::new();
    let client = api.client().build().unwrap();
    let error = client.buyers().get("b-1").send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(error.to_string().contains("`get_buyer`"), "{error}");
}

#[tokio::test]
async fn an_example_is_tested_without_a_server() {
    let api = MockApi::new();
    let transaction = transaction();
    let refund = json!({
        "type": "refund",
        "id": "6a1d4e46-14ed-4fe1-a45f-eff4e025d211",
        "transaction_id": transaction.id,
        "status": "succeeded",
        "currency": "USD",
        "amount": 500,
        "target_type": "payment-method",
        "reconciliation_id": "7jZXl4gBUNl0CnaLEnfXbt",
        "transaction_reconciliation_id": "7jZXl4gBUNl0CnaLEnfXbt",
        "created_at": "2013-07-16T19:23:00.000+00:00",
        "updated_at": "2013-07-16T19:23:00.000+00:00",
        "settled": false
    });
    api.on("create_transaction", [Reply::json(201, &transaction)])
        .on("capture_transaction", [Reply::json(200, &transaction)])
        .on("create_transaction_refund", [Reply::json(201, &refund)]);
    let client = api.client().merchant_account_id("acme").build().unwrap();

    card_payment::run(&client).await.expect("the example runs");

    let sent = api.requests();
    let operations: Vec<&str> = sent.iter().map(|r| r.operation_id()).collect();
    assert_eq!(
        operations,
        [
            "create_transaction",
            "capture_transaction",
            "create_transaction_refund"
        ]
    );
    let payment: Value = sent[0].body().unwrap();
    assert_eq!(
        (payment["amount"].as_i64(), payment["currency"].as_str()),
        (Some(1299), Some("USD"))
    );
    assert_eq!(payment["payment_method"]["method"], "card");
    assert_eq!(
        sent[0].header("idempotency-key"),
        Some("order-1234-payment")
    );
    assert_eq!(
        sent[1].path(),
        format!("/transactions/{}/capture", transaction.id)
    );
    let refunded: Value = sent[2].body().unwrap();
    assert_eq!(refunded["amount"], 500);
    assert!(
        sent.iter()
            .all(|r| r.header("x-gr4vy-merchant-account-id") == Some("acme"))
    );
}
