//! Builds every fixture under `tests/fixtures/{components,transformers,generators,replacements,vars,configurations,crds,openapi,sort_options,build_metadata}/` and compares
//! with what kustomize v5.6.0 printed for it: `expected.yaml` (the output) or
//! `expected.err` (its error). A fixture builds `in/`, or `in/overlay` when
//! `in/` has no kustomization.
//!
//! Error messages are compared by their substance: kustomize's `error: `
//! prefix and its warnings are dropped, a dump of node contents (YAML styles rustomize does not
//! keep) is cut off, and the configuration echo of "trouble configuring"
//! messages and the accumulation chain are skipped. Comparison ignores ASCII case ("invalid
//! Kustomization" vs. rustomize's "invalid kustomization").

use rustomize::{BuildOptions, Reorder, build};
use std::path::Path;

fn essential(oracle: &str) -> String {
    let text: Vec<&str> = oracle
        .lines()
        .filter(|l| !l.starts_with("# Warning:") && !is_klog_line(l))
        .collect();
    let text = text.join("\n");
    let text = text.trim_end();
    let text = text.strip_prefix("error: ").unwrap_or(text);
    let text = text.strip_prefix("Error: ").unwrap_or(text);
    let text = match text.find("node contents:") {
        Some(i) => &text[..i + "node contents:".len()],
        None => text,
    };
    // A merge conflict message echoes the whole configuration first.
    let text = match text.find("failed to merge ") {
        Some(i) => &text[i..],
        None => text,
    };
    let text = if text.starts_with("trouble configuring") {
        text.rsplit("`: ").next().unwrap_or(text)
    } else if text.starts_with("accumulating resources") {
        text.rsplit("': ").next().unwrap_or(text)
    } else {
        text
    };
    text.to_ascii_lowercase()
}

fn run_category(category: &str, minimum: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(category);
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= minimum,
        "only {} {category} fixtures",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut dir = case.join("in");
        if !dir.join("kustomization.yaml").exists() {
            dir = dir.join("overlay");
        }
        let mut options = BuildOptions::default();
        // `reorder` holds the `--reorder` flag a case is built with.
        if let Ok(flag) = std::fs::read_to_string(case.join("reorder")) {
            options.reorder = match flag.trim() {
                "none" => Reorder::None,
                _ => Reorder::Legacy,
            };
        }
        let result = build(&dir, &options);
        let expected_out = std::fs::read_to_string(case.join("expected.yaml")).ok();
        let expected_err = std::fs::read_to_string(case.join("expected.err")).ok();
        match (result, expected_out, expected_err) {
            (Ok(output), Some(expected), _) => {
                let actual = output.to_yaml().unwrap();
                if actual != expected {
                    failures.push(format!(
                        "{name}: output differs\n--- expected\n{expected}--- actual\n{actual}"
                    ));
                }
            }
            // kustomize wraps some errors in layers of its call stack; a
            // fixture then names the part both messages must contain.
            (Err(error), _, Some(expected)) if case.join("error-fragment").exists() => {
                let fragment = std::fs::read_to_string(case.join("error-fragment")).unwrap();
                let got = error.kind.to_string();
                if !expected.contains(&fragment) || !got.contains(&fragment) {
                    failures.push(format!(
                        "{name}: error lacks {fragment:?}\n  kustomize: {expected}  rustomize: {got}"
                    ));
                }
            }
            (Err(error), _, Some(expected)) => {
                let got = error.kind.to_string().to_ascii_lowercase();
                // Where kustomize's wording depends on the machine (absolute
                // paths, Go's file-system messages), `rustomize.err` lists
                // what rustomize's message must contain instead.
                let own = std::fs::read_to_string(case.join("rustomize.err")).ok();
                let wants: Vec<String> = match &own {
                    Some(lines) => lines.lines().map(str::to_ascii_lowercase).collect(),
                    None => vec![essential(&expected)],
                };
                if let Some(want) = wants.iter().find(|want| !got.contains(want.as_str())) {
                    failures.push(format!(
                        "{name}: error differs\n  expected: {want}\n  actual:   {got}"
                    ));
                }
            }
            (Ok(_), _, Some(expected)) => {
                failures.push(format!("{name}: built, but kustomize fails: {expected}"))
            }
            (Err(error), _, _) => failures.push(format!("{name}: failed: {error}")),
            (Ok(_), None, None) => failures.push(format!("{name}: no expected file")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn components() {
    run_category("components", 10);
}

#[test]
fn transformers() {
    run_category("transformers", 10);
}

#[test]
fn generators() {
    run_category("generators", 10);
}

#[test]
fn replacements() {
    run_category("replacements", 10);
}

#[test]
fn vars() {
    run_category("vars", 10);
}

#[test]
fn configurations() {
    run_category("configurations", 10);
}

#[test]
fn crds() {
    run_category("crds", 10);
}

#[test]
fn openapi() {
    run_category("openapi", 10);
}

#[test]
fn build_metadata() {
    run_category("build_metadata", 10);
}

#[test]
fn sort_options() {
    run_category("sort_options", 10);
}

/// kustomize's info log lines (`I1129 13:33:02.624 ...`), not part of errors.
fn is_klog_line(line: &str) -> bool {
    let mut chars = line.chars();
    chars.next() == Some('I') && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// Two builds in one process, at the same time, with different `openapi`
/// schemas for the same objects and patch: neither sees the other's schema.
#[test]
fn openapi_schemas_stay_per_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi");
    let cases = [
        "path_json_merges_by_key",
        "without_schema_lists_are_replaced",
    ];
    let expected: Vec<String> = cases
        .iter()
        .map(|case| std::fs::read_to_string(root.join(case).join("expected.yaml")).unwrap())
        .collect();
    assert_ne!(
        expected[0], expected[1],
        "the schemas must make a difference"
    );
    std::thread::scope(|scope| {
        for (case, expected) in cases.iter().zip(&expected) {
            let dir = root.join(case).join("in");
            scope.spawn(move || {
                for _ in 0..20 {
                    let output = build(&dir, &BuildOptions::default()).unwrap();
                    assert_eq!(&output.to_yaml().unwrap(), expected, "{case}");
                }
            });
        }
    });
}
