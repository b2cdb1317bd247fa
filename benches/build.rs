//! `cargo bench`: build time of synthetic overlays of growing size.
//! Three objects per service (Deployment, Service, generated ConfigMap).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rustomize::{BuildOptions, build};

mod synthetic;

fn builds(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    for services in [10, 100, 333] {
        let dir = tempfile::tempdir().unwrap();
        synthetic::write_tree(dir.path(), services).unwrap();
        let overlay = dir.path().join("overlay");
        group.bench_with_input(
            BenchmarkId::new("objects", services * 3),
            &overlay,
            |b, overlay| {
                b.iter(|| {
                    let output = build(overlay, &BuildOptions::default()).unwrap();
                    output.to_yaml().unwrap()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, builds);
criterion_main!(benches);
