//! Rendering a whole GitOps repository: find the root kustomizations, build
//! them in parallel through one [`BuildCache`], and write (or check) one tree
//! of files, each byte-identical to `rustomize build ROOT`.

use crate::build::{BuildOptions, Output, build_with_cache};
use crate::cache::BuildCache;
use crate::cli::output::directory_files;
use crate::error::{Error, ErrorKind, Result};
use crate::loader::find_kustomization_file;
use crate::yaml::node::Node;
use crate::yaml::parse::parse_kustomization;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// A kustomization directory that no other kustomization found uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// The directory, as reachable from the working directory.
    pub dir: PathBuf,
    /// Where its output goes, relative to OUTDIR, without the extension.
    pub name: PathBuf,
}

/// The roots under each path: a kustomization directory is its own root
/// (named after the directory); any other directory is searched for
/// kustomizations that no kustomization under it lists in `resources`,
/// `bases` or `components` (and that are not components themselves).
pub fn discover_roots(paths: &[PathBuf]) -> Result<Vec<Root>> {
    let mut roots: Vec<Root> = Vec::new();
    for path in paths {
        if !path.is_dir() {
            return Err(Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            ));
        }
        let found = if find_kustomization_file(path).is_ok() {
            let canonical = path.canonicalize().map_err(|e| Error::io(path, e))?;
            let name = canonical.file_name().map(PathBuf::from).unwrap_or_default();
            vec![Root {
                dir: path.clone(),
                name,
            }]
        } else {
            roots_below(path)?
        };
        if found.is_empty() {
            return Err(Error::new(ErrorKind::NoKustomization { dir: path.clone() }));
        }
        for root in found {
            if let Some(other) = roots.iter().find(|r| r.name == root.name) {
                return Err(Error::new(ErrorKind::Usage {
                    message: format!(
                        "roots '{}' and '{}' would both be written to {}.yaml",
                        other.dir.display(),
                        root.dir.display(),
                        root.name.display()
                    ),
                }));
            }
            roots.push(root);
        }
    }
    Ok(roots)
}

fn roots_below(top: &Path) -> Result<Vec<Root>> {
    let mut candidates = Vec::new();
    let mut used = HashSet::new();
    let walker = walkdir::WalkDir::new(top)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(top).to_path_buf();
            Error::io(&path, e.into())
        })?;
        if !entry.file_type().is_dir() {
            continue;
        }
        let dir = entry.path();
        let Ok(file) = find_kustomization_file(dir) else {
            continue;
        };
        // Unreadable or malformed kustomizations stay candidates: building
        // them reports the error with its file and line.
        let node = std::fs::read_to_string(&file)
            .ok()
            .and_then(|text| parse_kustomization(&text).ok())
            .unwrap_or(Node::NULL);
        if node.str_at(&["kind"]) == Some("Component") {
            continue;
        }
        for field in ["resources", "bases", "components"] {
            for entry in node.get(field).and_then(Node::as_seq).into_iter().flatten() {
                if let Some(target) = entry.as_str().and_then(|e| dir.join(e).canonicalize().ok()) {
                    used.insert(target);
                }
            }
        }
        let canonical = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
        let name = dir.strip_prefix(top).unwrap_or(dir).to_path_buf();
        candidates.push((
            canonical,
            Root {
                dir: dir.to_path_buf(),
                name,
            },
        ));
    }
    Ok(candidates
        .into_iter()
        .filter(|(canonical, _)| !used.contains(canonical))
        .map(|(_, root)| root)
        .collect())
}

/// Stack of each thread that builds roots: builds recurse over YAML nesting
/// and chains of bases, as on the `build` command's thread. Pages are only
/// touched when used.
const ROOT_STACK_SIZE: usize = 1 << 30;

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub build: BuildOptions,
    /// One file per object under `<root>/`, named as `kustomize build -o DIR` names them.
    pub split: bool,
    /// Roots built at once; 0 = one per core.
    pub jobs: usize,
}

/// Every root rendered: the files to write, relative to OUTDIR.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: BTreeMap<PathBuf, String>,
    pub roots: usize,
    pub resources: usize,
    /// Deprecation warnings, each once.
    pub warnings: Vec<String>,
}

impl Rendered {
    pub fn bytes(&self) -> usize {
        self.files.values().map(String::len).sum()
    }
}

/// Builds every root (in parallel, sharing built bases) and lays out the
/// files. `on_root_done` is called as each root finishes. The first root (in
/// the given order) that fails fails the whole render.
pub fn render(
    roots: &[Root],
    options: &RenderOptions,
    on_root_done: &(dyn Fn(&Root) + Sync),
) -> Result<Rendered> {
    let cache = BuildCache::new();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .stack_size(ROOT_STACK_SIZE)
        .build()
        .map_err(|e| Error::io(Path::new("<threads>"), std::io::Error::other(e)))?;
    let outputs: Vec<Result<Output>> = pool.install(|| {
        roots
            .par_iter()
            .map(|root| {
                let output = build_with_cache(&root.dir, &options.build, Some(&cache));
                on_root_done(root);
                output
            })
            .collect()
    });
    let mut rendered = Rendered::default();
    for (root, output) in roots.iter().zip(outputs) {
        let in_root = |error: Error| match root
            .dir
            .canonicalize()
            .map_err(|e| Error::io(&root.dir, e))
            .and_then(|dir| find_kustomization_file(&dir))
        {
            Ok(file) => error.in_kustomization(&file),
            Err(_) => error,
        };
        let output = output.map_err(in_root)?;
        for warning in &output.warnings {
            if !rendered.warnings.contains(warning) {
                rendered.warnings.push(warning.clone());
            }
        }
        rendered.roots += 1;
        rendered.resources += output.resources.len();
        if options.split {
            let files = directory_files(&output, &root.name).map_err(in_root)?;
            for (name, text) in files {
                rendered.files.insert(root.name.join(name), text);
            }
        } else {
            let mut path = root.name.clone().into_os_string();
            path.push(".yaml");
            rendered
                .files
                .insert(path.into(), output.to_yaml().map_err(in_root)?);
        }
    }
    Ok(rendered)
}

/// Replaces `outdir` with exactly `files`: they are written to a temporary
/// directory beside it, which is then renamed into place, so `outdir` is
/// never half-written. (The old tree is moved aside first and restored if
/// the second rename fails: POSIX has no portable swap of two directories.)
pub fn write_tree(outdir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<()> {
    let name = outdir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::new(ErrorKind::Usage {
                message: format!("'{}' cannot be an output directory", outdir.display()),
            })
        })?;
    let parent = outdir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if outdir.exists() && !outdir.is_dir() {
        return Err(Error::io(
            outdir,
            std::io::Error::other("exists and is not a directory"),
        ));
    }
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let pid = std::process::id();
    let temp = parent.join(format!(".{name}.rustomize-tmp-{pid}"));
    let old = parent.join(format!(".{name}.rustomize-old-{pid}"));
    let written = write_files(&temp, files);
    if let Err(error) = written {
        let _ = std::fs::remove_dir_all(&temp);
        return Err(error);
    }
    if outdir.exists() {
        if let Err(e) = std::fs::rename(outdir, &old) {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(Error::io(outdir, e));
        }
        if let Err(e) = std::fs::rename(&temp, outdir) {
            let _ = std::fs::rename(&old, outdir);
            let _ = std::fs::remove_dir_all(&temp);
            return Err(Error::io(outdir, e));
        }
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))
    } else {
        std::fs::rename(&temp, outdir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&temp);
            Error::io(outdir, e)
        })
    }
}

fn write_files(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (relative, text) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// How an existing OUTDIR differs from what render would write.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Files whose content differs, with a short unified diff (committed → rendered).
    pub stale: Vec<(PathBuf, String)>,
    /// Files render would write that are absent.
    pub missing: Vec<PathBuf>,
    /// Files present that render would not write.
    pub extra: Vec<PathBuf>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Lines of diff shown per stale file.
const SHORT_DIFF_LINES: usize = 20;

/// Compares `outdir` with `files` without writing anything.
pub fn check_tree(outdir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<CheckReport> {
    let mut present = BTreeMap::new();
    if outdir.is_dir() {
        for entry in walkdir::WalkDir::new(outdir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(outdir).to_path_buf();
                Error::io(&path, e.into())
            })?;
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(outdir).unwrap_or(entry.path());
                present.insert(relative.to_path_buf(), entry.path().to_path_buf());
            }
        }
    }
    let mut report = CheckReport::default();
    for (relative, expected) in files {
        let Some(path) = present.remove(relative) else {
            report.missing.push(relative.clone());
            continue;
        };
        let actual = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        if actual != expected.as_bytes() {
            let actual = String::from_utf8_lossy(&actual);
            report
                .stale
                .push((relative.clone(), short_diff(&actual, expected)));
        }
    }
    report.extra = present.into_keys().collect();
    Ok(report)
}

fn short_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(1)
        .header("committed", "rendered")
        .to_string();
    let lines: Vec<&str> = diff.lines().collect();
    let mut text = lines
        .iter()
        .take(SHORT_DIFF_LINES)
        .fold(String::new(), |text, line| text + line + "\n");
    if lines.len() > SHORT_DIFF_LINES {
        text.push_str(&format!(
            "… {} more diff lines\n",
            lines.len() - SHORT_DIFF_LINES
        ));
    }
    text
}
