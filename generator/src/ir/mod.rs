//! The IR: what the generated crate will contain, decided before any code is written.
//!
//! Lowering ([`lower`]) reads the typed spec view and makes every decision (names, which servers,
//! which variables); emission only prints what the IR says. That split keeps the type-mapping rules
//! in one place and lets tests (and the snapshot of the full spec) look at decisions, not at text.

mod accessors;
mod constructors;
mod defaults;
pub mod describe;
pub mod errors;
pub mod globals;
mod graph;
pub mod lock;
pub mod names;
pub mod operations;
pub mod pagination;
pub mod rust_type;
pub mod sample;
mod schema;
pub mod sensitive;
mod servers;
pub mod setters;
pub mod settings;
pub mod snippets;
pub mod types;

use std::collections::BTreeSet;

use serde::Serialize;

pub use names::Name;

use crate::spec::view::Document;
use crate::{Result, error};

/// Settings of the generated crate that come from us, not from the spec (`spec/generator.toml`).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: String,
    pub edition: String,
    #[serde(rename = "rust-version")]
    pub rust_version: String,
    /// The `operationId` behind `Client::checkout_session_embed_token`, which creates a checkout
    /// session and signs an embed token pinned to it in one call. Unset: no such method.
    #[serde(default, rename = "checkout-session-operation")]
    pub checkout_session_operation: Option<String>,
}

/// `Client::checkout_session_embed_token`: which operation creates the session, and the field of
/// its response that holds the session's id.
#[derive(Debug, Clone, Serialize)]
pub struct CheckoutSessionHelper {
    /// Index into [`Api::operations`].
    pub operation: usize,
    pub id_field: Name,
}

/// Everything the emitter needs to write the crate.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub config: CrateConfig,
    /// `info.title` of the spec.
    pub title: String,
    /// `info.description` of the spec.
    pub description: Option<String>,
    /// `info.version` of the spec (the API's version, not the crate's).
    pub api_version: String,
    /// sha256 of the spec file the crate was generated from, for provenance.
    pub spec_sha256: String,
    /// The servers a client can choose from, in spec order; the first is the default.
    pub servers: Vec<Server>,
    /// Every variable used in any server URL, once each, in order of first use.
    pub server_variables: Vec<ServerVariable>,
    /// The parameters of `x-speakeasy-globals`, in spec order: headers set on the client or per
    /// call, never operation inputs.
    pub globals: Vec<globals::Global>,
    /// Every model type.
    pub types: types::Types,
    /// Every SDK operation, in spec order.
    pub operations: Vec<operations::Operation>,
    /// The error bodies any call may decode, by status (`ApiErrorBody`).
    pub error_bodies: Vec<errors::ErrorBody>,
    /// The item type of `ApiErrorBody::details()`.
    pub error_details: errors::ErrorDetails,
    /// Every schema with examples below a generated type or an operation's parameters and bodies.
    pub examples: Vec<types::ExampleSite>,
    pub checkout_session_helper: Option<CheckoutSessionHelper>,
    pub stats: Stats,
    /// What lowering worked around (such as a group derived for an operation that names none), in
    /// spec order.
    pub warnings: Vec<crate::Warning>,
}

/// Counts the README and the IR snapshot report.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Component schemas no SDK operation reaches, so not generated.
    pub unreachable_schemas: Vec<String>,
    /// Operations skipped because of `x-speakeasy-ignore`.
    pub ignored_operations: usize,
    /// Properties skipped because of `x-speakeasy-ignore`.
    pub ignored_properties: usize,
}

/// One entry of the spec's `servers`.
#[derive(Debug, Clone, Serialize)]
pub struct Server {
    /// `x-speakeasy-server-id` (wire) and the enum variant (Rust).
    pub name: Name,
    /// The URL with `{variable}` placeholders, as in the spec.
    pub url_template: String,
    pub description: Option<String>,
    /// JSON pointer of the server object.
    pub pointer: String,
}

/// A `{variable}` of a server URL.
#[derive(Debug, Clone, Serialize)]
pub struct ServerVariable {
    /// The placeholder (wire) and its `ClientBuilder` setter (Rust).
    pub name: Name,
    pub default: String,
    pub description: Option<String>,
    /// Values the spec allows (`enum`), empty when any value is allowed.
    pub allowed: Vec<String>,
    /// The environment variable `Client::from_env` reads it from (see [`settings`]).
    pub env_var: String,
    /// JSON pointer of the variable, in the first server that uses it.
    pub pointer: String,
}

/// Checks that `operation_id` can back `Client::checkout_session_embed_token`: an SDK operation
/// with no required parameters whose success response is an object with a required string `id`.
fn checkout_session_helper(
    operation_id: &str,
    ops: &[operations::Operation],
    types: &types::Types,
) -> Result<CheckoutSessionHelper> {
    let config = |message: String| {
        crate::Error::file(
            "spec/generator.toml",
            format!("`checkout-session-operation = \"{operation_id}\"`: {message}"),
        )
    };
    let (index, op) = ops
        .iter()
        .enumerate()
        .find(|(_, op)| op.id == operation_id)
        .ok_or_else(|| {
            config("no SDK operation has this operationId; name the operation that creates checkout sessions, or remove the setting".into())
        })?;
    if op.params.iter().any(operations::Param::is_argument) {
        return Err(config(format!(
            "the operation ({}) has required parameters, which the helper cannot fill in",
            op.pointer
        )));
    }
    let id_field = match op.success.body.as_ref().filter(|b| !b.nullable).map(|b| &b.ty) {
        Some(types::Ty::Named(id)) => match &types.get(*id).kind {
            types::TypeKind::Struct(s) => s.fields.iter().find(|f| {
                f.name.wire == "id" && matches!(f.ty, types::Ty::String) && f.required && !f.nullable
            }),
            _ => None,
        },
        _ => None,
    }
        .ok_or_else(|| {
            config(format!(
                "the success response of the operation ({}) is not an object with a required string `id`",
                op.pointer
            ))
        })?;
    Ok(CheckoutSessionHelper {
        operation: index,
        id_field: id_field.name.clone(),
    })
}

/// Cargo features of the generated crate that are not resource groups: `full` turns on every group,
/// `serialize` and `deserialize` add the direction a type does not need (see `emit/models.rs`).
pub const RESERVED_FEATURES: [&str; 4] = ["default", "full", "serialize", "deserialize"];

impl Api {
    /// The crate's cargo features: one per top-level `x-speakeasy-group`, sorted. `full` (on by
    /// default) turns on all of them.
    pub fn features(&self) -> Vec<String> {
        let set: std::collections::BTreeSet<&str> =
            self.operations.iter().map(|op| op.resource()).collect();
        set.into_iter().map(str::to_string).collect()
    }

    /// The crate's name as Rust code outside it writes it (`gr4vy`; `-` becomes `_`).
    pub fn crate_ident(&self) -> String {
        self.config.name.replace('-', "_")
    }
}

/// Every Rust name the crate will hold is at most [`names::MAX_LEN`] characters (see
/// [`names::check_length`]); the first one that is not is an error at the pointer of what it names.
fn check_name_lengths(
    types: &types::Types,
    ops: &[operations::Operation],
    servers: &[Server],
) -> Result<()> {
    use names::check_length;
    for def in types.iter() {
        check_length(&def.name.bare, &def.pointer, "its Rust type name")?;
        check_length(&def.module, &def.pointer, "its module file name")?;
        match &def.kind {
            types::TypeKind::Struct(s) => {
                for f in &s.fields {
                    check_length(&f.name.bare, &f.pointer, "its Rust field name")?;
                    if let Some(value) = &f.constant {
                        check_length(
                            &value.type_name(),
                            &f.pointer,
                            "the type name of its constant",
                        )?;
                    }
                }
            }
            types::TypeKind::Enum(e) => {
                for v in &e.variants {
                    check_length(
                        &v.name.bare,
                        &def.pointer,
                        "the Rust name of one of its enum values",
                    )?;
                }
            }
            types::TypeKind::Union(u) => {
                for v in &u.variants {
                    check_length(
                        &v.name.bare,
                        &def.pointer,
                        "the Rust name of one of its union variants",
                    )?;
                }
            }
            types::TypeKind::Alias(_) => {}
        }
    }
    for op in ops {
        check_length(
            &op.builder,
            &error::child(&op.pointer, "operationId"),
            "its request builder's type name",
        )?;
        check_length(&op.name.bare, &op.pointer, "its method name")?;
        for g in &op.group {
            check_length(
                &g.bare,
                &error::child(&op.pointer, "x-speakeasy-group"),
                "the module name of its group",
            )?;
        }
        for p in &op.params {
            check_length(&p.field.bare, &p.pointer, "its Rust parameter name")?;
        }
    }
    for s in servers {
        check_length(&s.name.bare, &s.pointer, "its Rust variant name")?;
    }
    Ok(())
}

/// Lowers the overlaid spec into the IR.
///
/// Names published in `lock` are kept for the same spec objects (see [`lock`]); pass
/// [`Lock::default`](lock::Lock::default) to name everything from the spec alone.
pub fn lower(
    doc: &Document,
    config: &CrateConfig,
    spec_sha256: &str,
    lock: &lock::Lock,
) -> Result<Api> {
    let (servers, mut server_variables) = servers::lower(doc)?;
    let mut globals = globals::lower(doc)?;
    settings::settle(config, &mut server_variables, &mut globals)?;
    let roots = operations::roots(doc);
    let (mut schemas, unreachable) = schema::SchemaLowering::new(doc, &roots, lock)?;
    schemas.lower_components()?;
    let mut warnings = Vec::new();
    let mut ops = operations::lower(doc, &globals, &mut schemas, &mut warnings)?;
    let lowered = schemas.finish(unreachable)?;
    if let Some(op) = ops
        .iter()
        .find(|op| RESERVED_FEATURES.contains(&op.resource()))
    {
        return Err(crate::Error::at(
            crate::error::child(&op.pointer, "x-speakeasy-group"),
            format!(
                "the group `{}` would be a cargo feature, but the generated crate already has a feature \
                 of that name ({}); rename the group with an overlay",
                op.resource(),
                RESERVED_FEATURES.join(", ")
            ),
        ));
    }
    let mut types = lowered.types;
    types.consts = types.name_consts(lock);
    graph::mark_usage(&mut types, &ops);
    defaults::settle(&mut types, &lowered.defaults, &mut warnings);
    graph::mark_boxes(&mut types);
    accessors::resource_accessors(&mut types, &mut warnings);
    lock::keep_builder_names(&mut ops, lock);
    setters::name_setters(&mut types);
    setters::settle_bodies(&mut ops, &types);
    let mut type_names: BTreeSet<String> = types.iter().map(|d| d.name.rust()).collect();
    constructors::decide_constructors(&mut types, &mut type_names, lock);
    pagination::settle_pagination(&mut ops, &types);
    let checkout_session_helper = config
        .checkout_session_operation
        .as_deref()
        .map(|id| checkout_session_helper(id, &ops, &types))
        .transpose()?;
    check_name_lengths(&types, &ops, &servers)?;
    for g in &globals {
        names::check_length(&g.name.bare, &g.pointer, "its setters' name")?;
    }
    let (error_bodies, error_details) = errors::error_bodies(&ops, &types);
    let ignored_operations = doc
        .operations()
        .filter(|(_, _, op)| op.x_speakeasy_ignore == Some(true))
        .count();
    let mut api = Api {
        config: config.clone(),
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        api_version: doc.info.version.clone(),
        spec_sha256: spec_sha256.to_string(),
        servers,
        server_variables,
        globals,
        error_bodies,
        error_details,
        types,
        operations: ops,
        examples: lowered.examples,
        checkout_session_helper,
        stats: Stats {
            unreachable_schemas: lowered.unreachable,
            ignored_operations,
            ignored_properties: lowered.ignored_properties,
        },
        warnings,
    };
    snippets::decide(&mut api);
    Ok(api)
}
