//! The client settings the spec adds, server variables and globals, beside the runtime's own.
//!
//! Each of them becomes a `ClientBuilder` setter and a variable `Client::from_env` reads. Both
//! are namespaces the spec shares with the runtime, which has setters and variables of its own
//! (`timeout`, `GR4VY_PRIVATE_KEY_PATH`). Two settings with one setter would not compile; two
//! with one variable would compile and configure both from one value, so an instance id could
//! become a header. This pass names every variable and refuses either kind of clash, at the
//! pointer of the setting that came second, so the generated crate never has to.

use super::globals::{CLIENT_BUILDER_METHODS, Global, REQUEST_OPTIONS_METHODS};
use super::{CrateConfig, ServerVariable};
use crate::{Error, Result};

/// The variables `ClientBuilder::from_env` reads for the runtime's own settings
/// (`templates/crate/src/http/env.rs`), after the prefix.
pub const RUNTIME_ENV_SETTINGS: &[&str] = &[
    "SERVER",
    "BASE_URL",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "TIMEOUT",
];

/// The prefix of every variable `Client::from_env` reads: the crate's name in upper case, `_`
/// for `-`, then `_` (`GR4VY_`).
pub fn env_prefix(config: &CrateConfig) -> String {
    format!("{}_", config.name.to_ascii_uppercase().replace('-', "_"))
}

/// Names taken in one namespace, each with who took it (for the error that refuses another).
struct Taken(Vec<(String, String)>);

impl Taken {
    /// Takes `name` for `owner` (the setting at `pointer`), or fails with `clash`'s sentence
    /// about the name, then who has it and `remedy`.
    fn claim(
        &mut self,
        name: &str,
        owner: &str,
        pointer: &str,
        clash: String,
        remedy: &str,
    ) -> Result<()> {
        if let Some((_, first)) = self.0.iter().find(|(n, _)| n == name) {
            return Err(Error::at(
                pointer,
                format!("{owner} {clash}, which {first} already uses; {remedy}"),
            ));
        }
        self.0.push((name.to_string(), owner.to_string()));
        Ok(())
    }
}

/// Names each setting's environment variable (its setter's name in upper case, after the
/// prefix) and checks that no two settings share a setter or a variable. A global also has a
/// setter on `RequestOptions`, for one call.
pub(super) fn settle(
    config: &CrateConfig,
    variables: &mut [ServerVariable],
    globals: &mut [Global],
) -> Result<()> {
    let prefix = env_prefix(config);
    let runtime = "the SDK itself".to_string();
    let mut setters = Taken(
        CLIENT_BUILDER_METHODS
            .iter()
            .map(|m| (m.to_string(), runtime.clone()))
            .collect(),
    );
    let mut options = Taken(
        REQUEST_OPTIONS_METHODS
            .iter()
            .map(|m| (m.to_string(), runtime.clone()))
            .collect(),
    );
    let mut env = Taken(
        RUNTIME_ENV_SETTINGS
            .iter()
            .map(|s| (format!("{prefix}{s}"), runtime.clone()))
            .collect(),
    );
    let settings = variables
        .iter_mut()
        .map(|v| {
            let owner = format!("the server variable `{}`", v.name.wire);
            let remedy =
                "rename the variable (in the server's `url` and `variables`) with an overlay";
            (&v.name, &v.pointer, &mut v.env_var, owner, remedy)
        })
        .chain(globals.iter_mut().map(|g| {
            let owner = format!("the global `{}`", g.name.wire);
            let remedy = "give the global another `x-speakeasy-name-override`";
            (&g.name, &g.pointer, &mut g.env_var, owner, remedy)
        }));
    for (name, pointer, env_var, owner, remedy) in settings {
        let setter = &name.bare;
        let clash = format!("would have the `ClientBuilder` setter `{setter}`");
        setters.claim(setter, &owner, pointer, clash, remedy)?;
        *env_var = format!("{prefix}{}", setter.to_ascii_uppercase());
        let clash = format!("would be read by `Client::from_env` from `{env_var}`");
        env.claim(env_var, &owner, pointer, clash, remedy)?;
    }
    for g in globals.iter() {
        let owner = format!("the global `{}`", g.name.wire);
        let clash = format!("would have the `RequestOptions` setter `{}`", g.name.bare);
        let remedy = "give the global another `x-speakeasy-name-override`";
        options.claim(&g.name.bare, &owner, &g.pointer, clash, remedy)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::RUNTIME_ENV_SETTINGS;

    /// The list above is the runtime's: every `read("…")` in `env.rs` names one of its settings,
    /// and each listed setting is read there, so no spec setting can take a variable it uses.
    #[test]
    fn the_runtime_settings_are_the_ones_env_rs_reads() {
        let env = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../templates/crate/src/http/env.rs");
        let text = std::fs::read_to_string(env).unwrap();
        let mut read: Vec<&str> = text
            .split("read(\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(setting, _)| setting))
            .collect();
        read.sort_unstable();
        read.dedup();
        let mut listed = RUNTIME_ENV_SETTINGS.to_vec();
        listed.sort_unstable();
        assert_eq!(read, listed);
    }
}
