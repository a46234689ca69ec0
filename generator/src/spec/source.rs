//! Where the spec comes from: the pin in `spec/source.toml`, its mirrors, and the local cache.
//!
//! The spec is data from elsewhere, so it is identified by content (sha256), not by name. Nothing here
//! trusts a file that does not hash to the pin: a mismatch is an error naming both hashes, and the
//! cache is only ever written with verified bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// Path of the pin file, relative to the workspace root.
pub const PIN_FILE: &str = "spec/source.toml";

/// The parsed `spec/source.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub upstream: Upstream,
    pub pin: Content,
}

/// Where the spec is published.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub repository: String,
    pub commit: String,
    pub url: String,
    pub license: String,
}

/// What the spec must hash to, where it is cached, and where copies of it may be found.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Content {
    pub sha256: String,
    pub cache: PathBuf,
    pub mirrors: Vec<String>,
}

/// Where verified spec bytes came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The git-ignored cache, already vendored.
    Cache(PathBuf),
    /// One of the pin's mirrors (a path or a URL, as written in the pin file).
    Mirror(String),
    /// A path given on the command line (`vendor --from PATH`).
    Explicit(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Cache(p) => write!(f, "cache {}", p.display()),
            Origin::Mirror(m) => write!(f, "mirror {m}"),
            Origin::Explicit(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Spec bytes whose sha256 equals the pin.
#[derive(Debug, Clone)]
pub struct Verified {
    pub bytes: Vec<u8>,
    pub origin: Origin,
}

impl Pin {
    /// Reads `spec/source.toml` below `root`.
    pub fn load(root: &Path) -> Result<Pin> {
        let path = root.join(PIN_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::file(
                &path,
                format!("cannot read the spec pin ({e}); it should be committed with the project"),
            )
        })?;
        Pin::parse(&path, &text)
    }

    /// Parses pin text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Pin> {
        let pin: Pin = toml::from_str(text)
            .map_err(|e| Error::file(path, format!("is not a valid pin file: {}", e.message())))?;
        let hash = &pin.pin.sha256;
        if hash.len() != 64
            || !hash
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Err(Error::file(
                path,
                format!("`pin.sha256` must be 64 lowercase hex digits, found `{hash}`"),
            ));
        }
        if pin.pin.mirrors.is_empty() {
            return Err(Error::file(
                path,
                "`pin.mirrors` is empty: list at least one place the spec can be copied from",
            ));
        }
        Ok(pin)
    }

    /// The absolute cache path.
    pub fn cache_path(&self, root: &Path) -> PathBuf {
        root.join(&self.pin.cache)
    }

    /// Checks `bytes` against the pin; `what` names the source in the error.
    pub fn verify(&self, what: &str, bytes: &[u8]) -> Result<()> {
        let actual = sha256_hex(bytes);
        if actual == self.pin.sha256 {
            Ok(())
        } else {
            Err(Error::file(
                what,
                format!(
                    "sha256 mismatch: expected {} (pinned in {PIN_FILE}), got {actual}. This is not the \
                     pinned spec; to try a different spec use `cargo xtask regen --spec PATH --out DIR`, \
                     and to adopt it move the pin",
                    self.pin.sha256
                ),
            ))
        }
    }

    /// Finds verified bytes without touching the cache: `from` if given, else each mirror in order.
    ///
    /// A mirror that is missing or unreachable is skipped; a mirror that is present but hashes wrong
    /// stops the search, because a corrupted copy is something the user must hear about.
    pub fn fetch(&self, root: &Path, from: Option<&Path>) -> Result<Verified> {
        if let Some(path) = from {
            let bytes = std::fs::read(path)
                .map_err(|e| Error::file(path, format!("cannot read the spec to vendor: {e}")))?;
            self.verify(&path.display().to_string(), &bytes)?;
            return Ok(Verified {
                bytes,
                origin: Origin::Explicit(path.to_path_buf()),
            });
        }
        let mut tried = Vec::new();
        for mirror in &self.pin.mirrors {
            match read_mirror(root, mirror) {
                Ok(bytes) => {
                    self.verify(mirror, &bytes)?;
                    return Ok(Verified {
                        bytes,
                        origin: Origin::Mirror(mirror.clone()),
                    });
                }
                Err(why) => tried.push(format!("{mirror}: {why}")),
            }
        }
        Err(Error::file(
            root.join(PIN_FILE),
            format!(
                "no mirror of the pinned spec could be read ({}). Put Gr4vy's shared folder beside the \
                 checkout (as ../shared) or run `cargo xtask vendor --from PATH`",
                tried.join("; ")
            ),
        ))
    }

    /// The cached spec if it is there and verified, else a fresh copy from the mirrors (which the
    /// caller may then [`write_cache`](Pin::write_cache); `origin` tells which happened).
    pub fn spec(&self, root: &Path) -> Result<Verified> {
        let cache = self.cache_path(root);
        match std::fs::read(&cache) {
            Ok(bytes) => {
                self.verify(&cache.display().to_string(), &bytes)
                    .map_err(|mut e| {
                        e.message.push_str(
                            "; delete the cache and run `cargo xtask vendor` to restore it",
                        );
                        e
                    })?;
                Ok(Verified {
                    bytes,
                    origin: Origin::Cache(cache),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.fetch(root, None),
            Err(e) => Err(Error::file(
                &cache,
                format!("cannot read the cached spec: {e}"),
            )),
        }
    }

    /// Writes verified bytes to the cache, atomically (temp file, then rename).
    pub fn write_cache(&self, root: &Path, spec: &Verified) -> Result<PathBuf> {
        let cache = self.cache_path(root);
        write_file_atomic(&cache, &spec.bytes)?;
        Ok(cache)
    }
}

/// Loads the pinned spec below the workspace `root`: cache first, then mirrors; always verified.
pub fn load_pinned(root: &Path) -> Result<Vec<u8>> {
    Ok(Pin::load(root)?.spec(root)?.bytes)
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Writes a file next to its final name first, so a reader never sees half of it.
pub(crate) fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&tmp, bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::file(path, format!("cannot write: {e}"))
    })
}

fn read_mirror(root: &Path, mirror: &str) -> std::result::Result<Vec<u8>, String> {
    if mirror.starts_with("https://") || mirror.starts_with("http://") {
        // The generator has no HTTP client of its own; curl is on every machine we run on.
        let out = Command::new("curl")
            .args([
                "--fail",
                "--silent",
                "--show-error",
                "--location",
                "--connect-timeout",
                "10",
                "--max-time",
                "60",
                mirror,
            ])
            .output()
            .map_err(|e| format!("cannot run curl: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    } else {
        let path = mirror
            .strip_prefix("file://")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join(mirror));
        std::fs::read(&path).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin_for(dir: &Path, bytes: &[u8]) -> Pin {
        let text = format!(
            "[upstream]\nrepository = \"r\"\ncommit = \"c\"\nurl = \"u\"\nlicense = \"MIT\"\n\
             [pin]\nsha256 = \"{}\"\ncache = \"cache.json\"\nmirrors = [\"missing.json\", \"mirror.json\"]\n",
            sha256_hex(bytes)
        );
        Pin::parse(&dir.join("source.toml"), &text).expect("valid pin")
    }

    #[test]
    fn sha256_of_empty_input_is_the_known_value() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn skips_missing_mirrors_and_caches_verified_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mirror.json"), b"{}").unwrap();
        let pin = pin_for(dir.path(), b"{}");
        let got = pin.spec(dir.path()).unwrap();
        assert_eq!(got.origin, Origin::Mirror("mirror.json".into()));
        pin.write_cache(dir.path(), &got).unwrap();
        assert_eq!(
            pin.spec(dir.path()).unwrap().origin,
            Origin::Cache(dir.path().join("cache.json"))
        );
    }

    #[test]
    fn a_corrupted_mirror_names_both_hashes_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mirror.json"), b"{ }").unwrap();
        let pin = pin_for(dir.path(), b"{}");
        let err = pin.spec(dir.path()).unwrap_err().to_string();
        assert!(err.contains(&pin.pin.sha256), "{err}");
        assert!(err.contains(&sha256_hex(b"{ }")), "{err}");
        assert!(!dir.path().join("cache.json").exists());
    }

    #[test]
    fn rejects_a_malformed_hash() {
        let err = Pin::parse(
            Path::new("s.toml"),
            "[upstream]\nrepository=\"r\"\ncommit=\"c\"\nurl=\"u\"\nlicense=\"MIT\"\n[pin]\nsha256=\"ABC\"\ncache=\"c\"\nmirrors=[\"m\"]\n",
        )
        .unwrap_err();
        assert!(err.message.contains("64 lowercase hex"), "{err}");
    }
}
