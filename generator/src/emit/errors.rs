//! `src/errors.rs`: typed bodies of error responses, decoded by status for every failed call.

use proc_macro2::TokenStream;
use quote::quote;

use super::models::ty_tokens;
use super::rust::ident;
use crate::ir::Api;
use crate::ir::errors::TextField;

pub(super) fn errors_rs(api: &Api) -> TokenStream {
    let types = &api.types;
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut messages = Vec::new();
    let mut codes = Vec::new();
    let mut details = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for body in &api.error_bodies {
        let (status, ty) = (&body.status, &body.ty);
        let tokens = ty_tokens(types, ty);
        let variant = ident(&body.variant);
        if !seen.contains(&body.variant.as_str()) {
            seen.push(&body.variant);
            let doc = format!(" The body of a `{status}` response.");
            variants.push(quote!(#[doc = #doc] #variant(#tokens),));
            let read = |field: &Option<TextField>| match field {
                Some(TextField { name, optional }) => {
                    let f = name.ident();
                    if *optional {
                        quote!(ApiErrorBody::#variant(body) => body.#f.as_deref(),)
                    } else {
                        quote!(ApiErrorBody::#variant(body) => Some(body.#f.as_str()),)
                    }
                }
                None => quote!(ApiErrorBody::#variant(_) => None,),
            };
            messages.push(read(&body.message));
            codes.push(read(&body.code));
            details.push(match &body.details {
                Some(TextField { name, optional }) => {
                    let f = name.ident();
                    if *optional {
                        quote!(ApiErrorBody::#variant(body) => body.#f.as_deref().unwrap_or(&[]),)
                    } else {
                        quote!(ApiErrorBody::#variant(body) => &body.#f,)
                    }
                }
                None => quote!(ApiErrorBody::#variant(_) => &[],),
            });
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
    // A spec without error bodies has an empty enum, which only `match *self {}` covers.
    let scrutinee = if seen.is_empty() {
        quote!(*self)
    } else {
        quote!(self)
    };
    let (detail, detail_doc) = match &api.error_details.item {
        Some(item) => (
            ty_tokens(types, item),
            " One of the details of an API error (the item of the error bodies' `details`).",
        ),
        None => (
            quote!(serde_json::Value),
            " One of the details of an API error. The spec's error bodies list none, so \
              [`ApiErrorBody::details`] is always empty.",
        ),
    };
    quote! {
        //! Typed bodies of the error responses the spec declares.

        #[doc = #detail_doc]
        pub type ApiErrorDetail = #detail;

        /// The decoded body of an error response, when it matched the type the spec declares for
        /// its status. The raw body is always on the [`Error`](crate::Error) as well.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ApiErrorBody {
            #(#variants)*
        }

        impl ApiErrorBody {
            /// The server's human-readable message, whatever the status (the body's `message`).
            pub fn message(&self) -> Option<&str> {
                match #scrutinee {
                    #(#messages)*
                }
            }

            /// The server's machine-readable error code, whatever the status (the body's `code`).
            pub fn code(&self) -> Option<&str> {
                match #scrutinee {
                    #(#codes)*
                }
            }

            /// The details the server gives about the error, whatever the status (the body's
            /// `details`); empty when the body has none.
            pub fn details(&self) -> &[ApiErrorDetail] {
                match #scrutinee {
                    #(#details)*
                }
            }
        }

        /// Decodes an error body by status; `None` when it is not the declared JSON.
        #decode
    }
}
