//! Responses that Prism invents from the spec (`prism mock -d`) decode into the generated types.
//!
//! Prism's faker fills every schema with random values, so many samples per operation explore
//! optional fields, nulls, union variants and odd numbers (it ignores `exclusiveMinimum`, for one).
//! Prism validates each request and answers an invalid one with 422, so requests must be valid:
//! path parameters come from the spec's examples (see `support/operations.rs`) and bodies are the
//! smallest valid instance of the body schema, built from the spec (see `support/bodies.rs`).
//!
//! Needs Prism (`GR4VY_PRISM`, set by `cargo xtask test`) and the overlaid spec that
//! `cargo xtask regen` writes; without either the test fails and says how to get it.

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/operations.rs"]
mod operations;
#[path = "support/prism.rs"]
mod prism;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bodies::{resolve, spec_operation};
use operations::{Decode, OPERATIONS, Operation};
use prism::Prism;
use serde_json::Value;

/// Responses decoded per operation.
const SAMPLES: usize = 20;
/// Concurrent connections; Prism is one Node process, so a few are enough to keep it busy.
const WORKERS: usize = 4;
/// Failures printed in full.
const SHOWN: usize = 10;

/// A sample that did not decode, or a request Prism did not answer with the expected 2XX.
struct Failure {
    operation: &'static str,
    body: String,
    error: String,
}

#[test]
fn prism_dynamic_responses_decode_into_the_generated_types() {
    let binary = prism::prism_binary();
    let spec = bodies::load_spec();

    let prism = Prism::mock(&binary, &bodies::spec_path(), &["-d"], "prism_responses.log");
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
        let own_prefer = spec_operation(spec, op.path, op.method)
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
        let body = bodies::minimal_body(spec, op.path, op.method)
            .map(|value| serde_json::to_vec(&value).unwrap());
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
