//! The blocking client (`blocking` feature): `send_blocking()` and the blocking iterators run the
//! same calls as `.send().await` and the streams, so a subset of the operation tests and of the
//! fault matrix (`faults.rs`) is repeated here from plain threads, against the same misbehaving
//! server, plus what only the blocking client has: refusing inside an async runtime, one client
//! shared by threads, and a client dropped inside a runtime.
//!
//! The server runs on a runtime of its own; every blocking call is made outside it.

use std::thread;
use std::time::{Duration, Instant};

use gr4vy::models::{Transaction, TransactionCreate};
use gr4vy::{Client, ErrorKind, RequestOptions};
use serde_json::{Value, json};

#[allow(dead_code)] // the fault tests use the rest of the server
#[path = "support/faulty_server.rs"]
mod faulty_server;
#[path = "support/seeds.rs"]
mod seeds;

use faulty_server::{FaultyServer, Reply};
use seeds::docs_transaction;

/// A server scripted with `replies`, on a runtime of its own, which the caller keeps alive for as
/// long as the server (declare the runtime first, so that it is dropped last).
fn serve(replies: Vec<Reply>) -> (tokio::runtime::Runtime, FaultyServer) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the server");
    let server = runtime.block_on(FaultyServer::start(replies));
    (runtime, server)
}

fn client(server: &FaultyServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer_token("t")
        .build()
        .expect("client builds")
}

fn transaction_with_id(id: &str) -> Value {
    let mut transaction = docs_transaction();
    transaction["id"] = json!(id);
    transaction
}

fn ok_transaction() -> Reply {
    Reply::json(200, serde_json::to_vec(&docs_transaction()).unwrap())
}

fn page(ids: &[&str], next_cursor: Option<&str>) -> Reply {
    let items: Vec<Value> = ids.iter().map(|id| transaction_with_id(id)).collect();
    let page =
        json!({"items": items, "limit": 2, "next_cursor": next_cursor, "previous_cursor": null});
    Reply::json(200, serde_json::to_vec(&page).unwrap())
}

#[test]
fn a_get_and_a_post_return_what_their_async_calls_would() {
    let (_runtime, server) = serve(vec![ok_transaction()]);
    let client = client(&server);

    let got: Transaction = client.transactions().get("t1").send_blocking().unwrap();
    assert_eq!(got.id, docs_transaction()["id"]);
    let created = client
        .transactions()
        .create(TransactionCreate::new(1299, "EUR").metadata([("order", "o-1")]))
        .send_blocking()
        .unwrap();
    assert_eq!(created, got);

    let [get, post] = &server.recorded()[..] else {
        panic!("two requests: {:?}", server.recorded());
    };
    assert_eq!(
        (get.method.as_str(), get.path.as_str()),
        ("GET", "/transactions/t1")
    );
    assert_eq!(get.header("authorization"), Some("Bearer t"));
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/transactions")
    );
    let body: Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(
        body,
        json!({"amount": 1299, "currency": "EUR", "metadata": {"order": "o-1"}})
    );
}

#[test]
fn the_blocking_iterators_follow_cursors_and_resend_the_filters() {
    let (_runtime, server) = serve(vec![
        page(&["a", "b"], Some("c1")),
        page(&["c"], None),
        page(&["a", "b"], Some("c1")),
        page(&["c"], None),
    ]);
    let client = client(&server);
    let list = || client.transactions().list().limit(2);

    let ids: Vec<String> = list()
        .items_blocking()
        .map(|item| item.expect("an item").id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let pages: Vec<usize> = list()
        .pages_blocking()
        .map(|page| page.expect("a page").items.len())
        .collect();
    assert_eq!(pages, [2, 1]);

    let paths: Vec<String> = server.recorded().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/transactions?limit=2",
            "/transactions?cursor=c1&limit=2",
            "/transactions?limit=2",
            "/transactions?cursor=c1&limit=2",
        ]
    );
}

#[test]
fn an_error_ends_the_blocking_iterator_after_it_is_yielded() {
    let (_runtime, server) = serve(vec![
        page(&["a"], Some("c1")),
        Reply::json(
            400,
            r#"{"type":"error","code":"bad_request","status":400,"message":"bad cursor"}"#,
        ),
    ]);
    let mut items = client(&server).transactions().list().items_blocking();
    assert_eq!(items.next().unwrap().unwrap().id, "a");
    let error = items.next().unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(error.api_message(), Some("bad cursor"));
    assert!(items.next().is_none());
    assert_eq!(server.requests(), 2);
}

#[test]
fn a_get_recovers_from_a_reset_and_a_post_is_sent_once() {
    let (_runtime, server) = serve(vec![Reply::new().reset(), ok_transaction()]);
    let client = client(&server);
    let got = client.transactions().get("t1").send_blocking();
    assert!(got.is_ok(), "the second attempt succeeds: {got:?}");
    assert_eq!(server.requests(), 2);

    let (_runtime, server) = serve(vec![Reply::new().reset()]);
    let error = self::client(&server)
        .transactions()
        .create(TransactionCreate::new(1299, "EUR"))
        .send_blocking()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_eq!(
        error.attempts(),
        1,
        "a POST that may have been processed is not retried"
    );
    assert_eq!(server.requests(), 1);
}

#[test]
fn headers_that_never_come_time_out() {
    let (_runtime, server) = serve(vec![Reply::new().sleep(Duration::from_secs(3))]);
    let client = Client::builder()
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .transactions()
        .get("t1")
        .options(RequestOptions::new().no_retries())
        .send_blocking()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(), 1);
}

#[test]
fn threads_share_one_client_and_its_runtime() {
    let (_runtime, server) = serve(vec![ok_transaction()]);
    let client = client(&server);
    let threads: Vec<_> = (0..4)
        .map(|n| {
            let client = client.clone();
            thread::spawn(move || client.transactions().get(format!("t{n}")).send_blocking())
        })
        .collect();
    for thread in threads {
        assert!(thread.join().expect("no panic").is_ok());
    }
    let mut paths: Vec<String> = server.recorded().into_iter().map(|r| r.path).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/transactions/t0",
            "/transactions/t1",
            "/transactions/t2",
            "/transactions/t3"
        ]
    );
}

#[tokio::test]
async fn inside_an_async_runtime_blocking_calls_are_refused_and_send_nothing() {
    let server = FaultyServer::start(vec![ok_transaction()]).await;
    let client = client(&server);

    let error = client.transactions().get("t1").send_blocking().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("`send_blocking` was called inside an async runtime")
            && message.contains("nothing was sent")
            && message.contains(".await"),
        "{message}"
    );
    let mut items = client.transactions().list().items_blocking();
    let error = items.next().expect("one error").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error:?}");
    assert!(items.next().is_none(), "then the iterator ends");

    // The async call works on the same client.
    client.transactions().get("t1").send().await.unwrap();
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_client_whose_last_clone_is_dropped_inside_a_runtime_stops_its_own() {
    let (runtime, server) = serve(vec![ok_transaction()]);
    let client = client(&server);
    client.transactions().get("t1").send_blocking().unwrap();
    // Dropping the client's runtime waits for its thread, which tokio refuses (with a panic)
    // inside an async context; the client stops it without waiting instead.
    runtime.block_on(async move {
        let refused = client.transactions().get("t1").send_blocking();
        assert!(refused.is_err());
        drop(client);
    });
    assert_eq!(server.requests(), 1);
}

#[test]
fn the_testing_kit_answers_blocking_calls_too() {
    let api = gr4vy::testing::MockApi::new();
    api.on(
        "get_transaction",
        [
            gr4vy::testing::Reply::status(503),
            gr4vy::testing::Reply::json(200, &docs_transaction()),
        ],
    );
    let client = api.client().build().unwrap();
    let got = client.transactions().get("t1").send_blocking().unwrap();
    assert_eq!(got.id, docs_transaction()["id"]);
    assert_eq!(api.requests().len(), 2, "the 503 was retried");
}
