//! The rendered crate as an in-memory tree, compared with or swapped into a directory.
//!
//! Regen renders *everything* before it touches the disk, so any error leaves the old crate alone. The
//! swap then goes through a sibling staging directory: the new tree is written in full next to the
//! target, the old directory is renamed aside, the new one renamed into place, and the old one deleted.
//! A crash between the two renames leaves both trees on disk under recognisable names, never a mix.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Files of a generated crate, keyed by path relative to the crate root (`/`-separated, sorted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    files: BTreeMap<String, Vec<u8>>,
}

/// One way a directory on disk differs from a [`Tree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file exists on both sides with different contents.
    Differs(String),
    /// The tree has a file the directory lacks.
    Missing(String),
    /// The directory has a file the tree does not.
    Extra(String),
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Differs(p) => write!(f, "differs: {p}"),
            Change::Missing(p) => write!(f, "missing: {p}"),
            Change::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

/// A point in [`Tree::write_atomic`] where a test can make it fail on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailPoint {
    /// After the staging directory is fully written, before anything is swapped.
    BeforeSwap,
    /// After the old directory was moved aside, before the new one is moved in.
    MidSwap,
    /// Writing the staging directory's `n`th file (from 0, in path order) fails as a full disk
    /// would make it.
    Write(usize),
}

impl Tree {
    /// Adds a file; a second file at the same path is a generator bug reported as an error.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Result<()> {
        let path = path.into();
        if self.files.contains_key(&path) {
            return Err(Error::file(
                &path,
                "two generated files have this path; rename one of the sources",
            ));
        }
        self.files.insert(path, bytes.into());
        Ok(())
    }

    /// The files, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// The contents of one file.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Lists how `dir` differs from this tree, sorted by path. A missing `dir` lacks every file.
    pub fn diff(&self, dir: &Path) -> Result<Vec<Change>> {
        let on_disk = read_tree(dir)?;
        let mut changes = Vec::new();
        for (path, bytes) in &self.files {
            match on_disk.get(path) {
                None => changes.push(Change::Missing(path.clone())),
                Some(old) if old != bytes => changes.push(Change::Differs(path.clone())),
                Some(_) => {}
            }
        }
        for path in on_disk.keys() {
            if !self.files.contains_key(path) {
                changes.push(Change::Extra(path.clone()));
            }
        }
        changes.sort_by(|a, b| change_path(a).cmp(change_path(b)));
        Ok(changes)
    }

    /// Replaces `dir` with exactly this tree (see the module docs for how it stays atomic).
    pub fn write_atomic(&self, dir: &Path) -> Result<()> {
        self.write_atomic_failing_at(dir, None)
    }

    /// [`write_atomic`](Tree::write_atomic), failing on purpose at `fail` (for tests of atomicity).
    pub fn write_atomic_failing_at(&self, dir: &Path, fail: Option<FailPoint>) -> Result<()> {
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dir
            .file_name()
            .ok_or_else(|| Error::file(dir, "is not a directory name the crate can be written to"))?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(parent).map_err(|e| {
            Error::file(
                parent,
                format!("cannot create the output's parent directory: {e}"),
            )
        })?;
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.staging-{pid}"));
        let aside = parent.join(format!(".{name}.old-{pid}"));

        let fail_write = match fail {
            Some(FailPoint::Write(n)) => Some(n),
            _ => None,
        };
        let staged = self.write_into(&staging, fail_write).and_then(|()| match fail {
            Some(FailPoint::BeforeSwap) => Err(Error::file(
                &staging,
                "failing before the swap, as the test asked",
            )),
            _ => Ok(()),
        });
        if let Err(e) = staged {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }

        let had_old = dir.exists();
        if had_old && let Err(e) = std::fs::rename(dir, &aside) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Error::file(
                dir,
                format!("cannot move the old crate aside: {e}"),
            ));
        }
        let swapped = match fail {
            Some(FailPoint::MidSwap) => {
                Err(std::io::Error::other("failing mid-swap, as the test asked"))
            }
            _ => std::fs::rename(&staging, dir),
        };
        if let Err(e) = swapped {
            // Put the old tree back; the new one is discarded.
            if had_old {
                let _ = std::fs::rename(&aside, dir);
            }
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Error::file(
                dir,
                format!("cannot move the new crate into place: {e}"),
            ));
        }
        if had_old {
            std::fs::remove_dir_all(&aside).map_err(|e| {
                Error::file(
                    &aside,
                    format!("the new crate is in place but the old copy could not be removed: {e}"),
                )
            })?;
        }
        Ok(())
    }

    fn write_into(&self, root: &Path, fail_at: Option<usize>) -> Result<()> {
        if root.exists() {
            std::fs::remove_dir_all(root).map_err(|e| {
                Error::file(root, format!("cannot clear a stale staging directory: {e}"))
            })?;
        }
        for (index, (path, bytes)) in self.files.iter().enumerate() {
            let full = root.join(path);
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::file(dir, format!("cannot create directory: {e}")))?;
            }
            let written = if fail_at == Some(index) {
                Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device (failing on purpose, as the test asked)",
                ))
            } else {
                std::fs::write(&full, bytes)
            };
            written.map_err(|e| Error::file(&full, format!("cannot write: {e}")))?;
        }
        Ok(())
    }
}

fn change_path(c: &Change) -> &str {
    match c {
        Change::Differs(p) | Change::Missing(p) | Change::Extra(p) => p,
    }
}

/// Reads every file below `dir` into a map keyed like [`Tree`]. A missing directory is empty.
pub(crate) fn read_tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let full = dir.join(&rel);
        let entries = std::fs::read_dir(&full)
            .map_err(|e| Error::file(&full, format!("cannot list: {e}")))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::file(&full, format!("cannot list: {e}")))?;
            let rel_child = rel.join(entry.file_name());
            let kind = entry
                .file_type()
                .map_err(|e| Error::file(entry.path(), format!("cannot stat: {e}")))?;
            if kind.is_dir() {
                stack.push(rel_child);
            } else {
                let bytes = std::fs::read(entry.path())
                    .map_err(|e| Error::file(entry.path(), format!("cannot read: {e}")))?;
                let key = rel_child
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, bytes);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> Tree {
        let mut t = Tree::default();
        for (p, c) in files {
            t.insert(*p, c.as_bytes()).unwrap();
        }
        t
    }

    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        read_tree(dir).unwrap()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn diff_lists_differing_missing_and_extra_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        tree(&[("a.rs", "1"), ("src/b.rs", "2"), ("gone.rs", "x")])
            .write_atomic(&out)
            .unwrap();
        let changes = tree(&[("a.rs", "1"), ("src/b.rs", "changed"), ("new.rs", "n")])
            .diff(&out)
            .unwrap();
        assert_eq!(
            changes,
            vec![
                Change::Extra("gone.rs".into()),
                Change::Missing("new.rs".into()),
                Change::Differs("src/b.rs".into())
            ]
        );
    }

    #[test]
    fn write_replaces_the_whole_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        tree(&[("old.rs", "o")]).write_atomic(&out).unwrap();
        let new = tree(&[("src/lib.rs", "l")]);
        new.write_atomic(&out).unwrap();
        assert!(new.diff(&out).unwrap().is_empty());
        assert_eq!(
            entries(dir.path()),
            vec!["crate"],
            "no staging or old copies left behind"
        );
    }

    #[test]
    fn a_failure_at_any_point_leaves_the_old_tree_byte_for_byte() {
        for fail in [FailPoint::BeforeSwap, FailPoint::MidSwap, FailPoint::Write(1)] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("crate");
            tree(&[("keep.rs", "k"), ("src/x.rs", "x")])
                .write_atomic(&out)
                .unwrap();
            let before = snapshot(&out);
            let err = tree(&[("other.rs", "o"), ("src/y.rs", "y")])
                .write_atomic_failing_at(&out, Some(fail))
                .unwrap_err();
            assert!(err.message.contains("as the test asked"), "{err}");
            assert_eq!(snapshot(&out), before, "{fail:?}");
            assert_eq!(
                entries(dir.path()),
                vec!["crate"],
                "{fail:?}: no stray directories"
            );
        }
    }

    #[test]
    fn duplicate_paths_are_an_error() {
        let mut t = Tree::default();
        t.insert("a", "1").unwrap();
        assert!(t.insert("a", "2").is_err());
    }
}
