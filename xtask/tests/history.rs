//! `cargo xtask history` on a scratch git repository of four spec versions: the pinned spec, the
//! same with warnings (an operation without a group, a `title` on a response), one the generator
//! refuses, and a commit that deletes the file.

use std::path::Path;
use std::process::{Command, Output};

/// The pinned spec, from Gr4vy's shared folder beside the checkout.
fn pinned() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/openapi.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (put the shared folder beside the checkout)",
            path.display()
        )
    });
    serde_json::from_slice(&bytes).unwrap()
}

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.test"])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn commit(repo: &Path, spec: Option<&serde_json::Value>, message: &str) {
    let file = repo.join("openapi.json");
    match spec {
        Some(spec) => {
            std::fs::write(&file, serde_json::to_vec(spec).unwrap()).unwrap();
            git(repo, &["add", "openapi.json"]);
        }
        None => git(repo, &["rm", "-q", "openapi.json"]),
    }
    git(repo, &["commit", "-q", "-m", message]);
}

fn history(repo: &Path, extra: &[&str]) -> (Output, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["history", "--repo", repo.to_str().unwrap()])
        .args(extra)
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out, stdout)
}

#[test]
fn history_regenerates_each_version_and_groups_what_it_refuses() {
    let pinned = pinned();
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    commit(repo.path(), Some(&pinned), "pinned");
    let mut warned = pinned.clone();
    let op = &mut warned["paths"]["/buyers"]["get"];
    op.as_object_mut().unwrap().remove("x-speakeasy-group");
    op["responses"]["200"]["title"] = "Buyers".into();
    commit(repo.path(), Some(&warned), "warnings");
    let mut refused = pinned;
    refused["paths"]["/buyers"]["get"]["responses"]["200"]["frobnicate"] = true.into();
    commit(repo.path(), Some(&refused), "refused");
    commit(repo.path(), None, "deleted");

    let (out, stdout) = history(repo.path(), &["--keep-going", "-v"]);
    assert!(!out.status.success(), "a refusal fails the run:\n{stdout}");
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    assert!(lines[0].ends_with(" ok      0 warning(s)"), "{stdout}");
    assert!(lines[1].ends_with(" ok      2 warning(s)"), "{stdout}");
    assert!(
        stdout.contains("warning: #/paths/~1buyers/get: the operation has no `x-speakeasy-group`; it goes in group `buyers`, named after its first tag `Buyers`"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "warning: #/paths/~1buyers/get/responses/200/title: `title` is an annotation"
        ),
        "{stdout}"
    );
    assert!(
        lines[2].contains(
            " error   #/paths/~1buyers/get/responses/200/frobnicate: `frobnicate` is a key"
        ),
        "{stdout}"
    );
    assert!(
        lines[3].ends_with(" absent  openapi.json is deleted here"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("4 versions: 2 regenerate (1 with warnings), 1 refused, 1 empty or deleted"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  refused 1x: `frobnicate` is a key"),
        "{stdout}"
    );

    // Without --keep-going the walk stops at the refusal.
    let (out, stdout) = history(repo.path(), &[]);
    assert!(!out.status.success());
    assert!(
        stdout.contains(
            "4 versions (3 walked): 2 regenerate (1 with warnings), 1 refused, 0 empty or deleted"
        ),
        "{stdout}"
    );
}
