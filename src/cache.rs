//! Results shared between the builds of many roots (`rustomize render`).
//!
//! A base's accumulated resources depend only on its directory and the load
//! restrictor (components, which see their parent's resources, are not
//! cached), so every overlay over one base can start from the same result.
//! Stored values are immutable; each build clones what it takes, so no
//! mutable state is shared between roots. Only successes are stored: an error
//! carries the chain of the root that met it. Two threads that want the same
//! base at the same moment may both build it (no waiting, hence no deadlock
//! on a cycle); the results are equal and the first stored wins.

use crate::accumulator::Accumulator;
use crate::loader::LoadRestrictor;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// A base kustomization built without its parent's transformations.
#[derive(Debug)]
pub struct BuiltBase {
    /// Its objects and field specs.
    pub accumulated: Accumulator,
    /// Deprecation warnings raised while building it, in order.
    pub warnings: Vec<String>,
    /// Whether building it looked types up in the schema (a later custom
    /// `openapi` schema then extends the built-in one).
    pub consulted_schema: bool,
    /// Every kustomization directory its build entered, itself first: a
    /// cached base is a cycle where one of them contains a directory being
    /// built.
    pub roots: Vec<PathBuf>,
}

/// Built bases, keyed by canonical directory and load restrictor. Their
/// files are read and parsed once, when the base is first built.
#[derive(Debug, Default)]
pub struct BuildCache {
    bases: Mutex<HashMap<(PathBuf, LoadRestrictor), Arc<BuiltBase>>>,
}

impl BuildCache {
    pub fn new() -> BuildCache {
        BuildCache::default()
    }

    pub fn base(&self, dir: &Path, restrictor: LoadRestrictor) -> Option<Arc<BuiltBase>> {
        let bases = self.bases.lock().unwrap_or_else(PoisonError::into_inner);
        bases.get(&(dir.to_path_buf(), restrictor)).cloned()
    }

    pub fn store_base(
        &self,
        dir: &Path,
        restrictor: LoadRestrictor,
        base: BuiltBase,
    ) -> Arc<BuiltBase> {
        let mut bases = self.bases.lock().unwrap_or_else(PoisonError::into_inner);
        bases
            .entry((dir.to_path_buf(), restrictor))
            .or_insert_with(|| Arc::new(base))
            .clone()
    }

    /// How many bases are stored (for tests and the render summary).
    pub fn bases_stored(&self) -> usize {
        self.bases
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildOptions, build, build_with_cache};

    #[test]
    fn overlays_built_through_one_cache_equal_plain_builds() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let cache = BuildCache::new();
        let options = BuildOptions::default();
        for environment in ["dev", "test", "prod", "dev"] {
            let dir = repo.join("overlays").join(environment);
            let plain = build(&dir, &options).unwrap();
            let cached = build_with_cache(&dir, &options, Some(&cache)).unwrap();
            assert_eq!(plain.to_yaml().unwrap(), cached.to_yaml().unwrap());
            assert_eq!(plain.warnings, cached.warnings);
        }
        // Each of the eight bases was built once and shared by the three overlays.
        assert_eq!(cache.bases_stored(), 8);
    }

    #[test]
    fn a_cached_base_containing_the_root_is_still_a_cycle() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("prod");
        let nested = base.join("eu");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(base.join("kustomization.yaml"), "resources:\n- cm.yaml\n").unwrap();
        std::fs::write(
            base.join("cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        )
        .unwrap();
        std::fs::write(nested.join("kustomization.yaml"), "resources:\n- ..\n").unwrap();
        std::fs::write(
            tmp.path().join("kustomization.yaml"),
            "resources:\n- prod\n",
        )
        .unwrap();
        let cache = BuildCache::new();
        let options = BuildOptions::default();
        build_with_cache(tmp.path(), &options, Some(&cache)).unwrap();
        assert_eq!(cache.bases_stored(), 1);
        let err = build_with_cache(&nested, &options, Some(&cache)).unwrap_err();
        assert!(err.to_string().contains("cycle detected"), "{err}");
    }
}
