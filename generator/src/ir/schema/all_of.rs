//! `allOf`: the properties of every member (`$ref`s, inline objects, nested `allOf`s) merged into
//! one object, which then lowers like any other. Only objects merge: a member of another kind, or
//! two members declaring one property with different schemas, is an error at that member.

use super::*;
use crate::spec::view::SchemaType;

/// An `allOf` flattened into one object schema.
pub(super) struct Merged {
    /// The holder of the `allOf` with the members' properties (in order of appearance, its own
    /// last) and their `required` lists united, and no `allOf`.
    pub obj: SchemaObject,
    /// Property name -> the pointer of the schema that declared it first.
    pub origins: IndexMap<String, String>,
}

/// An `allOf` of one member with nothing beside it to merge (no properties, no
/// `additionalProperties`): it is that member, a way to document a `$ref`.
pub(super) fn single_member(obj: &SchemaObject) -> Option<&Schema> {
    match obj.all_of.as_deref() {
        Some([only])
            if obj.properties.as_ref().is_none_or(|p| p.is_empty())
                && obj.additional_properties.is_none() =>
        {
            Some(only)
        }
        _ => None,
    }
}

/// What the merge has gathered so far.
#[derive(Default)]
struct Merging {
    properties: IndexMap<String, (Schema, String)>,
    required: Vec<String>,
    /// Components being merged, to stop a component that is its own member.
    visiting: Vec<String>,
}

impl SchemaLowering<'_> {
    /// The type of a schema with `allOf`, named `context` when it is a new struct.
    pub(super) fn all_of_ty(
        &mut self,
        obj: &SchemaObject,
        context: &str,
        pointer: &str,
    ) -> Result<(Ty, bool)> {
        let nullable = obj.types().contains(&InstanceType::Null);
        if let Some(only) = single_member(obj) {
            let (ty, inner) = self.ty(only, context, &child(&child(pointer, "allOf"), "0"))?;
            return Ok((ty, nullable || inner));
        }
        let merged = self.merge_all_of(obj, pointer)?;
        if merged
            .obj
            .properties
            .as_ref()
            .is_some_and(|p| !p.is_empty())
        {
            let id = self.reserve_inline(context, "Object", pointer, obj);
            let name = self.defs[id.0].name.rust();
            let s = self.lower_struct(&merged.obj, &name, pointer, Some(&merged.origins))?;
            self.defs[id.0].kind = TypeKind::Struct(s);
            return Ok((Ty::Named(id), nullable));
        }
        // Objects without properties: a free-form object, or a map when the holder types its keys.
        let (ty, _) = self.ty_inner(&Schema::Object(Box::new(merged.obj)), context, pointer)?;
        Ok((ty, nullable))
    }

    /// Merges the members of `obj`'s `allOf` and `obj`'s own properties into one object schema.
    pub(super) fn merge_all_of(&self, obj: &SchemaObject, pointer: &str) -> Result<Merged> {
        check_object(obj, pointer)?;
        let mut m = Merging::default();
        for (i, member) in obj.all_of.iter().flatten().enumerate() {
            self.merge_member(
                member,
                &child(&child(pointer, "allOf"), &i.to_string()),
                &mut m,
            )?;
        }
        merge_properties(obj, pointer, &mut m)?;
        let mut out = obj.clone();
        out.all_of = None;
        out.r#type = Some(SchemaType::Single(InstanceType::Object));
        let mut origins = IndexMap::new();
        let mut properties = IndexMap::new();
        for (wire, (schema, at)) in m.properties {
            origins.insert(wire.clone(), at);
            properties.insert(wire, schema);
        }
        out.properties = Some(properties);
        out.required = Some(m.required);
        Ok(Merged { obj: out, origins })
    }

    fn merge_member(&self, schema: &Schema, pointer: &str, m: &mut Merging) -> Result<()> {
        let obj = match schema {
            Schema::Bool(true) => return Ok(()),
            Schema::Bool(false) => {
                return Err(Error::at(
                    pointer,
                    "the schema `false` in an `allOf` accepts no value, so nothing can have this type; remove the member",
                ));
            }
            Schema::Object(o) => o,
        };
        if let Some(reference) = &obj.r#ref {
            let Some((name, target)) = self.doc.resolve_schema_ref(reference) else {
                return Err(Error::at(child(pointer, "$ref"), unresolved_ref(reference)));
            };
            if m.visiting.iter().any(|v| v == name) {
                return Err(Error::at(
                    child(pointer, "$ref"),
                    format!(
                        "`{reference}` is a member of its own `allOf` (through `{}`), so its properties have no end; \
                         break the cycle with an overlay",
                        m.visiting.join("`, `")
                    ),
                ));
            }
            m.visiting.push(name.to_string());
            self.merge_member(target, &child("/components/schemas", name), m)?;
            m.visiting.pop();
        }
        check_object(obj, pointer)?;
        if matches!(
            obj.additional_properties,
            Some(Schema::Object(_) | Schema::Bool(true))
        ) {
            return Err(Error::at(
                child(pointer, "additionalProperties"),
                "`additionalProperties` on a member of an `allOf` is not supported (in JSON Schema it would \
                 only see that member's properties); move it to the schema holding the `allOf` with an overlay",
            ));
        }
        for (i, member) in obj.all_of.iter().flatten().enumerate() {
            self.merge_member(member, &child(&child(pointer, "allOf"), &i.to_string()), m)?;
        }
        merge_properties(obj, pointer, m)
    }
}

/// Rejects a schema that is not an object (it cannot be merged into a struct).
fn check_object(obj: &SchemaObject, pointer: &str) -> Result<()> {
    let what = if obj.r#enum.is_some() {
        Some("an `enum`".to_string())
    } else if alternatives(obj).is_some() {
        Some("a union (`anyOf`/`oneOf`)".to_string())
    } else if obj.r#const.is_some() {
        Some("a `const`".to_string())
    } else {
        obj.types()
            .iter()
            .find(|t| !matches!(t, InstanceType::Object | InstanceType::Null))
            .map(|t| format!("`type: {}`", t.as_str()))
    };
    match what {
        Some(what) => Err(Error::at(
            pointer,
            format!(
                "this `allOf` member is {what}, not an object: only objects merge into one struct. Remove the \
                 member, or replace the `allOf` with a single schema, with an overlay"
            ),
        )),
        None => Ok(()),
    }
}

/// Adds `obj`'s properties and `required` list; a property seen before must have the same schema
/// (documentation aside).
fn merge_properties(obj: &SchemaObject, pointer: &str, m: &mut Merging) -> Result<()> {
    for (wire, prop) in obj.properties.iter().flatten() {
        let at = child(&child(pointer, "properties"), wire);
        match m.properties.get(wire) {
            Some((first, first_at)) => {
                if canonical_shape(first) != canonical_shape(prop) {
                    return Err(Error::at(
                        at,
                        format!(
                            "property `{wire}` is declared again with a different schema (first at `{first_at}`); \
                             the members of an `allOf` must agree on each property: make the two schemas the \
                             same, or remove one with an overlay"
                        ),
                    ));
                }
            }
            None => {
                m.properties.insert(wire.clone(), (prop.clone(), at));
            }
        }
    }
    for name in obj.required.iter().flatten() {
        if !m.required.contains(name) {
            m.required.push(name.clone());
        }
    }
    Ok(())
}
