//! The API changelog as a user meets it: `cargo xtask regen` after a spec change adds a section to
//! the crate's `CHANGELOG.md`, a regen of the same spec leaves it alone, and `cargo xtask diff`
//! prints the same report. Each test works on a scratch root (copies of `spec/` and `templates/`),
//! with the previous spec of Gr4vy's shared folder standing for the crate's last regen.

use std::path::Path;
use std::process::{Command, Output};

mod common;

use common::shared;

/// A scratch root whose pin's one mirror is the shared pinned spec.
fn scratch_root() -> tempfile::TempDir {
    common::scratch_root(shared("openapi.json").to_str().unwrap())
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("GR4VY_XTASK_ROOT", root)
        .output()
        .expect("xtask runs");
    assert!(
        out.status.success(),
        "`xtask {}` failed:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The section the pinned spec adds after the previous one: its heading and summary line.
const HEADING: &str = "## Spec `c3795430` → `53109bda`: major\n\n";
const SUMMARY: &str = "5 breaking, 121 additive, 0 without effect on the Rust API: semver **major**; \
                       next `gr4vy` release: 0.1.0 → **0.2.0**";

/// Regen with the previous spec, then the pinned one: one section, major; again: unchanged.
fn regen_twice_then_again(root: &Path, out: Option<&Path>) {
    let previous = shared("openapi.previous.json");
    let mut args = vec!["regen"];
    if let Some(out) = out {
        args.extend(["--out", out.to_str().unwrap()]);
    }
    let crate_dir = out.map_or_else(|| root.join("generated"), Path::to_path_buf);
    let changelog = crate_dir.join("CHANGELOG.md");

    let first = [&args[..], &["--spec", previous.to_str().unwrap()]].concat();
    let run = xtask(root, &first);
    assert!(!String::from_utf8_lossy(&run.stdout).contains("API changes"));
    let fresh = read(&changelog);
    assert!(
        fresh.starts_with("# Changes to the generated API\n"),
        "{fresh}"
    );
    assert!(
        !fresh.contains("\n## "),
        "a new changelog has no section:\n{fresh}"
    );
    let surface: serde_json::Value =
        serde_json::from_str(&read(&crate_dir.join("api-surface.json"))).unwrap();
    assert_eq!(surface["spec_sha256"].as_str().unwrap()[..8], *"c3795430");

    let run = xtask(root, &args);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("API changes since the spec of"), "{stdout}");
    assert!(
        stdout.contains("semver major; next `gr4vy` release: 0.1.0 → 0.2.0"),
        "{stdout}"
    );
    let updated = read(&changelog);
    assert!(
        updated.starts_with(&fresh),
        "the header stays on top:\n{updated}"
    );
    assert_eq!(updated.matches("\n## ").count(), 1, "{updated}");
    let section = &updated[fresh.len()..];
    assert!(
        section.starts_with(&format!("\n{HEADING}{SUMMARY}")),
        "{section}"
    );
    assert!(
        section.contains("| additive | New operation `client.roles().list()`"),
        "{section}"
    );
    assert!(
        section.contains("| **breaking** | `Buyer`: field `id` made required"),
        "{section}"
    );

    // The same spec again: nothing is added, and the crate is up to date.
    let run = xtask(root, &args);
    assert!(!String::from_utf8_lossy(&run.stdout).contains("API changes"));
    assert_eq!(read(&changelog), updated);
    xtask(root, &[&args[..], &["--check"]].concat());
}

#[test]
fn regen_after_a_spec_change_adds_a_changelog_section_once() {
    let root = scratch_root();
    regen_twice_then_again(root.path(), None);
}

#[test]
fn regen_out_compares_with_the_crate_in_that_directory() {
    let root = scratch_root();
    let out = root.path().join("elsewhere/crate");
    regen_twice_then_again(root.path(), Some(&out));
    // The workspace's own crate directory was never written.
    assert!(!root.path().join("generated").exists());
}

#[test]
fn newer_sections_go_on_top() {
    let root = scratch_root();
    let previous = shared("openapi.previous.json");
    let previous = previous.to_str().unwrap();
    xtask(root.path(), &["regen", "--spec", previous]);
    xtask(root.path(), &["regen"]);
    xtask(root.path(), &["regen", "--spec", previous]);
    let changelog = read(&root.path().join("generated/CHANGELOG.md"));
    let back = changelog
        .find("## Spec `53109bda` → `c3795430`: major")
        .expect("the newest section");
    let forth = changelog.find(HEADING).expect("the older section");
    assert!(back < forth, "{changelog}");
}

#[test]
fn diff_prints_the_report_as_markdown_or_json() {
    let root = scratch_root();
    let (previous, pinned) = (shared("openapi.previous.json"), shared("openapi.json"));
    let run = xtask(
        root.path(),
        &["diff", previous.to_str().unwrap(), pinned.to_str().unwrap()],
    );
    let markdown = String::from_utf8(run.stdout).unwrap();
    assert!(
        markdown.starts_with(&format!("{HEADING}{SUMMARY}")),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n### `transactions` (27 additive)\n"),
        "{markdown}"
    );

    let run = xtask(
        root.path(),
        &[
            "diff",
            "--json",
            previous.to_str().unwrap(),
            pinned.to_str().unwrap(),
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(json["next_version"], "0.2.0");
    assert_eq!(
        json["counts"],
        serde_json::json!({"breaking": 5, "additive": 121, "none": 0})
    );
    let roles = json["resources"]["roles"].as_array().unwrap();
    assert!(roles.iter().any(|e| e["kind"] == "operation_added"
        && e["pointer"] == "/paths/~1roles/get"
        && e["effect"] == "additive"));

    // The pinned spec against itself: no change, a patch.
    let run = xtask(
        root.path(),
        &["diff", "--json", "--from-pin", pinned.to_str().unwrap()],
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (
            json["bump"].as_str(),
            json["resources"].as_object().map(|r| r.len())
        ),
        (Some("patch"), Some(0))
    );
}

#[test]
fn diff_refuses_a_wrong_number_of_specs() {
    let root = scratch_root();
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff", "only-one.json"])
        .env("GR4VY_XTASK_ROOT", root.path())
        .output()
        .unwrap();
    assert!(!run.status.success());
    let message = String::from_utf8_lossy(&run.stderr);
    assert!(
        message.contains("`diff` takes OLD.json NEW.json, or --from-pin NEW.json"),
        "{message}"
    );
}
