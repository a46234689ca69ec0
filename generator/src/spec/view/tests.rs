//! The round trip over the pinned spec, and the view's reading rules one by one.

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
    let text = std::fs::read_to_string(PINNED)
        .unwrap_or_else(|e| panic!("{PINNED} is needed by this test ({e}); see spec/source.toml"));
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
fn errors_point_at_the_bad_value() {
    let doc = minimal(json!({"components": {"schemas": {
        "Fine": {"type": "string"},
        "A": {"type": "object", "properties": {"b": {"anyOf": [{"type": "string"}, {"maxLength": "ten"}]}}}
    }}}));
    let e = Document::from_value(&doc).expect_err("maxLength must be a number");
    assert_eq!(
        e.location,
        crate::Location::Pointer("/components/schemas/A/properties/b/anyOf/1/maxLength".into())
    );
    assert!(e.message.contains("expected u64"), "{}", e.message);
}

#[test]
fn null_for_a_typed_keyword_is_an_error_not_a_silent_none() {
    let doc = minimal(json!({"paths": {"/x": {"get": {"summary": null, "responses": {}}}}}));
    let e = Document::from_value(&doc).expect_err("summary must be a string");
    assert_eq!(
        e.location,
        crate::Location::Pointer("/paths/~1x/get/summary".into())
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
        crate::Location::Pointer("/components/schemas/A/type".into())
    );
    assert!(
        e.message.contains("unknown variant `file`"),
        "{}",
        e.message
    );
}
