//! `cargo xtask`: the project's commands. Run `cargo xtask help` for the list.

mod bench;
mod history;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use gr4vy_codegen::output::Written;
use gr4vy_codegen::pipeline::{self, Options, SpecInput};
use gr4vy_codegen::spec::source::Pin;

/// The allocator of every xtask command. Regen builds and drops millions of small objects (the
/// spec as JSON values, token streams, syn syntax trees, strings): with glibc's malloc about a third
/// of its CPU time went to allocating and freeing (perf), and mimalloc (per-thread free lists, no
/// consolidation passes) cut regen's CPU time by about a fifth (`cargo xtask bench --only regen`,
/// interleaved with a build without it). The generator library itself stays allocator-agnostic.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps regen's peak memory near its live data. Where transparent huge pages are on for every
/// mapping (`/sys/kernel/mm/transparent_hugepage/enabled` = `always`, as on our machines), each
/// region mimalloc touches is backed by 2 MiB pages, which took regen's peak RSS from about 52 MB
/// to 80–85 MB, and more with more threads. Small pages cost more page faults, up to about 20 ms
/// of regen's time in our measurements (often lost in the noise), a fair price for staying well
/// under its 100 MB budget. The flag is inherited by child processes, so only the regen commands,
/// which run no compiler, set it.
pub(crate) fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` only sets a flag of this process; a kernel
    // that does not know it returns an error, which changes nothing and is ignored.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  regen [--check] [-v] [--spec PATH] [--out DIR]
        Generate the gr4vy crate into generated/ (or DIR) from the pinned spec (or PATH).
        --check  write nothing; exit 1 listing each file that differs, is missing or is extra
        -v       print each overlay action's match count and each phase's time
        --spec   generate from an unpinned openapi.json (to try a new spec version)
        --out    write the crate to DIR instead, as a standalone crate
        When the spec's sha256 differs from the one in the crate's api-surface.json, the changes
        to the Rust API and their semver bump are added at the top of the crate's CHANGELOG.md.
        With --spec or --out it also prints the type and operation counts, each overlay action's
        match count, and (with --out) the changes to the Rust API against the pinned crate in
        generated/. Warnings (what the generator let through or worked around) always print.
  history --repo GIT_DIR [--since DATE] [--compile-every N] [--keep-going] [-v]
        Regenerate every version of openapi.json in a clone of Gr4vy's spec repository, oldest
        first, in process (nothing is written to generated/): one line per commit (short sha,
        date, ok with its warning count, or the error), then the totals and the refusals grouped
        by message, and each warning with the number of versions that had it. Run it before
        moving the pin (docs/spec-changes.md).
        --since          only commits from DATE on (as `git log --since`: 2025-08-01)
        --compile-every  write every Nth version that regenerates to a temp dir and run
                         `cargo clippy --all-targets -- -D warnings` and
                         `cargo test --test examples --test enums` there, offline with this
                         workspace's Cargo.lock; they share the target dir
                         $CARGO_TARGET_DIR/history (else target/history), so dependencies
                         compile once
        --keep-going     walk every version; without it the walk stops at the first refusal
        -v               print each warning
        Exits 1 if a version was refused (an empty file is counted apart) or a sample failed.
  diff [--json] OLD.json NEW.json | diff [--json] --from-pin NEW.json
        Lower two specs as regen does and list what changed in the generated Rust API, each
        change breaking, additive or none, with the semver bump (Markdown, or JSON with --json).
        --from-pin compares the pinned spec with NEW.json.
  vendor [--from PATH]
        Copy the pinned spec into spec/openapi.json after checking its sha256.
  test [-- ARGS]
        Install the test tools into .tools/ if missing (Prism, with npm; a Python virtualenv
        .tools/venv with PyJWT and cryptography, with python3 -m venv and pip), then run
        `cargo test --workspace ARGS` with GR4VY_PRISM pointing at Prism and GR4VY_PYTHON at
        the virtualenv's python.
  conformance [-- ARGS]
        Set up as `test` does, then call every operation through the generated client against
        Prism, which validates each request (generated/tests/conformance.rs, run by name from
        `cargo test --workspace --tests ARGS`). Prints a table of operation, status and request
        violations.
  fuzz [--seconds N] [--seed S]
        Mutate the fixture specs and overlays at random for N seconds (default 60) and check
        that the generator never panics on them (generator/tests/fuzz/, built in release with
        overflow checks, the cases in child processes). --seed replays a run: it is printed as
        the base seed; failing seeds are also saved in generator/tests/fuzz/*.proptest-regressions.
  bench [--quick] [--only regen|check|decode|client]
        Run the benchmarks and print one Markdown table (figure, baseline, ratio, target):
        regen phase by phase and its peak memory (release build, a child process per sample);
        `cargo check -p gr4vy` with all features and with `transactions` only, from a clean
        crate (target/bench-check); decoding into the generated types against
        serde_json::Value (generated/benches/decode.rs, criterion); requests per second of the
        client against plain reqwest on a local server (generated/benches/client.rs).
        --quick  fewer samples and shorter measurements, for a smoke test
";

/// The Prism release the tests run against (npm `@stoplight/prism-cli`); 5.15 and later need
/// Node 24, CI has Node 20.
const PRISM_VERSION: &str = "5.14.2";

/// What `tests/auth_pyjwt.rs` checks our JWTs with: PyJWT, a verifier no one here wrote, and
/// cryptography for its ES512 and for reading the PEM keys. Exact pins (the latest releases on PyPI
/// when chosen) so a new release cannot change what the test means; bumping one reinstalls.
const PYTHON_PACKAGES: [&str; 2] = ["pyjwt==2.15.1", "cryptography==50.0.2"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(&args[1..]),
        Some("vendor") => vendor(&args[1..]),
        Some("diff") => diff(&args[1..]),
        Some("history") => history::run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("conformance") => conformance(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it. `GR4VY_XTASK_ROOT` points elsewhere, which the
/// end-to-end tests use to run regen on a scratch copy of `spec/` and `templates/`.
fn root() -> PathBuf {
    if let Some(root) = std::env::var_os("GR4VY_XTASK_ROOT") {
        return PathBuf::from(root);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Minimal flag parsing: `--flag`, `-v`, and `--opt VALUE`; whatever is left over is an error.
struct Args {
    rest: Vec<String>,
}

impl Args {
    fn new(args: &[String]) -> Self {
        Args {
            rest: args.to_vec(),
        }
    }

    fn flag(&mut self, names: &[&str]) -> bool {
        let before = self.rest.len();
        self.rest.retain(|a| !names.contains(&a.as_str()));
        self.rest.len() != before
    }

    fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(at) = self.rest.iter().position(|a| a == name) else {
            return Ok(None);
        };
        if at + 1 >= self.rest.len() {
            return Err(format!("`{name}` needs a value"));
        }
        let value = self.rest.remove(at + 1);
        self.rest.remove(at);
        Ok(Some(value))
    }

    fn finish(self) -> Result<(), String> {
        match self.rest.first() {
            None => Ok(()),
            Some(extra) => Err(format!("unexpected argument `{extra}`\n\n{USAGE}")),
        }
    }
}

fn regen(args: &[String]) -> Result<ExitCode, String> {
    let mut a = Args::new(args);
    let check = a.flag(&["--check"]);
    let verbose = a.flag(&["-v", "--verbose"]);
    let spec = a.value("--spec")?;
    let out = a.value("--out")?;
    a.finish()?;
    without_huge_pages();

    let root = root();
    let default_out = root.join("generated");
    let out_dir = out
        .map(PathBuf::from)
        .unwrap_or_else(|| default_out.clone());
    let spec_input = match &spec {
        Some(path) => SpecInput::File(PathBuf::from(path)),
        None => SpecInput::Pinned,
    };
    let options = Options {
        root: root.clone(),
        spec: spec_input,
        standalone: out_dir != default_out,
    };
    let mut result = pipeline::regen(&options).map_err(|e| e.to_string())?;
    if options.standalone {
        result.changes =
            gr4vy_codegen::diff::add_changelog(&mut result.tree, &result.api, &out_dir)
                .map_err(|e| e.to_string())?;
    }

    if spec.is_some() {
        eprintln!(
            "note: generating from {} — not the pinned spec",
            result.spec_origin
        );
    }
    for stale in &result.stale_invalid_examples {
        eprintln!("warning: {}: {stale}", pipeline::INVALID_EXAMPLES_FILE);
    }
    for warning in &result.warnings {
        eprintln!("warning: {warning}");
    }
    let trying = spec.is_some() || options.standalone;
    if verbose || trying {
        let stats = &result.api.stats;
        println!(
            "{} types, {} operations ({} left out by x-speakeasy-ignore), API version {}; not \
             generated: {} component schemas no operation reaches, {} properties marked \
             x-speakeasy-ignore",
            result.api.types.iter().count(),
            result.api.operations.len(),
            stats.ignored_operations,
            result.api.api_version,
            stats.unreachable_schemas.len(),
            stats.ignored_properties,
        );
    }
    if verbose || trying {
        for action in &result.summary.overlay_actions {
            let what = action.description.as_deref().unwrap_or("");
            println!(
                "overlay {} #{} {:?} `{}`: {} matched{}",
                action.file,
                action.action,
                action.kind,
                action.target,
                action.matched,
                if what.is_empty() {
                    String::new()
                } else {
                    format!(" ({what})")
                }
            );
        }
    }
    if verbose {
        for (phase, time) in &result.timings {
            println!("{phase:>8}: {:>7.1} ms", time.as_secs_f64() * 1e3);
        }
    }

    if let Some(report) = &result.changes {
        println!(
            "API changes since the spec of {}: {}",
            out_dir.display(),
            report.summary().replace("**", "")
        );
    }
    if options.standalone {
        print_changes_from_pin(&default_out, &result.api)?;
    }
    if check {
        let changes = result.tree.diff(&out_dir).map_err(|e| e.to_string())?;
        if changes.is_empty() {
            println!(
                "{} is up to date ({} files)",
                out_dir.display(),
                result.tree.files().count()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} is out of date; run `cargo xtask regen`:",
            out_dir.display()
        );
        for change in &changes {
            eprintln!("  {change}");
        }
        return Ok(ExitCode::FAILURE);
    }

    if let Some(verified) = &result.to_cache {
        let pin = Pin::load(&root).map_err(|e| e.to_string())?;
        let path = pin
            .write_cache(&root, verified)
            .map_err(|e| e.to_string())?;
        println!(
            "vendored the pinned spec from {} into {}",
            verified.origin,
            path.display()
        );
    }
    if spec.is_none() {
        write_overlaid(&root, &result)?;
    }
    let written = result
        .tree
        .write_atomic(&out_dir)
        .map_err(|e| e.to_string())?;
    let total = result.tree.files().count();
    match written {
        Written::UpToDate => println!("{} is up to date ({total} files)", out_dir.display()),
        Written::Replaced { changed } => println!(
            "wrote {} ({changed} of {total} files new, changed or removed)",
            out_dir.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the changes to the Rust API from the crate in `pinned` (its `api-surface.json`) to
/// `api`, as the changelog would list them: what moving the pin to this spec would mean.
fn print_changes_from_pin(pinned: &Path, api: &gr4vy_codegen::ir::Api) -> Result<(), String> {
    use gr4vy_codegen::diff;
    let path = pinned.join(diff::SURFACE_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("({} is missing: no changes to list)", path.display());
            return Ok(());
        }
        Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
    };
    let old: diff::Surface = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{}: cannot read the API surface: {e}", path.display()))?;
    let report = diff::diff(&old, &diff::surface(api));
    // Worded apart from the changelog's "API changes since ..." line, which is about DIR.
    println!(
        "Moving the pin to this spec, compared with the crate in {}:\n",
        pinned.display()
    );
    print!("{}", report.markdown());
    Ok(())
}

/// `diff [--json] OLD NEW` or `diff [--json] --from-pin NEW`: the changes to the generated Rust API.
fn diff(args: &[String]) -> Result<ExitCode, String> {
    let mut a = Args::new(args);
    let json = a.flag(&["--json"]);
    let from_pin = a.flag(&["--from-pin"]);
    let paths = std::mem::take(&mut a.rest);
    if let Some(flag) = paths.iter().find(|p| p.starts_with('-')) {
        return Err(format!("unexpected argument `{flag}`\n\n{USAGE}"));
    }
    let (old, new) = match (from_pin, paths.as_slice()) {
        (true, [new]) => (SpecInput::Pinned, new),
        (false, [old, new]) => (SpecInput::File(PathBuf::from(old)), new),
        _ => {
            return Err(format!(
                "`diff` takes OLD.json NEW.json, or --from-pin NEW.json\n\n{USAGE}"
            ));
        }
    };
    let root = root();
    let lower = |spec| pipeline::lower_spec(&root, spec).map_err(|e| e.to_string());
    let new = SpecInput::File(PathBuf::from(new));
    // The two specs are lowered at once, the new one on a second thread; the old one's error, if
    // any, is still the one reported.
    let (old, new) = std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().spawn_scoped(scope, || lower(new.clone()));
        let old = lower(old);
        let new = match thread {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // Without a second thread (the system refused one), this one lowers both.
            Err(_) => lower(new.clone()),
        };
        (old, new)
    });
    let old = gr4vy_codegen::diff::surface(&old?);
    let new = gr4vy_codegen::diff::surface(&new?);
    let report = gr4vy_codegen::diff::diff(&old, &new);
    if json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", report.markdown());
    }
    Ok(ExitCode::SUCCESS)
}

fn vendor(args: &[String]) -> Result<ExitCode, String> {
    let mut a = Args::new(args);
    let from = a.value("--from")?.map(PathBuf::from);
    a.finish()?;
    let root = root();
    let pin = Pin::load(&root).map_err(|e| e.to_string())?;
    let verified = pin
        .fetch(&root, from.as_deref())
        .map_err(|e| e.to_string())?;
    let path = pin
        .write_cache(&root, &verified)
        .map_err(|e| e.to_string())?;
    println!(
        "vendored {} into {} (sha256 {})",
        verified.origin,
        path.display(),
        pin.pin.sha256
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs the workspace's tests with the tools they need; `-p`/`--package` in `args` replaces
/// `--workspace`.
fn test(args: &[String]) -> Result<ExitCode, String> {
    let args = strip_dashes(args);
    let mut cargo_args = vec!["test".to_string()];
    if !args.iter().any(|a| a == "-p" || a.starts_with("--package")) {
        cargo_args.push("--workspace".into());
    }
    cargo_args.extend(args.iter().cloned());
    cargo_with_tools(&cargo_args)
}

/// The generated crate's conformance test (`generated/tests/conformance.rs`).
const CONFORMANCE_TEST: &str = "every_operation_conforms_to_the_spec";

/// Runs the conformance test with the tools it needs, showing its output: the table of operations,
/// statuses and Prism's request violations. It is picked by name out of `cargo test --workspace
/// --tests`, which resolves dependency features as `test` does and so reuses its build
/// (`-p gr4vy --test conformance` rebuilds about 50 crates with other features: 4 minutes in CI).
fn conformance(args: &[String]) -> Result<ExitCode, String> {
    let mut cargo_args: Vec<String> = ["test", "--workspace", "--tests"].map(String::from).into();
    cargo_args.extend(strip_dashes(args).iter().cloned());
    cargo_args.extend(["--", "--exact", CONFORMANCE_TEST, "--nocapture"].map(String::from));
    cargo_with_tools(&cargo_args)
}

/// How long `fuzz` runs without `--seconds`.
const FUZZ_SECONDS: u64 = 60;

/// Runs the fuzz targets of `generator/tests/fuzz/` for a while: `cargo test --release` with
/// `GR4VY_FUZZ_SECONDS` (and `GR4VY_FUZZ_SEED`) set. Overflow checks and debug assertions stay on,
/// as in a fuzzing build, so that an arithmetic overflow is a crash here too.
fn fuzz(args: &[String]) -> Result<ExitCode, String> {
    let mut a = Args::new(args);
    let seconds = match a.value("--seconds")? {
        None => FUZZ_SECONDS,
        Some(s) => s
            .parse::<u64>()
            .map_err(|_| format!("`--seconds {s}` is not a whole number of seconds"))?,
    };
    let seed = a.value("--seed")?;
    if let Some(s) = &seed {
        s.parse::<u64>().map_err(|_| {
            format!("`--seed {s}` is not an unsigned integer (use a printed base seed)")
        })?;
    }
    a.finish()?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root())
        .args(["test", "--release", "-p", "gr4vy-codegen", "--test", "fuzz"])
        .args(["--config", "profile.release.overflow-checks=true"])
        .args(["--config", "profile.release.debug-assertions=true"])
        .args(["--", "--nocapture"])
        .env("GR4VY_FUZZ_SECONDS", seconds.to_string());
    match &seed {
        Some(s) => command.env("GR4VY_FUZZ_SEED", s),
        None => command.env_remove("GR4VY_FUZZ_SEED"),
    };
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

/// `cargo xtask test -- ARGS` and `cargo xtask test ARGS` mean the same.
fn strip_dashes(args: &[String]) -> &[String] {
    match args.first() {
        Some(dashes) if dashes == "--" => &args[1..],
        _ => args,
    }
}

/// Writes the spec caches, installs Prism and the Python virtualenv if needed, and runs cargo with
/// `GR4VY_PRISM` and `GR4VY_PYTHON` set.
fn cargo_with_tools(cargo_args: &[String]) -> Result<ExitCode, String> {
    let root = root();
    prepare_spec(&root)?;
    let prism = prism(&root)?;
    let python = python(&root)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(cargo_args)
        .env("GR4VY_PRISM", &prism)
        .env("GR4VY_PYTHON", &python)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Tests read the pinned spec's cache and the overlaid `spec/openapi.speakeasy.json`, both
/// git-ignored; a fresh clone has neither. Runs the pipeline (which verifies the pin) and writes them,
/// leaving `generated/` alone.
fn prepare_spec(root: &Path) -> Result<(), String> {
    let options = Options {
        root: root.to_path_buf(),
        spec: SpecInput::Pinned,
        standalone: false,
    };
    let result = pipeline::regen(&options).map_err(|e| e.to_string())?;
    if let Some(verified) = &result.to_cache {
        let pin = Pin::load(root).map_err(|e| e.to_string())?;
        pin.write_cache(root, verified).map_err(|e| e.to_string())?;
    }
    write_overlaid(root, &result)
}

/// Writes `spec/openapi.speakeasy.json` unless it already holds the overlaid spec (so that its
/// modification time says when the overlaid spec last changed).
fn write_overlaid(root: &Path, result: &pipeline::Regen) -> Result<(), String> {
    let overlaid = root.join(pipeline::OVERLAID_FILE);
    let json = result.overlaid_json().map_err(|e| e.to_string())?;
    if std::fs::read(&overlaid).ok().as_deref() != Some(json.as_slice()) {
        std::fs::write(&overlaid, &json)
            .map_err(|e| format!("{}: cannot write: {e}", overlaid.display()))?;
    }
    Ok(())
}

/// Prism, installed into the git-ignored `.tools/` when missing (or not the pinned version);
/// returns its executable.
fn prism(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join(".tools");
    let bin = tools.join("node_modules/.bin/prism");
    let manifest = tools.join("node_modules/@stoplight/prism-cli/package.json");
    let installed = std::fs::read_to_string(manifest).unwrap_or_default();
    if bin.is_file() && installed.contains(&format!("\"version\": \"{PRISM_VERSION}\"")) {
        return Ok(bin);
    }
    let package = format!("@stoplight/prism-cli@{PRISM_VERSION}");
    println!("installing {package} into {}", tools.display());
    let status = Command::new("npm")
        .args(["install", "--prefix"])
        .arg(&tools)
        .args(["--no-audit", "--no-fund", &package])
        .status()
        .map_err(|e| format!("cannot run npm ({e}); the tests need Node.js 20+ with npm"))?;
    if !status.success() || !bin.is_file() {
        return Err(format!(
            "`npm install {package}` into {} failed",
            tools.display()
        ));
    }
    Ok(bin)
}

/// The python of a virtualenv `.tools/venv` (git-ignored) holding [`PYTHON_PACKAGES`], created and
/// filled when missing; returns that python. A virtualenv rather than `pip install --user` so the
/// tests never depend on, or change, what the machine's own Python has. A marker file named after
/// the pins says they are installed, so a later run costs one `stat` and a changed pin reinstalls.
fn python(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".tools/venv");
    let bin = venv.join("bin/python");
    let marker_name = format!(".installed-{}", PYTHON_PACKAGES.join("-"));
    let marker = venv.join(&marker_name);
    if bin.is_file() && marker.is_file() {
        return Ok(bin);
    }
    let need =
        "the tests need Python 3 with its venv module (Debian: apt-get install python3-venv)";
    if !bin.is_file() {
        // `--clear`: a virtualenv whose python is gone (the machine's Python was replaced) is
        // rebuilt rather than patched.
        println!("creating a Python virtualenv in {}", venv.display());
        let status = Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv)
            .status()
            .map_err(|e| format!("cannot run python3 ({e}); {need}"))?;
        if !status.success() || !bin.is_file() {
            return Err(format!(
                "`python3 -m venv --clear {}` failed; {need}",
                venv.display()
            ));
        }
    }
    println!(
        "installing {} into {}",
        PYTHON_PACKAGES.join(" "),
        venv.display()
    );
    let pip = ["-m", "pip", "install", "--disable-pip-version-check", "-q"];
    let status = Command::new(&bin)
        .args(pip)
        .args(PYTHON_PACKAGES)
        .status()
        .map_err(|e| format!("cannot run {} ({e}); {need}", bin.display()))?;
    if !status.success() {
        return Err(format!(
            "`{} {} {}` failed; {need}, and PyPI reachable",
            bin.display(),
            pip.join(" "),
            PYTHON_PACKAGES.join(" ")
        ));
    }
    // Markers of earlier pins would otherwise claim packages that are no longer installed.
    if let Ok(entries) = std::fs::read_dir(&venv) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".installed-") && name != marker_name.as_str() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    std::fs::write(&marker, "").map_err(|e| format!("{}: cannot write: {e}", marker.display()))?;
    Ok(bin)
}
