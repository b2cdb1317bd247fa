//! A whole build over a small generated tree: the input is split at lines
//! `=== NAME` into files (`kustomization.yaml`, `base/kustomization.yaml`,
//! resources, patches...). The build gives output or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustomize::{BuildOptions, build};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut name = String::from("kustomization.yaml");
    let mut content = String::new();
    let mut files = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(next) = line.strip_prefix("=== ") {
            files.push((std::mem::take(&mut name), std::mem::take(&mut content)));
            name = next.trim().to_string();
        } else {
            content.push_str(line);
        }
    }
    files.push((name, content));
    for (name, content) in files {
        // Only plain relative names inside the tree.
        let safe = !name.is_empty()
            && name.split('/').all(|part| {
                !part.is_empty() && part != "." && part != ".." && part.len() < 40
            });
        if !safe || files_limit_reached(dir.path()) {
            continue;
        }
        let path = dir.path().join(&name);
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

fn files_limit_reached(dir: &std::path::Path) -> bool {
    walk_count(dir) > 32
}

fn walk_count(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        1 + walk_count(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
