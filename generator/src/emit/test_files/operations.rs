//! `tests/support/operations.rs`: every operation as a row the crate's tests can drive (where to send
//! a request, with example parameters, and how to decode the success body into the generated type).
//! The row type is `tests/support/operation_table.rs`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::Api;
use crate::ir::operations::{Location, Operation, Param, PathSegment};
use crate::ir::rust_type::{Printer, Root};
use crate::ir::types::{Ty, Types};

use super::PLACEHOLDER_ID;

/// The file's tokens.
pub(in crate::emit) fn operations_rs(api: &Api) -> TokenStream {
    let krate = api.crate_ident();
    let rows = api.operations.iter().map(|op| row(&api.types, op, &krate));
    quote! {
        //! Every SDK operation, for the crate's tests: where to send a request (parameters filled in
        //! from the spec's examples) and how to decode its success body into the generated type.

        #[path = "operation_table.rs"]
        mod operation_table;

        use operation_table::decode;
        pub use operation_table::{Decode, Operation};

        /// In spec order.
        pub const OPERATIONS: &[Operation] = &[#(#rows),*];
    }
}

fn row(types: &Types, op: &Operation, krate: &str) -> TokenStream {
    let id = &op.id;
    let method = op.method.as_upper();
    let path = &op.path.template;
    let concrete = concrete_path(op);
    let query = op
        .params
        .iter()
        .filter(|p| p.location == Location::Query && p.required)
        .flat_map(|p| {
            let name = p.name.wire.clone();
            query_values(p.example.as_ref())
                .into_iter()
                .map(move |v| quote!((#name, #v)))
        });
    let status = op.success.status.as_str();
    let decode = match &op.success.body {
        Some(_) => {
            let ty = Printer::new(types, Root::Extern(krate)).returned(&op.success);
            quote!(Some(decode::<#ty>))
        }
        None => quote!(None),
    };
    quote! {
        Operation {
            id: #id,
            method: #method,
            path: #path,
            concrete_path: #concrete,
            query: &[#(#query),*],
            status: #status,
            decode: #decode,
        }
    }
}

/// The path template with each placeholder replaced by its parameter's example; a missing or
/// empty example becomes a number for numeric parameters and [`PLACEHOLDER_ID`] otherwise.
fn concrete_path(op: &Operation) -> String {
    let mut path = String::new();
    for segment in &op.path.segments {
        match segment {
            PathSegment::Literal(text) => path.push_str(text),
            PathSegment::Param(index) => {
                let p = &op.params[*index];
                let value = match p.example.as_ref().and_then(scalar) {
                    Some(v) if !v.is_empty() => v,
                    _ => placeholder(p).to_string(),
                };
                path.push_str(&encode(&value));
            }
        }
    }
    path
}

fn placeholder(p: &Param) -> &'static str {
    match p.ty {
        Ty::Integer | Ty::Number => "1",
        Ty::Boolean => "true",
        _ => PLACEHOLDER_ID,
    }
}

/// A query parameter's values in form style: an array gives one value per element.
fn query_values(example: Option<&Value>) -> Vec<String> {
    match example {
        Some(Value::Array(items)) => items.iter().filter_map(scalar).collect(),
        Some(v) => scalar(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A scalar as it is written in a URL; `None` for null, arrays and objects.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
