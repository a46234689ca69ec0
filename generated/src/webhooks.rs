//! Checking that a webhook request really comes from Gr4vy.
//!
//! Anyone who knows the URL of a webhook endpoint can post to it, so the body of a request must
//! not be trusted until its signature has been checked. Gr4vy signs every webhook with the
//! secret of the webhook subscription: the signature header holds the lowercase hex of
//! HMAC-SHA256, keyed with that secret, over `"{timestamp}.{body}"`, where `timestamp` is the
//! value of the timestamp header (Unix seconds) and `body` is the raw request body. Signing the
//! timestamp too lets a receiver refuse an old request that someone recorded and sends again.
//!
//! [`verify`] does the whole check against the system clock; [`verify_at`] takes the clock as
//! an argument, for tests and for re-checking stored requests later.
//!
//! The checks run in this order, and the first that fails decides the error:
//!
//! 0. the secret is not empty ([`WebhookError::EmptySecret`]): an unset environment variable read
//!    as `""` must not turn into a key that anyone can sign with;
//! 1. the signature header is present ([`WebhookError::MissingSignature`]), then the timestamp
//!    header ([`WebhookError::MissingTimestamp`]); empty or whitespace-only counts as absent;
//! 2. the timestamp is a whole number of seconds ([`WebhookError::InvalidTimestamp`]);
//! 3. one of the signatures matches ([`WebhookError::NoMatchingSignature`]);
//! 4. the timestamp is recent enough ([`WebhookError::TooOld`]).
//!
//! The age is checked only once a signature has matched, so a forged request learns nothing
//! beyond "no match": not whether its timestamp would have been fresh enough.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Length in bytes of an HMAC-SHA256 tag; the header carries it as twice as many hex digits.
const TAG_LEN: usize = 32;

/// Why a webhook request failed verification.
///
/// Every variant means the request must be rejected. None of them carries the secret, the
/// expected signature or the body, so an error can be logged or returned as is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret given to [`verify`] is empty: a configuration mistake on the receiving side (an
    /// HMAC keyed with nothing is one anybody can compute), reported before the request is
    /// looked at.
    EmptySecret,
    /// The signature header is absent, empty or only whitespace.
    MissingSignature,
    /// The timestamp header is absent, empty or only whitespace.
    MissingTimestamp,
    /// The timestamp header is not made of ASCII digits only (after trimming whitespace), or
    /// does not fit in a `u64`.
    InvalidTimestamp,
    /// None of the signatures in the signature header was made with this secret over this body
    /// and timestamp. Also the result for a malformed signature (wrong length, not hex).
    NoMatchingSignature,
    /// The signature matches, but the timestamp is further in the past than the tolerance
    /// allows, so the request may be a replay.
    TooOld {
        /// How long ago the timestamp was, measured from the clock the check used.
        age: Duration,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::EmptySecret => f.write_str("the webhook secret is empty"),
            WebhookError::MissingSignature => f.write_str("webhook signature header is missing"),
            WebhookError::MissingTimestamp => f.write_str("webhook timestamp header is missing"),
            WebhookError::InvalidTimestamp => {
                f.write_str("webhook timestamp header is not a whole number of Unix seconds")
            }
            WebhookError::NoMatchingSignature => {
                f.write_str("no webhook signature matches the payload and secret")
            }
            WebhookError::TooOld { age } => write!(
                f,
                "webhook timestamp is {} s old, more than the tolerance allows",
                age.as_secs()
            ),
        }
    }
}

impl std::error::Error for WebhookError {}

/// The header Gr4vy sends a webhook's signatures in (comma-separated while a secret is rotated).
pub const SIGNATURE_HEADER: &str = "x-gr4vy-signature";

/// The header Gr4vy sends a webhook's timestamp in, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "x-gr4vy-timestamp";

/// A `tolerance` for [`verify`] and [`verify_headers`]: five minutes, long enough for a delivery
/// that was queued or retried and for some clock skew, short enough that a recorded request
/// cannot be sent again much later.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// [`verify`] with the signature and timestamp read from a request's headers
/// ([`SIGNATURE_HEADER`], [`TIMESTAMP_HEADER`]), as web frameworks built on the `http` crate
/// (axum, hyper, warp, poem...) hand them over.
///
/// A header value that is not text cannot be a signature or a timestamp: it fails as
/// [`WebhookError::NoMatchingSignature`] or [`WebhookError::InvalidTimestamp`] respectively, in
/// the order [`verify`] checks them.
///
/// ```
/// use gr4vy::reqwest::header::HeaderMap;
/// use gr4vy::webhooks::{self, WebhookError};
/// use std::time::{SystemTime, UNIX_EPOCH};
///
/// let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
/// let body = br#"{"type":"event","target":{"type":"transaction"}}"#;
/// let mut headers = HeaderMap::new();
/// headers.insert(webhooks::SIGNATURE_HEADER, webhooks::sign(body, "whsec-test", now)?.parse()?);
/// headers.insert(webhooks::TIMESTAMP_HEADER, now.to_string().parse()?);
///
/// webhooks::verify_headers(body, "whsec-test", &headers, webhooks::DEFAULT_TOLERANCE)?;
/// assert_eq!(
///     webhooks::verify_headers(body, "whsec-test", &HeaderMap::new(), webhooks::DEFAULT_TOLERANCE),
///     Err(WebhookError::MissingSignature),
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// The first check that fails, as a [`WebhookError`]; see [`verify`].
pub fn verify_headers(
    payload: impl AsRef<[u8]>,
    secret: impl AsRef<[u8]>,
    headers: &reqwest::header::HeaderMap,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    // Bytes that are not UTF-8 become U+FFFD, which is neither a hex digit nor a decimal one.
    let text = |name| {
        headers
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()))
    };
    let (signature, timestamp) = (text(SIGNATURE_HEADER), text(TIMESTAMP_HEADER));
    verify(
        payload,
        secret,
        signature.as_deref(),
        timestamp.as_deref(),
        tolerance,
    )
}

/// Checks that a webhook request was signed by Gr4vy with `secret`, using the system clock.
///
/// Pass the raw request body as `payload`, byte for byte as received: re-serialised JSON will
/// not match. The headers are `Option<&str>` so that a web framework's "header not present"
/// maps straight in; empty or whitespace-only values count as absent. The official header
/// names are `X-Gr4vy-Signature` and `X-Gr4vy-Timestamp`.
///
/// The signature header may hold several signatures separated by commas, as it does while a
/// secret is being rotated; the request verifies if any one of them matches. Each is compared
/// in constant time, so the time taken does not reveal how much of a guess was right.
///
/// `tolerance` bounds the age of the timestamp, which guards against a recorded request being
/// sent again later: the request is refused with [`WebhookError::TooOld`] when its timestamp is
/// more than `tolerance` before now. [`Duration::ZERO`] turns the age check off. A timestamp in
/// the future is accepted, as in Gr4vy's Python SDK, so a receiver whose clock runs behind is
/// not locked out.
///
/// See the [module documentation](crate::webhooks) for the order in which the checks run.
///
/// # Errors
///
/// The first check that fails, as a [`WebhookError`].
///
/// # Example
///
/// ```
/// use std::time::Duration;
///
/// use gr4vy::webhooks::{self, WebhookError};
///
/// # use hmac::{KeyInit, Mac};
/// # let now = std::time::SystemTime::now();
/// # let timestamp = now.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
/// # let timestamp = timestamp.to_string();
/// # let secret = "the webhook subscription's secret";
/// # let body = br#"{"type":"event","target":{"type":"transaction"}}"#;
/// # let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())?;
/// # mac.update(format!("{timestamp}.").as_bytes());
/// # mac.update(body);
/// # let tag = mac.finalize().into_bytes();
/// # let signature: String = tag.iter().map(|b| format!("{b:02x}")).collect();
/// // In a handler: the raw body, and the two headers as the framework hands them over.
/// let signature_header: Option<&str> = Some(&signature);
/// let timestamp_header: Option<&str> = Some(&timestamp);
/// let tolerance = Duration::from_secs(300);
///
/// webhooks::verify(body, secret, signature_header, timestamp_header, tolerance)?;
/// // Only now is the body worth parsing.
/// let event: serde_json::Value = serde_json::from_slice(body)?;
/// assert_eq!(event["type"], "event");
///
/// // A body altered in transit no longer matches its signature.
/// let altered = br#"{"type":"event","target":{"type":"buyer"}}"#;
/// assert_eq!(
///     webhooks::verify(altered, secret, signature_header, timestamp_header, tolerance),
///     Err(WebhookError::NoMatchingSignature),
/// );
/// // A request without a signature is refused before anything is computed.
/// assert_eq!(
///     webhooks::verify(body, secret, None, timestamp_header, tolerance),
///     Err(WebhookError::MissingSignature),
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify(
    payload: impl AsRef<[u8]>,
    secret: impl AsRef<[u8]>,
    signature_header: Option<&str>,
    timestamp_header: Option<&str>,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    verify_at(
        payload,
        secret,
        signature_header,
        timestamp_header,
        tolerance,
        SystemTime::now(),
    )
}

/// Same as [`verify`], with the current time given as `now` instead of read from the clock.
///
/// Tests use it to check the age limit without waiting, and a service that stores requests to
/// re-check them later can pass the time the request arrived.
///
/// # Errors
///
/// The first check that fails, as a [`WebhookError`]; see [`verify`].
pub fn verify_at(
    payload: impl AsRef<[u8]>,
    secret: impl AsRef<[u8]>,
    signature_header: Option<&str>,
    timestamp_header: Option<&str>,
    tolerance: Duration,
    now: SystemTime,
) -> Result<(), WebhookError> {
    if secret.as_ref().is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let signatures = non_blank(signature_header).ok_or(WebhookError::MissingSignature)?;
    let timestamp = non_blank(timestamp_header).ok_or(WebhookError::MissingTimestamp)?;
    let timestamp = parse_timestamp(timestamp)?;

    if !any_signature_matches(payload.as_ref(), secret.as_ref(), timestamp, signatures) {
        return Err(WebhookError::NoMatchingSignature);
    }
    check_age(timestamp, tolerance, now)
}

/// The signature header Gr4vy would send with `payload` at `timestamp` (Unix seconds): the
/// lowercase hex of HMAC-SHA256 over `"{timestamp}.{payload}"`, keyed with `secret`.
///
/// For tests of a webhook handler: sign a payload, then send it with this as the signature
/// header and `timestamp.to_string()` as the timestamp header, and [`verify`] accepts it.
///
/// ```
/// use gr4vy::webhooks;
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
/// let body = br#"{"type":"event","target":{"type":"transaction"}}"#;
/// let signature = webhooks::sign(body, "whsec-test", now)?;
/// let timestamp = now.to_string();
/// webhooks::verify(body, "whsec-test", Some(&signature), Some(&timestamp), Duration::from_secs(300))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`WebhookError::EmptySecret`] for an empty secret, which [`verify`] refuses too.
pub fn sign(
    payload: impl AsRef<[u8]>,
    secret: impl AsRef<[u8]>,
    timestamp: u64,
) -> Result<String, WebhookError> {
    if secret.as_ref().is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let mut mac =
        HmacSha256::new_from_slice(secret.as_ref()).map_err(|_| WebhookError::EmptySecret)?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload.as_ref());
    let tag = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(2 * TAG_LEN);
    for byte in tag {
        hex.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    Ok(hex)
}

/// Lowercase hex digits, by value.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The trimmed header value, or `None` when there is nothing in it.
fn non_blank(header: Option<&str>) -> Option<&str> {
    header.map(str::trim).filter(|value| !value.is_empty())
}

/// Unix seconds from the (already trimmed) timestamp header.
///
/// Only ASCII digits are accepted: `str::parse` alone would also take a leading `+`.
fn parse_timestamp(value: &str) -> Result<u64, WebhookError> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::InvalidTimestamp);
    }
    value.parse().map_err(|_| WebhookError::InvalidTimestamp)
}

/// Whether any comma-separated signature in `signatures` is the HMAC of this request.
///
/// The signed message starts with the timestamp as parsed, so a zero-padded header signs the
/// same message as the plain number, as in Gr4vy's Python SDK.
fn any_signature_matches(payload: &[u8], secret: &[u8], timestamp: u64, signatures: &str) -> bool {
    // HMAC takes keys of any length, so this cannot fail; if it ever did, nothing matches.
    let Ok(mut mac) = HmacSha256::new_from_slice(secret) else {
        return false;
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);

    signatures
        .split(',')
        .filter_map(|candidate| decode_tag(candidate.trim()))
        // `verify_slice` compares in constant time. The MAC state is cloned so the message is
        // hashed once, however many signatures the header holds.
        .any(|tag| mac.clone().verify_slice(&tag).is_ok())
}

/// The 32 bytes written as 64 hex digits (either case) in `hex`, or `None` if it is anything
/// else. The input is the sender's claim, not a secret, so this need not be constant-time.
fn decode_tag(hex: &str) -> Option<[u8; TAG_LEN]> {
    let digits = hex.as_bytes();
    if digits.len() != 2 * TAG_LEN {
        return None;
    }
    let mut tag = [0; TAG_LEN];
    for (byte, pair) in tag.iter_mut().zip(digits.chunks_exact(2)) {
        let [high, low] = pair else {
            return None;
        };
        *byte = (hex_value(*high)? << 4) | hex_value(*low)?;
    }
    Some(tag)
}

/// The value of one hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Refuses a timestamp more than `tolerance` before `now`; a zero tolerance accepts any age.
fn check_age(timestamp: u64, tolerance: Duration, now: SystemTime) -> Result<(), WebhookError> {
    if tolerance.is_zero() {
        return Ok(());
    }
    // A clock set before 1970 puts every timestamp in the future, which is accepted.
    let Ok(now) = now.duration_since(UNIX_EPOCH) else {
        return Ok(());
    };
    // `None` means the timestamp is in the future.
    match now.checked_sub(Duration::from_secs(timestamp)) {
        Some(age) if age > tolerance => Err(WebhookError::TooOld { age }),
        _ => Ok(()),
    }
}
