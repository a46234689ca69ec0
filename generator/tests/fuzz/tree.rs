//! Documents as trees of JSON values: the paths to their nodes, the kinds of node a mutation
//! aims at, and the edits (set, delete, rename) the mutations are made of.

use gr4vy_codegen::error::child;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

pub(crate) type NodePath = Vec<Step>;

/// Every node below the root, in document order (parents before children).
pub(crate) fn all_nodes(doc: &Value) -> Vec<NodePath> {
    fn walk(value: &Value, at: &mut NodePath, out: &mut Vec<NodePath>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    at.push(Step::Key(k.clone()));
                    out.push(at.clone());
                    walk(v, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    out.push(at.clone());
                    walk(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out);
    out
}

pub(crate) fn get<'a>(doc: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get(k),
        (Value::Array(items), Step::Index(i)) => items.get(*i),
        _ => None,
    })
}

pub(crate) fn get_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get_mut(k),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

pub(crate) fn pointer(path: &[Step]) -> String {
    path.iter().fold(String::new(), |p, step| match step {
        Step::Key(k) => child(&p, k),
        Step::Index(i) => child(&p, &i.to_string()),
    })
}

/// An RFC 9535 normalized path (`$['paths']['/a'][0]`) to the node.
pub(crate) fn json_path(path: &[Step]) -> String {
    let mut out = String::from("$");
    for step in path {
        match step {
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(k) => {
                out.push_str("['");
                for c in k.chars() {
                    match c {
                        '\'' => out.push_str("\\'"),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push_str("']");
            }
        }
    }
    out
}

pub(crate) fn key(path: &[Step], from_end: usize) -> Option<&str> {
    match path.len().checked_sub(from_end + 1).map(|i| &path[i]) {
        Some(Step::Key(k)) => Some(k),
        _ => None,
    }
}

pub(crate) fn is_key(path: &[Step], from_end: usize, name: &str) -> bool {
    key(path, from_end) == Some(name)
}

pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The nodes of one kind, by where they sit and what they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Any,
    /// A node whose parent is an object (so it has a key).
    Keyed,
    /// An object holding a `$ref`.
    Ref,
    /// Something in a schema position.
    Schema,
    Operation,
    PathItem,
    /// A `properties` map.
    Properties,
    /// An `enum` list.
    Enum,
    Parameter,
    ComponentSchema,
    Response,
    MediaType,
    Server,
}

pub(crate) fn is_schema_position(path: &[Step], value: &Value) -> bool {
    if !value.is_object() {
        return false;
    }
    let holder = |k: usize| key(path, k);
    matches!(
        holder(0),
        Some("schema" | "items" | "additionalProperties" | "propertyNames")
    ) || matches!(holder(1), Some("properties" | "anyOf" | "oneOf" | "allOf"))
        || (path.len() == 3 && is_key(path, 2, "components") && is_key(path, 1, "schemas"))
}

pub(crate) fn nodes_of(doc: &Value, kind: Kind) -> Vec<NodePath> {
    all_nodes(doc)
        .into_iter()
        .filter(|path| {
            let Some(value) = get(doc, path) else {
                return false;
            };
            match kind {
                Kind::Any => true,
                Kind::Keyed => matches!(path.last(), Some(Step::Key(_))),
                Kind::Ref => value.get("$ref").is_some_and(Value::is_string),
                Kind::Schema => is_schema_position(path, value),
                Kind::Operation => {
                    path.len() == 3
                        && is_key(path, 2, "paths")
                        && key(path, 0).is_some_and(|m| METHODS.contains(&m))
                        && value.is_object()
                }
                Kind::PathItem => path.len() == 2 && is_key(path, 1, "paths") && value.is_object(),
                Kind::Properties => is_key(path, 0, "properties") && value.is_object(),
                Kind::Enum => is_key(path, 0, "enum") && value.is_array(),
                Kind::Parameter => {
                    matches!(path.last(), Some(Step::Index(_)))
                        && is_key(path, 1, "parameters")
                        && value.is_object()
                }
                Kind::ComponentSchema => {
                    path.len() == 3 && is_key(path, 2, "components") && is_key(path, 1, "schemas")
                }
                Kind::Response => is_key(path, 1, "responses"),
                Kind::MediaType => is_key(path, 1, "content"),
                Kind::Server => path.len() == 2 && is_key(path, 1, "servers"),
            }
        })
        .collect()
}

pub(crate) fn pick(doc: &Value, kind: Kind, index: usize) -> Option<NodePath> {
    let nodes = nodes_of(doc, kind);
    (!nodes.is_empty()).then(|| nodes[index % nodes.len()].clone())
}

pub(crate) fn delete(doc: &mut Value, path: &[Step]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match (get_mut(doc, parent), last) {
        (Some(Value::Object(map)), Step::Key(k)) => map.shift_remove(k).is_some(),
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
}

/// Renames the key at `path` in place (a clash replaces the other key's value).
pub(crate) fn rename(doc: &mut Value, path: &[Step], to: &str) -> bool {
    let Some((Step::Key(from), parent)) = path.split_last() else {
        return false;
    };
    let Some(Value::Object(map)) = get_mut(doc, parent) else {
        return false;
    };
    let old = std::mem::take(map);
    for (k, v) in old {
        if k == *from {
            map.insert(to.to_owned(), v);
        } else if k != to || !map.contains_key(to) {
            map.insert(k, v);
        }
    }
    true
}

/// Sets `key` on the object at `path` (keeping its place if present).
pub(crate) fn set(doc: &mut Value, path: &[Step], key: &str, value: Value) -> bool {
    match get_mut(doc, path) {
        Some(Value::Object(map)) => {
            map.insert(key.to_owned(), value);
            true
        }
        _ => false,
    }
}

pub(crate) fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{}", &child("", name)[1..])
}
