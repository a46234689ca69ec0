//! The Speakeasy extensions (`x-speakeasy-*`) that are objects of their own.
//!
//! The strategy names are kept as strings: the view only reads, and the lowering pass is the place
//! that decides which strategies it supports (and says so, with a pointer, when it does not).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use super::object::{ToJson, no_unknown_keys, view_object};
use super::operation::Parameter;

view_object! {
    /// `x-speakeasy-globals`.
    pub struct Globals {
        pub parameters: Vec<Parameter> = "parameters",
    }
}

view_object! {
    /// `x-speakeasy-pagination`.
    pub struct Pagination {
        /// `cursor`, `offsetLimit` or `url`.
        pub r#type: String = "type" (required),
        pub inputs: Vec<PaginationInput> = "inputs",
        pub outputs: Option<PaginationOutputs> = "outputs",
    }
}

view_object! {
    /// Which request value carries the cursor (or page, offset, limit).
    pub struct PaginationInput {
        pub name: String = "name" (required),
        /// `parameters` or `requestBody`.
        pub r#in: String = "in" (required),
        /// `cursor`, `page`, `offset` or `limit`.
        pub r#type: String = "type" (required),
    }
}

view_object! {
    /// JSONPath expressions into the response that drive the next request.
    pub struct PaginationOutputs {
        pub next_cursor: Option<String> = "nextCursor",
        pub results: Option<String> = "results",
        pub num_pages: Option<String> = "numPages",
    }
}

view_object! {
    /// `x-speakeasy-retries`: the operation's default retry policy.
    pub struct Retries {
        /// `backoff` is the only strategy Speakeasy defines.
        pub strategy: String = "strategy" (required),
        pub backoff: Option<Backoff> = "backoff",
        pub status_codes: Vec<StatusCode> = "statusCodes",
        pub retry_connection_errors: Option<bool> = "retryConnectionErrors",
    }
}

view_object! {
    /// Exponential backoff, times in milliseconds.
    pub struct Backoff {
        pub initial_interval: Option<u64> = "initialInterval",
        pub max_interval: Option<u64> = "maxInterval",
        pub max_elapsed_time: Option<u64> = "maxElapsedTime",
        /// A `Number` so that `1` and `1.5` both survive the round trip as written.
        pub exponent: Option<Number> = "exponent",
    }
}

/// One entry of `statusCodes`: a number (`429`) or a string, which may be a class (`5XX`).
///
/// Overlays are YAML, where `429` and `"429"` are different types, so both are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum StatusCode {
    Number(u16),
    Text(String),
}

impl StatusCode {
    /// Whether a response status falls under this entry (`5XX` matches 500..=599).
    pub fn matches(&self, status: u16) -> bool {
        match self {
            StatusCode::Number(n) => *n == status,
            StatusCode::Text(text) => {
                let digits = status.to_string();
                text.len() == digits.len()
                    && text
                        .chars()
                        .zip(digits.chars())
                        .all(|(p, d)| p == d || p.eq_ignore_ascii_case(&'x'))
            }
        }
    }
}

no_unknown_keys!(StatusCode);

impl ToJson for StatusCode {
    fn to_json(&self) -> Value {
        match self {
            StatusCode::Number(n) => Value::from(*n),
            StatusCode::Text(text) => Value::from(text.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatusVisitor;

        impl Visitor<'_> for StatusVisitor {
            type Value = StatusCode;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an HTTP status code or a pattern such as \"5XX\"")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StatusCode, E> {
                u16::try_from(v)
                    .map(StatusCode::Number)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<StatusCode, E> {
                Ok(StatusCode::Text(v.to_owned()))
            }
        }

        deserializer.deserialize_any(StatusVisitor)
    }
}
