//! Black-box tests of the `rustomize` binary: flags, exit codes, error messages.

use std::path::Path;
use std::process::{Command, Output};

fn rustomize(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rustomize"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run rustomize")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `files` (relative path, content) under a fresh temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Asserts a failed build: exit code 1, nothing on stdout, and every fragment on stderr.
fn assert_fails(out: &Output, fragments: &[&str]) {
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(out));
    assert!(
        out.stdout.is_empty(),
        "stdout must be empty: {}",
        stdout(out)
    );
    let err = stderr(out);
    for fragment in fragments {
        assert!(err.contains(fragment), "missing {fragment:?} in: {err}");
    }
}

const CONFIG_MAP: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n";

#[test]
fn version_starts_with_the_compatible_kustomize_version() {
    let out = rustomize(&["version", "--short"], Path::new("."));
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("v5.6.0 "), "{}", stdout(&out));
    let out = rustomize(&["version"], Path::new("."));
    assert!(stdout(&out).starts_with("v5.6.0 "));
}

#[test]
fn builds_a_directory_to_stdout() {
    let dir = tree(&[
        (
            "kustomization.yaml",
            "resources: [cm.yaml]\nnamePrefix: dev-\n",
        ),
        ("cm.yaml", CONFIG_MAP),
    ]);
    let out = rustomize(&["build", "."], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "apiVersion: v1\ndata:\n  level: info\nkind: ConfigMap\nmetadata:\n  name: dev-settings\n"
    );
}

#[test]
fn dir_defaults_to_current_directory() {
    let dir = tree(&[
        ("kustomization.yaml", "resources: [cm.yaml]\n"),
        ("cm.yaml", CONFIG_MAP),
    ]);
    let out = rustomize(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("name: settings"));
}

#[test]
fn output_flag_writes_a_file_or_one_file_per_object() {
    let dir = tree(&[
        ("kustomization.yaml", "resources: [cm.yaml, svc.yaml]\n"),
        ("cm.yaml", CONFIG_MAP),
        (
            "svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        ),
    ]);
    let out = rustomize(&["build", ".", "-o", "all.yaml"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let all = std::fs::read_to_string(dir.path().join("all.yaml")).unwrap();
    assert!(all.contains("---\n"));

    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = rustomize(&["build", ".", "--output", "out"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("out/v1_configmap_settings.yaml").is_file());
    assert!(dir.path().join("out/v1_service_web.yaml").is_file());
}

#[test]
fn reorder_none_keeps_accumulation_order() {
    let dir = tree(&[
        ("kustomization.yaml", "resources: [svc.yaml, cm.yaml]\n"),
        ("cm.yaml", CONFIG_MAP),
        (
            "svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
        ),
    ]);
    let legacy = stdout(&rustomize(&["build", "."], dir.path()));
    assert!(legacy.starts_with("apiVersion: v1\ndata:"), "{legacy}");
    let none = stdout(&rustomize(&["build", ".", "--reorder", "none"], dir.path()));
    assert!(none.starts_with("apiVersion: v1\nkind: Service"), "{none}");
}

#[test]
fn missing_directory_fails_cleanly() {
    let dir = tree(&[]);
    let out = rustomize(&["build", "nope"], dir.path());
    assert_fails(&out, &["nope"]);
}

#[test]
fn directory_without_kustomization_fails() {
    let dir = tree(&[("cm.yaml", CONFIG_MAP)]);
    let out = rustomize(&["build", "."], dir.path());
    assert_fails(&out, &["unable to find one of 'kustomization.yaml'"]);
}

#[test]
fn malformed_yaml_names_file_line_and_chain() {
    let dir = tree(&[
        ("overlay/kustomization.yaml", "resources: [../base]\n"),
        ("base/kustomization.yaml", "resources: [bad.yaml]\n"),
        (
            "base/bad.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n",
        ),
    ]);
    let out = rustomize(&["build", "overlay"], dir.path());
    assert_fails(
        &out,
        &[
            "bad.yaml:5:",
            "malformed YAML",
            "base/kustomization.yaml",
            "overlay/kustomization.yaml",
        ],
    );
}

#[test]
fn unknown_kustomization_field_is_rejected() {
    let dir = tree(&[("kustomization.yaml", "resources: []\nnamprefix: x-\n")]);
    let out = rustomize(&["build", "."], dir.path());
    assert_fails(&out, &["unknown field \"namprefix\"", "kustomization.yaml"]);
}

#[test]
fn wrong_field_type_is_rejected() {
    let dir = tree(&[("kustomization.yaml", "namePrefix: [a]\n")]);
    let out = rustomize(&["build", "."], dir.path());
    assert_fails(&out, &["cannot unmarshal array", "namePrefix"]);
}

#[test]
fn cycles_are_detected() {
    let dir = tree(&[
        ("a/kustomization.yaml", "resources: [../b]\n"),
        ("b/kustomization.yaml", "resources: [../a]\n"),
    ]);
    let out = rustomize(&["build", "a"], dir.path());
    assert_fails(&out, &["cycle detected"]);
}

#[test]
fn files_outside_the_root_need_the_restrictor_lifted() {
    let dir = tree(&[
        ("app/kustomization.yaml", "resources: [../cm.yaml]\n"),
        ("cm.yaml", CONFIG_MAP),
    ]);
    let out = rustomize(&["build", "app"], dir.path());
    assert_fails(&out, &["is not in or below"]);
    let out = rustomize(
        &["build", "app", "--load-restrictor", "LoadRestrictionsNone"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn symlinks_cannot_escape_the_root() {
    let dir = tree(&[
        ("app/kustomization.yaml", "resources: [link.yaml]\n"),
        ("cm.yaml", CONFIG_MAP),
    ]);
    std::os::unix::fs::symlink(dir.path().join("cm.yaml"), dir.path().join("app/link.yaml"))
        .unwrap();
    let out = rustomize(&["build", "app"], dir.path());
    assert_fails(&out, &["is not in or below"]);
}

#[test]
fn duplicate_ids_are_rejected() {
    let dir = tree(&[
        ("kustomization.yaml", "resources: [a.yaml, b.yaml]\n"),
        ("a.yaml", CONFIG_MAP),
        ("b.yaml", CONFIG_MAP),
    ]);
    let out = rustomize(&["build", "."], dir.path());
    assert_fails(
        &out,
        &["already registered id", "ConfigMap.v1.[noGrp]/settings"],
    );
}

#[test]
fn alias_bombs_are_stopped() {
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let dir = tree(&[
        ("kustomization.yaml", "resources: [bomb.yaml]\n"),
        ("bomb.yaml", &bomb),
    ]);
    let out = rustomize(&["build", "."], dir.path());
    assert_fails(&out, &["excessive aliasing", "bomb.yaml"]);
}

#[test]
fn objects_need_kind_and_name() {
    let dir = tree(&[
        ("kustomization.yaml", "resources: [x.yaml]\n"),
        ("x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"),
    ]);
    let out = rustomize(&["build", "."], dir.path());
    assert_fails(&out, &["missing metadata.name", "x.yaml"]);
}

#[test]
fn flags_of_missing_features_say_so() {
    let dir = tree(&[("kustomization.yaml", "resources: []\n")]);
    let out = rustomize(&["build", ".", "--enable-helm"], dir.path());
    assert_fails(&out, &["--enable-helm", "not supported by rustomize yet"]);
}

#[test]
fn helm_charts_fail_as_in_kustomize() {
    let dir = tree(&[("kustomization.yaml", "helmCharts:\n- name: minecraft\n")]);
    let out = rustomize(&["build", "."], dir.path());
    assert_fails(
        &out,
        &[
            "trouble configuring builtin HelmChartInflationGenerator with config: `\nname: minecraft\n`: must specify --enable-helm",
        ],
    );
}

#[test]
fn failed_output_file_is_never_half_written() {
    let dir = tree(&[("kustomization.yaml", "resources: [missing.yaml]\n")]);
    let out = rustomize(&["build", ".", "-o", "out.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("out.yaml").exists());
}

#[test]
fn builds_are_deterministic() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("overlays/prod");
    let first = rustomize(&["build", example.to_str().unwrap()], Path::new("."));
    assert!(first.status.success(), "{}", stderr(&first));
    for _ in 0..3 {
        let again = rustomize(&["build", example.to_str().unwrap()], Path::new("."));
        assert_eq!(first.stdout, again.stdout);
    }
}
