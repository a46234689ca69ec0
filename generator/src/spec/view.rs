//! A lossless typed view of the (overlaid) OpenAPI 3.1 document.
//!
//! Why our own structs: the published OpenAPI crates either reject this spec or quietly drop keywords
//! it relies on (`const`, `examples`, and the `default`/`description`/`examples` that sit beside a
//! `$ref`). Here every object keeps the keys it does not model in an `unknown` map, so reading the
//! document and serializing the view again gives the same JSON (one deliberate exception: empty
//! OpenAPI collections, see below), and [`super::audit`] can list exactly what the generator does not
//! understand.
//!
//! Conventions:
//!
//! - Field names are the JSON keys in snake case (`x-speakeasy-group` is `x_speakeasy_group`), with
//!   raw identifiers where the key is a Rust keyword (`r#type`, `r#enum`, `r#in`, `$ref` as `r#ref`),
//!   so that finding the field for a keyword takes no thought.
//! - Every JSON Schema keyword is an `Option`, and an empty list or map stays `Some(empty)`: there,
//!   presence is information (`required: []`, `properties: {}` and `schema: {}` all occur).
//! - The OpenAPI collections of named things (`servers`, `paths`, `parameters`, `responses`,
//!   `content`, `variables`, ...) are plain `Vec`/`IndexMap`s that are empty when the key is absent,
//!   because OpenAPI gives absent and empty the same meaning and every consumer would otherwise
//!   unwrap them. The one cost: an explicitly empty collection is written back without the key.
//!   `security` stays an `Option`, because on an operation `[]` (no auth) differs from absent.
//! - An explicit `null` is never confused with an absent key. For keywords whose value is arbitrary
//!   JSON (`default`, `const`, `example`) it is kept as `Some(Value::Null)`, because `default: null`
//!   means something; for typed keywords (a `description`, a `maxLength`) it is an error instead of a
//!   silent `None`.
//! - Numbers whose integer-ness matters for the round trip (`minimum`, `exponent`, ...) are
//!   [`serde_json::Number`]; counts are `u64`.
//! - Every map is an [`IndexMap`], so document order (and hence field and variant order in the
//!   generated code) survives.
//!
//! A keyword is modelled here only when the generator has a place for it; anything else lands in an
//! `unknown` map on purpose, so that the audit reports it instead of the generator ignoring it.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::error::child;
use crate::{Error, Result};

/// The keys of one object that the view does not model, with their values, in document order.
pub type Unknown = IndexMap<String, Value>;

/// A security requirement: scheme name to the scopes it needs.
pub type SecurityRequirement = IndexMap<String, Vec<String>>;

/// Reads a key that is present (serde calls this only when it is). Unlike serde's own handling of
/// `Option<T>`, `null` does not become `None`: `T = Value` keeps it as `Some(Value::Null)`, any other
/// `T` rejects it, so no key disappears on the way through the view.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// The other half of [`present`]: an absent key stays absent when written back. (A named function
/// only so that the attribute on every field fits on one line.)
fn absent<T>(value: &Option<T>) -> bool {
    value.is_none()
}

/// The whole document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub openapi: String,
    pub info: Info,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
    /// Absent means no global security requirement.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub security: Option<Vec<SecurityRequirement>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// Path template to path item, in document order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub paths: IndexMap<String, PathItem>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub components: Option<Components>,
    /// Parameters that become client-level settings.
    #[serde(
        rename = "x-speakeasy-globals",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_globals: Option<Globals>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// `info`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    pub title: String,
    pub version: String,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// One entry of `servers`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Server {
    pub url: String,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variables: IndexMap<String, ServerVariable>,
    /// The name the SDK gives this server (`sandbox`, `production`).
    #[serde(
        rename = "x-speakeasy-server-id",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_server_id: Option<String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// A `{name}` in a server URL.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerVariable {
    pub default: String,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub r#enum: Option<Vec<String>>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// One entry of the top-level `tags`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    pub name: String,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// `components`. Only the sections this spec uses are modelled; `parameters`, `responses` and the
/// like would be findings, because the generator does not resolve references into them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub schemas: IndexMap<String, Schema>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub security_schemes: IndexMap<String, SecurityScheme>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// An entry of `components/securitySchemes`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityScheme {
    /// `http`, `apiKey`, `oauth2`, `openIdConnect` or `mutualTLS`.
    pub r#type: String,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    /// The header, query or cookie name of an `apiKey` scheme.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub r#in: Option<String>,
    /// The HTTP auth scheme of an `http` scheme (`bearer`).
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub scheme: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub bearer_format: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub flows: Option<OAuthFlows>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub open_id_connect_url: Option<String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// The `flows` of an OAuth2 scheme. The upstream spec declares a password flow that the overlays
/// replace with a bearer scheme; modelling it lets the raw spec be audited too.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthFlows {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub implicit: Option<OAuthFlow>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub password: Option<OAuthFlow>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub client_credentials: Option<OAuthFlow>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub authorization_code: Option<OAuthFlow>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// One OAuth2 flow.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthFlow {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub authorization_url: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub token_url: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub refresh_url: Option<String>,
    /// Scope name to its description.
    pub scopes: IndexMap<String, String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// `x-speakeasy-globals`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Globals {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// An HTTP method that can carry an operation in a path item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Every method, in the order OpenAPI lists them.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The key of this method in a path item (lower case).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    /// The HTTP spelling (`GET`), for docs and requests.
    pub fn as_upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// The method a path item key names, if it names one.
    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == key)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of `paths`.
///
/// The operations are a map rather than one field per method because the spec lists methods in no
/// fixed order (`post` before `get` on some paths) and the generator emits operations in spec
/// order. That is also why this type has hand-written serde impls.
#[derive(Debug, Clone, Default)]
pub struct PathItem {
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Empty when absent (OpenAPI gives the two the same meaning).
    pub parameters: Vec<Parameter>,
    /// The operations, in document order.
    pub operations: IndexMap<Method, Operation>,
    pub unknown: Unknown,
}

impl PathItem {
    /// The operation for `method`, if the path has one.
    pub fn operation(&self, method: Method) -> Option<&Operation> {
        self.operations.get(&method)
    }
}

impl<'de> Deserialize<'de> for PathItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PathItemVisitor;

        impl<'de> Visitor<'de> for PathItemVisitor {
            type Value = PathItem;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an OpenAPI path item object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PathItem, A::Error> {
                let mut item = PathItem::default();
                while let Some(key) = map.next_key::<String>()? {
                    if let Some(method) = Method::from_key(&key) {
                        item.operations.insert(method, map.next_value()?);
                        continue;
                    }
                    match key.as_str() {
                        "summary" => item.summary = Some(map.next_value()?),
                        "description" => item.description = Some(map.next_value()?),
                        "parameters" => item.parameters = map.next_value()?,
                        _ => {
                            let value = map.next_value()?;
                            item.unknown.insert(key, value);
                        }
                    }
                }
                Ok(item)
            }
        }

        deserializer.deserialize_map(PathItemVisitor)
    }
}

impl Serialize for PathItem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(summary) = &self.summary {
            map.serialize_entry("summary", summary)?;
        }
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        if !self.parameters.is_empty() {
            map.serialize_entry("parameters", &self.parameters)?;
        }
        for (method, operation) in &self.operations {
            map.serialize_entry(method.as_str(), operation)?;
        }
        for (key, value) in &self.unknown {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// One operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub operation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub request_body: Option<RequestBody>,
    /// Status code (`200`, `4XX`, `default`) to response, in document order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub responses: IndexMap<String, Response>,
    /// `Some(vec![])` (no auth) differs from `None` (the global requirement applies).
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub security: Option<Vec<SecurityRequirement>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub deprecated: Option<bool>,
    /// The method name within its group.
    #[serde(
        rename = "x-speakeasy-name-override",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_name_override: Option<String>,
    /// The dotted path of the SDK namespace that holds the method.
    #[serde(
        rename = "x-speakeasy-group",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_group: Option<String>,
    /// Leave the operation out of the SDK.
    #[serde(
        rename = "x-speakeasy-ignore",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_ignore: Option<bool>,
    #[serde(
        rename = "x-speakeasy-pagination",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_pagination: Option<Pagination>,
    #[serde(
        rename = "x-speakeasy-retries",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_retries: Option<Retries>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    Query,
    Header,
    Path,
    Cookie,
}

impl ParameterLocation {
    /// The spec's spelling (`query`, `header`, `path`, `cookie`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Path => "path",
            ParameterLocation::Cookie => "cookie",
        }
    }
}

/// An operation, path-item or global parameter.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    pub r#in: ParameterLocation,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub required: Option<bool>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub deprecated: Option<bool>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub style: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub explode: Option<bool>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub schema: Option<Schema>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub example: Option<Value>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub examples: IndexMap<String, Example>,
    /// The Rust-side name (`merchant_account_id` for the global header).
    #[serde(
        rename = "x-speakeasy-name-override",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_name_override: Option<String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

impl Parameter {
    /// Whether the parameter must be sent (path parameters always must).
    pub fn is_required(&self) -> bool {
        self.required
            .unwrap_or(self.r#in == ParameterLocation::Path)
    }
}

/// A named example of a parameter or media type (OpenAPI's Example object, not JSON Schema's
/// `examples` array).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub value: Option<Value>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// `requestBody`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestBody {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    /// Media type (`application/json`) to its schema.
    pub content: IndexMap<String, MediaType>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub required: Option<bool>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// One entry of `responses`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub description: String,
    /// Empty for bodiless responses (`204`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub content: IndexMap<String, MediaType>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// One entry of a `content` map.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaType {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub schema: Option<Schema>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub example: Option<Value>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub examples: IndexMap<String, Example>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// `x-speakeasy-pagination`.
///
/// The strategy names are kept as strings: the view only reads, and the lowering pass is the place
/// that decides which strategies it supports (and says so, with a pointer, when it does not).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    /// `cursor`, `offsetLimit` or `url`.
    pub r#type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<PaginationInput>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub outputs: Option<PaginationOutputs>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// Which request value carries the cursor (or page, offset, limit).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginationInput {
    pub name: String,
    /// `parameters` or `requestBody`.
    pub r#in: String,
    /// `cursor`, `page`, `offset` or `limit`.
    pub r#type: String,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// JSONPath expressions into the response that drive the next request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginationOutputs {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub next_cursor: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub results: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub num_pages: Option<String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// `x-speakeasy-retries`: the operation's default retry policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Retries {
    /// `backoff` is the only strategy Speakeasy defines.
    pub strategy: String,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub backoff: Option<Backoff>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_codes: Vec<StatusCode>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub retry_connection_errors: Option<bool>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// Exponential backoff, times in milliseconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backoff {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub initial_interval: Option<u64>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub max_interval: Option<u64>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub max_elapsed_time: Option<u64>,
    /// A `Number` so that `1` and `1.5` both survive the round trip as written.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub exponent: Option<Number>,
    #[serde(flatten)]
    pub unknown: Unknown,
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

/// A JSON Schema (the 2020-12 subset this spec uses).
///
/// JSON Schema allows `true` and `false` as whole schemas, and the spec uses them
/// (`additionalProperties: false` is the boolean schema `false`), so a schema is either a boolean
/// or an object. The object is boxed because it is large and schemas nest (`items`, `anyOf`, ...):
/// the box keeps `Schema` two words wide and makes the recursion finite.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Schema {
    Bool(bool),
    Object(Box<SchemaObject>),
}

impl Schema {
    /// The object form, unless this is `true` or `false`.
    pub fn as_object(&self) -> Option<&SchemaObject> {
        match self {
            Schema::Object(object) => Some(object),
            Schema::Bool(_) => None,
        }
    }

    /// `$ref`, if the schema has one.
    pub fn reference(&self) -> Option<&str> {
        self.as_object()?.r#ref.as_deref()
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // By hand rather than `#[serde(untagged)]`: untagged would buffer every schema a second time
        // and turn any mistake inside it into "did not match any variant".
        struct SchemaVisitor;

        impl<'de> Visitor<'de> for SchemaVisitor {
            type Value = Schema;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON Schema (an object or a boolean)")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Schema, E> {
                Ok(Schema::Bool(v))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
                SchemaObject::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|object| Schema::Object(Box::new(object)))
            }
        }

        deserializer.deserialize_any(SchemaVisitor)
    }
}

/// The primitive types of JSON Schema's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstanceType {
    Null,
    Boolean,
    Object,
    Array,
    Number,
    String,
    Integer,
}

/// `type`: one name, or a list of them. Both spellings are kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SchemaType {
    Single(InstanceType),
    Multiple(Vec<InstanceType>),
}

impl SchemaType {
    /// The named types, however they were spelled.
    pub fn as_slice(&self) -> &[InstanceType] {
        match self {
            SchemaType::Single(t) => std::slice::from_ref(t),
            SchemaType::Multiple(ts) => ts,
        }
    }
}

impl<'de> Deserialize<'de> for SchemaType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;

        impl<'de> Visitor<'de> for TypeVisitor {
            type Value = SchemaType;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON Schema type name or a list of them")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<SchemaType, E> {
                InstanceType::deserialize(de::value::StrDeserializer::<E>::new(v))
                    .map(SchemaType::Single)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SchemaType, A::Error> {
                let mut types = Vec::with_capacity(seq.size_hint().unwrap_or(2));
                while let Some(t) = seq.next_element()? {
                    types.push(t);
                }
                Ok(SchemaType::Multiple(types))
            }
        }

        deserializer.deserialize_any(TypeVisitor)
    }
}

/// The object form of a schema: every keyword this spec uses, and the Speakeasy extensions that
/// change the generated code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaObject {
    /// Its siblings (`default`, `description`, `examples`) are kept: OpenAPI 3.1 allows them
    /// and this spec puts hundreds of defaults there.
    #[serde(
        rename = "$ref",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub r#ref: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub r#type: Option<SchemaType>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub format: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub deprecated: Option<bool>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub default: Option<Value>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub r#const: Option<Value>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub r#enum: Option<Vec<Value>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub examples: Option<Vec<Value>>,
    /// The OpenAPI 3.0 spelling, still allowed (and deprecated) in 3.1.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub example: Option<Value>,
    /// In document order, which is the field order of the generated struct.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub properties: Option<IndexMap<String, Schema>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub required: Option<Vec<String>>,
    /// A schema for the values of undeclared keys; `false` forbids them, `true` allows anything.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub additional_properties: Option<Schema>,
    /// A schema the keys must match (a map keyed by an enum).
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub property_names: Option<Schema>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub items: Option<Schema>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub min_items: Option<u64>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub max_items: Option<u64>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub unique_items: Option<bool>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub any_of: Option<Vec<Schema>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub one_of: Option<Vec<Schema>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub all_of: Option<Vec<Schema>>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub discriminator: Option<Discriminator>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub min_length: Option<u64>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub max_length: Option<u64>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub pattern: Option<String>,
    /// Bounds are `Number`s so that `100` and `0.0` are written back exactly as they were read.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub minimum: Option<Number>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub maximum: Option<Number>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub exclusive_minimum: Option<Number>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "absent")]
    pub exclusive_maximum: Option<Number>,
    /// `allow` makes the generated enum open (it keeps unknown strings).
    #[serde(
        rename = "x-speakeasy-unknown-values",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_unknown_values: Option<String>,
    /// Leave this property (or schema) out of the SDK.
    #[serde(
        rename = "x-speakeasy-ignore",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_ignore: Option<bool>,
    /// The Rust-side name of this property or type.
    #[serde(
        rename = "x-speakeasy-name-override",
        default,
        deserialize_with = "present",
        skip_serializing_if = "absent"
    )]
    pub x_speakeasy_name_override: Option<String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

impl SchemaObject {
    /// The types named by `type` (empty when there is no `type`).
    pub fn types(&self) -> &[InstanceType] {
        self.r#type.as_ref().map_or(&[], SchemaType::as_slice)
    }

    /// Whether `property` is listed in `required`.
    pub fn is_required(&self, property: &str) -> bool {
        self.required
            .as_deref()
            .is_some_and(|names| names.iter().any(|n| n == property))
    }
}

/// `discriminator` of a `oneOf` or `anyOf`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Discriminator {
    pub property_name: String,
    /// Tag value to `$ref`, in document order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub mapping: IndexMap<String, String>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// The prefix of a reference to a component schema.
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The deepest nesting of objects and arrays the generator reads. It is the limit of serde_json's
/// and yaml_serde's parsers, so only overlay updates merged into deep nodes can exceed it; the
/// passes recurse over the document, and far deeper input would overflow the stack.
pub const MAX_DEPTH: usize = 128;

/// The pointer (relative to `value`) of the first object or array below `value` that is nested
/// more than `left` levels deep, if any.
fn too_deep(value: &Value, left: usize) -> Option<String> {
    let below = |token: &str, v: &Value| too_deep(v, left - 1).map(|rest| child("", token) + &rest);
    match value {
        Value::Object(_) | Value::Array(_) if left == 0 => Some(String::new()),
        Value::Object(map) => map.iter().find_map(|(k, v)| below(k, v)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| below(&i.to_string(), v)),
        _ => None,
    }
}

impl Document {
    /// Reads the view from parsed JSON, without copying the document.
    ///
    /// On failure the error points at the innermost object that does not fit (found by reading the
    /// failing part again piece by piece; this costs nothing when the document is fine).
    pub fn from_value(value: &Value) -> Result<Document> {
        if let Some(pointer) = too_deep(value, MAX_DEPTH) {
            return Err(Error::at(
                pointer,
                format!(
                    "the spec nests objects and arrays more than {MAX_DEPTH} deep here; move inner \
                     schemas to `components/schemas` and reference them (check the overlays that \
                     update this part)"
                ),
            ));
        }
        if value.get("openapi").is_none()
            && let Some(swagger) = value.get("swagger")
        {
            return Err(Error::at(
                "/swagger",
                format!(
                    "this is a Swagger {} document, but the generator reads OpenAPI 3.1 \
                     documents only (with `openapi: 3.1.x`); convert it to OpenAPI 3.1 first",
                    swagger
                        .as_str()
                        .map_or_else(|| swagger.to_string(), str::to_string)
                ),
            ));
        }
        let document = Document::deserialize(value).map_err(|top| {
            let (pointer, message) = locate(Shape::Document, value, String::new())
                .unwrap_or_else(|| (String::new(), top.to_string()));
            Error::at(
                pointer,
                format!(
                    "this part of the spec does not have the shape the generator reads \
                     ({message}); fix the spec or add an overlay"
                ),
            )
        })?;
        check_openapi_version(&document.openapi)?;
        Ok(document)
    }

    /// Every operation as (path, method, operation), paths and methods in document order.
    pub fn operations(&self) -> impl Iterator<Item = (&str, Method, &Operation)> + '_ {
        self.paths.iter().flat_map(|(path, item)| {
            item.operations
                .iter()
                .map(move |(method, operation)| (path.as_str(), *method, operation))
        })
    }

    /// The component schemas, in document order (empty if there are none).
    pub fn schemas(&self) -> impl Iterator<Item = (&str, &Schema)> + '_ {
        self.components
            .iter()
            .flat_map(|c| &c.schemas)
            .map(|(name, schema)| (name.as_str(), schema))
    }

    /// Resolves `#/components/schemas/Name` to the schema's name (as spelled in the document) and
    /// the schema. Any other reference, or a missing name, gives `None`.
    pub fn resolve_schema_ref(&self, reference: &str) -> Option<(&str, &Schema)> {
        let name = schema_ref_name(reference)?;
        let (name, schema) = self
            .components
            .as_ref()?
            .schemas
            .get_key_value(name.as_str())?;
        Some((name.as_str(), schema))
    }
}

/// The component name a `#/components/schemas/...` reference names, with the pointer's RFC 6901
/// escapes decoded (`~1` is `/`, `~0` is `~`, in that order, so `~01` is `~1`). `None` for any
/// other reference, and for one that goes deeper than a schema (an unescaped `/`).
pub fn schema_ref_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix(SCHEMA_REF_PREFIX)?;
    if token.contains('/') {
        return None;
    }
    Some(token.replace("~1", "/").replace("~0", "~"))
}

/// Accepts the OpenAPI versions the view models: 3.1.x. A 3.0 document reads as the same JSON but
/// means something else (`nullable`, boolean `exclusiveMinimum`, `example` beside `$ref`), so
/// reading it as 3.1 would give wrong types without any error.
fn check_openapi_version(version: &str) -> Result<()> {
    let patch = version.strip_prefix("3.1.");
    if patch.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return Ok(());
    }
    let hint = if version.starts_with("3.0") {
        "; convert the spec to 3.1 first (3.0's `nullable: true` becomes a `null` type, boolean \
         `exclusiveMinimum`/`exclusiveMaximum` become numbers)"
    } else if version.starts_with('2') {
        "; convert the Swagger 2 document to OpenAPI 3.1 first"
    } else {
        ""
    };
    Err(Error::at(
        "/openapi",
        format!(
            "`openapi` is `{version}`, but the generator reads OpenAPI 3.1 documents only (any \
             `3.1.x`, such as `3.1.0` or `3.1.1`){hint}"
        ),
    ))
}

/// The parts of the document that [`locate`] can tell apart.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Document,
    Info,
    Server,
    Tag,
    Components,
    SecurityScheme,
    Globals,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Pagination,
    Retries,
    Schema,
    Discriminator,
}

/// Reads `value` as `shape`, returning the error if it does not fit.
fn check(shape: Shape, value: &Value) -> Option<serde_json::Error> {
    fn read<'a, T: Deserialize<'a>>(value: &'a Value) -> Option<serde_json::Error> {
        T::deserialize(value).err()
    }
    match shape {
        Shape::Document => read::<Document>(value),
        Shape::Info => read::<Info>(value),
        Shape::Server => read::<Server>(value),
        Shape::Tag => read::<Tag>(value),
        Shape::Components => read::<Components>(value),
        Shape::SecurityScheme => read::<SecurityScheme>(value),
        Shape::Globals => read::<Globals>(value),
        Shape::PathItem => read::<PathItem>(value),
        Shape::Operation => read::<Operation>(value),
        Shape::Parameter => read::<Parameter>(value),
        Shape::RequestBody => read::<RequestBody>(value),
        Shape::Response => read::<Response>(value),
        Shape::MediaType => read::<MediaType>(value),
        Shape::Pagination => read::<Pagination>(value),
        Shape::Retries => read::<Retries>(value),
        Shape::Schema => read::<Schema>(value),
        Shape::Discriminator => read::<Discriminator>(value),
    }
}

/// Finds the innermost part of a failing `value` that fails on its own: its pointer and message.
/// `None` if `value` actually reads fine as `shape`.
fn locate(shape: Shape, value: &Value, at: String) -> Option<(String, String)> {
    let error = check(shape, value)?;
    let mut parts = Vec::new();
    if let Some(object) = value.as_object() {
        parts_of(shape, object, &at, &mut parts);
    }
    for (pointer, part, part_shape) in parts {
        if let Some(found) = locate(part_shape, part, pointer) {
            return Some(found);
        }
    }
    Some((at, error.to_string()))
}

type Part<'v> = (String, &'v Value, Shape);

/// The modelled sub-objects of an object of the given shape.
fn parts_of<'v>(shape: Shape, object: &'v Map<String, Value>, at: &str, out: &mut Vec<Part<'v>>) {
    match shape {
        Shape::Document => {
            one(out, object, at, "info", Shape::Info);
            each(out, object, at, "servers", Shape::Server);
            each(out, object, at, "tags", Shape::Tag);
            each(out, object, at, "paths", Shape::PathItem);
            one(out, object, at, "components", Shape::Components);
            one(out, object, at, "x-speakeasy-globals", Shape::Globals);
        }
        Shape::Components => {
            each(out, object, at, "schemas", Shape::Schema);
            each(out, object, at, "securitySchemes", Shape::SecurityScheme);
        }
        Shape::Globals => each(out, object, at, "parameters", Shape::Parameter),
        Shape::PathItem => {
            each(out, object, at, "parameters", Shape::Parameter);
            for method in Method::ALL {
                one(out, object, at, method.as_str(), Shape::Operation);
            }
        }
        Shape::Operation => {
            each(out, object, at, "parameters", Shape::Parameter);
            one(out, object, at, "requestBody", Shape::RequestBody);
            each(out, object, at, "responses", Shape::Response);
            one(out, object, at, "x-speakeasy-pagination", Shape::Pagination);
            one(out, object, at, "x-speakeasy-retries", Shape::Retries);
        }
        Shape::Parameter | Shape::MediaType => one(out, object, at, "schema", Shape::Schema),
        Shape::RequestBody | Shape::Response => {
            each(out, object, at, "content", Shape::MediaType);
        }
        Shape::Schema => {
            each(out, object, at, "properties", Shape::Schema);
            for key in ["additionalProperties", "propertyNames", "items"] {
                one(out, object, at, key, Shape::Schema);
            }
            for key in ["anyOf", "oneOf", "allOf"] {
                each(out, object, at, key, Shape::Schema);
            }
            one(out, object, at, "discriminator", Shape::Discriminator);
        }
        Shape::Info
        | Shape::Server
        | Shape::Tag
        | Shape::SecurityScheme
        | Shape::Pagination
        | Shape::Retries
        | Shape::Discriminator => {}
    }
}

/// The value under `key`, if any.
fn one<'v>(
    out: &mut Vec<Part<'v>>,
    object: &'v Map<String, Value>,
    at: &str,
    key: &str,
    shape: Shape,
) {
    if let Some(value) = object.get(key) {
        out.push((child(at, key), value, shape));
    }
}

/// Every element (of a list) or every value (of a map) under `key`.
fn each<'v>(
    out: &mut Vec<Part<'v>>,
    object: &'v Map<String, Value>,
    at: &str,
    key: &str,
    shape: Shape,
) {
    let Some(container) = object.get(key) else {
        return;
    };
    let base = child(at, key);
    match container {
        Value::Array(items) => out.extend(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (child(&base, &i.to_string()), item, shape)),
        ),
        Value::Object(entries) => out.extend(
            entries
                .iter()
                .map(|(name, entry)| (child(&base, name), entry, shape)),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PINNED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/spec/openapi.json"
    );

    /// Collects up to `limit` places where two JSON values differ.
    fn differences(a: &Value, b: &Value, at: &str, out: &mut Vec<String>, limit: usize) {
        if out.len() >= limit || a == b {
            return;
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (k, v) in x {
                    match y.get(k) {
                        Some(w) => differences(v, w, &child(at, k), out, limit),
                        None => out.push(format!("{}: dropped", child(at, k))),
                    }
                }
                for k in y.keys().filter(|k| !x.contains_key(*k)) {
                    out.push(format!("{}: added", child(at, k)));
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    differences(v, w, &child(at, &i.to_string()), out, limit);
                }
            }
            _ => out.push(format!("{at}: {a} became {b}")),
        }
    }

    fn assert_round_trip(original: &Value) -> Document {
        let doc = match Document::from_value(original) {
            Ok(doc) => doc,
            Err(e) => panic!("could not read the document: {e}"),
        };
        let back = serde_json::to_value(&doc).expect("the view serializes");
        let mut diffs = Vec::new();
        differences(original, &back, "", &mut diffs, 20);
        assert!(
            diffs.is_empty(),
            "the round trip changed the document:\n{}",
            diffs.join("\n")
        );
        doc
    }

    fn minimal(extra: Value) -> Value {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
        });
        if let (Some(d), Value::Object(e)) = (doc.as_object_mut(), extra) {
            d.extend(e);
        }
        doc
    }

    #[test]
    fn pinned_spec_round_trips_exactly() {
        let text = std::fs::read_to_string(PINNED).unwrap_or_else(|e| {
            panic!("{PINNED} is needed by this test ({e}); see spec/source.toml")
        });
        let original: Value = serde_json::from_str(&text).expect("the pinned spec is JSON");
        let doc = assert_round_trip(&original);
        assert_eq!(doc.operations().count(), 149);
        // `default` beside `$ref` is the reason this view exists; make sure it is really read.
        let beside_ref = doc
            .schemas()
            .filter_map(|(_, s)| s.as_object()?.properties.as_ref())
            .flat_map(|p| p.values())
            .filter_map(Schema::as_object)
            .filter(|p| p.r#ref.is_some() && p.default.is_some())
            .count();
        assert!(beside_ref > 0);
    }

    #[test]
    fn nulls_and_empty_containers_survive() {
        let doc = minimal(json!({
            "components": {"schemas": {
                "A": {
                    "type": ["string", "null"],
                    "default": null,
                    "examples": [null],
                    "required": [],
                    "properties": {},
                    "additionalProperties": false,
                    "exclusiveMinimum": 0.0,
                    "maximum": 100
                },
                "B": true,
                "C": {}
            }}
        }));
        let view = assert_round_trip(&doc);
        let (name, a) = view
            .resolve_schema_ref("#/components/schemas/A")
            .expect("A exists");
        assert_eq!(name, "A");
        let a = a.as_object().expect("A is an object schema");
        assert_eq!(a.default, Some(Value::Null));
        assert_eq!(a.types(), [InstanceType::String, InstanceType::Null]);
        assert!(matches!(a.additional_properties, Some(Schema::Bool(false))));
        assert!(matches!(
            view.resolve_schema_ref("#/components/schemas/B"),
            Some((_, Schema::Bool(true)))
        ));
        assert!(view.resolve_schema_ref("#/components/schemas/Z").is_none());
        assert!(
            view.resolve_schema_ref("#/components/parameters/A")
                .is_none()
        );
    }

    #[test]
    fn escaped_schema_names_resolve() {
        let doc = minimal(json!({"components": {"schemas": {"a/b~c": {"type": "string"}}}}));
        let view = assert_round_trip(&doc);
        let (name, _) = view
            .resolve_schema_ref("#/components/schemas/a~1b~0c")
            .expect("escaped name resolves");
        assert_eq!(name, "a/b~c");
    }

    #[test]
    fn methods_keep_document_order() {
        let ok = json!({"200": {"description": "ok"}});
        let doc = minimal(json!({"paths": {
            "/b": {"post": {"responses": ok}, "get": {"responses": ok}, "summary": "b"},
            "/a": {"delete": {"responses": ok}}
        }}));
        let view = assert_round_trip(&doc);
        let order: Vec<_> = view.operations().map(|(p, m, _)| (p, m)).collect();
        assert_eq!(
            order,
            [
                ("/b", Method::Post),
                ("/b", Method::Get),
                ("/a", Method::Delete)
            ]
        );
    }

    #[test]
    fn speakeasy_extensions_are_typed() {
        let doc = minimal(json!({
            "servers": [{"url": "https://api.sandbox.{id}.gr4vy.app", "x-speakeasy-server-id": "sandbox",
                         "variables": {"id": {"default": "example", "description": "d"}}}],
            "security": [{"bearerAuth": []}],
            "x-speakeasy-globals": {"parameters": [{"name": "x-gr4vy-merchant-account-id", "in": "header",
                "schema": {"type": "string"}, "x-speakeasy-name-override": "merchant_account_id"}]},
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "paths": {"/transactions": {"get": {
                "responses": {"200": {"description": "ok"}},
                "x-speakeasy-pagination": {"type": "cursor",
                    "inputs": [{"name": "cursor", "in": "parameters", "type": "cursor"}],
                    "outputs": {"nextCursor": "$.next_cursor"}},
                "x-speakeasy-retries": {"strategy": "backoff",
                    "backoff": {"initialInterval": 200, "maxInterval": 200, "maxElapsedTime": 1000, "exponent": 1},
                    "statusCodes": ["5XX", 429], "retryConnectionErrors": true}
            }}}
        }));
        let view = assert_round_trip(&doc);
        let (_, _, op) = view.operations().next().expect("one operation");
        let pagination = op.x_speakeasy_pagination.as_ref().expect("pagination");
        assert_eq!(pagination.r#type, "cursor");
        assert_eq!(
            pagination
                .outputs
                .as_ref()
                .and_then(|o| o.next_cursor.as_deref()),
            Some("$.next_cursor")
        );
        let retries = op.x_speakeasy_retries.as_ref().expect("retries");
        let codes = &retries.status_codes;
        assert!(codes[0].matches(503) && !codes[0].matches(429) && codes[1].matches(429));
        assert_eq!(
            retries.backoff.as_ref().and_then(|b| b.max_elapsed_time),
            Some(1000)
        );
        let global = &view
            .x_speakeasy_globals
            .as_ref()
            .expect("globals")
            .parameters[0];
        assert_eq!(
            global.x_speakeasy_name_override.as_deref(),
            Some("merchant_account_id")
        );
        assert_eq!(global.r#in, ParameterLocation::Header);
        assert_eq!(
            view.servers[0].x_speakeasy_server_id.as_deref(),
            Some("sandbox")
        );
    }

    #[test]
    fn empty_openapi_collections_read_as_absent() {
        // The documented exception to the exact round trip: OpenAPI gives `[]` and absence the same
        // meaning for these, so the view does not keep the difference.
        let doc = minimal(json!({"servers": [], "paths": {"/a": {"parameters": [], "get": {}}}}));
        let view = Document::from_value(&doc).unwrap_or_else(|e| panic!("{e}"));
        assert!(view.servers.is_empty() && view.paths["/a"].parameters.is_empty());
        let back = serde_json::to_value(&view).expect("serializes");
        assert_eq!(back, minimal(json!({"paths": {"/a": {"get": {}}}})));
    }

    #[test]
    fn unknown_keys_are_kept_in_document_order() {
        let doc = minimal(
            json!({"components": {"schemas": {"A": {"zeta": 1, "type": "object", "alpha": 2}}}}),
        );
        let view = assert_round_trip(&doc);
        let (_, a) = view
            .resolve_schema_ref("#/components/schemas/A")
            .expect("A");
        let keys: Vec<_> = a.as_object().expect("object").unknown.keys().collect();
        assert_eq!(keys, ["zeta", "alpha"]);
    }

    #[test]
    fn errors_point_at_the_innermost_bad_part() {
        let doc = minimal(json!({"components": {"schemas": {
            "Fine": {"type": "string"},
            "A": {"type": "object", "properties": {"b": {"anyOf": [{"type": "string"}, {"maxLength": "ten"}]}}}
        }}}));
        let e = Document::from_value(&doc).expect_err("maxLength must be a number");
        assert_eq!(
            e.location,
            crate::Location::Pointer("/components/schemas/A/properties/b/anyOf/1".into())
        );
        assert!(e.message.contains("expected u64"), "{}", e.message);
    }

    #[test]
    fn null_for_a_typed_keyword_is_an_error_not_a_silent_none() {
        let doc = minimal(json!({"paths": {"/x": {"get": {"summary": null, "responses": {}}}}}));
        let e = Document::from_value(&doc).expect_err("summary must be a string");
        assert_eq!(
            e.location,
            crate::Location::Pointer("/paths/~1x/get".into())
        );
    }

    #[test]
    fn missing_required_keys_are_reported_at_the_document() {
        let e = Document::from_value(&json!({"openapi": "3.1.0"})).expect_err("info is required");
        assert_eq!(e.location, crate::Location::Pointer(String::new()));
        assert!(e.message.contains("missing field `info`"), "{}", e.message);
        let e = Document::from_value(&json!([])).expect_err("not an object");
        assert_eq!(e.location, crate::Location::Pointer(String::new()));
    }

    #[test]
    fn bad_type_names_are_rejected() {
        let doc = minimal(json!({"components": {"schemas": {"A": {"type": "file"}}}}));
        let e = Document::from_value(&doc).expect_err("file is not a JSON Schema type");
        assert_eq!(
            e.location,
            crate::Location::Pointer("/components/schemas/A".into())
        );
        assert!(
            e.message.contains("unknown variant `file`"),
            "{}",
            e.message
        );
    }
}
