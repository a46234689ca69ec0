//! Model types: one module per IR type under `src/models/`, plus the `const` marker types.
//!
//! What a field looks like in Rust is decided by [`Field::presence`]; this module only spells it.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::markdown::spec_markdown;
use super::rust::{accepting, docs, ident, own_docs};
use crate::ir::rust_type::{ModelScope, Printer, Root};
use crate::ir::types::{
    Constant, Constructor, DefaultValue, Discriminant, Enum, ExtraFields, Field, Presence,
    ResourceAccessor, ResourcePath, Sensitivity, Struct, Ty, TypeDef, TypeKind, Types, Union,
};
use crate::ir::{Api, Name};

/// The `const` marker types: value -> Rust type name, deterministic.
pub(super) struct Consts {
    names: BTreeMap<Constant, String>,
}

impl Consts {
    pub(super) fn collect(types: &Types) -> Consts {
        Consts {
            names: types.consts.clone(),
        }
    }

    fn path(&self, value: &Constant) -> TokenStream {
        let name = ident(self.names.get(value).map_or("Empty", String::as_str));
        quote!(crate::models::consts::#name)
    }

    /// `src/models/consts.rs`.
    pub(super) fn file(&self) -> TokenStream {
        let items = self.names.iter().map(|(value, name)| {
            let name = ident(name);
            let doc = format!(" The constant `{value}`.");
            match value {
                Constant::String(value) => quote! {
                    crate::runtime::constant::constant!(#[doc = #doc] #name = #value);
                },
                Constant::Integer(value) => {
                    // An unsuffixed literal, so that the macro's `i64` decides its type.
                    let value = proc_macro2::Literal::i64_unsuffixed(*value);
                    quote! {
                        crate::runtime::constant::constant!(#[doc = #doc] #name: i64 = #value);
                    }
                }
                Constant::Boolean(value) => quote! {
                    crate::runtime::constant::constant!(#[doc = #doc] #name: bool = #value);
                },
            }
        });
        quote! {
            //! Types for values the spec fixes (`const`). Each serializes as its value and decodes
            //! only from it; struct fields of these types are filled in by the SDK.
            #(#items)*
        }
    }
}

/// `src/models/mod.rs`: the modules and their re-exports, sorted by module name.
pub(super) fn mod_rs(types: &Types) -> TokenStream {
    let mut entries: Vec<(&str, String, &TypeDef)> = types
        .iter()
        .map(|t| (t.module.as_str(), t.name.rust(), t))
        .collect();
    entries.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let items = entries.iter().map(|(module, _, def)| {
        let m = ident(module);
        let n = def.name.ident();
        let cfg = super::rust::type_cfg(def);
        let required = match &def.kind {
            TypeKind::Struct(Struct {
                constructor: Constructor::Named(r),
                ..
            }) => {
                let r = r.ident();
                quote!(#cfg pub use #m::#r;)
            }
            _ => quote!(),
        };
        quote! {
            #cfg
            mod #m;
            #cfg
            pub use #m::#n;
            #required
        }
    });
    quote! {
        //! Every type of the Gr4vy API that an SDK operation sends or receives.
        pub mod consts;
        #(#items)*
    }
}

/// The module of one type.
pub(super) fn type_file(api: &Api, consts: &Consts, def: &TypeDef) -> TokenStream {
    let scope = ModelScope::of(&api.types, def);
    let printer = Printer::new(&api.types, Root::Crate).with_scope(&scope.in_scope);
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_tokens(api, &printer, consts, def, s),
        TypeKind::Enum(e) => enum_tokens(def, e),
        TypeKind::Union(u) => union_tokens(api, &printer, def, u),
        TypeKind::Alias(ty) => {
            let doc = type_docs(def);
            let name = def.name.ident();
            let ty = printer.ty(ty);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    };
    let imports = scope.imports.iter().map(|name| ident(name));
    let uses = match scope.imports.len() {
        0 => quote!(),
        1 => quote!(use crate::models::#(#imports)*;),
        _ => quote!(use crate::models::{#(#imports),*};),
    };
    quote! {
        #uses
        #body
    }
}

fn type_docs(def: &TypeDef) -> TokenStream {
    docs(&type_docs_text(def))
}

fn type_docs_text(def: &TypeDef) -> String {
    def.docs
        .clone()
        .unwrap_or_else(|| format!("The `{}` schema.", def.name.wire))
}

/// The Rust type of a reference, as written inside the generated crate (the IR's printer).
pub(super) fn ty_tokens(types: &Types, ty: &Ty) -> TokenStream {
    Printer::new(types, Root::Crate).ty(ty).into_token_stream()
}

/// Types whose empty value stands in for a required field a response left out (see README).
fn has_natural_empty(types: &Types, ty: &Ty) -> bool {
    matches!(
        resolve_alias(types, ty),
        Ty::Boolean | Ty::Array(_) | Ty::Map(_) | Ty::Object
    )
}

/// Does the (struct) type fix `property` with a `const`?
fn carries_const(types: &Types, ty: &Ty, property: &str) -> bool {
    match resolve_alias(types, ty) {
        Ty::Named(id) => match &types.get(*id).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .any(|f| f.name.wire == property && f.constant.is_some()),
            _ => false,
        },
        _ => false,
    }
}

/// Follows named aliases to the type they stand for (bounded, in case of an alias cycle).
pub(super) fn resolve_alias<'t>(types: &'t Types, mut ty: &'t Ty) -> &'t Ty {
    for _ in 0..types.defs.len() {
        match ty {
            Ty::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

fn field_docs(f: &Field) -> String {
    // Converted before our sentence is added, so a fence the spec leaves open cannot take it in.
    let mut text = f
        .docs
        .as_deref()
        .map_or_else(|| format!("The `{}` property.", f.name.wire), spec_markdown);
    if f.deprecated {
        text.push_str("\n\nDeprecated by the API.");
    }
    text
}

fn struct_tokens(
    api: &Api,
    printer: &Printer<'_>,
    consts: &Consts,
    def: &TypeDef,
    s: &Struct,
) -> TokenStream {
    let types = &api.types;
    let usage = def.usage;
    let name = def.name.ident();
    let doc = type_docs(def);

    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    // The fields of the `…Required` struct, when `new` takes its arguments by name.
    let mut required = Vec::new();
    let by_name = match &s.constructor {
        Constructor::Named(r) => Some(r.ident()),
        _ => None,
    };
    let mut codec = Codec::default();
    for f in &s.fields {
        let fname = f.name.ident();
        let fdoc = docs(&field_docs(f));
        if let Some(value) = &f.constant {
            let path = consts.path(value);
            let cdoc = docs(&format!("Always `{value}`; filled in by the SDK."));
            fields.push(quote! { #cdoc pub #fname: #path, });
            inits.push(quote!(#fname: Default::default()));
            codec.field(f, Wire::Defaulted);
            continue;
        }
        let declared = printer.field(def, f);
        let plain = printer.ty(&f.ty);
        let wrap = |value: TokenStream| {
            if f.boxed {
                quote!(Box::new(#value))
            } else {
                value
            }
        };
        match f.presence(usage) {
            Presence::Required => {
                let defaulted = usage.response && has_natural_empty(types, &f.ty);
                codec.field(
                    f,
                    match &f.default {
                        Some(value) => Wire::SpecDefault(default_tokens(printer, f, value)),
                        None if defaulted => Wire::Defaulted,
                        None => Wire::Required,
                    },
                );
                fields.push(quote! { #fdoc pub #fname: #declared, });
                let (accepts, convert) = accepting(printer, &f.ty, quote!(#fname));
                params.push(quote!(#fname: #accepts));
                required.push(quote! { #fdoc pub #fname: #plain, });
                inits.push(match (&by_name, f.boxed) {
                    (Some(_), false) => quote!(#fname),
                    (Some(_), true) => quote!(#fname: Box::new(#fname)),
                    (None, _) => {
                        let v = wrap(convert);
                        quote!(#fname: #v)
                    }
                });
            }
            Presence::RequiredNullable => {
                codec.field(f, Wire::Nullable);
                fields.push(quote! { #fdoc pub #fname: #declared, });
                params.push(quote!(#fname: Option<#plain>));
                required.push(quote! { #fdoc pub #fname: Option<#plain>, });
                inits.push(if f.boxed {
                    quote!(#fname: #fname.map(Box::new))
                } else {
                    quote!(#fname)
                });
            }
            Presence::Optional => {
                codec.field(f, Wire::Optional);
                fields.push(quote! { #fdoc pub #fname: #declared, });
                inits.push(quote!(#fname: None));
                let Some(setter) = f.setter.as_ref().map(Name::ident) else {
                    continue;
                };
                let sdoc = docs(&format!(
                    "Sets `{}`: {}",
                    f.name.wire,
                    first_line(&field_docs(f))
                ));
                let (accepts, convert) = accepting(printer, &f.ty, quote!(value));
                let v = wrap(convert);
                setters.push(quote! {
                    #sdoc
                    pub fn #setter(mut self, value: #accepts) -> Self {
                        self.#fname = Some(#v);
                        self
                    }
                });
            }
            Presence::OptionalNullable => {
                codec.field(f, Wire::Present);
                fields.push(quote! { #fdoc pub #fname: #declared, });
                inits.push(quote!(#fname: None));
                let (Some(setter), Some(clear)) = (
                    f.setter.as_ref().map(Name::ident),
                    f.clear.as_ref().map(Name::ident),
                ) else {
                    continue;
                };
                let sdoc = docs(&format!(
                    "Sets `{}`: {}",
                    f.name.wire,
                    first_line(&field_docs(f))
                ));
                let cdoc = docs(&format!(
                    "Sends `{}` as `null`, which clears it on the server.",
                    f.name.wire
                ));
                let (accepts, convert) = accepting(printer, &f.ty, quote!(value));
                let v = wrap(convert);
                setters.push(quote! {
                    #sdoc
                    pub fn #setter(mut self, value: #accepts) -> Self {
                        self.#fname = Some(crate::Nullable::Value(#v));
                        self
                    }
                    #cdoc
                    pub fn #clear(mut self) -> Self {
                        self.#fname = Some(crate::Nullable::Null);
                        self
                    }
                });
            }
        }
    }

    if let Some(extra) = &s.extra {
        let ename = extra.name.ident();
        let ty = printer.ty(&extra.ty);
        let edoc = docs(
            "The properties the spec does not name (`additionalProperties`), by key: kept when \
             decoding and written after the named ones when encoding.",
        );
        fields.push(quote! { #edoc pub #ename: #ty, });
        inits.push(quote!(#ename: Default::default()));
        codec.extra(&extra.name, ty.into_token_stream());
    }

    // Fields with a spec `default` start at it, so `Default` is written out rather than derived.
    let has_spec_defaults = s.fields.iter().any(|f| f.default.is_some());
    let (derive_default, default_impl) = if !s.derives_default(usage) {
        (quote!(), quote!())
    } else if has_spec_defaults {
        let values = s.fields.iter().map(|f| {
            let fname = f.name.ident();
            match &f.default {
                Some(value) => {
                    let value = default_tokens(printer, f, value);
                    quote!(#fname: #value)
                }
                None => quote!(#fname: Default::default()),
            }
        });
        let extra = s.extra.iter().map(|e| {
            let ename = e.name.ident();
            quote!(#ename: Default::default())
        });
        let ddoc =
            docs("Every field unset, except those with a default in the spec, which hold it.");
        (
            quote!(),
            quote! {
                impl Default for #name {
                    #ddoc
                    fn default() -> Self {
                        #name { #(#values,)* #(#extra,)* }
                    }
                }
            },
        )
    } else {
        (quote!(Default,), quote!())
    };
    // Card data and credentials: a hand-written `Debug` that hides them, else the derived one.
    let (derive_debug, debug_impl) = if s.fields.iter().any(|f| f.sensitive.is_some()) {
        let all: Vec<&Field> = s.fields.iter().collect();
        (
            quote!(),
            redacting_debug(types, &name, &def.name.rust(), &all, s.extra.as_ref()),
        )
    } else {
        (quote!(Debug,), quote!())
    };
    let constructor = match &by_name {
        _ if s.constructor == Constructor::None => quote!(),
        None => {
            let many = if params.len() > 7 {
                quote!(#[allow(clippy::too_many_arguments)])
            } else {
                quote!()
            };
            let new_doc = docs(if params.is_empty() {
                "Creates a value with every optional field unset."
            } else {
                "Creates a value from its required fields; optional fields start unset."
            });
            quote! {
                impl #name {
                    #new_doc
                    #many
                    pub fn new(#(#params),*) -> Self {
                        #name { #(#inits),* }
                    }
                    #(#setters)*
                }
            }
        }
        Some(req) => {
            let names = s.constructor_fields(usage).map(|f| f.name.ident());
            let label = def.name.rust();
            let req_doc = own_docs(&format!(
                "The required fields of [`{label}`], passed to [`{label}::new`] by name.\n\n\
                 Two or more of them accept the same values, so positional arguments could be \
                 swapped without a compile error, and a spec that reordered them would move each \
                 value to another field. `From` converts it into a [`{label}`] with every optional \
                 field unset."
            ));
            let new_doc = docs(
                "Creates a value from its required fields, given by name; optional fields start unset.",
            );
            let fields_of_req: Vec<&Field> = s.constructor_fields(usage).collect();
            let (req_debug_derive, req_debug) =
                if fields_of_req.iter().any(|f| f.sensitive.is_some()) {
                    (
                        quote!(),
                        redacting_debug(types, req, &req.to_string(), &fields_of_req, None),
                    )
                } else {
                    (quote!(Debug,), quote!())
                };
            quote! {
                #req_doc
                #[derive(#req_debug_derive Clone, PartialEq)]
                pub struct #req {
                    #(#required)*
                }
                #req_debug
                impl From<#req> for #name {
                    fn from(required: #req) -> Self {
                        Self::new(required)
                    }
                }
                impl #name {
                    #new_doc
                    pub fn new(required: #req) -> Self {
                        let #req { #(#names),* } = required;
                        #name { #(#inits),* }
                    }
                    #(#setters)*
                }
            }
        }
    };
    let serde = codec.tokens(def);
    let doc = if s.fields.iter().any(|f| f.sensitive.is_some()) {
        docs(&format!("{}\n\n{}", type_docs_text(def), redaction_note(s)))
    } else {
        doc
    };
    quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
        #default_impl
        #serde
        #constructor
    }
}

/// The expression of a field's spec default, of the field's declared type.
fn default_tokens(printer: &Printer<'_>, f: &Field, value: &DefaultValue) -> TokenStream {
    let value = match value {
        DefaultValue::Boolean(b) => quote!(#b),
        DefaultValue::Integer(n) => {
            let n = proc_macro2::Literal::i64_unsuffixed(*n);
            quote!(#n)
        }
        DefaultValue::Number(x) => {
            let x = proc_macro2::Literal::f64_unsuffixed(*x);
            quote!(#x)
        }
        DefaultValue::String(text) => quote!(String::from(#text)),
        DefaultValue::Enum(variant) => {
            let ty = printer.ty(&f.ty);
            let v = variant.ident();
            quote!(#ty::#v)
        }
    };
    if f.boxed {
        quote!(Box::new(#value))
    } else {
        value
    }
}

/// The doc paragraph saying what `Debug` leaves out, so nobody debugging a request is surprised.
fn redaction_note(s: &Struct) -> String {
    let list = |kind: Sensitivity| -> Vec<String> {
        s.fields
            .iter()
            .filter(|f| f.sensitive == Some(kind))
            .map(|f| format!("`{}`", f.name.wire))
            .collect()
    };
    // `a`, `a and b`, `a, b and c`.
    let join = |names: Vec<String>| match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    };
    let (cards, secrets) = (list(Sensitivity::CardNumber), list(Sensitivity::Secret));
    let mut parts = Vec::new();
    if !cards.is_empty() {
        parts.push(format!(
            "shows only the last four digits of {}",
            join(cards)
        ));
    }
    if !secrets.is_empty() {
        parts.push(format!("hides {}", join(secrets)));
    }
    format!(
        "`Debug` {}: card data and credentials stay out of logs. Serialization sends them in full.",
        parts.join(" and ")
    )
}

/// A `Debug` impl that prints the fields as the derive would, except sensitive ones, which go
/// through `runtime/redact.rs`.
fn redacting_debug(
    types: &Types,
    name: &proc_macro2::Ident,
    label: &str,
    fields: &[&Field],
    extra: Option<&ExtraFields>,
) -> TokenStream {
    let extra = extra.iter().map(|e| {
        let ename = e.name.ident();
        let shown = &e.name.bare;
        let value = match e.sensitive {
            None => quote!(&self.#ename),
            Some(_) => quote!(&crate::runtime::redact::opaque(&self.#ename)),
        };
        quote!(.field(#shown, #value))
    });
    let fields = fields.iter().map(|f| {
        let fname = f.name.ident();
        let shown = &f.name.bare;
        let value = match f.sensitive {
            None => quote!(&self.#fname),
            Some(kind) if redactable(types, &f.ty) => {
                let helper = match kind {
                    Sensitivity::CardNumber => quote!(card_number),
                    Sensitivity::Secret => quote!(secret),
                };
                quote!(&crate::runtime::redact::#helper(&self.#fname))
            }
            Some(_) => quote!(&crate::runtime::redact::opaque(&self.#fname)),
        };
        quote!(.field(#shown, #value))
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#fields)* #(#extra)* .finish()
            }
        }
    }
}

/// Whether `runtime::redact::Redact` covers the type: strings and plain values, through `Vec`,
/// `Option` and aliases. A generated struct, enum or union is hidden whole instead.
fn redactable(types: &Types, ty: &Ty) -> bool {
    match resolve_alias(types, ty) {
        Ty::Named(_) => false,
        Ty::Array(inner) | Ty::Optional(inner) => redactable(types, inner),
        _ => true,
    }
}

/// Cfg attributes for the two directions of a type: the one its usage needs is always compiled, the
/// other only with the crate's `serialize` / `deserialize` feature. Half of the models are only sent
/// or only received, and their unneeded impls were about a quarter of `cargo check` (README,
/// "Performance").
fn direction_cfgs(usage: crate::ir::types::Usage) -> (TokenStream, TokenStream) {
    let serialize = if usage.request {
        quote!()
    } else {
        quote!(#[cfg(feature = "serialize")])
    };
    let deserialize = if usage.response {
        quote!()
    } else {
        quote!(#[cfg(feature = "deserialize")])
    };
    (serialize, deserialize)
}

/// How a struct field goes to and comes from JSON. Structs implement `Serialize` and `Deserialize`
/// by hand rather than by derive: see `runtime/de.rs` for why.
#[derive(Clone)]
enum Wire {
    /// Always written; absent is an error.
    Required,
    /// Always written; absent is the type's default (`const` fields, and collections a response
    /// left out).
    Defaulted,
    /// `Option<T>` that the spec requires but allows `null`: `None` is written as `null`; absent and
    /// `null` both read as `None`.
    Nullable,
    /// `Option<T>`: `None` is left out; absent and `null` both read as `None`.
    Optional,
    /// `Option<Nullable<T>>`: `None` is left out and reads back from absent; `null` is `Some(Null)`.
    Present,
    /// `T` with the spec's `default` (the expression given): always written; absent reads as the
    /// default, and so does `null`, which the spec does not allow here but which read as `None`
    /// before the field had a default.
    SpecDefault(TokenStream),
}

/// The pieces of a struct's generated `Serialize` and `Object::from_map`. The locals of `from_map`
/// are the fields' own names, so the map and the key are `__map` and `__key`, which no field can be
/// called (field names are snake case without leading underscores).
#[derive(Default)]
struct Codec {
    entries: Vec<TokenStream>,
    locals: Vec<TokenStream>,
    arms: Vec<TokenStream>,
    inits: Vec<TokenStream>,
    /// The arm for a key no field has: skip its value, or keep it in the extra-fields map.
    other: Option<TokenStream>,
}

impl Codec {
    fn field(&mut self, f: &Field, wire: Wire) {
        let name = f.name.ident();
        let key = &f.name.wire;
        let key_bytes = proc_macro2::Literal::byte_string(key.as_bytes());
        self.entries.push(match &wire {
            Wire::Optional | Wire::Present => quote! {
                if let Some(value) = &self.#name {
                    __map.serialize_entry(#key, value)?;
                }
            },
            _ => quote!(__map.serialize_entry(#key, &self.#name)?;),
        });
        self.locals.push(quote!(let mut #name = None;));
        self.arms.push(match wire {
            Wire::Optional | Wire::Nullable | Wire::SpecDefault(_) => {
                quote!(#key_bytes => #name = __map.next_value()?,)
            }
            _ => quote!(#key_bytes => #name = Some(__map.next_value()?),),
        });
        self.inits.push(match wire {
            Wire::Required => quote!(#name: crate::runtime::de::required(#name, #key)?),
            Wire::Defaulted => quote!(#name: #name.unwrap_or_default()),
            // A `String` is built only when needed; the other values are constants.
            Wire::SpecDefault(value) if matches!(f.default, Some(DefaultValue::String(_))) => {
                quote!(#name: #name.unwrap_or_else(|| #value))
            }
            Wire::SpecDefault(value) => quote!(#name: #name.unwrap_or(#value)),
            Wire::Nullable | Wire::Optional | Wire::Present => quote!(#name),
        });
    }

    /// The map of other keys: written after the fields, and filled by every key no field has.
    fn extra(&mut self, name: &Name, ty: TokenStream) {
        let name = name.ident();
        self.entries.push(quote! {
            for (key, value) in &self.#name {
                __map.serialize_entry(key, value)?;
            }
        });
        self.locals
            .push(quote!(let mut #name: #ty = Default::default();));
        self.other = Some(quote! {
            _ => {
                #name.insert(__key.to_text::<__A::Error>()?, __map.next_value()?);
            }
        });
        self.inits.push(quote!(#name));
    }

    fn tokens(&self, def: &TypeDef) -> TokenStream {
        let name = def.name.ident();
        let expecting = format!("struct {}", def.name.rust());
        let (ser_cfg, de_cfg) = direction_cfgs(def.usage);
        let Codec {
            entries,
            locals,
            arms,
            inits,
            other,
        } = self;
        let other = other.clone().unwrap_or_else(|| {
            quote! {
                _ => {
                    __map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        });
        let (map_binding, read) = if entries.is_empty() {
            (
                quote!(__map),
                quote! {
                    while __map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                        __map.next_value::<serde::de::IgnoredAny>()?;
                    }
                },
            )
        } else {
            (
                quote!(mut __map),
                quote! {
                    while let Some(__key) = __map.next_key::<crate::runtime::de::Key<'de>>()? {
                        match __key.as_bytes() {
                            #(#arms)*
                            #other
                        }
                    }
                },
            )
        };
        quote! {
            #ser_cfg
            impl serde::Serialize for #name {
                fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                    use serde::ser::SerializeMap as _;
                    let #map_binding = serializer.serialize_map(None)?;
                    #(#entries)*
                    __map.end()
                }
            }

            #de_cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                    crate::runtime::de::object(deserializer)
                }
            }

            #de_cfg
            impl crate::runtime::de::Object for #name {
                const EXPECTING: &'static str = #expecting;

                fn from_map<'de, __A: serde::de::MapAccess<'de>>(mut __map: __A) -> Result<Self, __A::Error> {
                    #(#locals)*
                    #read
                    Ok(Self { #(#inits),* })
                }
            }
        }
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_string()
}

fn enum_tokens(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = def.name.ident();
    let doc = type_docs(def);
    let variants: Vec<_> = e.variants.iter().map(|v| v.name.ident()).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.name.wire.as_str()).collect();
    let vdocs = wires.iter().map(|w| docs(&format!("`{w}`")));
    let from_wire_body = if variants.is_empty() {
        quote!(#name::Unknown(crate::UnknownValue::new(value)))
    } else {
        quote! {
            match value {
                #(#wires => #name::#variants,)*
                other => #name::Unknown(crate::UnknownValue::new(other)),
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #vdocs #variants, )*
            /// A value this version of the SDK does not know, kept as received.
            Unknown(crate::UnknownValue),
        }

        impl #name {
            /// Every value this version of the SDK knows.
            pub const KNOWN: &'static [#name] = &[#(#name::#variants),*];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#variants => #wires,)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            fn from_wire(value: &str) -> Self {
                #from_wire_body
            }
        }

        crate::runtime::open_enum::open_enum!(#name);
    }
}

fn union_tokens(api: &Api, printer: &Printer<'_>, def: &TypeDef, u: &Union) -> TokenStream {
    let types = &api.types;
    let name = def.name.ident();
    let doc = type_docs(def);
    let variant_names: Vec<_> = u.variants.iter().map(|v| v.name.ident()).collect();
    let variant_defs = u.variants.iter().zip(&variant_names).map(|(v, vname)| {
        let ty = printer.boxed(&v.ty, v.boxed);
        let d = match &v.ty {
            Ty::Named(id) => format!(
                " Holds [`{0}`](crate::models::{0}).",
                types.get(*id).name.rust()
            ),
            _ => format!(" Holds `{}`.", Printer::new(types, Root::Short).ty(&v.ty)),
        };
        quote!(#[doc = #d] #vname(#ty))
    });
    let decode_each = u.variants.iter().zip(&variant_names).map(|(v, vname)| {
        let plain = printer.ty(&v.ty);
        let wrap = if v.boxed {
            quote!(|x| #name::#vname(Box::new(x)))
        } else {
            quote!(#name::#vname)
        };
        (plain, wrap)
    });
    let body = match &u.discriminant {
        Discriminant::Tag { property } => {
            let arms = decode_each.zip(&u.variants).map(|((plain, wrap), v)| {
                let tags = &v.tags;
                quote! {
                    #(Some(#tags))|* => <#plain as serde::Deserialize>::deserialize(&value).ok().map(#wrap),
                }
            });
            quote! {
                let decoded = match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => None,
                };
            }
        }
        Discriminant::BestFit => {
            let offers = decode_each.zip(&u.variants).map(|((plain, wrap), v)| {
                let fields: Vec<&str> = match &v.ty {
                    Ty::Named(id) => match &types.get(*id).kind {
                        TypeKind::Struct(s) => s.fields.iter().map(|f| f.name.wire.as_str()).collect(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                quote! {
                    fit.offer(&[#(#fields),*], |v| <#plain as serde::Deserialize>::deserialize(v).map(#wrap));
                }
            });
            quote! {
                let mut fit = crate::runtime::union::BestFit::new(&value);
                #(#offers)*
                let decoded = fit.finish();
            }
        }
    };
    // `From` each variant's type, so a setter taking `impl Into<Union>` accepts the variant's value
    // directly. Two variants can still be one Rust type behind aliases (`Email` and `Phone` both
    // strings); neither gets a `From`, since it could not say which variant it means.
    let spelled: Vec<String> = u
        .variants
        .iter()
        .map(|v| printer.ty(resolve_alias(types, &v.ty)).to_string())
        .collect();
    let unique = |i: usize| spelled.iter().filter(|t| **t == spelled[i]).count() == 1;
    let froms = u
        .variants
        .iter()
        .zip(&variant_names)
        .enumerate()
        .filter(|(i, _)| unique(*i))
        .map(|(_, (v, vname))| {
            let plain = printer.ty(&v.ty);
            let value = if v.boxed {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            // And `From` the `…Required` struct of a variant whose `new` takes its fields by name
            // (`CardWithUrlPaymentMethodCreateRequired { number, expiration_date }`): the variant
            // with its optional fields unset, so the common case needs no `::new` around it.
            let by_name = match &v.ty {
                Ty::Named(id) => match &types.get(*id).kind {
                    TypeKind::Struct(Struct {
                        constructor: Constructor::Named(req),
                        ..
                    }) => Some(req.ident()),
                    _ => None,
                },
                _ => None,
            };
            let from_required = by_name.map(|req| {
                let value = if v.boxed {
                    quote!(Box::new(#plain::new(required)))
                } else {
                    quote!(#plain::new(required))
                };
                quote! {
                    impl From<crate::models::#req> for #name {
                        fn from(required: crate::models::#req) -> Self {
                            #name::#vname(#value)
                        }
                    }
                }
            });
            quote! {
                impl From<#plain> for #name {
                    fn from(value: #plain) -> Self {
                        #name::#vname(#value)
                    }
                }
                #from_required
            }
        });
    // A tagged union whose variant types do not all carry the tag themselves (as a `const`) must add
    // it when serializing, or a value would not decode back into the same variant.
    let serialize = match &u.discriminant {
        Discriminant::Tag { property }
            if u.variants
                .iter()
                .any(|v| !carries_const(types, &v.ty, property)) =>
        {
            let arms = u.variants.iter().zip(&variant_names).map(|(v, vname)| {
                let tag = v.tags.first().map(String::as_str).unwrap_or_default();
                quote!(#name::#vname(inner) => (#tag, serde_json::to_value(inner)),)
            });
            quote! {
                impl serde::Serialize for #name {
                    fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                        let (tag, value) = match self {
                            #(#arms)*
                            #name::Unknown(value) => return serde::Serialize::serialize(value, serializer),
                        };
                        let mut value = value.map_err(serde::ser::Error::custom)?;
                        if let serde_json::Value::Object(map) = &mut value {
                            map.entry(#property).or_insert_with(|| serde_json::Value::from(tag));
                        }
                        serde::Serialize::serialize(&value, serializer)
                    }
                }
            }
        }
        _ => quote!(),
    };
    // Otherwise each variant writes itself, and `Unknown` writes what was received.
    let serialize = if serialize.is_empty() {
        let arms = variant_names.iter().map(
            |vname| quote!(#name::#vname(value) => serde::Serialize::serialize(value, serializer),),
        );
        quote! {
            impl serde::Serialize for #name {
                fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                    match self {
                        #(#arms)*
                        #name::Unknown(value) => serde::Serialize::serialize(value, serializer),
                    }
                }
            }
        }
    } else {
        serialize
    };
    let accessors = u
        .resource
        .as_ref()
        .map(|r| resource_accessors(types, printer, &name, u, &variant_names, r))
        .unwrap_or_default();
    let (ser_cfg, de_cfg) = direction_cfgs(def.usage);
    // A payload that decoded as no variant may be a card or a credential that failed to parse.
    let (derive_debug, debug_impl, doc) = if types.holds_sensitive(def.id) {
        let arms = u.variants.iter().zip(&variant_names).map(|(v, vname)| {
            let label = v.name.rust();
            quote!(#name::#vname(value) => f.debug_tuple(#label).field(value).finish(),)
        });
        let note = "`Debug` does not show an `Unknown` payload: a variant holds card data or \
                    credentials, and so may a payload that failed to decode as one.";
        (
            quote!(),
            quote! {
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        match self {
                            #(#arms)*
                            #name::Unknown(value) => f
                                .debug_tuple("Unknown")
                                .field(&crate::runtime::redact::opaque(value))
                                .finish(),
                        }
                    }
                }
            },
            docs(&format!("{}\n\n{note}", type_docs_text(def))),
        )
    } else {
        (quote!(Debug,), quote!(), doc)
    };
    // The type and its doc first, then its impls.
    quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variant_defs,)*
            /// A payload that matched no variant, kept as received.
            Unknown(serde_json::Value),
        }

        #accessors
        #(#froms)*
        #ser_cfg
        #serialize
        #debug_impl

        #de_cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #body
                Ok(decoded.unwrap_or(#name::Unknown(value)))
            }
        }
    }
}

/// `fn r(&self) -> Option<&R>` and `fn into_r(self) -> Option<R>` on a union that is "the resource,
/// or a variant of it" (`ir/accessors.rs` decides which).
fn resource_accessors(
    types: &Types,
    printer: &Printer<'_>,
    name: &proc_macro2::Ident,
    u: &Union,
    variant_names: &[proc_macro2::Ident],
    r: &ResourceAccessor,
) -> TokenStream {
    let resource = printer.ty(&Ty::Named(r.resource));
    let label = types.get(r.resource).name.rust();
    let (getter, into) = (r.getter.ident(), r.into.ident());
    let mut by_ref = Vec::new();
    let mut by_value = Vec::new();
    for ((v, vname), path) in u.variants.iter().zip(variant_names).zip(&r.paths) {
        // `value` is the variant's value, or its box.
        let (borrowed, owned) = match path {
            ResourcePath::Itself if v.boxed => (quote!(&**value), quote!(value)),
            ResourcePath::Itself => (quote!(value), quote!(value)),
            ResourcePath::Field { name, boxed: true } => {
                let f = name.ident();
                (quote!(&*value.#f), quote!(*value.#f))
            }
            ResourcePath::Field { name, boxed: false } => {
                let f = name.ident();
                (quote!(&value.#f), quote!(value.#f))
            }
        };
        let unbox = if v.boxed {
            quote!(let value = *value;)
        } else {
            quote!()
        };
        by_ref.push(quote!(#name::#vname(value) => Some(#borrowed),));
        by_value.push(quote!(#name::#vname(value) => { #unbox Some(#owned) }));
    }
    let doc = own_docs(&format!(
        "The [`{label}`] this value is or holds, whichever variant arrived: every variant is the \
         resource or a wrapper around it, so most callers need not match. `None` only for a payload \
         that matched no variant."
    ));
    let into_doc = own_docs(&format!(
        "The [`{label}`] this value is or holds, taken out of it; `None` only for a payload that \
         matched no variant."
    ));
    quote! {
        impl #name {
            #doc
            pub fn #getter(&self) -> Option<&#resource> {
                match self {
                    #(#by_ref)*
                    #name::Unknown(_) => None,
                }
            }

            #into_doc
            pub fn #into(self) -> Option<#resource> {
                match self {
                    #(#by_value)*
                    #name::Unknown(_) => None,
                }
            }
        }
    }
}
