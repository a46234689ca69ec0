//! A compact, reviewable description of the IR's types: one entry per type, one line per field.
//! Snapshotted for the full spec, so a spec or generator change reads as a short diff.

use indexmap::IndexMap;
use serde::Serialize;

use super::Api;
use super::rust_type::{Printer, Root};
use super::types::{Constructor, Discriminant, Presence, TypeKind};

/// One type, as the snapshot shows it.
#[derive(Debug, Serialize)]
pub struct TypeEntry {
    pub kind: &'static str,
    /// `request`, `response` or `request+response`.
    pub usage: String,
    /// Resource groups reaching the type, comma-separated.
    pub groups: String,
    pub from: String,
    /// `wire_name: RustType (presence) [as rust_name]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// How `new` takes the required fields: `(a, b)` or `by name: FooRequired`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// A union's accessor of the resource every variant holds: `transaction() -> Transaction`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessor: Option<String>,
}

/// Describes every type, keyed by Rust name, in arena order.
pub fn describe(api: &Api) -> IndexMap<String, TypeEntry> {
    let types = &api.types;
    let mut out = IndexMap::new();
    for def in types.iter() {
        let usage = match (def.usage.request, def.usage.response) {
            (true, true) => "request+response",
            (true, false) => "request",
            (false, true) => "response",
            (false, false) => "unused",
        };
        let mut entry = TypeEntry {
            kind: "",
            usage: usage.to_string(),
            groups: if def.always {
                "always (an error body)".to_string()
            } else {
                def.groups.iter().cloned().collect::<Vec<_>>().join(", ")
            },
            from: def.pointer.clone(),
            fields: Vec::new(),
            new: None,
            tag: None,
            variants: Vec::new(),
            alias: None,
            accessor: None,
        };
        match &def.kind {
            TypeKind::Struct(s) => {
                entry.kind = "struct";
                let args = || {
                    let names: Vec<String> = s
                        .constructor_fields(def.usage)
                        .map(|f| f.name.rust())
                        .collect();
                    names.join(", ")
                };
                entry.new = match &s.constructor {
                    Constructor::None => None,
                    Constructor::Positional => Some(format!("({})", args())),
                    Constructor::Named(n) => {
                        Some(format!("by name: {} {{ {} }}", n.rust(), args()))
                    }
                };
                for f in &s.fields {
                    let mut line = format!("{}: ", f.name.wire);
                    if let Some(c) = &f.constant {
                        line.push_str(&format!("const {c}"));
                    } else {
                        let ty = Printer::new(types, Root::Short)
                            .boxed(&f.ty, f.boxed)
                            .to_string();
                        line.push_str(&match f.presence(def.usage) {
                            Presence::Required => ty,
                            Presence::RequiredNullable => format!("{ty} (required, nullable)"),
                            Presence::Optional => format!("{ty} (optional)"),
                            Presence::OptionalNullable => format!("{ty} (optional, nullable)"),
                        });
                        if let Some(value) = &f.default {
                            line.push_str(&format!(" (default {})", value.to_json()));
                        }
                    }
                    if f.name.bare != f.name.wire {
                        line.push_str(&format!(" as {}", f.name.rust()));
                    }
                    if let Some(kind) = f.sensitive {
                        line.push_str(&format!(" [sensitive: {}]", kind.label()));
                    }
                    entry.fields.push(line);
                }
                if let Some(e) = &s.extra {
                    let ty = Printer::new(types, Root::Short).ty(&e.ty).to_string();
                    let mut line = format!("(other keys): {ty} as {}", e.name.rust());
                    if let Some(kind) = e.sensitive {
                        line.push_str(&format!(" [sensitive: {}]", kind.label()));
                    }
                    entry.fields.push(line);
                }
            }
            TypeKind::Enum(e) => {
                entry.kind = "enum";
                entry.variants = e
                    .variants
                    .iter()
                    .map(|v| format!("{} = {:?}", v.name.rust(), v.name.wire))
                    .collect();
            }
            TypeKind::Union(u) => {
                entry.kind = "union";
                entry.accessor = u.resource.as_ref().map(|r| {
                    format!(
                        "{}() -> {}",
                        r.getter.rust(),
                        types.get(r.resource).name.rust()
                    )
                });
                entry.tag = Some(match &u.discriminant {
                    Discriminant::Tag { property } => format!("by property `{property}`"),
                    Discriminant::BestFit => "best fit".to_string(),
                });
                entry.variants = u
                    .variants
                    .iter()
                    .map(|v| {
                        let ty = Printer::new(types, Root::Short)
                            .boxed(&v.ty, v.boxed)
                            .to_string();
                        if v.tags.is_empty() {
                            format!("{}({ty})", v.name.rust())
                        } else {
                            format!("{}({ty}) when {:?}", v.name.rust(), v.tags)
                        }
                    })
                    .collect();
            }
            TypeKind::Alias(ty) => {
                entry.kind = "alias";
                entry.alias = Some(Printer::new(types, Root::Short).ty(ty).to_string());
            }
        }
        out.insert(def.name.rust(), entry);
    }
    out
}

/// Every field whose `Debug` is redacted, and every union that hides a payload it could not decode
/// because a variant holds such a field: what the rules of `ir/sensitive.rs` decided for a spec,
/// in one list, so that a spec change adding card data or a credential reads as a line here.
#[derive(Debug, Serialize)]
pub struct SensitiveEntries {
    /// `Type.wire_name` -> kind, in arena and field order.
    pub fields: IndexMap<String, &'static str>,
    /// Unions whose `Unknown` payload `Debug` does not show.
    pub unions_hiding_unknown: Vec<String>,
}

/// Lists what the sensitivity rules marked in `api`.
pub fn sensitive(api: &Api) -> SensitiveEntries {
    let types = &api.types;
    let mut out = SensitiveEntries {
        fields: IndexMap::new(),
        unions_hiding_unknown: Vec::new(),
    };
    for def in types.iter() {
        match &def.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    if let Some(kind) = f.sensitive {
                        out.fields
                            .insert(format!("{}.{}", def.name.rust(), f.name.wire), kind.label());
                    }
                }
            }
            TypeKind::Union(_) if types.holds_sensitive(def.id) => {
                out.unions_hiding_unknown.push(def.name.rust());
            }
            _ => {}
        }
    }
    out
}
