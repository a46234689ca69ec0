//! Responses that Prism invents from the spec (`prism mock -d`) decode into the generated types.
//!
//! Prism's faker fills every schema with random values, so many samples per operation explore
//! optional fields, nulls, union variants and odd numbers (it ignores `exclusiveMinimum`, for one).
//! Prism validates each request and answers an invalid one with 422, so requests must be valid:
//! path parameters come from the spec's examples (see `support/operations.rs`) and bodies are the
//! smallest valid instance of the body schema, built below from the spec.
//!
//! Needs Prism (`GR4VY_PRISM`, set by `cargo xtask test`) and the overlaid spec that
//! `cargo xtask regen` writes; without either the test fails and says how to get it.

#[path = "support/operations.rs"]
mod operations;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use operations::{Decode, OPERATIONS, Operation};
use serde_json::{Map, Value};

/// Responses decoded per operation.
const SAMPLES: usize = 20;
/// Concurrent connections; Prism is one Node process, so a few are enough to keep it busy.
const WORKERS: usize = 4;
const STARTUP: Duration = Duration::from_secs(60);
/// Failures printed in full.
const SHOWN: usize = 10;
/// Prism is up once it answers this with anything (it is in no spec, so Prism says 404).
const PROBE: &str = "/";

/// A sample that did not decode, or a request Prism did not answer with the expected 2XX.
struct Failure {
    operation: &'static str,
    body: String,
    error: String,
}

#[test]
fn prism_dynamic_responses_decode_into_the_generated_types() {
    let binary = prism_binary();
    let spec_path = spec_path();
    let spec: Value = serde_json::from_slice(
        &std::fs::read(&spec_path).unwrap_or_else(|e| panic!("{}: {e}", spec_path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: not JSON: {e}", spec_path.display()));

    let prism = Prism::start(&binary, &spec_path);
    let started = Instant::now();
    let operations: Vec<&Operation> = OPERATIONS.iter().filter(|o| o.decode.is_some()).collect();
    assert!(
        !operations.is_empty(),
        "support/operations.rs lists no operation with a JSON response; is it generated?"
    );
    let requests: Vec<Request> = operations
        .iter()
        .map(|op| Request::new(&spec, op))
        .collect();

    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, Ordering::Relaxed);
                    let Some(request) = requests.get(at / SAMPLES) else {
                        break;
                    };
                    if let Err(failure) = sample(prism.port, request) {
                        failures.lock().unwrap().push(failure);
                    }
                }
            });
        }
    });

    let failures = failures.into_inner().unwrap();
    let elapsed = started.elapsed();
    println!(
        "{} operations x {SAMPLES} Prism responses in {:.1} s",
        requests.len(),
        elapsed.as_secs_f64()
    );
    if failures.is_empty() {
        return;
    }
    panic!("{}", report(&failures, requests.len() * SAMPLES));
}

/// Counts per operation, then up to [`SHOWN`] failures in full: one per distinct error first (the
/// error without its position), each with an excerpt of the body where decoding stopped.
fn report(failures: &[Failure], total: usize) -> String {
    let mut per_operation: Vec<(&str, usize)> = Vec::new();
    for f in failures {
        match per_operation.iter_mut().find(|(id, _)| *id == f.operation) {
            Some((_, n)) => *n += 1,
            None => per_operation.push((f.operation, 1)),
        }
    }
    let mut out = format!(
        "{} of {total} Prism responses failed to decode, in {} operations:\n",
        failures.len(),
        per_operation.len()
    );
    for (id, n) in &per_operation {
        out.push_str(&format!("  {id}: {n} of {SAMPLES}\n"));
    }
    let kind = |f: &Failure| (f.operation, f.error.split(" at line ").next().map(str::to_owned));
    let mut seen = Vec::new();
    let (mut shown, mut rest): (Vec<&Failure>, Vec<&Failure>) = (Vec::new(), Vec::new());
    for f in failures {
        if seen.contains(&kind(f)) {
            rest.push(f);
        } else {
            seen.push(kind(f));
            shown.push(f);
        }
    }
    shown.extend(rest);
    for f in shown.into_iter().take(SHOWN) {
        out.push_str(&format!("\n--- {}: {}\n", f.operation, f.error));
        if let Some(excerpt) = excerpt(&f.body, &f.error) {
            out.push_str(&format!("near: {excerpt}\n"));
        }
        out.push_str(&f.body);
        out.push('\n');
    }
    out
}

/// The 80 characters of a one-line body before serde_json's `at line 1 column N`, and 20 after.
fn excerpt(body: &str, error: &str) -> Option<String> {
    let column: usize = error.rsplit_once(" column ")?.1.parse().ok()?;
    let chars: Vec<char> = body.chars().collect();
    let end = column.min(chars.len());
    let from = end.saturating_sub(80);
    let to = (end + 20).min(chars.len());
    Some(format!(
        "…{}⟨here⟩{}…",
        chars[from..end].iter().collect::<String>(),
        chars[end..to].iter().collect::<String>()
    ))
}

/// One request to one operation, and how to check the answer.
struct Request {
    operation: &'static str,
    status: &'static str,
    decode: Decode,
    head: String,
    body: Option<Vec<u8>>,
}

impl Request {
    fn new(spec: &Value, op: &Operation) -> Request {
        let mut target = op.concrete_path.to_string();
        for (i, (name, value)) in op.query.iter().enumerate() {
            target.push(if i == 0 { '?' } else { '&' });
            target.push_str(&format!("{}={}", encode(name), encode(value)));
        }
        let mut head = format!(
            "{} {target} HTTP/1.1\r\nConnection: close\r\nAuthorization: Bearer test\r\n\
             Accept: application/json\r\n",
            op.method
        );
        // Prism answers with the lowest 2XX unless told; the table decodes `status`. Operations
        // with a `prefer` header of their own get Prism's validation of it instead, so are not told.
        let own_prefer = spec_operation(spec, op)
            .and_then(|o| o.get("parameters")?.as_array())
            .into_iter()
            .flatten()
            .map(|p| resolve(spec, p))
            .any(|p| {
                p.get("in").and_then(Value::as_str) == Some("header")
                    && p.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case("prefer"))
            });
        if !own_prefer && op.status.bytes().all(|b| b.is_ascii_digit()) {
            head.push_str(&format!("Prefer: code={}\r\n", op.status));
        }
        let body = body_schema(spec, op).map(|schema| {
            let value = instance(spec, schema, 0);
            serde_json::to_vec(&value).unwrap()
        });
        if let Some(body) = &body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        Request {
            operation: op.id,
            status: op.status,
            decode: op.decode.expect("only operations with a decoder are sent"),
            head,
            body,
        }
    }
}

/// Sends one request and decodes the answer.
fn sample(port: u16, request: &Request) -> Result<(), Failure> {
    let fail = |body: &[u8], error: String| Failure {
        operation: request.operation,
        body: String::from_utf8_lossy(body).into_owned(),
        error,
    };
    let response = http(port, &request.head, request.body.as_deref())
        .map_err(|e| fail(b"", format!("request failed: {e}")))?;
    if response.status.to_string() != request.status {
        let violations = response
            .header("sl-violations")
            .map(|v| format!("; Prism's sl-violations: {v}"))
            .unwrap_or_default();
        return Err(fail(
            &response.body,
            format!(
                "Prism answered {} instead of {}{violations}",
                response.status, request.status
            ),
        ));
    }
    (request.decode)(&response.body).map_err(|e| fail(&response.body, e))
}

/// The spec's operation object for a row of the table.
fn spec_operation<'a>(spec: &'a Value, op: &Operation) -> Option<&'a Value> {
    spec.get("paths")?
        .get(op.path)?
        .get(op.method.to_ascii_lowercase())
}

/// The JSON request body schema of an operation, from the spec.
fn body_schema<'a>(spec: &'a Value, op: &Operation) -> Option<&'a Value> {
    let body = resolve(spec, spec_operation(spec, op)?.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    content
        .iter()
        .find(|(ct, _)| ct.starts_with("application/json") || ct.contains("+json"))
        .and_then(|(_, media)| media.get("schema"))
}

/// Follows local `$ref`s.
fn resolve<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let Some(target) = reference.strip_prefix('#').and_then(|p| spec.pointer(p)) else {
            panic!("the spec's `$ref` {reference} does not resolve");
        };
        schema = target;
    }
    schema
}

/// The smallest instance of `schema` Prism accepts: its example when it has one, else its const,
/// first enum value or default, else the required (and constant) properties of an object, built
/// the same way. Constant properties are included because they pick the variant of a `oneOf`.
fn instance(spec: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    let Some(s) = schema.as_object() else {
        return Value::Null;
    };
    assert!(depth < 32, "the request body schema nests too deep: {schema}");
    let first = |key: &str| s.get(key).and_then(Value::as_array).and_then(|a| a.first());
    if let Some(v) = first("examples").or(s.get("const")).or(first("enum")) {
        return v.clone();
    }
    if let Some(v) = s.get("default") {
        return v.clone();
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(variants) = s.get(key).and_then(Value::as_array) {
            let variant = variants
                .iter()
                .find(|v| resolve(spec, v).get("type").and_then(Value::as_str) != Some("null"));
            return variant.map_or(Value::Null, |v| instance(spec, v, depth + 1));
        }
    }
    if let Some(parts) = s.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = instance(spec, part, depth + 1) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if s.contains_key("properties") => "object",
        _ => "null",
    };
    let number = || {
        let min = s.get("minimum").and_then(Value::as_f64);
        let exclusive = s.get("exclusiveMinimum").and_then(Value::as_f64);
        exclusive.map(|m| m.floor() + 1.0).or(min).unwrap_or(1.0)
    };
    match ty {
        "object" => {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut fields = Map::new();
            for (name, property) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
                if required.contains(&name.as_str()) || resolve(spec, property).get("const").is_some() {
                    fields.insert(name.clone(), instance(spec, property, depth + 1));
                }
            }
            Value::Object(fields)
        }
        "array" => {
            let items = s.get("items").unwrap_or(&Value::Bool(true));
            let n = s.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            Value::Array((0..n).map(|_| instance(spec, items, depth + 1)).collect())
        }
        "string" => Value::String(match s.get("format").and_then(Value::as_str) {
            Some("uuid") => "00000000-0000-4000-8000-000000000000".to_string(),
            Some("date-time") => "2024-01-01T00:00:00Z".to_string(),
            Some("date") => "2024-01-01".to_string(),
            Some("email") => "buyer@example.com".to_string(),
            Some("uri" | "url") => "https://example.com".to_string(),
            _ => {
                let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(1);
                "x".repeat(min.max(1) as usize)
            }
        }),
        "integer" => Value::from(number() as i64),
        "number" => Value::from(number()),
        "boolean" => Value::Bool(false),
        _ => Value::Null,
    }
}

/// Percent-encodes a query component (everything but RFC 3986's unreserved characters).
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// A minimal HTTP/1.1 exchange on one connection (`Connection: close`, so the body ends at EOF).
fn http(port: u16, head: &str, body: Option<&[u8]>) -> Result<Response, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut request = format!("{head}Host: 127.0.0.1:{port}\r\n\r\n").into_bytes();
    request.extend_from_slice(body.unwrap_or_default());
    stream.write_all(&request).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the response has no end of headers")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP status line: {head}"))?;
    let mut response = Response {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    };
    if response
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        response.body = dechunk(&response.body)?;
    }
    Ok(response)
}

fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a truncated chunk")?;
        let size = std::str::from_utf8(&raw[..line])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .ok_or("a bad chunk size")?;
        if size == 0 {
            return Ok(out);
        }
        let data = raw
            .get(line + 2..line + 2 + size)
            .ok_or("a truncated chunk")?;
        out.extend_from_slice(data);
        raw = raw.get(line + 4 + size..).ok_or("a truncated chunk")?;
    }
}

fn prism_binary() -> PathBuf {
    let how = "run `cargo xtask test`, which installs Prism into .tools/ and sets GR4VY_PRISM";
    let Some(path) = std::env::var_os("GR4VY_PRISM") else {
        panic!("GR4VY_PRISM is not set: {how}");
    };
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "GR4VY_PRISM is {}, which does not exist: {how}",
        path.display()
    );
    path
}

fn spec_path() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.speakeasy.json");
    assert!(
        path.is_file(),
        "{} is missing: `cargo xtask regen` writes it (the overlaid spec this crate is generated from)",
        path.display()
    );
    path
}

/// A running `prism mock -d`, stopped when dropped (a failing test included).
struct Prism {
    child: Child,
    port: u16,
}

impl Prism {
    fn start(binary: &Path, spec: &Path) -> Prism {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("no free port on 127.0.0.1")
            .port();
        let log_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("prism_responses.log");
        let log = std::fs::File::create(&log_path)
            .unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
        let child = Command::new(binary)
            .args(["mock", "-d", "-v", "warn", "-h", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
        let mut prism = Prism { child, port };
        let deadline = Instant::now() + STARTUP;
        loop {
            let probe = format!("GET {PROBE} HTTP/1.1\r\nConnection: close\r\n");
            if http(port, &probe, None).is_ok() {
                return prism;
            }
            let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!("Prism exited ({status}) before answering; its output:\n{}", log());
            }
            assert!(
                Instant::now() < deadline,
                "Prism did not answer on port {port} within {STARTUP:?}; its output:\n{}",
                log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
