//! The generator never panics on input: property-based fuzzing of the in-memory passes.
//!
//! cargo-fuzz needs a nightly toolchain, so this is proptest driving the passes directly. Two
//! targets, each a `#[test]`:
//!
//! - [`fuzz_spec_mutations`]: a seed spec ([`inputs`]) with 1 to 8 [`mutations::Mutation`]s
//!   applied, then `pipeline::generate` (view and audit, lower, emit with prettyplease) in memory;
//! - [`fuzz_overlay_actions`]: random overlay actions ([`overlay_cases`]), optionally through
//!   `overlay::parse` and with the overlay document itself mutated, applied with
//!   `overlay::apply`, then the passes as above.
//!
//! Every run must end in `Ok` or an `Err(gr4vy_codegen::Error)`. A panic fails the test with the
//! shrunk (minimal) case, the panic's message and location, and the mutations it applied.
//!
//! The runner is proptest's own. `cargo test` runs [`QUICK_CASES`] cases per target in process
//! with a fixed seed (forking there would cost little, but hide the counts of generated and
//! rejected inputs, and add a child's output to every run). `cargo xtask fuzz --seconds N
//! [--seed S]` sets `GR4VY_FUZZ_SECONDS` (and `GR4VY_FUZZ_SEED`); then proptest's `fork` runs
//! the cases in a child process, so that an abort (a stack overflow) is a failing case that
//! shrinks like a panic, and its `timeout` fails a case that runs longer than [`HANG`].
//!
//! Three pieces are ours, for what proptest does not do: the time budget (batches of
//! [`BATCH_CASES`] cases, batch `i` seeded with the base seed plus `i`, until the time is up, then
//! the line `fuzz: N executions in S s, 0 crashes (base seed X)`); [`SaveOnly`], around a
//! proptest bug; and [`report`], which runs the minimal case again to show where it panicked.
//!
//! A failing case's seed is appended to `tests/fuzz/<target>.proptest-regressions` (proptest's
//! `FileFailurePersistence`), and `cargo test` tries the seeds there before its own cases. The
//! files are committed when they appear: they are the reproducers, and a fixed crash's seed stays
//! as a check. A panic found here is fixed in the generator (as an `Error` with a pointer), and
//! its minimal case kept as a named test in [`regressions`].
//!
//! `GR4VY_FUZZ_VERBOSE=1` prints every `Error` the inputs were rejected with, to see how deep the
//! mutants get into the passes.

mod apply;
mod inputs;
mod keywords;
mod mutations;
mod overlay_cases;
mod regressions;
mod spec_cases;
mod tree;

use std::any::Any;
use std::cell::Cell;
use std::fmt::Debug;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gr4vy_codegen::emit::Options;
use gr4vy_codegen::pipeline;
use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, FailurePersistence, FileFailurePersistence, PersistedSeed, Reason, RngSeed,
    TestCaseError, TestError, TestRunner,
};

use inputs::{EXTENSIONS_SEED, Inputs, config, inputs, yaml};

/// Cases per target in a normal `cargo test` run.
const QUICK_CASES: u32 = 256;
/// Cases per batch in the time-boxed mode: how often the clock is looked at, and how many cases
/// one child process runs (each batch starts one, which loads the inputs again).
const BATCH_CASES: u32 = 256;
/// The seed of a normal `cargo test` run (so that it is deterministic).
const DEFAULT_SEED: u64 = 0x6772_3476_7946_757a;
/// In the time-boxed mode, a case running longer than this fails as a hang.
const HANG: Duration = Duration::from_secs(120);
/// The stack of the thread that runs the cases: that of a main thread, where `cargo xtask regen`
/// runs the passes (test threads get 2 MiB).
const STACK: usize = 8 << 20;

/// A fuzz target: what [`fuzz`] needs besides the strategy and the run.
struct Target {
    /// For the summary and the reports.
    name: &'static str,
    /// The `#[test]`'s path, which the child processes of `fork` run.
    test: &'static str,
    /// The file failing seeds are saved in and replayed from.
    regressions: &'static str,
}

#[test]
fn fuzz_spec_mutations() {
    let target = Target {
        name: "spec mutations",
        test: concat!(module_path!(), "::fuzz_spec_mutations"),
        regressions: concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz/spec_mutations.proptest-regressions"
        ),
    };
    fuzz(&target, spec_cases::spec_case, spec_cases::run_spec_case);
}

#[test]
fn fuzz_overlay_actions() {
    let target = Target {
        name: "overlay actions",
        test: concat!(module_path!(), "::fuzz_overlay_actions"),
        regressions: concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz/overlay_actions.proptest-regressions"
        ),
    };
    fuzz(
        &target,
        overlay_cases::overlay_case,
        overlay_cases::run_overlay_case,
    );
}

/// The mutations and the seed specs are themselves sound: every seed spec but the fixtures the
/// generator rejects by design generates, and a mutation changes the document.
#[test]
fn the_seeds_generate() {
    let inputs = inputs();
    let rejected_by_design = ["all_of_conflict", "all_of_non_object", "const_object"];
    for seed in &inputs.seeds {
        let options = Options {
            standalone: true,
            ..Options::default()
        };
        let result =
            pipeline::generate(&seed.doc, &config(None), "fuzz", &inputs.statics, &options);
        if rejected_by_design.contains(&seed.name.as_str()) {
            continue;
        }
        if let Err(e) = result {
            panic!("{}: {e}", seed.name);
        }
    }
    let checkout = config(Some("create_checkout_session"));
    let doc = yaml("EXTENSIONS_SEED", EXTENSIONS_SEED);
    let options = Options {
        standalone: true,
        ..Options::default()
    };
    let (api, _) = pipeline::generate(&doc, &checkout, "fuzz", &inputs.statics, &options)
        .unwrap_or_else(|e| panic!("EXTENSIONS_SEED with the checkout helper: {e}"));
    assert!(api.checkout_session_helper.is_some());
    assert!(api.operations.iter().any(|op| op.pagination.is_some()));
    assert!(api.operations.iter().any(|op| op.retries.is_some()));
}

// ---------------------------------------------------------------------------------------------
// The runner

/// `GR4VY_FUZZ_SECONDS`, if set: the time-boxed mode.
fn budget() -> Option<Duration> {
    let text = std::env::var("GR4VY_FUZZ_SECONDS").ok()?;
    let seconds: f64 = text
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("GR4VY_FUZZ_SECONDS={text:?} is not a number of seconds"));
    Some(Duration::from_secs_f64(seconds.max(0.0)))
}

/// `GR4VY_FUZZ_SEED`, else the clock in the time-boxed mode and [`DEFAULT_SEED`] otherwise.
fn base_seed(timed: bool) -> u64 {
    match std::env::var("GR4VY_FUZZ_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("GR4VY_FUZZ_SEED={text:?} is not an unsigned integer")),
        Err(_) if timed => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(DEFAULT_SEED, |d| d.as_nanos() as u64),
        Err(_) => DEFAULT_SEED,
    }
}

/// The proptest configuration of one batch: forked with a timeout only in the time-boxed mode,
/// where a child process per batch costs little next to the run.
fn proptest_config(target: &Target, cases: u32, seed: u64, timed: bool) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: Some(if timed {
            Box::new(SaveOnly(FileFailurePersistence::Direct(target.regressions)))
        } else {
            Box::new(FileFailurePersistence::Direct(target.regressions))
        }),
        test_name: Some(target.test),
        fork: timed,
        timeout: if timed {
            u32::try_from(HANG.as_millis()).unwrap_or(u32::MAX)
        } else {
            0
        },
        max_shrink_iters: 4096,
        ..Config::default()
    }
}

/// Failure persistence that saves failing seeds but replays none. With `fork`, proptest 1.11
/// gives up on a saved seed that still fails (its child process ends without closing the replay,
/// and the next one reports "Child process crashed ... before the first test started running"),
/// so the time-boxed mode looks for new cases only and leaves the saved ones to `cargo test`.
#[derive(Debug, Clone, PartialEq)]
struct SaveOnly(FileFailurePersistence);

impl FailurePersistence for SaveOnly {
    fn load_persisted_failures2(&self, _: Option<&'static str>) -> Vec<PersistedSeed> {
        Vec::new()
    }

    fn save_persisted_failure2(
        &mut self,
        source_file: Option<&'static str>,
        seed: PersistedSeed,
        shrunken_value: &dyn Debug,
    ) {
        self.0
            .save_persisted_failure2(source_file, seed, shrunken_value);
    }

    fn box_clone(&self) -> Box<dyn FailurePersistence> {
        Box::new(self.clone())
    }

    fn eq(&self, other: &dyn FailurePersistence) -> bool {
        other.as_any().downcast_ref::<Self>() == Some(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Runs a target on a thread with a main thread's stack: [`QUICK_CASES`] cases, or batches until
/// `GR4VY_FUZZ_SECONDS` are up. Panics (failing the test) with the minimal case when a run panics.
fn fuzz<S>(
    target: &Target,
    strategy: fn(usize) -> S,
    run: fn(&S::Value, &Inputs, &mut Vec<String>) -> bool,
) where
    S: Strategy,
    S::Value: Debug + Clone + Send + 'static,
{
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(format!("fuzz {}", target.name))
            .stack_size(STACK)
            .spawn_scoped(scope, || run_target(target, strategy, run))
            .expect("the fuzz thread starts")
            .join()
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(report)) => panic!("{report}"),
        Err(_) => panic!("fuzz {}: the fuzz thread itself panicked", target.name),
    }
}

/// The body of [`fuzz`]: the summary line, or the report of a failing case.
fn run_target<S>(
    target: &Target,
    strategy: fn(usize) -> S,
    run: fn(&S::Value, &Inputs, &mut Vec<String>) -> bool,
) -> Result<(), String>
where
    S: Strategy,
    S::Value: Debug + Clone + Send + 'static,
{
    let budget = budget();
    let timed = budget.is_some();
    let base = base_seed(timed);
    let inputs = inputs();
    let strategy = strategy(inputs.seeds.len());
    let cases = if timed { BATCH_CASES } else { QUICK_CASES };
    // Counted in this process only: with `fork`, the cases run in a child.
    let executions = Cell::new(0u64);
    let generated = Cell::new(0u64);
    let start = Instant::now();
    let mut batch = 0u64;
    loop {
        let config = proptest_config(target, cases, base.wrapping_add(batch), timed);
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |case| {
            executions.set(executions.get() + 1);
            let generated_one = run(&case, &inputs, &mut Vec::new());
            generated.set(generated.get() + u64::from(generated_one));
            Ok::<(), TestCaseError>(())
        });
        batch += 1;
        let elapsed = start.elapsed().as_secs_f64();
        // With `fork` the cases are counted by whole batches: those that passed.
        let ran = if timed {
            (batch - u64::from(result.is_err())) * u64::from(cases)
        } else {
            executions.get()
        };
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, case)) => {
                println!(
                    "fuzz: {ran} executions in {elapsed:.1} s, 1 crash (base seed {base}) [{}]",
                    target.name
                );
                return Err(report(target, &why, &case, run));
            }
            Err(TestError::Abort(why)) => {
                return Err(format!("fuzz {}: proptest aborted: {why}", target.name));
            }
        }
        if budget.is_none_or(|b| start.elapsed() >= b) {
            let breakdown = if timed {
                String::new()
            } else {
                format!(
                    ": {} generated, {} rejected with an Error",
                    generated.get(),
                    executions.get() - generated.get()
                )
            };
            println!(
                "fuzz: {ran} executions in {elapsed:.1} s, 0 crashes (base seed {base}) [{}{breakdown}]",
                target.name
            );
            return Ok(());
        }
    }
}

/// The report of a failing case. The case runs once more here, outside proptest's quiet panic
/// hook, so that the panic prints its message and location (with `fork`, the child's message did
/// not reach this process), and so that the mutations it applied can be listed. It runs on a
/// thread of its own, given [`HANG`] to end: the failure may have been a hang.
fn report<V>(
    target: &Target,
    why: &Reason,
    case: &V,
    run: fn(&V, &Inputs, &mut Vec<String>) -> bool,
) -> String
where
    V: Debug + Clone + Send + 'static,
{
    eprintln!(
        "fuzz {}: minimal failing case ({why}):\n{case:#?}\nrunning it again:",
        target.name
    );
    let (sender, receiver) = std::sync::mpsc::channel();
    let again = case.clone();
    let thread = std::thread::Builder::new()
        .name(format!("fuzz {} again", target.name))
        .stack_size(STACK)
        .spawn(move || {
            let inputs = inputs();
            let mut log = Vec::new();
            let outcome =
                std::panic::catch_unwind(AssertUnwindSafe(|| run(&again, &inputs, &mut log)));
            // The receiver is gone only if the report was already written.
            let _ = sender.send((outcome.is_err(), log));
        });
    let (outcome, log) = match thread.map(|_| receiver.recv_timeout(HANG)) {
        Ok(Ok((true, log))) => ("panicked, as printed above", log),
        Ok(Ok((false, log))) => ("no panic (so a crash or a hang in the child only)", log),
        Ok(Err(_)) => ("still running after the timeout: a hang", Vec::new()),
        Err(_) => ("the thread did not start", Vec::new()),
    };
    format!(
        "fuzz {}: the generator failed ({why}); the seed is saved in {}, which `cargo test` \
         replays first.\nminimal case: {case:#?}\nrun again in process: {outcome}\nmutations \
         applied:\n  {}",
        target.name,
        target.regressions,
        log.join("\n  ")
    )
}
