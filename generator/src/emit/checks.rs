//! Generated tests that check every type against the spec: each enum is open, and each example the
//! spec gives decodes into its Rust type and encodes back to the same JSON.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use quote::ToTokens;

use crate::ir::Api;
use crate::ir::rust_type::{Printer, Root};
use crate::ir::types::{Ty, TypeKind};
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
}

/// `tests/examples.rs` and its data, `tests/examples.json`. `invalid` lists examples known not to
/// match their schema (entries naming no example are ignored here; the pipeline reports them).
pub(super) fn examples(
    api: &Api,
    invalid: &BTreeMap<String, String>,
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
                let invalid = invalid.get(&pointer).map(String::as_str);
                cases.push(Case {
                    pointer,
                    check,
                    value,
                    invalid,
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
            let invalid = invalid.get(&pointer).map(String::as_str);
            cases.push(Case {
                pointer,
                check,
                value,
                invalid,
            });
        }
    }
    let count = cases.len();
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

        #[path = "support/json.rs"]
        mod json;

        use json::round_trip;

        /// Decodes, encodes and compares one example.
        type Check = fn(&serde_json::Value) -> Result<(), String>;

        /// One checker per distinct Rust type; `examples.json` names each case's checker by index.
        const CHECKS: &[Check] = &[#(#checks),*];

        #[test]
        fn every_spec_example_round_trips() {
            let cases: Vec<serde_json::Value> =
                serde_json::from_str(include_str!("examples.json")).expect("examples.json is JSON");
            assert_eq!(cases.len(), #count);
            let mut failures = Vec::new();
            for case in &cases {
                let check = CHECKS[case["check"].as_u64().expect("index") as usize];
                let pointer = case["pointer"].as_str().unwrap_or("?");
                match (check(&case["value"]), case.get("invalid")) {
                    (Err(e), None) => failures.push(format!("#{pointer}: {e}")),
                    (Ok(()), Some(_)) => failures.push(format!(
                        "#{pointer}: listed in spec/invalid-examples.toml but now round-trips; remove the entry"
                    )),
                    _ => {}
                }
            }
            assert!(failures.is_empty(), "{} of {} examples failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
        }
    };
    Ok((tokens, json))
}

/// `tests/enums.rs`: every generated enum keeps unknown values and maps known ones to their variant.
pub(super) fn enums(api: &Api) -> TokenStream {
    let checks = api.types.iter().filter(|t| matches!(t.kind, TypeKind::Enum(_))).map(|t| {
        let name = t.name.ident();
        let label = &t.name.rust();
        quote!(failures.extend(check_open_enum::<gr4vy::models::#name>(gr4vy::models::#name::KNOWN, #label));)
    });
    quote! {
        //! Every generated enum: known values decode to their own variant and back, and a value the
        //! SDK has never seen decodes into the fallback and encodes back unchanged.

        use std::fmt::{Debug, Display};

        use serde::Serialize;
        use serde::de::DeserializeOwned;

        fn check_open_enum<T>(known: &[T], name: &str) -> Vec<String>
        where
            T: Serialize + DeserializeOwned + Display + PartialEq + Debug,
        {
            let mut failures = Vec::new();
            for value in known {
                let json = serde_json::to_value(value).expect("enums serialize");
                let back: T = serde_json::from_value(json.clone()).expect("strings decode");
                if &back != value || json.as_str() != Some(value.to_string().as_str()) {
                    failures.push(format!("{name}: {value:?} -> {json} -> {back:?}"));
                }
            }
            let novel = serde_json::json!("a_value_added_after_this_sdk");
            match serde_json::from_value::<T>(novel.clone()) {
                Ok(v) if known.contains(&v) => failures.push(format!("{name}: unknown value decoded as {v:?}")),
                Ok(v) if serde_json::to_value(&v).ok() != Some(novel.clone()) || v.to_string() != novel.as_str().unwrap_or("") => {
                    failures.push(format!("{name}: unknown value not kept: {v:?}"));
                }
                Ok(_) => {}
                Err(e) => failures.push(format!("{name}: unknown value rejected: {e}")),
            }
            failures
        }

        #[test]
        fn every_enum_is_open() {
            let mut failures: Vec<String> = Vec::new();
            #(#checks)*
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    }
}
