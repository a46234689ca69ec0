//! `cargo xtask history`: regenerates every version of upstream's `openapi.json` in a git
//! repository, oldest first, to see which ones the generator takes before moving the pin (see
//! `docs/spec-changes.md`). Each version goes through the whole pipeline in this process, as
//! `regen --spec --out` would, and nothing is written to `generated/`. `--compile-every N` also
//! builds and tests every Nth crate that regenerates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use gr4vy_codegen::pipeline::{self, Options, SpecInput};

use crate::{Args, USAGE, root};

/// The file of the spec repository that holds the spec.
const SPEC_FILE: &str = "openapi.json";

/// One commit that touched [`SPEC_FILE`].
struct Version {
    sha: String,
    /// Committer date, `YYYY-MM-DD`.
    date: String,
}

/// What became of one version.
enum Outcome {
    /// Regenerated, with these warnings' messages.
    Ok { warnings: Vec<String> },
    /// The file is empty (or only whitespace) or deleted at this commit: what was wrong (for an
    /// empty file, the generator's error).
    Empty { error: String },
    /// The generator refused it: its error's location, and the message.
    Refused { location: String, message: String },
}

pub(crate) fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut a = Args::new(args);
    let repo = a
        .value("--repo")?
        .ok_or_else(|| format!("`history` needs --repo <git dir>\n\n{USAGE}"))?;
    let since = a.value("--since")?;
    let compile_every = match a.value("--compile-every")? {
        None => None,
        Some(n) => match n.parse::<usize>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(format!(
                    "`--compile-every {n}` is not a positive whole number"
                ));
            }
        },
    };
    let keep_going = a.flag(&["--keep-going"]);
    let verbose = a.flag(&["-v", "--verbose"]);
    a.finish()?;

    let repo = PathBuf::from(repo);
    let versions = versions(&repo, since.as_deref())?;
    if versions.is_empty() {
        return Err(format!(
            "{}: no commit touches {SPEC_FILE}{}",
            repo.display(),
            since.map(|s| format!(" since {s}")).unwrap_or_default()
        ));
    }
    let root = root();
    let scratch = tempfile::tempdir().map_err(|e| format!("cannot make a temp dir: {e}"))?;
    let spec_path = scratch.path().join(SPEC_FILE);
    // Shared by every sampled crate, and kept between runs, so dependencies compile once.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("history");

    let mut outcomes = Vec::with_capacity(versions.len());
    let mut regenerated = 0usize;
    let mut compiled: Vec<(String, Compiled)> = Vec::new();
    for version in &versions {
        let short = &version.sha[..version.sha.len().min(7)];
        // A commit that deletes the file touches it too.
        let listed = git(
            &repo,
            &["ls-tree", "--name-only", &version.sha, "--", SPEC_FILE],
        )?;
        if listed.trim_ascii().is_empty() {
            println!(
                "{short} {} absent  {SPEC_FILE} is deleted here",
                version.date
            );
            outcomes.push((
                version,
                Outcome::Empty {
                    error: format!("{SPEC_FILE} is deleted in this commit"),
                },
            ));
            continue;
        }
        let bytes = git(&repo, &["show", &format!("{}:{SPEC_FILE}", version.sha)])?;
        std::fs::write(&spec_path, &bytes)
            .map_err(|e| format!("{}: cannot write: {e}", spec_path.display()))?;
        let options = Options {
            root: root.clone(),
            spec: SpecInput::File(spec_path.clone()),
            standalone: true,
        };
        let outcome = match pipeline::regen(&options) {
            Ok(result) => {
                regenerated += 1;
                println!(
                    "{short} {} ok      {} warning(s)",
                    version.date,
                    result.warnings.len()
                );
                if verbose {
                    for warning in &result.warnings {
                        println!("    warning: {warning}");
                    }
                }
                if compile_every.is_some_and(|n| (regenerated - 1) % n == 0) {
                    let dir = scratch.path().join(short);
                    let verdict = compile(&root, &dir, &target_dir, &result.tree)?;
                    println!("    compile: {verdict}");
                    compiled.push((format!("{short} {}", version.date), verdict));
                    // Only the dependencies are worth keeping; the crate is 20 MB of build output.
                    let _ = std::fs::remove_dir_all(&dir);
                }
                Outcome::Ok {
                    warnings: result.warnings.into_iter().map(|w| w.message).collect(),
                }
            }
            Err(e) => {
                let message = e.message.lines().next().unwrap_or("").to_string();
                println!("{short} {} error   {}: {message}", version.date, e.location);
                if bytes.trim_ascii().is_empty() {
                    Outcome::Empty {
                        error: e.to_string(),
                    }
                } else {
                    Outcome::Refused {
                        location: e.location.to_string(),
                        message,
                    }
                }
            }
        };
        let stop = matches!(outcome, Outcome::Refused { .. }) && !keep_going;
        outcomes.push((version, outcome));
        if stop {
            println!("(stopped at the first refused version; --keep-going walks them all)");
            break;
        }
    }

    summarize(&outcomes, versions.len(), &compiled);
    let refused = outcomes
        .iter()
        .any(|(_, o)| matches!(o, Outcome::Refused { .. }));
    let failed = compiled.iter().any(|(_, v)| !v.passed());
    Ok(if refused || failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints the totals, and the refusals grouped by message (each with its versions).
fn summarize(outcomes: &[(&Version, Outcome)], total: usize, compiled: &[(String, Compiled)]) {
    let mut ok = 0;
    let mut with_warnings = 0;
    let mut empty = Vec::new();
    let mut refused: BTreeMap<&str, Vec<(&Version, &str)>> = BTreeMap::new();
    // Warning message -> how many versions had it (a version with it twice counts once).
    let mut warned: BTreeMap<&str, usize> = BTreeMap::new();
    for (version, outcome) in outcomes {
        match outcome {
            Outcome::Ok { warnings } => {
                ok += 1;
                with_warnings += usize::from(!warnings.is_empty());
                let distinct: std::collections::BTreeSet<&str> =
                    warnings.iter().map(String::as_str).collect();
                for message in distinct {
                    *warned.entry(message).or_default() += 1;
                }
            }
            Outcome::Empty { error } => empty.push((version, error)),
            Outcome::Refused { location, message } => refused
                .entry(message)
                .or_default()
                .push((version, location)),
        }
    }
    let refused_count: usize = refused.values().map(Vec::len).sum();
    println!();
    let walked = if outcomes.len() < total {
        format!(" ({} walked)", outcomes.len())
    } else {
        String::new()
    };
    println!(
        "{total} versions{walked}: {ok} regenerate ({with_warnings} with warnings), \
         {refused_count} refused, {} empty or deleted",
        empty.len()
    );
    for (message, versions) in &refused {
        println!("  refused {}x: {message}", versions.len());
        for (version, location) in versions {
            println!(
                "    {} {} at {location}",
                &version.sha[..version.sha.len().min(7)],
                version.date
            );
        }
    }
    for (message, versions) in &warned {
        println!("  warned in {versions} version(s): {message}");
    }
    for (version, error) in &empty {
        println!(
            "  empty or deleted: {} {} ({error})",
            &version.sha[..version.sha.len().min(7)],
            version.date
        );
    }
    if !compiled.is_empty() {
        let passed = compiled.iter().filter(|(_, v)| v.passed()).count();
        println!(
            "compiled {} sampled versions: {passed} pass, {} fail",
            compiled.len(),
            compiled.len() - passed
        );
        for (version, verdict) in compiled {
            println!("  {version}: {verdict}");
        }
    }
}

/// The commits that touched [`SPEC_FILE`], oldest first (committer dates, as `git log` orders
/// them).
fn versions(repo: &Path, since: Option<&str>) -> Result<Vec<Version>, String> {
    let mut args = vec![
        "log".to_string(),
        "--reverse".into(),
        "--date-order".into(),
        "--format=%H %cs".into(),
    ];
    if let Some(since) = since {
        args.push(format!("--since={since}"));
    }
    args.extend(["--".into(), SPEC_FILE.into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = git(repo, &args)?;
    let text = String::from_utf8(out).map_err(|_| "`git log` printed non-UTF-8".to_string())?;
    Ok(text
        .lines()
        .filter_map(|line| {
            let (sha, date) = line.split_once(' ')?;
            Some(Version {
                sha: sha.to_string(),
                date: date.to_string(),
            })
        })
        .collect())
}

/// Runs git on `repo` (a git directory or a work tree) and returns its standard output.
fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git -C {} {}` failed: {}",
            repo.display(),
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}

/// The line of cargo's output that says best what failed: the first compiler error, else the first
/// panic with the line after it (where the test's assertion message starts), else the first line
/// that mentions an error.
fn first_failure(printed: &str) -> String {
    let lines: Vec<&str> = printed.lines().map(str::trim).collect();
    if let Some(line) = lines
        .iter()
        .find(|l| l.contains("error[") || l.contains(": error:"))
    {
        return line.to_string();
    }
    if let Some(at) = lines.iter().position(|l| l.contains("panicked at")) {
        let next = lines.get(at + 1).copied().unwrap_or("");
        return format!("{} {next}", lines[at]).trim().to_string();
    }
    lines
        .iter()
        .find(|l| l.contains("error") || l.contains("FAILED"))
        .unwrap_or(&"(no error line printed)")
        .to_string()
}

/// What a sampled crate's two cargo runs gave: each `Ok`, or the first line of its failure.
struct Compiled {
    clippy: Result<(), String>,
    tests: Result<(), String>,
}

impl Compiled {
    fn passed(&self) -> bool {
        self.clippy.is_ok() && self.tests.is_ok()
    }
}

impl std::fmt::Display for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (what, verdict)) in [("clippy", &self.clippy), ("tests", &self.tests)]
            .into_iter()
            .enumerate()
        {
            let sep = if i == 0 { "" } else { "; " };
            match verdict {
                Ok(()) => write!(f, "{sep}{what} pass")?,
                Err(first) => write!(f, "{sep}{what} FAIL: {first}")?,
            }
        }
        Ok(())
    }
}

/// Writes the crate into `dir` and runs clippy (warnings denied) and, separately, the example and
/// enum tests there, offline with the workspace's `Cargo.lock`. Each failure is the first error
/// line cargo printed. The tests run even when clippy fails: they build only the library and
/// those two test files, so they still say whether the crate and its spec's examples hold up.
fn compile(
    root: &Path,
    dir: &Path,
    target_dir: &Path,
    tree: &gr4vy_codegen::output::Tree,
) -> Result<Compiled, String> {
    tree.write_atomic(dir).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let run = |args: &[&str]| -> Result<Result<(), String>, String> {
        let output = Command::new(&cargo)
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if output.status.success() {
            return Ok(Ok(()));
        }
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
        Ok(Err(first_failure(&printed)))
    };
    let short = ["--offline", "--message-format", "short"];
    let clippy = run(&[
        &["clippy", "--all-targets"],
        &short[..],
        &["--", "-D", "warnings"],
    ]
    .concat())?;
    let tests = run(&[
        &["test"],
        &short[..],
        &["--no-fail-fast", "--test", "examples", "--test", "enums"],
    ]
    .concat())?;
    Ok(Compiled { clippy, tests })
}

#[cfg(test)]
mod tests {
    use super::first_failure;

    #[test]
    fn the_first_failure_prefers_compiler_errors_then_panics() {
        let compile = "   Compiling gr4vy\nwarning: unused\nsrc/a.rs:1:2: error[E0433]: cannot find `X`\nerror: could not compile";
        assert_eq!(
            first_failure(compile),
            "src/a.rs:1:2: error[E0433]: cannot find `X`"
        );
        let test = "running 2 tests\n---- decodes stdout ----\nthread 'decodes' panicked at tests/examples.rs:9:5:\n3 examples failed\nerror: test failed, to rerun pass `--test examples`";
        assert_eq!(
            first_failure(test),
            "thread 'decodes' panicked at tests/examples.rs:9:5: 3 examples failed"
        );
        assert_eq!(first_failure("nothing"), "(no error line printed)");
    }
}
