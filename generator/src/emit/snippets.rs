//! Prints each operation's [`CallExample`]: Rust statements, formatted by prettyplease, that go
//! into the operation's rustdoc as a `no_run` doctest (so every one compiles) and into the overlaid
//! spec as its `x-codeSamples` entry.
//!
//! A value is printed for the slot it fills: an argument or setter (`impl Into<T>`, or an iterator
//! for lists and maps, see [`Accepts`]), or a place of exactly type `T` (a field of a `…Required`
//! struct, an item of `vec![]`). Strings from the spec only ever become string literals.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};
use serde_json::Value;

use super::rust::ident;
use crate::ir::Api;
use crate::ir::operations::Operation;
use crate::ir::rust_type::{Printer, Root};
use crate::ir::setters::{Accepts, BodyInput};
use crate::ir::snippets::Expr;
use crate::ir::types::{Constructor, Presence, Ty, TypeKind};

/// The example's statements, as a reader copies them (`client` is a `gr4vy::Client`).
pub fn code_sample(api: &Api, op: &Operation) -> Option<String> {
    let example = op.example.as_ref()?;
    let krate = api.config.name.replace('-', "_");
    let snippet = Snippet {
        api,
        printer: Printer::new(&api.types, Root::Extern(&krate)),
    };
    let mut params = op.params.iter().filter(|p| p.is_argument());
    let mut args = Vec::new();
    for value in &example.args {
        args.push(match params.next() {
            Some(p) if p.is_nullable_argument() => snippet.exact(value, &p.ty),
            Some(p) => snippet.arg(value, Accepts::of(&p.ty)),
            // The body argument is `impl Into<T>` whatever `T` is.
            None => match &op.body {
                Some(body) if body.input == BodyInput::Argument => {
                    snippet.arg(value, Accepts::Into(&body.ty))
                }
                _ => return None,
            },
        });
    }
    let groups = op.group.iter().map(|g| g.ident());
    let method = op.name.ident();
    let call = quote!(client #(.#groups())* .#method(#(#args),*));
    let statements = match (&example.binding, example.paginated) {
        (Some(binding), true) => {
            let item = ident(binding);
            quote! {
                let mut items = #call.items();
                while let Some(#item) = items.next().await {
                    let #item = #item?;
                }
            }
        }
        (Some(binding), false) => {
            let binding = ident(binding);
            quote!(let #binding = #call.send().await?;)
        }
        (None, _) => quote!(#call.send().await?;),
    };
    // Printed as the body of a function with a signature too short to wrap, whatever the
    // crate's name: its lines are then the statements, one indent deep.
    let file = quote! {
        fn example() {
            #statements
        }
    };
    let printed = prettyplease::unparse(&syn::parse2(file).ok()?);
    let lines: Vec<&str> = printed.lines().collect();
    let body = lines.get(1..lines.len().checked_sub(1)?)?;
    let text: Vec<&str> = body
        .iter()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect();
    Some(text.join("\n"))
}

/// `lang` of the `x-codeSamples` entries this generator writes.
pub const CODE_SAMPLE_LANG: &str = "rust";

/// Writes each operation's example into the overlaid spec as an `x-codeSamples` entry (`lang`
/// `rust`), the extension Gr4vy's docs pages read their other languages' samples from. An entry
/// of the same language already there is replaced; entries of other languages are kept.
pub fn add_code_samples(spec: &mut Value, api: &Api) {
    for op in &api.operations {
        let Some(source) = code_sample(api, op) else {
            continue;
        };
        let Some(Value::Object(operation)) = spec.pointer_mut(&op.pointer) else {
            continue;
        };
        let entry =
            serde_json::json!({"lang": CODE_SAMPLE_LANG, "label": "Rust", "source": source});
        let samples = operation
            .entry("x-codeSamples")
            .or_insert_with(|| Value::Array(Vec::new()));
        match samples {
            Value::Array(list) => {
                list.retain(|s| s.get("lang").and_then(Value::as_str) != Some(CODE_SAMPLE_LANG));
                list.push(entry);
            }
            other => *other = Value::Array(vec![entry]),
        }
    }
}

/// The `# Example` section of the operation's rustdoc: [`code_sample`] inside the hidden async
/// function that makes it a doctest. `no_run`: it would need a server.
pub(super) fn doc_section(api: &Api, op: &Operation) -> Option<String> {
    let sample = code_sample(api, op)?;
    let krate = api.config.name.replace('-', "_");
    Some(format!(
        "# Example\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), {krate}::Error> {{\n{sample}\n# Ok(())\n# }}\n```"
    ))
}

struct Snippet<'a> {
    api: &'a Api,
    printer: Printer<'a>,
}

impl<'a> Snippet<'a> {
    /// A value for an argument or setter taking the shape `accepts`.
    fn arg(&self, value: &Expr, accepts: Accepts<'_>) -> TokenStream {
        match (accepts, value) {
            (Accepts::Items(item), Expr::List(items)) if !items.is_empty() => {
                let items = items.iter().map(|v| self.arg(v, Accepts::of(item)));
                quote!([#(#items),*])
            }
            (Accepts::Pairs(item), Expr::Pairs(pairs)) if !pairs.is_empty() => {
                let pairs = pairs.iter().map(|(k, v)| {
                    let v = self.arg(v, Accepts::of(item));
                    quote!((#k, #v))
                });
                quote!([#(#pairs),*])
            }
            (Accepts::Into(ty), _) => self.into(value, ty),
            (Accepts::Items(item), _) => self.exact(value, &Ty::Array(Box::new(item.clone()))),
            (Accepts::Pairs(item), _) => self.exact(value, &Ty::Map(Box::new(item.clone()))),
        }
    }

    /// A value of some type that converts `Into` `ty`: a string literal for a string or an enum
    /// (which has `From<&str>`), a variant's own value for a union.
    fn into(&self, value: &Expr, ty: &Ty) -> TokenStream {
        match value {
            Expr::Str(s) => quote!(#s),
            Expr::Int(_) | Expr::Float(_) | Expr::Bool(_) => self.exact(value, ty),
            Expr::Variant { index, value } => match self.variant_ty(ty, *index) {
                Some(vty) => self.typed(value, &vty),
                None => self.exact(value, ty),
            },
            _ => self.exact(value, ty),
        }
    }

    /// A value of exactly `ty`.
    fn exact(&self, value: &Expr, ty: &Ty) -> TokenStream {
        let ty = self.resolve(ty);
        match value {
            Expr::Str(s) => quote!(#s.into()),
            Expr::Int(n) if matches!(ty, Ty::Number) => float(*n as f64),
            Expr::Int(n) => Literal::i64_unsuffixed(*n).into_token_stream(),
            Expr::Float(x) => float(*x),
            Expr::Bool(b) => quote!(#b),
            Expr::Time(text) => {
                let path = self.printer.ty(ty);
                quote!(#text.parse::<#path>().expect("a valid date"))
            }
            Expr::EnumValue(name) => {
                let path = self.printer.ty(ty);
                let variant = name.ident();
                quote!(#path::#variant)
            }
            Expr::List(items) => {
                let item = match ty {
                    Ty::Array(item) => item.as_ref().clone(),
                    _ => Ty::Any,
                };
                if items.is_empty() {
                    let item = self.printer.ty(&item);
                    return quote!(Vec::<#item>::new());
                }
                let items = items.iter().map(|v| self.exact(v, &item));
                quote!(vec![#(#items),*])
            }
            Expr::Pairs(pairs) => {
                let item = match ty {
                    Ty::Map(item) => item.as_ref().clone(),
                    _ => Ty::Any,
                };
                let pairs = pairs.iter().map(|(k, v)| {
                    let v = self.exact(v, &item);
                    quote!((#k.into(), #v))
                });
                quote!(std::collections::BTreeMap::from([#(#pairs),*]))
            }
            Expr::Struct(values) => self.construct(values, ty),
            Expr::Variant { index, value } => match self.variant_ty(ty, *index) {
                Some(vty) => {
                    let inner = self.typed(value, &vty);
                    quote!(#inner.into())
                }
                None => quote!(Default::default()),
            },
            Expr::Some(inner) => {
                let inner_ty = match ty {
                    Ty::Optional(inner) => inner.as_ref(),
                    other => other,
                };
                let inner = self.exact(inner, inner_ty);
                quote!(Some(#inner))
            }
            Expr::Null => quote!(None),
            // A free-form object is a `serde_json::Map`, which `json!` does not build.
            Expr::Json(Value::Object(map)) if matches!(ty, Ty::Object) => {
                if map.is_empty() {
                    return quote!(serde_json::Map::new());
                }
                let entries = map.iter().map(|(k, v)| {
                    let v = json_tokens(v);
                    quote!((String::from(#k), serde_json::json!(#v)))
                });
                quote!(serde_json::Map::from_iter([#(#entries),*]))
            }
            Expr::Json(v) => {
                let v = json_tokens(v);
                quote!(serde_json::json!(#v))
            }
        }
    }

    /// A value whose type is `ty` without any inference from its place (a union's `From` is
    /// generic over it): strings and numbers get their type spelled out.
    fn typed(&self, value: &Expr, ty: &Ty) -> TokenStream {
        match (value, self.resolve(ty)) {
            (Expr::Str(s), Ty::String) => quote!(String::from(#s)),
            (Expr::Int(n), Ty::Integer) => {
                let n = Literal::i64_suffixed(*n);
                quote!(#n)
            }
            (Expr::Int(n), Ty::Number) => {
                let n = Literal::f64_suffixed(*n as f64);
                quote!(#n)
            }
            (Expr::Float(x), _) => {
                let x = Literal::f64_suffixed(*x);
                quote!(#x)
            }
            (Expr::Str(s), other) => {
                let path = self.printer.ty(other);
                quote!(#path::from(#s))
            }
            _ => self.exact(value, ty),
        }
    }

    /// `Type::new(..)`: positional arguments, or the `…Required` struct.
    fn construct(&self, values: &[Expr], ty: &Ty) -> TokenStream {
        let Ty::Named(id) = ty else {
            return quote!(Default::default());
        };
        let api: &'a Api = self.api;
        let def = api.types.get(*id);
        let TypeKind::Struct(s) = &def.kind else {
            return quote!(Default::default());
        };
        let path = self.printer.ty(ty);
        let fields: Vec<_> = s.constructor_fields(def.usage).collect();
        match &s.constructor {
            Constructor::Named(required) => {
                let required_path = self.printer.model(&required.bare);
                let inits = fields.iter().zip(values).map(|(f, v)| {
                    let name = f.name.ident();
                    let v = self.exact(v, &f.ty);
                    quote!(#name: #v)
                });
                quote!(#path::new(#required_path { #(#inits),* }))
            }
            _ => {
                let args = fields.iter().zip(values).map(|(f, v)| {
                    if f.presence(def.usage) == Presence::RequiredNullable {
                        self.exact(v, &f.ty)
                    } else {
                        self.arg(v, Accepts::of(&f.ty))
                    }
                });
                quote!(#path::new(#(#args),*))
            }
        }
    }

    fn variant_ty(&self, ty: &Ty, index: usize) -> Option<Ty> {
        let Ty::Named(id) = self.resolve(ty) else {
            return None;
        };
        match &self.api.types.get(*id).kind {
            TypeKind::Union(u) => u.variants.get(index).map(|v| v.ty.clone()),
            _ => None,
        }
    }

    fn resolve<'t>(&'t self, ty: &'t Ty) -> &'t Ty {
        super::models::resolve_alias(&self.api.types, ty)
    }
}

fn float(x: f64) -> TokenStream {
    let x = Literal::f64_unsuffixed(x);
    quote!(#x)
}

/// `serde_json::json!` input for `value`: keys and strings as literals.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Literal::i64_unsuffixed(i).into_token_stream(),
            (None, Some(f)) => float(f),
            (None, None) => quote!(null),
        },
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({#(#entries),*})
        }
    }
}
