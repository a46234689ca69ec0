//! The usage example of each operation: the call a reader would write first, with values from the
//! spec's examples. Emit prints it into the operation's rustdoc (a `no_run` doctest, so every
//! example compiles) and into the overlaid spec as an `x-codeSamples` entry.
//!
//! What goes in is decided here: every argument the method takes (path and required parameters, a
//! body that is an argument), and for a body its required fields only, each from the spec's
//! example for it (else a placeholder of the right type). Optional parameters and fields are left
//! out: the example shows the shortest correct call, and the field docs show the rest.
//!
//! Values are data ([`Expr`]), never text from the spec: emit turns strings into Rust string
//! literals, so no example can become code.

use serde::Serialize;
use serde_json::Value;

use super::Api;
use super::names::{Name, snake};
use super::operations::Operation;
use super::sample;
use super::setters::BodyInput;
use super::types::{Constructor, Discriminant, Presence, Ty, TypeKind, Types};

/// How deep a value nests before the example gives up on a type (a required field that reaches
/// its own type again would not end).
const MAX_DEPTH: usize = 8;

/// How many items of an example list are kept: enough to show it is a list.
const MAX_ITEMS: usize = 2;

/// One operation's example call.
#[derive(Debug, Clone, Serialize)]
pub struct CallExample {
    /// The method's arguments, in order: a value for each argument parameter, then the body when
    /// it is an argument.
    pub args: Vec<Expr>,
    /// What the example binds the result to (`transaction`); `None` when the call returns nothing.
    pub binding: Option<String>,
    /// The example loops over `items()` rather than awaiting `send()`.
    pub paginated: bool,
}

/// A value of a known Rust type, built from an example. The type travels beside it (the
/// argument's, field's or variant's), so emit can print the shortest expression of that type.
#[derive(Debug, Clone, Serialize)]
pub enum Expr {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A `DateTime` or `Date`, as its text.
    Time(String),
    /// A known value of an enum type.
    EnumValue(Name),
    List(Vec<Expr>),
    /// A map's entries.
    Pairs(Vec<(String, Expr)>),
    /// A struct built with `new`: one value per field `new` takes, in order.
    Struct(Vec<Expr>),
    /// A union holding its variant number `index`.
    Variant {
        index: usize,
        value: Box<Expr>,
    },
    /// A value of a required nullable argument or field (`Option<T>`).
    Some(Box<Expr>),
    Null,
    /// Any JSON (a schema without a type, or a free-form object).
    Json(Value),
}

/// Fills in [`Operation::example`] for every operation, once the API is otherwise complete.
pub(super) fn decide(api: &mut Api) {
    let examples: Vec<Option<CallExample>> = api
        .operations
        .iter()
        .map(|op| call_example(api, op))
        .collect();
    for (op, example) in api.operations.iter_mut().zip(examples) {
        op.example = example;
    }
}

/// The example of `op`, or `None` when an argument has a type no example can be built for (a
/// response-only struct, a recursive required field).
fn call_example(api: &Api, op: &Operation) -> Option<CallExample> {
    let builder = Builder {
        types: &api.types,
        samples: sample::Samples::new(api),
    };
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.is_argument()) {
        let value = builder.value(&p.ty, p.example.as_ref(), &p.name.wire, 0)?;
        args.push(if p.is_nullable_argument() {
            Expr::Some(Box::new(value))
        } else {
            value
        });
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.input == BodyInput::Argument) {
        let sample = builder.samples.of(api, &body.ty);
        args.push(builder.value(&body.ty, sample.as_ref(), "body", 0)?);
    }
    let paginated = op.pagination.is_some();
    let shown = match &op.pagination {
        Some(p) => Some(&p.item_ty),
        None => op.success.body.as_ref().map(|b| &b.ty),
    };
    // Named after the type when it is one thing (`transaction`); a union's name says little.
    let binding = shown.map(|ty| match ty {
        Ty::Named(id) if !matches!(api.types.get(*id).kind, TypeKind::Union(_)) => {
            snake(&api.types.get(*id).name.bare).rust()
        }
        _ if paginated => "item".to_string(),
        _ => "response".to_string(),
    });
    Some(CallExample {
        args,
        binding,
        paginated,
    })
}

struct Builder<'a> {
    types: &'a Types,
    samples: sample::Samples<'a>,
}

impl Builder<'_> {
    /// A value of `ty` from `example` (the spec's, if any); `hint` names the placeholder of a
    /// string without one.
    fn value(&self, ty: &Ty, example: Option<&Value>, hint: &str, depth: usize) -> Option<Expr> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match ty {
            Ty::String => Expr::Str(match example {
                Some(Value::String(s)) => s.clone(),
                _ => format!("<{hint}>"),
            }),
            Ty::Integer => Expr::Int(example.and_then(Value::as_i64).unwrap_or(0)),
            Ty::Number => Expr::Float(example.and_then(Value::as_f64).unwrap_or(0.0)),
            Ty::Boolean => Expr::Bool(example.and_then(Value::as_bool).unwrap_or(false)),
            Ty::DateTime => Expr::Time(time(example, "2025-01-01T00:00:00Z", is_date_time)),
            Ty::Date => Expr::Time(time(example, "2025-01-01", is_date)),
            Ty::Any => Expr::Json(
                example
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
            ),
            // Only an object fits a free-form object.
            Ty::Object => Expr::Json(match example {
                Some(v @ Value::Object(_)) => v.clone(),
                _ => Value::Object(Default::default()),
            }),
            Ty::Array(item) => Expr::List(match example {
                Some(Value::Array(items)) => items
                    .iter()
                    .take(MAX_ITEMS)
                    .map(|v| self.value(item, Some(v), hint, depth + 1))
                    .collect::<Option<_>>()?,
                _ => Vec::new(),
            }),
            Ty::Map(value) => Expr::Pairs(match example {
                Some(Value::Object(map)) => map
                    .iter()
                    .take(MAX_ITEMS)
                    .map(|(k, v)| Some((k.clone(), self.value(value, Some(v), k, depth + 1)?)))
                    .collect::<Option<_>>()?,
                _ => Vec::new(),
            }),
            Ty::Optional(inner) => match example {
                None | Some(Value::Null) => Expr::Null,
                Some(v) => Expr::Some(Box::new(self.value(inner, Some(v), hint, depth + 1)?)),
            },
            Ty::Named(id) => {
                let def = self.types.get(*id);
                match &def.kind {
                    TypeKind::Alias(inner) => self.value(inner, example, hint, depth)?,
                    TypeKind::Enum(e) => {
                        let wanted = example.and_then(Value::as_str);
                        let variant = e
                            .variants
                            .iter()
                            .find(|v| Some(v.name.wire.as_str()) == wanted)
                            .or(e.variants.first())?;
                        Expr::EnumValue(variant.name.clone())
                    }
                    TypeKind::Struct(s) => {
                        if s.constructor == Constructor::None {
                            return None;
                        }
                        let mut values = Vec::new();
                        for f in s.constructor_fields(def.usage) {
                            let field_example = example.and_then(|v| v.get(&f.name.wire));
                            let v = match f.presence(def.usage) {
                                Presence::RequiredNullable => match field_example {
                                    None | Some(Value::Null) => Expr::Null,
                                    Some(v) => Expr::Some(Box::new(self.value(
                                        &f.ty,
                                        Some(v),
                                        &f.name.wire,
                                        depth + 1,
                                    )?)),
                                },
                                _ => self.value(&f.ty, field_example, &f.name.wire, depth + 1)?,
                            };
                            values.push(v);
                        }
                        Expr::Struct(values)
                    }
                    TypeKind::Union(u) => {
                        let tagged = match (&u.discriminant, example) {
                            (Discriminant::Tag { property }, Some(v)) => {
                                let tag = v.get(property).and_then(Value::as_str);
                                u.variants.iter().position(|var| {
                                    tag.is_some_and(|t| var.tags.iter().any(|x| x == t))
                                })
                            }
                            _ => None,
                        };
                        let order = tagged.into_iter().chain(0..u.variants.len());
                        order
                            .filter(|&i| self.holdable(&u.variants[i].ty))
                            .find_map(|index| {
                                let value =
                                    self.value(&u.variants[index].ty, example, hint, depth + 1)?;
                                Some(Expr::Variant {
                                    index,
                                    value: Box::new(value),
                                })
                            })?
                    }
                }
            }
        })
    }

    /// Whether a union variant of this type can be written as a value of exactly that type,
    /// which the union's `From` impls then take: named structs and enums, and scalars.
    fn holdable(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Integer | Ty::Number | Ty::Boolean => true,
            Ty::Named(id) => matches!(
                self.types.get(*id).kind,
                TypeKind::Struct(_) | TypeKind::Enum(_)
            ),
            _ => false,
        }
    }
}

/// The example's text when `valid` accepts it, otherwise `fallback`. The snippet parses the text
/// with `.expect(..)`, so a spec example that is not a date (`"yesterday"`, `"2023-02-30"`) must
/// not reach it: a reader who runs the snippet would get a panic.
fn time(example: Option<&Value>, fallback: &str, valid: fn(&str) -> bool) -> String {
    example
        .and_then(Value::as_str)
        .filter(|text| valid(text))
        .unwrap_or(fallback)
        .to_string()
}

/// `YYYY-MM-DD`, a day that exists (`format: date`, what `chrono::NaiveDate` parses).
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && (1..=days).contains(&day)
}

/// An RFC 3339 date-time (`format: date-time`): a date, `T`, `hh:mm:ss`, an optional fraction,
/// then `Z` or `±hh:mm`. Stricter than the runtime's parser, which is all a snippet needs.
fn is_date_time(text: &str) -> bool {
    // Every accepted character is ASCII, so byte offsets below are character boundaries.
    if !text.is_ascii() {
        return false;
    }
    let two = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|d| d.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let Some((date, rest)) = text.split_once('T') else {
        return false;
    };
    let (clock, offset) = match rest.strip_suffix('Z') {
        Some(clock) => (clock, None),
        None if rest.len() > 6 => {
            let (clock, offset) = rest.split_at(rest.len() - 6);
            (clock, Some(offset))
        }
        None => return false,
    };
    let offset_ok = offset.is_none_or(|o| {
        matches!(o.as_bytes()[0], b'+' | b'-')
            && o.as_bytes()[3] == b':'
            && two(&o[1..3], 23)
            && two(&o[4..6], 59)
    });
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let parts: Vec<&str> = hms.split(':').collect();
    is_date(date)
        && offset_ok
        && !fraction.is_empty()
        && fraction.bytes().all(|d| d.is_ascii_digit())
        && matches!(parts[..], [h, m, s] if two(h, 23) && two(m, 59) && two(s, 59))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_time_example_that_would_not_parse_falls_back() {
        let date_time = |v: Value| time(Some(&v), "FALLBACK", is_date_time);
        for good in [
            "2013-07-16T19:23:00.000+00:00",
            "2024-02-29T23:59:59Z",
            "2025-01-01T00:00:00.5-05:30",
        ] {
            assert_eq!(date_time(json!(good)), good);
        }
        for bad in [
            json!("yesterday"),
            json!("2023-02-29T00:00:00Z"),
            json!("2025-01-01 00:00:00Z"),
            json!("2025-01-01T24:00:00Z"),
            json!("2025-01-01T00:00:00"),
            json!("2025-01-01T00:00:00+0100"),
            json!("2025-01-01T00:00:00.Z"),
            json!("2025-01-01T00:00Z"),
            json!("\").expect(\"x"),
            json!("2025-01-01T00:00:00ä+01:00"),
            json!("2025-01-01T00:00:00+01:0ä"),
            json!(20250101),
        ] {
            assert_eq!(date_time(bad.clone()), "FALLBACK", "{bad}");
        }
        let date = |v: &str| time(Some(&json!(v)), "FALLBACK", is_date);
        assert_eq!(date("2024-02-29"), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2025-13-01",
            "2025-1-01",
            "2025-01-01T00:00:00Z",
            "２０２５-01-01",
            "",
        ] {
            assert_eq!(date(bad), "FALLBACK", "{bad}");
        }
    }
}
