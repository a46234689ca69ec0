//! `tests/examples.rs` and `tests/examples.json`: each example the spec gives decodes into its Rust
//! type and encodes back to the same JSON. The test itself is `tests/support/examples.rs`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use quote::ToTokens;

use crate::invalid_examples::Known;
use crate::ir::Api;
use crate::ir::rust_type::{Printer, Root};
use crate::ir::types::Ty;
use crate::{Error, Result};

/// One example to check: where it is, which checker (by index), and the value.
#[derive(Serialize)]
struct Case<'a> {
    pointer: String,
    check: usize,
    value: &'a serde_json::Value,
    /// Why the example is expected to fail (it does not match its own schema).
    #[serde(skip_serializing_if = "Option::is_none")]
    invalid: Option<&'a str>,
    /// The entry of `spec/invalid-examples.toml` that lists it, for messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<&'a str>,
}

/// `tests/examples.rs` and its data, `tests/examples.json`. `invalid` lists examples known not to
/// match their schema, by pointer.
pub(in crate::emit) fn examples(
    api: &Api,
    invalid: &BTreeMap<String, Known>,
) -> Result<(TokenStream, String)> {
    let krate = api.crate_ident();
    let printer = Printer::new(&api.types, Root::Extern(&krate));
    // Checkers are one generic instantiation per distinct Rust type, in order of first use.
    let mut checkers: Vec<TokenStream> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut checker = |ty: TokenStream| -> usize {
        let key = ty.to_string();
        *index.entry(key).or_insert_with(|| {
            checkers.push(ty);
            checkers.len() - 1
        })
    };
    let mut cases = Vec::new();
    for def in api.types.iter() {
        if !def.examples.is_empty() {
            let check = checker(printer.ty(&Ty::Named(def.id)).into_token_stream());
            for (i, value) in def.examples.iter().enumerate() {
                let pointer = format!("{}/examples/{i}", def.pointer);
                let known = invalid.get(&pointer);
                cases.push(Case {
                    pointer,
                    check,
                    value,
                    invalid: known.map(|k| k.reason.as_str()),
                    entry: known.map(|k| k.entry.as_str()),
                });
            }
        }
    }
    for site in &api.examples {
        let inner = printer.ty(&site.ty);
        let check = checker(if site.nullable {
            quote!(Option<#inner>)
        } else {
            inner.into_token_stream()
        });
        for (i, value) in site.values.iter().enumerate() {
            let pointer = format!("{}/examples/{i}", site.pointer);
            let known = invalid.get(&pointer);
            cases.push(Case {
                pointer,
                check,
                value,
                invalid: known.map(|k| k.reason.as_str()),
                entry: known.map(|k| k.entry.as_str()),
            });
        }
    }
    let count = proc_macro2::Literal::usize_unsuffixed(cases.len());
    let json = serde_json::to_string_pretty(&cases).map_err(|e| {
        Error::file(
            "tests/examples.json",
            format!("cannot serialize the examples: {e}"),
        )
    })?;
    let checks = checkers.iter().map(|ty| quote!(round_trip::<#ty>));
    let tokens = quote! {
        //! Every example in the spec that belongs to a generated type or field decodes into it, and
        //! encodes back to the same JSON (absent and `null` count as the same for optional fields).
        //! The cases are in `examples.json`; the test is `support/examples.rs`.

        #[path = "support/examples.rs"]
        mod examples;
        #[path = "support/json.rs"]
        mod json;

        use examples::Check;
        use json::round_trip;

        /// How many examples `examples.json` holds.
        const COUNT: usize = #count;

        /// One checker per distinct Rust type; `examples.json` names each case's checker by index.
        const CHECKS: &[Check] = &[#(#checks),*];

        #[test]
        fn every_spec_example_round_trips() {
            examples::check_all(CHECKS, COUNT, include_str!("examples.json"));
        }
    };
    Ok((tokens, json))
}
