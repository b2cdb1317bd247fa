//! Snapshots of every environment of the example repository, and of the
//! differences between environments (`rustomize diff`, resources matched by
//! their identity before environment transformations). The environment
//! snapshots were checked byte for byte against kustomize v5.6.0 (CI repeats
//! that check with the oracle). Review changes with `cargo insta review`.

use rustomize::diff::{Ignore, diff};
use rustomize::{BuildOptions, build};
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn render(environment: &str) -> String {
    let dir = repo().join("overlays").join(environment);
    let output = build(&dir, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("building {environment}: {e}"));
    output.to_yaml().unwrap()
}

/// What `rustomize diff overlays/FROM overlays/TO` prints, for the repository at `repo`.
fn environment_diff_in(repo: &Path, from: &str, to: &str) -> String {
    let side = |environment: &str| {
        let dir = repo.join("overlays").join(environment);
        build(&dir, &BuildOptions::default())
            .unwrap_or_else(|e| panic!("building {environment}: {e}"))
            .resources
    };
    diff(&side(from), &side(to), &Ignore::default()).to_text(false)
}

fn environment_diff(from: &str, to: &str) -> String {
    environment_diff_in(repo(), from, to)
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn dev() {
    snapshot!("dev", render("dev"));
}

#[test]
fn test() {
    snapshot!("test", render("test"));
}

#[test]
fn prod() {
    snapshot!("prod", render("prod"));
}

#[test]
fn diff_dev_to_test() {
    snapshot!("diff-dev-test", environment_diff("dev", "test"));
}

#[test]
fn diff_test_to_prod() {
    snapshot!("diff-test-prod", environment_diff("test", "prod"));
}

/// The committed snapshot's content, without insta's header.
fn committed_snapshot(name: &str) -> String {
    let text = std::fs::read_to_string(repo().join("snapshots").join(format!("{name}.snap")))
        .expect("read snapshot");
    let body = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(_, body)| body)
        .expect("insta header");
    body.to_string()
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A change to a base shows in the dev→test snapshot as exactly what it
/// changes between the environments: dev pins `imagePullPolicy: Always`,
/// test inherits the base's; once the base says `Always` too, that one line
/// of the environment diff goes away and nothing else moves.
#[test]
fn a_base_change_surfaces_in_the_environment_diff_snapshot() {
    let copy = tempfile::tempdir().unwrap();
    for dir in ["bases", "components", "overlays"] {
        copy_tree(&repo().join(dir), &copy.path().join(dir));
    }
    let deployment = copy.path().join("bases/order/deployment.yaml");
    let text = std::fs::read_to_string(&deployment).unwrap();
    assert!(text.contains("imagePullPolicy: IfNotPresent"));
    std::fs::write(
        &deployment,
        text.replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: Always"),
    )
    .unwrap();

    let committed = committed_snapshot("diff-dev-test");
    assert_eq!(committed, environment_diff("dev", "test"));
    let changed = environment_diff_in(copy.path(), "dev", "test");
    let review: Vec<String> = similar::TextDiff::from_lines(&committed, &changed)
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value()))
        .collect();
    assert_eq!(
        review,
        [
            "-Deployment order: spec.template.spec.containers[name=order].imagePullPolicy: Always → IfNotPresent\n"
        ]
    );
}
