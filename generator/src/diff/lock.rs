//! The committed surface as the naming lock of the next regen (see `ir/lock.rs`).

use std::path::Path;

use super::{KindSurface, SURFACE_FILE, Surface};
use crate::ir::lock::Lock;
use crate::{Error, Result};

/// The names a surface publishes, by the spec object they belong to.
pub fn lock_of(surface: &Surface) -> Lock {
    let types = surface
        .types
        .values()
        .map(|t| (t.pointer.clone(), t.rust_name.clone()))
        .collect();
    let required = surface
        .types
        .values()
        .filter_map(|t| match &t.kind {
            KindSurface::Struct {
                required_struct: Some(r),
                ..
            } => Some((t.pointer.clone(), r.clone())),
            _ => None,
        })
        .collect();
    let consts = surface
        .consts
        .iter()
        .map(|(value, c)| (value.clone(), c.rust_name.clone()))
        .collect();
    let builders = surface
        .operations
        .values()
        .filter(|op| !op.builder.is_empty())
        .map(|op| (op.call.clone(), op.builder.clone()))
        .collect();
    Lock::new(types, required, consts, builders)
}

/// The lock of the crate in `dir`: its `api-surface.json`, or no lock when it has none (a crate
/// written for the first time).
pub fn read_lock(dir: &Path) -> Result<Lock> {
    let path = dir.join(SURFACE_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Lock::default()),
        Err(e) => return Err(Error::file(path, format!("cannot read: {e}"))),
    };
    let surface: Surface = serde_json::from_slice(&bytes).map_err(|e| {
        Error::file(
            &path,
            format!(
                "the published API surface cannot be read ({e}), and regen keeps the names it \
                 lists; restore the file from git, or delete it to name every type from the spec \
                 alone (published names may then change)"
            ),
        )
    })?;
    Ok(lock_of(&surface))
}
