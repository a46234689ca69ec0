//! The client's settings: servers, server variables and globals.
//!
//! Most changes here compile either way and still change what a program does: a server's new URL
//! or a variable's new default sends the same calls somewhere else, and a renamed variable of
//! `Client::from_env` leaves a deployment's setting unread. Those are breaking, as a removal is,
//! so that the release that carries them says so.

use std::collections::BTreeMap;

use super::Entries;
use crate::diff::report::{Effect, Kind};
use crate::diff::surface::{SettingSurface, Surface};

/// Where the entries of this file are listed in the report.
const RESOURCE: &str = "client";

pub(super) fn diff_client(old: &Surface, new: &Surface, out: &mut Entries) {
    // A surface recorded before the settings were listed says nothing about them.
    let (Some(old), Some(new)) = (&old.client, &new.client) else {
        return;
    };
    let mut push = |kind, pointer: &str, effect, message| {
        out.push(kind, RESOURCE, pointer, effect, message);
    };
    for (id, was) in &old.servers {
        let Some(now) = new.servers.get(id) else {
            let message = format!("server `{id}` removed: `Server::{}` is gone", was.rust_name);
            push(Kind::ServerRemoved, &was.pointer, Effect::Breaking, message);
            continue;
        };
        if now.rust_name != was.rust_name {
            let message = format!(
                "server `{id}` is now `Server::{}` (was `Server::{}`)",
                now.rust_name, was.rust_name
            );
            push(Kind::ServerChanged, &now.pointer, Effect::Breaking, message);
        }
        if now.url != was.url {
            let message = format!(
                "`Server::{}` sends calls to `{}` (was `{}`)",
                now.rust_name, now.url, was.url
            );
            push(Kind::ServerChanged, &now.pointer, Effect::Breaking, message);
        }
    }
    for (id, now) in &new.servers {
        if !old.servers.contains_key(id) {
            let message = format!("server `{id}` added: `Server::{}`", now.rust_name);
            push(Kind::ServerAdded, &now.pointer, Effect::Additive, message);
        }
    }
    if old.default_server != new.default_server {
        let message = format!(
            "the default server is `{}` (was `{}`): a client built without `.server(…)` sends its \
             calls there",
            new.default_server, old.default_server
        );
        let pointer = new
            .servers
            .get(&new.default_server)
            .map_or("/servers", |s| s.pointer.as_str());
        push(Kind::ServerChanged, pointer, Effect::Breaking, message);
    }
    diff_settings(
        &old.server_variables,
        &new.server_variables,
        "server variable",
        out,
    );
    diff_settings(&old.globals, &new.globals, "global header", out);
}

/// Server variables or globals (`what`), matched by placeholder or header.
fn diff_settings(
    old: &BTreeMap<String, SettingSurface>,
    new: &BTreeMap<String, SettingSurface>,
    what: &str,
    out: &mut Entries,
) {
    let mut push = |kind, pointer: &str, effect, message| {
        out.push(kind, RESOURCE, pointer, effect, message);
    };
    for (key, was) in old {
        let Some(now) = new.get(key) else {
            let message = format!(
                "{what} `{key}` removed: the setter `{}` is gone and `{}` is no longer read",
                was.setter, was.env_var
            );
            push(
                Kind::SettingRemoved,
                &was.pointer,
                Effect::Breaking,
                message,
            );
            continue;
        };
        if now.setter != was.setter {
            let message = format!(
                "{what} `{key}`: its setter is `{}` (was `{}`)",
                now.setter, was.setter
            );
            push(
                Kind::SettingChanged,
                &now.pointer,
                Effect::Breaking,
                message,
            );
        }
        if now.env_var != was.env_var {
            let message = format!(
                "{what} `{key}`: `Client::from_env` reads it from `{}` (was `{}`, which is no \
                 longer read)",
                now.env_var, was.env_var
            );
            push(
                Kind::SettingChanged,
                &now.pointer,
                Effect::Breaking,
                message,
            );
        }
        if now.default != was.default {
            let show =
                |d: &Option<String>| d.as_deref().map_or("none".into(), |d| format!("`{d}`"));
            let message = format!(
                "{what} `{key}` defaults to {} (was {}): a client that does not set it sends its \
                 calls elsewhere",
                show(&now.default),
                show(&was.default)
            );
            push(
                Kind::SettingChanged,
                &now.pointer,
                Effect::Breaking,
                message,
            );
        }
    }
    for (key, now) in new {
        if !old.contains_key(key) {
            let message = format!(
                "{what} `{key}` added: the setter `{}`, read by `Client::from_env` from `{}`",
                now.setter, now.env_var
            );
            push(Kind::SettingAdded, &now.pointer, Effect::Additive, message);
        }
    }
}
