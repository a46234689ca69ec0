//! The whole pipeline on the pinned spec, in process.

use std::path::{Path, PathBuf};

use gr4vy_codegen::pipeline::{self, Options, SpecInput};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator sits in the workspace")
        .to_path_buf()
}

fn run() -> pipeline::Regen {
    let options = Options {
        root: root(),
        spec: SpecInput::Pinned,
        standalone: false,
    };
    match pipeline::regen(&options) {
        Ok(r) => r,
        Err(e) => panic!("regen failed: {e}\n(is ../shared beside the checkout?)"),
    }
}

/// A reviewable digest of the overlaid spec: a change upstream or in our overlays shows up here first.
#[test]
fn overlaid_spec_summary() {
    let regen = run();
    insta::assert_yaml_snapshot!("overlaid_spec_summary", regen.summary);
}

#[test]
fn the_pinned_spec_has_nothing_the_view_does_not_model() {
    let regen = run();
    assert!(
        regen.audit.findings.is_empty(),
        "keywords the generator does not understand (model them, or list them in spec/audit.toml with a reason):\n{:#?}",
        regen.audit.findings
    );
}

#[test]
fn every_known_invalid_example_still_exists() {
    let regen = run();
    assert!(
        regen.stale_invalid_examples.is_empty(),
        "remove these from spec/invalid-examples.toml: {:?}",
        regen.stale_invalid_examples
    );
}

#[test]
fn regen_is_deterministic_in_process() {
    let (a, b) = (run(), run());
    assert_eq!(a.tree, b.tree);
    assert_eq!(a.overlaid_json().unwrap(), b.overlaid_json().unwrap());
}

#[test]
fn the_committed_crate_is_what_regen_writes() {
    let regen = run();
    let changes = regen
        .tree
        .diff(&root().join("generated"))
        .expect("generated/ is readable");
    assert!(
        changes.is_empty(),
        "generated/ is stale; run `cargo xtask regen`:\n{changes:#?}"
    );
}

/// A small spec with one operation `op` (overridden by `operation`) on `path`.
fn small_spec(path: &str, operation: serde_json::Value) -> serde_json::Value {
    let mut op = serde_json::json!({
        "operationId": "list_payment_method_definitions",
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}}}
        }}}}
    });
    if let (Some(op), Some(extra)) = (op.as_object_mut(), operation.as_object()) {
        op.extend(extra.clone());
    }
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.test", "x-speakeasy-server-id": "default"}],
        "paths": {path: {"get": op}}
    })
}

/// The view and IR of `doc`, lowered as regen lowers the pinned spec (without its overlays).
fn lower_small(doc: &serde_json::Value) -> gr4vy_codegen::Result<pipeline::Lowered> {
    let mut loaded_config = pipeline::read_config(&root()).unwrap_or_else(|e| panic!("{e}"));
    // The pinned spec's checkout session operation is not in these small specs.
    loaded_config.checkout_session_operation = None;
    let audit_config = gr4vy_codegen::spec::audit::AuditConfig::default();
    let (view, _) = pipeline::view(doc, &audit_config)?;
    pipeline::lower(
        &view,
        &loaded_config,
        "test",
        &[],
        Vec::new(),
        &Default::default(),
    )
}

#[test]
fn an_operation_without_a_group_lowers_under_its_first_tag_with_a_warning() {
    let doc = small_spec(
        "/payment-method-definitions",
        serde_json::json!({"tags": ["Payment methods - Definitions", "Other"]}),
    );
    let lowered = lower_small(&doc).unwrap_or_else(|e| panic!("{e}"));
    let op = &lowered.api.operations[0];
    let group: Vec<&str> = op.group.iter().map(|g| g.wire.as_str()).collect();
    assert_eq!(group, ["payment-methods-definitions"]);
    assert_eq!(op.resource(), "payment-methods-definitions");
    let warnings: Vec<String> = lowered
        .api
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        warnings,
        [
            "#/paths/~1payment-method-definitions/get: the operation has no `x-speakeasy-group`; it \
          goes in group `payment-methods-definitions`, named after its first tag `Payment methods - \
          Definitions` as Speakeasy's SDKs do (set `x-speakeasy-group` with an overlay to choose \
          another)"
        ]
    );
}

#[test]
fn an_operation_without_a_group_or_tags_lowers_under_its_first_path_segment() {
    let doc = small_spec(
        "/payment-method-definitions/{id}",
        serde_json::json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]
        }),
    );
    let lowered = lower_small(&doc).unwrap_or_else(|e| panic!("{e}"));
    let group: Vec<&str> = lowered.api.operations[0]
        .group
        .iter()
        .map(|g| g.wire.as_str())
        .collect();
    assert_eq!(group, ["payment-method-definitions"]);
    assert_eq!(lowered.api.warnings.len(), 1);
    assert!(
        lowered.api.warnings[0]
            .message
            .contains("the first segment `payment-method-definitions` of its path"),
        "{}",
        lowered.api.warnings[0]
    );
}

#[test]
fn an_operation_with_a_group_has_no_warning() {
    let doc = small_spec(
        "/things",
        serde_json::json!({"x-speakeasy-group": "things"}),
    );
    let lowered = lower_small(&doc).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        lowered.api.warnings.is_empty(),
        "{:?}",
        lowered.api.warnings
    );
}

#[test]
fn a_title_on_a_response_passes_the_audit_with_a_warning_at_its_pointer() {
    let mut doc = small_spec(
        "/things",
        serde_json::json!({"x-speakeasy-group": "things"}),
    );
    doc["paths"]["/things"]["get"]["responses"]["200"]["title"] = "A thing".into();
    let (_, audit) = pipeline::view(&doc, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(audit.findings.is_empty(), "{:?}", audit.findings);
    let warnings: Vec<_> = audit.annotations.iter().map(|f| f.warning()).collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].pointer,
        "/paths/~1things/get/responses/200/title"
    );
}

#[test]
fn an_unknown_meaningful_keyword_still_fails_the_audit() {
    let mut doc = small_spec(
        "/things",
        serde_json::json!({"x-speakeasy-group": "things"}),
    );
    doc["paths"]["/things"]["get"]["responses"]["200"]["title"] = "A thing".into();
    doc["paths"]["/things"]["get"]["responses"]["200"]["links"] = serde_json::json!({});
    let e = pipeline::view(&doc, &Default::default()).expect_err("`links` is not modelled");
    assert_eq!(
        e.location,
        gr4vy_codegen::Location::Pointer("/paths/~1things/get/responses/200/links".into())
    );
    assert!(
        e.message
            .contains("`links` is a key the generator does not understand"),
        "{e}"
    );
}
