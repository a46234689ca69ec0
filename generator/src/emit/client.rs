//! The crate root and the servers the client can talk to. The client itself is hand-written
//! (`templates/crate/src/http/`); this module only emits what the spec decides.

use proc_macro2::TokenStream;
use quote::quote;

use super::markdown::spec_markdown;
use super::rust::{docs, ident};
use crate::ir::Api;

/// `src/lib.rs`: crate docs (the README, so its examples are doctests) and the public surface.
pub(super) fn lib_rs(_api: &Api) -> TokenStream {
    quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]

        pub mod auth;
        mod errors;
        mod globals;
        mod http;
        pub mod models;
        pub mod operations;
        mod runtime;
        mod servers;
        pub mod webhooks;
        #[cfg(feature = "test-util")]
        pub mod testing;

        pub use errors::{ApiErrorBody, ApiErrorDetail};
        pub use http::*;
        pub use runtime::datetime::{Date, DateTime};
        pub use runtime::nullable::Nullable;
        pub use runtime::open_enum::UnknownValue;
        pub use servers::Server;
    }
}

/// `src/servers.rs`: the [`Server`] enum, the URL variables with their defaults, and a builder
/// setter per variable.
pub(super) fn servers_rs(api: &Api) -> TokenStream {
    let variants: Vec<_> = api.servers.iter().map(|s| ident(&s.name.rust())).collect();
    let variant_defs = api.servers.iter().enumerate().map(|(index, s)| {
        let mut text = match &s.description {
            Some(d) => format!("{}\n\n`{}`", spec_markdown(d), s.url_template),
            None => format!("The `{}` server: `{}`.", s.name.wire, s.url_template),
        };
        let default = if index == 0 {
            text.push_str("\n\nThis is the default.");
            quote!(#[default])
        } else {
            quote!()
        };
        let doc = docs(&text);
        let variant = ident(&s.name.rust());
        quote!(#doc #default #variant)
    });
    let wire_ids = api.servers.iter().map(|s| s.name.wire.as_str());
    let templates = api.servers.iter().map(|s| s.url_template.as_str());
    let count = proc_macro2::Literal::usize_unsuffixed(api.servers.len());

    let var_wires: Vec<&str> = api
        .server_variables
        .iter()
        .map(|v| v.name.wire.as_str())
        .collect();
    let var_defaults = api.server_variables.iter().map(|v| v.default.as_str());
    let setters = api.server_variables.iter().map(|v| {
        let mut text = v.description.as_deref().map_or_else(
            || format!("The `{}` server variable.", v.name.wire),
            spec_markdown,
        );
        text.push_str(&format!("\n\nDefaults to `{}`.", v.default));
        if !v.allowed.is_empty() {
            text.push_str(&format!(" Allowed values: `{}`.", v.allowed.join("`, `")));
        }
        let doc = docs(&text);
        let setter = ident(&v.name.rust());
        let wire = &v.name.wire;
        quote! {
            #doc
            pub fn #setter(self, value: impl Into<String>) -> Self {
                self.server_variable(#wire, value)
            }
        }
    });

    quote! {
        //! The Gr4vy environments a [`Client`](crate::Client) can talk to.

        /// The environments declared by the spec's `servers`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Server {
            #(#variant_defs,)*
        }

        impl Server {
            /// Every server, in the spec's order.
            pub const ALL: [Server; #count] = [#(Server::#variants),*];

            /// The server's id in the spec (`x-speakeasy-server-id`).
            pub fn id(self) -> &'static str {
                match self {
                    #(Server::#variants => #wire_ids,)*
                }
            }

            /// The URL template, with `{variable}` placeholders.
            pub fn url_template(self) -> &'static str {
                match self {
                    #(Server::#variants => #templates,)*
                }
            }
        }

        /// Every URL variable with its default, in order of first use.
        pub(crate) const SERVER_VARIABLES: &[(&str, &str)] = &[#((#var_wires, #var_defaults)),*];

        impl crate::ClientBuilder {
            #(#setters)*
        }
    }
}

/// `src/globals.rs`: the spec's global headers (`x-speakeasy-globals`) as setters on
/// `ClientBuilder` (every call) and `RequestOptions` (one call), and the table the runtime's
/// `Debug` impls list them from. The setters store the value under the header's wire name, which
/// is all the runtime needs to send it.
pub(super) fn globals_rs(api: &Api) -> TokenStream {
    let table = api.globals.iter().map(|g| {
        let (header, setter) = (&g.name.wire, &g.name.bare);
        quote!((#header, #setter))
    });
    let setters = |owner: &str| -> Vec<TokenStream> {
        api.globals
            .iter()
            .map(|g| {
                let mut text = g
                    .description
                    .as_deref()
                    .map_or_else(|| format!("The `{}` header.", g.name.wire), spec_markdown);
                let scope = if owner == "client" {
                    format!(
                        "\n\nSent as the `{}` header of every call; \
                         [`RequestOptions::{}`](crate::RequestOptions::{}) overrides it for one call.",
                        g.name.wire, g.name.bare, g.name.bare
                    )
                } else {
                    format!(
                        "\n\nSent as the `{}` header of this call, instead of the client's \
                         [`ClientBuilder::{}`](crate::ClientBuilder::{}).",
                        g.name.wire, g.name.bare, g.name.bare
                    )
                };
                text.push_str(&scope);
                let doc = docs(&text);
                let setter = g.name.ident();
                let header = &g.name.wire;
                quote! {
                    #doc
                    pub fn #setter(self, value: impl Into<String>) -> Self {
                        self.global(#header, value)
                    }
                }
            })
            .collect()
    };
    let (client, options) = (setters("client"), setters("options"));
    let env_prefix = crate::ir::settings::env_prefix(&api.config);
    let env_variables = api.server_variables.iter().map(|v| {
        let (variable, env) = (&v.name.wire, &v.env_var);
        quote!((#variable, #env))
    });
    let env_globals = api.globals.iter().map(|g| {
        let (header, env) = (&g.name.wire, &g.env_var);
        quote!((#header, #env))
    });
    // Each global's value is a field of every call's span, named after its setter.
    let span_fields = api.globals.iter().map(|g| {
        let field = format!("gr4vy.{}", g.name.bare);
        let header = &g.name.wire;
        quote!(#field = global(#header),)
    });
    quote! {
        //! The spec's global parameters (`x-speakeasy-globals`): headers set once on the client,
        //! or for one call, instead of being an argument of every operation.

        /// Every global: its header and the name of its setters, in the spec's order.
        pub(crate) const GLOBALS: &[(&str, &str)] = &[#(#table),*];

        /// The prefix of the environment variables `Client::from_env` reads: the crate's name.
        pub(crate) const ENV_PREFIX: &str = #env_prefix;

        /// The environment variable of each server variable, by its name in the URL; the
        /// generator checked that no two settings share one.
        pub(crate) const ENV_SERVER_VARIABLES: &[(&str, &str)] = &[#(#env_variables),*];

        /// The environment variable of each global, by its header.
        pub(crate) const ENV_GLOBALS: &[(&str, &str)] = &[#(#env_globals),*];

        /// The span of one call (opened by the runtime's `Call`): the operation, method, URL
        /// template (ids stay placeholders) and server, each global's value as
        /// `gr4vy.<setter>`, and empty fields the runtime records when the call ends. Field names
        /// follow OpenTelemetry's HTTP client conventions where there is one.
        pub(crate) fn call_span<'v>(
            endpoint: crate::http::Endpoint,
            method: &reqwest::Method,
            server: &str,
            global: impl Fn(&str) -> Option<&'v str>,
        ) -> tracing::Span {
            // Unused when the spec has no globals.
            let _ = &global;
            tracing::info_span!(
                "gr4vy.call",
                otel.name = tracing::field::Empty,
                otel.kind = "client",
                gr4vy.operation_id = endpoint.operation_id,
                http.request.method = %method,
                url.template = endpoint.template,
                server.address = server,
                #(#span_fields)*
                gr4vy.attempts = tracing::field::Empty,
                http.request.resend_count = tracing::field::Empty,
                http.response.status_code = tracing::field::Empty,
                error.type = tracing::field::Empty,
                gr4vy.duration_ms = tracing::field::Empty,
            )
        }

        impl crate::ClientBuilder {
            #(#client)*
        }

        impl crate::RequestOptions {
            #(#options)*
        }
    }
}
