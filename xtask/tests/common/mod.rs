//! Scratch roots for the end-to-end tests of `cargo xtask`: copies of `templates/` and `spec/`
//! (overlays, configs, and a pin whose one mirror the test chooses), so that a test can change its
//! inputs without touching the checkout.

use std::path::{Path, PathBuf};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// A spec of Gr4vy's shared folder, beside the checkout.
pub fn shared(name: &str) -> PathBuf {
    let path = workspace().join("../shared/spec").join(name);
    assert!(
        path.is_file(),
        "{} is missing: put Gr4vy's shared folder beside the checkout",
        path.display()
    );
    path
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch root whose pin has one mirror, `mirror`: an absolute path, or one relative to the
/// scratch root.
pub fn scratch_root(mirror: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&workspace().join("templates"), &root.join("templates"));
    copy_dir(
        &workspace().join("spec/overlays"),
        &root.join("spec/overlays"),
    );
    for file in ["audit.toml", "generator.toml"] {
        std::fs::copy(
            workspace().join("spec").join(file),
            root.join("spec").join(file),
        )
        .unwrap();
    }
    let pin = std::fs::read_to_string(workspace().join("spec/source.toml")).unwrap();
    let start = pin.find("mirrors = [").expect("pin lists mirrors");
    let pin = format!("{}mirrors = [{mirror:?}]\n", &pin[..start]);
    std::fs::write(root.join("spec/source.toml"), pin).unwrap();
    dir
}
