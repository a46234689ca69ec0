//! Checks our overlays against the one piece of Gr4vy's own `openapi.speakeasy.json` that is public:
//! the fragment that their documentation page for `POST /transactions/{transaction_id}/session`
//! embeds (`../shared/seeds/000_335009f11df4d67b.txt`).
//!
//! The fragment holds the operation, every component it references, and the document's servers,
//! security, tags and security schemes, which together exercise four of our seven overlays. We
//! build the same fragment from the pinned spec after applying `spec/overlays/`, and compare the
//! two as JSON values (object key order is not significant). Every difference must be explained by
//! an entry of [`allowances`]; anything else fails with a list of JSON pointers.

use std::path::{Path, PathBuf};

use gr4vy_codegen::error::child;
use gr4vy_codegen::spec::overlay::{self, ActionKind, ActionReport};
use gr4vy_codegen::spec::source;
use serde_json::{Map, Value};

const SEED_FILE: &str = "000_335009f11df4d67b.txt";
const FENCE: &str = "````yaml /openapi.speakeasy.json POST /transactions/{transaction_id}/session";
const SESSION_PATH: &str = "/transactions/{transaction_id}/session";
const SCHEMA_PREFIX: &str = "#/components/schemas/";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The pinned spec with all of our overlays applied, plus what each action matched.
fn overlaid() -> (Value, Vec<ActionReport>) {
    let root = workspace_root();
    let bytes =
        source::load_pinned(&root).unwrap_or_else(|e| panic!("loading the pinned spec: {e}"));
    let mut doc: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("the pinned spec is not JSON: {e}"));
    let overlays = overlay::load_dir(&root.join("spec/overlays"))
        .unwrap_or_else(|e| panic!("loading the overlays: {e}"));
    let reports = overlay::apply_all(&mut doc, &overlays)
        .unwrap_or_else(|e| panic!("applying the overlays: {e}"));
    (doc, reports)
}

/// The YAML between the seed's fence lines, as JSON.
fn seed_fragment() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/seeds")
        .join(SEED_FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the seed {} ({e}). The shared directory `../shared` (with `seeds/` and \
             `spec/`) must sit beside the checkout of this workspace.",
            path.display()
        )
    });
    let mut lines = text.lines();
    lines
        .by_ref()
        .find(|line| line.trim_end() == FENCE)
        .unwrap_or_else(|| panic!("{} has no line `{FENCE}`", path.display()));
    let body: Vec<&str> = lines.take_while(|line| line.trim_end() != "````").collect();
    yaml_serde::from_str(&body.join("\n"))
        .unwrap_or_else(|e| panic!("the fenced YAML in {} does not parse: {e}", path.display()))
}

/// Rebuilds, from our overlaid spec, the fragment the docs page shows, with the `$ref`s that have
/// sibling keywords inlined the way the docs renderer shows them (see [`EXPECTED_INLINED`]).
/// Returns the fragment and the pointers at which a `$ref` was inlined.
fn our_fragment(doc: &Value) -> (Value, Vec<(String, String)>) {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("the spec has components.schemas");
    let field = |key: &str| {
        doc.get(key)
            .cloned()
            .unwrap_or_else(|| panic!("the overlaid spec has no `{key}`"))
    };
    let mut inlined = Vec::new();

    let mut operation = doc
        .get("paths")
        .and_then(|p| p.get(SESSION_PATH))
        .and_then(|p| p.get("post"))
        .cloned()
        .expect("the spec has POST /transactions/{transaction_id}/session");
    let op_pointer = child(&child(&child("", "paths"), SESSION_PATH), "post");
    inline_refs_with_siblings(&mut operation, &op_pointer, schemas, &mut inlined);

    // Every component reachable by `$ref` from the operation, in first-reference order.
    let mut components = Map::new();
    let mut pending = Vec::new();
    collect_refs(&operation, &mut pending);
    while let Some(name) = pending.first().cloned() {
        pending.remove(0);
        if components.contains_key(&name) {
            continue;
        }
        let mut schema = schemas
            .get(&name)
            .cloned()
            .unwrap_or_else(|| panic!("`$ref` to missing schema {name}"));
        let pointer = child(&child(&child("", "components"), "schemas"), &name);
        inline_refs_with_siblings(&mut schema, &pointer, schemas, &mut inlined);
        collect_refs(&schema, &mut pending);
        components.insert(name, schema);
    }

    let mut path_item = Map::new();
    path_item.insert("post".into(), operation);
    let mut paths = Map::new();
    paths.insert(SESSION_PATH.into(), Value::Object(path_item));

    let mut component_root = Map::new();
    component_root.insert("schemas".into(), Value::Object(components));
    component_root.insert(
        "securitySchemes".into(),
        doc.pointer("/components/securitySchemes")
            .cloned()
            .expect("the overlaid spec has components.securitySchemes"),
    );

    let mut fragment = Map::new();
    for key in ["openapi", "info", "servers", "security", "tags"] {
        fragment.insert(key.into(), field(key));
    }
    fragment.insert("paths".into(), Value::Object(paths));
    fragment.insert("components".into(), Value::Object(component_root));
    (Value::Object(fragment), inlined)
}

/// The docs renderer keeps a `$ref` that stands alone, but shows a `$ref` with sibling keywords
/// (here `description` and `examples`) as the referenced schema's keywords merged beside those
/// siblings, and then does not list the referenced component. The seed shows exactly that for the
/// two enum references below, so we render ours the same way before comparing; the list is checked,
/// so any other inlined reference is noticed.
const EXPECTED_INLINED: &[(&str, &str)] = &[
    (
        "/components/schemas/ErrorDetail/properties/location",
        "ErrorLocation",
    ),
    (
        "/components/schemas/UpdateTransactionSessionResponse/properties/integration_client",
        "IntegrationClient",
    ),
];

fn inline_refs_with_siblings(
    value: &mut Value,
    pointer: &str,
    schemas: &Map<String, Value>,
    inlined: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(map) => {
            if map.len() > 1
                && let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
                    .map(str::to_owned)
            {
                let target = schemas
                    .get(&name)
                    .and_then(Value::as_object)
                    .unwrap_or_else(|| panic!("{pointer}: `$ref` to missing schema {name}"));
                map.shift_remove("$ref");
                for (key, keyword) in target {
                    if !map.contains_key(key) {
                        map.insert(key.clone(), keyword.clone());
                    }
                }
                inlined.push((pointer.to_owned(), name));
            }
            for (key, item) in map.iter_mut() {
                inline_refs_with_siblings(item, &child(pointer, key), schemas, inlined);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                inline_refs_with_siblings(item, &child(pointer, &i.to_string()), schemas, inlined);
            }
        }
        _ => {}
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
            {
                out.push(name.to_owned());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// One way in which our fragment and the seed differ.
#[derive(Debug)]
enum Difference {
    OnlyOurs {
        pointer: String,
        ours: Value,
    },
    OnlySeed {
        pointer: String,
        seed: Value,
    },
    Changed {
        pointer: String,
        ours: Value,
        seed: Value,
    },
}

impl Difference {
    fn pointer(&self) -> &str {
        match self {
            Difference::OnlyOurs { pointer, .. }
            | Difference::OnlySeed { pointer, .. }
            | Difference::Changed { pointer, .. } => pointer,
        }
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::OnlyOurs { pointer, ours } => {
                write!(f, "#{pointer}: only in ours: {}", short(ours))
            }
            Difference::OnlySeed { pointer, seed } => {
                write!(f, "#{pointer}: only in the seed: {}", short(seed))
            }
            Difference::Changed {
                pointer,
                ours,
                seed,
            } => write!(
                f,
                "#{pointer}: ours {} but the seed has {}",
                short(ours),
                short(seed)
            ),
        }
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// Structural comparison. Objects are compared key by key, regardless of order; arrays of equal
/// length element by element; arrays of different lengths are one difference.
fn diff(pointer: &str, ours: &Value, seed: &Value, out: &mut Vec<Difference>) {
    match (ours, seed) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => diff(&child(pointer, key), value, other, out),
                    None => out.push(Difference::OnlyOurs {
                        pointer: child(pointer, key),
                        ours: value.clone(),
                    }),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(Difference::OnlySeed {
                        pointer: child(pointer, key),
                        seed: value.clone(),
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&child(pointer, &i.to_string()), x, y, out);
            }
        }
        _ if ours == seed => {}
        _ => out.push(Difference::Changed {
            pointer: pointer.to_owned(),
            ours: ours.clone(),
            seed: seed.clone(),
        }),
    }
}

/// A known, explained difference between our overlaid spec and the seed.
struct Allowance {
    name: &'static str,
    reason: &'static str,
    /// Whether this allowance explains the difference; gets the seed too, for context.
    covers: fn(&Difference, &Value) -> bool,
}

/// Tags that the pinned spec has and the seed lacks. The seed's tag list equals that of the older
/// spec (`openapi.previous.json`), and these four were added upstream since.
const TAGS_NEWER_THAN_SEED: &[&str] = &[
    "API key pairs",
    "Roles",
    "Transactions - Captures",
    "Transactions - Refund settlements",
];

fn allowances() -> Vec<Allowance> {
    vec![
        Allowance {
            name: "x-speakeasy-ignore on the session operation",
            reason: "both the pinned and the previous upstream spec mark this operation \
                     `x-speakeasy-ignore: true`; the docs page leaves the extension out of its \
                     fragment but says the same in prose (\"not available in the SDKs\"), so we keep \
                     upstream's marker",
            covers: |d, _| {
                matches!(d, Difference::OnlyOurs { pointer, ours: Value::Bool(true) }
                    if pointer == "/paths/~1transactions~1{transaction_id}~1session/post/x-speakeasy-ignore")
            },
        },
        Allowance {
            name: "ValidationError.input and ValidationError.ctx",
            reason: "upstream's validation-error schema gained `input` and `ctx` after the \
                     docs page was built; the previous upstream spec (openapi.previous.json), like \
                     the seed, has only loc/msg/type",
            covers: |d, _| {
                matches!(d, Difference::OnlyOurs { pointer, .. }
                    if pointer == "/components/schemas/ValidationError/properties/input"
                        || pointer == "/components/schemas/ValidationError/properties/ctx")
            },
        },
        Allowance {
            name: "tags added upstream after the seed",
            reason: "the root tag list is upstream data, not something our overlays touch; the \
                     seed's list equals the previous upstream spec's, and the pinned spec adds the \
                     tags in TAGS_NEWER_THAN_SEED (the rest are identical and in the same order)",
            covers: |d, _| {
                let Difference::Changed {
                    pointer,
                    ours: Value::Array(ours),
                    seed,
                } = d
                else {
                    return false;
                };
                let without_new: Vec<Value> = ours
                    .iter()
                    .filter(|tag| {
                        let name = tag.get("name").and_then(Value::as_str).unwrap_or_default();
                        !TAGS_NEWER_THAN_SEED.contains(&name)
                    })
                    .cloned()
                    .collect();
                pointer == "/tags"
                    && ours.len() == without_new.len() + TAGS_NEWER_THAN_SEED.len()
                    && *seed == Value::Array(without_new)
            },
        },
        Allowance {
            name: "stray `overlay: 1.0.0` in the seed's enum schemas",
            reason: "a side effect of the tool that applied Gr4vy's open-enum overlay: the \
                     overlay document's version key leaked into each updated node. It is not a \
                     schema keyword, so we do not reproduce it",
            covers: |d, seed| {
                let Difference::OnlySeed {
                    pointer,
                    seed: value,
                } = d
                else {
                    return false;
                };
                let Some(parent) = pointer.strip_suffix("/overlay") else {
                    return false;
                };
                value == "1.0.0"
                    && seed
                        .pointer(parent)
                        .and_then(|schema| schema.get("enum"))
                        .is_some_and(Value::is_array)
            },
        },
    ]
}

#[test]
fn session_operation_matches_gr4vy_speakeasy_spec() {
    let (doc, _) = overlaid();
    let seed = seed_fragment();
    let (ours, mut inlined) = our_fragment(&doc);

    inlined.sort();
    let expected: Vec<(String, String)> = EXPECTED_INLINED
        .iter()
        .map(|(p, n)| ((*p).to_owned(), (*n).to_owned()))
        .collect();
    assert_eq!(
        inlined, expected,
        "the set of `$ref`s with sibling keywords changed; check how the seed shows them and \
         update EXPECTED_INLINED"
    );

    let mut differences = Vec::new();
    diff("", &ours, &seed, &mut differences);

    let allowances = allowances();
    let mut used = vec![false; allowances.len()];
    let mut unexplained = Vec::new();
    for difference in &differences {
        match allowances
            .iter()
            .position(|a| (a.covers)(difference, &seed))
        {
            Some(i) => used[i] = true,
            None => unexplained.push(difference.to_string()),
        }
    }
    let stale: Vec<String> = allowances
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(a, _)| format!("{} ({})", a.name, a.reason))
        .collect();

    assert!(
        unexplained.is_empty(),
        "our overlaid spec differs from Gr4vy's openapi.speakeasy.json fragment in {} place(s) \
         that no allowance explains; fix the overlays, or add an allowance with its reason:\n  {}",
        unexplained.len(),
        unexplained.join("\n  ")
    );
    assert!(
        stale.is_empty(),
        "these allowances no longer match any difference; remove them:\n  {}",
        stale.join("\n  ")
    );
    // Guard against a comparison that vacuously passes.
    assert!(differences.iter().any(|d| d.pointer() == "/tags"));
}

#[test]
fn overlay_actions_match_the_expected_number_of_nodes() {
    let (_, reports) = overlaid();
    let table: Vec<(&str, usize, ActionKind, usize)> = reports
        .iter()
        .map(|r| (r.file.as_str(), r.action, r.kind, r.matched))
        .collect();
    use ActionKind::{Remove, Update};
    assert_eq!(
        table,
        [
            ("01-servers.yaml", 0, Update, 1),
            ("02-security.yaml", 0, Remove, 1),
            ("02-security.yaml", 1, Update, 1),
            // Every operation's `security`.
            ("02-security.yaml", 2, Remove, 144),
            ("02-security.yaml", 3, Update, 1),
            // Every schema with an `enum`.
            ("03-open-enums.yaml", 0, Update, 90),
            // Every GET.
            ("04-retries.yaml", 0, Update, 65),
            ("05-globals.yaml", 0, Update, 1),
            ("06-forwarded-for.yaml", 0, Update, 1),
            ("07-checkout-session-body.yaml", 0, Remove, 1),
            ("07-checkout-session-body.yaml", 1, Remove, 1),
            ("07-checkout-session-body.yaml", 2, Update, 1),
            // `PaymentService`'s `id` and `status` defaults (descriptions, not values).
            ("08-misplaced-defaults.yaml", 0, Remove, 1),
            ("08-misplaced-defaults.yaml", 1, Remove, 1),
        ]
    );
}

/// The overlays that the seed does not show: checked directly on the overlaid document.
#[test]
fn overlays_outside_the_seed_have_their_effect() {
    let (doc, _) = overlaid();

    // 02: no operation keeps its own security requirement.
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            assert!(
                op.get("security").is_none(),
                "{method} {path} still has security"
            );
        }
    }

    // 03: every enum keyword sits beside the open-enum marker, and nothing else got it.
    fn check_enums(value: &Value, pointer: &str, marked: &mut usize) {
        match value {
            Value::Object(map) => {
                let is_enum = map.get("enum").is_some_and(Value::is_array);
                let has_marker = map.contains_key("x-speakeasy-unknown-values");
                assert_eq!(is_enum, has_marker, "#{pointer}");
                *marked += usize::from(has_marker);
                for (key, item) in map {
                    check_enums(item, &child(pointer, key), marked);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_enums(item, &child(pointer, &i.to_string()), marked);
                }
            }
            _ => {}
        }
    }
    let mut marked = 0;
    check_enums(&doc, "", &mut marked);
    assert_eq!(marked, 90);

    // 04: exactly the GETs retry.
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            assert_eq!(
                op.get("x-speakeasy-retries").is_some(),
                method == "get",
                "{method} {path}"
            );
        }
    }
    assert_eq!(
        doc.pointer("/paths/~1transactions/get/x-speakeasy-retries/backoff/maxElapsedTime"),
        Some(&Value::from(1000))
    );

    // 05: the global merchant-account header.
    assert_eq!(
        doc.pointer("/x-speakeasy-globals/parameters/0/x-speakeasy-name-override"),
        Some(&Value::from("merchant_account_id"))
    );

    // 06: X-Forwarded-For is appended after upstream's two header parameters.
    let names: Vec<&str> = doc
        .pointer("/paths/~1transactions/post/parameters")
        .and_then(Value::as_array)
        .expect("POST /transactions parameters")
        .iter()
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    assert_eq!(
        names,
        [
            "x-gr4vy-merchant-account-id",
            "idempotency-key",
            "X-Forwarded-For"
        ]
    );

    // 07: the checkout-session body is the update schema itself, with no union beside the $ref.
    assert_eq!(
        doc.pointer(
            "/paths/~1checkout~1sessions/post/requestBody/content/application~1json/schema"
        ),
        Some(&serde_json::json!({"$ref": "#/components/schemas/CheckoutSessionUpdate"}))
    );
}
