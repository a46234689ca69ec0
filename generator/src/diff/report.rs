//! The report of a comparison: each change with its effect, and the semver bump they call for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a change does to code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Code that compiled may stop compiling.
    Breaking,
    /// New API; code that compiled still does.
    Additive,
    /// The Rust API is the same.
    None,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Breaking => "breaking",
            Effect::Additive => "additive",
            Effect::None => "none",
        }
    }
}

/// The semver bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    Major,
    Minor,
    Patch,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        }
    }

    /// The version after `version` (`MAJOR.MINOR.PATCH`, a pre-release or build suffix dropped).
    /// Below 1.0 cargo treats the minor version as the major one, so a breaking change bumps the
    /// minor and anything else the patch. `None` if `version` is not of that form.
    pub fn next_version(self, version: &str) -> Option<String> {
        let core = version.split(['-', '+']).next().unwrap_or(version);
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse::<u64>().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        let (major, minor, patch) = match (major, self) {
            (0, Bump::Major) => (0, minor.checked_add(1)?, 0),
            (0, _) => (0, minor, patch.checked_add(1)?),
            (_, Bump::Major) => (major.checked_add(1)?, 0, 0),
            (_, Bump::Minor) => (major, minor.checked_add(1)?, 0),
            (_, Bump::Patch) => (major, minor, patch.checked_add(1)?),
        };
        Some(format!("{major}.{minor}.{patch}"))
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    CallPathChanged,
    EndpointChanged,
    BuilderRenamed,
    OperationIdChanged,
    ResponseChanged,
    ArgumentsReordered,
    BodyAdded,
    BodyRemoved,
    BodyChanged,
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterMadeRequired,
    ParameterMadeOptional,
    ParameterChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    TypeNowSent,
    TypeNoLongerSent,
    ConstructorReordered,
    ConstructorStyleChanged,
    DefaultAdded,
    DefaultRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    FieldRenamed,
    SetterRenamed,
    FieldMadeRequired,
    FieldMadeOptional,
    FieldMadeNullable,
    FieldMadeNonNullable,
    FieldDefaultAdded,
    FieldDefaultRemoved,
    FieldDefaultChanged,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
    VariantRetyped,
    AccessorAdded,
    AccessorRemoved,
    AliasRetyped,
    ServerAdded,
    ServerRemoved,
    ServerChanged,
    SettingAdded,
    SettingRemoved,
    SettingChanged,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: Kind,
    /// The resource group (cargo feature) it belongs to; `shared` for types several groups reach.
    pub resource: String,
    /// What changed, in a sentence, with Rust names.
    pub message: String,
    /// JSON pointer in the new spec (in the old one for removals).
    pub pointer: String,
    pub effect: Effect,
}

/// Counts of entries by effect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub breaking: usize,
    pub additive: usize,
    pub none: usize,
}

impl Counts {
    fn add(&mut self, effect: Effect) {
        match effect {
            Effect::Breaking => self.breaking += 1,
            Effect::Additive => self.additive += 1,
            Effect::None => self.none += 1,
        }
    }

    pub(super) fn of<'e>(entries: impl IntoIterator<Item = &'e Entry>) -> Counts {
        let mut counts = Counts::default();
        for e in entries {
            counts.add(e.effect);
        }
        counts
    }

    pub(super) fn bump(self) -> Bump {
        if self.breaking > 0 {
            Bump::Major
        } else if self.additive > 0 {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }
}

/// The comparison of two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub old_spec_sha256: String,
    pub new_spec_sha256: String,
    pub crate_name: String,
    /// The crate's version now (`spec/generator.toml`).
    pub version: String,
    pub bump: Bump,
    /// The version the changes should be released as; `None` if `version` is not `X.Y.Z`.
    pub next_version: Option<String>,
    pub counts: Counts,
    /// Entries by resource, each list sorted by effect (breaking first), then pointer.
    pub resources: BTreeMap<String, Vec<Entry>>,
}

impl Report {
    /// Every entry, resource by resource.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.resources.values().flatten()
    }

    /// `53109bda → 0a1b2c3d: major`.
    fn heading(&self) -> String {
        format!(
            "Spec `{}` → `{}`: {}",
            short(&self.old_spec_sha256),
            short(&self.new_spec_sha256),
            self.bump.as_str()
        )
    }

    /// One line: counts, bump and next version.
    pub fn summary(&self) -> String {
        let c = self.counts;
        let changes = if c.breaking + c.additive + c.none == 0 {
            "No change to the generated Rust API".to_string()
        } else {
            format!(
                "{} breaking, {} additive, {} without effect on the Rust API",
                c.breaking, c.additive, c.none
            )
        };
        let next = match &self.next_version {
            Some(next) => {
                let rule = if self.version.starts_with("0.") {
                    " (0.x: breaking changes bump the minor version, others the patch version)"
                } else {
                    ""
                };
                format!(
                    "; next `{}` release: {} → **{next}**{rule}",
                    self.crate_name, self.version
                )
            }
            None => format!("; `{}` is not a MAJOR.MINOR.PATCH version", self.version),
        };
        format!("{changes}: semver **{}**{next}.", self.bump.as_str())
    }

    /// The report in Markdown, for a pull request or the changelog: a `##` heading (spec hashes and
    /// the bump), the summary line, then a table per resource.
    pub fn markdown(&self) -> String {
        let mut out = format!("## {}\n\n{}\n", self.heading(), self.summary());
        for (resource, entries) in &self.resources {
            let c = Counts::of(entries);
            let mut counts = Vec::new();
            for (n, what) in [
                (c.breaking, "breaking"),
                (c.additive, "additive"),
                (c.none, "none"),
            ] {
                if n > 0 {
                    counts.push(format!("{n} {what}"));
                }
            }
            out.push_str(&format!("\n### `{resource}` ({})\n\n", counts.join(", ")));
            out.push_str("| effect | change | spec pointer |\n| --- | --- | --- |\n");
            for e in entries {
                let effect = match e.effect {
                    Effect::Breaking => "**breaking**",
                    other => other.as_str(),
                };
                out.push_str(&format!(
                    "| {effect} | {} | `{}` |\n",
                    e.message.replace('|', "\\|"),
                    e.pointer.replace('|', "\\|")
                ));
            }
        }
        out
    }
}

fn short(sha: &str) -> &str {
    sha.get(..8).unwrap_or(sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_versions() {
        assert_eq!(Bump::Major.next_version("0.1.0").as_deref(), Some("0.2.0"));
        assert_eq!(Bump::Minor.next_version("0.1.0").as_deref(), Some("0.1.1"));
        assert_eq!(Bump::Patch.next_version("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::Major.next_version("1.2.3").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::Minor.next_version("1.2.3").as_deref(), Some("1.3.0"));
        assert_eq!(Bump::Patch.next_version("1.2.3").as_deref(), Some("1.2.4"));
        assert_eq!(
            Bump::Patch.next_version("1.2.3-rc.1").as_deref(),
            Some("1.2.4")
        );
        assert_eq!(Bump::Patch.next_version("1.2"), None);
        assert_eq!(Bump::Patch.next_version("x.y.z"), None);
    }

    /// `docs/semver.md` is where the rules are written down: every kind of change must be in its
    /// table. The list comes from one macro input that also feeds an exhaustive `match`, so a new
    /// `Kind` does not compile here until it is listed.
    #[test]
    fn the_semver_doc_lists_every_kind() {
        macro_rules! every_kind {
            ($($kind:ident),* $(,)?) => {{
                fn _exhaustive(kind: Kind) {
                    match kind {
                        $(Kind::$kind)|* => {}
                    }
                }
                [$(Kind::$kind),*]
            }};
        }
        let kinds = every_kind![
            OperationAdded,
            OperationRemoved,
            CallPathChanged,
            EndpointChanged,
            BuilderRenamed,
            OperationIdChanged,
            ResponseChanged,
            ArgumentsReordered,
            BodyAdded,
            BodyRemoved,
            BodyChanged,
            PaginationAdded,
            PaginationRemoved,
            PaginationChanged,
            ParameterAdded,
            ParameterRemoved,
            ParameterMadeRequired,
            ParameterMadeOptional,
            ParameterChanged,
            TypeAdded,
            TypeRemoved,
            TypeRenamed,
            TypeKindChanged,
            TypeNowSent,
            TypeNoLongerSent,
            ConstructorReordered,
            ConstructorStyleChanged,
            DefaultAdded,
            DefaultRemoved,
            FieldAdded,
            FieldRemoved,
            FieldRetyped,
            FieldRenamed,
            SetterRenamed,
            FieldMadeRequired,
            FieldMadeOptional,
            FieldMadeNullable,
            FieldMadeNonNullable,
            FieldDefaultAdded,
            FieldDefaultRemoved,
            FieldDefaultChanged,
            EnumValueAdded,
            EnumValueRemoved,
            VariantAdded,
            VariantRemoved,
            VariantRetyped,
            AccessorAdded,
            AccessorRemoved,
            AliasRetyped,
            ServerAdded,
            ServerRemoved,
            ServerChanged,
            SettingAdded,
            SettingRemoved,
            SettingChanged,
        ];
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/semver.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let missing: Vec<String> = kinds
            .iter()
            .map(|k| format!("`{k:?}`"))
            .filter(|k| !doc.contains(k.as_str()))
            .collect();
        assert!(missing.is_empty(), "docs/semver.md lacks {missing:?}");
    }
}
