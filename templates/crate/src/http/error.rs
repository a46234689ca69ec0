//! [`Error`]: the one error type every call returns.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A boxed source error, as carried by [`Error`].
pub(crate) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What went wrong, in terms a caller can act on.
///
/// Match on it to decide what to do (retry later, fix the request, alert): the variants are broad on
/// purpose, the details are on [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with a non-2XX status. [`Error::status`], [`Error::headers`] and
    /// [`Error::body`] are set, and [`Error::api_error`] when the body is one the spec declares.
    Api,
    /// The request or response did not get through: connection refused or reset, DNS, TLS, or the
    /// connection dropped while the body was being read.
    Transport,
    /// An attempt took longer than the configured timeout.
    Timeout,
    /// A 2XX response whose body is not the JSON the operation declares (an empty body included).
    /// The status, headers and raw body are kept.
    Decode,
    /// The request could not be built: an invalid URL, header value or body, or a hook refused it.
    InvalidRequest,
    /// The token provider failed, so the request was not sent.
    Auth,
    /// The response was larger than the client's
    /// [`max_response_size`](crate::ClientBuilder::max_response_size); reading stopped there.
    /// The status and headers are kept, and at most the first 64 KiB of the body.
    ResponseTooLarge,
    /// A page stream stopped: the API handed back a cursor it had already given in the same
    /// stream (which would make the stream endless), or the stream reached the page limit set
    /// with [`RequestOptions::max_pages`](crate::RequestOptions::max_pages).
    Pagination,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Api => "API error",
            ErrorKind::Transport => "transport error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "response decoding error",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::Auth => "authentication error",
            ErrorKind::ResponseTooLarge => "response too large",
            ErrorKind::Pagination => "pagination stopped",
        })
    }
}

/// Any failure of a Gr4vy call: one type, so callers write one `match` on [`Error::kind`].
///
/// For responses (kinds [`Api`](ErrorKind::Api) and [`Decode`](ErrorKind::Decode)) it keeps the
/// status, the headers and the raw body exactly as received, also when the body is not JSON (a
/// proxy's HTML error page, say), so nothing the server said is lost. `Debug` and `Display` show no
/// request headers, so no token or key can leak through them.
///
/// `Display` includes the underlying cause (the I/O or JSON error), which is also the error's
/// [`source`](StdError::source) for callers who want to downcast it: a bare "transport error" helps
/// nobody reading a log line.
pub struct Error {
    // Boxed so that `Result<T, Error>` stays one pointer wide on the happy path.
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: Option<String>,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    body: Option<Vec<u8>>,
    /// The size of the whole body, of which `body` may be only a prefix.
    body_size: usize,
    api_error: Option<crate::ApiErrorBody>,
    attempts: u32,
    /// Whether the request (of the last attempt) can have reached the server.
    delivery: Delivery,
    /// Why a retry policy that would have repeated the call did not, when that is the case.
    not_retried: Option<&'static str>,
    source: Option<BoxError>,
}

/// How far a failed call's last request got: what decides whether it may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// Nothing was sent: the call failed while it was being built, signed or connected.
    NotSent,
    /// Some or all of the request may have reached the server, which may have acted on it.
    MaybeSent,
}

/// The most of a response body an error keeps when the body is oversized or undecodable: enough
/// to read an error page or see where JSON went wrong, without keeping megabytes alive in an
/// error that may be logged or stored.
pub(crate) const KEPT_BODY_PREFIX: usize = 64 * 1024;

impl Error {
    /// An error of `kind` caused by `source`, for [`Hooks`](crate::Hooks) and
    /// [`TokenProvider`](crate::TokenProvider) implementations. `source` can be any error, or a
    /// message (`&str` or `String`).
    pub fn new(kind: ErrorKind, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Error::from_kind(kind).with_source(source.into())
    }

    /// A token provider failure: shorthand for `Error::new(ErrorKind::Auth, source)`.
    pub fn auth(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Error::new(ErrorKind::Auth, source)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The response status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The response headers, when a response was received (for `x-request-id`, `Retry-After`...).
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inner.headers.as_ref()
    }

    /// The raw response body, when a response was received; possibly empty, possibly not JSON.
    /// For an [`ErrorKind::Decode`] or [`ErrorKind::ResponseTooLarge`] error it is at most the
    /// first 64 KiB of the body.
    pub fn body(&self) -> Option<&[u8]> {
        self.inner.body.as_deref()
    }

    /// The body decoded as one of the error bodies the spec declares for this status, if it is one.
    pub fn api_error(&self) -> Option<&crate::ApiErrorBody> {
        self.inner.api_error.as_ref()
    }

    /// The server's message for an API error, whatever its status: the decoded body's message
    /// field (which field that is, the generated `ApiErrorBody::message` knows).
    pub fn api_message(&self) -> Option<&str> {
        self.api_error().and_then(crate::ApiErrorBody::message)
    }

    /// The server's error code for an API error (`bad_request`, `duplicate_record`), whatever its
    /// status.
    pub fn api_code(&self) -> Option<&str> {
        self.api_error().and_then(crate::ApiErrorBody::code)
    }

    /// The server's details for an API error (which field was invalid, and why), whatever its
    /// status; empty when the body has none.
    pub fn api_details(&self) -> &[crate::ApiErrorDetail] {
        self.api_error().map_or(&[], crate::ApiErrorBody::details)
    }

    /// How many HTTP attempts the call made before failing (0 when it failed before sending).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// The wait the server asked for in the response's `Retry-After` header (seconds or an HTTP
    /// date), if the call got a response with one. A call is not retried when the wait would
    /// overrun its retry budget; this is how the caller sees the wait and decides.
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(self.inner.headers.as_ref()?)
    }

    /// Whether the server may have received the request and acted on it: `false` only when the
    /// call provably failed before any of it was sent (an invalid request, a failed token
    /// provider, a refused connection). When `true` for a call that creates or changes something
    /// (a payment, a refund, a payout), check its outcome before repeating it, or repeat it with
    /// the same idempotency key.
    pub fn may_have_been_processed(&self) -> bool {
        self.inner.delivery == Delivery::MaybeSent
    }

    pub(crate) fn from_kind(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: None,
                status: None,
                headers: None,
                body: None,
                body_size: 0,
                api_error: None,
                attempts: 0,
                delivery: match kind {
                    ErrorKind::InvalidRequest | ErrorKind::Auth => Delivery::NotSent,
                    _ => Delivery::MaybeSent,
                },
                not_retried: None,
                source: None,
            }),
        }
    }

    /// An error about the request itself, described by `message`.
    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Error::from_kind(ErrorKind::InvalidRequest).with_message(message)
    }

    /// A non-2XX response. The body is decoded into a declared error body when it is one.
    pub(crate) fn api(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Self {
        let api_error = crate::errors::decode_api_error(status.as_u16(), &body);
        let mut error = Error::from_kind(ErrorKind::Api).with_response(status, headers, body);
        error.inner.api_error = api_error;
        error
    }

    /// Classifies an error from reqwest: timeouts, unbuildable requests, and everything else
    /// (connect, reset, body read, redirect loops) as transport.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        // A connect error (refused, DNS, TLS handshake, connect timeout) comes before any byte of
        // the request is written.
        let delivery = if error.is_connect() || error.is_builder() {
            Delivery::NotSent
        } else {
            Delivery::MaybeSent
        };
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else if error.is_builder() {
            ErrorKind::InvalidRequest
        } else {
            ErrorKind::Transport
        };
        // reqwest's message names the URL; our URLs carry no secrets (tokens go in headers, and
        // base URLs with credentials are refused).
        let mut error = Error::from_kind(kind).with_source(Box::new(error));
        error.inner.delivery = delivery;
        error
    }

    /// How far the request got (see [`Error::may_have_been_processed`]).
    pub(crate) fn delivery(&self) -> Delivery {
        self.inner.delivery
    }

    /// Records that the retry policy would have repeated the call but `why` forbade it.
    pub(crate) fn set_not_retried(&mut self, why: &'static str) {
        self.inner.not_retried = Some(why);
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    pub(crate) fn with_source(mut self, source: BoxError) -> Self {
        self.inner.source = Some(source);
        self
    }

    pub(crate) fn with_response(
        mut self,
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Self {
        self.inner.status = Some(status);
        self.inner.headers = Some(headers);
        self.inner.body_size = body.len();
        self.inner.body = Some(body);
        self
    }

    /// Records that the body kept is a prefix of one of `size` bytes (or more).
    pub(crate) fn with_body_size(mut self, size: usize) -> Self {
        self.inner.body_size = size;
        self
    }

    /// Records how far the request got, where the kind alone does not say.
    pub(crate) fn with_delivery(mut self, delivery: Delivery) -> Self {
        self.inner.delivery = delivery;
        self
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.inner.attempts = attempts;
    }

    /// Makes any error from a token provider an [`ErrorKind::Auth`] error, keeping it as the source.
    pub(crate) fn into_auth(self) -> Self {
        if self.kind() == ErrorKind::Auth {
            self
        } else {
            Error::from_kind(ErrorKind::Auth)
                .with_message("the token provider failed")
                .with_source(Box::new(self))
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        match (inner.kind, inner.status) {
            (ErrorKind::Api, Some(status)) => {
                write!(f, "Gr4vy API error: HTTP {status}")?;
                // The server's own words, with any card-number-long run of digits masked: a
                // message may echo what the request sent.
                if let Some(code) = self.api_code() {
                    write!(f, " ({})", mask_digit_runs(code))?;
                }
                if let Some(message) = self.api_message() {
                    write!(f, ": {}", mask_digit_runs(message))?;
                }
            }
            (ErrorKind::Decode, Some(status)) => write!(
                f,
                "could not decode the HTTP {status} response body ({} bytes)",
                inner.body_size
            )?,
            (ErrorKind::ResponseTooLarge, Some(status)) => {
                write!(f, "the HTTP {status} response body was too large")?;
            }
            (kind, _) => write!(f, "{kind}")?,
        }
        if let Some(message) = &inner.message {
            write!(f, ": {message}")?;
        }
        if let Some(source) = &inner.source {
            write!(f, ": {source}")?;
            // And the causes under it: reqwest's message ("error sending request for url (...)")
            // leaves out the one that says what happened ("Connection reset by peer"). A gr4vy
            // `Error` among them already shows its own causes.
            let mut cause: &(dyn StdError + 'static) = source.as_ref();
            while !cause.is::<Error>() {
                let Some(next) = cause.source() else { break };
                write!(f, ": {next}")?;
                cause = next;
            }
        }
        if inner.attempts > 1 {
            write!(f, " (after {} attempts)", inner.attempts)?;
        }
        if let Some(why) = inner.not_retried {
            write!(f, "; not retried: {why}")?;
        }
        // Whether repeating the call is safe is the first thing a caller needs to know about a
        // failure without an answer.
        if matches!(inner.kind, ErrorKind::Transport | ErrorKind::Timeout) {
            f.write_str(match inner.delivery {
                Delivery::NotSent => "; the request was not sent",
                Delivery::MaybeSent => {
                    "; the request may have reached the server and been processed"
                }
            })?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut debug = f.debug_struct("Error");
        debug.field("kind", &inner.kind);
        if let Some(message) = &inner.message {
            debug.field("message", message);
        }
        if let Some(status) = inner.status {
            debug.field("status", &status);
        }
        if let Some(body) = &inner.body {
            debug.field(
                "body",
                &BodyPreview {
                    body,
                    decoded: inner.api_error.is_some(),
                },
            );
        }
        if let Some(api_error) = &inner.api_error {
            debug.field("api_error", api_error);
        }
        debug.field("attempts", &inner.attempts);
        debug.field(
            "may_have_been_processed",
            &(inner.delivery == Delivery::MaybeSent),
        );
        if let Some(why) = inner.not_retried {
            debug.field("not_retried", &why);
        }
        if let Some(source) = &inner.source {
            debug.field("source", source);
        }
        // Response headers are left out: they are long, and cookies may be among them.
        debug.finish_non_exhaustive()
    }
}

/// What `Debug` shows of a response body: enough to recognise a proxy's error page in a log, and
/// nothing that may echo the request. A JSON body can carry what the call sent (a validation
/// error's `input` is the rejected card number) or what the API returned (a token, a private
/// key), so it is shown only by its size: when it decoded into a declared error body, `Debug`
/// shows that instead, with its sensitive fields redacted. Other bodies are shown as text, cut
/// after a few hundred bytes, with any run of 12 or more digits (a card number in an HTML page)
/// masked but for its last four. [`Error::body`] still gives the bytes.
struct BodyPreview<'a> {
    body: &'a [u8],
    decoded: bool,
}

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LIMIT: usize = 512;
        let body = self.body;
        let json = matches!(
            body.iter().find(|byte| !byte.is_ascii_whitespace()),
            Some(b'{' | b'[' | b'"')
        );
        if self.decoded || json {
            return write!(f, "<{} bytes of JSON>", body.len());
        }
        let shown = String::from_utf8_lossy(&body[..body.len().min(LIMIT)]);
        fmt::Debug::fmt(&mask_digit_runs(&shown), f)?;
        if body.len() > LIMIT {
            write!(f, "... ({} bytes)", body.len())?;
        }
        Ok(())
    }
}

/// `text` with every run of 12 or more ASCII digits replaced by `*`s but for its last four.
fn mask_digit_runs(text: &str) -> String {
    const LONGEST_SHOWN: usize = 11;
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() > LONGEST_SHOWN {
            out.extend(std::iter::repeat_n('*', run.len() - 4));
            out.push_str(&run[run.len() - 4..]);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preview(body: &[u8], decoded: bool) -> String {
        format!("{:?}", BodyPreview { body, decoded })
    }

    #[test]
    fn json_bodies_are_shown_by_size_only() {
        let echo = br#"{"detail":[{"input":"4111111111111111","loc":["body","number"]}]}"#;
        assert_eq!(
            preview(echo, false),
            format!("<{} bytes of JSON>", echo.len())
        );
        assert_eq!(preview(b" [1]", false), "<4 bytes of JSON>");
        assert_eq!(preview(b"anything", true), "<8 bytes of JSON>");
    }

    #[test]
    fn text_bodies_are_shown_with_long_digit_runs_masked() {
        assert_eq!(
            preview(b"<h1>502 Bad Gateway</h1> card 4111111111111111.", false),
            "\"<h1>502 Bad Gateway</h1> card ************1111.\""
        );
        assert_eq!(preview(b"id 12345678901", false), "\"id 12345678901\"");
        let long = vec![b'a'; 600];
        assert!(preview(&long, false).ends_with("... (600 bytes)"));
    }
}
