//! Hand-written support code the generated models rely on. Copied verbatim by `cargo xtask regen`
//! from `templates/crate/src/runtime/`; edit it there.

// Not every spec uses every construct (enums, constants, unions, nullable fields), so parts of the
// runtime may go unused in a crate generated from another spec.
#![allow(dead_code, unused_macros, unused_imports)]

pub(crate) mod constant;
pub mod datetime;
pub(crate) mod de;
pub mod nullable;
pub mod open_enum;
pub(crate) mod path;
pub(crate) mod redact;
pub(crate) mod union;
