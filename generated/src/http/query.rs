//! Turning parameter values into the text of paths, query strings and headers.
//!
//! Query and header parameters go through [`QueryValue`], which every `Serialize` type implements:
//! a parameter's text is what its `Serialize` impl writes, so generated enums (their wire string),
//! [`DateTime`](crate::DateTime) (its RFC 3339 spelling), dates (`YYYY-MM-DD`), string unions and
//! `Option`/`Vec` of any of those need no code of their own.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::ser::{self, Impossible};

use super::Error;

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, so
/// that a value is always one path segment or one query value, whatever it contains.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path parameter so that it stays one segment: `a b/c?d#e%f` becomes
/// `a%20b%2Fc%3Fd%23e%25f`.
pub(crate) fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// [`encode_path_segment`] into any writer, for paths built without temporary strings.
pub(crate) fn write_path_segment<W: fmt::Write + ?Sized>(out: &mut W, value: &str) -> fmt::Result {
    utf8_percent_encode(value, NOT_UNRESERVED).try_for_each(|chunk| out.write_str(chunk))
}

/// The length of `value` once [`write_path_segment`] has encoded it, counted without encoding:
/// one byte for each unreserved byte (`A-Z a-z 0-9 - . _ ~`), three (`%XX`) for any other.
pub(crate) fn encoded_path_segment_len(value: &str) -> usize {
    /// What encoding adds to each byte's length: a table, as this runs for every path parameter.
    const EXTRA: [u8; 256] = {
        let mut extra = [2; 256];
        let mut byte = 0;
        while byte < 128 {
            if (byte as u8).is_ascii_alphanumeric()
                || matches!(byte as u8, b'-' | b'.' | b'_' | b'~')
            {
                extra[byte] = 0;
            }
            byte += 1;
        }
        extra
    };
    value.len()
        + value
            .bytes()
            .map(|byte| usize::from(EXTRA[usize::from(byte)]))
            .sum::<usize>()
}

/// Appends `?name=value&...` to `url`, both sides percent-encoded (`+` too, so a date-time's offset
/// is not read as a space).
pub(crate) fn append_query(url: &mut String, pairs: &[(&str, String)]) {
    for (index, (name, value)) in pairs.iter().enumerate() {
        url.push(if index == 0 { '?' } else { '&' });
        url.extend(utf8_percent_encode(name, NOT_UNRESERVED));
        url.push('=');
        url.extend(utf8_percent_encode(value, NOT_UNRESERVED));
    }
}

/// A query or header parameter value: zero, one or several strings.
///
/// `None` (and `()`) give nothing, so an unset optional parameter is left out; a sequence gives one
/// string per item (a repeated query key, or comma-separated header values); booleans are
/// `true`/`false`; numbers as written by `Display`. Objects are not parameter values in this API
/// and are rejected.
pub(crate) trait QueryValue {
    /// Appends this value's strings to `out`.
    fn push_values(&self, out: &mut Vec<String>) -> Result<(), Error>;
}

impl<T: Serialize + ?Sized> QueryValue for T {
    fn push_values(&self, out: &mut Vec<String>) -> Result<(), Error> {
        self.serialize(Values {
            out,
            in_sequence: false,
        })
        .map_err(|error| Error::invalid_request(error.0))
    }
}

/// Why a value could not be a parameter.
#[derive(Debug)]
pub(crate) struct Unsupported(String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Unsupported(message.to_string())
    }
}

/// A serializer that collects scalars as strings. Inside a sequence, a nested sequence is an
/// error: parameters are flat lists.
struct Values<'a> {
    out: &'a mut Vec<String>,
    in_sequence: bool,
}

impl Values<'_> {
    fn push(self, value: impl fmt::Display) -> Result<(), Unsupported> {
        self.out.push(value.to_string());
        Ok(())
    }

    fn unsupported(what: &str) -> Unsupported {
        Unsupported(format!(
            "{what} cannot be sent as a query or header parameter"
        ))
    }
}

macro_rules! display_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, value: $ty) -> Result<(), Unsupported> {
            self.push(value)
        })*
    };
}

impl ser::Serializer for Values<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    display_scalars! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str,
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unsupported> {
        Err(Values::unsupported("a byte string"))
    }

    fn serialize_none(self) -> Result<(), Unsupported> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unsupported> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.push(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unsupported> {
        if self.in_sequence {
            return Err(Values::unsupported("a nested list"));
        }
        Ok(Values {
            out: self.out,
            in_sequence: true,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Unsupported> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Values::unsupported("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Values::unsupported("a tuple variant"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Values::unsupported("an object"))
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Values::unsupported("an object"))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Values::unsupported("an object"))
    }
}

impl ser::SerializeSeq for Values<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(Values {
            out: self.out,
            in_sequence: true,
        })
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeTuple for Values<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<V: QueryValue + ?Sized>(value: &V) -> Vec<String> {
        let mut out = Vec::new();
        value.push_values(&mut out).unwrap();
        out
    }

    #[test]
    fn path_segments_keep_only_unreserved_characters() {
        assert_eq!(encode_path_segment("a b/c?d#e%f"), "a%20b%2Fc%3Fd%23e%25f");
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path_segment("é+&="), "%C3%A9%2B%26%3D");
    }

    #[test]
    fn encoded_lengths_are_counted_like_the_encoding() {
        let mut every_char: String = (0..=127_u8).map(char::from).collect();
        every_char.push_str("é€😀");
        for value in [every_char.as_str(), "", "abc", "a b", "é"] {
            assert_eq!(
                encoded_path_segment_len(value),
                encode_path_segment(value).len(),
                "{value:?}"
            );
        }
        for c in every_char.chars() {
            let value = c.to_string();
            assert_eq!(
                encoded_path_segment_len(&value),
                encode_path_segment(&value).len(),
                "{value:?}"
            );
        }
    }

    #[test]
    fn scalars_options_and_lists() {
        assert_eq!(values("x y"), ["x y"]);
        assert_eq!(values(&"s".to_owned()), ["s"]);
        assert_eq!(values(&true), ["true"]);
        assert_eq!(values(&false), ["false"]);
        assert_eq!(values(&-42_i64), ["-42"]);
        assert_eq!(values(&1.5_f64), ["1.5"]);
        assert_eq!(values(&None::<i64>), Vec::<String>::new());
        assert_eq!(values(&Some(vec!["a", "b"])), ["a", "b"]);
        assert_eq!(values(&["a", "b"][..]), ["a", "b"]);
        assert_eq!(values(&Vec::<String>::new()), Vec::<String>::new());
    }

    #[test]
    fn dates_and_date_times_keep_their_spelling() {
        let at = crate::DateTime::parse("2024-05-01T10:00:00.000+00:00").unwrap();
        assert_eq!(values(&at), ["2024-05-01T10:00:00.000+00:00"]);
        let day = crate::Date::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(values(&Some(day)), ["2024-02-29"]);
    }

    #[test]
    fn enums_use_their_wire_names() {
        // Generated enums serialize as their wire string, like this one.
        #[derive(Serialize)]
        enum Status {
            #[serde(rename = "capture_succeeded")]
            CaptureSucceeded,
        }
        assert_eq!(
            values(&Some(vec![Status::CaptureSucceeded])),
            ["capture_succeeded"]
        );
    }

    #[test]
    fn objects_and_nested_lists_are_refused() {
        let mut out = Vec::new();
        let map = std::collections::BTreeMap::from([("a", 1)]);
        let error = map.push_values(&mut out).unwrap_err();
        assert_eq!(error.kind(), super::super::ErrorKind::InvalidRequest);
        assert!(vec![vec![1]].push_values(&mut out).is_err());
    }

    #[test]
    fn query_strings_encode_plus_and_spaces() {
        let mut url = "http://h/p".to_owned();
        append_query(
            &mut url,
            &[("a", "1+2 3".to_owned()), ("a", "&".to_owned())],
        );
        assert_eq!(url, "http://h/p?a=1%2B2%203&a=%26");
    }
}
