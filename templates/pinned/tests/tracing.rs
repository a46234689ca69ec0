//! Every call is one `tracing` span with the fields an operator filters on, named as
//! OpenTelemetry's HTTP client conventions name them, and every retry is one event saying why and
//! how long it waits. Ids stay out: the span has the URL template, not the URL.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gr4vy::{Backoff, Client, RequestOptions, RetryConfig};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/seeds.rs"]
mod seeds;

/// Fields of one span or event, as text.
type Fields = BTreeMap<String, String>;

#[derive(Default)]
struct Seen {
    spans: Vec<(String, Fields)>,
    /// Each span's parent (its id), in the order of `spans`.
    parents: Vec<Option<u64>>,
    /// The spans entered and not yet exited, innermost last (the tests run on one thread).
    entered: Vec<u64>,
    events: Vec<Fields>,
}

/// A subscriber that keeps every span's fields (as created, then as recorded) and every event.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Seen>>);

struct Visitor<'a>(&'a mut Fields);

impl tracing::field::Visit for Visitor<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields::new();
        span.record(&mut Visitor(&mut fields));
        let mut seen = self.0.lock().unwrap();
        let parent = match span.parent() {
            Some(id) => Some(id.into_u64()),
            None if span.is_contextual() => seen.entered.last().copied(),
            None => None,
        };
        seen.parents.push(parent);
        seen.spans
            .push((span.metadata().name().to_string(), fields));
        tracing::span::Id::from_u64(seen.spans.len() as u64)
    }

    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut seen = self.0.lock().unwrap();
        let index = usize::try_from(id.into_u64()).unwrap() - 1;
        values.record(&mut Visitor(&mut seen.spans[index].1));
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Visitor(&mut fields));
        self.0.lock().unwrap().events.push(fields);
    }

    fn enter(&self, id: &tracing::span::Id) {
        self.0.lock().unwrap().entered.push(id.into_u64());
    }

    fn exit(&self, _: &tracing::span::Id) {
        self.0.lock().unwrap().entered.pop();
    }
}

fn field<'f>(fields: &'f Fields, name: &str) -> Option<&'f str> {
    fields.get(name).map(String::as_str)
}

#[tokio::test]
async fn a_call_is_one_span_and_a_retry_one_event() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seeds::docs_transaction()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("secret-token-value")
        .merchant_account_id("merchant-7")
        .build()
        .unwrap();
    let backoff = Backoff {
        initial_interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(1),
        max_elapsed_time: Duration::from_secs(5),
        exponent: 1.0,
    };
    client
        .transactions()
        .get("tx-4711-private")
        .options(RequestOptions::new().retries(RetryConfig::backoff(backoff).status_codes(["5XX"])))
        .send()
        .await
        .expect("the retry succeeds");

    let seen = recorder.0.lock().unwrap();
    let calls: Vec<&Fields> = seen
        .spans
        .iter()
        .filter(|(name, _)| name == "gr4vy.call")
        .map(|(_, fields)| fields)
        .collect();
    assert_eq!(calls.len(), 1, "one span per call: {:#?}", seen.spans);
    let span = calls[0];
    let expected = [
        ("otel.name", "GET /transactions/{transaction_id}"),
        ("otel.kind", "client"),
        ("gr4vy.operation_id", "get_transaction"),
        ("http.request.method", "GET"),
        ("url.template", "/transactions/{transaction_id}"),
        ("server.address", "127.0.0.1"),
        ("gr4vy.merchant_account_id", "merchant-7"),
        ("gr4vy.attempts", "2"),
        ("http.request.resend_count", "1"),
        ("http.response.status_code", "200"),
    ];
    for (name, value) in expected {
        assert_eq!(field(span, name), Some(value), "{name} in {span:#?}");
    }
    assert!(span.contains_key("gr4vy.duration_ms"), "{span:#?}");
    assert!(!span.contains_key("error.type"), "{span:#?}");

    let retries: Vec<&Fields> = seen
        .events
        .iter()
        .filter(|e| field(e, "message") == Some("gr4vy: retrying"))
        .collect();
    assert_eq!(retries.len(), 1, "{:#?}", seen.events);
    assert_eq!(field(retries[0], "reason"), Some("status 503"));
    assert_eq!(field(retries[0], "attempt"), Some("1"));
    assert!(retries[0].contains_key("wait_ms"), "{:#?}", retries[0]);

    // Neither the id in the URL nor the token is in any span or event.
    let everything = format!("{:?} {:?}", seen.spans, seen.events);
    for secret in ["tx-4711-private", "secret-token-value"] {
        assert!(!everything.contains(secret), "{secret} was traced");
    }
}

#[tokio::test]
async fn a_failed_call_records_its_status_and_error_kind() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "type": "error", "code": "not_found", "status": 404, "message": "The resource could not be found"
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .unwrap();
    let error = client.transactions().get("tx-1").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    let seen = recorder.0.lock().unwrap();
    let (_, span) = seen
        .spans
        .iter()
        .find(|(name, _)| name == "gr4vy.call")
        .expect("a call span");
    assert_eq!(field(span, "http.response.status_code"), Some("404"));
    assert_eq!(field(span, "error.type"), Some("Api"));
    assert_eq!(field(span, "gr4vy.attempts"), Some("1"));
    // No merchant account was set: the field is left out rather than empty.
    assert_eq!(field(span, "gr4vy.merchant_account_id"), None);
}

#[tokio::test]
async fn a_call_span_is_a_child_of_the_span_it_runs_in() {
    use tracing::Instrument;

    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seeds::docs_transaction()))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let checkout = tracing::info_span!("checkout");
    client
        .transactions()
        .get("t1")
        .send()
        .instrument(checkout)
        .await
        .expect("the call succeeds");

    let seen = recorder.0.lock().unwrap();
    let id = |name: &str| {
        let index = seen.spans.iter().position(|(n, _)| n == name);
        index
            .map(|i| i as u64 + 1)
            .unwrap_or_else(|| panic!("no {name} span"))
    };
    let call = usize::try_from(id("gr4vy.call")).unwrap() - 1;
    assert_eq!(
        seen.parents[call],
        Some(id("checkout")),
        "{:#?}",
        seen.spans
    );
}
