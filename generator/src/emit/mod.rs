//! Emission: the IR printed as files of the `gr4vy` crate.
//!
//! Rust is built as token streams with `quote`, parsed by `syn` and printed by `prettyplease`, so the
//! output is well-formed and formatted without an external rustfmt. Non-Rust files (manifest, README)
//! are askama templates under `templates/`. Hand-written runtime sources under `templates/crate/` are
//! copied verbatim. Emission makes no decisions: every choice was made when lowering.

mod checks;
mod client;
mod conformance;
mod errors;
mod models;
mod operations;
mod rust;
mod tests;
mod text;

use crate::Result;
use std::collections::BTreeMap;

use crate::ir::Api;
use crate::output::Tree;

/// How the crate is being written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Add an empty `[workspace]` table so the crate builds outside our workspace (`regen --out DIR`).
    pub standalone: bool,
    /// Spec examples known not to match their own schema (pointer -> reason, from
    /// `spec/invalid-examples.toml`): the generated test expects these to fail.
    pub invalid_examples: BTreeMap<String, String>,
}

/// A hand-written file copied into the crate as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path relative to the crate root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Renders the whole crate in memory.
pub fn render(api: &Api, statics: &[StaticFile], options: &Options) -> Result<Tree> {
    let mut tree = Tree::default();
    tree.insert("README.md", text::readme(api)?)?;
    tree.insert(crate::diff::SURFACE_FILE, crate::diff::surface_json(api)?)?;
    tree.insert("src/lib.rs", rust::file("src/lib.rs", client::lib_rs(api))?)?;
    tree.insert("src/servers.rs", rust::file("src/servers.rs", client::servers_rs(api))?)?;
    tree.insert("src/errors.rs", rust::file("src/errors.rs", errors::errors_rs(api))?)?;
    for (path, tokens) in operations::files(api)? {
        tree.insert(path.clone(), rust::file(&path, tokens)?)?;
    }
    let consts = models::Consts::collect(&api.types);
    tree.insert(
        "src/models/mod.rs",
        rust::file("src/models/mod.rs", models::mod_rs(&api.types))?,
    )?;
    tree.insert(
        "src/models/consts.rs",
        rust::file("src/models/consts.rs", consts.file())?,
    )?;
    for def in api.types.iter() {
        let path = format!("src/models/{}.rs", def.module);
        let tokens = models::type_file(api, &consts, def);
        tree.insert(path.clone(), rust::file(&path, tokens)?)?;
    }
    tree.insert(
        "tests/support/operations.rs",
        rust::file("tests/support/operations.rs", tests::operations_rs(api))?,
    )?;
    tree.insert("tests/conformance.rs", rust::file("tests/conformance.rs", conformance::conformance_rs(api, &options.invalid_examples))?)?;
    let (examples_rs, examples_json) = checks::examples(api, &options.invalid_examples)?;
    tree.insert("tests/examples.rs", rust::file("tests/examples.rs", examples_rs)?)?;
    tree.insert("tests/examples.json", format!("{examples_json}\n"))?;
    tree.insert("tests/enums.rs", rust::file("tests/enums.rs", checks::enums(api))?)?;
    for file in statics {
        tree.insert(file.path.clone(), file.bytes.clone())?;
    }
    // Last, so that it can name every integration test and benchmark.
    let targets = |dir: &str| -> Vec<String> {
        tree.files()
            .filter_map(|(path, _)| path.strip_prefix(dir)?.strip_suffix(".rs"))
            .filter(|name| !name.contains('/'))
            .map(str::to_string)
            .collect()
    };
    let (tests, benches) = (targets("tests/"), targets("benches/"));
    tree.insert("Cargo.toml", text::manifest(api, options, tests, benches)?)?;
    Ok(tree)
}
