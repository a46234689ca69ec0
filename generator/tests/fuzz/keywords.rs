//! The keywords [`crate::mutations::Mutation::Keyword`] sets, and the odd values it sets them
//! to, per kind of node.

use serde_json::{Value, json};

use crate::mutations::WEIRD;

/// Where [`Mutation::Keyword`] sets a keyword.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeywordSite {
    Schema,
    Parameter,
    Operation,
    Response,
    Root,
}

/// Prose that is awkward in a doc comment.
pub(crate) fn awkward_docs() -> Vec<Value> {
    vec![
        json!(""),
        json!("```"),
        json!("```rust\nfn main() {}"),
        json!("    indented(code);"),
        json!("a */ b /* c"),
        json!("#[doc = \"x\"]\n\r\n\t\u{0}"),
        json!("[link](#) <b>html</b> \\ \"quoted\" 'single'"),
        json!("🦀".repeat(1000)),
        json!(1),
        json!(null),
    ]
}

pub(crate) fn strings(values: &[&str]) -> Vec<Value> {
    values.iter().map(|v| json!(v)).collect()
}

/// The keywords a site has, each with values to try (right and wrong ones).
pub(crate) fn keywords(site: KeywordSite) -> Vec<(&'static str, Vec<Value>)> {
    let examples = vec![
        json!(null),
        json!(""),
        json!("🦀"),
        json!(0),
        json!(-1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(true),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"a": {"b": [1]}, "id": "x", "type": 3}),
        json!("2024-01-01T00:00:00Z"),
        json!("not-a-uuid"),
    ];
    let schemas = vec![
        json!({}),
        json!(true),
        json!(false),
        json!({"type": "string"}),
        json!({"type": "array"}),
        json!({"type": "array", "items": {"type": "object"}}),
        json!({"type": "object"}),
        json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        json!({"$ref": "#/components/schemas/DoesNotExist"}),
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        json!({"type": "string", "enum": []}),
        json!({"const": "x"}),
        json!("string"),
    ];
    let weird = strings(WEIRD);
    match site {
        KeywordSite::Schema => vec![
            ("example", examples.clone()),
            (
                "examples",
                vec![
                    json!([]),
                    json!([null]),
                    json!(["🦀", 1]),
                    json!("x"),
                    json!([{"a": []}]),
                    json!({"a": 1}),
                ],
            ),
            ("default", examples.clone()),
            (
                "const",
                vec![
                    json!("🦀"),
                    json!(""),
                    json!("type"),
                    json!(1),
                    json!(null),
                    json!(["a"]),
                    json!({"a": 1}),
                ],
            ),
            (
                "format",
                strings(&[
                    "date-time",
                    "date",
                    "time",
                    "uuid",
                    "int32",
                    "int64",
                    "float",
                    "double",
                    "binary",
                    "byte",
                    "email",
                    "uri",
                    "ipv4",
                    "🦀",
                    "",
                ]),
            ),
            (
                "minimum",
                vec![
                    json!(-1),
                    json!(1e308),
                    json!(0.5),
                    json!("1"),
                    json!(u64::MAX),
                ],
            ),
            ("maximum", vec![json!(-1), json!(-1e308), json!(i64::MIN)]),
            ("exclusiveMinimum", vec![json!(true), json!(0)]),
            ("multipleOf", vec![json!(0), json!(-1), json!(0.1)]),
            (
                "minLength",
                vec![json!(0), json!(u64::MAX), json!(-1), json!(1.5)],
            ),
            ("maxLength", vec![json!(0), json!(u64::MAX), json!(-1)]),
            ("minItems", vec![json!(0), json!(u64::MAX)]),
            ("maxItems", vec![json!(0), json!(-5)]),
            ("uniqueItems", vec![json!(true), json!("yes")]),
            ("pattern", strings(&["[", "^a$", "", "(?<n>a)\\"])),
            (
                "required",
                vec![
                    json!([]),
                    json!(["missing"]),
                    json!(["a", "a"]),
                    json!("a"),
                    json!([1]),
                    json!([""]),
                ],
            ),
            ("nullable", vec![json!(true), json!(false)]),
            ("readOnly", vec![json!(true), json!("yes")]),
            ("writeOnly", vec![json!(true)]),
            ("deprecated", vec![json!(true), json!(1)]),
            ("description", awkward_docs()),
            ("title", awkward_docs()),
            ("additionalProperties", schemas.clone()),
            ("propertyNames", schemas.clone()),
            (
                "properties",
                vec![
                    json!({}),
                    json!({"a": true}),
                    json!({"a": false}),
                    json!({"": {}}),
                    json!({"a": {"type": "null"}}),
                    json!([]),
                ],
            ),
            ("items", schemas.clone()),
            (
                "discriminator",
                vec![
                    json!({"propertyName": "type"}),
                    json!({"propertyName": ""}),
                    json!({"propertyName": "type", "mapping": {"a": "#/components/schemas/DoesNotExist"}}),
                    json!({"propertyName": "kind", "mapping": {"": "#/components/schemas/Item"}}),
                    json!({}),
                    json!("type"),
                ],
            ),
            (
                "enum",
                vec![
                    json!([]),
                    json!([null]),
                    json!(["a", "a"]),
                    json!(["a", 1]),
                    json!(["", "_", "-", "__"]),
                    json!([true]),
                    json!(["A", "a", "a-", "a_"]),
                    json!([{"a": 1}]),
                    json!("a"),
                ],
            ),
            (
                "anyOf",
                vec![
                    json!([]),
                    json!([{}]),
                    json!([{"type": "null"}]),
                    json!([true]),
                    json!([{"type": "string"}, {"type": "string"}]),
                    json!([{"type": "null"}, {"type": "null"}]),
                    json!([{"type": "array", "items": {"type": "string"}}, {"type": "string"}]),
                ],
            ),
            (
                "oneOf",
                vec![
                    json!([]),
                    json!([{"type": "object"}]),
                    json!([{"$ref": "#/components/schemas/DoesNotExist"}]),
                    json!([
                        {"type": "object", "properties": {"type": {"const": "a"}}},
                        {"type": "object", "properties": {"type": {"const": "a"}}}
                    ]),
                ],
            ),
            ("allOf", vec![json!([]), json!([{}])]),
            ("not", vec![json!({})]),
            (
                "$ref",
                vec![json!("#/components/schemas/DoesNotExist"), json!(1)],
            ),
            (
                "x-speakeasy-unknown-values",
                vec![json!("allow"), json!(true)],
            ),
            ("x-speakeasy-name-override", weird.clone()),
            ("x-speakeasy-ignore", vec![json!(true), json!(false)]),
        ],
        KeywordSite::Parameter => vec![
            (
                "in",
                strings(&["query", "header", "path", "cookie", "body", "", "Query"]),
            ),
            ("required", vec![json!(true), json!(false), json!("yes")]),
            (
                "style",
                strings(&[
                    "form",
                    "deepObject",
                    "simple",
                    "matrix",
                    "label",
                    "spaceDelimited",
                    "pipeDelimited",
                    "",
                ]),
            ),
            ("explode", vec![json!(true), json!(false)]),
            ("schema", schemas.clone()),
            (
                "content",
                vec![
                    json!({"application/json": {"schema": {"type": "string"}}}),
                    json!({}),
                ],
            ),
            ("example", examples.clone()),
            (
                "examples",
                vec![
                    json!({}),
                    json!({"a": {"value": 1}}),
                    json!({"a": {"summary": "s"}}),
                    json!({"a": 1}),
                    json!([1]),
                ],
            ),
            ("deprecated", vec![json!(true)]),
            ("allowEmptyValue", vec![json!(true)]),
            ("allowReserved", vec![json!(true)]),
            ("description", awkward_docs()),
            ("$ref", strings(&["#/components/parameters/DoesNotExist"])),
            ("x-speakeasy-name-override", weird.clone()),
        ],
        KeywordSite::Operation => vec![
            (
                "security",
                vec![
                    json!([]),
                    json!([{}]),
                    json!([{"bearerAuth": []}]),
                    json!([{"missing": ["scope"]}]),
                    json!({}),
                ],
            ),
            ("deprecated", vec![json!(true)]),
            ("summary", awkward_docs()),
            ("description", awkward_docs()),
            (
                "requestBody",
                vec![
                    json!({}),
                    json!({"content": {}}),
                    json!({"content": {"text/plain": {"schema": {"type": "string"}}}}),
                    json!({"content": {"application/json": {}}}),
                    json!({"required": true, "content": {"application/json": {"schema": {"type": "string"}}}}),
                    json!({"required": true, "content": {"application/json": {"schema":
                        {"type": "array", "items": {"type": "integer"}}}}}),
                    json!({"content": {"application/json": {"schema": {"type": "object", "properties":
                        {"a": {"type": "object", "properties": {"b": {"type": "string"}}}}}}}}),
                    json!({"content": {"multipart/form-data": {"schema": {}}, "application/json": {"schema": {}}}}),
                    json!({"content": {"application/merge-patch+json; charset=utf-8": {"schema": {"type": "object"}}}}),
                    json!({"$ref": "#/components/requestBodies/X"}),
                ],
            ),
            (
                "responses",
                vec![
                    json!({}),
                    json!({"default": {"description": "x"}}),
                    json!({"200": {"description": "x"}}),
                    json!({"2XX": {"description": "ok", "content": {"application/json": {"schema":
                        {"type": "array", "items": {}}}}}}),
                    json!({"200": {"description": "x", "content": {"application/json": {"schema": {"type": "string"}}}}}),
                    json!({"200": {"description": "x", "content": {"application/json": {"schema": {"type": "null"}}}}}),
                    json!({"200": {"description": "x", "content": {"application/json": {"schema": {}}}},
                           "201": {"description": "y", "content": {"application/json": {"schema": {"type": "integer"}}}}}),
                    json!({"204": {"description": "x"}, "4XX": {"description": "e", "content":
                        {"application/json": {"schema": {"type": "object"}}}}}),
                    json!({"200": {"description": "x", "content": {"application/octet-stream": {},
                        "text/csv": {"schema": {"type": "string"}}}}}),
                    json!({"200": {"$ref": "#/components/responses/X"}}),
                    json!({"999": {"description": "x"}, "20": {"description": "y"}, "2xx": {"description": "z"}}),
                    json!({"200": {"description": "x", "headers": {"X-Rate": {"schema": {"type": "integer"}}}}}),
                ],
            ),
            (
                "parameters",
                vec![
                    json!([]),
                    json!([{"name": "x", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}]),
                    json!([{"name": "x", "in": "query", "schema": {}}, {"name": "x", "in": "query", "schema": {}}]),
                    json!([{"name": "x", "in": "query", "schema": {"type": "string"}},
                           {"name": "x", "in": "header", "schema": {"type": "string"}}]),
                    json!([{"name": "X-Id", "in": "header", "required": true, "schema":
                        {"type": "integer", "format": "int64"}}]),
                    json!([{"name": "id", "in": "path", "required": false, "schema": {"type": "string"}}]),
                    json!([{"name": "filter", "in": "query", "style": "deepObject", "schema":
                        {"type": "object", "properties": {"a": {"type": "string"}}}}]),
                    json!([{"$ref": "#/components/parameters/X"}]),
                ],
            ),
            ("operationId", weird.clone()),
            (
                "x-speakeasy-group",
                weird
                    .iter()
                    .cloned()
                    .chain(strings(&["a..b", ".a", "a.", "a.b.c.d", "a.type.self"]))
                    .collect(),
            ),
            ("x-speakeasy-ignore", vec![json!(true), json!(false)]),
            ("tags", vec![json!([]), json!(["a", "a"]), json!("a")]),
            ("callbacks", vec![json!({"x": {}})]),
            ("servers", vec![json!([{"url": "https://other.test"}])]),
        ],
        KeywordSite::Response => vec![
            ("description", awkward_docs()),
            (
                "content",
                vec![
                    json!({}),
                    json!({"application/json": {}}),
                    json!({"application/json": {"schema": {}}}),
                    json!({"application/json": {"schema": {"type": "array", "items":
                        {"type": "array", "items": {"type": "string"}}}}}),
                    json!({"application/json": {"schema": {"type": "object", "additionalProperties": true}}}),
                    json!({"application/json": {"schema": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}),
                    json!({"text/event-stream": {"schema": {"type": "string"}}}),
                    json!({"application/problem+json": {"schema": {"type": "object", "properties":
                        {"": {"type": "string"}}}}}),
                ],
            ),
            (
                "headers",
                vec![json!({"X": {"schema": {"type": "string"}}}), json!({})],
            ),
            ("$ref", strings(&["#/components/responses/X"])),
        ],
        KeywordSite::Root => vec![
            (
                "openapi",
                vec![
                    json!("3.0.3"),
                    json!("2.0"),
                    json!(3.1),
                    json!("3.1.1"),
                    json!(""),
                ],
            ),
            (
                "info",
                vec![
                    json!({}),
                    json!({"title": "", "version": ""}),
                    json!({"title": "🦀\n\"", "version": "1", "description": "```"}),
                ],
            ),
            (
                "servers",
                vec![
                    json!([]),
                    json!([{"url": ""}]),
                    json!([{"url": "{a}"}]),
                    json!([{"url": "https://x/{a}", "variables": {"a": {"default": "", "enum": []}}}]),
                    json!([{"url": "https://x/{a}", "variables": {"a": {"default": "b", "enum": ["c"]}}}]),
                    json!([{"url": "https://{a}{a}.test/{}", "variables": {"a": {"default": "x"}, "": {"default": "y"}}}]),
                    json!([{"url": "a", "x-speakeasy-server-id": "a"}, {"url": "b", "x-speakeasy-server-id": "a"}]),
                    json!([{"url": "a"}, {"url": "b"}]),
                    json!([{"url": "https://{unclosed.test"}]),
                    json!([{"url": "https://x.test/}{"}]),
                ],
            ),
            (
                "security",
                vec![
                    json!([]),
                    json!([{}]),
                    json!([{"bearerAuth": []}, {"other": []}]),
                    json!([{"missing": []}]),
                ],
            ),
            (
                "tags",
                vec![
                    json!([]),
                    json!([{"name": ""}]),
                    json!([{"name": "a"}, {"name": "a"}]),
                ],
            ),
            (
                "components",
                vec![
                    json!({}),
                    json!({"schemas": {}}),
                    json!({"securitySchemes": {"a": {"type": "apiKey", "in": "header", "name": "X-Key"}}}),
                    json!({"securitySchemes": {"a": {"type": "oauth2", "flows": {}}}}),
                    json!({"securitySchemes": {"a": {"type": "http", "scheme": "basic"}}}),
                    json!({"securitySchemes": {"a": {"type": "openIdConnect", "openIdConnectUrl": ""}}}),
                    json!({"securitySchemes": {"bearerAuth": {"type": "mutualTLS"}}}),
                    json!({"parameters": {"X": {"name": "x", "in": "query"}}}),
                ],
            ),
            (
                "x-speakeasy-globals",
                vec![
                    json!({"parameters": [{"name": "x", "in": "header", "schema": {"type": "string"}}]}),
                ],
            ),
            ("webhooks", vec![json!({})]),
            ("jsonSchemaDialect", vec![json!("x")]),
        ],
    }
}
