//! Operations: matched between the two surfaces (see [`pair_operations`]), then added or removed,
//! and per operation its call, request builder, operationId, response, parameters, body and
//! pagination.

use std::collections::BTreeMap;

use super::{Entries, show};
use crate::diff::report::{Effect, Kind};
use crate::diff::surface::{OperationSurface, ParamSurface, Surface};

/// `client.a().b(x, body)`.
fn call_with_arguments(op: &OperationSurface) -> String {
    let bare = op.call.strip_suffix("()").unwrap_or(&op.call);
    format!("{bare}({})", op.arguments.join(", "))
}

/// The operations of one surface not yet paired, by operationId.
type Left<'s> = BTreeMap<&'s str, &'s OperationSurface>;

/// Pairs the old surface's operations with the new one's, as (old operationId, new operationId).
///
/// Callers know an operation by the call they write, so that is matched first: when upstream
/// swaps or renames operationIds and `x-speakeasy-name-override` keeps the method names, the calls
/// are compared with themselves and only what follows from the operationId (the request builder's
/// name) shows as changed. Among the operations left, the HTTP method and path match a renamed
/// method; then the operationId matches one that got a new name and a new endpoint at once. A key
/// that two operations on one side share is skipped at that step. Returns the pairs and the
/// operations left on each side (removed, added).
fn pair_operations<'s>(
    old: &'s Surface,
    new: &'s Surface,
) -> (Vec<(&'s str, &'s str)>, Left<'s>, Left<'s>) {
    fn left(s: &Surface) -> Left<'_> {
        s.operations
            .iter()
            .map(|(id, o)| (id.as_str(), o))
            .collect()
    }
    let (mut old_left, mut new_left) = (left(old), left(new));
    let keys: [fn(&str, &OperationSurface) -> String; 3] = [
        |_, o| o.call.clone(),
        |_, o| format!("{} {}", o.method, o.path),
        |id, _| id.to_string(),
    ];
    let mut pairs = Vec::new();
    for key in keys {
        // Key -> operationId, `None` when the key is not unique on that side.
        let index = |side: &Left<'s>| {
            let mut by_key: BTreeMap<String, Option<&'s str>> = BTreeMap::new();
            for (&id, o) in side {
                by_key
                    .entry(key(id, o))
                    .and_modify(|found| *found = None)
                    .or_insert(Some(id));
            }
            by_key
        };
        let new_index = index(&new_left);
        for (k, old_id) in index(&old_left) {
            if let (Some(old_id), Some(Some(new_id))) = (old_id, new_index.get(&k)) {
                pairs.push((old_id, *new_id));
                old_left.remove(old_id);
                new_left.remove(new_id);
            }
        }
    }
    (pairs, old_left, new_left)
}

pub(super) fn diff_operations(old: &Surface, new: &Surface, out: &mut Entries) {
    let (pairs, removed, added) = pair_operations(old, new);
    for (id, o) in removed {
        out.push(
            Kind::OperationRemoved,
            &o.resource,
            &o.pointer,
            Effect::Breaking,
            format!(
                "Removed operation `{}` (`{} {}`, operationId `{id}`).",
                o.call, o.method, o.path
            ),
        );
    }
    for (id, n) in added {
        out.push(
            Kind::OperationAdded,
            &n.resource,
            &n.pointer,
            Effect::Additive,
            format!(
                "New operation `{}` (`{} {}`, operationId `{id}`), returning `{}`.",
                call_with_arguments(n),
                n.method,
                n.path,
                show(&n.response)
            ),
        );
    }
    for (old_id, new_id) in pairs {
        let (o, n) = (&old.operations[old_id], &new.operations[new_id]);
        diff_operation(o, n, out);
        if old_id != new_id {
            out.push(
                Kind::OperationIdChanged,
                &n.resource,
                &n.pointer,
                Effect::None,
                format!("`{}` has operationId `{new_id}` (was `{old_id}`).", n.call),
            );
        }
    }
}

fn diff_operation(o: &OperationSurface, n: &OperationSurface, out: &mut Entries) {
    let (res, at) = (n.resource.as_str(), n.pointer.as_str());
    if o.call != n.call {
        out.push(
            Kind::CallPathChanged,
            res,
            at,
            Effect::Breaking,
            format!("`{}` is now `{}`.", o.call, n.call),
        );
    }
    if !o.builder.is_empty() && o.builder != n.builder {
        out.push(
            Kind::BuilderRenamed,
            res,
            at,
            Effect::Breaking,
            format!(
                "`{}` returns the request builder `{}` (was `{}`).",
                n.call, n.builder, o.builder
            ),
        );
    }
    if (&o.method, &o.path) != (&n.method, &n.path) {
        // When the call changed too, its own entry says so.
        let same_call = if o.call == n.call {
            "; the Rust call is unchanged"
        } else {
            ""
        };
        out.push(
            Kind::EndpointChanged,
            res,
            at,
            Effect::None,
            format!(
                "`{}` now calls `{} {}` (was `{} {}`){same_call}.",
                n.call, n.method, n.path, o.method, o.path
            ),
        );
    }
    if o.response != n.response {
        out.push(
            Kind::ResponseChanged,
            res,
            at,
            Effect::Breaking,
            format!(
                "`{}` now returns `{}` (was `{}`).",
                n.call,
                show(&n.response),
                show(&o.response)
            ),
        );
    }

    // Parameters.
    for (wire, p) in &o.params {
        if !n.params.contains_key(wire) {
            let role = if p.argument { "argument" } else { "setter" };
            out.push(
                Kind::ParameterRemoved,
                res,
                &p.pointer,
                Effect::Breaking,
                format!(
                    "`{}`: removed {} parameter `{wire}` ({role} `{}`).",
                    n.call, p.location, p.rust_name
                ),
            );
        }
    }
    for (wire, np) in &n.params {
        let Some(op) = o.params.get(wire) else {
            let (effect, what) = if np.argument {
                (
                    Effect::Breaking,
                    format!("a new argument `{}: {}`", np.rust_name, show(&np.rust_type)),
                )
            } else {
                (
                    Effect::Additive,
                    format!("a new setter `.{}({})`", np.rust_name, show(&np.rust_type)),
                )
            };
            let required = if np.required { "required" } else { "optional" };
            out.push(
                Kind::ParameterAdded,
                res,
                &np.pointer,
                effect,
                format!(
                    "`{}`: new {required} {} parameter `{wire}`, {what}.",
                    n.call, np.location
                ),
            );
            continue;
        };
        diff_param(n, wire, op, np, out);
    }
    if o.arguments != n.arguments {
        let (mut a, mut b) = (o.arguments.clone(), n.arguments.clone());
        a.sort();
        b.sort();
        if a == b {
            out.push(
                Kind::ArgumentsReordered,
                res,
                at,
                Effect::Breaking,
                format!(
                    "`{}`: the arguments are reordered to `({})` (was `({})`).",
                    n.call,
                    n.arguments.join(", "),
                    o.arguments.join(", ")
                ),
            );
        }
    }

    // The body.
    match (&o.body, &n.body) {
        (None, None) => {}
        (Some(b), None) => out.push(
            Kind::BodyRemoved,
            res,
            &b.pointer,
            Effect::Breaking,
            format!(
                "`{}` no longer takes a request body (was `{}`).",
                n.call,
                show(&b.rust_type)
            ),
        ),
        (None, Some(b)) => {
            let (effect, what) = if b.required {
                (Effect::Breaking, "a new argument `body`")
            } else {
                (Effect::Additive, "a new setter `.body()`")
            };
            out.push(
                Kind::BodyAdded,
                res,
                &b.pointer,
                effect,
                format!(
                    "`{}` takes a request body `{}`: {what}.",
                    n.call,
                    show(&b.rust_type)
                ),
            );
        }
        (Some(ob), Some(nb))
            if (&ob.rust_type, ob.required, ob.defaulted)
                != (&nb.rust_type, nb.required, nb.defaulted) =>
        {
            let mut what = Vec::new();
            if ob.rust_type != nb.rust_type {
                what.push(format!(
                    "is now `{}` (was `{}`)",
                    show(&nb.rust_type),
                    show(&ob.rust_type)
                ));
            }
            if ob.required != nb.required {
                what.push(if nb.required {
                    "is now required (an argument, was the `.body()` setter)".to_string()
                } else {
                    "is now optional (the `.body()` setter, was an argument)".to_string()
                });
            }
            if ob.defaulted != nb.defaulted {
                what.push(if nb.defaulted {
                    "is now sent as its default when `.body()` is not called (was not sent)"
                        .to_string()
                } else {
                    "is no longer sent when `.body()` is not called (was its default)".to_string()
                });
            }
            out.push(
                Kind::BodyChanged,
                res,
                &nb.pointer,
                Effect::Breaking,
                format!("`{}`: the request body {}.", n.call, what.join(" and ")),
            );
        }
        (Some(_), Some(_)) => {}
    }

    // Pagination.
    match (&o.pagination, &n.pagination) {
        (None, Some(item)) => out.push(
            Kind::PaginationAdded,
            res,
            at,
            Effect::Additive,
            format!(
                "`{}` gains `.pages()` and `.items()` (items `{}`).",
                n.call,
                show(item)
            ),
        ),
        (Some(_), None) => out.push(
            Kind::PaginationRemoved,
            res,
            at,
            Effect::Breaking,
            format!("`{}` loses `.pages()` and `.items()`.", n.call),
        ),
        (Some(a), Some(b)) if a != b => out.push(
            Kind::PaginationChanged,
            res,
            at,
            Effect::Breaking,
            format!(
                "`{}`: `.items()` now yields `{}` (was `{}`).",
                n.call,
                show(b),
                show(a)
            ),
        ),
        _ => {}
    }
}

fn diff_param(
    n: &OperationSurface,
    wire: &str,
    o: &ParamSurface,
    p: &ParamSurface,
    out: &mut Entries,
) {
    // Where the parameter sits in the spec is no part of the Rust API.
    let unmoved = ParamSurface {
        pointer: p.pointer.clone(),
        ..o.clone()
    };
    if unmoved == *p {
        return;
    }
    let role = |x: &ParamSurface| {
        if x.argument {
            "an argument"
        } else {
            "a setter"
        }
    };
    let mut what = Vec::new();
    if o.argument != p.argument {
        what.push(format!("is now {} (was {})", role(p), role(o)));
    }
    if o.rust_type != p.rust_type {
        what.push(format!(
            "takes `{}` (was `{}`)",
            show(&p.rust_type),
            show(&o.rust_type)
        ));
    }
    if o.rust_name != p.rust_name {
        what.push(format!(
            "is named `{}` (was `{}`)",
            p.rust_name, o.rust_name
        ));
    }
    let effect = if what.is_empty() {
        Effect::None
    } else {
        Effect::Breaking
    };
    if o.location != p.location {
        what.push(format!(
            "moved from the {} to the {}",
            o.location, p.location
        ));
    }
    if o.nullable != p.nullable && o.rust_type == p.rust_type {
        what.push(format!(
            "is {} (same Rust type)",
            if p.nullable {
                "nullable"
            } else {
                "no longer nullable"
            }
        ));
    }
    let kind = match (o.required, p.required) {
        (false, true) => Kind::ParameterMadeRequired,
        (true, false) => Kind::ParameterMadeOptional,
        _ => Kind::ParameterChanged,
    };
    let head = match kind {
        Kind::ParameterMadeRequired => "made required",
        Kind::ParameterMadeOptional => "made optional",
        _ => "changed",
    };
    out.push(
        kind,
        &n.resource,
        &p.pointer,
        effect,
        format!(
            "`{}`: {} parameter `{wire}` {head}: {}.",
            n.call,
            p.location,
            what.join(", ")
        ),
    );
}
