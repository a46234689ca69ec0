//! `cargo xtask bench`: every benchmark of the project, summed up in one Markdown table.
//!
//! - `regen`: the pipeline on the pinned spec, phase by phase, in a release build of xtask run as a
//!   child process per sample (so that its peak memory is its own), against the same regen
//!   in-process in this (dev-profile) xtask, as `cargo xtask regen` runs it.
//! - `check`: `cargo check -p gr4vy` from a clean crate with its dependencies built, with every
//!   resource feature and with `transactions` only, and the peak memory of rustc.
//! - `decode`: `generated/benches/decode.rs` (criterion), the generated types against
//!   `serde_json::Value`.
//! - `client`: `generated/benches/client.rs`, requests per second of the SDK against plain
//!   reqwest on a local server, with the SDK's default per-request time limit (the target's
//!   baseline) and without any.
//!
//! Every ratio compares figures measured in the same run: absolute times on a shared two-core
//! machine move from run to run, ratios much less.

use std::fmt::Write as _;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

use gr4vy_codegen::pipeline::{self, Options, SpecInput};

use crate::{Args, root};

/// The benchmarks, in the order they run (`--only NAME` picks one).
const BENCHES: [&str; 4] = ["regen", "check", "decode", "client"];

/// Marks the lines a child prints for this module to read.
const MARK: &str = "gr4vy-bench";

/// Targets of issue 7.
const REGEN_TARGET_SECS: f64 = 0.4;
const REGEN_TARGET_BYTES: u64 = 100_000_000;
const CHECK_ALL_TARGET_SECS: f64 = 20.0;
const CHECK_TRANSACTIONS_TARGET_SECS: f64 = 6.0;
const CHECK_TARGET_BYTES: u64 = 1_000_000_000;
const DECODE_TARGET_SPEEDUP: f64 = 1.5;
const CLIENT_TARGET_RATIO: f64 = 0.95;
/// How many processes the client bench runs in (one with `--quick`).
const CLIENT_PROCESSES: usize = 5;

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut a = Args::new(args);
    // Internal: one regen sample, run by `regen` below in a release build of xtask; `--prepare`
    // first writes the spec caches (for the uncounted first sample).
    if let Some(out) = a.value("--regen-child")? {
        let prepare = a.flag(&["--prepare"]);
        a.finish()?;
        if prepare {
            crate::prepare_spec(&root())?;
        }
        return regen_child(Path::new(&out));
    }
    let quick = a.flag(&["--quick"]);
    let only = a.value("--only")?;
    a.finish()?;
    if let Some(name) = &only {
        if !BENCHES.contains(&name.as_str()) {
            return Err(format!(
                "`--only {name}`: no such benchmark (one of {})",
                BENCHES.join(", ")
            ));
        }
    }

    let mut rows = Vec::new();
    for name in BENCHES {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        eprintln!("== bench {name}");
        match name {
            "regen" => regen(quick, &mut rows)?,
            "check" => check(quick, &mut rows)?,
            "decode" => decode(quick, &mut rows)?,
            _ => client(quick, &mut rows)?,
        }
    }

    let mode = if quick { " --quick" } else { "" };
    let judged: Vec<bool> = rows.iter().filter_map(|r| r.met).collect();
    let met = judged.iter().filter(|m| **m).count();
    println!();
    println!(
        "`cargo xtask bench{mode}`: {met} of {} targets met",
        judged.len()
    );
    println!();
    print!("{}", table(&rows));
    Ok(ExitCode::SUCCESS)
}

/// One line of the table.
struct Row {
    benchmark: String,
    figure: String,
    baseline: String,
    ratio: String,
    target: String,
    /// `None` for a line without a target.
    met: Option<bool>,
}

impl Row {
    fn new(benchmark: &str, figure: String) -> Self {
        Row {
            benchmark: benchmark.to_owned(),
            figure,
            baseline: "—".into(),
            ratio: "—".into(),
            target: "—".into(),
            met: None,
        }
    }

    fn baseline(mut self, baseline: String, ratio: String) -> Self {
        self.baseline = baseline;
        self.ratio = ratio;
        self
    }

    fn target(mut self, target: String, met: bool) -> Self {
        self.target = target;
        self.met = Some(met);
        self
    }
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| benchmark | figure | baseline | ratio | target | met? |\n|---|---:|---:|---:|---|---|\n",
    );
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {met} |",
            r.benchmark, r.figure, r.baseline, r.ratio, r.target
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// regen

/// One regen in this process, timed phase by phase, written to `out`; prints one line for the
/// parent: `gr4vy-bench regen PHASE=NANOSECONDS...`.
fn regen_child(out: &Path) -> Result<ExitCode, String> {
    crate::without_huge_pages();
    let options = Options {
        root: root(),
        spec: SpecInput::Pinned,
        standalone: false,
    };
    let result = pipeline::regen(&options).map_err(|e| e.to_string())?;
    let start = Instant::now();
    result.tree.write_atomic(out).map_err(|e| e.to_string())?;
    let write = start.elapsed();
    let mut line = format!("{MARK} regen");
    for (phase, time) in result.timings.iter().copied().chain([("write", write)]) {
        let _ = write!(line, " {phase}={}", time.as_nanos());
    }
    println!("{line}");
    Ok(ExitCode::SUCCESS)
}

fn regen(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let root = root();
    let runs = if quick { 3 } else { 7 };
    let in_process_runs = if quick { 1 } else { 5 };

    eprintln!("building xtask in release");
    let status = Command::new(cargo())
        .current_dir(&root)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("`cargo build --release -p xtask` failed".into());
    }
    let exe = target_dir()
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    let out = target_dir().join("bench").join("regen-out");

    // The first sample warms the file cache (and creates `out`, which later samples replace as
    // regen replaces generated/); it is not counted. It also writes the pinned spec's cache, so
    // that every sample reads it from disk as a usual regen does: in the child, not here, because
    // the peak RSS the kernel reports for a child (`ru_maxrss`) is never below the peak of the
    // process it was spawned from, so a regen run here would be counted as every child's.
    let mut phases: Vec<(String, Vec<f64>)> = Vec::new();
    let mut totals = Vec::new();
    let mut walls = Vec::new();
    let mut peak = None;
    for sample in 0..=runs {
        eprintln!("regen, release, child process: sample {sample} of {runs}");
        let mut command = Command::new(&exe);
        command
            .current_dir(&root)
            .arg("bench")
            .arg("--regen-child")
            .arg(&out);
        if sample == 0 {
            command.arg("--prepare");
        }
        let run = measure(&mut command, true)?;
        if !run.status.success() {
            return Err(format!("the regen child failed ({})", run.status));
        }
        let line = marked(&run.stdout, "regen")
            .next()
            .ok_or_else(|| format!("the regen child printed no `{MARK} regen` line"))?;
        if sample == 0 {
            continue;
        }
        let mut total = 0.0;
        for field in line.split_whitespace() {
            let (phase, nanos) = field
                .split_once('=')
                .ok_or_else(|| format!("unexpected regen child output `{line}`"))?;
            let secs = nanos
                .parse::<f64>()
                .map_err(|_| format!("unexpected regen child output `{line}`"))?
                / 1e9;
            total += secs;
            match phases.iter_mut().find(|(p, _)| p == phase) {
                Some((_, samples)) => samples.push(secs),
                None => phases.push((phase.to_owned(), vec![secs])),
            }
        }
        totals.push(total);
        walls.push(run.wall.as_secs_f64());
        peak = peak.max(run.max_rss);
    }

    let mut in_process = Vec::new();
    for sample in 1..=in_process_runs {
        eprintln!("regen, dev profile, in process: sample {sample} of {in_process_runs}");
        let start = Instant::now();
        let options = Options {
            root: root.clone(),
            spec: SpecInput::Pinned,
            standalone: false,
        };
        let result = pipeline::regen(&options).map_err(|e| e.to_string())?;
        result.tree.write_atomic(&out).map_err(|e| e.to_string())?;
        drop(result);
        in_process.push(start.elapsed().as_secs_f64());
    }
    let _ = std::fs::remove_dir_all(&out);

    let total = median(&mut totals);
    let dev = median(&mut in_process);
    rows.push(
        Row::new(
            &format!("regen, release (median of {runs}; sum of the phases below)"),
            secs(total),
        )
        .baseline(
            format!("{} in-process, dev profile", secs(dev)),
            ratio(total / dev),
        )
        .target(
            format!("≤ {} s", REGEN_TARGET_SECS),
            total <= REGEN_TARGET_SECS,
        ),
    );
    for (phase, samples) in &mut phases {
        let figure = median(samples);
        rows.push(
            Row::new(&format!("regen: {phase}"), millis(figure))
                .baseline("share of the total".into(), percent(figure / total)),
        );
    }
    let wall = median(&mut walls);
    rows.push(
        Row::new("regen, release: whole process (exec to exit)", secs(wall))
            .baseline(format!("{} phases", secs(total)), ratio(wall / total)),
    );
    match peak {
        Some(bytes) => rows.push(
            Row::new("regen, release: peak memory (max RSS)", megabytes(bytes)).target(
                format!("≤ {}", megabytes(REGEN_TARGET_BYTES)),
                bytes <= REGEN_TARGET_BYTES,
            ),
        ),
        None => rows.push(Row::new(
            "regen, release: peak memory (max RSS)",
            "not measured on this OS".into(),
        )),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// check

fn check(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let runs = if quick { 1 } else { 3 };
    let target = target_dir().join("bench-check");
    let cargo_in = |args: &[&str]| {
        let mut command = Command::new(cargo());
        command
            .current_dir(root())
            .env("CARGO_TARGET_DIR", &target)
            .args(args);
        command
    };
    eprintln!(
        "building the dependencies of gr4vy into {}",
        target.display()
    );
    let status = cargo_in(&["check", "--quiet", "-p", "gr4vy"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("`cargo check -p gr4vy` failed".into());
    }

    // The default features are every resource plus `serialize` and `deserialize`: the whole crate.
    // The third variant shows what the two directions cost a `transactions`-only service.
    let variants: [(&str, &[&str]); 3] = [
        ("all features", &[]),
        (
            "`--no-default-features --features transactions`",
            &["--no-default-features", "--features", "transactions"],
        ),
        (
            "`--no-default-features --features transactions,serialize,deserialize`",
            &[
                "--no-default-features",
                "--features",
                "transactions,serialize,deserialize",
            ],
        ),
    ];
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    let mut peaks = [None, None, None];
    for sample in 1..=runs {
        // Interleaved, so that a slow moment of the machine does not fall on one variant only.
        for (at, (name, args)) in variants.iter().enumerate() {
            eprintln!("cargo check -p gr4vy, {name}: sample {sample} of {runs}");
            let clean = cargo_in(&["clean", "--quiet", "-p", "gr4vy"])
                .stderr(Stdio::null())
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !clean.success() {
                return Err("`cargo clean -p gr4vy` failed".into());
            }
            let mut command = cargo_in(&["check", "--quiet", "-p", "gr4vy"]);
            command.args(*args);
            let run = measure(&mut command, false)?;
            if !run.status.success() {
                return Err(format!("`cargo check -p gr4vy` ({name}) failed"));
            }
            times[at].push(run.wall.as_secs_f64());
            peaks[at] = peaks[at].max(run.max_rss);
        }
    }

    let all = median(&mut times[0]);
    let transactions = median(&mut times[1]);
    let of = format!("median of {runs}");
    rows.push(
        Row::new(
            &format!("cargo check -p gr4vy, all features ({of})"),
            secs(all),
        )
        .target(
            format!("≤ {} s", CHECK_ALL_TARGET_SECS),
            all <= CHECK_ALL_TARGET_SECS,
        ),
    );
    rows.push(
        Row::new(
            &format!("cargo check -p gr4vy, `transactions` only ({of})"),
            secs(transactions),
        )
        .baseline(
            format!("{} all features", secs(all)),
            ratio(transactions / all),
        )
        .target(
            format!("≤ {} s", CHECK_TRANSACTIONS_TARGET_SECS),
            transactions <= CHECK_TRANSACTIONS_TARGET_SECS,
        ),
    );
    let both = median(&mut times[2]);
    rows.push(
        Row::new(
            &format!("cargo check -p gr4vy, `transactions` + `serialize` + `deserialize` ({of})"),
            secs(both),
        )
        .baseline(format!("{} all features", secs(all)), ratio(both / all)),
    );
    for (peak, name) in peaks.iter().zip([
        "all features",
        "`transactions` only",
        "`transactions` + both directions",
    ]) {
        let benchmark = format!("cargo check -p gr4vy, {name}: peak memory (max RSS of rustc)");
        rows.push(match peak {
            Some(bytes) => Row::new(&benchmark, megabytes(*bytes)).target(
                format!("≤ {}", megabytes(CHECK_TARGET_BYTES)),
                *bytes <= CHECK_TARGET_BYTES,
            ),
            None => Row::new(&benchmark, "not measured on this OS".into()),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// decode

fn decode(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    let criterion = target_dir().join("criterion");
    // The spec's example of a Transaction, put together from its properties' examples.
    let api =
        gr4vy_codegen::pipeline::lower_spec(&root(), gr4vy_codegen::pipeline::SpecInput::Pinned)
            .map_err(|e| e.to_string())?;
    let sample = gr4vy_codegen::ir::sample::sample(&api, "Transaction")
        .ok_or("the spec has no `Transaction` schema to sample")?;
    let sample_path = target_dir().join("bench-samples").join("transaction.json");
    if let Some(dir) = sample_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_vec(&sample).map_err(|e| e.to_string())?;
    std::fs::write(&sample_path, text).map_err(|e| format!("{}: {e}", sample_path.display()))?;

    let started = SystemTime::now();
    let mut command = Command::new(cargo());
    command
        .current_dir(root())
        .env("CRITERION_HOME", &criterion)
        .env("GR4VY_BENCH_SAMPLE", &sample_path)
        .args(["bench", "-p", "gr4vy", "--bench", "decode", "--"]);
    if quick {
        command.args([
            "--warm-up-time",
            "1",
            "--measurement-time",
            "1",
            "--sample-size",
            "10",
        ]);
    }
    quick_env(&mut command, quick);
    let run = measure(&mut command, true)?;
    if !run.status.success() {
        return Err("`cargo bench -p gr4vy --bench decode` failed".into());
    }
    // The targets are for the spec's example and the page; the docs' transaction is shown
    // beside them because it is a real response, with more text and fewer keys (see README).
    for (group, key, what, targeted) in [
        (
            "decode_spec_transaction",
            "decode.spec_transaction.speedup",
            "one Transaction (the spec's example, from its properties' examples)",
            true,
        ),
        (
            "decode_transaction",
            "decode.transaction.speedup",
            "one Transaction (the API docs' example)",
            false,
        ),
        (
            "decode_page",
            "decode.page.speedup",
            "a page of 100 transaction summaries",
            true,
        ),
    ] {
        let typed = estimate(&criterion, group, "typed", started)?;
        let value = estimate(&criterion, group, "value", started)?;
        // Criterion times one side after the other; the ratio is from rounds that time both back
        // to back (see benches/decode.rs), criterion's is shown beside it.
        let speedup = figure(&run.stdout, key)?;
        let row = Row::new(
            &format!("decode {what}, typed (criterion median; ratio: median of paired rounds)"),
            nanos(typed),
        )
        .baseline(
            format!("{} as `serde_json::Value`", nanos(value)),
            format!(
                "{speedup:.2}x faster ({:.2}x by the medians)",
                value / typed
            ),
        );
        rows.push(if targeted {
            row.target(
                format!("≥ {DECODE_TARGET_SPEEDUP}x faster"),
                speedup >= DECODE_TARGET_SPEEDUP,
            )
        } else {
            row
        });
    }
    Ok(())
}

/// The median point estimate of a criterion benchmark, in nanoseconds, written since `since`.
fn estimate(criterion: &Path, group: &str, bench: &str, since: SystemTime) -> Result<f64, String> {
    let path = criterion.join(group).join(bench).join("new/estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| modified >= since);
    if !fresh {
        return Err(format!("{}: not written by this run", path.display()));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    json["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median.point_estimate", path.display()))
}

// ---------------------------------------------------------------------------------------------
// client

fn client(quick: bool, rows: &mut Vec<Row>) -> Result<(), String> {
    // A process's memory layout moves its ratios by a point or two, whatever the rounds inside it
    // do, so the bench runs in several processes and each figure is their median.
    let processes = if quick { 1 } else { CLIENT_PROCESSES };
    let mut outputs = Vec::with_capacity(processes);
    for _ in 0..processes {
        let mut command = Command::new(cargo());
        command
            .current_dir(root())
            .args(["bench", "-p", "gr4vy", "--bench", "client"]);
        quick_env(&mut command, quick);
        let run = measure(&mut command, true)?;
        if !run.status.success() {
            return Err("`cargo bench -p gr4vy --bench client` failed".into());
        }
        outputs.push(run.stdout);
    }
    let figure = |key: &str| -> Result<f64, String> {
        let mut values = outputs
            .iter()
            .map(|output| figure(output, key))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(median(&mut values))
    };
    let of = if processes == 1 {
        String::new()
    } else {
        format!(", median of {processes} processes")
    };
    for (mode, what) in [
        ("sequential", "one at a time"),
        ("concurrent", "32 concurrent tasks"),
    ] {
        // The targets' baseline is a plain call with the same time limit as the SDK's default
        // (see the bench's module docs); the one without any limit shows what the timer costs.
        for (ours, spans, baseline, label, target) in [
            ("gr4vy", "", "reqwest", "same 90 s timeout", true),
            (
                "gr4vy_spans",
                ", spans on (a subscriber at INFO)",
                "reqwest",
                "same 90 s timeout",
                true,
            ),
            ("gr4vy", "", "reqwest_no_timeout", "no timeout", false),
        ] {
            let rate = figure(&format!("client.{mode}.{ours}"))?;
            let plain = figure(&format!("client.{mode}.{baseline}"))?;
            // The median of per-round ratios: each round runs the clients back to back.
            let ratio = figure(&format!("client.{mode}.ratio.{ours}.{baseline}"))?;
            let row = Row::new(
                &format!(
                    "client: `transactions().get(id).send()`, {what}{spans} (median of paired \
                     rounds{of})"
                ),
                format!("{rate:.0} req/s"),
            )
            .baseline(
                format!("{plain:.0} req/s plain reqwest + serde_json, {label}"),
                format!("{ratio:.3}x"),
            );
            rows.push(if target {
                row.target(
                    format!("≥ {CLIENT_TARGET_RATIO}x"),
                    ratio >= CLIENT_TARGET_RATIO,
                )
            } else {
                row
            });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// helpers

/// What [`measure`] saw of a child.
struct Run {
    status: ExitStatus,
    /// From spawning to reaping.
    wall: Duration,
    /// The largest resident set of the child or of any descendant it waited for, in bytes.
    max_rss: Option<u64>,
    /// Its standard output, when captured (it is shown on our stderr either way).
    stdout: String,
}

/// Runs `command` to the end, timing it and reading its peak memory.
fn measure(command: &mut Command, capture: bool) -> Result<Run, String> {
    command.stdin(Stdio::null());
    command.stdout(if capture {
        Stdio::piped()
    } else {
        Stdio::from(std::io::stderr())
    });
    let start = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    // Captured output is also shown as it comes, on our stderr.
    let mut stdout = String::new();
    if let Some(pipe) = child.stdout.take() {
        for line in std::io::BufReader::new(pipe).lines() {
            let line = line.map_err(|e| {
                format!("cannot read the output of {:?}: {e}", command.get_program())
            })?;
            eprintln!("{line}");
            stdout.push_str(&line);
            stdout.push('\n');
        }
    }
    let (status, max_rss) = wait(child)?;
    Ok(Run {
        status,
        wall: start.elapsed(),
        max_rss,
        stdout,
    })
}

/// Reaps `child` with `wait4`, whose resource usage covers the child and the descendants it
/// reaped (cargo's rustc), as `/usr/bin/time` reports it.
#[cfg(unix)]
fn wait(child: std::process::Child) -> Result<(ExitStatus, Option<u64>), String> {
    use std::os::unix::process::ExitStatusExt;
    let pid = libc::pid_t::try_from(child.id()).map_err(|_| "a child id out of range")?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our child, not reaped yet (`child` is never waited on); both pointers
        // are to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("cannot wait for a child: {error}"));
        }
    }
    // Kilobytes on Linux, bytes on macOS.
    let unit = if cfg!(target_vendor = "apple") {
        1
    } else {
        1024
    };
    let max_rss = u64::try_from(usage.ru_maxrss).ok().map(|v| v * unit);
    Ok((ExitStatus::from_raw(status), max_rss))
}

#[cfg(not(unix))]
fn wait(mut child: std::process::Child) -> Result<(ExitStatus, Option<u64>), String> {
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for a child: {e}"))?;
    Ok((status, None))
}

/// `GR4VY_BENCH_QUICK=1` tells the benches of the generated crate to do less.
fn quick_env(command: &mut Command, quick: bool) {
    if quick {
        command.env("GR4VY_BENCH_QUICK", "1");
    } else {
        command.env_remove("GR4VY_BENCH_QUICK");
    }
}

/// The number on the `gr4vy-bench KEY NUMBER` line of a bench's `output`.
fn figure(output: &str, key: &str) -> Result<f64, String> {
    marked(output, key)
        .next()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("the benchmark printed no `{MARK} {key}` line"))
}

/// The rest of each `gr4vy-bench KEY rest` line of `output`.
fn marked<'a>(output: &'a str, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    output.lines().filter_map(move |line| {
        let rest = line.strip_prefix(MARK)?.strip_prefix(' ')?;
        rest.strip_prefix(key)?.strip_prefix(' ')
    })
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Cargo's target directory: this executable is `<target>/<profile>/xtask`.
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| root().join("target"))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn secs(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.3} s")
    } else {
        format!("{s:.1} s")
    }
}

fn millis(s: f64) -> String {
    format!("{:.1} ms", s * 1e3)
}

fn nanos(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb < 1000.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{:.2} GB", mb / 1e3)
    }
}

fn ratio(r: f64) -> String {
    format!("{r:.2}x")
}

fn percent(r: f64) -> String {
    format!("{:.0}%", r * 100.0)
}
