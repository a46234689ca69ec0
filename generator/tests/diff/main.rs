//! `gr4vy_codegen::diff`: the API changelog and its semver effect.
//!
//! - the report from `../shared/spec/openapi.previous.json` to the pinned spec, snapshotted, with
//!   spot checks of its entries against the raw JSON of both specs;
//! - hand-made spec pairs (`tests/diff/base.yaml`, changed one thing at a time), each with the exact
//!   list of changes expected, their effects and the bump.

use std::path::{Path, PathBuf};

use gr4vy_codegen::diff::{self, Bump, Effect, Kind, Report, Surface};
use gr4vy_codegen::pipeline::{self, SpecInput};
use serde_json::{Value, json};

mod client;
mod lock;
mod pairs;
mod reorder;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator sits in the workspace")
        .to_path_buf()
}

/// A spec of Gr4vy's shared folder, which must sit beside the checkout.
fn shared(name: &str) -> PathBuf {
    let path = root().join("../shared/spec").join(name);
    assert!(
        path.is_file(),
        "{} is missing: put Gr4vy's shared folder (`shared/spec/{name}`) beside the checkout",
        path.display()
    );
    path
}

fn lower(path: &Path) -> Surface {
    match pipeline::lower_spec(&root(), SpecInput::File(path.to_path_buf())) {
        Ok(api) => diff::surface(&api),
        Err(e) => panic!("{} does not lower: {e}", path.display()),
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn previous_to_pinned() -> (Report, Value, Value) {
    let (old, new) = (shared("openapi.previous.json"), shared("openapi.json"));
    let report = diff::diff(&lower(&old), &lower(&new));
    (report, read_json(&old), read_json(&new))
}

#[test]
fn previous_to_pinned_report() {
    let (report, _, _) = previous_to_pinned();
    insta::assert_snapshot!("previous_to_pinned", report.markdown());
}

/// The one entry of `kind` at `pointer`, with its effect.
fn entry<'r>(report: &'r Report, kind: Kind, pointer: &str, needle: &str) -> &'r diff::Entry {
    let found: Vec<_> = report
        .entries()
        .filter(|e| e.kind == kind && e.pointer == pointer && e.message.contains(needle))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {kind:?} entry at {pointer} mentioning {needle:?}; the report has:\n{}",
        report.markdown()
    );
    found[0]
}

#[test]
fn previous_to_pinned_spot_checks_against_the_raw_specs() {
    let (report, old, new) = previous_to_pinned();
    assert_eq!(report.bump, Bump::Major);
    assert_eq!(report.next_version.as_deref(), Some("0.2.0"));
    let names = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };

    // 1. A new operation: GET /roles did not exist and now does, as `list_roles`.
    let at = "/paths/~1roles/get";
    let e = entry(&report, Kind::OperationAdded, at, "client.roles().list()");
    assert_eq!((e.effect, e.resource.as_str()), (Effect::Additive, "roles"));
    assert!(old.pointer("/paths/~1roles").is_none());
    assert_eq!(
        new.pointer(&format!("{at}/operationId")),
        Some(&json!("list_roles"))
    );

    // 2. A new optional query parameter: `status` on GET /payouts, a setter.
    let at = "/paths/~1payouts/get/parameters/8";
    let e = entry(
        &report,
        Kind::ParameterAdded,
        at,
        "`.status(Vec<PayoutStatus>)`",
    );
    assert_eq!(e.effect, Effect::Additive);
    assert!(!names(old.pointer("/paths/~1payouts/get/parameters")).contains(&"status".to_string()));
    let p = new.pointer(at).unwrap();
    assert_eq!((&p["name"], &p["in"]), (&json!("status"), &json!("query")));
    assert_ne!(p.get("required"), Some(&json!(true)));

    // 3. A field added to a response-only type: `Refund.settled_amount`.
    let at = "/components/schemas/Refund/properties/settled_amount";
    let e = entry(&report, Kind::FieldAdded, at, "on a type only received");
    assert_eq!(e.effect, Effect::Additive);
    assert!(old.pointer(at).is_none());
    assert!(new.pointer(at).is_some());

    // 4. An optional field added to a request type: `TransactionCreate.description`, a setter.
    let at = "/components/schemas/TransactionCreate/properties/description";
    let e = entry(&report, Kind::FieldAdded, at, "optional, with a setter");
    assert_eq!(e.effect, Effect::Additive);
    assert!(old.pointer(at).is_none());
    let required = new
        .pointer("/components/schemas/TransactionCreate/required")
        .unwrap();
    assert!(!required.as_array().unwrap().contains(&json!("description")));

    // 5. An enum value added: `Method` gains "stripe".
    let at = "/components/schemas/Method";
    let e = entry(&report, Kind::EnumValueAdded, at, "\"stripe\"");
    assert_eq!(e.effect, Effect::Additive);
    let values = |doc: &Value| {
        doc.pointer(&format!("{at}/enum"))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    assert!(!values(&old).contains(&json!("stripe")));
    assert!(values(&new).contains(&json!("stripe")));

    // 6. A response field made required and non-nullable: `Buyer.id`, `Option<String>` -> `String`.
    let at = "/components/schemas/Buyer/properties/id";
    let e = entry(
        &report,
        Kind::FieldMadeRequired,
        at,
        "`Option<String>` → `String`",
    );
    assert_eq!(e.effect, Effect::Breaking);
    let required = |doc: &Value| {
        doc["components"]["schemas"]["Buyer"]["required"]
            .as_array()
            .unwrap()
            .contains(&json!("id"))
    };
    assert!(!required(&old) && required(&new));
    assert_eq!(
        old.pointer(&format!("{at}/anyOf/1/type")),
        Some(&json!("null"))
    );
    assert_eq!(new.pointer(&format!("{at}/type")), Some(&json!("string")));

    // 7. A field retyped: `DigitalWallet.address` now refers to another schema.
    let at = "/components/schemas/DigitalWallet/properties/address";
    let e = entry(
        &report,
        Kind::FieldRetyped,
        at,
        "`Option<DigitalWalletAddress>`",
    );
    assert_eq!(e.effect, Effect::Breaking);
    let target = |doc: &Value| doc.pointer(&format!("{at}/anyOf/0/$ref")).cloned();
    assert_eq!(
        target(&old),
        Some(json!(
            "#/components/schemas/api__types__DigitalWalletAddress"
        ))
    );
    assert_eq!(
        target(&new),
        Some(json!("#/components/schemas/DigitalWalletAddress"))
    );

    // 8. A type renamed: `Creator` is `api__common_schemas__Creator` now, with the same properties.
    let at = "/components/schemas/api__common_schemas__Creator";
    let e = entry(
        &report,
        Kind::TypeRenamed,
        at,
        "`Creator` is renamed `ApiCommonSchemasCreator`",
    );
    assert_eq!(e.effect, Effect::Breaking);
    assert!(old.pointer(at).is_none() && new.pointer("/components/schemas/Creator").is_none());
    assert_eq!(
        old.pointer("/components/schemas/Creator/properties"),
        new.pointer(&format!("{at}/properties"))
    );
}

#[test]
fn the_surface_file_reads_back_and_is_what_regen_writes() {
    let path = shared("openapi.json");
    let api = pipeline::lower_spec(&root(), SpecInput::File(path)).unwrap();
    let text = diff::surface_json(&api).unwrap();
    let back: Surface = serde_json::from_str(&text).unwrap();
    assert_eq!(back, diff::surface(&api));
    assert_eq!(text, diff::surface_json(&api).unwrap(), "deterministic");
    let report = diff::diff(&back, &back);
    assert_eq!((report.bump, report.entries().count()), (Bump::Patch, 0));
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
}
