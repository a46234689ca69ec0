//! The model part of the IR: every Rust type the crate will define, and how fields refer to types.
//!
//! Types live in one arena ([`Types`]) and refer to each other by [`TypeId`], so forward and cyclic
//! references need no special handling: every component schema gets its id before any schema is
//! lowered. The IR records decisions (names, optionality, boxing, usage), never spec syntax.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::names::Name;
pub use super::sensitive::Sensitivity;

/// Index of a type in [`Types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TypeId(pub usize);

/// All named types, in a deterministic order (component schemas in spec order, then inline types in
/// the order lowering met them).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Types {
    pub defs: Vec<TypeDef>,
    /// The Rust names of the `const` marker types (`models::consts`), by wire value (see
    /// [`Types::name_consts`]).
    pub consts: std::collections::BTreeMap<Constant, String>,
}

impl Types {
    /// The type with this id. Ids are only made by lowering, so they are always in range.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// Iterates over the types in arena order.
    pub fn iter(&self) -> impl Iterator<Item = &TypeDef> {
        self.defs.iter()
    }

    /// Whether a value of the type can carry a sensitive field: its own, or one of a type it holds
    /// (a field's, an item's or a variant's, through any depth). A union that can must not show a
    /// payload it could not decode, which may be a card that failed to parse.
    pub fn holds_sensitive(&self, id: TypeId) -> bool {
        fn named(ty: &Ty, out: &mut Vec<TypeId>) {
            match ty {
                Ty::Named(id) => out.push(*id),
                Ty::Array(inner) | Ty::Map(inner) | Ty::Optional(inner) => named(inner, out),
                _ => {}
            }
        }
        let mut seen = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(def) = self.defs.get(id.0) else {
                continue;
            };
            match &def.kind {
                TypeKind::Struct(s) => {
                    if s.fields.iter().any(|f| f.sensitive.is_some()) {
                        return true;
                    }
                    s.held_types().for_each(|ty| named(ty, &mut stack));
                }
                TypeKind::Union(u) => u.variants.iter().for_each(|v| named(&v.ty, &mut stack)),
                TypeKind::Alias(ty) => named(ty, &mut stack),
                TypeKind::Enum(_) => {}
            }
        }
        false
    }

    /// The Rust names of the `const` marker types (`models::consts`), by value: a string in camel
    /// case (`Empty` for `""`), an integer as `Integer2` / `IntegerMinus2`, a boolean as
    /// `BooleanTrue` / `BooleanFalse`; numbered from 2 when two values would share a name. Values are
    /// taken in sorted order (strings, then integers, then booleans), so a name never depends on
    /// where a value first appears, and a string const keeps its name whatever numbers appear.
    /// Lowering stores the result in [`Types::consts`].
    pub(super) fn name_consts(
        &self,
        lock: &super::lock::Lock,
    ) -> std::collections::BTreeMap<Constant, String> {
        let values: BTreeSet<&Constant> = self
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Struct(s) => Some(s.fields.iter().filter_map(|f| f.constant.as_ref())),
                _ => None,
            })
            .flatten()
            .collect();
        let mut names = std::collections::BTreeMap::new();
        let mut taken = BTreeSet::new();
        // Published names first, so that a new value cannot take one (see `ir/lock.rs`).
        for &value in &values {
            if let Some(name) = lock
                .const_name(&value.key())
                .filter(|n| !taken.contains(*n))
            {
                taken.insert(name.to_string());
                names.insert(value.clone(), name.to_string());
            }
        }
        for value in values {
            if names.contains_key(value) {
                continue;
            }
            let base = value.type_name();
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) || lock.const_claimed_by_other(&name, &value.key()) {
                name = format!("{base}{n}");
                n += 1;
            }
            taken.insert(name.clone());
            names.insert(value.clone(), name);
        }
        names
    }
}

/// A value the spec fixes with `const`. Serialized as the bare value, so the IR dump of a string
/// const reads as before numbers and booleans were accepted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(untagged)]
pub enum Constant {
    String(String),
    Integer(i64),
    Boolean(bool),
}

impl Constant {
    /// The string, for a string const (the only kind a union can be tagged by).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Constant::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as JSON.
    pub fn to_json(&self) -> Value {
        match self {
            Constant::String(s) => Value::from(s.as_str()),
            Constant::Integer(n) => Value::from(*n),
            Constant::Boolean(b) => Value::from(*b),
        }
    }

    /// The value as the API surface and the naming lock key it: a string as itself (as before other
    /// kinds were accepted), a number or boolean with its kind (`2 (integer)`), so that `"2"` and `2`
    /// are two keys.
    pub fn key(&self) -> String {
        match self {
            Constant::String(s) => s.clone(),
            Constant::Integer(n) => format!("{n} (integer)"),
            Constant::Boolean(b) => format!("{b} (boolean)"),
        }
    }

    /// The marker type's name before numbering. Numbers and booleans carry their kind in the name,
    /// so `const: 2` and `const: "2"` (or `true` and `"true"`) are told apart in Rust as on the wire.
    pub fn type_name(&self) -> String {
        match self {
            Constant::String(s) if s.is_empty() => "Empty".to_string(),
            Constant::String(s) => super::names::camel(s).bare,
            Constant::Integer(n) if *n < 0 => format!("IntegerMinus{}", n.unsigned_abs()),
            Constant::Integer(n) => format!("Integer{n}"),
            Constant::Boolean(true) => "BooleanTrue".to_string(),
            Constant::Boolean(false) => "BooleanFalse".to_string(),
        }
    }
}

impl std::fmt::Display for Constant {
    /// As in JSON: `"card"`, `2`, `true`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// A named Rust type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub id: TypeId,
    /// Rust name (`UpperCamelCase`) and the spec name it came from (a component name, or the path
    /// of an inline schema such as `PaymentOption.context`).
    pub name: Name,
    /// Module file name (snake case of the Rust name).
    pub module: String,
    /// Title and description, for the doc comment.
    pub docs: Option<String>,
    /// JSON pointer of the schema in the overlaid spec.
    pub pointer: String,
    pub usage: Usage,
    /// Top-level resource groups (`x-speakeasy-group`'s first segment) whose operations reach this
    /// type; a type reached by several groups is shared between their cargo features.
    pub groups: BTreeSet<String>,
    /// Reached by an error response, which any call may decode: compiled whatever cargo features
    /// are on, so that `ApiErrorBody` always exists.
    pub always: bool,
    pub kind: TypeKind,
    /// The schema's own `examples` (and `example`), checked by a generated round-trip test.
    pub examples: Vec<Value>,
}

/// Whether a type is sent, received, or both. Decides tri-state fields and constructors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub request: bool,
    pub response: bool,
}

/// What a named type is.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A named schema that is just another type (a string, a map, an array): a type alias.
    Alias(Ty),
}

/// An object with known properties.
#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// How `new` takes the required fields (see `ir/constructors.rs`); decided once usage is known.
    pub constructor: Constructor,
    /// The keys beyond `fields`, when the schema types them (`additionalProperties` beside
    /// `properties`): kept in a map field so that they survive a decode and re-encode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<ExtraFields>,
}

/// How callers pass a struct's required fields to `new`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Constructor {
    /// The type is never sent, so it has no `new`.
    None,
    /// `new(a, b)`: no value fits two of the arguments, so a reordered spec cannot compile into
    /// another meaning.
    Positional,
    /// `new(FooRequired { a, b })`: two or more arguments accept the same values, so they are passed
    /// by name in a struct of this name (in the type's own module).
    Named(Name),
}

/// The map field holding an object's other keys (`additionalProperties` beside `properties`). Its
/// keys are every key that is not a field's, whatever the value, so a value that does not decode as
/// the map's value type fails the struct, as a field of the wrong type would.
#[derive(Debug, Clone, Serialize)]
pub struct ExtraFields {
    /// The Rust field name (`additional_properties`, numbered if a property has it); the wire name
    /// is the keyword.
    pub name: Name,
    /// The field's type: always [`Ty::Map`] (of `Ty::Any` for `additionalProperties: true`).
    pub ty: Ty,
    /// `Secret` when the struct has sensitive fields: a type that carries card data may carry more
    /// of it under keys the spec does not name, so its redacting `Debug` hides the map.
    pub sensitive: Option<Sensitivity>,
    /// JSON pointer of the `additionalProperties` schema.
    pub pointer: String,
}

/// One property of an object.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Rust field name and wire property name.
    pub name: Name,
    pub ty: Ty,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// `null` is an allowed value (`anyOf [X, null]`, or `type: [X, "null"]`).
    pub nullable: bool,
    /// A `const` value: the SDK fills it in on requests and checks it on responses; callers never
    /// type it.
    pub constant: Option<Constant>,
    /// Held in a `Box` because the field's type contains the owning type by value.
    pub boxed: bool,
    pub docs: Option<String>,
    pub deprecated: bool,
    /// Card data or a credential (see `ir/sensitive.rs`): `Debug` shows it redacted.
    pub sensitive: Option<Sensitivity>,
    /// The builder method that sets it, on types that are sent and for fields that are optional
    /// (see `ir/setters.rs`): the field's name unless another method has it.
    pub setter: Option<Name>,
    /// The method that sends it as `null` (`clear_{name}`), for optional nullable fields of types
    /// that are sent.
    pub clear: Option<Name>,
    /// What a response that leaves the field out reads as (the schema's `default`), which makes the
    /// field `T` rather than `Option<T>`; decided in `ir/defaults.rs`, only for fields of types that
    /// are never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    /// JSON pointer of the property schema.
    pub pointer: String,
}

/// A field's `default`, as a value of the field's Rust type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultValue {
    Boolean(bool),
    Integer(i64),
    Number(f64),
    String(String),
    /// A known value of an enum type: the variant's Rust name, its wire value.
    Enum(Name),
}

impl DefaultValue {
    /// The value as JSON, as the spec wrote it.
    pub fn to_json(&self) -> Value {
        match self {
            DefaultValue::Boolean(b) => Value::from(*b),
            DefaultValue::Integer(n) => Value::from(*n),
            DefaultValue::Number(x) => Value::from(*x),
            DefaultValue::String(s) => Value::from(s.as_str()),
            DefaultValue::Enum(name) => Value::from(name.wire.as_str()),
        }
    }
}

/// How a field is represented in Rust, derived from requiredness, nullability and usage. This is
/// the one place the "Type mapping" rules of DESIGN.md about presence are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Required and never null: `T`.
    Required,
    /// Required but may be null: `Option<T>`, `None` sent as `null`.
    RequiredNullable,
    /// May be absent (or null, on response-only types): `Option<T>`, skipped when `None`.
    Optional,
    /// May be absent or null on a type that is sent: `Option<Nullable<T>>`, so that absent (leave
    /// unchanged) and `null` (clear) are different requests.
    OptionalNullable,
}

impl Field {
    /// The field's representation for a type with the given usage. A field with a
    /// [`default`](Field::default) is `Required`: always there once decoded.
    pub fn presence(&self, usage: Usage) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (false, false) if self.default.is_some() => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) if usage.request => Presence::OptionalNullable,
            (false, _) => Presence::Optional,
        }
    }
}

impl Struct {
    /// The types the struct holds: each field's, then the extra-fields map's.
    pub fn held_types(&self) -> impl Iterator<Item = &Ty> {
        self.fields
            .iter()
            .map(|f| &f.ty)
            .chain(self.extra.iter().map(|e| &e.ty))
    }

    /// The fields `new` takes, in order: every field a type with this usage must carry (a required
    /// nullable one as `Option<T>`); constants are filled in. Only types that are sent have `new`.
    pub fn constructor_fields(&self, usage: Usage) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| {
            f.constant.is_none()
                && matches!(
                    f.presence(usage),
                    Presence::Required | Presence::RequiredNullable
                )
        })
    }

    /// Whether the struct implements `Default`: when no field is required (constants have
    /// defaults, and so do fields with a spec [`default`](Field::default), which `Default` fills in).
    pub fn derives_default(&self, usage: Usage) -> bool {
        !self.fields.iter().any(|f| {
            f.constant.is_none() && f.default.is_none() && f.presence(usage) == Presence::Required
        })
    }
}

/// A string enum. Always open: an unknown value is kept, never an error.
#[derive(Debug, Clone, Serialize)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
}

/// One known value of an enum.
#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    /// Rust variant name; `wire` is the value itself.
    pub name: Name,
}

/// A value that is one of several types.
#[derive(Debug, Clone, Serialize)]
pub struct Union {
    pub discriminant: Discriminant,
    pub variants: Vec<Variant>,
    /// Methods returning the one resource every variant holds, when the union is "the resource, or
    /// a variant of it" (see `ir/accessors.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceAccessor>,
}

/// `fn transaction(&self) -> Option<&Transaction>` and `fn into_transaction(self)` on a union
/// whose variants are a struct `R` and structs that each hold one `R` in a required field.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceAccessor {
    /// The resource type `R`.
    pub resource: TypeId,
    /// The borrowing method: `R`'s name in snake case.
    pub getter: Name,
    /// The consuming method: `into_` and the getter's name.
    pub into: Name,
    /// Where each variant (in [`Union::variants`] order) keeps the resource.
    pub paths: Vec<ResourcePath>,
}

/// Where one variant of a union keeps its resource.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourcePath {
    /// The variant holds the resource itself.
    Itself,
    /// The variant's struct holds it in this required field.
    Field { name: Name, boxed: bool },
}

/// How a union's variant is chosen when decoding.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Discriminant {
    /// The value of one property names the variant (`oneOf` with `discriminator`, or `anyOf` whose
    /// variants each fix a different `const` for that property). Unknown tags land in the fallback.
    Tag { property: String },
    /// Every variant that accepts the payload is a candidate; the one whose known fields cover most
    /// of the payload's keys wins, ties going to the earlier variant. Nothing accepted it: fallback.
    BestFit,
}

/// One alternative of a union.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub name: Name,
    pub ty: Ty,
    /// For tagged unions, the tag values that select this variant.
    pub tags: Vec<String>,
    pub boxed: bool,
}

/// A reference to a type from a field, an item, a variant or a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ty {
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    Boolean,
    /// RFC 3339 date-time (`format: date-time`).
    DateTime,
    /// `YYYY-MM-DD` (`format: date`).
    Date,
    /// Any JSON value (a schema without a type).
    Any,
    /// A JSON object of unspecified shape.
    Object,
    Array(Box<Ty>),
    /// `additionalProperties: <schema>`: string keys, typed values. A `BTreeMap`, so request bodies
    /// serialize in a stable (sorted) order.
    Map(Box<Ty>),
    /// `Option<T>`: an array item or map value that may be `null`.
    Optional(Box<Ty>),
    Named(TypeId),
}

/// Examples the spec gives at one schema, with the Rust type that schema lowered to. The generated
/// round-trip test checks each value against that type (`Option<T>` when `nullable`).
#[derive(Debug, Clone, Serialize)]
pub struct ExampleSite {
    /// JSON pointer of the schema holding the examples.
    pub pointer: String,
    pub ty: Ty,
    pub nullable: bool,
    pub values: Vec<Value>,
}
