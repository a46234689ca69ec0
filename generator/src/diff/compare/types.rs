//! Model types: added, removed or renamed, and per type its kind, constructor, fields, values,
//! variants or alias target.

use std::collections::BTreeSet;

use super::{Entries, show};
use crate::diff::report::{Effect, Kind};
use crate::diff::surface::{
    ExtraSurface, FieldSurface, KindSurface, Surface, TypeSurface, UsageSurface,
};

/// The resource of a type: its one group, else `shared`.
fn type_resource(t: &TypeSurface) -> String {
    match (t.groups.len(), t.groups.first()) {
        (1, Some(group)) => group.clone(),
        _ => "shared".to_string(),
    }
}

/// `Rust` or `Rust` (spec `wire`).
fn type_label(wire: &str, t: &TypeSurface) -> String {
    if crate::ir::names::unraw(&t.rust_name) == wire {
        format!("`{}`", t.rust_name)
    } else {
        format!("`{}` (spec `{wire}`)", t.rust_name)
    }
}

/// A type's shape, for spotting renames: the kind without pointers, and the usage.
fn shape(t: &TypeSurface) -> (UsageSurface, KindSurface) {
    let mut kind = t.kind.clone();
    if let KindSurface::Struct { fields, extra, .. } = &mut kind {
        for f in fields.values_mut() {
            f.pointer.clear();
        }
        if let Some(e) = extra {
            e.pointer.clear();
        }
    }
    (t.usage, kind)
}

pub(super) fn diff_types(old: &Surface, new: &Surface, out: &mut Entries) {
    let removed: Vec<&String> = old
        .types
        .keys()
        .filter(|k| !new.types.contains_key(*k))
        .collect();
    let added: Vec<&String> = new
        .types
        .keys()
        .filter(|k| !old.types.contains_key(*k))
        .collect();
    let mut pairs: Vec<(&String, &String)> = Vec::new();
    let mut taken: BTreeSet<&String> = BTreeSet::new();
    let mut matched: BTreeSet<&String> = BTreeSet::new();
    // Same Rust name under another spec name: the same type to callers.
    for r in &removed {
        if let Some(a) = added
            .iter()
            .find(|a| !taken.contains(**a) && new.types[**a].rust_name == old.types[*r].rust_name)
        {
            taken.insert(a);
            matched.insert(r);
            pairs.push((r, a));
        }
    }
    // Identical shape under another name: renamed.
    let mut renamed: Vec<(&String, &String)> = Vec::new();
    for r in &removed {
        if matched.contains(*r) {
            continue;
        }
        let wanted = shape(&old.types[*r]);
        if let Some(a) = added
            .iter()
            .find(|a| !taken.contains(**a) && shape(&new.types[**a]) == wanted)
        {
            taken.insert(a);
            matched.insert(r);
            renamed.push((r, a));
        }
    }
    for r in &removed {
        if matched.contains(*r) {
            continue;
        }
        let t = &old.types[*r];
        out.push(
            Kind::TypeRemoved,
            &type_resource(t),
            &t.pointer,
            Effect::Breaking,
            format!("Removed type {}.", type_label(r, t)),
        );
    }
    for a in &added {
        if taken.contains(*a) {
            continue;
        }
        let t = &new.types[*a];
        out.push(
            Kind::TypeAdded,
            &type_resource(t),
            &t.pointer,
            Effect::Additive,
            format!("New type {}.", type_label(a, t)),
        );
    }
    for (r, a) in renamed {
        let (o, n) = (&old.types[r], &new.types[a]);
        out.push(
            Kind::TypeRenamed,
            &type_resource(n),
            &n.pointer,
            Effect::Breaking,
            format!(
                "Type {} is renamed {}; its shape is unchanged.",
                type_label(r, o),
                type_label(a, n)
            ),
        );
    }
    for (r, a) in pairs {
        let (o, n) = (&old.types[r], &new.types[a]);
        out.push(
            Kind::TypeRenamed,
            &type_resource(n),
            &n.pointer,
            Effect::None,
            format!(
                "The spec renames `{r}` to `{a}`; the Rust type `{}` keeps its name.",
                n.rust_name
            ),
        );
        diff_type(a, o, n, out);
    }
    for (wire, n) in &new.types {
        if let Some(o) = old.types.get(wire) {
            diff_type(wire, o, n, out);
        }
    }
}

fn diff_type(wire: &str, o: &TypeSurface, n: &TypeSurface, out: &mut Entries) {
    let res = type_resource(n);
    let label = type_label(wire, n);
    let at = n.pointer.as_str();
    if o.rust_name != n.rust_name {
        out.push(
            Kind::TypeRenamed,
            &res,
            at,
            Effect::Breaking,
            format!(
                "The Rust type `{}` is renamed `{}` (spec `{wire}`).",
                o.rust_name, n.rust_name
            ),
        );
    }
    match (&o.kind, &n.kind) {
        (
            KindSurface::Struct {
                fields: of,
                constructor: oc,
                required_struct: ors,
                derives_default: od,
                extra: oe,
            },
            KindSurface::Struct {
                fields: nf,
                constructor: nc,
                required_struct: nrs,
                derives_default: nd,
                extra: ne,
            },
        ) => {
            diff_extra(&res, &label, at, oe.as_ref(), ne.as_ref(), out);
            match (oc, nc) {
                (None, Some(_)) => out.push(
                    Kind::TypeNowSent,
                    &res,
                    at,
                    Effect::Additive,
                    format!("{label} is now sent in requests: it gains `new` and setters."),
                ),
                (Some(_), None) => out.push(
                    Kind::TypeNoLongerSent,
                    &res,
                    at,
                    Effect::Breaking,
                    format!(
                        "{label} is no longer sent in requests: `new` and its setters are gone."
                    ),
                ),
                (Some(_), Some(b)) if ors != nrs => {
                    let now = match nrs {
                        Some(r) => format!(
                            "takes its required fields by name, `new({r} {{ {} }})`",
                            b.join(", ")
                        ),
                        None => format!("takes positional arguments, `new({})`", b.join(", ")),
                    };
                    let was = match ors {
                        Some(r) => format!("`new({r} {{ .. }})`"),
                        None => "positional arguments".to_string(),
                    };
                    out.push(
                        Kind::ConstructorStyleChanged,
                        &res,
                        at,
                        Effect::Breaking,
                        format!("{label}: `new` now {now} (was {was})."),
                    );
                }
                // By name, the order of the fields is not part of the call.
                (Some(_), Some(_)) if nrs.is_some() => {}
                (Some(a), Some(b)) if a != b => {
                    let (mut x, mut y) = (a.clone(), b.clone());
                    x.sort();
                    y.sort();
                    if x == y {
                        out.push(
                            Kind::ConstructorReordered,
                            &res,
                            at,
                            Effect::Breaking,
                            format!(
                                "{label}: `new` takes its arguments in another order, `({})` (was `({})`).",
                                b.join(", "),
                                a.join(", ")
                            ),
                        );
                    }
                }
                _ => {}
            }
            match (od, nd) {
                (true, false) => out.push(
                    Kind::DefaultRemoved,
                    &res,
                    at,
                    Effect::Breaking,
                    format!(
                        "{label} no longer implements `Default` (it now has a required field)."
                    ),
                ),
                (false, true) => out.push(
                    Kind::DefaultAdded,
                    &res,
                    at,
                    Effect::Additive,
                    format!("{label} now implements `Default` (it has no required field left)."),
                ),
                _ => {}
            }
            for (name, f) in of {
                if !nf.contains_key(name) {
                    out.push(
                        Kind::FieldRemoved,
                        &res,
                        &f.pointer,
                        Effect::Breaking,
                        format!(
                            "{label}: removed field {} (was `{}`).",
                            field_label(name, f),
                            show(&f.rust_type)
                        ),
                    );
                }
            }
            for (name, f) in nf {
                match of.get(name) {
                    None => {
                        let (effect, what): (Effect, String) = if f.constant {
                            (Effect::Additive, "a constant the SDK fills in".into())
                        } else if !n.usage.request {
                            (Effect::Additive, "on a type only received".into())
                        } else if nc.as_ref().is_some_and(|c| c.contains(&f.rust_name)) {
                            match nrs {
                                Some(r) => (
                                    Effect::Breaking,
                                    format!("required, so a new field of `{r}`"),
                                ),
                                None => (
                                    Effect::Breaking,
                                    "required, so a new argument of `new`".into(),
                                ),
                            }
                        } else {
                            (Effect::Additive, "optional, with a setter".into())
                        };
                        out.push(
                            Kind::FieldAdded,
                            &res,
                            &f.pointer,
                            effect,
                            format!(
                                "{label}: new field {}: `{}`, {what}.",
                                field_label(name, f),
                                show(&f.rust_type)
                            ),
                        );
                    }
                    Some(old_field) => diff_field(&res, &label, name, old_field, f, out),
                }
            }
        }
        (KindSurface::Enum { values: ov }, KindSurface::Enum { values: nv }) => {
            for v in ov.difference(nv) {
                out.push(
                    Kind::EnumValueRemoved,
                    &res,
                    at,
                    Effect::Breaking,
                    format!("{label}: removed value `{v:?}`."),
                );
            }
            for v in nv.difference(ov) {
                out.push(
                    Kind::EnumValueAdded,
                    &res,
                    at,
                    Effect::Additive,
                    format!("{label}: new value `{v:?}`."),
                );
            }
        }
        (
            KindSurface::Union {
                variants: ov,
                resource_accessor: oa,
            },
            KindSurface::Union {
                variants: nv,
                resource_accessor: na,
            },
        ) => {
            match (oa, na) {
                (None, Some(a)) => out.push(
                    Kind::AccessorAdded,
                    &res,
                    at,
                    Effect::Additive,
                    format!(
                        "{label} gains `{a}()` and `into_{}()`, returning the resource whichever variant arrived.",
                        crate::ir::names::unraw(a)
                    ),
                ),
                (Some(a), None) => out.push(
                    Kind::AccessorRemoved,
                    &res,
                    at,
                    Effect::Breaking,
                    format!(
                        "{label} loses `{a}()` and `into_{}()`: its variants no longer all hold one resource.",
                        crate::ir::names::unraw(a)
                    ),
                ),
                (Some(a), Some(b)) if a != b => out.push(
                    Kind::AccessorRemoved,
                    &res,
                    at,
                    Effect::Breaking,
                    format!(
                        "{label}: the resource accessor is now `{b}()` (was `{a}()`), as it holds another resource."
                    ),
                ),
                _ => {}
            }
            for (v, ty) in ov {
                match nv.get(v) {
                    None => out.push(
                        Kind::VariantRemoved,
                        &res,
                        at,
                        Effect::Breaking,
                        format!("{label}: removed variant `{v}({})`.", show(ty)),
                    ),
                    Some(nty) if nty != ty => out.push(
                        Kind::VariantRetyped,
                        &res,
                        at,
                        Effect::Breaking,
                        format!(
                            "{label}: variant `{v}` now holds `{}` (was `{}`).",
                            show(nty),
                            show(ty)
                        ),
                    ),
                    Some(_) => {}
                }
            }
            for (v, ty) in nv {
                if !ov.contains_key(v) {
                    out.push(
                        Kind::VariantAdded,
                        &res,
                        at,
                        Effect::Additive,
                        format!("{label}: new variant `{v}({})`.", show(ty)),
                    );
                }
            }
        }
        (KindSurface::Alias { target: a }, KindSurface::Alias { target: b }) => {
            if a != b {
                out.push(
                    Kind::AliasRetyped,
                    &res,
                    at,
                    Effect::Breaking,
                    format!("{label} now stands for `{}` (was `{}`).", show(b), show(a)),
                );
            }
        }
        (a, b) => out.push(
            Kind::TypeKindChanged,
            &res,
            at,
            Effect::Breaking,
            format!("{label} is now {} (was {}).", kind_name(b), kind_name(a)),
        ),
    }
}

/// The map of other keys (`additionalProperties`) appearing, going or changing type. It is a field
/// like the others to callers: a new one is additive (the structs are `#[non_exhaustive]`), a
/// removed or retyped one breaks code that reads it.
fn diff_extra(
    res: &str,
    label: &str,
    at: &str,
    o: Option<&ExtraSurface>,
    n: Option<&ExtraSurface>,
    out: &mut Entries,
) {
    match (o, n) {
        (None, Some(n)) => out.push(
            Kind::FieldAdded,
            res,
            &n.pointer,
            Effect::Additive,
            format!(
                "{label}: new field `{}`: `{}`, the properties the spec does not name (`additionalProperties`).",
                n.rust_name,
                show(&n.rust_type)
            ),
        ),
        (Some(o), None) => out.push(
            Kind::FieldRemoved,
            res,
            at,
            Effect::Breaking,
            format!(
                "{label}: removed field `{}` (was `{}`), the properties the spec does not name; they are \
                 now skipped when decoding.",
                o.rust_name,
                show(&o.rust_type)
            ),
        ),
        (Some(o), Some(n)) if o.rust_type != n.rust_type || o.rust_name != n.rust_name => out.push(
            if o.rust_name != n.rust_name {
                Kind::FieldRenamed
            } else {
                Kind::FieldRetyped
            },
            res,
            &n.pointer,
            Effect::Breaking,
            format!(
                "{label}: the map of the properties the spec does not name is now `{}`: `{}` (was `{}`: `{}`).",
                n.rust_name,
                show(&n.rust_type),
                o.rust_name,
                show(&o.rust_type)
            ),
        ),
        _ => {}
    }
}

/// `rust` or `rust` (spec `wire`).
fn field_label(wire: &str, f: &FieldSurface) -> String {
    if crate::ir::names::unraw(&f.rust_name) == wire {
        format!("`{wire}`")
    } else {
        format!("`{}` (spec `{wire}`)", f.rust_name)
    }
}

fn kind_name(k: &KindSurface) -> &'static str {
    match k {
        KindSurface::Struct { .. } => "a struct",
        KindSurface::Enum { .. } => "an enum",
        KindSurface::Union { .. } => "a union",
        KindSurface::Alias { .. } => "a type alias",
    }
}

fn diff_field(
    res: &str,
    label: &str,
    name: &str,
    o: &FieldSurface,
    f: &FieldSurface,
    out: &mut Entries,
) {
    // A method that kept its field but changed its name: code calling it stops compiling. (Both
    // sides must have one: a setter that appears or goes comes with a change of the field's type
    // or of the type's usage, reported there.)
    for (what, old, new) in [
        ("setter", &o.setter, &f.setter),
        ("clear method", &o.clear, &f.clear),
    ] {
        if let (Some(old), Some(new)) = (old, new)
            && old != new
        {
            out.push(
                Kind::SetterRenamed,
                res,
                &f.pointer,
                Effect::Breaking,
                format!(
                    "{label}: the {what} of field {} is now `.{new}()`, was `.{old}()`.",
                    field_label(name, f)
                ),
            );
        }
    }
    let same_but_type = o.rust_name == f.rust_name
        && o.required == f.required
        && o.nullable == f.nullable
        && o.constant == f.constant;
    if o.default != f.default {
        diff_default(res, label, name, o, f, out);
        // The default explains the change of type (`Option<T>` and `T`): one entry says it all.
        if same_but_type {
            return;
        }
    }
    if o.rust_type == f.rust_type && same_but_type {
        return;
    }
    let effect = if o.rust_type == f.rust_type && o.rust_name == f.rust_name {
        Effect::None
    } else {
        Effect::Breaking
    };
    let kind = if o.rust_name != f.rust_name {
        Kind::FieldRenamed
    } else if o.required != f.required {
        if f.required {
            Kind::FieldMadeRequired
        } else {
            Kind::FieldMadeOptional
        }
    } else if o.nullable != f.nullable {
        if f.nullable {
            Kind::FieldMadeNullable
        } else {
            Kind::FieldMadeNonNullable
        }
    } else {
        Kind::FieldRetyped
    };
    let mut what = Vec::new();
    if o.required != f.required {
        what.push(
            if f.required {
                "made required"
            } else {
                "made optional"
            }
            .to_string(),
        );
    }
    if o.nullable != f.nullable {
        what.push(
            if f.nullable {
                "made nullable"
            } else {
                "made non-nullable"
            }
            .to_string(),
        );
    }
    if o.rust_name != f.rust_name {
        what.push(format!(
            "renamed in Rust from `{}` to `{}`",
            o.rust_name, f.rust_name
        ));
    }
    if what.is_empty() {
        what.push("retyped".to_string());
    }
    let types = if o.rust_type != f.rust_type {
        format!("`{}` → `{}`", show(&o.rust_type), show(&f.rust_type))
    } else {
        format!("the Rust type stays `{}`", show(&f.rust_type))
    };
    out.push(
        kind,
        res,
        &f.pointer,
        effect,
        format!(
            "{label}: field {} {}: {types}.",
            field_label(name, f),
            what.join(", ")
        ),
    );
}

/// A spec `default` appearing on a field, going, or changing value. Appearing or going changes the
/// field between `Option<T>` and `T`, which breaks code that reads it; a new value keeps the type
/// and changes only what an absent field reads as.
fn diff_default(
    res: &str,
    label: &str,
    name: &str,
    o: &FieldSurface,
    f: &FieldSurface,
    out: &mut Entries,
) {
    let types = if o.rust_type != f.rust_type {
        format!("`{}` → `{}`", show(&o.rust_type), show(&f.rust_type))
    } else {
        format!("the Rust type stays `{}`", show(&f.rust_type))
    };
    let effect = if o.rust_type == f.rust_type {
        Effect::None
    } else {
        Effect::Breaking
    };
    let field = field_label(name, f);
    let (kind, message) = match (&o.default, &f.default) {
        (None, Some(d)) => (
            Kind::FieldDefaultAdded,
            format!(
                "{label}: field {field} now reads as `{d}` when a response leaves it out: {types}."
            ),
        ),
        (Some(d), None) => (
            Kind::FieldDefaultRemoved,
            format!("{label}: field {field} no longer has a default (was `{d}`): {types}."),
        ),
        (Some(a), Some(b)) => (
            Kind::FieldDefaultChanged,
            format!(
                "{label}: field {field} now reads as `{b}` when a response leaves it out (was `{a}`); {types}."
            ),
        ),
        (None, None) => return,
    };
    out.push(kind, res, &f.pointer, effect, message);
}
