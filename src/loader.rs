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

    /// `relative` against the root, `.` and `..` resolved lexically (see
    /// [`clean_join`]); symlinks not followed yet.
    pub fn join(&self, relative: &str) -> PathBuf {
        clean_join(&self.root, relative)
    }

    /// The path of `relative` against the root, symlinks resolved, checked
    /// against the load restrictor.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf> {
        let joined = self.join(relative);
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
        let bytes = read_file(&path)?;
        Ok((path, bytes))
    }

    /// Reads a UTF-8 text file under the restrictor.
    pub fn read_text(&self, relative: &str) -> Result<(PathBuf, String)> {
        let (path, bytes) = self.read_bytes(relative)?;
        let text = utf8(&path, bytes)?;
        Ok((path, text))
    }

    /// The kustomization file of this directory. It is under the load
    /// restrictor too: a symlink to a file outside the root is refused.
    pub fn kustomization_file(&self) -> Result<PathBuf> {
        let file = find_kustomization_file(&self.root)?;
        if let Some(name) = file.file_name().and_then(|name| name.to_str()) {
            self.resolve(name)?;
        }
        Ok(file)
    }
}

/// `relative` against `base` as Go's `filepath.Join` makes it, which
/// kustomize does before following any symlink: `.` and `..` are resolved
/// lexically, so `a/../r.yaml` is `r.yaml` even where `a` is a symlink
/// elsewhere, `nosuch/../r.yaml` is `r.yaml` too, and `r.yaml/` names the
/// file `r.yaml`. An absolute
/// `relative` replaces `base`.
pub fn clean_join(base: &Path, relative: &str) -> PathBuf {
    use std::path::Component;
    let mut cleaned = PathBuf::new();
    for component in base.join(relative).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let at_start = matches!(
                    cleaned.components().next_back(),
                    None | Some(Component::ParentDir)
                );
                if at_start {
                    cleaned.push("..");
                } else if !matches!(
                    cleaned.components().next_back(),
                    Some(Component::RootDir | Component::Prefix(_))
                ) {
                    cleaned.pop();
                }
            }
            other => cleaned.push(other),
        }
    }
    if cleaned.as_os_str().is_empty() {
        cleaned.push(".");
    }
    cleaned
}

/// The largest file rustomize reads, far above any real manifest: a guard
/// against device files and runaway generated files.
pub const MAX_FILE_SIZE: u64 = 256 << 20;

/// Reads a regular file of at most [`MAX_FILE_SIZE`] bytes. FIFOs, devices
/// (`/dev/zero`) and directories are refused before they are opened, since
/// opening a FIFO blocks.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let refuse = |message: String| Error::io(path, std::io::Error::other(message));
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if metadata.is_dir() {
        return Err(refuse(String::from("is a directory, not a file")));
    }
    if !metadata.is_file() {
        return Err(refuse(String::from("not a regular file")));
    }
    let too_big = || refuse(format!("larger than {} MiB", MAX_FILE_SIZE >> 20));
    if metadata.len() > MAX_FILE_SIZE {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file with [`read_file`]'s checks.
pub fn read_file_text(path: &Path) -> Result<String> {
    utf8(path, read_file(path)?)
}

/// The text of a YAML file: UTF-8, or UTF-16 with a byte order mark, which
/// kustomize's YAML reader decodes too (a UTF-8 BOM is left to the parser).
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    let invalid = |message: &str| {
        Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_string()),
        )
    };
    let from_bytes: fn([u8; 2]) -> u16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => u16::from_le_bytes,
        Some([0xFE, 0xFF]) => u16::from_be_bytes,
        _ => return String::from_utf8(bytes).map_err(|_| invalid("file is not UTF-8 text")),
    };
    let units = bytes[2..]
        .chunks(2)
        .map(|pair| <[u8; 2]>::try_from(pair).map(from_bytes));
    let units: std::result::Result<Vec<u16>, _> = units.collect();
    let text = units
        .ok()
        .and_then(|units| String::from_utf16(&units).ok())
        .ok_or_else(|| invalid("file is not valid UTF-16 text"))?;
    Ok(first_document(&text).to_string())
}

/// kustomize splits a resource file into documents before decoding it, so a
/// UTF-16 file stays one piece, of which it reads the first document only.
fn first_document(text: &str) -> &str {
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let marker = line.strip_prefix("---");
        if number > 0
            && marker
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
        {
            return &text[..offset];
        }
        offset += line.len();
    }
    text
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

    #[cfg(unix)]
    #[test]
    fn the_kustomization_file_is_under_the_restrictor() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(tmp.path().join("k.yaml"), "resources: []\n").unwrap();
        std::os::unix::fs::symlink("../k.yaml", root.join("kustomization.yaml")).unwrap();
        let err = Loader::new(&root, LoadRestrictor::RootOnly)
            .unwrap()
            .kustomization_file()
            .unwrap_err();
        assert!(matches!(err.kind, ErrorKind::OutsideRoot { .. }), "{err}");
        let open = Loader::new(&root, LoadRestrictor::None).unwrap();
        assert_eq!(
            open.kustomization_file().unwrap(),
            open.root().join("kustomization.yaml")
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read() {
        let tmp = tempfile::tempdir().unwrap();
        let open = Loader::new(tmp.path(), LoadRestrictor::None).unwrap();
        let err = open.read_bytes("/dev/zero").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let err = open.read_bytes(".").unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
        let fifo = tmp.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            let err = open.read_bytes("fifo").unwrap_err();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
    }

    #[test]
    fn joins_clean_dot_dot_before_symlinks() {
        let base = Path::new("/k/root");
        assert_eq!(clean_join(base, "a/../r.yaml"), Path::new("/k/root/r.yaml"));
        assert_eq!(clean_join(base, "./x/./y"), Path::new("/k/root/x/y"));
        assert_eq!(clean_join(base, "../../../up"), Path::new("/up"));
        assert_eq!(clean_join(base, "/abs/../f"), Path::new("/f"));
        assert_eq!(clean_join(Path::new("rel"), "../../x"), Path::new("../x"));
        assert_eq!(clean_join(Path::new("rel"), ".."), Path::new("."));
        // `r.yaml/` names the file `r.yaml`.
        assert_eq!(clean_join(base, "r.yaml/"), Path::new("/k/root/r.yaml"));
        assert_eq!(
            clean_join(base, "a/r.yaml//./"),
            Path::new("/k/root/a/r.yaml")
        );
        assert_eq!(clean_join(base, "./"), Path::new("/k/root"));
    }

    #[cfg(unix)]
    #[test]
    fn dot_dot_after_a_symlink_is_lexical() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir_all(tmp.path().join("other")).unwrap();
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("r.yaml"), "in: root\n").unwrap();
        std::os::unix::fs::symlink("../other", root.join("a")).unwrap();
        for restrictor in [LoadRestrictor::RootOnly, LoadRestrictor::None] {
            let loader = Loader::new(&root, restrictor).unwrap();
            assert_eq!(loader.read_text("a/../r.yaml").unwrap().1, "in: root\n");
            assert_eq!(
                loader.read_text("nosuch/../r.yaml").unwrap().1,
                "in: root\n"
            );
        }
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
