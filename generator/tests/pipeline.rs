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

/// Every operation of the SDK has one `x-codeSamples` entry in Rust in the overlaid spec, and it
/// is the example its rustdoc compiles (as a `no_run` doctest).
#[test]
fn every_operation_has_a_rust_code_sample_that_is_its_doc_example() {
    let regen = run();
    let mut missing = Vec::new();
    for op in &regen.api.operations {
        let samples = regen
            .overlaid
            .pointer(&op.pointer)
            .and_then(|o| o.get("x-codeSamples"));
        let rust: Vec<&str> = samples
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .filter(|s| s["lang"] == "rust")
            .filter_map(|s| s["source"].as_str())
            .collect();
        let [source] = rust[..] else {
            missing.push(op.id.clone());
            continue;
        };
        let file = format!("src/operations/{}.rs", op.group[0].bare);
        let text = String::from_utf8(regen.tree.get(&file).expect("the group's file").to_vec())
            .expect("UTF-8");
        let as_doc: String = source.lines().map(|l| format!("    /// {l}\n")).collect();
        assert!(
            text.contains(&as_doc),
            "{}: the sample is not the rustdoc example of {file}:\n{source}",
            op.id
        );
    }
    assert!(
        missing.is_empty(),
        "operations without one Rust sample: {missing:?}"
    );
    assert_eq!(regen.api.operations.len(), 120);
}

/// An example value from the spec becomes a string literal, whatever it holds: no fence it
/// carries ends the doctest, and nothing in it runs.
#[test]
fn a_hostile_example_stays_a_string_literal() {
    let hostile = "\"); std::process::abort(); (\"\n```\n# }\nfn main() {}";
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.test", "x-speakeasy-server-id": "default"}],
        "paths": {"/things/{thing_id}": {"get": {
            "operationId": "get_thing",
            "x-speakeasy-group": "things",
            "parameters": [{"name": "thing_id", "in": "path", "required": true,
                "schema": {"type": "string"}, "example": hostile}],
            "responses": {"204": {"description": "gone"}}
        }}}
    });
    let lowered = lower_small(&doc).unwrap_or_else(|e| panic!("{e}"));
    let op = &lowered.api.operations[0];
    let sample = gr4vy_codegen::emit::snippets::code_sample(&lowered.api, op).expect("a sample");
    // One statement, whose only string literal holds the example exactly.
    let block: syn::Block = syn::parse_str(&format!("{{ {sample} }}")).expect("Rust statements");
    assert_eq!(block.stmts.len(), 1, "{sample}");
    let mut literals = Vec::new();
    collect_strings(quote::ToTokens::to_token_stream(&block), &mut literals);
    assert_eq!(literals, [hostile], "{sample}");
    assert!(
        sample
            .lines()
            .all(|l| !l.trim_start().starts_with("```") && !l.starts_with('#'))
    );
}

fn collect_strings(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Group(g) => collect_strings(g.stream(), out),
            proc_macro2::TokenTree::Literal(l) => {
                if let Ok(syn::Lit::Str(s)) = syn::parse_str::<syn::Lit>(&l.to_string()) {
                    out.push(s.value());
                }
            }
            _ => {}
        }
    }
}
