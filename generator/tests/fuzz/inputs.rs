//! What the cases start from: the seed specs, the crate configuration, and [`generate`], the
//! passes after overlays with a panic for the one `Error` that is a bug.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gr4vy_codegen::emit::{Options, StaticFile};
use gr4vy_codegen::invalid_examples::Known;
use gr4vy_codegen::ir::CrateConfig;
use gr4vy_codegen::pipeline;
use serde_json::{Value, json};

use crate::tree::{Kind, get_mut, nodes_of};

/// A spec exercising what no fixture has: `x-speakeasy-pagination`, `x-speakeasy-retries`,
/// `x-speakeasy-globals`, security schemes, header and query parameters, a request body, and the
/// operation behind the checkout-session helper. It generates without error.
pub(crate) const EXTENSIONS_SEED: &str = r##"
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
pub(crate) struct Seed {
    pub(crate) name: String,
    pub(crate) doc: Value,
}

/// What every case shares: the seeds and the crate's hand-written sources.
pub(crate) struct Inputs {
    pub(crate) seeds: Vec<Seed>,
    pub(crate) statics: Vec<StaticFile>,
}

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator sits in the workspace")
        .to_path_buf()
}

pub(crate) fn yaml(name: &str, text: &str) -> Value {
    yaml_serde::from_str(text).unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"))
}

/// The YAML fenced in the public seed (see `tests/seed.rs`), if `../shared` is there.
pub(crate) fn seed_fragment() -> Option<Value> {
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

pub(crate) fn inputs() -> Inputs {
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

pub(crate) fn config(checkout: Option<&str>) -> CrateConfig {
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
pub(crate) fn rejected(e: &gr4vy_codegen::Error) -> bool {
    static VERBOSE: OnceLock<bool> = OnceLock::new();
    if *VERBOSE.get_or_init(|| std::env::var_os("GR4VY_FUZZ_VERBOSE").is_some()) {
        eprintln!("rejected: {e}");
    }
    false
}

/// The passes after overlays, in memory: `Ok(true)` if the crate was generated, `Ok(false)` if the
/// input was rejected with an `Error`.
pub(crate) fn generate(
    doc: &Value,
    checkout: Option<&str>,
    invalid_examples: &[String],
    statics: &[StaticFile],
) -> bool {
    let options = Options {
        standalone: true,
        invalid_examples: invalid_examples
            .iter()
            .map(|p| {
                let known = Known {
                    entry: format!("`#{p}`"),
                    reason: "fuzz".to_owned(),
                };
                (p.clone(), known)
            })
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
