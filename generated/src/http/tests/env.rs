//! `ClientBuilder::from_vars` (what `from_env` reads through): every setting under its variable,
//! and a precise error for each malformed one. Written against whatever the spec's server
//! variables and globals are, so that it holds for any spec.

use std::collections::BTreeMap;
use std::time::Duration;

use super::super::auth::Auth;
use super::*;

const PEM: &str = include_str!("../../../tests/support/test_key.pem");

fn var(setting: &str) -> String {
    format!(
        "{}{}",
        crate::globals::ENV_PREFIX,
        setting.to_ascii_uppercase()
    )
}

fn from(vars: &[(String, &str)]) -> Result<Client, Error> {
    let map: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.clone(), (*v).to_owned()))
        .collect();
    ClientBuilder::from_vars(|name| map.get(name).cloned())?.build()
}

fn message(result: Result<Client, Error>) -> String {
    match result {
        Ok(_) => panic!("the configuration was accepted"),
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
            error.to_string()
        }
    }
}

#[test]
fn every_setting_is_read_from_its_variable() {
    let mut vars = vec![
        (var("SERVER"), crate::Server::ALL[0].id()),
        (var("PRIVATE_KEY"), PEM),
        (var("TIMEOUT"), "2.5"),
    ];
    for (_, env) in crate::globals::ENV_SERVER_VARIABLES {
        vars.push((env.to_string(), "tenant-from-env"));
    }
    for (_, env) in crate::globals::ENV_GLOBALS {
        vars.push((env.to_string(), "global-from-env"));
    }
    let client = from(&vars).expect("the configuration is valid");
    let inner = &*client.inner;
    assert_eq!(inner.timeout, Duration::from_millis(2500));
    assert!(matches!(inner.auth, Auth::Key(_)));
    if !crate::servers::SERVER_VARIABLES.is_empty() {
        assert!(
            inner.base_url.contains("tenant-from-env"),
            "{}",
            inner.base_url
        );
    }
    assert_eq!(inner.globals.len(), crate::globals::GLOBALS.len());
    assert!(inner.globals.iter().all(|(_, v)| v == "global-from-env"));
}

#[test]
fn the_base_url_replaces_the_server_and_empty_variables_are_unset() {
    let client = from(&[
        (var("BASE_URL"), "http://127.0.0.1:4010/"),
        (var("TIMEOUT"), ""),
        (var("PRIVATE_KEY"), ""),
    ])
    .expect("the configuration is valid");
    assert_eq!(client.base_url(), "http://127.0.0.1:4010");
    assert_eq!(client.inner.timeout, Client::DEFAULT_TIMEOUT);
    assert!(matches!(client.inner.auth, Auth::None));
}

#[test]
fn a_malformed_variable_is_named_in_the_error() {
    let server = message(from(&[(var("SERVER"), "staging")]));
    assert!(
        server.contains(&var("SERVER")) && server.contains("staging"),
        "{server}"
    );
    assert!(
        server.contains(crate::Server::ALL[0].id()),
        "lists the servers: {server}"
    );
    for bad in ["abc", "0", "-1", "NaN", "1e400"] {
        let timeout = message(from(&[(var("TIMEOUT"), bad)]));
        assert!(timeout.contains(&var("TIMEOUT")), "{bad}: {timeout}");
        assert!(
            timeout.contains("positive number of seconds"),
            "{bad}: {timeout}"
        );
    }
    let both = message(from(&[
        (var("PRIVATE_KEY"), PEM),
        (var("PRIVATE_KEY_PATH"), "/k.pem"),
    ]));
    assert!(
        both.contains(&var("PRIVATE_KEY")) && both.contains(&var("PRIVATE_KEY_PATH")),
        "{both}"
    );
    let missing = message(from(&[(var("PRIVATE_KEY_PATH"), "/no/such/key.pem")]));
    assert!(
        missing.contains(&var("PRIVATE_KEY_PATH")) && missing.contains("/no/such/key.pem"),
        "{missing}"
    );
}

#[test]
fn a_bad_key_is_named_but_never_quoted() {
    let text = "-----BEGIN PRIVATE KEY-----\nSECRETMATERIALxyz\n-----END PRIVATE KEY-----\n";
    let error = message(from(&[(var("PRIVATE_KEY"), text)]));
    assert!(error.contains(&var("PRIVATE_KEY")), "{error}");
    assert!(!error.contains("SECRETMATERIAL"), "{error}");
    let dir = std::env::temp_dir().join(format!("gr4vy-env-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key.pem");
    std::fs::write(&path, text).unwrap();
    let error = message(from(&[(var("PRIVATE_KEY_PATH"), path.to_str().unwrap())]));
    assert!(error.contains(&var("PRIVATE_KEY_PATH")), "{error}");
    assert!(!error.contains("SECRETMATERIAL"), "{error}");
    // A key read from a file works like one from the variable.
    std::fs::write(&path, PEM).unwrap();
    let client = from(&[(var("PRIVATE_KEY_PATH"), path.to_str().unwrap())]).expect("a valid key");
    assert!(matches!(client.inner.auth, Auth::Key(_)));
    std::fs::remove_dir_all(&dir).unwrap();
}
