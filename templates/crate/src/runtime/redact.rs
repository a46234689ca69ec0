//! `Debug` output for card data and credentials, which must never reach a log (PCI DSS).
//!
//! The generator decides which fields are sensitive (`generator/src/ir/sensitive.rs`) and writes a
//! `Debug` impl for each model that has one, which formats those fields through [`card_number`],
//! [`secret`] or [`opaque`] and every other field as usual. Only `Debug` changes: the values are
//! still public fields, and serialization sends them in full.

use std::collections::BTreeMap;
use std::fmt;

use crate::runtime::datetime::{Date, DateTime};
use crate::runtime::nullable::Nullable;

/// What `Debug` shows in place of a hidden value.
const REDACTED: &str = "<redacted>";

/// The shortest card number whose last four digits are shown. A shorter value is not a card number
/// (they have 13 to 19 digits), and four of its few characters would give away too much of it.
const MIN_LEN_FOR_LAST_FOUR: usize = 10;

/// How much of a value may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The last four digits, as on a receipt, so that a log still tells two cards apart.
    CardNumber,
    /// Nothing but whether it is set.
    Secret,
}

/// A value as a redacting `Debug` shows it: the shape of `Option`, `Nullable` and `Vec` (so that
/// absent, `null` and set stay distinguishable), never the text inside.
pub(crate) struct Redacted<'a, T: ?Sized> {
    value: &'a T,
    kind: Kind,
}

/// A card number, shown as `"************1234"` (the stars are a fixed mask, not the length), or
/// `<redacted>` when it is too short or does not end in digits.
pub(crate) fn card_number<T: Redact + ?Sized>(value: &T) -> Redacted<'_, T> {
    Redacted {
        value,
        kind: Kind::CardNumber,
    }
}

/// A secret (security code, PIN, token, key...): `<redacted>`.
pub(crate) fn secret<T: Redact + ?Sized>(value: &T) -> Redacted<'_, T> {
    Redacted {
        value,
        kind: Kind::Secret,
    }
}

/// Any value at all, shape included, as `<redacted>`: for sensitive fields of generated model
/// types, and for a payload a union could not decode.
pub(crate) fn opaque<T: ?Sized>(_value: &T) -> Opaque {
    Opaque
}

/// Shows `<redacted>`.
pub(crate) struct Opaque;

impl fmt::Debug for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: Redact + ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt_redacted(self.kind, f)
    }
}

/// Types a sensitive field can have, formatted without their secret.
pub(crate) trait Redact {
    fn fmt_redacted(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl Redact for str {
    fn fmt_redacted(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (kind, last_four(self)) {
            (Kind::CardNumber, Some(tail)) => write!(f, "\"************{tail}\""),
            _ => f.write_str(REDACTED),
        }
    }
}

/// The last four characters, when the value is long enough and they are all digits.
fn last_four(value: &str) -> Option<&str> {
    if value.chars().count() < MIN_LEN_FOR_LAST_FOUR {
        return None;
    }
    let tail = value.get(value.len().checked_sub(4)?..)?;
    tail.bytes().all(|b| b.is_ascii_digit()).then_some(tail)
}

impl Redact for String {
    fn fmt_redacted(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_str().fmt_redacted(kind, f)
    }
}

impl<T: Redact + ?Sized> Redact for Box<T> {
    fn fmt_redacted(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt_redacted(kind, f)
    }
}

impl<T: Redact> Redact for Option<T> {
    fn fmt_redacted(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            None => f.write_str("None"),
            Some(value) => f
                .debug_tuple("Some")
                .field(&Redacted { value, kind })
                .finish(),
        }
    }
}

impl<T: Redact> Redact for Nullable<T> {
    fn fmt_redacted(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nullable::Null => f.write_str("Null"),
            Nullable::Value(value) => f
                .debug_tuple("Value")
                .field(&Redacted { value, kind })
                .finish(),
        }
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn fmt_redacted(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|value| Redacted { value, kind }))
            .finish()
    }
}

/// Values with no text of their own to keep apart from the secret: hidden whole.
macro_rules! hidden_whole {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Redact for $ty {
                fn fmt_redacted(&self, _kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(REDACTED)
                }
            }
        )*
    };
}

hidden_whole!(
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
    i64,
    f64,
    bool,
    DateTime,
    Date,
);

impl<T> Redact for BTreeMap<String, T> {
    fn fmt_redacted(&self, _kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(value: &(impl Redact + ?Sized)) -> String {
        format!("{:?}", card_number(value))
    }

    #[test]
    fn a_card_number_shows_its_last_four_digits_only() {
        assert_eq!(card("4111111111111111"), "\"************1111\"");
        assert_eq!(card("4000056655665556789"), "\"************6789\"");
        assert_eq!(card(&"4111111111111111".to_owned()), "\"************1111\"");
    }

    #[test]
    fn a_short_or_odd_card_number_shows_nothing() {
        assert_eq!(card("411111111"), REDACTED);
        assert_eq!(card("1234"), REDACTED);
        assert_eq!(card(""), REDACTED);
        assert_eq!(card("4111111111111abc"), REDACTED);
        // Four bytes from the end falls inside `€`: no panic, nothing shown.
        assert_eq!(card("41111111111€11"), REDACTED);
    }

    #[test]
    fn a_secret_shows_nothing() {
        assert_eq!(format!("{:?}", secret("123")), REDACTED);
        let echo = serde_json::json!({"number": "4111111111111111"});
        assert_eq!(format!("{:?}", secret(&echo)), REDACTED);
        assert_eq!(format!("{:?}", secret(&42_i64)), REDACTED);
    }

    #[test]
    fn absent_null_and_set_stay_apart() {
        let absent: Option<Nullable<String>> = None;
        let null: Option<Nullable<String>> = Some(Nullable::Null);
        let set = Some(Nullable::Value("4111111111111111".to_owned()));
        assert_eq!(format!("{:?}", secret(&absent)), "None");
        assert_eq!(format!("{:?}", secret(&null)), "Some(Null)");
        assert_eq!(format!("{:?}", secret(&set)), "Some(Value(<redacted>))");
        assert_eq!(
            format!("{:?}", card_number(&set)),
            "Some(Value(\"************1111\"))"
        );
    }

    #[test]
    fn lists_keep_their_length_and_pretty_printing_works() {
        let tokens = vec![Some("tok_1".to_owned()), None];
        assert_eq!(format!("{:?}", secret(&tokens)), "[Some(<redacted>), None]");
        let pretty = "[\n    Some(\n        <redacted>,\n    ),\n    None,\n]";
        assert_eq!(format!("{:#?}", secret(&tokens)), pretty);
        assert_eq!(format!("{:?}", secret(&Box::new("x".to_owned()))), REDACTED);
    }

    #[test]
    fn opaque_hides_everything() {
        assert_eq!(format!("{:?}", opaque(&Some(vec![1, 2]))), REDACTED);
    }
}
