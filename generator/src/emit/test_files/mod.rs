//! The generated crate's test files that depend on the spec. Each holds only data from the IR (the
//! operation table, one call or checker per operation or type, counts, the example cases) and the
//! `mod` lines of its harness: the harnesses are hand-written under
//! `templates/crate/tests/support/`, where rustfmt, clippy and rust-analyzer see them as Rust.

pub(super) mod conformance;
pub(super) mod enums;
pub(super) mod examples;
pub(super) mod operations;

/// Stands in for a parameter without a usable example; also a valid `format: uuid`.
const PLACEHOLDER_ID: &str = "00000000-0000-4000-8000-000000000000";
