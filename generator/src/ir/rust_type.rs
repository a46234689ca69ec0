//! The one printer of Rust types: how a [`Ty`] and a field's [`Presence`] are spelled in the
//! generated crate.
//!
//! The emitter writes these types as tokens, the API surface (`api-surface.json`) records them as
//! text, and `describe` prints them for the IR snapshot. All three go through [`Printer`], so the
//! changelog compares exactly the types the code declares.

use std::collections::BTreeSet;
use std::fmt;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::operations::{Param, Success};
use super::types::{Field, Presence, Ty, TypeDef, TypeId, TypeKind, Types};

/// A Rust type: a path with generic arguments, or `()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    Path {
        /// `crate`, `models`, `Foo`; written with `::` between them.
        segments: Vec<String>,
        /// `<A, B>`, when there are any.
        args: Vec<RustType>,
    },
    Unit,
}

impl RustType {
    fn path(segments: &[&str], args: Vec<RustType>) -> RustType {
        RustType::Path {
            segments: segments.iter().map(|s| s.to_string()).collect(),
            args,
        }
    }

    fn wrap(self, outer: &[&str]) -> RustType {
        RustType::path(outer, vec![self])
    }
}

/// As prettyplease prints it: `std::collections::BTreeMap<String, crate::models::Foo>`.
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Unit => f.write_str("()"),
            RustType::Path { segments, args } => {
                f.write_str(&segments.join("::"))?;
                if let Some((first, rest)) = args.split_first() {
                    write!(f, "<{first}")?;
                    for arg in rest {
                        write!(f, ", {arg}")?;
                    }
                    f.write_str(">")?;
                }
                Ok(())
            }
        }
    }
}

impl ToTokens for RustType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            RustType::Unit => tokens.extend(quote!(())),
            RustType::Path { segments, args } => {
                let span = proc_macro2::Span::call_site();
                // Segments are type and module names the IR made valid; `crate` is a keyword
                // that is still an ordinary path segment.
                let idents = segments.iter().map(|s| proc_macro2::Ident::new(s, span));
                if args.is_empty() {
                    tokens.extend(quote!(#(#idents)::*));
                } else {
                    tokens.extend(quote!(#(#idents)::* < #(#args),* >));
                }
            }
        }
    }
}

/// Names a model file writes without a path (prelude types and traits, `Option`'s and `Result`'s
/// variants): a model with one of these names is never imported, so it cannot shadow them.
const UNQUALIFIED: [&str; 11] = [
    "String", "Vec", "Option", "Box", "Result", "Default", "Some", "None", "Ok", "Err", "Self",
];

/// The models a model file has in scope: its own type, and each other model it refers to, which it
/// imports with `use crate::models::{..}` unless the name is one the file writes unqualified.
#[derive(Debug, Clone, Default)]
pub struct ModelScope {
    pub in_scope: BTreeSet<TypeId>,
    /// The models to `use`, sorted by name.
    pub imports: Vec<String>,
}

impl ModelScope {
    pub fn of(types: &Types, def: &TypeDef) -> ModelScope {
        fn named(ty: &Ty, out: &mut BTreeSet<TypeId>) {
            match ty {
                Ty::Named(id) => {
                    out.insert(*id);
                }
                Ty::Array(inner) | Ty::Map(inner) | Ty::Optional(inner) => named(inner, out),
                _ => {}
            }
        }
        let mut referred = BTreeSet::new();
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| f.constant.is_none())
                .map(|f| &f.ty)
                .chain(s.extra.iter().map(|e| &e.ty))
                .for_each(|ty| named(ty, &mut referred)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| named(&v.ty, &mut referred)),
            TypeKind::Alias(ty) => named(ty, &mut referred),
            TypeKind::Enum(_) => {}
        }
        let mut scope = ModelScope::default();
        scope.in_scope.insert(def.id);
        for id in referred {
            let name = &types.get(id).name.bare;
            if id != def.id && !UNQUALIFIED.contains(&name.as_str()) {
                scope.in_scope.insert(id);
                scope.imports.push(name.clone());
            }
        }
        if UNQUALIFIED.contains(&def.name.bare.as_str()) {
            scope.in_scope.remove(&def.id);
        }
        scope.imports.sort();
        scope
    }
}

/// How a printed type names the generated crate's own items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root<'a> {
    /// `crate::models::Foo`, `crate::DateTime`: inside the crate.
    Crate,
    /// `gr4vy::models::Foo`: in the crate's integration tests.
    Extern(&'a str),
    /// `Foo`, `DateTime`, `Value`, `Map<String, T>`: short, for descriptions.
    Short,
}

/// Prints types of one IR.
#[derive(Debug, Clone, Copy)]
pub struct Printer<'a> {
    types: &'a Types,
    root: Root<'a>,
    /// Models the file being written has in scope (its own type, and those it `use`s): printed by
    /// name alone.
    in_scope: Option<&'a BTreeSet<TypeId>>,
}

impl<'a> Printer<'a> {
    pub fn new(types: &'a Types, root: Root<'a>) -> Self {
        Printer {
            types,
            root,
            in_scope: None,
        }
    }

    /// The same printer, for a file that has the models `ids` in scope.
    pub fn with_scope(self, ids: &'a BTreeSet<TypeId>) -> Self {
        Printer {
            in_scope: Some(ids),
            ..self
        }
    }

    /// The path of an item of the generated crate: `module` is left out when printing short.
    fn own_path(&self, module: &[&'a str], name: &'a str) -> Vec<&'a str> {
        let mut segments = match self.root {
            Root::Crate => vec!["crate"],
            Root::Extern(krate) => vec![krate],
            Root::Short => return vec![name],
        };
        segments.extend(module);
        segments.push(name);
        segments
    }

    fn own(&self, module: &[&'a str], name: &'a str) -> RustType {
        RustType::path(&self.own_path(module, name), Vec::new())
    }

    /// An item of the `models` module by name (a `…Required` struct, which is no IR type).
    pub fn model(&self, name: &'a str) -> RustType {
        self.own(&["models"], name)
    }

    /// A type reference.
    pub fn ty(&self, ty: &Ty) -> RustType {
        let short = self.root == Root::Short;
        let value = || {
            if short {
                RustType::path(&["Value"], Vec::new())
            } else {
                RustType::path(&["serde_json", "Value"], Vec::new())
            }
        };
        let map = |item: RustType| {
            let string = RustType::path(&["String"], Vec::new());
            if short {
                RustType::path(&["Map"], vec![string, item])
            } else {
                RustType::path(&["std", "collections", "BTreeMap"], vec![string, item])
            }
        };
        match ty {
            Ty::String => RustType::path(&["String"], Vec::new()),
            Ty::Integer => RustType::path(&["i64"], Vec::new()),
            Ty::Number => RustType::path(&["f64"], Vec::new()),
            Ty::Boolean => RustType::path(&["bool"], Vec::new()),
            Ty::DateTime => self.own(&[], "DateTime"),
            Ty::Date => self.own(&[], "Date"),
            Ty::Any => value(),
            Ty::Object if short => RustType::path(
                &["Map"],
                vec![RustType::path(&["String"], Vec::new()), value()],
            ),
            Ty::Object => RustType::path(
                &["serde_json", "Map"],
                vec![RustType::path(&["String"], Vec::new()), value()],
            ),
            Ty::Array(inner) => self.ty(inner).wrap(&["Vec"]),
            Ty::Map(inner) => map(self.ty(inner)),
            Ty::Optional(inner) => self.ty(inner).wrap(&["Option"]),
            Ty::Named(id) if self.in_scope.is_some_and(|ids| ids.contains(id)) => {
                RustType::path(&[&self.types.get(*id).name.bare], Vec::new())
            }
            Ty::Named(id) => self.own(&["models"], &self.types.get(*id).name.bare),
        }
    }

    /// A type held in a `Box` when `boxed` (a field or variant that contains its owner).
    pub fn boxed(&self, ty: &Ty, boxed: bool) -> RustType {
        let inner = self.ty(ty);
        if boxed { inner.wrap(&["Box"]) } else { inner }
    }

    /// A struct field as its type declares it: the `const` marker type, or the field's type (boxed
    /// when it has to be) wrapped as its presence says: `T`, `Option<T>`, `Option<Nullable<T>>`.
    pub fn field(&self, def: &TypeDef, f: &Field) -> RustType {
        if let Some(value) = &f.constant {
            let name = self.types.consts.get(value).map_or("Empty", String::as_str);
            let mut path = self.own_path(&["models"], "consts");
            if self.root == Root::Short {
                path.clear();
            }
            path.push(name);
            return RustType::path(&path, Vec::new());
        }
        let inner = self.boxed(&f.ty, f.boxed);
        match f.presence(def.usage) {
            Presence::Required => inner,
            Presence::RequiredNullable | Presence::Optional => inner.wrap(&["Option"]),
            Presence::OptionalNullable => inner
                .wrap(&self.own_path(&[], "Nullable"))
                .wrap(&["Option"]),
        }
    }

    /// The type a method argument or setter takes for a parameter (as `impl Into<T>`): `Option<T>`
    /// for a required parameter that may be `null`.
    pub fn param(&self, p: &Param) -> RustType {
        let inner = self.ty(&p.ty);
        if p.is_nullable_argument() {
            inner.wrap(&["Option"])
        } else {
            inner
        }
    }

    /// What `send().await` returns on success: the body's type (`Option<T>` when it may be
    /// `null`), or `()` when the response has no body.
    pub fn returned(&self, success: &Success) -> RustType {
        match &success.body {
            None => RustType::Unit,
            Some(b) if b.nullable => self.ty(&b.ty).wrap(&["Option"]),
            Some(b) => self.ty(&b.ty),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::names::camel;
    use crate::ir::types::{Struct, TypeId, TypeKind, Usage};

    fn types() -> Types {
        let def = TypeDef {
            id: TypeId(0),
            name: camel("Card"),
            module: "card".into(),
            docs: None,
            pointer: "/components/schemas/Card".into(),
            usage: Usage {
                request: true,
                response: true,
            },
            groups: Default::default(),
            always: false,
            kind: TypeKind::Struct(Struct {
                fields: Vec::new(),
                constructor: crate::ir::types::Constructor::None,
                extra: None,
            }),
            examples: Vec::new(),
        };
        Types {
            defs: vec![def],
            consts: Default::default(),
        }
    }

    /// The text the surface records is what prettyplease prints for the tokens emit writes.
    #[test]
    fn text_and_tokens_agree() {
        let types = types();
        let card = Ty::Named(TypeId(0));
        let cases = [
            Ty::String,
            Ty::DateTime,
            Ty::Object,
            Ty::Array(Box::new(Ty::Optional(Box::new(card.clone())))),
            Ty::Map(Box::new(Ty::Array(Box::new(card.clone())))),
        ];
        for root in [Root::Crate, Root::Extern("gr4vy")] {
            let printer = Printer::new(&types, root);
            for ty in &cases {
                let printed = printer.boxed(ty, true);
                let file: syn::File = syn::parse_quote!(type T = #printed;);
                let pretty = prettyplease::unparse(&file);
                assert_eq!(pretty.trim(), format!("type T = {printed};"), "{ty:?}");
            }
        }
    }

    #[test]
    fn short_names_are_for_descriptions() {
        let types = types();
        let printer = Printer::new(&types, Root::Short);
        let ty = Ty::Map(Box::new(Ty::Array(Box::new(Ty::Named(TypeId(0))))));
        assert_eq!(printer.ty(&ty).to_string(), "Map<String, Vec<Card>>");
        assert_eq!(printer.ty(&Ty::Object).to_string(), "Map<String, Value>");
        assert_eq!(
            Printer::new(&types, Root::Crate).ty(&ty).to_string(),
            "std::collections::BTreeMap<String, Vec<crate::models::Card>>"
        );
    }
}
