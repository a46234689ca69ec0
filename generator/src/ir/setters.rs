//! The builder methods of request structs: a setter per optional field and a `clear_` method per
//! field that may be sent as `null`.
//!
//! Names are chosen once the types' usage is known (only types that are sent have them), first
//! every setter (a field's own name), then the `clear_` methods, so that a field's setter keeps its
//! name whatever order the properties come in. The API surface records both, so the changelog sees
//! a method renamed by a new field.

use std::collections::BTreeSet;

use super::Name;
use super::types::{Presence, TypeKind, Types};

/// Method names every struct already has (inherent or from derived traits): never a setter.
const TAKEN: [&str; 13] = [
    "new",
    "default",
    "clone",
    "from",
    "into",
    "eq",
    "ne",
    "fmt",
    "hash",
    "serialize",
    "deserialize",
    "to_owned",
    "to_string",
];

/// Fills in [`Field::setter`](super::types::Field::setter) and
/// [`Field::clear`](super::types::Field::clear) for every struct.
pub(super) fn name_setters(types: &mut Types) {
    for def in &mut types.defs {
        let usage = def.usage;
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        if !usage.request {
            continue;
        }
        let mut used: BTreeSet<String> = TAKEN.iter().map(|m| m.to_string()).collect();
        let presences: Vec<Option<Presence>> = s
            .fields
            .iter()
            .map(|f| f.constant.is_none().then(|| f.presence(usage)))
            .collect();
        for (f, p) in s.fields.iter_mut().zip(&presences) {
            f.setter =
                matches!(p, Some(Presence::Optional | Presence::OptionalNullable)).then(|| {
                    let chosen = choose(&mut used, &f.name.bare, &format!("with_{}", f.name.bare));
                    renamed(&f.name, chosen)
                });
        }
        for (f, p) in s.fields.iter_mut().zip(&presences) {
            f.clear = matches!(p, Some(Presence::OptionalNullable)).then(|| {
                let bare = &f.name.bare;
                let chosen = choose(
                    &mut used,
                    &format!("clear_{bare}"),
                    &format!("set_{bare}_null"),
                );
                renamed(&f.name, chosen)
            });
        }
    }
}

/// `name` with the Rust identifier `chosen` (kept raw if it is the field's own keyword name).
fn renamed(name: &Name, chosen: String) -> Name {
    let mut out = name.clone();
    if chosen != name.bare {
        out.set_rust(chosen);
    }
    out
}

/// The first free name of `wanted`, `fallback`, `fallback_2`, ...; it is then taken.
fn choose(used: &mut BTreeSet<String>, wanted: &str, fallback: &str) -> String {
    let mut candidate = wanted.to_string();
    if used.contains(&candidate) {
        candidate = fallback.to_string();
    }
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{fallback}_{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}
