//! The audit: every key of the document that the typed view does not model.
//!
//! The view keeps such keys in its `unknown` maps instead of dropping them; this module lists them
//! with their JSON pointers. A new upstream keyword then shows up as a finding in review rather than
//! as a silently incomplete SDK. Keywords that are known to be irrelevant to an SDK are listed in
//! `spec/audit.toml`, each with the reason it is safe to ignore, and are counted instead of reported.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::view::{
    Components, Discriminator, Document, Example, Globals, MediaType, OAuthFlow, Operation,
    Pagination, Parameter, PathItem, Response, Retries, Schema, SecurityScheme, Server, Unknown,
};
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
            "#{}: `{}` is not understood by the generator; model it in spec/view.rs or list it in \
             spec/audit.toml with a reason",
            self.pointer, self.keyword
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
/// Order is deterministic: lists and maps are walked in document order; within one object, the
/// modelled children come first in a fixed order and its own unknown keys last. The values of
/// unknown keys are not walked: the whole key is already a finding.
pub fn audit(doc: &Document, config: &AuditConfig) -> Audit {
    let mut walker = Walker {
        at: String::new(),
        out: Audit {
            findings: Vec::new(),
            ignored: config
                .ignored
                .iter()
                .map(|i| (i.keyword.clone(), 0))
                .collect(),
        },
    };
    walker.document(doc);
    walker.out
}

/// Walks the view, keeping the JSON pointer of the current object in `at`.
struct Walker {
    at: String,
    out: Audit,
}

impl Walker {
    /// Runs `f` with `token` appended to the pointer. The pointer is one buffer that grows and
    /// shrinks with the walk, so only findings allocate.
    fn at(&mut self, token: &str, f: impl FnOnce(&mut Self)) {
        let len = self.at.len();
        self.at.push('/');
        for c in token.chars() {
            match c {
                '~' => self.at.push_str("~0"),
                '/' => self.at.push_str("~1"),
                c => self.at.push(c),
            }
        }
        f(self);
        self.at.truncate(len);
    }

    fn unknown(&mut self, unknown: &Unknown) {
        for keyword in unknown.keys() {
            if let Some(count) = self.out.ignored.get_mut(keyword) {
                *count += 1;
            } else {
                self.out.findings.push(Finding {
                    pointer: child(&self.at, keyword),
                    keyword: keyword.clone(),
                });
            }
        }
    }

    /// `f` on every element of a list under `key`.
    fn list<T>(&mut self, key: &str, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        if !items.is_empty() {
            self.at(key, |w| {
                for (i, item) in items.iter().enumerate() {
                    w.at(&i.to_string(), |w| f(w, item));
                }
            });
        }
    }

    /// `f` on every value of a map under `key`.
    fn map<T>(
        &mut self,
        key: &str,
        entries: &IndexMap<String, T>,
        mut f: impl FnMut(&mut Self, &T),
    ) {
        if !entries.is_empty() {
            self.at(key, |w| {
                for (name, entry) in entries {
                    w.at(name, |w| f(w, entry));
                }
            });
        }
    }

    /// `f` on an optional value under `key`.
    fn one<T>(&mut self, key: &str, value: Option<&T>, f: impl FnOnce(&mut Self, &T)) {
        if let Some(value) = value {
            self.at(key, |w| f(w, value));
        }
    }

    fn document(&mut self, doc: &Document) {
        self.one("info", Some(&doc.info), |w, info| w.unknown(&info.unknown));
        self.list("servers", &doc.servers, Self::server);
        self.list("tags", &doc.tags, |w, tag| w.unknown(&tag.unknown));
        self.map("paths", &doc.paths, Self::path_item);
        self.one("components", doc.components.as_ref(), Self::components);
        self.one(
            "x-speakeasy-globals",
            doc.x_speakeasy_globals.as_ref(),
            Self::globals,
        );
        self.unknown(&doc.unknown);
    }

    fn server(&mut self, server: &Server) {
        self.map("variables", &server.variables, |w, v| w.unknown(&v.unknown));
        self.unknown(&server.unknown);
    }

    fn components(&mut self, components: &Components) {
        self.map("schemas", &components.schemas, Self::schema);
        self.map(
            "securitySchemes",
            &components.security_schemes,
            Self::security_scheme,
        );
        self.unknown(&components.unknown);
    }

    fn security_scheme(&mut self, scheme: &SecurityScheme) {
        self.one("flows", scheme.flows.as_ref(), |w, flows| {
            w.one("implicit", flows.implicit.as_ref(), Self::flow);
            w.one("password", flows.password.as_ref(), Self::flow);
            w.one(
                "clientCredentials",
                flows.client_credentials.as_ref(),
                Self::flow,
            );
            w.one(
                "authorizationCode",
                flows.authorization_code.as_ref(),
                Self::flow,
            );
            w.unknown(&flows.unknown);
        });
        self.unknown(&scheme.unknown);
    }

    fn flow(&mut self, flow: &OAuthFlow) {
        self.unknown(&flow.unknown);
    }

    fn globals(&mut self, globals: &Globals) {
        self.list("parameters", &globals.parameters, Self::parameter);
        self.unknown(&globals.unknown);
    }

    fn path_item(&mut self, item: &PathItem) {
        self.list("parameters", &item.parameters, Self::parameter);
        for (method, operation) in &item.operations {
            self.at(method.as_str(), |w| w.operation(operation));
        }
        self.unknown(&item.unknown);
    }

    fn operation(&mut self, op: &Operation) {
        self.list("parameters", &op.parameters, Self::parameter);
        self.one("requestBody", op.request_body.as_ref(), |w, body| {
            w.map("content", &body.content, Self::media_type);
            w.unknown(&body.unknown);
        });
        self.map("responses", &op.responses, Self::response);
        self.one(
            "x-speakeasy-pagination",
            op.x_speakeasy_pagination.as_ref(),
            Self::pagination,
        );
        self.one(
            "x-speakeasy-retries",
            op.x_speakeasy_retries.as_ref(),
            Self::retries,
        );
        self.unknown(&op.unknown);
    }

    fn parameter(&mut self, parameter: &Parameter) {
        self.one("schema", parameter.schema.as_ref(), Self::schema);
        self.map("examples", &parameter.examples, Self::example);
        self.unknown(&parameter.unknown);
    }

    fn example(&mut self, example: &Example) {
        self.unknown(&example.unknown);
    }

    fn response(&mut self, response: &Response) {
        self.map("content", &response.content, Self::media_type);
        self.unknown(&response.unknown);
    }

    fn media_type(&mut self, media: &MediaType) {
        self.one("schema", media.schema.as_ref(), Self::schema);
        self.map("examples", &media.examples, Self::example);
        self.unknown(&media.unknown);
    }

    fn pagination(&mut self, pagination: &Pagination) {
        self.list("inputs", &pagination.inputs, |w, input| {
            w.unknown(&input.unknown)
        });
        self.one("outputs", pagination.outputs.as_ref(), |w, outputs| {
            w.unknown(&outputs.unknown)
        });
        self.unknown(&pagination.unknown);
    }

    fn retries(&mut self, retries: &Retries) {
        self.one("backoff", retries.backoff.as_ref(), |w, backoff| {
            w.unknown(&backoff.unknown)
        });
        self.unknown(&retries.unknown);
    }

    fn schema(&mut self, schema: &Schema) {
        let Some(s) = schema.as_object() else {
            return;
        };
        if let Some(properties) = &s.properties {
            self.map("properties", properties, Self::schema);
        }
        self.one(
            "additionalProperties",
            s.additional_properties.as_ref(),
            Self::schema,
        );
        self.one("propertyNames", s.property_names.as_ref(), Self::schema);
        self.one("items", s.items.as_ref(), Self::schema);
        self.list(
            "anyOf",
            s.any_of.as_deref().unwrap_or_default(),
            Self::schema,
        );
        self.list(
            "oneOf",
            s.one_of.as_deref().unwrap_or_default(),
            Self::schema,
        );
        self.list(
            "allOf",
            s.all_of.as_deref().unwrap_or_default(),
            Self::schema,
        );
        self.one(
            "discriminator",
            s.discriminator.as_ref(),
            |w, d: &Discriminator| w.unknown(&d.unknown),
        );
        self.unknown(&s.unknown);
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
