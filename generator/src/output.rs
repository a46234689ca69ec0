//! The rendered crate as an in-memory tree, compared with or swapped into a directory.
//!
//! Regen renders *everything* before it touches the disk, so any error leaves the old crate alone. The
//! swap then goes through a sibling staging directory: the new tree is written in full next to the
//! target, the old directory is renamed aside, the new one renamed into place, and the old one deleted.
//! A crash between the two renames leaves both trees on disk under recognisable names, never a mix.
//!
//! Most regens change few files or none, and creating hundreds of fresh inodes was most of the write's
//! time (the kernel scans for free inodes, skipping recently deleted ones). So the old directory is
//! read first: when it already holds exactly this tree nothing is touched at all, and otherwise each
//! unchanged file is hard-linked into the staging directory instead of written. Linking only adds a
//! name to the old file's inode, so until the swap the old directory's names and bytes are untouched
//! and the guarantees above hold as before.

use std::collections::{BTreeMap, BTreeSet};
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

/// What [`Tree::write_atomic`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The directory already held exactly this tree; nothing was touched.
    UpToDate,
    /// The directory was replaced; `changed` files were new, different or removed.
    Replaced { changed: usize },
}

/// A point in [`Tree::write_atomic`] where a test can make it fail on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailPoint {
    /// After the staging directory is fully written, before anything is swapped.
    BeforeSwap,
    /// After the old directory was moved aside, before the new one is moved in.
    MidSwap,
    /// Writing (or linking) the staging directory's `n`th file (from 0, in path order) fails as a
    /// full disk would make it.
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

    /// Replaces `dir` with exactly this tree (see the module docs for how it stays atomic). When `dir`
    /// already holds exactly this tree (the same files, bytes and directories, nothing else), it is
    /// left alone, modification times included, so that cargo does not rebuild an unchanged crate.
    pub fn write_atomic(&self, dir: &Path) -> Result<Written> {
        self.write_atomic_failing_at(dir, None)
    }

    /// [`write_atomic`](Tree::write_atomic), failing on purpose at `fail` (for tests of atomicity).
    /// A `dir` that already holds exactly this tree is not written at all, so no fail point is reached.
    pub fn write_atomic_failing_at(&self, dir: &Path, fail: Option<FailPoint>) -> Result<Written> {
        // Anything unreadable in the old directory only means nothing of it is reused: the old
        // directory is replaced whole, as it always was.
        let old = OldTree::scan(dir).unwrap_or_default();
        if old.is_exactly(self) {
            return Ok(Written::UpToDate);
        }
        let removed = old
            .files
            .keys()
            .filter(|path| !self.files.contains_key(*path))
            .count();
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
        let staged =
            self.write_into(&staging, dir, &old, fail_write)
                .and_then(|written| match fail {
                    Some(FailPoint::BeforeSwap) => Err(Error::file(
                        &staging,
                        "failing before the swap, as the test asked",
                    )),
                    _ => Ok(written),
                });
        let written = match staged {
            Ok(written) => written,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
        };

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
        Ok(Written::Replaced {
            changed: written + removed,
        })
    }

    /// Writes the tree into `root`, hard-linking each file that `old` (the directory `old_dir`) already
    /// holds with the same bytes; a link that fails (a file system without hard links) is a write.
    /// Returns how many files were new or changed.
    fn write_into(
        &self,
        root: &Path,
        old_dir: &Path,
        old: &OldTree,
        fail_at: Option<usize>,
    ) -> Result<usize> {
        let mut changed = 0;
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
            let same = old.files.get(path).is_some_and(|old| old == bytes);
            if !same {
                changed += 1;
            }
            let written = if fail_at == Some(index) {
                Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device (failing on purpose, as the test asked)",
                ))
            } else if same && std::fs::hard_link(old_dir.join(path), &full).is_ok() {
                Ok(())
            } else {
                std::fs::write(&full, bytes)
            };
            written.map_err(|e| Error::file(&full, format!("cannot write: {e}")))?;
        }
        Ok(changed)
    }
}

/// What a directory held before a write: its regular files' bytes and its subdirectories.
#[derive(Debug, Default)]
struct OldTree {
    files: BTreeMap<String, Vec<u8>>,
    /// Every directory below the root, `/`-separated (the root itself is not listed).
    dirs: BTreeSet<String>,
    /// Whether anything else was found (a symlink, a socket): such a directory is never left as is.
    other: bool,
}

impl OldTree {
    /// Reads `dir`; a missing `dir` is an empty tree.
    fn scan(dir: &Path) -> std::io::Result<OldTree> {
        let mut out = OldTree::default();
        if !dir.is_dir() {
            out.other = dir.exists();
            return Ok(out);
        }
        let mut stack = vec![String::new()];
        while let Some(rel) = stack.pop() {
            for entry in std::fs::read_dir(dir.join(&rel))? {
                let entry = entry?;
                let name = entry.file_name();
                let Some(name) = name.to_str() else {
                    out.other = true;
                    continue;
                };
                let key = if rel.is_empty() {
                    name.to_string()
                } else {
                    format!("{rel}/{name}")
                };
                // `file_type` does not follow symlinks, so a link is never taken for its target.
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    out.dirs.insert(key.clone());
                    stack.push(key);
                } else if kind.is_file() {
                    out.files.insert(key, std::fs::read(entry.path())?);
                } else {
                    out.other = true;
                }
            }
        }
        Ok(out)
    }

    /// Whether the directory holds exactly `tree`: the same files with the same bytes, no others,
    /// and no directory that `tree` would not create.
    fn is_exactly(&self, tree: &Tree) -> bool {
        if self.other || self.files != tree.files {
            return false;
        }
        let mut dirs = BTreeSet::new();
        for path in tree.files.keys() {
            let mut at = path.as_str();
            while let Some((parent, _)) = at.rsplit_once('/') {
                dirs.insert(parent);
                at = parent;
            }
        }
        dirs.len() == self.dirs.len() && self.dirs.iter().all(|d| dirs.contains(d.as_str()))
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
        tree(&[("old.rs", "o"), ("same.rs", "s")])
            .write_atomic(&out)
            .unwrap();
        let new = tree(&[("src/lib.rs", "l"), ("same.rs", "s")]);
        // One file added, one removed, one kept.
        assert_eq!(
            new.write_atomic(&out).unwrap(),
            Written::Replaced { changed: 2 }
        );
        assert!(new.diff(&out).unwrap().is_empty());
        assert_eq!(new.write_atomic(&out).unwrap(), Written::UpToDate);
        assert_eq!(
            entries(dir.path()),
            vec!["crate"],
            "no staging or old copies left behind"
        );
    }

    #[test]
    fn a_failure_at_any_point_leaves_the_old_tree_byte_for_byte() {
        for fail in [
            FailPoint::BeforeSwap,
            FailPoint::MidSwap,
            FailPoint::Write(1),
        ] {
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
    #[cfg(unix)] // inode numbers and link counts
    fn an_identical_directory_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        let t = tree(&[("a.rs", "1"), ("src/b.rs", "2")]);
        t.write_atomic(&out).unwrap();
        let inode =
            |p: &str| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(out.join(p)).unwrap());
        let before = (inode("a.rs"), inode("src/b.rs"));
        t.write_atomic(&out).unwrap();
        assert_eq!(
            (inode("a.rs"), inode("src/b.rs")),
            before,
            "nothing was rewritten"
        );
        // Even a fail point is not reached: there is nothing to write.
        t.write_atomic_failing_at(&out, Some(FailPoint::Write(0)))
            .unwrap();

        // An empty directory the tree does not have is not "exactly this tree".
        std::fs::create_dir(out.join("stray")).unwrap();
        t.write_atomic(&out).unwrap();
        assert_eq!(entries(&out), vec!["a.rs", "src"]);
        assert!(t.diff(&out).unwrap().is_empty());
    }

    #[test]
    #[cfg(unix)] // inode numbers and link counts
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        tree(&[
            ("same.rs", "s"),
            ("src/changed.rs", "old"),
            ("gone.rs", "g"),
        ])
        .write_atomic(&out)
        .unwrap();
        let new = tree(&[
            ("same.rs", "s"),
            ("src/changed.rs", "new"),
            ("added.rs", "a"),
        ]);
        new.write_atomic(&out).unwrap();
        assert!(new.diff(&out).unwrap().is_empty());
        assert_eq!(snapshot(&out).len(), 3);
        assert_eq!(entries(dir.path()), vec!["crate"]);
        // The old directory, and with it the other names of linked files, is gone.
        let links =
            std::os::unix::fs::MetadataExt::nlink(&std::fs::metadata(out.join("same.rs")).unwrap());
        assert_eq!(links, 1);
    }

    #[test]
    fn a_failure_while_linking_leaves_the_old_tree_byte_for_byte() {
        for at in 0..3 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("crate");
            tree(&[("a.rs", "a"), ("b.rs", "b"), ("c.rs", "c")])
                .write_atomic(&out)
                .unwrap();
            let before = snapshot(&out);
            // a.rs and c.rs are linked from the old tree, b.rs is written.
            let err = tree(&[("a.rs", "a"), ("b.rs", "B"), ("c.rs", "c")])
                .write_atomic_failing_at(&out, Some(FailPoint::Write(at)))
                .unwrap_err();
            assert!(err.message.contains("as the test asked"), "{err}");
            assert_eq!(snapshot(&out), before, "failing at {at}");
            assert_eq!(entries(dir.path()), vec!["crate"]);
        }
    }

    #[test]
    fn duplicate_paths_are_an_error() {
        let mut t = Tree::default();
        t.insert("a", "1").unwrap();
        assert!(t.insert("a", "2").is_err());
    }
}
