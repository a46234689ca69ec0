//! Retry policy: which failures are retried, and how long to wait between attempts.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Exponential backoff settings, as in the spec's `x-speakeasy-retries`.
///
/// The wait before retry `n` (counting from 0) is `initial_interval * exponent^n`, at most
/// `max_interval`. No retry starts once `max_elapsed_time` would be exceeded, counted from the first
/// attempt; [`RetryConfig::max_attempts`] bounds the count as well. The waits have no random
/// jitter: with the spec's defaults (200 ms, at most 200 ms) there would be no room for any.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The wait before the first retry.
    pub initial_interval: Duration,
    /// The longest wait between two attempts.
    pub max_interval: Duration,
    /// The time budget for the whole call, retries included.
    pub max_elapsed_time: Duration,
    /// How much each wait grows over the previous one (`1.0` keeps it constant).
    pub exponent: f64,
}

impl Backoff {
    /// The wait before retry number `retry` (0 for the first retry).
    fn interval(&self, retry: u32) -> Duration {
        let power = i32::try_from(retry).unwrap_or(i32::MAX);
        let seconds = self.initial_interval.as_secs_f64() * self.exponent.powi(power);
        // A NaN, negative or huge product (from an odd exponent) falls back to the ceiling.
        Duration::try_from_secs_f64(seconds)
            .unwrap_or(self.max_interval)
            .min(self.max_interval)
    }
}

/// When a failed call is tried again.
///
/// A call uses the first of: its own [`RequestOptions::retries`](crate::RequestOptions::retries),
/// the client's [`ClientBuilder::retries`](crate::ClientBuilder::retries), and the operation's
/// default from the spec (GET operations retry 5XX responses and connection errors for up to a
/// second).
///
/// # A call is sent once unless repeating it is safe
///
/// Whatever the policy says, a call is repeated only when doing so cannot create, charge, refund
/// or pay out twice:
///
/// - a `GET` may always be repeated;
/// - any other call is repeated only when it carries an idempotency key *that its operation
///   declares* (the caller's, or one the SDK generates and resends unchanged on every attempt,
///   so the server can tell a retry from a new request; in this spec only some transaction and
///   gift-card operations declare one);
/// - or when its request provably never left: the connection was refused, or DNS or the TLS
///   handshake failed.
///
/// Anything else (a 502 to a `POST /payouts`, a connection reset after the body was written, a
/// timeout waiting for the answer) returns the error at once. Its `Display` says why it was not
/// retried and whether the request may have been processed, and
/// [`Error::may_have_been_processed`](crate::Error::may_have_been_processed) says the latter to
/// code. A `3XX` response is never retried, whatever the policy's status codes say.
///
/// # Bounds
///
/// Every policy is bounded in time ([`Backoff::max_elapsed_time`]) and in count
/// ([`max_attempts`](Self::max_attempts), default [`DEFAULT_MAX_ATTEMPTS`](Self::DEFAULT_MAX_ATTEMPTS)).
/// A `Retry-After` header on a retried response (in seconds or as an HTTP date) can lengthen the
/// wait but never shorten it below the backoff's: a server answering `Retry-After: 0` cannot turn
/// retries into a storm. When the wait it asks for does not fit in the time budget, the call fails
/// at once with that response, and [`Error::retry_after`](crate::Error::retry_after) gives the
/// wait so the caller can decide.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct RetryConfig {
    backoff: Option<Backoff>,
    status_codes: Vec<String>,
    retry_connection_errors: bool,
    max_attempts: u32,
}

impl RetryConfig {
    /// The most attempts a call makes (the first one included) unless
    /// [`max_attempts`](Self::max_attempts) says otherwise. The spec's default policy (200 ms
    /// apart within one second) makes at most this many anyway.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

    /// Never retry.
    pub const fn none() -> Self {
        RetryConfig {
            backoff: None,
            status_codes: Vec::new(),
            retry_connection_errors: false,
            max_attempts: 1,
        }
    }

    /// Retry with exponential `backoff`: by default 5XX responses and connection errors (which
    /// include timeouts), like the spec's defaults. Change that with
    /// [`status_codes`](Self::status_codes) and
    /// [`retry_connection_errors`](Self::retry_connection_errors).
    pub fn backoff(backoff: Backoff) -> Self {
        RetryConfig {
            backoff: Some(backoff),
            status_codes: vec!["5XX".to_owned()],
            retry_connection_errors: true,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// The most attempts a call makes, the first one included (at least 1; default
    /// [`DEFAULT_MAX_ATTEMPTS`](Self::DEFAULT_MAX_ATTEMPTS)). The time budget still applies.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The most attempts a call makes (see [`max_attempts`](Self::max_attempts)).
    pub fn attempt_limit(&self) -> u32 {
        if self.backoff.is_some() {
            self.max_attempts
        } else {
            1
        }
    }

    /// The response statuses to retry, replacing the current list: exact codes (`"503"`) or
    /// ranges with `X` for any digit (`"5XX"`).
    pub fn status_codes<I>(mut self, codes: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.status_codes = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Whether to retry when no response arrived: connection refused or reset, DNS failure, or an
    /// attempt that timed out.
    pub fn retry_connection_errors(mut self, retry: bool) -> Self {
        self.retry_connection_errors = retry;
        self
    }

    /// Whether this configuration retries anything at all.
    pub fn is_enabled(&self) -> bool {
        self.backoff.is_some()
    }

    /// The backoff settings, or `None` for [`RetryConfig::none`].
    pub fn backoff_settings(&self) -> Option<&Backoff> {
        self.backoff.as_ref()
    }

    /// The status code patterns that are retried.
    pub fn status_code_patterns(&self) -> &[String] {
        &self.status_codes
    }

    /// Whether connection errors and timeouts are retried.
    pub fn retries_connection_errors(&self) -> bool {
        self.backoff.is_some() && self.retry_connection_errors
    }

    /// Whether a response with this status is retried. Patterns that are not three digits or `X`s
    /// never match, and neither does a redirect (`3XX`), which is never followed or retried.
    pub fn matches_status(&self, status: u16) -> bool {
        if self.backoff.is_none() || (300..400).contains(&status) {
            return false;
        }
        let digits = status.to_string();
        self.status_codes.iter().any(|pattern| {
            pattern.len() == 3
                && digits.len() == 3
                && pattern
                    .bytes()
                    .zip(digits.bytes())
                    .all(|(p, d)| p == d || (p.eq_ignore_ascii_case(&b'X')))
        })
    }
}

impl Default for RetryConfig {
    /// [`RetryConfig::none`].
    fn default() -> Self {
        RetryConfig::none()
    }
}

/// Tracks one call's retries against its [`Backoff`] budget.
pub(crate) struct RetryBudget<'a> {
    backoff: Option<&'a Backoff>,
    started: Instant,
    retries: u32,
    max_retries: u32,
}

impl<'a> RetryBudget<'a> {
    /// Starts the clock for a call.
    pub(crate) fn start(config: &'a RetryConfig) -> Self {
        RetryBudget {
            backoff: config.backoff.as_ref(),
            started: Instant::now(),
            retries: 0,
            max_retries: config.attempt_limit().saturating_sub(1),
        }
    }

    /// How long to wait before the next attempt, or `None` when the budget (time or count) does
    /// not allow one. `retry_after` (from the server) can lengthen the backoff interval, never
    /// shorten it.
    pub(crate) fn next_delay(&mut self, retry_after: Option<Duration>) -> Option<Duration> {
        let backoff = self.backoff?;
        if self.retries >= self.max_retries {
            return None;
        }
        let interval = backoff.interval(self.retries);
        let delay = retry_after.map_or(interval, |asked| asked.max(interval));
        if self.started.elapsed().saturating_add(delay) > backoff.max_elapsed_time {
            return None;
        }
        self.retries += 1;
        Some(delay)
    }
}

/// The wait a response asks for in its `Retry-After` header: delay-seconds or an HTTP date
/// (RFC 9110). A date in the past means no wait; an unreadable header is ignored.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is a subset of RFC 2822.
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = u64::try_from(at.timestamp()).ok()?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn backoff(initial_ms: u64, max_ms: u64, elapsed_ms: u64, exponent: f64) -> Backoff {
        Backoff {
            initial_interval: Duration::from_millis(initial_ms),
            max_interval: Duration::from_millis(max_ms),
            max_elapsed_time: Duration::from_millis(elapsed_ms),
            exponent,
        }
    }

    #[test]
    fn status_patterns_match_digits_and_ranges() {
        let config =
            RetryConfig::backoff(backoff(1, 1, 1, 1.0)).status_codes(["5XX", "429", "4x8"]);
        for status in [500, 503, 599, 429, 408, 418] {
            assert!(config.matches_status(status), "{status}");
        }
        for status in [200, 400, 427, 430, 600, 50] {
            assert!(!config.matches_status(status), "{status}");
        }
        let odd = RetryConfig::backoff(backoff(1, 1, 1, 1.0)).status_codes(["5X", "", "5XXX"]);
        assert!(!odd.matches_status(500));
        assert!(
            !RetryConfig::none()
                .status_codes(["5XX"])
                .matches_status(500)
        );
    }

    #[test]
    fn intervals_grow_by_the_exponent_up_to_the_ceiling() {
        let b = backoff(100, 1_000, 10_000, 2.0);
        let waits: Vec<u128> = (0..6).map(|n| b.interval(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1_000, 1_000]);
        assert_eq!(
            backoff(100, 300, 1, f64::NAN).interval(1),
            Duration::from_millis(300)
        );
        assert_eq!(
            backoff(100, 300, 1, -2.0).interval(1),
            Duration::from_millis(300)
        );
        assert_eq!(
            backoff(100, 300, 1, 1e300).interval(u32::MAX),
            Duration::from_millis(300)
        );
    }

    #[test]
    fn the_budget_refuses_a_wait_that_would_overrun_it() {
        let config = RetryConfig::backoff(backoff(200, 200, 1_000, 1.0));
        let mut budget = RetryBudget::start(&config);
        assert_eq!(budget.next_delay(None), Some(Duration::from_millis(200)));
        assert_eq!(budget.next_delay(Some(Duration::from_secs(2))), None);
        assert_eq!(
            RetryBudget::start(&RetryConfig::none()).next_delay(None),
            None
        );
    }

    #[test]
    fn retry_after_never_shortens_the_backoff_and_attempts_are_capped() {
        let config = RetryConfig::backoff(backoff(200, 200, 60_000, 1.0)).max_attempts(3);
        let mut budget = RetryBudget::start(&config);
        assert_eq!(
            budget.next_delay(Some(Duration::ZERO)),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            budget.next_delay(Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
        // Three attempts: two retries, then no more, however much time is left.
        assert_eq!(budget.next_delay(None), None);
        let unbounded = RetryConfig::backoff(backoff(0, 0, 60_000, 1.0));
        let mut budget = RetryBudget::start(&unbounded);
        let retries = std::iter::from_fn(|| budget.next_delay(Some(Duration::ZERO))).count();
        assert_eq!(retries as u32, RetryConfig::DEFAULT_MAX_ATTEMPTS - 1);
        assert_eq!(RetryConfig::none().max_attempts(9).attempt_limit(), 1);
    }

    #[test]
    fn redirects_are_never_retried() {
        let config = RetryConfig::backoff(backoff(1, 1, 1, 1.0)).status_codes(["3XX", "302"]);
        assert!(!config.matches_status(302));
        assert!(!config.matches_status(307));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 3 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let later = chrono::DateTime::from_timestamp(
            i64::try_from(
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap()
                    .as_secs(),
            )
            .unwrap()
                + 120,
            0,
        )
        .unwrap()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!((118..=120).contains(&wait.as_secs()), "{wait:?}");
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
