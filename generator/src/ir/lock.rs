//! The names already published, kept across spec changes.
//!
//! Some names depend on the order of the spec: when two schemas meet after case conversion
//! (`ACHBank` and `AchBank`) the first keeps the clean name and the next gets a suffix, and `const`
//! markers that differ only in case become `Card` and `Card2`. An upstream insertion could then
//! rename a type that callers already use, while a new, unrelated type took its old name. The lock
//! is the committed crate's API surface (`generated/api-surface.json`): every name it lists for a
//! spec object (a type's JSON pointer, a `const` value, an operation's call path for its request
//! builder) is claimed for that object before lowering names anything, so it keeps its name and
//! newcomers get the suffixes. Names of objects that are gone are free again. The same spec and
//! lock always give the same names; a spec lowered without a lock (fixtures, a fresh crate) gets
//! the order-based names.

use std::collections::{BTreeMap, BTreeSet};

use super::operations::Operation;

/// Published names, by the spec object they belong to.
#[derive(Debug, Clone, Default)]
pub struct Lock {
    /// Type pointer -> Rust name.
    types: BTreeMap<String, String>,
    /// Type pointer -> the name of its `…Required` struct.
    required: BTreeMap<String, String>,
    /// `const` value -> marker type name.
    consts: BTreeMap<String, String>,
    /// Call path (`client.transactions().create()`) -> request builder name.
    builders: BTreeMap<String, String>,
    /// Type or `…Required` name -> the pointer that holds it (they share the `models` namespace).
    owners: BTreeMap<String, String>,
}

impl Lock {
    /// A lock from published names: `types` and `required` by type pointer, `consts` by value,
    /// `builders` by call path.
    pub fn new(
        types: BTreeMap<String, String>,
        required: BTreeMap<String, String>,
        consts: BTreeMap<String, String>,
        builders: BTreeMap<String, String>,
    ) -> Lock {
        let mut owners = BTreeMap::new();
        for (pointer, name) in types.iter().chain(&required) {
            owners.insert(name.clone(), pointer.clone());
        }
        Lock {
            types,
            required,
            consts,
            builders,
            owners,
        }
    }

    /// The name published for the type at `pointer`.
    pub fn type_name(&self, pointer: &str) -> Option<&str> {
        self.types.get(pointer).map(String::as_str)
    }

    /// The name published for the `…Required` struct of the type at `pointer`.
    pub fn required_name(&self, pointer: &str) -> Option<&str> {
        self.required.get(pointer).map(String::as_str)
    }

    /// Whether `name` is published for another object than the type at `pointer`, so the type may
    /// not take it.
    pub fn claimed_by_other(&self, name: &str, pointer: &str) -> bool {
        self.owners.get(name).is_some_and(|owner| owner != pointer)
    }

    /// The marker name published for a `const` value.
    pub fn const_name(&self, value: &str) -> Option<&str> {
        self.consts.get(value).map(String::as_str)
    }

    /// Whether `name` is a marker published for another `const` value.
    pub fn const_claimed_by_other(&self, name: &str, value: &str) -> bool {
        self.consts.iter().any(|(v, n)| n == name && v != value)
    }

    /// The request builder name published for a call path.
    pub fn builder_name(&self, call: &str) -> Option<&str> {
        self.builders.get(call).map(String::as_str)
    }
}

/// Request builders are named after the operationId (`CreateTransactionRequest`), so an upstream
/// change of ids (even a swap between `create` and `update`, whose calls stay the same) would rename
/// the types callers hold. Each call keeps its published builder name; a builder without one, whose
/// name another call in the same module (the first group) has published, gets a numbered suffix.
pub(super) fn keep_builder_names(ops: &mut [Operation], lock: &Lock) {
    let module = |op: &Operation| op.group.first().map(|g| g.rust()).unwrap_or_default();
    let mut taken: BTreeSet<(String, String)> = BTreeSet::new();
    let mut locked = vec![false; ops.len()];
    for (i, op) in ops.iter_mut().enumerate() {
        if let Some(name) = lock.builder_name(&op.call()) {
            if taken.insert((module(op), name.to_string())) {
                op.builder = name.to_string();
                locked[i] = true;
            }
        }
    }
    for (i, op) in ops.iter_mut().enumerate() {
        if locked[i] {
            continue;
        }
        let base = op.builder.clone();
        let mut n = 2;
        while !taken.insert((module(op), op.builder.clone())) {
            op.builder = format!("{}{n}", base.trim_end_matches("Request")) + "Request";
            n += 1;
        }
    }
}
