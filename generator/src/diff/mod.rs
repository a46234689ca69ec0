//! Spec evolution: what changed in the generated Rust API between two specs, and the semver bump
//! that calls for.
//!
//! Two steps. [`surface()`] reduces a lowered [`Api`](crate::ir::Api) to its **surface**: what the
//! `gr4vy` crate exposes, spelt as the emitter spells it (operations by `operationId`, with their
//! call path, request builder type, arguments, setters and response type; model types by spec name,
//! with every field's Rust type as the struct declares it, enum values, union variants and alias
//! targets). [`diff()`] then compares two surfaces, operations matched by their call first, and
//! classifies each difference by its effect on code that uses the crate: breaking, additive or
//! none. The rules, and why additions are additive, are in `docs/semver.md` at the repository root.
//! Any breaking change makes the bump **major**, else any additive one **minor**, else **patch**;
//! for a 0.x crate (ours) the report also names the next version, where breaking bumps the minor.
//!
//! The client's settings are compared too (`compare/client.rs`): servers, server variables and
//! globals decide where calls go and what they carry, so a change to any of them is reported
//! even where the Rust code stays the same. Not compared: the hand-written runtime
//! (`templates/crate/`), which no spec change touches.
//!
//! [`changelog()`] is what `cargo xtask regen` does with this: the crate carries its surface
//! (`api-surface.json`, printed by [`surface_json()`]), and when a regen sees a different spec
//! sha256 there, it prepends the report to `CHANGELOG.md`.
//!
//! Files: `surface.rs` (the model and its builder), `json.rs` (its printing), `lock.rs` (the
//! surface as the next regen's naming lock), `report.rs` (effects,
//! kinds of change, the bump, Markdown), `compare/` (the rules), `changelog.rs` (the crate's files).

mod changelog;
mod compare;
mod json;
mod lock;
mod report;
mod surface;

pub use changelog::{add_changelog, changelog};
pub use compare::diff;
pub use json::surface_json;
pub use lock::{lock_of, read_lock};
pub use report::{Bump, Counts, Effect, Entry, Kind, Report};
pub use surface::{
    BodySurface, ClientSurface, ConstSurface, FieldSurface, KindSurface, OperationSurface,
    ParamSurface, ServerSurface, SettingSurface, Surface, TypeSurface, UsageSurface, surface,
};

/// The file of the generated crate that records its surface.
pub const SURFACE_FILE: &str = "api-surface.json";
/// The file of the generated crate that lists the reports of past spec changes, newest first.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";
