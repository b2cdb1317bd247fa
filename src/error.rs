//! Typed errors: what went wrong, where (file, line), and through which
//! kustomizations the build reached that place.

use crate::yaml::parse::YamlError;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum ErrorKind {
    /// A file or directory could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Malformed YAML.
    Yaml { path: PathBuf, error: YamlError },
    /// A kustomization file with bad fields or values.
    Kustomization { path: PathBuf, message: String },
    /// A directory without a kustomization file.
    NoKustomization { dir: PathBuf },
    /// More than one of kustomization.yaml / .yml / Kustomization.
    MultipleKustomizations { dir: PathBuf, names: Vec<String> },
    /// A resources entry that cannot be found or read.
    MissingResource {
        path: PathBuf,
        source: std::io::Error,
        /// It looks like a URL or a remote repository.
        looks_remote: bool,
    },
    /// A path outside the kustomization root under the default load restrictor.
    OutsideRoot { path: PathBuf, root: PathBuf },
    /// A kustomization that includes itself, or a directory containing it,
    /// directly or through others.
    Cycle { dir: PathBuf, visited: PathBuf },
    /// An object without kind or name, or not a mapping.
    InvalidResource { path: PathBuf, message: String },
    /// Two objects with the same id.
    Conflict { message: String },
    /// A ConfigMap or Secret generator failure.
    Generator { name: String, message: String },
    /// A patch that could not be read or applied.
    Patch { source: String, message: String },
    /// A `configurations`, `crds` or `openapi` file that cannot be used, or
    /// field specs that conflict when merged.
    FieldSpecs { path: PathBuf, message: String },
    /// A transformer failure (labels, images, namespace...).
    Transform { message: String },
    /// Output that kustomize's writer would reject.
    Emit { resource: String, message: String },
    /// A flag or feature rustomize does not implement yet.
    Unsupported { what: String },
    /// Bad command-line usage.
    Usage { message: String },
}

/// An error with the chain of kustomization files that led to it (innermost first).
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub chain: Vec<PathBuf>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            chain: Vec::new(),
        }
    }

    /// Records that the error happened while building the kustomization at `path`.
    pub fn in_kustomization(mut self, path: &Path) -> Error {
        if self.chain.last().map(PathBuf::as_path) != Some(path) {
            self.chain.push(path.to_path_buf());
        }
        self
    }

    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::new(ErrorKind::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    pub fn yaml(path: &Path, error: YamlError) -> Error {
        Error::new(ErrorKind::Yaml {
            path: path.to_path_buf(),
            error,
        })
    }

    pub fn kustomization(path: &Path, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Kustomization {
            path: path.to_path_buf(),
            message: message.into(),
        })
    }

    pub fn transform(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Transform {
            message: message.into(),
        })
    }

    pub fn patch(source: impl Into<String>, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Patch {
            source: source.into(),
            message: message.into(),
        })
    }

    pub fn conflict(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Conflict {
            message: message.into(),
        })
    }

    /// A `transformers:` / `generators:` config that cannot be used.
    pub fn kustomization_plugin(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Transform {
            message: message.into(),
        })
    }

    pub fn unsupported(what: impl Into<String>) -> Error {
        Error::new(ErrorKind::Unsupported { what: what.into() })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match self {
            Io { path, source } => write!(f, "{}: {source}", path.display()),
            Yaml { path, error } => match (error.line, error.column) {
                (Some(line), Some(col)) => write!(
                    f,
                    "{}:{line}:{col}: malformed YAML: {}",
                    path.display(),
                    error.message
                ),
                (Some(line), None) => {
                    write!(
                        f,
                        "{}:{line}: malformed YAML: {}",
                        path.display(),
                        error.message
                    )
                }
                _ => write!(f, "{}: malformed YAML: {}", path.display(), error.message),
            },
            Kustomization { path, message } => {
                write!(f, "{}: invalid kustomization: {message}", path.display())
            }
            NoKustomization { dir } => write!(
                f,
                "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
                dir.display()
            ),
            MultipleKustomizations { dir, names } => write!(
                f,
                "found multiple kustomization files in '{}': {}",
                dir.display(),
                names.join(", ")
            ),
            MissingResource {
                path,
                source,
                looks_remote,
            } => {
                write!(f, "resource '{}': {source}", path.display())?;
                if *looks_remote {
                    f.write_str(" (remote resources are not supported)")?;
                }
                Ok(())
            }
            OutsideRoot { path, root } => write!(
                f,
                "security; file '{}' is not in or below '{}' (use --load-restrictor LoadRestrictionsNone to allow it)",
                path.display(),
                root.display()
            ),
            Cycle { dir, visited } if dir == visited => write!(
                f,
                "cycle detected: kustomization '{}' includes itself",
                dir.display()
            ),
            Cycle { dir, visited } => write!(
                f,
                "cycle detected: '{}' contains the kustomization '{}' that includes it",
                dir.display(),
                visited.display()
            ),
            InvalidResource { path, message } => write!(f, "{}: {message}", path.display()),
            Conflict { message } => f.write_str(message),
            Generator { name, message } => write!(f, "generator '{name}': {message}"),
            Patch { source, message } => write!(f, "patch {source}: {message}"),
            FieldSpecs { path, message } => write!(f, "{}: {message}", path.display()),
            Transform { message } => f.write_str(message),
            Emit { resource, message } => write!(f, "cannot write {resource}: {message}"),
            Unsupported { what } => write!(f, "{what} is not supported by rustomize yet"),
            Usage { message } => f.write_str(message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        for path in &self.chain {
            write!(f, "\n  in kustomization {}", path.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
