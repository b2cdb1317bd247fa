//! Nesting as deep as kustomize allows (10,000 levels) and long chains of
//! bases, through the library on a 2 MiB thread (a library caller's or a
//! worker's, far below the binary's 1 GiB): the result is kustomize's output
//! or its error, never a stack overflow. Expected outputs and errors come
//! from kustomize v5.6.0.

use rustomize::yaml::emit::write_document;
use rustomize::yaml::parse::parse_stream;
use rustomize::{BuildOptions, build};
use std::path::Path;

fn on_2mib_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no panic")
}

fn write(dir: &Path, path: &str, content: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A ConfigMap whose `data.x` is `value`: the document's depth is the
/// value's plus two (the object and `data`).
fn resource(value: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  x: {value}\n")
}

/// Parses, emits and builds `r.yaml` on a 2 MiB stack: the emitted document
/// and the build's output, or the errors.
fn run(r_yaml: String) -> (Result<String, String>, Result<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kustomization.yaml", "resources:\n- r.yaml\n");
    write(dir.path(), "r.yaml", &r_yaml);
    let root = dir.path().to_path_buf();
    on_2mib_stack(move || {
        let emitted = parse_stream(&r_yaml)
            .map_err(|e| e.to_string())
            .and_then(|docs| {
                let mut out = String::new();
                write_document(&docs[0], &mut out).map_err(|e| e.message)?;
                Ok(out)
            });
        let built = build(&root, &BuildOptions::default())
            .and_then(|output| output.to_yaml())
            .map_err(|e| e.to_string());
        (emitted, built)
    })
}

const DEPTH_ERROR: &str = "exceeded max depth of 10000";

/// kustomize prints a nested sequence `- - - … 1`, one line.
fn expected_sequences(depth: usize) -> String {
    format!(
        "apiVersion: v1\ndata:\n  x:\n  {}1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
        "- ".repeat(depth - 2)
    )
}

/// kustomize prints nested mappings in block style, two more spaces a level.
fn expected_mappings(depth: usize) -> String {
    let mut out = String::from("apiVersion: v1\ndata:\n  x:\n");
    for level in 0..depth - 2 {
        out.push_str(&" ".repeat(4 + 2 * level));
        out.push_str(if level + 3 == depth { "a: 1\n" } else { "a:\n" });
    }
    out.push_str("kind: ConfigMap\nmetadata:\n  name: cm\n");
    out
}

/// Depth counts every collection, the object's mapping included: kustomize
/// takes 10,000 levels and refuses 10,001.
fn check(
    shape: &str,
    ok_depths: &[usize],
    value: impl Fn(usize) -> String,
    expected: impl Fn(usize) -> String,
) {
    for &depth in ok_depths {
        let (emitted, built) = run(resource(&value(depth - 2)));
        assert_eq!(
            emitted.as_deref(),
            Ok(expected(depth).as_str()),
            "{shape} {depth}"
        );
        assert_eq!(
            built.as_deref(),
            Ok(expected(depth).as_str()),
            "{shape} {depth}"
        );
    }
    let (emitted, built) = run(resource(&value(10_001 - 2)));
    for result in [emitted, built] {
        let err = result.expect_err(shape);
        assert!(err.contains(DEPTH_ERROR), "{shape}: {err}");
    }
}

#[test]
fn flow_sequences_10000_deep() {
    check(
        "flow sequences",
        &[9_999, 10_000],
        |n| format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        expected_sequences,
    );
}

#[test]
fn block_sequences_10000_deep() {
    check(
        "block sequences",
        &[9_999, 10_000],
        |n| format!("\n  {}1", "- ".repeat(n)),
        expected_sequences,
    );
}

#[test]
fn flow_mappings_10000_deep() {
    // Printed, 10,000 levels are 100 MB (kustomize's output too): one depth.
    check(
        "flow mappings",
        &[10_000],
        |n| format!("{}1{}", "{a: ".repeat(n), "}".repeat(n)),
        expected_mappings,
    );
}

#[test]
fn a_chain_of_3000_bases() {
    // kustomize builds it (each base lists the next; the last holds the object).
    const BASES: usize = 3_000;
    let dir = tempfile::tempdir().unwrap();
    for i in 0..BASES {
        let content = if i + 1 == BASES {
            String::from("resources:\n- cm.yaml\n")
        } else {
            format!("resources:\n- ../b{}\n", i + 1)
        };
        write(dir.path(), &format!("b{i}/kustomization.yaml"), &content);
    }
    let object = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n";
    write(dir.path(), &format!("b{}/cm.yaml", BASES - 1), object);
    let top = dir.path().join("b0");
    let built = on_2mib_stack(move || {
        build(&top, &BuildOptions::default())
            .and_then(|output| output.to_yaml())
            .map_err(|e| e.to_string())
    });
    assert_eq!(
        built.as_deref(),
        Ok("apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: cm\n")
    );
}

#[test]
fn nested_flow_mapping_keys() {
    // Found by fuzzing: `{{{{…` overflowed an 8 MiB stack while parsing.
    let results = on_2mib_stack(|| {
        [4_200, 10_001].map(|depth| {
            parse_stream(&format!("{}{}", "{".repeat(depth), "}".repeat(depth)))
                .map(|docs| docs.len())
                .map_err(|e| e.to_string())
        })
    });
    assert!(results[0].is_err(), "a mapping is no key: {:?}", results[0]);
    let err = results[1].as_ref().unwrap_err();
    assert!(err.contains(DEPTH_ERROR), "{err}");
}

/// An alias can nest a document deeper than any parsed one: kustomize
/// refuses the result when it writes it (10,000 levels with the object's
/// mapping build, 10,001 do not; the sizes are checked against v5.6.0).
#[test]
fn aliases_nesting_past_10000_levels() {
    let document = |anchored: usize| {
        let outer = 4_999;
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nx: &a {}{}\ny: {}*a{}\n",
            "[".repeat(anchored),
            "]".repeat(anchored),
            "[".repeat(outer),
            "]".repeat(outer)
        )
    };
    let (emitted, built) = run(document(5_000));
    assert_eq!(built.map(|out| out.len()), Ok(30_059));
    assert!(emitted.is_ok());
    let (emitted, built) = run(document(5_001));
    for err in [emitted.unwrap_err(), built.unwrap_err()] {
        assert!(err.contains(DEPTH_ERROR), "{err}");
    }
}
