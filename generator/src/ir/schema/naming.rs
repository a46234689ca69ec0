//! Names for the types lowering creates: inline enums and objects named after where they sit,
//! and the reservation that keeps every Rust type name unique.

use super::*;

impl SchemaLowering<'_> {
    /// A named inline enum from string constants.
    pub(super) fn inline_enum(
        &mut self,
        context: &str,
        pointer: &str,
        obj: &SchemaObject,
        values: &[&str],
    ) -> Result<TypeId> {
        let id = self.reserve_inline(context, "Enum", pointer, obj);
        let values: Vec<Value> = values
            .iter()
            .map(|v| Value::String((*v).to_string()))
            .collect();
        self.defs[id.0].kind = TypeKind::Enum(self.lower_enum(&values, pointer)?);
        Ok(id)
    }

    /// A named inline object or enum.
    pub(super) fn inline(
        &mut self,
        context: &str,
        suffix: &str,
        pointer: &str,
        obj: &SchemaObject,
    ) -> Result<TypeId> {
        let id = self.reserve_inline(context, suffix, pointer, obj);
        let kind = if let Some(values) = &obj.r#enum {
            TypeKind::Enum(self.lower_enum(values, pointer)?)
        } else {
            let name = self.defs[id.0].name.rust();
            TypeKind::Struct(self.lower_struct(obj, &name, pointer, None)?)
        };
        self.defs[id.0].kind = kind;
        Ok(id)
    }

    pub(super) fn reserve_inline(
        &mut self,
        context: &str,
        suffix: &str,
        pointer: &str,
        obj: &SchemaObject,
    ) -> TypeId {
        self.reserve(context, context, suffix, pointer.to_string(), docs_of(obj))
    }

    /// Claims a Rust name: `base`, else `base` + `suffix`, else that with a number.
    pub(super) fn reserve(
        &mut self,
        wire: &str,
        base: &str,
        suffix: &str,
        pointer: String,
        docs: Option<String>,
    ) -> TypeId {
        // A name published for this schema (see `ir/lock.rs`) is kept; other names published for
        // other schemas are not available.
        let lock = self.lock;
        let free = |taken: &BTreeMap<String, TypeId>, name: &str| {
            !taken.contains_key(name) && !lock.claimed_by_other(name, &pointer)
        };
        let rust = match lock.type_name(&pointer) {
            Some(locked) if !self.taken.contains_key(locked) => locked.to_string(),
            _ if free(&self.taken, base) && !is_reserved_type_name(base) => base.to_string(),
            _ => {
                let mut rust = format!("{base}{suffix}");
                let mut n = 2;
                while !free(&self.taken, &rust) {
                    rust = format!("{base}{suffix}{n}");
                    n += 1;
                }
                rust
            }
        };
        let id = TypeId(self.defs.len());
        self.taken.insert(rust.clone(), id);
        let base_module = module_name(&rust);
        let mut module = base_module.clone();
        let mut n = 2;
        while self.modules.contains(&module) {
            module = format!("{base_module}_{n}");
            n += 1;
        }
        self.modules.insert(module.clone());
        self.defs.push(TypeDef {
            id,
            module,
            name: Name::new(wire, rust),
            docs,
            pointer,
            usage: Usage::default(),
            groups: BTreeSet::new(),
            always: false,
            kind: TypeKind::Alias(Ty::Any),
            examples: Vec::new(),
        });
        id
    }
}
