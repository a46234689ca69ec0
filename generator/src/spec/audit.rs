//! The audit: every key of the document that the typed view does not model.
//!
//! The view keeps such keys in its `unknown` maps instead of dropping them; this module lists them
//! with their JSON pointers, by comparing the view's JSON with and without them. A new upstream keyword then shows up as a finding in review rather than
//! as a silently incomplete SDK. Keywords that are known to be irrelevant to an SDK are listed in
//! `spec/audit.toml`, each with the reason it is safe to ignore, and are counted instead of reported.
//! Keywords that only annotate, in any spec ([`ANNOTATIONS`]), are let through as warnings.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::view::Document;
use super::view::{Step, UnknownKeys};
use crate::error::child;
use crate::{Error, Result};

/// One key the view does not model and the config does not ignore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Pointer to the key itself (`/components/schemas/A/properties/b/frobnicate`).
    pub pointer: String,
    /// The key.
    pub keyword: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{}: `{}` is not understood by the generator; model it in spec/view/ or list it in \
             spec/audit.toml with a reason",
            self.pointer, self.keyword
        )
    }
}

/// Keywords that are annotations wherever they appear: they describe, and never change what a
/// request or response holds. Where the view models one (a schema's `title`, an operation's
/// `summary`) it is used; anywhere else it is let through as a warning rather than failing regen,
/// so that a `title` upstream adds to, say, a response object does not block a new spec version.
/// Each entry has the reason it can never change the SDK's behaviour.
///
/// Deliberately not here: `deprecated` (the SDK turns it into `#[deprecated]` where it is
/// modelled, so a new place for it is worth a look rather than a warning), `example` and
/// `examples` (they feed the generated round-trip tests), `default`, `readOnly`, `writeOnly` and
/// `format` (they change types or what is sent).
pub const ANNOTATIONS: [(&str, &str); 5] = [
    (
        "title",
        "a display name; JSON Schema and OpenAPI define it as an annotation with no effect on \
         validation, and the SDK's names come from component keys and operationIds",
    ),
    (
        "$comment",
        "JSON Schema's note to spec maintainers, which the standard says must not be shown to users \
         or change validation",
    ),
    (
        "summary",
        "a one-line description; where the view does not model it there is nothing to document",
    ),
    (
        "description",
        "prose; where the view does not model it there is nothing to document",
    ),
    (
        "externalDocs",
        "a link to more documentation; the generated docs link to Gr4vy's reference instead",
    ),
];

impl Finding {
    /// The warning for an unmodelled annotation (see [`ANNOTATIONS`]).
    pub fn warning(&self) -> crate::Warning {
        crate::Warning::at(
            &self.pointer,
            format!(
                "`{}` is an annotation the generator does not read here; it is left out of the SDK",
                self.keyword
            ),
        )
    }
}

/// A keyword deliberately left unmodelled, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub keyword: String,
    pub reason: String,
}

/// The ignore list (`spec/audit.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditConfig {
    pub ignored: Vec<Ignored>,
}

/// The file as written. `reason` is optional here only so that a missing one gets a message that
/// says what to do, rather than serde's "missing field".
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    ignored: Vec<RawIgnored>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnored {
    keyword: String,
    reason: Option<String>,
}

impl AuditConfig {
    /// Reads the ignore list from a file.
    pub fn load(path: &Path) -> Result<AuditConfig> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::file(path, format!("cannot read the audit config: {e}")))?;
        Self::parse(&text, path)
    }

    /// Reads the ignore list from TOML text (errors name the file as `audit.toml`).
    pub fn from_toml_str(text: &str) -> Result<AuditConfig> {
        Self::parse(text, Path::new("audit.toml"))
    }

    fn parse(text: &str, origin: &Path) -> Result<AuditConfig> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            Error::file(
                origin,
                format!("is not a valid audit config: {}", e.message()),
            )
        })?;
        let mut seen = BTreeSet::new();
        let mut ignored = Vec::with_capacity(raw.ignored.len());
        for (index, entry) in raw.ignored.into_iter().enumerate() {
            let reason = entry
                .reason
                .map(|r| r.trim().to_owned())
                .unwrap_or_default();
            if reason.is_empty() {
                return Err(Error::file(
                    origin,
                    format!(
                        "[[ignored]] entry {index} (`{}`) has no reason; say why the SDK can do \
                         without this keyword, or model it in the view instead",
                        entry.keyword
                    ),
                ));
            }
            if !seen.insert(entry.keyword.clone()) {
                return Err(Error::file(
                    origin,
                    format!(
                        "`{}` is listed twice; keep one [[ignored]] entry per keyword",
                        entry.keyword
                    ),
                ));
            }
            ignored.push(Ignored {
                keyword: entry.keyword,
                reason,
            });
        }
        Ok(AuditConfig { ignored })
    }
}

/// What the audit found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// Keys neither modelled nor ignored, in walk order (see [`audit`]).
    pub findings: Vec<Finding>,
    /// Unmodelled keys that are [`ANNOTATIONS`] (and not in the config), in walk order: let
    /// through, and reported as warnings (see [`Finding::warning`]).
    pub annotations: Vec<Finding>,
    /// Every keyword of the config, with how often it occurred. A count of 0 means the entry is
    /// stale (upstream fixed or removed it) and can be deleted.
    pub ignored: BTreeMap<String, usize>,
}

impl Audit {
    /// No findings.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// Ignore-list entries that matched nothing.
    pub fn stale_ignores(&self) -> impl Iterator<Item = &str> {
        self.ignored
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(k, _)| k.as_str())
    }
}

/// Lists every key of every `unknown` map in the document.
///
/// The walk is the one `view_object!` generates with each view type ([`UnknownKeys`]), so the
/// tree is described once, by the view. Order is deterministic: lists and maps in document order;
/// within one object, the modelled children first in the order the view declares them and its
/// own unknown keys last. The values of unknown keys are not looked into: the whole key is already
/// a finding.
pub fn audit(doc: &Document, config: &AuditConfig) -> Audit {
    let mut out = Audit {
        findings: Vec::new(),
        annotations: Vec::new(),
        ignored: config
            .ignored
            .iter()
            .map(|i| (i.keyword.clone(), 0))
            .collect(),
    };
    doc.unknown_keys(&mut Vec::new(), &mut |path, key| out.unknown(path, key));
    out
}

/// The JSON pointer of `path` (built only for a finding, so the walk allocates nothing else).
fn pointer_of(path: &[Step<'_>]) -> String {
    let mut at = String::new();
    for step in path {
        at = match step {
            Step::Key(key) => child(&at, key),
            Step::Index(i) => child(&at, &i.to_string()),
        };
    }
    at
}

impl Audit {
    /// Counts `keyword` (found in the object at `at`) if the config ignores it, else reports it.
    fn unknown(&mut self, at: &[Step<'_>], keyword: &str) {
        if let Some(count) = self.ignored.get_mut(keyword) {
            *count += 1;
            return;
        }
        let finding = Finding {
            pointer: child(&pointer_of(at), keyword),
            keyword: keyword.to_owned(),
        };
        if ANNOTATIONS.iter().any(|(k, _)| *k == keyword) {
            self.annotations.push(finding);
        } else {
            self.findings.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(value: serde_json::Value) -> Document {
        Document::from_value(&value).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reports_unknown_keys_with_escaped_pointers() {
        let doc = view(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "contact": {}},
            "paths": {"/a/{id}": {"get": {
                "responses": {"200": {"description": "ok", "headers": {}}},
                "x-codeSamples": [],
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string", "nullable": true}}]
            }}},
            "webhooks": {}
        }));
        let audit = audit(&doc, &AuditConfig::default());
        let found: Vec<_> = audit
            .findings
            .iter()
            .map(|f| (f.pointer.as_str(), f.keyword.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("/info/contact", "contact"),
                (
                    "/paths/~1a~1{id}/get/parameters/0/schema/nullable",
                    "nullable"
                ),
                ("/paths/~1a~1{id}/get/responses/200/headers", "headers"),
                ("/paths/~1a~1{id}/get/x-codeSamples", "x-codeSamples"),
                ("/webhooks", "webhooks"),
            ]
        );
    }

    #[test]
    fn empty_collections_are_not_findings_but_empty_unknown_keys_are() {
        // The view drops an explicitly empty `servers` or `parameters`; that is not an unknown key.
        let doc = view(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "servers": [],
            "paths": {"/a": {"parameters": [], "get": {"responses": {}, "x-empty": {}}}},
            "components": {"schemas": {"A": {"properties": {}, "required": [], "x-list": []}}}
        }));
        let found: Vec<_> = audit(&doc, &AuditConfig::default())
            .findings
            .into_iter()
            .map(|f| f.pointer)
            .collect();
        assert_eq!(
            found,
            ["/paths/~1a/get/x-empty", "/components/schemas/A/x-list"]
        );
    }

    #[test]
    fn ignored_keywords_are_counted_not_reported() {
        let doc = view(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"A": {"properties": {
                "b": {"type": "string", "x-docs": true},
                "c": {"anyOf": [{"x-docs": 1}, {"type": "null"}]}
            }}}}
        }));
        let config = AuditConfig::from_toml_str(
            "[[ignored]]\nkeyword = \"x-docs\"\nreason = \"docs only\"\n\
             [[ignored]]\nkeyword = \"gone\"\nreason = \"was fixed\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let audit = audit(&doc, &config);
        assert!(audit.is_clean(), "{:?}", audit.findings);
        assert_eq!(audit.ignored["x-docs"], 2);
        assert_eq!(audit.stale_ignores().collect::<Vec<_>>(), ["gone"]);
    }

    #[test]
    fn annotations_are_let_through_but_other_keys_are_not() {
        let doc = view(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {"responses": {"200": {
                "description": "ok", "title": "Captured", "$comment": "note", "frobnicate": 1
            }}}}}
        }));
        let audit = audit(&doc, &AuditConfig::default());
        let annotations: Vec<String> = audit
            .annotations
            .iter()
            .map(|f| f.warning().to_string())
            .collect();
        assert_eq!(
            annotations,
            [
                "#/paths/~1a/post/responses/200/title: `title` is an annotation the generator does \
                 not read here; it is left out of the SDK",
                "#/paths/~1a/post/responses/200/$comment: `$comment` is an annotation the generator \
                 does not read here; it is left out of the SDK",
            ]
        );
        let findings: Vec<&str> = audit.findings.iter().map(|f| f.keyword.as_str()).collect();
        assert_eq!(findings, ["frobnicate"]);
    }

    #[test]
    fn an_entry_without_a_reason_is_an_error() {
        for text in [
            "[[ignored]]\nkeyword = \"x\"\n",
            "[[ignored]]\nkeyword = \"x\"\nreason = \"  \"\n",
        ] {
            let e = AuditConfig::from_toml_str(text).expect_err("a reason is mandatory");
            assert!(e.message.contains("has no reason"), "{e}");
        }
    }

    #[test]
    fn typos_and_duplicates_in_the_config_are_errors() {
        let e = AuditConfig::from_toml_str("[[ignored]]\nkeyword = \"x\"\nreson = \"r\"\n")
            .expect_err("unknown key");
        assert!(e.message.contains("reson"), "{e}");
        let e = AuditConfig::from_toml_str(
            "[[ignored]]\nkeyword = \"x\"\nreason = \"r\"\n[[ignored]]\nkeyword = \"x\"\nreason = \"s\"\n",
        )
        .expect_err("duplicate");
        assert!(e.message.contains("listed twice"), "{e}");
    }

    #[test]
    fn load_names_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("audit.toml");
        std::fs::write(&path, "[[ignored]]\nkeyword = \"x\"\n").expect("write");
        let e = AuditConfig::load(&path).expect_err("no reason");
        assert_eq!(e.location, crate::Location::File(path.clone()));
        std::fs::write(&path, "[[ignored]]\nkeyword = \"x\"\nreason = \"r\"\n").expect("write");
        let config = AuditConfig::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.ignored[0].reason, "r");
    }
}
