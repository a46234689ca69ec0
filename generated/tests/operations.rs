//! The generated operations against a local server: what goes on the wire, retries, pagination,
//! hooks and errors, as a Rust service taking payments would meet them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use gr4vy::models::{TransactionCreate, TransactionStatus};
use gr4vy::{ApiErrorBody, Backoff, Client, ErrorKind, Hooks, RequestOptions, RetryConfig};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[path = "support/seeds.rs"]
mod seeds;

use seeds::docs_transaction;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("test-token")
        .merchant_account_id("default")
        .build()
        .expect("client builds")
}

fn ok_transaction() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(docs_transaction())
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_transaction())
        .mount(&server)
        .await;
    client(&server)
        .transactions()
        .get("a b/c?d#e%f")
        .send()
        .await
        .expect("decodes");
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        "/transactions/a%20b%2Fc%3Fd%23e%25f"
    );
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn query_arrays_repeat_their_key_and_scalars_use_wire_spellings() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/transactions"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [], "next_cursor": null})),
        )
        .mount(&server)
        .await;
    let since = gr4vy::DateTime::parse("2024-05-01T12:00:00.000Z").unwrap();
    let page = client(&server)
        .transactions()
        .list()
        .status(vec![
            TransactionStatus::Processing,
            TransactionStatus::AuthorizationSucceeded,
        ])
        .has_refunds(true)
        .created_at_gte(since)
        .limit(20)
        .send()
        .await
        .expect("decodes");
    assert!(page.items.is_empty());
    let requests = received(&server).await;
    let pairs: Vec<(String, String)> = requests[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    let get = |k: &str| {
        pairs
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(get("status"), ["processing", "authorization_succeeded"]);
    assert_eq!(get("has_refunds"), ["true"]);
    assert_eq!(get("created_at_gte"), ["2024-05-01T12:00:00.000Z"]);
    assert_eq!(get("limit"), ["20"]);
}

#[tokio::test]
async fn create_sends_the_body_auth_idempotency_forwarding_and_merchant_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/transactions"))
        .respond_with(ok_transaction())
        .mount(&server)
        .await;
    let client = client(&server);
    let created = client
        .transactions()
        .create(TransactionCreate::new(1299, "EUR"))
        .idempotency_key("key-1")
        .x_forwarded_for("203.0.113.7")
        .send()
        .await
        .expect("decodes");
    assert_eq!(created.amount, 1299);
    client
        .transactions()
        .create(TransactionCreate::new(1299, "EUR"))
        .options(RequestOptions::default().merchant_account_id("other"))
        .send()
        .await
        .expect("decodes");
    let requests = received(&server).await;
    let first = &requests[0];
    assert_eq!(
        serde_json::from_slice::<Value>(&first.body).unwrap(),
        json!({"amount": 1299, "currency": "EUR"})
    );
    assert_eq!(header(first, "authorization"), Some("Bearer test-token"));
    assert_eq!(header(first, "idempotency-key"), Some("key-1"));
    assert_eq!(header(first, "x-forwarded-for"), Some("203.0.113.7"));
    assert_eq!(
        header(first, "x-gr4vy-merchant-account-id"),
        Some("default")
    );
    assert_eq!(header(first, "content-type"), Some("application/json"));
    assert_eq!(
        header(&requests[1], "x-gr4vy-merchant-account-id"),
        Some("other")
    );
}

/// Answers with each status in turn, then repeats the last one.
struct Sequence {
    statuses: Vec<u16>,
    calls: AtomicUsize,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let status = self.statuses[n.min(self.statuses.len() - 1)];
        if status == 200 {
            ok_transaction()
        } else {
            ResponseTemplate::new(status)
        }
    }
}

fn sequence(statuses: &[u16]) -> Sequence {
    Sequence {
        statuses: statuses.to_vec(),
        calls: AtomicUsize::new(0),
    }
}

#[tokio::test]
async fn a_get_is_retried_through_two_503s() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(sequence(&[503, 503, 200]))
        .mount(&server)
        .await;
    client(&server)
        .transactions()
        .get("t-1")
        .send()
        .await
        .expect("third attempt succeeds");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_503_storm_on_a_get_stops_within_the_retry_budget() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = client(&server)
        .transactions()
        .get("t-1")
        .send()
        .await
        .expect_err("never succeeds");
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let attempts = received(&server).await.len();
    assert!(attempts >= 2, "retried: {attempts}");
    // The spec's budget is 1 s of elapsed time, with 200 ms between attempts.
    assert!(attempts <= 7, "bounded by the budget: {attempts}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(error.attempts() as usize, attempts);
}

#[tokio::test]
async fn a_post_is_not_retried_unless_asked_and_then_keeps_one_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sequence(&[503, 200]))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client
        .transactions()
        .create(TransactionCreate::new(1, "EUR"))
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1);

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(sequence(&[503, 503, 200]))
        .mount(&server)
        .await;
    let retry = RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        max_elapsed_time: Duration::from_secs(1),
        exponent: 1.0,
    });
    client
        .transactions()
        .create(TransactionCreate::new(1, "EUR"))
        .options(RequestOptions::default().retries(retry))
        .send()
        .await
        .expect("retried into success");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let keys: Vec<Option<&str>> = requests
        .iter()
        .map(|r| header(r, "idempotency-key"))
        .collect();
    assert!(keys[0].is_some(), "a key is generated when retries are on");
    assert!(
        keys.iter().all(|k| *k == keys[0]),
        "one key for every attempt: {keys:?}"
    );
}

#[tokio::test]
async fn retries_can_be_turned_off_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = client(&server)
        .transactions()
        .get("t-1")
        .options(RequestOptions::default().no_retries())
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.attempts(), 1);
    assert_eq!(received(&server).await.len(), 1);
}

/// Three pages keyed by cursor; each page holds one transaction.
struct Pages;

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let cursor = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "cursor")
            .map(|(_, v)| v.into_owned());
        let next = match cursor.as_deref() {
            None => json!("page-2"),
            Some("page-2") => json!("page-3"),
            _ => Value::Null,
        };
        let mut item = docs_transaction();
        item["id"] = json!(cursor.unwrap_or_else(|| "page-1".into()));
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": [item], "limit": 1, "next_cursor": next}))
    }
}

#[tokio::test]
async fn pagination_walks_every_page_resending_the_filters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/transactions"))
        .respond_with(Pages)
        .mount(&server)
        .await;
    let client = client(&server);
    let ids: Vec<String> = client
        .transactions()
        .list()
        .limit(1)
        .status(vec![TransactionStatus::Processing])
        .items()
        .map(|item| item.expect("decodes").id)
        .collect()
        .await;
    assert_eq!(ids, ["page-1", "page-2", "page-3"]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for (request, cursor) in requests.iter().zip([None, Some("page-2"), Some("page-3")]) {
        let pairs: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        assert!(pairs.contains(&("limit".into(), "1".into())), "{pairs:?}");
        assert!(
            pairs.contains(&("status".into(), "processing".into())),
            "{pairs:?}"
        );
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "cursor")
            .map(|(_, v)| v.as_str());
        assert_eq!(sent, cursor);
    }
}

struct Tagging {
    seen: Arc<AtomicUsize>,
}

impl Hooks for Tagging {
    fn before_request(&self, request: &mut reqwest::Request) -> Result<(), gr4vy::Error> {
        request
            .headers_mut()
            .insert("x-trace", "from-hook".parse().expect("valid header"));
        Ok(())
    }

    fn after_response(&self, _: &reqwest::Response) {
        self.seen.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn hooks_can_add_a_header_and_see_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_transaction())
        .mount(&server)
        .await;
    let seen = Arc::new(AtomicUsize::new(0));
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .hook(Tagging { seen: seen.clone() })
        .build()
        .unwrap();
    client.transactions().get("t-1").send().await.unwrap();
    assert_eq!(
        header(&received(&server).await[0], "x-trace"),
        Some("from-hook")
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_declared_error_body_is_typed_and_the_raw_body_kept() {
    let server = MockServer::start().await;
    let body = json!({"type": "error", "code": "bad_request", "status": 400, "message": "Missing currency", "details": []});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let error = client(&server)
        .transactions()
        .get("t-1")
        .send()
        .await
        .expect_err("400");
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    match error.api_error() {
        Some(ApiErrorBody::Error400(e)) => {
            assert_eq!(e.message, "Missing currency")
        }
        other => panic!("expected a typed 400 body, got {other:?}"),
    }
    assert_eq!(
        serde_json::from_slice::<Value>(error.body().unwrap()).unwrap(),
        body
    );
}

#[tokio::test]
async fn an_html_error_page_or_an_undeclared_status_is_kept_raw() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(500).set_body_raw("<html>down</html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client.buyers().delete("b-1").send().await.expect_err("500");
    assert_eq!(error.kind(), ErrorKind::Api);
    assert!(error.api_error().is_none());
    assert_eq!(error.body(), Some(&b"<html>down</html>"[..]));
    let error = client
        .transactions()
        .get("t-1")
        .send()
        .await
        .expect_err("418");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(error.body(), Some(&b"teapot"[..]));
}

#[tokio::test]
async fn a_204_is_success_and_an_empty_200_where_json_is_due_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .buyers()
        .delete("b-1")
        .send()
        .await
        .expect("204 is success");
    let error = client
        .transactions()
        .get("t-1")
        .send()
        .await
        .expect_err("no JSON");
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.body(), Some(&b""[..]));
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_and_a_closed_port_a_transport_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_transaction().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let slow = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = slow
        .transactions()
        .get("t-1")
        .options(RequestOptions::default().no_retries())
        .send()
        .await
        .expect_err("times out");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(2));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("t")
        .build()
        .unwrap();
    let error = closed
        .transactions()
        .get("t-1")
        .options(RequestOptions::default().no_retries())
        .send()
        .await
        .expect_err("nothing listens");
    assert_eq!(error.kind(), ErrorKind::Transport);
}
