//! `src/errors.rs`: typed bodies of error responses, decoded by status for every failed call.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::models::ty_tokens;
use super::rust::ident;
use crate::ir::Api;
use crate::ir::types::Ty;

/// Status patterns (`404`, `4XX`, `default`) with the JSON type operations declare for them.
/// The first declaration of a status wins; in Gr4vy's spec every operation declares the same ones.
fn error_types(api: &Api) -> BTreeMap<String, Ty> {
    let mut out = BTreeMap::new();
    for op in &api.operations {
        for r in op.error_responses() {
            if let Some(ty) = &r.ty {
                out.entry(r.status.clone()).or_insert_with(|| ty.clone());
            }
        }
    }
    out
}

pub(super) fn errors_rs(api: &Api) -> TokenStream {
    let types = &api.types;
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    // Exact statuses first, then ranges (`4XX`), then `default`, as HTTP matching requires.
    let mut entries: Vec<(String, Ty)> = error_types(api).into_iter().collect();
    entries.sort_by_key(|(status, _)| match status.as_str() {
        "default" => (2, status.clone()),
        s if s.ends_with("XX") || s.ends_with("xx") => (1, status.clone()),
        _ => (0, status.clone()),
    });
    for (status, ty) in entries {
        let tokens = ty_tokens(types, &ty);
        let variant_name = match &ty {
            Ty::Named(id) => types.get(*id).name.rust(),
            _ => format!("Status{status}"),
        };
        let variant = ident(&variant_name);
        if !seen.contains(&variant_name) {
            seen.push(variant_name.clone());
            let doc = format!(" The body of a `{status}` response.");
            variants.push(quote!(#[doc = #doc] #variant(#tokens),));
        }
        let pattern = match status.as_str() {
            "default" => quote!(_),
            s if s.len() == 3 && (s.ends_with("XX") || s.ends_with("xx")) => {
                let hundreds =
                    s.chars().next().and_then(|c| c.to_digit(10)).unwrap_or(0) as u16 * 100;
                let (first, last) = (
                    proc_macro2::Literal::u16_unsuffixed(hundreds),
                    proc_macro2::Literal::u16_unsuffixed(hundreds + 99),
                );
                quote!(#first..=#last)
            }
            s => match s.parse::<u16>() {
                Ok(code) => {
                    let code = proc_macro2::Literal::u16_unsuffixed(code);
                    quote!(#code)
                }
                Err(_) => continue,
            },
        };
        arms.push(quote! {
            #pattern => serde_json::from_slice::<#tokens>(body).ok().map(ApiErrorBody::#variant),
        });
    }
    let fallback = if arms.iter().any(|a| a.to_string().starts_with('_')) {
        quote!()
    } else {
        quote!(_ => None,)
    };
    // A spec that declares no error bodies still gets the function, which then decodes nothing.
    let decode = if arms.is_empty() {
        quote! {
            pub(crate) fn decode_api_error(_status: u16, _body: &[u8]) -> Option<ApiErrorBody> {
                None
            }
        }
    } else {
        quote! {
            pub(crate) fn decode_api_error(status: u16, body: &[u8]) -> Option<ApiErrorBody> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    };
    quote! {
        //! Typed bodies of the error responses the spec declares.

        /// The decoded body of an error response, when it matched the type the spec declares for
        /// its status. The raw body is always on the [`Error`](crate::Error) as well.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ApiErrorBody {
            #(#variants)*
        }

        /// Decodes an error body by status; `None` when it is not the declared JSON.
        #decode
    }
}
