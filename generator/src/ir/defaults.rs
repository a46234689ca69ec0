//! Defaults the spec promises: which fields read as their schema's `default` when a response
//! leaves them out, so that they are `T` rather than `Option<T>` (`Transaction.pending_review` is a
//! `bool`, `false` when absent, as Gr4vy's other SDKs read it).
//!
//! The rule, for a field with a `default` other than `null`:
//! - only on types that are received and never sent. On a type that is also sent, `Option<T>` is
//!   kept: `None` leaves the field out of a request, and writing the default instead would send a
//!   value where the SDK sent nothing before. The server would read both the same way only if it
//!   honours its own default, which a request cannot check; keeping requests byte-identical is the
//!   sound choice.
//! - not on required fields (always there), nor on nullable ones (`null` is not the default, and
//!   `None` is how it reads), nor on `const` fields (the constant is the value).
//! - only for values a literal spells: a boolean, an integer, a number, a string, or a known value of
//!   an enum. Other defaults (`[]`, objects, dates) keep `Option<T>`.
//! - a default that does not fit the field's type (a string on an integer, a value the enum lacks)
//!   is the spec's mistake: the field keeps `Option<T>` and lowering warns at the `default`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::types::{DefaultValue, Field, Ty, TypeKind, Types};
use crate::Warning;
use crate::error::child;

/// Sets [`Field::default`] on the fields the rule above applies to. `spec` holds every property's
/// non-null `default` (with its `format`) by pointer; run once usage is known, before anything reads
/// a field's presence.
pub(super) fn settle(
    types: &mut Types,
    spec: &BTreeMap<String, (Value, Option<String>)>,
    warnings: &mut Vec<Warning>,
) {
    let mut decided: Vec<(usize, usize, DefaultValue)> = Vec::new();
    for def in types.iter() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for (i, f) in s.fields.iter().enumerate() {
            let Some((value, format)) = spec.get(&f.pointer) else {
                continue;
            };
            if f.constant.is_some() {
                continue;
            }
            let Some(fit) = fit(types, f, value, format.as_deref()) else {
                continue;
            };
            let value = match fit {
                Ok(value) => value,
                Err(why) => {
                    // Once per property, though several types may share it.
                    let at = child(&f.pointer, "default");
                    if !warnings.iter().any(|w| w.pointer == at) {
                        warnings.push(Warning::at(
                            at,
                            format!(
                                "`default: {value}` {why}, so `{}` stays optional (`None` when a response \
                                 leaves it out); fix the default with an overlay",
                                f.name.wire
                            ),
                        ));
                    }
                    continue;
                }
            };
            let received_only = def.usage.response && !def.usage.request;
            if received_only && !f.required && !f.nullable {
                decided.push((def.id.0, i, value));
            }
        }
    }
    for (ty, field, value) in decided {
        if let TypeKind::Struct(s) = &mut types.defs[ty].kind {
            s.fields[field].default = Some(value);
        }
    }
}

/// The default as a value of the field's type: `None` when the type is not one a literal spells
/// (the default is then left alone), `Err` with the reason when it does not fit.
fn fit(
    types: &Types,
    f: &Field,
    value: &Value,
    format: Option<&str>,
) -> Option<Result<DefaultValue, String>> {
    let ty = resolve(types, &f.ty);
    let wrong = |what: &str| Some(Err(format!("is not {what}, the field's type")));
    match ty {
        Ty::Boolean => match value {
            Value::Bool(b) => Some(Ok(DefaultValue::Boolean(*b))),
            _ => wrong("a boolean"),
        },
        Ty::Integer => match value.as_i64() {
            Some(n) => Some(Ok(DefaultValue::Integer(n))),
            None => wrong("an integer that fits in 64 bits"),
        },
        Ty::Number => match value.as_f64() {
            Some(x) if value.is_number() => Some(Ok(DefaultValue::Number(x))),
            _ => wrong("a number"),
        },
        Ty::String => match value {
            Value::String(s) if format == Some("uuid") && !is_uuid(s) => Some(Err(
                "is not a UUID, as the field's `format: uuid` says".into(),
            )),
            Value::String(s) => Some(Ok(DefaultValue::String(s.clone()))),
            _ => wrong("a string"),
        },
        Ty::Named(id) => match &types.get(*id).kind {
            TypeKind::Enum(e) => {
                let Value::String(s) = value else {
                    return wrong("a string, as the enum's values are");
                };
                match e.variants.iter().find(|v| v.name.wire == *s) {
                    Some(v) => Some(Ok(DefaultValue::Enum(v.name.clone()))),
                    None => Some(Err(format!(
                        "is not one of the values of `{}`",
                        types.get(*id).name.wire
                    ))),
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// Follows aliases to the type they stand for (bounded, as alias cycles are an error elsewhere).
fn resolve<'t>(types: &'t Types, mut ty: &'t Ty) -> &'t Ty {
    for _ in 0..=types.defs.len() {
        match ty {
            Ty::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}
