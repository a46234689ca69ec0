//! Passes over the finished type graph: who uses each type, and which references need a `Box`.

use std::collections::BTreeSet;

use super::operations::Operation;
use super::types::{Ty, TypeId, TypeKind, Types};

/// Named types a type refers to; `by_value_only` leaves out references behind a `Vec` or map, which
/// already allocate and so never make a type infinitely large.
fn edges(types: &Types, id: TypeId, by_value_only: bool) -> Vec<TypeId> {
    fn walk(ty: &Ty, by_value_only: bool, out: &mut Vec<TypeId>) {
        match ty {
            Ty::Named(id) => out.push(*id),
            Ty::Array(inner) | Ty::Map(inner) if !by_value_only => walk(inner, by_value_only, out),
            Ty::Optional(inner) => walk(inner, by_value_only, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match &types.get(id).kind {
        TypeKind::Struct(s) => s
            .held_types()
            .for_each(|ty| walk(ty, by_value_only, &mut out)),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .for_each(|v| walk(&v.ty, by_value_only, &mut out)),
        TypeKind::Alias(ty) => walk(ty, by_value_only, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

fn roots_of(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Array(inner) | Ty::Map(inner) | Ty::Optional(inner) => roots_of(inner, out),
        _ => {}
    }
}

/// Marks request/response usage and resource groups, from each operation's inputs and outputs.
pub(super) fn mark_usage(types: &mut Types, ops: &[Operation]) {
    for op in ops {
        let mut inputs = Vec::new();
        op.params.iter().for_each(|p| roots_of(&p.ty, &mut inputs));
        if let Some(b) = &op.body {
            roots_of(&b.ty, &mut inputs);
        }
        let mut outputs = Vec::new();
        op.responses
            .iter()
            .filter_map(|r| r.ty.as_ref())
            .for_each(|t| roots_of(t, &mut outputs));
        let mut errors = Vec::new();
        op.error_responses()
            .filter_map(|r| r.ty.as_ref())
            .for_each(|t| roots_of(t, &mut errors));
        let mut seen = BTreeSet::new();
        while let Some(id) = errors.pop() {
            if seen.insert(id) {
                types.defs[id.0].always = true;
                errors.extend(edges(types, id, false));
            }
        }
        for (roots, request) in [(inputs, true), (outputs, false)] {
            let mut seen = BTreeSet::new();
            let mut stack = roots;
            while let Some(id) = stack.pop() {
                if !seen.insert(id) {
                    continue;
                }
                let def = &mut types.defs[id.0];
                if request {
                    def.usage.request = true;
                } else {
                    def.usage.response = true;
                }
                def.groups.insert(op.resource().to_string());
                stack.extend(edges(types, id, false));
            }
        }
    }
}

/// Boxes every by-value reference that leads back to its owner (directly or through other types).
pub(super) fn mark_boxes(types: &mut Types) {
    let n = types.defs.len();
    for owner in 0..n {
        let owner = TypeId(owner);
        let reaches_owner = |types: &Types, start: TypeId| -> bool {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start];
            while let Some(id) = stack.pop() {
                if id == owner {
                    return true;
                }
                if seen.insert(id) {
                    stack.extend(edges(types, id, true));
                }
            }
            false
        };
        let boxed: Vec<bool> = match &types.get(owner).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| matches!(f.ty, Ty::Named(t) if reaches_owner(types, t)))
                .collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| matches!(v.ty, Ty::Named(t) if reaches_owner(types, t)))
                .collect(),
            _ => Vec::new(),
        };
        match &mut types.defs[owner.0].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .zip(boxed)
                .for_each(|(f, b)| f.boxed = b),
            TypeKind::Union(u) => u
                .variants
                .iter_mut()
                .zip(boxed)
                .for_each(|(v, b)| v.boxed = b),
            _ => {}
        }
    }
}
