//! Malformed input: each file in `tests/malformed/` (other than `base.yaml`) breaks a small valid
//! project in one way, and regen must fail with an error that says where and what to do, never
//! panic. The error text of every case is an insta snapshot (`snapshots/malformed__<case>.snap`),
//! so a reviewer reads exactly what a user would see.
//!
//! A case is YAML with a `why` and any of:
//!
//! - `spec_text`: the spec file's bytes, instead of `base.yaml`;
//! - `edits`: changes to `base.yaml`, in order: `{set: <pointer>, value: <any>}` or
//!   `{remove: <pointer>}` (RFC 6901 pointers; `set` adds or replaces one key or array item);
//! - `overlays`: overlay files (name -> text) for `spec/overlays/`;
//! - `pin`: `wrong-sha256` (the pin names another hash) or `no-mirror` (no copy of the spec exists);
//! - `generator_toml`: the text of `spec/generator.toml`, replacing a valid default.
//!
//! Each case runs the whole pipeline, as `cargo xtask regen` does, on a scratch project root.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use gr4vy_codegen::pipeline::{self, Options, SpecInput};
use gr4vy_codegen::spec::source::sha256_hex;
use gr4vy_codegen::{Error, Location};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    why: String,
    spec_text: Option<String>,
    #[serde(default)]
    edits: Vec<Edit>,
    #[serde(default)]
    overlays: std::collections::BTreeMap<String, String>,
    pin: Option<String>,
    generator_toml: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum Edit {
    Set { set: String, value: Value },
    Remove { remove: String },
}

const GENERATOR_TOML: &str = r#"[crate]
name = "malformed"
version = "0.0.0"
description = "A malformed-input case."
license = "MIT"
edition = "2024"
rust-version = "1.85"
"#;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

fn base() -> Value {
    let text = std::fs::read_to_string(dir().join("base.yaml")).expect("base.yaml is readable");
    yaml_serde::from_str(&text).expect("base.yaml is YAML")
}

/// Every case, sorted: (name, parsed case).
fn cases() -> Vec<(String, Case)> {
    let mut out: Vec<(String, Case)> = std::fs::read_dir(dir())
        .expect("tests/malformed is listable")
        .map(|entry| entry.expect("listable").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .filter(|path| path.file_stem().is_some_and(|s| s != "base"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let case: Case = yaml_serde::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a valid case: {e}", path.display()));
            assert!(!case.why.trim().is_empty(), "{name}: say why");
            (name, case)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Splits an RFC 6901 pointer into its unescaped tokens.
fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn apply(doc: &mut Value, edit: &Edit, case: &str) {
    let (pointer, value) = match edit {
        Edit::Set { set, value } => (set, Some(value.clone())),
        Edit::Remove { remove } => (remove, None),
    };
    let mut tokens = tokens(pointer);
    let last = tokens
        .pop()
        .unwrap_or_else(|| panic!("{case}: empty pointer"));
    let mut parent = &mut *doc;
    for token in &tokens {
        parent = match parent {
            Value::Object(map) => map.get_mut(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        }
        .unwrap_or_else(|| panic!("{case}: `{pointer}` has no parent in base.yaml"));
    }
    match (parent, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(last, value);
        }
        (Value::Object(map), None) => {
            map.remove(&last)
                .unwrap_or_else(|| panic!("{case}: nothing at `{pointer}`"));
        }
        (Value::Array(items), Some(value)) if last == "-" => items.push(value),
        (Value::Array(items), Some(value)) => items[last.parse::<usize>().unwrap()] = value,
        (Value::Array(items), None) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        _ => panic!("{case}: `{pointer}` is not inside an object or array"),
    }
}

/// A scratch project root holding the case: pin, mirror, overlays, config, (empty) templates.
fn project(name: &str, case: &Case) -> tempfile::TempDir {
    let root = tempfile::Builder::new()
        .prefix(&format!("gr4vy-malformed-{name}-"))
        .tempdir()
        .expect("a temp dir");
    let spec = root.path().join("spec");
    std::fs::create_dir_all(spec.join("overlays")).unwrap();
    std::fs::create_dir_all(root.path().join("templates/crate")).unwrap();
    let bytes = match &case.spec_text {
        Some(text) => text.clone().into_bytes(),
        None => {
            let mut doc = base();
            for edit in &case.edits {
                apply(&mut doc, edit, name);
            }
            serde_json::to_vec_pretty(&doc).unwrap()
        }
    };
    let sha256 = match case.pin.as_deref() {
        Some("wrong-sha256") => "0".repeat(64),
        None | Some("no-mirror") => sha256_hex(&bytes),
        Some(other) => panic!("{name}: unknown pin `{other}`"),
    };
    if case.pin.as_deref() != Some("no-mirror") {
        std::fs::write(spec.join("mirror.json"), &bytes).unwrap();
    }
    let source = format!(
        "[upstream]\nrepository = \"https://example.test/spec\"\ncommit = \"0000000\"\n\
         url = \"https://example.test/spec/openapi.json\"\nlicense = \"MIT\"\n\n\
         [pin]\nsha256 = \"{sha256}\"\ncache = \"spec/openapi.json\"\nmirrors = [\"spec/mirror.json\"]\n"
    );
    std::fs::write(spec.join("source.toml"), source).unwrap();
    std::fs::write(spec.join("audit.toml"), "").unwrap();
    let config = case.generator_toml.as_deref().unwrap_or(GENERATOR_TOML);
    std::fs::write(spec.join("generator.toml"), config).unwrap();
    // Regen wants at least one overlay; this one only touches `info`.
    let noop = "overlay: 1.0.0\ninfo:\n  title: base\n  version: \"1\"\nactions:\n  - target: $.info\n    update:\n      description: A malformed-input case.\n";
    std::fs::write(spec.join("overlays/00-base.yaml"), noop).unwrap();
    for (file, text) in &case.overlays {
        std::fs::write(spec.join("overlays").join(file), text).unwrap();
    }
    root
}

/// Runs regen on `root`, turning a panic into a test failure that names the case.
fn regen(name: &str, root: &Path) -> Result<pipeline::Regen, Error> {
    let options = Options {
        root: root.to_path_buf(),
        spec: SpecInput::Pinned,
        standalone: true,
    };
    std::panic::catch_unwind(AssertUnwindSafe(|| pipeline::regen(&options)))
        .unwrap_or_else(|_| panic!("{name}: regen panicked instead of returning an error"))
}

#[test]
fn base_spec_is_valid() {
    let case = Case {
        why: "the base".into(),
        spec_text: None,
        edits: Vec::new(),
        overlays: Default::default(),
        pin: None,
        generator_toml: None,
    };
    let root = project("base", &case);
    let regen =
        regen("base", root.path()).unwrap_or_else(|e| panic!("base.yaml must be valid: {e}"));
    assert!(regen.tree.get("src/operations/things.rs").is_some());
}

/// A UTF-8 byte order mark before the JSON (as some Windows editors save files) is skipped.
#[test]
fn a_byte_order_mark_before_the_json_is_skipped() {
    let json = serde_json::to_string_pretty(&base()).expect("base.yaml is JSON");
    let case = Case {
        why: "the base, saved with a byte order mark".into(),
        spec_text: Some(format!("\u{feff}{json}")),
        edits: Vec::new(),
        overlays: Default::default(),
        pin: None,
        generator_toml: None,
    };
    let root = project("bom", &case);
    let regen = regen("bom", root.path())
        .unwrap_or_else(|e| panic!("a spec with a byte order mark must be read: {e}"));
    assert!(regen.tree.get("src/operations/things.rs").is_some());
}

#[test]
fn every_malformed_input_is_an_error_with_a_location_and_a_snapshot() {
    let cases = cases();
    assert!(
        cases.len() >= 30,
        "the corpus has {} cases; keep at least 30",
        cases.len()
    );
    // Every case runs before the verdict, so one run lists every problem.
    let mut problems = Vec::new();
    for (name, case) in &cases {
        let root = project(name, case);
        let options = Options {
            root: root.path().to_path_buf(),
            spec: SpecInput::Pinned,
            standalone: true,
        };
        let error = match std::panic::catch_unwind(AssertUnwindSafe(|| pipeline::regen(&options))) {
            Err(_) => {
                problems.push(format!(
                    "{name}: regen panicked instead of returning an error"
                ));
                continue;
            }
            Ok(Ok(_)) => {
                problems.push(format!("{name}: regen accepted it ({})", case.why.trim()));
                continue;
            }
            Ok(Err(error)) => error,
        };
        if error.message.trim().is_empty() {
            problems.push(format!("{name}: an empty message"));
        }
        if let Location::Pointer(pointer) = &error.location {
            if !(pointer.is_empty() || pointer.starts_with('/')) {
                problems.push(format!("{name}: `{pointer}` is not a JSON pointer"));
            }
        }
        let root_text = root.path().display().to_string();
        let text = error.to_string().replace(&root_text, "<root>");
        insta::with_settings!({ description => case.why.trim(), omit_expression => true }, {
            insta::assert_snapshot!(name.as_str(), text);
        });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
