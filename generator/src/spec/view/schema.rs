//! JSON Schema: the schemas under `components/schemas` and inside parameters and media types.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use super::object::{Step, ToJson, UnknownKeys, no_unknown_keys, view_object};

/// A JSON Schema (the 2020-12 subset this spec uses).
///
/// JSON Schema allows `true` and `false` as whole schemas, and the spec uses them
/// (`additionalProperties: false` is the boolean schema `false`), so a schema is either a boolean
/// or an object. The object is boxed because it is large and schemas nest (`items`, `anyOf`, ...):
/// the box keeps `Schema` two words wide and makes the recursion finite.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Schema {
    Bool(bool),
    Object(Box<SchemaObject>),
}

impl Schema {
    /// The object form, unless this is `true` or `false`.
    pub fn as_object(&self) -> Option<&SchemaObject> {
        match self {
            Schema::Object(object) => Some(object),
            Schema::Bool(_) => None,
        }
    }

    /// `$ref`, if the schema has one.
    pub fn reference(&self) -> Option<&str> {
        self.as_object()?.r#ref.as_deref()
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // By hand rather than `#[serde(untagged)]`: untagged would buffer every schema a second time
        // and turn any mistake inside it into "did not match any variant".
        struct SchemaVisitor;

        impl<'de> Visitor<'de> for SchemaVisitor {
            type Value = Schema;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON Schema (an object or a boolean)")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Schema, E> {
                Ok(Schema::Bool(v))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
                SchemaObject::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|object| Schema::Object(Box::new(object)))
            }
        }

        deserializer.deserialize_any(SchemaVisitor)
    }
}

impl UnknownKeys for Schema {
    fn unknown_keys<'v>(
        &'v self,
        path: &mut Vec<Step<'v>>,
        found: &mut dyn FnMut(&[Step<'v>], &'v str),
    ) {
        if let Schema::Object(object) = self {
            object.unknown_keys(path, found);
        }
    }
}

no_unknown_keys!(SchemaType);

impl ToJson for Schema {
    fn to_json(&self) -> Value {
        match self {
            Schema::Bool(b) => Value::Bool(*b),
            Schema::Object(object) => object.to_json(),
        }
    }
}

/// The primitive types of JSON Schema's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstanceType {
    Null,
    Boolean,
    Object,
    Array,
    Number,
    String,
    Integer,
}

/// `type`: one name, or a list of them. Both spellings are kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SchemaType {
    Single(InstanceType),
    Multiple(Vec<InstanceType>),
}

impl SchemaType {
    /// The named types, however they were spelled.
    pub fn as_slice(&self) -> &[InstanceType] {
        match self {
            SchemaType::Single(t) => std::slice::from_ref(t),
            SchemaType::Multiple(ts) => ts,
        }
    }
}

impl InstanceType {
    /// The name as JSON Schema spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceType::Null => "null",
            InstanceType::Boolean => "boolean",
            InstanceType::Object => "object",
            InstanceType::Array => "array",
            InstanceType::Number => "number",
            InstanceType::String => "string",
            InstanceType::Integer => "integer",
        }
    }
}

impl ToJson for SchemaType {
    fn to_json(&self) -> Value {
        match self {
            SchemaType::Single(t) => Value::from(t.as_str()),
            SchemaType::Multiple(ts) => ts.iter().map(|t| Value::from(t.as_str())).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for SchemaType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;

        impl<'de> Visitor<'de> for TypeVisitor {
            type Value = SchemaType;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON Schema type name or a list of them")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<SchemaType, E> {
                InstanceType::deserialize(de::value::StrDeserializer::<E>::new(v))
                    .map(SchemaType::Single)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SchemaType, A::Error> {
                let mut types = Vec::with_capacity(seq.size_hint().unwrap_or(2));
                while let Some(t) = seq.next_element()? {
                    types.push(t);
                }
                Ok(SchemaType::Multiple(types))
            }
        }

        deserializer.deserialize_any(TypeVisitor)
    }
}

view_object! {
    /// The object form of a schema: every keyword this spec uses, and the Speakeasy extensions
    /// that change the generated code.
    #[derive(Default)]
    pub struct SchemaObject {
        /// Its siblings (`default`, `description`, `examples`) are kept: OpenAPI 3.1 allows them
        /// and this spec puts hundreds of defaults there.
        pub r#ref: Option<String> = "$ref",
        pub r#type: Option<SchemaType> = "type",
        pub format: Option<String> = "format",
        pub title: Option<String> = "title",
        pub description: Option<String> = "description",
        pub deprecated: Option<bool> = "deprecated",
        pub default: Option<Value> = "default",
        pub r#const: Option<Value> = "const",
        pub r#enum: Option<Vec<Value>> = "enum",
        pub examples: Option<Vec<Value>> = "examples",
        /// The OpenAPI 3.0 spelling, still allowed (and deprecated) in 3.1.
        pub example: Option<Value> = "example",
        /// In document order, which is the field order of the generated struct.
        pub properties: Option<IndexMap<String, Schema>> = "properties",
        pub required: Option<Vec<String>> = "required",
        /// A schema for the values of undeclared keys; `false` forbids them, `true` allows
        /// anything.
        pub additional_properties: Option<Schema> = "additionalProperties",
        /// A schema the keys must match (a map keyed by an enum).
        pub property_names: Option<Schema> = "propertyNames",
        pub items: Option<Schema> = "items",
        pub min_items: Option<u64> = "minItems",
        pub max_items: Option<u64> = "maxItems",
        pub unique_items: Option<bool> = "uniqueItems",
        pub any_of: Option<Vec<Schema>> = "anyOf",
        pub one_of: Option<Vec<Schema>> = "oneOf",
        pub all_of: Option<Vec<Schema>> = "allOf",
        pub discriminator: Option<Discriminator> = "discriminator",
        pub min_length: Option<u64> = "minLength",
        pub max_length: Option<u64> = "maxLength",
        pub pattern: Option<String> = "pattern",
        /// Bounds are `Number`s so that `100` and `0.0` are written back exactly as they were read.
        pub minimum: Option<Number> = "minimum",
        pub maximum: Option<Number> = "maximum",
        pub exclusive_minimum: Option<Number> = "exclusiveMinimum",
        pub exclusive_maximum: Option<Number> = "exclusiveMaximum",
        /// `allow` makes the generated enum open (it keeps unknown strings).
        pub x_speakeasy_unknown_values: Option<String> = "x-speakeasy-unknown-values",
        /// Leave this property (or schema) out of the SDK.
        pub x_speakeasy_ignore: Option<bool> = "x-speakeasy-ignore",
        /// The Rust-side name of this property or type.
        pub x_speakeasy_name_override: Option<String> = "x-speakeasy-name-override",
    }
}

impl SchemaObject {
    /// The types named by `type` (empty when there is no `type`).
    pub fn types(&self) -> &[InstanceType] {
        self.r#type.as_ref().map_or(&[], SchemaType::as_slice)
    }

    /// Whether `property` is listed in `required`.
    pub fn is_required(&self, property: &str) -> bool {
        self.required
            .as_deref()
            .is_some_and(|names| names.iter().any(|n| n == property))
    }
}

view_object! {
    /// `discriminator` of a `oneOf` or `anyOf`.
    pub struct Discriminator {
        pub property_name: String = "propertyName" (required),
        /// Tag value to `$ref`, in document order.
        pub mapping: IndexMap<String, String> = "mapping",
    }
}
