//! Hand-made spec pairs: `base.yaml` changed one thing at a time, each with the exact list of
//! changes expected, their effects and the bump.

use gr4vy_codegen::diff::{self, Bump, Effect, Kind, Report, Surface};
use gr4vy_codegen::emit;
use gr4vy_codegen::ir::CrateConfig;
use gr4vy_codegen::pipeline;
use serde_json::{Value, json};
use std::path::Path;

pub(crate) fn base() -> Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff/base.yaml"))
            .unwrap();
    yaml_serde::from_str(&text).unwrap()
}

pub(crate) fn surface_of(doc: &Value, sha: &str) -> Surface {
    let config = CrateConfig {
        name: "fixture".into(),
        version: "0.3.1".into(),
        description: "A diff fixture.".into(),
        license: "MIT".into(),
        edition: "2024".into(),
        rust_version: "1.85".into(),
        checkout_session_operation: None,
    };
    let (api, _) = pipeline::generate(doc, &config, sha, &[], &emit::Options::default())
        .unwrap_or_else(|e| panic!("the fixture does not generate: {e}"));
    diff::surface(&api)
}

/// Sets `value` at `pointer` (`-` appends to an array).
pub(crate) fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"))
    {
        Value::Object(map) => {
            map.insert(last, value);
        }
        Value::Array(items) if last == "-" => items.push(value),
        Value::Array(items) => items[last.parse::<usize>().unwrap()] = value,
        other => panic!("{parent} is {other}"),
    }
}

pub(crate) fn remove(doc: &mut Value, pointer: &str) -> Value {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent).unwrap() {
        Value::Object(map) => map
            .shift_remove(&last)
            .unwrap_or_else(|| panic!("no {pointer}")),
        Value::Array(items) => items.remove(last.parse::<usize>().unwrap()),
        other => panic!("{parent} is {other}"),
    }
}

/// Compares the base spec with its changed copy: the exact entries (kind, effect, pointer) and bump.
fn check(change: impl FnOnce(&mut Value), expected: &[(Kind, Effect, &str)], bump: Bump) -> Report {
    let old = base();
    let mut new = old.clone();
    change(&mut new);
    compare(&old, &new, "buyers", expected, bump)
}

/// Compares two versions of the base spec: the exact entries (kind, effect, pointer), all under
/// `resource`, the bump and the next version.
pub(crate) fn compare(
    old: &Value,
    new: &Value,
    resource: &str,
    expected: &[(Kind, Effect, &str)],
    bump: Bump,
) -> Report {
    let report = diff::diff(&surface_of(old, "old-sha"), &surface_of(new, "new-sha"));
    let mut got: Vec<(Kind, Effect, String)> = report
        .entries()
        .map(|e| (e.kind, e.effect, e.pointer.clone()))
        .collect();
    let mut want: Vec<(Kind, Effect, String)> = expected
        .iter()
        .map(|(k, e, p)| (*k, *e, p.to_string()))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "the report:\n{}", report.markdown());
    assert_eq!(report.bump, bump, "{}", report.markdown());
    let next = match bump {
        Bump::Major => "0.4.0",
        Bump::Minor | Bump::Patch => "0.3.2",
    };
    assert_eq!(report.next_version.as_deref(), Some(next));
    for e in report.entries() {
        assert_eq!(e.resource, resource, "{e:?}");
    }
    report
}

const BUYER: &str = "/components/schemas/Buyer";
const BUYER_CREATE: &str = "/components/schemas/BuyerCreate";
const LIST: &str = "/paths/~1buyers/get";
const CREATE: &str = "/paths/~1buyers/post";

#[test]
fn no_change_is_a_patch() {
    let report = check(|_| {}, &[], Bump::Patch);
    assert!(report.markdown().contains("No change to the generated Rust API: semver **patch**; next `fixture` release: 0.3.1 → **0.3.2**"));
}

#[test]
fn an_operation_added_is_additive() {
    let report = check(
        |doc| {
            set(
                doc,
                "/paths/~1buyers~1{buyer_id}",
                json!({"get": {
                    "operationId": "get_buyer", "x-speakeasy-group": "buyers", "x-speakeasy-name-override": "get",
                    "parameters": [{"name": "buyer_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "A buyer.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Buyer"}}}}}
                }}),
            )
        },
        &[(
            Kind::OperationAdded,
            Effect::Additive,
            "/paths/~1buyers~1{buyer_id}/get",
        )],
        Bump::Minor,
    );
    let md = report.markdown();
    assert!(md.contains("New operation `client.buyers().get(buyer_id)` (`GET /buyers/{buyer_id}`, operationId `get_buyer`), returning `Buyer`."), "{md}");
}

#[test]
fn an_operation_removed_is_breaking() {
    check(
        |doc| {
            remove(doc, "/paths/~1buyers/post");
        },
        &[
            (
                Kind::OperationRemoved,
                Effect::Breaking,
                "/paths/~1buyers/post",
            ),
            // Its body type is no longer generated.
            (Kind::TypeRemoved, Effect::Breaking, BUYER_CREATE),
        ],
        Bump::Major,
    );
}

#[test]
fn an_optional_parameter_added_is_additive() {
    check(
        |doc| {
            set(
                doc,
                &format!("{LIST}/parameters/-"),
                json!({"name": "offset", "in": "query", "schema": {"type": "integer"}}),
            )
        },
        &[(
            Kind::ParameterAdded,
            Effect::Additive,
            "/paths/~1buyers/get/parameters/2",
        )],
        Bump::Minor,
    );
}

#[test]
fn a_required_parameter_added_is_breaking() {
    check(
        |doc| {
            set(
                doc,
                &format!("{LIST}/parameters/-"),
                json!({"name": "country", "in": "query", "required": true, "schema": {"type": "string"}}),
            )
        },
        &[(
            Kind::ParameterAdded,
            Effect::Breaking,
            "/paths/~1buyers/get/parameters/2",
        )],
        Bump::Major,
    );
}

#[test]
fn a_parameter_made_optional_or_required_is_breaking() {
    check(
        |doc| set(doc, &format!("{LIST}/parameters/1/required"), json!(false)),
        &[(
            Kind::ParameterMadeOptional,
            Effect::Breaking,
            "/paths/~1buyers/get/parameters/1",
        )],
        Bump::Major,
    );
    check(
        |doc| set(doc, &format!("{LIST}/parameters/0/required"), json!(true)),
        &[(
            Kind::ParameterMadeRequired,
            Effect::Breaking,
            "/paths/~1buyers/get/parameters/0",
        )],
        Bump::Major,
    );
}

#[test]
fn a_parameter_removed_is_breaking_and_the_others_moving_up_is_nothing() {
    check(
        |doc| {
            remove(doc, &format!("{LIST}/parameters/0"));
        },
        &[(
            Kind::ParameterRemoved,
            Effect::Breaking,
            "/paths/~1buyers/get/parameters/0",
        )],
        Bump::Major,
    );
}

#[test]
fn an_optional_request_field_added_is_additive() {
    check(
        |doc| {
            set(
                doc,
                &format!("{BUYER_CREATE}/properties/metadata"),
                json!({"type": "string"}),
            )
        },
        &[(
            Kind::FieldAdded,
            Effect::Additive,
            "/components/schemas/BuyerCreate/properties/metadata",
        )],
        Bump::Minor,
    );
}

#[test]
fn a_required_request_field_added_is_breaking() {
    check(
        |doc| {
            set(
                doc,
                &format!("{BUYER_CREATE}/properties/priority"),
                json!({"type": "integer"}),
            );
            set(
                doc,
                &format!("{BUYER_CREATE}/required/-"),
                json!("priority"),
            );
        },
        &[(
            Kind::FieldAdded,
            Effect::Breaking,
            "/components/schemas/BuyerCreate/properties/priority",
        )],
        Bump::Major,
    );
}

/// A second required string beside `display_name`: the two could be swapped by position, so `new`
/// now takes them by name (`BuyerCreateRequired { .. }`), and the report says so.
#[test]
fn a_second_required_string_makes_new_take_names() {
    let report = check(
        |doc| {
            set(
                doc,
                &format!("{BUYER_CREATE}/properties/country"),
                json!({"type": "string"}),
            );
            set(doc, &format!("{BUYER_CREATE}/required/-"), json!("country"));
        },
        &[
            (
                Kind::FieldAdded,
                Effect::Breaking,
                "/components/schemas/BuyerCreate/properties/country",
            ),
            (
                Kind::ConstructorStyleChanged,
                Effect::Breaking,
                "/components/schemas/BuyerCreate",
            ),
        ],
        Bump::Major,
    );
    let text = report.markdown();
    assert!(
        text.contains("`new(BuyerCreateRequired { display_name, country })`")
            && text.contains("a new field of `BuyerCreateRequired`"),
        "{text}"
    );
}

#[test]
fn a_response_field_added_is_additive_even_when_required() {
    check(
        |doc| {
            set(
                doc,
                &format!("{BUYER}/properties/created_at"),
                json!({"type": "string"}),
            );
            set(
                doc,
                &format!("{BUYER}/properties/kind"),
                json!({"type": "string"}),
            );
            set(doc, &format!("{BUYER}/required/-"), json!("kind"));
        },
        &[
            (
                Kind::FieldAdded,
                Effect::Additive,
                "/components/schemas/Buyer/properties/created_at",
            ),
            (
                Kind::FieldAdded,
                Effect::Additive,
                "/components/schemas/Buyer/properties/kind",
            ),
        ],
        Bump::Minor,
    );
}

#[test]
fn the_first_required_field_of_a_response_type_takes_its_default_away() {
    check(
        |doc| {
            set(
                doc,
                "/components/schemas/Address/properties/country",
                json!({"type": "string"}),
            );
            set(
                doc,
                "/components/schemas/Address/required",
                json!(["country"]),
            );
        },
        &[
            (
                Kind::FieldAdded,
                Effect::Additive,
                "/components/schemas/Address/properties/country",
            ),
            (
                Kind::DefaultRemoved,
                Effect::Breaking,
                "/components/schemas/Address",
            ),
        ],
        Bump::Major,
    );
}

#[test]
fn a_field_removed_is_breaking() {
    check(
        |doc| {
            remove(doc, &format!("{BUYER}/properties/display_name"));
        },
        &[(
            Kind::FieldRemoved,
            Effect::Breaking,
            "/components/schemas/Buyer/properties/display_name",
        )],
        Bump::Major,
    );
}

#[test]
fn a_field_retyped_is_breaking() {
    check(
        |doc| {
            set(
                doc,
                &format!("{BUYER}/properties/display_name"),
                json!({"type": "integer"}),
            )
        },
        &[(
            Kind::FieldRetyped,
            Effect::Breaking,
            "/components/schemas/Buyer/properties/display_name",
        )],
        Bump::Major,
    );
}

#[test]
fn a_field_made_nullable_matters_only_where_the_rust_type_changes() {
    // Received only: `Option<String>` either way.
    let report = check(
        |doc| {
            set(
                doc,
                &format!("{BUYER}/properties/display_name"),
                json!({"type": ["string", "null"]}),
            )
        },
        &[(
            Kind::FieldMadeNullable,
            Effect::None,
            "/components/schemas/Buyer/properties/display_name",
        )],
        Bump::Patch,
    );
    assert!(
        report
            .markdown()
            .contains("the Rust type stays `Option<String>`"),
        "{}",
        report.markdown()
    );
    // Sent: `Option<String>` becomes `Option<Nullable<String>>`.
    let report = check(
        |doc| {
            set(
                doc,
                &format!("{BUYER_CREATE}/properties/external_identifier"),
                json!({"type": ["string", "null"]}),
            )
        },
        &[(
            Kind::FieldMadeNullable,
            Effect::Breaking,
            "/components/schemas/BuyerCreate/properties/external_identifier",
        )],
        Bump::Major,
    );
    assert!(
        report
            .markdown()
            .contains("`Option<String>` → `Option<Nullable<String>>`"),
        "{}",
        report.markdown()
    );
}

#[test]
fn a_field_made_required_is_breaking() {
    check(
        |doc| set(doc, &format!("{BUYER}/required/-"), json!("display_name")),
        &[(
            Kind::FieldMadeRequired,
            Effect::Breaking,
            "/components/schemas/Buyer/properties/display_name",
        )],
        Bump::Major,
    );
}

#[test]
fn an_enum_value_added_is_additive_and_removed_is_breaking() {
    check(
        |doc| {
            set(
                doc,
                "/components/schemas/BuyerStatus/enum/-",
                json!("deleted"),
            )
        },
        &[(
            Kind::EnumValueAdded,
            Effect::Additive,
            "/components/schemas/BuyerStatus",
        )],
        Bump::Minor,
    );
    check(
        |doc| {
            remove(doc, "/components/schemas/BuyerStatus/enum/1");
        },
        &[(
            Kind::EnumValueRemoved,
            Effect::Breaking,
            "/components/schemas/BuyerStatus",
        )],
        Bump::Major,
    );
}

#[test]
fn a_type_renamed_is_breaking() {
    check(
        |doc| {
            let address = remove(doc, "/components/schemas/Address");
            set(doc, "/components/schemas/PostalAddress", address);
            set(
                doc,
                &format!("{BUYER}/properties/address"),
                json!({"$ref": "#/components/schemas/PostalAddress"}),
            );
        },
        &[
            (
                Kind::TypeRenamed,
                Effect::Breaking,
                "/components/schemas/PostalAddress",
            ),
            // The field that holds it now has another type.
            (
                Kind::FieldRetyped,
                Effect::Breaking,
                "/components/schemas/Buyer/properties/address",
            ),
        ],
        Bump::Major,
    );
}

#[test]
fn a_type_added_is_additive() {
    check(
        |doc| {
            set(
                doc,
                "/components/schemas/Tag",
                json!({"type": "object", "properties": {"name": {"type": "string"}}}),
            );
            set(
                doc,
                &format!("{BUYER}/properties/tag"),
                json!({"$ref": "#/components/schemas/Tag"}),
            );
        },
        &[
            (Kind::TypeAdded, Effect::Additive, "/components/schemas/Tag"),
            (
                Kind::FieldAdded,
                Effect::Additive,
                "/components/schemas/Buyer/properties/tag",
            ),
        ],
        Bump::Minor,
    );
}

#[test]
fn a_type_starting_to_be_sent_gains_a_constructor() {
    check(
        |doc| {
            set(
                doc,
                &format!("{BUYER_CREATE}/properties/address"),
                json!({"$ref": "#/components/schemas/Address"}),
            )
        },
        &[
            (
                Kind::FieldAdded,
                Effect::Additive,
                "/components/schemas/BuyerCreate/properties/address",
            ),
            (
                Kind::TypeNowSent,
                Effect::Additive,
                "/components/schemas/Address",
            ),
        ],
        Bump::Minor,
    );
}

#[test]
fn a_new_path_with_the_same_rust_call_changes_nothing() {
    check(
        |doc| {
            let item = remove(doc, "/paths/~1buyers");
            set(doc, "/paths/~1customers", item);
        },
        &[
            (
                Kind::EndpointChanged,
                Effect::None,
                "/paths/~1customers/get",
            ),
            (
                Kind::EndpointChanged,
                Effect::None,
                "/paths/~1customers/post",
            ),
        ],
        Bump::Patch,
    );
}

#[test]
fn a_new_call_path_is_breaking() {
    check(
        |doc| {
            set(
                doc,
                &format!("{LIST}/x-speakeasy-name-override"),
                json!("all"),
            )
        },
        &[(Kind::CallPathChanged, Effect::Breaking, LIST)],
        Bump::Major,
    );
}

/// Upstream once swapped the operationIds of two operations while `x-speakeasy-name-override` kept
/// their method names. Callers write the same calls, so operations are matched by them; what
/// changed is the request builder types, which are named after the operationId.
#[test]
fn swapped_operation_ids_only_rename_the_request_builders() {
    let report = check(
        |doc| {
            set(doc, &format!("{LIST}/operationId"), json!("create_buyer"));
            set(doc, &format!("{CREATE}/operationId"), json!("list_buyers"));
        },
        &[
            (Kind::BuilderRenamed, Effect::Breaking, LIST),
            (Kind::BuilderRenamed, Effect::Breaking, CREATE),
            (Kind::OperationIdChanged, Effect::None, LIST),
            (Kind::OperationIdChanged, Effect::None, CREATE),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    for needle in [
        "`client.buyers().list()` returns the request builder `CreateBuyerRequest` (was `ListBuyersRequest`).",
        "`client.buyers().create()` returns the request builder `ListBuyersRequest` (was `CreateBuyerRequest`).",
        "`client.buyers().list()` has operationId `create_buyer` (was `list_buyers`).",
        "`client.buyers().create()` has operationId `list_buyers` (was `create_buyer`).",
    ] {
        assert!(md.contains(needle), "{needle}\n{md}");
    }
}

#[test]
fn a_renamed_operation_id_renames_the_request_builder() {
    let report = check(
        |doc| set(doc, &format!("{LIST}/operationId"), json!("search_buyers")),
        &[
            (Kind::BuilderRenamed, Effect::Breaking, LIST),
            (Kind::OperationIdChanged, Effect::None, LIST),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(
        md.contains(
            "`client.buyers().list()` has operationId `search_buyers` (was `list_buyers`)."
        ),
        "{md}"
    );
}

/// A new method name and a new operationId: the call differs, so the operation is found by its
/// HTTP method and path.
#[test]
fn a_new_call_path_and_operation_id_on_the_same_endpoint_is_a_renamed_method() {
    let report = check(
        |doc| {
            set(doc, &format!("{LIST}/operationId"), json!("all_buyers"));
            set(
                doc,
                &format!("{LIST}/x-speakeasy-name-override"),
                json!("all"),
            );
        },
        &[
            (Kind::CallPathChanged, Effect::Breaking, LIST),
            (Kind::BuilderRenamed, Effect::Breaking, LIST),
            (Kind::OperationIdChanged, Effect::None, LIST),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(
        md.contains("`client.buyers().list()` is now `client.buyers().all()`."),
        "{md}"
    );
}

/// A new method name on a new path: only the operationId is left to match it by.
#[test]
fn a_new_call_path_and_endpoint_with_the_same_operation_id_is_matched_by_it() {
    let report = check(
        |doc| {
            let mut list = remove(doc, LIST);
            set(&mut list, "/x-speakeasy-name-override", json!("all"));
            set(doc, "/paths/~1customers", json!({ "get": list }));
        },
        &[
            (
                Kind::CallPathChanged,
                Effect::Breaking,
                "/paths/~1customers/get",
            ),
            (
                Kind::EndpointChanged,
                Effect::None,
                "/paths/~1customers/get",
            ),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(
        md.contains("`client.buyers().all()` now calls `GET /customers` (was `GET /buyers`).",),
        "{md}"
    );
    assert!(!md.contains("the Rust call is unchanged"), "{md}");
}

/// A surface recorded before operations listed their request builder reads back, and the
/// missing names are not reported as renames.
#[test]
fn a_surface_without_builder_names_compares_without_builder_renames() {
    let new = surface_of(&base(), "new-sha");
    let mut json = serde_json::to_value(&new).unwrap();
    for op in json["operations"].as_object_mut().unwrap().values_mut() {
        op.as_object_mut().unwrap().shift_remove("builder").unwrap();
    }
    let old: Surface = serde_json::from_value(json).unwrap();
    let report = diff::diff(&old, &new);
    assert_eq!(report.entries().count(), 0, "{}", report.markdown());
}

#[test]
fn a_response_or_body_change_is_breaking() {
    check(
        |doc| {
            set(
                doc,
                "/paths/~1buyers/post/responses/201/content/application~1json/schema",
                json!({"$ref": "#/components/schemas/Buyers"}),
            )
        },
        &[(
            Kind::ResponseChanged,
            Effect::Breaking,
            "/paths/~1buyers/post",
        )],
        Bump::Major,
    );
    check(
        |doc| {
            set(
                doc,
                "/paths/~1buyers/post/requestBody/required",
                json!(false),
            )
        },
        &[(
            Kind::BodyChanged,
            Effect::Breaking,
            "/paths/~1buyers/post/requestBody",
        )],
        Bump::Major,
    );
}

#[test]
fn several_changes_take_the_largest_bump() {
    let report = check(
        |doc| {
            set(
                doc,
                "/components/schemas/BuyerStatus/enum/-",
                json!("deleted"),
            );
            set(
                doc,
                &format!("{BUYER}/properties/display_name"),
                json!({"type": ["string", "null"]}),
            );
        },
        &[
            (
                Kind::EnumValueAdded,
                Effect::Additive,
                "/components/schemas/BuyerStatus",
            ),
            (
                Kind::FieldMadeNullable,
                Effect::None,
                "/components/schemas/Buyer/properties/display_name",
            ),
        ],
        Bump::Minor,
    );
    assert_eq!(
        (
            report.counts.breaking,
            report.counts.additive,
            report.counts.none
        ),
        (0, 1, 1)
    );
    let report = check(
        |doc| {
            set(
                doc,
                "/components/schemas/BuyerStatus/enum/-",
                json!("deleted"),
            );
            remove(doc, &format!("{BUYER}/properties/display_name"));
        },
        &[
            (
                Kind::EnumValueAdded,
                Effect::Additive,
                "/components/schemas/BuyerStatus",
            ),
            (
                Kind::FieldRemoved,
                Effect::Breaking,
                "/components/schemas/Buyer/properties/display_name",
            ),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(md.starts_with("## Spec `old-sha` → `new-sha`: major\n\n1 breaking, 1 additive, 0 without effect on the Rust API: semver **major**; next `fixture` release: 0.3.1 → **0.4.0**"), "{md}");
    assert!(md.contains("### `buyers` (1 breaking, 1 additive)"), "{md}");
    // Breaking first.
    assert!(
        md.find("**breaking**").unwrap() < md.find("| additive |").unwrap(),
        "{md}"
    );
}

/// A new field named `clear_x` takes the name of `x`'s clear method (setters are named first), so
/// `x`'s becomes `set_x_null`: code calling `.clear_x()` would now set the new field instead, or
/// stop compiling. The surface records method names, so the report calls it breaking.
#[test]
fn a_new_field_that_takes_a_clear_methods_name_is_breaking() {
    let mut old = base();
    set(
        &mut old,
        &format!("{BUYER_CREATE}/properties/external_identifier"),
        json!({"type": ["string", "null"]}),
    );
    let mut new = old.clone();
    set(
        &mut new,
        &format!("{BUYER_CREATE}/properties/clear_external_identifier"),
        json!({"type": "boolean"}),
    );
    let (old, new) = (surface_of(&old, "old-sha"), surface_of(&new, "new-sha"));
    let field = |s: &Surface, wire: &str| match &s.types["BuyerCreate"].kind {
        diff::KindSurface::Struct { fields, .. } => fields[wire].clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(&old, "external_identifier").clear.as_deref(),
        Some("clear_external_identifier")
    );
    assert_eq!(
        field(&new, "external_identifier").clear.as_deref(),
        Some("set_external_identifier_null")
    );
    assert_eq!(
        field(&new, "clear_external_identifier").setter.as_deref(),
        Some("clear_external_identifier")
    );
    let report = diff::diff(&old, &new);
    let got: Vec<(Kind, Effect, &str)> = report
        .entries()
        .map(|e| (e.kind, e.effect, e.pointer.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Kind::SetterRenamed,
                Effect::Breaking,
                "/components/schemas/BuyerCreate/properties/external_identifier"
            ),
            (
                Kind::FieldAdded,
                Effect::Additive,
                "/components/schemas/BuyerCreate/properties/clear_external_identifier"
            ),
        ],
        "{}",
        report.markdown()
    );
    assert_eq!(report.bump, Bump::Major);
    assert!(
        report
            .markdown()
            .contains("`.set_external_identifier_null()`, was `.clear_external_identifier()`"),
        "{}",
        report.markdown()
    );
}

/// The map of other keys (`additionalProperties` beside `properties`) is a field to callers: its
/// appearing is additive, its type changing or its going breaks code that reads it.
#[test]
fn the_map_of_other_keys_added_retyped_or_removed() {
    let at = "/components/schemas/Buyer/additionalProperties";
    check(
        |doc| {
            set(
                doc,
                &format!("{BUYER}/additionalProperties"),
                json!({"type": "string"}),
            )
        },
        &[(Kind::FieldAdded, Effect::Additive, at)],
        Bump::Minor,
    );
    let old = {
        let mut doc = base();
        set(
            &mut doc,
            &format!("{BUYER}/additionalProperties"),
            json!({"type": "string"}),
        );
        doc
    };
    let diff_to = |value: Option<Value>| {
        let mut new = old.clone();
        match value {
            Some(v) => set(&mut new, &format!("{BUYER}/additionalProperties"), v),
            None => {
                remove(&mut new, &format!("{BUYER}/additionalProperties"));
            }
        }
        let report = diff::diff(&surface_of(&old, "old-sha"), &surface_of(&new, "new-sha"));
        report
            .entries()
            .map(|e| (e.kind, e.effect, e.pointer.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        diff_to(Some(json!(true))),
        [(Kind::FieldRetyped, Effect::Breaking, at.to_string())]
    );
    assert_eq!(
        diff_to(None),
        [(Kind::FieldRemoved, Effect::Breaking, BUYER.to_string())]
    );
    assert_eq!(diff_to(Some(json!({"type": "string"}))), []);
}

/// A required body whose last required field goes optional stops being an argument (the call
/// `create()` sends the body's default): breaking for callers, and said as such.
#[test]
fn a_body_losing_its_last_required_field_stops_being_an_argument() {
    let report = check(
        |doc| set(doc, &format!("{BUYER_CREATE}/required"), json!([])),
        &[
            (
                Kind::FieldMadeOptional,
                Effect::Breaking,
                "/components/schemas/BuyerCreate/properties/display_name",
            ),
            (
                Kind::BodyChanged,
                Effect::Breaking,
                "/paths/~1buyers/post/requestBody",
            ),
            (Kind::DefaultAdded, Effect::Additive, BUYER_CREATE),
        ],
        Bump::Major,
    );
    let text = report.markdown();
    assert!(
        text.contains("is now optional (the `.body()` setter, was an argument)")
            && text.contains("is now sent as its default when `.body()` is not called"),
        "{text}"
    );
}

/// The entries (kind, effect, pointer) from `old` to `old` changed by `change`, sorted.
fn entries_between(old: &Value, change: impl FnOnce(&mut Value)) -> Vec<(Kind, Effect, String)> {
    let mut new = old.clone();
    change(&mut new);
    let report = diff::diff(&surface_of(old, "old-sha"), &surface_of(&new, "new-sha"));
    let mut got: Vec<(Kind, Effect, String)> = report
        .entries()
        .map(|e| (e.kind, e.effect, e.pointer.clone()))
        .collect();
    got.sort();
    got
}

/// A spec `default` on a field of a type only received makes it `T` (absent reads as the default):
/// its appearing or going changes the field's type, so breaks readers; a new value only changes
/// what an absent field reads as.
#[test]
fn a_default_on_a_received_field_appearing_going_or_changing() {
    let at = "/components/schemas/Buyer/properties/display_name";
    let report = check(
        |doc| set(doc, &format!("{at}/default"), json!("Anonymous")),
        &[(Kind::FieldDefaultAdded, Effect::Breaking, at)],
        Bump::Major,
    );
    assert!(
        report.markdown().contains("`Option<String>` → `String`"),
        "{}",
        report.markdown()
    );
    let old = {
        let mut doc = base();
        set(&mut doc, &format!("{at}/default"), json!("Anonymous"));
        doc
    };
    assert_eq!(
        entries_between(&old, |doc| {
            remove(doc, &format!("{at}/default"));
        }),
        [(Kind::FieldDefaultRemoved, Effect::Breaking, at.to_string())]
    );
    assert_eq!(
        entries_between(&old, |doc| set(
            doc,
            &format!("{at}/default"),
            json!("Nobody")
        )),
        [(Kind::FieldDefaultChanged, Effect::None, at.to_string())]
    );
}

/// On a type that is sent the field stays `Option<T>` (a request must still leave it out), so a
/// default there changes nothing callers see; nor does one that does not fit the field's type.
#[test]
fn a_default_on_a_sent_field_or_one_that_does_not_fit_changes_nothing() {
    check(
        |doc| {
            set(
                doc,
                &format!("{BUYER_CREATE}/properties/external_identifier/default"),
                json!("x"),
            );
            set(
                doc,
                &format!("{BUYER}/properties/display_name/default"),
                json!(7),
            );
            set(
                doc,
                &format!("{BUYER}/properties/status/default"),
                json!("deleted"),
            );
        },
        &[],
        Bump::Patch,
    );
}

/// A union that is "the resource, or a variant of it" has `buyer()` and `into_buyer()`; when a
/// variant stops holding the resource in a required field, they go, which breaks their callers.
#[test]
fn a_resource_accessor_going_is_breaking() {
    let old = {
        let mut doc = base();
        set(
            &mut doc,
            "/components/schemas/BuyerEvent",
            json!({
                "type": "object",
                "required": ["buyer"],
                "properties": {"buyer": {"$ref": "#/components/schemas/Buyer"}, "note": {"type": "string"}}
            }),
        );
        set(
            &mut doc,
            "/components/schemas/BuyerOrEvent",
            json!({"anyOf": [{"$ref": "#/components/schemas/Buyer"}, {"$ref": "#/components/schemas/BuyerEvent"}]}),
        );
        set(
            &mut doc,
            "/components/schemas/Buyers/properties/latest",
            json!({"$ref": "#/components/schemas/BuyerOrEvent"}),
        );
        doc
    };
    let surface = surface_of(&old, "old-sha");
    assert!(
        matches!(
            &surface.types["BuyerOrEvent"].kind,
            diff::KindSurface::Union { resource_accessor: Some(a), .. } if a == "buyer"
        ),
        "{:?}",
        surface.types["BuyerOrEvent"]
    );
    assert_eq!(
        entries_between(&old, |doc| {
            remove(doc, "/components/schemas/BuyerEvent/required");
        }),
        [
            // Its last required field gone, the wrapper gains `Default`.
            (
                Kind::DefaultAdded,
                Effect::Additive,
                "/components/schemas/BuyerEvent".to_string()
            ),
            (
                Kind::FieldMadeOptional,
                Effect::Breaking,
                "/components/schemas/BuyerEvent/properties/buyer".to_string()
            ),
            (
                Kind::AccessorRemoved,
                Effect::Breaking,
                "/components/schemas/BuyerOrEvent".to_string()
            ),
        ]
    );
}
