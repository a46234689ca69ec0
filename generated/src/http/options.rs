//! [`RequestOptions`]: per-call overrides of the client's settings.

use std::fmt;
use std::time::Duration;

use super::RetryConfig;

/// Settings for one call that override the client's.
///
/// ```
/// use std::time::Duration;
///
/// let options = gr4vy::RequestOptions::new()
///     .merchant_account_id("acme-eu")
///     .timeout(Duration::from_secs(5))
///     .no_retries();
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(crate) merchant_account_id: Option<String>,
    pub(crate) retries: Option<RetryConfig>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) base_url: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No overrides: the call uses the client's settings.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The merchant account this call acts for (`x-gr4vy-merchant-account-id`), instead of the
    /// client's.
    pub fn merchant_account_id(mut self, id: impl Into<String>) -> Self {
        self.merchant_account_id = Some(id.into());
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

    /// The time limit for each attempt of this call, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends this call to another base URL (a trailing `/` is ignored), instead of the client's.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets a request header, replacing any value the SDK would otherwise send under that name
    /// (`Authorization` included). An invalid name or value fails the call with
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for RequestOptions {
    /// Header values are left out: callers may put credentials there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("merchant_account_id", &self.merchant_account_id)
            .field("retries", &self.retries)
            .field("timeout", &self.timeout)
            .field("base_url", &self.base_url)
            .field("headers", &header_names)
            .finish()
    }
}
