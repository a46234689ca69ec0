//! The comparison of two surfaces, operations in `operations.rs`, model types in `types.rs` and
//! the client's settings in `client.rs`: each difference becomes an [`Entry`] whose effect follows
//! the rules in `docs/semver.md`.

mod client;
mod operations;
mod types;

use std::collections::BTreeMap;

use super::report::{Counts, Effect, Entry, Kind, Report};
use super::surface::Surface;

/// A type text as a message shows it: without the crate-internal paths.
fn show(text: &str) -> String {
    text.replace("crate::models::consts::", "consts::")
        .replace("crate::models::", "")
        .replace("crate::", "")
        .replace("std::collections::", "")
        .replace("serde_json::", "")
}

/// Collects entries.
struct Entries(Vec<Entry>);

impl Entries {
    fn push(&mut self, kind: Kind, resource: &str, pointer: &str, effect: Effect, message: String) {
        self.0.push(Entry {
            kind,
            resource: resource.to_string(),
            message,
            pointer: pointer.to_string(),
            effect,
        });
    }
}

/// Compares two surfaces (the rules are in `docs/semver.md`).
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut out = Entries(Vec::new());
    operations::diff_operations(old, new, &mut out);
    types::diff_types(old, new, &mut out);
    client::diff_client(old, new, &mut out);
    let counts = Counts::of(&out.0);
    let bump = counts.bump();
    let mut resources: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for e in out.0 {
        resources.entry(e.resource.clone()).or_default().push(e);
    }
    for entries in resources.values_mut() {
        // Breaking first; operations before types; pointers in document order (`parameters/2`
        // before `parameters/10`).
        entries.sort_by_cached_key(|e| {
            (
                e.effect,
                !e.pointer.starts_with("/paths/"),
                pointer_key(&e.pointer),
                e.kind,
                e.message.clone(),
            )
        });
    }
    Report {
        old_spec_sha256: old.spec_sha256.clone(),
        new_spec_sha256: new.spec_sha256.clone(),
        crate_name: new.crate_name.clone(),
        version: new.crate_version.clone(),
        bump,
        next_version: bump.next_version(&new.crate_version),
        counts,
        resources,
    }
}

/// A pointer's tokens, numbers compared as numbers.
fn pointer_key(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|t| match t.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, t.to_string()),
        })
        .collect()
}
