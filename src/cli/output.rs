//! Writing a build's output: `build -o FILE|DIR` and stdout.

use super::print_stdout;
use crate::build::Output;
use crate::error::{Error, Result};
use crate::resource::Resource;
use std::path::Path;

/// Where a successful build goes: stdout, a file, or one file per object in a directory.
pub fn write_output(output: &Output, destination: Option<&Path>) -> Result<()> {
    match destination {
        None => print_stdout(&output.to_yaml()?),
        Some(path) if path.is_dir() => write_directory(output, path),
        Some(path) => write_file_atomically(path, &output.to_yaml()?),
    }
}

/// Writes via a temporary file and a rename, so a failure leaves no half file.
fn write_file_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.rustomize-tmp"));
    std::fs::write(&temp, text).map_err(|e| Error::io(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io(path, e)
    })
}

/// One file per object, named `[group_]version_kind_name.yaml` in lower case, as kustomize does.
fn write_directory(output: &Output, dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    for resource in &output.resources {
        let single = Output {
            resources: vec![resource.clone()],
            warnings: Vec::new(),
        };
        files.push((dir.join(object_file_name(resource)), single.to_yaml()?));
    }
    for (path, text) in files {
        write_file_atomically(&path, &text)?;
    }
    Ok(())
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
