//! The overlay target: random overlay actions applied to a seed spec, then the passes.

use gr4vy_codegen::spec::overlay::{self, Action, Overlay, OverlayInfo};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::apply::apply;
use crate::inputs::{Inputs, generate, rejected};
use crate::mutations::*;
use crate::tree::*;

#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// The normalized path of an existing node.
    Node(usize),
    /// A child of an existing node that is not there.
    Missing(usize, &'static str),
    /// A query: wildcards, descendants, filters, slices.
    Query(&'static str),
    /// Not a valid JSONPath.
    Invalid(&'static str),
}

pub(crate) const QUERIES: &[&str] = &[
    "$",
    "$.*",
    "$..*",
    "$..type",
    "$..['$ref']",
    "$.paths.*",
    "$.paths.*.*",
    "$.paths.*.*.responses.*",
    "$.paths.*.*.parameters[*]",
    "$.paths.*.*.parameters[0]",
    "$.paths.*.*.parameters[-1]",
    "$.components.schemas.*",
    "$.components.schemas.*.properties",
    "$.components.schemas.*.properties.*",
    "$..properties",
    "$..enum",
    "$..items",
    "$..[?@.type == 'string']",
    "$..[?@.type == 'object']",
    "$..[?@['$ref']]",
    "$..[?length(@) > 1]",
    "$..[?match(@.operationId, '.*')]",
    "$..[?search(@, 'a')]",
    "$.paths[?@.get]",
    "$.servers[0:10:2]",
    "$.servers[::-1]",
    "$.servers[0:0]",
    "$['paths', 'components']",
    "$['paths','paths']",
    "$.info",
    "$.info.title",
    "$.openapi",
    "$..description",
    "$..required",
    "$..required[0]",
    "$..anyOf[*]",
    "$..x-speakeasy-group",
    "$..operationId",
];

pub(crate) const INVALID_TARGETS: &[&str] = &[
    "",
    " ",
    "$.",
    "$..",
    "$.paths[",
    "$[",
    "paths",
    "$[?@.a ==]",
    "$['unterminated",
    "$[-0]",
    "$[01]",
    "$[9999999999999999999999]",
    "$[0:10:0]",
    "$.🦀",
    "$[?foo(@)]",
    "$[?length(@.a, @.b)]",
    "$[?@ == @]",
    "$..[?@.a]]",
    "@",
    "$$",
    "$.a.b.c.d.e.f",
    "$[\"a\"]",
    "$['\\u0000']",
    "$[?count(@.*) == 1]",
    "$[?value(@..x) == 1]",
    "$[?match(@, '[')]",
    "$[?match(@, '(a+)+$')]",
    "$[?search(@, '\\\\')]",
];

/// Update values: schema fragments and plain values.
pub(crate) fn update_value(index: usize) -> Value {
    let values = [
        json!({"type": "foo"}),
        json!({"$ref": "#/components/schemas/DoesNotExist"}),
        json!({"properties": {"type": {"type": "string"}, "": {"type": "string"}}}),
        json!({"enum": []}),
        json!({"enum": ["", "🦀", "type", 1, null]}),
        json!({"type": ["string", "null"]}),
        json!({"anyOf": [{"type": "null"}]}),
        json!({"oneOf": []}),
        json!({"allOf": [{"type": "object"}]}),
        json!({"operationId": "self"}),
        json!({"x-speakeasy-group": "a..b"}),
        json!({"x-speakeasy-pagination": {}}),
        json!({"x-speakeasy-retries": {"strategy": "backoff", "statusCodes": ["abc"]}}),
        json!({"required": ["missing"]}),
        json!({"items": {}}),
        json!({"additionalProperties": true}),
        json!({"const": 1}),
        json!({"discriminator": {"propertyName": "type", "mapping": {"a": "#/x"}}}),
        json!({"responses": {}}),
        json!({"parameters": [{"name": "x", "in": "query"}]}),
        json!({"servers": [{"url": "{a}{a}"}]}),
        json!({"servers": [{"url": ""}]}),
        json!([1, 2]),
        json!([]),
        json!({}),
        json!("string"),
        json!(42),
        json!(true),
        json!(null),
    ];
    values[index % values.len()].clone()
}

#[derive(Debug, Clone)]
pub(crate) struct ActionSpec {
    pub(crate) target: Target,
    /// `None`: `remove: true`.
    pub(crate) update: Option<usize>,
    pub(crate) optional: bool,
    /// Bypassing `parse`: both `update` and `remove: true`.
    pub(crate) both: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct OverlayCase {
    pub(crate) seed: usize,
    pub(crate) actions: Vec<ActionSpec>,
    /// Write the overlay as text and read it with `overlay::parse` (else build it directly).
    pub(crate) through_parse: bool,
    /// Mutations of the overlay document itself (only through `parse`).
    pub(crate) overlay_mutations: Vec<Mutation>,
    /// Mutations of the spec after the overlay applied.
    pub(crate) spec_mutations: Vec<Mutation>,
}

pub(crate) fn action_spec() -> impl Strategy<Value = ActionSpec> {
    let target = prop_oneof![
        6 => index().prop_map(Target::Node),
        1 => (index(), weird()).prop_map(|(i, w)| Target::Missing(i, w)),
        3 => prop::sample::select(QUERIES).prop_map(Target::Query),
        1 => prop::sample::select(INVALID_TARGETS).prop_map(Target::Invalid),
    ];
    (
        target,
        prop::option::weighted(0.7, index()),
        any::<bool>(),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(target, update, optional, both)| ActionSpec {
            target,
            update,
            optional,
            both,
        })
}

pub(crate) fn overlay_case(seeds: usize) -> impl Strategy<Value = OverlayCase> {
    (
        0..seeds,
        prop::collection::vec(action_spec(), 1..6),
        prop::bool::weighted(0.7),
        prop::collection::vec(mutation(), 0..3),
        prop::collection::vec(mutation(), 0..2),
    )
        .prop_map(
            |(seed, actions, through_parse, overlay_mutations, spec_mutations)| OverlayCase {
                seed,
                actions,
                through_parse,
                overlay_mutations,
                spec_mutations,
            },
        )
}

pub(crate) fn target_text(doc: &Value, target: &Target) -> String {
    match target {
        Target::Node(i) => pick(doc, Kind::Any, *i).map_or_else(|| "$".into(), |p| json_path(&p)),
        Target::Missing(i, w) => {
            let base = pick(doc, Kind::Any, *i).map_or_else(|| "$".into(), |p| json_path(&p));
            format!("{base}{}", &json_path(&[Step::Key((*w).to_owned())])[1..])
        }
        Target::Query(q) | Target::Invalid(q) => (*q).to_owned(),
    }
}

/// Runs one overlay case; returns whether the passes produced a crate, and a log of what it did.
pub(crate) fn run_overlay_case(case: &OverlayCase, inputs: &Inputs, log: &mut Vec<String>) -> bool {
    let seed = &inputs.seeds[case.seed % inputs.seeds.len()];
    log.push(format!("spec {}", seed.name));
    let mut doc = seed.doc.clone();
    let actions: Vec<Action> = case
        .actions
        .iter()
        .map(|a| Action {
            target: target_text(&doc, &a.target),
            description: None,
            update: a.update.map(update_value),
            remove: a.update.is_none() || a.both,
            optional: a.optional,
        })
        .collect();
    let overlay = if case.through_parse {
        let raw: Vec<Value> = actions
            .iter()
            .map(|a| {
                let mut action = Map::new();
                action.insert("target".into(), json!(a.target));
                if let Some(u) = &a.update {
                    action.insert("update".into(), u.clone());
                }
                if a.remove {
                    action.insert("remove".into(), json!(true));
                }
                if a.optional {
                    action.insert("x-optional".into(), json!(true));
                }
                Value::Object(action)
            })
            .collect();
        let mut file = json!({
            "overlay": "1.0.0",
            "info": {"title": "fuzz", "version": "1"},
            "actions": raw,
        });
        for m in &case.overlay_mutations {
            log.push(format!("overlay file: {}", apply(&mut file, m)));
        }
        // JSON is YAML.
        let text = file.to_string();
        log.push(format!("overlay file: {text}"));
        match overlay::parse("fuzz.yaml", &text) {
            Ok(o) => o,
            Err(e) => return rejected(&e),
        }
    } else {
        log.push(format!("overlay actions: {actions:?}"));
        Overlay {
            file: "fuzz.yaml".into(),
            info: OverlayInfo {
                title: "fuzz".into(),
                version: "1".into(),
            },
            actions,
        }
    };
    if let Err(e) = overlay::apply(&mut doc, &overlay) {
        return rejected(&e);
    }
    for m in &case.spec_mutations {
        log.push(apply(&mut doc, m));
    }
    generate(&doc, None, &[], &inputs.statics)
}
