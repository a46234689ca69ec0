//! Emission: the IR printed as files of the `gr4vy` crate.
//!
//! Rust is built as token streams with `quote`, parsed by `syn` and printed by `prettyplease`, so the
//! output is well-formed and formatted without an external rustfmt. Non-Rust files (manifest, README)
//! are askama templates under `templates/`. Hand-written runtime sources under `templates/crate/` are
//! copied verbatim. Emission makes no decisions: every choice was made when lowering.
//!
//! Emission knows nothing of the pipeline around it: [`render`] takes the IR and returns the files
//! with the time its threads spent formatting, and the pipeline adds the files that are not a
//! rendering of the IR alone (`api-surface.json`, `CHANGELOG.md`) and turns the times into phases.

mod client;
mod errors;
mod markdown;
mod models;
mod operations;
mod rust;
pub mod snippets;
mod test_files;
mod text;

use crate::Result;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use crate::ir::Api;
use crate::output::Tree;

/// How the crate is being written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Add an empty `[workspace]` table so the crate builds outside our workspace (`regen --out DIR`).
    pub standalone: bool,
    /// Spec examples known not to match their own schema, by pointer (the entries of
    /// `spec/invalid-examples.toml` applied to this spec): the generated test expects these to fail.
    pub invalid_examples: BTreeMap<String, crate::invalid_examples::Known>,
}

/// A hand-written file copied into the crate as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path relative to the crate root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The most threads [`render`] formats on; the machines we run on have two cores.
const MAX_THREADS: usize = 8;

/// What [`render`] made: the files, and where its threads' time went.
#[derive(Debug)]
pub struct Rendered {
    pub tree: Tree,
    /// Time spent parsing and printing Rust (syn, then prettyplease), summed over the threads.
    pub format: Duration,
    /// Time the threads spent rendering, formatting included, summed over the threads.
    pub busy: Duration,
}

/// Renders the whole crate in memory, except `api-surface.json` and `CHANGELOG.md`, which the
/// pipeline adds.
///
/// Parsing and printing the generated Rust (syn, then prettyplease) is most of the time, and each
/// file is independent, so the files are rendered as tasks that every thread (this one and
/// helpers) takes from one queue, the biggest first so that no thread is left with a big file at
/// the end. A task builds its token streams on the thread that formats them: proc-macro2's token
/// streams cannot cross threads. Files are put in the tree in the same order as on one thread, and
/// the first error in that order is the one returned, so neither the output nor the error depends
/// on the thread count.
pub fn render(api: &Api, statics: &[StaticFile], options: &Options) -> Result<Rendered> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS));
    render_on(api, statics, options, threads)
}

/// One unit of [`render`]'s work: one or more files, rendered by one thread.
#[derive(Clone, Copy)]
enum Task<'a> {
    Readme,
    Lib,
    Servers,
    Globals,
    Errors,
    /// Every file of `src/operations/` (built together).
    Operations,
    ModelsMod,
    Consts,
    Model(&'a crate::ir::types::TypeDef),
    TestOperations,
    Conformance,
    /// `tests/examples.rs` and `tests/examples.json`.
    Examples,
    Enums,
}

/// The files of a task, in tree order.
type Files = Vec<(String, Vec<u8>)>;

impl Task<'_> {
    /// The task's files; the time spent formatting them is added to `format`.
    fn run(
        self,
        api: &Api,
        consts: &models::Consts,
        options: &Options,
        format: &mut Duration,
    ) -> Result<Files> {
        let one = |file: (String, Vec<u8>)| Ok(vec![file]);
        match self {
            Task::Readme => one(("README.md".into(), text::readme(api)?.into_bytes())),
            Task::Lib => one(rust_file("src/lib.rs", client::lib_rs(api), format)?),
            Task::Servers => one(rust_file(
                "src/servers.rs",
                client::servers_rs(api),
                format,
            )?),
            Task::Globals => one(rust_file(
                "src/globals.rs",
                client::globals_rs(api),
                format,
            )?),
            Task::Errors => one(rust_file("src/errors.rs", errors::errors_rs(api), format)?),
            Task::Operations => operations::files(api)
                .into_iter()
                .map(|(path, tokens)| rust_file(&path, tokens, format))
                .collect(),
            Task::ModelsMod => one(rust_file(
                "src/models/mod.rs",
                models::mod_rs(&api.types),
                format,
            )?),
            Task::Consts => one(rust_file("src/models/consts.rs", consts.file(), format)?),
            Task::Model(def) => {
                let path = format!("src/models/{}.rs", def.module);
                one(rust_file(
                    &path,
                    models::type_file(api, consts, def),
                    format,
                )?)
            }
            Task::TestOperations => one(rust_file(
                "tests/support/operations.rs",
                test_files::operations::operations_rs(api),
                format,
            )?),
            Task::Conformance => one(rust_file(
                "tests/conformance.rs",
                test_files::conformance::conformance_rs(api, &options.invalid_examples),
                format,
            )?),
            Task::Examples => {
                let (examples_rs, examples_json) =
                    test_files::examples::examples(api, &options.invalid_examples)?;
                Ok(vec![
                    rust_file("tests/examples.rs", examples_rs, format)?,
                    (
                        "tests/examples.json".into(),
                        format!("{examples_json}\n").into_bytes(),
                    ),
                ])
            }
            Task::Enums => one(rust_file(
                "tests/enums.rs",
                test_files::enums::enums(api),
                format,
            )?),
        }
    }

    /// Roughly how much work the task is, for the queue's order (only speed depends on it).
    fn weight(self) -> u32 {
        match self {
            Task::Operations => 6,
            Task::Conformance => 5,
            Task::TestOperations | Task::Examples | Task::Enums => 4,
            Task::Lib | Task::Servers | Task::Globals | Task::Errors => 3,
            Task::ModelsMod | Task::Consts => 3,
            Task::Readme => 2,
            Task::Model(_) => 1,
        }
    }
}

/// [`render`] on `threads` threads (this one included).
fn render_on(
    api: &Api,
    statics: &[StaticFile],
    options: &Options,
    threads: usize,
) -> Result<Rendered> {
    let consts = models::Consts::collect(&api.types);
    // In tree order.
    let mut tasks = vec![
        Task::Readme,
        Task::Lib,
        Task::Servers,
        Task::Globals,
        Task::Errors,
        Task::Operations,
        Task::ModelsMod,
        Task::Consts,
    ];
    tasks.extend(api.types.iter().map(Task::Model));
    tasks.extend([
        Task::TestOperations,
        Task::Conformance,
        Task::Examples,
        Task::Enums,
    ]);
    // In queue order: heaviest first (a stable sort, so models keep their order).
    let mut queue: Vec<usize> = (0..tasks.len()).collect();
    queue.sort_by_key(|&at| std::cmp::Reverse(tasks[at].weight()));

    let next = AtomicUsize::new(0);
    // The first failed task in tree order so far: the tasks after it are skipped, as one thread
    // going in tree order would never have run them, while those before it still run, since one
    // of them may fail too and its error is the one to report.
    let first_failure = AtomicUsize::new(usize::MAX);
    // One thread's share: its tasks' files, how long it worked and how much of that was formatting.
    let work = || -> (Vec<(usize, Result<Files>)>, Duration, Duration) {
        let start = Instant::now();
        let mut format = Duration::ZERO;
        let mut done = Vec::new();
        while let Some(&at) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
            if at > first_failure.load(Ordering::Relaxed) {
                continue;
            }
            let files = tasks[at].run(api, &consts, options, &mut format);
            if files.is_err() {
                first_failure.fetch_min(at, Ordering::Relaxed);
            }
            done.push((at, files));
        }
        (done, start.elapsed(), format)
    };

    let (mut done, busy, format) = std::thread::scope(|scope| {
        let mut helpers = Vec::new();
        for _ in 1..threads {
            // Without a helper (the system refused a thread), the others do its share.
            if let Ok(helper) = std::thread::Builder::new().spawn_scoped(scope, work) {
                helpers.push(helper);
            }
        }
        let (mut done, mut busy, mut format) = work();
        for helper in helpers {
            match helper.join() {
                Ok((more, more_busy, more_format)) => {
                    done.extend(more);
                    busy += more_busy;
                    format += more_format;
                }
                // A panic is a generator bug: it goes on unwinding as it would have without threads.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        (done, busy, format)
    });
    // Back in tree order. Only tasks after the first failure may be missing, and that failure
    // ends the loop below before them.
    done.sort_unstable_by_key(|(at, _)| *at);

    let mut tree = Tree::default();
    for (_, files) in done {
        for (path, bytes) in files? {
            tree.insert(path, bytes)?;
        }
    }
    for file in statics {
        tree.insert(file.path.clone(), file.bytes.clone())?;
    }
    // rustfmt formats `@generated` files too, and would undo prettyplease's layout; the
    // hand-written files among them are checked where they are written (`templates/`).
    tree.insert(
        "rustfmt.toml",
        "# Written by `cargo xtask regen` and formatted by prettyplease; rustfmt leaves it alone.\n\
         disable_all_formatting = true\n",
    )?;
    // Last, so that it can name every integration test, example and benchmark.
    let named = |dir: &str| -> Vec<String> {
        tree.files()
            .filter_map(|(path, _)| path.strip_prefix(dir)?.strip_suffix(".rs"))
            .filter(|name| !name.contains('/'))
            .map(str::to_string)
            .collect()
    };
    let targets = text::Targets {
        tests: named("tests/"),
        examples: named("examples/"),
        benches: named("benches/"),
    };
    tree.insert("Cargo.toml", text::manifest(api, options, targets)?)?;
    Ok(Rendered { tree, format, busy })
}

/// A Rust file, formatted, with its path; the time formatting took is added to `format`.
fn rust_file(path: &str, tokens: TokenStream, format: &mut Duration) -> Result<(String, Vec<u8>)> {
    Ok((
        path.to_string(),
        rust::file(path, tokens, format)?.into_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The threads only change who formats what: the tree is the same on one thread as on several.
    #[test]
    fn the_tree_does_not_depend_on_the_thread_count() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for fixture in [
            "tri_state.yaml",
            "maps.yaml",
            "recursion.yaml",
            "discriminated_oneof.yaml",
        ] {
            let text = std::fs::read_to_string(dir.join(fixture)).unwrap();
            let doc: serde_json::Value = yaml_serde::from_str(&text).unwrap();
            let view = crate::spec::view::Document::from_value(&doc).unwrap();
            let config = crate::ir::CrateConfig {
                name: "fixture".into(),
                version: "0.0.0".into(),
                description: "A fixture.".into(),
                license: "MIT".into(),
                edition: "2024".into(),
                rust_version: "1.85".into(),
                checkout_session_operation: None,
            };
            let api = crate::ir::lower(&view, &config, "fixture", &Default::default()).unwrap();
            let options = Options::default();
            let one = render_on(&api, &[], &options, 1).unwrap().tree;
            assert!(
                one.files().any(|(p, _)| p.starts_with("src/models/")),
                "{fixture}"
            );
            for threads in [2, 3, 5] {
                let rendered = render_on(&api, &[], &options, threads).unwrap();
                assert!(rendered.tree == one, "{fixture}: {threads} threads");
                // Formatting is timed inside each thread's work, so it is a part of it.
                assert!(
                    Duration::ZERO < rendered.format && rendered.format <= rendered.busy,
                    "{fixture}"
                );
            }
        }
    }
}
