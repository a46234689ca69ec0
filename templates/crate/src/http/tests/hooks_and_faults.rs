//! Hooks, per-call base URLs, transport faults from a raw server, `Debug` and `tracing` output.

use super::*;

/// Records what each hook saw.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
}

struct Recording(Arc<Recorder>, &'static str);

impl Hooks for Recording {
    fn before_request(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let name = reqwest::header::HeaderName::from_static("x-hook");
        request.headers_mut().append(name, self.1.parse().unwrap());
        self.0
            .events
            .lock()
            .unwrap()
            .push(format!("{} before {}", self.1, request.url().path()));
        Ok(())
    }

    fn after_response(&self, response: &reqwest::Response) {
        self.0.events.lock().unwrap().push(format!(
            "{} after {}",
            self.1,
            response.status().as_u16()
        ));
    }

    fn on_error(&self, error: &Error) {
        self.0
            .events
            .lock()
            .unwrap()
            .push(format!("{} error {:?}", self.1, error.kind()));
    }
}

#[tokio::test]
async fn hooks_run_in_order_around_each_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let client = client_for(&server)
        .hook(Recording(recorder.clone(), "one"))
        .hook(Recording(recorder.clone(), "two"))
        .build()
        .unwrap();
    let _: Value = get(&client, "/ok").send().await.unwrap();
    let _ = Call::new(
        &client,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/conflict".to_owned(),
    )
    .send_empty()
    .await;

    let seen = requests(&server).await;
    let tags: Vec<_> = seen[0]
        .headers
        .get_all("x-hook")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(tags, ["one", "two"]);
    assert_eq!(
        *recorder.events.lock().unwrap(),
        [
            "one before /ok",
            "two before /ok",
            "one after 200",
            "two after 200",
            "one before /conflict",
            "two before /conflict",
            "one after 409",
            "two after 409",
            "one error Api",
            "two error Api",
        ]
    );
}

#[tokio::test]
async fn a_hook_can_refuse_a_request() {
    struct Refuse;
    impl Hooks for Refuse {
        fn before_request(&self, _: &mut reqwest::Request) -> Result<(), Error> {
            Err(Error::new(ErrorKind::InvalidRequest, "not today"))
        }
    }
    let server = respond(200).await;
    let client = client_for(&server).hook(Refuse).build().unwrap();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(error.attempts(), 0);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn build_problems_surface_from_send_and_reach_on_error() {
    let server = respond(200).await;
    let recorder = Arc::new(Recorder::default());
    let client = client_for(&server)
        .hook(Recording(recorder.clone(), "h"))
        .build()
        .unwrap();
    let mut call = get(&client, "/");
    call.header("x-bad", "line\nbreak");
    let error = call.send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(
        !error.to_string().contains("line"),
        "the value is not quoted: {error}"
    );
    let mut call = get(&client, "/");
    call.query("filter", &std::collections::BTreeMap::from([("a", 1)]));
    assert_eq!(
        call.send::<Value>().await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    let mut call = get(&client, "/");
    call.options(RequestOptions::new().header("bad name", "v"));
    assert_eq!(
        call.send::<Value>().await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    assert!(requests(&server).await.is_empty());
    assert_eq!(recorder.events.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn per_call_base_url_and_headers() {
    let server = respond(200).await;
    let other = respond(200).await;
    let client = client_for(&server).bearer_token("t").build().unwrap();
    let mut call = get(&client, "/x");
    call.options(
        RequestOptions::new()
            .base_url(format!("{}/prefix/", other.uri()))
            .bearer_token("per-call")
            .header("x-extra", "1"),
    );
    let _: Value = call.send().await.unwrap();
    assert!(requests(&server).await.is_empty());
    let seen = requests(&other).await;
    assert_eq!(seen[0].url.path(), "/prefix/x");
    assert_eq!(header(&seen[0], "authorization"), Some("Bearer per-call"));
    assert_eq!(header(&seen[0], "x-extra"), Some("1"));
}

/// A port where nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_retried_on_gets() {
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client, "/").send::<Value>().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(error.attempts() >= 3, "{}", error.attempts());
    assert!(started.elapsed() < Duration::from_millis(1_500));
    assert!(error.status().is_none() && error.body().is_none());
    let error = Call::new(
        &client,
        Method::POST,
        crate::http::Endpoint::new("test_call", "/test"),
        "/".to_owned(),
    )
    .send_empty()
    .await
    .unwrap_err();
    assert_eq!((error.kind(), error.attempts()), (ErrorKind::Transport, 1));
}

/// Serves one connection per reply on 127.0.0.1: reads the request head, writes the reply and
/// closes the connection.
fn raw_server(replies: Vec<&'static [u8]>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for reply in replies {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
            let mut head = Vec::new();
            let mut byte = [0; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            stream.write_all(reply).ok();
        }
    });
    port
}

const CUT_BODY: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{\"id\":";
const FULL_BODY: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\nconnection: close\r\n\r\n{\"id\":\"t\"}";

#[tokio::test]
async fn a_reset_before_headers_and_a_cut_body_are_transport_errors() {
    for reply in [&b""[..], CUT_BODY] {
        let port = raw_server(vec![reply]);
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}"))
            .build()
            .unwrap();
        let mut call = get(&client, "/");
        call.options(RequestOptions::new().no_retries());
        let error = call.send::<Value>().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
        assert_eq!(error.attempts(), 1);
    }
}

#[tokio::test]
async fn a_get_cut_short_is_retried() {
    let port = raw_server(vec![CUT_BODY, FULL_BODY]);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let body: Value = get(&client, "/").send().await.unwrap();
    assert_eq!(body, json!({"id": "t"}));
}

#[test]
fn debug_output_never_shows_credentials() {
    let builder = Client::builder()
        .bearer_token("super-secret-token")
        .global("x-test-global", "ma");
    let text = format!("{builder:?}");
    assert!(!text.contains("super-secret-token"), "{text}");
    assert!(text.contains("redacted"), "{text}");
    let client = builder.build().unwrap();
    let text = format!("{client:?} {client:#?}");
    assert!(!text.contains("super-secret-token"), "{text}");
    let provider = Client::builder().token_provider(|| Ok("provided-secret".to_owned()));
    assert!(!format!("{provider:?}").contains("provided-secret"));
    let options = RequestOptions::new().header("authorization", "Bearer per-call-secret");
    assert!(!format!("{options:?}").contains("per-call-secret"));
    let error = Client::builder()
        .bearer_token("bad\ntoken-secret")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(!format!("{error} {error:?}").contains("token-secret"));
}

#[test]
fn futures_and_errors_can_cross_threads() {
    fn send<T: Send>(_: &T) {}
    fn send_sync_static<T: Send + Sync + 'static>() {}
    send_sync_static::<Client>();
    send_sync_static::<Error>();
    let client = Client::builder().build().unwrap();
    let mut call = get(&client, "/");
    send(&call.send::<Value>());
    let pages = pages(
        None,
        1_u32,
        |n: u32| async move { Ok::<_, Error>(n) },
        |_: &u32| None,
        |_: &mut u32, _| {},
    );
    send(&items(pages, |n| vec![n]));
}

/// A `tracing` subscriber that keeps every event's fields as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

/// Appends `name=value ` for each field.
struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = self.0.lock().unwrap();
        span.record(&mut Fields(&mut text));
        text.push('\n');
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = self.0.lock().unwrap();
        values.record(&mut Fields(&mut text));
        text.push('\n');
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = self.0.lock().unwrap();
        event.record(&mut Fields(&mut text));
        text.push('\n');
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn tracing_names_the_operation_but_never_the_token_or_ids() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let client = client_for(&server)
        .bearer_token("tracing-secret")
        .retries(quick_retries())
        .build()
        .unwrap();
    {
        // The test runtime is single-threaded, so the whole call runs under this subscriber.
        let _guard = tracing::subscriber::set_default(capture.clone());
        let mut call = get(&client, "/buyers/b1");
        call.query("email", "someone@example.com");
        let _: Value = call.send().await.unwrap();
    }
    let text = capture.0.lock().unwrap().clone();
    // The span names the operation by its template; the path, with its id, is nowhere.
    assert!(text.contains("url.template=\"/test\""), "{text}");
    assert!(text.contains("gr4vy.operation_id=\"test_call\""), "{text}");
    assert!(!text.contains("b1"), "{text}");
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("attempt=2"), "{text}");
    assert!(!text.contains("tracing-secret"), "{text}");
    assert!(
        !text.contains("someone"),
        "query values stay out of logs: {text}"
    );
}
