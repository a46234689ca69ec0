//! The generator never panics on input: property-based fuzzing of the in-memory passes.
//!
//! cargo-fuzz needs a nightly toolchain, so this is proptest driving the passes directly. Two
//! targets, each a `#[test]`:
//!
//! - [`fuzz_spec_mutations`]: a real spec (every `tests/fixtures/*.yaml`, [`EXTENSIONS_SEED`] for
//!   the Speakeasy extensions no fixture has, and the public fragment of Gr4vy's spec from
//!   `../shared/seeds` when it is there) with 1 to 8 [`Mutation`]s applied, then
//!   `pipeline::generate` (view and audit, lower, emit with prettyplease formatting) in memory;
//! - [`fuzz_overlay_actions`]: random overlay actions (JSONPath targets, some invalid, and updates
//!   or removals), optionally through `overlay::parse` and with the overlay document itself
//!   mutated, applied to a spec with `overlay::apply`, then the passes as above.
//!
//! Every run must end in `Ok` or an `Err(gr4vy_codegen::Error)`. A panic is caught, reported with
//! the shrunk (minimal) case, the JSON pointers its mutations touched, and the seed to replay it.
//!
//! `cargo test` runs [`QUICK_CASES`] cases per target with a fixed seed. `cargo xtask fuzz
//! --seconds N [--seed S]` sets `GR4VY_FUZZ_SECONDS` (and `GR4VY_FUZZ_SEED`) and each target runs
//! batches of cases, batch `i` seeded from the base seed and `i`, until the time is up, then prints
//! `fuzz: N executions in S s, 0 crashes (base seed X)`. The batches are deterministic, so the same
//! base seed replays the same cases in the same order: the way to reproduce a crash that cannot be
//! caught (a stack overflow aborts the process; a hang is stopped by a watchdog that prints the
//! case). `GR4VY_FUZZ_BATCH` starts at a given batch, which a crash report names.
//!
//! `GR4VY_FUZZ_VERBOSE=1` prints every `Error` the inputs were rejected with, to see how deep the
//! mutants get into the passes.
//!
//! A panic found here is fixed in the generator (as an `Error` with a pointer) and its minimal
//! reproducer kept as a named regression test at the end of this file.

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, PanicHookInfo};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gr4vy_codegen::emit::{Options, StaticFile};
use gr4vy_codegen::error::child;
use gr4vy_codegen::ir::CrateConfig;
use gr4vy_codegen::pipeline;
use gr4vy_codegen::spec::overlay::{self, Action, Overlay, OverlayInfo};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::{Map, Value, json};

/// Cases per target in a normal `cargo test` run.
const QUICK_CASES: u32 = 256;
/// Cases per batch in the time-boxed mode (how often the clock is looked at).
const BATCH_CASES: u32 = 64;
/// The base seed of a normal `cargo test` run (so that it is deterministic).
const DEFAULT_SEED: u64 = 0x6772_3476_7946_757a;
/// A single case running longer than this is reported as a hang and ends the process.
const HANG: Duration = Duration::from_secs(120);
/// The stack of the thread that runs the cases: that of a main thread, where `cargo xtask regen`
/// runs the passes (test threads get 2 MiB).
const STACK: usize = 8 << 20;

// ---------------------------------------------------------------------------------------------
// Inputs

/// A spec exercising what no fixture has: `x-speakeasy-pagination`, `x-speakeasy-retries`,
/// `x-speakeasy-globals`, security schemes, header and query parameters, a request body, and the
/// operation behind the checkout-session helper. It generates without error.
const EXTENSIONS_SEED: &str = r##"
openapi: 3.1.0
info:
  title: Fuzz seed
  version: "1.0"
servers:
  - url: https://api.{id}.example.test
    x-speakeasy-server-id: sandbox
    variables:
      id:
        default: example
  - url: https://api.example.test
    x-speakeasy-server-id: production
security:
  - bearerAuth: []
x-speakeasy-globals:
  parameters:
    - name: x-merchant-account-id
      in: header
      schema:
        type: string
      x-speakeasy-name-override: merchant_account_id
tags:
  - name: items
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
      bearerFormat: JWT
  schemas:
    Page:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items:
            $ref: "#/components/schemas/Item"
        next_cursor:
          type: [string, "null"]
    Item:
      type: object
      required: [id, kind]
      properties:
        id:
          type: string
          example: abc
        kind:
          type: string
          enum: [a, b]
          x-speakeasy-unknown-values: allow
        amount:
          type: integer
          minimum: 0
        parent:
          anyOf:
            - $ref: "#/components/schemas/Item"
            - type: "null"
    Session:
      type: object
      required: [id]
      properties:
        id:
          type: string
          format: uuid
paths:
  /items:
    get:
      operationId: list_items
      tags: [items]
      x-speakeasy-group: items
      x-speakeasy-name-override: list
      parameters:
        - name: cursor
          in: query
          schema:
            type: string
        - name: limit
          in: query
          schema:
            type: integer
            default: 20
        - name: x-forwarded-for
          in: header
          schema:
            type: string
      responses:
        "200":
          description: A page of items.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Page"
      x-speakeasy-pagination:
        type: cursor
        inputs:
          - name: cursor
            in: parameters
            type: cursor
        outputs:
          nextCursor: $.next_cursor
          results: $.items
      x-speakeasy-retries:
        strategy: backoff
        backoff:
          initialInterval: 200
          maxInterval: 200
          maxElapsedTime: 1000
          exponent: 1
        statusCodes: [5XX, 429]
        retryConnectionErrors: true
    post:
      operationId: create_item
      x-speakeasy-group: items
      x-speakeasy-name-override: create
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Item"
      responses:
        "201":
          description: The item.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Item"
        "4XX":
          description: An error.
  /items/{item_id}:
    delete:
      operationId: delete_item
      x-speakeasy-group: items
      x-speakeasy-name-override: delete
      parameters:
        - name: item_id
          in: path
          required: true
          schema:
            type: string
      responses:
        "204":
          description: Deleted.
  /checkout/sessions:
    post:
      operationId: create_checkout_session
      x-speakeasy-group: checkout.sessions
      x-speakeasy-name-override: create
      responses:
        "201":
          description: The session.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Session"
"##;

/// One spec to mutate.
struct Seed {
    name: String,
    doc: Value,
}

/// What every case shares: the seeds and the crate's hand-written sources.
struct Inputs {
    seeds: Vec<Seed>,
    statics: Vec<StaticFile>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator sits in the workspace")
        .to_path_buf()
}

fn yaml(name: &str, text: &str) -> Value {
    yaml_serde::from_str(text).unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"))
}

/// The YAML fenced in the public seed (see `tests/seed.rs`), if `../shared` is there.
fn seed_fragment() -> Option<Value> {
    let path = root().join("../shared/seeds/000_335009f11df4d67b.txt");
    let text = std::fs::read_to_string(path).ok()?;
    let fence = "````yaml /openapi.speakeasy.json POST /transactions/{transaction_id}/session";
    let mut lines = text.lines();
    lines.by_ref().find(|l| l.trim_end() == fence)?;
    let body: Vec<&str> = lines.take_while(|l| l.trim_end() != "````").collect();
    let mut doc: Value = yaml_serde::from_str(&body.join("\n")).ok()?;
    // Our overlays give every operation a group; the fragment predates them.
    for path in nodes_of(&doc, Kind::Operation) {
        if let Some(Value::Object(op)) = get_mut(&mut doc, &path) {
            op.entry("x-speakeasy-group")
                .or_insert_with(|| json!("transactions.sessions"));
        }
    }
    // The stray `overlay: 1.0.0` that the tool applying Gr4vy's open-enum overlay left in each enum
    // schema it updated (see `tests/seed.rs`): not a schema keyword, absent from the pinned spec,
    // and a key the audit in `pipeline::generate` rightly rejects.
    for path in nodes_of(&doc, Kind::Schema) {
        if let Some(Value::Object(schema)) = get_mut(&mut doc, &path) {
            if schema.contains_key("enum") && schema.get("overlay") == Some(&json!("1.0.0")) {
                schema.remove("overlay");
            }
        }
    }
    Some(doc)
}

fn inputs() -> Inputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures is readable")
        .map(|e| e.expect("tests/fixtures is listable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut seeds: Vec<Seed> = paths
        .iter()
        .map(|p| {
            let name = p
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into());
            let text = std::fs::read_to_string(p).expect("the fixture is readable");
            let doc = yaml(&name, &text);
            Seed { name, doc }
        })
        .collect();
    assert!(!seeds.is_empty(), "no fixtures in {}", dir.display());
    seeds.push(Seed {
        name: "extensions_seed".into(),
        doc: yaml("EXTENSIONS_SEED", EXTENSIONS_SEED),
    });
    if let Some(doc) = seed_fragment() {
        seeds.push(Seed {
            name: "shared_seed_fragment".into(),
            doc,
        });
    }
    let statics = pipeline::read_statics(&root().join(pipeline::STATIC_DIR))
        .expect("templates/crate is readable")
        .into_iter()
        .filter(|f| f.path.starts_with("src/"))
        .collect();
    Inputs { seeds, statics }
}

fn config(checkout: Option<&str>) -> CrateConfig {
    CrateConfig {
        name: "fuzz".into(),
        version: "0.0.0".into(),
        description: "Generated by the fuzz test.".into(),
        license: "MIT".into(),
        edition: "2024".into(),
        rust_version: "1.85".into(),
        checkout_session_operation: checkout.map(str::to_owned),
    }
}

/// Notes an input the generator rejected: printed with `GR4VY_FUZZ_VERBOSE=1`, to see how far
/// the mutants get. Returns `false`, for "no crate".
fn rejected(e: &gr4vy_codegen::Error) -> bool {
    static VERBOSE: OnceLock<bool> = OnceLock::new();
    if *VERBOSE.get_or_init(|| std::env::var_os("GR4VY_FUZZ_VERBOSE").is_some()) {
        eprintln!("rejected: {e}");
    }
    false
}

/// The passes after overlays, in memory: `Ok(true)` if the crate was generated, `Ok(false)` if the
/// input was rejected with an `Error`.
fn generate(
    doc: &Value,
    checkout: Option<&str>,
    invalid_examples: &[String],
    statics: &[StaticFile],
) -> bool {
    let options = Options {
        standalone: true,
        invalid_examples: invalid_examples
            .iter()
            .map(|p| (p.clone(), "fuzz".to_owned()))
            .collect(),
    };
    match pipeline::generate(doc, &config(checkout), "fuzz", statics, &options) {
        Ok(_) => true,
        // `emit::rust::file`: the generator's own tokens did not parse, a bug rather than a
        // rejected input, so it fails like a panic.
        Err(e) if e.message.contains("produced Rust that does not parse") => {
            panic!("the generator produced invalid Rust: {e}")
        }
        Err(e) => rejected(&e),
    }
}

// ---------------------------------------------------------------------------------------------
// Documents: paths to nodes

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

type NodePath = Vec<Step>;

/// Every node below the root, in document order (parents before children).
fn all_nodes(doc: &Value) -> Vec<NodePath> {
    fn walk(value: &Value, at: &mut NodePath, out: &mut Vec<NodePath>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    at.push(Step::Key(k.clone()));
                    out.push(at.clone());
                    walk(v, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    out.push(at.clone());
                    walk(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out);
    out
}

fn get<'a>(doc: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get(k),
        (Value::Array(items), Step::Index(i)) => items.get(*i),
        _ => None,
    })
}

fn get_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get_mut(k),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

fn pointer(path: &[Step]) -> String {
    path.iter().fold(String::new(), |p, step| match step {
        Step::Key(k) => child(&p, k),
        Step::Index(i) => child(&p, &i.to_string()),
    })
}

/// An RFC 9535 normalized path (`$['paths']['/a'][0]`) to the node.
fn json_path(path: &[Step]) -> String {
    let mut out = String::from("$");
    for step in path {
        match step {
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(k) => {
                out.push_str("['");
                for c in k.chars() {
                    match c {
                        '\'' => out.push_str("\\'"),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push_str("']");
            }
        }
    }
    out
}

fn key(path: &[Step], from_end: usize) -> Option<&str> {
    match path.len().checked_sub(from_end + 1).map(|i| &path[i]) {
        Some(Step::Key(k)) => Some(k),
        _ => None,
    }
}

fn is_key(path: &[Step], from_end: usize, name: &str) -> bool {
    key(path, from_end) == Some(name)
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The nodes of one kind, by where they sit and what they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    /// A node whose parent is an object (so it has a key).
    Keyed,
    /// An object holding a `$ref`.
    Ref,
    /// Something in a schema position.
    Schema,
    Operation,
    PathItem,
    /// A `properties` map.
    Properties,
    /// An `enum` list.
    Enum,
    Parameter,
    ComponentSchema,
    Response,
    MediaType,
    Server,
}

fn is_schema_position(path: &[Step], value: &Value) -> bool {
    if !value.is_object() {
        return false;
    }
    let holder = |k: usize| key(path, k);
    matches!(
        holder(0),
        Some("schema" | "items" | "additionalProperties" | "propertyNames")
    ) || matches!(holder(1), Some("properties" | "anyOf" | "oneOf" | "allOf"))
        || (path.len() == 3 && is_key(path, 2, "components") && is_key(path, 1, "schemas"))
}

fn nodes_of(doc: &Value, kind: Kind) -> Vec<NodePath> {
    all_nodes(doc)
        .into_iter()
        .filter(|path| {
            let Some(value) = get(doc, path) else {
                return false;
            };
            match kind {
                Kind::Any => true,
                Kind::Keyed => matches!(path.last(), Some(Step::Key(_))),
                Kind::Ref => value.get("$ref").is_some_and(Value::is_string),
                Kind::Schema => is_schema_position(path, value),
                Kind::Operation => {
                    path.len() == 3
                        && is_key(path, 2, "paths")
                        && key(path, 0).is_some_and(|m| METHODS.contains(&m))
                        && value.is_object()
                }
                Kind::PathItem => path.len() == 2 && is_key(path, 1, "paths") && value.is_object(),
                Kind::Properties => is_key(path, 0, "properties") && value.is_object(),
                Kind::Enum => is_key(path, 0, "enum") && value.is_array(),
                Kind::Parameter => {
                    matches!(path.last(), Some(Step::Index(_)))
                        && is_key(path, 1, "parameters")
                        && value.is_object()
                }
                Kind::ComponentSchema => {
                    path.len() == 3 && is_key(path, 2, "components") && is_key(path, 1, "schemas")
                }
                Kind::Response => is_key(path, 1, "responses"),
                Kind::MediaType => is_key(path, 1, "content"),
                Kind::Server => path.len() == 2 && is_key(path, 1, "servers"),
            }
        })
        .collect()
}

fn pick(doc: &Value, kind: Kind, index: usize) -> Option<NodePath> {
    let nodes = nodes_of(doc, kind);
    (!nodes.is_empty()).then(|| nodes[index % nodes.len()].clone())
}

fn delete(doc: &mut Value, path: &[Step]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match (get_mut(doc, parent), last) {
        (Some(Value::Object(map)), Step::Key(k)) => map.shift_remove(k).is_some(),
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
}

/// Renames the key at `path` in place (a clash replaces the other key's value).
fn rename(doc: &mut Value, path: &[Step], to: &str) -> bool {
    let Some((Step::Key(from), parent)) = path.split_last() else {
        return false;
    };
    let Some(Value::Object(map)) = get_mut(doc, parent) else {
        return false;
    };
    let old = std::mem::take(map);
    for (k, v) in old {
        if k == *from {
            map.insert(to.to_owned(), v);
        } else if k != to || !map.contains_key(to) {
            map.insert(k, v);
        }
    }
    true
}

/// Sets `key` on the object at `path` (keeping its place if present).
fn set(doc: &mut Value, path: &[Step], key: &str, value: Value) -> bool {
    match get_mut(doc, path) {
        Some(Value::Object(map)) => {
            map.insert(key.to_owned(), value);
            true
        }
        _ => false,
    }
}

fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{}", &child("", name)[1..])
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// Names that are awkward as Rust identifiers, file names, or wire names.
const WEIRD: &[&str] = &[
    "",
    "🦀",
    "type",
    "self",
    "1abc",
    "a-b",
    "A",
    "a b",
    "Self",
    "_",
    "super",
    "crate",
    "r#type",
    "mod",
    "fn",
    "async",
    "gen",
    "None",
    "Some",
    "Ok",
    "Err",
    "String",
    "Option",
    "Result",
    "Box",
    "Vec",
    "new",
    "a/b",
    "a~b",
    "~1",
    "0",
    "-",
    "__",
    "ü",
    "ß",
    "İ",
    "\u{0301}",
    "a\nb",
    "\"",
    "'",
    "\\",
    "{id}",
    "$ref",
    "x-",
    "default",
    "models",
    "lib",
    "mod.rs",
    "..",
    "CON",
    // Alphanumeric to Rust's `char` methods but not identifier characters, or not at the start.
    "a²",
    "½",
    "①",
    "٣",
    "𝟙x",
    "Ⅻ",
    "ǅ",
    "ﬀ",
    "a\u{200d}b",
    "x\u{0}y",
];

#[derive(Debug, Clone)]
enum Filler {
    Null,
    True,
    False,
    Number(i64),
    Float,
    Huge,
    Text(&'static str),
    EmptyObject,
    EmptyArray,
}

impl Filler {
    fn value(&self) -> Value {
        match self {
            Filler::Null => Value::Null,
            Filler::True => Value::Bool(true),
            Filler::False => Value::Bool(false),
            Filler::Number(n) => json!(n),
            Filler::Float => json!(1.5),
            Filler::Huge => json!(u64::MAX),
            Filler::Text(s) => json!(s),
            Filler::EmptyObject => json!({}),
            Filler::EmptyArray => json!([]),
        }
    }
}

#[derive(Debug, Clone)]
enum RefTarget {
    /// A component schema that does not exist.
    Dangling,
    /// Another component schema (by index).
    Other(usize),
    /// The component schema that holds the reference (or a component that is only itself).
    ItSelf,
    /// A reference of another shape.
    Odd(&'static str),
}

const ODD_REFS: &[&str] = &[
    "",
    "#",
    "#/",
    "#/components/schemas/",
    "#/components/schemas/a~1b",
    "#/components/schemas/~2",
    "#/components/schemas/Item/properties/id",
    "#/components/parameters/Item",
    "#/paths",
    "other.yaml#/components/schemas/Item",
    "https://example.test/schema.json",
    "#/components/schemas/🦀",
];

/// Where a weird name goes.
#[derive(Debug, Clone, Copy)]
enum NameSite {
    /// A new property of a `properties` map (sometimes also required).
    Property {
        required: bool,
    },
    /// An existing property renamed.
    RenameProperty,
    /// A value appended to an `enum`.
    EnumValue,
    OperationId,
    Group,
    OperationNameOverride,
    SchemaNameOverride,
    ParameterName,
    /// A component schema renamed, with the references to it.
    SchemaName,
    ServerId,
    ServerVariable,
    /// A response status code (`200`) renamed.
    Status,
    /// A media type (`application/json`) renamed.
    ContentType,
    /// A path (`/items/{id}`) renamed.
    PathTemplate,
    /// A tag on an operation.
    Tag,
}

#[derive(Debug, Clone, Copy)]
enum Combinator {
    AnyOf,
    OneOf,
}

#[derive(Debug, Clone, Copy)]
enum Extension {
    Pagination,
    Retries,
    NameOverride,
    Ignore,
    UnknownValues,
    Globals,
}

/// Values of the Speakeasy extensions: right and wrong shapes.
fn extension_value(which: Extension, index: usize, doc: &Value) -> Value {
    let a_param = nodes_of(doc, Kind::Parameter)
        .first()
        .and_then(|p| get(doc, p))
        .and_then(|p| p.get("name"))
        .cloned()
        .unwrap_or(json!("cursor"));
    let values = match which {
        Extension::Pagination => vec![
            json!({}),
            json!({"type": "cursor"}),
            json!({"type": "offsetLimit", "inputs": [], "outputs": {}}),
            json!({"type": "url"}),
            json!({"type": "cursor", "inputs": [{"name": "cursor", "in": "parameters", "type": "cursor"}]}),
            json!({"type": "cursor", "inputs": [{"name": a_param, "in": "parameters", "type": "cursor"}],
                   "outputs": {"nextCursor": "$.id", "results": "$.id"}}),
            json!({"type": "cursor", "inputs": [{"name": a_param, "in": "parameters", "type": "cursor"}],
                   "outputs": {"nextCursor": "", "results": "$"}}),
            json!({"type": "cursor", "inputs": [{"name": "cursor", "in": "requestBody", "type": "cursor"}]}),
            json!({"type": "cursor", "inputs": [{"name": "", "in": "parameters", "type": "cursor"}],
                   "outputs": {"nextCursor": "$..x", "results": "$[0]", "numPages": 3}}),
            json!({"type": "cursor", "inputs": {"name": "cursor"}}),
            json!({"type": 1}),
            json!("cursor"),
            json!([]),
            json!(null),
        ],
        Extension::Retries => vec![
            json!({}),
            json!({"strategy": "backoff"}),
            json!({"strategy": "linear", "backoff": {}}),
            json!({"strategy": "backoff", "backoff": {"initialInterval": 0, "maxInterval": 0,
                   "maxElapsedTime": 0, "exponent": 0}}),
            json!({"strategy": "backoff", "backoff": {"initialInterval": u64::MAX, "maxInterval": u64::MAX,
                   "maxElapsedTime": u64::MAX, "exponent": 1e308}}),
            json!({"strategy": "backoff", "backoff": {"exponent": -1.5}, "statusCodes": []}),
            json!({"strategy": "backoff", "statusCodes": ["5XX", 429, "abc", "", "🦀", "5XXX", "x"]}),
            json!({"strategy": "backoff", "statusCodes": [70000]}),
            json!({"strategy": "backoff", "statusCodes": [-1, 1.5, null]}),
            json!({"strategy": "backoff", "backoff": {"initialInterval": -1}}),
            json!({"strategy": "backoff", "backoff": "fast"}),
            json!({"strategy": "backoff", "retryConnectionErrors": "yes"}),
            json!("backoff"),
            json!([]),
        ],
        Extension::NameOverride => WEIRD
            .iter()
            .map(|w| json!(w))
            .chain([json!(1), json!(null)])
            .collect(),
        Extension::Ignore => vec![json!(true), json!(false), json!("true"), json!(null)],
        Extension::UnknownValues => vec![json!("allow"), json!("deny"), json!(true), json!("")],
        Extension::Globals => vec![
            json!({}),
            json!({"parameters": []}),
            json!({"parameters": [{"name": "", "in": "header", "schema": {"type": "string"}}]}),
            json!({"parameters": [{"name": "self", "in": "query", "schema": {"type": "integer"}}]}),
            json!({"parameters": [{"name": a_param, "in": "header", "schema": {"type": "string"}}]}),
            json!({"parameters": [{"name": "x", "in": "path", "schema": {"type": "object"}}]}),
            json!({"parameters": {}}),
        ],
    };
    values[index % values.len()].clone()
}

fn extension_key(which: Extension) -> &'static str {
    match which {
        Extension::Pagination => "x-speakeasy-pagination",
        Extension::Retries => "x-speakeasy-retries",
        Extension::NameOverride => "x-speakeasy-name-override",
        Extension::Ignore => "x-speakeasy-ignore",
        Extension::UnknownValues => "x-speakeasy-unknown-values",
        Extension::Globals => "x-speakeasy-globals",
    }
}

/// Unusual values of `type`.
fn type_value(index: usize) -> Value {
    let values = [
        json!(["string", "null"]),
        json!("null"),
        json!([]),
        json!("foo"),
        json!(["null"]),
        json!(["integer", "string"]),
        json!(["string", "string"]),
        json!(["object", "null"]),
        json!(["array", "null"]),
        json!("object"),
        json!("array"),
        json!("integer"),
        json!("number"),
        json!("boolean"),
        json!("string"),
        json!(5),
        json!({"type": "string"}),
    ];
    values[index % values.len()].clone()
}

#[derive(Debug, Clone, Copy)]
enum Nesting {
    ArrayItems,
    AnyOf,
    Property,
    Map,
    /// Not a schema: `{"a": ...}`.
    Plain,
    /// Not a schema: `[...]`.
    List,
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete {
        node: usize,
    },
    Replace {
        node: usize,
        with: Filler,
    },
    RenameKey {
        node: usize,
        to: &'static str,
    },
    /// Replaces one node with a copy of another.
    Copy {
        from: usize,
        to: usize,
    },
    Ref {
        node: usize,
        to: RefTarget,
    },
    /// Gives one operation the `operationId` of another.
    DuplicateOperationId {
        from: usize,
        to: usize,
    },
    Name {
        site: NameSite,
        node: usize,
        name: &'static str,
    },
    SetType {
        node: usize,
        to: usize,
    },
    /// Wraps a schema in `anyOf`/`oneOf` with `{type: null}`.
    WrapNull {
        node: usize,
        with: Combinator,
        null_first: bool,
    },
    Extension {
        node: usize,
        which: Extension,
        value: usize,
    },
    /// Wraps a node in `depth` levels.
    Nest {
        node: usize,
        depth: usize,
        how: Nesting,
    },
    /// Sets a keyword the site knows to one of a few right and wrong values.
    Keyword {
        site: KeywordSite,
        node: usize,
        keyword: usize,
        value: usize,
    },
}

/// Where [`Mutation::Keyword`] sets a keyword.
#[derive(Debug, Clone, Copy)]
enum KeywordSite {
    Schema,
    Parameter,
    Operation,
    Response,
    Root,
}

/// Prose that is awkward in a doc comment.
fn awkward_docs() -> Vec<Value> {
    vec![
        json!(""),
        json!("```"),
        json!("```rust\nfn main() {}"),
        json!("    indented(code);"),
        json!("a */ b /* c"),
        json!("#[doc = \"x\"]\n\r\n\t\u{0}"),
        json!("[link](#) <b>html</b> \\ \"quoted\" 'single'"),
        json!("🦀".repeat(1000)),
        json!(1),
        json!(null),
    ]
}

fn strings(values: &[&str]) -> Vec<Value> {
    values.iter().map(|v| json!(v)).collect()
}

/// The keywords a site has, each with values to try (right and wrong ones).
fn keywords(site: KeywordSite) -> Vec<(&'static str, Vec<Value>)> {
    let examples = vec![
        json!(null),
        json!(""),
        json!("🦀"),
        json!(0),
        json!(-1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(true),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"a": {"b": [1]}, "id": "x", "type": 3}),
        json!("2024-01-01T00:00:00Z"),
        json!("not-a-uuid"),
    ];
    let schemas = vec![
        json!({}),
        json!(true),
        json!(false),
        json!({"type": "string"}),
        json!({"type": "array"}),
        json!({"type": "array", "items": {"type": "object"}}),
        json!({"type": "object"}),
        json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        json!({"$ref": "#/components/schemas/DoesNotExist"}),
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        json!({"type": "string", "enum": []}),
        json!({"const": "x"}),
        json!("string"),
    ];
    let weird = strings(WEIRD);
    match site {
        KeywordSite::Schema => vec![
            ("example", examples.clone()),
            (
                "examples",
                vec![
                    json!([]),
                    json!([null]),
                    json!(["🦀", 1]),
                    json!("x"),
                    json!([{"a": []}]),
                    json!({"a": 1}),
                ],
            ),
            ("default", examples.clone()),
            (
                "const",
                vec![
                    json!("🦀"),
                    json!(""),
                    json!("type"),
                    json!(1),
                    json!(null),
                    json!(["a"]),
                    json!({"a": 1}),
                ],
            ),
            (
                "format",
                strings(&[
                    "date-time",
                    "date",
                    "time",
                    "uuid",
                    "int32",
                    "int64",
                    "float",
                    "double",
                    "binary",
                    "byte",
                    "email",
                    "uri",
                    "ipv4",
                    "🦀",
                    "",
                ]),
            ),
            (
                "minimum",
                vec![
                    json!(-1),
                    json!(1e308),
                    json!(0.5),
                    json!("1"),
                    json!(u64::MAX),
                ],
            ),
            ("maximum", vec![json!(-1), json!(-1e308), json!(i64::MIN)]),
            ("exclusiveMinimum", vec![json!(true), json!(0)]),
            ("multipleOf", vec![json!(0), json!(-1), json!(0.1)]),
            (
                "minLength",
                vec![json!(0), json!(u64::MAX), json!(-1), json!(1.5)],
            ),
            ("maxLength", vec![json!(0), json!(u64::MAX), json!(-1)]),
            ("minItems", vec![json!(0), json!(u64::MAX)]),
            ("maxItems", vec![json!(0), json!(-5)]),
            ("uniqueItems", vec![json!(true), json!("yes")]),
            ("pattern", strings(&["[", "^a$", "", "(?<n>a)\\"])),
            (
                "required",
                vec![
                    json!([]),
                    json!(["missing"]),
                    json!(["a", "a"]),
                    json!("a"),
                    json!([1]),
                    json!([""]),
                ],
            ),
            ("nullable", vec![json!(true), json!(false)]),
            ("readOnly", vec![json!(true), json!("yes")]),
            ("writeOnly", vec![json!(true)]),
            ("deprecated", vec![json!(true), json!(1)]),
            ("description", awkward_docs()),
            ("title", awkward_docs()),
            ("additionalProperties", schemas.clone()),
            ("propertyNames", schemas.clone()),
            (
                "properties",
                vec![
                    json!({}),
                    json!({"a": true}),
                    json!({"a": false}),
                    json!({"": {}}),
                    json!({"a": {"type": "null"}}),
                    json!([]),
                ],
            ),
            ("items", schemas.clone()),
            (
                "discriminator",
                vec![
                    json!({"propertyName": "type"}),
                    json!({"propertyName": ""}),
                    json!({"propertyName": "type", "mapping": {"a": "#/components/schemas/DoesNotExist"}}),
                    json!({"propertyName": "kind", "mapping": {"": "#/components/schemas/Item"}}),
                    json!({}),
                    json!("type"),
                ],
            ),
            (
                "enum",
                vec![
                    json!([]),
                    json!([null]),
                    json!(["a", "a"]),
                    json!(["a", 1]),
                    json!(["", "_", "-", "__"]),
                    json!([true]),
                    json!(["A", "a", "a-", "a_"]),
                    json!([{"a": 1}]),
                    json!("a"),
                ],
            ),
            (
                "anyOf",
                vec![
                    json!([]),
                    json!([{}]),
                    json!([{"type": "null"}]),
                    json!([true]),
                    json!([{"type": "string"}, {"type": "string"}]),
                    json!([{"type": "null"}, {"type": "null"}]),
                    json!([{"type": "array", "items": {"type": "string"}}, {"type": "string"}]),
                ],
            ),
            (
                "oneOf",
                vec![
                    json!([]),
                    json!([{"type": "object"}]),
                    json!([{"$ref": "#/components/schemas/DoesNotExist"}]),
                    json!([
                        {"type": "object", "properties": {"type": {"const": "a"}}},
                        {"type": "object", "properties": {"type": {"const": "a"}}}
                    ]),
                ],
            ),
            ("allOf", vec![json!([]), json!([{}])]),
            ("not", vec![json!({})]),
            (
                "$ref",
                vec![json!("#/components/schemas/DoesNotExist"), json!(1)],
            ),
            (
                "x-speakeasy-unknown-values",
                vec![json!("allow"), json!(true)],
            ),
            ("x-speakeasy-name-override", weird.clone()),
            ("x-speakeasy-ignore", vec![json!(true), json!(false)]),
        ],
        KeywordSite::Parameter => vec![
            (
                "in",
                strings(&["query", "header", "path", "cookie", "body", "", "Query"]),
            ),
            ("required", vec![json!(true), json!(false), json!("yes")]),
            (
                "style",
                strings(&[
                    "form",
                    "deepObject",
                    "simple",
                    "matrix",
                    "label",
                    "spaceDelimited",
                    "pipeDelimited",
                    "",
                ]),
            ),
            ("explode", vec![json!(true), json!(false)]),
            ("schema", schemas.clone()),
            (
                "content",
                vec![
                    json!({"application/json": {"schema": {"type": "string"}}}),
                    json!({}),
                ],
            ),
            ("example", examples.clone()),
            (
                "examples",
                vec![
                    json!({}),
                    json!({"a": {"value": 1}}),
                    json!({"a": {"summary": "s"}}),
                    json!({"a": 1}),
                    json!([1]),
                ],
            ),
            ("deprecated", vec![json!(true)]),
            ("allowEmptyValue", vec![json!(true)]),
            ("allowReserved", vec![json!(true)]),
            ("description", awkward_docs()),
            ("$ref", strings(&["#/components/parameters/DoesNotExist"])),
            ("x-speakeasy-name-override", weird.clone()),
        ],
        KeywordSite::Operation => vec![
            (
                "security",
                vec![
                    json!([]),
                    json!([{}]),
                    json!([{"bearerAuth": []}]),
                    json!([{"missing": ["scope"]}]),
                    json!({}),
                ],
            ),
            ("deprecated", vec![json!(true)]),
            ("summary", awkward_docs()),
            ("description", awkward_docs()),
            (
                "requestBody",
                vec![
                    json!({}),
                    json!({"content": {}}),
                    json!({"content": {"text/plain": {"schema": {"type": "string"}}}}),
                    json!({"content": {"application/json": {}}}),
                    json!({"required": true, "content": {"application/json": {"schema": {"type": "string"}}}}),
                    json!({"required": true, "content": {"application/json": {"schema":
                        {"type": "array", "items": {"type": "integer"}}}}}),
                    json!({"content": {"application/json": {"schema": {"type": "object", "properties":
                        {"a": {"type": "object", "properties": {"b": {"type": "string"}}}}}}}}),
                    json!({"content": {"multipart/form-data": {"schema": {}}, "application/json": {"schema": {}}}}),
                    json!({"content": {"application/merge-patch+json; charset=utf-8": {"schema": {"type": "object"}}}}),
                    json!({"$ref": "#/components/requestBodies/X"}),
                ],
            ),
            (
                "responses",
                vec![
                    json!({}),
                    json!({"default": {"description": "x"}}),
                    json!({"200": {"description": "x"}}),
                    json!({"2XX": {"description": "ok", "content": {"application/json": {"schema":
                        {"type": "array", "items": {}}}}}}),
                    json!({"200": {"description": "x", "content": {"application/json": {"schema": {"type": "string"}}}}}),
                    json!({"200": {"description": "x", "content": {"application/json": {"schema": {"type": "null"}}}}}),
                    json!({"200": {"description": "x", "content": {"application/json": {"schema": {}}}},
                           "201": {"description": "y", "content": {"application/json": {"schema": {"type": "integer"}}}}}),
                    json!({"204": {"description": "x"}, "4XX": {"description": "e", "content":
                        {"application/json": {"schema": {"type": "object"}}}}}),
                    json!({"200": {"description": "x", "content": {"application/octet-stream": {},
                        "text/csv": {"schema": {"type": "string"}}}}}),
                    json!({"200": {"$ref": "#/components/responses/X"}}),
                    json!({"999": {"description": "x"}, "20": {"description": "y"}, "2xx": {"description": "z"}}),
                    json!({"200": {"description": "x", "headers": {"X-Rate": {"schema": {"type": "integer"}}}}}),
                ],
            ),
            (
                "parameters",
                vec![
                    json!([]),
                    json!([{"name": "x", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}]),
                    json!([{"name": "x", "in": "query", "schema": {}}, {"name": "x", "in": "query", "schema": {}}]),
                    json!([{"name": "x", "in": "query", "schema": {"type": "string"}},
                           {"name": "x", "in": "header", "schema": {"type": "string"}}]),
                    json!([{"name": "X-Id", "in": "header", "required": true, "schema":
                        {"type": "integer", "format": "int64"}}]),
                    json!([{"name": "id", "in": "path", "required": false, "schema": {"type": "string"}}]),
                    json!([{"name": "filter", "in": "query", "style": "deepObject", "schema":
                        {"type": "object", "properties": {"a": {"type": "string"}}}}]),
                    json!([{"$ref": "#/components/parameters/X"}]),
                ],
            ),
            ("operationId", weird.clone()),
            (
                "x-speakeasy-group",
                weird
                    .iter()
                    .cloned()
                    .chain(strings(&["a..b", ".a", "a.", "a.b.c.d", "a.type.self"]))
                    .collect(),
            ),
            ("x-speakeasy-ignore", vec![json!(true), json!(false)]),
            ("tags", vec![json!([]), json!(["a", "a"]), json!("a")]),
            ("callbacks", vec![json!({"x": {}})]),
            ("servers", vec![json!([{"url": "https://other.test"}])]),
        ],
        KeywordSite::Response => vec![
            ("description", awkward_docs()),
            (
                "content",
                vec![
                    json!({}),
                    json!({"application/json": {}}),
                    json!({"application/json": {"schema": {}}}),
                    json!({"application/json": {"schema": {"type": "array", "items":
                        {"type": "array", "items": {"type": "string"}}}}}),
                    json!({"application/json": {"schema": {"type": "object", "additionalProperties": true}}}),
                    json!({"application/json": {"schema": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}),
                    json!({"text/event-stream": {"schema": {"type": "string"}}}),
                    json!({"application/problem+json": {"schema": {"type": "object", "properties":
                        {"": {"type": "string"}}}}}),
                ],
            ),
            (
                "headers",
                vec![json!({"X": {"schema": {"type": "string"}}}), json!({})],
            ),
            ("$ref", strings(&["#/components/responses/X"])),
        ],
        KeywordSite::Root => vec![
            (
                "openapi",
                vec![
                    json!("3.0.3"),
                    json!("2.0"),
                    json!(3.1),
                    json!("3.1.1"),
                    json!(""),
                ],
            ),
            (
                "info",
                vec![
                    json!({}),
                    json!({"title": "", "version": ""}),
                    json!({"title": "🦀\n\"", "version": "1", "description": "```"}),
                ],
            ),
            (
                "servers",
                vec![
                    json!([]),
                    json!([{"url": ""}]),
                    json!([{"url": "{a}"}]),
                    json!([{"url": "https://x/{a}", "variables": {"a": {"default": "", "enum": []}}}]),
                    json!([{"url": "https://x/{a}", "variables": {"a": {"default": "b", "enum": ["c"]}}}]),
                    json!([{"url": "https://{a}{a}.test/{}", "variables": {"a": {"default": "x"}, "": {"default": "y"}}}]),
                    json!([{"url": "a", "x-speakeasy-server-id": "a"}, {"url": "b", "x-speakeasy-server-id": "a"}]),
                    json!([{"url": "a"}, {"url": "b"}]),
                    json!([{"url": "https://{unclosed.test"}]),
                    json!([{"url": "https://x.test/}{"}]),
                ],
            ),
            (
                "security",
                vec![
                    json!([]),
                    json!([{}]),
                    json!([{"bearerAuth": []}, {"other": []}]),
                    json!([{"missing": []}]),
                ],
            ),
            (
                "tags",
                vec![
                    json!([]),
                    json!([{"name": ""}]),
                    json!([{"name": "a"}, {"name": "a"}]),
                ],
            ),
            (
                "components",
                vec![
                    json!({}),
                    json!({"schemas": {}}),
                    json!({"securitySchemes": {"a": {"type": "apiKey", "in": "header", "name": "X-Key"}}}),
                    json!({"securitySchemes": {"a": {"type": "oauth2", "flows": {}}}}),
                    json!({"securitySchemes": {"a": {"type": "http", "scheme": "basic"}}}),
                    json!({"securitySchemes": {"a": {"type": "openIdConnect", "openIdConnectUrl": ""}}}),
                    json!({"securitySchemes": {"bearerAuth": {"type": "mutualTLS"}}}),
                    json!({"parameters": {"X": {"name": "x", "in": "query"}}}),
                ],
            ),
            (
                "x-speakeasy-globals",
                vec![
                    json!({"parameters": [{"name": "x", "in": "header", "schema": {"type": "string"}}]}),
                ],
            ),
            ("webhooks", vec![json!({})]),
            ("jsonSchemaDialect", vec![json!("x")]),
        ],
    }
}

fn index() -> impl Strategy<Value = usize> {
    0..10_000usize
}

fn weird() -> impl Strategy<Value = &'static str> {
    prop::sample::select(WEIRD)
}

fn filler() -> impl Strategy<Value = Filler> {
    prop_oneof![
        Just(Filler::Null),
        Just(Filler::True),
        Just(Filler::False),
        prop::sample::select(vec![0i64, -1, 1, 3, 200, i64::MIN, i64::MAX])
            .prop_map(Filler::Number),
        Just(Filler::Float),
        Just(Filler::Huge),
        weird().prop_map(Filler::Text),
        Just(Filler::EmptyObject),
        Just(Filler::EmptyArray),
    ]
}

fn name_site() -> impl Strategy<Value = NameSite> {
    prop_oneof![
        any::<bool>().prop_map(|required| NameSite::Property { required }),
        Just(NameSite::RenameProperty),
        Just(NameSite::EnumValue),
        Just(NameSite::OperationId),
        Just(NameSite::Group),
        Just(NameSite::OperationNameOverride),
        Just(NameSite::SchemaNameOverride),
        Just(NameSite::ParameterName),
        Just(NameSite::SchemaName),
        Just(NameSite::ServerId),
        Just(NameSite::ServerVariable),
        Just(NameSite::Status),
        Just(NameSite::ContentType),
        Just(NameSite::PathTemplate),
        Just(NameSite::Tag),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let ref_target = prop_oneof![
        Just(RefTarget::Dangling),
        index().prop_map(RefTarget::Other),
        Just(RefTarget::ItSelf),
        prop::sample::select(ODD_REFS).prop_map(RefTarget::Odd),
    ];
    let extension = prop::sample::select(vec![
        Extension::Pagination,
        Extension::Retries,
        Extension::NameOverride,
        Extension::Ignore,
        Extension::UnknownValues,
        Extension::Globals,
    ]);
    let nesting = prop::sample::select(vec![
        Nesting::ArrayItems,
        Nesting::AnyOf,
        Nesting::Property,
        Nesting::Map,
        Nesting::Plain,
        Nesting::List,
    ]);
    let combinator = prop::sample::select(vec![Combinator::AnyOf, Combinator::OneOf]);
    let keyword_site = prop::sample::select(vec![
        KeywordSite::Schema,
        KeywordSite::Schema,
        KeywordSite::Schema,
        KeywordSite::Parameter,
        KeywordSite::Operation,
        KeywordSite::Operation,
        KeywordSite::Response,
        KeywordSite::Root,
    ]);
    prop_oneof![
        2 => index().prop_map(|node| Mutation::Delete { node }),
        1 => (index(), filler()).prop_map(|(node, with)| Mutation::Replace { node, with }),
        1 => (index(), weird()).prop_map(|(node, to)| Mutation::RenameKey { node, to }),
        1 => (index(), index()).prop_map(|(from, to)| Mutation::Copy { from, to }),
        3 => (index(), ref_target).prop_map(|(node, to)| Mutation::Ref { node, to }),
        1 => (index(), index()).prop_map(|(from, to)| Mutation::DuplicateOperationId { from, to }),
        8 => (name_site(), index(), weird())
            .prop_map(|(site, node, name)| Mutation::Name { site, node, name }),
        3 => (index(), index()).prop_map(|(node, to)| Mutation::SetType { node, to }),
        2 => (index(), combinator, any::<bool>())
            .prop_map(|(node, with, null_first)| Mutation::WrapNull { node, with, null_first }),
        3 => (index(), extension, index())
            .prop_map(|(node, which, value)| Mutation::Extension { node, which, value }),
        1 => (index(), 1..=160usize, nesting)
            .prop_map(|(node, depth, how)| Mutation::Nest { node, depth, how }),
        8 => (keyword_site, index(), index(), index()).prop_map(|(site, node, keyword, value)| {
            Mutation::Keyword { site, node, keyword, value }
        }),
    ]
}

/// Applies one mutation; returns what it did (with JSON pointers), for the failure report.
fn apply(doc: &mut Value, m: &Mutation) -> String {
    let skipped = |what: &str| format!("(skipped: no {what})");
    match m {
        Mutation::Delete { node } => match pick(doc, Kind::Any, *node) {
            Some(p) => {
                delete(doc, &p);
                format!("delete {}", pointer(&p))
            }
            None => skipped("node"),
        },
        Mutation::Replace { node, with } => match pick(doc, Kind::Any, *node) {
            Some(p) => {
                if let Some(slot) = get_mut(doc, &p) {
                    *slot = with.value();
                }
                format!("replace {} with {}", pointer(&p), with.value())
            }
            None => skipped("node"),
        },
        Mutation::RenameKey { node, to } => match pick(doc, Kind::Keyed, *node) {
            Some(p) => {
                rename(doc, &p, to);
                format!("rename {} to {to:?}", pointer(&p))
            }
            None => skipped("key"),
        },
        Mutation::Copy { from, to } => {
            match (pick(doc, Kind::Any, *from), pick(doc, Kind::Any, *to)) {
                (Some(f), Some(t)) => {
                    let value = get(doc, &f).cloned().unwrap_or(Value::Null);
                    if let Some(slot) = get_mut(doc, &t) {
                        *slot = value;
                    }
                    format!("copy {} over {}", pointer(&f), pointer(&t))
                }
                _ => skipped("node"),
            }
        }
        Mutation::Ref { node, to } => {
            let Some(p) = pick(doc, Kind::Ref, *node) else {
                return skipped("$ref");
            };
            let components = nodes_of(doc, Kind::ComponentSchema);
            let name_of = |c: &NodePath| key(c, 0).unwrap_or_default().to_owned();
            let target = match to {
                RefTarget::Dangling => schema_ref("DoesNotExist"),
                RefTarget::Odd(r) => (*r).to_owned(),
                RefTarget::Other(i) if !components.is_empty() => {
                    schema_ref(&name_of(&components[i % components.len()]))
                }
                RefTarget::Other(_) => schema_ref("NoComponents"),
                RefTarget::ItSelf => {
                    let inside = components.iter().find(|c| p.starts_with(c));
                    match (inside, components.first()) {
                        (Some(c), _) => schema_ref(&name_of(c)),
                        (None, Some(c)) => {
                            // A component that is nothing but a reference to itself.
                            let r = schema_ref(&name_of(c));
                            if let Some(slot) = get_mut(doc, c) {
                                *slot = json!({ "$ref": r });
                            }
                            r
                        }
                        (None, None) => schema_ref("NoComponents"),
                    }
                }
            };
            set(doc, &p, "$ref", json!(target));
            format!("set {}/$ref to {target:?}", pointer(&p))
        }
        Mutation::DuplicateOperationId { from, to } => {
            let ops = nodes_of(doc, Kind::Operation);
            if ops.len() < 2 {
                return skipped("two operations");
            }
            let f = &ops[from % ops.len()];
            let mut t = &ops[to % ops.len()];
            if t == f {
                t = &ops[(to + 1) % ops.len()];
            }
            let id = get(doc, f)
                .and_then(|o| o.get("operationId"))
                .cloned()
                .unwrap_or(json!("duplicate"));
            set(doc, f, "operationId", id.clone());
            set(doc, t, "operationId", id.clone());
            format!("operationId {id} on {} and {}", pointer(f), pointer(t))
        }
        Mutation::Name { site, node, name } => name_at(doc, *site, *node, name),
        Mutation::Keyword {
            site,
            node,
            keyword,
            value,
        } => {
            let table = keywords(*site);
            let (k, values) = &table[keyword % table.len()];
            let v = values[value % values.len()].clone();
            let at = match site {
                KeywordSite::Schema => pick(doc, Kind::Schema, *node),
                KeywordSite::Parameter => pick(doc, Kind::Parameter, *node),
                KeywordSite::Operation => pick(doc, Kind::Operation, *node),
                KeywordSite::Response => pick(doc, Kind::Response, *node),
                KeywordSite::Root => Some(Vec::new()),
            };
            match at {
                Some(p) => {
                    set(doc, &p, k, v.clone());
                    let shown: String = v.to_string().chars().take(200).collect();
                    format!("set {}/{k} to {shown}", pointer(&p))
                }
                None => skipped("place for the keyword"),
            }
        }
        Mutation::SetType { node, to } => match pick(doc, Kind::Schema, *node) {
            Some(p) => {
                let value = type_value(*to);
                set(doc, &p, "type", value.clone());
                format!("set {}/type to {value}", pointer(&p))
            }
            None => skipped("schema"),
        },
        Mutation::WrapNull {
            node,
            with,
            null_first,
        } => match pick(doc, Kind::Schema, *node) {
            Some(p) => {
                let keyword = match with {
                    Combinator::AnyOf => "anyOf",
                    Combinator::OneOf => "oneOf",
                };
                if let Some(slot) = get_mut(doc, &p) {
                    let inner = slot.take();
                    let null = json!({"type": "null"});
                    let items = if *null_first {
                        vec![null, inner]
                    } else {
                        vec![inner, null]
                    };
                    *slot = json!({ keyword: items });
                }
                format!("wrap {} in {keyword} with null", pointer(&p))
            }
            None => skipped("schema"),
        },
        Mutation::Extension { node, which, value } => {
            let kind = match which {
                Extension::Pagination | Extension::Retries | Extension::NameOverride => {
                    Kind::Operation
                }
                Extension::Ignore => {
                    if node % 2 == 0 {
                        Kind::Operation
                    } else {
                        Kind::Schema
                    }
                }
                Extension::UnknownValues => Kind::Schema,
                Extension::Globals => {
                    let v = extension_value(*which, *value, doc);
                    if let Some(Value::Object(map)) = Some(&mut *doc) {
                        map.insert("x-speakeasy-globals".into(), v.clone());
                    }
                    return format!("set /x-speakeasy-globals to {v}");
                }
            };
            match pick(doc, kind, *node) {
                Some(p) => {
                    let v = extension_value(*which, *value, doc);
                    let k = extension_key(*which);
                    set(doc, &p, k, v.clone());
                    format!("set {}/{k} to {v}", pointer(&p))
                }
                None => skipped("place for the extension"),
            }
        }
        Mutation::Nest { node, depth, how } => {
            let kind = match how {
                Nesting::Plain | Nesting::List => Kind::Any,
                _ => Kind::Schema,
            };
            match pick(doc, kind, *node) {
                Some(p) => {
                    if let Some(slot) = get_mut(doc, &p) {
                        let mut inner = slot.take();
                        for _ in 0..*depth {
                            inner = match how {
                                Nesting::ArrayItems => json!({"type": "array", "items": inner}),
                                Nesting::AnyOf => json!({"anyOf": [inner, {"type": "string"}]}),
                                Nesting::Property => {
                                    json!({"type": "object", "properties": {"a": inner}})
                                }
                                Nesting::Map => {
                                    json!({"type": "object", "additionalProperties": inner})
                                }
                                Nesting::Plain => json!({ "a": inner }),
                                Nesting::List => json!([inner]),
                            };
                        }
                        *slot = inner;
                    }
                    format!("nest {} {depth} levels deep ({how:?})", pointer(&p))
                }
                None => skipped("node"),
            }
        }
    }
}

fn name_at(doc: &mut Value, site: NameSite, node: usize, name: &str) -> String {
    let skipped = |what: &str| format!("(skipped: no {what})");
    let set_key = |doc: &mut Value, kind: Kind, key: &str| match pick(doc, kind, node) {
        Some(p) => {
            set(doc, &p, key, json!(name));
            format!("set {}/{key} to {name:?}", pointer(&p))
        }
        None => skipped(key),
    };
    let rename_at = |doc: &mut Value, kind: Kind| match pick(doc, kind, node) {
        Some(p) => {
            rename(doc, &p, name);
            format!("rename {} to {name:?}", pointer(&p))
        }
        None => skipped("node to rename"),
    };
    match site {
        NameSite::Property { required } => {
            let Some(p) = pick(doc, Kind::Properties, node) else {
                return skipped("properties");
            };
            set(doc, &p, name, json!({"type": "string"}));
            if required {
                let parent = &p[..p.len() - 1];
                if let Some(Value::Object(schema)) = get_mut(doc, parent) {
                    match schema.entry("required").or_insert_with(|| json!([])) {
                        Value::Array(list) => list.push(json!(name)),
                        other => *other = json!([name]),
                    }
                }
            }
            format!(
                "add property {name:?} to {} (required: {required})",
                pointer(&p)
            )
        }
        NameSite::RenameProperty => {
            let props: Vec<NodePath> = nodes_of(doc, Kind::Keyed)
                .into_iter()
                .filter(|p| is_key(p, 1, "properties"))
                .collect();
            if props.is_empty() {
                return skipped("property");
            }
            let p = props[node % props.len()].clone();
            rename(doc, &p, name);
            format!("rename property {} to {name:?}", pointer(&p))
        }
        NameSite::EnumValue => match pick(doc, Kind::Enum, node) {
            Some(p) => {
                if let Some(Value::Array(values)) = get_mut(doc, &p) {
                    values.push(json!(name));
                }
                format!("add {name:?} to {}", pointer(&p))
            }
            None => skipped("enum"),
        },
        NameSite::OperationId => set_key(doc, Kind::Operation, "operationId"),
        NameSite::Group => set_key(doc, Kind::Operation, "x-speakeasy-group"),
        NameSite::OperationNameOverride => {
            set_key(doc, Kind::Operation, "x-speakeasy-name-override")
        }
        NameSite::SchemaNameOverride => set_key(doc, Kind::Schema, "x-speakeasy-name-override"),
        NameSite::ParameterName => set_key(doc, Kind::Parameter, "name"),
        NameSite::ServerId => set_key(doc, Kind::Server, "x-speakeasy-server-id"),
        NameSite::Tag => match pick(doc, Kind::Operation, node) {
            Some(p) => {
                set(doc, &p, "tags", json!([name]));
                format!("set {}/tags to [{name:?}]", pointer(&p))
            }
            None => skipped("operation"),
        },
        NameSite::SchemaName => {
            let Some(p) = pick(doc, Kind::ComponentSchema, node) else {
                return skipped("component schema");
            };
            let old = schema_ref(key(&p, 0).unwrap_or_default());
            let new = schema_ref(name);
            rename(doc, &p, name);
            for r in nodes_of(doc, Kind::Ref) {
                if get(doc, &r).and_then(|v| v.get("$ref")) == Some(&json!(old)) {
                    set(doc, &r, "$ref", json!(new));
                }
            }
            format!(
                "rename component {} to {name:?} with its references",
                pointer(&p)
            )
        }
        NameSite::ServerVariable => {
            let vars: Vec<NodePath> = nodes_of(doc, Kind::Keyed)
                .into_iter()
                .filter(|p| p.len() == 4 && is_key(p, 3, "servers") && is_key(p, 1, "variables"))
                .collect();
            if vars.is_empty() {
                return skipped("server variable");
            }
            let p = vars[node % vars.len()].clone();
            let old = key(&p, 0).unwrap_or_default().to_owned();
            rename(doc, &p, name);
            // Also in the URL, so that the variable stays in use.
            let url = [&p[..2], &[Step::Key("url".into())]].concat();
            if let Some(Value::String(u)) = get_mut(doc, &url) {
                *u = u.replace(&format!("{{{old}}}"), &format!("{{{name}}}"));
            }
            format!("rename server variable {} to {name:?}", pointer(&p))
        }
        NameSite::Status => rename_at(doc, Kind::Response),
        NameSite::ContentType => rename_at(doc, Kind::MediaType),
        NameSite::PathTemplate => {
            let Some(p) = pick(doc, Kind::PathItem, node) else {
                return skipped("path");
            };
            let old = key(&p, 0).unwrap_or_default().to_owned();
            let new = match node % 4 {
                0 => name.to_owned(),
                1 => format!("/{name}"),
                2 => format!("{old}/{{{name}}}"),
                _ => format!("/x/{{{name}}}/{{{name}}}"),
            };
            rename(doc, &p, &new);
            format!("rename path {} to {new:?}", pointer(&p))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Overlay actions

#[derive(Debug, Clone)]
enum Target {
    /// The normalized path of an existing node.
    Node(usize),
    /// A child of an existing node that is not there.
    Missing(usize, &'static str),
    /// A query: wildcards, descendants, filters, slices.
    Query(&'static str),
    /// Not a valid JSONPath.
    Invalid(&'static str),
}

const QUERIES: &[&str] = &[
    "$",
    "$.*",
    "$..*",
    "$..type",
    "$..['$ref']",
    "$.paths.*",
    "$.paths.*.*",
    "$.paths.*.*.responses.*",
    "$.paths.*.*.parameters[*]",
    "$.paths.*.*.parameters[0]",
    "$.paths.*.*.parameters[-1]",
    "$.components.schemas.*",
    "$.components.schemas.*.properties",
    "$.components.schemas.*.properties.*",
    "$..properties",
    "$..enum",
    "$..items",
    "$..[?@.type == 'string']",
    "$..[?@.type == 'object']",
    "$..[?@['$ref']]",
    "$..[?length(@) > 1]",
    "$..[?match(@.operationId, '.*')]",
    "$..[?search(@, 'a')]",
    "$.paths[?@.get]",
    "$.servers[0:10:2]",
    "$.servers[::-1]",
    "$.servers[0:0]",
    "$['paths', 'components']",
    "$['paths','paths']",
    "$.info",
    "$.info.title",
    "$.openapi",
    "$..description",
    "$..required",
    "$..required[0]",
    "$..anyOf[*]",
    "$..x-speakeasy-group",
    "$..operationId",
];

const INVALID_TARGETS: &[&str] = &[
    "",
    " ",
    "$.",
    "$..",
    "$.paths[",
    "$[",
    "paths",
    "$[?@.a ==]",
    "$['unterminated",
    "$[-0]",
    "$[01]",
    "$[9999999999999999999999]",
    "$[0:10:0]",
    "$.🦀",
    "$[?foo(@)]",
    "$[?length(@.a, @.b)]",
    "$[?@ == @]",
    "$..[?@.a]]",
    "@",
    "$$",
    "$.a.b.c.d.e.f",
    "$[\"a\"]",
    "$['\\u0000']",
    "$[?count(@.*) == 1]",
    "$[?value(@..x) == 1]",
    "$[?match(@, '[')]",
    "$[?match(@, '(a+)+$')]",
    "$[?search(@, '\\\\')]",
];

/// Update values: schema fragments and plain values.
fn update_value(index: usize) -> Value {
    let values = [
        json!({"type": "foo"}),
        json!({"$ref": "#/components/schemas/DoesNotExist"}),
        json!({"properties": {"type": {"type": "string"}, "": {"type": "string"}}}),
        json!({"enum": []}),
        json!({"enum": ["", "🦀", "type", 1, null]}),
        json!({"type": ["string", "null"]}),
        json!({"anyOf": [{"type": "null"}]}),
        json!({"oneOf": []}),
        json!({"allOf": [{"type": "object"}]}),
        json!({"operationId": "self"}),
        json!({"x-speakeasy-group": "a..b"}),
        json!({"x-speakeasy-pagination": {}}),
        json!({"x-speakeasy-retries": {"strategy": "backoff", "statusCodes": ["abc"]}}),
        json!({"required": ["missing"]}),
        json!({"items": {}}),
        json!({"additionalProperties": true}),
        json!({"const": 1}),
        json!({"discriminator": {"propertyName": "type", "mapping": {"a": "#/x"}}}),
        json!({"responses": {}}),
        json!({"parameters": [{"name": "x", "in": "query"}]}),
        json!({"servers": [{"url": "{a}{a}"}]}),
        json!({"servers": [{"url": ""}]}),
        json!([1, 2]),
        json!([]),
        json!({}),
        json!("string"),
        json!(42),
        json!(true),
        json!(null),
    ];
    values[index % values.len()].clone()
}

#[derive(Debug, Clone)]
struct ActionSpec {
    target: Target,
    /// `None`: `remove: true`.
    update: Option<usize>,
    optional: bool,
    /// Bypassing `parse`: both `update` and `remove: true`.
    both: bool,
}

#[derive(Debug, Clone)]
struct OverlayCase {
    seed: usize,
    actions: Vec<ActionSpec>,
    /// Write the overlay as text and read it with `overlay::parse` (else build it directly).
    through_parse: bool,
    /// Mutations of the overlay document itself (only through `parse`).
    overlay_mutations: Vec<Mutation>,
    /// Mutations of the spec after the overlay applied.
    spec_mutations: Vec<Mutation>,
}

fn action_spec() -> impl Strategy<Value = ActionSpec> {
    let target = prop_oneof![
        6 => index().prop_map(Target::Node),
        1 => (index(), weird()).prop_map(|(i, w)| Target::Missing(i, w)),
        3 => prop::sample::select(QUERIES).prop_map(Target::Query),
        1 => prop::sample::select(INVALID_TARGETS).prop_map(Target::Invalid),
    ];
    (
        target,
        prop::option::weighted(0.7, index()),
        any::<bool>(),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(target, update, optional, both)| ActionSpec {
            target,
            update,
            optional,
            both,
        })
}

fn overlay_case(seeds: usize) -> impl Strategy<Value = OverlayCase> {
    (
        0..seeds,
        prop::collection::vec(action_spec(), 1..6),
        prop::bool::weighted(0.7),
        prop::collection::vec(mutation(), 0..3),
        prop::collection::vec(mutation(), 0..2),
    )
        .prop_map(
            |(seed, actions, through_parse, overlay_mutations, spec_mutations)| OverlayCase {
                seed,
                actions,
                through_parse,
                overlay_mutations,
                spec_mutations,
            },
        )
}

fn target_text(doc: &Value, target: &Target) -> String {
    match target {
        Target::Node(i) => pick(doc, Kind::Any, *i).map_or_else(|| "$".into(), |p| json_path(&p)),
        Target::Missing(i, w) => {
            let base = pick(doc, Kind::Any, *i).map_or_else(|| "$".into(), |p| json_path(&p));
            format!("{base}{}", &json_path(&[Step::Key((*w).to_owned())])[1..])
        }
        Target::Query(q) | Target::Invalid(q) => (*q).to_owned(),
    }
}

/// Runs one overlay case; returns whether the passes produced a crate, and a log of what it did.
fn run_overlay_case(case: &OverlayCase, inputs: &Inputs, log: &mut Vec<String>) -> bool {
    let seed = &inputs.seeds[case.seed % inputs.seeds.len()];
    log.push(format!("spec {}", seed.name));
    let mut doc = seed.doc.clone();
    let actions: Vec<Action> = case
        .actions
        .iter()
        .map(|a| Action {
            target: target_text(&doc, &a.target),
            description: None,
            update: a.update.map(update_value),
            remove: a.update.is_none() || a.both,
            optional: a.optional,
        })
        .collect();
    let overlay = if case.through_parse {
        let raw: Vec<Value> = actions
            .iter()
            .map(|a| {
                let mut action = Map::new();
                action.insert("target".into(), json!(a.target));
                if let Some(u) = &a.update {
                    action.insert("update".into(), u.clone());
                }
                if a.remove {
                    action.insert("remove".into(), json!(true));
                }
                if a.optional {
                    action.insert("x-optional".into(), json!(true));
                }
                Value::Object(action)
            })
            .collect();
        let mut file = json!({
            "overlay": "1.0.0",
            "info": {"title": "fuzz", "version": "1"},
            "actions": raw,
        });
        for m in &case.overlay_mutations {
            log.push(format!("overlay file: {}", apply(&mut file, m)));
        }
        // JSON is YAML.
        let text = file.to_string();
        log.push(format!("overlay file: {text}"));
        match overlay::parse("fuzz.yaml", &text) {
            Ok(o) => o,
            Err(e) => return rejected(&e),
        }
    } else {
        log.push(format!("overlay actions: {actions:?}"));
        Overlay {
            file: "fuzz.yaml".into(),
            info: OverlayInfo {
                title: "fuzz".into(),
                version: "1".into(),
            },
            actions,
        }
    };
    if let Err(e) = overlay::apply(&mut doc, &overlay) {
        return rejected(&e);
    }
    for m in &case.spec_mutations {
        log.push(apply(&mut doc, m));
    }
    generate(&doc, None, &[], &inputs.statics)
}

// ---------------------------------------------------------------------------------------------
// Spec mutation cases

#[derive(Debug, Clone)]
struct SpecCase {
    seed: usize,
    mutations: Vec<Mutation>,
    /// `checkout_session_operation`: none, an operation of the spec (by index), or a weird name.
    checkout: Option<Result<usize, &'static str>>,
    /// Pointers listed as known-invalid examples (`spec/invalid-examples.toml`): an example of
    /// the spec (by index) or any node.
    invalid_examples: Vec<Result<usize, usize>>,
}

fn spec_case(seeds: usize) -> impl Strategy<Value = SpecCase> {
    let checkout = prop::option::weighted(
        0.2,
        prop_oneof![index().prop_map(Ok), weird().prop_map(Err)],
    );
    let invalid_examples = prop::collection::vec(
        prop_oneof![3 => index().prop_map(Ok), 1 => index().prop_map(Err)],
        0..3,
    );
    (
        0..seeds,
        prop::collection::vec(mutation(), 1..8),
        checkout,
        invalid_examples,
    )
        .prop_map(|(seed, mutations, checkout, invalid_examples)| SpecCase {
            seed,
            mutations,
            checkout,
            invalid_examples,
        })
}

fn run_spec_case(case: &SpecCase, inputs: &Inputs, log: &mut Vec<String>) -> bool {
    let seed = &inputs.seeds[case.seed % inputs.seeds.len()];
    log.push(format!("spec {}", seed.name));
    let mut doc = seed.doc.clone();
    for m in &case.mutations {
        log.push(apply(&mut doc, m));
    }
    let checkout = match &case.checkout {
        None => None,
        Some(Err(name)) => Some((*name).to_owned()),
        Some(Ok(i)) => {
            let ids: Vec<String> = nodes_of(&doc, Kind::Operation)
                .iter()
                .filter_map(|p| {
                    get(&doc, p)?
                        .get("operationId")?
                        .as_str()
                        .map(str::to_owned)
                })
                .collect();
            (!ids.is_empty()).then(|| ids[i % ids.len()].clone())
        }
    };
    if let Some(c) = &checkout {
        log.push(format!("checkout_session_operation = {c:?}"));
    }
    let examples: Vec<NodePath> = all_nodes(&doc)
        .into_iter()
        .filter(|p| is_key(p, 1, "examples"))
        .collect();
    let invalid_examples: Vec<String> = case
        .invalid_examples
        .iter()
        .filter_map(|choice| match choice {
            Ok(i) if !examples.is_empty() => Some(pointer(&examples[i % examples.len()])),
            Ok(_) => None,
            Err(i) => pick(&doc, Kind::Any, *i).map(|p| pointer(&p)),
        })
        .collect();
    if !invalid_examples.is_empty() {
        log.push(format!("invalid examples: {invalid_examples:?}"));
    }
    generate(
        &doc,
        checkout.as_deref(),
        &invalid_examples,
        &inputs.statics,
    )
}

// ---------------------------------------------------------------------------------------------
// The runner: quiet panics, batches, the summary

thread_local! {
    /// Set on the thread running cases: its panics are recorded here instead of printed.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The panic hook that was installed before ours, and how many runners use ours.
static HOOK: Mutex<(usize, Option<Arc<Hook>>)> = Mutex::new((0, None));

/// While alive, panics on threads that set [`CATCHING`] are recorded rather than printed; other
/// threads (other tests) keep the previous hook. The previous hook is put back when the last guard
/// is dropped.
struct QuietPanics;

impl QuietPanics {
    fn install() -> Self {
        let mut hook = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        if hook.0 == 0 {
            let previous: Arc<Hook> = Arc::new(std::panic::take_hook());
            let fallback = Arc::clone(&previous);
            std::panic::set_hook(Box::new(move |info| {
                if CATCHING.with(Cell::get) {
                    let message = info
                        .payload()
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| info.payload().downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "(a panic without a message)".into());
                    let location = info
                        .location()
                        .map_or_else(String::new, |l| format!(" at {l}"));
                    CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{message}{location}")));
                } else {
                    fallback(info);
                }
            }));
            hook.1 = Some(previous);
        }
        hook.0 += 1;
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        let mut hook = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        hook.0 -= 1;
        if hook.0 == 0
            && let Some(previous) = hook.1.take()
        {
            drop(std::panic::take_hook());
            std::panic::set_hook(Box::new(move |info| previous(info)));
        }
    }
}

/// Runs `f`, turning a panic into `Err(message)`.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with(|c| c.set(true));
    CAUGHT.with(|c| c.borrow_mut().take());
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(false));
    result.map_err(|_| {
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "(no message recorded)".into())
    })
}

/// SplitMix64: batch seeds from the base seed.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn rng(seed: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&mix(seed.wrapping_add(i as u64)).to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// `GR4VY_FUZZ_SECONDS`, if set: the time-boxed mode.
fn budget() -> Option<Duration> {
    let text = std::env::var("GR4VY_FUZZ_SECONDS").ok()?;
    let seconds: f64 = text
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("GR4VY_FUZZ_SECONDS={text:?} is not a number of seconds"));
    Some(Duration::from_secs_f64(seconds.max(0.0)))
}

fn base_seed() -> u64 {
    match std::env::var("GR4VY_FUZZ_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("GR4VY_FUZZ_SEED={text:?} is not an unsigned integer")),
        Err(_) if budget().is_some() => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(DEFAULT_SEED, |d| d.as_nanos() as u64),
        Err(_) => DEFAULT_SEED,
    }
}

/// `GR4VY_FUZZ_BATCH`: the batch to start at (a crash report names its batch), else 0.
fn first_batch() -> u64 {
    std::env::var("GR4VY_FUZZ_BATCH").map_or(0, |text| {
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("GR4VY_FUZZ_BATCH={text:?} is not an unsigned integer"))
    })
}

/// Counts of one target's outcomes.
#[derive(Debug, Default)]
struct Counts {
    executions: Cell<u64>,
    generated: Cell<u64>,
}

/// Watches for a case that never ends: prints it and ends the process (a hang cannot be caught).
struct Watchdog {
    current: Arc<Mutex<Option<(Instant, String)>>>,
}

impl Watchdog {
    fn start(target: &'static str, base: u64) -> Self {
        let current: Arc<Mutex<Option<(Instant, String)>>> = Arc::default();
        let watched = Arc::downgrade(&current);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let Some(current) = watched.upgrade() else {
                    return;
                };
                let guard = current.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((start, case)) = guard.as_ref()
                    && start.elapsed() > HANG
                {
                    eprintln!(
                        "fuzz {target}: a case has run for {:?} (base seed {base}), a hang:\n{case}",
                        start.elapsed()
                    );
                    std::process::exit(101);
                }
            }
        });
        Watchdog { current }
    }

    fn begin(&self, case: &dyn Debug) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), format!("{case:#?}")));
    }

    fn end(&self) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Runs a target: [`QUICK_CASES`] cases, or batches until `GR4VY_FUZZ_SECONDS` are up. Panics
/// (failing the test) with the minimal case when a run panics.
fn fuzz<S>(
    target: &'static str,
    strategy: fn(usize) -> S,
    run: fn(&S::Value, &Inputs, &mut Vec<String>) -> bool,
) where
    S: Strategy,
    S::Value: Debug,
{
    // The cases run on a thread with a main thread's stack.
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(format!("fuzz {target}"))
            .stack_size(STACK)
            .spawn_scoped(scope, || run_target(target, strategy, run))
            .expect("the fuzz thread starts")
            .join()
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(report)) => panic!("{report}"),
        Err(_) => panic!("fuzz {target}: the fuzz thread itself panicked"),
    }
}

/// The body of [`fuzz`]: the summary line, or the report of a crash.
fn run_target<S>(
    target: &'static str,
    strategy: fn(usize) -> S,
    run: fn(&S::Value, &Inputs, &mut Vec<String>) -> bool,
) -> Result<(), String>
where
    S: Strategy,
    S::Value: Debug,
{
    let budget = budget();
    let base = base_seed();
    let inputs = inputs();
    let strategy = strategy(inputs.seeds.len());
    let _quiet = QuietPanics::install();
    let watchdog = Watchdog::start(target, base);
    let counts = Counts::default();
    let start = Instant::now();
    let mut batch = first_batch();
    if budget.is_some() {
        println!(
            "fuzz {target}: base seed {base}, {} specs",
            inputs.seeds.len()
        );
    }
    loop {
        let config = Config {
            cases: if budget.is_some() {
                BATCH_CASES
            } else {
                QUICK_CASES
            },
            failure_persistence: None,
            max_shrink_iters: 4096,
            ..Config::default()
        };
        let mut runner = TestRunner::new_with_rng(config, rng(mix(base ^ mix(batch))));
        let result = runner.run(&strategy, |case| {
            counts.executions.set(counts.executions.get() + 1);
            watchdog.begin(&case);
            let mut log = Vec::new();
            let outcome = catch(|| run(&case, &inputs, &mut log));
            watchdog.end();
            match outcome {
                Ok(generated) => {
                    counts
                        .generated
                        .set(counts.generated.get() + u64::from(generated));
                    Ok(())
                }
                Err(panic) => Err(TestCaseError::fail(format!(
                    "panicked: {panic}\nmutations applied:\n  {}",
                    log.join("\n  ")
                ))),
            }
        });
        let elapsed = start.elapsed().as_secs_f64();
        let executions = counts.executions.get();
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, case)) => {
                println!(
                    "fuzz: {executions} executions in {elapsed:.1} s, 1 crash (base seed {base}) \
                     [{target}]"
                );
                let replay = if budget.is_some() {
                    format!(
                        "GR4VY_FUZZ_SEED={base} GR4VY_FUZZ_BATCH={batch} GR4VY_FUZZ_SECONDS=1 \
                         cargo test -p gr4vy-codegen --test fuzz"
                    )
                } else {
                    "cargo test -p gr4vy-codegen --test fuzz, which is deterministic".to_owned()
                };
                return Err(format!(
                    "fuzz {target}: the generator panicked (base seed {base}, batch {batch}; \
                     replay with {replay}).\nminimal case: {case:#?}\n{why}"
                ));
            }
            Err(TestError::Abort(why)) => {
                return Err(format!("fuzz {target}: proptest aborted: {why}"));
            }
        }
        batch += 1;
        if budget.is_none_or(|b| start.elapsed() >= b) {
            println!(
                "fuzz: {executions} executions in {elapsed:.1} s, 0 crashes (base seed {base}) \
                 [{target}: {} generated, {} rejected with an Error]",
                counts.generated.get(),
                executions - counts.generated.get()
            );
            return Ok(());
        }
    }
}

#[test]
fn fuzz_spec_mutations() {
    fuzz("spec mutations", spec_case, run_spec_case);
}

#[test]
fn fuzz_overlay_actions() {
    fuzz("overlay actions", overlay_case, run_overlay_case);
}

/// The mutations and the seed specs are themselves sound: every seed spec but the fixtures the
/// generator rejects by design generates, and a mutation changes the document.
#[test]
fn the_seeds_generate() {
    let inputs = inputs();
    let rejected_by_design = [
        "all_of",
        "const_non_string",
        "extra_properties",
        "extra_properties_component",
    ];
    for seed in &inputs.seeds {
        let options = Options {
            standalone: true,
            ..Options::default()
        };
        let result =
            pipeline::generate(&seed.doc, &config(None), "fuzz", &inputs.statics, &options);
        if rejected_by_design.contains(&seed.name.as_str()) {
            continue;
        }
        if let Err(e) = result {
            panic!("{}: {e}", seed.name);
        }
    }
    let checkout = config(Some("create_checkout_session"));
    let doc = yaml("EXTENSIONS_SEED", EXTENSIONS_SEED);
    let options = Options {
        standalone: true,
        ..Options::default()
    };
    let (api, _) = pipeline::generate(&doc, &checkout, "fuzz", &inputs.statics, &options)
        .unwrap_or_else(|e| panic!("EXTENSIONS_SEED with the checkout helper: {e}"));
    assert!(api.checkout_session_helper.is_some());
    assert!(api.operations.iter().any(|op| op.pagination.is_some()));
    assert!(api.operations.iter().any(|op| op.retries.is_some()));
}

// ---------------------------------------------------------------------------------------------
// Regression cases: minimal reproducers of panics the fuzzer found.

/// Runs the passes on `doc`, failing the test if they panic.
fn outcome(
    doc: &Value,
) -> gr4vy_codegen::Result<(gr4vy_codegen::ir::Api, gr4vy_codegen::output::Tree)> {
    let statics = inputs().statics;
    let _quiet = QuietPanics::install();
    let options = Options {
        standalone: true,
        ..Options::default()
    };
    catch(|| pipeline::generate(doc, &config(None), "fuzz", &statics, &options))
        .unwrap_or_else(|panic| panic!("the generator panics: {panic}"))
}

/// One `GET /things` returning a `Thing` with one property, `id`.
fn minimal_spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Minimal", "version": "1.0"},
        "servers": [{"url": "https://api.example.test", "x-speakeasy-server-id": "default"}],
        "paths": {"/things": {"get": {
            "operationId": "list_things",
            "x-speakeasy-group": "things",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/Thing"}}}}}
        }}},
        "components": {"schemas": {"Thing": {
            "type": "object",
            "properties": {"id": {"type": "string"}}
        }}}
    })
}

#[test]
fn the_minimal_spec_generates() {
    if let Err(e) = outcome(&minimal_spec()) {
        panic!("{e}");
    }
}

/// Found by `fuzz_spec_mutations` (a property named `a²` added to a fixture): heck keeps every
/// alphanumeric `char` in a name, and `²` is alphanumeric but not an identifier character, so the
/// emitter's `syn::Ident::new("a²")` panicked. Such characters are now dropped from the Rust name,
/// as `🦀` always was; the wire name keeps them.
#[test]
fn regression_property_name_with_a_non_identifier_alphanumeric() {
    for name in ["a²", "½", "٣x"] {
        let mut doc = minimal_spec();
        doc["components"]["schemas"]["Thing"]["properties"][name] = json!({"type": "string"});
        let (_, tree) = outcome(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let model = tree.get("src/models/thing.rs").expect("the model file");
        let model = String::from_utf8_lossy(model);
        // Written under its wire name, and read under it as bytes (`b"a\xC2\xB2"`).
        let bytes: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("\\x{b:02X}")
                }
            })
            .collect();
        assert!(
            model.contains(&format!("serialize_entry(\"{name}\""))
                && model.contains(&format!("b\"{bytes}\" =>")),
            "{name}:\n{model}"
        );
    }
}

/// Found by `fuzz_spec_mutations` (a response key renamed to `a/b`): the error-body enum's variant
/// `Statusa/b` was not an identifier and `syn::Ident::new` panicked. A response key that is not a
/// status is now an error at the key.
#[test]
fn regression_response_key_that_is_not_a_status() {
    let mut doc = minimal_spec();
    let responses = &mut doc["paths"]["/things"]["get"]["responses"];
    responses["a/b"] = json!({"description": "x", "content": {"application/json": {"schema": {"type": "string"}}}});
    let e = outcome(&doc)
        .map(|_| ())
        .expect_err("the generator accepts `a/b` as a status");
    assert_eq!(
        e.location,
        gr4vy_codegen::Location::Pointer("/paths/~1things/get/responses/a~1b".into())
    );
    assert!(e.message.contains("is not a response status"), "{e}");
    // The keys OpenAPI allows still pass.
    for status in ["default", "4XX", "5xx", "404"] {
        let mut doc = minimal_spec();
        doc["paths"]["/things"]["get"]["responses"][status] = json!({"description": "x"});
        if let Err(e) = outcome(&doc) {
            panic!("{status}: {e}");
        }
    }
}

/// Found while choosing the depths of `Mutation::Nest`: a schema nested 1000 levels deep (which
/// only overlay updates merged into deep nodes can produce; the JSON and YAML parsers stop at 128)
/// overflowed the stack in the passes, aborting the process. Nesting beyond
/// `spec::view::MAX_DEPTH` is now an error at the first node too deep.
#[test]
fn regression_nesting_deeper_than_the_parsers_allow() {
    let mut doc = minimal_spec();
    let mut inner = json!({"type": "string"});
    for _ in 0..1000 {
        inner = json!({"type": "array", "items": inner});
    }
    doc["components"]["schemas"]["Thing"]["properties"]["deep"] = inner;
    let e = outcome(&doc)
        .map(|_| ())
        .expect_err("the generator accepts 1000 levels");
    let gr4vy_codegen::Location::Pointer(at) = &e.location else {
        panic!("not at a pointer: {e}");
    };
    let prefix = "/components/schemas/Thing/properties/deep/items/";
    assert!(at.starts_with(prefix), "{e}");
    // The document is the first level, so the node too deep is the 129th.
    assert_eq!(
        at.matches('/').count(),
        gr4vy_codegen::spec::view::MAX_DEPTH,
        "{e}"
    );
    assert!(e.message.contains("more than 128 deep"), "{e}");
}
