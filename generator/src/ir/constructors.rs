//! How callers pass a sent struct's required fields to `new`: by position, or by name.
//!
//! Positional arguments are short, but they follow the spec's property order. If two of them accept
//! the same values (two strings, a string and an open enum, an `i64` and an `f64`), a caller can swap
//! them by mistake, and an upstream reorder of the properties moves every existing call's values to
//! other fields while the code still compiles. So a struct whose required fields could take one
//! value in two places is built from a `…Required` struct literal instead, where every value is
//! named; one whose required fields all take different kinds of values keeps `new(a, b)`, since any
//! reorder of those is a compile error. DESIGN.md's "never silently change a caller's meaning" is the
//! rule this implements.

use std::collections::BTreeSet;

use super::Name;
use super::lock::Lock;
use super::types::{Constructor, Presence, Ty, TypeKind, Types};

/// Decides [`Struct::constructor`](super::types::Struct::constructor) for every struct, once usage
/// is known (only types that are sent have `new`). `taken` holds every other type name of the
/// `models` namespace; the `…Required` names are added to it. A name in `lock` is kept.
pub(super) fn decide_constructors(types: &mut Types, taken: &mut BTreeSet<String>, lock: &Lock) {
    for i in 0..types.defs.len() {
        let def = &types.defs[i];
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let decided = if !def.usage.request {
            Constructor::None
        } else {
            let classes: Vec<BTreeSet<String>> = s
                .constructor_fields(def.usage)
                .map(|f| {
                    let accepted = accepts(types, &f.ty, 0);
                    if f.presence(def.usage) == Presence::RequiredNullable {
                        accepted.iter().map(|c| format!("Option<{c}>")).collect()
                    } else {
                        accepted
                    }
                })
                .collect();
            let clash = classes.iter().enumerate().any(|(i, a)| {
                classes[i + 1..]
                    .iter()
                    .any(|b| a.intersection(b).next().is_some())
            });
            if clash {
                let pointer = &def.pointer;
                let free =
                    |name: &str| !taken.contains(name) && !lock.claimed_by_other(name, pointer);
                let base = format!("{}Required", def.name.rust());
                let rust = match lock.required_name(pointer) {
                    Some(locked) if !taken.contains(locked) => locked.to_string(),
                    _ => {
                        let mut rust = base.clone();
                        let mut n = 2;
                        while !free(&rust) {
                            rust = format!("{base}{n}");
                            n += 1;
                        }
                        rust
                    }
                };
                taken.insert(rust.clone());
                Constructor::Named(Name::new(&def.name.wire, rust))
            } else {
                Constructor::Positional
            }
        };
        if let TypeKind::Struct(s) = &mut types.defs[i].kind {
            s.constructor = decided;
        }
    }
}

/// The kinds of value an argument of this type accepts through `impl Into<T>`: two arguments whose
/// sets meet could take the same expression. Over-approximates (a union accepts what any of its
/// variants does), since a by-name constructor is only longer, while a missed clash is a silent swap.
fn accepts(types: &Types, ty: &Ty, depth: usize) -> BTreeSet<String> {
    let one = |s: &str| BTreeSet::from([s.to_string()]);
    // Strings, open enums (`From<&str>`) and dates (built from strings) take a string literal; every
    // integer literal converts into both `i64` and `f64`.
    match ty {
        Ty::String | Ty::DateTime | Ty::Date => one("text"),
        Ty::Integer | Ty::Number => one("number"),
        Ty::Boolean => one("bool"),
        Ty::Any => ["text", "number", "bool", "json"]
            .into_iter()
            .map(String::from)
            .collect(),
        Ty::Object => one("json"),
        Ty::Array(inner) => wrapped(types, "Vec", inner, depth),
        Ty::Map(inner) => wrapped(types, "Map", inner, depth),
        Ty::Optional(inner) => wrapped(types, "Option", inner, depth),
        Ty::Named(id) if depth < types.defs.len() => {
            let def = types.get(*id);
            match &def.kind {
                TypeKind::Alias(inner) => accepts(types, inner, depth + 1),
                TypeKind::Enum(_) => one("text"),
                TypeKind::Struct(_) => one(&def.name.rust()),
                TypeKind::Union(u) => {
                    let mut out = one(&def.name.rust());
                    for v in &u.variants {
                        out.extend(accepts(types, &v.ty, depth + 1));
                    }
                    out
                }
            }
        }
        Ty::Named(id) => one(&types.get(*id).name.rust()),
    }
}

fn wrapped(types: &Types, outer: &str, inner: &Ty, depth: usize) -> BTreeSet<String> {
    accepts(types, inner, depth + 1)
        .into_iter()
        .map(|c| format!("{outer}<{c}>"))
        .collect()
}
