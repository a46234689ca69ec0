//! Paths and operations: everything under `paths` (and the parameters `x-speakeasy-globals` lists).

use std::fmt;

use indexmap::IndexMap;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::SecurityRequirement;
use super::extensions::{Pagination, Retries};
use super::object::{
    Step, ToJson, Unknown, UnknownKeys, finish, no_unknown_keys, report_unknown, view_object,
};
use super::schema::Schema;

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

impl UnknownKeys for PathItem {
    fn unknown_keys<'v>(
        &'v self,
        path: &mut Vec<Step<'v>>,
        found: &mut dyn FnMut(&[Step<'v>], &'v str),
    ) {
        path.push(Step::Key("parameters"));
        self.parameters.unknown_keys(path, found);
        path.pop();
        for (method, operation) in &self.operations {
            path.push(Step::Key(method.as_str()));
            operation.unknown_keys(path, found);
            path.pop();
        }
        report_unknown(&self.unknown, path, found);
    }
}

impl ToJson for PathItem {
    fn to_json(&self) -> Value {
        let mut object = Map::new();
        if let Some(summary) = &self.summary {
            object.insert("summary".to_owned(), summary.to_json());
        }
        if let Some(description) = &self.description {
            object.insert("description".to_owned(), description.to_json());
        }
        if !self.parameters.is_empty() {
            object.insert("parameters".to_owned(), self.parameters.to_json());
        }
        for (method, operation) in &self.operations {
            object.insert(method.as_str().to_owned(), operation.to_json());
        }
        finish(object, &self.unknown)
    }
}

impl Serialize for PathItem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

view_object! {
    /// One operation.
    pub struct Operation {
        pub operation_id: Option<String> = "operationId",
        pub tags: Vec<String> = "tags",
        pub summary: Option<String> = "summary",
        pub description: Option<String> = "description",
        pub parameters: Vec<Parameter> = "parameters",
        pub request_body: Option<RequestBody> = "requestBody",
        /// Status code (`200`, `4XX`, `default`) to response, in document order.
        pub responses: IndexMap<String, Response> = "responses",
        /// `Some(vec![])` (no auth) differs from `None` (the global requirement applies).
        pub security: Option<Vec<SecurityRequirement>> = "security",
        pub deprecated: Option<bool> = "deprecated",
        /// The method name within its group.
        pub x_speakeasy_name_override: Option<String> = "x-speakeasy-name-override",
        /// The dotted path of the SDK namespace that holds the method.
        pub x_speakeasy_group: Option<String> = "x-speakeasy-group",
        /// Leave the operation out of the SDK.
        pub x_speakeasy_ignore: Option<bool> = "x-speakeasy-ignore",
        pub x_speakeasy_pagination: Option<Pagination> = "x-speakeasy-pagination",
        pub x_speakeasy_retries: Option<Retries> = "x-speakeasy-retries",
    }
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

no_unknown_keys!(ParameterLocation);

impl ToJson for ParameterLocation {
    fn to_json(&self) -> Value {
        Value::from(self.as_str())
    }
}

view_object! {
    /// An operation, path-item or global parameter.
    pub struct Parameter {
        pub name: String = "name" (required),
        pub r#in: ParameterLocation = "in" (required),
        pub description: Option<String> = "description",
        pub required: Option<bool> = "required",
        pub deprecated: Option<bool> = "deprecated",
        pub style: Option<String> = "style",
        pub explode: Option<bool> = "explode",
        pub schema: Option<Schema> = "schema",
        pub example: Option<Value> = "example",
        pub examples: IndexMap<String, Example> = "examples",
        /// The Rust-side name (`merchant_account_id` for the global header).
        pub x_speakeasy_name_override: Option<String> = "x-speakeasy-name-override",
    }
}

impl Parameter {
    /// Whether the parameter must be sent (path parameters always must).
    pub fn is_required(&self) -> bool {
        self.required
            .unwrap_or(self.r#in == ParameterLocation::Path)
    }
}

view_object! {
    /// A named example of a parameter or media type (OpenAPI's Example object, not JSON Schema's
    /// `examples` array).
    pub struct Example {
        pub summary: Option<String> = "summary",
        pub description: Option<String> = "description",
        pub value: Option<Value> = "value",
    }
}

view_object! {
    /// `requestBody`.
    pub struct RequestBody {
        pub description: Option<String> = "description",
        /// Media type (`application/json`) to its schema.
        pub content: IndexMap<String, MediaType> = "content" (required),
        pub required: Option<bool> = "required",
    }
}

view_object! {
    /// One entry of `responses`.
    pub struct Response {
        pub description: String = "description" (required),
        /// Empty for bodiless responses (`204`).
        pub content: IndexMap<String, MediaType> = "content",
    }
}

view_object! {
    /// One entry of a `content` map.
    pub struct MediaType {
        pub schema: Option<Schema> = "schema",
        pub example: Option<Value> = "example",
        pub examples: IndexMap<String, Example> = "examples",
    }
}
