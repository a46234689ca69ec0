//! The passes in order, each a public function that takes the previous one's value and returns its
//! own: [`load`] (the spec and every input file), [`overlay`], [`view`] (the typed view, audited),
//! [`lower`] (the IR) and [`render`] (the crate's files: [`emit::render`]'s, plus
//! `api-surface.json`). [`regen`] runs them all for `cargo xtask regen` and adds `CHANGELOG.md`;
//! [`lower_spec`] stops after [`lower`] (for `cargo xtask diff`); [`generate`] starts at [`view`]
//! (for fixtures and fuzzing, which have no pin and no overlays).
//!
//! Nothing here writes to disk: the caller decides whether to compare ([`Tree::diff`]) or swap in
//! ([`Tree::write_atomic`]) the result. Times are values too: [`emit::render`] reports how long its
//! threads spent formatting, and [`render`] turns that into the `emit` and `format` phases.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::emit::{self, StaticFile};
use crate::invalid_examples;
use crate::ir::{self, CrateConfig};
use crate::output::Tree;
use crate::spec::audit::{self, Audit, AuditConfig};
use crate::spec::overlay::{self, ActionReport, Overlay};
use crate::spec::source::{self, Pin, Verified};
use crate::spec::view::Document;
use crate::{Error, Result};

/// Which spec to generate from.
#[derive(Debug, Clone)]
pub enum SpecInput {
    /// The spec pinned in `spec/source.toml` (cache, else mirrors).
    Pinned,
    /// Any `openapi.json`, unverified: for trying a new spec version before moving the pin.
    File(PathBuf),
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace root (holds `spec/` and `templates/`).
    pub root: PathBuf,
    pub spec: SpecInput,
    /// The crate is written outside the workspace (see [`emit::Options::standalone`]).
    pub standalone: bool,
}

/// Everything one regen produced, in memory.
#[derive(Debug)]
pub struct Regen {
    /// The crate's files.
    pub tree: Tree,
    /// The spec after our overlays (see [`Regen::overlaid_json`] for `openapi.speakeasy.json`).
    pub overlaid: serde_json::Value,
    /// The pinned spec, when it came from a mirror and so should be cached.
    pub to_cache: Option<Verified>,
    /// Where the spec came from, for messages.
    pub spec_origin: String,
    pub summary: Summary,
    /// The lowered IR (for snapshots and reports).
    pub api: ir::Api,
    pub audit: Audit,
    /// Entries of `spec/invalid-examples.toml` that name no example of this spec: only when the
    /// spec is not the pinned one (on the pinned spec they are an error), for the caller to warn.
    pub stale_invalid_examples: Vec<invalid_examples::Stale>,
    /// Everything the passes let through but a maintainer should see, in order: annotations the
    /// audit let through, what lowering worked around. (Stale invalid-example entries are in
    /// `stale_invalid_examples`.)
    pub warnings: Vec<crate::Warning>,
    /// The API changes since the crate in `generated/` when its spec sha256 differs (then also the
    /// new section of `CHANGELOG.md`); `None` for a standalone crate (see [`crate::diff::add_changelog`]).
    pub changes: Option<crate::diff::Report>,
    /// Wall time of each phase, in order: load, overlay, view, lower, emit (building token
    /// streams and other files), format (parsing and printing the Rust with syn and prettyplease),
    /// changelog (comparing with the crate in `generated/`).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Regen {
    /// `openapi.speakeasy.json`: the overlaid spec, pretty-printed. Printed on demand rather than by
    /// every regen: `--check` and the benchmark never write it, and printing 2 MB of JSON was
    /// nearly half of the overlay phase.
    pub fn overlaid_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(&self.overlaid)
            .map_err(|e| Error::at("", format!("the overlaid spec cannot be serialized: {e}")))
    }
}

/// A reviewable digest of the overlaid spec (snapshotted in tests, printed by `regen -v`).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub openapi: String,
    pub api_version: String,
    pub paths: usize,
    /// Operations by HTTP method, upper-case, sorted.
    pub operations: std::collections::BTreeMap<String, usize>,
    /// Operations marked `x-speakeasy-ignore: true`, which the SDK leaves out.
    pub ignored_operations: usize,
    pub schemas: usize,
    pub servers: Vec<String>,
    /// One line per overlay action, in the order applied.
    pub overlay_actions: Vec<ActionReport>,
}

/// Paths below the workspace root that regen reads.
pub const OVERLAY_DIR: &str = "spec/overlays";
pub const AUDIT_FILE: &str = "spec/audit.toml";
pub const CONFIG_FILE: &str = "spec/generator.toml";
pub const INVALID_EXAMPLES_FILE: &str = invalid_examples::FILE;
pub const STATIC_DIR: &str = "templates/crate";
/// Hand-written files copied into the crate, after [`STATIC_DIR`]'s, only when the spec is the
/// pinned one: the tests and benchmarks that name the pinned spec's types and operations, which
/// another version of the spec may not have or may have changed (see `docs/testing.md`).
pub const PINNED_STATIC_DIR: &str = "templates/pinned";
/// Where regen caches the overlaid spec (git-ignored).
pub const OVERLAID_FILE: &str = "spec/openapi.speakeasy.json";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneratorToml {
    #[serde(rename = "crate")]
    krate: CrateConfig,
}

/// Everything [`load`] read: the spec, not yet overlaid, and the files regen takes its settings
/// from.
#[derive(Debug)]
pub struct Loaded {
    /// The spec as JSON.
    pub doc: serde_json::Value,
    /// The spec file's sha256 (the pin's, for the pinned spec).
    pub sha256: String,
    /// Where the spec came from, for messages.
    pub spec_origin: String,
    /// The pinned spec, when it came from a mirror and so should be cached.
    pub to_cache: Option<Verified>,
    pub config: CrateConfig,
    pub audit_config: AuditConfig,
    pub overlays: Vec<Overlay>,
    /// [`STATIC_DIR`]'s files, then [`PINNED_STATIC_DIR`]'s when the spec is the pinned one.
    pub statics: Vec<StaticFile>,
    /// `spec/invalid-examples.toml`.
    pub invalid_examples: Vec<invalid_examples::Entry>,
    /// The spec is the pinned one (by sha256, whether or not it was given with `--spec`).
    pub pinned: bool,
}

/// Reads the spec (pinned or a file) and everything under `root` that the later passes need.
pub fn load(root: &Path, spec: &SpecInput) -> Result<Loaded> {
    let (bytes, sha256, spec_origin, to_cache, pinned) = match spec {
        SpecInput::Pinned => {
            let pin = Pin::load(root)?;
            let verified = pin.spec(root)?;
            let origin = verified.origin.to_string();
            let to_cache =
                matches!(verified.origin, source::Origin::Mirror(_)).then(|| verified.clone());
            // Verified bytes hash to the pin: no need to hash them a second time.
            (verified.bytes, pin.pin.sha256, origin, to_cache, true)
        }
        SpecInput::File(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Error::file(path, format!("cannot read the spec: {e}")))?;
            let sha256 = source::sha256_hex(&bytes);
            // A root without a pin (a test's) has no pinned spec to be.
            let pinned = Pin::load(root).is_ok_and(|pin| pin.pin.sha256 == sha256);
            (
                bytes,
                sha256,
                format!("{} (unpinned)", path.display()),
                None,
                pinned,
            )
        }
    };
    let doc = parse_spec(&bytes, &spec_origin)?;
    if !doc.is_object() {
        return Err(Error::file(
            spec_origin.clone(),
            "is JSON but not an OpenAPI document (the top level must be an object with `openapi`, `info` and `paths`)",
        ));
    }
    Ok(Loaded {
        doc,
        sha256,
        spec_origin,
        to_cache,
        config: read_config(root)?,
        audit_config: AuditConfig::load(&root.join(AUDIT_FILE))?,
        overlays: overlay::load_dir(&root.join(OVERLAY_DIR))?,
        statics: {
            let mut statics = read_statics(&root.join(STATIC_DIR))?;
            if pinned {
                statics.extend(read_statics(&root.join(PINNED_STATIC_DIR))?);
            }
            statics
        },
        invalid_examples: invalid_examples::read(root)?,
        pinned,
    })
}

/// Applies the overlays in order; returns the overlaid spec and one report per action.
pub fn overlay(
    doc: serde_json::Value,
    overlays: &[Overlay],
) -> Result<(serde_json::Value, Vec<ActionReport>)> {
    overlay::apply_all_owned(doc, overlays)
}

/// Reads the (overlaid) spec into the typed view and audits it: the first key that the view does
/// not model and `audit_config` does not ignore is an error at that key, unless it is an
/// annotation (see [`audit::ANNOTATIONS`]), which is left in [`Audit::annotations`].
pub fn view(doc: &serde_json::Value, audit_config: &AuditConfig) -> Result<(Document, Audit)> {
    let view = Document::from_value(doc)?;
    let audit = audit::audit(&view, audit_config);
    if let Some(first) = audit.findings.first() {
        let more = match audit.findings.len() - 1 {
            0 => String::new(),
            n => format!(" ({n} more such keys follow it)"),
        };
        return Err(Error::at(
            &first.pointer,
            format!(
                "`{}` is a key the generator does not understand, so its meaning would be dropped \
                 silently{more}; fix the key with an overlay, teach `spec/view/` about it, or list it \
                 in {AUDIT_FILE} with a reason if the SDK can do without it",
                first.keyword
            ),
        ));
    }
    Ok((view, audit))
}

/// What [`lower`] returns.
#[derive(Debug)]
pub struct Lowered {
    pub api: ir::Api,
    /// `invalid_examples` applied to this spec.
    pub invalid_examples: invalid_examples::Resolved,
    pub summary: Summary,
}

/// Lowers the view into the IR, and applies `invalid_examples` to it. `overlay_actions` go into
/// the [`Summary`].
pub fn lower(
    view: &Document,
    config: &CrateConfig,
    spec_sha256: &str,
    invalid_examples: &[invalid_examples::Entry],
    overlay_actions: Vec<ActionReport>,
    lock: &ir::lock::Lock,
) -> Result<Lowered> {
    let api = ir::lower(view, config, spec_sha256, lock)?;
    let invalid_examples = invalid_examples::resolve(&api, invalid_examples)?;
    let summary = summarize(view, overlay_actions);
    Ok(Lowered {
        api,
        invalid_examples,
        summary,
    })
}

/// The stale entries of `resolved`: an error on the pinned spec, which the file describes (an
/// entry that names nothing there is out of date, or names the wrong example); otherwise returned
/// for the caller to warn about, since the file cannot describe every version of the spec.
pub fn check_stale(
    resolved: &mut invalid_examples::Resolved,
    pinned: bool,
) -> Result<Vec<invalid_examples::Stale>> {
    let stale = std::mem::take(&mut resolved.stale);
    match stale.split_first() {
        Some((first, rest)) if pinned => {
            let more = match rest.len() {
                0 => String::new(),
                n => format!(" ({n} more stale entries follow it)"),
            };
            Err(Error::file(
                INVALID_EXAMPLES_FILE,
                format!(
                    "{first}{more}; on the pinned spec every entry must name an example: fix the \
                     entry, or remove it if upstream fixed the example"
                ),
            ))
        }
        _ => Ok(stale),
    }
}

/// What [`render`] returns.
#[derive(Debug)]
pub struct Rendered {
    pub tree: Tree,
    /// The part of [`render`]'s wall time that went to parsing and printing the Rust with syn and
    /// prettyplease (regen's `format` phase; the rest is its `emit` phase).
    pub format: Duration,
}

/// The crate's files: [`emit::render`]'s, plus `api-surface.json` (see [`crate::diff`]). Not
/// `CHANGELOG.md`, which depends on the crate being replaced (see [`regen`]).
pub fn render(api: &ir::Api, statics: &[StaticFile], options: &emit::Options) -> Result<Rendered> {
    let start = Instant::now();
    let emit::Rendered {
        mut tree,
        format,
        busy,
    } = emit::render(api, statics, options)?;
    tree.insert(crate::diff::SURFACE_FILE, crate::diff::surface_json(api)?)?;
    let wall = start.elapsed();
    // Rendering runs on several threads at once (see `emit::render`), so the phases' sum stays the
    // wall time only if the wall time is what is split: `format` gets the share of all threads'
    // work that formatting took, `emit` the rest.
    let mut format_wall = Duration::ZERO;
    if busy > Duration::ZERO {
        format_wall = wall.mul_f64((format.as_secs_f64() / busy.as_secs_f64()).min(1.0));
    }
    Ok(Rendered {
        tree,
        format: format_wall,
    })
}

/// The passes after loading and overlays, for any document (used by fixture tests and fuzzing,
/// which have no pin and no overlays): view (audited with an empty [`AuditConfig`], so any key the
/// view does not model is an error), lower, render. Returns the IR and the crate's files, without
/// `CHANGELOG.md`.
pub fn generate(
    doc: &serde_json::Value,
    config: &CrateConfig,
    spec_sha256: &str,
    statics: &[StaticFile],
    options: &emit::Options,
) -> Result<(ir::Api, Tree)> {
    let (view, _) = view(doc, &AuditConfig::default())?;
    let api = ir::lower(&view, config, spec_sha256, &ir::lock::Lock::default())?;
    drop(view);
    let tree = render(&api, statics, options)?.tree;
    Ok((api, tree))
}

/// Runs every pass and returns the result without writing anything.
pub fn regen(options: &Options) -> Result<Regen> {
    let root = options.root.as_path();
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        let now = Instant::now();
        timings.push((name, now - clock));
        clock = now;
    };

    let loaded = load(root, &options.spec)?;
    lap("load", &mut timings);

    let (doc, actions) = overlay(loaded.doc, &loaded.overlays)?;
    lap("overlay", &mut timings);

    let (view, audit) = view(&doc, &loaded.audit_config)?;
    lap("view", &mut timings);

    // Names the committed crate publishes are kept (see `ir/lock.rs`).
    let lock = crate::diff::read_lock(&root.join("generated"))?;
    let Lowered {
        api,
        mut invalid_examples,
        summary,
    } = lower(
        &view,
        &loaded.config,
        &loaded.sha256,
        &loaded.invalid_examples,
        actions,
        &lock,
    )?;
    let stale_invalid_examples = check_stale(&mut invalid_examples, loaded.pinned)?;
    // The view is a second copy of the spec; rendering does not need it.
    drop(view);
    lap("lower", &mut timings);

    let rendered = render(
        &api,
        &loaded.statics,
        &emit::Options {
            standalone: options.standalone,
            invalid_examples: invalid_examples.examples,
        },
    )?;
    // The lap is `render`'s wall time; `render` says what share of it was formatting.
    lap("emit", &mut timings);
    if let Some((_, emit)) = timings.last_mut() {
        *emit = emit.saturating_sub(rendered.format);
    }
    timings.push(("format", rendered.format));
    let mut tree = rendered.tree;
    // The changelog compares with the crate being replaced; a standalone crate's caller knows where
    // that is and calls `diff::add_changelog` itself.
    let changes = if options.standalone {
        None
    } else {
        crate::diff::add_changelog(&mut tree, &api, &root.join("generated"))?
    };
    lap("changelog", &mut timings);

    let mut doc = doc;
    emit::snippets::add_code_samples(&mut doc, &api);
    let warnings = audit
        .annotations
        .iter()
        .map(audit::Finding::warning)
        .chain(api.warnings.iter().cloned())
        .collect();
    Ok(Regen {
        warnings,
        api,
        tree,
        overlaid: doc,
        to_cache: loaded.to_cache,
        spec_origin: loaded.spec_origin,
        summary,
        audit,
        stale_invalid_examples,
        changes,
        timings,
    })
}

/// The UTF-8 byte order mark, which some Windows editors write at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses the spec file's bytes as JSON. A leading byte order mark is skipped (RFC 8259 lets a
/// parser ignore it, and it says nothing about the content). A file that is not JSON but is a YAML
/// OpenAPI document gets an error saying so, rather than "not valid JSON at line 1, column 1":
/// the spec is read as JSON only, because the pin, the overlays' output and the audit all work
/// on the JSON text, and YAML's implicit typing could change values on the way.
fn parse_spec(bytes: &[u8], origin: &str) -> Result<serde_json::Value> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        let message = match yaml_openapi_version(bytes) {
            Some(version) => format!(
                "is a YAML document (`openapi: {version}`), but the generator reads the spec as JSON \
                 only; convert it to JSON (the same document, in JSON syntax) and use that file"
            ),
            None => format!(
                "is not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        };
        Error::file(origin, message)
    })
}

/// The `openapi` (or `swagger`) field of `bytes` read as YAML, if they are a YAML mapping that has
/// one: the sign that a spec that is not JSON is YAML. Only called once JSON parsing failed.
fn yaml_openapi_version(bytes: &[u8]) -> Option<String> {
    let value: yaml_serde::Value = yaml_serde::from_slice(bytes).ok()?;
    let mapping = value.as_mapping()?;
    let version = mapping.get("openapi").or_else(|| mapping.get("swagger"))?;
    match version {
        yaml_serde::Value::String(s) => Some(s.clone()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The IR of a spec, lowered exactly as [`regen`] lowers it (load, overlays, view with the audit,
/// lower), for `cargo xtask diff`. Nothing is rendered.
pub fn lower_spec(root: &Path, spec: SpecInput) -> Result<ir::Api> {
    let loaded = load(root, &spec)?;
    let (doc, actions) = overlay(loaded.doc, &loaded.overlays)?;
    let (view, _) = view(&doc, &loaded.audit_config)?;
    let lock = crate::diff::read_lock(&root.join("generated"))?;
    let lowered = lower(
        &view,
        &loaded.config,
        &loaded.sha256,
        &loaded.invalid_examples,
        actions,
        &lock,
    )?;
    Ok(lowered.api)
}

/// Reads the generated crate's settings from `spec/generator.toml`.
pub fn read_config(root: &Path) -> Result<CrateConfig> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::file(&path, format!("cannot read: {e}")))?;
    let parsed: GeneratorToml = toml::from_str(&text).map_err(|e| {
        Error::file(
            &path,
            format!("is not a valid generator config: {}", e.message()),
        )
    })?;
    Ok(parsed.krate)
}

/// Reads `templates/crate/**` (sorted, so the output order never depends on the file system).
pub fn read_statics(dir: &Path) -> Result<Vec<StaticFile>> {
    Ok(crate::output::read_tree(dir)?
        .into_iter()
        .map(|(path, bytes)| StaticFile { path, bytes })
        .collect())
}

fn summarize(view: &Document, overlay_actions: Vec<ActionReport>) -> Summary {
    let mut operations = std::collections::BTreeMap::new();
    let mut ignored_operations = 0;
    for (_, method, op) in view.operations() {
        *operations.entry(method.as_upper().to_string()).or_insert(0) += 1;
        if op.x_speakeasy_ignore == Some(true) {
            ignored_operations += 1;
        }
    }
    Summary {
        openapi: view.openapi.clone(),
        api_version: view.info.version.clone(),
        paths: view.paths.len(),
        operations,
        ignored_operations,
        schemas: view.components.as_ref().map_or(0, |c| c.schemas.len()),
        servers: view.servers.iter().map(|s| s.url.clone()).collect(),
        overlay_actions,
    }
}
