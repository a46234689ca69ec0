//! The IR of the full pinned spec, as a reviewable snapshot: one entry per type.

use std::path::{Path, PathBuf};

use gr4vy_codegen::ir;
use gr4vy_codegen::pipeline::{self, Options, SpecInput};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator sits in the workspace")
        .to_path_buf()
}

#[test]
fn ir_types_of_the_pinned_spec() {
    let options = Options {
        root: root(),
        spec: SpecInput::Pinned,
        standalone: false,
    };
    let regen = pipeline::regen(&options).unwrap_or_else(|e| panic!("regen failed: {e}"));
    insta::assert_yaml_snapshot!("ir_types", ir::describe::describe(&regen.api));
    insta::assert_yaml_snapshot!("sensitive_fields", ir::describe::sensitive(&regen.api));
}
