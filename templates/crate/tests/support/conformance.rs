//! The conformance test's harness (`tests/conformance.rs` holds the spec's operations and how to
//! call each): serves the spec with Prism, calls every operation through a client whose hook
//! records each exchange, reads Prism's `sl-violations` header and writes the result table.
//!
//! Prism serves the overlaid spec less the examples listed in `spec/invalid-examples.toml`
//! (values that do not match their own schema, such as one string as the example of an array):
//! its static responses are built from examples, and those would make it answer with JSON the spec
//! does not allow. Examples validate nothing, so request validation is the same.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_json::Value;

#[path = "bodies.rs"]
mod bodies;
#[path = "prism.rs"]
mod prism;

/// Everything a call needs: the client, and the spec its request bodies are built from.
pub struct Ctx {
    pub client: gr4vy::Client,
    spec: Value,
}

impl Ctx {
    /// A required argument, from its JSON in the spec, in the argument's type.
    pub fn arg<T: DeserializeOwned>(&self, name: &str, json: &str) -> Result<T, Failure> {
        serde_json::from_str(json)
            .map_err(|e| Failure::Input(format!("argument `{name}` = {json} does not decode: {e}")))
    }

    /// The smallest valid request body of the operation at `method path`, in the body's type.
    pub fn body<T: DeserializeOwned>(&self, method: &str, path: &str) -> Result<T, Failure> {
        let Some(value) = bodies::minimal_body(&self.spec, path, method) else {
            return Err(Failure::Input(format!(
                "the spec gives {method} {path} no JSON request body"
            )));
        };
        serde_json::from_value(value.clone())
            .map_err(|e| Failure::Input(format!("the body {value} does not decode: {e}")))
    }
}

/// Why a call did not return `Ok`.
pub enum Failure {
    /// An input taken from the spec does not fit the SDK's type.
    Input(String),
    /// The client returned an error.
    Call(gr4vy::Error),
}

impl From<gr4vy::Error> for Failure {
    fn from(error: gr4vy::Error) -> Self {
        Failure::Call(error)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Input(message) => write!(f, "bad input: {message}"),
            Failure::Call(error) => {
                write!(f, "{error} ({:?})", error.kind())?;
                if let Some(body) = error.body().filter(|b| !b.is_empty()) {
                    write!(f, "; body: {}", String::from_utf8_lossy(body))?;
                }
                Ok(())
            }
        }
    }
}

/// Calls one operation.
pub type Call = for<'a> fn(&'a Ctx) -> Pin<Box<dyn Future<Output = Result<(), Failure>> + 'a>>;

/// One operation of the spec and how to call it.
pub struct Operation {
    /// `operationId`.
    pub id: &'static str,
    pub method: &'static str,
    /// The path template, as in the spec.
    pub path: &'static str,
    pub call: Call,
}

/// What the generated test knows of the spec.
pub struct Spec {
    /// Every operation, in spec order.
    pub operations: &'static [Operation],
    /// How many operations the SDK has.
    pub count: usize,
    /// The spec's examples known not to match their own schemas, as JSON pointers
    /// (`spec/invalid-examples.toml`).
    pub invalid_examples: &'static [&'static str],
    /// Sets the spec's globals on a client, as a caller would.
    pub globals: fn(gr4vy::ClientBuilder) -> gr4vy::ClientBuilder,
}

/// Calls every operation against Prism and panics, after printing the report, unless every one was
/// called, Prism found no request violation, and every call returned `Ok` (its 2XX response decoded
/// into the declared type; `()` for no body).
pub async fn check(spec: Spec) {
    let binary = prism::prism_binary();
    let mut served_spec = bodies::load_spec();
    let removed = remove_examples(&mut served_spec, spec.invalid_examples);
    let served = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance.openapi.json");
    std::fs::write(&served, serde_json::to_vec(&served_spec).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", served.display()));
    let prism = prism::Prism::mock(&binary, &served, &[], "conformance.log");
    let recorder = Recorder::default();
    let builder = gr4vy::Client::builder()
        .base_url(format!("http://127.0.0.1:{}", prism.port))
        .bearer_token("test");
    let client = (spec.globals)(builder)
        // A call that Prism never answers fails instead of hanging the test.
        .timeout(std::time::Duration::from_secs(30))
        .hook(recorder.clone())
        .build()
        .expect("the client builds");
    let ctx = Ctx {
        client,
        spec: served_spec,
    };
    assert_eq!(spec.operations.len(), spec.count);

    let started = std::time::Instant::now();
    let mut rows = Vec::new();
    for op in spec.operations {
        recorder.take();
        let result = (op.call)(&ctx).await;
        rows.push(Row::new(op, result, recorder.take()));
    }
    let elapsed = started.elapsed();

    let mut report = report(&rows);
    report.push_str(&format!(
        "\nPrism served {} less the {removed} examples listed in spec/invalid-examples.toml.\n",
        bodies::spec_path().display()
    ));
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance.md");
    std::fs::write(&path, &report).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("{report}");
    println!(
        "{} operations in {:.1} s; report written to {}",
        rows.len(),
        elapsed.as_secs_f64(),
        path.display()
    );
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| !r.problems.is_empty())
        .map(|r| r.id)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} operations do not conform (see the report above, or {}): {}",
        failed.len(),
        rows.len(),
        path.display(),
        failed.join(", ")
    );
}

/// Removes the examples at `pointers` (each `.../examples/N`) from `spec`; returns how many were
/// there.
fn remove_examples(spec: &mut Value, pointers: &[&str]) -> usize {
    let mut at: Vec<(&str, usize)> = pointers
        .iter()
        .filter_map(|p| {
            let (list, index) = p.rsplit_once('/')?;
            Some((list, index.parse().ok()?))
        })
        .collect();
    // Last index first, so the earlier ones stay where they are.
    at.sort_by(|a, b| b.cmp(a));
    let mut removed = 0;
    for (list, index) in at {
        if let Some(items) = spec.pointer_mut(list).and_then(Value::as_array_mut)
            && index < items.len()
        {
            items.remove(index);
            removed += 1;
        }
    }
    removed
}

/// One request the client sent and what Prism answered, as the hooks saw it.
struct Exchange {
    method: String,
    /// Path and query, as sent.
    target: String,
    status: Option<u16>,
    /// Prism's `sl-violations` header.
    violations: Option<String>,
}

/// Records every exchange; the test takes them after each call.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Exchange>>>);

impl Recorder {
    fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl gr4vy::Hooks for Recorder {
    fn before_request(&self, request: &mut reqwest::Request) -> Result<(), gr4vy::Error> {
        let url = request.url();
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        };
        self.0.lock().unwrap().push(Exchange {
            method: request.method().to_string(),
            target,
            status: None,
            violations: None,
        });
        Ok(())
    }

    fn after_response(&self, response: &reqwest::Response) {
        if let Some(last) = self.0.lock().unwrap().last_mut() {
            last.status = Some(response.status().as_u16());
            last.violations = response
                .headers()
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        }
    }

    fn on_error(&self, _error: &gr4vy::Error) {}
}

/// One line of Prism's `sl-violations`: where (`request.body.amount`) and what.
struct Violation {
    request: bool,
    text: String,
}

/// Reads Prism's `sl-violations` header, a JSON array, request violations first. Prism cuts one
/// longer than 8 KB and prefixes it with `Too many violations! `: then each entry is read up to the
/// cut, an entry cut short after a response violation is one too, and a header with nothing
/// readable counts as one request violation, so nothing is lost.
fn violations(header: &str) -> Vec<Violation> {
    const ENTRY: &str = "{\"location\":[";
    let entries: Vec<Value> = match serde_json::from_str::<Value>(header) {
        Ok(Value::Array(items)) => items,
        _ => {
            let mut entries: Vec<Value> = Vec::new();
            for rest in header.split(ENTRY).skip(1) {
                let text = format!("{ENTRY}{rest}");
                let whole = serde_json::Deserializer::from_str(&text)
                    .into_iter::<Value>()
                    .next();
                let entry = whole.and_then(Result::ok).unwrap_or_else(|| {
                    let after_response = entries
                        .last()
                        .is_some_and(|e| e["location"][0] == "response");
                    let side = if after_response || rest.starts_with("\"resp") {
                        "response"
                    } else {
                        "request"
                    };
                    serde_json::json!({
                        "location": [side],
                        "message": format!("(cut off by Prism) {text}"),
                    })
                });
                entries.push(entry);
            }
            entries
        }
    };
    if entries.is_empty() {
        return vec![Violation {
            request: true,
            text: header.to_string(),
        }];
    }
    entries
        .iter()
        .map(|v| {
            let location: Vec<String> = v["location"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| l.as_str().map_or_else(|| l.to_string(), str::to_string))
                .collect();
            let text = format!(
                "{}: {} ({})",
                location.join("."),
                v["message"].as_str().unwrap_or_default(),
                v["severity"].as_str().unwrap_or("?")
            );
            Violation {
                request: location.first().is_none_or(|l| l != "response"),
                text,
            }
        })
        .collect()
}

/// Does a path as sent match the spec's path template?
fn matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

/// One operation's outcome.
struct Row {
    id: &'static str,
    request: String,
    status: String,
    request_violations: Vec<String>,
    response_violations: usize,
    /// Everything wrong with this operation; empty when it conforms.
    problems: Vec<String>,
}

impl Row {
    fn new(op: &Operation, result: Result<(), Failure>, exchanges: Vec<Exchange>) -> Row {
        let mut problems = Vec::new();
        let mut request_violations = Vec::new();
        let mut response_violations = 0;
        for exchange in &exchanges {
            for v in exchange
                .violations
                .as_deref()
                .map(violations)
                .unwrap_or_default()
            {
                if v.request {
                    request_violations.push(v.text);
                } else {
                    response_violations += 1;
                }
            }
            let path = exchange.target.split('?').next().unwrap_or_default();
            if exchange.method != op.method || !matches(op.path, path) {
                problems.push(format!(
                    "sent {} {}, which is not {} {}",
                    exchange.method, exchange.target, op.method, op.path
                ));
            }
        }
        let last = exchanges.last();
        if last.is_none() {
            problems.push("no request was sent".to_string());
        }
        for v in &request_violations {
            problems.push(format!("request violation: {v}"));
        }
        if let Err(failure) = result {
            problems.push(format!("error: {failure}"));
        }
        Row {
            id: op.id,
            request: last.map_or_else(
                || format!("{} {} (not sent)", op.method, op.path),
                |e| format!("{} {}", e.method, e.target),
            ),
            status: last
                .and_then(|e| e.status)
                .map_or_else(|| "-".to_string(), |s| s.to_string()),
            request_violations,
            response_violations,
            problems,
        }
    }
}

/// The Markdown report: a summary, the table, then each problem in full.
fn report(rows: &[Row]) -> String {
    let cell = |text: &str| text.replace('|', "\\|");
    let failed = rows.iter().filter(|r| !r.problems.is_empty()).count();
    let sent = rows.iter().filter(|r| r.status != "-").count();
    let with_violations = rows
        .iter()
        .filter(|r| !r.request_violations.is_empty())
        .count();
    let response_violations: usize = rows.iter().map(|r| r.response_violations).sum();
    let mut out = format!(
        "# Conformance against Prism\n\n\
         {} operations: {sent} called, {} ok (2XX decoded), {with_violations} with request \
         violations, {failed} failed. Prism also found {response_violations} violations in its \
         own responses (built from the spec's examples; not counted).\n\n\
         | operation | request | status | request violations | result |\n\
         | --- | --- | --- | --- | --- |\n",
        rows.len(),
        rows.len() - failed,
    );
    for r in rows {
        let result = if r.problems.is_empty() {
            "ok"
        } else {
            "FAILED"
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {result} |\n",
            r.id,
            cell(&r.request),
            r.status,
            r.request_violations.len()
        ));
    }
    for r in rows.iter().filter(|r| !r.problems.is_empty()) {
        out.push_str(&format!("\n## {}: {} ({})\n\n", r.id, r.request, r.status));
        for p in &r.problems {
            out.push_str(&format!("- {p}\n"));
        }
    }
    out
}
