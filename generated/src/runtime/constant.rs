//! Fields whose value the spec fixes (`const`): one zero-sized type per value.

/// Defines a zero-sized type that serializes as `$value` and only deserializes from it. A struct field
/// of such a type is filled in by `Default`, so callers never type the value, and a payload carrying
/// another value fails to decode as that struct (which is how unions tell their variants apart).
///
/// `Name = "text"` is a string constant; `Name: i64 = 2` and `Name: bool = true` are a number and a
/// boolean, which only decode from a JSON number or boolean (never from the string `"2"`).
macro_rules! constant {
    ($(#[$meta:meta])* $name:ident: i64 = $value:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;

        impl $name {
            /// The fixed value.
            pub const VALUE: i64 = $value;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64($value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::de::exact_i64(deserializer, $value).map(|()| $name)
            }
        }
    };
    ($(#[$meta:meta])* $name:ident: bool = $value:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;

        impl $name {
            /// The fixed value.
            pub const VALUE: bool = $value;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_bool($value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::de::exact_bool(deserializer, $value).map(|()| $name)
            }
        }
    };
    ($(#[$meta:meta])* $name:ident = $value:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;

        impl $name {
            /// The fixed value.
            pub const VALUE: &'static str = $value;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::de::parse_str(deserializer, concat!("`", $value, "`"), |s| (s == $value).then_some($name))
            }
        }
    };
}

pub(crate) use constant;
