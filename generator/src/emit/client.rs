//! The crate root and the client's server selection.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{docs, ident};
use crate::ir::Api;

/// `src/lib.rs`: crate docs (the README, so its examples are doctests) and the public surface.
pub(super) fn lib_rs(_api: &Api) -> TokenStream {
    quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        // Descriptions come from the spec, which is written for a docs site, not for rustdoc.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

        pub mod client;
        pub mod models;
        mod runtime;

        pub use client::{Client, ClientBuilder, Server};
        pub use runtime::datetime::{Date, DateTime};
        pub use runtime::nullable::Nullable;
        pub use runtime::open_enum::UnknownValue;
    }
}

/// `src/client.rs`: the [`Server`] enum and the client builder's server and URL settings.
pub(super) fn client_rs(api: &Api) -> TokenStream {
    let variants: Vec<_> = api.servers.iter().map(|s| ident(&s.name.rust)).collect();
    let variant_defs = api.servers.iter().enumerate().map(|(index, s)| {
        let mut text = match &s.description {
            Some(d) => format!("{d}\n\n`{}`", s.url_template),
            None => format!("The `{}` server: `{}`.", s.name.wire, s.url_template),
        };
        let default = if index == 0 {
            text.push_str("\n\nThis is the default.");
            quote!(#[default])
        } else {
            quote!()
        };
        let doc = docs(&text);
        let variant = ident(&s.name.rust);
        quote!(#doc #default #variant)
    });
    let wire_ids = api.servers.iter().map(|s| s.name.wire.as_str());
    let templates = api.servers.iter().map(|s| s.url_template.as_str());
    let count = proc_macro2::Literal::usize_unsuffixed(api.servers.len());
    let variants_again = &variants;

    let var_fields: Vec<_> = api
        .server_variables
        .iter()
        .map(|v| ident(&v.name.rust))
        .collect();
    let var_defaults = api.server_variables.iter().map(|v| v.default.as_str());
    let var_placeholders = api
        .server_variables
        .iter()
        .map(|v| format!("{{{}}}", v.name.wire));
    let var_setter_docs = api.server_variables.iter().map(|v| {
        let mut text = v
            .description
            .clone()
            .unwrap_or_else(|| format!("The `{}` server variable.", v.name.wire));
        text.push_str(&format!("\n\nDefaults to `{}`.", v.default));
        if !v.allowed.is_empty() {
            text.push_str(&format!(" Allowed values: `{}`.", v.allowed.join("`, `")));
        }
        docs(&text)
    });
    let var_fields2 = &var_fields;

    // With no URL variables every field has its type's default, and clippy wants it derived.
    let (derive_default, default_impl) = if api.server_variables.is_empty() {
        (quote!(Default), quote!())
    } else {
        (
            quote!(),
            quote! {
                impl Default for ClientBuilder {
                    fn default() -> Self {
                        ClientBuilder {
                            server: Server::default(),
                            #(#var_fields2: #var_defaults.to_owned(),)*
                            base_url: None,
                        }
                    }
                }
            },
        )
    };
    quote! {
        //! Choosing which Gr4vy environment a [`Client`] talks to.

        /// The environments declared by the spec's `servers`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Server {
            #(#variant_defs,)*
        }

        impl Server {
            /// Every server, in the spec's order.
            pub const ALL: [Server; #count] = [#(Server::#variants_again),*];

            /// The server's id in the spec (`x-speakeasy-server-id`).
            pub fn id(self) -> &'static str {
                match self {
                    #(Server::#variants_again => #wire_ids,)*
                }
            }

            /// The URL template, with `{variable}` placeholders.
            pub fn url_template(self) -> &'static str {
                match self {
                    #(Server::#variants_again => #templates,)*
                }
            }
        }

        /// A configured Gr4vy API client. Cheap to clone.
        #[derive(Debug, Clone)]
        pub struct Client {
            base_url: String,
        }

        impl Client {
            /// Starts configuring a client: sandbox server and spec defaults unless told otherwise.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL every request is sent to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }
        }

        /// Configures a [`Client`].
        #[derive(Debug, Clone, #derive_default)]
        #[must_use]
        pub struct ClientBuilder {
            server: Server,
            #(#var_fields: String,)*
            base_url: Option<String>,
        }

        #default_impl

        impl ClientBuilder {
            /// Which environment to use.
            pub fn server(mut self, server: Server) -> Self {
                self.server = server;
                self
            }

            #(
                #var_setter_docs
                pub fn #var_fields2(mut self, value: impl Into<String>) -> Self {
                    self.#var_fields2 = value.into();
                    self
                }
            )*

            /// Sends every request to this URL instead of the chosen server's (for proxies and tests).
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            /// The base URL the client will use: the override, or the server's URL with its variables
            /// filled in.
            pub fn resolved_base_url(&self) -> String {
                let url = match &self.base_url {
                    Some(url) => url.clone(),
                    None => self.server.url_template().to_owned()
                        #(.replace(#var_placeholders, &self.#var_fields2))*,
                };
                url.trim_end_matches('/').to_owned()
            }

            /// Builds the client.
            pub fn build(self) -> Client {
                Client { base_url: self.resolved_base_url() }
            }
        }
    }
}
