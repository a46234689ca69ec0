//! Retries: the spec's policy, per-call policies, budgets, `Retry-After`, and the calls never
//! repeated.

use super::*;

#[tokio::test]
async fn get_retries_503_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t1"})))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let started = Instant::now();
    let body: Value = get(&client, "/transactions/t1").send().await.unwrap();
    assert_eq!(body, json!({"id": "t1"}));
    assert_eq!(requests(&server).await.len(), 3);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(400),
        "two 200 ms waits: {elapsed:?}"
    );
}

#[tokio::test]
async fn get_gives_up_on_a_persistent_503_within_the_budget() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let started = Instant::now();
    let error = get(&client, "/transactions")
        .send::<Value>()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let sent = requests(&server).await.len();
    // The budget stops new waits at 1 s; the last attempt itself may run past it.
    assert!(elapsed < Duration::from_millis(1_500), "{elapsed:?}");
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.body(), Some(&b"busy"[..]));
    assert_eq!(error.attempts() as usize, sent);
    assert!((3..=6).contains(&sent), "200 ms apart within 1 s: {sent}");
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = respond(503).await;
    let client = client_for(&server).build().unwrap();
    let mut call = Call::new(
        &client,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/transactions".to_owned(),
    );
    call.idempotency_key_header("Idempotency-Key");
    call.json(&json!({"amount": 100}));
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.attempts(), 1);
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(
        header(&seen[0], "idempotency-key"),
        None,
        "no retries, no generated key"
    );
}

#[tokio::test]
async fn post_with_client_retries_reuses_one_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "t1"})))
        .mount(&server)
        .await;
    let client = client_for(&server)
        .retries(quick_retries())
        .build()
        .unwrap();
    let mut call = Call::new(
        &client,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/transactions".to_owned(),
    );
    call.idempotency_key_header("Idempotency-Key");
    call.json(&json!({"amount": 100}));
    let body: Value = call.send().await.unwrap();
    assert_eq!(body["id"], "t1");

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 3);
    let keys: Vec<_> = seen.iter().map(|r| header(r, "idempotency-key")).collect();
    let key = keys[0].expect("a generated key");
    assert_eq!(key.len(), 36, "a UUID: {key}");
    assert!(keys.iter().all(|k| *k == Some(key)), "{keys:?}");
    assert!(seen.iter().all(|r| r.body == br#"{"amount":100}"#));

    // A key the caller sets is kept.
    let mut call = Call::new(
        &client,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/transactions".to_owned(),
    );
    call.idempotency_key_header("Idempotency-Key");
    call.header("Idempotency-Key", &Some("mine"));
    let _: Value = call.send().await.unwrap();
    let seen = requests(&server).await;
    assert_eq!(header(&seen[3], "idempotency-key"), Some("mine"));
}

#[tokio::test]
async fn retry_after_replaces_the_backoff_within_the_budget() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let generous = RetryConfig::backoff(Backoff {
        max_elapsed_time: Duration::from_secs(3),
        ..*quick_retries().backoff_settings().unwrap()
    });
    let client = client_for(&server).retries(generous).build().unwrap();
    let started = Instant::now();
    let _: Value = get(&client, "/").send().await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1),
        "waited as asked: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_millis(1_800), "{elapsed:?}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = client_for(&server).build().unwrap();
    let started = Instant::now();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        error
            .headers()
            .and_then(|h| h.get("retry-after"))
            .map(|v| v.as_bytes()),
        Some(&b"30"[..])
    );
}

#[tokio::test]
async fn no_retries_per_call_wins_over_the_spec_default() {
    let server = respond(500).await;
    let client = client_for(&server).build().unwrap();
    let mut call = get(&client, "/");
    call.options(RequestOptions::new().no_retries());
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(requests(&server).await.len(), 1);
    // And a client-level `none` turns the spec default off for every call.
    let client = client_for(&server)
        .retries(RetryConfig::none())
        .build()
        .unwrap();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn per_call_retries_apply_to_that_call_only() {
    let server = respond(503).await;
    let client = client_for(&server).build().unwrap();
    let mut call = Call::new(
        &client,
        Method::GET,
        crate::http::Endpoint::new("test_call", "/test"),
        "/x".to_owned(),
    );
    call.options(RequestOptions::new().retries(RetryConfig::backoff(Backoff {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        max_elapsed_time: Duration::from_millis(100),
        exponent: 1.0,
    })));
    let error = call.send_empty().await.unwrap_err();
    assert!(error.attempts() > 2, "{}", error.attempts());
    let before = requests(&server).await.len();
    let error = Call::new(
        &client,
        Method::GET,
        crate::http::Endpoint::new("test_call", "/test"),
        "/x".to_owned(),
    )
    .send_empty()
    .await
    .unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(requests(&server).await.len(), before + 1);
}

#[tokio::test]
async fn a_policy_never_repeats_a_call_that_is_not_safe_to_repeat() {
    let server = respond(503).await;
    let client = client_for(&server)
        .retries(RetryConfig::backoff(Backoff {
            initial_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(10),
            max_elapsed_time: Duration::from_millis(500),
            exponent: 1.0,
        }))
        .build()
        .unwrap();
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let error = Call::new(
            &client,
            method.clone(),
            crate::http::Endpoint::new("test_call", "/x"),
            "/x".to_owned(),
        )
        .send_empty()
        .await
        .unwrap_err();
        assert_eq!(error.attempts(), 1, "{method}");
        assert!(error.may_have_been_processed());
        assert!(error.to_string().contains("not retried"), "{error}");
    }
    assert_eq!(requests(&server).await.len(), 3);
    // A declared idempotency-key header makes the same calls repeatable.
    let mut call = Call::new(
        &client,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/x".to_owned(),
    );
    call.idempotency_key_header("idempotency-key");
    let error = call.send_empty().await.unwrap_err();
    assert!(error.attempts() > 1, "{error}");
    assert!(!error.to_string().contains("not retried"), "{error}");
}
