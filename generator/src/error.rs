//! The one error type of the generator.
//!
//! Every failure that input (the spec, an overlay, the pin file, a fixture) can cause is an [`Error`]
//! value, never a panic. An error always says *where* ([`Location`]) and *what to do* (the message is a
//! sentence written for the person running `cargo xtask regen`, not for the generator's authors).

use std::fmt;
use std::path::PathBuf;

/// Where in the input an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An RFC 6901 JSON pointer into a spec document (`#/paths/~1transactions/post`).
    Pointer(String),
    /// One action of one overlay file. `action` counts from 0, as in the file's `actions` list.
    Overlay {
        file: String,
        action: usize,
        target: String,
    },
    /// A file as a whole (the pin file, a spec mirror, an output directory).
    File(PathBuf),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Pointer(p) => write!(f, "#{p}"),
            Location::Overlay {
                file,
                action,
                target,
            } => write!(f, "{file}: action {action} (target `{target}`)"),
            Location::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A failure caused by input, with its location and an actionable message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct Error {
    pub location: Location,
    pub message: String,
}

impl Error {
    /// An error at a JSON pointer (written without the leading `#`).
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            location: Location::Pointer(pointer.into()),
            message: message.into(),
        }
    }

    /// An error in one action of an overlay file.
    pub fn overlay(
        file: impl Into<String>,
        action: usize,
        target: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            location: Location::Overlay {
                file: file.into(),
                action,
                target: target.into(),
            },
            message: message.into(),
        }
    }

    /// An error about a whole file.
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error {
            location: Location::File(path.into()),
            message: message.into(),
        }
    }
}

/// Something in the input the generator worked around rather than refused: the output is still
/// complete, but a maintainer should know (and may want to fix it upstream or with an overlay).
/// Warnings are values that the passes return (see [`crate::pipeline::Regen::warnings`]); the
/// caller decides how to show them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// Where, as an RFC 6901 JSON pointer into the overlaid spec (without the leading `#`).
    pub pointer: String,
    /// What was done about it, as a sentence.
    pub message: String,
}

impl Warning {
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

/// The generator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds RFC 6901 JSON pointers, escaping `~` and `/` in each token.
pub fn pointer(tokens: &[&str]) -> String {
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        push_token(&mut out, t);
    }
    out
}

/// Appends one escaped token to an existing pointer.
pub fn child(parent: &str, token: &str) -> String {
    let mut out = String::with_capacity(parent.len() + token.len() + 1);
    out.push_str(parent);
    out.push('/');
    push_token(&mut out, token);
    out
}

fn push_token(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slash_and_tilde() {
        assert_eq!(
            pointer(&["paths", "/transactions/{id}", "get"]),
            "/paths/~1transactions~1{id}/get"
        );
        assert_eq!(child("/a", "b~c"), "/a/b~0c");
    }

    #[test]
    fn display_names_location_then_message() {
        let e = Error::overlay("02-security.yaml", 3, "$.x", "matched nothing");
        assert_eq!(
            e.to_string(),
            "02-security.yaml: action 3 (target `$.x`): matched nothing"
        );
        assert_eq!(Error::at("/a", "bad").to_string(), "#/a: bad");
    }
}
