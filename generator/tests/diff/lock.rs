//! The naming lock: a regen keeps every name the committed `api-surface.json` publishes, even when
//! an upstream insertion would otherwise move it to another schema (see `ir/lock.rs`).

use gr4vy_codegen::diff::{self, Effect, Kind, Surface};
use gr4vy_codegen::ir::lock::Lock;
use gr4vy_codegen::ir::{self, CrateConfig};
use gr4vy_codegen::pipeline;
use gr4vy_codegen::spec::audit::AuditConfig;
use serde_json::{Value, json};
use std::path::Path;

fn published() -> Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/lock.yaml"))
            .unwrap();
    yaml_serde::from_str(&text).unwrap()
}

/// The published spec with, inserted before the schemas they collide with: `AchBank` (another
/// shape, and `AchBank` after case conversion like `ACHBank`), `PaymentRequired` (the name of
/// `Payment`'s required-fields struct) and a `const: CARD` (the marker `Card`, like `card`; markers
/// are named in the order of their values, and `CARD` sorts first).
fn with_colliding_schemas() -> Value {
    let old = published();
    let mut new = json!({});
    for (key, value) in old.as_object().unwrap() {
        new[key] = value.clone();
    }
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "AchBank".into(),
        json!({"type": "object", "properties": {"iban": {"type": "string"}}}),
    );
    schemas.insert(
        "PaymentRequired".into(),
        json!({"type": "object", "properties": {"kind": {"type": "string", "const": "CARD"}}}),
    );
    for (name, schema) in old["components"]["schemas"].as_object().unwrap() {
        schemas.insert(name.clone(), schema.clone());
    }
    new["components"]["schemas"] = Value::Object(schemas);
    // Both newcomers must be reachable to be generated.
    new["components"]["schemas"]["Payment"]["properties"]["alt_bank"] =
        json!({"$ref": "#/components/schemas/AchBank"});
    new["components"]["schemas"]["Payment"]["properties"]["requirement"] =
        json!({"$ref": "#/components/schemas/PaymentRequired"});
    new
}

fn surface(doc: &Value, lock: &Lock) -> Surface {
    let config = CrateConfig {
        name: "fixture".into(),
        version: "0.3.1".into(),
        description: "A lock fixture.".into(),
        license: "MIT".into(),
        edition: "2024".into(),
        rust_version: "1.85".into(),
        checkout_session_operation: None,
    };
    let (view, _) = pipeline::view(doc, &AuditConfig::default()).expect("the fixture is valid");
    let api = ir::lower(&view, &config, "sha", lock).expect("the fixture lowers");
    diff::surface(&api)
}

/// Every published name: types and required-fields structs by pointer, markers by value.
fn names(s: &Surface) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in s.types.values() {
        out.push((t.pointer.clone(), t.rust_name.clone()));
        if let diff::KindSurface::Struct {
            required_struct: Some(r),
            ..
        } = &t.kind
        {
            out.push((format!("{} (required)", t.pointer), r.clone()));
        }
    }
    for (value, c) in &s.consts {
        out.push((format!("const {value:?}"), c.rust_name.clone()));
    }
    out.sort();
    out
}

fn name_of(s: &Surface, key: &str) -> Option<String> {
    names(s)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, name)| name)
}

#[test]
fn without_the_lock_an_insertion_renames_published_types() {
    let old = surface(&published(), &Lock::default());
    let new = surface(&with_colliding_schemas(), &Lock::default());
    // The hazard the lock exists for: each published name now belongs to the newcomer.
    assert_eq!(
        name_of(&old, "/components/schemas/ACHBank").as_deref(),
        Some("AchBank")
    );
    assert_ne!(
        name_of(&new, "/components/schemas/ACHBank"),
        name_of(&old, "/components/schemas/ACHBank")
    );
    let required = "/components/schemas/Payment (required)";
    assert_eq!(name_of(&old, required).as_deref(), Some("PaymentRequired"));
    assert_ne!(name_of(&new, required), name_of(&old, required));
    assert_ne!(
        name_of(&new, "const \"card\""),
        name_of(&old, "const \"card\"")
    );
}

#[test]
fn with_the_lock_an_insertion_keeps_every_published_name() {
    let old = surface(&published(), &Lock::default());
    let lock = diff::lock_of(&old);
    let new = surface(&with_colliding_schemas(), &lock);
    let new_names = names(&new);
    for (key, name) in names(&old) {
        assert!(
            new_names.contains(&(key.clone(), name.clone())),
            "{key} was published as `{name}`, and is now {:?}; all names: {new_names:#?}",
            name_of(&new, &key)
        );
    }
    // The newcomers took suffixed names instead.
    let newcomer = name_of(&new, "/components/schemas/AchBank").unwrap();
    assert!(
        newcomer != "AchBank" && newcomer.starts_with("AchBank"),
        "{newcomer}"
    );
    let newcomer = name_of(&new, "/components/schemas/PaymentRequired").unwrap();
    assert_ne!(newcomer, "PaymentRequired");
    assert_ne!(name_of(&new, "const \"CARD\"").unwrap(), "Card");
    // And the changelog sees no rename, only additions.
    let report = diff::diff(&old, &new);
    let renames: Vec<_> = report
        .entries()
        .filter(|e| matches!(e.kind, Kind::TypeRenamed | Kind::ConstructorStyleChanged))
        .collect();
    assert!(renames.is_empty(), "{}", report.markdown());
}

/// The same spec and lock give the same names: regenerating the published crate changes nothing.
#[test]
fn a_spec_lowered_with_its_own_lock_is_unchanged() {
    let old = surface(&published(), &Lock::default());
    let again = surface(&published(), &diff::lock_of(&old));
    assert_eq!(old, again);
    let new = surface(&with_colliding_schemas(), &diff::lock_of(&old));
    let again = surface(&with_colliding_schemas(), &diff::lock_of(&new));
    assert_eq!(new, again);
}

/// Upstream swaps the operationIds of `create` and `update` (their calls stay, through
/// `x-speakeasy-name-override`): builders are named after the id, so without the lock the two
/// builder types swap names; with it each call keeps its builder, and only the ids change.
#[test]
fn swapped_operation_ids_keep_each_calls_builder() {
    let old_doc = published();
    let mut new_doc = old_doc.clone();
    new_doc["paths"]["/payments"]["post"]["operationId"] = json!("update_payment");
    new_doc["paths"]["/payments/{payment_id}"]["put"]["operationId"] = json!("create_payment");
    let old = surface(&old_doc, &Lock::default());
    let builder = |s: &Surface, call: &str| {
        s.operations
            .values()
            .find(|op| op.call == call)
            .map(|op| op.builder.clone())
            .unwrap()
    };
    let unlocked = surface(&new_doc, &Lock::default());
    assert_eq!(
        builder(&unlocked, "client.payments().create()"),
        builder(&old, "client.payments().update()")
    );
    let locked = surface(&new_doc, &diff::lock_of(&old));
    for call in ["client.payments().create()", "client.payments().update()"] {
        assert_eq!(builder(&locked, call), builder(&old, call), "{call}");
    }
    // Only the ids change, and the inline body's spec name (named after the id) with them; the
    // Rust type keeps its name, so every entry is without effect.
    let report = diff::diff(&old, &locked);
    let kinds: Vec<(Kind, Effect)> = report.entries().map(|e| (e.kind, e.effect)).collect();
    assert_eq!(
        kinds,
        [
            (Kind::OperationIdChanged, Effect::None),
            (Kind::OperationIdChanged, Effect::None),
            (Kind::TypeRenamed, Effect::None)
        ],
        "{}",
        report.markdown()
    );
}

/// Upstream renames an operationId: its request builder and the inline body type named after the
/// id (`UpdatePaymentBody`) keep their published names with the lock (the body by its pointer, the
/// builder by its call), and the report has only changes without effect on the Rust API.
#[test]
fn a_renamed_operation_id_keeps_its_builder_and_inline_type_names() {
    let old_doc = published();
    let mut new_doc = old_doc.clone();
    new_doc["paths"]["/payments/{payment_id}"]["put"]["operationId"] = json!("amend_payment");
    let old = surface(&old_doc, &Lock::default());
    let body = "/paths/~1payments~1{payment_id}/put/requestBody/content/application~1json/schema";
    assert_eq!(name_of(&old, body).as_deref(), Some("UpdatePaymentBody"));
    let unlocked = surface(&new_doc, &Lock::default());
    assert_eq!(
        name_of(&unlocked, body).as_deref(),
        Some("AmendPaymentBody")
    );
    let locked = surface(&new_doc, &diff::lock_of(&old));
    assert_eq!(names(&locked), names(&old));
    let report = diff::diff(&old, &locked);
    let kinds: Vec<(Kind, Effect)> = report.entries().map(|e| (e.kind, e.effect)).collect();
    assert_eq!(
        kinds,
        [
            (Kind::OperationIdChanged, Effect::None),
            (Kind::TypeRenamed, Effect::None)
        ],
        "{}",
        report.markdown()
    );
}
