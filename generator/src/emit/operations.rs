//! Operations: one resource struct per `x-speakeasy-group` path, with a method per operation that
//! returns a request builder. Required inputs are arguments, optional ones are setters, and
//! `send().await` performs the call through the hand-written runtime (`crate::http::Call`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::markdown::spec_markdown;
use super::models::ty_tokens;
use super::rust::{accepting, docs, ident, inner_docs, own_docs};
use crate::ir::names::camel;
use crate::ir::operations::{Body, Location, Operation, Param, PathSegment, Retries};
use crate::ir::rust_type::{Printer, Root};
use crate::ir::setters::BodyInput;
use crate::ir::types::{Presence, Ty, TypeKind};
use crate::ir::{Api, Name};

/// Every distinct `x-speakeasy-retries` policy, in order of first use.
fn retry_policies(api: &Api) -> Vec<&Retries> {
    let mut out: Vec<&Retries> = Vec::new();
    for r in api.operations.iter().filter_map(|op| op.retries.as_ref()) {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

fn policy_index(api: &Api, r: &Retries) -> usize {
    retry_policies(api)
        .iter()
        .position(|p| *p == r)
        .unwrap_or(0)
}

fn retry_policy_static(index: usize) -> syn::Ident {
    ident(&format!("RETRY_POLICY_{index}"))
}

/// One `static` per distinct retry policy, shared by the operations that use it. Built on first use
/// and borrowed by every call after that: a `RetryConfig` owns its status code patterns, and
/// building one per call would cost a few allocations on every request.
fn retry_policy_items(api: &Api) -> Vec<TokenStream> {
    retry_policies(api)
        .iter()
        .enumerate()
        .map(|(index, r)| {
            let name = retry_policy_static(index);
            let lit = proc_macro2::Literal::u64_unsuffixed;
            let (i, m, e) = (lit(r.initial_interval_ms), lit(r.max_interval_ms), lit(r.max_elapsed_time_ms));
            let x = proc_macro2::Literal::f64_unsuffixed(r.exponent);
            let codes = &r.status_codes;
            let conn = r.retry_connection_errors;
            let doc = format!(
                "The spec's retry policy: backoff from {i} ms, at most {m} ms apart, within {e} ms; statuses {}; connection errors: {conn}.",
                codes.join(", ")
            );
            let doc = docs(&doc);
            quote! {
                #doc
                // Unused when the cargo features leave out every operation that uses it.
                #[allow(dead_code)]
                pub(crate) static #name: std::sync::LazyLock<crate::RetryConfig> = std::sync::LazyLock::new(|| {
                    let backoff = crate::Backoff {
                        initial_interval: std::time::Duration::from_millis(#i),
                        max_interval: std::time::Duration::from_millis(#m),
                        max_elapsed_time: std::time::Duration::from_millis(#e),
                        exponent: #x,
                    };
                    crate::RetryConfig::backoff(backoff)
                        .status_codes([#(#codes),*])
                        .retry_connection_errors(#conn)
                });
            }
        })
        .collect()
}

/// A node of the group tree: the operations at this path and the sub-groups below it.
#[derive(Default)]
struct Group<'a> {
    /// Group path as Rust module-style names (`["transactions", "refunds"]`).
    path: Vec<Name>,
    ops: Vec<&'a Operation>,
    /// Keyed by the sub-group's Rust name as written (`r#type`), which fixes their order.
    children: BTreeMap<String, (Name, Group<'a>)>,
}

impl<'a> Group<'a> {
    fn insert(&mut self, op: &'a Operation, depth: usize) {
        match op.group.get(depth) {
            None => self.ops.push(op),
            Some(segment) => {
                let path = op.group[..=depth].to_vec();
                self.children
                    .entry(segment.rust())
                    .or_insert_with(|| {
                        (
                            segment.clone(),
                            Group {
                                path,
                                ..Group::default()
                            },
                        )
                    })
                    .1
                    .insert(op, depth + 1);
            }
        }
    }

    /// The cargo feature that gates this group: its operations' resource (they share the first
    /// segment of their group path).
    fn feature(&self) -> Option<&'a str> {
        self.ops
            .first()
            .map(|op| op.resource())
            .or_else(|| self.children.values().find_map(|(_, g)| g.feature()))
    }

    /// The group path as Rust spells it, dotted (`transactions.refunds`).
    fn dotted(&self) -> String {
        let names: Vec<String> = self.path.iter().map(Name::rust).collect();
        names.join(".")
    }

    /// The resource struct's name: the camel-cased path (`TransactionsRefunds`).
    fn struct_name(&self) -> syn::Ident {
        let name: String = self.path.iter().map(|p| camel(&p.bare).bare).collect();
        ident(if name.is_empty() { "Api" } else { &name })
    }
}

/// The files of `src/operations/`: `mod.rs` plus one module per top-level group.
pub(super) fn files(api: &Api) -> Vec<(String, TokenStream)> {
    let mut root = Group::default();
    for op in &api.operations {
        root.insert(op, 0);
    }
    let mut out = Vec::new();
    let policies = retry_policy_items(api);
    let helper = checkout_session_helper(api);
    let mut modules = Vec::new();
    let mut accessors = Vec::new();
    for (module, group) in root.children.values() {
        let m = module.ident();
        let name = group.struct_name();
        let doc = docs(&format!("Operations of the `{}` group.", group.dotted()));
        let cfg = match group.feature() {
            Some(feature) => quote!(#[cfg(feature = #feature)]),
            None => quote!(),
        };
        modules.push(quote!(#cfg pub mod #m;));
        accessors.push(quote! {
            #doc
            #cfg
            pub fn #m(&self) -> #m::#name<'_> {
                #m::#name { client: self }
            }
        });
        let mut items = Vec::new();
        group_items(api, group, &mut items);
        let file_doc = inner_docs(&format!("Operations of the `{}` group.", group.dotted()));
        out.push((
            format!("src/operations/{}.rs", module.bare),
            quote! {
                #file_doc
                #(#items)*
            },
        ));
    }
    out.insert(
        0,
        (
            "src/operations/mod.rs".to_string(),
            quote! {
                //! Every operation of the API, grouped as in Gr4vy's official SDKs. Start from
                //! [`Client`](crate::Client): `client.transactions().list().send().await`.
                #(#modules)*

                #(#policies)*

                impl crate::Client {
                    #(#accessors)*
                    #helper
                }
            },
        ),
    );
    out
}

/// `Client::checkout_session_embed_token`, when `spec/generator.toml` names the operation that
/// creates checkout sessions: the call to it, then an embed token pinned to the new session.
fn checkout_session_helper(api: &Api) -> TokenStream {
    let Some(helper) = &api.checkout_session_helper else {
        return quote!();
    };
    let op = &api.operations[helper.operation];
    let feature = op.resource();
    let groups = op.group.iter().map(|g| g.ident());
    let method = op.name.ident();
    let id = helper.id_field.ident();
    let response = Printer::new(&api.types, Root::Crate).returned(&op.success);
    let (param, param_doc, request) = match &op.body {
        None => (quote!(), "", quote!(self #(.#groups())* .#method())),
        Some(body) if body.input == BodyInput::Argument => {
            let ty = ty_tokens(&api.types, &body.ty);
            (
                quote!(, session: impl Into<#ty>),
                " `session` is the body of the request that creates the session.",
                quote!(self #(.#groups())* .#method(session)),
            )
        }
        Some(body) => {
            let ty = ty_tokens(&api.types, &body.ty);
            (
                quote!(, session: Option<#ty>),
                " `session` is the optional body of the request that creates the session.",
                quote! {{
                    let request = self #(.#groups())* .#method();
                    match session {
                        Some(body) => request.body(body),
                        None => request,
                    }
                }},
            )
        }
    };
    let doc = docs(&format!(
        "Creates a checkout session (`{} {}`), then signs an embed token pinned to it: the two \
         steps of a Gr4vy Embed checkout in one call. Returns the session and the token.{param_doc}\n\n\
         Needs a client built with [`ClientBuilder::private_key`](crate::ClientBuilder::private_key); \
         without one it fails with [`ErrorKind::Auth`](crate::ErrorKind::Auth) before sending anything.",
        op.method.as_upper(),
        op.path
    ));
    quote! {
        #doc
        #[cfg(feature = #feature)]
        pub async fn checkout_session_embed_token(
            &self,
            embed: &crate::auth::EmbedParams
            #param
        ) -> Result<(#response, String), crate::Error> {
            let key = self.private_key()?;
            let created = #request.send().await?;
            let token = crate::auth::get_embed_token(key, embed, Some(&created.#id))?;
            Ok((created, token))
        }
    }
}

/// The resource struct of `group`, its sub-groups' structs, and a request builder per operation.
fn group_items(api: &Api, group: &Group<'_>, items: &mut Vec<TokenStream>) {
    let name = group.struct_name();
    let mut methods = Vec::new();
    for (child_name, child) in group.children.values() {
        let m = child_name.ident();
        let child_struct = child.struct_name();
        let doc = docs(&format!("Operations of the `{}` group.", child.dotted()));
        methods.push(quote! {
            #doc
            pub fn #m(&self) -> #child_struct<'a> {
                #child_struct { client: self.client }
            }
        });
        group_items(api, child, items);
    }
    for op in &group.ops {
        let (method, builder) = operation(api, op);
        methods.push(method);
        items.push(builder);
    }
    let doc = docs(&format!(
        "Operations of the `{}` group. Get it from the [`Client`](crate::Client).",
        group.dotted()
    ));
    items.insert(
        0,
        quote! {
            #doc
            #[derive(Debug, Clone, Copy)]
            pub struct #name<'a> {
                pub(crate) client: &'a crate::Client,
            }

            impl<'a> #name<'a> {
                #(#methods)*
            }
        },
    );
}

/// The body's setters the builder repeats (see `ir/setters.rs`), each calling the body's own.
fn forwarded_setters(api: &Api, printer: &Printer<'_>, body: &Body) -> Vec<TokenStream> {
    let Ty::Named(id) = &body.ty else {
        return Vec::new();
    };
    let def = api.types.get(*id);
    let TypeKind::Struct(s) = &def.kind else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for forwarded in &body.forwarded {
        let f = &s.fields[forwarded.field];
        let setter = forwarded.setter.ident();
        let (accepts, _) = accepting(printer, &f.ty, quote!(value));
        let doc = own_docs(&format!(
            "Sets the body's `{}`, as the setter of [`{}`](crate::models::{}) does.",
            f.name.wire, def.name.bare, def.name.bare
        ));
        out.push(quote! {
            #doc
            pub fn #setter(mut self, value: #accepts) -> Self {
                self.body = self.body.#setter(value);
                self
            }
        });
        if let Some(clear) = &forwarded.clear {
            let clear_ident = clear.ident();
            let doc = own_docs(&format!(
                "Sends the body's `{}` as `null`, which clears it on the server.",
                f.name.wire
            ));
            out.push(quote! {
                #doc
                pub fn #clear_ident(mut self) -> Self {
                    self.body = self.body.#clear_ident();
                    self
                }
            });
        }
    }
    out
}

/// One input of an operation as the builder holds it.
struct Input<'p> {
    param: &'p Param,
    field: syn::Ident,
    ty: TokenStream,
}

/// The resource method and the request builder of one operation.
fn operation(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let types = &api.types;
    let printer = Printer::new(types, Root::Crate);
    let builder = ident(&op.builder);
    let method_name = op.name.ident();

    let inputs: Vec<Input<'_>> = op
        .params
        .iter()
        .map(|p| Input {
            param: p,
            field: p.field.ident(),
            ty: printer.param(p).into_token_stream(),
        })
        .collect();

    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut call_steps = Vec::new();
    for input in &inputs {
        let (field, ty, p) = (&input.field, &input.ty, input.param);
        let fdoc = docs(
            &p.docs
                .clone()
                .unwrap_or_else(|| format!("The `{}` {} parameter.", p.name.wire, p.location)),
        );
        let wire = &p.name.wire;
        // A required nullable parameter is an `Option<T>` argument; any other takes the shape
        // its type accepts.
        let accept = |value: TokenStream| {
            if p.is_nullable_argument() {
                (quote!(impl Into<#ty>), quote!(#value.into()))
            } else {
                accepting(&printer, &p.ty, value)
            }
        };
        if p.is_argument() {
            let (accepts, convert) = accept(quote!(#field));
            fields.push(quote!(#fdoc #field: #ty,));
            args.push(quote!(#field: #accepts));
            inits.push(quote!(#field: #convert));
        } else {
            let (accepts, convert) = accept(quote!(value));
            fields.push(quote!(#fdoc #field: Option<#ty>,));
            inits.push(quote!(#field: None));
            let sdoc = docs(&format!(
                "Sets the `{wire}` {} parameter: {}",
                p.location,
                p.docs.as_deref().unwrap_or("").lines().next().unwrap_or("")
            ));
            setters.push(quote! {
                #sdoc
                pub fn #field(mut self, value: #accepts) -> Self {
                    self.#field = Some(#convert);
                    self
                }
            });
        }
        match p.location {
            Location::Query => call_steps.push(quote!(call.query(#wire, &self.#field);)),
            Location::Header => call_steps.push(quote!(call.header(#wire, &self.#field);)),
            Location::Path => {}
        }
    }

    // The path: literal parts around the placeholders, each filled with an encoded segment.
    let mut parts = Vec::new();
    let mut path_args = Vec::new();
    let mut literal = String::new();
    for segment in &op.path.segments {
        match segment {
            PathSegment::Literal(text) => literal.push_str(text),
            PathSegment::Param(index) => {
                parts.push(std::mem::take(&mut literal));
                let field = op.params[*index].field.ident();
                path_args.push(quote!(&self.#field));
            }
        }
    }
    parts.push(literal);
    let path_expr = if path_args.is_empty() {
        let only = &parts[0];
        quote!(#only.to_owned())
    } else {
        quote!(crate::runtime::path::build(&[#(#parts),*], &[#(#path_args),*]))
    };

    // The body.
    if let Some(body) = &op.body {
        let ty = ty_tokens(types, &body.ty);
        if body.input == BodyInput::Argument {
            fields.push(quote!(/// The request body.
                body: #ty,));
            args.push(quote!(body: impl Into<#ty>));
            inits.push(quote!(body: body.into()));
            call_steps.push(quote!(call.json(&self.body);));
        } else if body.input == BodyInput::Defaulted {
            fields.push(
                quote!(/// The request body: its default (every field left out) unless `.body()` sets one.
                body: #ty,),
            );
            inits.push(quote!(body: Default::default()));
            setters.push(quote! {
                /// Sets the request body, which is otherwise sent with every field left out.
                pub fn body(mut self, value: impl Into<#ty>) -> Self {
                    self.body = value.into();
                    self
                }
            });
            setters.extend(forwarded_setters(api, &printer, body));
            call_steps.push(quote!(call.json(&self.body);));
        } else {
            fields.push(quote!(/// The request body, if any.
                body: Option<#ty>,));
            inits.push(quote!(body: None));
            setters.push(quote! {
                /// Sets the request body.
                pub fn body(mut self, value: impl Into<#ty>) -> Self {
                    self.body = Some(value.into());
                    self
                }
            });
            call_steps.push(quote! {
                if let Some(body) = &self.body {
                    call.json(body);
                }
            });
        }
    }

    if let Some(r) = &op.retries {
        let policy = retry_policy_static(policy_index(api, r));
        call_steps.push(quote!(call.spec_retries(&super::#policy);));
    }
    if let Some(wire) = &op.idempotency_key {
        call_steps.push(quote!(call.idempotency_key_header(#wire);));
    }

    // The response.
    let out_ty = printer.returned(&op.success);
    let send_call = match &op.success.body {
        Some(_) => quote!(call.send::<#out_ty>().await),
        None => quote!(call.send_empty().await),
    };

    let pagination = match &op.pagination {
        None => quote!(),
        Some(p) => {
            let page = out_ty.clone();
            let item = printer.ty(&p.item_ty);
            let cursor = p.cursor_param.ident();
            let next = p.next_cursor.name.ident();
            let next_expr = match p.next_cursor.presence {
                Presence::Required => quote!(Some(page.#next.clone())),
                Presence::OptionalNullable => {
                    quote!(page.#next.clone().and_then(crate::Nullable::into_option))
                }
                Presence::Optional | Presence::RequiredNullable => quote!(page.#next.clone()),
            };
            let items = p.items.name.ident();
            let items_expr = match p.items.presence {
                Presence::Required => quote!(page.#items),
                Presence::OptionalNullable => {
                    quote!(page.#items.and_then(crate::Nullable::into_option).unwrap_or_default())
                }
                Presence::Optional | Presence::RequiredNullable => {
                    quote!(page.#items.unwrap_or_default())
                }
            };
            quote! {
                /// Every page, fetched as the stream is polled: each request resends this builder's
                /// parameters with the previous page's cursor, until a page has no next cursor.
                /// A cursor the API already gave in this stream, or more pages than
                /// [`RequestOptions::max_pages`](crate::RequestOptions::max_pages), ends the stream
                /// with an [`ErrorKind::Pagination`](crate::ErrorKind::Pagination) error.
                pub fn pages(self) -> crate::Pages<#page> {
                    crate::Pages::new(crate::http::pages(
                        self.options.max_pages,
                        self,
                        |builder: Self| builder.send(),
                        |page: &#page| #next_expr,
                        |builder: &mut Self, cursor: String| builder.#cursor = Some(cursor),
                    ))
                }

                /// Every item of every page, in order (see [`pages`](Self::pages)).
                pub fn items(self) -> crate::Items<#item> {
                    crate::Items::new(crate::http::items(self.pages(), |page: #page| #items_expr))
                }

                /// [`pages`](Self::pages) as an iterator whose `next()` waits for the page, for
                /// programs without async (`blocking` feature; see [`send_blocking`](Self::send_blocking)).
                #[cfg(feature = "blocking")]
                pub fn pages_blocking(self) -> crate::BlockingIter<#page> {
                    let client = self.client.clone();
                    self.pages().into_blocking(client)
                }

                /// [`items`](Self::items) as an iterator whose `next()` waits for the item, for
                /// programs without async (`blocking` feature; see [`send_blocking`](Self::send_blocking)).
                #[cfg(feature = "blocking")]
                pub fn items_blocking(self) -> crate::BlockingIter<#item> {
                    let client = self.client.clone();
                    self.items().into_blocking(client)
                }
            }
        }
    };

    let http_method = ident(op.method.as_upper());
    let (operation_id, template) = (&op.id, &op.path.template);
    let summary = op.summary.clone().unwrap_or_else(|| op.id.clone());
    // Each part converted on its own, so a fence the spec leaves open ends with its part.
    let mut text = format!(
        "{}\n\n`{} {}`",
        spec_markdown(&summary),
        op.method.as_upper(),
        op.path
    );
    if let Some(d) = &op.docs
        && d.trim() != summary.trim()
    {
        text.push_str("\n\n");
        text.push_str(&spec_markdown(d));
    }
    let mut method_doc = docs(&text);
    if let Some(example) = super::snippets::doc_section(api, op) {
        method_doc.extend(own_docs(&format!("\n{example}")));
    }
    let builder_doc = docs(&format!(
        "Request builder for `{} {}`: {summary}",
        op.method.as_upper(),
        op.path
    ));
    let many = if args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let method = quote! {
        #method_doc
        #many
        pub fn #method_name(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits,)*
                options: crate::RequestOptions::default(),
            }
        }
    };
    let builder_tokens = quote! {
        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `send` is awaited"]
        pub struct #builder {
            client: crate::Client,
            #(#fields)*
            options: crate::RequestOptions,
        }

        impl #builder {
            #(#setters)*

            /// Per-call settings: merchant account, retries, timeout, base URL, extra headers.
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and decodes the response.
            pub async fn send(self) -> Result<#out_ty, crate::Error> {
                let mut call = crate::http::Call::new(
                    &self.client,
                    reqwest::Method::#http_method,
                    crate::http::Endpoint::new(#operation_id, #template),
                    #path_expr,
                );
                #(#call_steps)*
                call.options(self.options);
                #send_call
            }

            /// Sends the request and waits for the response on the client's own runtime, for
            /// programs without async (`blocking` feature). Inside an async runtime it sends
            /// nothing and fails with [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest):
            /// use [`send`](Self::send) there.
            #[cfg(feature = "blocking")]
            pub fn send_blocking(self) -> Result<#out_ty, crate::Error> {
                self.client.clone().block_on(self.send())
            }

            #pagination
        }
    };
    (method, builder_tokens)
}
