//! The fault matrix: real operations against a local server that misbehaves on purpose (resets,
//! truncated and oversized bodies, stalls, lying headers, HTML error pages, rate limits, 5XX
//! storms, bytes that are not HTTP). Each test pins what a caller gets: the [`ErrorKind`], how
//! many attempts were made (counted by the client and by the server), and the raw body when the
//! server sent one.
//!
//! The server (`support/faulty_server.rs`) writes raw bytes on a plain TCP socket, so it can send
//! what no HTTP library would: a body shorter than its `Content-Length`, a reset mid-body, bytes
//! that are not HTTP at all.
//!
//! Retry policies in play:
//! - the spec's default for GET operations: 5XX and connection errors (timeouts included), 200 ms
//!   apart, no retry starting after 1 s — so 5 attempts on an idle machine; the tests accept
//!   [`SPEC_DEFAULT_ATTEMPTS`] so that a loaded CI machine cannot make them flaky;
//! - none for POST operations unless configured;
//! - [`three_attempts`] where a test needs an exact count.

use std::error::Error as _;
use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use gr4vy::models::{Transaction, TransactionCreate};
use gr4vy::{ApiErrorBody, Backoff, Client, Error, ErrorKind, RequestOptions, RetryConfig};
use serde_json::json;

#[path = "support/faulty_server.rs"]
mod faulty_server;
#[path = "support/seeds.rs"]
mod seeds;

use faulty_server::{FaultyServer, Reply, head, response};
use seeds::docs_transaction;

/// How many attempts the spec's default GET policy makes against a server that always fails
/// fast: 5 (at 0, 200, 400, 600 and 800 ms) when attempts take no time, fewer if they are slow.
const SPEC_DEFAULT_ATTEMPTS: RangeInclusive<usize> = 3..=5;

const TEN_MB: usize = 10 * 1024 * 1024;

fn client(server: &FaultyServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer_token("t")
        .build()
        .expect("client builds")
}

fn client_with_timeout(server: &FaultyServer, timeout: Duration) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer_token("t")
        .timeout(timeout)
        .build()
        .expect("client builds")
}

fn no_retries() -> RequestOptions {
    RequestOptions::new().no_retries()
}

/// Retries 150 ms apart within 400 ms: attempts at 0, 150 and 300 ms, then no room for a fourth.
/// Exactly three attempts as long as each takes under 50 ms.
fn three_attempts() -> RetryConfig {
    RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(150),
        max_interval: Duration::from_millis(150),
        max_elapsed_time: Duration::from_millis(400),
        exponent: 1.0,
    })
}

/// `GET /transactions/t1`, retried by the spec's default policy unless `options` says otherwise.
async fn get(client: &Client, options: RequestOptions) -> Result<Transaction, Error> {
    client
        .transactions()
        .get("t1")
        .options(options)
        .send()
        .await
}

/// `POST /transactions`, not retried unless `options` says so.
async fn create(client: &Client, options: RequestOptions) -> Result<Transaction, Error> {
    client
        .transactions()
        .create(TransactionCreate::new(1299, "EUR"))
        .options(options)
        .send()
        .await
}

/// The transaction from Gr4vy's API docs, as JSON bytes.
fn transaction_json() -> Vec<u8> {
    serde_json::to_vec(&docs_transaction()).expect("serializes")
}

fn ok_transaction() -> Reply {
    Reply::json(200, transaction_json())
}

/// An nginx-style error page; `n` tells the attempts apart.
fn nginx_page(status: u16, reason: &str, n: usize) -> String {
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n\
         <center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n\
         <!-- attempt {n} -->\r\n</body>\r\n</html>\r\n"
    )
}

fn html_reply(status: u16, reason: &str, n: usize) -> Reply {
    Reply::response(
        status,
        &[("content-type", "text/html")],
        nginx_page(status, reason, n),
    )
}

fn status(error: &Error) -> Option<u16> {
    error.status().map(|status| status.as_u16())
}

fn header<'e>(error: &'e Error, name: &str) -> Option<&'e str> {
    error.headers()?.get(name)?.to_str().ok()
}

/// The client's count of attempts matches the server's, and is `expected`.
#[track_caller]
fn assert_attempts(error: &Error, server_count: usize, expected: usize) {
    assert_eq!(server_count, expected, "server count; {error:?}");
    assert_eq!(
        error.attempts() as usize,
        expected,
        "client count; {error:?}"
    );
}

/// The client's count of attempts matches the server's, and is within the spec's default budget.
#[track_caller]
fn assert_spec_default_attempts(error: &Error, server_count: usize) {
    assert!(
        SPEC_DEFAULT_ATTEMPTS.contains(&server_count),
        "retried within the budget: {server_count}; {error:?}"
    );
    assert_eq!(error.attempts() as usize, server_count, "{error:?}");
}

/// No response was kept: the failure happened before one was complete.
#[track_caller]
fn assert_no_response(error: &Error) {
    assert_eq!(error.status(), None, "{error:?}");
    assert!(error.headers().is_none(), "{error:?}");
    assert_eq!(error.body(), None, "{error:?}");
}

/// The error was a connection reset, and its message says so (not only reqwest's "error sending
/// request" or "error decoding response body", which hide the cause). Returns the I/O error's
/// message.
#[track_caller]
fn assert_reset(error: &Error) -> String {
    let mut cause = error.source();
    let io = loop {
        match cause {
            Some(c) => match c.downcast_ref::<std::io::Error>() {
                Some(io) => break io,
                None => cause = c.source(),
            },
            None => panic!("no I/O error among the causes: {error:?}"),
        }
    };
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionReset, "{error:?}");
    let message = io.to_string();
    assert!(error.to_string().contains(&message), "{error}");
    message
}

// 1. Connection reset before any response headers.

#[tokio::test]
async fn a_reset_before_the_response_is_a_transport_error_retried_on_a_get() {
    let server = FaultyServer::start(vec![Reply::new().reset()]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_reset(&error);
    assert_no_response(&error);
    assert_spec_default_attempts(&error, server.requests());
}

#[tokio::test]
async fn a_reset_before_the_response_is_one_attempt_without_retries_or_on_a_post() {
    let server = FaultyServer::start(vec![Reply::new().reset()]).await;
    let client = client(&server);
    let error = get(&client, no_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_reset(&error);
    assert_attempts(&error, server.requests(), 1);
    // A POST may have been processed before the reset: it is not retried by default.
    let error = create(&client, RequestOptions::new()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    let reset = assert_reset(&error);
    assert_attempts(&error, server.requests() - 1, 1);
    assert_eq!(server.recorded()[1].method, "POST");

    // Wrapped in another `gr4vy::Error` (by a token provider, say), the cause is shown once.
    let wrapped = Error::new(ErrorKind::Auth, error);
    assert_eq!(wrapped.to_string().matches(&reset).count(), 1, "{wrapped}");
}

#[tokio::test]
async fn a_get_recovers_from_a_reset_on_its_next_attempt() {
    let server = FaultyServer::start(vec![Reply::new().reset(), ok_transaction()]).await;
    let transaction = get(&client(&server), RequestOptions::new())
        .await
        .expect("the second attempt succeeds");
    assert_eq!(transaction.id, docs_transaction()["id"]);
    assert_eq!(server.requests(), 2);
    assert_eq!(server.connections(), 2, "a reset connection is not reused");
}

// 2. Connection cut mid-body: a body shorter than its `Content-Length` did not get through, so
// it is a transport failure (which a GET retries), not a decode failure of a body never whole.

/// Headers announcing 1000 bytes, 100 of them, a pause for the client to read them, then `end`.
fn cut_body(end: fn(Reply) -> Reply) -> Reply {
    let body = transaction_json();
    let reply = Reply::new()
        .bytes(head(200, &[("content-type", "application/json")], 1000))
        .bytes(&body[..100])
        .sleep(Duration::from_millis(50));
    end(reply)
}

#[tokio::test]
async fn a_body_cut_by_a_reset_is_a_transport_error() {
    let server = FaultyServer::start(vec![cut_body(Reply::reset)]).await;
    let client = client(&server);
    let error = get(&client, no_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_reset(&error);
    assert_no_response(&error);
    assert_attempts(&error, server.requests(), 1);

    let error = create(&client, RequestOptions::new()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_reset(&error);
    assert_attempts(&error, server.requests() - 1, 1);
}

#[tokio::test]
async fn a_body_cut_by_a_close_is_a_transport_error() {
    let server = FaultyServer::start(vec![cut_body(Reply::close)]).await;
    let error = get(&client(&server), no_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_no_response(&error);
    assert_attempts(&error, server.requests(), 1);
}

#[tokio::test]
async fn a_get_whose_body_was_cut_is_retried_into_success() {
    let server = FaultyServer::start(vec![cut_body(Reply::reset), ok_transaction()]).await;
    let transaction = get(&client(&server), RequestOptions::new())
        .await
        .expect("the second attempt succeeds");
    assert_eq!(transaction.id, docs_transaction()["id"]);
    assert_eq!(server.requests(), 2);
}

// 3. A complete response whose JSON is cut off.

#[tokio::test]
async fn truncated_json_is_a_decode_error_keeping_the_body_byte_for_byte() {
    let json = transaction_json();
    let truncated = json[..json.len() / 2].to_vec();
    let server = FaultyServer::start(vec![Reply::json(200, &truncated)]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(status(&error), Some(200));
    assert_eq!(error.body(), Some(&truncated[..]));
    assert_eq!(header(&error, "content-type"), Some("application/json"));
    // A 2XX is final, even from an operation that retries.
    assert_attempts(&error, server.requests(), 1);
    let cause = error
        .source()
        .and_then(|s| s.downcast_ref::<serde_json::Error>());
    assert!(cause.is_some_and(serde_json::Error::is_eof), "{error:?}");
}

// 4. Ten-megabyte bodies.

#[tokio::test]
async fn a_10_mb_list_page_decodes_every_item() {
    // Items of the docs' transaction, each with its own ID, until they weigh 10 MB. Spliced as
    // text: building a `Value` per item takes seconds in a debug build.
    let mut transaction = docs_transaction();
    transaction["id"] = json!("@ID@");
    let item = serde_json::to_string(&transaction).expect("serializes");
    let mut page = String::from(r#"{"items":["#);
    let mut count = 0;
    while page.len() < TEN_MB {
        if count > 0 {
            page.push(',');
        }
        page.push_str(&item.replace("@ID@", &format!("t-{count}")));
        count += 1;
    }
    page.push_str(r#"],"limit":100,"next_cursor":null}"#);
    let server = FaultyServer::start(vec![Reply::json(200, page)]).await;
    let page = client(&server)
        .transactions()
        .list()
        .send()
        .await
        .expect("decodes");
    assert_eq!(page.items.len(), count);
    assert_eq!(page.items[count - 1].id, format!("t-{}", count - 1));
    assert_eq!(server.recorded()[0].path, "/transactions");
}

#[tokio::test]
async fn a_10_mb_html_500_on_a_post_is_kept_whole() {
    let line = b"<p>upstream overloaded, please try again later</p>\n";
    let body: Vec<u8> = line.iter().copied().cycle().take(TEN_MB).collect();
    let server = FaultyServer::start(vec![Reply::response(
        500,
        &[("content-type", "text/html")],
        &body,
    )])
    .await;
    let error = create(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(status(&error), Some(500));
    assert!(error.api_error().is_none());
    let kept = error.body().expect("the body is kept");
    assert_eq!(kept.len(), TEN_MB);
    assert!(kept == &body[..], "the body is kept byte for byte");
    assert_attempts(&error, server.requests(), 1);
    // `Debug` shows a preview, not ten megabytes.
    assert!(format!("{error:?}").len() < 2_000);
}

// 5. A server slower than the timeout. The timeout bounds each whole attempt, headers and body.

#[tokio::test]
async fn headers_that_never_come_time_out_and_a_get_retries_the_timeout() {
    let server = FaultyServer::start(vec![Reply::new().sleep(Duration::from_secs(2))]).await;
    let client = client_with_timeout(&server, Duration::from_millis(200));
    let started = Instant::now();
    let error = get(&client, RequestOptions::new()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_no_response(&error);
    // Timeouts count as connection errors: attempts end at 200, 600 and 1000 ms (each timeout
    // then a 200 ms wait), and the 1 s budget leaves no room for a fourth.
    let attempts = server.requests();
    assert!((2..=3).contains(&attempts), "{attempts}; {error:?}");
    assert_eq!(error.attempts() as usize, attempts);
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn headers_that_never_come_time_out_once_without_retries() {
    let server = FaultyServer::start(vec![Reply::new().sleep(Duration::from_secs(2))]).await;
    let client = client_with_timeout(&server, Duration::from_millis(200));
    let started = Instant::now();
    let error = get(&client, no_retries()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_attempts(&error, server.requests(), 1);
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn a_body_trickling_past_the_timeout_times_out() {
    // Headers at once, then a byte every 50 ms: every gap is well within the 300 ms timeout, but
    // the whole body would take a second.
    let mut reply = Reply::new().bytes(head(200, &[("content-type", "application/json")], 20));
    for _ in 0..20 {
        reply = reply.sleep(Duration::from_millis(50)).bytes(" ");
    }
    let server = FaultyServer::start(vec![reply]).await;
    let client = client_with_timeout(&server, Duration::from_millis(300));
    let started = Instant::now();
    let error = get(&client, no_retries()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_no_response(&error);
    assert_attempts(&error, server.requests(), 1);
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
}

// 6. Invalid UTF-8 inside a JSON string.

#[tokio::test]
async fn invalid_utf8_in_a_json_string_is_a_decode_error_keeping_the_bytes() {
    let mut transaction = docs_transaction();
    transaction["id"] = json!("@ID@");
    let text = serde_json::to_vec(&transaction).expect("serializes");
    let at = text
        .windows(4)
        .position(|w| w == b"@ID@")
        .expect("placeholder");
    let mut body = text[..at].to_vec();
    body.extend_from_slice(b"t\xff\xfe1");
    body.extend_from_slice(&text[at + 4..]);
    assert!(std::str::from_utf8(&body).is_err());

    let server = FaultyServer::start(vec![Reply::json(200, &body)]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(status(&error), Some(200));
    assert_eq!(error.body(), Some(&body[..]));
    assert_attempts(&error, server.requests(), 1);
}

// 7. A `Content-Type` that lies.

#[tokio::test]
async fn a_json_body_labelled_text_html_still_decodes() {
    // The runtime decodes by status and bytes, not by `Content-Type`: a proxy or gateway that
    // mislabels a good body costs the caller nothing.
    let server = FaultyServer::start(vec![Reply::response(
        200,
        &[("content-type", "text/html; charset=utf-8")],
        transaction_json(),
    )])
    .await;
    let transaction = get(&client(&server), RequestOptions::new())
        .await
        .expect("decodes");
    assert_eq!(transaction.id, docs_transaction()["id"]);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_html_body_labelled_json_is_a_decode_error() {
    let page = nginx_page(200, "OK", 1);
    let server = FaultyServer::start(vec![Reply::json(200, &page)]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(status(&error), Some(200));
    assert_eq!(error.body(), Some(page.as_bytes()));
    assert_attempts(&error, server.requests(), 1);
}

#[tokio::test]
async fn an_html_400_labelled_json_is_an_api_error_without_a_typed_body() {
    let page = nginx_page(400, "Bad Request", 1);
    let server = FaultyServer::start(vec![Reply::json(400, &page)]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(status(&error), Some(400));
    assert!(error.api_error().is_none(), "{error:?}");
    assert_eq!(error.body(), Some(page.as_bytes()));
    // A 4XX is not retried.
    assert_attempts(&error, server.requests(), 1);

    // The same status with the declared JSON body is typed.
    let body = r#"{"type":"error","code":"bad_request","status":400,"message":"Bad currency"}"#;
    let server = FaultyServer::start(vec![Reply::json(400, body)]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    match error.api_error() {
        Some(ApiErrorBody::Error400(typed)) => {
            assert_eq!(typed.message, "Bad currency");
        }
        other => panic!("expected a typed 400 body, got {other:?}"),
    }
    assert_eq!(error.body(), Some(body.as_bytes()));
    // The same through the accessors every status shares, and in `Display`.
    assert_eq!(error.api_message(), Some("Bad currency"));
    assert_eq!(error.api_code(), Some("bad_request"));
    assert!(
        error
            .to_string()
            .starts_with("Gr4vy API error: HTTP 400 Bad Request (bad_request): Bad currency"),
        "{error}"
    );
    // A 409 body is another type, read the same way.
    let body = r#"{"type":"error","code":"duplicate_record","status":409,"message":"Exists"}"#;
    let server = FaultyServer::start(vec![Reply::json(409, body)]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error.api_error(), Some(ApiErrorBody::Error409(_))),
        "{error:?}"
    );
    assert_eq!(error.api_code(), Some("duplicate_record"));
    assert_eq!(error.api_message(), Some("Exists"));
}

// 8. HTML error pages from a proxy.

#[tokio::test]
async fn html_error_pages_on_a_post_are_api_errors_after_one_attempt() {
    for (code, reason) in [(500, "Internal Server Error"), (502, "Bad Gateway")] {
        let server = FaultyServer::start(vec![html_reply(code, reason, 1)]).await;
        let error = create(&client(&server), RequestOptions::new())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
        assert_eq!(status(&error), Some(code));
        assert!(error.api_error().is_none(), "{error:?}");
        assert_eq!(error.body(), Some(nginx_page(code, reason, 1).as_bytes()));
        assert_eq!(header(&error, "content-type"), Some("text/html"));
        assert_attempts(&error, server.requests(), 1);
    }
}

#[tokio::test]
async fn html_error_pages_on_a_get_are_retried_then_the_last_page_is_returned() {
    let pages = |n: usize| match n % 2 {
        0 => (502, "Bad Gateway"),
        _ => (500, "Internal Server Error"),
    };
    let replies = (1..=8)
        .map(|n| {
            let (code, reason) = pages(n);
            html_reply(code, reason, n)
        })
        .collect();
    let server = FaultyServer::start(replies).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_spec_default_attempts(&error, server.requests());
    let last = server.requests();
    let (code, reason) = pages(last);
    assert_eq!(status(&error), Some(code));
    assert_eq!(
        error.body(),
        Some(nginx_page(code, reason, last).as_bytes())
    );
    assert!(error.api_error().is_none());
}

// 9. Rate limiting and `Retry-After`.

const RATE_LIMITED: &str =
    r#"{"type":"error","code":"too_many_requests","status":429,"message":"Slow down"}"#;

fn rate_limited(retry_after: &str) -> Reply {
    Reply::response(
        429,
        &[
            ("content-type", "application/json"),
            ("retry-after", retry_after),
        ],
        RATE_LIMITED,
    )
}

#[tokio::test]
async fn a_429_is_not_retried_by_the_spec_default_and_keeps_retry_after() {
    // The spec retries 5XX only, so a 429 goes straight back to the caller, who has its
    // `Retry-After`.
    let server = FaultyServer::start(vec![rate_limited("1"), ok_transaction()]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(status(&error), Some(429));
    assert_eq!(header(&error, "retry-after"), Some("1"));
    assert!(matches!(error.api_error(), Some(ApiErrorBody::Error429(_))));
    assert_eq!(error.body(), Some(RATE_LIMITED.as_bytes()));
    assert_attempts(&error, server.requests(), 1);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_for_when_429_is_retried() {
    let server = FaultyServer::start(vec![rate_limited("1"), ok_transaction()]).await;
    let retries = RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        max_elapsed_time: Duration::from_secs(3),
        exponent: 1.0,
    })
    .status_codes(["429", "5XX"]);
    let started = Instant::now();
    let transaction = get(&client(&server), RequestOptions::new().retries(retries))
        .await
        .expect("the second attempt succeeds");
    let elapsed = started.elapsed();
    assert_eq!(transaction.id, docs_transaction()["id"]);
    assert_eq!(server.requests(), 2);
    // `Retry-After: 1` replaced the 10 ms backoff.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_fails_at_once() {
    // A 503 is retried by the spec's default, but not when the server asks for 30 s and the
    // budget is 1 s: the call returns that response rather than sleeping past the budget.
    let server = FaultyServer::start(vec![
        Reply::response(503, &[("retry-after", "30")], "busy"),
        ok_transaction(),
    ])
    .await;
    let started = Instant::now();
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(status(&error), Some(503));
    assert_eq!(header(&error, "retry-after"), Some("30"));
    assert_eq!(error.body(), Some(&b"busy"[..]));
    assert_attempts(&error, server.requests(), 1);
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
}

// 10. and 11. 5XX storms.

fn storm() -> Vec<Reply> {
    (1..=10)
        .map(|n| Reply::json(503, format!(r#"{{"attempt":{n}}}"#)))
        .collect()
}

#[tokio::test]
async fn a_503_storm_on_a_get_stops_within_the_spec_budget() {
    let server = FaultyServer::start(storm()).await;
    let started = Instant::now();
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(status(&error), Some(503));
    assert_spec_default_attempts(&error, server.requests());
    let last = format!(r#"{{"attempt":{}}}"#, server.requests());
    assert_eq!(
        error.body(),
        Some(last.as_bytes()),
        "the last attempt's body"
    );
    // 200 ms between attempts, and no attempt starting after 1 s.
    let waits = Duration::from_millis(200) * (error.attempts() - 1);
    assert!(elapsed >= waits, "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(
        server.connections(),
        1,
        "keep-alive: one connection for every attempt"
    );
}

#[tokio::test]
async fn a_503_storm_on_a_post_is_one_attempt_without_an_idempotency_key() {
    let server = FaultyServer::start(storm()).await;
    let error = create(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(status(&error), Some(503));
    assert_eq!(error.body(), Some(&br#"{"attempt":1}"#[..]));
    assert_attempts(&error, server.requests(), 1);
    assert_eq!(server.recorded()[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn a_503_storm_on_a_retried_post_resends_one_idempotency_key() {
    let server = FaultyServer::start(storm()).await;
    let client = client(&server);
    let error = create(&client, RequestOptions::new().retries(three_attempts()))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error:?}");
    assert_eq!(error.body(), Some(&br#"{"attempt":3}"#[..]));
    assert_attempts(&error, server.requests(), 3);
    let requests = server.recorded();
    let key = requests[0]
        .header("idempotency-key")
        .expect("a generated key");
    assert_eq!(key.len(), 36, "a UUID: {key}");
    assert_eq!(key.as_bytes()[14], b'4', "a version 4 UUID: {key}");
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.header("idempotency-key"), Some(key));
        assert_eq!(
            request.body, requests[0].body,
            "the same body on every attempt"
        );
    }

    // The caller's own key is the one resent.
    let error = client
        .transactions()
        .create(TransactionCreate::new(1299, "EUR"))
        .idempotency_key("order-42")
        .options(RequestOptions::new().retries(three_attempts()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 3);
    let requests = server.recorded();
    assert_eq!(requests.len(), 6);
    for request in &requests[3..] {
        assert_eq!(request.header("idempotency-key"), Some("order-42"));
    }
}

// 12. No body where one is due.

#[tokio::test]
async fn an_empty_200_is_a_decode_error_with_an_empty_body() {
    let server = FaultyServer::start(vec![Reply::json(200, "")]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(status(&error), Some(200));
    assert_eq!(error.body(), Some(&b""[..]));
    assert!(error.to_string().contains("empty"), "{error}");
    assert_attempts(&error, server.requests(), 1);
}

#[tokio::test]
async fn a_204_from_an_operation_that_declares_a_body_is_a_decode_error() {
    let server =
        FaultyServer::start(vec![Reply::new().bytes("HTTP/1.1 204 No Content\r\n\r\n")]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error:?}");
    assert_eq!(status(&error), Some(204));
    assert_eq!(error.body(), Some(&b""[..]));
    assert_attempts(&error, server.requests(), 1);
}

// 13. Servers that do not speak HTTP.

#[tokio::test]
async fn bytes_that_are_not_http_are_a_transport_error() {
    let ssh = Reply::new().bytes("SSH-2.0-OpenSSH_9.6\r\n").close();
    let server = FaultyServer::start(vec![ssh]).await;
    let client = client(&server);
    let error = get(&client, no_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_no_response(&error);
    assert_attempts(&error, server.requests(), 1);

    // No response came back, so a GET retries it like a connection error.
    let error = get(&client, RequestOptions::new()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_spec_default_attempts(&error, server.requests() - 1);
}

#[tokio::test]
async fn a_malformed_chunked_body_is_a_transport_error() {
    let reply = Reply::new()
        .bytes("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
        .bytes("zz\r\n{}\r\n0\r\n\r\n")
        .close();
    let server = FaultyServer::start(vec![reply]).await;
    let error = get(&client(&server), no_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_no_response(&error);
    assert_attempts(&error, server.requests(), 1);
}

#[tokio::test]
async fn a_server_that_hangs_up_on_accept_is_a_transport_error_retried_on_a_get() {
    let server = FaultyServer::start_hanging_up().await;
    let client = client(&server);
    let error = get(&client, RequestOptions::new()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_no_response(&error);
    assert_spec_default_attempts(&error, server.connections());
    assert_eq!(server.requests(), 0);

    let before = server.connections();
    let error = get(&client, no_retries()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_attempts(&error, server.connections() - before, 1);
}

/// `response` builds what `Reply::response` sends; checked here so the helpers stay honest.
#[test]
fn the_server_helpers_write_plain_http() {
    let bytes = response(200, &[("x-a", "b")], "{}");
    assert_eq!(
        bytes,
        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-a: b\r\n\r\n{}".to_vec()
    );
}
