//! A whole payload for a type, put together from the spec's examples.
//!
//! The spec gives examples per property, not per object: Gr4vy's `Transaction` has none of its own,
//! but most of its properties do. [`sample`] builds one value from them, the way a reader of the spec
//! would picture a full response: each property's first example, else its `const`, else its enum's
//! first value, else (for objects, arrays and unions) a sample built the same way. `cargo xtask
//! bench` decodes the `Transaction` sample.

use serde_json::{Map, Value};

use super::Api;
use super::types::{Ty, TypeKind};

/// How deep samples nest before an object is left empty (recursive types would not end).
const MAX_DEPTH: usize = 12;

/// A sample of the named type (its Rust name), or `None` if there is no such type.
pub fn sample(api: &Api, rust_name: &str) -> Option<Value> {
    let def = api.types.iter().find(|t| t.name.bare == rust_name)?;
    let examples = Samples::new(api);
    def.examples
        .first()
        .cloned()
        .or_else(|| examples.named(api, def, 0))
}

/// The first example of every schema the IR records examples for, by JSON pointer.
pub(super) struct Samples<'a> {
    by_pointer: std::collections::BTreeMap<&'a str, &'a Value>,
}

impl<'a> Samples<'a> {
    pub(super) fn new(api: &'a Api) -> Self {
        let types = api
            .types
            .iter()
            .filter_map(|t| Some((t.pointer.as_str(), t.examples.first()?)));
        let sites = api
            .examples
            .iter()
            .filter_map(|s| Some((s.pointer.as_str(), s.values.first()?)));
        Samples {
            by_pointer: types.chain(sites).collect(),
        }
    }

    /// The example of the schema at `pointer`, or of one of its `anyOf`/`oneOf` branches (a
    /// nullable property keeps its examples in the non-null branch).
    fn example(&self, pointer: &str) -> Option<Value> {
        if let Some(value) = self.by_pointer.get(pointer) {
            return Some((*value).clone());
        }
        ["anyOf", "oneOf"].iter().find_map(|keyword| {
            let prefix = format!("{pointer}/{keyword}/");
            self.by_pointer
                .range(prefix.as_str()..)
                .take_while(|(key, _)| key.starts_with(&prefix))
                .find(|(key, _)| key[prefix.len()..].bytes().all(|b| b.is_ascii_digit()))
                .map(|(_, value)| (*value).clone())
        })
    }

    fn named(&self, api: &Api, def: &super::types::TypeDef, depth: usize) -> Option<Value> {
        if let Some(example) = def.examples.first() {
            return Some(example.clone());
        }
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut object = Map::new();
                if depth < MAX_DEPTH {
                    for f in &s.fields {
                        let value = match &f.constant {
                            Some(constant) => Some(constant.to_json()),
                            None => self
                                .example(&f.pointer)
                                .or_else(|| self.ty(api, &f.ty, depth + 1)),
                        };
                        if let Some(value) = value {
                            object.insert(f.name.wire.clone(), value);
                        }
                    }
                }
                Some(Value::Object(object))
            }
            TypeKind::Enum(e) => e
                .variants
                .first()
                .map(|v| Value::from(v.name.wire.as_str())),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .find_map(|v| self.ty(api, &v.ty, depth + 1)),
            TypeKind::Alias(ty) => self.ty(api, ty, depth + 1),
        }
    }

    /// A sample of a value of type `ty` (see [`sample`]).
    pub(super) fn of(&self, api: &Api, ty: &Ty) -> Option<Value> {
        self.ty(api, ty, 0)
    }

    /// Scalars without an example are left out rather than invented.
    fn ty(&self, api: &Api, ty: &Ty, depth: usize) -> Option<Value> {
        match ty {
            Ty::Named(id) => self.named(api, api.types.get(*id), depth),
            Ty::Optional(inner) => self.ty(api, inner, depth),
            Ty::Array(inner) => Some(Value::Array(
                self.ty(api, inner, depth).into_iter().collect(),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::sample;
    use crate::ir::{CrateConfig, lower};
    use crate::spec::view::Document;

    fn api(schemas: serde_json::Value) -> crate::ir::Api {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.test", "x-speakeasy-server-id": "default"}],
            "paths": {"/things": {"get": {
                "operationId": "get_thing",
                "x-speakeasy-group": "things",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/Thing"}}}}}
            }}},
            "components": {"schemas": schemas}
        });
        let config = CrateConfig {
            name: "t".into(),
            version: "0.0.0".into(),
            description: "t".into(),
            license: "MIT".into(),
            edition: "2024".into(),
            rust_version: "1.85".into(),
            checkout_session_operation: None,
        };
        let view = Document::from_value(&doc).unwrap();
        lower(&view, &config, "sha", &Default::default()).unwrap()
    }

    #[test]
    fn a_sample_takes_each_property_from_its_example_const_enum_or_own_sample() {
        let api = api(json!({
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "examples": ["t-1"]},
                "type": {"type": "string", "const": "thing"},
                "status": {"type": "string", "enum": ["new", "old"]},
                "note": {"type": "string"},
                "when": {"anyOf": [{"type": "string", "format": "date-time", "examples": ["2024-01-02T03:04:05Z"]}, {"type": "null"}]},
                "parts": {"type": "array", "items": {"$ref": "#/components/schemas/Part"}},
                "parent": {"anyOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]}
            }},
            "Part": {"type": "object", "properties": {"n": {"type": "integer", "examples": [7]}}}
        }));
        let thing = sample(&api, "Thing").unwrap();
        assert_eq!(thing["id"], json!("t-1"));
        assert_eq!(thing["type"], json!("thing"));
        assert_eq!(thing["status"], json!("new"));
        assert_eq!(thing["when"], json!("2024-01-02T03:04:05Z"), "{thing}");
        assert_eq!(thing["parts"], json!([{"n": 7}]));
        // A scalar without an example is left out, not invented.
        assert!(thing.get("note").is_none(), "{thing}");
        // Recursion ends: the nesting is bounded.
        let mut depth = 0;
        let mut at = &thing;
        while let Some(parent) = at.get("parent") {
            depth += 1;
            at = parent;
        }
        assert!((1..=super::MAX_DEPTH).contains(&depth), "{depth}");
        assert_eq!(sample(&api, "Missing"), None);
    }
}
