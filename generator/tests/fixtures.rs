//! Fixture specs, one per construct (`tests/fixtures/*.yaml`): an insta snapshot of the models each
//! one generates (`fixture__<name>`), and a build of every fixture's crate (`cargo check`,
//! `cargo clippy`, `cargo doc`, warnings included), so a snapshot that does not compile fails.
//! A fixture may also have behaviour tests: `tests/fixtures/<name>.rs` is written into its crate as
//! `tests/behaviour.rs` and run with `cargo test`.
//!
//! Adding a fixture: drop a small OpenAPI 3.1 document into `tests/fixtures/` (copy the header of an
//! existing one: its server has a URL variable, see `no_server_variables`), run
//! `cargo test -p gr4vy-codegen --test fixtures`, read the new `.snap.new` in full and rename it to
//! `.snap` once the generated Rust shows the intended mapping.
//!
//! Inputs the generator rejects are fixtures too ([`GENERATOR_ERRORS`], the snapshot is the error).
//! So are inputs it gets wrong, listed below with the reason: accepted though they should be
//! rejected ([`ACCEPTED_WRONGLY`]), not building ([`DOES_NOT_BUILD`], checked to still fail), or
//! building with warnings ([`KNOWN_WARNINGS`]). Fixing the generator makes the entry fail, so these
//! lists shrink as bugs are fixed.
//!
//! The crates are built in a temporary workspace with `CARGO_TARGET_DIR=target/fixtures`, so the
//! dependencies are compiled once (about 15 s) and reused by later runs.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use gr4vy_codegen::emit::{Options, StaticFile};
use gr4vy_codegen::ir::names::camel;
use gr4vy_codegen::ir::{Api, CrateConfig};
use gr4vy_codegen::output::Tree;
use gr4vy_codegen::pipeline;

/// Fixtures the generator rejects, by design: their snapshot is the error message (which must start
/// with the JSON pointer of the offending keyword), and they are not built. Each entry says why, so
/// that a generator that starts accepting one shows up as a failing test here.
const GENERATOR_ERRORS: &[(&str, &str)] = &[
    (
        "all_of_conflict",
        "two `allOf` members declare one property with different schemas: no struct field can be both",
    ),
    (
        "all_of_non_object",
        "an `allOf` member that is a string cannot be merged into a struct",
    ),
    (
        "const_object",
        "an object `const` has no marker type (only strings, integers and booleans do)",
    ),
];

/// Fixtures the generator accepts though it should reject them (generator bugs): snapshotted and
/// built like the others. Each entry says why; once the generator rejects one, move it to
/// [`GENERATOR_ERRORS`].
const ACCEPTED_WRONGLY: &[(&str, &str)] = &[];

/// Fixtures the generator accepts but whose crate does not build (generator bugs): snapshotted, not
/// built. Each entry says why.
const DOES_NOT_BUILD: &[(&str, &str)] = &[];

/// Warnings (`fixture`, part of the message, why) that the fixture crates are known to produce:
/// generator bugs, each still expected so that a fix shows up here.
const KNOWN_WARNINGS: &[(&str, &str, &str)] = &[];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator sits in the workspace")
        .to_path_buf()
}

/// Every fixture, sorted by name: (name, path).
fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/fixtures is readable")
        .map(|e| e.expect("tests/fixtures is listable").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("fixture names are UTF-8")
                .to_string();
            (name, p)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

/// The crate's hand-written sources under `src/`, and `tests/support/`, which no cargo target
/// compiles on its own and whose test key the runtime's unit tests read (the crate's `tests/*.rs`
/// need operations and types a fixture does not have).
fn statics() -> Vec<StaticFile> {
    pipeline::read_statics(&root().join(pipeline::STATIC_DIR))
        .expect("templates/crate is readable")
        .into_iter()
        .filter(|f| f.path.starts_with("src/") || f.path.starts_with("tests/support/"))
        .collect()
}

fn config(name: &str) -> CrateConfig {
    CrateConfig {
        name: format!("fixture_{name}"),
        version: "0.0.0".into(),
        description: format!("Generated from the `{name}` fixture."),
        license: "MIT".into(),
        edition: "2024".into(),
        rust_version: "1.85".into(),
        checkout_session_operation: None,
    }
}

fn generate(name: &str, path: &Path, statics: &[StaticFile]) -> gr4vy_codegen::Result<(Api, Tree)> {
    let text = std::fs::read_to_string(path).expect("the fixture is readable");
    let doc: serde_json::Value = yaml_serde::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
    pipeline::generate(
        &doc,
        &config(name),
        "fixture",
        statics,
        &Options {
            standalone: true,
            ..Options::default()
        },
    )
}

/// What the snapshot shows: the operations and what was left out, then every `src/models/*.rs`.
fn models_text(api: &Api, tree: &Tree) -> String {
    let mut out = String::new();
    for op in &api.operations {
        let group: Vec<String> = op.group.iter().map(|g| g.rust()).collect();
        let params: Vec<String> = op
            .params
            .iter()
            .map(|p| format!("{} ({} `{}`)", p.name.rust(), p.location, p.name.wire))
            .collect();
        out.push_str(&format!(
            "// operation {} {}: {}::{} (operationId `{}`), parameters [{}]\n",
            op.method.as_upper(),
            op.path,
            group.join("::"),
            op.name.rust(),
            op.id,
            params.join(", ")
        ));
    }
    out.push_str(&format!(
        "// unreachable schemas: {:?}; ignored operations: {}; ignored properties: {}\n",
        api.stats.unreachable_schemas, api.stats.ignored_operations, api.stats.ignored_properties
    ));
    // The globals' setters, for the fixtures that declare globals.
    let globals = tree.files().filter(|(path, _)| *path == "src/globals.rs");
    for (path, bytes) in globals.filter(|_| !api.globals.is_empty()) {
        out.push_str(&format!("// ---- {path}\n"));
        out.push_str(&String::from_utf8_lossy(bytes));
    }
    for (path, bytes) in tree.files() {
        if path.starts_with("src/models/") && path.ends_with(".rs") {
            out.push_str(&format!("// ---- {path}\n"));
            out.push_str(&String::from_utf8_lossy(bytes));
        }
    }
    out
}

fn reason<'a>(list: &'a [(&str, &str)], name: &str) -> Option<&'a str> {
    list.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}

#[test]
fn fixture_snapshots() {
    let statics = statics();
    let mut failed = Vec::new();
    for (name, path) in fixtures() {
        let text = match (
            generate(&name, &path, &statics),
            reason(GENERATOR_ERRORS, &name),
        ) {
            (Ok((api, tree)), None) => models_text(&api, &tree),
            (Err(e), Some(_)) => {
                let e = e.to_string();
                if !e.starts_with("#/") {
                    failed.push(format!(
                        "{name}: the error does not start with a JSON pointer: {e}"
                    ));
                }
                format!("// the generator rejects this fixture:\n{e}\n")
            }
            (Ok(_), Some(why)) => {
                failed.push(format!(
                    "{name}: the generator now accepts it; remove it from GENERATOR_ERRORS \
                     (listed because {why})"
                ));
                continue;
            }
            (Err(e), None) if reason(ACCEPTED_WRONGLY, &name).is_some() => {
                failed.push(format!(
                    "{name}: the generator now rejects it; move it from ACCEPTED_WRONGLY to \
                     GENERATOR_ERRORS: {e}"
                ));
                continue;
            }
            (Err(e), None) => {
                failed.push(format!("{name}: the generator failed: {e}"));
                continue;
            }
        };
        let snapshot = format!("fixture__{name}");
        let file = format!(
            "tests/fixtures/{}",
            path.file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
        );
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            insta::with_settings!({ description => file, omit_expression => true }, {
                insta::assert_snapshot!(snapshot, text);
            });
        }));
        if result.is_err() {
            failed.push(format!(
                "{name}: the snapshot differs (see the `.snap.new` file)"
            ));
        }
    }
    assert!(failed.is_empty(), "fixtures failed:\n{}", failed.join("\n"));
}

/// The manifest without the `[workspace]` table that `standalone: true` adds, so the crate can be a
/// member of the test workspace.
fn member_manifest(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("Cargo.toml is UTF-8");
    let mut table: toml::Table = text.parse().expect("Cargo.toml is valid TOML");
    let workspace = table.remove("workspace");
    // The harness leaves out the crate's `tests/` (they exercise Gr4vy's API), so their
    // `[[test]]` entries go too; a fixture's behaviour tests are found by cargo itself.
    table.remove("test");
    assert!(
        workspace.is_some(),
        "a standalone crate's Cargo.toml has a [workspace] table"
    );
    toml::to_string(&table)
        .expect("Cargo.toml serializes")
        .into_bytes()
}

fn write_file(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("the temporary workspace is writable");
    }
    std::fs::write(path, bytes).expect("the temporary workspace is writable");
}

/// Runs cargo in a fixture workspace: whether it succeeded, and what it printed.
fn run_cargo(workspace: &Path, args: &[&str]) -> (bool, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let start = Instant::now();
    let output = Command::new(cargo)
        .args(args)
        .current_dir(workspace)
        // Dependencies are built once here and reused by later runs.
        .env("CARGO_TARGET_DIR", root().join("target/fixtures"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run `cargo {}`: {e}", args.join(" ")));
    eprintln!("cargo {}: {:.1?}", args.join(" "), start.elapsed());
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

/// Runs cargo and panics with the compiler's output on failure. Returns the diagnostics
/// (`--message-format short` lines) outside the hand-written runtime.
fn cargo(workspace: &Path, args: &[&str]) -> Vec<String> {
    let (success, printed) = run_cargo(workspace, args);
    assert!(
        success,
        "`cargo {}` failed on the fixture crates:\n{printed}",
        args.join(" ")
    );
    // `<fixture>/src/file.rs:line:col: warning: ...`. The runtime is copied into every crate
    // whether the fixture uses it or not, so its unused items are expected here (the full crate
    // uses all of it, and is linted as part of the workspace).
    printed
        .lines()
        .filter(|l| l.contains(": warning: ") || l.contains(": error: "))
        .filter(|l| {
            !l.split(':')
                .next()
                .is_some_and(|p| p.contains("/src/runtime/"))
        })
        .map(str::to_string)
        .collect()
}

/// A fixture's behaviour tests (`tests/fixtures/<name>.rs`), if it has any.
fn behaviour_tests(path: &Path) -> Option<PathBuf> {
    Some(path.with_extension("rs")).filter(|p| p.is_file())
}

/// Writes the named fixtures' crates (the library, and its behaviour tests) as members of a new
/// workspace.
fn workspace(names: &[&str]) -> tempfile::TempDir {
    let statics = statics();
    let workspace = tempfile::tempdir().expect("a temporary directory");
    for (name, path) in fixtures() {
        if !names.contains(&name.as_str()) {
            continue;
        }
        let (_, tree) = generate(&name, &path, &statics)
            .unwrap_or_else(|e| panic!("{name}: the generator failed: {e}"));
        let dir = workspace.path().join(&name);
        write_crate(&dir, &tree);
        if let Some(tests) = behaviour_tests(&path) {
            let source = std::fs::read(&tests).expect("the behaviour tests are readable");
            write_file(&dir.join("tests/behaviour.rs"), &source);
        }
    }
    write_manifest(workspace.path(), names);
    workspace
}

/// A generated crate's files, as a member of a fixture workspace. The crate's `tests/` exercise
/// Gr4vy's API, not a fixture's, and are left out, except `tests/support/`: its files are not
/// test targets, and the runtime's unit tests read from it (the test key in `http/tests/env.rs`).
fn write_crate(dir: &Path, tree: &Tree) {
    let kept = |f: &str| !f.starts_with("tests/") || f.starts_with("tests/support/");
    for (file, bytes) in tree.files().filter(|(f, _)| kept(f)) {
        if file == "Cargo.toml" {
            write_file(&dir.join(file), &member_manifest(bytes));
        } else {
            write_file(&dir.join(file), bytes);
        }
    }
}

/// The workspace manifest and lock file.
fn write_manifest(workspace: &Path, names: &[&str]) {
    let members: Vec<String> = names.iter().map(|m| format!("{m:?}")).collect();
    write_file(
        &workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        )
        .as_bytes(),
    );
    // The versions already downloaded for this workspace, so `--offline` works.
    std::fs::copy(root().join("Cargo.lock"), workspace.join("Cargo.lock"))
        .expect("Cargo.lock is copied");
}

const QUIET: &[&str] = &[
    "--offline",
    "--quiet",
    "--message-format",
    "short",
    "--keep-going",
];

#[test]
fn fixture_crates_build() {
    let names: Vec<String> = fixtures()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|n| reason(GENERATOR_ERRORS, n).is_none() && reason(DOES_NOT_BUILD, n).is_none())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let workspace = workspace(&names);
    let mut diagnostics = cargo(
        workspace.path(),
        &[&["check", "--workspace"], QUIET].concat(),
    );
    diagnostics.extend(cargo(
        workspace.path(),
        &[&["clippy", "--workspace", "--all-targets"], QUIET].concat(),
    ));
    diagnostics.extend(cargo(
        workspace.path(),
        &[&["doc", "--workspace", "--no-deps"], QUIET].concat(),
    ));
    // The behaviour tests (already linted by `clippy --all-targets` above).
    let tested: Vec<String> = fixtures()
        .into_iter()
        .filter(|(name, path)| names.contains(&name.as_str()) && behaviour_tests(path).is_some())
        .flat_map(|(name, _)| ["-p".to_string(), format!("fixture_{name}")])
        .collect();
    if !tested.is_empty() {
        // `cargo test` spells `--keep-going` as `--no-fail-fast`.
        let mut args = vec!["test", "--test", "behaviour", "--no-fail-fast"];
        args.extend(tested.iter().map(String::as_str));
        args.extend(QUIET.iter().filter(|a| **a != "--keep-going"));
        diagnostics.extend(cargo(workspace.path(), &args));
    }
    diagnostics.sort();
    diagnostics.dedup();
    let known = |line: &str, (fixture, text, _): &(&str, &str, &str)| {
        line.starts_with(&format!("{fixture}/")) && line.contains(text)
    };
    let unexpected: Vec<&str> = diagnostics
        .iter()
        .map(String::as_str)
        .filter(|l| !KNOWN_WARNINGS.iter().any(|k| known(l, k)))
        .collect();
    let gone: Vec<String> = KNOWN_WARNINGS
        .iter()
        .filter(|k| !diagnostics.iter().any(|l| known(l, k)))
        .map(|(fixture, text, _)| format!("{fixture}: {text}"))
        .collect();
    assert!(
        unexpected.is_empty() && gone.is_empty(),
        "the fixture crates have unexpected warnings:\n{}\n\nknown warnings that no longer \
         appear (remove them from KNOWN_WARNINGS):\n{}",
        unexpected.join("\n"),
        gone.join("\n")
    );
}

/// Issue 16: a spec that reorders properties cannot silently move a caller's values to other
/// fields. The `reorder` fixture is generated again with every `properties` list reversed; its
/// by-name callers (`reorder.rs`) must pass there unchanged (same JSON), and its positional caller
/// (`reorder_positional.rs`) must compile against the original crate and fail against the reversed
/// one, where `Payment::new(1299, "EUR")` would otherwise send each value to the other field.
#[test]
fn a_reordered_spec_keeps_each_call_or_fails_to_compile() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = std::fs::read_to_string(dir.join("reorder.yaml")).expect("the fixture is readable");
    let original: serde_json::Value = yaml_serde::from_str(&text).expect("the fixture is YAML");
    let mut reversed = original.clone();
    let schemas = reversed["components"]["schemas"]
        .as_object_mut()
        .expect("the fixture has component schemas");
    for schema in schemas.values_mut() {
        if let Some(props) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
            let entries: Vec<(String, serde_json::Value)> =
                std::mem::take(props).into_iter().rev().collect();
            props.extend(entries);
        }
    }
    let by_name = std::fs::read_to_string(dir.join("reorder.rs")).expect("readable");
    let positional = std::fs::read_to_string(dir.join("reorder_positional.rs")).expect("readable");
    let statics = statics();
    let options = Options {
        standalone: true,
        ..Options::default()
    };
    let workspace = tempfile::tempdir().expect("a temporary directory");
    for (name, doc) in [("reorder", &original), ("reorder_reversed", &reversed)] {
        let (_, tree) = pipeline::generate(doc, &config(name), "fixture", &statics, &options)
            .unwrap_or_else(|e| panic!("{name}: the generator failed: {e}"));
        let crate_dir = workspace.path().join(name);
        write_crate(&crate_dir, &tree);
        let krate = format!("fixture_{name}");
        for (file, source) in [("by_name", &by_name), ("positional", &positional)] {
            write_file(
                &crate_dir.join(format!("tests/{file}.rs")),
                source.replace("fixture_reorder", &krate).as_bytes(),
            );
        }
    }
    write_manifest(workspace.path(), &["reorder", "reorder_reversed"]);
    let test = |package: &str, target: &str| {
        run_cargo(
            workspace.path(),
            &["test", "--offline", "-p", package, "--test", target],
        )
    };
    for target in ["by_name", "positional"] {
        let (ok, printed) = test("fixture_reorder", target);
        assert!(
            ok,
            "the `{target}` caller fails on the original spec:\n{printed}"
        );
    }
    let (ok, printed) = test("fixture_reorder_reversed", "by_name");
    assert!(
        ok,
        "callers by name changed meaning or stopped compiling when the spec was reordered:\n{printed}"
    );
    let (ok, printed) = test("fixture_reorder_reversed", "positional");
    assert!(
        !ok && printed.contains("tests/positional.rs") && printed.contains("error[E0"),
        "a positional call still compiles against the reordered spec, so it now sends each value \
         to another field:\n{printed}"
    );
}

/// No text from the spec becomes a doctest. The `doc_code_blocks` fixture's descriptions, summary,
/// parameters, servers and enum values hold code blocks of every kind rustdoc would run (each a
/// `panic!`). rustdoc lists the doctests of its crate: each must come from a hand-written file of
/// `templates/crate/src/`, or be one of the README template's own ```` ```rust ```` examples (the
/// README is the crate's doc); none may come from a generated file, where spec text lands.
/// Listing is enough (the fixture crate's hand-written doctests call Gr4vy's API, so they do not
/// compile here, and are tested in the real crate), and no doctest is run, so none can panic.
#[test]
fn fixture_spec_text_runs_no_doctest() {
    const FIXTURE: &str = "doc_code_blocks";
    let workspace = workspace(&[FIXTURE]);
    let package = format!("fixture_{FIXTURE}");
    let (success, printed) = run_cargo(
        workspace.path(),
        &[
            "test",
            "--offline",
            "--doc",
            "-p",
            &package,
            "--",
            "--list",
            "--format",
            "terse",
        ],
    );
    assert!(success, "`cargo test --doc -- --list` failed:\n{printed}");
    assert!(
        !printed.contains("spec text ran as a doctest"),
        "a doctest from the spec ran:\n{printed}"
    );
    let hand_written: Vec<String> = statics().into_iter().map(|f| f.path).collect();
    let readme_examples = std::fs::read_to_string(root().join("templates/README.md.askama"))
        .expect("the README template is readable")
        .lines()
        .filter(|l| l.starts_with("```rust"))
        .count();
    // `doc_code_blocks/src/models/note.rs - models::note::Note (line 5): test`; the README's
    // are `doc_code_blocks/src/../README.md - (line 39): test`.
    let prefix = format!("{FIXTURE}/");
    let doctests: Vec<&str> = printed
        .lines()
        .filter(|l| l.ends_with(": test"))
        .map(|l| l.strip_prefix(&prefix).unwrap_or(l))
        .collect();
    let is_readme = |l: &str| l.starts_with("src/../README.md - ");
    let from_readme = doctests.iter().filter(|l| is_readme(l)).count();
    let generated: Vec<&&str> = doctests
        .iter()
        .filter(|l| !is_readme(l))
        .filter(|l| {
            !hand_written
                .iter()
                .any(|f| l.starts_with(&format!("{f} - ")))
        })
        .collect();
    // The generator writes one doctest itself: each operation's example, on its method
    // (`src/operations/notes.rs - operations::notes::Notes<'a>::get (line 44): test`). Any other
    // doctest in a generated file, or a second one on a method, came from spec text.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{FIXTURE}.yaml"));
    let (api, _) = generate(FIXTURE, &path, &[]).expect("the fixture generates");
    let mut expected: Vec<String> = api
        .operations
        .iter()
        .map(|op| {
            let module = op.group[0].rust();
            let owner: String = op.group.iter().map(|g| camel(&g.bare).bare).collect();
            format!(
                "src/operations/{}.rs - operations::{module}::{owner}<'a>::{}",
                op.group[0].bare,
                op.name.rust()
            )
        })
        .collect();
    let mut found: Vec<String> = generated
        .iter()
        .map(|l| l.split(" (line ").next().unwrap_or(l).to_string())
        .collect();
    expected.sort();
    found.sort();
    assert_eq!(
        found, expected,
        "doctests in generated files besides each operation's example, so from spec text:\n{generated:#?}\n\nall output:\n{printed}"
    );
    assert_eq!(
        from_readme, readme_examples,
        "the README has doctests besides the template's own examples:\n{printed}"
    );
    assert!(
        !doctests.is_empty(),
        "no doctest listed at all; is the listing format the same?\n{printed}"
    );
}

/// Each fixture listed in `DOES_NOT_BUILD` still fails, so a fix to the generator is noticed.
#[test]
fn known_broken_fixture_crates_still_fail() {
    let names: Vec<&str> = DOES_NOT_BUILD.iter().map(|(n, _)| *n).collect();
    if names.is_empty() {
        return;
    }
    let workspace = workspace(&names);
    let (success, printed) = run_cargo(
        workspace.path(),
        &[&["check", "--workspace"], QUIET].concat(),
    );
    assert!(
        !success,
        "every fixture in DOES_NOT_BUILD builds now:\n{printed}"
    );
    let fixed: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !printed.contains(&format!("could not compile `fixture_{n}`")))
        .collect();
    assert!(
        fixed.is_empty(),
        "these fixtures build now; remove them from DOES_NOT_BUILD: {fixed:?}\n{printed}"
    );
}
