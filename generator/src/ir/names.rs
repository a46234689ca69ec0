//! Rust names for things the spec names.
//!
//! Every identifier the generator emits goes through here, so keyword escaping and case conversion
//! are decided once. A [`Name`] keeps the wire spelling beside the Rust one, because the emitter needs
//! both (serde renames, URLs, headers).
//!
//! Two rules keep every name valid Rust whatever the spec says:
//!
//! - **Rust names are ASCII.** Rust accepts non-ASCII identifiers, but not as module names without
//!   a `#[path]` (E0754), and type names become module file names. So after case conversion, a
//!   Latin letter with a diacritic becomes its base letter (`Ä` -> `A`, `ß` -> `ss`, `Æ` -> `AE`,
//!   `Ł` -> `L`: the Latin-1 Supplement and Latin Extended-A blocks), and any other identifier
//!   character becomes its code point (`東` -> `U6771` in type names, `u6771` in snake case).
//!   Both are deterministic, so a name never changes between regens; names that meet this way are
//!   told apart like any other collision. The wire name keeps the spec's spelling.
//! - **Rust names are at most [`MAX_LEN`] characters.** A type's name is also its module's file
//!   name, and file systems refuse names longer than 255 bytes; a limit well below that leaves
//!   room for the suffixes lowering adds. [`check_lengths`] rejects a longer name with the JSON
//!   pointer of what it names, rather than letting regen fail on an OS error while writing.

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

/// The longest Rust name (identifier or module file stem) the generator writes.
pub const MAX_LEN: usize = 100;

/// `snake_case` identifier for a field, function, module or variable.
pub fn snake(wire: &str) -> Name {
    let mut rust = identifier_chars(wire.to_snake_case(), Case::Lower);
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
    let mut rust = identifier_chars(wire.to_upper_camel_case(), Case::Upper);
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

/// How to spell the code point of a character that has no ASCII letter.
#[derive(Clone, Copy)]
enum Case {
    Lower,
    Upper,
}

/// Makes a case-converted name an ASCII identifier (see the module docs). heck keeps every
/// alphanumeric `char`, and some are not identifier characters (`²`, `½`, `①`): as with `🦀`,
/// which heck drops, they are dropped here, and the wire name keeps them.
fn identifier_chars(converted: String, case: Case) -> String {
    let mut out = String::with_capacity(converted.len());
    for c in converted.chars() {
        if c == '_' || c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(ascii) = latin_base(c) {
            out.push_str(ascii);
        } else if unicode_ident::is_xid_continue(c) {
            match case {
                Case::Lower => out.push_str(&format!("u{:04x}", u32::from(c))),
                Case::Upper => out.push_str(&format!("U{:04X}", u32::from(c))),
            }
        }
    }
    out
}

/// The base letters of U+0100..=U+017F (Latin Extended-A), one ASCII byte each; the four
/// ligatures in the block (`Ĳ ĳ Œ œ`) are spelt out in [`latin_base`] instead.
const LATIN_EXTENDED_A: &[u8; 128] = b"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/// The ASCII spelling of a Latin letter with a diacritic or a Latin ligature, if `c` is one.
fn latin_base(c: char) -> Option<&'static str> {
    const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let letter = |l: u8| {
        let i = LETTERS.find(char::from(l))?;
        LETTERS.get(i..=i)
    };
    Some(match c {
        'À'..='Å' => "A",
        'Æ' => "AE",
        'Ç' => "C",
        'È'..='Ë' => "E",
        'Ì'..='Ï' => "I",
        'Ð' => "D",
        'Ñ' => "N",
        'Ò'..='Ö' | 'Ø' => "O",
        'Ù'..='Ü' => "U",
        'Ý' => "Y",
        'Þ' => "TH",
        'ß' => "ss",
        'à'..='å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è'..='ë' => "e",
        'ì'..='ï' => "i",
        'ð' => "d",
        'ñ' => "n",
        'ò'..='ö' | 'ø' => "o",
        'ù'..='ü' => "u",
        'ý' | 'ÿ' => "y",
        'þ' => "th",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        'Œ' => "OE",
        'œ' => "oe",
        '\u{100}'..='\u{17f}' => {
            let index = usize::try_from(u32::from(c) - 0x100).ok()?;
            return letter(*LATIN_EXTENDED_A.get(index)?);
        }
        _ => return None,
    })
}

/// `rust`, if it is at most [`MAX_LEN`] characters, else an error at `pointer` (what the name
/// belongs to); `what` says which name it is (`its Rust type name`).
pub fn check_length(rust: &str, pointer: &str, what: &str) -> crate::Result<()> {
    let rust = rust.trim_start_matches("r#");
    let length = rust.chars().count();
    if length <= MAX_LEN {
        return Ok(());
    }
    let start: String = rust.chars().take(40).collect();
    Err(crate::Error::at(
        pointer,
        format!(
            "{what} would be `{start}…`, {length} characters long, but the generator writes Rust \
             names (and the module file names made from them) of at most {MAX_LEN} characters; give \
             it a shorter name in the spec or with an overlay (properties, parameters and operations \
             also take `x-speakeasy-name-override`)"
        ),
    ))
}

/// Whether an identifier may start with `c` (a digit, say, may not).
fn is_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
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
        assert_eq!(snake("٣d").rust, "u0663d");
        assert_eq!(camel("٣d").rust, "U0663d");
        assert_eq!(
            snake("x-gr4vy-merchant-account-id").wire,
            "x-gr4vy-merchant-account-id"
        );
    }

    #[test]
    fn rust_names_are_ascii() {
        assert_eq!(camel("ÄBC").rust, "Abc");
        assert_eq!(snake("ÄBC").rust, "abc");
        assert_eq!(snake("größe").rust, "grosse");
        assert_eq!(camel("Ærø").rust, "AEro");
        assert_eq!(camel("Łódź").rust, "Lodz");
        assert_eq!(camel("Ĳssel").rust, "IJssel");
        assert_eq!(camel("São Paulo").rust, "SaoPaulo");
        assert_eq!(camel("東京").rust, "U6771U4EAC");
        assert_eq!(snake("名前").rust, "u540du524d");
        assert_eq!(camel("a/b").rust, "AB");
        for c in ('\u{a0}'..='\u{17f}').chain(['東', '٣', 'ſ', 'ŉ']) {
            let (s, c2) = (snake(&format!("x{c}")).rust, camel(&format!("x{c}")).rust);
            assert!(s.is_ascii() && c2.is_ascii(), "{c:?}: {s} {c2}");
        }
    }

    #[test]
    fn latin_extended_a_table_matches_the_block() {
        // Spot checks at each run of the table, so a shifted byte shows up.
        for (c, ascii) in [
            ('Ā', "A"),
            ('č', "c"),
            ('đ', "d"),
            ('ě', "e"),
            ('ģ', "g"),
            ('ħ', "h"),
            ('ı', "i"),
            ('ĵ', "j"),
            ('ĸ', "k"),
            ('ł', "l"),
            ('ŉ', "n"),
            ('ŋ', "n"),
            ('ő', "o"),
            ('ř', "r"),
            ('š', "s"),
            ('ŧ', "t"),
            ('ų', "u"),
            ('ŵ', "w"),
            ('Ÿ', "Y"),
            ('ž', "z"),
            ('ſ', "s"),
        ] {
            assert_eq!(latin_base(c), Some(ascii), "{c:?}");
        }
    }

    #[test]
    fn long_names_are_errors_with_their_pointer() {
        assert!(check_length(&"a".repeat(MAX_LEN), "/x", "its name").is_ok());
        let e = check_length(
            &"a".repeat(MAX_LEN + 1),
            "/components/schemas/A",
            "its Rust type name",
        )
        .expect_err("too long");
        assert_eq!(
            e.location,
            crate::Location::Pointer("/components/schemas/A".into())
        );
        assert!(e.message.contains("101 characters"), "{}", e.message);
    }
}
