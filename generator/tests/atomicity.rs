//! A regen that fails late leaves the crate exactly as it was: the pinned spec is rendered in full
//! (every pass has run), then the write fails at each point it can fail, against a copy of
//! `generated/` that differs from what regen renders. Afterwards the copy is byte-identical to
//! before and its parent holds nothing but the crate: no staging or set-aside directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gr4vy_codegen::output::FailPoint;
use gr4vy_codegen::pipeline::{self, Options, SpecInput};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every file below `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_regen_failing_after_rendering_leaves_the_crate_byte_identical() {
    let regen = pipeline::regen(&Options {
        root: root(),
        spec: SpecInput::Pinned,
        standalone: false,
    })
    .expect("the pinned spec renders");
    let files_rendered = regen.tree.files().count();
    assert!(
        files_rendered > 400,
        "the whole crate was rendered ({files_rendered} files)"
    );

    // The crate as a reviewer might have left it: one file edited, one added, one removed. A write
    // that went through would undo all three, so any partial write shows.
    let scratch = tempfile::tempdir().unwrap();
    let crate_dir = scratch.path().join("generated");
    let generated = root().join("generated");
    for (path, bytes) in files(&generated) {
        let to = crate_dir.join(&path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    std::fs::write(crate_dir.join("src/lib.rs"), "// edited by hand\n").unwrap();
    std::fs::write(crate_dir.join("NOTES.md"), "not generated\n").unwrap();
    std::fs::remove_file(crate_dir.join("README.md")).unwrap();
    let before = files(&crate_dir);

    let failures = [
        FailPoint::Write(0),
        FailPoint::Write(files_rendered / 2),
        FailPoint::Write(files_rendered - 1),
        FailPoint::BeforeSwap,
        FailPoint::MidSwap,
    ];
    for fail in failures {
        let error = regen
            .tree
            .write_atomic_failing_at(&crate_dir, Some(fail))
            .expect_err("the write fails where asked");
        assert!(
            error.to_string().contains("as the test asked"),
            "{fail:?}: {error}"
        );
        assert!(files(&crate_dir) == before, "{fail:?}: the crate changed");
        assert_eq!(
            entries(scratch.path()),
            ["generated"],
            "{fail:?}: stray directories"
        );
    }

    // And the same write without a failure does replace it, so the checks above could fail.
    regen.tree.write_atomic(&crate_dir).expect("writes");
    assert!(files(&crate_dir) != before);
    assert_eq!(files(&crate_dir), files(&generated));
    assert_eq!(entries(scratch.path()), ["generated"]);
}

#[test]
fn a_real_write_error_leaves_the_crate_as_it_was() {
    // A path that is a file where the new tree needs a directory: the operating system refuses
    // the write part-way through staging, no failure injected.
    let scratch = tempfile::tempdir().unwrap();
    let crate_dir = scratch.path().join("generated");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::write(crate_dir.join("src/lib.rs"), "// old\n").unwrap();
    let before = files(&crate_dir);

    let mut tree = gr4vy_codegen::output::Tree::default();
    tree.insert("a.rs", "first").unwrap();
    tree.insert("src", "a file named like a directory").unwrap();
    tree.insert("src/lib.rs", "// new").unwrap();
    let error = tree
        .write_atomic(&crate_dir)
        .expect_err("src cannot be both");
    assert!(
        error.to_string().contains("cannot create directory"),
        "{error}"
    );
    assert!(files(&crate_dir) == before);
    assert_eq!(entries(scratch.path()), ["generated"]);
}
