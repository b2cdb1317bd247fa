//! `cargo bench --bench pipeline`: the stages through the public API —
//! parsing a rendered stream, emitting it, strategic merges — and whole
//! builds of the example's `overlays/prod` and of a generated overlay of
//! 2,000 resources. The side-by-side comparison with kustomize is
//! `benches/compare`.

#[path = "../examples/synthetic_repo.rs"]
#[allow(dead_code)]
mod synthetic_repo;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rustomize::schema::Schema;
use rustomize::transform::patch_strategic;
use rustomize::yaml::emit::write_document;
use rustomize::yaml::node::Node;
use rustomize::yaml::parse::parse_stream;
use rustomize::{BuildOptions, build};
use std::path::{Path, PathBuf};

fn example_prod() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("overlays/prod")
}

/// The example's prod output, as printed.
fn rendered_prod() -> String {
    build(&example_prod(), &BuildOptions::default())
        .and_then(|output| output.to_yaml())
        .expect("the example's overlays/prod builds")
}

fn parse(c: &mut Criterion) {
    let text = rendered_prod();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("example prod output", |b| {
        b.iter(|| parse_stream(&text).unwrap())
    });
    group.finish();
}

fn emit(c: &mut Criterion) {
    let text = rendered_prod();
    let documents = parse_stream(&text).unwrap();
    let mut group = c.benchmark_group("emit");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("example prod output", |b| {
        b.iter(|| {
            let mut out = String::with_capacity(text.len());
            for document in &documents {
                write_document(document, &mut out).unwrap();
            }
            out
        })
    });
    group.finish();
}

fn strategic_merge(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The first document of `path` naming the order Deployment (or the first).
    let read = |path: &str| -> Node {
        let documents = parse_stream(&std::fs::read_to_string(root.join(path)).unwrap()).unwrap();
        let order = documents
            .iter()
            .position(|d| d.str_at(&["metadata", "name"]) == Some("order"))
            .unwrap_or(0);
        documents.into_iter().nth(order).unwrap()
    };
    let deployment = read("bases/order/deployment.yaml");
    let schema = Schema::builtin();
    let mut group = c.benchmark_group("strategic merge");
    for (name, patch) in [
        // A sidecar container, volume and annotations: list merges by key.
        ("sidecar", "components/observability/sidecar.yaml"),
        // The order container's resources: a nested merge in a keyed list.
        ("resources", "overlays/prod/patches/resources.yaml"),
    ] {
        let patch = read(patch);
        group.bench_function(name, |b| {
            b.iter_batched(
                || deployment.clone(),
                |mut target| patch_strategic::apply(&mut target, &patch, &schema).unwrap(),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn whole_build(c: &mut Criterion) {
    let generated = tempfile::tempdir().unwrap();
    let application = generated
        .path()
        .join(synthetic_repo::write_application(generated.path(), 2000).unwrap());
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    for (name, dir) in [
        ("example overlays/prod", example_prod()),
        ("one overlay of 2,000 resources", application),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                build(&dir, &BuildOptions::default())
                    .and_then(|output| output.to_yaml())
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse, emit, strategic_merge, whole_build);
criterion_main!(benches);
