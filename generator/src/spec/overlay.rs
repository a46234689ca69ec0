//! A small OpenAPI Overlay 1.0 engine over `serde_json::Value`.
//!
//! Gr4vy's official SDKs are generated from `openapi.speakeasy.json`, which is Gr4vy's `openapi.json`
//! with a handful of overlays applied by Speakeasy's overlay tool. We keep our own overlay files in
//! `spec/overlays/` and apply them here, so the merge rules deliberately copy that tool's behaviour
//! rather than a stricter reading of the Overlay specification:
//!
//! - `update` on an object merges key by key, recursively; new keys go at the end, so the output keeps
//!   the upstream key order;
//! - `update` with an array into an array *appends* the elements (it neither nests nor replaces), also
//!   for arrays nested inside an object update; a single non-array value updating an array target is
//!   pushed onto it;
//! - anything else (scalars, or a value of a different kind) is replaced;
//! - `remove: true` deletes the matched node from its parent object or array.
//!
//! Targets are RFC 9535 JSONPath expressions, evaluated with `serde_json_path`. Every action must
//! match something: when the upstream spec changes shape, a silent no-op would quietly drop one of
//! our fixes, so a target that matches nothing is an error unless the action carries our own marker
//! `x-optional: true`.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use crate::error::{Error, Result, child};

/// One parsed overlay file.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// The file name, used in every message about this overlay (e.g. `03-open-enums.yaml`).
    pub file: String,
    pub info: OverlayInfo,
    /// The actions, applied in file order; never empty.
    pub actions: Vec<Action>,
}

/// The overlay's required `info` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayInfo {
    pub title: String,
    pub version: String,
}

/// One action: a JSONPath target plus either an `update` value or `remove: true`.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// An RFC 9535 JSONPath expression, checked when the file is parsed.
    pub target: String,
    pub description: Option<String>,
    /// The value merged into every matched node (exactly one of `update` and `remove` is set).
    pub update: Option<Value>,
    /// Whether every matched node is deleted.
    pub remove: bool,
    /// From the action's `x-optional: true`: the target may legitimately match nothing.
    pub optional: bool,
}

/// What an action did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActionKind {
    Update,
    Remove,
}

/// The outcome of one applied action, so that a regen can show (and a test can pin) how many nodes
/// each of our fixes touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionReport {
    pub file: String,
    /// The action's index in the file's `actions` list, counting from 0.
    pub action: usize,
    pub description: Option<String>,
    pub target: String,
    pub kind: ActionKind,
    /// How many distinct nodes the target matched (0 only for optional actions).
    pub matched: usize,
}

/// Parses one overlay document. `file` names it in error messages.
///
/// The document is checked strictly: the `overlay` version must be 1.0.x, `actions` must be a
/// non-empty list, each action needs a valid JSONPath `target` and exactly one of `update` or
/// `remove: true`, and keys that neither the Overlay 1.0 specification nor we define are rejected
/// (keys starting with `x-` are always allowed) so that a typo cannot silently disable an action.
pub fn parse(file: &str, yaml: &str) -> Result<Overlay> {
    let doc: Value = yaml_serde::from_str(yaml).map_err(|e| {
        Error::file(
            file,
            format!("is not a valid YAML overlay document ({e}); fix the YAML syntax"),
        )
    })?;
    let Value::Object(root) = doc else {
        return Err(Error::file(
            file,
            "must be a YAML mapping with the keys `overlay`, `info` and `actions`",
        ));
    };

    for key in root.keys() {
        if !matches!(key.as_str(), "overlay" | "info" | "extends" | "actions") && !is_extension(key)
        {
            return Err(Error::file(
                file,
                format!(
                    "has an unknown top-level key `{key}`; an Overlay 1.0 document allows only \
                     `overlay`, `info`, `extends`, `actions` and `x-` extensions"
                ),
            ));
        }
    }

    check_version(file, root.get("overlay"))?;
    let info = parse_info(file, root.get("info"))?;
    if let Some(extends) = root.get("extends")
        && !extends.is_string()
    {
        return Err(Error::file(
            file,
            "has an `extends` that is not a string; give the URL of the target document or drop it",
        ));
    }

    let Some(Value::Array(raw_actions)) = root.get("actions") else {
        return Err(Error::file(
            file,
            "needs an `actions` list; an overlay without actions does nothing",
        ));
    };
    if raw_actions.is_empty() {
        return Err(Error::file(
            file,
            "has an empty `actions` list; add an action or delete the file",
        ));
    }
    let actions = raw_actions
        .iter()
        .enumerate()
        .map(|(index, raw)| parse_action(file, index, raw))
        .collect::<Result<Vec<_>>>()?;

    Ok(Overlay {
        file: file.to_owned(),
        info,
        actions,
    })
}

/// Reads every `*.yaml` file of `dir`, in file-name order, which is the order they are applied in.
///
/// A `*.yml` file is an error rather than skipped, so that a misnamed overlay is not silently left
/// out; an empty directory is an error too, since applying no overlays would produce a spec that
/// looks valid but lacks all of our fixes.
pub fn load_dir(dir: &Path) -> Result<Vec<Overlay>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::file(
            dir,
            format!("cannot list the overlay directory ({e}); it should hold our *.yaml overlays"),
        )
    })?;

    let mut files = Vec::new();
    for entry in entries {
        let entry = entry
            .map_err(|e| Error::file(dir, format!("cannot list the overlay directory ({e})")))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            return Err(Error::file(
                &path,
                "has a file name that is not UTF-8; rename it",
            ));
        };
        if name.ends_with(".yml") {
            return Err(Error::file(
                &path,
                "uses the `.yml` extension; overlays are read from `*.yaml` files only, so rename it",
            ));
        }
        if name.ends_with(".yaml") && path.is_file() {
            files.push((name, path));
        }
    }
    if files.is_empty() {
        return Err(Error::file(
            dir,
            "contains no `*.yaml` overlay files; the overlays live in `spec/overlays/`",
        ));
    }
    files.sort();

    files
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::file(&path, format!("cannot be read as UTF-8 text ({e})")))?;
            parse(&name, &text)
        })
        .collect()
}

/// Applies every action of one overlay, in order.
///
/// The document is only changed when every action succeeds; on error it is left as it was.
pub fn apply(doc: &mut Value, overlay: &Overlay) -> Result<Vec<ActionReport>> {
    apply_all(doc, std::slice::from_ref(overlay))
}

/// Applies several overlays in the given order (see [`load_dir`] for the file order).
///
/// The document is only changed when every action of every overlay succeeds.
pub fn apply_all(doc: &mut Value, overlays: &[Overlay]) -> Result<Vec<ActionReport>> {
    let (patched, reports) = apply_all_owned(doc.clone(), overlays)?;
    *doc = patched;
    Ok(reports)
}

/// [`apply_all`] for a caller that has no use for the document when an action fails (regen, which
/// then stops): the document is patched where it is instead of in a copy, which saves copying and
/// freeing the whole spec.
pub fn apply_all_owned(mut doc: Value, overlays: &[Overlay]) -> Result<(Value, Vec<ActionReport>)> {
    let mut reports = Vec::new();
    for overlay in overlays {
        for (index, action) in overlay.actions.iter().enumerate() {
            reports.push(apply_action(&mut doc, overlay, index, action)?);
        }
    }
    Ok((doc, reports))
}

/// One step of a match's location, owned so that the document can be mutated after querying it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

fn apply_action(
    doc: &mut Value,
    overlay: &Overlay,
    index: usize,
    action: &Action,
) -> Result<ActionReport> {
    let fail = |message: String| Error::overlay(&overlay.file, index, &action.target, message);

    let path = compile(&action.target).map_err(fail)?;

    // Collect every location before touching the document: the matches borrow it.
    let mut seen = BTreeSet::new();
    let mut locations: Vec<Vec<Step>> = Vec::new();
    for node in path.query_located(doc).iter() {
        let steps: Vec<Step> = node
            .location()
            .iter()
            .map(|element| match element {
                PathElement::Name(name) => Step::Key((*name).to_owned()),
                PathElement::Index(i) => Step::Index(*i),
            })
            .collect();
        // A target such as `$['a','a']` selects a node twice; touch it once.
        if seen.insert(steps.clone()) {
            locations.push(steps);
        }
    }

    if locations.is_empty() && !action.optional {
        return Err(fail(
            "matched nothing in the spec; if the upstream spec changed, update or remove this \
             action, or mark it `x-optional: true`"
                .to_owned(),
        ));
    }

    let kind = match (&action.update, action.remove) {
        (Some(update), false) => {
            // Ascending order puts an ancestor before its descendants (a prefix sorts first), so
            // when an update replaces a subtree that holds another match, that is reported below
            // instead of the second update being silently overwritten.
            locations.sort_unstable();
            for steps in &locations {
                let Some(node) = resolve_mut(doc, steps) else {
                    return Err(fail(format!(
                        "matched `{}`, but an earlier match of the same action replaced it; \
                         narrow the target so that matches do not nest",
                        to_pointer(steps)
                    )));
                };
                update_matched(node, update);
            }
            ActionKind::Update
        }
        (None, true) => {
            // Descending order removes descendants before their ancestors and, within one array,
            // higher indices before lower ones, so every remaining location stays valid.
            locations.sort_unstable_by(|a, b| b.cmp(a));
            for steps in &locations {
                remove_at(doc, steps).map_err(fail)?;
            }
            ActionKind::Remove
        }
        _ => {
            return Err(fail(
                "needs exactly one of `update` or `remove: true`".to_owned(),
            ));
        }
    };

    Ok(ActionReport {
        file: overlay.file.clone(),
        action: index,
        description: action.description.clone(),
        target: action.target.clone(),
        kind,
        matched: locations.len(),
    })
}

fn compile(target: &str) -> std::result::Result<JsonPath, String> {
    JsonPath::parse(target).map_err(|e| {
        format!("is not a valid RFC 9535 JSONPath ({e}); targets look like `$.paths.*.get`")
    })
}

/// Applies an update to a node the target matched. Only at this top level does a non-array value
/// get pushed onto an array; deeper down a kind mismatch replaces (see [`merge`]).
fn update_matched(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (Value::Array(items), single) => items.push(single.clone()),
        (node, update) => merge(node, update),
    }
}

/// Speakeasy's merge: objects recursively, arrays by appending, everything else replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(existing), Value::Object(incoming)) => {
            for (key, value) in incoming {
                match existing.get_mut(key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        existing.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (node, update) => *node = update.clone(),
    }
}

fn resolve_mut<'a>(doc: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(key)) => map.get_mut(key),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

fn remove_at(doc: &mut Value, steps: &[Step]) -> std::result::Result<(), String> {
    let Some((last, parent_steps)) = steps.split_last() else {
        return Err(
            "matched the document root, which cannot be removed; target the keys to remove instead"
                .to_owned(),
        );
    };
    let removed = match (resolve_mut(doc, parent_steps), last) {
        // `shift_remove` keeps the order of the remaining keys, as the YAML-based tool does.
        (Some(Value::Object(map)), Step::Key(key)) => map.shift_remove(key).is_some(),
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    };
    if removed {
        Ok(())
    } else {
        Err(format!(
            "matched `{}`, which could no longer be found when removing it; report this \
             overlay with the spec it was applied to",
            to_pointer(steps)
        ))
    }
}

fn to_pointer(steps: &[Step]) -> String {
    steps
        .iter()
        .fold(String::new(), |pointer, step| match step {
            Step::Key(key) => child(&pointer, key),
            Step::Index(i) => child(&pointer, &i.to_string()),
        })
}

fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

/// Accepts `1.0.0` and later 1.0 patch releases, which by the Overlay specification's own
/// versioning rules do not change the format.
fn check_version(file: &str, version: Option<&Value>) -> Result<()> {
    let supported = match version {
        Some(Value::String(v)) => v
            .strip_prefix("1.0.")
            .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit())),
        _ => false,
    };
    if supported {
        return Ok(());
    }
    let found = match version {
        None => "no `overlay` key".to_owned(),
        Some(v) => format!("`overlay: {v}`"),
    };
    Err(Error::file(
        file,
        format!(
            "has {found}; only Overlay 1.0 is supported, so start the file with `overlay: 1.0.0`"
        ),
    ))
}

fn parse_info(file: &str, info: Option<&Value>) -> Result<OverlayInfo> {
    let Some(Value::Object(info)) = info else {
        return Err(Error::file(
            file,
            "needs an `info` mapping with `title` and `version`",
        ));
    };
    for key in info.keys() {
        if !matches!(key.as_str(), "title" | "version") && !is_extension(key) {
            return Err(Error::file(
                file,
                format!(
                    "has an unknown key `info.{key}`; `info` allows only `title`, `version` and \
                     `x-` extensions"
                ),
            ));
        }
    }
    let text = |key: &str| match info.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(Error::file(
            file,
            format!("needs `info.{key}` as a string (quote it if it looks like a number)"),
        )),
    };
    Ok(OverlayInfo {
        title: text("title")?,
        version: text("version")?,
    })
}

fn parse_action(file: &str, index: usize, raw: &Value) -> Result<Action> {
    let target = match raw.get("target") {
        Some(Value::String(t)) => t.clone(),
        _ => String::new(),
    };
    let fail = |message: String| Error::overlay(file, index, &target, message);

    let Value::Object(fields) = raw else {
        return Err(fail(
            "is not a mapping; each action needs `target` and `update` or `remove: true`"
                .to_owned(),
        ));
    };
    if target.is_empty() {
        return Err(fail(
            "needs a non-empty string `target` (an RFC 9535 JSONPath such as `$.paths.*.get`)"
                .to_owned(),
        ));
    }
    for key in fields.keys() {
        if !matches!(key.as_str(), "target" | "description" | "update" | "remove")
            && !is_extension(key)
        {
            return Err(fail(format!(
                "has an unknown key `{key}`; an action allows only `target`, `description`, \
                 `update`, `remove` and `x-` extensions such as `x-optional`"
            )));
        }
    }
    compile(&target).map_err(fail)?;

    let description = match fields.get("description") {
        None => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(_) => return Err(fail("has a `description` that is not a string".to_owned())),
    };
    let remove = flag(fields, "remove").map_err(fail)?;
    let optional = flag(fields, "x-optional").map_err(fail)?;
    let update = match fields.get("update") {
        None => None,
        Some(Value::Null) => {
            return Err(fail(
                "has an empty `update`; give the value to merge into the matched nodes, or use \
                 `remove: true`"
                    .to_owned(),
            ));
        }
        Some(value) => Some(value.clone()),
    };
    match (&update, remove) {
        (Some(_), true) => Err(fail(
            "has both `update` and `remove: true`; split it into two actions".to_owned(),
        )),
        (None, false) => Err(fail(
            "has neither `update` nor `remove: true`; add one of them".to_owned(),
        )),
        _ => Ok(Action {
            target,
            description,
            update,
            remove,
            optional,
        }),
    }
}

fn flag(fields: &Map<String, Value>, key: &str) -> std::result::Result<bool, String> {
    match fields.get(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "has `{key}: {other}`; it must be `true` or `false`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;
    use serde_json::json;

    fn overlay(actions_yaml: &str) -> Overlay {
        let text =
            format!("overlay: 1.0.0\ninfo: {{title: t, version: 1.0.0}}\nactions:\n{actions_yaml}");
        parse("test.yaml", &text).unwrap()
    }

    fn run(mut doc: Value, actions_yaml: &str) -> (Value, Vec<ActionReport>) {
        let reports = apply(&mut doc, &overlay(actions_yaml)).unwrap();
        (doc, reports)
    }

    #[test]
    fn update_merges_objects_recursively_and_appends_new_keys() {
        let doc = json!({"info": {"title": "A", "contact": {"name": "n"}}, "paths": {}});
        let (doc, reports) = run(
            doc,
            "  - target: $.info\n    update: {title: B, contact: {email: e}, version: '2'}\n",
        );
        assert_eq!(
            doc,
            json!({"info": {"title": "B", "contact": {"name": "n", "email": "e"}, "version": "2"},
                   "paths": {}})
        );
        // Existing keys keep their place, new ones go last.
        let keys: Vec<_> = doc["info"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["title", "contact", "version"]);
        assert_eq!(reports[0].matched, 1);
        assert_eq!(reports[0].kind, ActionKind::Update);
    }

    #[test]
    fn update_appends_arrays_at_the_target_and_nested() {
        let doc = json!({"list": [1], "obj": {"tags": ["a"]}});
        let (doc, _) = run(
            doc,
            "  - target: $.list\n    update: [2, 3]\n\
             \x20 - target: $.list\n    update: 4\n\
             \x20 - target: $.obj\n    update: {tags: [b]}\n",
        );
        assert_eq!(
            doc,
            json!({"list": [1, 2, 3, 4], "obj": {"tags": ["a", "b"]}})
        );
    }

    #[test]
    fn update_replaces_scalars_and_mismatched_kinds() {
        let doc = json!({"a": {"s": "x", "o": {"k": 1}, "l": [1]}});
        let (doc, _) = run(
            doc,
            "  - target: $.a\n    update: {s: y, o: [1], l: {k: 2}}\n",
        );
        assert_eq!(doc, json!({"a": {"s": "y", "o": [1], "l": {"k": 2}}}));
    }

    #[test]
    fn remove_deletes_keys_and_array_elements_from_the_highest_index_down() {
        let doc = json!({"a": 1, "b": 2, "c": 3, "items": [{"drop": true}, {"keep": 1}, {"drop": true}, {"drop": true}]});
        let (doc, reports) = run(
            doc,
            "  - target: $.b\n    remove: true\n\
             \x20 - target: $.items[?@.drop]\n    remove: true\n",
        );
        assert_eq!(doc, json!({"a": 1, "c": 3, "items": [{"keep": 1}]}));
        let keys: Vec<_> = doc.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["a", "c", "items"]);
        assert_eq!(reports[1].matched, 3);
        assert_eq!(reports[1].kind, ActionKind::Remove);
    }

    #[test]
    fn update_reaches_nested_matches_and_reports_replaced_ones() {
        let (doc, reports) = run(
            json!({"x": {"x": {}}}),
            "  - target: $..x\n    update: {y: 1}\n",
        );
        assert_eq!(doc, json!({"x": {"x": {"y": 1}, "y": 1}}));
        assert_eq!(reports[0].matched, 2);

        let mut doc = json!({"x": {"x": {}}});
        let err = apply(&mut doc, &overlay("  - target: $..x\n    update: 5\n")).unwrap_err();
        assert!(err.message.contains("`/x/x`"), "{err}");
        assert_eq!(doc, json!({"x": {"x": {}}}));
    }

    #[test]
    fn remove_handles_nested_matches() {
        let doc = json!({"a": {"x": {"x": 1}}, "b": 2});
        let (doc, reports) = run(doc, "  - target: $..x\n    remove: true\n");
        assert_eq!(doc, json!({"a": {}, "b": 2}));
        assert_eq!(reports[0].matched, 2);
    }

    #[test]
    fn removing_the_root_is_an_error() {
        let mut doc = json!({"a": 1});
        let err = apply(&mut doc, &overlay("  - target: $\n    remove: true\n")).unwrap_err();
        assert!(err.message.contains("document root"), "{err}");
        assert_eq!(doc, json!({"a": 1}));
    }

    #[test]
    fn a_target_matching_nothing_names_file_action_and_target() {
        let mut doc = json!({"paths": {}});
        let ov = overlay(
            "  - target: $.paths\n    update: {x: 1}\n\
             \x20 - target: $.paths.*.get\n    update: {y: 2}\n",
        );
        let err = apply(&mut doc, &ov).unwrap_err();
        assert_eq!(
            err.location,
            Location::Overlay {
                file: "test.yaml".into(),
                action: 1,
                target: "$.paths.*.get".into()
            }
        );
        assert!(err.message.contains("matched nothing in the spec"), "{err}");
        assert!(err.message.contains("x-optional: true"), "{err}");
        // The first action's change is not kept when a later one fails.
        assert_eq!(doc, json!({"paths": {}}));
    }

    #[test]
    fn an_optional_action_may_match_nothing() {
        let (doc, reports) = run(
            json!({"a": 1}),
            "  - target: $.missing\n    remove: true\n    x-optional: true\n",
        );
        assert_eq!(doc, json!({"a": 1}));
        assert_eq!(reports[0].matched, 0);
    }

    #[test]
    fn an_invalid_jsonpath_is_reported_at_parse_time() {
        let text = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[\n    remove: true\n";
        let err = parse("bad.yaml", text).unwrap_err();
        assert!(
            matches!(&err.location, Location::Overlay { file, action: 0, target } if file == "bad.yaml" && target == "$.paths[")
        );
        assert!(
            err.message.contains("not a valid RFC 9535 JSONPath"),
            "{err}"
        );
    }

    #[test]
    fn only_overlay_1_0_is_accepted() {
        for bad in [
            "overlay: 2.0.0",
            "overlay: 1.0",
            "overlay: '1.1.0'",
            "x-no-version: true",
        ] {
            let text = format!(
                "{bad}\ninfo: {{title: t, version: '1'}}\nactions: [{{target: $, update: {{}}}}]\n"
            );
            let err = parse("v.yaml", &text).unwrap_err();
            assert_eq!(err.location, Location::File("v.yaml".into()), "{bad}");
        }
        let ok =
            "overlay: 1.0.3\ninfo: {title: t, version: '1'}\nactions: [{target: $, update: {}}]\n";
        assert!(parse("v.yaml", ok).is_ok());
    }

    #[test]
    fn action_shape_is_checked() {
        let cases = [
            ("{target: $.a, update: {}, remove: true}", "both"),
            ("{target: $.a}", "neither"),
            ("{target: $.a, remove: false}", "neither"),
            ("{target: $.a, update: ~}", "empty `update`"),
            (
                "{target: $.a, remove: true, updates: {}}",
                "unknown key `updates`",
            ),
            (
                "{target: $.a, remove: true, x-optional: yes please}",
                "x-optional",
            ),
            ("{update: {}}", "target"),
        ];
        for (action, expected) in cases {
            let text = format!(
                "overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n  - {action}\n"
            );
            let err = parse("a.yaml", &text).unwrap_err();
            assert!(
                matches!(err.location, Location::Overlay { action: 0, .. }),
                "{action}"
            );
            assert!(err.message.contains(expected), "{action}: {err}");
        }
        let empty = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n";
        assert!(
            parse("a.yaml", empty)
                .unwrap_err()
                .message
                .contains("empty")
        );
        let extra = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nx-note: fine\nactions: [{target: $, update: {}, x-note: fine}]\n";
        assert!(parse("a.yaml", extra).is_ok());
    }

    #[test]
    fn load_dir_reads_yaml_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let body =
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, update: {}}]\n";
        for name in ["02-b.yaml", "01-a.yaml", "10-c.yaml"] {
            std::fs::write(dir.path().join(name), body).unwrap();
        }
        std::fs::write(dir.path().join("README.md"), "not an overlay").unwrap();
        let files: Vec<_> = load_dir(dir.path())
            .unwrap()
            .into_iter()
            .map(|o| o.file)
            .collect();
        assert_eq!(files, ["01-a.yaml", "02-b.yaml", "10-c.yaml"]);

        std::fs::write(dir.path().join("03-d.yml"), body).unwrap();
        assert!(load_dir(dir.path()).unwrap_err().message.contains(".yml"));
    }
}
