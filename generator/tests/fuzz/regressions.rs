//! Regression cases: minimal reproducers of panics the fuzzer found, each a named test.

use gr4vy_codegen::emit::Options;
use gr4vy_codegen::pipeline;
use serde_json::{Value, json};

use crate::inputs::{config, inputs};

/// Runs the passes on `doc`. A panic in them fails the calling test with its own message and
/// location, which is all a regression test needs.
fn outcome(
    doc: &Value,
) -> gr4vy_codegen::Result<(gr4vy_codegen::ir::Api, gr4vy_codegen::output::Tree)> {
    let statics = inputs().statics;
    let options = Options {
        standalone: true,
        ..Options::default()
    };
    pipeline::generate(doc, &config(None), "fuzz", &statics, &options)
}

/// One `GET /things` returning a `Thing` with one property, `id`.
fn minimal_spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Minimal", "version": "1.0"},
        "servers": [{"url": "https://api.example.test", "x-speakeasy-server-id": "default"}],
        "paths": {"/things": {"get": {
            "operationId": "list_things",
            "x-speakeasy-group": "things",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/Thing"}}}}}
        }}},
        "components": {"schemas": {"Thing": {
            "type": "object",
            "properties": {"id": {"type": "string"}}
        }}}
    })
}

#[test]
fn the_minimal_spec_generates() {
    if let Err(e) = outcome(&minimal_spec()) {
        panic!("{e}");
    }
}

/// Found by `fuzz_spec_mutations` (a property named `a²` added to a fixture): heck keeps every
/// alphanumeric `char` in a name, and `²` is alphanumeric but not an identifier character, so the
/// emitter's `syn::Ident::new("a²")` panicked. Such characters are now dropped from the Rust name,
/// as `🦀` always was; the wire name keeps them.
#[test]
fn regression_property_name_with_a_non_identifier_alphanumeric() {
    for name in ["a²", "½", "٣x"] {
        let mut doc = minimal_spec();
        doc["components"]["schemas"]["Thing"]["properties"][name] = json!({"type": "string"});
        let (_, tree) = outcome(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let model = tree.get("src/models/thing.rs").expect("the model file");
        let model = String::from_utf8_lossy(model);
        // Written under its wire name, and read under it as bytes (`b"a\xC2\xB2"`).
        let bytes: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("\\x{b:02X}")
                }
            })
            .collect();
        assert!(
            model.contains(&format!("serialize_entry(\"{name}\""))
                && model.contains(&format!("b\"{bytes}\" =>")),
            "{name}:\n{model}"
        );
    }
}

/// Found by `fuzz_spec_mutations` (a response key renamed to `a/b`): the error-body enum's variant
/// `Statusa/b` was not an identifier and `syn::Ident::new` panicked. A response key that is not a
/// status is now an error at the key.
#[test]
fn regression_response_key_that_is_not_a_status() {
    let mut doc = minimal_spec();
    let responses = &mut doc["paths"]["/things"]["get"]["responses"];
    responses["a/b"] = json!({"description": "x", "content": {"application/json": {"schema": {"type": "string"}}}});
    let e = outcome(&doc)
        .map(|_| ())
        .expect_err("the generator accepts `a/b` as a status");
    assert_eq!(
        e.location,
        gr4vy_codegen::Location::Pointer("/paths/~1things/get/responses/a~1b".into())
    );
    assert!(e.message.contains("is not a response status"), "{e}");
    // The keys OpenAPI allows still pass.
    for status in ["default", "4XX", "5xx", "404"] {
        let mut doc = minimal_spec();
        doc["paths"]["/things"]["get"]["responses"][status] = json!({"description": "x"});
        if let Err(e) = outcome(&doc) {
            panic!("{status}: {e}");
        }
    }
}

/// Found while choosing the depths of `Mutation::Nest`: a schema nested 1000 levels deep (which
/// only overlay updates merged into deep nodes can produce; the JSON and YAML parsers stop at 128)
/// overflowed the stack in the passes, aborting the process. Nesting beyond
/// `spec::view::MAX_DEPTH` is now an error at the first node too deep.
#[test]
fn regression_nesting_deeper_than_the_parsers_allow() {
    let mut doc = minimal_spec();
    let mut inner = json!({"type": "string"});
    for _ in 0..1000 {
        inner = json!({"type": "array", "items": inner});
    }
    doc["components"]["schemas"]["Thing"]["properties"]["deep"] = inner;
    let e = outcome(&doc)
        .map(|_| ())
        .expect_err("the generator accepts 1000 levels");
    let gr4vy_codegen::Location::Pointer(at) = &e.location else {
        panic!("not at a pointer: {e}");
    };
    let prefix = "/components/schemas/Thing/properties/deep/items/";
    assert!(at.starts_with(prefix), "{e}");
    // The document is the first level, so the node too deep is the 129th.
    assert_eq!(
        at.matches('/').count(),
        gr4vy_codegen::spec::view::MAX_DEPTH,
        "{e}"
    );
    assert!(e.message.contains("more than 128 deep"), "{e}");
}
