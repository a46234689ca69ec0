//! Operations: which API calls the SDK exposes, and the types of their inputs and outputs.

use serde::Serialize;

use super::globals::Global;
use super::names::{Name, camel, snake};
pub use super::pagination::{PageField, Pagination};
use super::schema::SchemaLowering;
use super::types::Ty;
use crate::error::child;
use crate::spec::view::{Document, Parameter, ParameterLocation, Schema, SchemaObject};
use crate::{Error, Result, Warning};

pub use crate::spec::view::Method;

/// One SDK operation (a non-ignored OpenAPI operation).
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    pub pointer: String,
    pub method: Method,
    /// The path template, parsed once.
    pub path: PathTemplate,
    /// The request builder type (`CreateTransactionRequest`), named after the operationId.
    pub builder: String,
    /// `x-speakeasy-group`, split on `.`, as Rust module names (`transactions`, `refunds`); for an
    /// operation without one, the group Speakeasy would derive (see `derived_group`).
    pub group: Vec<Name>,
    /// `x-speakeasy-name-override` (else the operationId), as a Rust method name.
    pub name: Name,
    pub summary: Option<String>,
    pub docs: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Every declared response, in spec order.
    pub responses: Vec<Response>,
    /// What the call returns when it succeeds (see [`Success`]).
    pub success: Success,
    /// The header parameter that carries the operation's idempotency key (`Idempotency-Key`), if
    /// it declares one: a call that sends it may be retried after a response (see the runtime's
    /// `Call::idempotency_key_header`).
    pub idempotency_key: Option<String>,
    /// `x-speakeasy-retries`: the operation's default retry policy.
    pub retries: Option<Retries>,
    /// `x-speakeasy-pagination` (cursor pagination).
    pub pagination: Option<Pagination>,
    /// The usage example of the rustdoc and `x-codeSamples`; filled in last (`ir/snippets.rs`).
    pub example: Option<super::snippets::CallExample>,
}

/// A retry policy from the spec, in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retries {
    pub initial_interval_ms: u64,
    pub max_interval_ms: u64,
    pub max_elapsed_time_ms: u64,
    pub exponent: f64,
    /// `5XX`, `429`, ...
    pub status_codes: Vec<String>,
    pub retry_connection_errors: bool,
}

impl Operation {
    /// The resource group that gates this operation behind a cargo feature: the first segment of
    /// `x-speakeasy-group` as written (`checkout-sessions`) when that is a valid feature name, else
    /// its Rust module name. Operations without a group share the feature `ungrouped`.
    pub fn resource(&self) -> &str {
        let Some(group) = self.group.first() else {
            return "ungrouped";
        };
        let wire = group.wire.as_str();
        let valid = wire.starts_with(|c: char| c.is_ascii_alphanumeric())
            && wire
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if valid { wire } else { &group.bare }
    }

    /// The call a user writes, `client.transactions().refunds().create()`: what identifies the
    /// operation to callers (the changelog matches operations by it, the lock keys builder names).
    pub fn call(&self) -> String {
        let groups: String = self
            .group
            .iter()
            .map(|g| format!("{}().", g.rust()))
            .collect();
        format!("client.{groups}{}()", self.name.rust())
    }
}

/// Where a parameter goes. OpenAPI's fourth place, `cookie`, is refused when lowering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    /// The spec's spelling (`path`, `query`, `header`).
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A path template split at its `{placeholders}`, each tied to the path parameter that fills it.
#[derive(Debug, Clone, Serialize)]
pub struct PathTemplate {
    /// As in the spec (`/transactions/{transaction_id}`).
    pub template: String,
    pub segments: Vec<PathSegment>,
}

/// A piece of a [`PathTemplate`].
#[derive(Debug, Clone, Serialize)]
pub enum PathSegment {
    /// Text sent as written.
    Literal(String),
    /// A placeholder: the index of its parameter in [`Operation::params`].
    Param(usize),
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.template)
    }
}

/// A path, query or header parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: Name,
    /// The request builder's name for it: its argument, field and setter. The parameter's own
    /// name unless a builder method already has it (see [`BUILDER_MEMBERS`]).
    pub field: Name,
    pub location: Location,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    /// How the request builder takes the parameter.
    pub kind: ParamKind,
    pub docs: Option<String>,
    /// An example value: the parameter's `example`, else its first `examples` entry, else its
    /// schema's first `examples` entry (or `example`). Tests use it to fill in concrete requests.
    pub example: Option<serde_json::Value>,
    /// JSON pointer of the parameter object.
    pub pointer: String,
}

/// How the request builder takes a parameter, decided by [`param_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamKind {
    /// An argument of the operation's method (`client.group().op(arg)`).
    Argument {
        /// The argument's type is `Option<T>`: required, but `null` is a value the API accepts.
        nullable: bool,
    },
    /// An optional setter on the request builder (`.param(value)`), left out when not called.
    Setter,
}

impl Param {
    /// Whether the method takes the parameter as an argument, rather than a setter.
    pub fn is_argument(&self) -> bool {
        matches!(self.kind, ParamKind::Argument { .. })
    }

    /// Whether the argument's type is `Option<T>` (a required parameter that may be `null`).
    pub fn is_nullable_argument(&self) -> bool {
        self.kind == ParamKind::Argument { nullable: true }
    }
}

/// Required parameters are method arguments, and so are path parameters whatever the spec says
/// (a URL cannot leave a segment out); a required one that may be `null` takes an `Option`.
/// Everything else is a setter.
fn param_kind(location: Location, required: bool, nullable: bool) -> ParamKind {
    if required || location == Location::Path {
        ParamKind::Argument {
            nullable: required && nullable,
        }
    } else {
        ParamKind::Setter
    }
}

/// A JSON request body.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub ty: Ty,
    /// The spec's `requestBody.required`.
    pub required: bool,
    /// How the caller gives it; decided once types are final (`ir/setters.rs`).
    pub input: super::setters::BodyInput,
    /// The body's setters the request builder repeats, so that `.amount(500)` sets the body's
    /// field without building the body (`ir/setters.rs`); empty unless the body is defaulted.
    pub forwarded: Vec<super::setters::Forwarded>,
}

/// One declared response.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// `200`, `4XX`, `default`.
    pub status: String,
    /// The JSON body's type; `None` when the response has no JSON body.
    pub ty: Option<Ty>,
    pub nullable: bool,
    /// A 2XX status: the call succeeded. Every other response is an error the SDK decodes into
    /// `Error`, whatever its status class.
    pub success: bool,
}

/// The response a successful call returns. It is the first 2XX the operation declares, chosen
/// once by [`success_response`], so the method's return type, the paginator's page, the tests'
/// expected status and the API surface all agree on it.
#[derive(Debug, Clone, Serialize)]
pub struct Success {
    /// `200`, `201`, `2XX`.
    pub status: String,
    /// The JSON body `send` decodes; `None` when the response has none and `send` returns `()`.
    pub body: Option<Returned>,
}

/// The JSON body of the success response.
#[derive(Debug, Clone, Serialize)]
pub struct Returned {
    pub ty: Ty,
    /// `send` returns `Option<ty>`: the body may be `null`.
    pub nullable: bool,
}

impl Operation {
    /// The responses the SDK treats as errors (every one that is not 2XX).
    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.success)
    }
}

/// Whether a response key (`200`, `2XX`, `404`, `default`) means the call succeeded.
fn is_success_status(status: &str) -> bool {
    status.starts_with('2')
}

/// The success response of an operation: its first 2XX, with that response's JSON body if any.
fn success_response(responses: &[Response]) -> Option<Success> {
    let first = responses.iter().find(|r| r.success)?;
    Some(Success {
        status: first.status.clone(),
        body: first.ty.clone().map(|ty| Returned {
            ty,
            nullable: first.nullable,
        }),
    })
}

/// The schemas that operations use directly, with pointers: where reachability starts.
pub(super) fn roots(doc: &Document) -> Vec<(&Schema, String)> {
    let mut out = Vec::new();
    for (path, method, op) in doc.operations() {
        if op.x_speakeasy_ignore == Some(true) {
            continue;
        }
        let base = child(&child("/paths", path), method.as_str());
        for (i, p) in op.parameters.iter().enumerate() {
            if let Some(s) = &p.schema {
                out.push((
                    s,
                    child(
                        &child(&child(&base, "parameters"), &i.to_string()),
                        "schema",
                    ),
                ));
            }
        }
        if let Some(body) = &op.request_body {
            for (ct, media) in &body.content {
                if let Some(s) = &media.schema {
                    out.push((
                        s,
                        child(
                            &child(&child(&child(&base, "requestBody"), "content"), ct),
                            "schema",
                        ),
                    ));
                }
            }
        }
        for (status, response) in &op.responses {
            for (ct, media) in &response.content {
                if let Some(s) = &media.schema {
                    out.push((
                        s,
                        child(
                            &child(
                                &child(&child(&child(&base, "responses"), status), "content"),
                                ct,
                            ),
                            "schema",
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Names the request builder's own members take: the methods every builder (or every list
/// operation's builder) has, `clone` among them, and its `client` field. A parameter with one of
/// these names gets `{name}_param` for its argument, field and setter; a defaulted body's setter
/// with one is not repeated on the builder (`setters::settle_bodies`).
pub const BUILDER_MEMBERS: [&str; 10] = [
    "send",
    "send_blocking",
    "options",
    "pages",
    "pages_blocking",
    "items",
    "items_blocking",
    "client",
    "body",
    "clone",
];

/// Gives each parameter its builder name ([`Param::field`]): its own, unless a builder member or an
/// earlier parameter has it, then `{name}_param`, `{name}_param3`, ... in parameter order.
fn builder_fields(params: &mut [Param]) {
    let mut used: std::collections::BTreeSet<String> =
        BUILDER_MEMBERS.iter().map(|m| m.to_string()).collect();
    for p in params {
        let bare = p.name.bare.clone();
        let mut candidate = bare.clone();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!(
                "{bare}_param{}",
                if n == 2 { String::new() } else { n.to_string() }
            );
            n += 1;
        }
        if candidate != bare {
            p.field.set_rust(candidate.clone());
        }
        used.insert(candidate);
    }
}

/// Splits `path` at its `{placeholders}`, tying each to the path parameter of that wire name.
fn path_template(path: &str, params: &[Param], pointer: &str) -> Result<PathTemplate> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find(['{', '}']) {
        let Some(len) = rest[start..]
            .find('}')
            .filter(|_| rest.as_bytes()[start] == b'{')
        else {
            return Err(Error::at(
                pointer,
                format!(
                    "the path `{path}` has an unmatched `{{` or `}}`; placeholders are written `{{name}}`"
                ),
            ));
        };
        let name = &rest[start + 1..start + len];
        let index = params
            .iter()
            .position(|p| p.location == Location::Path && p.name.wire == name)
            .ok_or_else(|| {
                Error::at(
                    pointer,
                    format!("the path uses `{{{name}}}` but the operation has no such path parameter; declare it in `parameters`"),
                )
            })?;
        if start > 0 {
            segments.push(PathSegment::Literal(rest[..start].to_string()));
        }
        segments.push(PathSegment::Param(index));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    Ok(PathTemplate {
        template: path.to_string(),
        segments,
    })
}

/// The parameter's place, or an error for `cookie`, which the SDK does not send.
fn location(p: &Parameter, pointer: &str) -> Result<Location> {
    match p.r#in {
        ParameterLocation::Path => Ok(Location::Path),
        ParameterLocation::Query => Ok(Location::Query),
        ParameterLocation::Header => Ok(Location::Header),
        ParameterLocation::Cookie => Err(Error::at(
            child(pointer, "in"),
            format!(
                "parameter `{}` is a cookie, which the SDK does not send; remove it with an overlay, or make it a header",
                p.name
            ),
        )),
    }
}

/// The group of an operation without `x-speakeasy-group`, and what it was named after: Speakeasy,
/// which generates Gr4vy's official SDKs, groups such an operation by its first tag, and we follow
/// it so the method lands where those SDKs put it. Without tags, the first literal segment of the
/// path (`/payment-method-definitions/{id}` -> `payment-method-definitions`) names the resource.
/// Either is put in the kebab case of the spec's own groups (`Checkout sessions` ->
/// `checkout-sessions`). `None` when neither gives a name.
fn derived_group(tags: &[String], path: &str) -> Option<(String, String)> {
    use heck::ToKebabCase;
    let from_tag = tags.first().map(|tag| (tag.to_kebab_case(), tag));
    if let Some((group, tag)) = from_tag.filter(|(g, _)| !g.is_empty()) {
        return Some((group, format!("its first tag `{tag}`")));
    }
    path.split('/')
        .filter(|s| !s.is_empty() && !s.contains('{'))
        .map(|s| (s.to_kebab_case(), s))
        .find(|(g, _)| !g.is_empty())
        .map(|(group, segment)| (group, format!("the first segment `{segment}` of its path")))
}

/// Lowers every non-ignored operation; inline schemas are named after the operationId. Parameters
/// that are `globals` are client settings, not operation inputs, and are left out.
pub(super) fn lower(
    doc: &Document,
    globals: &[Global],
    schemas: &mut SchemaLowering<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Operation>> {
    let mut ops: Vec<Operation> = Vec::new();
    for (path, method, op) in doc.operations() {
        if op.x_speakeasy_ignore == Some(true) {
            continue;
        }
        let pointer = child(&child("/paths", path), method.as_str());
        let Some(id) = op.operation_id.clone() else {
            return Err(Error::at(
                &pointer,
                "the operation has no `operationId`; the SDK names its request builder and inline \
                 types after it, so add one (with an overlay if the spec is not ours)",
            ));
        };
        if let Some(other) = ops.iter().find(|o| o.id == id) {
            return Err(Error::at(
                child(&pointer, "operationId"),
                format!(
                    "`{id}` is also the operationId of #{}; operationIds must be unique",
                    other.pointer
                ),
            ));
        }
        let type_base = camel(&id).bare;
        let derived;
        let group_text = match op.x_speakeasy_group.as_deref() {
            Some(text) => text,
            None => {
                let Some((text, from)) = derived_group(&op.tags, path) else {
                    return Err(Error::at(
                        &pointer,
                        "the operation has no `x-speakeasy-group`, no tag and no literal path segment \
                         to name a group after; every SDK operation needs one (add it with an overlay)",
                    ));
                };
                warnings.push(Warning::at(
                    &pointer,
                    format!(
                        "the operation has no `x-speakeasy-group`; it goes in group `{text}`, named \
                         after {from} as Speakeasy's SDKs do (set `x-speakeasy-group` with an overlay \
                         to choose another)"
                    ),
                ));
                derived = text;
                derived.as_str()
            }
        };
        let group: Vec<Name> = group_text
            .split('.')
            .filter(|s| !s.is_empty())
            .map(snake)
            .collect();
        if group.is_empty() {
            return Err(Error::at(
                child(&pointer, "x-speakeasy-group"),
                "the group is empty; name the resource the operation belongs to (`transactions`, `transactions.refunds`)",
            ));
        }
        let name = snake(op.x_speakeasy_name_override.as_deref().unwrap_or(&id));
        if let Some(other) = ops
            .iter()
            .find(|o| o.group == group && o.name.bare == name.bare)
        {
            return Err(Error::at(
                &pointer,
                format!(
                    "this operation and #{} are both `{}` in group `{}`; give one of them another `x-speakeasy-name-override`",
                    other.pointer,
                    name.rust(),
                    group_text
                ),
            ));
        }
        // A method and a sub-group accessor share the group struct's namespace.
        if let Some(other) = ops.iter().find(|o| {
            (o.group.len() > group.len()
                && o.group[..group.len()] == group[..]
                && o.group[group.len()].bare == name.bare)
                || (group.len() > o.group.len()
                    && group[..o.group.len()] == o.group[..]
                    && group[o.group.len()].bare == o.name.bare)
        }) {
            return Err(Error::at(
                &pointer,
                format!(
                    "the name `{}` of this operation or of its group meets the group or operation of #{} in the same place; \
                     give one of them another `x-speakeasy-name-override`",
                    name.rust(),
                    other.pointer
                ),
            ));
        }

        let mut params = Vec::new();
        for (i, p) in op.parameters.iter().enumerate() {
            let is_global = p.r#in == ParameterLocation::Header
                && globals
                    .iter()
                    .any(|g| g.name.wire.eq_ignore_ascii_case(&p.name));
            if is_global {
                continue;
            }
            let p_pointer = child(&child(&pointer, "parameters"), &i.to_string());
            let location = location(p, &p_pointer)?;
            let Some(schema) = &p.schema else {
                return Err(Error::at(
                    &p_pointer,
                    "the parameter has no `schema`; only schema parameters are supported",
                ));
            };
            if let Some(style) = &p.style {
                let supported = match location {
                    Location::Query => style == "form",
                    Location::Path | Location::Header => style == "simple",
                };
                if !supported {
                    return Err(Error::at(
                        child(&p_pointer, "style"),
                        format!(
                            "style `{style}` for a {location} parameter is not supported; use the default style",
                        ),
                    ));
                }
            }
            let context = format!("{type_base}{}", camel(&p.name).bare);
            let (ty, nullable) = schemas.ty(schema, &context, &child(&p_pointer, "schema"))?;
            let pname = p.x_speakeasy_name_override.as_deref().map_or_else(
                || snake(&p.name),
                |o| Name {
                    wire: p.name.clone(),
                    ..snake(o)
                },
            );
            let required = p.is_required();
            params.push(Param {
                field: pname.clone(),
                name: pname,
                location,
                ty,
                required,
                nullable,
                kind: param_kind(location, required, nullable),
                docs: p.description.clone(),
                example: param_example(doc, p, schema),
                pointer: p_pointer.clone(),
            });
        }
        // Path parameters come first, in the order the path names them: two ids of the same type
        // (`transaction_id`, `refund_id`) are then passed in URL order, which an upstream reorder
        // of the `parameters` list cannot change. The sort is stable, so the rest keep spec order.
        params.sort_by_key(|p| match p.location {
            Location::Path => path
                .find(&format!("{{{}}}", p.name.wire))
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
        builder_fields(&mut params);

        for (i, p) in op.parameters.iter().enumerate() {
            if p.r#in == ParameterLocation::Path && !path.contains(&format!("{{{}}}", p.name)) {
                return Err(Error::at(
                    child(&child(&pointer, "parameters"), &i.to_string()),
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`; remove it or fix its name",
                        p.name
                    ),
                ));
            }
        }
        let path_template = path_template(path, &params, &pointer)?;
        let idempotency_key = params
            .iter()
            .find(|p| {
                p.location == Location::Header
                    && p.name.wire.eq_ignore_ascii_case("idempotency-key")
            })
            .map(|p| p.name.wire.clone());

        let body = match &op.request_body {
            None => None,
            Some(b) => {
                let b_pointer = child(&pointer, "requestBody");
                let Some((ct, media)) = b.content.iter().find(|(ct, _)| is_json(ct)) else {
                    return Err(Error::at(
                        child(&b_pointer, "content"),
                        "the request body has no JSON media type; only `application/json` bodies are supported",
                    ));
                };
                let s_pointer = child(&child(&child(&b_pointer, "content"), ct), "schema");
                let (ty, _) = match &media.schema {
                    Some(s) => schemas.ty(s, &format!("{type_base}Body"), &s_pointer)?,
                    None => (Ty::Any, false),
                };
                let required = b.required.unwrap_or(false);
                Some(Body {
                    ty,
                    required,
                    // Settled by `setters::settle_bodies` once the body's fields are known.
                    input: if required {
                        super::setters::BodyInput::Argument
                    } else {
                        super::setters::BodyInput::Optional
                    },
                    forwarded: Vec::new(),
                })
            }
        };

        let mut responses = Vec::new();
        for (status, r) in &op.responses {
            let r_pointer = child(&child(&pointer, "responses"), status);
            if !is_status_key(status) {
                return Err(Error::at(
                    r_pointer,
                    format!(
                        "`{status}` is not a response status; use a code such as `200`, a range such as `4XX`, or `default`"
                    ),
                ));
            }
            let json = r.content.iter().find(|(ct, _)| is_json(ct));
            let (ty, nullable) = match json.and_then(|(ct, m)| m.schema.as_ref().map(|s| (ct, s))) {
                Some((ct, s)) => {
                    let (ty, n) = schemas.ty(
                        s,
                        &format!("{type_base}Response{}", camel(status).rust()),
                        &child(&child(&child(&r_pointer, "content"), ct), "schema"),
                    )?;
                    (Some(ty), n)
                }
                None => (None, false),
            };
            responses.push(Response {
                status: status.clone(),
                ty,
                nullable,
                success: is_success_status(status),
            });
        }
        let Some(success) = success_response(&responses) else {
            return Err(Error::at(
                child(&pointer, "responses"),
                "the operation declares no 2XX response, so the SDK cannot know what success returns; add one",
            ));
        };

        let retries = op.x_speakeasy_retries.as_ref().map(|r| {
            let b = r.backoff.as_ref();
            Retries {
                initial_interval_ms: b.and_then(|b| b.initial_interval).unwrap_or(500),
                max_interval_ms: b.and_then(|b| b.max_interval).unwrap_or(60_000),
                max_elapsed_time_ms: b.and_then(|b| b.max_elapsed_time).unwrap_or(3_600_000),
                exponent: b
                    .and_then(|b| b.exponent.as_ref())
                    .and_then(serde_json::Number::as_f64)
                    .unwrap_or(1.5),
                status_codes: r
                    .status_codes
                    .iter()
                    .map(|c| match c {
                        crate::spec::view::StatusCode::Number(n) => n.to_string(),
                        crate::spec::view::StatusCode::Text(t) => t.clone(),
                    })
                    .collect(),
                retry_connection_errors: r.retry_connection_errors.unwrap_or(false),
            }
        });
        let pagination = match &op.x_speakeasy_pagination {
            None => None,
            Some(p) => Some(super::pagination::pagination(
                p,
                &params,
                &success,
                schemas,
                &child(&pointer, "x-speakeasy-pagination"),
            )?),
        };

        ops.push(Operation {
            builder: format!("{type_base}Request"),
            id,
            pointer,
            method,
            path: path_template,
            group,
            name,
            summary: op.summary.clone(),
            docs: op.description.clone(),
            params,
            body,
            responses,
            success,
            idempotency_key,
            retries,
            pagination,
            example: None,
        });
    }
    Ok(ops)
}

/// The parameter's own `example` or first `examples` value, else its schema's (through one `$ref`).
fn param_example(doc: &Document, p: &Parameter, schema: &Schema) -> Option<serde_json::Value> {
    let of_schema = |s: &SchemaObject| {
        let first = s.examples.as_ref().and_then(|e| e.first());
        first.or(s.example.as_ref()).cloned()
    };
    let object = schema.as_object();
    p.example
        .clone()
        .or_else(|| p.examples.values().find_map(|e| e.value.clone()))
        .or_else(|| object.and_then(of_schema))
        .or_else(|| {
            let (_, target) = doc.resolve_schema_ref(object?.r#ref.as_deref()?)?;
            of_schema(target.as_object()?)
        })
}

/// An OpenAPI response key: `default`, a status code from 100 to 599, or a range such as `4XX`.
fn is_status_key(key: &str) -> bool {
    let b = key.as_bytes();
    key == "default"
        || (b.len() == 3
            && (b'1'..=b'5').contains(&b[0])
            && (b[1..].iter().all(u8::is_ascii_digit) || b[1..].eq_ignore_ascii_case(b"XX")))
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}
