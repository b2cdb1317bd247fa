//! Snapshots of every environment of the example repository, and of the
//! differences between environments. The snapshots were checked byte for
//! byte against kustomize v5.6.0 (CI repeats that check with the oracle).

use rustomize::{BuildOptions, build};
use std::path::Path;

fn render(environment: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("overlays")
        .join(environment);
    let output = build(&dir, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("building {environment}: {e}"));
    output.to_yaml().unwrap()
}

fn environment_diff(from: &str, to: &str) -> String {
    let (a, b) = (render(from), render(to));
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(2)
        .header(from, to)
        .to_string()
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
