//! `tests/conformance.rs`: every operation called through the generated client against Prism, which
//! validates each request against the spec (`cargo xtask conformance`). The file holds the
//! operation table and one call per operation; Prism, the recording hook and the report are the
//! hand-written `tests/support/conformance.rs`.
//!
//! One async function per operation calls it the way a user would
//! (`client.transactions().refunds().create(transaction_id, body).send().await`), with every required
//! argument taken from the spec: parameters from their examples (a UUID-shaped placeholder when there
//! is none), deserialized into the argument's Rust type, and the request body as the smallest valid
//! instance of its schema (`tests/support/bodies.rs`, built at test time from the overlaid spec),
//! deserialized into the body's type. Optional parameters are left unset, so Prism's known false
//! positives (a single value for an `anyOf: [array, null]` query parameter, the spec's own `prefer`
//! header on capture) never come up; a required array parameter with a one-element example is sent
//! with two values all the same.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit::models::resolve_alias;
use crate::invalid_examples::Known;
use crate::ir::Api;
use crate::ir::names::snake;
use crate::ir::operations::{Operation, Param};
use crate::ir::rust_type::{Printer, Root};
use crate::ir::setters::BodyInput;
use crate::ir::types::{Ty, Types};

use super::PLACEHOLDER_ID;

/// The file's tokens. `invalid` lists the spec's examples known not to match their own schemas
/// (`spec/invalid-examples.toml`): Prism serves the spec without them (see the generated docs).
pub(in crate::emit) fn conformance_rs(api: &Api, invalid: &BTreeMap<String, Known>) -> TokenStream {
    let krate = api.crate_ident();
    let count = proc_macro2::Literal::usize_unsuffixed(api.operations.len());
    let invalid = invalid.keys();
    // Every global set, as a caller would set the spec's globals (the merchant account header).
    let globals = api.globals.iter().map(|g| {
        let setter = g.name.ident();
        quote!(.#setter("default"))
    });
    let calls = api
        .operations
        .iter()
        .map(|op| call_fn(&api.types, op, &krate));
    let rows = api.operations.iter().map(|op| {
        let (id, method, path) = (&op.id, op.method.as_upper(), &op.path.template);
        let f = fn_name(op);
        quote! {
            Operation {
                id: #id,
                method: #method,
                path: #path,
                call: |ctx| Box::pin(calls::#f(ctx)),
            }
        }
    });
    quote! {
        //! Conformance: every operation, called through the client with inputs from the spec's
        //! examples, against Prism (`prism mock`, static responses), which checks each request
        //! against the spec and reports what it finds invalid in its `sl-violations` header.
        //!
        //! Passes when every operation was called, Prism found no request violation, and every
        //! call returned `Ok` (its 2XX response decoded into the declared type; `()` for no body).
        //! Prints a table of operation, status and violations, also written to
        //! `$CARGO_TARGET_TMPDIR/conformance.md`. Run it with `cargo xtask conformance`; it needs
        //! Prism (`GR4VY_PRISM`) and the overlaid spec, and fails saying how to get either. This
        //! file holds what comes from the spec; the harness is `support/conformance.rs`.

        #[path = "support/conformance.rs"]
        mod harness;

        use harness::{Ctx, Failure, Operation, Spec};

        /// How many operations the SDK has.
        const COUNT: usize = #count;

        /// The spec's examples known not to match their own schemas (`spec/invalid-examples.toml`).
        const INVALID_EXAMPLES: &[&str] = &[#(#invalid),*];

        /// In spec order.
        const OPERATIONS: &[Operation] = &[#(#rows),*];

        /// Sets every global of the spec, as a caller would.
        fn globals(builder: gr4vy::ClientBuilder) -> gr4vy::ClientBuilder {
            builder #(#globals)*
        }

        #[tokio::test]
        async fn every_operation_conforms_to_the_spec() {
            harness::check(Spec {
                operations: OPERATIONS,
                count: COUNT,
                invalid_examples: INVALID_EXAMPLES,
                globals,
            })
            .await;
        }

        /// One function per operation, called the way a user would.
        mod calls {
            use super::{Ctx, Failure};

            #(#calls)*
        }
    }
}

/// The function in `mod calls` for `op`.
fn fn_name(op: &Operation) -> syn::Ident {
    snake(&op.id).ident()
}

/// `async fn <operation id>(ctx) -> Result<(), Failure>`: the call with every required argument.
fn call_fn(types: &Types, op: &Operation, krate: &str) -> TokenStream {
    let printer = Printer::new(types, Root::Extern(krate));
    let name = fn_name(op);
    let groups = op.group.iter().map(|g| g.ident());
    let method = op.name.ident();
    let (http_method, path) = (op.method.as_upper(), &op.path.template);

    // The generated method's arguments: required (and path) parameters in order, then a required
    // body; an optional body is set with `.body(..)`. Each is a `let` first: `arg_` and the
    // builder's name for the parameter (unique, and never `ctx`, `body` or `_decoded`).
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.is_argument()) {
        let ty = printer.param(p);
        let wire = &p.name.wire;
        let json = input(types, p).to_string();
        let var = quote::format_ident!("arg_{}", p.field.bare);
        lets.push(quote!(let #var: #ty = ctx.arg(#wire, #json)?;));
        args.push(quote!(#var));
    }
    let mut setters = Vec::new();
    if let Some(body) = &op.body {
        let ty = printer.ty(&body.ty);
        lets.push(quote!(let body: #ty = ctx.body(#http_method, #path)?;));
        if body.input == BodyInput::Argument {
            args.push(quote!(body));
        } else {
            setters.push(quote!(.body(body)));
        }
    }

    // What `send` returns, as the operation's builder declares it.
    let out = printer.returned(&op.success);
    let doc = format!(" `{} {}`", op.method.as_upper(), op.path);
    quote! {
        #[doc = #doc]
        pub(super) async fn #name(ctx: &Ctx) -> Result<(), Failure> {
            #(#lets)*
            let _decoded: #out = ctx.client #(.#groups())* .#method(#(#args),*) #(#setters)* .send().await?;
            Ok(())
        }
    }
}

/// A required parameter's value: its example, fitted to its type, else a placeholder.
fn input(types: &Types, p: &Param) -> Value {
    let ty = resolve_alias(types, &p.ty);
    let usable = p.example.as_ref().filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    });
    match (ty, usable) {
        // Prism reports a single value of an `anyOf: [array, null]` query parameter as invalid;
        // two values are fine.
        (Ty::Array(_), Some(Value::Array(items))) if items.len() == 1 => {
            Value::Array(vec![items[0].clone(), items[0].clone()])
        }
        (Ty::Array(_), Some(Value::Array(items))) => Value::Array(items.clone()),
        (Ty::Array(inner), Some(one)) => {
            let one = fit(resolve_alias(types, inner), one);
            Value::Array(vec![one.clone(), one])
        }
        (Ty::Array(inner), None) => {
            let one = placeholder(resolve_alias(types, inner));
            Value::Array(vec![one.clone(), one])
        }
        (ty, Some(example)) => fit(ty, example),
        (ty, None) => placeholder(ty),
    }
}

/// A scalar example for a string parameter written as a number or boolean becomes its text.
fn fit(ty: &Ty, example: &Value) -> Value {
    match (ty, example) {
        (Ty::String, Value::Number(n)) => Value::String(n.to_string()),
        (Ty::String, Value::Bool(b)) => Value::String(b.to_string()),
        _ => example.clone(),
    }
}

fn placeholder(ty: &Ty) -> Value {
    match ty {
        Ty::Integer | Ty::Number => Value::from(1),
        Ty::Boolean => Value::Bool(true),
        _ => Value::String(PLACEHOLDER_ID.to_string()),
    }
}
