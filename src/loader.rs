//! The file system as kustomize sees it: each kustomization may only read files
//! inside its own directory unless the load restrictor is lifted.

use crate::error::{Error, ErrorKind, Result};
use crate::kustomization::FILE_NAMES;
use std::path::{Path, PathBuf};

/// Which files a kustomization may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LoadRestrictor {
    /// Only files in or below the kustomization's directory (kustomize's default).
    #[default]
    RootOnly,
    /// Any file.
    None,
}

/// Reads files on behalf of one kustomization directory.
#[derive(Debug, Clone)]
pub struct Loader {
    /// The kustomization's directory, symlinks resolved.
    root: PathBuf,
    restrictor: LoadRestrictor,
}

impl Loader {
    pub fn new(dir: &Path, restrictor: LoadRestrictor) -> Result<Loader> {
        let root = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
        if !root.is_dir() {
            return Err(Error::new(ErrorKind::NoKustomization { dir: root }));
        }
        Ok(Loader { root, restrictor })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A loader for a sub-kustomization directory (any location is allowed).
    pub fn child(&self, dir: &Path) -> Result<Loader> {
        Loader::new(dir, self.restrictor)
    }

    /// The path of `relative` against the root, symlinks resolved, checked
    /// against the load restrictor.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf> {
        let joined = self.root.join(relative);
        let resolved = joined.canonicalize().map_err(|e| Error::io(&joined, e))?;
        if self.restrictor == LoadRestrictor::RootOnly && !resolved.starts_with(&self.root) {
            return Err(Error::new(ErrorKind::OutsideRoot {
                path: resolved,
                root: self.root.clone(),
            }));
        }
        Ok(resolved)
    }

    /// Reads a file under the restrictor.
    pub fn read_bytes(&self, relative: &str) -> Result<(PathBuf, Vec<u8>)> {
        let path = self.resolve(relative)?;
        if path.is_dir() {
            return Err(Error::io(
                &path,
                std::io::Error::other("is a directory, not a file"),
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        Ok((path, bytes))
    }

    /// Reads a UTF-8 text file under the restrictor.
    pub fn read_text(&self, relative: &str) -> Result<(PathBuf, String)> {
        let (path, bytes) = self.read_bytes(relative)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok((path, text)),
            Err(_) => Err(Error::io(
                &path,
                std::io::Error::new(std::io::ErrorKind::InvalidData, "file is not UTF-8 text"),
            )),
        }
    }

    /// The kustomization file of this directory.
    pub fn kustomization_file(&self) -> Result<PathBuf> {
        find_kustomization_file(&self.root)
    }
}

/// The single kustomization file of `dir`.
pub fn find_kustomization_file(dir: &Path) -> Result<PathBuf> {
    let found: Vec<&str> = FILE_NAMES
        .iter()
        .copied()
        .filter(|name| dir.join(name).is_file())
        .collect();
    match found.as_slice() {
        [] => Err(Error::new(ErrorKind::NoKustomization {
            dir: dir.to_path_buf(),
        })),
        [one] => Ok(dir.join(one)),
        many => Err(Error::new(ErrorKind::MultipleKustomizations {
            dir: dir.to_path_buf(),
            names: many.iter().map(|s| s.to_string()).collect(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_files_outside_root_unless_lifted() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("base");
        std::fs::create_dir(&base).unwrap();
        std::fs::write(tmp.path().join("outside.yaml"), "a: 1\n").unwrap();
        std::fs::write(base.join("inside.yaml"), "a: 1\n").unwrap();

        let loader = Loader::new(&base, LoadRestrictor::RootOnly).unwrap();
        assert!(loader.read_text("inside.yaml").is_ok());
        let err = loader.read_text("../outside.yaml").unwrap_err();
        assert!(matches!(err.kind, ErrorKind::OutsideRoot { .. }), "{err}");

        let open = Loader::new(&base, LoadRestrictor::None).unwrap();
        assert!(open.read_text("../outside.yaml").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn resolves_symlinks_before_checking() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("base");
        std::fs::create_dir(&base).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), base.join("link.txt")).unwrap();
        let loader = Loader::new(&base, LoadRestrictor::RootOnly).unwrap();
        assert!(loader.read_text("link.txt").is_err());
    }

    #[test]
    fn finds_exactly_one_kustomization_file() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(find_kustomization_file(tmp.path()).is_err());
        std::fs::write(tmp.path().join("kustomization.yaml"), "").unwrap();
        assert!(find_kustomization_file(tmp.path()).is_ok());
        std::fs::write(tmp.path().join("Kustomization"), "").unwrap();
        let err = find_kustomization_file(tmp.path()).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::MultipleKustomizations { .. }));
    }
}
