//! Decoding support shared by the generated models.
//!
//! The models implement `Deserialize` through [`Object`] instead of `#[derive(Deserialize)]`. The
//! derive writes four impls per struct (a field enum, its visitor, the struct's visitor with both
//! `visit_map` and `visit_seq`, and duplicate-key checks), and type and borrow checking that code was
//! most of what `cargo check` of this crate cost. A generated [`Object::from_map`] is one `match` on
//! the key with one arm per field, which is about a third of the code and decodes as fast or faster.
//!
//! Differences from the derive, on purpose: a JSON array is not accepted where an object is expected
//! (the derive would read the fields by position), and a repeated key keeps its last value, as
//! `serde_json::Value` and JavaScript do, instead of failing.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};

/// A string from the input: borrowed when the input allows it (serde_json does for a string without
/// escapes in a byte slice), owned otherwise. Serde's own `Cow<str>` always allocates.
pub(crate) enum Str<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Str<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Owned(s) => s,
        }
    }
}

impl<'de> de::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str::Borrowed(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str::Owned(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str::Owned(v))
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

/// Decodes a JSON string with `parse`, without copying it. `None` from `parse` is an
/// `invalid value` error that quotes the string and says it expected `expecting`.
pub(crate) fn parse_str<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(ParseStr { expecting, parse })
}

struct ParseStr<T> {
    expecting: &'static str,
    parse: fn(&str) -> Option<T>,
}

impl<'de, T> Visitor<'de> for ParseStr<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

/// A generated struct that decodes from a JSON object.
pub(crate) trait Object: Sized {
    /// What an error says was expected, e.g. "a Transaction object".
    const EXPECTING: &'static str;

    /// Reads every entry of the object. Unknown keys are skipped, so that fields the API adds later
    /// do not break decoding.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every [`Object`].
pub(crate) fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The value of a required field, or serde's usual `missing field` error.
pub(crate) fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}
