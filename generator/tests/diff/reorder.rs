//! Spec reorders: what compiled against the old crate either means the same against the new one or
//! fails to compile, and the changelog says which.

use gr4vy_codegen::diff::{self, Effect, Kind};
use serde_json::Value;
use std::path::Path;

use super::pairs::surface_of;

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/reorder.yaml");
    yaml_serde::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn reverse_map(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().rev().collect();
        map.extend(entries);
    }
}

/// Path ids are arguments in the order the URL names them, not the order of `parameters`, so
/// reversing the list changes nothing a caller writes.
#[test]
fn reversed_path_parameters_keep_the_argument_order() {
    let old = spec();
    let mut new = old.clone();
    let params = new
        .pointer_mut("/paths/~1transactions~1{transaction_id}~1refunds~1{refund_id}/put/parameters")
        .and_then(Value::as_array_mut)
        .unwrap();
    params.reverse();
    let (old, new) = (surface_of(&old, "old"), surface_of(&new, "new"));
    let args = &new.operations["update_refund"].arguments;
    assert_eq!(args, &["transaction_id", "refund_id", "body"]);
    let report = diff::diff(&old, &new);
    assert_eq!(report.entries().count(), 0, "{}", report.markdown());
}

/// Reversed properties: `RefundUpdate::new` takes its two strings by name, so nothing changes for
/// its callers; `Amount::new(value, currency)` (an integer and a string) is reported as reordered,
/// breaking, and a caller's `Amount::new(1299, "EUR")` no longer compiles (the fixtures test
/// `a_reordered_spec_keeps_each_call_or_fails_to_compile` builds such a caller).
#[test]
fn reversed_properties_change_only_positional_constructors() {
    let old = spec();
    let mut new = old.clone();
    for schema in ["RefundUpdate", "Amount"] {
        reverse_map(&mut new["components"]["schemas"][schema]["properties"]);
    }
    let report = diff::diff(&surface_of(&old, "old"), &surface_of(&new, "new"));
    let got: Vec<(Kind, Effect, String)> = report
        .entries()
        .map(|e| (e.kind, e.effect, e.pointer.clone()))
        .collect();
    assert_eq!(
        got,
        [(
            Kind::ConstructorReordered,
            Effect::Breaking,
            "/components/schemas/Amount".to_string()
        )],
        "{}",
        report.markdown()
    );
}
