//! The whole pipeline on the pinned spec, in process.

use std::path::{Path, PathBuf};

use gr4vy_codegen::pipeline::{self, Options, SpecInput};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator sits in the workspace")
        .to_path_buf()
}

fn run() -> pipeline::Regen {
    let options = Options {
        root: root(),
        spec: SpecInput::Pinned,
        standalone: false,
    };
    match pipeline::regen(&options) {
        Ok(r) => r,
        Err(e) => panic!("regen failed: {e}\n(is ../shared beside the checkout?)"),
    }
}

/// A reviewable digest of the overlaid spec: a change upstream or in our overlays shows up here first.
#[test]
fn overlaid_spec_summary() {
    let regen = run();
    insta::assert_yaml_snapshot!("overlaid_spec_summary", regen.summary);
}

#[test]
fn the_pinned_spec_has_nothing_the_view_does_not_model() {
    let regen = run();
    assert!(
        regen.audit.findings.is_empty(),
        "keywords the generator does not understand (model them, or list them in spec/audit.toml with a reason):\n{:#?}",
        regen.audit.findings
    );
}

#[test]
fn every_known_invalid_example_still_exists() {
    let regen = run();
    assert!(
        regen.stale_invalid_examples.is_empty(),
        "remove these from spec/invalid-examples.toml: {:?}",
        regen.stale_invalid_examples
    );
}

#[test]
fn regen_is_deterministic_in_process() {
    let (a, b) = (run(), run());
    assert_eq!(a.tree, b.tree);
    assert_eq!(a.overlaid_json().unwrap(), b.overlaid_json().unwrap());
}

#[test]
fn the_committed_crate_is_what_regen_writes() {
    let regen = run();
    let changes = regen
        .tree
        .diff(&root().join("generated"))
        .expect("generated/ is readable");
    assert!(
        changes.is_empty(),
        "generated/ is stale; run `cargo xtask regen`:\n{changes:#?}"
    );
}
