//! Side by side with kustomize: `cargo bench --bench compare [-- KUSTOMIZE]`.
//! Builds synthetic overlays of growing size and the example overlays with
//! both tools (best of 3 wall-clock runs each) and prints the ratios. The
//! kustomize command defaults to `../shared/oracle build`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod synthetic;

fn best_of_three(program: &str, args: &[&str], dir: &Path) -> Option<(Duration, Vec<u8>)> {
    let mut best: Option<(Duration, Vec<u8>)> = None;
    for _ in 0..3 {
        let start = Instant::now();
        let out = Command::new(program).args(args).arg(dir).output().ok()?;
        let elapsed = start.elapsed();
        if !out.status.success() {
            return None;
        }
        if best.as_ref().is_none_or(|(b, _)| elapsed < *b) {
            best = Some((elapsed, out.stdout));
        }
    }
    best
}

fn main() {
    let kustomize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "../shared/oracle".to_string());
    let rustomize = env!("CARGO_BIN_EXE_rustomize");
    let tmp = tempfile::tempdir().unwrap();
    let mut targets: Vec<(String, std::path::PathBuf)> = Vec::new();
    for env in ["dev", "test", "prod"] {
        targets.push((format!("overlays/{env}"), Path::new("overlays").join(env)));
    }
    for services in [10, 100, 333] {
        let root = tmp.path().join(format!("s{services}"));
        synthetic::write_tree(&root, services).unwrap();
        targets.push((
            format!("synthetic {} objects", services * 3),
            root.join("overlay"),
        ));
    }
    println!(
        "{:<28} {:>12} {:>12} {:>8}  identical",
        "target", "kustomize", "rustomize", "ratio"
    );
    for (label, dir) in targets {
        let ours = best_of_three(rustomize, &["build"], &dir);
        let theirs = best_of_three(&kustomize, &["build"], &dir);
        match (ours, theirs) {
            (Some((o, out_o)), Some((t, out_t))) => println!(
                "{label:<28} {:>10.1}ms {:>10.1}ms {:>7.0}x  {}",
                t.as_secs_f64() * 1e3,
                o.as_secs_f64() * 1e3,
                t.as_secs_f64() / o.as_secs_f64(),
                if out_o == out_t { "yes" } else { "NO" }
            ),
            (Some((o, _)), None) => println!(
                "{label:<28} {:>12} {:>10.1}ms",
                "unavailable",
                o.as_secs_f64() * 1e3
            ),
            _ => println!("{label:<28} rustomize failed"),
        }
    }
}
