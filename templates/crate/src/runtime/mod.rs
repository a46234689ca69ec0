//! Hand-written support code the generated models rely on. Copied verbatim by `cargo xtask regen`
//! from `templates/crate/src/runtime/`; edit it there.

pub(crate) mod constant;
pub mod datetime;
pub mod nullable;
pub mod open_enum;
pub(crate) mod union;
