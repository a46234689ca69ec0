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

/// An object's key, as bytes: borrowed from the input when it allows (serde_json does for a key
/// without escapes in a byte slice), owned otherwise. Keys are asked for as bytes so that serde_json
/// skips its UTF-8 check: a key is only compared with the field names, which are valid UTF-8, so an
/// invalid key can only be an unknown one, and unknown keys are skipped anyway. That check was about
/// a twentieth of decoding a `Transaction`.
pub(crate) enum Key<'de> {
    Borrowed(&'de [u8]),
    Owned(Vec<u8>),
}

impl Key<'_> {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Borrowed(b) => b,
            Key::Owned(b) => b,
        }
    }

    /// The key as text, for a struct that keeps the keys it does not know (`additionalProperties`).
    /// A key that is not UTF-8 cannot be kept as a `String`, so it is an error there.
    pub(crate) fn to_text<E: de::Error>(&self) -> Result<String, E> {
        std::str::from_utf8(self.as_bytes())
            .map(str::to_string)
            .map_err(|_| E::invalid_value(Unexpected::Bytes(self.as_bytes()), &"a UTF-8 key"))
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        // serde_json's stream deserializer answers `deserialize_bytes` with bytes; a
        // `serde_json::Value` (and other formats) answer with strings.
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_vec()))
            }

            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v.as_bytes()))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.as_bytes().to_vec()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.into_bytes()))
            }
        }

        deserializer.deserialize_bytes(KeyVisitor)
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

/// Decodes a JSON integer equal to `expected` (a `const` number); any other integer is an
/// `invalid value` error, any other kind of value an `invalid type` one.
pub(crate) fn exact_i64<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: i64,
) -> Result<(), D::Error> {
    struct Exact(i64);

    impl<'de> Visitor<'de> for Exact {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "the integer {}", self.0)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
            if v == self.0 {
                Ok(())
            } else {
                Err(E::invalid_value(Unexpected::Signed(v), &self))
            }
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
            if i64::try_from(v) == Ok(self.0) {
                Ok(())
            } else {
                Err(E::invalid_value(Unexpected::Unsigned(v), &self))
            }
        }
    }

    deserializer.deserialize_i64(Exact(expected))
}

/// Decodes a JSON boolean equal to `expected` (a `const` boolean).
pub(crate) fn exact_bool<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: bool,
) -> Result<(), D::Error> {
    struct Exact(bool);

    impl<'de> Visitor<'de> for Exact {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "`{}`", self.0)
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
            if v == self.0 {
                Ok(())
            } else {
                Err(E::invalid_value(Unexpected::Bool(v), &self))
            }
        }
    }

    deserializer.deserialize_bool(Exact(expected))
}

/// A generated struct that decodes from a JSON object.
pub(crate) trait Object: Sized {
    /// What an error says was expected, e.g. "a Transaction object".
    const EXPECTING: &'static str;

    /// Reads every entry of the object. Unknown keys are skipped, so that fields the API adds later
    /// do not break decoding, unless the struct keeps them in a map (`additionalProperties`).
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
