//! Secrets never leak: no key material and no token in `Debug` output, error messages, `tracing`
//! events or `log` records.
//!
//! One test per binary owns the process-wide `tracing` subscriber and `log` logger, so this file
//! holds a single test that listens to everything at every level while it makes calls that
//! succeed, fail, retry and run hooks, then searches what it heard and what it can format for the
//! secrets it used.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use gr4vy::auth::{EmbedParams, PrivateKey, TokenOptions};
use gr4vy::{Client, Error, Hooks, RequestOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/seeds.rs"]
mod seeds;

const PEM: &str = include_str!("support/test_key.pem");
const STATIC_TOKEN: &str = "static-token-3b9f0c2e-do-not-log";
const PER_CALL_TOKEN: &str = "per-call-token-77d1a4e0-do-not-log";

/// Everything heard, one line per event, span or log record.
#[derive(Clone, Default)]
struct Heard(Arc<Mutex<String>>);

impl Heard {
    fn push(&self, line: &str) {
        let mut heard = self.0.lock().unwrap();
        heard.push_str(line);
        heard.push('\n');
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }
}

/// Writes every field of an event or span, with its `Debug` form.
struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl tracing::Subscriber for Heard {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }

    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("span {}:", span.metadata().target()));
        span.record(&mut fields);
        self.push(&fields.0);
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields("record:".to_owned());
        values.record(&mut fields);
        self.push(&fields.0);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!("event {}:", event.metadata().target()));
        event.record(&mut fields);
        self.push(&fields.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

impl log::Log for Heard {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        self.push(&format!("log {}: {}", record.target(), record.args()));
    }

    fn flush(&self) {}
}

/// A hook that logs each request and response the way an application might while debugging.
struct LoggingHook;

impl Hooks for LoggingHook {
    fn before_request(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        tracing::info!(?request, headers = ?request.headers(), "app: about to send");
        Ok(())
    }

    fn after_response(&self, response: &reqwest::Response) {
        tracing::info!(?response, "app: got");
    }
}

/// The strings that must appear nowhere: the tokens, every line of the PEM body, and the private
/// scalar in the encodings it could plausibly be printed in.
fn secrets(tokens: &[String]) -> Vec<String> {
    let mut secrets = vec![STATIC_TOKEN.to_owned(), PER_CALL_TOKEN.to_owned()];
    for token in tokens {
        secrets.push(token.clone());
        // The signature alone identifies the token as well.
        secrets.push(token.rsplit('.').next().unwrap().to_owned());
    }
    secrets.extend(
        PEM.lines()
            .filter(|line| !line.starts_with("-----") && line.len() > 20 && !line.contains(' '))
            .map(str::to_owned),
    );
    let start = PEM.find("-----BEGIN").unwrap();
    let scalar = p521::SecretKey::from_pem(&PEM[start..]).unwrap().to_bytes();
    secrets.push(scalar.iter().map(|b| format!("{b:02x}")).collect());
    secrets.push(format!("{:?}", scalar.as_slice()));
    secrets.push(base64::engine::general_purpose::STANDARD.encode(scalar.as_slice()));
    secrets
}

fn assert_hides(what: &str, text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(!text.contains(secret.as_str()), "{what} shows a secret: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_debug_errors_tracing_or_logs() {
    let heard = Heard::default();
    tracing::subscriber::set_global_default(heard.clone()).expect("the only subscriber");
    log::set_boxed_logger(Box::new(heard.clone())).expect("the only logger");
    log::set_max_level(log::LevelFilter::Trace);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/transactions/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seeds::docs_transaction()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transactions/down"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transactions/denied"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "type": "error", "code": "unauthorized", "status": 401, "message": "No valid API authentication found"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transactions/garbled"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{not json"))
        .mount(&server)
        .await;

    let key = PrivateKey::from_pem(PEM).expect("reads");
    let builders = [
        Client::builder().bearer_token(STATIC_TOKEN),
        Client::builder().private_key(key.clone()),
        Client::builder().private_key_with(key.clone(), TokenOptions::default().scopes(["*.read"])),
        Client::builder().token_provider(|| Ok(STATIC_TOKEN.to_owned())),
    ];
    let mut formatted = Vec::new();
    for builder in builders {
        let builder = builder
            .base_url(server.uri())
            .hook(LoggingHook)
            .timeout(Duration::from_secs(5));
        formatted.push(format!("{builder:?}"));
        let client = builder.build().expect("builds");
        formatted.push(format!("{client:?} {client:#?}"));
        for id in ["ok", "down", "denied", "garbled"] {
            match client.transactions().get(id).send().await {
                Ok(transaction) => formatted.push(format!("{transaction:?}")),
                Err(error) => formatted.push(format!("{error} | {error:?} | {error:#?}")),
            }
        }
        // A token given per call is hidden as well as the client's.
        let options = RequestOptions::new().bearer_token(PER_CALL_TOKEN);
        formatted.push(format!("{options:?}"));
        let result = client.transactions().get("denied").options(options).send().await;
        formatted.push(format!("{:?}", result.map(|_| ())));
        if let Ok(token) = client.embed_token(&EmbedParams::new().amount(1), Some("cs-1")) {
            formatted.push(format!("{:?}", token.len()));
        }
    }
    formatted.push(format!("{key:?} {key:#?}"));
    formatted.push(format!("{:?}", TokenOptions::default().embed(EmbedParams::new().amount(5))));
    for pem in [
        "",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        &PEM.replace("PRIVATE KEY", "EC PRIVATE KEY"),
        &PEM.replace("PRIVATE KEY", "PUBLIC KEY"),
        &format!("{PEM}{PEM}"),
    ] {
        let error = PrivateKey::from_pem(pem).expect_err("not a usable key");
        formatted.push(format!("{error} | {error:?}"));
    }
    let update = gr4vy::auth::update_token("x.y.z", &key, &TokenOptions::default());
    formatted.push(format!("{update:?}"));

    // What the server saw, so that we know which tokens to look for.
    let requests = server.received_requests().await.expect("recording is on");
    let tokens: Vec<String> = requests
        .iter()
        .filter_map(|request| request.headers.get("authorization"))
        .map(|value| value.to_str().unwrap().trim_start_matches("Bearer ").to_owned())
        .collect();
    assert!(tokens.len() >= 20, "every call sent credentials: {}", tokens.len());
    assert!(tokens.iter().any(|token| token.starts_with("eyJ")), "signed tokens were sent");
    let secrets = secrets(&tokens);

    for text in &formatted {
        assert_hides("Debug or Display", text, &secrets);
    }
    let heard = heard.text();
    // The listener did hear the calls, the hook's requests with their headers, and the retries:
    // an empty log would pass the search below without proving anything.
    assert!(heard.contains("gr4vy: sending request"), "{heard}");
    assert!(heard.contains("gr4vy: retrying"), "{heard}");
    assert!(heard.contains("app: about to send"), "{heard}");
    assert!(heard.contains("\"authorization\": Sensitive"), "{heard}");
    assert!(!heard.contains("Bearer"), "a bearer token was logged");
    assert_hides("a tracing event or log record", &heard, &secrets);
}
