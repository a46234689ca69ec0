//! [`RequestOptions`]: per-call overrides of the client's settings.

use std::fmt;
use std::time::Duration;

use super::RetryConfig;
use super::client::{debug_globals, redact_url, set_global};

/// Settings for one call that override the client's.
///
/// ```
/// use std::time::Duration;
///
/// let options = gr4vy::RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .no_retries();
/// ```
///
/// The spec's global headers have setters here too (generated, in `src/globals.rs`), whose
/// values replace the client's for this call.
#[derive(Clone, Default)]
#[must_use]
pub struct RequestOptions {
    /// Values of the spec's global headers for this call (header, value).
    pub(crate) globals: Vec<(&'static str, String)>,
    pub(crate) retries: Option<RetryConfig>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) base_url: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) bearer_token: Option<String>,
    pub(crate) max_pages: Option<usize>,
}

impl RequestOptions {
    /// No overrides: the call uses the client's settings.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Sets the value of a global header for this call, instead of the client's. Called by the
    /// generated setters of `src/globals.rs`, like `ClientBuilder::global`.
    pub(crate) fn global(mut self, header: &'static str, value: impl Into<String>) -> Self {
        set_global(&mut self.globals, header, value.into());
        self
    }

    /// The retry policy for this call, instead of the client's or the operation's default.
    pub fn retries(mut self, config: RetryConfig) -> Self {
        self.retries = Some(config);
        self
    }

    /// Makes exactly one attempt, whatever the client or the operation would do.
    pub fn no_retries(self) -> Self {
        self.retries(RetryConfig::none())
    }

    /// The time limit for each attempt of this call, instead of the client's (which is
    /// [`Client::DEFAULT_TIMEOUT`](crate::Client::DEFAULT_TIMEOUT) unless configured).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends this call to another base URL (a trailing `/` is ignored), instead of the client's.
    /// The same rules as [`ClientBuilder::base_url`](crate::ClientBuilder::base_url) apply, and
    /// the call fails before sending anything when the URL breaks them.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticates this call with a fixed bearer token instead of the client's credentials.
    /// Like the client's, it is never shown by `Debug` and never sent over plain HTTP to a host
    /// that is not loopback, unless the client allows it.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Sets a request header, replacing any value the SDK would otherwise send under that name.
    /// An invalid name or value fails the call with
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest), and so do the headers
    /// that frame or route the HTTP message (`Host`, `Content-Length`, `Transfer-Encoding`,
    /// `Connection` and the other hop-by-hop headers) and `Authorization` (use
    /// [`bearer_token`](Self::bearer_token)).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// For list operations' `pages()` and `items()` streams: the most pages to fetch. A stream
    /// that would need another page after `pages` of them ends with an
    /// [`ErrorKind::Pagination`](crate::ErrorKind::Pagination) error instead, so a limit never
    /// truncates a listing silently. (Use `StreamExt::take` to stop early on purpose.)
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }
}

impl fmt::Debug for RequestOptions {
    /// Header values are left out: callers may put credentials there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        let mut out = f.debug_struct("RequestOptions");
        debug_globals(&mut out, &self.globals);
        out.field("retries", &self.retries)
            .field("timeout", &self.timeout)
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field("headers", &header_names)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("max_pages", &self.max_pages)
            .finish()
    }
}
