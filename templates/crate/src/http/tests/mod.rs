//! The runtime against a local HTTP server (wiremock on 127.0.0.1), through [`Call`] as generated
//! operations use it. Each test is bounded to well under two seconds.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::*;

/// The spec's default for GET operations, a `static` as in generated code.
static SPEC_DEFAULT: LazyLock<RetryConfig> = LazyLock::new(|| {
    RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(200),
        max_interval: Duration::from_millis(200),
        max_elapsed_time: Duration::from_secs(1),
        exponent: 1.0,
    })
    .status_codes(["5XX"])
    .retry_connection_errors(true)
});

/// Quick retries for tests that only count attempts.
fn quick_retries() -> RetryConfig {
    RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        max_elapsed_time: Duration::from_secs(1),
        exponent: 1.0,
    })
}

fn client_for(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri())
}

/// A GET as generated code writes it: with the spec's retry default.
fn get<'a>(client: &'a Client, path: &str) -> Call<'a> {
    let mut call = Call::new(
        client,
        Method::GET,
        crate::http::Endpoint::new("test_call", "/test"),
        path.to_owned(),
    );
    call.spec_retries(&SPEC_DEFAULT);
    call
}

async fn respond(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

mod env;
mod hooks_and_faults;
mod retries;

#[tokio::test]
async fn path_parameters_arrive_percent_encoded() {
    let server = respond(200).await;
    let client = client_for(&server).build().unwrap();
    let path = format!("/transactions/{}", encode_path_segment("a b/c?d#e%f"));
    let _: Value = get(&client, &path).send().await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(seen[0].url.path(), "/transactions/a%20b%2Fc%3Fd%23e%25f");
    assert_eq!(seen[0].url.query(), None);
}

#[tokio::test]
async fn query_arrays_repeat_their_key_and_scalars_read_naturally() {
    let server = respond(200).await;
    let client = client_for(&server).build().unwrap();
    let mut call = get(&client, "/transactions");
    call.query("status", &Some(vec!["capture_succeeded", "declined"]));
    call.query("has_refunds", &Some(true));
    call.query("unset", &None::<String>);
    call.query("limit", &20_i64);
    call.query(
        "created_at_gte",
        &crate::DateTime::parse("2024-05-01T10:00:00+00:00").unwrap(),
    );
    call.query("search", "a&b=c d");
    let _: Value = call.send().await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(
        seen[0].url.query(),
        Some(
            "status=capture_succeeded&status=declined&has_refunds=true&limit=20\
             &created_at_gte=2024-05-01T10%3A00%3A00%2B00%3A00&search=a%26b%3Dc%20d"
        )
    );
}

#[tokio::test]
async fn header_parameters_skip_none_and_join_lists() {
    let server = respond(200).await;
    let client = client_for(&server).build().unwrap();
    let mut call = get(&client, "/");
    call.header("X-Forwarded-For", &Some("203.0.113.7"));
    call.header("x-list", &vec!["a", "b"]);
    call.header("x-absent", &None::<String>);
    let _: Value = call.send().await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(header(&seen[0], "x-forwarded-for"), Some("203.0.113.7"));
    assert_eq!(header(&seen[0], "x-list"), Some("a,b"));
    assert_eq!(header(&seen[0], "x-absent"), None);
}

/// Global headers go through the crate-private setters that the generated ones (`src/globals.rs`,
/// which differ per spec) call, so this test holds for any spec; `tests/operations.rs` covers the
/// generated setters of Gr4vy's.
#[tokio::test]
async fn a_global_header_comes_from_the_client_unless_the_call_overrides_it() {
    let server = respond(200).await;
    let client = client_for(&server)
        .global("x-test-global", "from-client")
        .build()
        .unwrap();
    let _: Value = get(&client, "/a").send().await.unwrap();
    let mut call = get(&client, "/b");
    call.options(RequestOptions::new().global("x-test-global", "from-call"));
    let _: Value = call.send().await.unwrap();
    let bare = client_for(&server).build().unwrap();
    let _: Value = get(&bare, "/c").send().await.unwrap();

    let seen = requests(&server).await;
    let global = |i: usize| header(&seen[i], "x-test-global");
    assert_eq!(global(0), Some("from-client"));
    assert_eq!(global(1), Some("from-call"));
    assert_eq!(global(2), None);
}

/// A global value that a header cannot carry fails the call before it is sent, naming the header
/// but not quoting the value.
#[tokio::test]
async fn an_invalid_global_value_fails_the_call_without_showing_the_value() {
    let server = respond(200).await;
    let client = client_for(&server)
        .global("x-test-global", "bad\nsecret-value")
        .build()
        .unwrap();
    let error = get(&client, "/a").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    let text = format!("{error} {error:?}");
    assert!(text.contains("x-test-global"), "{text}");
    assert!(!text.contains("secret-value"), "{text}");
    let client = client_for(&server).build().unwrap();
    let mut call = get(&client, "/b");
    call.options(RequestOptions::new().global("x-test-global", "bad\rsecret-value"));
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(!format!("{error} {error:?}").contains("secret-value"));
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn default_headers_auth_and_user_agent() {
    let server = respond(200).await;
    let client = client_for(&server)
        .bearer_token("secret-token")
        .build()
        .unwrap();
    let mut call = Call::new(
        &client,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/buyers".to_owned(),
    );
    call.json(&json!({"display_name": "A"}));
    let _: Value = call.send().await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(
        header(&seen[0], "authorization"),
        Some("Bearer secret-token")
    );
    assert_eq!(header(&seen[0], "content-type"), Some("application/json"));
    assert_eq!(header(&seen[0], "accept"), Some("application/json"));
    assert_eq!(
        header(&seen[0], "user-agent"),
        Some(concat!("gr4vy-rust/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(seen[0].body, br#"{"display_name":"A"}"#);
    // A POST without body sends no content type; the user agent can be changed.
    let custom = client_for(&server)
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    Call::new(
        &custom,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/x".to_owned(),
    )
    .send_empty()
    .await
    .unwrap();
    let seen = requests(&server).await;
    assert_eq!(header(&seen[1], "content-type"), None);
    assert_eq!(header(&seen[1], "user-agent"), Some("my-app/1.0"));
    assert_eq!(header(&seen[1], "authorization"), None);
}

#[tokio::test]
async fn a_token_provider_is_asked_per_call_and_its_failure_is_an_auth_error() {
    let server = respond(200).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = client_for(&server)
        .token_provider(move || Ok(format!("jwt-{}", counter.fetch_add(1, Ordering::SeqCst))))
        .build()
        .unwrap();
    let _: Value = get(&client, "/a").send().await.unwrap();
    let _: Value = get(&client, "/b").send().await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(header(&seen[0], "authorization"), Some("Bearer jwt-0"));
    assert_eq!(header(&seen[1], "authorization"), Some("Bearer jwt-1"));

    let failing = client_for(&server)
        .token_provider(|| Err(Error::new(ErrorKind::Transport, "key store unreachable")))
        .build()
        .unwrap();
    let error = get(&failing, "/c").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.attempts(), 0);
    assert!(
        error.to_string().contains("key store unreachable"),
        "{error}"
    );
    assert_eq!(
        requests(&server).await.len(),
        2,
        "nothing is sent without a token"
    );
}

#[tokio::test]
async fn reserved_headers_are_refused_per_call() {
    let server = respond(200).await;
    let client = client_for(&server).build().unwrap();
    for name in [
        "Host",
        "Content-Length",
        "transfer-encoding",
        "Connection",
        "Authorization",
    ] {
        let mut call = get(&client, "/x");
        call.options(RequestOptions::new().header(name, "5"));
        let error = call.send::<Value>().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{name}");
        assert!(
            error.to_string().contains(&name.to_ascii_lowercase()),
            "{error}"
        );
        assert!(!error.may_have_been_processed());
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_slow_response_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = client_for(&server)
        .timeout(Duration::from_millis(100))
        .retries(RetryConfig::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.attempts(), 1);
    assert!(error.to_string().contains("100ms"), "{error}");
    // The server answers after 400 ms: anything below that is the timeout at work.
    assert!(started.elapsed() < Duration::from_millis(350));

    // The call's own timeout replaces the client's: this one is long enough.
    let mut call = get(&client, "/");
    call.options(RequestOptions::new().timeout(Duration::from_secs(5)));
    let _: Value = call.send().await.unwrap();
}

#[tokio::test]
async fn an_html_error_page_is_kept_raw() {
    let server = MockServer::start().await;
    let page = "<html><body>Internal Server Error</body></html>";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let mut call = get(&client, "/");
    call.options(RequestOptions::new().no_retries());
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(error.body(), Some(page.as_bytes()));
    assert!(error.api_error().is_none());
    assert_eq!(
        error
            .headers()
            .and_then(|h| h.get("content-type"))
            .map(|v| v.as_bytes()),
        Some(&b"text/html"[..])
    );
}

#[tokio::test]
async fn a_declared_error_body_is_decoded() {
    let server = MockServer::start().await;
    let body = json!({
        "type": "error", "code": "bad_request", "status": 400,
        "message": "Request failed validation", "details": []
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.attempts(), 1, "4XX is not retried");
    assert!(error.api_error().is_some(), "{error:?}");
    assert_eq!(
        serde_json::from_slice::<Value>(error.body().unwrap()).unwrap(),
        body
    );
}

/// Issue 17: the server's message and code read the same whatever the status, and `Display`
/// shows them, with a card-number-long run of digits masked.
#[tokio::test]
async fn an_api_error_shows_the_servers_code_and_message() {
    let server = MockServer::start().await;
    let body = json!({
        "type": "error", "code": "bad_request", "status": 400,
        "message": "Card 4111111111111111 was declined", "details": []
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.api_code(), Some("bad_request"));
    assert_eq!(
        error.api_message(),
        Some("Card 4111111111111111 was declined")
    );
    assert_eq!(
        error.to_string(),
        "Gr4vy API error: HTTP 400 Bad Request (bad_request): Card ************1111 was declined"
    );
}

#[tokio::test]
async fn an_empty_or_wrong_2xx_body_is_a_decode_error_that_keeps_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": 5"))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status(), Some(reqwest::StatusCode::OK));
    assert_eq!(error.body(), Some(&b""[..]));
    assert_eq!(error.attempts(), 1);

    let error = Call::new(
        &client,
        Method::PUT,
        crate::http::Endpoint::new("test_call", "/test"),
        "/".to_owned(),
    )
    .send::<Value>()
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.body(), Some(&b"{\"id\": 5"[..]));
    assert!(std::error::Error::source(&error).is_some());

    // The same empty body is fine where the operation expects none.
    Call::new(
        &client,
        Method::GET,
        crate::http::Endpoint::new("test_call", "/test"),
        "/".to_owned(),
    )
    .send_empty()
    .await
    .unwrap();
}
