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
//! - Every object is declared once with `view_object!` (in `object.rs`), which names the JSON key of
//!   each field and writes the serde impls. Field names are the keys in snake case
//!   (`x-speakeasy-group` is `x_speakeasy_group`), with raw identifiers where the key is a Rust
//!   keyword (`r#type`, `r#enum`, `r#in`, `$ref` as `r#ref`).
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

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::child;
use crate::{Error, Result};

mod extensions;
mod object;
mod operation;
mod schema;
#[cfg(test)]
mod tests;

use object::view_object;

pub use extensions::{
    Backoff, Globals, Pagination, PaginationInput, PaginationOutputs, Retries, StatusCode,
};
pub use object::{Step, ToJson, Unknown, UnknownKeys};
pub use operation::{
    Example, MediaType, Method, Operation, Parameter, ParameterLocation, PathItem, RequestBody,
    Response,
};
pub use schema::{Discriminator, InstanceType, Schema, SchemaObject, SchemaType};

/// A security requirement: scheme name to the scopes it needs.
pub type SecurityRequirement = IndexMap<String, Vec<String>>;

view_object! {
    /// The whole document.
    pub struct Document {
        pub openapi: String = "openapi" (required),
        pub info: Info = "info" (required),
        pub servers: Vec<Server> = "servers",
        /// Absent means no global security requirement.
        pub security: Option<Vec<SecurityRequirement>> = "security",
        pub tags: Vec<Tag> = "tags",
        /// Path template to path item, in document order.
        pub paths: IndexMap<String, PathItem> = "paths",
        pub components: Option<Components> = "components",
        /// Parameters that become client-level settings.
        pub x_speakeasy_globals: Option<Globals> = "x-speakeasy-globals",
    }
}

view_object! {
    /// `info`.
    pub struct Info {
        pub title: String = "title" (required),
        pub version: String = "version" (required),
        pub summary: Option<String> = "summary",
        pub description: Option<String> = "description",
    }
}

view_object! {
    /// One entry of `servers`.
    pub struct Server {
        pub url: String = "url" (required),
        pub description: Option<String> = "description",
        pub variables: IndexMap<String, ServerVariable> = "variables",
        /// The name the SDK gives this server (`sandbox`, `production`).
        pub x_speakeasy_server_id: Option<String> = "x-speakeasy-server-id",
    }
}

view_object! {
    /// A `{name}` in a server URL.
    pub struct ServerVariable {
        pub default: String = "default" (required),
        pub description: Option<String> = "description",
        pub r#enum: Option<Vec<String>> = "enum",
    }
}

view_object! {
    /// One entry of the top-level `tags`.
    pub struct Tag {
        pub name: String = "name" (required),
        pub description: Option<String> = "description",
    }
}

view_object! {
    /// `components`. Only the sections this spec uses are modelled; `parameters`, `responses` and
    /// the like would be findings, because the generator does not resolve references into them.
    pub struct Components {
        pub schemas: IndexMap<String, Schema> = "schemas",
        pub security_schemes: IndexMap<String, SecurityScheme> = "securitySchemes",
    }
}

view_object! {
    /// An entry of `components/securitySchemes`.
    pub struct SecurityScheme {
        /// `http`, `apiKey`, `oauth2`, `openIdConnect` or `mutualTLS`.
        pub r#type: String = "type" (required),
        pub description: Option<String> = "description",
        /// The header, query or cookie name of an `apiKey` scheme.
        pub name: Option<String> = "name",
        pub r#in: Option<String> = "in",
        /// The HTTP auth scheme of an `http` scheme (`bearer`).
        pub scheme: Option<String> = "scheme",
        pub bearer_format: Option<String> = "bearerFormat",
        pub flows: Option<OAuthFlows> = "flows",
        pub open_id_connect_url: Option<String> = "openIdConnectUrl",
    }
}

view_object! {
    /// The `flows` of an OAuth2 scheme. The upstream spec declares a password flow that the
    /// overlays replace with a bearer scheme; modelling it lets the raw spec be audited too.
    pub struct OAuthFlows {
        pub implicit: Option<OAuthFlow> = "implicit",
        pub password: Option<OAuthFlow> = "password",
        pub client_credentials: Option<OAuthFlow> = "clientCredentials",
        pub authorization_code: Option<OAuthFlow> = "authorizationCode",
    }
}

view_object! {
    /// One OAuth2 flow.
    pub struct OAuthFlow {
        pub authorization_url: Option<String> = "authorizationUrl",
        pub token_url: Option<String> = "tokenUrl",
        pub refresh_url: Option<String> = "refreshUrl",
        /// Scope name to its description.
        pub scopes: IndexMap<String, String> = "scopes" (required),
    }
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

/// The JSON pointer of the place serde was reading when it failed.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |at, segment| match segment {
            Segment::Seq { index } => child(&at, &index.to_string()),
            Segment::Map { key } => child(&at, key),
            // No view type is an enum with data or a struct read from a list, so neither names a key.
            Segment::Enum { .. } | Segment::Unknown => at,
        })
}

impl Document {
    /// Reads the view from parsed JSON, without copying the document.
    ///
    /// On failure the error points at the value that does not fit (serde's path to it, tracked
    /// while reading; a missing key is reported at the object that lacks it).
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
        // Tracking the path costs time on every value, so it is done only to locate an error.
        let document = match <Document as serde::Deserialize>::deserialize(value) {
            Ok(document) => document,
            Err(_) => {
                let located: std::result::Result<Document, _> =
                    serde_path_to_error::deserialize(value);
                let e = match located {
                    Ok(document) => {
                        return check_openapi_version(&document.openapi).map(|()| document);
                    }
                    Err(e) => e,
                };
                return Err(Error::at(
                    pointer(e.path()),
                    format!(
                        "this part of the spec does not have the shape the generator reads \
                         ({}); fix the spec or add an overlay",
                        e.inner()
                    ),
                ));
            }
        };
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
