//! `spec/invalid-examples.toml`: the spec's examples that do not match their own schemas, named so
//! that the name survives other versions of the spec.
//!
//! An entry names the place that holds the examples by what the spec calls it, never by a position
//! in an array of the spec: a component schema and the pointer below it, an operation and one of its
//! parameters, or an operation and the pointer below it. The example itself is its index in that
//! place's `examples` (a short array, seldom reordered). A pointer such as `parameters/39` would move
//! whenever a parameter is added before it, and then name a valid example of another parameter.
//!
//! [`resolve`] turns the entries into the pointers of the examples they name in one spec. An entry
//! that names no example there is stale: the pipeline refuses it on the pinned spec (the file
//! describes that spec) and warns on any other.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::ir::Api;
use crate::ir::operations::Operation;
use crate::{Error, Result};

/// Path of the file, relative to the workspace root.
pub const FILE: &str = "spec/invalid-examples.toml";

/// One entry of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub site: Site,
    /// Index in the site's `examples`.
    pub example: usize,
    pub reason: String,
}

/// Where examples are, by the spec's names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Site {
    /// A component schema, or a schema below it (`at` is the pointer below the schema, `""` for the
    /// schema itself).
    Schema { name: String, at: String },
    /// The schema of an operation's parameter. `location` (`query`, `header`, `path`) is needed
    /// only when two parameters of the operation have the same name.
    Parameter {
        operation: String,
        name: String,
        location: Option<String>,
    },
    /// A schema inside an operation that is not a parameter's (a request or response body); `at`
    /// is the pointer below the operation object.
    Operation { operation: String, at: String },
    /// Anything else, by its whole pointer (a schema under `components/parameters/<name>`).
    Pointer(String),
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Site::Schema { name, at } if at.is_empty() => write!(f, "schema `{name}`"),
            Site::Schema { name, at } => write!(f, "schema `{name}` at `{at}`"),
            Site::Parameter {
                operation,
                name,
                location: Some(location),
            } => write!(f, "{location} parameter `{name}` of `{operation}`"),
            Site::Parameter {
                operation, name, ..
            } => write!(f, "parameter `{name}` of `{operation}`"),
            Site::Operation { operation, at } => write!(f, "`{operation}` at `{at}`"),
            Site::Pointer(pointer) => write!(f, "`#{pointer}`"),
        }
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "example {} of the {}", self.example, self.site)
    }
}

impl Site {
    /// Whether an entry's site (`self`) names `found`, the site of examples in the IR (whose
    /// parameters always carry their location).
    fn names(&self, found: &Site) -> bool {
        match (self, found) {
            (
                Site::Parameter {
                    operation,
                    name,
                    location,
                },
                Site::Parameter {
                    operation: o,
                    name: n,
                    location: l,
                },
            ) => operation == o && name == n && (location.is_none() || location == l),
            _ => self == found,
        }
    }
}

/// An entry that names no example of the spec, and what it expected to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The entry, as [`Entry`]'s `Display` names it.
    pub entry: String,
    /// What the spec has instead, as a sentence.
    pub found: String,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the entry for {} names no example: {}",
            self.entry, self.found
        )
    }
}

/// A listed example of one spec: the entry's name and why the example is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub entry: String,
    pub reason: String,
}

/// The entries, applied to one spec.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The pointer of each example an entry names (`…/examples/<i>`), in this spec.
    pub examples: BTreeMap<String, Known>,
    pub stale: Vec<Stale>,
}

/// Each place in `api` that has examples, with its pointer and how many examples it has.
pub fn sites(api: &Api) -> Vec<(Site, &str, usize)> {
    let types = api
        .types
        .iter()
        .filter(|t| !t.examples.is_empty())
        .map(|t| (t.pointer.as_str(), t.examples.len()));
    let fields = api
        .examples
        .iter()
        .map(|s| (s.pointer.as_str(), s.values.len()));
    types
        .chain(fields)
        .map(|(pointer, count)| (site_of(api, pointer), pointer, count))
        .collect()
}

/// The stable name of the schema at `pointer`.
fn site_of(api: &Api, pointer: &str) -> Site {
    if let Some(rest) = pointer.strip_prefix("/components/schemas/") {
        let (token, at) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        return Site::Schema {
            name: unescape(token),
            at: at.to_string(),
        };
    }
    let Some(op) = api.operations.iter().find(|op| below(pointer, &op.pointer)) else {
        return Site::Pointer(pointer.to_string());
    };
    if let Some(param) = parameter_of(op, pointer) {
        return param;
    }
    Site::Operation {
        operation: op.id.clone(),
        at: pointer[op.pointer.len()..].to_string(),
    }
}

/// The site of `pointer` when it is the schema of one of `op`'s parameters.
fn parameter_of(op: &Operation, pointer: &str) -> Option<Site> {
    let param = op
        .params
        .iter()
        .find(|p| pointer.strip_prefix(p.pointer.as_str()) == Some("/schema"))?;
    Some(Site::Parameter {
        operation: op.id.clone(),
        name: param.name.wire.clone(),
        location: Some(param.location.as_str().to_string()),
    })
}

/// Whether `pointer` is `parent` or below it.
fn below(pointer: &str, parent: &str) -> bool {
    pointer
        .strip_prefix(parent)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A JSON pointer token, unescaped (`~1` is `/`, `~0` is `~`).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Applies `entries` to `api`. An error only for an entry that is ambiguous in this spec (a
/// parameter name two parameters of the operation share, without `in`).
pub fn resolve(api: &Api, entries: &[Entry]) -> Result<Resolved> {
    let sites = sites(api);
    let mut resolved = Resolved::default();
    for entry in entries {
        let matches: Vec<_> = sites
            .iter()
            .filter(|(s, _, _)| entry.site.names(s))
            .collect();
        let (site, pointer, count) = match matches.as_slice() {
            [] => {
                resolved.stale.push(Stale {
                    entry: entry.to_string(),
                    found: format!("this spec gives no examples for the {}", entry.site),
                });
                continue;
            }
            [one] => one,
            [first, ..] => {
                return Err(Error::file(
                    FILE,
                    format!(
                        "the entry for {entry} matches {} parameters named alike (one is the {}); \
                         add `in` (`query`, `header` or `path`) to say which",
                        matches.len(),
                        first.0
                    ),
                ));
            }
        };
        if entry.example >= *count {
            resolved.stale.push(Stale {
                entry: entry.to_string(),
                found: format!(
                    "this spec gives {count} example{} for the {site} (`#{pointer}/examples`), so \
                     the last index is {}",
                    if *count == 1 { "" } else { "s" },
                    count - 1
                ),
            });
            continue;
        }
        let known = Known {
            entry: entry.to_string(),
            reason: entry.reason.clone(),
        };
        let example = format!("{pointer}/examples/{}", entry.example);
        if resolved.examples.insert(example, known).is_some() {
            return Err(Error::file(FILE, format!("{entry} is listed twice")));
        }
    }
    Ok(resolved)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    invalid: Vec<RawEntry>,
}

/// An entry as written: `schema` (with `at`), `operation` with `parameter` (and `in`) or with `at`,
/// or `pointer`; then `example` and `reason`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    schema: Option<String>,
    operation: Option<String>,
    parameter: Option<String>,
    #[serde(rename = "in")]
    location: Option<String>,
    at: Option<String>,
    pointer: Option<String>,
    example: usize,
    reason: String,
}

impl RawEntry {
    /// The site, if the keys given make one; else what is wrong.
    fn site(self) -> std::result::Result<Site, &'static str> {
        let RawEntry {
            schema,
            operation,
            parameter,
            location,
            at,
            pointer,
            ..
        } = self;
        if let Some(at) = &at
            && !(at.is_empty() || at.starts_with('/'))
        {
            return Err("`at` is a JSON pointer: empty, or starting with `/`");
        }
        if let Some(location) = &location
            && !matches!(location.as_str(), "query" | "header" | "path")
        {
            return Err("`in` is `query`, `header` or `path`");
        }
        match (schema, operation, parameter, location, at, pointer) {
            (Some(name), None, None, None, at, None) => Ok(Site::Schema {
                name,
                at: at.unwrap_or_default(),
            }),
            (None, Some(operation), Some(name), location, None, None) => Ok(Site::Parameter {
                operation,
                name,
                location,
            }),
            (None, Some(operation), None, None, Some(at), None) => {
                Ok(Site::Operation { operation, at })
            }
            (None, None, None, None, None, Some(pointer)) => Ok(Site::Pointer(pointer)),
            _ => Err(
                "an entry names its examples by `schema` (and `at`), by `operation` and \
                 `parameter` (and `in`), by `operation` and `at`, or by `pointer`, and by nothing else",
            ),
        }
    }
}

/// Reads the file below `root`; a missing file lists none.
pub fn read(root: &Path) -> Result<Vec<Entry>> {
    let path = root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::file(&path, format!("cannot read: {e}"))),
    };
    parse(&path, &text)
}

/// Parses the file's text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Entry>> {
    let parsed: File = toml::from_str(text)
        .map_err(|e| Error::file(path, format!("is not valid: {}", e.message())))?;
    let mut entries = Vec::new();
    for (i, raw) in parsed.invalid.into_iter().enumerate() {
        let (example, reason) = (raw.example, raw.reason.clone());
        let site = raw
            .site()
            .map_err(|e| Error::file(path, format!("entry {} (from 1): {e}", i + 1)))?;
        let entry = Entry {
            site,
            example,
            reason,
        };
        if entry.reason.trim().is_empty() {
            return Err(Error::file(
                path,
                format!("the entry for {entry} needs a reason"),
            ));
        }
        entries.push(entry);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::{Site, parse, resolve};
    use crate::ir::{Api, CrateConfig, lower};
    use crate::pipeline::check_stale;
    use crate::spec::view::Document;

    /// An API whose `list_things` has `parameters` (after a first, example-less `page`) and whose
    /// `Thing` has two examples of `tags`.
    fn api(parameters: serde_json::Value) -> Api {
        let mut params =
            vec![json!({"name": "page", "in": "query", "schema": {"type": "integer"}})];
        params.extend(parameters.as_array().cloned().unwrap_or_default());
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.test", "x-speakeasy-server-id": "default"}],
            "paths": {"/things": {"get": {
                "operationId": "list_things",
                "x-speakeasy-group": "things",
                "parameters": params,
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/Thing"}}}}}
            }}},
            "components": {"schemas": {"Thing": {"type": "object", "properties": {
                "tags": {"type": "array", "items": {"type": "string"}, "examples": [["a"], "b"]}
            }}}}
        });
        let config = CrateConfig {
            name: "t".into(),
            version: "0.0.0".into(),
            description: "t".into(),
            license: "MIT".into(),
            edition: "2024".into(),
            rust_version: "1.85".into(),
            checkout_session_operation: None,
        };
        lower(
            &Document::from_value(&doc).unwrap(),
            &config,
            "sha",
            &Default::default(),
        )
        .unwrap()
    }

    fn status() -> serde_json::Value {
        json!({"name": "status", "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}, "examples": ["new"]}})
    }

    const ENTRIES: &str = r#"
        [[invalid]]
        schema = "Thing"
        at = "/properties/tags"
        example = 1
        reason = "a string for an array"

        [[invalid]]
        operation = "list_things"
        parameter = "status"
        example = 0
        reason = "one element for an array"
    "#;

    #[test]
    fn entries_name_examples_by_schema_and_by_operation_and_parameter() {
        let entries = parse(Path::new("f.toml"), ENTRIES).unwrap();
        assert_eq!(
            entries[1].site,
            Site::Parameter {
                operation: "list_things".into(),
                name: "status".into(),
                location: None
            }
        );
        let resolved = resolve(&api(json!([status()])), &entries).unwrap();
        assert!(resolved.stale.is_empty(), "{:?}", resolved.stale);
        let pointers: Vec<_> = resolved.examples.keys().map(String::as_str).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/Thing/properties/tags/examples/1",
                "/paths/~1things/get/parameters/1/schema/examples/0",
            ]
        );
        assert_eq!(
            resolved.examples[pointers[1]].entry,
            "example 0 of the parameter `status` of `list_things`"
        );
    }

    /// The failure the file's old pointers had: a parameter added before `status` moves it, and
    /// the entry must follow it rather than name whatever is at its old position.
    #[test]
    fn an_entry_follows_its_parameter_when_another_is_added_before_it() {
        let entries = parse(Path::new("f.toml"), ENTRIES).unwrap();
        let other = json!({"name": "kind", "in": "query",
            "schema": {"type": "string", "examples": ["big"]}});
        let resolved = resolve(&api(json!([other, status()])), &entries).unwrap();
        assert!(resolved.stale.is_empty(), "{:?}", resolved.stale);
        assert!(
            resolved
                .examples
                .contains_key("/paths/~1things/get/parameters/2/schema/examples/0")
        );
        assert!(
            !resolved
                .examples
                .contains_key("/paths/~1things/get/parameters/1/schema/examples/0")
        );
    }

    #[test]
    fn a_stale_entry_is_an_error_on_the_pinned_spec_and_a_warning_on_another() {
        let entries = parse(Path::new("f.toml"), ENTRIES).unwrap();
        // No `status` parameter; the second `tags` example is still there.
        let mut resolved = resolve(&api(json!([])), &entries).unwrap();
        let error = check_stale(&mut resolved, true).unwrap_err();
        assert_eq!(
            error.to_string(),
            "spec/invalid-examples.toml: the entry for example 0 of the parameter `status` of \
             `list_things` names no example: this spec gives no examples for the parameter \
             `status` of `list_things`; on the pinned spec every entry must name an example: fix \
             the entry, or remove it if upstream fixed the example"
        );

        let mut resolved = resolve(&api(json!([])), &entries).unwrap();
        let warnings = check_stale(&mut resolved, false).unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].entry,
            "example 0 of the parameter `status` of `list_things`"
        );
        // What is still there is still listed.
        assert_eq!(resolved.examples.len(), 1);
    }

    #[test]
    fn an_index_past_the_examples_is_stale_and_says_how_many_there_are() {
        let entries = parse(
            Path::new("f.toml"),
            r#"
            [[invalid]]
            schema = "Thing"
            at = "/properties/tags"
            example = 2
            reason = "r"
            "#,
        )
        .unwrap();
        let resolved = resolve(&api(json!([])), &entries).unwrap();
        assert_eq!(
            resolved.stale[0].to_string(),
            "the entry for example 2 of the schema `Thing` at `/properties/tags` names no example: \
             this spec gives 2 examples for the schema `Thing` at `/properties/tags` \
             (`#/components/schemas/Thing/properties/tags/examples`), so the last index is 1"
        );
    }

    #[test]
    fn an_entry_must_name_one_kind_of_site_and_give_a_reason() {
        let both = r#"
            [[invalid]]
            schema = "Thing"
            operation = "list_things"
            example = 0
            reason = "r"
        "#;
        let error = parse(Path::new("f.toml"), both).unwrap_err().to_string();
        assert!(error.contains("entry 1 (from 1)"), "{error}");
        let no_reason = r#"
            [[invalid]]
            schema = "Thing"
            example = 0
            reason = " "
        "#;
        let error = parse(Path::new("f.toml"), no_reason)
            .unwrap_err()
            .to_string();
        assert!(error.contains("needs a reason"), "{error}");
    }
}
