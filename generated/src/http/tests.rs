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
    let mut call = Call::new(client, Method::GET, path.to_owned());
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
    let mut call = Call::new(&client, Method::POST, "/buyers".to_owned());
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
    Call::new(&custom, Method::POST, "/x".to_owned())
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
async fn get_retries_503_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t1"})))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let started = Instant::now();
    let body: Value = get(&client, "/transactions/t1").send().await.unwrap();
    assert_eq!(body, json!({"id": "t1"}));
    assert_eq!(requests(&server).await.len(), 3);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(400),
        "two 200 ms waits: {elapsed:?}"
    );
}

#[tokio::test]
async fn get_gives_up_on_a_persistent_503_within_the_budget() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let started = Instant::now();
    let error = get(&client, "/transactions")
        .send::<Value>()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let sent = requests(&server).await.len();
    // The budget stops new waits at 1 s; the last attempt itself may run past it.
    assert!(elapsed < Duration::from_millis(1_500), "{elapsed:?}");
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.body(), Some(&b"busy"[..]));
    assert_eq!(error.attempts() as usize, sent);
    assert!((3..=6).contains(&sent), "200 ms apart within 1 s: {sent}");
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = respond(503).await;
    let client = client_for(&server).build().unwrap();
    let mut call = Call::new(&client, Method::POST, "/transactions".to_owned());
    call.idempotency_key_header("Idempotency-Key");
    call.json(&json!({"amount": 100}));
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.attempts(), 1);
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(
        header(&seen[0], "idempotency-key"),
        None,
        "no retries, no generated key"
    );
}

#[tokio::test]
async fn post_with_client_retries_reuses_one_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "t1"})))
        .mount(&server)
        .await;
    let client = client_for(&server)
        .retries(quick_retries())
        .build()
        .unwrap();
    let mut call = Call::new(&client, Method::POST, "/transactions".to_owned());
    call.idempotency_key_header("Idempotency-Key");
    call.json(&json!({"amount": 100}));
    let body: Value = call.send().await.unwrap();
    assert_eq!(body["id"], "t1");

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 3);
    let keys: Vec<_> = seen.iter().map(|r| header(r, "idempotency-key")).collect();
    let key = keys[0].expect("a generated key");
    assert_eq!(key.len(), 36, "a UUID: {key}");
    assert!(keys.iter().all(|k| *k == Some(key)), "{keys:?}");
    assert!(seen.iter().all(|r| r.body == br#"{"amount":100}"#));

    // A key the caller sets is kept.
    let mut call = Call::new(&client, Method::POST, "/transactions".to_owned());
    call.idempotency_key_header("Idempotency-Key");
    call.header("Idempotency-Key", &Some("mine"));
    let _: Value = call.send().await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(header(&seen[3], "idempotency-key"), Some("mine"));
}

#[tokio::test]
async fn retry_after_replaces_the_backoff_within_the_budget() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let generous = RetryConfig::backoff(Backoff {
        max_elapsed_time: Duration::from_secs(3),
        ..*quick_retries().backoff_settings().unwrap()
    });
    let client = client_for(&server).retries(generous).build().unwrap();
    let started = Instant::now();
    let _: Value = get(&client, "/").send().await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1),
        "waited as asked: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_millis(1_800), "{elapsed:?}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let started = Instant::now();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        error
            .headers()
            .and_then(|h| h.get("retry-after"))
            .map(|v| v.as_bytes()),
        Some(&b"30"[..])
    );
}

#[tokio::test]
async fn no_retries_per_call_wins_over_the_spec_default() {
    let server = respond(500).await;
    let client = client_for(&server).build().unwrap();
    let mut call = get(&client, "/");
    call.options(RequestOptions::new().no_retries());
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(requests(&server).await.len(), 1);
    // And a client-level `none` turns the spec default off for every call.
    let client = client_for(&server)
        .retries(RetryConfig::none())
        .build()
        .unwrap();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn per_call_retries_apply_to_that_call_only() {
    let server = respond(503).await;
    let client = client_for(&server).build().unwrap();
    let mut call = Call::new(&client, Method::GET, "/x".to_owned());
    call.options(RequestOptions::new().retries(RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        max_elapsed_time: Duration::from_millis(100),
        exponent: 1.0,
    })));
    let error = call.send_empty().await.unwrap_err();
    assert!(error.attempts() > 2, "{}", error.attempts());
    let before = requests(&server).await.len();
    let error = Call::new(&client, Method::GET, "/x".to_owned())
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(requests(&server).await.len(), before + 1);
}

#[tokio::test]
async fn a_policy_never_repeats_a_call_that_is_not_safe_to_repeat() {
    let server = respond(503).await;
    let client = client_for(&server)
        .retries(RetryConfig::backoff(Backoff {
            initial_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(10),
            max_elapsed_time: Duration::from_millis(500),
            exponent: 1.0,
        }))
        .build()
        .unwrap();
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let error = Call::new(&client, method.clone(), "/x".to_owned())
            .send_empty()
            .await
            .unwrap_err();
        assert_eq!(error.attempts(), 1, "{method}");
        assert!(error.may_have_been_processed());
        assert!(error.to_string().contains("not retried"), "{error}");
    }
    assert_eq!(requests(&server).await.len(), 3);
    // A declared idempotency-key header makes the same calls repeatable.
    let mut call = Call::new(&client, Method::POST, "/x".to_owned());
    call.idempotency_key_header("idempotency-key");
    let error = call.send_empty().await.unwrap_err();
    assert!(error.attempts() > 1, "{error}");
    assert!(!error.to_string().contains("not retried"), "{error}");
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

    let error = Call::new(&client, Method::PUT, "/".to_owned())
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.body(), Some(&b"{\"id\": 5"[..]));
    assert!(std::error::Error::source(&error).is_some());

    // The same empty body is fine where the operation expects none.
    Call::new(&client, Method::GET, "/".to_owned())
        .send_empty()
        .await
        .unwrap();
}

/// Records what each hook saw.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
}

struct Recording(Arc<Recorder>, &'static str);

impl Hooks for Recording {
    fn before_request(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let name = reqwest::header::HeaderName::from_static("x-hook");
        request.headers_mut().append(name, self.1.parse().unwrap());
        self.0
            .events
            .lock()
            .unwrap()
            .push(format!("{} before {}", self.1, request.url().path()));
        Ok(())
    }

    fn after_response(&self, response: &reqwest::Response) {
        self.0.events.lock().unwrap().push(format!(
            "{} after {}",
            self.1,
            response.status().as_u16()
        ));
    }

    fn on_error(&self, error: &Error) {
        self.0
            .events
            .lock()
            .unwrap()
            .push(format!("{} error {:?}", self.1, error.kind()));
    }
}

#[tokio::test]
async fn hooks_run_in_order_around_each_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let client = client_for(&server)
        .hook(Recording(recorder.clone(), "one"))
        .hook(Recording(recorder.clone(), "two"))
        .build()
        .unwrap();
    let _: Value = get(&client, "/ok").send().await.unwrap();
    let _ = Call::new(&client, Method::POST, "/conflict".to_owned())
        .send_empty()
        .await;

    let seen = requests(&server).await;
    let tags: Vec<_> = seen[0]
        .headers
        .get_all("x-hook")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(tags, ["one", "two"]);
    assert_eq!(
        *recorder.events.lock().unwrap(),
        [
            "one before /ok",
            "two before /ok",
            "one after 200",
            "two after 200",
            "one before /conflict",
            "two before /conflict",
            "one after 409",
            "two after 409",
            "one error Api",
            "two error Api",
        ]
    );
}

#[tokio::test]
async fn a_hook_can_refuse_a_request() {
    struct Refuse;
    impl Hooks for Refuse {
        fn before_request(&self, _: &mut reqwest::Request) -> Result<(), Error> {
            Err(Error::new(ErrorKind::InvalidRequest, "not today"))
        }
    }
    let server = respond(200).await;
    let client = client_for(&server).hook(Refuse).build().unwrap();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(error.attempts(), 0);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn build_problems_surface_from_send_and_reach_on_error() {
    let server = respond(200).await;
    let recorder = Arc::new(Recorder::default());
    let client = client_for(&server)
        .hook(Recording(recorder.clone(), "h"))
        .build()
        .unwrap();
    let mut call = get(&client, "/");
    call.header("x-bad", "line\nbreak");
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(
        !error.to_string().contains("line"),
        "the value is not quoted: {error}"
    );
    let mut call = get(&client, "/");
    call.query("filter", &std::collections::BTreeMap::from([("a", 1)]));
    assert_eq!(
        call.send::<Value>().await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    let mut call = get(&client, "/");
    call.options(RequestOptions::new().header("bad name", "v"));
    assert_eq!(
        call.send::<Value>().await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    assert!(requests(&server).await.is_empty());
    assert_eq!(recorder.events.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn per_call_base_url_and_headers() {
    let server = respond(200).await;
    let other = respond(200).await;
    let client = client_for(&server).bearer_token("t").build().unwrap();
    let mut call = get(&client, "/x");
    call.options(
        RequestOptions::new()
            .base_url(format!("{}/prefix/", other.uri()))
            .bearer_token("per-call")
            .header("x-extra", "1"),
    );
    let _: Value = call.send().await.unwrap();
    assert!(requests(&server).await.is_empty());
    let seen = requests(&other).await;
    assert_eq!(seen[0].url.path(), "/prefix/x");
    assert_eq!(header(&seen[0], "authorization"), Some("Bearer per-call"));
    assert_eq!(header(&seen[0], "x-extra"), Some("1"));
}

/// A port where nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_retried_on_gets() {
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(error.attempts() >= 3, "{}", error.attempts());
    assert!(started.elapsed() < Duration::from_millis(1_500));
    assert!(error.status().is_none() && error.body().is_none());
    let error = Call::new(&client, Method::POST, "/".to_owned())
        .send_empty()
        .await
        .unwrap_err();
    assert_eq!((error.kind(), error.attempts()), (ErrorKind::Transport, 1));
}

/// Serves one connection per reply on 127.0.0.1: reads the request head, writes the reply and
/// closes the connection.
fn raw_server(replies: Vec<&'static [u8]>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for reply in replies {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
            let mut head = Vec::new();
            let mut byte = [0; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            stream.write_all(reply).ok();
        }
    });
    port
}

const CUT_BODY: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{\"id\":";
const FULL_BODY: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\nconnection: close\r\n\r\n{\"id\":\"t\"}";

#[tokio::test]
async fn a_reset_before_headers_and_a_cut_body_are_transport_errors() {
    for reply in [&b""[..], CUT_BODY] {
        let port = raw_server(vec![reply]);
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}"))
            .build()
            .unwrap();
        let mut call = get(&client, "/");
        call.options(RequestOptions::new().no_retries());
        let error = call.send::<Value>().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
        assert_eq!(error.attempts(), 1);
    }
}

#[tokio::test]
async fn a_get_cut_short_is_retried() {
    let port = raw_server(vec![CUT_BODY, FULL_BODY]);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let body: Value = get(&client, "/").send().await.unwrap();
    assert_eq!(body, json!({"id": "t"}));
}

#[test]
fn debug_output_never_shows_credentials() {
    let builder = Client::builder()
        .bearer_token("super-secret-token")
        .global("x-test-global", "ma");
    let text = format!("{builder:?}");
    assert!(!text.contains("super-secret-token"), "{text}");
    assert!(text.contains("redacted"), "{text}");
    let client = builder.build().unwrap();
    let text = format!("{client:?} {client:#?}");
    assert!(!text.contains("super-secret-token"), "{text}");
    let provider = Client::builder().token_provider(|| Ok("provided-secret".to_owned()));
    assert!(!format!("{provider:?}").contains("provided-secret"));
    let options = RequestOptions::new().header("authorization", "Bearer per-call-secret");
    assert!(!format!("{options:?}").contains("per-call-secret"));
    let error = Client::builder()
        .bearer_token("bad\ntoken-secret")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(!format!("{error} {error:?}").contains("token-secret"));
}

#[test]
fn futures_and_errors_can_cross_threads() {
    fn send<T: Send>(_: &T) {}
    fn send_sync_static<T: Send + Sync + 'static>() {}
    send_sync_static::<Client>();
    send_sync_static::<Error>();
    let client = Client::builder().build().unwrap();
    let mut call = get(&client, "/");
    send(&call.send::<Value>());
    let pages = pages(
        None,
        1_u32,
        |n: u32| async move { Ok::<_, Error>(n) },
        |_: &u32| None,
        |_: &mut u32, _| {},
    );
    send(&items(pages, |n| vec![n]));
}

/// A `tracing` subscriber that keeps every event's fields as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields<'a>(&'a mut String);
        impl tracing::field::Visit for Fields<'_> {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!("{}={:?} ", field.name(), value));
            }
        }
        let mut text = self.0.lock().unwrap();
        event.record(&mut Fields(&mut text));
        text.push('\n');
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn tracing_events_name_the_request_but_never_the_token() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let client = client_for(&server)
        .bearer_token("tracing-secret")
        .retries(quick_retries())
        .build()
        .unwrap();
    {
        // The test runtime is single-threaded, so the whole call runs under this subscriber.
        let _guard = tracing::subscriber::set_default(capture.clone());
        let mut call = get(&client, "/buyers/b1");
        call.query("email", "someone@example.com");
        let _: Value = call.send().await.unwrap();
    }
    let text = capture.0.lock().unwrap().clone();
    assert!(text.contains("path=\"/buyers/b1\""), "{text}");
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("attempt=2"), "{text}");
    assert!(!text.contains("tracing-secret"), "{text}");
    assert!(
        !text.contains("someone"),
        "query values stay out of logs: {text}"
    );
}
