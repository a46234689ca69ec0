//! Minimal valid request bodies, built at test time from the overlaid spec
//! (`spec/openapi.speakeasy.json`, which `cargo xtask regen` writes).
//!
//! Prism validates every request against the spec, so tests that talk to it send the smallest body
//! the spec accepts: the schema's example when it has one, else its required (and constant)
//! properties, filled in the same way.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The overlaid spec this crate is generated from; fails, saying how to get it, when missing.
pub fn spec_path() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.speakeasy.json");
    assert!(
        path.is_file(),
        "{} is missing: `cargo xtask regen` writes it (the overlaid spec this crate is generated from)",
        path.display()
    );
    path
}

/// The overlaid spec, parsed.
pub fn load_spec() -> Value {
    let path = spec_path();
    serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

/// The spec's operation object at `path` (the template, as in the spec) and `method` (any case).
pub fn spec_operation<'a>(spec: &'a Value, path: &str, method: &str) -> Option<&'a Value> {
    spec.get("paths")?
        .get(path)?
        .get(method.to_ascii_lowercase())
}

/// The smallest valid JSON request body of an operation; `None` when it takes no JSON body.
pub fn minimal_body(spec: &Value, path: &str, method: &str) -> Option<Value> {
    body_schema(spec, path, method).map(|schema| instance(spec, schema, 0))
}

/// The JSON request body schema of an operation, from the spec.
fn body_schema<'a>(spec: &'a Value, path: &str, method: &str) -> Option<&'a Value> {
    let body = resolve(
        spec,
        spec_operation(spec, path, method)?.get("requestBody")?,
    );
    let content = body.get("content")?.as_object()?;
    content
        .iter()
        .find(|(ct, _)| ct.starts_with("application/json") || ct.contains("+json"))
        .and_then(|(_, media)| media.get("schema"))
}

/// Follows local `$ref`s.
pub fn resolve<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
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
    assert!(
        depth < 32,
        "the request body schema nests too deep: {schema}"
    );
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
            for (name, property) in s
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if required.contains(&name.as_str())
                    || resolve(spec, property).get("const").is_some()
                {
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
