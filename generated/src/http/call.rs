//! [`Call`]: one operation call, built by generated code and sent with retries.
//!
//! Everything that does not depend on the response type lives in the non-generic
//! [`Call::execute`], so the hundred-odd operations share one copy of the request machinery and
//! only JSON decoding is instantiated per response type.

use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::ClientInner;
use super::error::BoxError;
use super::query::{QueryValue, append_query};
use super::retry::{RetryBudget, retry_after};
use super::{Client, Error, ErrorKind, RequestOptions, RetryConfig};

/// The header that selects the merchant account a call acts for.
const MERCHANT_ACCOUNT_HEADER: HeaderName = HeaderName::from_static("x-gr4vy-merchant-account-id");

/// One call of an operation: the request as generated code describes it, plus the caller's
/// [`RequestOptions`]. Problems found while building it (a header value with a newline, a body
/// that does not serialize) are kept and returned by `send`, so that every failure of a call goes
/// through the same path (hooks, tracing).
pub(crate) struct Call<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    spec_retries: Option<RetryConfig>,
    idempotency_header: Option<&'static str>,
    options: RequestOptions,
    error: Option<Error>,
}

/// A response as received: status, headers and the whole body.
struct Received {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    attempts: u32,
}

impl<'a> Call<'a> {
    /// A call of `method` on `path`, which starts with `/` and has its parameters already
    /// percent-encoded (see `encode_path_segment`).
    pub(crate) fn new(client: &'a Client, method: Method, path: String) -> Self {
        Call {
            client,
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            spec_retries: None,
            idempotency_header: None,
            options: RequestOptions::default(),
            error: None,
        }
    }

    /// Adds a query parameter: nothing for `None`, one `name=value` per item of a list (form
    /// style, exploded).
    pub(crate) fn query<V: QueryValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        let mut values = Vec::new();
        match value.push_values(&mut values) {
            Ok(()) => self
                .query
                .extend(values.into_iter().map(|value| (name, value))),
            Err(error) => self.fail(error.with_message(format!("query parameter `{name}`"))),
        }
    }

    /// Sets a header parameter: nothing for `None`, items of a list joined with `,` (simple
    /// style).
    pub(crate) fn header<V: QueryValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        let mut values = Vec::new();
        if let Err(error) = value.push_values(&mut values) {
            return self.fail(error.with_message(format!("header parameter `{name}`")));
        }
        if values.is_empty() {
            return;
        }
        match header_pair(name, &values.join(",")) {
            Ok((name, value)) => {
                self.headers.insert(name, value);
            }
            Err(error) => self.fail(error),
        }
    }

    /// Sets the JSON request body.
    pub(crate) fn json<B: Serialize + ?Sized>(&mut self, body: &B) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(error) => self.fail(
                Error::invalid_request("the request body could not be serialized")
                    .with_source(Box::new(error)),
            ),
        }
    }

    /// The operation's retry policy from the spec (`x-speakeasy-retries`), used when neither the
    /// caller nor the client sets one.
    pub(crate) fn spec_retries(&mut self, config: RetryConfig) {
        self.spec_retries = Some(config);
    }

    /// Declares the operation's idempotency-key header: when the call may be retried and the
    /// caller did not set the header, a UUID v4 is generated and sent on every attempt.
    pub(crate) fn idempotency_key_header(&mut self, name: &'static str) {
        self.idempotency_header = Some(name);
    }

    /// The caller's per-call overrides.
    pub(crate) fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    /// Sends the call and decodes its 2XX JSON body into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        let client = self.client;
        let result = self.execute().await.and_then(Received::json);
        report(client, result)
    }

    /// Sends the call and ignores the body of its 2XX response (204 No Content and the like).
    pub(crate) async fn send_empty(self) -> Result<(), Error> {
        let client = self.client;
        let result = self.execute().await.map(drop);
        report(client, result)
    }

    /// Keeps the first problem found while building the call.
    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Builds the request, then sends it until it succeeds, fails for good, or the retry budget is
    /// spent. Any non-2XX final response becomes an [`ErrorKind::Api`] error.
    async fn execute(self) -> Result<Received, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let inner = &*self.client.inner;
        let url = self.url(inner)?;
        let retries = self
            .options
            .retries
            .clone()
            .or_else(|| inner.retries.clone())
            .or_else(|| self.spec_retries.clone())
            .unwrap_or_else(RetryConfig::none);
        let timeout = self.options.timeout.or(inner.timeout);
        let mut headers = self.headers(inner, &retries)?;
        if !headers.contains_key(AUTHORIZATION) {
            if let Some(value) = inner.auth.header().await? {
                headers.insert(AUTHORIZATION, value);
            }
        }

        let mut budget = RetryBudget::start(&retries);
        let mut attempts = 0;
        loop {
            let mut request = reqwest::Request::new(self.method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            *request.body_mut() = self.body.clone().map(reqwest::Body::from);
            for hook in &inner.hooks {
                hook.before_request(&mut request).map_err(|mut error| {
                    error.set_attempts(attempts);
                    error
                })?;
            }
            attempts += 1;
            let (method, path) = (&self.method, url.path());
            tracing::debug!(%method, path, attempt = attempts, "gr4vy: sending request");
            let outcome = attempt(inner, request, timeout).await;
            match &outcome {
                Ok(received) => {
                    let status = received.status.as_u16();
                    tracing::debug!(%method, path, attempt = attempts, status, "gr4vy: response");
                }
                Err(error) => {
                    let kind = error.kind();
                    tracing::debug!(%method, path, attempt = attempts, ?kind, "gr4vy: no response");
                }
            }
            if let Some(delay) = retry_wait(&retries, &outcome).and_then(|w| budget.next_delay(w)) {
                let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                tracing::debug!(%method, path, attempt = attempts, delay_ms, "gr4vy: retrying");
                tokio::time::sleep(delay).await;
                continue;
            }
            return finish(outcome, attempts);
        }
    }

    /// The base URL (the call's override or the client's), the path and the query string.
    fn url(&self, inner: &ClientInner) -> Result<Url, Error> {
        let base = match &self.options.base_url {
            Some(url) => url.trim_end_matches('/'),
            None => &inner.base_url,
        };
        let mut url = format!("{base}{}", self.path);
        append_query(&mut url, &self.query);
        Url::parse(&url).map_err(|error| {
            Error::invalid_request(format!("invalid request URL (base `{base}`): {error}"))
        })
    }

    /// Every header but `Authorization`, later sources winning: the SDK's defaults, the client's
    /// merchant account, the operation's header parameters, then the call's options.
    fn headers(&self, inner: &ClientInner, retries: &RetryConfig) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if self.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        if let Some(id) = &inner.merchant_account_id {
            headers.insert(
                MERCHANT_ACCOUNT_HEADER,
                header_value("x-gr4vy-merchant-account-id", id)?,
            );
        }
        for (name, value) in &self.headers {
            headers.insert(name, value.clone());
        }
        if let Some(id) = &self.options.merchant_account_id {
            headers.insert(
                MERCHANT_ACCOUNT_HEADER,
                header_value("x-gr4vy-merchant-account-id", id)?,
            );
        }
        for (name, value) in &self.options.headers {
            let (name, mut value) = header_pair(name, value)?;
            // A per-call `Authorization` is as secret as the client's: keep it out of `Debug`.
            if name == AUTHORIZATION {
                value.set_sensitive(true);
            }
            headers.insert(name, value);
        }
        if let Some(name) = self.idempotency_header {
            let name = header_name(name)?;
            if retries.is_enabled() && !headers.contains_key(&name) {
                let key = uuid::Uuid::new_v4().to_string();
                headers.insert(name, header_value("idempotency key", &key)?);
            }
        }
        Ok(headers)
    }
}

impl Received {
    /// Decodes the body as JSON; a body that is not the expected JSON (an empty one included) is
    /// an [`ErrorKind::Decode`] error that keeps the response.
    fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|error| {
            let message = if self.body.is_empty() {
                "the response body is empty"
            } else {
                "the response body is not the expected JSON"
            };
            let mut error = Error::from_kind(ErrorKind::Decode)
                .with_message(message)
                .with_source(Box::new(error) as BoxError)
                .with_response(self.status, self.headers, self.body);
            error.set_attempts(self.attempts);
            error
        })
    }
}

/// Sends one attempt and reads the whole response, within `timeout`.
async fn attempt(
    inner: &ClientInner,
    request: reqwest::Request,
    timeout: Option<Duration>,
) -> Result<Received, Error> {
    let exchange = async {
        let response = inner
            .http
            .execute(request)
            .await
            .map_err(Error::from_reqwest)?;
        for hook in &inner.hooks {
            hook.after_response(&response);
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        Ok(Received {
            status,
            headers,
            body: body.to_vec(),
            attempts: 0,
        })
    };
    match timeout {
        None => exchange.await,
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(Error::from_kind(ErrorKind::Timeout)
                    .with_message(format!("no complete response within {limit:?}")))
            }),
    }
}

/// `Some(retry_after)` when `retries` says this outcome is worth another attempt: a retryable
/// status (with the server's `Retry-After`, if any), or no response when connection errors are
/// retried.
fn retry_wait(
    retries: &RetryConfig,
    outcome: &Result<Received, Error>,
) -> Option<Option<Duration>> {
    match outcome {
        Ok(received) if received.status.is_success() => None,
        Ok(received) => retries
            .matches_status(received.status.as_u16())
            .then(|| retry_after(&received.headers)),
        Err(error) => {
            let no_response = matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout);
            (no_response && retries.retries_connection_errors()).then_some(None)
        }
    }
}

/// The call's result from its last attempt: a non-2XX response becomes an [`ErrorKind::Api`]
/// error, and either way the number of attempts is recorded.
fn finish(outcome: Result<Received, Error>, attempts: u32) -> Result<Received, Error> {
    match outcome {
        Ok(received) if received.status.is_success() => Ok(Received {
            attempts,
            ..received
        }),
        Ok(received) => {
            let mut error = Error::api(received.status, received.headers, received.body);
            error.set_attempts(attempts);
            Err(error)
        }
        Err(mut error) => {
            error.set_attempts(attempts);
            Err(error)
        }
    }
}

/// Runs the `on_error` hooks for a failed call.
fn report<T>(client: &Client, result: Result<T, Error>) -> Result<T, Error> {
    if let Err(error) = &result {
        for hook in &client.inner.hooks {
            hook.on_error(error);
        }
    }
    result
}

fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_request(format!("`{name}` is not a valid header name")))
}

/// A header value; the error names the header but never quotes the value, which may be secret.
fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::invalid_request(format!(
            "the value of header `{name}` has characters a header cannot carry"
        ))
    })
}

fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    Ok((header_name(name)?, header_value(name, value)?))
}
