//! What the client refuses to do, however it is configured or whatever a server answers: address
//! another resource than the caller named, follow a redirect, send credentials in clear text or
//! to a host a variable smuggled in, repeat a call that could charge or pay out twice, retry in a
//! storm, page forever, wait forever, or hold an unbounded body. Each test here failed before the
//! rule it pins existed.
//!
//! Most run against `support/faulty_server.rs`, a raw TCP server that answers exactly the bytes
//! a test scripts and records every request it reads.

use std::time::{Duration, Instant};

use futures::StreamExt;
use gr4vy::models::{
    PaymentMethodStoredCard, PayoutCreate, PayoutCreateRequired, Transaction, TransactionCreate,
};
use gr4vy::{Backoff, Client, Error, ErrorKind, RequestOptions, RetryConfig};

#[path = "support/faulty_server.rs"]
#[allow(dead_code)] // each test binary uses part of the server
mod faulty_server;
#[path = "support/seeds.rs"]
mod seeds;

use faulty_server::{FaultyServer, Reply};

fn client(server: &FaultyServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer_token("t")
        .build()
        .expect("client builds")
}

/// A policy that would retry anything, often: what a caller might configure client-wide.
fn eager_retries() -> RetryConfig {
    RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(20),
        max_elapsed_time: Duration::from_secs(5),
        exponent: 1.0,
    })
    .status_codes(["5XX", "429"])
}

/// `GET /transactions/t1` with `options`.
async fn get(client: &Client, options: RequestOptions) -> Result<Transaction, Error> {
    client
        .transactions()
        .get("t1")
        .options(options)
        .send()
        .await
}

/// A client whose every call may be retried by [`eager_retries`], as far as the call allows.
fn retrying_client(server: &FaultyServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .bearer_token("t")
        .retries(eager_retries())
        .build()
        .unwrap()
}

fn payout() -> PayoutCreate {
    PayoutCreate::new(PayoutCreateRequired {
        amount: 1299,
        currency: "EUR".into(),
        payment_service_id: "ps-1".into(),
        payment_method: PaymentMethodStoredCard::new("pm-1").into(),
    })
}

fn transaction_json() -> Vec<u8> {
    serde_json::to_vec(&seeds::docs_transaction()).expect("serializes")
}

// Requests go where the caller meant, and only there.

#[tokio::test]
async fn path_parameters_that_would_climb_or_collapse_are_refused_before_sending() {
    let server = FaultyServer::start(vec![Reply::json(204, "")]).await;
    let client = client(&server);
    for bad in ["..", ".", ""] {
        let error = client
            .buyers()
            .shipping_details()
            .delete("victim-buyer", bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{bad:?}: {error}");
        assert!(!error.may_have_been_processed());
        let error = client.buyers().get(bad).send().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{bad:?}: {error}");
        assert!(error.to_string().contains("/buyers/{HERE}"), "{error}");
    }
    assert_eq!(server.requests(), 0);
    // Dots among other characters are an ordinary, encoded segment.
    let _ = client.buyers().get("..a").send().await;
    assert_eq!(server.recorded()[0].path, "/buyers/..a");
}

#[tokio::test]
async fn a_redirect_is_an_error_that_keeps_the_response_and_is_never_followed() {
    let elsewhere = FaultyServer::start(vec![Reply::json(200, transaction_json())]).await;
    let location = format!("{}/transactions", elsewhere.url());
    for status in [301, 302, 303, 307, 308] {
        let server = FaultyServer::start(vec![Reply::response(
            status,
            &[("location", &location)],
            "moved",
        )])
        .await;
        let client = Client::builder()
            .base_url(server.url())
            .bearer_token("t")
            .merchant_account_id("m-1")
            .retries(eager_retries().status_codes(["3XX", "5XX"]))
            .build()
            .unwrap();
        let error = client
            .transactions()
            .create(TransactionCreate::new(1299, "EUR"))
            .idempotency_key("k-1")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Api, "{status}: {error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        let kept = error.headers().and_then(|h| h.get("location"));
        assert_eq!(kept.and_then(|v| v.to_str().ok()), Some(location.as_str()));
        assert_eq!(error.body(), Some(&b"moved"[..]));
        assert_eq!(error.attempts(), 1, "a redirect is never retried");
        assert_eq!(server.requests(), 1);
    }
    assert_eq!(elsewhere.requests(), 0, "nothing reached the other origin");
}

#[tokio::test]
async fn server_variables_must_be_one_dns_label() {
    for bad in [
        "evil.example/",
        "evil.example#",
        "user@evil.example",
        "acme:8443/",
        "",
        "a.b",
    ] {
        let error = Client::builder()
            .server_variable("id", bad)
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{bad:?}");
        assert!(error.to_string().contains("DNS label"), "{error}");
    }
    let client = Client::builder()
        .server_variable("id", "acme-eu")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.sandbox.acme-eu.gr4vy.app");
}

#[tokio::test]
async fn base_urls_with_a_query_fragment_or_credentials_are_refused_and_never_shown() {
    for bad in [
        "https://proxy.example/api?x=1",
        "https://proxy.example/api#frag",
        "http://user:PASSWORD@127.0.0.1:1/api",
    ] {
        let builder = Client::builder().base_url(bad);
        assert!(!format!("{builder:?}").contains("PASSWORD"));
        let error = builder.build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{bad}");
        assert!(
            !format!("{error} {error:?}").contains("PASSWORD"),
            "{error}"
        );
    }
    // The same rules per call, before anything is sent.
    let server = FaultyServer::start(vec![Reply::json(200, transaction_json())]).await;
    let options =
        RequestOptions::new().base_url(format!("http://u:PASSWORD@{}", &server.url()[7..]));
    assert!(!format!("{options:?}").contains("PASSWORD"));
    let error = get(&client(&server), options).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(!format!("{error} {error:?}").contains("PASSWORD"));
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn credentials_never_go_over_plain_http_to_another_host_unless_allowed() {
    let key = gr4vy::auth::PrivateKey::from_pem(include_str!("support/test_key.pem")).unwrap();
    for builder in [
        Client::builder().bearer_token("secret-token"),
        Client::builder().private_key(key),
        Client::builder().token_provider(|| Ok("t".to_owned())),
    ] {
        let error = builder
            .clone()
            .base_url("http://api.example.com")
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        assert!(error.to_string().contains("plain HTTP"), "{error}");
        assert!(!error.to_string().contains("secret-token"));
        builder
            .clone()
            .base_url("http://api.example.com")
            .allow_insecure_http()
            .build()
            .expect("allowed by name");
        builder
            .base_url("https://api.example.com")
            .build()
            .expect("https is fine");
    }
    // Without credentials there is nothing to protect.
    Client::builder()
        .base_url("http://api.example.com")
        .build()
        .unwrap();

    // A call whose base URL is switched to plain HTTP elsewhere is refused before sending.
    let server = FaultyServer::start(vec![Reply::json(200, transaction_json())]).await;
    let error = get(
        &client(&server),
        RequestOptions::new().base_url("http://192.0.2.1"),
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
    assert!(!error.may_have_been_processed());
    // Loopback is allowed, for local tests and sidecars.
    client(&server)
        .transactions()
        .get("t1")
        .send()
        .await
        .expect("loopback");
}

#[tokio::test]
async fn framing_headers_cannot_be_set_per_call() {
    // A `Content-Length: 5` on a GET used to hang the call waiting for a body never sent.
    let server = FaultyServer::start(vec![Reply::json(200, transaction_json())]).await;
    let client = client(&server);
    for (name, value) in [
        ("Content-Length", "5"),
        ("Transfer-Encoding", "chunked"),
        ("Host", "evil.example"),
        ("Connection", "close"),
        ("Authorization", "Bearer other"),
    ] {
        let started = Instant::now();
        let error = get(&client, RequestOptions::new().header(name, value))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{name}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    assert_eq!(server.requests(), 0);
}

// A call is sent once unless repeating it is safe.

#[tokio::test]
async fn a_payout_is_not_sent_twice_after_a_502_whatever_the_policy() {
    let server = FaultyServer::start(vec![
        Reply::json(502, r#"{"type":"error"}"#),
        Reply::json(201, "{}"),
    ])
    .await;
    let client = retrying_client(&server);
    let error = client.payouts().create(payout()).send().await.unwrap_err();
    assert_eq!(server.requests(), 1, "one POST /payouts");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(error.attempts(), 1);
    assert!(error.may_have_been_processed());
    let message = error.to_string();
    assert!(message.contains("not retried"), "{message}");
    assert_eq!(server.recorded()[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn a_post_whose_body_was_read_before_a_reset_is_not_sent_again() {
    let server = FaultyServer::start(vec![Reply::new().reset(), Reply::json(201, "{}")]).await;
    let client = retrying_client(&server);
    let error = client.payouts().create(payout()).send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_eq!(server.requests(), 1);
    assert!(
        !server.recorded()[0].body.is_empty(),
        "the server read the body"
    );
    assert!(error.may_have_been_processed());
    let message = error.to_string();
    assert!(message.contains("may have reached the server"), "{message}");
    assert!(message.contains("not retried"), "{message}");
}

#[tokio::test]
async fn a_post_that_could_not_connect_is_retried_because_it_never_left() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("t")
        .retries(eager_retries().max_attempts(3))
        .build()
        .unwrap();
    let error = client.payouts().create(payout()).send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_eq!(error.attempts(), 3);
    assert!(!error.may_have_been_processed());
    assert!(
        error.to_string().contains("the request was not sent"),
        "{error}"
    );
}

#[tokio::test]
async fn retry_after_zero_cannot_shorten_the_backoff() {
    // The spec's default for GETs: 200 ms apart within 1 s. `Retry-After: 0` used to make
    // hundreds of requests in that second.
    let server =
        FaultyServer::start(vec![Reply::response(503, &[("retry-after", "0")], "busy")]).await;
    let started = Instant::now();
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    let attempts = server.requests();
    assert!((2..=5).contains(&attempts), "{attempts}");
    assert_eq!(error.attempts() as usize, attempts);
    assert!(started.elapsed() >= Duration::from_millis(200) * (error.attempts() - 1));
}

#[tokio::test]
async fn a_policy_on_429_with_retry_after_zero_stops_at_its_attempt_cap() {
    let server = FaultyServer::start(vec![Reply::response(
        429,
        &[("retry-after", "0")],
        "slow down",
    )])
    .await;
    let policy = RetryConfig::backoff(Backoff {
        initial_interval: Duration::ZERO,
        max_interval: Duration::ZERO,
        max_elapsed_time: Duration::from_secs(10),
        exponent: 1.0,
    })
    .status_codes(["429"]);
    let error = get(&client(&server), RequestOptions::new().retries(policy))
        .await
        .unwrap_err();
    assert_eq!(
        server.requests(),
        RetryConfig::DEFAULT_MAX_ATTEMPTS as usize
    );
    assert_eq!(error.attempts(), RetryConfig::DEFAULT_MAX_ATTEMPTS);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_exposed_on_the_error() {
    let server = FaultyServer::start(vec![Reply::response(
        503,
        &[("retry-after", "30")],
        "later",
    )])
    .await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(server.requests(), 1);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
}

// Pagination ends.

fn page(next: Option<&str>) -> Reply {
    let body = serde_json::json!({ "items": [], "limit": 1, "next_cursor": next });
    Reply::json(200, body.to_string())
}

#[tokio::test]
async fn cycling_cursors_end_the_stream_with_an_error_naming_the_cursor() {
    // A → B → A → B ... used to page forever.
    let server = FaultyServer::start(vec![
        page(Some("A")),
        page(Some("B")),
        page(Some("A")),
        page(Some("B")),
    ])
    .await;
    let client = client(&server);
    let pages: Vec<Result<_, Error>> = client.transactions().list().pages().collect().await;
    assert_eq!(pages.len(), 4, "three pages, then the error");
    assert!(pages[..3].iter().all(Result::is_ok));
    let error = pages[3].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(error.to_string().contains("\"A\""), "{error}");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_page_limit_ends_the_stream_with_an_error_when_pages_remain() {
    let server = FaultyServer::start(vec![page(Some("A")), page(Some("B")), page(Some("C"))]).await;
    let client = client(&server);
    let pages: Vec<Result<_, Error>> = client
        .transactions()
        .list()
        .options(RequestOptions::new().max_pages(2))
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].as_ref().unwrap_err().kind(), ErrorKind::Pagination);
    assert_eq!(server.requests(), 2);
}

// Every call ends.

#[tokio::test(start_paused = true)]
async fn the_default_client_times_out_a_server_that_never_answers() {
    // The clock is paused and jumps to the next timer whenever every task waits, so the default
    // 90 s limit passes at once while the server holds the connection open and says nothing.
    let server = FaultyServer::start(vec![Reply::new().sleep(Duration::from_secs(3600))]).await;
    let started = tokio::time::Instant::now();
    let error = client(&server)
        .payouts()
        .create(payout())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    let waited = started.elapsed();
    assert!(waited >= Client::DEFAULT_TIMEOUT, "{waited:?}");
    assert!(
        waited < Client::DEFAULT_TIMEOUT + Duration::from_secs(1),
        "{waited:?}"
    );
}

#[tokio::test]
async fn the_timeout_covers_a_token_provider_that_never_answers() {
    struct Never;
    impl gr4vy::TokenProvider for Never {
        fn token(&self) -> futures::future::BoxFuture<'_, Result<String, Error>> {
            Box::pin(futures::future::pending())
        }
    }
    let server = FaultyServer::start(vec![Reply::json(200, transaction_json())]).await;
    let client = Client::builder()
        .base_url(server.url())
        .token_provider(Never)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.transactions().get("t1").send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(!error.may_have_been_processed());
    assert!(started.elapsed() < Duration::from_secs(2));
    // And the call's own timeout, when it is the one set.
    let started = Instant::now();
    let error = get(
        &client,
        RequestOptions::new().timeout(Duration::from_millis(100)),
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(190));
    assert_eq!(server.requests(), 0);
}

// Bodies are bounded.

#[tokio::test]
async fn a_declared_oversized_body_is_refused_before_it_is_read() {
    let head = faulty_server::head(200, &[("content-type", "application/json")], 500 << 20);
    let server = FaultyServer::start(vec![Reply::new().bytes(head).bytes(vec![b' '; 1024])]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.body(), Some(&[][..]));
    assert_eq!(error.attempts(), 1, "not retried");
}

#[tokio::test]
async fn a_body_past_the_limit_stops_there_and_keeps_a_bounded_prefix() {
    let body = vec![b'x'; 300 * 1024];
    let server = FaultyServer::start(vec![Reply::response(500, &[], &body)]).await;
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(200 * 1024)
        .build()
        .unwrap();
    let error = client.payouts().create(payout()).send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    // `Content-Length` said 300 KiB: refused before reading.
    assert!(error.body().unwrap().len() <= 64 * 1024);

    let chunked = {
        let mut bytes = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..40 {
            bytes.extend_from_slice(format!("{:x}\r\n", 16 * 1024).as_bytes());
            bytes.extend_from_slice(&[b'y'; 16 * 1024]);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(b"0\r\n\r\n");
        bytes
    };
    let server = FaultyServer::start(vec![Reply::new().bytes(chunked)]).await;
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(200 * 1024)
        .build()
        .unwrap();
    let error = client.transactions().get("t1").send().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
    let kept = error.body().unwrap();
    assert_eq!(kept.len(), 64 * 1024);
    assert!(kept.iter().all(|&b| b == b'y'));
    assert!(error.to_string().contains("204800"), "{error}");
}

#[tokio::test]
async fn an_undecodable_body_keeps_only_a_prefix_in_the_error() {
    let body = vec![b'<'; 1 << 20];
    let server = FaultyServer::start(vec![Reply::json(200, &body)]).await;
    let error = get(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.body().unwrap().len(), 64 * 1024);
    assert!(error.to_string().contains("1048576 bytes"), "{error}");
}
