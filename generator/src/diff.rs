//! Spec evolution: what changed in the generated Rust API between two specs, and the semver bump
//! that calls for.
//!
//! Two steps. [`surface`] reduces a lowered [`Api`] to its **surface**: what the `gr4vy` crate
//! exposes, spelt as the emitter spells it (operations by `operationId`, with their call path,
//! arguments, setters and response type; model types by spec name, with every field's Rust type as
//! the struct declares it, enum values, union variants and alias targets). [`diff`] then compares two
//! surfaces and classifies each difference by its effect on code that uses the crate:
//!
//! | change | effect |
//! | --- | --- |
//! | operation added | additive |
//! | operation removed | breaking |
//! | call path changed (`client.a().b()`) | breaking |
//! | only the HTTP method or path changed | none (the Rust call is the same) |
//! | success response type changed | breaking |
//! | parameter added: optional (a setter) / required (a new argument) | additive / breaking |
//! | parameter removed | breaking |
//! | parameter required <-> optional (argument <-> setter) | breaking |
//! | parameter's Rust type or name changed | breaking |
//! | required arguments reordered | breaking |
//! | request body added: optional (`.body()`) / required (an argument) | additive / breaking |
//! | request body removed, retyped, or required <-> optional | breaking |
//! | pagination (`.pages()`, `.items()`) added / removed or retyped | additive / breaking |
//! | field retyped, made required, optional or nullable: the emitted field type is the same | none |
//! | ... the emitted field type differs (`T`, `Option<T>`, `Option<Nullable<T>>`) | breaking |
//! | field added to a type that is sent, optional or a `const` (a setter) | additive |
//! | field added to a type that is sent, required (an argument of `new`) | breaking |
//! | field added to a response-only type | additive |
//! | field removed | breaking |
//! | a field's setter or `clear_` method renamed (another field took its name) | breaking |
//! | enum value added (enums keep an `Unknown` fallback) / removed | additive / breaking |
//! | union variant added / removed or retyped | additive / breaking |
//! | alias target changed | breaking |
//! | type added / removed | additive / breaking |
//! | type renamed (a removed and an added type of identical shape) | breaking |
//! | only the spec name changed (same Rust name) | none |
//! | type kind changed (struct, enum, union, alias) | breaking |
//! | a type starts being sent (gains `new` and setters) / stops | additive / breaking |
//! | `new`'s arguments reordered | breaking |
//! | a struct gains / loses `Default` (derived when no field is required) | additive / breaking |
//!
//! Additions are additive because every generated struct and enum is `#[non_exhaustive]`: callers
//! build requests with `new` and setters, never with struct literals, and match enums with a
//! wildcard. The bump follows: any breaking change is **major**, else any additive one **minor**,
//! else **patch**. For a 0.x crate (ours), cargo reads the minor version as the major one, so the
//! report also names the next version: breaking bumps the minor, anything else the patch.
//!
//! Not compared: servers and the hand-written runtime (`templates/crate/`), which no spec change
//! touches except through the server list.
//!
//! [`changelog`] is what `cargo xtask regen` does with this: the crate carries its surface
//! (`api-surface.json`), and when a regen sees a different spec sha256 there, it prepends the report
//! to `CHANGELOG.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::child;
use crate::ir::rust_type::{Printer, Root};
use crate::ir::types::{TypeDef, TypeKind};
use crate::ir::{Api, Name};
use crate::output::Tree;
use crate::{Error, Result};

/// The file of the generated crate that records its surface.
pub const SURFACE_FILE: &str = "api-surface.json";
/// The file of the generated crate that lists the reports of past spec changes, newest first.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// The start of a new `CHANGELOG.md`.
const CHANGELOG_HEADER: &str = "# Changes to the generated API\n\n\
Written by `cargo xtask regen`: whenever the spec's sha256 differs from the one recorded in\n\
`api-surface.json`, regen compares the Rust API generated from the previous spec with the new one\n\
and adds a section here, newest first, with the semver bump the changes call for.\n";

// ---------------------------------------------------------------------------------------------
// The surface
// ---------------------------------------------------------------------------------------------

/// What the generated crate exposes, in a form two spec versions can be compared by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// `spec/generator.toml`'s crate name and version (the version the changes are released on).
    pub crate_name: String,
    pub crate_version: String,
    /// `info.version` of the spec.
    pub api_version: String,
    /// sha256 of the spec file.
    pub spec_sha256: String,
    /// Every SDK operation, by `operationId`.
    pub operations: BTreeMap<String, OperationSurface>,
    /// Every model type, by spec name (`TypeDef.name.wire`).
    pub types: BTreeMap<String, TypeSurface>,
}

/// One operation as callers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// The cargo feature that gates it (`Operation::resource`).
    pub resource: String,
    /// `client.transactions().refunds().create()`.
    pub call: String,
    /// The method's arguments, in order: required parameters, then `body` when required.
    pub arguments: Vec<String>,
    pub method: String,
    pub path: String,
    pub pointer: String,
    /// Path, query and header parameters, by wire name.
    pub params: BTreeMap<String, ParamSurface>,
    pub body: Option<BodySurface>,
    /// What `send().await` returns on success.
    pub response: String,
    /// The item type of `.items()`, for operations with `.pages()` and `.items()`.
    pub pagination: Option<String>,
}

/// One parameter: an argument of the operation's method, or a setter of its request builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSurface {
    /// `path`, `query` or `header`.
    pub location: String,
    /// The argument's or setter's name.
    pub rust_name: String,
    /// The type the argument or setter takes (as `impl Into<T>`).
    pub rust_type: String,
    pub required: bool,
    pub nullable: bool,
    /// An argument of the method (required, or in the path) rather than a setter.
    pub argument: bool,
    pub pointer: String,
}

/// A JSON request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodySurface {
    pub rust_type: String,
    /// An argument of the method; else the `.body()` setter.
    pub required: bool,
    pub pointer: String,
}

/// One model type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSurface {
    /// `gr4vy::models::<rust_name>`.
    pub rust_name: String,
    /// Its module under `src/models/`.
    pub module: String,
    pub pointer: String,
    /// Sent in requests (so structs have `new` and setters) and/or received in responses.
    pub usage: UsageSurface,
    /// The resource groups whose operations reach it (its cargo features).
    pub groups: BTreeSet<String>,
    #[serde(flatten)]
    pub kind: KindSurface,
}

/// `TypeDef.usage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageSurface {
    pub request: bool,
    pub response: bool,
}

/// What a type is, as callers can use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KindSurface {
    Struct {
        /// By wire name.
        fields: BTreeMap<String, FieldSurface>,
        /// The arguments of `new`, in order; `None` when the type is never sent (no `new`).
        constructor: Option<Vec<String>>,
        /// `#[derive(Default)]`, which structs without required fields have.
        derives_default: bool,
    },
    Enum {
        /// The known wire values.
        values: BTreeSet<String>,
    },
    Union {
        /// Variant name -> the type it holds.
        variants: BTreeMap<String, String>,
    },
    Alias {
        target: String,
    },
}

/// One struct field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub rust_name: String,
    /// The field's type as the struct declares it (`Option<crate::Nullable<String>>`); a `const`
    /// field is its marker type (`crate::models::consts::Card`).
    pub rust_type: String,
    pub required: bool,
    pub nullable: bool,
    /// A `const`: filled in by the SDK, never an argument.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub constant: bool,
    /// The builder method that sets it (types that are sent, optional fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setter: Option<String>,
    /// The method that sends it as `null` (optional nullable fields of types that are sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear: Option<String>,
    pub pointer: String,
}

/// Reduces the IR to the surface of the crate it generates.
pub fn surface(api: &Api) -> Surface {
    let types = &api.types;
    let printer = Printer::new(types, Root::Crate);
    let operations = api
        .operations
        .iter()
        .map(|op| (op.id.clone(), operation_surface(&printer, op)))
        .collect();
    let types_out = types
        .iter()
        .map(|def| (def.name.wire.clone(), type_surface(&printer, def)))
        .collect();
    Surface {
        crate_name: api.config.name.clone(),
        crate_version: api.config.version.clone(),
        api_version: api.api_version.clone(),
        spec_sha256: api.spec_sha256.clone(),
        operations,
        types: types_out,
    }
}

/// The surface as the crate's `api-surface.json`: keys sorted, indented, and one line per object of
/// plain values (a field, a parameter), so that a spec change reads as a short line diff.
pub fn surface_json(api: &Api) -> Result<String> {
    let value = serde_json::to_value(surface(api)).map_err(|e| {
        Error::file(
            SURFACE_FILE,
            format!("the API surface cannot be serialized ({e}); please report this"),
        )
    })?;
    let mut text = String::new();
    write_json(&value, 0, &mut text);
    text.push('\n');
    Ok(text)
}

/// Pretty JSON, except that an object or array holding no objects or arrays takes one line.
fn write_json(value: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    let nested = |v: &Value| matches!(v, Value::Object(_) | Value::Array(_));
    let pad = |n: usize| " ".repeat(n);
    match value {
        Value::Object(map) if map.values().any(nested) => {
            out.push_str("{\n");
            for (i, (key, v)) in map.iter().enumerate() {
                out.push_str(&pad(indent + 2));
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_json(v, indent + 2, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if items.iter().any(nested) => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                out.push_str(&pad(indent + 2));
                write_json(v, indent + 2, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        flat => out.push_str(&flat.to_string()),
    }
}

fn operation_surface(
    printer: &Printer<'_>,
    op: &crate::ir::operations::Operation,
) -> OperationSurface {
    let groups: String = op
        .group
        .iter()
        .map(|g| format!("{}().", g.rust()))
        .collect();
    let call = format!("client.{groups}{}()", op.name.rust());
    let mut params = BTreeMap::new();
    let mut arguments = Vec::new();
    for p in &op.params {
        let rust_name = p.field.rust();
        let argument = p.is_argument();
        if argument {
            arguments.push(rust_name.clone());
        }
        let surface = ParamSurface {
            location: p.location.to_string(),
            rust_name,
            rust_type: printer.param(p).to_string(),
            required: p.required,
            nullable: p.nullable,
            argument,
            pointer: p.pointer.clone(),
        };
        let key = if params.contains_key(&p.name.wire) {
            format!("{} ({})", p.name.wire, p.location)
        } else {
            p.name.wire.clone()
        };
        params.insert(key, surface);
    }
    let body = op.body.as_ref().map(|b| BodySurface {
        rust_type: printer.ty(&b.ty).to_string(),
        required: b.required,
        pointer: child(&op.pointer, "requestBody"),
    });
    if body.as_ref().is_some_and(|b| b.required) {
        arguments.push("body".to_string());
    }
    let response = printer.returned(&op.success).to_string();
    OperationSurface {
        resource: op.resource().to_string(),
        call,
        arguments,
        method: op.method.as_upper().to_string(),
        path: op.path.template.clone(),
        pointer: op.pointer.clone(),
        params,
        body,
        response,
        pagination: op
            .pagination
            .as_ref()
            .map(|p| printer.ty(&p.item_ty).to_string()),
    }
}

fn type_surface(printer: &Printer<'_>, def: &TypeDef) -> TypeSurface {
    let kind = match &def.kind {
        TypeKind::Struct(s) => {
            let mut fields = BTreeMap::new();
            for f in &s.fields {
                let rust_type = printer.field(def, f).to_string();
                fields.insert(
                    f.name.wire.clone(),
                    FieldSurface {
                        rust_name: f.name.rust(),
                        rust_type,
                        required: f.required,
                        nullable: f.nullable,
                        constant: f.constant.is_some(),
                        setter: f.setter.as_ref().map(Name::rust),
                        clear: f.clear.as_ref().map(Name::rust),
                        pointer: f.pointer.clone(),
                    },
                );
            }
            KindSurface::Struct {
                fields,
                constructor: def.usage.request.then(|| {
                    s.constructor_fields(def.usage)
                        .map(|f| f.name.rust())
                        .collect()
                }),
                derives_default: s.derives_default(def.usage),
            }
        }
        TypeKind::Enum(e) => KindSurface::Enum {
            values: e.variants.iter().map(|v| v.name.wire.clone()).collect(),
        },
        TypeKind::Union(u) => KindSurface::Union {
            variants: u
                .variants
                .iter()
                .map(|v| (v.name.rust(), printer.boxed(&v.ty, v.boxed).to_string()))
                .collect(),
        },
        TypeKind::Alias(ty) => KindSurface::Alias {
            target: printer.ty(ty).to_string(),
        },
    };
    TypeSurface {
        rust_name: def.name.rust(),
        module: def.module.clone(),
        pointer: def.pointer.clone(),
        usage: UsageSurface {
            request: def.usage.request,
            response: def.usage.response,
        },
        groups: def.groups.clone(),
        kind,
    }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// What a change does to code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Code that compiled may stop compiling.
    Breaking,
    /// New API; code that compiled still does.
    Additive,
    /// The Rust API is the same.
    None,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Breaking => "breaking",
            Effect::Additive => "additive",
            Effect::None => "none",
        }
    }
}

/// The semver bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    Major,
    Minor,
    Patch,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        }
    }

    /// The version after `version` (`MAJOR.MINOR.PATCH`, a pre-release or build suffix dropped).
    /// Below 1.0 cargo treats the minor version as the major one, so a breaking change bumps the
    /// minor and anything else the patch. `None` if `version` is not of that form.
    pub fn next_version(self, version: &str) -> Option<String> {
        let core = version.split(['-', '+']).next().unwrap_or(version);
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse::<u64>().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        let (major, minor, patch) = match (major, self) {
            (0, Bump::Major) => (0, minor.checked_add(1)?, 0),
            (0, _) => (0, minor, patch.checked_add(1)?),
            (_, Bump::Major) => (major.checked_add(1)?, 0, 0),
            (_, Bump::Minor) => (major, minor.checked_add(1)?, 0),
            (_, Bump::Patch) => (major, minor, patch.checked_add(1)?),
        };
        Some(format!("{major}.{minor}.{patch}"))
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    CallPathChanged,
    EndpointChanged,
    ResponseChanged,
    ArgumentsReordered,
    BodyAdded,
    BodyRemoved,
    BodyChanged,
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterMadeRequired,
    ParameterMadeOptional,
    ParameterChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    TypeNowSent,
    TypeNoLongerSent,
    ConstructorReordered,
    DefaultAdded,
    DefaultRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    FieldRenamed,
    SetterRenamed,
    FieldMadeRequired,
    FieldMadeOptional,
    FieldMadeNullable,
    FieldMadeNonNullable,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
    VariantRetyped,
    AliasRetyped,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: Kind,
    /// The resource group (cargo feature) it belongs to; `shared` for types several groups reach.
    pub resource: String,
    /// What changed, in a sentence, with Rust names.
    pub message: String,
    /// JSON pointer in the new spec (in the old one for removals).
    pub pointer: String,
    pub effect: Effect,
}

/// Counts of entries by effect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub breaking: usize,
    pub additive: usize,
    pub none: usize,
}

impl Counts {
    fn add(&mut self, effect: Effect) {
        match effect {
            Effect::Breaking => self.breaking += 1,
            Effect::Additive => self.additive += 1,
            Effect::None => self.none += 1,
        }
    }

    fn of<'e>(entries: impl IntoIterator<Item = &'e Entry>) -> Counts {
        let mut counts = Counts::default();
        for e in entries {
            counts.add(e.effect);
        }
        counts
    }

    fn bump(self) -> Bump {
        if self.breaking > 0 {
            Bump::Major
        } else if self.additive > 0 {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }
}

/// The comparison of two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub old_spec_sha256: String,
    pub new_spec_sha256: String,
    pub crate_name: String,
    /// The crate's version now (`spec/generator.toml`).
    pub version: String,
    pub bump: Bump,
    /// The version the changes should be released as; `None` if `version` is not `X.Y.Z`.
    pub next_version: Option<String>,
    pub counts: Counts,
    /// Entries by resource, each list sorted by effect (breaking first), then pointer.
    pub resources: BTreeMap<String, Vec<Entry>>,
}

impl Report {
    /// Every entry, resource by resource.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.resources.values().flatten()
    }

    /// `53109bda → 0a1b2c3d: major`.
    fn heading(&self) -> String {
        format!(
            "Spec `{}` → `{}`: {}",
            short(&self.old_spec_sha256),
            short(&self.new_spec_sha256),
            self.bump.as_str()
        )
    }

    /// One line: counts, bump and next version.
    pub fn summary(&self) -> String {
        let c = self.counts;
        let changes = if c.breaking + c.additive + c.none == 0 {
            "No change to the generated Rust API".to_string()
        } else {
            format!(
                "{} breaking, {} additive, {} without effect on the Rust API",
                c.breaking, c.additive, c.none
            )
        };
        let next = match &self.next_version {
            Some(next) => {
                let rule = if self.version.starts_with("0.") {
                    " (0.x: breaking changes bump the minor version, others the patch version)"
                } else {
                    ""
                };
                format!(
                    "; next `{}` release: {} → **{next}**{rule}",
                    self.crate_name, self.version
                )
            }
            None => format!("; `{}` is not a MAJOR.MINOR.PATCH version", self.version),
        };
        format!("{changes}: semver **{}**{next}.", self.bump.as_str())
    }

    /// The report in Markdown, for a pull request or the changelog: a `##` heading (spec hashes and
    /// the bump), the summary line, then a table per resource.
    pub fn markdown(&self) -> String {
        let mut out = format!("## {}\n\n{}\n", self.heading(), self.summary());
        for (resource, entries) in &self.resources {
            let c = Counts::of(entries);
            let mut counts = Vec::new();
            for (n, what) in [
                (c.breaking, "breaking"),
                (c.additive, "additive"),
                (c.none, "none"),
            ] {
                if n > 0 {
                    counts.push(format!("{n} {what}"));
                }
            }
            out.push_str(&format!("\n### `{resource}` ({})\n\n", counts.join(", ")));
            out.push_str("| effect | change | spec pointer |\n| --- | --- | --- |\n");
            for e in entries {
                let effect = match e.effect {
                    Effect::Breaking => "**breaking**",
                    other => other.as_str(),
                };
                out.push_str(&format!(
                    "| {effect} | {} | `{}` |\n",
                    e.message.replace('|', "\\|"),
                    e.pointer.replace('|', "\\|")
                ));
            }
        }
        out
    }
}

fn short(sha: &str) -> &str {
    sha.get(..8).unwrap_or(sha)
}

/// A type text as a message shows it: without the crate-internal paths.
fn show(text: &str) -> String {
    text.replace("crate::models::consts::", "consts::")
        .replace("crate::models::", "")
        .replace("crate::", "")
        .replace("std::collections::", "")
        .replace("serde_json::", "")
}

/// Collects entries.
struct Entries(Vec<Entry>);

impl Entries {
    fn push(&mut self, kind: Kind, resource: &str, pointer: &str, effect: Effect, message: String) {
        self.0.push(Entry {
            kind,
            resource: resource.to_string(),
            message,
            pointer: pointer.to_string(),
            effect,
        });
    }
}

/// Compares two surfaces (see the module docs for the rules).
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut out = Entries(Vec::new());
    diff_operations(old, new, &mut out);
    diff_types(old, new, &mut out);
    let counts = Counts::of(&out.0);
    let bump = counts.bump();
    let mut resources: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for e in out.0 {
        resources.entry(e.resource.clone()).or_default().push(e);
    }
    for entries in resources.values_mut() {
        // Breaking first; operations before types; pointers in document order (`parameters/2`
        // before `parameters/10`).
        entries.sort_by_cached_key(|e| {
            (
                e.effect,
                !e.pointer.starts_with("/paths/"),
                pointer_key(&e.pointer),
                e.kind,
                e.message.clone(),
            )
        });
    }
    Report {
        old_spec_sha256: old.spec_sha256.clone(),
        new_spec_sha256: new.spec_sha256.clone(),
        crate_name: new.crate_name.clone(),
        version: new.crate_version.clone(),
        bump,
        next_version: bump.next_version(&new.crate_version),
        counts,
        resources,
    }
}

/// A pointer's tokens, numbers compared as numbers.
fn pointer_key(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|t| match t.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, t.to_string()),
        })
        .collect()
}

/// `client.a().b(x, body)`.
fn call_with_arguments(op: &OperationSurface) -> String {
    let bare = op.call.strip_suffix("()").unwrap_or(&op.call);
    format!("{bare}({})", op.arguments.join(", "))
}

fn diff_operations(old: &Surface, new: &Surface, out: &mut Entries) {
    for (id, o) in &old.operations {
        if !new.operations.contains_key(id) {
            out.push(
                Kind::OperationRemoved,
                &o.resource,
                &o.pointer,
                Effect::Breaking,
                format!(
                    "Removed operation `{}` (`{} {}`, operationId `{id}`).",
                    o.call, o.method, o.path
                ),
            );
        }
    }
    for (id, n) in &new.operations {
        let Some(o) = old.operations.get(id) else {
            out.push(
                Kind::OperationAdded,
                &n.resource,
                &n.pointer,
                Effect::Additive,
                format!(
                    "New operation `{}` (`{} {}`, operationId `{id}`), returning `{}`.",
                    call_with_arguments(n),
                    n.method,
                    n.path,
                    show(&n.response)
                ),
            );
            continue;
        };
        diff_operation(o, n, out);
    }
}

fn diff_operation(o: &OperationSurface, n: &OperationSurface, out: &mut Entries) {
    let (res, at) = (n.resource.as_str(), n.pointer.as_str());
    if o.call != n.call {
        out.push(
            Kind::CallPathChanged,
            res,
            at,
            Effect::Breaking,
            format!("`{}` is now `{}`.", o.call, n.call),
        );
    }
    if (&o.method, &o.path) != (&n.method, &n.path) {
        out.push(
            Kind::EndpointChanged,
            res,
            at,
            Effect::None,
            format!(
                "`{}` now calls `{} {}` (was `{} {}`); the Rust call is unchanged.",
                n.call, n.method, n.path, o.method, o.path
            ),
        );
    }
    if o.response != n.response {
        out.push(
            Kind::ResponseChanged,
            res,
            at,
            Effect::Breaking,
            format!(
                "`{}` now returns `{}` (was `{}`).",
                n.call,
                show(&n.response),
                show(&o.response)
            ),
        );
    }

    // Parameters.
    for (wire, p) in &o.params {
        if !n.params.contains_key(wire) {
            let role = if p.argument { "argument" } else { "setter" };
            out.push(
                Kind::ParameterRemoved,
                res,
                &p.pointer,
                Effect::Breaking,
                format!(
                    "`{}`: removed {} parameter `{wire}` ({role} `{}`).",
                    n.call, p.location, p.rust_name
                ),
            );
        }
    }
    for (wire, np) in &n.params {
        let Some(op) = o.params.get(wire) else {
            let (effect, what) = if np.argument {
                (
                    Effect::Breaking,
                    format!("a new argument `{}: {}`", np.rust_name, show(&np.rust_type)),
                )
            } else {
                (
                    Effect::Additive,
                    format!("a new setter `.{}({})`", np.rust_name, show(&np.rust_type)),
                )
            };
            let required = if np.required { "required" } else { "optional" };
            out.push(
                Kind::ParameterAdded,
                res,
                &np.pointer,
                effect,
                format!(
                    "`{}`: new {required} {} parameter `{wire}`, {what}.",
                    n.call, np.location
                ),
            );
            continue;
        };
        diff_param(n, wire, op, np, out);
    }
    if o.arguments != n.arguments {
        let (mut a, mut b) = (o.arguments.clone(), n.arguments.clone());
        a.sort();
        b.sort();
        if a == b {
            out.push(
                Kind::ArgumentsReordered,
                res,
                at,
                Effect::Breaking,
                format!(
                    "`{}`: the arguments are reordered to `({})` (was `({})`).",
                    n.call,
                    n.arguments.join(", "),
                    o.arguments.join(", ")
                ),
            );
        }
    }

    // The body.
    match (&o.body, &n.body) {
        (None, None) => {}
        (Some(b), None) => out.push(
            Kind::BodyRemoved,
            res,
            &b.pointer,
            Effect::Breaking,
            format!(
                "`{}` no longer takes a request body (was `{}`).",
                n.call,
                show(&b.rust_type)
            ),
        ),
        (None, Some(b)) => {
            let (effect, what) = if b.required {
                (Effect::Breaking, "a new argument `body`")
            } else {
                (Effect::Additive, "a new setter `.body()`")
            };
            out.push(
                Kind::BodyAdded,
                res,
                &b.pointer,
                effect,
                format!(
                    "`{}` takes a request body `{}`: {what}.",
                    n.call,
                    show(&b.rust_type)
                ),
            );
        }
        (Some(ob), Some(nb)) if (&ob.rust_type, ob.required) != (&nb.rust_type, nb.required) => {
            let mut what = Vec::new();
            if ob.rust_type != nb.rust_type {
                what.push(format!(
                    "is now `{}` (was `{}`)",
                    show(&nb.rust_type),
                    show(&ob.rust_type)
                ));
            }
            if ob.required != nb.required {
                what.push(if nb.required {
                    "is now required (an argument, was the `.body()` setter)".to_string()
                } else {
                    "is now optional (the `.body()` setter, was an argument)".to_string()
                });
            }
            out.push(
                Kind::BodyChanged,
                res,
                &nb.pointer,
                Effect::Breaking,
                format!("`{}`: the request body {}.", n.call, what.join(" and ")),
            );
        }
        (Some(_), Some(_)) => {}
    }

    // Pagination.
    match (&o.pagination, &n.pagination) {
        (None, Some(item)) => out.push(
            Kind::PaginationAdded,
            res,
            at,
            Effect::Additive,
            format!(
                "`{}` gains `.pages()` and `.items()` (items `{}`).",
                n.call,
                show(item)
            ),
        ),
        (Some(_), None) => out.push(
            Kind::PaginationRemoved,
            res,
            at,
            Effect::Breaking,
            format!("`{}` loses `.pages()` and `.items()`.", n.call),
        ),
        (Some(a), Some(b)) if a != b => out.push(
            Kind::PaginationChanged,
            res,
            at,
            Effect::Breaking,
            format!(
                "`{}`: `.items()` now yields `{}` (was `{}`).",
                n.call,
                show(b),
                show(a)
            ),
        ),
        _ => {}
    }
}

fn diff_param(
    n: &OperationSurface,
    wire: &str,
    o: &ParamSurface,
    p: &ParamSurface,
    out: &mut Entries,
) {
    // Where the parameter sits in the spec is no part of the Rust API.
    let unmoved = ParamSurface {
        pointer: p.pointer.clone(),
        ..o.clone()
    };
    if unmoved == *p {
        return;
    }
    let role = |x: &ParamSurface| {
        if x.argument {
            "an argument"
        } else {
            "a setter"
        }
    };
    let mut what = Vec::new();
    if o.argument != p.argument {
        what.push(format!("is now {} (was {})", role(p), role(o)));
    }
    if o.rust_type != p.rust_type {
        what.push(format!(
            "takes `{}` (was `{}`)",
            show(&p.rust_type),
            show(&o.rust_type)
        ));
    }
    if o.rust_name != p.rust_name {
        what.push(format!(
            "is named `{}` (was `{}`)",
            p.rust_name, o.rust_name
        ));
    }
    let effect = if what.is_empty() {
        Effect::None
    } else {
        Effect::Breaking
    };
    if o.location != p.location {
        what.push(format!(
            "moved from the {} to the {}",
            o.location, p.location
        ));
    }
    if o.nullable != p.nullable && o.rust_type == p.rust_type {
        what.push(format!(
            "is {} (same Rust type)",
            if p.nullable {
                "nullable"
            } else {
                "no longer nullable"
            }
        ));
    }
    let kind = match (o.required, p.required) {
        (false, true) => Kind::ParameterMadeRequired,
        (true, false) => Kind::ParameterMadeOptional,
        _ => Kind::ParameterChanged,
    };
    let head = match kind {
        Kind::ParameterMadeRequired => "made required",
        Kind::ParameterMadeOptional => "made optional",
        _ => "changed",
    };
    out.push(
        kind,
        &n.resource,
        &p.pointer,
        effect,
        format!(
            "`{}`: {} parameter `{wire}` {head}: {}.",
            n.call,
            p.location,
            what.join(", ")
        ),
    );
}

/// The resource of a type: its one group, else `shared`.
fn type_resource(t: &TypeSurface) -> String {
    match (t.groups.len(), t.groups.first()) {
        (1, Some(group)) => group.clone(),
        _ => "shared".to_string(),
    }
}

/// `Rust` or `Rust` (spec `wire`).
fn type_label(wire: &str, t: &TypeSurface) -> String {
    if crate::ir::names::unraw(&t.rust_name) == wire {
        format!("`{}`", t.rust_name)
    } else {
        format!("`{}` (spec `{wire}`)", t.rust_name)
    }
}

/// A type's shape, for spotting renames: the kind without pointers, and the usage.
fn shape(t: &TypeSurface) -> (UsageSurface, KindSurface) {
    let mut kind = t.kind.clone();
    if let KindSurface::Struct { fields, .. } = &mut kind {
        for f in fields.values_mut() {
            f.pointer.clear();
        }
    }
    (t.usage, kind)
}

fn diff_types(old: &Surface, new: &Surface, out: &mut Entries) {
    let removed: Vec<&String> = old
        .types
        .keys()
        .filter(|k| !new.types.contains_key(*k))
        .collect();
    let added: Vec<&String> = new
        .types
        .keys()
        .filter(|k| !old.types.contains_key(*k))
        .collect();
    let mut pairs: Vec<(&String, &String)> = Vec::new();
    let mut taken: BTreeSet<&String> = BTreeSet::new();
    let mut matched: BTreeSet<&String> = BTreeSet::new();
    // Same Rust name under another spec name: the same type to callers.
    for r in &removed {
        if let Some(a) = added
            .iter()
            .find(|a| !taken.contains(**a) && new.types[**a].rust_name == old.types[*r].rust_name)
        {
            taken.insert(a);
            matched.insert(r);
            pairs.push((r, a));
        }
    }
    // Identical shape under another name: renamed.
    let mut renamed: Vec<(&String, &String)> = Vec::new();
    for r in &removed {
        if matched.contains(*r) {
            continue;
        }
        let wanted = shape(&old.types[*r]);
        if let Some(a) = added
            .iter()
            .find(|a| !taken.contains(**a) && shape(&new.types[**a]) == wanted)
        {
            taken.insert(a);
            matched.insert(r);
            renamed.push((r, a));
        }
    }
    for r in &removed {
        if matched.contains(*r) {
            continue;
        }
        let t = &old.types[*r];
        out.push(
            Kind::TypeRemoved,
            &type_resource(t),
            &t.pointer,
            Effect::Breaking,
            format!("Removed type {}.", type_label(r, t)),
        );
    }
    for a in &added {
        if taken.contains(*a) {
            continue;
        }
        let t = &new.types[*a];
        out.push(
            Kind::TypeAdded,
            &type_resource(t),
            &t.pointer,
            Effect::Additive,
            format!("New type {}.", type_label(a, t)),
        );
    }
    for (r, a) in renamed {
        let (o, n) = (&old.types[r], &new.types[a]);
        out.push(
            Kind::TypeRenamed,
            &type_resource(n),
            &n.pointer,
            Effect::Breaking,
            format!(
                "Type {} is renamed {}; its shape is unchanged.",
                type_label(r, o),
                type_label(a, n)
            ),
        );
    }
    for (r, a) in pairs {
        let (o, n) = (&old.types[r], &new.types[a]);
        out.push(
            Kind::TypeRenamed,
            &type_resource(n),
            &n.pointer,
            Effect::None,
            format!(
                "The spec renames `{r}` to `{a}`; the Rust type `{}` keeps its name.",
                n.rust_name
            ),
        );
        diff_type(a, o, n, out);
    }
    for (wire, n) in &new.types {
        if let Some(o) = old.types.get(wire) {
            diff_type(wire, o, n, out);
        }
    }
}

fn diff_type(wire: &str, o: &TypeSurface, n: &TypeSurface, out: &mut Entries) {
    let res = type_resource(n);
    let label = type_label(wire, n);
    let at = n.pointer.as_str();
    if o.rust_name != n.rust_name {
        out.push(
            Kind::TypeRenamed,
            &res,
            at,
            Effect::Breaking,
            format!(
                "The Rust type `{}` is renamed `{}` (spec `{wire}`).",
                o.rust_name, n.rust_name
            ),
        );
    }
    match (&o.kind, &n.kind) {
        (
            KindSurface::Struct {
                fields: of,
                constructor: oc,
                derives_default: od,
            },
            KindSurface::Struct {
                fields: nf,
                constructor: nc,
                derives_default: nd,
            },
        ) => {
            match (oc, nc) {
                (None, Some(_)) => out.push(
                    Kind::TypeNowSent,
                    &res,
                    at,
                    Effect::Additive,
                    format!("{label} is now sent in requests: it gains `new` and setters."),
                ),
                (Some(_), None) => out.push(
                    Kind::TypeNoLongerSent,
                    &res,
                    at,
                    Effect::Breaking,
                    format!(
                        "{label} is no longer sent in requests: `new` and its setters are gone."
                    ),
                ),
                (Some(a), Some(b)) if a != b => {
                    let (mut x, mut y) = (a.clone(), b.clone());
                    x.sort();
                    y.sort();
                    if x == y {
                        out.push(
                            Kind::ConstructorReordered,
                            &res,
                            at,
                            Effect::Breaking,
                            format!(
                                "{label}: `new` takes its arguments in another order, `({})` (was `({})`).",
                                b.join(", "),
                                a.join(", ")
                            ),
                        );
                    }
                }
                _ => {}
            }
            match (od, nd) {
                (true, false) => out.push(
                    Kind::DefaultRemoved,
                    &res,
                    at,
                    Effect::Breaking,
                    format!(
                        "{label} no longer implements `Default` (it now has a required field)."
                    ),
                ),
                (false, true) => out.push(
                    Kind::DefaultAdded,
                    &res,
                    at,
                    Effect::Additive,
                    format!("{label} now implements `Default` (it has no required field left)."),
                ),
                _ => {}
            }
            for (name, f) in of {
                if !nf.contains_key(name) {
                    out.push(
                        Kind::FieldRemoved,
                        &res,
                        &f.pointer,
                        Effect::Breaking,
                        format!(
                            "{label}: removed field {} (was `{}`).",
                            field_label(name, f),
                            show(&f.rust_type)
                        ),
                    );
                }
            }
            for (name, f) in nf {
                match of.get(name) {
                    None => {
                        let (effect, what) = if f.constant {
                            (Effect::Additive, "a constant the SDK fills in")
                        } else if !n.usage.request {
                            (Effect::Additive, "on a type only received")
                        } else if nc.as_ref().is_some_and(|c| c.contains(&f.rust_name)) {
                            (Effect::Breaking, "required, so a new argument of `new`")
                        } else {
                            (Effect::Additive, "optional, with a setter")
                        };
                        out.push(
                            Kind::FieldAdded,
                            &res,
                            &f.pointer,
                            effect,
                            format!(
                                "{label}: new field {}: `{}`, {what}.",
                                field_label(name, f),
                                show(&f.rust_type)
                            ),
                        );
                    }
                    Some(old_field) => diff_field(&res, &label, name, old_field, f, out),
                }
            }
        }
        (KindSurface::Enum { values: ov }, KindSurface::Enum { values: nv }) => {
            for v in ov.difference(nv) {
                out.push(
                    Kind::EnumValueRemoved,
                    &res,
                    at,
                    Effect::Breaking,
                    format!("{label}: removed value `{v:?}`."),
                );
            }
            for v in nv.difference(ov) {
                out.push(
                    Kind::EnumValueAdded,
                    &res,
                    at,
                    Effect::Additive,
                    format!("{label}: new value `{v:?}`."),
                );
            }
        }
        (KindSurface::Union { variants: ov }, KindSurface::Union { variants: nv }) => {
            for (v, ty) in ov {
                match nv.get(v) {
                    None => out.push(
                        Kind::VariantRemoved,
                        &res,
                        at,
                        Effect::Breaking,
                        format!("{label}: removed variant `{v}({})`.", show(ty)),
                    ),
                    Some(nty) if nty != ty => out.push(
                        Kind::VariantRetyped,
                        &res,
                        at,
                        Effect::Breaking,
                        format!(
                            "{label}: variant `{v}` now holds `{}` (was `{}`).",
                            show(nty),
                            show(ty)
                        ),
                    ),
                    Some(_) => {}
                }
            }
            for (v, ty) in nv {
                if !ov.contains_key(v) {
                    out.push(
                        Kind::VariantAdded,
                        &res,
                        at,
                        Effect::Additive,
                        format!("{label}: new variant `{v}({})`.", show(ty)),
                    );
                }
            }
        }
        (KindSurface::Alias { target: a }, KindSurface::Alias { target: b }) => {
            if a != b {
                out.push(
                    Kind::AliasRetyped,
                    &res,
                    at,
                    Effect::Breaking,
                    format!("{label} now stands for `{}` (was `{}`).", show(b), show(a)),
                );
            }
        }
        (a, b) => out.push(
            Kind::TypeKindChanged,
            &res,
            at,
            Effect::Breaking,
            format!("{label} is now {} (was {}).", kind_name(b), kind_name(a)),
        ),
    }
}

/// `rust` or `rust` (spec `wire`).
fn field_label(wire: &str, f: &FieldSurface) -> String {
    if crate::ir::names::unraw(&f.rust_name) == wire {
        format!("`{wire}`")
    } else {
        format!("`{}` (spec `{wire}`)", f.rust_name)
    }
}

fn kind_name(k: &KindSurface) -> &'static str {
    match k {
        KindSurface::Struct { .. } => "a struct",
        KindSurface::Enum { .. } => "an enum",
        KindSurface::Union { .. } => "a union",
        KindSurface::Alias { .. } => "a type alias",
    }
}

fn diff_field(
    res: &str,
    label: &str,
    name: &str,
    o: &FieldSurface,
    f: &FieldSurface,
    out: &mut Entries,
) {
    // A method that kept its field but changed its name: code calling it stops compiling. (Both
    // sides must have one: a setter that appears or goes comes with a change of the field's type
    // or of the type's usage, reported there.)
    for (what, old, new) in [
        ("setter", &o.setter, &f.setter),
        ("clear method", &o.clear, &f.clear),
    ] {
        if let (Some(old), Some(new)) = (old, new)
            && old != new
        {
            out.push(
                Kind::SetterRenamed,
                res,
                &f.pointer,
                Effect::Breaking,
                format!(
                    "{label}: the {what} of field {} is now `.{new}()`, was `.{old}()`.",
                    field_label(name, f)
                ),
            );
        }
    }
    if o.rust_type == f.rust_type
        && o.rust_name == f.rust_name
        && o.required == f.required
        && o.nullable == f.nullable
        && o.constant == f.constant
    {
        return;
    }
    let effect = if o.rust_type == f.rust_type && o.rust_name == f.rust_name {
        Effect::None
    } else {
        Effect::Breaking
    };
    let kind = if o.rust_name != f.rust_name {
        Kind::FieldRenamed
    } else if o.required != f.required {
        if f.required {
            Kind::FieldMadeRequired
        } else {
            Kind::FieldMadeOptional
        }
    } else if o.nullable != f.nullable {
        if f.nullable {
            Kind::FieldMadeNullable
        } else {
            Kind::FieldMadeNonNullable
        }
    } else {
        Kind::FieldRetyped
    };
    let mut what = Vec::new();
    if o.required != f.required {
        what.push(
            if f.required {
                "made required"
            } else {
                "made optional"
            }
            .to_string(),
        );
    }
    if o.nullable != f.nullable {
        what.push(
            if f.nullable {
                "made nullable"
            } else {
                "made non-nullable"
            }
            .to_string(),
        );
    }
    if o.rust_name != f.rust_name {
        what.push(format!(
            "renamed in Rust from `{}` to `{}`",
            o.rust_name, f.rust_name
        ));
    }
    if what.is_empty() {
        what.push("retyped".to_string());
    }
    let types = if o.rust_type != f.rust_type {
        format!("`{}` → `{}`", show(&o.rust_type), show(&f.rust_type))
    } else {
        format!("the Rust type stays `{}`", show(&f.rust_type))
    };
    out.push(
        kind,
        res,
        &f.pointer,
        effect,
        format!(
            "{label}: field {} {}: {types}.",
            field_label(name, f),
            what.join(", ")
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// The changelog
// ---------------------------------------------------------------------------------------------

/// The new `CHANGELOG.md`, given the crate's previous `api-surface.json` and `CHANGELOG.md` (absent:
/// `None`) and the new surface. When the previous surface records another spec sha256, the report
/// from it to `new` is inserted above the older sections (and returned); otherwise the previous
/// changelog is kept byte for byte (a new one is just the header).
pub fn changelog(
    previous_surface: Option<&[u8]>,
    previous_changelog: Option<&[u8]>,
    new: &Surface,
) -> Result<(Vec<u8>, Option<Report>)> {
    let text = match previous_changelog {
        Some(bytes) => String::from_utf8(bytes.to_vec())
            .map_err(|_| Error::file(CHANGELOG_FILE, "is not UTF-8; fix or delete it"))?,
        None => CHANGELOG_HEADER.to_string(),
    };
    let Some(bytes) = previous_surface else {
        return Ok((text.into_bytes(), None));
    };
    let old: Surface = serde_json::from_slice(bytes).map_err(|e| {
        Error::file(
            SURFACE_FILE,
            format!(
                "the previous API surface cannot be read ({e}), so the changes cannot be listed; \
                 delete the file to regenerate without a changelog entry"
            ),
        )
    })?;
    if old.spec_sha256 == new.spec_sha256 {
        return Ok((text.into_bytes(), None));
    }
    let report = diff(&old, new);
    let section = report.markdown();
    let at = if text.starts_with("## ") {
        Some(0)
    } else {
        text.find("\n## ").map(|i| i + 1)
    };
    let updated = match at {
        Some(i) => format!("{}{section}\n{}", &text[..i], &text[i..]),
        None => {
            let sep = if text.ends_with("\n\n") || text.is_empty() {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{text}{sep}{section}")
        }
    };
    Ok((updated.into_bytes(), Some(report)))
}

/// Adds `CHANGELOG.md` to a rendered crate, comparing with the crate in `dir` (its
/// `api-surface.json` and `CHANGELOG.md`, see [`changelog`]). Returns the report when there was a
/// spec change.
pub fn add_changelog(tree: &mut Tree, api: &Api, dir: &Path) -> Result<Option<Report>> {
    let read = |name: &str| -> Result<Option<Vec<u8>>> {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::file(path, format!("cannot read: {e}"))),
        }
    };
    let previous_surface = read(SURFACE_FILE)?;
    let previous_changelog = read(CHANGELOG_FILE)?;
    let (bytes, report) = changelog(
        previous_surface.as_deref(),
        previous_changelog.as_deref(),
        &surface(api),
    )
    .map_err(|e| match e.location {
        crate::Location::File(file) => Error::file(dir.join(file), e.message),
        _ => e,
    })?;
    tree.insert(CHANGELOG_FILE, bytes)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_versions() {
        assert_eq!(Bump::Major.next_version("0.1.0").as_deref(), Some("0.2.0"));
        assert_eq!(Bump::Minor.next_version("0.1.0").as_deref(), Some("0.1.1"));
        assert_eq!(Bump::Patch.next_version("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::Major.next_version("1.2.3").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::Minor.next_version("1.2.3").as_deref(), Some("1.3.0"));
        assert_eq!(Bump::Patch.next_version("1.2.3").as_deref(), Some("1.2.4"));
        assert_eq!(
            Bump::Patch.next_version("1.2.3-rc.1").as_deref(),
            Some("1.2.4")
        );
        assert_eq!(Bump::Patch.next_version("1.2"), None);
        assert_eq!(Bump::Patch.next_version("x.y.z"), None);
    }

    fn empty(sha: &str) -> Surface {
        Surface {
            crate_name: "gr4vy".into(),
            crate_version: "0.1.0".into(),
            api_version: "1.0.0".into(),
            spec_sha256: sha.into(),
            operations: BTreeMap::new(),
            types: BTreeMap::new(),
        }
    }

    #[test]
    fn changelog_sections_go_newest_first_and_an_unchanged_spec_adds_none() {
        let json = |s: &Surface| serde_json::to_vec(s).unwrap();
        let (a, b, c) = (
            empty("aaaaaaaaaaaa"),
            empty("bbbbbbbbbbbb"),
            empty("cccccccccccc"),
        );
        let (fresh, report) = changelog(None, None, &a).unwrap();
        assert!(report.is_none());
        assert_eq!(fresh, CHANGELOG_HEADER.as_bytes());
        let (same, report) = changelog(Some(&json(&a)), Some(&fresh), &a).unwrap();
        assert!(report.is_none());
        assert_eq!(same, fresh);
        let (one, report) = changelog(Some(&json(&a)), Some(&fresh), &b).unwrap();
        assert_eq!(report.unwrap().bump, Bump::Patch);
        let (two, _) = changelog(Some(&json(&b)), Some(&one), &c).unwrap();
        let two = String::from_utf8(two).unwrap();
        assert!(two.starts_with(CHANGELOG_HEADER), "{two}");
        let first = two.find("## Spec `bbbbbbbb` → `cccccccc`: patch").unwrap();
        let second = two.find("## Spec `aaaaaaaa` → `bbbbbbbb`: patch").unwrap();
        assert!(first < second, "{two}");
        assert!(two.contains("No change to the generated Rust API: semver **patch**; next `gr4vy` release: 0.1.0 → **0.1.1**"), "{two}");
    }

    #[test]
    fn an_unreadable_surface_is_an_error_naming_the_file() {
        let e = changelog(Some(b"{}"), None, &empty("a")).unwrap_err();
        assert!(e.to_string().starts_with(SURFACE_FILE), "{e}");
    }
}
