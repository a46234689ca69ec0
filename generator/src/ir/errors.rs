//! The error bodies every call may decode (`ApiErrorBody`): one per status the operations declare,
//! and which of each body's fields carry the server's message and code, so that a caller reads them
//! the same way whatever the status (`Error::api_message()`), and `Display` can show them.

use serde::Serialize;

use super::names::Name;
use super::operations::Operation;
use super::types::{Presence, Ty, TypeKind, Types, Usage};

/// One variant of `ApiErrorBody`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    /// `404`, `4XX` or `default`, as declared.
    pub status: String,
    /// The body's type.
    pub ty: Ty,
    /// The variant's name: the body type's, or `Status{status}` for an unnamed type.
    pub variant: String,
    /// The field holding a human-readable message (`message`), when the body has one.
    pub message: Option<TextField>,
    /// The field holding a machine-readable code (`code`), when the body has one.
    pub code: Option<TextField>,
    /// The field holding the list of [`ErrorDetails::item`] (`details`), when the body has one.
    pub details: Option<TextField>,
}

/// What `ApiErrorBody::details()` returns: a slice of one type, whatever the status.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorDetails {
    /// The item type of the bodies' `details` arrays: that of the first body (in status order)
    /// whose `details` is an array of a named type. A body whose `details` holds another type
    /// counts as having none. `None` when no body has such a field: `details()` then returns an
    /// empty slice of JSON values, so the method exists whatever the spec.
    pub item: Option<Ty>,
}

/// A string field of an error body (or, for `details`, the list field).
#[derive(Debug, Clone, Serialize)]
pub struct TextField {
    pub name: Name,
    /// Declared as `Option<String>` (not required, or nullable).
    pub optional: bool,
}

/// Status patterns with the JSON type operations declare for them, exact statuses first, then
/// ranges (`4XX`), then `default`, as HTTP matching requires. The first declaration of a status
/// wins; in Gr4vy's spec every operation declares the same ones.
pub(super) fn error_bodies(ops: &[Operation], types: &Types) -> (Vec<ErrorBody>, ErrorDetails) {
    let mut found: std::collections::BTreeMap<String, Ty> = std::collections::BTreeMap::new();
    for op in ops {
        for r in op.error_responses() {
            if let Some(ty) = &r.ty {
                found.entry(r.status.clone()).or_insert_with(|| ty.clone());
            }
        }
    }
    let mut entries: Vec<(String, Ty)> = found.into_iter().collect();
    entries.sort_by_key(|(status, _)| match status.as_str() {
        "default" => (2, status.clone()),
        s if s.ends_with("XX") || s.ends_with("xx") => (1, status.clone()),
        _ => (0, status.clone()),
    });
    let item = entries
        .iter()
        .find_map(|(_, ty)| details_field(types, ty).map(|(_, item)| item.clone()));
    let bodies = entries
        .into_iter()
        .map(|(status, ty)| {
            let variant = match &ty {
                Ty::Named(id) => types.get(*id).name.rust(),
                _ => format!("Status{status}"),
            };
            ErrorBody {
                message: text_field(types, &ty, "message"),
                code: text_field(types, &ty, "code"),
                details: details_field(types, &ty)
                    .filter(|(_, of)| Some(*of) == item.as_ref())
                    .map(|(field, _)| field),
                status,
                ty,
                variant,
            }
        })
        .collect();
    (bodies, ErrorDetails { item })
}

/// The `details` field of a struct body when it is an array of a named type (not boxed, so that
/// `details()` can lend its items), with that type.
fn details_field<'t>(types: &'t Types, ty: &Ty) -> Option<(TextField, &'t Ty)> {
    let Ty::Named(id) = ty else { return None };
    let TypeKind::Struct(s) = &types.get(*id).kind else {
        return None;
    };
    let f = s.fields.iter().find(|f| {
        f.name.wire == "details" && f.constant.is_none() && f.sensitive.is_none() && !f.boxed
    })?;
    let Ty::Array(item) = &f.ty else { return None };
    if !matches!(**item, Ty::Named(_)) {
        return None;
    }
    let received = Usage {
        request: false,
        response: true,
    };
    Some((
        TextField {
            name: f.name.clone(),
            optional: f.presence(received) != Presence::Required,
        },
        item,
    ))
}

/// The string field `wire` of a struct body. Error bodies are only received.
fn text_field(types: &Types, ty: &Ty, wire: &str) -> Option<TextField> {
    let Ty::Named(id) = ty else { return None };
    let TypeKind::Struct(s) = &types.get(*id).kind else {
        return None;
    };
    let f = s.fields.iter().find(|f| {
        f.name.wire == wire && f.ty == Ty::String && f.constant.is_none() && f.sensitive.is_none()
    })?;
    let received = Usage {
        request: false,
        response: true,
    };
    Some(TextField {
        name: f.name.clone(),
        optional: f.presence(received) != Presence::Required,
    })
}
