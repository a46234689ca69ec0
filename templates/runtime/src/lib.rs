//! The generated crate's hand-written runtime, compiled in place.
//!
//! `cargo xtask regen` copies `templates/crate/src/{http,runtime}/`, `auth.rs` and `webhooks.rs`
//! verbatim into `generated/src/`, next to the modules it generates. Those files have no manifest
//! of their own, so without this crate an edit could only be compiled, linted or tested after a
//! regen. This crate declares them by `#[path]` where they are written, and adds the few generated
//! items they name (`crate::Server`, `crate::servers::SERVER_VARIABLES`, `crate::globals::GLOBALS`,
//! `crate::ApiErrorBody`, `crate::errors::decode_api_error`) as short stand-ins for a made-up spec
//! with one server, one server variable and one global header. The crate root re-exports what the
//! generated `lib.rs` does, so `crate::` paths resolve the same way in both crates.
//!
//! Working on the runtime: edit `templates/crate/src/`, then `cargo test -p gr4vy-runtime` (its
//! unit tests) and `cargo clippy -p gr4vy-runtime --all-targets -- -D warnings`; rust-analyzer
//! sees the files through this crate. Before committing, `cargo xtask regen` copies them into
//! `generated/`, whose tests (`cargo xtask test`) check them against Gr4vy's real spec.
//!
//! Only this file belongs to the crate: it is not under `templates/crate/`, so regen never copies it.

#![forbid(unsafe_code)]

// The runtime's files, where they are written. `rustfmt::skip`: they are formatted as generated
// code is (`templates/crate/rustfmt.toml` turns rustfmt off), not by `cargo fmt` through this crate.
#[rustfmt::skip]
#[path = "../../crate/src/auth.rs"]
pub mod auth;
#[rustfmt::skip]
#[path = "../../crate/src/http/mod.rs"]
mod http;
#[rustfmt::skip]
#[path = "../../crate/src/runtime/mod.rs"]
mod runtime;
#[rustfmt::skip]
#[path = "../../crate/src/webhooks.rs"]
pub mod webhooks;
#[rustfmt::skip]
#[cfg(feature = "test-util")]
#[path = "../../crate/src/testing.rs"]
pub mod testing;

pub use errors::{ApiErrorBody, ApiErrorDetail};
pub use http::*;
pub use runtime::datetime::{Date, DateTime};
pub use runtime::nullable::Nullable;
pub use runtime::open_enum::UnknownValue;
pub use servers::Server;

/// Stand-in for the generated `servers.rs`: one server whose URL has one variable.
mod servers {
    /// The made-up spec's only server.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[non_exhaustive]
    pub enum Server {
        /// `https://{tenant}.api.example`.
        #[default]
        Main,
    }

    impl Server {
        /// Every server.
        pub const ALL: [Server; 1] = [Server::Main];

        /// The server's id in the spec.
        pub fn id(self) -> &'static str {
            match self {
                Server::Main => "main",
            }
        }

        /// The URL template, with `{variable}` placeholders.
        pub fn url_template(self) -> &'static str {
            match self {
                Server::Main => "https://{tenant}.api.example",
            }
        }
    }

    /// Every URL variable with its default.
    pub(crate) const SERVER_VARIABLES: &[(&str, &str)] = &[("tenant", "demo")];

    impl crate::ClientBuilder {
        /// The tenant's subdomain, as a generated server variable setter.
        pub fn tenant(self, value: impl Into<String>) -> Self {
            self.server_variable("tenant", value)
        }
    }
}

/// Stand-in for the generated `globals.rs`: one global header with its setters.
mod globals {
    /// Every global: its header and the name of its setters.
    pub(crate) const GLOBALS: &[(&str, &str)] = &[("x-example-workspace", "workspace")];

    /// The prefix of the environment variables `Client::from_env` reads.
    pub(crate) const ENV_PREFIX: &str = "EXAMPLE_";

    /// The environment variable of each server variable, by its name in the URL.
    pub(crate) const ENV_SERVER_VARIABLES: &[(&str, &str)] = &[("tenant", "EXAMPLE_TENANT")];

    /// The environment variable of each global, by its header.
    pub(crate) const ENV_GLOBALS: &[(&str, &str)] = &[("x-example-workspace", "EXAMPLE_WORKSPACE")];

    /// The span of one call, with the global as a field.
    pub(crate) fn call_span<'v>(
        endpoint: crate::http::Endpoint,
        method: &reqwest::Method,
        server: &str,
        global: impl Fn(&str) -> Option<&'v str>,
    ) -> tracing::Span {
        tracing::info_span!(
            "gr4vy.call",
            otel.name = tracing::field::Empty,
            otel.kind = "client",
            gr4vy.operation_id = endpoint.operation_id,
            http.request.method = %method,
            url.template = endpoint.template,
            server.address = server,
            gr4vy.workspace = global("x-example-workspace"),
            gr4vy.attempts = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            error.type = tracing::field::Empty,
            gr4vy.duration_ms = tracing::field::Empty,
        )
    }

    impl crate::ClientBuilder {
        /// Sent as the `x-example-workspace` header of every call.
        pub fn workspace(self, value: impl Into<String>) -> Self {
            self.global("x-example-workspace", value)
        }
    }

    impl crate::RequestOptions {
        /// Sent as the `x-example-workspace` header of this call, instead of the client's.
        pub fn workspace(self, value: impl Into<String>) -> Self {
            self.global("x-example-workspace", value)
        }
    }
}

/// Stand-in for the generated `errors.rs`: one declared error body, for `400`.
mod errors {
    /// The decoded body of an error response whose status declares one.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub enum ApiErrorBody {
        /// The body of a `400` response: any JSON object.
        Error400(serde_json::Map<String, serde_json::Value>),
    }

    impl ApiErrorBody {
        /// The body's `message`.
        pub fn message(&self) -> Option<&str> {
            match self {
                ApiErrorBody::Error400(body) => body.get("message").and_then(|v| v.as_str()),
            }
        }

        /// The body's `code`.
        pub fn code(&self) -> Option<&str> {
            match self {
                ApiErrorBody::Error400(body) => body.get("code").and_then(|v| v.as_str()),
            }
        }

        /// The body's `details`: always empty here, as the stand-in keeps the body as a map.
        pub fn details(&self) -> &[ApiErrorDetail] {
            match self {
                ApiErrorBody::Error400(_) => &[],
            }
        }
    }

    /// One of the details of an API error.
    pub type ApiErrorDetail = serde_json::Value;

    /// Decodes an error body by status; `None` when it is not the declared JSON.
    pub(crate) fn decode_api_error(status: u16, body: &[u8]) -> Option<ApiErrorBody> {
        match status {
            400 => serde_json::from_slice(body)
                .ok()
                .map(ApiErrorBody::Error400),
            _ => None,
        }
    }
}
