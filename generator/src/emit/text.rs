//! Non-Rust files of the crate, rendered from askama templates in `templates/`.

use askama::Template;

use super::Options;
use crate::ir::Api;
use crate::{Error, Result};

#[derive(Template)]
#[template(path = "Cargo.toml.askama", escape = "none")]
struct Manifest<'a> {
    api: &'a Api,
    standalone: bool,
    /// Cargo features, one per resource group.
    features: Vec<String>,
    targets: Targets,
}

/// The crate's integration tests (`tests/*.rs`), examples (`examples/*.rs`) and benchmarks
/// (`benches/*.rs`), by name: they are written for every feature, so the manifest lists each with
/// `required-features`.
pub(super) struct Targets {
    pub tests: Vec<String>,
    pub examples: Vec<String>,
    pub benches: Vec<String>,
}

#[derive(Template)]
#[template(path = "README.md.askama", escape = "none")]
struct Readme<'a> {
    api: &'a Api,
}

pub(super) fn manifest(api: &Api, options: &Options, targets: Targets) -> Result<String> {
    Manifest {
        api,
        standalone: options.standalone,
        features: api.features(),
        targets,
    }
    .render()
    .map(with_newline)
    .map_err(|e| template_error("Cargo.toml.askama", e))
}

impl Readme<'_> {
    /// A spec value as an inline code span (see [`code_span`](super::markdown::code_span)).
    fn code(&self, text: &str) -> String {
        super::markdown::code_span(text)
    }

    /// The prefix of the variables `Client::from_env` reads (`GR4VY_`).
    fn env_prefix(&self) -> String {
        crate::ir::settings::env_prefix(&self.api.config)
    }

    /// Spec text on one line of the README, which is also the crate's doc: see
    /// [`spec_inline`](super::markdown::spec_inline).
    fn inline(&self, text: &str) -> String {
        super::markdown::spec_inline(text)
    }
}

pub(super) fn readme(api: &Api) -> Result<String> {
    Readme { api }
        .render()
        .map(with_newline)
        .map_err(|e| template_error("README.md.askama", e))
}

/// askama drops the template's final newline; files end with one.
fn with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn template_error(name: &str, e: askama::Error) -> Error {
    Error::file(
        format!("templates/{name}"),
        format!("the template failed to render: {e}"),
    )
}
