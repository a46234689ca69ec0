//! Lowering of `x-speakeasy-globals`: parameters that are client settings rather than operation
//! inputs. Gr4vy's overlay declares one, the merchant account header.
//!
//! Each global becomes a setter on `ClientBuilder` (every call sends it) and on `RequestOptions`
//! (one call sends another value). The hand-written runtime only knows that globals are headers
//! with string values; which headers, and what their setters are called, is decided here, so a
//! global renamed by the spec changes the header the client sends and never leaves it sending the
//! old one. Operations leave global parameters out of their own inputs (`ir/operations.rs`).

use serde::Serialize;

use super::Name;
use super::names::snake;
use crate::error::child;
use crate::spec::view::{Document, InstanceType, Parameter, ParameterLocation};
use crate::{Error, Result};

/// One global parameter: a header every call may carry.
#[derive(Debug, Clone, Serialize)]
pub struct Global {
    /// The header as the spec names it (wire), and the setters' name (Rust), from
    /// `x-speakeasy-name-override` when there is one.
    pub name: Name,
    pub description: Option<String>,
    /// The environment variable `Client::from_env` reads it from (see `ir/settings.rs`).
    pub env_var: String,
    /// JSON pointer of the parameter.
    pub pointer: String,
}

/// Methods the runtime's `ClientBuilder` already has (`templates/crate/src/http/client.rs` and
/// `env.rs`), public or crate-private: a global setter of the same name would not compile.
pub const CLIENT_BUILDER_METHODS: &[&str] = &[
    "from_env",
    "from_vars",
    "configure",
    "mock",
    "server",
    "server_variable",
    "base_url",
    "bearer_token",
    "token_provider",
    "private_key",
    "private_key_with",
    "retries",
    "timeout",
    "connect_timeout",
    "max_response_size",
    "allow_insecure_http",
    "user_agent",
    "http_client",
    "hook",
    "build",
    "resolve_server_url",
    "global",
];

/// Methods the runtime's `RequestOptions` already has (`templates/crate/src/http/options.rs`).
pub const REQUEST_OPTIONS_METHODS: &[&str] = &[
    "new",
    "retries",
    "no_retries",
    "timeout",
    "base_url",
    "bearer_token",
    "header",
    "max_pages",
    "global",
];

/// Headers the SDK sets itself or refuses per call (the runtime's `RESERVED_HEADERS`, plus the
/// ones every request carries): a global cannot take them over.
const SDK_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
    "authorization",
    "proxy-authorization",
    "user-agent",
    "accept",
    "content-type",
];

/// Reads `x-speakeasy-globals` once, in spec order. Only string headers can be globals: the
/// runtime sends them as headers and the setters take strings. A required global is refused,
/// since nothing makes a caller set a client setting; an operation parameter can be required.
/// Whether a setter's name is free is checked with the server variables' (`ir/settings.rs`).
pub(super) fn lower(doc: &Document) -> Result<Vec<Global>> {
    let Some(globals) = &doc.x_speakeasy_globals else {
        return Ok(Vec::new());
    };
    let base = child(&child("", "x-speakeasy-globals"), "parameters");
    let mut out: Vec<Global> = Vec::new();
    for (index, p) in globals.parameters.iter().enumerate() {
        let pointer = child(&base, &index.to_string());
        let global = lower_one(p, &pointer)?;
        if let Some(other) = out
            .iter()
            .find(|g| g.name.wire.eq_ignore_ascii_case(&global.name.wire))
        {
            return Err(Error::at(
                child(&pointer, "name"),
                format!(
                    "the header `{}` is already a global (#{}); HTTP header names ignore case",
                    global.name.wire, other.pointer
                ),
            ));
        }
        out.push(global);
    }
    Ok(out)
}

fn lower_one(p: &Parameter, pointer: &str) -> Result<Global> {
    if p.r#in != ParameterLocation::Header {
        return Err(Error::at(
            child(pointer, "in"),
            format!(
                "a global in `{}` is not supported; the client sends globals as headers",
                p.r#in.as_str()
            ),
        ));
    }
    if !is_header_name(&p.name) {
        return Err(Error::at(
            child(pointer, "name"),
            format!("`{}` is not a valid HTTP header name", p.name),
        ));
    }
    if SDK_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()) {
        return Err(Error::at(
            child(pointer, "name"),
            format!(
                "the SDK sets the `{}` header itself; a global cannot replace it",
                p.name
            ),
        ));
    }
    if p.required == Some(true) {
        return Err(Error::at(
            child(pointer, "required"),
            "a required global is not supported: the client sends a global only when a caller sets \
             it; make it optional, or an operation parameter",
        ));
    }
    let is_string = p
        .schema
        .as_ref()
        .and_then(|s| s.as_object())
        .is_some_and(|s| s.r#ref.is_none() && s.types() == [InstanceType::String]);
    if !is_string {
        return Err(Error::at(
            child(pointer, "schema"),
            "a global needs the schema `type: string`: its setters take a string",
        ));
    }
    let name = snake(p.x_speakeasy_name_override.as_deref().unwrap_or(&p.name));
    let rust = name.bare.clone();
    if name.raw {
        return Err(Error::at(
            pointer,
            format!(
                "the setter name `{rust}` is a Rust keyword; give the global another \
                 `x-speakeasy-name-override`"
            ),
        ));
    }
    Ok(Global {
        name: Name::new(p.name.clone(), rust),
        description: p.description.clone(),
        // Named by `settings::settle`, beside the server variables.
        env_var: String::new(),
        pointer: pointer.to_string(),
    })
}

/// An HTTP field name (RFC 9110 `token`): what the runtime can turn into a header name.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The method lists above follow the runtime: every method it defines on `ClientBuilder` and
    /// `RequestOptions` is listed, so a global can never be given the name of one.
    #[test]
    fn the_reserved_method_names_cover_the_runtime() {
        let http =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/crate/src/http");
        for (file, listed) in [
            ("client.rs", CLIENT_BUILDER_METHODS),
            ("env.rs", CLIENT_BUILDER_METHODS),
            ("options.rs", REQUEST_OPTIONS_METHODS),
        ] {
            let text = std::fs::read_to_string(http.join(file)).unwrap();
            let owner = if file != "options.rs" {
                "impl ClientBuilder {"
            } else {
                "impl RequestOptions {"
            };
            let body = &text[text.find(owner).unwrap()..];
            let body = &body[..body.find("\n}\n").unwrap()];
            for line in body.lines() {
                let line = line.trim_start();
                let Some(rest) = line
                    .strip_prefix("pub fn ")
                    .or_else(|| line.strip_prefix("pub(crate) fn "))
                    .or_else(|| line.strip_prefix("fn "))
                else {
                    continue;
                };
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    listed.contains(&name.as_str()),
                    "{file}: `{name}` is not listed"
                );
            }
        }
    }

    #[test]
    fn header_names() {
        for ok in ["x-tenant-id", "X-Gr4vy-Merchant-Account-Id", "a"] {
            assert!(is_header_name(ok), "{ok}");
        }
        for bad in ["", "x tenant", "x:y", "é", "a\n"] {
            assert!(!is_header_name(bad), "{bad}");
        }
    }
}
