//! Accessors for unions that are "the resource, or a variant of it".
//!
//! Capturing a transaction answers with the `Transaction`, or with a `TransactionCapture` that holds
//! the `Transaction` in a required field; most callers want the transaction either way and should
//! not have to match. The rule, decided from shapes and never from names: a union where one variant
//! holds a struct `R` and every other variant (besides `Unknown`) holds a struct with exactly one
//! required, non-null field of type `R` gets `fn r(&self) -> Option<&R>` and
//! `fn into_r(self) -> Option<R>`, `None` only for a payload that matched no variant.

use super::names::{Name, snake};
use super::types::{
    Presence, ResourceAccessor, ResourcePath, Ty, TypeId, TypeKind, Types, Union, Usage,
};
use crate::Warning;

/// Methods every generated union has through the traits it implements or derives: an inherent
/// method of the same name would shadow them and confuse callers.
const TAKEN: &[&str] = &[
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "from",
    "into",
    "serialize",
    "deserialize",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
    "borrow",
    "borrow_mut",
];

/// Sets [`Union::resource`] on every union the rule applies to. Run after boxing is decided, since
/// the accessors reach through boxes.
pub(super) fn resource_accessors(types: &mut Types, warnings: &mut Vec<Warning>) {
    let mut decided = Vec::new();
    for def in types.iter() {
        let TypeKind::Union(u) = &def.kind else {
            continue;
        };
        let Some(accessor) = accessor(types, u) else {
            continue;
        };
        if let Some(name) = [&accessor.getter, &accessor.into]
            .into_iter()
            .find(|n| TAKEN.contains(&n.bare.as_str()))
        {
            warnings.push(Warning::at(
                &def.pointer,
                format!(
                    "`{}` is the resource, or a variant of it, but its accessor would be called `{}`, the \
                     name of a trait method every union has; it gets no accessor",
                    def.name.wire, name.bare
                ),
            ));
            continue;
        }
        decided.push((def.id, accessor));
    }
    for (id, accessor) in decided {
        if let TypeKind::Union(u) = &mut types.defs[id.0].kind {
            u.resource = Some(accessor);
        }
    }
}

/// The accessor of one union, if it is "the resource, or a variant of it".
fn accessor(types: &Types, u: &Union) -> Option<ResourceAccessor> {
    let structs: Vec<TypeId> = u
        .variants
        .iter()
        .map(|v| match &v.ty {
            Ty::Named(id) if matches!(types.get(*id).kind, TypeKind::Struct(_)) => Some(*id),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if structs.len() < 2 {
        return None;
    }
    // Try each variant as the resource; at most one can be (a wrapper is not the resource, as it
    // holds one), but a union holding `R` twice is no such union.
    let mut found = None;
    for &resource in &structs {
        if structs.iter().filter(|id| **id == resource).count() != 1 {
            continue;
        }
        let paths: Option<Vec<ResourcePath>> = structs
            .iter()
            .map(|&id| {
                if id == resource {
                    Some(ResourcePath::Itself)
                } else {
                    holder_field(types, id, resource)
                }
            })
            .collect();
        if let Some(paths) = paths {
            if found.is_some() {
                return None;
            }
            found = Some((resource, paths));
        }
    }
    let (resource, paths) = found?;
    let getter = snake(&types.get(resource).name.bare);
    let into = Name::new(&getter.wire, format!("into_{}", getter.bare));
    Some(ResourceAccessor {
        resource,
        getter,
        into,
        paths,
    })
}

/// The one required, non-null field of the struct `holder` whose type is `resource`.
fn holder_field(types: &Types, holder: TypeId, resource: TypeId) -> Option<ResourcePath> {
    let TypeKind::Struct(s) = &types.get(holder).kind else {
        return None;
    };
    let received = Usage {
        request: false,
        response: true,
    };
    let mut fields = s.fields.iter().filter(|f| {
        f.constant.is_none()
            && f.ty == Ty::Named(resource)
            && f.presence(received) == Presence::Required
            && f.required
    });
    let field = fields.next()?;
    if fields.next().is_some() {
        return None;
    }
    Some(ResourcePath::Field {
        name: field.name.clone(),
        boxed: field.boxed,
    })
}
