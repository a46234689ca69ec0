//! The audit over the real pinned spec, and over a small document with a known unknown keyword.

use std::path::{Path, PathBuf};

use gr4vy_codegen::spec::audit::{Audit, AuditConfig, audit};
use gr4vy_codegen::spec::overlay;
use gr4vy_codegen::spec::view::Document;
use serde_json::{Value, json};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The pinned upstream spec, as JSON.
fn pinned() -> Value {
    let path = workspace().join("../shared/spec/openapi.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is needed by this test ({e}); it is the first mirror in spec/source.toml",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("the pinned spec is JSON")
}

fn config() -> AuditConfig {
    AuditConfig::load(&workspace().join("spec/audit.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn audit_of(doc: &Value) -> Audit {
    let view = Document::from_value(doc).unwrap_or_else(|e| panic!("{e}"));
    audit(&view, &config())
}

fn assert_clean(audit: &Audit) {
    let findings: Vec<String> = audit.findings.iter().map(ToString::to_string).collect();
    assert!(
        findings.is_empty(),
        "unexplained keywords:\n{}",
        findings.join("\n")
    );
    let stale: Vec<&str> = audit.stale_ignores().collect();
    assert!(
        stale.is_empty(),
        "spec/audit.toml ignores keywords that no longer occur: {stale:?}"
    );
}

#[test]
fn overlaid_pinned_spec_has_nothing_unexplained() {
    let mut doc = pinned();
    let overlays =
        overlay::load_dir(&workspace().join("spec/overlays")).unwrap_or_else(|e| panic!("{e}"));
    overlay::apply_all(&mut doc, &overlays).unwrap_or_else(|e| panic!("{e}"));

    // What the overlays add must be read by the view, not just tolerated: it round-trips exactly.
    let view = Document::from_value(&doc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        serde_json::to_value(&view).expect("the view serializes"),
        doc
    );

    let audit = audit_of(&doc);
    assert_clean(&audit);
    let counts: Vec<(&str, usize)> = audit
        .ignored
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    assert_eq!(counts, [("dscription", 2), ("x-gr4vy-docs-ignore", 19)]);
}

#[test]
fn raw_pinned_spec_has_nothing_unexplained() {
    // The raw spec still has the OAuth2 scheme and per-operation security; the view models those
    // too, so the audit can be run on either form.
    assert_clean(&audit_of(&pinned()));
}

#[test]
fn an_unknown_keyword_deep_in_a_schema_is_found_with_its_pointer() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {"get": {
            "parameters": [{"name": "id", "in": "path", "required": true,
                            "schema": {"type": "string", "dscription": "ignored by the config"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}}}}}
        }}},
        "components": {"schemas": {"A": {
            "type": "object",
            "properties": {
                "b": {"type": "string", "frobnicate": true},
                "c": {"anyOf": [{"type": "array", "items": {"x-new": 1}}, {"type": "null"}]}
            }
        }}}
    });
    let audit = audit_of(&doc);
    let found: Vec<(&str, &str)> = audit
        .findings
        .iter()
        .map(|f| (f.pointer.as_str(), f.keyword.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/components/schemas/A/properties/b/frobnicate",
                "frobnicate"
            ),
            (
                "/components/schemas/A/properties/c/anyOf/0/items/x-new",
                "x-new"
            ),
        ]
    );
    assert_eq!(audit.ignored["dscription"], 1);
}
