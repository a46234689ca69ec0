//! The HTTP client runtime: configuration, authentication, retries, timeouts, hooks, errors and
//! pagination. Hand-written; copied verbatim by `cargo xtask regen` from
//! `templates/crate/src/http/`, edit it there.
//!
//! Everything public here is re-exported at the crate root (`gr4vy::Client`, `gr4vy::Error`...).
//! Generated operations build a [`Call`] and send it; nothing else of this module is generated.

// Parts of the runtime serve operations that another spec may not have (pagination, idempotency
// keys), so they may go unused in a crate generated from it.
#![allow(dead_code)]

mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod call;
mod client;
mod env;
mod error;
mod hooks;
mod options;
mod pagination;
mod query;
mod retry;
#[cfg(test)]
mod tests;

pub use auth::TokenProvider;
#[cfg(feature = "blocking")]
pub use blocking::BlockingIter;
pub use client::{Client, ClientBuilder};
pub use error::{Error, ErrorKind};
pub use hooks::Hooks;
pub use options::RequestOptions;
pub use pagination::{Items, Pages};
/// The HTTP library behind this crate, re-exported so that the types in this API
/// (`reqwest::Request` in [`Hooks`], `reqwest::StatusCode` in [`Error`]...) can be named
/// without depending on a matching reqwest version.
pub use reqwest;
pub use retry::{Backoff, RetryConfig};

// What generated operations use (`crate::http::Call` and so on).
#[allow(unused_imports)]
pub(crate) use call::{Call, Endpoint};
// `gr4vy-rust/<version>`, also the `iss` of the JWTs the SDK signs.
#[allow(unused_imports)]
pub(crate) use client::DEFAULT_USER_AGENT;
#[allow(unused_imports)]
pub(crate) use pagination::{items, pages};
#[allow(unused_imports)]
pub(crate) use query::{encode_path_segment, encoded_path_segment_len, write_path_segment};
