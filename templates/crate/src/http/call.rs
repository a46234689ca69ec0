//! [`Call`]: one operation call, built by generated code and sent with retries.
//!
//! Everything that does not depend on the response type lives in the non-generic
//! [`Call::execute`], so the hundred-odd operations share one copy of the request machinery and
//! only JSON decoding is instantiated per response type.

use std::time::{Duration, Instant};

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::bearer;
use super::client::{
    ClientInner, RESERVED_HEADERS, exposes_credentials, insecure_http, parse_base_url,
};
use super::error::{BoxError, Delivery, KEPT_BODY_PREFIX};
use super::query::{QueryValue, append_query};
use super::retry::{RetryBudget, retry_after};
use super::{Client, Error, ErrorKind, RequestOptions, RetryConfig};

/// One call of an operation: the request as generated code describes it, plus the caller's
/// [`RequestOptions`]. Problems found while building it (a header value with a newline, a body
/// that does not serialize) are kept and returned by `send`, so that every failure of a call goes
/// through the same path (hooks, tracing).
pub(crate) struct Call<'a> {
    client: &'a Client,
    method: Method,
    endpoint: Endpoint,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    spec_retries: Option<&'static RetryConfig>,
    idempotency_header: Option<&'static str>,
    options: RequestOptions,
    error: Option<Error>,
}

/// What generated code says about the operation a call performs, for the call's tracing span:
/// the spec's `operationId` and the path template, whose placeholders keep ids out of traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) operation_id: &'static str,
    pub(crate) template: &'static str,
}

impl Endpoint {
    pub(crate) const fn new(operation_id: &'static str, template: &'static str) -> Self {
        Endpoint {
            operation_id,
            template,
        }
    }
}

/// The policy of calls that nothing else gives one: a `static`, so that every call can borrow its
/// policy instead of cloning one.
static NO_RETRIES: RetryConfig = RetryConfig::none();

/// A response as received: status, headers and the whole body.
struct Received {
    status: StatusCode,
    headers: HeaderMap,
    /// The body exactly as reqwest read it, not copied: reqwest's `bytes::Bytes` in a
    /// [`reqwest::Body`], which is how this crate can hold one without depending on `bytes`
    /// itself. Read it with [`Received::bytes`].
    body: reqwest::Body,
    attempts: u32,
}

/// What every attempt of a call sends on top of [`Call::headers`], decided once per call: the
/// retries of a call send the same idempotency key and reuse its token.
struct CallHeaders {
    idempotency_key: Option<(HeaderName, HeaderValue)>,
    authorization: Option<HeaderValue>,
}

/// Why a call that its retry policy would have repeated was not.
const UNSAFE_TO_REPEAT: &str = "only GET calls, and calls with an idempotency key their operation \
     declares, are repeated once the request may have reached the server";

/// A request path as generated code gives it to [`Call::new`]: a literal, or the result of
/// `runtime::path::build`, which refuses parameters that would move the path.
pub(crate) trait IntoPath {
    fn into_path(self) -> Result<String, Error>;
}

impl IntoPath for String {
    fn into_path(self) -> Result<String, Error> {
        Ok(self)
    }
}

impl IntoPath for Result<String, Error> {
    fn into_path(self) -> Result<String, Error> {
        self
    }
}

impl<'a> Call<'a> {
    /// A call of `method` on `path`, which starts with `/` and has its parameters already
    /// percent-encoded (see `encode_path_segment`). A path that could not be built fails the
    /// call when it is sent.
    pub(crate) fn new(
        client: &'a Client,
        method: Method,
        endpoint: Endpoint,
        path: impl IntoPath,
    ) -> Self {
        let (path, error) = match path.into_path() {
            Ok(path) => (path, None),
            Err(error) => (String::new(), Some(error)),
        };
        Call {
            client,
            method,
            endpoint,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            spec_retries: None,
            idempotency_header: None,
            options: RequestOptions::default(),
            error,
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
    /// caller nor the client sets one. A `static` of the generated code, built once.
    pub(crate) fn spec_retries(&mut self, config: &'static RetryConfig) {
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
    ///
    /// Like [`send_empty`](Self::send_empty), this borrows the call rather than taking it, and so
    /// does everything it awaits: the call is then stored once, in the generated operation's
    /// future, instead of once more in each future nested in it, which would all be copied around
    /// as they are created. A call is sent once; `send` leaves it spent.
    pub(crate) async fn send<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        let span = self.span();
        // The clock is read only for a span that records the duration.
        let started = (!span.is_disabled()).then(Instant::now);
        let outcome = self.execute_in(span.clone()).await;
        let sent = outcome.as_ref().ok().map(|r| (r.status, r.attempts));
        let result = outcome.and_then(Received::json);
        self.close(&span, started, sent, result.as_ref().err());
        result
    }

    /// Sends the call and ignores the body of its 2XX response (204 No Content and the like).
    pub(crate) async fn send_empty(&mut self) -> Result<(), Error> {
        let span = self.span();
        // The clock is read only for a span that records the duration.
        let started = (!span.is_disabled()).then(Instant::now);
        let outcome = self.execute_in(span.clone()).await;
        let sent = outcome.as_ref().ok().map(|r| (r.status, r.attempts));
        let result = outcome.map(drop);
        self.close(&span, started, sent, result.as_ref().err());
        result
    }

    /// The call's span (the generated `globals::call_span`, which adds the spec's global
    /// headers): operation, method, URL template, server and globals; [`close`](Self::close)
    /// records how it ended. Nothing in it is secret: ids stay in the template's placeholders.
    fn span(&self) -> tracing::Span {
        let inner = &*self.client.inner;
        let server = inner
            .parsed_base_url
            .as_ref()
            .and_then(Url::host_str)
            .unwrap_or("");
        let global = |header: &str| {
            global_value(&self.options.globals, header)
                .or_else(|| global_value(&inner.globals, header))
        };
        let span = crate::globals::call_span(self.endpoint, &self.method, server, global);
        if !span.is_disabled() {
            span.record(
                "otel.name",
                format_args!("{} {}", self.method, self.endpoint.template),
            );
        }
        span
    }

    /// Records the end of the call on its span (attempts, status, error kind, duration) and runs
    /// the `on_error` hooks for a failure. `sent` is the last response's status and the attempts,
    /// when the call got a 2XX response.
    fn close(
        &self,
        span: &tracing::Span,
        started: Option<Instant>,
        sent: Option<(StatusCode, u32)>,
        error: Option<&Error>,
    ) {
        if !span.is_disabled() {
            let (status, attempts) = match (sent, error) {
                (_, Some(error)) => (error.status(), error.attempts()),
                (Some((status, attempts)), None) => (Some(status), attempts),
                (None, None) => (None, 0),
            };
            span.record("gr4vy.attempts", attempts);
            span.record("http.request.resend_count", attempts.saturating_sub(1));
            if let Some(status) = status {
                span.record("http.response.status_code", status.as_u16());
            }
            if let Some(error) = error {
                span.record("error.type", format_args!("{:?}", error.kind()));
            }
            if let Some(started) = started {
                let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                span.record("gr4vy.duration_ms", elapsed);
            }
        }
        if let Some(error) = error {
            report(self.client, error);
        }
    }

    /// [`execute`](Self::execute) inside `span`. Not `async`: the instrumented future is built
    /// where it is returned, so the caller's future holds it once, not also the bare future it
    /// wraps (which doubled the size of every operation's `send()` future).
    fn execute_in(
        &mut self,
        span: tracing::Span,
    ) -> tracing::instrument::Instrumented<impl Future<Output = Result<Received, Error>> + '_> {
        self.execute().instrument(span)
    }

    /// Keeps the first problem found while building the call.
    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Builds the request, then sends it until it succeeds, fails for good, or the retry budget is
    /// spent. Any non-2XX final response becomes an [`ErrorKind::Api`] error.
    ///
    /// A failure is retried only when the policy asks for it *and* repeating the call is safe
    /// (see [`RetryConfig`]): it is a GET, it carries an idempotency key its operation declares,
    /// or its request provably never left.
    ///
    /// This runs on every call, so it copies nothing that it can borrow or move: the retry policy
    /// is borrowed, and the first attempt takes the headers and the body as they are. Only when an
    /// attempt may be followed by another is the body cloned for it, and only when a retry really
    /// happens are the headers built again. Whatever is borrowed is borrowed in helpers, outside
    /// this future: a local borrowed here would take room in it across every `.await`.
    async fn execute(&mut self) -> Result<Received, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let client = self.client;
        let inner = &*client.inner;
        let url = self.url(inner)?;
        let retries = self
            .options
            .retries
            .as_ref()
            .or(inner.retries.as_ref())
            .or(self.spec_retries)
            .unwrap_or(&NO_RETRIES);
        let timeout = self.options.timeout.unwrap_or(inner.timeout);
        // The token provider's wait counts towards the first attempt's time limit: a provider
        // that never answers must not hang the call. Other credentials never wait, and a timer
        // costs every call.
        let first = self.first_headers(inner, retries);
        let (fixed, mut headers) = if inner.auth.may_wait() && self.options.bearer_token.is_none() {
            tokio::time::timeout(timeout, first)
                .await
                .unwrap_or_else(|_| {
                    Err(Error::from_kind(ErrorKind::Timeout)
                        .with_message(format!(
                            "no token from the token provider within {timeout:?}"
                        ))
                        .with_delivery(Delivery::NotSent))
                })?
        } else {
            first.await?
        };
        if headers.contains_key(AUTHORIZATION)
            && !inner.allow_insecure_http
            && exposes_credentials(&url)
        {
            return Err(insecure_http(&url));
        }
        let repeatable = self.repeatable(&headers);

        let mut budget = RetryBudget::start(retries);
        let mut attempts = 0;
        loop {
            // Without retries this is the only attempt, and the body can move into it (after
            // `self.headers` looked at it: headers are only built again for a retry).
            let body = if retries.is_enabled() {
                self.body.clone()
            } else {
                self.body.take()
            };
            let request = self.request(inner, url.clone(), headers, body, attempts)?;
            attempts += 1;
            // The call's span carries the method and URL template; the path, with its ids, is
            // left out of every event.
            tracing::debug!(attempt = attempts, "gr4vy: sending request");
            let outcome = attempt(
                inner,
                transmit(inner, self.endpoint, request),
                &url,
                timeout,
            )
            .await;
            match &outcome {
                Ok(received) => {
                    let status = received.status.as_u16();
                    tracing::debug!(attempt = attempts, status, "gr4vy: response");
                }
                Err(error) => {
                    let kind = error.kind();
                    tracing::debug!(attempt = attempts, ?kind, "gr4vy: no response");
                }
            }
            let Some(wait) = retry_wait(retries, &outcome) else {
                return finish(outcome, attempts, None);
            };
            let never_left =
                matches!(&outcome, Err(error) if error.delivery() == Delivery::NotSent);
            if !repeatable && !never_left {
                return finish(outcome, attempts, Some(UNSAFE_TO_REPEAT));
            }
            if let Some(delay) = budget.next_delay(wait) {
                let wait_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                let reason = RetryReason(&outcome);
                tracing::info!(attempt = attempts, wait_ms, %reason, "gr4vy: retrying");
                tokio::time::sleep(delay).await;
                headers = fixed.add_to(self.headers(inner)?);
                continue;
            }
            return finish(outcome, attempts, None);
        }
    }

    /// Whether sending the call again cannot make the server act twice: a GET (or HEAD), or a
    /// call that carries the idempotency key its operation declares (`headers` are the first
    /// attempt's, with the caller's key or the generated one).
    fn repeatable(&self, headers: &HeaderMap) -> bool {
        if matches!(self.method, Method::GET | Method::HEAD) {
            return true;
        }
        self.idempotency_header
            .is_some_and(|name| headers.contains_key(name))
    }

    /// The headers of the first attempt, and what the call adds to [`Call::headers`] on every
    /// attempt: an idempotency key, when the operation takes one, the call may be retried and the
    /// caller did not set it, and the `Authorization` value, unless the caller set one.
    async fn first_headers(
        &self,
        inner: &ClientInner,
        retries: &RetryConfig,
    ) -> Result<(CallHeaders, HeaderMap), Error> {
        let headers = self.headers(inner)?;
        let idempotency_key = match self.idempotency_header {
            Some(name) => {
                let name = header_name(name)?;
                if retries.is_enabled() && !headers.contains_key(&name) {
                    let key = uuid::Uuid::new_v4().to_string();
                    Some((name, header_value("idempotency key", &key)?))
                } else {
                    None
                }
            }
            None => None,
        };
        let authorization = match &self.options.bearer_token {
            Some(token) => Some(bearer(token)?),
            None => inner.auth.header().await?,
        };
        let fixed = CallHeaders {
            idempotency_key,
            authorization,
        };
        let headers = fixed.add_to(headers);
        Ok((fixed, headers))
    }

    /// The request of attempt number `attempts + 1`, after the `before_request` hooks.
    fn request(
        &self,
        inner: &ClientInner,
        url: Url,
        headers: HeaderMap,
        body: Option<Vec<u8>>,
        attempts: u32,
    ) -> Result<reqwest::Request, Error> {
        let mut request = reqwest::Request::new(self.method.clone(), url);
        *request.headers_mut() = headers;
        *request.body_mut() = body.map(reqwest::Body::from);
        for hook in &inner.hooks {
            hook.before_request(&mut request).map_err(|mut error| {
                error.set_attempts(attempts);
                error
            })?;
        }
        Ok(request)
    }

    /// The base URL (the call's override or the client's), the path and the query string.
    fn url(&self, inner: &ClientInner) -> Result<Url, Error> {
        match (&self.options.base_url, &inner.parsed_base_url) {
            (None, Some(base)) => Ok(self.url_from(base)),
            (Some(base), _) => {
                let base = base.trim_end_matches('/');
                parse_base_url(base)?;
                self.parse_url(base)
            }
            (None, None) => self.parse_url(&inner.base_url),
        }
    }

    /// `base`, the path and the query string, parsed as one URL.
    fn parse_url(&self, base: &str) -> Result<Url, Error> {
        let mut url = String::with_capacity(base.len() + self.path.len());
        url.push_str(base);
        url.push_str(&self.path);
        append_query(&mut url, &self.query);
        Url::parse(&url).map_err(|error| {
            Error::invalid_request(format!("invalid request URL (base `{base}`): {error}"))
        })
    }

    /// The URL that [`parse_url`](Self::parse_url) gives, made from a base URL parsed beforehand
    /// by setting its path and query, so that only those are parsed. `base` has no query or
    /// fragment, and its path is `/` or does not end with `/` (see
    /// [`ClientInner::parsed_base_url`]).
    fn url_from(&self, base: &Url) -> Url {
        let mut url = base.clone();
        match base.path() {
            "/" => url.set_path(&self.path),
            prefix => url.set_path(&format!("{prefix}{}", self.path)),
        }
        if !self.query.is_empty() {
            let mut query = String::new();
            append_query(&mut query, &self.query);
            // Without the `?` that `append_query` starts with.
            url.set_query(Some(&query[1..]));
        }
        url
    }

    /// Every header but `Authorization` and the idempotency key (see [`CallHeaders`]), later
    /// sources winning: the SDK's defaults, the client's global headers, the operation's header
    /// parameters, then the call's global headers and other headers.
    fn headers(&self, inner: &ClientInner) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if self.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &inner.globals {
            let (name, value) = header_pair(name, value)?;
            headers.insert(name, value);
        }
        for (name, value) in &self.headers {
            headers.insert(name, value.clone());
        }
        for (name, value) in &self.options.globals {
            let (name, value) = header_pair(name, value)?;
            headers.insert(name, value);
        }
        for (name, value) in &self.options.headers {
            let (name, value) = header_pair(name, value)?;
            if RESERVED_HEADERS.contains(&name.as_str()) {
                return Err(Error::invalid_request(format!(
                    "the `{name}` header cannot be set per call: it frames, routes or \
                     authenticates the request, which the SDK does itself (for a per-call token \
                     use `RequestOptions::bearer_token`)"
                )));
            }
            headers.insert(name, value);
        }
        Ok(headers)
    }
}

impl CallHeaders {
    /// `headers` with these added. By value, so that `execute` never borrows its headers.
    fn add_to(&self, mut headers: HeaderMap) -> HeaderMap {
        if let Some((name, value)) = &self.idempotency_key {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(value) = &self.authorization {
            headers.insert(AUTHORIZATION, value.clone());
        }
        headers
    }
}

impl Received {
    /// The body's bytes.
    fn bytes(&self) -> &[u8] {
        // Always `Some`: the body was built from the bytes read, not from a stream.
        self.body.as_bytes().unwrap_or_default()
    }

    /// Decodes the body as JSON; a body that is not the expected JSON (an empty one included) is
    /// an [`ErrorKind::Decode`] error that keeps the status, the headers and the body's first
    /// 64 KiB.
    fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let error = match serde_json::from_slice(self.bytes()) {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let whole = self.bytes();
        let body = whole[..whole.len().min(KEPT_BODY_PREFIX)].to_vec();
        let message = if whole.is_empty() {
            "the response body is empty"
        } else {
            "the response body is not the expected JSON"
        };
        let size = whole.len();
        let mut error = Error::from_kind(ErrorKind::Decode)
            .with_message(message)
            .with_source(Box::new(error) as BoxError)
            .with_response(self.status, self.headers, body)
            .with_body_size(size);
        error.set_attempts(self.attempts);
        Err(error)
    }
}

/// Sends one attempt's request: over HTTP, or to the mock API the client was built from
/// (`testing::MockApi`, with the `test-util` feature).
fn transmit(
    inner: &ClientInner,
    endpoint: Endpoint,
    request: reqwest::Request,
) -> impl Future<Output = Result<reqwest::Response, Error>> + '_ {
    // Boxed: the mock's future is large, and every call's future would otherwise have room for it.
    #[cfg(feature = "test-util")]
    if let Some(mock) = &inner.mock {
        return futures::future::Either::Left(Box::pin(mock.respond(endpoint, request)));
    }
    let _ = endpoint;
    let sent = inner.http.execute(request);
    let sent = async move { sent.await.map_err(Error::from_reqwest) };
    #[cfg(feature = "test-util")]
    let sent = futures::future::Either::Right(sent);
    sent
}

/// Waits for the response to one attempt (`sent`, from `reqwest::Client::execute`, of a request
/// to `url`) and reads it whole, within `timeout` and the client's `max_response_size`.
async fn attempt(
    inner: &ClientInner,
    sent: impl Future<Output = Result<reqwest::Response, Error>>,
    url: &Url,
    timeout: Duration,
) -> Result<Received, Error> {
    let exchange = async {
        let response = sent.await?;
        if response.url() != url {
            // Only a reqwest client of the caller's can follow redirects; the request has been
            // sent to, and possibly acted on by, another URL.
            return Err(Error::from_kind(ErrorKind::Transport).with_message(
                "the HTTP client followed a redirect, which this SDK refuses: build the client \
                 passed to `ClientBuilder::http_client` from `Client::http_client_builder()` or \
                 with `redirect::Policy::none()`",
            ));
        }
        let (status, headers, mut response) = split(inner, response);
        match read_body(&mut response, inner.max_response_size).await {
            Ok(body) => Ok(Received {
                status,
                headers,
                body,
                attempts: 0,
            }),
            Err(BodyError::Transport(error)) => Err(Error::from_reqwest(error)),
            Err(BodyError::TooLarge { prefix, read }) => {
                let limit = inner.max_response_size;
                Err(Error::from_kind(ErrorKind::ResponseTooLarge)
                    .with_message(format!(
                        "it exceeds the limit of {limit} bytes (`ClientBuilder::max_response_size`); \
                         reading stopped after {read} bytes"
                    ))
                    .with_response(status, headers, prefix)
                    .with_body_size(read))
            }
        }
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or_else(|_| {
            Err(Error::from_kind(ErrorKind::Timeout)
                .with_message(format!("no complete response within {timeout:?}")))
        })
}

/// Runs the `after_response` hooks, then takes the response's status and headers, leaving the
/// body to read.
fn split(
    inner: &ClientInner,
    mut response: reqwest::Response,
) -> (StatusCode, HeaderMap, reqwest::Response) {
    for hook in &inner.hooks {
        hook.after_response(&response);
    }
    let status = response.status();
    // Taken rather than cloned: reading the body does not look at the headers.
    let headers = std::mem::take(response.headers_mut());
    (status, headers, response)
}

/// Why a body could not be read.
enum BodyError {
    Transport(reqwest::Error),
    /// Larger than the limit: the first bytes (at most [`KEPT_BODY_PREFIX`]) and how many were
    /// read before stopping (0 when `Content-Length` announced too many).
    TooLarge {
        prefix: Vec<u8>,
        read: usize,
    },
}

/// Reads the body of `response`, holding at most `limit` bytes of it at any time: a declared
/// `Content-Length` over the limit is refused before reading, and a body that grows past it
/// (chunked or close-delimited) stops there.
///
/// A body that arrives in one chunk, as small JSON responses do, is kept as that chunk without a
/// copy; longer ones are gathered into a buffer that grows at most to the limit.
async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<reqwest::Body, BodyError> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BodyError::TooLarge {
            prefix: Vec::new(),
            read: 0,
        });
    }
    let expected = declared.map_or(0, |length| length as usize);
    let Some(head) = response.chunk().await.map_err(BodyError::Transport)? else {
        return Ok(reqwest::Body::from(Vec::new()));
    };
    let mut read = head.len();
    // The first chunk stays as it is until a second one arrives.
    let mut first = Some(head);
    let mut gathered: Vec<u8> = Vec::new();
    loop {
        if read > limit {
            let mut prefix = match first {
                Some(head) => head[..head.len().min(KEPT_BODY_PREFIX)].to_vec(),
                None => gathered,
            };
            prefix.truncate(KEPT_BODY_PREFIX);
            prefix.shrink_to_fit();
            return Err(BodyError::TooLarge { prefix, read });
        }
        let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? else {
            break;
        };
        read = read.saturating_add(chunk.len());
        if let Some(head) = first.take() {
            gathered = Vec::with_capacity(expected.max(read).min(limit));
            gathered.extend_from_slice(&head);
        }
        if read > limit {
            // Keep what fits of the prefix, then stop at the top of the loop.
            let room = KEPT_BODY_PREFIX.saturating_sub(gathered.len());
            gathered.extend_from_slice(&chunk[..chunk.len().min(room)]);
            continue;
        }
        if gathered.capacity() < read {
            // Double, as `Vec` would, but never past the limit.
            let target = read.max(gathered.capacity() * 2).min(limit);
            gathered.reserve_exact(target - gathered.len());
        }
        gathered.extend_from_slice(&chunk);
    }
    Ok(match first {
        Some(only) => reqwest::Body::from(only),
        None => reqwest::Body::from(gathered),
    })
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

/// The value of the global header `header` among `globals` (the last one set wins).
fn global_value<'g>(globals: &'g [(&'static str, String)], header: &str) -> Option<&'g str> {
    globals
        .iter()
        .rev()
        .find(|(name, _)| *name == header)
        .map(|(_, value)| value.as_str())
}

/// Why an attempt is repeated, for the retry event: the status that the policy retries, or the
/// kind of failure that left no response.
struct RetryReason<'a>(&'a Result<Received, Error>);

impl std::fmt::Display for RetryReason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Ok(received) => write!(f, "status {}", received.status.as_u16()),
            Err(error) => write!(f, "{:?}", error.kind()),
        }
    }
}

/// The call's result from its last attempt: a non-2XX response becomes an [`ErrorKind::Api`]
/// error, and either way the number of attempts is recorded.
/// `not_retried` says why the policy's wish to repeat the call was overruled, if it was.
fn finish(
    outcome: Result<Received, Error>,
    attempts: u32,
    not_retried: Option<&'static str>,
) -> Result<Received, Error> {
    let mut error = match outcome {
        Ok(received) if received.status.is_success() => {
            return Ok(Received {
                attempts,
                ..received
            });
        }
        Ok(received) => {
            let body = received.bytes().to_vec();
            Error::api(received.status, received.headers, body)
        }
        Err(error) => error,
    };
    error.set_attempts(attempts);
    if let Some(why) = not_retried {
        error.set_not_retried(why);
    }
    Err(error)
}

/// Runs the `on_error` hooks for a failed call.
fn report(client: &Client, error: &Error) {
    for hook in &client.inner.hooks {
        hook.on_error(error);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_made_from_the_parsed_base_are_the_urls_parsed_whole() {
        let bases = [
            "http://127.0.0.1:8080",
            "https://api.acme.gr4vy.app/",
            "http://EXAMPLE.com:80/prefix",
            "http://h/a%20b/é c",
            "http://h/a/b/..",
            "http://h/a/.",
            "http://h/a//b//",
        ];
        let paths = [
            "/",
            "/transactions/abc",
            "/t/../x",
            "/t/..",
            "/t/a%2Fb/.",
            "/t/é",
        ];
        let queries: [&[(&'static str, &str)]; 3] =
            [&[], &[("q", "a b+c")], &[("a", "1"), ("a", "")]];
        let mut extended = 0;
        for base in bases {
            let client = Client::builder().base_url(base).build().unwrap();
            for path in paths {
                for query in queries {
                    let endpoint = Endpoint::new("get_thing", "/things");
                    let mut call = Call::new(&client, Method::GET, endpoint, path.to_owned());
                    for &(name, value) in query {
                        call.query(name, value);
                    }
                    let inner = &*client.inner;
                    let whole = call.parse_url(&inner.base_url).unwrap();
                    assert_eq!(call.url(inner).unwrap(), whole, "{base} {path} {query:?}");
                    if let Some(parsed) = &inner.parsed_base_url {
                        assert_eq!(call.url_from(parsed), whole, "{base} {path} {query:?}");
                        extended += 1;
                    }
                }
            }
        }
        // Bases whose path ends in `/` after normalization are parsed whole on every call.
        assert_eq!(extended, 5 * paths.len() * queries.len());
    }

    #[test]
    fn base_urls_that_would_swallow_paths_or_leak_credentials_are_refused() {
        for base in [
            "http://127.0.0.1/api?x=1",
            "http://127.0.0.1/api#frag",
            "http://user:PASSWORD@127.0.0.1/api",
            "http://user@127.0.0.1",
            "ftp://127.0.0.1",
        ] {
            let error = Client::builder().base_url(base).build().unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{base}");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("PASSWORD"), "{shown}");
            assert!(!shown.contains("user"), "{shown}");
        }
    }
}
