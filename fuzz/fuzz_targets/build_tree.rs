//! A whole build over a small generated tree: the input is split at lines
//! `=== NAME` into files (`kustomization.yaml`, `base/kustomization.yaml`,
//! resources, patches...). The build gives output or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustomize::{BuildOptions, build};
use std::path::Path;

/// More files add little coverage and cost a write each.
const MAX_FILES: usize = 32;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = split_files(text);
    // The tree is real files (the build reads the file system in many
    // places, not only through the Loader), on tmpfs where there is one.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::Builder::new()
            .prefix("rustomize-fuzz")
            .tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        let _ = std::fs::write(&path, content);
    }
    if let Ok(output) = build(dir.path(), &BuildOptions::default()) {
        let _ = output.to_yaml();
    }
});

/// The files named in `text`, the first one `kustomization.yaml`: only plain
/// relative names inside the tree, at most [`MAX_FILES`].
fn split_files(text: &str) -> Vec<(&str, String)> {
    let mut name = "kustomization.yaml";
    let mut content = String::new();
    let mut files = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(next) = line.strip_prefix("=== ") {
            files.push((name, std::mem::take(&mut content)));
            name = next.trim();
        } else {
            content.push_str(line);
        }
    }
    files.push((name, content));
    files.retain(|(name, _)| {
        !name.is_empty()
            && name
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != ".." && part.len() < 40)
    });
    files.truncate(MAX_FILES);
    files
}
