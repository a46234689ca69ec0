//! Rust names for things the spec names.
//!
//! Every identifier the generator emits goes through here, so keyword escaping and case conversion
//! are decided once. A [`Name`] keeps the wire spelling beside the Rust one, because the emitter needs
//! both (serde renames, URLs, headers).

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;

/// A name as it appears on the wire and as it appears in Rust.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Name {
    /// The spelling the API uses (`x-speakeasy-server-id`, a property name, a header).
    pub wire: String,
    /// The Rust identifier, already escaped (`r#type`), without module path.
    pub rust: String,
}

/// Words Rust reserves in the 2024 edition; a name equal to one of these is emitted as a raw
/// identifier (or, where raw identifiers are not allowed, with a trailing underscore).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Is `word` reserved in Rust?
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// `snake_case` identifier for a field, function, module or variable.
pub fn snake(wire: &str) -> Name {
    let mut rust = identifier_chars(wire.to_snake_case());
    if rust.is_empty() {
        rust.push_str("value");
    }
    if !rust.starts_with(is_start) {
        rust.insert(0, '_');
    }
    Name {
        wire: wire.to_string(),
        rust: escape(rust),
    }
}

/// `UpperCamelCase` identifier for a type or variant.
pub fn camel(wire: &str) -> Name {
    let mut rust = identifier_chars(wire.to_upper_camel_case());
    if rust.is_empty() {
        rust.push_str("Value");
    }
    if !rust.starts_with(is_start) {
        rust.insert(0, 'V');
    }
    Name {
        wire: wire.to_string(),
        rust: escape(rust),
    }
}

/// Drops the characters an identifier cannot hold. heck keeps every alphanumeric `char`, and some
/// are not identifier characters (`²`, `½`, `①`): as with `🦀`, which heck drops, the wire name
/// keeps them.
fn identifier_chars(converted: String) -> String {
    converted
        .chars()
        .filter(|&c| c == '_' || unicode_ident::is_xid_continue(c))
        .collect()
}

/// Whether an identifier may start with `c` (a digit, say, may not).
fn is_start(c: char) -> bool {
    c == '_' || unicode_ident::is_xid_start(c)
}

fn escape(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if is_keyword(&ident) {
        format!("r#{ident}")
    } else {
        ident
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_escapes_keywords() {
        assert_eq!(snake("merchantAccountId").rust, "merchant_account_id");
        assert_eq!(snake("type").rust, "r#type");
        assert_eq!(snake("self").rust, "self_");
        assert_eq!(snake("3ds").rust, "_3ds");
        assert_eq!(camel("click-to-pay").rust, "ClickToPay");
        assert_eq!(camel("self").rust, "Self_");
        assert_eq!(camel("3ds").rust, "V3ds");
        assert_eq!(camel("").rust, "Value");
        // Alphanumeric but not identifier characters, or not at the start.
        assert_eq!(snake("a²").rust, "a");
        assert_eq!(camel("½").rust, "Value");
        assert_eq!(snake("٣d").rust, "_٣d");
        assert_eq!(camel("٣d").rust, "V٣d");
        assert_eq!(
            snake("x-gr4vy-merchant-account-id").wire,
            "x-gr4vy-merchant-account-id"
        );
    }
}
