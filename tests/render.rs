//! `rustomize render` and `rustomize diff` end to end: outputs equal
//! `build` of each root, `--check` catches changes, failures leave OUTDIR
//! as it was, diff exit codes and formats.

#[path = "../examples/synthetic_repo.rs"]
#[allow(dead_code)]
mod synthetic_repo;

use rustomize::{BuildOptions, build};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rustomize(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rustomize"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run rustomize")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build_yaml(dir: &Path) -> String {
    build(dir, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .to_yaml()
        .unwrap()
}

/// Every file under `dir`, by relative path.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn generated_repo(services: usize, environments: usize) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let roots = synthetic_repo::write_repo(&dir.path().join("repo"), services, environments)
        .expect("write synthetic repo");
    (dir, roots)
}

#[test]
fn renders_the_example_like_build_of_each_root() {
    let out = tempfile::tempdir().unwrap();
    let outdir = out.path().join("rendered");
    let run = rustomize(
        &["render", "overlays", "-o", outdir.to_str().unwrap()],
        repo(),
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(run.stdout.is_empty());
    assert!(
        text(&run.stderr).contains("rendered 3 roots"),
        "{}",
        text(&run.stderr)
    );
    let tree = read_tree(&outdir);
    let names: Vec<_> = tree.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(names, ["dev.yaml", "prod.yaml", "test.yaml"]);
    for environment in ["dev", "test", "prod"] {
        let expected = build_yaml(&repo().join("overlays").join(environment));
        let actual = &tree[Path::new(&format!("{environment}.yaml"))];
        assert_eq!(text(actual), expected, "{environment}");
    }
}

#[test]
fn renders_a_generated_repo_like_build_of_each_root() {
    let (dir, roots) = generated_repo(4, 3);
    let outdir = dir.path().join("out");
    let run = rustomize(&["render", "repo", "-o", "out", "-j", "2"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let tree = read_tree(&outdir);
    // Roots only: no base, no shared platform base.
    let expected: Vec<PathBuf> = roots
        .iter()
        .map(|root| PathBuf::from(format!("{root}.yaml")))
        .collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(tree.keys().cloned().collect::<Vec<_>>(), expected_sorted);
    for (root, file) in roots.iter().zip(&expected) {
        assert_eq!(
            text(&tree[file]),
            build_yaml(&dir.path().join("repo").join(root)),
            "{root}"
        );
    }
}

#[test]
fn split_names_files_as_build_does_into_a_directory() {
    let out = tempfile::tempdir().unwrap();
    let split = out.path().join("split");
    let run = rustomize(
        &[
            "render",
            "overlays/prod",
            "--split",
            "-o",
            split.to_str().unwrap(),
        ],
        repo(),
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let by_build = out.path().join("by-build");
    std::fs::create_dir(&by_build).unwrap();
    let run = rustomize(
        &["build", "overlays/prod", "-o", by_build.to_str().unwrap()],
        repo(),
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let rendered = read_tree(&split.join("prod"));
    assert!(rendered.len() > 40, "{} files", rendered.len());
    assert_eq!(rendered, read_tree(&by_build));
}

#[test]
fn check_reports_stale_missing_and_extra_files() {
    let (dir, _) = generated_repo(2, 2);
    let render = |extra: &[&str]| {
        let mut args = vec!["render", "repo", "-o", "out"];
        args.extend_from_slice(extra);
        rustomize(&args, dir.path())
    };
    assert!(render(&[]).status.success());
    let clean = render(&["--check"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stderr));
    assert!(clean.stdout.is_empty());

    // A change to the shared base makes every root stale.
    let policy = dir.path().join("repo/platform/base/networkpolicy.yaml");
    let changed = std::fs::read_to_string(&policy)
        .unwrap()
        .replace("    - Egress\n", "");
    std::fs::write(&policy, changed).unwrap();
    std::fs::remove_file(dir.path().join("out/services/gateway/overlays/dev.yaml")).unwrap();
    std::fs::write(dir.path().join("out/leftover.yaml"), "x: 1\n").unwrap();
    let before = read_tree(&dir.path().join("out"));

    let check = render(&["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    let report = text(&check.stdout);
    assert!(
        report.contains("missing: services/gateway/overlays/dev.yaml"),
        "{report}"
    );
    assert!(report.contains("extra: leftover.yaml"), "{report}");
    for stale in [
        "services/gateway/overlays/test.yaml",
        "services/order/overlays/dev.yaml",
        "services/order/overlays/test.yaml",
    ] {
        assert!(report.contains(&format!("stale: {stale}")), "{report}");
    }
    assert!(report.contains("-  - Egress"), "{report}");
    assert!(text(&check.stderr).contains("3 stale, 1 missing, 1 extra"));
    // --check writes nothing.
    assert_eq!(read_tree(&dir.path().join("out")), before);
}

#[test]
fn a_failing_root_leaves_outdir_untouched() {
    let (dir, _) = generated_repo(2, 2);
    assert!(
        rustomize(&["render", "repo", "-o", "out"], dir.path())
            .status
            .success()
    );
    let before = read_tree(&dir.path().join("out"));

    // One change every root would show, and one root that cannot build.
    let policy = dir.path().join("repo/platform/base/networkpolicy.yaml");
    let changed = std::fs::read_to_string(&policy)
        .unwrap()
        .replace("default-deny", "deny-all");
    std::fs::write(&policy, changed).unwrap();
    let broken = dir
        .path()
        .join("repo/services/order/overlays/test/resources.yaml");
    std::fs::write(
        &broken,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: [\n",
    )
    .unwrap();

    let run = rustomize(&["render", "repo", "-o", "out"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty());
    let err = text(&run.stderr);
    assert!(err.contains("resources.yaml"), "{err}");
    assert!(
        err.contains("in kustomization")
            && err.contains("services/order/overlays/test/kustomization.yaml"),
        "{err}"
    );
    assert_eq!(read_tree(&dir.path().join("out")), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("rustomize"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn diff_matches_resources_across_environments_by_original_identity() {
    let run = rustomize(&["diff", "overlays/dev", "overlays/prod"], repo());
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let out = text(&run.stdout);
    assert!(
        out.contains("Deployment order: metadata.name: dev-order → order\n"),
        "{out}"
    );
    assert!(out.contains("Deployment order: spec.template.spec.containers[name=order].image: registry.example.com/shop/order:main-9a03c5e → registry.example.com/shop/order:1.0.3\n"), "{out}");
    // Generated ConfigMaps match across hash suffixes; base objects are never added or removed.
    assert!(
        out.contains("ConfigMap order-config: metadata.name: dev-order-config-"),
        "{out}"
    );
    assert!(!out.contains("added: Deployment") && !out.contains("removed: Deployment"));
    assert!(!out.contains("removed: ConfigMap"));
    // Only the observability component's ConfigMap (prod uses it, dev does not) is new.
    let added_config_maps: Vec<&str> = out
        .lines()
        .filter(|line| line.starts_with("added: ConfigMap"))
        .collect();
    assert_eq!(added_config_maps, ["added: ConfigMap otel-agent-config"]);
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn diff_exit_codes_follow_diff1() {
    let same = rustomize(&["diff", "overlays/test", "overlays/test"], repo());
    assert_eq!(same.status.code(), Some(0));
    assert!(same.stdout.is_empty());
    let missing = rustomize(&["diff", "overlays/test", "overlays/nope"], repo());
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());
    assert!(text(&missing.stderr).contains("overlays/nope"));
}

#[test]
fn diff_ignores_paths_and_prints_json() {
    let run = rustomize(
        &[
            "diff",
            "overlays/dev",
            "overlays/test",
            "--output",
            "json",
            "--ignore",
            "metadata",
            "--ignore",
            "spec.template.metadata",
            "--ignore",
            "spec.template.spec.containers[*].env",
        ],
        repo(),
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON output");
    assert_eq!(json["equal"], false);
    let changed = json["changed"].as_array().unwrap();
    let paths: Vec<&str> = changed
        .iter()
        .flat_map(|r| r["changes"].as_array().unwrap())
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(
        paths
            .iter()
            .all(|p| !p.starts_with("metadata") && !p.contains("].env[")),
        "{paths:?}"
    );
    let order = changed
        .iter()
        .find(|r| r["kind"] == "Deployment" && r["name"] == "order")
        .expect("Deployment order changed");
    let replicas = order["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "spec.replicas")
        .expect("replicas change");
    assert_eq!(
        (replicas["old"].clone(), replicas["new"].clone()),
        (1.into(), 2.into())
    );
}

#[test]
fn diff_of_rendered_files_matches_by_current_identity() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("prod.yaml");
    std::fs::write(&file, build_yaml(&repo().join("overlays/prod"))).unwrap();
    let file = file.to_str().unwrap();
    let same = rustomize(&["diff", file, "overlays/prod"], repo());
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}{}",
        text(&same.stdout),
        text(&same.stderr)
    );
}

#[test]
fn diff_check_compares_with_a_snapshot_and_updates_it() {
    let dir = tempfile::tempdir().unwrap();
    let (generated, _) = generated_repo(1, 2);
    let env = |name: &str| {
        generated
            .path()
            .join("repo/services/gateway/overlays")
            .join(name)
            .to_str()
            .unwrap()
            .to_string()
    };
    let snapshot = dir.path().join("dev-test.diff");
    let snapshot = snapshot.to_str().unwrap();
    let check = |extra: &[&str]| {
        let (dev, test) = (env("dev"), env("test"));
        let mut args = vec!["diff", dev.as_str(), test.as_str(), "--check", snapshot];
        args.extend_from_slice(extra);
        rustomize(&args, dir.path())
    };
    assert_eq!(check(&[]).status.code(), Some(1), "no snapshot yet");
    assert_eq!(check(&["--update"]).status.code(), Some(0));
    let committed = std::fs::read_to_string(snapshot).unwrap();
    assert!(
        committed.contains("Deployment gateway: spec.replicas: 1 → 2\n"),
        "{committed}"
    );
    let clean = check(&[]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));

    // The test overlay pins replicas; raising the base's minimum in the HPA shows up.
    let hpa = generated.path().join("repo/services/gateway/base/hpa.yaml");
    let changed = std::fs::read_to_string(&hpa)
        .unwrap()
        .replace("maxReplicas: 10", "maxReplicas: 12");
    std::fs::write(&hpa, changed).unwrap();
    let overlay = generated
        .path()
        .join("repo/services/gateway/overlays/test/kustomization.yaml");
    let pinned = std::fs::read_to_string(&overlay).unwrap()
        + "  - target:\n      kind: HorizontalPodAutoscaler\n    patch: |-\n      - op: replace\n        path: /spec/maxReplicas\n        value: 10\n";
    std::fs::write(&overlay, pinned).unwrap();
    let stale = check(&[]);
    assert_eq!(stale.status.code(), Some(1));
    let review = text(&stale.stdout);
    assert!(
        review.contains("+HorizontalPodAutoscaler gateway: spec.maxReplicas: 12 → 10\n"),
        "{review}"
    );
    assert_eq!(std::fs::read_to_string(snapshot).unwrap(), committed);
    assert_eq!(check(&["--update"]).status.code(), Some(0));
    assert_eq!(check(&[]).status.code(), Some(0));
}

#[test]
fn discovery_skips_bases_and_components() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("base/kustomization.yaml", "resources: [cm.yaml]\n"),
        (
            "base/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n",
        ),
        (
            "components/debug/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  debug: \"on\"\n",
        ),
        (
            "envs/dev/kustomization.yaml",
            "resources: [../../base]\ncomponents: [../../components/debug]\nnamePrefix: dev-\n",
        ),
        (
            "envs/prod/kustomization.yaml",
            "resources: [../../base]\nnamePrefix: prod-\n",
        ),
    ];
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let run = rustomize(&["render", ".", "-o", "out"], dir.path());
    assert!(run.status.success(), "{}", text(&run.stderr));
    let tree = read_tree(&dir.path().join("out"));
    let names: Vec<_> = tree.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(names, ["envs/dev.yaml", "envs/prod.yaml"]);
    let dev = text(&tree[Path::new("envs/dev.yaml")]);
    assert_eq!(dev, build_yaml(&dir.path().join("envs/dev")));
    assert!(
        dev.contains("debug: \"on\"") && dev.contains("name: dev-settings"),
        "{dev}"
    );
}

/// One cache across all roots: each base is built once (the shared platform
/// base included), and every root's output equals a plain build.
#[test]
fn a_shared_cache_builds_each_base_once_and_changes_no_output() {
    let (dir, roots) = generated_repo(3, 4);
    let cache = rustomize::BuildCache::new();
    let options = BuildOptions::default();
    for root in &roots {
        let root = dir.path().join("repo").join(root);
        let cached = rustomize::build_with_cache(&root, &options, Some(&cache)).unwrap();
        assert_eq!(
            cached.to_yaml().unwrap(),
            build_yaml(&root),
            "{}",
            root.display()
        );
    }
    assert_eq!(cache.bases_stored(), 3 + 1);
}
