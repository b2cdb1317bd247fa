//! What one kustomization level gathers: its objects and the field specs its
//! transformers use.
//!
//! A base is built into a fresh accumulator; its parent then absorbs it, so an
//! overlay sees its bases' `configurations` and `crds`, never the other way
//! round. The tables are shared behind `Arc` and replaced (never mutated in
//! place) when a level adds to them, so the built-in tables are never copied
//! for levels that add nothing and no level can change another's.

use crate::error::{Error, ErrorKind, Result};
use crate::fieldspec::FieldSpecs;
use crate::resource::{ResMap, Resource};
use crate::schema::Schema;
use crate::transform::vars::{self, Var};
use std::path::Path;
use std::sync::Arc;

/// One kustomization level's objects and tables.
#[derive(Debug, Clone)]
pub struct Accumulator {
    pub resources: ResMap,
    /// The built-in field specs merged with those of the bases and of this
    /// level's own `configurations` and `crds`.
    pub specs: Arc<FieldSpecs>,
    /// Vars declared here and in the bases, bound to their objects.
    pub vars: Vec<Var>,
}

impl Default for Accumulator {
    fn default() -> Self {
        Accumulator::new()
    }
}

impl Accumulator {
    /// An empty accumulator with empty tables: a level adds its bases'
    /// tables, then the built-ins with its own `configurations`.
    pub fn new() -> Accumulator {
        Accumulator {
            resources: ResMap::new(),
            specs: FieldSpecs::empty(),
            vars: Vec::new(),
        }
    }

    /// Adds one object; its id must be new.
    pub fn append(&mut self, resource: Resource, schema: &Schema) -> Result<()> {
        self.resources.append(resource, schema).map_err(|r| {
            Error::conflict(format!(
                "may not add resource with an already registered id: {}",
                r.cur_id(schema)
            ))
        })
    }

    /// Takes in a built base (from `dir`): its objects after ours, its tables
    /// merged into ours.
    pub fn absorb(&mut self, base: Accumulator, dir: &Path, schema: &Schema) -> Result<()> {
        for resource in base.resources.into_vec() {
            self.append(resource, schema)?;
        }
        vars::merge(&mut self.vars, &base.vars).map_err(Error::conflict)?;
        self.merge_specs(&base.specs).map_err(|message| {
            Error::new(ErrorKind::FieldSpecs {
                path: dir.to_path_buf(),
                message: format!("merging its field specs: {message}"),
            })
        })
    }

    /// Merges `other` into this level's field specs (kustomize's config merge).
    pub fn merge_specs(&mut self, other: &Arc<FieldSpecs>) -> Result<(), String> {
        // Merging tables into themselves, or the built-ins into an empty
        // table, changes nothing: share them instead.
        if Arc::ptr_eq(&self.specs, other) {
            return Ok(());
        }
        if Arc::ptr_eq(&self.specs, &FieldSpecs::empty())
            && Arc::ptr_eq(other, &FieldSpecs::builtin())
        {
            self.specs = Arc::clone(other);
            return Ok(());
        }
        self.specs = Arc::new(self.specs.merged_with(other)?);
        Ok(())
    }
}
