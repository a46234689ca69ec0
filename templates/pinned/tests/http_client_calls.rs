//! The client's server variables, token providers and sharing across tasks, through the pinned
//! spec's servers and `transactions().get` (the spec-independent part is `http_client.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;
use gr4vy::{Client, Error, ErrorKind, TokenProvider};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

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
