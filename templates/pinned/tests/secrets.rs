//! Secrets never leak: no key material, no token and no card data in `Debug` output, error
//! messages, `tracing` events or `log` records.
//!
//! One test per binary owns the process-wide `tracing` subscriber and `log` logger, so this file
//! holds a single test that listens to everything at every level while it makes calls that
//! succeed, fail, retry and run hooks, then searches what it heard and what it can format for the
//! secrets it used. The other tests format models and errors carrying card data (PCI DSS: no card
//! number beyond its last four digits, no security code, PIN or cryptogram in logs).

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use gr4vy::auth::{EmbedParams, PrivateKey, TokenOptions};
use gr4vy::models::{
    CardWithUrlPaymentMethodCreate, CardWithUrlPaymentMethodCreateRequired, GiftCardRequest,
    GiftCardRequestRequired, GiftCardTransactionCreate, GiftCardTransactionCreateRequired,
    HttpValidationError, NetworkTokenPaymentMethodCreate, NetworkTokenPaymentMethodCreateRequired,
    TransactionCreate,
};
use gr4vy::{ApiErrorBody, Client, Error, Hooks, RequestOptions};
use serde_json::json;
use wiremock::matchers::{header, method, path};
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
        assert!(
            !text.contains(secret.as_str()),
            "{what} shows a secret: {text}"
        );
    }
}

// Card data, each value unlike anything else a test formats, so that a match is a leak.
const PAN: &str = "4035501000000008";
const PAN_LAST_FOUR: &str = "0008";
const CVV: &str = "7364";
const GIFT_CARD_NUMBER: &str = "6036280000000000217";
const GIFT_CARD_PIN: &str = "5291";
const NETWORK_TOKEN: &str = "4895370012003478";
const CRYPTOGRAM: &str = "AgAAAAAABk4DWZ4C28yUQAAAAAA=";

/// What must never be shown of the card data above: each value whole, and the card numbers' first
/// twelve digits (the last four may be shown, as on a receipt).
fn card_data() -> Vec<String> {
    let mut data: Vec<String> = [
        PAN,
        CVV,
        GIFT_CARD_NUMBER,
        GIFT_CARD_PIN,
        NETWORK_TOKEN,
        CRYPTOGRAM,
    ]
    .map(str::to_owned)
    .into();
    data.extend([&PAN[..12], &GIFT_CARD_NUMBER[..12], &NETWORK_TOKEN[..12]].map(str::to_owned));
    data
}

fn card() -> CardWithUrlPaymentMethodCreate {
    CardWithUrlPaymentMethodCreate::new(CardWithUrlPaymentMethodCreateRequired {
        expiration_date: "12/30".into(),
        number: PAN.into(),
    })
    .security_code(CVV)
    .external_identifier("card-ext-1")
}

/// A card payment with a gift card beside it, as POST /transactions takes it.
fn card_payment() -> TransactionCreate {
    TransactionCreate::new(1299, "EUR")
        .payment_method(card())
        .gift_cards([GiftCardTransactionCreate::new(
            GiftCardTransactionCreateRequired {
                number: GIFT_CARD_NUMBER.into(),
                pin: GIFT_CARD_PIN.into(),
                amount: 500,
            },
        )])
}

/// `{:?}` and `{:#?}` of models that hold card data show none of it, and still show the rest.
#[test]
fn card_data_never_reaches_the_debug_of_models() {
    let network_token =
        NetworkTokenPaymentMethodCreate::new(NetworkTokenPaymentMethodCreateRequired {
            token: NETWORK_TOKEN.into(),
            expiration_date: "11/29".into(),
        })
        .cryptogram(CRYPTOGRAM);
    let shown = [
        format!("{:?}", card()),
        format!("{:#?}", card()),
        format!(
            "{:?}",
            GiftCardRequest::new(GiftCardRequestRequired {
                number: GIFT_CARD_NUMBER.into(),
                pin: GIFT_CARD_PIN.into(),
            })
        ),
        format!(
            "{:#?}",
            GiftCardRequest::new(GiftCardRequestRequired {
                number: GIFT_CARD_NUMBER.into(),
                pin: GIFT_CARD_PIN.into(),
            })
        ),
        format!("{network_token:?}"),
        format!("{network_token:#?}"),
        format!("{:?}", card_payment()),
        format!("{:#?}", card_payment()),
        format!(
            "{:?}",
            TransactionCreate::new(1, "USD").payment_method(network_token.clone())
        ),
        format!(
            "{:#?}",
            TransactionCreate::new(1, "USD").payment_method(network_token.clone())
        ),
    ];
    for text in &shown {
        assert_hides("Debug of a model", text, &card_data());
    }
    // What is not card data still helps whoever reads the log: the card's last four digits, whether
    // a security code was given, and every other field.
    let card = &shown[0];
    assert!(
        card.contains(&format!("number: \"************{PAN_LAST_FOUR}\"")),
        "{card}"
    );
    assert!(
        card.contains("security_code: Some(Value(<redacted>))"),
        "{card}"
    );
    assert!(
        card.contains("external_identifier: Some(Value(\"card-ext-1\"))"),
        "{card}"
    );
    let payment = &shown[6];
    for part in ["1299", "EUR", "card-ext-1"] {
        assert!(payment.contains(part), "{payment}");
    }
}

/// Redaction is only for people: the API still gets every digit.
#[test]
fn a_card_is_sent_in_full() {
    let wire = serde_json::to_value(card_payment()).expect("serializes");
    assert_eq!(wire["payment_method"]["number"], PAN);
    assert_eq!(wire["payment_method"]["security_code"], CVV);
    assert_eq!(wire["gift_cards"][0]["number"], GIFT_CARD_NUMBER);
    assert_eq!(wire["gift_cards"][0]["pin"], GIFT_CARD_PIN);
}

/// A 422 that echoes the card payment back, as FastAPI's validation errors do (`detail[].input`).
fn echo_422() -> ResponseTemplate {
    let echoed = serde_json::to_value(card_payment()).expect("serializes");
    ResponseTemplate::new(422).set_body_json(json!({
        "detail": [
            {
                "type": "string_pattern_mismatch",
                "loc": ["body", "payment_method", "number"],
                "msg": "String should match pattern '^\\d+$'",
                "input": echoed["payment_method"]["number"],
                "ctx": {"pattern": "^\\d+$"}
            },
            {
                "type": "model_attributes_type",
                "loc": ["body"],
                "msg": "Input should be a valid dictionary",
                "input": echoed
            }
        ]
    }))
}

async fn rejected_card_payment() -> (MockServer, Error) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/transactions"))
        .respond_with(echo_422())
        .mount(&server)
        .await;
    let client = Client::builder()
        .bearer_token(STATIC_TOKEN)
        .base_url(server.uri())
        .build()
        .expect("builds");
    let error = client
        .transactions()
        .create(card_payment())
        .send()
        .await
        .expect_err("a 422");
    (server, error)
}

/// A rejected card payment: the typed error body (whose `input` echoes the card) and the error's
/// `Display` show no card data; the request itself carried all of it.
#[tokio::test]
async fn a_rejected_card_payment_keeps_card_data_out_of_the_decoded_error_and_its_message() {
    let (server, error) = rejected_card_payment().await;
    let Some(ApiErrorBody::HttpValidationError(HttpValidationError {
        detail: Some(detail),
        ..
    })) = error.api_error()
    else {
        panic!(
            "the 422 body decodes as HTTPValidationError: {:?}",
            error.api_error()
        );
    };
    assert_eq!(detail.len(), 2);
    let body = error.api_error().expect("decoded");
    let shown = [
        format!("{error}"),
        format!("{body:?}"),
        format!("{body:#?}"),
        format!("{detail:?}"),
    ];
    for text in &shown {
        assert_hides("the error's message or decoded body", text, &card_data());
    }
    // The server did get the card, and the echo did carry it: the redaction above is not vacuous.
    let requests = server.received_requests().await.expect("recording is on");
    let sent = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(sent.contains(PAN) && sent.contains(CVV), "{sent}");
    assert!(String::from_utf8_lossy(error.body().expect("kept")).contains(PAN));
}

/// The whole error's `Debug`, which is what a caller logs (`{error:?}`), shows no card data either:
/// the raw body it previews echoes the card. The body itself stays available from `Error::body`.
#[tokio::test]
async fn a_rejected_card_payment_keeps_card_data_out_of_the_error_debug() {
    let (_server, error) = rejected_card_payment().await;
    for text in [format!("{error:?}"), format!("{error:#?}")] {
        assert_hides("the error's Debug", &text, &card_data());
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
        let result = client
            .transactions()
            .get("denied")
            .options(options)
            .send()
            .await;
        formatted.push(format!("{:?}", result.map(|_| ())));
        if let Ok(token) = client.embed_token(&EmbedParams::new().amount(1), Some("cs-1")) {
            formatted.push(format!("{:?}", token.len()));
        }
    }
    // A card payment, accepted and then rejected with a 422 that echoes the card: the events and
    // records of both calls (and the hook's) must not carry the card either.
    Mock::given(method("POST"))
        .and(path("/transactions"))
        .and(header("idempotency-key", "accept-me"))
        .respond_with(ResponseTemplate::new(201).set_body_json(seeds::docs_transaction()))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/transactions"))
        .respond_with(echo_422())
        .mount(&server)
        .await;
    let client = Client::builder()
        .bearer_token(STATIC_TOKEN)
        .base_url(server.uri())
        .hook(LoggingHook)
        .build()
        .expect("builds");
    let transactions = client.transactions();
    let accepted = transactions
        .create(card_payment())
        .idempotency_key("accept-me")
        .send()
        .await;
    formatted.push(format!("{:?}", accepted.expect("accepted")));
    let rejected = transactions
        .create(card_payment())
        .send()
        .await
        .expect_err("a 422");
    formatted.push(format!("{rejected}"));

    formatted.push(format!("{key:?} {key:#?}"));
    formatted.push(format!(
        "{:?}",
        TokenOptions::default().embed(EmbedParams::new().amount(5))
    ));
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
        .map(|value| {
            value
                .to_str()
                .unwrap()
                .trim_start_matches("Bearer ")
                .to_owned()
        })
        .collect();
    assert!(
        tokens.len() >= 20,
        "every call sent credentials: {}",
        tokens.len()
    );
    assert!(
        tokens.iter().any(|token| token.starts_with("eyJ")),
        "signed tokens were sent"
    );
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
    assert!(
        heard.contains("method=POST"),
        "the card payments were heard: {heard}"
    );
    assert_hides("a tracing event or log record", &heard, &card_data());
    for text in &formatted {
        assert_hides("Debug or Display", text, &card_data());
    }
}
