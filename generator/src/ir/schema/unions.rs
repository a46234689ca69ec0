//! Unions: `anyOf`/`oneOf` with `null` stripped and same-typed variants collapsed, their variant
//! names, and how a payload picks its variant (a tag property, or best fit).

use super::*;

impl SchemaLowering<'_> {
    /// `anyOf` / `oneOf`: strip `null`, collapse variants of one Rust type, then decide.
    pub(super) fn union_ty(
        &mut self,
        obj: &SchemaObject,
        alts: &[Schema],
        context: &str,
        pointer: &str,
        into: Option<TypeId>,
    ) -> Result<(Ty, bool)> {
        let keyword = if obj.any_of.is_some() {
            "anyOf"
        } else {
            "oneOf"
        };
        let list_pointer = child(pointer, keyword);
        let nullable = alts.iter().any(is_null_schema);
        let members: Vec<(usize, &Schema)> = alts
            .iter()
            .enumerate()
            .filter(|(_, s)| !is_null_schema(s))
            .collect();
        if members.is_empty() {
            return Ok((Ty::Any, true));
        }
        // Only string constants: an enum of those values (a lone constant beside `null` too: it is
        // a choice the caller makes, so it gets a type that cannot be misspelt).
        let consts: Option<Vec<&str>> = members
            .iter()
            .map(|(_, s)| s.as_object().and_then(string_const))
            .collect();
        if let Some(values) = &consts
            && (values.len() > 1 || nullable)
        {
            let id = self.inline_enum(context, pointer, obj, values)?;
            return Ok((Ty::Named(id), nullable));
        }
        // Variants that lower to one Rust type collapse (`string | string` with a format, a string
        // `const` beside a plain string).
        let mut tys: Vec<(Ty, usize)> = Vec::new();
        let mut member_nullable = false;
        for (i, s) in &members {
            let variant_context = if members.len() == 1 {
                context.to_string()
            } else {
                format!("{context}Variant{i}")
            };
            let (ty, n) = self.ty(s, &variant_context, &child(&list_pointer, &i.to_string()))?;
            member_nullable |= n;
            if !tys.iter().any(|(t, _)| *t == ty) {
                tys.push((ty, *i));
            }
        }
        if tys.len() == 1 {
            return Ok((tys.remove(0).0, nullable || member_nullable));
        }
        let id = match into {
            Some(id) => id,
            None => self.reserve_inline(context, "Union", pointer, obj),
        };
        let mut variants = Vec::new();
        for (ty, i) in tys {
            let name = self.variant_name(&ty, i, &variants);
            variants.push(Variant {
                name,
                ty,
                tags: Vec::new(),
                boxed: false,
            });
        }
        self.pending_unions
            .push((id, obj.discriminator.clone(), pointer.to_string()));
        self.defs[id.0].kind = TypeKind::Union(Union {
            discriminant: Discriminant::BestFit,
            variants,
            resource: None,
        });
        Ok((Ty::Named(id), nullable || member_nullable))
    }

    /// The variant's Rust name: the referenced type's name, or the kind of value.
    pub(super) fn variant_name(&self, ty: &Ty, index: usize, taken: &[Variant]) -> Name {
        let base = match ty {
            Ty::Named(id) => self.defs[id.0].name.rust(),
            Ty::String => "String".into(),
            Ty::Integer => "Integer".into(),
            Ty::Number => "Number".into(),
            Ty::Boolean => "Boolean".into(),
            Ty::DateTime => "DateTime".into(),
            Ty::Date => "Date".into(),
            Ty::Any => "Any".into(),
            Ty::Object => "Object".into(),
            Ty::Array(_) => "Array".into(),
            Ty::Map(_) => "Map".into(),
            Ty::Optional(_) => "Optional".into(),
        };
        let mut name = base.clone();
        if taken.iter().any(|v| v.name.bare == name) || name == "Unknown" {
            name = format!("{base}{index}");
        }
        Name::new(index.to_string(), name)
    }

    /// Chooses how a union's variant is found: an explicit or implied tag, else best fit.
    pub(super) fn discriminant(
        &self,
        discriminator: Option<&Discriminator>,
        variants: &mut [Variant],
        pointer: &str,
    ) -> Result<Discriminant> {
        if let Some(d) = discriminator {
            let property = d.property_name.clone();
            // Every mapping entry must name one of the variants, or a tag would decode to nothing.
            for (tag, target) in &d.mapping {
                let name = mapping_target_name(target);
                let known = self.components.get(&name).copied();
                if !variants
                    .iter()
                    .any(|v| matches!(v.ty, Ty::Named(id) if Some(id) == known))
                {
                    return Err(Error::at(
                        child(&child(&child(pointer, "discriminator"), "mapping"), tag),
                        format!(
                            "tag `{tag}` maps to `{target}`, which is {}; map it to one of the union's variants",
                            if known.is_some() {
                                "not one of the union's variants"
                            } else {
                                "not a schema in `components/schemas`"
                            }
                        ),
                    ));
                }
            }
            for v in variants.iter_mut() {
                let Ty::Named(id) = v.ty else {
                    return Err(Error::at(
                        child(pointer, "discriminator"),
                        "a discriminated union must list only object schemas (`$ref`s), but one variant is a plain value",
                    ));
                };
                // Tag values: the mapping entries naming this type, else the variant's own const.
                let mut tags: Vec<String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        // A mapping value is a reference or, as OpenAPI allows, a bare schema name.
                        self.components.get(&mapping_target_name(target)) == Some(&id)
                    })
                    .map(|(tag, _)| tag.clone())
                    .collect();
                if tags.is_empty() {
                    tags.extend(self.const_of(id, &property));
                }
                if tags.is_empty() {
                    return Err(Error::at(
                        child(pointer, "discriminator"),
                        format!(
                            "variant `{}` has no tag: list it in `discriminator.mapping` or give its `{property}` property a `const`",
                            self.defs[id.0].name.wire
                        ),
                    ));
                }
                v.tags = tags;
            }
            return Ok(Discriminant::Tag { property });
        }
        // anyOf whose variants are all structs fixing distinct consts on one shared property.
        let ids: Option<Vec<TypeId>> = variants
            .iter()
            .map(|v| {
                if let Ty::Named(id) = v.ty {
                    Some(id)
                } else {
                    None
                }
            })
            .collect();
        if let Some(ids) = ids
            && let Some(first) = ids.first()
        {
            for property in self.const_properties(*first) {
                let tags: Vec<Option<String>> =
                    ids.iter().map(|id| self.const_of(*id, &property)).collect();
                let distinct: BTreeSet<&Option<String>> = tags.iter().collect();
                if tags.iter().all(Option::is_some) && distinct.len() == tags.len() {
                    for (v, tag) in variants.iter_mut().zip(tags) {
                        v.tags = tag.into_iter().collect();
                    }
                    return Ok(Discriminant::Tag { property });
                }
            }
        }
        Ok(Discriminant::BestFit)
    }

    /// The string const a struct type fixes on `property`, if any.
    pub(super) fn const_of(&self, id: TypeId, property: &str) -> Option<String> {
        match &self.defs[id.0].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.name.wire == property)
                .and_then(|f| f.constant.as_ref()?.as_str().map(str::to_string)),
            _ => None,
        }
    }

    pub(super) fn const_properties(&self, id: TypeId) -> Vec<String> {
        match &self.defs[id.0].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| f.constant.is_some())
                .map(|f| f.name.wire.clone())
                .collect(),
            _ => Vec::new(),
        }
    }
}
