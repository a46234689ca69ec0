//! `api-surface.json`: the surface printed so that a spec change reads as a short line diff.

use super::{SURFACE_FILE, surface};
use crate::ir::Api;
use crate::{Error, Result};

/// The surface as the crate's `api-surface.json`: keys sorted, indented, and one line per object of
/// plain values (a field, a parameter), so that a spec change reads as a short line diff.
pub fn surface_json(api: &Api) -> Result<String> {
    let value = serde_json::to_value(surface(api)).map_err(|e| {
        Error::file(
            SURFACE_FILE,
            format!("the API surface cannot be serialized ({e}); please report this"),
        )
    })?;
    let mut text = String::new();
    write_json(&value, 0, &mut text);
    text.push('\n');
    Ok(text)
}

/// Pretty JSON, except that an object or array holding no objects or arrays takes one line.
fn write_json(value: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    let nested = |v: &Value| matches!(v, Value::Object(_) | Value::Array(_));
    let pad = |n: usize| " ".repeat(n);
    match value {
        Value::Object(map) if map.values().any(nested) => {
            out.push_str("{\n");
            for (i, (key, v)) in map.iter().enumerate() {
                out.push_str(&pad(indent + 2));
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_json(v, indent + 2, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if items.iter().any(nested) => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                out.push_str(&pad(indent + 2));
                write_json(v, indent + 2, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        flat => out.push_str(&flat.to_string()),
    }
}
