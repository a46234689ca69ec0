//! How one object of the view is read and written, described once per type by [`view_object!`].
//!
//! The macro takes the struct with the JSON key of every field and writes the struct, its
//! `Deserialize` (one pass over the map: modelled keys into their fields, the rest into `unknown`)
//! and its [`ToJson`], from which `Serialize` follows. Writing the impls here instead of deriving
//! them with `#[serde(flatten)]` has two reasons: flatten buffers the whole object before reading
//! it, which hides where inside it an error is (so [`super::Document::from_value`] could not point
//! at it), and [`ToJson`] can leave out the unknown keys, which is what the audit compares against.

use indexmap::IndexMap;
use serde::de::{DeserializeOwned, MapAccess};
use serde_json::{Map, Number, Value};

/// The keys of one object that the view does not model, with their values, in document order.
pub type Unknown = IndexMap<String, Value>;

/// The JSON form of a part of the view.
///
/// This is the one place the view is written, unknown keys included (the document as read);
/// `Serialize` for the view types goes through it.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

/// A step of the path from the document's root to a part of the view.
#[derive(Debug, Clone, Copy)]
pub enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The keys of a part of the view that it does not model, with the path to the object holding
/// each. Generated with the rest of an object by [`view_object!`], so the audit walks the tree as
/// the view describes it, without a description of its own.
pub trait UnknownKeys {
    fn unknown_keys<'v>(
        &'v self,
        path: &mut Vec<Step<'v>>,
        found: &mut dyn FnMut(&[Step<'v>], &'v str),
    );
}

impl<T: UnknownKeys> UnknownKeys for Option<T> {
    fn unknown_keys<'v>(
        &'v self,
        path: &mut Vec<Step<'v>>,
        found: &mut dyn FnMut(&[Step<'v>], &'v str),
    ) {
        if let Some(value) = self {
            value.unknown_keys(path, found);
        }
    }
}

impl<T: UnknownKeys> UnknownKeys for Box<T> {
    fn unknown_keys<'v>(
        &'v self,
        path: &mut Vec<Step<'v>>,
        found: &mut dyn FnMut(&[Step<'v>], &'v str),
    ) {
        (**self).unknown_keys(path, found);
    }
}

impl<T: UnknownKeys> UnknownKeys for Vec<T> {
    fn unknown_keys<'v>(
        &'v self,
        path: &mut Vec<Step<'v>>,
        found: &mut dyn FnMut(&[Step<'v>], &'v str),
    ) {
        for (i, item) in self.iter().enumerate() {
            path.push(Step::Index(i));
            item.unknown_keys(path, found);
            path.pop();
        }
    }
}

impl<T: UnknownKeys> UnknownKeys for IndexMap<String, T> {
    fn unknown_keys<'v>(
        &'v self,
        path: &mut Vec<Step<'v>>,
        found: &mut dyn FnMut(&[Step<'v>], &'v str),
    ) {
        for (key, item) in self {
            path.push(Step::Key(key));
            item.unknown_keys(path, found);
            path.pop();
        }
    }
}

/// Reports `unknown`'s keys as found at `path`.
pub fn report_unknown<'v>(
    unknown: &'v Unknown,
    path: &[Step<'v>],
    found: &mut dyn FnMut(&[Step<'v>], &'v str),
) {
    for key in unknown.keys() {
        found(path, key);
    }
}

/// An optional field, read only when its key is present and written back only when it was.
///
/// `Option<T>` is the JSON Schema kind: unlike serde's own handling, `null` does not become `None`
/// (`T = Value` keeps it as `Some(Value::Null)`, any other `T` rejects it), so no key disappears
/// on the way through the view. `Vec` and `IndexMap` are the OpenAPI collections, where absent and
/// empty mean the same, so an empty one is not written.
pub trait Keyword: Default {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;
    fn is_absent(&self) -> bool;
}

impl<T: DeserializeOwned> Keyword for Option<T> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value().map(Some)
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: DeserializeOwned> Keyword for Vec<T> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value()
    }

    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: DeserializeOwned> Keyword for IndexMap<String, T> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value()
    }

    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, |v| v.to_json())
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(|v| v.to_json()).collect())
    }
}

impl<T: ToJson> ToJson for IndexMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

/// Values the view keeps as they are: arbitrary JSON, and the scalars.
macro_rules! plain_json {
    ($($ty:ty),*) => {$(
        impl ToJson for $ty {
            fn to_json(&self) -> Value {
                Value::from(self.clone())
            }
        }
    )*};
}

plain_json!(Value, String, bool, u64, Number);

/// Leaves: arbitrary JSON (whose keys are data, not keywords) and the scalars.
macro_rules! no_unknown_keys {
    ($($ty:ty),*) => {$(
        impl $crate::spec::view::object::UnknownKeys for $ty {
            fn unknown_keys<'v>(
                &'v self,
                _: &mut Vec<$crate::spec::view::object::Step<'v>>,
                _: &mut dyn FnMut(&[$crate::spec::view::object::Step<'v>], &'v str),
            ) {
            }
        }
    )*};
}

no_unknown_keys!(Value, String, bool, u64, Number);
pub(crate) use no_unknown_keys;

/// Ends an object's JSON: its unknown keys after the modelled ones.
pub fn finish(mut object: Map<String, Value>, unknown: &Unknown) -> Value {
    object.extend(unknown.iter().map(|(k, v)| (k.clone(), v.clone())));
    Value::Object(object)
}

/// Defines a view object: the struct (with a trailing `unknown` map), `Deserialize`, [`ToJson`]
/// and `Serialize`.
///
/// Each field is written `pub name: Type = "jsonKey"`, with `(required)` after the key when a
/// missing key is an error. Every other field's type is a [`Keyword`]. Fields are written back in
/// the order given here, unknown keys last; the audit's order of findings follows from that.
macro_rules! view_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty = $key:literal $(($required:ident))?,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// The keys the view does not model, for the audit and the round trip.
            pub unknown: $crate::spec::view::Unknown,
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        $( let mut $field: Option<$ty> = None; )*
                        let mut unknown = $crate::spec::view::Unknown::new();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                $( $key => $field = Some(view_object!(@read map, $ty $(, $required)?)), )*
                                _ => {
                                    let value = map.next_value()?;
                                    unknown.insert(key, value);
                                }
                            }
                        }
                        Ok($name {
                            $( $field: view_object!(@finish $field, $key $(, $required)?), )*
                            unknown,
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }

        impl $crate::spec::view::ToJson for $name {
            fn to_json(&self) -> serde_json::Value {
                #[allow(unused_imports)]
                use $crate::spec::view::ToJson as _;
                let mut object = serde_json::Map::new();
                $(
                    if !view_object!(@absent &self.$field $(, $required)?) {
                        object.insert($key.to_owned(), self.$field.to_json());
                    }
                )*
                $crate::spec::view::object::finish(object, &self.unknown)
            }
        }

        impl $crate::spec::view::object::UnknownKeys for $name {
            fn unknown_keys<'v>(
                &'v self,
                path: &mut Vec<$crate::spec::view::object::Step<'v>>,
                found: &mut dyn FnMut(&[$crate::spec::view::object::Step<'v>], &'v str),
            ) {
                $(
                    path.push($crate::spec::view::object::Step::Key($key));
                    $crate::spec::view::object::UnknownKeys::unknown_keys(&self.$field, path, found);
                    path.pop();
                )*
                $crate::spec::view::object::report_unknown(&self.unknown, path, found);
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let json = $crate::spec::view::ToJson::to_json(self);
                serde::Serialize::serialize(&json, serializer)
            }
        }
    };
    (@read $map:ident, $ty:ty, required) => { $map.next_value::<$ty>()? };
    (@read $map:ident, $ty:ty) => {
        <$ty as $crate::spec::view::object::Keyword>::read(&mut $map)?
    };
    (@finish $field:ident, $key:literal, required) => {
        $field.ok_or_else(|| <A::Error as serde::de::Error>::missing_field($key))?
    };
    (@finish $field:ident, $key:literal) => { $field.unwrap_or_default() };
    (@absent $value:expr, required) => { false };
    (@absent $value:expr) => { $crate::spec::view::object::Keyword::is_absent($value) };
}

pub(crate) use view_object;
