//! The bad-input corpus (`tests/bad-input/*/`, see its README): every case
//! fails with exit code 1 (never a panic's 101), prints nothing on stdout,
//! and prints exactly the stderr recorded in its `expected` file. Where
//! kustomize's exit code differs, the case explains why in `differs.md`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("in").is_dir())
        .collect();
    cases.sort();
    cases
}

/// The exit code and stderr of one case, paths made independent of where
/// the repository is.
fn run(case: &Path) -> (i32, Vec<u8>, String) {
    let args: Vec<String> = std::fs::read_to_string(case.join("args"))
        .map(|text| text.lines().map(String::from).collect())
        .unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_rustomize"))
        .arg("build")
        .arg("in")
        .args(&args)
        .current_dir(case)
        .output()
        .unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .unwrap();
    let case_dir = case.canonicalize().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr)
        .replace(case_dir.to_str().unwrap(), "$CASE")
        .replace(repo.to_str().unwrap(), "$REPO");
    (out.status.code().unwrap_or(-1), out.stdout, stderr)
}

fn exit_code_line(text: &str) -> Option<i32> {
    text.lines().next()?.strip_prefix("exit: ")?.parse().ok()
}

#[test]
fn bad_input_corpus() {
    let update = std::env::var_os("UPDATE_BAD_INPUT").is_some();
    let cases = cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (code, stdout, stderr) = run(case);
        let actual = format!("exit: {code}\n{stderr}");
        if update {
            std::fs::write(case.join("expected"), &actual).unwrap();
        }
        let expected = std::fs::read_to_string(case.join("expected")).unwrap_or_default();
        if actual != expected {
            failures.push(format!("{name}: expected\n{expected}\ngot\n{actual}"));
        }
        if code != 1 || !stdout.is_empty() {
            failures.push(format!(
                "{name}: exit code {code}, {} bytes on stdout",
                stdout.len()
            ));
        }
        let kustomize = std::fs::read_to_string(case.join("kustomize")).unwrap_or_default();
        let explained = case.join("differs.md").is_file();
        if exit_code_line(&kustomize) != Some(code) && !explained {
            failures.push(format!(
                "{name}: kustomize's exit code differs, without differs.md"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
