//! End-to-end checks of `cargo xtask regen` as a user runs it: a separate process, real files.
//!
//! Each test works on a scratch root holding copies of `spec/` (pin, overlays, configs) and
//! `templates/`, so it can corrupt inputs without touching the checkout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

/// The pinned spec, as shared beside the checkout.
fn shared_spec() -> PathBuf {
    common::shared("openapi.json")
}

/// A scratch root whose pin has one mirror, `mirror.json` in the scratch root, holding
/// `mirror_bytes`.
fn scratch_root(mirror_bytes: &[u8]) -> tempfile::TempDir {
    let dir = common::scratch_root("mirror.json");
    std::fs::write(dir.path().join("mirror.json"), mirror_bytes).unwrap();
    dir
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("GR4VY_XTASK_ROOT", root)
        .output()
        .expect("xtask runs")
}

fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                out.insert(
                    entry.path().strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
    }
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn two_regens_in_separate_processes_write_identical_trees() {
    let spec = std::fs::read(shared_spec()).unwrap();
    let root = scratch_root(&spec);
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    for out in [&a, &b] {
        let run = xtask(root.path(), &["regen", "--out", out.to_str().unwrap()]);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(ta.len() >= 4, "expected a whole crate, got {:?}", ta.keys());
    assert_eq!(ta, tb);
    // The first run vendored the spec into the scratch cache, verified.
    assert_eq!(
        std::fs::read(root.path().join("spec/openapi.json")).unwrap(),
        spec
    );
}

#[test]
fn a_corrupted_mirror_fails_with_both_hashes_and_leaves_the_crate_alone() {
    let mut spec = std::fs::read(shared_spec()).unwrap();
    let good = xtask_regen_ok(&spec);
    let root = good.0;
    let out = good.1;
    let before = read_tree(&out);
    // Change one byte of the mirror and drop the cache, as on a fresh clone.
    let at = spec.iter().position(|b| *b == b'{').unwrap();
    spec[at + 1] ^= 0x20;
    std::fs::write(root.path().join("mirror.json"), &spec).unwrap();
    std::fs::remove_file(root.path().join("spec/openapi.json")).unwrap();

    let run = xtask(root.path(), &["regen", "--out", out.to_str().unwrap()]);
    let message = stderr(&run);
    assert!(!run.status.success());
    assert!(message.contains("sha256 mismatch"), "{message}");
    assert!(
        message.contains("53109bdaab9e3b113aa2ac9e4f4481dfeedb9ee9c43927d3ec0450f6cf9aaa47"),
        "{message}"
    );
    assert_eq!(
        read_tree(&out),
        before,
        "the crate must be byte-for-byte as it was"
    );
    assert!(
        !root.path().join("spec/openapi.json").exists(),
        "nothing is cached from a bad mirror"
    );
}

fn xtask_regen_ok(spec: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let root = scratch_root(spec);
    let out = root.path().join("generated");
    let run = xtask(root.path(), &["regen", "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    (root, out)
}

#[test]
fn a_spec_without_an_overlay_target_names_the_action() {
    let spec = std::fs::read(shared_spec()).unwrap();
    let (root, out) = xtask_regen_ok(&spec);
    let before = read_tree(&out);
    let mut doc: serde_json::Value = serde_json::from_slice(&spec).unwrap();
    // The checkout-session overlay rewrites this request body; without it the action matches nothing.
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/checkout/sessions")
        .unwrap();
    let changed = root.path().join("changed.json");
    std::fs::write(&changed, serde_json::to_vec(&doc).unwrap()).unwrap();

    let run = xtask(
        root.path(),
        &[
            "regen",
            "--spec",
            changed.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let message = stderr(&run);
    assert!(!run.status.success());
    assert!(
        message.contains("07-checkout-session-body.yaml: action 0"),
        "{message}"
    );
    assert!(message.contains("matched nothing"), "{message}");
    assert_eq!(read_tree(&out), before);
}

#[test]
fn check_lists_each_differing_missing_and_extra_file_and_writes_nothing() {
    let spec = std::fs::read(shared_spec()).unwrap();
    let (root, out) = xtask_regen_ok(&spec);
    let ok = xtask(
        root.path(),
        &["regen", "--check", "--out", out.to_str().unwrap()],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));

    std::fs::write(out.join("src/lib.rs"), "// edited by hand\n").unwrap();
    std::fs::remove_file(out.join("README.md")).unwrap();
    std::fs::write(out.join("stray.rs"), "").unwrap();
    let before = read_tree(&out);
    let run = xtask(
        root.path(),
        &["regen", "--check", "--out", out.to_str().unwrap()],
    );
    let message = stderr(&run);
    assert!(!run.status.success());
    for line in [
        "differs: src/lib.rs",
        "missing: README.md",
        "extra:   stray.rs",
    ] {
        assert!(message.contains(line), "`{line}` not in:\n{message}");
    }
    assert_eq!(read_tree(&out), before, "--check writes nothing");
}

#[test]
fn a_stale_invalid_example_entry_fails_the_pinned_spec_and_warns_on_another() {
    let spec = std::fs::read(shared_spec()).unwrap();
    let root = scratch_root(&spec);
    let out = root.path().join("generated");
    // One entry that holds on the pinned spec, one that names an example it does not have.
    std::fs::write(
        root.path().join("spec/invalid-examples.toml"),
        r#"
[[invalid]]
schema = "DigitalWallet"
at = "/properties/domain_names"
example = 0
reason = "a string for an array"

[[invalid]]
operation = "list_transactions"
parameter = "no_such_filter"
example = 0
reason = "gone"
"#,
    )
    .unwrap();
    let pinned = xtask(root.path(), &["regen", "--out", out.to_str().unwrap()]);
    let message = stderr(&pinned);
    assert!(!pinned.status.success());
    assert!(
        message.contains(
            "spec/invalid-examples.toml: the entry for example 0 of the parameter \
             `no_such_filter` of `list_transactions` names no example"
        ),
        "{message}"
    );
    assert!(!out.exists(), "nothing is written");

    // The same document in other bytes is another spec as far as the pin goes.
    let doc: serde_json::Value = serde_json::from_slice(&spec).unwrap();
    let other = root.path().join("other.json");
    std::fs::write(&other, serde_json::to_vec(&doc).unwrap()).unwrap();
    let run = xtask(
        root.path(),
        &[
            "regen",
            "--spec",
            other.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let message = stderr(&run);
    assert!(run.status.success(), "{message}");
    assert!(
        message.contains(
            "warning: spec/invalid-examples.toml: the entry for example 0 of the parameter \
             `no_such_filter` of `list_transactions` names no example: this spec gives no \
             examples for the parameter `no_such_filter` of `list_transactions`"
        ),
        "{message}"
    );
    assert!(!message.contains("DigitalWallet"), "{message}");
    // The crate from another spec leaves out the tests written for the pinned one.
    assert!(out.join("tests/auth.rs").exists());
    assert!(!out.join("tests/models.rs").exists());
}
