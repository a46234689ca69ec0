//! JSON comparison for round-trip tests.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `value` as `T`, encodes it again, and compares.
///
/// Two differences are not differences: an object member that is `null` on one side and absent on
/// the other (optional fields are skipped when unset), and numbers that are equal as numbers (`10`
/// and `10.0`, since JSON does not tell them apart).
pub fn round_trip<T: Serialize + DeserializeOwned>(value: &Value) -> Result<(), String> {
    let decoded: T = serde_json::from_value(value.clone())
        .map_err(|e| format!("does not decode: {e}; value {value}"))?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))?;
    match first_difference(value, &encoded, String::new()) {
        None => Ok(()),
        Some(at) => Err(format!(
            "differs at `{at}` after a round trip: {value} became {encoded}"
        )),
    }
}

/// The JSON pointer of the first difference, if any.
pub fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            for key in keys {
                let (l, r) = (
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                );
                if let Some(d) = first_difference(l, r, format!("{at}/{key}")) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at);
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (l, r))| first_difference(l, r, format!("{at}/{i}")))
        }
        (Value::Number(x), Value::Number(y)) => (x.as_f64() != y.as_f64()).then_some(at),
        _ => (a != b).then_some(at),
    }
}
