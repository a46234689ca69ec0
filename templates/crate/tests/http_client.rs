//! The client's public configuration surface, as an application sees it: building, credentials,
//! retry settings, per-call options and errors. (Requests on the wire are tested in the runtime's
//! own unit tests, and with the pinned spec's operations in `operations.rs` and
//! `http_client_calls.rs`.)

use std::time::Duration;

use gr4vy::{Backoff, Client, Error, ErrorKind, RequestOptions, RetryConfig};

#[test]
fn build_rejects_what_cannot_be_a_base_url() {
    let unknown = Client::builder()
        .server_variable("region", "eu")
        .build()
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::InvalidRequest);
    assert!(unknown.to_string().contains("region"), "{unknown}");
    for url in ["not a url", "ftp://files.example", ""] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{url}");
    }
    let error = Client::builder()
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
}

#[test]
fn secrets_stay_out_of_debug_and_display() {
    let builder = Client::builder().bearer_token("sk-live-0123456789");
    assert!(!format!("{builder:?}").contains("sk-live"));
    let client = builder.clone().build().unwrap();
    assert!(!format!("{client:?}").contains("sk-live"));
    assert!(!format!("{:?}", client.clone()).contains("sk-live"));
    let error = Client::builder()
        .bearer_token("sk-live\nsecond-line")
        .build()
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("sk-live"));
    let options = RequestOptions::new().header("x-api-secret", "sk-live-xyz");
    let text = format!("{options:?}");
    assert!(
        text.contains("x-api-secret") && !text.contains("sk-live"),
        "{text}"
    );
}

#[test]
fn retry_configuration() {
    let backoff = Backoff {
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(5),
        max_elapsed_time: Duration::from_secs(30),
        exponent: 1.5,
    };
    let default = RetryConfig::backoff(backoff);
    assert!(default.is_enabled() && default.retries_connection_errors());
    assert_eq!(default.status_code_patterns(), ["5XX"]);
    assert_eq!(default.backoff_settings(), Some(&backoff));

    let custom = RetryConfig::backoff(backoff)
        .status_codes(["429", "503"])
        .retry_connection_errors(false);
    assert!(custom.matches_status(429) && custom.matches_status(503));
    assert!(!custom.matches_status(500) && !custom.retries_connection_errors());

    assert!(!RetryConfig::none().is_enabled());
    assert_eq!(RetryConfig::default(), RetryConfig::none());
}

#[test]
fn errors_made_by_applications() {
    let error = Error::auth("the signing key is missing");
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.attempts(), 0);
    assert!(error.status().is_none() && error.body().is_none() && error.api_error().is_none());
    assert!(
        error.to_string().contains("the signing key is missing"),
        "{error}"
    );
    let io = std::io::Error::other("disk on fire");
    let error = Error::new(ErrorKind::InvalidRequest, io);
    let source = std::error::Error::source(&error).expect("the cause is kept");
    assert_eq!(source.to_string(), "disk on fire");
}

#[test]
fn reqwest_is_reexported_for_hooks_and_custom_clients() {
    let _: Option<gr4vy::reqwest::StatusCode> = None;
    let http = Client::http_client_builder()
        .unwrap()
        .pool_max_idle_per_host(2)
        .build()
        .unwrap();
    let client = Client::builder().http_client(http).build().unwrap();
    assert!(format!("{client:?}").contains("Client"));
}
