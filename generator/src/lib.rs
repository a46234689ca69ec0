//! `gr4vy-codegen`: turns Gr4vy's OpenAPI 3.1 spec into the `gr4vy` Rust crate.
//!
//! The generator is a short chain of passes, each in its own module:
//!
//! 1. [`spec::source`]: find the pinned spec (a cache or a mirror) and check its sha256;
//! 2. [`spec::overlay`]: apply our OpenAPI Overlay 1.0 files, giving `openapi.speakeasy.json`;
//! 3. [`spec::view`]: read that JSON into a lossless typed view, and [`spec::audit`] it for anything
//!    the view does not model;
//! 4. [`ir`]: lower the view into an IR that says what the crate will contain;
//! 5. [`emit`]: render the IR to Rust (quote, then prettyplease) and to text files (askama);
//! 6. [`output`]: compare with or atomically replace the crate directory.
//!
//! [`pipeline`] has one public function per step (`load`, `overlay`, `view`, `lower`, `render`),
//! each returning a value, and chains them: all of them for `cargo xtask regen` (which also adds the
//! crate's `api-surface.json` and `CHANGELOG.md` from [`diff`]), up to `lower` for
//! `cargo xtask diff`, from `view` on for the fixture tests and fuzzing.

// Input never makes the generator panic: every failure is an `Error` with a location. These lints
// make that a compile-time rule for the library (tests may still unwrap), and `clippy.toml` bans
// hash maps and sets, whose iteration order could leak into the output.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable,
    )
)]

pub mod diff;
pub mod emit;
pub mod error;
pub mod invalid_examples;
pub mod ir;
pub mod output;
pub mod pipeline;
pub mod spec;

pub use error::{Error, Location, Result, Warning};
