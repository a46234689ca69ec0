//! The client's public configuration surface, as an application sees it: building, credentials,
//! retry settings, per-call options and errors. (Requests on the wire are tested in the runtime's
//! own unit tests and in `operations.rs`.)

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use gr4vy::{Backoff, Client, Error, ErrorKind, RequestOptions, RetryConfig, TokenProvider};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn build_rejects_what_cannot_be_a_base_url() {
    let unknown = Client::builder()
        .server_variable("region", "eu")
        .build()
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::InvalidRequest);
    assert!(unknown.to_string().contains("region"), "{unknown}");
    for url in ["not a url", "ftp://files.example", ""] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{url}");
    }
    let error = Client::builder()
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
}

#[test]
fn server_variables_and_base_url_overrides() {
    let client = Client::builder()
        .server_variable("id", "acme")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.sandbox.acme.gr4vy.app");
    // The last value set wins, and a base URL override keeps its path prefix.
    let client = Client::builder()
        .server_variable("id", "a")
        .server_variable("id", "b")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.sandbox.b.gr4vy.app");
    let client = Client::builder()
        .base_url("http://127.0.0.1:9/proxy/gr4vy//")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/proxy/gr4vy");
}

#[test]
fn secrets_stay_out_of_debug_and_display() {
    let builder = Client::builder().bearer_token("sk-live-0123456789");
    assert!(!format!("{builder:?}").contains("sk-live"));
    let client = builder.clone().build().unwrap();
    assert!(!format!("{client:?}").contains("sk-live"));
    assert!(!format!("{:?}", client.clone()).contains("sk-live"));
    let error = Client::builder()
        .bearer_token("sk-live\nsecond-line")
        .build()
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("sk-live"));
    let options = RequestOptions::new().header("x-api-secret", "sk-live-xyz");
    let text = format!("{options:?}");
    assert!(
        text.contains("x-api-secret") && !text.contains("sk-live"),
        "{text}"
    );
}

#[test]
fn retry_configuration() {
    let backoff = Backoff {
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(5),
        max_elapsed_time: Duration::from_secs(30),
        exponent: 1.5,
    };
    let default = RetryConfig::backoff(backoff);
    assert!(default.is_enabled() && default.retries_connection_errors());
    assert_eq!(default.status_code_patterns(), ["5XX"]);
    assert_eq!(default.backoff_settings(), Some(&backoff));

    let custom = RetryConfig::backoff(backoff)
        .status_codes(["429", "503"])
        .retry_connection_errors(false);
    assert!(custom.matches_status(429) && custom.matches_status(503));
    assert!(!custom.matches_status(500) && !custom.retries_connection_errors());

    assert!(!RetryConfig::none().is_enabled());
    assert_eq!(RetryConfig::default(), RetryConfig::none());
}

#[test]
fn errors_made_by_applications() {
    let error = Error::auth("the signing key is missing");
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.attempts(), 0);
    assert!(error.status().is_none() && error.body().is_none() && error.api_error().is_none());
    assert!(
        error.to_string().contains("the signing key is missing"),
        "{error}"
    );
    let io = std::io::Error::other("disk on fire");
    let error = Error::new(ErrorKind::InvalidRequest, io);
    let source = std::error::Error::source(&error).expect("the cause is kept");
    assert_eq!(source.to_string(), "disk on fire");
}

/// A provider that fetches its token asynchronously, as a JWT signer or a token cache would.
struct Rotating(AtomicUsize);

impl TokenProvider for Rotating {
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            Ok(format!("token-{}", self.0.fetch_add(1, Ordering::SeqCst)))
        })
    }
}

#[tokio::test]
async fn an_async_token_provider_signs_each_call() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(Rotating(AtomicUsize::new(7)))
        .build()
        .unwrap();
    for _ in 0..2 {
        let error = client.transactions().get("t").send().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    }
    let seen = server.received_requests().await.unwrap();
    let tokens: Vec<_> = seen
        .iter()
        .map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()))
        .collect();
    assert_eq!(tokens, [Some("Bearer token-7"), Some("Bearer token-8")]);
}

#[tokio::test]
async fn one_client_serves_concurrent_tasks() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (client, done) = (client.clone(), done.clone());
            tokio::spawn(async move {
                let result = client.transactions().get(format!("t{i}")).send().await;
                assert_eq!(result.unwrap_err().kind(), ErrorKind::Api);
                done.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(done.load(Ordering::SeqCst), 8);
    assert_eq!(server.received_requests().await.unwrap().len(), 8);
}

#[test]
fn reqwest_is_reexported_for_hooks_and_custom_clients() {
    let _: Option<gr4vy::reqwest::StatusCode> = None;
    let http = Client::http_client_builder()
        .unwrap()
        .pool_max_idle_per_host(2)
        .build()
        .unwrap();
    let client = Client::builder().http_client(http).build().unwrap();
    assert!(format!("{client:?}").contains("Client"));
}
