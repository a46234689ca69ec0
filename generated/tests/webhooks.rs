//! `gr4vy::webhooks` against signatures made by the `openssl` command-line tool, so that the
//! expected values do not come from the code under test.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gr4vy::reqwest::header::{HeaderMap, HeaderValue};
use gr4vy::webhooks::{self, WebhookError, verify, verify_at, verify_headers};

const SECRET: &str = "wh-secret-3f9c1a7e5b20d864";
const OTHER_SECRET: &str = "wh-secret-previous-0a1b2c3d";
/// 2023-11-14T22:13:20Z.
const TS: u64 = 1_700_000_000;
const JSON: &str = r#"{"type":"event","id":"4a0b8b9a-5b2c-4bdf-8d2f-6c3d1e0f9a77","target":{"type":"transaction","amount":1299,"currency":"USD"}}"#;
const FIVE_MINUTES: Duration = Duration::from_secs(300);

/// HMAC-SHA256 of `message` under `secret`, as lowercase hex, computed by `openssl dgst`.
fn openssl_hmac(secret: &str, message: &[u8]) -> String {
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-hmac", secret])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| {
            panic!(
                "cannot run `openssl` ({err}): these tests need the OpenSSL command-line tool \
                 to compute reference signatures; install it (e.g. `apt-get install openssl`)"
            )
        });
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(message)
        .expect("write the message to openssl");
    let output = child.wait_with_output().expect("wait for openssl");
    assert!(
        output.status.success(),
        "openssl dgst failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // OpenSSL 3 prints `HMAC-SHA2-256(stdin)= <hex>`, 1.1 prints `(stdin)= <hex>`.
    let stdout = String::from_utf8(output.stdout).expect("openssl prints ASCII");
    let (_, hex) = stdout
        .trim()
        .rsplit_once("= ")
        .unwrap_or_else(|| panic!("unexpected openssl output: {stdout:?}"));
    assert!(
        hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        "unexpected openssl output: {stdout:?}"
    );
    hex.to_ascii_lowercase()
}

/// The signature Gr4vy would send for `payload` at `timestamp` (the header text).
fn sign(secret: &str, timestamp: &str, payload: &[u8]) -> String {
    let mut message = format!("{timestamp}.").into_bytes();
    message.extend_from_slice(payload);
    openssl_hmac(secret, &message)
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// Ten seconds after `TS`: well inside a five-minute tolerance.
fn shortly_after() -> SystemTime {
    at(TS + 10)
}

fn check(
    payload: &[u8],
    signature: Option<&str>,
    timestamp: Option<&str>,
) -> Result<(), WebhookError> {
    verify_at(
        payload,
        SECRET,
        signature,
        timestamp,
        FIVE_MINUTES,
        shortly_after(),
    )
}

#[test]
fn a_json_payload_with_its_signature_verifies() {
    let ts = TS.to_string();
    let signature = sign(SECRET, &ts, JSON.as_bytes());
    assert_eq!(check(JSON.as_bytes(), Some(&signature), Some(&ts)), Ok(()));
    // The payload and secret may be given as `&str`, `String`, `&[u8]` or `Vec<u8>`, whatever
    // the web framework hands over.
    let body_string = String::from(JSON);
    let body_bytes = Vec::from(JSON);
    let secret_string = String::from(SECRET);
    assert_eq!(
        verify_at(
            body_string,
            secret_string,
            Some(&signature),
            Some(&ts),
            FIVE_MINUTES,
            shortly_after(),
        ),
        Ok(())
    );
    assert_eq!(
        verify_at(
            body_bytes,
            SECRET.as_bytes(),
            Some(&signature),
            Some(&ts),
            FIVE_MINUTES,
            shortly_after(),
        ),
        Ok(())
    );
}

#[test]
fn a_payload_with_non_ascii_text_and_newlines_verifies() {
    let payload = "{\"buyer\":\"Zoë Ångström\",\n\"note\":\"商品 ✓ 🚀\"}\r\n\n".as_bytes();
    let ts = TS.to_string();
    let signature = sign(SECRET, &ts, payload);
    assert_eq!(check(payload, Some(&signature), Some(&ts)), Ok(()));
}

#[test]
fn a_secret_longer_than_the_hash_block_verifies() {
    // HMAC hashes keys longer than 64 bytes first; openssl and the crate must agree on that.
    let secret = "k".repeat(100);
    let ts = TS.to_string();
    let signature = sign(&secret, &ts, JSON.as_bytes());
    let result = verify_at(
        JSON,
        &secret,
        Some(&signature),
        Some(&ts),
        FIVE_MINUTES,
        shortly_after(),
    );
    assert_eq!(result, Ok(()));
}

#[test]
fn verify_reads_the_system_clock() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let fresh = now.to_string();
    let signature = sign(SECRET, &fresh, JSON.as_bytes());
    assert_eq!(
        verify(JSON, SECRET, Some(&signature), Some(&fresh), FIVE_MINUTES),
        Ok(())
    );

    let hour_old = (now - 3600).to_string();
    let signature = sign(SECRET, &hour_old, JSON.as_bytes());
    let result = verify(
        JSON,
        SECRET,
        Some(&signature),
        Some(&hour_old),
        FIVE_MINUTES,
    );
    assert!(
        matches!(result, Err(WebhookError::TooOld { age }) if age >= Duration::from_secs(3600)),
        "{result:?}"
    );
}

#[test]
fn any_one_of_several_signatures_may_match() {
    let ts = TS.to_string();
    let good = sign(SECRET, &ts, JSON.as_bytes());
    let old = sign(OTHER_SECRET, &ts, JSON.as_bytes());
    let other = sign("yet-another-secret", &ts, JSON.as_bytes());

    for header in [
        format!("{good},{old},{other}"),
        format!("{old},{good},{other}"),
        format!("{old},{other},{good}"),
    ] {
        assert_eq!(
            check(JSON.as_bytes(), Some(&header), Some(&ts)),
            Ok(()),
            "{header}"
        );
    }
    // None of them made with this secret: no match.
    let header = format!("{old},{other}");
    assert_eq!(
        check(JSON.as_bytes(), Some(&header), Some(&ts)),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn spaces_around_the_signatures_are_ignored() {
    let ts = TS.to_string();
    let good = sign(SECRET, &ts, JSON.as_bytes());
    let old = sign(OTHER_SECRET, &ts, JSON.as_bytes());
    for header in [
        format!("{old}, {good}"),
        format!("{old} ,  {good} "),
        format!(" {good}\t, {old}"),
    ] {
        assert_eq!(
            check(JSON.as_bytes(), Some(&header), Some(&ts)),
            Ok(()),
            "{header:?}"
        );
    }
}

#[test]
fn uppercase_hex_is_accepted() {
    let ts = TS.to_string();
    let good = sign(SECRET, &ts, JSON.as_bytes());
    let upper = good.to_ascii_uppercase();
    assert_ne!(upper, good, "the signature has letters in it");
    assert_eq!(check(JSON.as_bytes(), Some(&upper), Some(&ts)), Ok(()));
    let old = sign(OTHER_SECRET, &ts, JSON.as_bytes());
    let mixed = format!("{old}, {upper}");
    assert_eq!(check(JSON.as_bytes(), Some(&mixed), Some(&ts)), Ok(()));
}

#[test]
fn a_signature_made_with_another_secret_does_not_match() {
    let ts = TS.to_string();
    let signature = sign(OTHER_SECRET, &ts, JSON.as_bytes());
    assert_eq!(
        check(JSON.as_bytes(), Some(&signature), Some(&ts)),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn changing_one_byte_of_the_payload_breaks_the_signature() {
    let ts = TS.to_string();
    let signature = sign(SECRET, &ts, JSON.as_bytes());
    let mut tampered = JSON.as_bytes().to_vec();
    let amount = JSON.find("1299").expect("the payload has an amount");
    tampered[amount] = b'9';
    assert_eq!(
        check(&tampered, Some(&signature), Some(&ts)),
        Err(WebhookError::NoMatchingSignature)
    );
    // A trailing newline is a change too.
    let mut with_newline = JSON.as_bytes().to_vec();
    with_newline.push(b'\n');
    assert_eq!(
        check(&with_newline, Some(&signature), Some(&ts)),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn changing_the_timestamp_breaks_the_signature() {
    let signature = sign(SECRET, &TS.to_string(), JSON.as_bytes());
    let later = (TS + 1).to_string();
    assert_eq!(
        check(JSON.as_bytes(), Some(&signature), Some(&later)),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn the_timestamp_is_signed_as_the_number_it_reads_as() {
    let signature = sign(SECRET, &TS.to_string(), JSON.as_bytes());
    // Whitespace around the header value is trimmed ...
    let padded = format!("  {TS}\t");
    assert_eq!(
        check(JSON.as_bytes(), Some(&signature), Some(&padded)),
        Ok(())
    );
    // ... and leading zeros do not change the number, as in Gr4vy's Python SDK.
    let zero_padded = format!("00{TS}");
    assert_eq!(
        check(JSON.as_bytes(), Some(&signature), Some(&zero_padded)),
        Ok(())
    );
}

#[test]
fn a_missing_or_blank_signature_header_is_missing_signature() {
    let ts = TS.to_string();
    for header in [None, Some(""), Some("   "), Some("\t\r\n")] {
        assert_eq!(
            check(JSON.as_bytes(), header, Some(&ts)),
            Err(WebhookError::MissingSignature),
            "{header:?}"
        );
    }
}

#[test]
fn a_missing_or_blank_timestamp_header_is_missing_timestamp() {
    let signature = sign(SECRET, &TS.to_string(), JSON.as_bytes());
    for header in [None, Some(""), Some(" "), Some("\n")] {
        assert_eq!(
            check(JSON.as_bytes(), Some(&signature), header),
            Err(WebhookError::MissingTimestamp),
            "{header:?}"
        );
    }
}

#[test]
fn a_timestamp_that_is_not_plain_digits_is_invalid() {
    let signature = sign(SECRET, &TS.to_string(), JSON.as_bytes());
    for header in [
        "abc",
        "-1",
        "1.5",
        "12a",
        "+1700000000",
        "1700000000 1",
        "1_700_000_000",
        "0x65",
        "١٢٣",                  // Arabic-Indic digits are not ASCII digits
        "99999999999999999999", // more than u64::MAX
    ] {
        assert_eq!(
            check(JSON.as_bytes(), Some(&signature), Some(header)),
            Err(WebhookError::InvalidTimestamp),
            "{header:?}"
        );
    }
}

#[test]
fn a_timestamp_older_than_the_tolerance_is_too_old() {
    let ts = TS.to_string();
    let signature = sign(SECRET, &ts, JSON.as_bytes());
    let result = verify_at(
        JSON,
        SECRET,
        Some(&signature),
        Some(&ts),
        FIVE_MINUTES,
        at(TS + 301),
    );
    assert_eq!(
        result,
        Err(WebhookError::TooOld {
            age: Duration::from_secs(301)
        })
    );
    // A fraction of a second past the limit already counts.
    let just_over = at(TS + 300) + Duration::from_millis(1);
    let result = verify_at(
        JSON,
        SECRET,
        Some(&signature),
        Some(&ts),
        FIVE_MINUTES,
        just_over,
    );
    assert_eq!(
        result,
        Err(WebhookError::TooOld {
            age: Duration::from_millis(300_001)
        })
    );
}

#[test]
fn a_timestamp_exactly_at_the_tolerance_is_accepted() {
    let ts = TS.to_string();
    let signature = sign(SECRET, &ts, JSON.as_bytes());
    let result = verify_at(
        JSON,
        SECRET,
        Some(&signature),
        Some(&ts),
        FIVE_MINUTES,
        at(TS + 300),
    );
    assert_eq!(result, Ok(()));
}

#[test]
fn a_zero_tolerance_accepts_any_age() {
    let ancient = "1";
    let signature = sign(SECRET, ancient, JSON.as_bytes());
    let result = verify_at(
        JSON,
        SECRET,
        Some(&signature),
        Some(ancient),
        Duration::ZERO,
        at(TS),
    );
    assert_eq!(result, Ok(()));
    // With a tolerance, the same request is refused.
    let result = verify_at(
        JSON,
        SECRET,
        Some(&signature),
        Some(ancient),
        FIVE_MINUTES,
        at(TS),
    );
    assert_eq!(
        result,
        Err(WebhookError::TooOld {
            age: Duration::from_secs(TS - 1)
        })
    );
}

#[test]
fn a_timestamp_in_the_future_is_accepted() {
    let future = (TS + 3600).to_string();
    let signature = sign(SECRET, &future, JSON.as_bytes());
    assert_eq!(
        check(JSON.as_bytes(), Some(&signature), Some(&future)),
        Ok(())
    );
    // The largest timestamp there is, against a clock set before 1970: no overflow, no panic.
    let far = u64::MAX.to_string();
    let signature = sign(SECRET, &far, JSON.as_bytes());
    let before_1970 = UNIX_EPOCH - Duration::from_secs(1);
    let result = verify_at(
        JSON,
        SECRET,
        Some(&signature),
        Some(&far),
        FIVE_MINUTES,
        before_1970,
    );
    assert_eq!(result, Ok(()));
}

#[test]
fn malformed_signatures_do_not_match_and_do_not_panic() {
    let ts = TS.to_string();
    let good = sign(SECRET, &ts, JSON.as_bytes());
    let garbage = [
        good[..63].to_string(),        // one hex digit short
        format!("{good}0"),            // one hex digit too many
        good[..62].to_string(),        // one byte short
        format!("{}zz", &good[..62]),  // right length, not hex
        "g".repeat(64),                // right length, not hex at all
        format!("{}é", &good[..62]),   // right byte length, multi-byte char at the end
        format!("sha256={good}"),      // a prefix this scheme does not use
        ",,,".to_string(),             // nothing but separators
        "not a signature".to_string(), // plain garbage
        "\u{0}".repeat(64),            // control characters
        "ñ".repeat(32),                // 64 bytes of non-ASCII
    ];
    for header in &garbage {
        assert_eq!(
            check(JSON.as_bytes(), Some(header), Some(&ts)),
            Err(WebhookError::NoMatchingSignature),
            "{header:?}"
        );
    }
    // Garbage next to the right signature does not stop it from matching.
    let header = format!("{}, {good}, {}", garbage[0], garbage[3]);
    assert_eq!(check(JSON.as_bytes(), Some(&header), Some(&ts)), Ok(()));
}

#[test]
fn errors_are_checked_in_the_documented_order() {
    let ts = TS.to_string();
    let good = sign(SECRET, &ts, JSON.as_bytes());
    let bad = sign(OTHER_SECRET, &ts, JSON.as_bytes());

    // 1. Missing headers come first: the signature header, then the timestamp header.
    assert_eq!(
        check(JSON.as_bytes(), None, None),
        Err(WebhookError::MissingSignature)
    );
    assert_eq!(
        check(JSON.as_bytes(), None, Some("abc")),
        Err(WebhookError::MissingSignature)
    );
    assert_eq!(
        check(JSON.as_bytes(), Some("garbage"), None),
        Err(WebhookError::MissingTimestamp)
    );
    // 2. Then the timestamp must parse, whatever the signature.
    assert_eq!(
        check(JSON.as_bytes(), Some(&bad), Some("12a")),
        Err(WebhookError::InvalidTimestamp)
    );
    assert_eq!(
        check(JSON.as_bytes(), Some(&good), Some("-1")),
        Err(WebhookError::InvalidTimestamp)
    );
    // 3. Then a signature must match: a forged old request is told "no match", not "too old".
    let old_ts = (TS - 3600).to_string();
    assert_eq!(
        check(JSON.as_bytes(), Some(&bad), Some(&old_ts)),
        Err(WebhookError::NoMatchingSignature)
    );
    // 4. Only a genuine request learns that it is too old.
    let genuine_old = sign(SECRET, &old_ts, JSON.as_bytes());
    assert_eq!(
        check(JSON.as_bytes(), Some(&genuine_old), Some(&old_ts)),
        Err(WebhookError::TooOld {
            age: Duration::from_secs(3610)
        })
    );
}

#[test]
fn errors_never_show_the_secret_the_signature_or_the_payload() {
    let ts = TS.to_string();
    let good = sign(SECRET, &ts, JSON.as_bytes());
    let old_ts = (TS - 3600).to_string();
    let good_old = sign(SECRET, &old_ts, JSON.as_bytes());
    // The signature the crate would have expected for the tampered payload below.
    let tampered = format!("{JSON} ");
    let expected_for_tampered = sign(SECRET, &ts, tampered.as_bytes());

    let errors = [
        check(JSON.as_bytes(), None, Some(&ts)),
        check(JSON.as_bytes(), Some(&good), None),
        check(JSON.as_bytes(), Some(&good), Some("abc")),
        check(tampered.as_bytes(), Some(&good), Some(&ts)),
        check(JSON.as_bytes(), Some(&good_old), Some(&old_ts)),
    ]
    .map(|result| result.expect_err("every case fails"));
    assert!(matches!(errors[0], WebhookError::MissingSignature));
    assert!(matches!(errors[1], WebhookError::MissingTimestamp));
    assert!(matches!(errors[2], WebhookError::InvalidTimestamp));
    assert!(matches!(errors[3], WebhookError::NoMatchingSignature));
    assert!(matches!(errors[4], WebhookError::TooOld { .. }));

    let secrets = [
        SECRET.to_string(),
        good.clone(),
        good.to_ascii_uppercase(),
        good_old.clone(),
        expected_for_tampered.clone(),
        // A 16-digit run of any of them is already too much.
        good[..16].to_string(),
        expected_for_tampered[..16].to_string(),
        JSON.to_string(),
        "4a0b8b9a".to_string(),
    ];
    for error in &errors {
        let display = error.to_string();
        let debug = format!("{error:?}");
        let alternate = format!("{error:#?}");
        assert!(!display.is_empty());
        // Usable as a boxed error.
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error.clone());
        assert_eq!(boxed.to_string(), display);
        for text in [&display, &debug, &alternate] {
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{text:?} contains {secret:?}"
                );
            }
        }
    }
}

#[test]
fn an_empty_secret_is_refused_before_anything_else() {
    // With an empty key anyone can compute a matching signature, so the check stops first.
    let timestamp = TS.to_string();
    let signature = sign(SECRET, &timestamp, JSON.as_bytes());
    assert_eq!(
        verify_at(
            JSON,
            "",
            Some(&signature),
            Some(&timestamp),
            FIVE_MINUTES,
            shortly_after()
        ),
        Err(WebhookError::EmptySecret)
    );
    assert_eq!(
        verify_at(JSON, b"", None, None, FIVE_MINUTES, shortly_after()),
        Err(WebhookError::EmptySecret)
    );
    assert!(!WebhookError::EmptySecret.to_string().is_empty());
}

/// `webhooks::sign` writes what Gr4vy sends: the same hex as OpenSSL's HMAC-SHA256, which
/// `verify` accepts; an empty secret is refused as `verify` refuses it.
#[test]
fn sign_builds_the_header_that_verify_accepts() {
    let payloads: [&[u8]; 3] = [b"{\"a\":1}", b"", "caf\u{e9}\n{}".as_bytes()];
    for payload in payloads {
        let signature = gr4vy::webhooks::sign(payload, SECRET, 1_700_000_000).expect("signs");
        assert_eq!(
            signature,
            openssl_hmac(SECRET, &[b"1700000000.".as_slice(), payload].concat())
        );
        let checked = verify_at(
            payload,
            SECRET,
            Some(&signature),
            Some("1700000000"),
            Duration::from_secs(300),
            at(1_700_000_010),
        );
        assert_eq!(checked, Ok(()));
    }
    assert_eq!(
        gr4vy::webhooks::sign(b"{}", "", 1),
        Err(WebhookError::EmptySecret)
    );
}

/// The current time in Unix seconds, for the checks that read the system clock.
fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

/// A header map with these raw values under the names Gr4vy sends (in Gr4vy's capitalization:
/// header names are case-insensitive).
fn headers(signature: Option<&[u8]>, timestamp: Option<&[u8]>) -> HeaderMap {
    let mut map = HeaderMap::new();
    let value = |bytes: &[u8]| HeaderValue::from_bytes(bytes).expect("a header value");
    if let Some(bytes) = signature {
        map.insert("X-Gr4vy-Signature", value(bytes));
    }
    if let Some(bytes) = timestamp {
        map.insert("X-Gr4vy-Timestamp", value(bytes));
    }
    map
}

#[test]
fn verify_headers_reads_gr4vys_two_headers() {
    let now = now_secs();
    let signature = openssl_hmac(SECRET, format!("{now}.{JSON}").as_bytes());
    let timestamp = now.to_string();
    let signed = headers(Some(signature.as_bytes()), Some(timestamp.as_bytes()));
    assert_eq!(
        verify_headers(JSON, SECRET, &signed, webhooks::DEFAULT_TOLERANCE),
        Ok(())
    );
    assert_eq!(
        verify_headers(JSON, OTHER_SECRET, &signed, webhooks::DEFAULT_TOLERANCE),
        Err(WebhookError::NoMatchingSignature)
    );
    let unsigned = headers(None, Some(timestamp.as_bytes()));
    assert_eq!(
        verify_headers(JSON, SECRET, &unsigned, webhooks::DEFAULT_TOLERANCE),
        Err(WebhookError::MissingSignature)
    );
    let undated = headers(Some(signature.as_bytes()), None);
    assert_eq!(
        verify_headers(JSON, SECRET, &undated, webhooks::DEFAULT_TOLERANCE),
        Err(WebhookError::MissingTimestamp)
    );
}

#[test]
fn verify_headers_fails_header_values_that_are_not_text_precisely() {
    let now = now_secs().to_string();
    // 0xFF is allowed in a header value but is not UTF-8.
    let garbled = headers(Some(b"ab\xffcd"), Some(now.as_bytes()));
    assert_eq!(
        verify_headers(JSON, SECRET, &garbled, webhooks::DEFAULT_TOLERANCE),
        Err(WebhookError::NoMatchingSignature)
    );
    let garbled = headers(Some(b"abcd"), Some(b"17\xff"));
    assert_eq!(
        verify_headers(JSON, SECRET, &garbled, webhooks::DEFAULT_TOLERANCE),
        Err(WebhookError::InvalidTimestamp)
    );
}
