//! Schema lowering: the type-mapping rules of DESIGN.md, in one place.
//!
//! | spec | Rust |
//! | --- | --- |
//! | `anyOf [X, {type: null}]`, `type: [X, null]` | X, nullable (see [`Presence`](super::types::Presence)) |
//! | `type: string`, `format: date-time` / `date` | `String`, `DateTime`, `Date` (`uuid` stays `String`) |
//! | `integer` / `number` / `boolean` | `i64` / `f64` / `bool` |
//! | `enum` of strings, or `anyOf` of string `const`s | open enum with an `Unknown` fallback |
//! | object with `properties` | struct, fields in spec order, unknown fields accepted |
//! | `properties` beside `additionalProperties: schema` / `true` | struct plus a map field of the other keys |
//! | `allOf` of objects | one struct: members' properties in order, `required` united |
//! | `allOf` of one member | that member |
//! | property with string, integer or boolean `const` | filled in by the SDK, never typed by callers |
//! | `additionalProperties: schema` | map; free-form object: JSON object |
//! | `$ref` with `~1` / `~0` | the component named with `/` / `~` |
//! | `oneOf` + `discriminator` | union chosen by the tag property |
//! | `anyOf` of structs each fixing a different `const` on one property | union chosen by that tag |
//! | any other union | union chosen by best fit, raw JSON fallback |
//! | variants that lower to the same Rust type | collapse into that type (`string | string`) |
//!
//! Every component schema reachable from a non-ignored operation gets a [`TypeId`] and a name before
//! anything is lowered, so `$ref`s (forward and cyclic) resolve to ids. Inline schemas that need a
//! name (objects, enums, unions) are named after where they sit: `{Parent}{Property}`,
//! `{Parent}{Property}Item`, `{OperationId}Body`. A name already taken is either the same schema
//! (structurally equal: one type) or gets a deterministic suffix; it is never silently shared.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use indexmap::IndexMap;
use serde_json::Value;

use super::lock::Lock;
use super::names::{Name, camel, snake};
use super::types::*;
use crate::error::child;
use crate::spec::view::{Discriminator, Document, InstanceType, Schema, SchemaObject};
use crate::{Error, Result};

mod all_of;
mod naming;
mod unions;

use all_of::single_member;

/// Result of lowering all schemas.
pub(super) struct Lowered {
    pub types: Types,
    /// Component schemas reachable from no non-ignored operation (so not generated).
    pub unreachable: Vec<String>,
    /// Properties skipped because of `x-speakeasy-ignore`.
    pub ignored_properties: usize,
    pub examples: Vec<ExampleSite>,
    /// Every property's `default` other than `null`, with the property's `format`, by the
    /// property's pointer (the field's [`Field::pointer`]): `ir/defaults.rs` decides which fields
    /// read as it once usage is known.
    pub defaults: BTreeMap<String, (Value, Option<String>)>,
}

/// Lowers schemas into the type arena. Operations ask it for the [`Ty`] of their parameters and
/// bodies through [`SchemaLowering::ty`], naming inline types after the operation.
pub(super) struct SchemaLowering<'a> {
    doc: &'a Document,
    /// Names already published (see `ir/lock.rs`).
    lock: &'a Lock,
    defs: Vec<TypeDef>,
    /// Every schema with examples that lowered to a field, item, variant or parameter type.
    examples: Vec<ExampleSite>,
    /// Component name -> its type (several names may share one type when structurally equal).
    components: BTreeMap<String, TypeId>,
    /// Rust name -> the type holding it.
    taken: BTreeMap<String, TypeId>,
    /// Component types by (base Rust name, canonical shape): schemas whose names meet after case
    /// conversion and whose shapes are equal are one type.
    shapes: BTreeMap<(String, String), TypeId>,
    /// Module file names in use (plus the crate's own modules).
    modules: BTreeSet<String>,
    /// Unions whose discriminant is decided once every type is lowered (a variant's `const` may
    /// belong to a schema declared later in the spec).
    pending_unions: Vec<(TypeId, Option<Discriminator>, String)>,
    ignored_properties: usize,
    /// See [`Lowered::defaults`].
    defaults: BTreeMap<String, (Value, Option<String>)>,
}

/// A schema's `const`, when it is a string: the only kind that makes an enum value or tags a union.
fn string_const(s: &SchemaObject) -> Option<&str> {
    s.r#const.as_ref().and_then(Value::as_str)
}

/// A schema's `const` as a value a marker type can hold: a string, an integer that fits `i64`, or a
/// boolean. `None` without a `const`; an error for `null`, a fraction, an array or an object, which
/// have no marker type.
fn constant_of(s: &SchemaObject, pointer: &str) -> Result<Option<Constant>> {
    let Some(value) = &s.r#const else {
        return Ok(None);
    };
    let constant = match value {
        Value::String(s) => Constant::String(s.clone()),
        Value::Bool(b) => Constant::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(n) => Constant::Integer(n),
            None => {
                return Err(Error::at(
                    child(pointer, "const"),
                    format!(
                        "`const: {n}` is not an integer that fits in 64 bits; only string, integer and boolean \
                         constants are supported. Replace it with `type: number` and `enum: [{n}]` in an overlay"
                    ),
                ));
            }
        },
        other => {
            return Err(Error::at(
                child(pointer, "const"),
                format!(
                    "`const: {other}` is not a string, an integer or a boolean, the only constants supported; \
                     remove the `const` with an overlay, or replace it with the schema of the value"
                ),
            ));
        }
    };
    Ok(Some(constant))
}

/// The variants of an `anyOf`/`oneOf`, if any.
fn alternatives(s: &SchemaObject) -> Option<&Vec<Schema>> {
    s.any_of.as_ref().or(s.one_of.as_ref())
}

fn is_null_schema(s: &Schema) -> bool {
    matches!(s.as_object(), Some(o) if o.types() == [InstanceType::Null] && o.r#ref.is_none())
}

/// A schema's examples: every entry of `examples`, then `example`.
fn examples_of(s: &SchemaObject) -> Vec<Value> {
    let mut out: Vec<Value> = s.examples.iter().flatten().cloned().collect();
    out.extend(s.example.iter().cloned());
    out
}

fn docs_of(s: &SchemaObject) -> Option<String> {
    match (&s.title, &s.description) {
        (_, Some(d)) if !d.trim().is_empty() => Some(d.trim().to_string()),
        (Some(t), _) if !t.trim().is_empty() => Some(t.trim().to_string()),
        _ => None,
    }
}

impl<'a> SchemaLowering<'a> {
    /// Pre-assigns ids and names to every component schema reachable from `roots` (schemas of
    /// non-ignored operations, with their pointers).
    pub fn new(
        doc: &'a Document,
        roots: &[(&'a Schema, String)],
        lock: &'a Lock,
    ) -> Result<(Self, Vec<String>)> {
        let reachable = reachable_components(doc, roots)?;
        let mut this = SchemaLowering {
            doc,
            lock,
            defs: Vec::new(),
            components: BTreeMap::new(),
            taken: BTreeMap::new(),
            shapes: BTreeMap::new(),
            modules: ["consts", "mod"].into_iter().map(String::from).collect(),
            pending_unions: Vec::new(),
            examples: Vec::new(),
            ignored_properties: 0,
            defaults: BTreeMap::new(),
        };
        let mut unreachable = Vec::new();
        for (name, schema) in doc.schemas() {
            if !reachable.contains(name) {
                unreachable.push(name.to_string());
                continue;
            }
            let pointer = child("/components/schemas", name);
            let shape = canonical_shape(schema);
            let base = camel(name).rust();
            // A component whose Rust name meets a structurally equal schema's is the same type.
            if let Some(&existing) = this.shapes.get(&(base.clone(), shape.clone())) {
                this.components.insert(name.to_string(), existing);
                continue;
            }
            let kind_suffix = suffix_for(schema);
            let id = this.reserve(name, &base, kind_suffix, pointer, docs_of_schema(schema));
            this.shapes.insert((base, shape), id);
            this.components.insert(name.to_string(), id);
        }
        Ok((this, unreachable))
    }

    /// A type lowered so far.
    pub fn def(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// Lowers every reserved component schema.
    pub fn lower_components(&mut self) -> Result<()> {
        let doc = self.doc;
        let mut done = BTreeSet::new();
        for (name, schema) in doc.schemas() {
            let Some(&id) = self.components.get(name) else {
                continue;
            };
            if !done.insert(id) {
                continue;
            }
            let pointer = child("/components/schemas", name);
            let kind = self.lower_kind(schema, id, &pointer)?;
            // An alias's examples were recorded when its schema was lowered as a type.
            if !matches!(kind, TypeKind::Alias(_)) {
                self.defs[id.0].examples = schema.as_object().map(examples_of).unwrap_or_default();
            }
            self.defs[id.0].kind = kind;
        }
        Ok(())
    }

    /// The Rust type for a schema in a given place; inline types are named `context`. Examples the
    /// schema carries are recorded against the type it lowered to.
    pub fn ty(&mut self, schema: &Schema, context: &str, pointer: &str) -> Result<(Ty, bool)> {
        let (ty, nullable) = self.ty_inner(schema, context, pointer)?;
        if let Some(obj) = schema.as_object() {
            let values = examples_of(obj);
            if !values.is_empty() {
                self.examples.push(ExampleSite {
                    pointer: pointer.to_string(),
                    ty: ty.clone(),
                    nullable,
                    values,
                });
            }
        }
        Ok((ty, nullable))
    }

    fn ty_inner(&mut self, schema: &Schema, context: &str, pointer: &str) -> Result<(Ty, bool)> {
        let obj = match schema {
            Schema::Bool(true) => return Ok((Ty::Any, false)),
            Schema::Bool(false) => {
                return Err(Error::at(
                    pointer,
                    "the schema `false` accepts no value, so no field can have it; remove the property",
                ));
            }
            Schema::Object(o) => o,
        };
        if let Some(reference) = &obj.r#ref {
            return Ok((Ty::Named(self.component(reference, pointer)?), false));
        }
        if obj.all_of.is_some() {
            return self.all_of_ty(obj, context, pointer);
        }
        constant_of(obj, pointer)?;
        if let Some(alts) = alternatives(obj) {
            return self.union_ty(obj, alts, context, pointer, None);
        }
        let types = obj.types();
        let nullable = types.contains(&InstanceType::Null)
            || obj
                .r#enum
                .as_ref()
                .is_some_and(|e| e.iter().any(Value::is_null));
        let non_null: Vec<InstanceType> = types
            .iter()
            .copied()
            .filter(|t| *t != InstanceType::Null)
            .collect();
        if obj.r#enum.is_some() {
            let id = self.inline(context, "Enum", pointer, obj)?;
            return Ok((Ty::Named(id), nullable));
        }
        let ty = match non_null.as_slice() {
            [] if obj.properties.as_ref().is_some_and(|p| !p.is_empty()) => {
                Ty::Named(self.inline(context, "Object", pointer, obj)?)
            }
            [] => Ty::Any,
            [single] => self.single_ty(*single, obj, context, pointer)?,
            _ => Ty::Any,
        };
        Ok((ty, nullable))
    }

    fn single_ty(
        &mut self,
        t: InstanceType,
        obj: &SchemaObject,
        context: &str,
        pointer: &str,
    ) -> Result<Ty> {
        Ok(match t {
            InstanceType::String => match obj.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                _ => Ty::String,
            },
            InstanceType::Integer => Ty::Integer,
            InstanceType::Number => Ty::Number,
            InstanceType::Boolean => Ty::Boolean,
            InstanceType::Null => Ty::Any,
            InstanceType::Array => match &obj.items {
                Some(items) => {
                    let (inner, nullable) =
                        self.ty(items, &format!("{context}Item"), &child(pointer, "items"))?;
                    Ty::Array(Box::new(optional_if(inner, nullable)))
                }
                None => Ty::Array(Box::new(Ty::Any)),
            },
            InstanceType::Object => {
                if obj.properties.as_ref().is_some_and(|p| !p.is_empty()) {
                    Ty::Named(self.inline(context, "Object", pointer, obj)?)
                } else {
                    match &obj.additional_properties {
                        Some(Schema::Object(_)) => {
                            let Some(ap) = &obj.additional_properties else {
                                return Ok(Ty::Object);
                            };
                            let (inner, nullable) = self.ty(
                                ap,
                                &format!("{context}Value"),
                                &child(pointer, "additionalProperties"),
                            )?;
                            if inner == Ty::Any && !nullable {
                                Ty::Object
                            } else {
                                Ty::Map(Box::new(optional_if(inner, nullable)))
                            }
                        }
                        _ => Ty::Object,
                    }
                }
            }
        })
    }

    /// The kind of a named type from its schema.
    fn lower_kind(&mut self, schema: &Schema, id: TypeId, pointer: &str) -> Result<TypeKind> {
        let name = self.defs[id.0].name.rust();
        let Schema::Object(obj) = schema else {
            return Ok(TypeKind::Alias(Ty::Any));
        };
        if obj.all_of.is_some() && single_member(obj).is_none() {
            let merged = self.merge_all_of(obj, pointer)?;
            if merged
                .obj
                .properties
                .as_ref()
                .is_some_and(|p| !p.is_empty())
            {
                return self
                    .lower_struct(&merged.obj, &name, pointer, Some(&merged.origins))
                    .map(TypeKind::Struct);
            }
        }
        if obj.properties.as_ref().is_some_and(|p| !p.is_empty()) {
            return self
                .lower_struct(obj, &name, pointer, None)
                .map(TypeKind::Struct);
        }
        if let Some(values) = &obj.r#enum {
            return self.lower_enum(values, pointer).map(TypeKind::Enum);
        }
        // Unions and aliases: lower as a field type; a union lowers into this very id.
        if let Some(alts) = alternatives(obj) {
            let consts: Option<Vec<&str>> = alts
                .iter()
                .filter(|s| !is_null_schema(s))
                .map(|s| s.as_object().and_then(string_const))
                .collect();
            if let Some(values) = consts.filter(|v| v.len() > 1) {
                let values: Vec<Value> = values
                    .into_iter()
                    .map(|v| Value::String(v.to_string()))
                    .collect();
                return self.lower_enum(&values, pointer).map(TypeKind::Enum);
            }
        }
        // A union lowers into this very id; anything else is an alias of what it lowers to.
        let (ty, _) = match alternatives(obj) {
            Some(alts) => self.union_ty(obj, alts, &name, pointer, Some(id))?,
            None => self.ty(schema, &format!("{name}Inner"), pointer)?,
        };
        if ty == Ty::Named(id) {
            if let TypeKind::Union(_) = self.defs[id.0].kind {
                return Ok(self.defs[id.0].kind.clone());
            }
            return Err(Error::at(
                pointer,
                "this schema is only a reference to itself; give it properties or a type",
            ));
        }
        Ok(TypeKind::Alias(ty))
    }

    /// A struct from an object's properties. `origins` gives where each property was declared when
    /// that is not `pointer/properties/{name}` (the members of an `allOf`).
    fn lower_struct(
        &mut self,
        obj: &SchemaObject,
        owner: &str,
        pointer: &str,
        origins: Option<&IndexMap<String, String>>,
    ) -> Result<Struct> {
        let mut fields: Vec<Field> = Vec::new();
        let props_pointer = child(pointer, "properties");
        for (wire, prop) in obj.properties.iter().flatten() {
            let prop_pointer = origins
                .and_then(|o| o.get(wire).cloned())
                .unwrap_or_else(|| child(&props_pointer, wire));
            let prop_obj = prop.as_object();
            if prop_obj.is_some_and(|p| p.x_speakeasy_ignore == Some(true)) {
                self.ignored_properties += 1;
                continue;
            }
            let rust_name = prop_obj
                .and_then(|p| p.x_speakeasy_name_override.as_deref())
                .map_or_else(
                    || snake(wire),
                    |o| Name {
                        wire: wire.clone(),
                        ..snake(o)
                    },
                );
            let mut name = rust_name;
            // Two properties whose names meet after case conversion: number the later one.
            if fields.iter().any(|f| f.name.bare == name.bare) {
                let base = name.bare.trim_end_matches('_').to_string();
                let mut n = 2;
                while fields.iter().any(|f| f.name.bare == format!("{base}_{n}")) {
                    n += 1;
                }
                name.set_rust(format!("{base}_{n}"));
            }
            let constant = match prop_obj {
                Some(p) => constant_of(p, &prop_pointer)?,
                None => None,
            };
            let context = format!("{owner}{}", camel(wire).bare);
            let const_ty = constant.as_ref().map(|c| match c {
                Constant::String(_) => Ty::String,
                Constant::Integer(_) => Ty::Integer,
                Constant::Boolean(_) => Ty::Boolean,
            });
            if let Some(ty) = &const_ty
                && let Some(values) = prop_obj.map(examples_of).filter(|v| !v.is_empty())
            {
                self.examples.push(ExampleSite {
                    pointer: prop_pointer.clone(),
                    ty: ty.clone(),
                    nullable: false,
                    values,
                });
            }
            let (ty, nullable) = if let Some(ty) = const_ty {
                (ty, false)
            } else {
                self.ty(prop, &context, &prop_pointer)?
            };
            let siblings = obj.properties.iter().flatten().map(|(k, _)| k.as_str());
            let sensitive = if constant.is_some() {
                None
            } else {
                super::sensitive::classify(wire, siblings, can_hold_text(&ty))
            };
            if let Some(value) = prop_obj.and_then(|p| p.default.as_ref())
                && !value.is_null()
            {
                let format = prop_obj.and_then(|p| p.format.clone());
                self.defaults
                    .insert(prop_pointer.clone(), (value.clone(), format));
            }
            fields.push(Field {
                sensitive,
                setter: None,
                clear: None,
                default: None,
                name,
                ty,
                required: obj.is_required(wire),
                nullable,
                constant,
                boxed: false,
                docs: prop_obj.and_then(docs_of),
                deprecated: prop_obj.and_then(|p| p.deprecated).unwrap_or(false),
                pointer: prop_pointer,
            });
        }
        let extra = self.extra_fields(obj, owner, pointer, &fields)?;
        Ok(Struct {
            fields,
            extra,
            constructor: Constructor::None,
        })
    }

    /// The map of an object's other keys, when `additionalProperties` types them (a schema, `{}` or
    /// `true`). `false` and an absent keyword give none: unknown keys are then skipped on decode, as
    /// for every struct.
    fn extra_fields(
        &mut self,
        obj: &SchemaObject,
        owner: &str,
        pointer: &str,
        fields: &[Field],
    ) -> Result<Option<ExtraFields>> {
        let Some(schema @ (Schema::Object(_) | Schema::Bool(true))) = &obj.additional_properties
        else {
            return Ok(None);
        };
        let at = child(pointer, "additionalProperties");
        let (value, nullable) = self.ty(schema, &format!("{owner}Value"), &at)?;
        let mut name = Name::new("additionalProperties", "additional_properties".into());
        // A property that took the name: number the map, like two properties that meet.
        if fields.iter().any(|f| f.name.bare == name.bare) {
            let mut n = 2;
            while fields
                .iter()
                .any(|f| f.name.bare == format!("additional_properties_{n}"))
            {
                n += 1;
            }
            name.set_rust(format!("additional_properties_{n}"));
        }
        Ok(Some(ExtraFields {
            name,
            ty: Ty::Map(Box::new(optional_if(value, nullable))),
            sensitive: fields
                .iter()
                .any(|f| f.sensitive.is_some())
                .then_some(Sensitivity::Secret),
            pointer: at,
        }))
    }

    fn lower_enum(&self, values: &[Value], pointer: &str) -> Result<Enum> {
        let mut variants: Vec<EnumVariant> = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let wire = match value {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => {
                    return Err(Error::at(
                        child(&child(pointer, "enum"), &i.to_string()),
                        format!(
                            "enum value `{other}` is not a string; only string enums are supported"
                        ),
                    ));
                }
            };
            let mut name = camel(&wire);
            if name.bare == "Unknown" {
                name.set_rust("UnknownValue".into());
            }
            if let Some(same) = variants.iter().find(|v| v.name.bare == name.bare) {
                if same.name.wire == wire {
                    continue; // a repeated value
                }
                let base = name.bare.trim_end_matches('_').to_string();
                let mut n = 2;
                while variants.iter().any(|v| v.name.bare == format!("{base}{n}")) {
                    n += 1;
                }
                name.set_rust(format!("{base}{n}"));
            }
            variants.push(EnumVariant { name });
        }
        Ok(Enum { variants })
    }

    fn component(&self, reference: &str, pointer: &str) -> Result<TypeId> {
        let name = crate::spec::view::schema_ref_name(reference).ok_or_else(|| {
            Error::at(child(pointer, "$ref"), format!("`{reference}` is not a reference to `#/components/schemas/...`, the only kind supported"))
        })?;
        self.components.get(&name).copied().ok_or_else(|| {
            Error::at(child(pointer, "$ref"), format!("`{reference}` names no schema in `components.schemas`; fix the name or add the schema"))
        })
    }

    /// Finishes: returns the arena and statistics.
    pub fn finish(mut self, unreachable: Vec<String>) -> Result<Lowered> {
        for (id, discriminator, pointer) in std::mem::take(&mut self.pending_unions) {
            let TypeKind::Union(mut union) =
                std::mem::replace(&mut self.defs[id.0].kind, TypeKind::Alias(Ty::Any))
            else {
                continue;
            };
            union.discriminant =
                self.discriminant(discriminator.as_ref(), &mut union.variants, &pointer)?;
            self.defs[id.0].kind = TypeKind::Union(union);
        }
        check_alias_cycles(&self.defs)?;
        Ok(Lowered {
            types: Types {
                defs: self.defs,
                consts: Default::default(),
            },
            unreachable,
            ignored_properties: self.ignored_properties,
            examples: self.examples,
            defaults: self.defaults,
        })
    }
}

/// A schema that is only a reference, an array or a map of other such schemas, round to itself,
/// has no Rust type: aliases cannot be recursive (not even through `Vec`), and only a struct, enum or
/// union breaks the cycle. Without this check the output would not compile.
fn check_alias_cycles(defs: &[TypeDef]) -> Result<()> {
    fn named(ty: &Ty, out: &mut Vec<TypeId>) {
        match ty {
            Ty::Named(id) => out.push(*id),
            Ty::Array(inner) | Ty::Map(inner) | Ty::Optional(inner) => named(inner, out),
            _ => {}
        }
    }
    for start in defs {
        let TypeKind::Alias(ty) = &start.kind else {
            continue;
        };
        let mut stack = Vec::new();
        named(ty, &mut stack);
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            let Some(def) = defs.get(id.0) else { continue };
            if id == start.id {
                let others: Vec<&str> = seen
                    .iter()
                    .filter_map(|i: &TypeId| defs.get(i.0))
                    .map(|d| d.name.wire.as_str())
                    .collect();
                return Err(Error::at(
                    &start.pointer,
                    format!(
                        "`{}` refers back to itself only through references, arrays or maps{}; no object breaks \
                         the cycle, so it has no Rust type: give one schema on the cycle properties, or break it with an overlay",
                        start.name.wire,
                        if others.is_empty() {
                            String::new()
                        } else {
                            format!(" (via `{}`)", others.join("`, `"))
                        }
                    ),
                ));
            }
            if seen.insert(id) {
                if let TypeKind::Alias(ty) = &def.kind {
                    named(ty, &mut stack);
                }
            }
        }
    }
    Ok(())
}

/// Whether a value of this type can be text: booleans and numbers (and lists of them) cannot hold
/// card data or a credential, so no sensitivity rule marks them.
fn can_hold_text(ty: &Ty) -> bool {
    match ty {
        Ty::Boolean | Ty::Integer | Ty::Number => false,
        Ty::Array(inner) | Ty::Optional(inner) => can_hold_text(inner),
        _ => true,
    }
}

/// `Option<T>` for nullable items and map values, `T` otherwise.
fn optional_if(ty: Ty, nullable: bool) -> Ty {
    if nullable {
        Ty::Optional(Box::new(ty))
    } else {
        ty
    }
}

/// A type's module (file) name: snake case, with a trailing `_` instead of a raw identifier.
fn module_name(rust: &str) -> String {
    let snake = snake(rust);
    if snake.raw {
        format!("{}_", snake.bare)
    } else {
        snake.bare
    }
}

/// Names the generated crate defines itself, which a model must not take.
fn is_reserved_type_name(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        // The crate's own items.
        "Client",
        "ClientBuilder",
        "Server",
        "Error",
        "Nullable",
        "DateTime",
        "Date",
        "UnknownValue",
        // The prelude, which generated code names unqualified.
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "String",
        "Vec",
        "Box",
        "Default",
        "From",
        "Into",
        "TryFrom",
        "TryInto",
        "Clone",
        "Copy",
        "Debug",
        "PartialEq",
        "Eq",
        "PartialOrd",
        "Ord",
        "Hash",
        "Send",
        "Sync",
        "Sized",
        "Drop",
        "Fn",
        "FnMut",
        "FnOnce",
        "Iterator",
        "IntoIterator",
        "Extend",
        "FromIterator",
        "ToString",
        "ToOwned",
        "AsRef",
        "AsMut",
        "Unpin",
    ];
    RESERVED.contains(&name)
}

fn docs_of_schema(schema: &Schema) -> Option<String> {
    schema.as_object().and_then(docs_of)
}

fn suffix_for(schema: &Schema) -> &'static str {
    match schema.as_object() {
        Some(o) if o.r#enum.is_some() => "Enum",
        Some(o) if alternatives(o).is_some() => "Union",
        _ => "Schema",
    }
}

/// The schema without its documentation, as compact JSON: equal shapes are one type.
fn canonical_shape(schema: &Schema) -> String {
    let mut value = crate::spec::view::ToJson::to_json(schema);
    strip_docs(&mut value);
    value.to_string()
}

fn strip_docs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in ["title", "description", "examples", "example"] {
                map.shift_remove(key);
            }
            for v in map.values_mut() {
                strip_docs(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_docs),
        _ => {}
    }
}

/// The component a discriminator mapping value names: a reference (escapes decoded) or, as
/// OpenAPI allows, a bare schema name.
fn mapping_target_name(target: &str) -> String {
    crate::spec::view::schema_ref_name(target).unwrap_or_else(|| target.to_string())
}

/// Why `reference` does not resolve, in words that say what to do.
fn unresolved_ref(reference: &str) -> String {
    use crate::spec::view::SCHEMA_REF_PREFIX;
    if !reference.starts_with('#') {
        format!(
            "`{reference}` points into another document; external references are not supported, so bundle the spec into one file first"
        )
    } else if !reference.starts_with(SCHEMA_REF_PREFIX) {
        format!(
            "`{reference}` does not point at a schema under `#/components/schemas/`, the only place schemas are referenced from"
        )
    } else {
        format!(
            "`{reference}` names no schema in `components.schemas`; fix the name or add the schema"
        )
    }
}

/// Component names reachable by `$ref` from the roots, skipping ignored properties.
fn reachable_components(doc: &Document, roots: &[(&Schema, String)]) -> Result<BTreeSet<String>> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<(&Schema, String)> =
        roots.iter().map(|(s, p)| (*s, p.clone())).collect();
    while let Some((schema, pointer)) = queue.pop_front() {
        let mut refs = Vec::new();
        collect_refs(schema, &pointer, &mut refs);
        for (reference, at) in refs {
            let Some((name, target)) = doc.resolve_schema_ref(reference) else {
                return Err(Error::at(child(&at, "$ref"), unresolved_ref(reference)));
            };
            if seen.insert(name.to_string()) {
                queue.push_back((target, child("/components/schemas", name)));
            }
        }
    }
    Ok(seen)
}

fn collect_refs<'s>(schema: &'s Schema, pointer: &str, out: &mut Vec<(&'s str, String)>) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    if let Some(r) = &obj.r#ref {
        out.push((r, pointer.to_string()));
    }
    for (name, prop) in obj.properties.iter().flatten() {
        if prop
            .as_object()
            .is_some_and(|p| p.x_speakeasy_ignore == Some(true))
        {
            continue;
        }
        collect_refs(prop, &child(&child(pointer, "properties"), name), out);
    }
    for (key, list) in [
        ("anyOf", &obj.any_of),
        ("oneOf", &obj.one_of),
        ("allOf", &obj.all_of),
    ] {
        for (i, s) in list.iter().flatten().enumerate() {
            collect_refs(s, &child(&child(pointer, key), &i.to_string()), out);
        }
    }
    if let Some(items) = &obj.items {
        collect_refs(items, &child(pointer, "items"), out);
    }
    if let Some(ap) = &obj.additional_properties {
        collect_refs(ap, &child(pointer, "additionalProperties"), out);
    }
}
