//! Regression cases: differences from kustomize v5.6.0 found by differential
//! testing, each a small tree under `tests/regressions/<case>/`:
//!
//! - `in/`: the tree; `build_dir` names the directory to build inside it;
//! - `expected.yaml`: kustomize's exact stdout, or
//! - `expected-error.txt`: kustomize's error (rustomize must fail too, exit 1,
//!   nothing on stdout; the wording need not match), and optionally
//!   `error-fragment.txt`: text rustomize's error must contain.

use std::fs;
use std::path::Path;
use std::process::Command;

fn check(case: &Path) -> Result<(), String> {
    let build_dir = fs::read_to_string(case.join("build_dir")).map_err(|e| e.to_string())?;
    let dir = case.join("in").join(build_dir.trim());
    let out = Command::new(env!("CARGO_BIN_EXE_rustomize"))
        .arg("build")
        .arg(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Ok(expected) = fs::read_to_string(case.join("expected.yaml")) {
        if !out.status.success() {
            return Err(format!("failed: {stderr}"));
        }
        if stdout != expected {
            return Err(format!("expected:\n{expected}\nactual:\n{stdout}"));
        }
        return Ok(());
    }
    if out.status.code() != Some(1) || !stdout.is_empty() {
        return Err(format!(
            "expected exit 1 and no output, got {:?}:\n{stdout}",
            out.status.code()
        ));
    }
    if stderr.contains("panicked") || !stderr.starts_with("Error: ") {
        return Err(format!("not a clean error: {stderr}"));
    }
    if let Ok(fragment) = fs::read_to_string(case.join("error-fragment.txt"))
        && !stderr.contains(fragment.trim())
    {
        return Err(format!("missing {:?} in: {stderr}", fragment.trim()));
    }
    Ok(())
}

#[test]
fn every_regression_case_matches_kustomize() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case)
                .err()
                .map(|e| format!("{}: {e}", case.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
