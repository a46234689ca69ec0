//! The surface: what the generated crate exposes, reduced from the IR the emitter prints, so that
//! two spec versions can be compared by what callers see rather than by their JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::child;
use crate::ir::rust_type::{Printer, Root};
use crate::ir::setters::BodyInput;
use crate::ir::types::{Constructor, TypeDef, TypeKind};
use crate::ir::{Api, Name};

/// What the generated crate exposes, in a form two spec versions can be compared by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// `spec/generator.toml`'s crate name and version (the version the changes are released on).
    pub crate_name: String,
    pub crate_version: String,
    /// `info.version` of the spec.
    pub api_version: String,
    /// sha256 of the spec file.
    pub spec_sha256: String,
    /// Every SDK operation, by `operationId` (the comparison matches them by their call first).
    pub operations: BTreeMap<String, OperationSurface>,
    /// Every model type, by spec name (`TypeDef.name.wire`).
    pub types: BTreeMap<String, TypeSurface>,
    /// The `const` marker types (`models::consts`), by value (`Constant::key`: a string as itself).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub consts: BTreeMap<String, ConstSurface>,
    /// The client's settings from the spec: where calls go and the headers every call may carry.
    /// `None` in surfaces recorded before they were listed, which are then not compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientSurface>,
}

/// The spec's servers, server variables and globals, as `ClientBuilder` and `Server` show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSurface {
    /// The id of the server a client uses unless `.server(…)` says otherwise (the spec's first).
    pub default_server: String,
    /// By `x-speakeasy-server-id`.
    pub servers: BTreeMap<String, ServerSurface>,
    /// By placeholder name.
    pub server_variables: BTreeMap<String, SettingSurface>,
    /// By header name, in lower case (header names ignore case).
    pub globals: BTreeMap<String, SettingSurface>,
}

/// One server: a variant of `gr4vy::Server`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSurface {
    pub rust_name: String,
    /// The URL, `{variable}` placeholders and all.
    pub url: String,
    pub pointer: String,
}

/// A setting of the client: a server variable or a global.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingSurface {
    /// The `ClientBuilder` setter (a global's is on `RequestOptions` too).
    pub setter: String,
    /// The variable `Client::from_env` reads it from.
    pub env_var: String,
    /// What a server variable is when the caller does not set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    pub pointer: String,
}

/// A `const` marker type. An object rather than a bare name, so that `api-surface.json` gives each
/// its own line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstSurface {
    pub rust_name: String,
}

/// One operation as callers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// The cargo feature that gates it (`Operation::resource`).
    pub resource: String,
    /// `client.transactions().refunds().create()`.
    pub call: String,
    /// The request builder type the call returns (`CreateRefundRequest`), which callers can name.
    /// Empty in surfaces recorded before it was listed; an empty name is not compared.
    #[serde(default)]
    pub builder: String,
    /// The method's arguments, in order: required parameters, then `body` when required.
    pub arguments: Vec<String>,
    pub method: String,
    pub path: String,
    pub pointer: String,
    /// Path, query and header parameters, by wire name.
    pub params: BTreeMap<String, ParamSurface>,
    pub body: Option<BodySurface>,
    /// What `send().await` returns on success.
    pub response: String,
    /// The item type of `.items()`, for operations with `.pages()` and `.items()`.
    pub pagination: Option<String>,
}

/// One parameter: an argument of the operation's method, or a setter of its request builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSurface {
    /// `path`, `query` or `header`.
    pub location: String,
    /// The argument's or setter's name.
    pub rust_name: String,
    /// The type the argument or setter takes (as `impl Into<T>`).
    pub rust_type: String,
    pub required: bool,
    pub nullable: bool,
    /// An argument of the method (required, or in the path) rather than a setter.
    pub argument: bool,
    pub pointer: String,
}

/// A JSON request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodySurface {
    pub rust_type: String,
    /// An argument of the method; else the `.body()` setter.
    pub required: bool,
    /// Not an argument, yet always sent: the body type's `Default` unless `.body()` replaces it
    /// (the spec requires a body none of whose fields is required).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub defaulted: bool,
    pub pointer: String,
}

/// One model type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSurface {
    /// `gr4vy::models::<rust_name>`.
    pub rust_name: String,
    /// Its module under `src/models/`.
    pub module: String,
    pub pointer: String,
    /// Sent in requests (so structs have `new` and setters) and/or received in responses.
    pub usage: UsageSurface,
    /// The resource groups whose operations reach it (its cargo features).
    pub groups: BTreeSet<String>,
    #[serde(flatten)]
    pub kind: KindSurface,
}

/// `TypeDef.usage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageSurface {
    pub request: bool,
    pub response: bool,
}

/// What a type is, as callers can use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KindSurface {
    Struct {
        /// By wire name.
        fields: BTreeMap<String, FieldSurface>,
        /// The arguments of `new`, in order; `None` when the type is never sent (no `new`).
        constructor: Option<Vec<String>>,
        /// When `new` takes them by name: the `…Required` struct that holds them (their order then
        /// means nothing).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        required_struct: Option<String>,
        /// `Default`, which structs without required fields have (derived, or written out when a
        /// field has a spec default).
        derives_default: bool,
        /// The map of the keys no field has (`additionalProperties` beside `properties`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extra: Option<ExtraSurface>,
    },
    Enum {
        /// The known wire values.
        values: BTreeSet<String>,
    },
    Union {
        /// Variant name -> the type it holds.
        variants: BTreeMap<String, String>,
        /// The method returning the resource whichever variant arrived (`transaction`, with its
        /// `into_` twin), on unions that are "the resource, or a variant of it".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resource_accessor: Option<String>,
    },
    Alias {
        target: String,
    },
}

/// A struct's map of other keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraSurface {
    pub rust_name: String,
    /// `std::collections::BTreeMap<String, T>`.
    pub rust_type: String,
    pub pointer: String,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub rust_name: String,
    /// The field's type as the struct declares it (`Option<crate::Nullable<String>>`); a `const`
    /// field is its marker type (`crate::models::consts::Card`).
    pub rust_type: String,
    pub required: bool,
    pub nullable: bool,
    /// A `const`: filled in by the SDK, never an argument.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub constant: bool,
    /// The builder method that sets it (types that are sent, optional fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setter: Option<String>,
    /// The method that sends it as `null` (optional nullable fields of types that are sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear: Option<String>,
    /// What the field reads as when a response leaves it out (the spec's `default`, as JSON), on
    /// the fields that are `T` rather than `Option<T>` because of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    pub pointer: String,
}

/// Reduces the IR to the surface of the crate it generates.
pub fn surface(api: &Api) -> Surface {
    let types = &api.types;
    let printer = Printer::new(types, Root::Crate);
    let operations = api
        .operations
        .iter()
        .map(|op| (op.id.clone(), operation_surface(&printer, op)))
        .collect();
    let types_out = types
        .iter()
        .map(|def| (def.name.wire.clone(), type_surface(&printer, def)))
        .collect();
    Surface {
        crate_name: api.config.name.clone(),
        crate_version: api.config.version.clone(),
        api_version: api.api_version.clone(),
        spec_sha256: api.spec_sha256.clone(),
        operations,
        types: types_out,
        consts: types
            .consts
            .iter()
            .map(|(value, name)| {
                let rust_name = name.clone();
                (value.key(), ConstSurface { rust_name })
            })
            .collect(),
        client: Some(client_surface(api)),
    }
}

fn client_surface(api: &Api) -> ClientSurface {
    ClientSurface {
        default_server: api
            .servers
            .first()
            .map(|s| s.name.wire.clone())
            .unwrap_or_default(),
        servers: api
            .servers
            .iter()
            .map(|s| {
                let server = ServerSurface {
                    rust_name: s.name.rust(),
                    url: s.url_template.clone(),
                    pointer: s.pointer.clone(),
                };
                (s.name.wire.clone(), server)
            })
            .collect(),
        server_variables: api
            .server_variables
            .iter()
            .map(|v| {
                let setting = SettingSurface {
                    setter: v.name.rust(),
                    env_var: v.env_var.clone(),
                    default: Some(v.default.clone()),
                    pointer: v.pointer.clone(),
                };
                (v.name.wire.clone(), setting)
            })
            .collect(),
        globals: api
            .globals
            .iter()
            .map(|g| {
                let setting = SettingSurface {
                    setter: g.name.rust(),
                    env_var: g.env_var.clone(),
                    default: None,
                    pointer: g.pointer.clone(),
                };
                (g.name.wire.to_ascii_lowercase(), setting)
            })
            .collect(),
    }
}

fn operation_surface(
    printer: &Printer<'_>,
    op: &crate::ir::operations::Operation,
) -> OperationSurface {
    let call = op.call();
    let mut params = BTreeMap::new();
    let mut arguments = Vec::new();
    for p in &op.params {
        let rust_name = p.field.rust();
        let argument = p.is_argument();
        if argument {
            arguments.push(rust_name.clone());
        }
        let surface = ParamSurface {
            location: p.location.to_string(),
            rust_name,
            rust_type: printer.param(p).to_string(),
            required: p.required,
            nullable: p.nullable,
            argument,
            pointer: p.pointer.clone(),
        };
        let key = if params.contains_key(&p.name.wire) {
            format!("{} ({})", p.name.wire, p.location)
        } else {
            p.name.wire.clone()
        };
        params.insert(key, surface);
    }
    let body = op.body.as_ref().map(|b| BodySurface {
        rust_type: printer.ty(&b.ty).to_string(),
        required: b.input == BodyInput::Argument,
        defaulted: b.input == BodyInput::Defaulted,
        pointer: child(&op.pointer, "requestBody"),
    });
    if body.as_ref().is_some_and(|b| b.required) {
        arguments.push("body".to_string());
    }
    let response = printer.returned(&op.success).to_string();
    OperationSurface {
        resource: op.resource().to_string(),
        call,
        builder: op.builder.clone(),
        arguments,
        method: op.method.as_upper().to_string(),
        path: op.path.template.clone(),
        pointer: op.pointer.clone(),
        params,
        body,
        response,
        pagination: op
            .pagination
            .as_ref()
            .map(|p| printer.ty(&p.item_ty).to_string()),
    }
}

fn type_surface(printer: &Printer<'_>, def: &TypeDef) -> TypeSurface {
    let kind = match &def.kind {
        TypeKind::Struct(s) => {
            let mut fields = BTreeMap::new();
            for f in &s.fields {
                let rust_type = printer.field(def, f).to_string();
                fields.insert(
                    f.name.wire.clone(),
                    FieldSurface {
                        rust_name: f.name.rust(),
                        rust_type,
                        required: f.required,
                        nullable: f.nullable,
                        constant: f.constant.is_some(),
                        setter: f.setter.as_ref().map(Name::rust),
                        clear: f.clear.as_ref().map(Name::rust),
                        default: f.default.as_ref().map(|d| d.to_json().to_string()),
                        pointer: f.pointer.clone(),
                    },
                );
            }
            KindSurface::Struct {
                fields,
                constructor: def.usage.request.then(|| {
                    s.constructor_fields(def.usage)
                        .map(|f| f.name.rust())
                        .collect()
                }),
                required_struct: match &s.constructor {
                    Constructor::Named(n) => Some(n.rust()),
                    _ => None,
                },
                derives_default: s.derives_default(def.usage),
                extra: s.extra.as_ref().map(|e| ExtraSurface {
                    rust_name: e.name.rust(),
                    rust_type: printer.ty(&e.ty).to_string(),
                    pointer: e.pointer.clone(),
                }),
            }
        }
        TypeKind::Enum(e) => KindSurface::Enum {
            values: e.variants.iter().map(|v| v.name.wire.clone()).collect(),
        },
        TypeKind::Union(u) => KindSurface::Union {
            variants: u
                .variants
                .iter()
                .map(|v| (v.name.rust(), printer.boxed(&v.ty, v.boxed).to_string()))
                .collect(),
            resource_accessor: u.resource.as_ref().map(|r| r.getter.rust()),
        },
        TypeKind::Alias(ty) => KindSurface::Alias {
            target: printer.ty(ty).to_string(),
        },
    };
    TypeSurface {
        rust_name: def.name.rust(),
        module: def.module.clone(),
        pointer: def.pointer.clone(),
        usage: UsageSurface {
            request: def.usage.request,
            response: def.usage.response,
        },
        groups: def.groups.clone(),
        kind,
    }
}
