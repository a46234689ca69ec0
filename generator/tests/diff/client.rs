//! The client's settings in the changelog: servers, server variables and globals, where a change
//! that still compiles can send calls elsewhere or leave a `from_env` variable unread.

use gr4vy_codegen::diff::{self, Bump, Effect, Kind, Report, Surface};
use serde_json::{Value, json};

use crate::pairs::{base, compare, remove, set, surface_of};

/// Compares the base spec (with `before` applied) with a copy changed by `change`: the exact
/// entries (kind, effect, pointer), all under `client`, and the bump.
fn check(
    before: impl Fn(&mut Value),
    change: impl FnOnce(&mut Value),
    expected: &[(Kind, Effect, &str)],
    bump: Bump,
) -> Report {
    let mut old = base();
    before(&mut old);
    let mut new = old.clone();
    change(&mut new);
    compare(&old, &new, "client", expected, bump)
}

fn no_globals(_: &mut Value) {}

fn a_global(doc: &mut Value) {
    set(
        doc,
        "/x-speakeasy-globals",
        json!({"parameters": [{
            "name": "x-tenant-id", "in": "header", "schema": {"type": "string"},
            "x-speakeasy-name-override": "tenant_id"
        }]}),
    );
}

const GLOBAL: &str = "/x-speakeasy-globals/parameters/0";
const VARIABLE: &str = "/servers/0/variables/environment";

#[test]
fn a_global_added_is_additive_and_removed_is_breaking() {
    let report = check(
        no_globals,
        a_global,
        &[(Kind::SettingAdded, Effect::Additive, GLOBAL)],
        Bump::Minor,
    );
    let md = report.markdown();
    assert!(
        md.contains("global header `x-tenant-id` added: the setter `tenant_id`, read by `Client::from_env` from `FIXTURE_TENANT_ID`"),
        "{md}"
    );
    let report = check(
        a_global,
        |doc| {
            remove(doc, "/x-speakeasy-globals");
        },
        &[(Kind::SettingRemoved, Effect::Breaking, GLOBAL)],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(
        md.contains("global header `x-tenant-id` removed: the setter `tenant_id` is gone and `FIXTURE_TENANT_ID` is no longer read"),
        "{md}"
    );
}

/// A renamed setter fails to compile; the variable it renames is only seen at run time, so the
/// changelog names both.
#[test]
fn a_global_renamed_renames_its_setter_and_its_variable() {
    let report = check(
        a_global,
        |doc| {
            set(
                doc,
                "/x-speakeasy-globals/parameters/0/x-speakeasy-name-override",
                json!("tenant"),
            )
        },
        &[
            (Kind::SettingChanged, Effect::Breaking, GLOBAL),
            (Kind::SettingChanged, Effect::Breaking, GLOBAL),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(
        md.contains("its setter is `tenant` (was `tenant_id`)"),
        "{md}"
    );
    assert!(
        md.contains("`Client::from_env` reads it from `FIXTURE_TENANT` (was `FIXTURE_TENANT_ID`, which is no longer read)"),
        "{md}"
    );
}

/// Code that compiled still does, and its calls go to another host: breaking.
#[test]
fn where_calls_go_is_breaking_even_when_it_compiles() {
    let report = check(
        no_globals,
        |doc| {
            set(
                doc,
                "/servers/0/url",
                json!("https://{environment}.example.org"),
            );
            set(doc, "/servers/0/variables/environment/default", json!("eu"));
        },
        &[
            (Kind::ServerChanged, Effect::Breaking, "/servers/0"),
            (Kind::SettingChanged, Effect::Breaking, VARIABLE),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(
        md.contains("`Server::Default` sends calls to `https://{environment}.example.org` (was `https://{environment}.example.test`)"),
        "{md}"
    );
    assert!(
        md.contains("server variable `environment` defaults to `eu` (was `api`)"),
        "{md}"
    );
}

#[test]
fn a_server_added_first_is_additive_and_makes_it_the_default() {
    let report = check(
        no_globals,
        |doc| {
            let servers = doc["servers"].as_array_mut().unwrap();
            servers.insert(
                0,
                json!({"url": "https://{environment}.sandbox.example.test",
                       "x-speakeasy-server-id": "sandbox",
                       "variables": {"environment": {"default": "api"}}}),
            );
        },
        &[
            (Kind::ServerAdded, Effect::Additive, "/servers/0"),
            (Kind::ServerChanged, Effect::Breaking, "/servers/0"),
        ],
        Bump::Major,
    );
    let md = report.markdown();
    assert!(
        md.contains("the default server is `sandbox` (was `default`)"),
        "{md}"
    );
}

/// A surface recorded before the client's settings were listed reads back, and they are not
/// reported as added.
#[test]
fn a_surface_without_client_settings_compares_without_them() {
    let mut doc = base();
    a_global(&mut doc);
    let new = surface_of(&doc, "new-sha");
    let mut json = serde_json::to_value(&new).unwrap();
    json.as_object_mut()
        .unwrap()
        .shift_remove("client")
        .unwrap();
    let old: Surface = serde_json::from_value(json).unwrap();
    let report = diff::diff(&old, &new);
    assert_eq!(report.entries().count(), 0, "{}", report.markdown());
}
