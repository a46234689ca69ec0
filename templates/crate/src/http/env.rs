//! Configuration from environment variables: [`Client::from_env`] and
//! [`ClientBuilder::from_env`].
//!
//! The names are the crate's prefix (`crate::globals::ENV_PREFIX`, `GR4VY_` for Gr4vy) followed
//! by the setting. The SDK's own are `BASE_URL`, `SERVER`, `PRIVATE_KEY`, `PRIVATE_KEY_PATH` and
//! `TIMEOUT`; those of the spec's server variables and globals are their setters' names in upper
//! case (`GR4VY_ID`, `GR4VY_MERCHANT_ACCOUNT_ID`), named by the generator, which refuses a spec
//! in which two settings would share one (`crate::globals::ENV_SERVER_VARIABLES`, `ENV_GLOBALS`).
//! A variable that is unset or empty is left out. A malformed one fails with an error naming
//! it; the value of a key is never repeated in an error.

use std::time::Duration;

use super::{Client, ClientBuilder, Error};

/// One setting's variable.
fn name(setting: &str) -> String {
    format!(
        "{}{}",
        crate::globals::ENV_PREFIX,
        setting.to_ascii_uppercase()
    )
}

impl Client {
    /// A client configured from environment variables (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    /// A builder configured from environment variables, to adjust further before
    /// [`build`](Self::build). Every variable is optional; the crate's
    /// [Configuration](crate#configuration) section lists them. They are the crate's prefix
    /// followed by the setting: `SERVER` ([`server`](Self::server), by id), `BASE_URL`
    /// ([`base_url`](Self::base_url), instead of a server), each server variable and each global
    /// header under its setter's name in upper case, `PRIVATE_KEY` (the PEM text) or
    /// `PRIVATE_KEY_PATH` (a file holding it) for [`private_key`](Self::private_key), and
    /// `TIMEOUT` ([`timeout`](Self::timeout), in seconds, such as `30` or `2.5`).
    ///
    /// Fails with [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) naming the
    /// variable when one is malformed, is not UTF-8, or both key variables are set.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::configure(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::invalid_request(format!(
                "the environment variable `{name}` is not valid UTF-8"
            ))),
        })
    }

    /// [`from_env`](Self::from_env), reading the variables from `lookup` instead of the process
    /// environment: a configuration map, or a test's own values.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        Self::configure(|name| Ok(lookup(name)))
    }

    fn configure(
        lookup: impl Fn(&str) -> Result<Option<String>, Error>,
    ) -> Result<ClientBuilder, Error> {
        let read_var = |name: String| -> Result<Option<(String, String)>, Error> {
            Ok(lookup(&name)?
                .filter(|value| !value.is_empty())
                .map(|value| (name, value)))
        };
        let read = |setting: &str| read_var(name(setting));
        let mut builder = Client::builder();
        if let Some((name, id)) = read("SERVER")? {
            let server = crate::Server::ALL.into_iter().find(|s| s.id() == id);
            builder = builder.server(server.ok_or_else(|| {
                let known: Vec<&str> = crate::Server::ALL.iter().map(|s| s.id()).collect();
                Error::invalid_request(format!(
                    "`{name}` is {id:?}, which is not a server; use one of {known:?}"
                ))
            })?);
        }
        if let Some((_, url)) = read("BASE_URL")? {
            builder = builder.base_url(url);
        }
        for (variable, env) in crate::globals::ENV_SERVER_VARIABLES {
            if let Some((_, value)) = read_var(env.to_string())? {
                builder = builder.server_variable(variable, value);
            }
        }
        for (header, env) in crate::globals::ENV_GLOBALS {
            if let Some((_, value)) = read_var(env.to_string())? {
                builder = builder.global(header, value);
            }
        }
        match (read("PRIVATE_KEY")?, read("PRIVATE_KEY_PATH")?) {
            (Some((a, _)), Some((b, _))) => {
                return Err(Error::invalid_request(format!(
                    "both `{a}` and `{b}` are set; set one of them"
                )));
            }
            (Some((name, pem)), None) => builder = builder.private_key(key(&name, &pem)?),
            (None, Some((name, path))) => {
                let pem = std::fs::read_to_string(&path).map_err(|error| {
                    Error::invalid_request(format!(
                        "`{name}` names {path:?}, which cannot be read: {error}"
                    ))
                })?;
                builder = builder.private_key(key(&name, &pem)?);
            }
            (None, None) => {}
        }
        if let Some((name, seconds)) = read("TIMEOUT")? {
            let timeout = seconds
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .filter(|d| !d.is_zero());
            builder = builder.timeout(timeout.ok_or_else(|| {
                Error::invalid_request(format!(
                    "`{name}` is {seconds:?}; it takes a positive number of seconds, such as 30 or 2.5"
                ))
            })?);
        }
        Ok(builder)
    }
}

/// The key in `pem`, from the variable `name`; the error says why without quoting the text.
fn key(name: &str, pem: &str) -> Result<crate::auth::PrivateKey, Error> {
    crate::auth::PrivateKey::from_pem(pem).map_err(|error| {
        Error::invalid_request(format!(
            "`{name}` does not hold a usable private key ({error})"
        ))
    })
}
