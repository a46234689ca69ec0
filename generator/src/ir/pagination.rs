//! Cursor pagination (`x-speakeasy-pagination`): which parameter carries the cursor, which page
//! fields hold the next cursor and the items, and how the page struct holds them.

use serde::Serialize;

use super::names::Name;
use super::operations::{Location, Operation, Param, Returned, Success};
use super::schema::SchemaLowering;
use super::types::{Presence, Ty, TypeId, TypeKind, Types};
use crate::error::child;
use crate::{Error, Result};

/// Cursor pagination: which parameter carries the cursor and where the next one is in a page.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// The page type: the struct the success response decodes into.
    pub page: TypeId,
    /// The builder field ([`Param::field`]) of the query parameter that carries the cursor.
    pub cursor_param: Name,
    /// The page field holding the next cursor (`$.next_cursor` -> `next_cursor`).
    pub next_cursor: PageField,
    /// The page field holding the items (`$.items` unless the spec says otherwise), and its item type.
    pub items: PageField,
    pub item_ty: Ty,
}

/// A field of the page type that pagination reads.
#[derive(Debug, Clone, Serialize)]
pub struct PageField {
    pub name: Name,
    /// How the page struct holds it, which says how to read it; set by [`settle_pagination`] once
    /// the page type's usage is known.
    pub presence: Presence,
}

/// Fills in [`PageField::presence`] from the page types' fields and their final usage.
pub(super) fn settle_pagination(ops: &mut [Operation], types: &Types) {
    for p in ops.iter_mut().filter_map(|op| op.pagination.as_mut()) {
        let def = types.get(p.page);
        let TypeKind::Struct(page) = &def.kind else {
            continue;
        };
        for field in [&mut p.next_cursor, &mut p.items] {
            if let Some(f) = page.fields.iter().find(|f| f.name.wire == field.name.wire) {
                field.presence = f.presence(def.usage);
            }
        }
    }
}

/// Resolves `x-speakeasy-pagination` against the operation's parameters and its success type.
pub(super) fn pagination(
    spec: &crate::spec::view::Pagination,
    params: &[Param],
    success: &Success,
    schemas: &SchemaLowering<'_>,
    pointer: &str,
) -> Result<Pagination> {
    if spec.r#type != "cursor" {
        return Err(Error::at(
            child(pointer, "type"),
            format!(
                "pagination type `{}` is not supported; only `cursor` is",
                spec.r#type
            ),
        ));
    }
    let input = spec
        .inputs
        .iter()
        .find(|i| i.r#type == "cursor" && i.r#in == "parameters")
        .ok_or_else(|| {
            Error::at(
                child(pointer, "inputs"),
                "cursor pagination needs an input of type `cursor` in `parameters`",
            )
        })?;
    let cursor_param = params
        .iter()
        .find(|p| p.name.wire == input.name && p.location == Location::Query)
        .ok_or_else(|| {
            Error::at(
                child(pointer, "inputs"),
                format!(
                    "the cursor input `{}` is not a query parameter of this operation",
                    input.name
                ),
            )
        })?
        .field
        .clone();
    let field_of = |path: &str| path.strip_prefix("$.").unwrap_or(path).to_string();
    let outputs = spec.outputs.as_ref();
    // Without `nextCursor` there is no way to know where the next page starts, so it is required;
    // `results` may be left out (the spec does), and then the items are the page's `items`.
    let next_wire = field_of(outputs.and_then(|o| o.next_cursor.as_deref()).ok_or_else(|| {
        Error::at(
            pointer,
            "cursor pagination needs `outputs.nextCursor` (the JSONPath of the next cursor in a page, such as `$.next_cursor`)",
        )
    })?);
    let items_wire = field_of(
        outputs
            .and_then(|o| o.results.as_deref())
            .unwrap_or("$.items"),
    );
    let page = match &success.body {
        Some(Returned {
            ty: Ty::Named(id), ..
        }) => *id,
        _ => {
            return Err(Error::at(
                pointer,
                "a paginated operation needs a JSON object as its success response",
            ));
        }
    };
    let TypeKind::Struct(page_struct) = &schemas.def(page).kind else {
        return Err(Error::at(
            pointer,
            "a paginated operation's success response must be an object",
        ));
    };
    let field = |wire: &str| {
        page_struct
            .fields
            .iter()
            .find(|f| f.name.wire == wire)
            .ok_or_else(|| {
                Error::at(
                    child(pointer, "outputs"),
                    format!(
                        "the page type `{}` has no field `{wire}`",
                        schemas.def(page).name.wire
                    ),
                )
            })
    };
    let next = field(&next_wire)?;
    let items = field(&items_wire)?;
    let Ty::Array(item_ty) = &items.ty else {
        return Err(Error::at(
            child(pointer, "outputs"),
            format!("the page field `{items_wire}` is not an array"),
        ));
    };
    // Usage is not known yet: `settle_pagination` sets the presence after `graph::mark_usage`.
    let page_field = |f: &super::types::Field| PageField {
        name: f.name.clone(),
        presence: Presence::Required,
    };
    Ok(Pagination {
        page,
        cursor_param,
        next_cursor: page_field(next),
        items: page_field(items),
        item_ty: (**item_ty).clone(),
    })
}
