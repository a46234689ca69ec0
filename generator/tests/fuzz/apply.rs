//! Carrying out a [`Mutation`] on a document; each returns a line for the log of a failing case.

use serde_json::{Value, json};

use crate::keywords::*;
use crate::mutations::*;
use crate::tree::*;

/// Applies one mutation; returns what it did (with JSON pointers), for the failure report.
pub(crate) fn apply(doc: &mut Value, m: &Mutation) -> String {
    let skipped = |what: &str| format!("(skipped: no {what})");
    match m {
        Mutation::Delete { node } => match pick(doc, Kind::Any, *node) {
            Some(p) => {
                delete(doc, &p);
                format!("delete {}", pointer(&p))
            }
            None => skipped("node"),
        },
        Mutation::Replace { node, with } => match pick(doc, Kind::Any, *node) {
            Some(p) => {
                if let Some(slot) = get_mut(doc, &p) {
                    *slot = with.value();
                }
                format!("replace {} with {}", pointer(&p), with.value())
            }
            None => skipped("node"),
        },
        Mutation::RenameKey { node, to } => match pick(doc, Kind::Keyed, *node) {
            Some(p) => {
                rename(doc, &p, to);
                format!("rename {} to {to:?}", pointer(&p))
            }
            None => skipped("key"),
        },
        Mutation::Copy { from, to } => {
            match (pick(doc, Kind::Any, *from), pick(doc, Kind::Any, *to)) {
                (Some(f), Some(t)) => {
                    let value = get(doc, &f).cloned().unwrap_or(Value::Null);
                    if let Some(slot) = get_mut(doc, &t) {
                        *slot = value;
                    }
                    format!("copy {} over {}", pointer(&f), pointer(&t))
                }
                _ => skipped("node"),
            }
        }
        Mutation::Ref { node, to } => {
            let Some(p) = pick(doc, Kind::Ref, *node) else {
                return skipped("$ref");
            };
            let components = nodes_of(doc, Kind::ComponentSchema);
            let name_of = |c: &NodePath| key(c, 0).unwrap_or_default().to_owned();
            let target = match to {
                RefTarget::Dangling => schema_ref("DoesNotExist"),
                RefTarget::Odd(r) => (*r).to_owned(),
                RefTarget::Other(i) if !components.is_empty() => {
                    schema_ref(&name_of(&components[i % components.len()]))
                }
                RefTarget::Other(_) => schema_ref("NoComponents"),
                RefTarget::ItSelf => {
                    let inside = components.iter().find(|c| p.starts_with(c));
                    match (inside, components.first()) {
                        (Some(c), _) => schema_ref(&name_of(c)),
                        (None, Some(c)) => {
                            // A component that is nothing but a reference to itself.
                            let r = schema_ref(&name_of(c));
                            if let Some(slot) = get_mut(doc, c) {
                                *slot = json!({ "$ref": r });
                            }
                            r
                        }
                        (None, None) => schema_ref("NoComponents"),
                    }
                }
            };
            set(doc, &p, "$ref", json!(target));
            format!("set {}/$ref to {target:?}", pointer(&p))
        }
        Mutation::DuplicateOperationId { from, to } => {
            let ops = nodes_of(doc, Kind::Operation);
            if ops.len() < 2 {
                return skipped("two operations");
            }
            let f = &ops[from % ops.len()];
            let mut t = &ops[to % ops.len()];
            if t == f {
                t = &ops[(to + 1) % ops.len()];
            }
            let id = get(doc, f)
                .and_then(|o| o.get("operationId"))
                .cloned()
                .unwrap_or(json!("duplicate"));
            set(doc, f, "operationId", id.clone());
            set(doc, t, "operationId", id.clone());
            format!("operationId {id} on {} and {}", pointer(f), pointer(t))
        }
        Mutation::Name { site, node, name } => name_at(doc, *site, *node, name),
        Mutation::Keyword {
            site,
            node,
            keyword,
            value,
        } => {
            let table = keywords(*site);
            let (k, values) = &table[keyword % table.len()];
            let v = values[value % values.len()].clone();
            let at = match site {
                KeywordSite::Schema => pick(doc, Kind::Schema, *node),
                KeywordSite::Parameter => pick(doc, Kind::Parameter, *node),
                KeywordSite::Operation => pick(doc, Kind::Operation, *node),
                KeywordSite::Response => pick(doc, Kind::Response, *node),
                KeywordSite::Root => Some(Vec::new()),
            };
            match at {
                Some(p) => {
                    set(doc, &p, k, v.clone());
                    let shown: String = v.to_string().chars().take(200).collect();
                    format!("set {}/{k} to {shown}", pointer(&p))
                }
                None => skipped("place for the keyword"),
            }
        }
        Mutation::SetType { node, to } => match pick(doc, Kind::Schema, *node) {
            Some(p) => {
                let value = type_value(*to);
                set(doc, &p, "type", value.clone());
                format!("set {}/type to {value}", pointer(&p))
            }
            None => skipped("schema"),
        },
        Mutation::WrapNull {
            node,
            with,
            null_first,
        } => match pick(doc, Kind::Schema, *node) {
            Some(p) => {
                let keyword = match with {
                    Combinator::AnyOf => "anyOf",
                    Combinator::OneOf => "oneOf",
                };
                if let Some(slot) = get_mut(doc, &p) {
                    let inner = slot.take();
                    let null = json!({"type": "null"});
                    let items = if *null_first {
                        vec![null, inner]
                    } else {
                        vec![inner, null]
                    };
                    *slot = json!({ keyword: items });
                }
                format!("wrap {} in {keyword} with null", pointer(&p))
            }
            None => skipped("schema"),
        },
        Mutation::Extension { node, which, value } => {
            let kind = match which {
                Extension::Pagination | Extension::Retries | Extension::NameOverride => {
                    Kind::Operation
                }
                Extension::Ignore => {
                    if node % 2 == 0 {
                        Kind::Operation
                    } else {
                        Kind::Schema
                    }
                }
                Extension::UnknownValues => Kind::Schema,
                Extension::Globals => {
                    let v = extension_value(*which, *value, doc);
                    if let Some(Value::Object(map)) = Some(&mut *doc) {
                        map.insert("x-speakeasy-globals".into(), v.clone());
                    }
                    return format!("set /x-speakeasy-globals to {v}");
                }
            };
            match pick(doc, kind, *node) {
                Some(p) => {
                    let v = extension_value(*which, *value, doc);
                    let k = extension_key(*which);
                    set(doc, &p, k, v.clone());
                    format!("set {}/{k} to {v}", pointer(&p))
                }
                None => skipped("place for the extension"),
            }
        }
        Mutation::Nest { node, depth, how } => {
            let kind = match how {
                Nesting::Plain | Nesting::List => Kind::Any,
                _ => Kind::Schema,
            };
            match pick(doc, kind, *node) {
                Some(p) => {
                    if let Some(slot) = get_mut(doc, &p) {
                        let mut inner = slot.take();
                        for _ in 0..*depth {
                            inner = match how {
                                Nesting::ArrayItems => json!({"type": "array", "items": inner}),
                                Nesting::AnyOf => json!({"anyOf": [inner, {"type": "string"}]}),
                                Nesting::Property => {
                                    json!({"type": "object", "properties": {"a": inner}})
                                }
                                Nesting::Map => {
                                    json!({"type": "object", "additionalProperties": inner})
                                }
                                Nesting::Plain => json!({ "a": inner }),
                                Nesting::List => json!([inner]),
                            };
                        }
                        *slot = inner;
                    }
                    format!("nest {} {depth} levels deep ({how:?})", pointer(&p))
                }
                None => skipped("node"),
            }
        }
    }
}

pub(crate) fn name_at(doc: &mut Value, site: NameSite, node: usize, name: &str) -> String {
    let skipped = |what: &str| format!("(skipped: no {what})");
    let set_key = |doc: &mut Value, kind: Kind, key: &str| match pick(doc, kind, node) {
        Some(p) => {
            set(doc, &p, key, json!(name));
            format!("set {}/{key} to {name:?}", pointer(&p))
        }
        None => skipped(key),
    };
    let rename_at = |doc: &mut Value, kind: Kind| match pick(doc, kind, node) {
        Some(p) => {
            rename(doc, &p, name);
            format!("rename {} to {name:?}", pointer(&p))
        }
        None => skipped("node to rename"),
    };
    match site {
        NameSite::Property { required } => {
            let Some(p) = pick(doc, Kind::Properties, node) else {
                return skipped("properties");
            };
            set(doc, &p, name, json!({"type": "string"}));
            if required {
                let parent = &p[..p.len() - 1];
                if let Some(Value::Object(schema)) = get_mut(doc, parent) {
                    match schema.entry("required").or_insert_with(|| json!([])) {
                        Value::Array(list) => list.push(json!(name)),
                        other => *other = json!([name]),
                    }
                }
            }
            format!(
                "add property {name:?} to {} (required: {required})",
                pointer(&p)
            )
        }
        NameSite::RenameProperty => {
            let props: Vec<NodePath> = nodes_of(doc, Kind::Keyed)
                .into_iter()
                .filter(|p| is_key(p, 1, "properties"))
                .collect();
            if props.is_empty() {
                return skipped("property");
            }
            let p = props[node % props.len()].clone();
            rename(doc, &p, name);
            format!("rename property {} to {name:?}", pointer(&p))
        }
        NameSite::EnumValue => match pick(doc, Kind::Enum, node) {
            Some(p) => {
                if let Some(Value::Array(values)) = get_mut(doc, &p) {
                    values.push(json!(name));
                }
                format!("add {name:?} to {}", pointer(&p))
            }
            None => skipped("enum"),
        },
        NameSite::OperationId => set_key(doc, Kind::Operation, "operationId"),
        NameSite::Group => set_key(doc, Kind::Operation, "x-speakeasy-group"),
        NameSite::OperationNameOverride => {
            set_key(doc, Kind::Operation, "x-speakeasy-name-override")
        }
        NameSite::SchemaNameOverride => set_key(doc, Kind::Schema, "x-speakeasy-name-override"),
        NameSite::ParameterName => set_key(doc, Kind::Parameter, "name"),
        NameSite::ServerId => set_key(doc, Kind::Server, "x-speakeasy-server-id"),
        NameSite::Tag => match pick(doc, Kind::Operation, node) {
            Some(p) => {
                set(doc, &p, "tags", json!([name]));
                format!("set {}/tags to [{name:?}]", pointer(&p))
            }
            None => skipped("operation"),
        },
        NameSite::SchemaName => {
            let Some(p) = pick(doc, Kind::ComponentSchema, node) else {
                return skipped("component schema");
            };
            let old = schema_ref(key(&p, 0).unwrap_or_default());
            let new = schema_ref(name);
            rename(doc, &p, name);
            for r in nodes_of(doc, Kind::Ref) {
                if get(doc, &r).and_then(|v| v.get("$ref")) == Some(&json!(old)) {
                    set(doc, &r, "$ref", json!(new));
                }
            }
            format!(
                "rename component {} to {name:?} with its references",
                pointer(&p)
            )
        }
        NameSite::ServerVariable => {
            let vars: Vec<NodePath> = nodes_of(doc, Kind::Keyed)
                .into_iter()
                .filter(|p| p.len() == 4 && is_key(p, 3, "servers") && is_key(p, 1, "variables"))
                .collect();
            if vars.is_empty() {
                return skipped("server variable");
            }
            let p = vars[node % vars.len()].clone();
            let old = key(&p, 0).unwrap_or_default().to_owned();
            rename(doc, &p, name);
            // Also in the URL, so that the variable stays in use.
            let url = [&p[..2], &[Step::Key("url".into())]].concat();
            if let Some(Value::String(u)) = get_mut(doc, &url) {
                *u = u.replace(&format!("{{{old}}}"), &format!("{{{name}}}"));
            }
            format!("rename server variable {} to {name:?}", pointer(&p))
        }
        NameSite::Status => rename_at(doc, Kind::Response),
        NameSite::ContentType => rename_at(doc, Kind::MediaType),
        NameSite::PathTemplate => {
            let Some(p) = pick(doc, Kind::PathItem, node) else {
                return skipped("path");
            };
            let old = key(&p, 0).unwrap_or_default().to_owned();
            let new = match node % 4 {
                0 => name.to_owned(),
                1 => format!("/{name}"),
                2 => format!("{old}/{{{name}}}"),
                _ => format!("/x/{{{name}}}/{{{name}}}"),
            };
            rename(doc, &p, &new);
            format!("rename path {} to {new:?}", pointer(&p))
        }
    }
}
