//! Writing a build's output: `build -o FILE|DIR` and stdout.
//!
//! Files are written whole or not at all: into a fresh temporary file (created
//! exclusively, in the target's own directory) that is renamed over the
//! target. Concurrent builds to one file all succeed (the last rename wins),
//! a failure (a full disk) leaves nothing behind, and an existing file keeps
//! its permissions (output holds Secrets: 0600 stays 0600).

use super::print_stdout;
use crate::build::Output;
use crate::error::{Error, Result};
use crate::resource::Resource;
use crate::schema::Schema;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a successful build goes: stdout, a file, or one file per object in a directory.
pub fn write_output(output: &Output, destination: Option<&Path>) -> Result<()> {
    match destination {
        None => print_stdout(&output.to_yaml()?),
        Some(path) if path.is_dir() => write_directory(output, path),
        Some(path) => write_file_atomically(path, &output.to_yaml()?),
    }
}

/// Writes `text` to `path` through a temporary file and a rename. A symlink
/// at `path` is written through, as kustomize does; a device or FIFO
/// (`/dev/stdout`) is written directly. Messages name the real target, never
/// the temporary file.
pub fn write_file_atomically(path: &Path, text: &str) -> Result<()> {
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|meta| !meta.is_file()) {
        return std::fs::write(path, text).map_err(|e| Error::io(path, e));
    }
    let target = match existing {
        Some(_) => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        None => follow_dangling_symlinks(path),
    };
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let io = |e: std::io::Error| Error::io(&target, without_temporary_path(e));
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".rustomize-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666 less the umask, as kustomize creates files.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(io)?;
    // An existing file keeps its mode.
    if let Some(existing) = existing {
        temp.as_file()
            .set_permissions(existing.permissions())
            .map_err(io)?;
    }
    let file = temp.as_file_mut();
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    // On failure the temporary file is dropped, which deletes it.
    temp.persist(&target).map_err(|e| io(e.error))?;
    Ok(())
}

/// The tempfile crate adds the temporary file's path to its errors (" at
/// path …"); the user asked for the target, which the message names instead.
fn without_temporary_path(error: std::io::Error) -> std::io::Error {
    let text = error.to_string();
    match text.find(" at path ") {
        Some(at) => std::io::Error::new(error.kind(), &text[..at]),
        None => error,
    }
}

/// The file a path that does not exist yet will be: a dangling symlink is
/// followed (writing creates its target). Loops leave the path as it is.
fn follow_dangling_symlinks(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let Ok(link) = std::fs::read_link(&current) else {
            return current;
        };
        current = match current.parent() {
            Some(parent) => parent.join(link),
            None => link,
        };
    }
    path.to_path_buf()
}

/// One file per object, named `[namespace_][group_]version_kind_name.yaml` in
/// lower case, as `kustomize build -o DIR` names them (the namespace only when
/// the objects are in more than one). Names that would leave DIR or collide
/// are refused before anything is written.
fn write_directory(output: &Output, dir: &Path) -> Result<()> {
    for (name, text) in directory_files(output, dir)? {
        write_file_atomically(&dir.join(name), &text)?;
    }
    Ok(())
}

/// The files `write_directory` writes, by name (`render --split` lays out
/// each root the same way); `dir` only names the target in errors.
pub(crate) fn directory_files(output: &Output, dir: &Path) -> Result<BTreeMap<String, String>> {
    let schema = output.schema();
    let namespace_of = |resource| effective_namespace(resource, &schema);
    let namespaces: HashSet<String> = output.resources.iter().filter_map(namespace_of).collect();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for resource in &output.resources {
        let mut name = object_file_name(resource);
        if let Some(namespace) = namespace_of(resource).filter(|_| namespaces.len() > 1) {
            name = format!("{}_{name}", namespace.to_lowercase());
        }
        if name.contains(['/', '\\', '\0']) {
            return Err(Error::transform(format!(
                "cannot write {} to {}: the file name '{name}' would not be inside it",
                resource.gvk().kind,
                dir.display()
            )));
        }
        let single = Output {
            resources: vec![resource.clone()],
            warnings: Vec::new(),
            schema: output.schema.clone(),
        };
        if files.insert(name.clone(), single.to_yaml()?).is_some() {
            return Err(Error::transform(format!(
                "cannot write to {}: two objects would both be written to '{name}'",
                dir.display()
            )));
        }
    }
    Ok(files)
}

/// The namespace kustomize groups an object's file by: none for cluster-scoped
/// kinds, `default` for an empty one.
fn effective_namespace(resource: &Resource, schema: &Schema) -> Option<String> {
    if schema.is_cluster_scoped(&resource.gvk()) {
        None
    } else if resource.namespace().is_empty() {
        Some(String::from("default"))
    } else {
        Some(resource.namespace().into_owned())
    }
}

/// `[group_]version_kind_name.yaml` in lower case, as `kustomize build -o DIR` names files.
pub fn object_file_name(resource: &Resource) -> String {
    let gvk = resource.gvk();
    let parts: Vec<&str> = [gvk.group.as_str(), gvk.version.as_str(), gvk.kind.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
    format!("{}_{}.yaml", parts.join("_"), resource.name()).to_lowercase()
}
