//! Lowering of the spec's `servers` into the client's environment choices.

use super::names::{camel, snake};
use super::{Server, ServerVariable};
use crate::error::child;
use crate::spec::view::Document;
use crate::{Error, Result};

/// Returns the servers (the first is the default) and the union of their URL variables.
///
/// Variables are shared by name across servers (Gr4vy's sandbox and production both use `id`), so the
/// client has one setter per variable name. Two servers giving one variable different defaults would
/// make that setter's default ambiguous, so it is an error.
pub(super) fn lower(doc: &Document) -> Result<(Vec<Server>, Vec<ServerVariable>)> {
    if doc.servers.is_empty() {
        return Err(Error::at(
            "/servers",
            "the spec declares no servers; add them with an overlay (see spec/overlays/01-servers.yaml)",
        ));
    }
    let mut servers: Vec<Server> = Vec::new();
    let mut variables: Vec<ServerVariable> = Vec::new();
    for (index, server) in doc.servers.iter().enumerate() {
        let pointer = child("/servers", &index.to_string());
        let wire = server
            .x_speakeasy_server_id
            .clone()
            .unwrap_or_else(|| format!("server{index}"));
        let name = camel(&wire);
        if let Some(other) = servers.iter().find(|s| s.name.bare == name.bare) {
            return Err(Error::at(
                &pointer,
                format!(
                    "server id `{wire}` gives the Rust name `{}`, already used by the server at #{}; give \
                     one of them another `x-speakeasy-server-id`",
                    name.rust(),
                    other.pointer
                ),
            ));
        }
        for placeholder in placeholders(&server.url) {
            let Some(var) = server.variables.get(placeholder) else {
                return Err(Error::at(
                    child(&pointer, "url"),
                    format!(
                        "the URL uses `{{{placeholder}}}` but the server declares no such variable"
                    ),
                ));
            };
            let var_pointer = child(&child(&pointer, "variables"), placeholder);
            match variables.iter().find(|v| v.name.wire == placeholder) {
                Some(seen) if seen.default != var.default => {
                    return Err(Error::at(
                        child(&var_pointer, "default"),
                        format!(
                            "variable `{placeholder}` defaults to `{}` here but to `{}` in an earlier server; \
                             servers must agree on a shared variable's default",
                            var.default, seen.default
                        ),
                    ));
                }
                Some(_) => {}
                None => variables.push(ServerVariable {
                    name: snake(placeholder),
                    default: var.default.clone(),
                    description: var.description.clone(),
                    allowed: var.r#enum.clone().unwrap_or_default(),
                    // Named by `settings::settle`, beside the globals.
                    env_var: String::new(),
                    pointer: var_pointer,
                }),
            }
        }
        servers.push(Server {
            name,
            url_template: server.url.clone(),
            description: server.description.clone(),
            pointer,
        });
    }
    Ok((servers, variables))
}

/// The `{name}` placeholders of a server URL, in order.
fn placeholders(url: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn finds_placeholders_in_order() {
        assert_eq!(
            placeholders("https://api.{env}.{id}.gr4vy.app"),
            vec!["env", "id"]
        );
        assert!(placeholders("https://x").is_empty());
        assert!(placeholders("https://{unclosed").is_empty());
    }
}
