//! The mutation model: what [`Mutation`] can do to a document, the odd values it uses, and the
//! proptest strategies that pick them. [`crate::apply`] carries them out.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::keywords::KeywordSite;
use crate::tree::*;

/// Names that are awkward as Rust identifiers, file names, or wire names.
pub(crate) const WEIRD: &[&str] = &[
    "",
    "🦀",
    "type",
    "self",
    "1abc",
    "a-b",
    "A",
    "a b",
    "Self",
    "_",
    "super",
    "crate",
    "r#type",
    "mod",
    "fn",
    "async",
    "gen",
    "None",
    "Some",
    "Ok",
    "Err",
    "String",
    "Option",
    "Result",
    "Box",
    "Vec",
    "new",
    "a/b",
    "a~b",
    "~1",
    "0",
    "-",
    "__",
    "ü",
    "ß",
    "İ",
    "\u{0301}",
    "a\nb",
    "\"",
    "'",
    "\\",
    "{id}",
    "$ref",
    "x-",
    "default",
    "models",
    "lib",
    "mod.rs",
    "..",
    "CON",
    // Alphanumeric to Rust's `char` methods but not identifier characters, or not at the start.
    "a²",
    "½",
    "①",
    "٣",
    "𝟙x",
    "Ⅻ",
    "ǅ",
    "ﬀ",
    "a\u{200d}b",
    "x\u{0}y",
];

#[derive(Debug, Clone)]
pub(crate) enum Filler {
    Null,
    True,
    False,
    Number(i64),
    Float,
    Huge,
    Text(&'static str),
    EmptyObject,
    EmptyArray,
}

impl Filler {
    pub(crate) fn value(&self) -> Value {
        match self {
            Filler::Null => Value::Null,
            Filler::True => Value::Bool(true),
            Filler::False => Value::Bool(false),
            Filler::Number(n) => json!(n),
            Filler::Float => json!(1.5),
            Filler::Huge => json!(u64::MAX),
            Filler::Text(s) => json!(s),
            Filler::EmptyObject => json!({}),
            Filler::EmptyArray => json!([]),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum RefTarget {
    /// A component schema that does not exist.
    Dangling,
    /// Another component schema (by index).
    Other(usize),
    /// The component schema that holds the reference (or a component that is only itself).
    ItSelf,
    /// A reference of another shape.
    Odd(&'static str),
}

pub(crate) const ODD_REFS: &[&str] = &[
    "",
    "#",
    "#/",
    "#/components/schemas/",
    "#/components/schemas/a~1b",
    "#/components/schemas/~2",
    "#/components/schemas/Item/properties/id",
    "#/components/parameters/Item",
    "#/paths",
    "other.yaml#/components/schemas/Item",
    "https://example.test/schema.json",
    "#/components/schemas/🦀",
];

/// Where a weird name goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NameSite {
    /// A new property of a `properties` map (sometimes also required).
    Property {
        required: bool,
    },
    /// An existing property renamed.
    RenameProperty,
    /// A value appended to an `enum`.
    EnumValue,
    OperationId,
    Group,
    OperationNameOverride,
    SchemaNameOverride,
    ParameterName,
    /// A component schema renamed, with the references to it.
    SchemaName,
    ServerId,
    ServerVariable,
    /// A response status code (`200`) renamed.
    Status,
    /// A media type (`application/json`) renamed.
    ContentType,
    /// A path (`/items/{id}`) renamed.
    PathTemplate,
    /// A tag on an operation.
    Tag,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Combinator {
    AnyOf,
    OneOf,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Extension {
    Pagination,
    Retries,
    NameOverride,
    Ignore,
    UnknownValues,
    Globals,
}

/// Values of the Speakeasy extensions: right and wrong shapes.
pub(crate) fn extension_value(which: Extension, index: usize, doc: &Value) -> Value {
    let a_param = nodes_of(doc, Kind::Parameter)
        .first()
        .and_then(|p| get(doc, p))
        .and_then(|p| p.get("name"))
        .cloned()
        .unwrap_or(json!("cursor"));
    let values = match which {
        Extension::Pagination => vec![
            json!({}),
            json!({"type": "cursor"}),
            json!({"type": "offsetLimit", "inputs": [], "outputs": {}}),
            json!({"type": "url"}),
            json!({"type": "cursor", "inputs": [{"name": "cursor", "in": "parameters", "type": "cursor"}]}),
            json!({"type": "cursor", "inputs": [{"name": a_param, "in": "parameters", "type": "cursor"}],
                   "outputs": {"nextCursor": "$.id", "results": "$.id"}}),
            json!({"type": "cursor", "inputs": [{"name": a_param, "in": "parameters", "type": "cursor"}],
                   "outputs": {"nextCursor": "", "results": "$"}}),
            json!({"type": "cursor", "inputs": [{"name": "cursor", "in": "requestBody", "type": "cursor"}]}),
            json!({"type": "cursor", "inputs": [{"name": "", "in": "parameters", "type": "cursor"}],
                   "outputs": {"nextCursor": "$..x", "results": "$[0]", "numPages": 3}}),
            json!({"type": "cursor", "inputs": {"name": "cursor"}}),
            json!({"type": 1}),
            json!("cursor"),
            json!([]),
            json!(null),
        ],
        Extension::Retries => vec![
            json!({}),
            json!({"strategy": "backoff"}),
            json!({"strategy": "linear", "backoff": {}}),
            json!({"strategy": "backoff", "backoff": {"initialInterval": 0, "maxInterval": 0,
                   "maxElapsedTime": 0, "exponent": 0}}),
            json!({"strategy": "backoff", "backoff": {"initialInterval": u64::MAX, "maxInterval": u64::MAX,
                   "maxElapsedTime": u64::MAX, "exponent": 1e308}}),
            json!({"strategy": "backoff", "backoff": {"exponent": -1.5}, "statusCodes": []}),
            json!({"strategy": "backoff", "statusCodes": ["5XX", 429, "abc", "", "🦀", "5XXX", "x"]}),
            json!({"strategy": "backoff", "statusCodes": [70000]}),
            json!({"strategy": "backoff", "statusCodes": [-1, 1.5, null]}),
            json!({"strategy": "backoff", "backoff": {"initialInterval": -1}}),
            json!({"strategy": "backoff", "backoff": "fast"}),
            json!({"strategy": "backoff", "retryConnectionErrors": "yes"}),
            json!("backoff"),
            json!([]),
        ],
        Extension::NameOverride => WEIRD
            .iter()
            .map(|w| json!(w))
            .chain([json!(1), json!(null)])
            .collect(),
        Extension::Ignore => vec![json!(true), json!(false), json!("true"), json!(null)],
        Extension::UnknownValues => vec![json!("allow"), json!("deny"), json!(true), json!("")],
        Extension::Globals => vec![
            json!({}),
            json!({"parameters": []}),
            json!({"parameters": [{"name": "", "in": "header", "schema": {"type": "string"}}]}),
            json!({"parameters": [{"name": "self", "in": "query", "schema": {"type": "integer"}}]}),
            json!({"parameters": [{"name": a_param, "in": "header", "schema": {"type": "string"}}]}),
            json!({"parameters": [{"name": "x", "in": "path", "schema": {"type": "object"}}]}),
            json!({"parameters": {}}),
        ],
    };
    values[index % values.len()].clone()
}

pub(crate) fn extension_key(which: Extension) -> &'static str {
    match which {
        Extension::Pagination => "x-speakeasy-pagination",
        Extension::Retries => "x-speakeasy-retries",
        Extension::NameOverride => "x-speakeasy-name-override",
        Extension::Ignore => "x-speakeasy-ignore",
        Extension::UnknownValues => "x-speakeasy-unknown-values",
        Extension::Globals => "x-speakeasy-globals",
    }
}

/// Unusual values of `type`.
pub(crate) fn type_value(index: usize) -> Value {
    let values = [
        json!(["string", "null"]),
        json!("null"),
        json!([]),
        json!("foo"),
        json!(["null"]),
        json!(["integer", "string"]),
        json!(["string", "string"]),
        json!(["object", "null"]),
        json!(["array", "null"]),
        json!("object"),
        json!("array"),
        json!("integer"),
        json!("number"),
        json!("boolean"),
        json!("string"),
        json!(5),
        json!({"type": "string"}),
    ];
    values[index % values.len()].clone()
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Nesting {
    ArrayItems,
    AnyOf,
    Property,
    Map,
    /// Not a schema: `{"a": ...}`.
    Plain,
    /// Not a schema: `[...]`.
    List,
}

#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    Delete {
        node: usize,
    },
    Replace {
        node: usize,
        with: Filler,
    },
    RenameKey {
        node: usize,
        to: &'static str,
    },
    /// Replaces one node with a copy of another.
    Copy {
        from: usize,
        to: usize,
    },
    Ref {
        node: usize,
        to: RefTarget,
    },
    /// Gives one operation the `operationId` of another.
    DuplicateOperationId {
        from: usize,
        to: usize,
    },
    Name {
        site: NameSite,
        node: usize,
        name: &'static str,
    },
    SetType {
        node: usize,
        to: usize,
    },
    /// Wraps a schema in `anyOf`/`oneOf` with `{type: null}`.
    WrapNull {
        node: usize,
        with: Combinator,
        null_first: bool,
    },
    Extension {
        node: usize,
        which: Extension,
        value: usize,
    },
    /// Wraps a node in `depth` levels.
    Nest {
        node: usize,
        depth: usize,
        how: Nesting,
    },
    /// Sets a keyword the site knows to one of a few right and wrong values.
    Keyword {
        site: KeywordSite,
        node: usize,
        keyword: usize,
        value: usize,
    },
}

pub(crate) fn index() -> impl Strategy<Value = usize> {
    0..10_000usize
}

pub(crate) fn weird() -> impl Strategy<Value = &'static str> {
    prop::sample::select(WEIRD)
}

pub(crate) fn filler() -> impl Strategy<Value = Filler> {
    prop_oneof![
        Just(Filler::Null),
        Just(Filler::True),
        Just(Filler::False),
        prop::sample::select(vec![0i64, -1, 1, 3, 200, i64::MIN, i64::MAX])
            .prop_map(Filler::Number),
        Just(Filler::Float),
        Just(Filler::Huge),
        weird().prop_map(Filler::Text),
        Just(Filler::EmptyObject),
        Just(Filler::EmptyArray),
    ]
}

pub(crate) fn name_site() -> impl Strategy<Value = NameSite> {
    prop_oneof![
        any::<bool>().prop_map(|required| NameSite::Property { required }),
        Just(NameSite::RenameProperty),
        Just(NameSite::EnumValue),
        Just(NameSite::OperationId),
        Just(NameSite::Group),
        Just(NameSite::OperationNameOverride),
        Just(NameSite::SchemaNameOverride),
        Just(NameSite::ParameterName),
        Just(NameSite::SchemaName),
        Just(NameSite::ServerId),
        Just(NameSite::ServerVariable),
        Just(NameSite::Status),
        Just(NameSite::ContentType),
        Just(NameSite::PathTemplate),
        Just(NameSite::Tag),
    ]
}

pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    let ref_target = prop_oneof![
        Just(RefTarget::Dangling),
        index().prop_map(RefTarget::Other),
        Just(RefTarget::ItSelf),
        prop::sample::select(ODD_REFS).prop_map(RefTarget::Odd),
    ];
    let extension = prop::sample::select(vec![
        Extension::Pagination,
        Extension::Retries,
        Extension::NameOverride,
        Extension::Ignore,
        Extension::UnknownValues,
        Extension::Globals,
    ]);
    let nesting = prop::sample::select(vec![
        Nesting::ArrayItems,
        Nesting::AnyOf,
        Nesting::Property,
        Nesting::Map,
        Nesting::Plain,
        Nesting::List,
    ]);
    let combinator = prop::sample::select(vec![Combinator::AnyOf, Combinator::OneOf]);
    let keyword_site = prop::sample::select(vec![
        KeywordSite::Schema,
        KeywordSite::Schema,
        KeywordSite::Schema,
        KeywordSite::Parameter,
        KeywordSite::Operation,
        KeywordSite::Operation,
        KeywordSite::Response,
        KeywordSite::Root,
    ]);
    prop_oneof![
        2 => index().prop_map(|node| Mutation::Delete { node }),
        1 => (index(), filler()).prop_map(|(node, with)| Mutation::Replace { node, with }),
        1 => (index(), weird()).prop_map(|(node, to)| Mutation::RenameKey { node, to }),
        1 => (index(), index()).prop_map(|(from, to)| Mutation::Copy { from, to }),
        3 => (index(), ref_target).prop_map(|(node, to)| Mutation::Ref { node, to }),
        1 => (index(), index()).prop_map(|(from, to)| Mutation::DuplicateOperationId { from, to }),
        8 => (name_site(), index(), weird())
            .prop_map(|(site, node, name)| Mutation::Name { site, node, name }),
        3 => (index(), index()).prop_map(|(node, to)| Mutation::SetType { node, to }),
        2 => (index(), combinator, any::<bool>())
            .prop_map(|(node, with, null_first)| Mutation::WrapNull { node, with, null_first }),
        3 => (index(), extension, index())
            .prop_map(|(node, which, value)| Mutation::Extension { node, which, value }),
        1 => (index(), 1..=160usize, nesting)
            .prop_map(|(node, depth, how)| Mutation::Nest { node, depth, how }),
        8 => (keyword_site, index(), index(), index()).prop_map(|(site, node, keyword, value)| {
            Mutation::Keyword { site, node, keyword, value }
        }),
    ]
}
