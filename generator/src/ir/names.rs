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
///
/// The Rust identifier is kept bare, with a flag for whether it must be written raw (`r#type`):
/// most uses (module files, derived type and method names, doc text) want the bare word, and only
/// the identifier token needs the `r#`, so neither has to be added or stripped again downstream.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Name {
    /// The spelling the API uses (`x-speakeasy-server-id`, a property name, a header).
    pub wire: String,
    /// The Rust identifier without `r#` or module path (`type`, `self_`).
    pub bare: String,
    /// Whether the identifier is a keyword, so written as a raw identifier (`r#type`).
    pub raw: bool,
}

impl Name {
    /// A name for `wire` whose Rust identifier is `rust`, escaped if it is a keyword.
    pub fn new(wire: impl Into<String>, rust: String) -> Self {
        let (bare, raw) = escape(rust);
        Name {
            wire: wire.into(),
            bare,
            raw,
        }
    }

    /// Gives the name another Rust identifier (after a collision), escaped if it is a keyword.
    pub fn set_rust(&mut self, rust: String) {
        (self.bare, self.raw) = escape(rust);
    }

    /// The identifier as Rust source spells it (`r#type`), for text that quotes Rust.
    pub fn rust(&self) -> String {
        if self.raw {
            format!("r#{}", self.bare)
        } else {
            self.bare.clone()
        }
    }

    /// The identifier token, raw when it has to be.
    pub fn ident(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        if self.raw {
            proc_macro2::Ident::new_raw(&self.bare, span)
        } else {
            proc_macro2::Ident::new(&self.bare, span)
        }
    }
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
    Name::new(wire, rust)
}

/// The bare word of a Rust identifier read back from text (`r#type` -> `type`). Only for names
/// that left the IR as text, such as the stored API surface the diff reads; IR names keep the
/// bare word and the raw flag apart ([`Name`]).
pub fn unraw(rust: &str) -> &str {
    rust.strip_prefix("r#").unwrap_or(rust)
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
    Name::new(wire, rust)
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

/// The bare identifier for `ident` and whether it is raw: keywords that cannot be raw get a
/// trailing underscore instead.
fn escape(ident: String) -> (String, bool) {
    if NOT_RAW.contains(&ident.as_str()) {
        (format!("{ident}_"), false)
    } else {
        let raw = is_keyword(&ident);
        (ident, raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_escapes_keywords() {
        assert_eq!(snake("merchantAccountId").bare, "merchant_account_id");
        assert_eq!(snake("type").rust(), "r#type");
        assert_eq!(snake("type").bare, "type");
        assert_eq!(snake("self").bare, "self_");
        assert_eq!(snake("3ds").bare, "_3ds");
        assert_eq!(camel("click-to-pay").bare, "ClickToPay");
        assert_eq!(camel("self").bare, "Self_");
        assert_eq!(camel("3ds").bare, "V3ds");
        assert_eq!(camel("").bare, "Value");
        // Alphanumeric but not identifier characters, or not at the start.
        assert_eq!(snake("a²").bare, "a");
        assert_eq!(camel("½").bare, "Value");
        assert_eq!(snake("٣d").bare, "u0663d");
        assert_eq!(camel("٣d").bare, "U0663d");
        assert_eq!(
            snake("x-gr4vy-merchant-account-id").wire,
            "x-gr4vy-merchant-account-id"
        );
    }

    #[test]
    fn rust_names_are_ascii() {
        assert_eq!(camel("ÄBC").bare, "Abc");
        assert_eq!(snake("ÄBC").bare, "abc");
        assert_eq!(snake("größe").bare, "grosse");
        assert_eq!(camel("Ærø").bare, "AEro");
        assert_eq!(camel("Łódź").bare, "Lodz");
        assert_eq!(camel("Ĳssel").bare, "IJssel");
        assert_eq!(camel("São Paulo").bare, "SaoPaulo");
        assert_eq!(camel("東京").bare, "U6771U4EAC");
        assert_eq!(snake("名前").bare, "u540du524d");
        assert_eq!(camel("a/b").bare, "AB");
        for c in ('\u{a0}'..='\u{17f}').chain(['東', '٣', 'ſ', 'ŉ']) {
            let (s, c2) = (snake(&format!("x{c}")).bare, camel(&format!("x{c}")).bare);
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
