//! Testing code that uses this SDK without a server (the `test-util` feature).
//!
//! A [`MockApi`] stands in for the network: register what each operation should answer, by its
//! `operationId` (a model value, an API error, a transport failure, a delay, or a sequence of
//! those for retry tests), build a [`Client`](crate::Client) from it, run the code under test,
//! then read back the requests it sent. Everything runs in process: no port, no server, and the
//! same result every time.
//!
//! ```
//! # async fn example() -> Result<(), gr4vy::Error> {
//! use gr4vy::testing::{MockApi, Reply};
//! use serde_json::json;
//!
//! let api = MockApi::new();
//! api.on("delete_buyer", [Reply::status(204)]);
//! api.on("get_buyer", [Reply::json(404, &json!({"code": "not_found", "message": "No such buyer"}))]);
//! let client = api.client().merchant_account_id("acme").build()?;
//!
//! client.buyers().delete("b-1").send().await?;
//! let error = client.buyers().get("b-1").send().await.unwrap_err();
//! assert_eq!(error.api_message(), Some("No such buyer"));
//!
//! let sent = api.requests();
//! assert_eq!(sent[0].operation_id(), "delete_buyer");
//! assert_eq!(sent[0].path(), "/buyers/b-1");
//! assert_eq!(sent[0].header("x-gr4vy-merchant-account-id"), Some("acme"));
//! # Ok(())
//! # }
//! ```
//!
//! The client goes through everything a real one does (headers, authentication, retries,
//! timeouts, decoding, hooks, tracing); only the exchange on the wire is replaced.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::ResponseBuilderExt;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::http::{Endpoint, Error, ErrorKind};

/// The stand-in for Gr4vy's API: replies by operation, and every request received.
///
/// Cheap to clone; clones share their replies and requests.
#[derive(Clone, Default)]
pub struct MockApi {
    state: Arc<MockState>,
}

/// What a [`MockApi`] holds, shared with the clients built from it.
#[derive(Default)]
pub(crate) struct MockState {
    replies: Mutex<BTreeMap<String, VecDeque<Reply>>>,
    requests: Mutex<Vec<RecordedRequest>>,
}

/// One answer to one request.
#[derive(Clone)]
pub struct Reply {
    outcome: Outcome,
    delay: Option<Duration>,
}

#[derive(Clone)]
enum Outcome {
    Response { status: u16, body: Vec<u8> },
    TransportFailure,
}

impl Reply {
    /// A response with `status` and `body` as JSON: a model value for a success (a
    /// `Transaction`, a page of them), or an error body for a 4XX or 5XX status, which the client
    /// turns into an [`ErrorKind::Api`] error as it would the real API's.
    ///
    /// # Panics
    ///
    /// When `body` does not serialize, which is a mistake in the test itself.
    pub fn json(status: u16, body: &impl Serialize) -> Reply {
        let body = serde_json::to_vec(body).expect("a mock reply's body serializes to JSON");
        Reply::bytes(status, body)
    }

    /// A response with `status` and exactly `body` (to test what happens with a body that is
    /// not the JSON the operation declares).
    pub fn bytes(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            outcome: Outcome::Response {
                status,
                body: body.into(),
            },
            delay: None,
        }
    }

    /// A response with `status` and no body (`204 No Content`, or a `503` to retry on).
    pub fn status(status: u16) -> Reply {
        Reply::bytes(status, Vec::new())
    }

    /// No response: the connection failed, as an [`ErrorKind::Transport`] error.
    pub fn transport_failure() -> Reply {
        Reply {
            outcome: Outcome::TransportFailure,
            delay: None,
        }
    }

    /// The same reply, after `delay` (in the client's time limit, so a delay longer than the
    /// timeout is a [`ErrorKind::Timeout`]). Under tokio's paused clock it takes no time.
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = Some(delay);
        self
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Reply");
        match &self.outcome {
            Outcome::Response { status, body } => {
                out.field("status", status).field("body_len", &body.len())
            }
            Outcome::TransportFailure => out.field("transport_failure", &true),
        };
        out.field("delay", &self.delay).finish()
    }
}

impl MockApi {
    /// An API with no replies yet: a call to an operation without one fails with an
    /// [`ErrorKind::InvalidRequest`] error naming the operation.
    pub fn new() -> Self {
        MockApi::default()
    }

    /// Queues `replies` for the operation `operation_id` (the spec's `operationId`, which each
    /// operation's rustdoc shows as its request builder's name, such as `create_transaction`).
    /// Each request takes the next reply; the last one answers every request after it. Calling
    /// `on` again adds to the queue.
    pub fn on(&self, operation_id: &str, replies: impl IntoIterator<Item = Reply>) -> &Self {
        lock(&self.state.replies)
            .entry(operation_id.to_owned())
            .or_default()
            .extend(replies);
        self
    }

    /// A client builder whose calls this API answers. Set credentials, globals, retries and
    /// timeouts on it as on any other; its base URL is a placeholder no request reaches.
    pub fn client(&self) -> crate::ClientBuilder {
        crate::Client::builder()
            .base_url("https://api.mock.invalid")
            .bearer_token("mock-token")
            .mock(Arc::clone(&self.state))
    }

    /// Every request received so far, in order (a retried call once per attempt).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// The requests of one operation, in order.
    pub fn requests_to(&self, operation_id: &str) -> Vec<RecordedRequest> {
        let all = lock(&self.state.requests);
        all.iter()
            .filter(|r| r.operation_id == operation_id)
            .cloned()
            .collect()
    }
}

impl fmt::Debug for MockApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let replies = lock(&self.state.replies);
        let operations: Vec<&String> = replies.keys().collect();
        f.debug_struct("MockApi")
            .field("operations", &operations)
            .field("requests", &lock(&self.state.requests).len())
            .finish()
    }
}

/// A request as the client sent it.
///
/// Its `Debug` shows the operation, method and path only: headers carry credentials and bodies
/// may carry card data.
#[derive(Clone)]
pub struct RecordedRequest {
    operation_id: &'static str,
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RecordedRequest {
    /// The operation's `operationId`.
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        &self.method
    }

    /// The path, percent-encoded as sent (`/transactions/tx-1/refunds`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters, decoded, in order (a list parameter repeats its name).
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// Every value of the query parameter `name`, in order.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every header as sent, `Authorization` included.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The header `name`, when it is set and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body's bytes (empty when there was none).
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body decoded as `T`: a model (`TransactionCreate`) or `serde_json::Value`.
    ///
    /// # Errors
    ///
    /// When the body is not JSON of that shape (or there is none).
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl MockState {
    /// Records `request` and answers it with the operation's next reply.
    pub(crate) async fn respond(
        &self,
        endpoint: Endpoint,
        request: reqwest::Request,
    ) -> Result<reqwest::Response, Error> {
        let url = request.url().clone();
        let recorded = RecordedRequest {
            operation_id: endpoint.operation_id,
            method: request.method().clone(),
            path: url.path().to_owned(),
            query: url.query_pairs().into_owned().collect(),
            headers: request.headers().clone(),
            body: request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .map(<[u8]>::to_vec)
                .unwrap_or_default(),
        };
        lock(&self.requests).push(recorded);
        let reply = {
            let mut replies = lock(&self.replies);
            let queue = replies.get_mut(endpoint.operation_id);
            match queue {
                Some(queue) if queue.len() > 1 => queue.pop_front(),
                Some(queue) => queue.front().cloned(),
                None => None,
            }
        };
        let Some(reply) = reply else {
            return Err(Error::invalid_request(format!(
                "the mock API has no reply for `{}`; register one with `MockApi::on`",
                endpoint.operation_id
            )));
        };
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        match reply.outcome {
            Outcome::TransportFailure => Err(Error::from_kind(ErrorKind::Transport)
                .with_message("the mock API failed the connection, as asked")),
            Outcome::Response { status, body } => {
                let response = http1::Response::builder()
                    .status(status)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .url(url)
                    .body(body)
                    .map_err(|error| {
                        Error::invalid_request(format!("the mock reply is not a response: {error}"))
                    })?;
                Ok(reqwest::Response::from(response))
            }
        }
    }
}

/// The data behind `mutex`, also after a panic in another test thread poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
