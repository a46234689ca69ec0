//! How callers hand values to the SDK: the builder methods of request structs (a setter per
//! optional field and a `clear_` method per field that may be sent as `null`), what an argument of
//! a given type accepts ([`Accepts`]), and whether an operation's body is an argument ([`BodyInput`]).
//!
//! Names are chosen once the types' usage is known (only types that are sent have them), first
//! every setter (a field's own name), then the `clear_` methods, so that a field's setter keeps its
//! name whatever order the properties come in. The API surface records both, so the changelog sees
//! a method renamed by a new field.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Name;
use super::operations::{BUILDER_MEMBERS, Operation};
use super::types::{Presence, Ty, TypeKind, Types};

/// What a method argument or setter of type `T` accepts. Lists and maps take any iterator of
/// convertible items, so `.currency(["USD", "EUR"])` and `.metadata([("order", "1234")])` compile
/// without `vec!` or `.to_string()`; the value is collected into the declared `Vec`/`BTreeMap`.
/// Every other type takes `impl Into<T>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts<'t> {
    /// `impl Into<T>`.
    Into(&'t Ty),
    /// `impl IntoIterator<Item = impl Into<T>>`, collected into `Vec<T>`.
    Items(&'t Ty),
    /// `impl IntoIterator<Item = (impl Into<String>, impl Into<T>)>`, collected into a map.
    Pairs(&'t Ty),
}

impl<'t> Accepts<'t> {
    /// The argument shape for a value of type `ty`.
    pub fn of(ty: &'t Ty) -> Self {
        match ty {
            Ty::Array(item) => Accepts::Items(item),
            Ty::Map(value) => Accepts::Pairs(value),
            other => Accepts::Into(other),
        }
    }
}

/// How an operation's request body is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyInput {
    /// An argument of the method: the body is required and has a field the caller must choose.
    Argument,
    /// The spec requires a body, but every field of it is optional: the method takes none, the
    /// builder starts from the body's `Default` (sent as `{}` plus its constants), and `.body()`
    /// replaces it. `client.transactions().capture(id)` is then a full capture.
    Defaulted,
    /// The body is optional: sent only when `.body()` sets one.
    Optional,
}

/// A setter of a defaulted body that the request builder repeats: the builder's method sets the
/// body's field through the body's own setter (and `clear`, for a field that may be `null`).
#[derive(Debug, Clone, Serialize)]
pub struct Forwarded {
    /// The body's field (index into its struct's fields).
    pub field: usize,
    /// The builder's method, the body setter's name.
    pub setter: Name,
    pub clear: Option<Name>,
}

/// Fills in [`Body::input`](super::operations::Body::input) and
/// [`Body::forwarded`](super::operations::Body::forwarded) of every operation, once the body
/// types' usage, fields and setter names are final.
///
/// A defaulted body's setters are repeated on the request builder, as Gr4vy's other SDKs take
/// body fields as keyword arguments: `client.transactions().refunds().create(id).amount(500)`.
/// A setter whose name the builder already uses (a parameter's setter, `options`, `body`...) is
/// left out; `.body()` still sets that field.
pub(super) fn settle_bodies(ops: &mut [Operation], types: &Types) {
    for op in ops {
        let taken: BTreeSet<String> = op
            .params
            .iter()
            .map(|p| p.field.rust())
            .chain(BUILDER_MEMBERS.iter().map(|m| m.to_string()))
            .collect();
        let Some(body) = &mut op.body else { continue };
        body.input = if !body.required {
            BodyInput::Optional
        } else if takes_nothing(types, &body.ty) {
            BodyInput::Defaulted
        } else {
            BodyInput::Argument
        };
        body.forwarded.clear();
        if body.input != BodyInput::Defaulted {
            continue;
        }
        let Ty::Named(id) = &body.ty else { continue };
        let TypeKind::Struct(s) = &types.get(*id).kind else {
            continue;
        };
        let mut names = taken;
        for (index, f) in s.fields.iter().enumerate() {
            let Some(setter) = &f.setter else { continue };
            let clear = f.clear.clone();
            let free = |n: &Name| !names.contains(&n.rust());
            if !free(setter) || clear.as_ref().is_some_and(|c| !free(c)) {
                continue;
            }
            names.insert(setter.rust());
            if let Some(c) = &clear {
                names.insert(c.rust());
            }
            body.forwarded.push(Forwarded {
                field: index,
                setter: setter.clone(),
                clear,
            });
        }
    }
}

/// A struct whose `new()` takes no argument (every field optional or constant).
fn takes_nothing(types: &Types, ty: &Ty) -> bool {
    let Ty::Named(id) = ty else { return false };
    let def = types.get(*id);
    match &def.kind {
        TypeKind::Struct(s) => s.constructor_fields(def.usage).next().is_none(),
        _ => false,
    }
}

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
