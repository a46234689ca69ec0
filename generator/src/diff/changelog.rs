//! The crate's `CHANGELOG.md`: regen compares the surface the crate records with the new one and
//! prepends the report when the spec changed.

use std::path::Path;

use super::{CHANGELOG_FILE, Report, SURFACE_FILE, Surface, diff, surface};
use crate::ir::Api;
use crate::output::Tree;
use crate::{Error, Result};

/// The start of a new `CHANGELOG.md`.
const CHANGELOG_HEADER: &str = "# Changes to the generated API\n\n\
Written by `cargo xtask regen`: whenever the spec's sha256 differs from the one recorded in\n\
`api-surface.json`, regen compares the Rust API generated from the previous spec with the new one\n\
and adds a section here, newest first, with the semver bump the changes call for.\n";

/// The new `CHANGELOG.md`, given the crate's previous `api-surface.json` and `CHANGELOG.md` (absent:
/// `None`) and the new surface. When the previous surface records another spec sha256, the report
/// from it to `new` is inserted above the older sections (and returned); otherwise the previous
/// changelog is kept byte for byte (a new one is just the header).
pub fn changelog(
    previous_surface: Option<&[u8]>,
    previous_changelog: Option<&[u8]>,
    new: &Surface,
) -> Result<(Vec<u8>, Option<Report>)> {
    let text = match previous_changelog {
        Some(bytes) => String::from_utf8(bytes.to_vec())
            .map_err(|_| Error::file(CHANGELOG_FILE, "is not UTF-8; fix or delete it"))?,
        None => CHANGELOG_HEADER.to_string(),
    };
    let Some(bytes) = previous_surface else {
        return Ok((text.into_bytes(), None));
    };
    let old: Surface = serde_json::from_slice(bytes).map_err(|e| {
        Error::file(
            SURFACE_FILE,
            format!(
                "the previous API surface cannot be read ({e}), so the changes cannot be listed; \
                 delete the file to regenerate without a changelog entry"
            ),
        )
    })?;
    if old.spec_sha256 == new.spec_sha256 {
        return Ok((text.into_bytes(), None));
    }
    let report = diff(&old, new);
    let section = report.markdown();
    let at = if text.starts_with("## ") {
        Some(0)
    } else {
        text.find("\n## ").map(|i| i + 1)
    };
    let updated = match at {
        Some(i) => format!("{}{section}\n{}", &text[..i], &text[i..]),
        None => {
            let sep = if text.ends_with("\n\n") || text.is_empty() {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{text}{sep}{section}")
        }
    };
    Ok((updated.into_bytes(), Some(report)))
}

/// Adds `CHANGELOG.md` to a rendered crate, comparing with the crate in `dir` (its
/// `api-surface.json` and `CHANGELOG.md`, see [`changelog`]). Returns the report when there was a
/// spec change.
pub fn add_changelog(tree: &mut Tree, api: &Api, dir: &Path) -> Result<Option<Report>> {
    let read = |name: &str| -> Result<Option<Vec<u8>>> {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::file(path, format!("cannot read: {e}"))),
        }
    };
    let previous_surface = read(SURFACE_FILE)?;
    let previous_changelog = read(CHANGELOG_FILE)?;
    let (bytes, report) = changelog(
        previous_surface.as_deref(),
        previous_changelog.as_deref(),
        &surface(api),
    )
    .map_err(|e| match e.location {
        crate::Location::File(file) => Error::file(dir.join(file), e.message),
        _ => e,
    })?;
    tree.insert(CHANGELOG_FILE, bytes)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::diff::Bump;

    fn empty(sha: &str) -> Surface {
        Surface {
            crate_name: "gr4vy".into(),
            crate_version: "0.1.0".into(),
            api_version: "1.0.0".into(),
            spec_sha256: sha.into(),
            operations: BTreeMap::new(),
            types: BTreeMap::new(),
            consts: BTreeMap::new(),
            client: None,
        }
    }

    #[test]
    fn changelog_sections_go_newest_first_and_an_unchanged_spec_adds_none() {
        let json = |s: &Surface| serde_json::to_vec(s).unwrap();
        let (a, b, c) = (
            empty("aaaaaaaaaaaa"),
            empty("bbbbbbbbbbbb"),
            empty("cccccccccccc"),
        );
        let (fresh, report) = changelog(None, None, &a).unwrap();
        assert!(report.is_none());
        assert_eq!(fresh, CHANGELOG_HEADER.as_bytes());
        let (same, report) = changelog(Some(&json(&a)), Some(&fresh), &a).unwrap();
        assert!(report.is_none());
        assert_eq!(same, fresh);
        let (one, report) = changelog(Some(&json(&a)), Some(&fresh), &b).unwrap();
        assert_eq!(report.unwrap().bump, Bump::Patch);
        let (two, _) = changelog(Some(&json(&b)), Some(&one), &c).unwrap();
        let two = String::from_utf8(two).unwrap();
        assert!(two.starts_with(CHANGELOG_HEADER), "{two}");
        let first = two.find("## Spec `bbbbbbbb` → `cccccccc`: patch").unwrap();
        let second = two.find("## Spec `aaaaaaaa` → `bbbbbbbb`: patch").unwrap();
        assert!(first < second, "{two}");
        assert!(two.contains("No change to the generated Rust API: semver **patch**; next `gr4vy` release: 0.1.0 → **0.1.1**"), "{two}");
    }

    #[test]
    fn an_unreadable_surface_is_an_error_naming_the_file() {
        let e = changelog(Some(b"{}"), None, &empty("a")).unwrap_err();
        assert!(e.to_string().starts_with(SURFACE_FILE), "{e}");
    }
}
