//! Pre-digests the embedded tables into Rust statics so that a run does not
//! parse them: the merge schema (`data/merge-keys.json`), the cluster scope of
//! the built-in types (`data/fieldspecs/resource-scope.yaml`) and the built-in
//! field specs (`data/fieldspecs/all-defaults.yaml`). The data files stay the
//! source of truth; tests check the statics against them.

use std::fmt::Write as _;
use std::path::Path;

use libyaml_safer::{Document, NodeData, Parser, ScalarStyle};

#[allow(dead_code)]
#[path = "src/openapi.rs"]
mod openapi;

fn main() {
    for input in [
        "data/merge-keys.json",
        "data/fieldspecs/resource-scope.yaml",
        "data/fieldspecs/all-defaults.yaml",
        "src/openapi.rs",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    std::fs::write(out.join("builtin_schema.rs"), schema_statics()).expect("write schema");
    std::fs::write(out.join("builtin_field_specs.rs"), field_spec_tables())
        .expect("write field specs");
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema_statics() -> String {
    let doc: serde_json::Value =
        serde_json::from_str(&read("data/merge-keys.json")).expect("merge-keys.json is JSON");
    let digest = openapi::digest(&doc).expect("merge-keys.json is an OpenAPI document");
    assert!(
        digest.cluster_scoped.is_empty(),
        "the embedded schema has no paths: scope comes from resource-scope.yaml"
    );
    let mut out = String::new();
    out.push_str("pub(super) static BUILTIN_NODES: &[SchemaNode] = &[\n");
    for node in &digest.nodes {
        out.push_str("SchemaNode{properties:Cow::Borrowed(&[");
        for (name, id) in node.properties.iter() {
            write!(out, "(Cow::Borrowed({name:?}),{id:?}),").unwrap();
        }
        write!(
            out,
            "]),additional:{:?},items:{:?},is_array:{},list_merge:",
            node.additional, node.items, node.is_array
        )
        .unwrap();
        match &node.list_merge {
            None => out.push_str("None"),
            Some(merge) => {
                out.push_str("Some(ListMerge{keys:Cow::Borrowed(&[");
                for key in merge.keys.iter() {
                    write!(out, "Cow::Borrowed({key:?}),").unwrap();
                }
                out.push_str("])})");
            }
        }
        out.push_str("},\n");
    }
    out.push_str("];\n");
    out.push_str(
        "pub(super) static BUILTIN_BY_TYPE: &[(Cow<'static, str>, Cow<'static, str>, u32)] = &[\n",
    );
    for (kind, api_version, id) in &digest.by_type {
        writeln!(
            out,
            "(Cow::Borrowed({kind:?}),Cow::Borrowed({api_version:?}),{id}),"
        )
        .unwrap();
    }
    out.push_str("];\n");

    let scope = load_yaml("data/fieldspecs/resource-scope.yaml");
    let mut cluster_scoped: Vec<(String, String)> = seq(
        &scope,
        get(&scope, root(&scope), "clusterScoped").expect("clusterScoped"),
    )
    .iter()
    .map(|&entry| {
        let text = |key| {
            text(
                &scope,
                get(&scope, entry, key)
                    .unwrap_or_else(|| panic!("resource-scope.yaml: an entry without {key}")),
            )
        };
        (text("apiVersion"), text("kind"))
    })
    .collect();
    cluster_scoped.sort();
    out.push_str("pub(super) static BUILTIN_CLUSTER_SCOPED: &[(&str, &str)] = &[\n");
    for (api_version, kind) in cluster_scoped {
        writeln!(out, "({api_version:?},{kind:?}),").unwrap();
    }
    out.push_str("];\n");
    out
}

/// `FieldSpecs::builtin`'s tables, unsorted, as an expression built from
/// `spec(group, version, kind, path, create)` and `gvk(group, version, kind)`.
fn field_spec_tables() -> String {
    const FIELDS: [(&str, &str); 10] = [
        ("namePrefix", "name_prefix"),
        ("nameSuffix", "name_suffix"),
        ("namespace", "namespace"),
        ("commonLabels", "common_labels"),
        ("templateLabels", "template_labels"),
        ("labels", "metadata_labels"),
        ("commonAnnotations", "common_annotations"),
        ("varReference", "var_reference"),
        ("images", "images"),
        ("replicas", "replicas"),
    ];
    let doc = load_yaml("data/fieldspecs/all-defaults.yaml");
    let top = pairs(&doc, root(&doc));
    let mut out = String::from("FieldSpecs {\n");
    let mut missing: Vec<&str> = FIELDS.iter().map(|(_, field)| *field).collect();
    missing.push("name_reference");
    for (key, value) in top {
        let key = text(&doc, key);
        if key == "nameReference" {
            missing.retain(|f| *f != "name_reference");
            out.push_str("name_reference: vec![\n");
            for &entry in seq(&doc, value) {
                let field = |name| {
                    get(&doc, entry, name)
                        .map(|n| text(&doc, n))
                        .unwrap_or_default()
                };
                write!(
                    out,
                    "NameReference{{gvk:gvk({:?},{:?},{:?}),referrers:",
                    field("group"),
                    field("version"),
                    field("kind")
                )
                .unwrap();
                specs(&doc, get(&doc, entry, "fieldSpecs"), &mut out);
                out.push_str("},\n");
            }
            out.push_str("],\n");
            continue;
        }
        let (_, field) = FIELDS
            .iter()
            .find(|(k, _)| *k == key)
            .unwrap_or_else(|| panic!("all-defaults.yaml: unknown table {key}"));
        missing.retain(|f| f != field);
        write!(out, "{field}: ").unwrap();
        specs(&doc, Some(value), &mut out);
        out.push_str(",\n");
    }
    for field in missing {
        writeln!(out, "{field}: Vec::new(),").unwrap();
    }
    out.push_str("}\n");
    out
}

fn specs(doc: &Document, list: Option<i32>, out: &mut String) {
    out.push_str("vec![\n");
    for &spec in list.map(|l| seq(doc, l)).unwrap_or(&[]) {
        let field = |name| {
            get(doc, spec, name)
                .map(|n| text(doc, n))
                .unwrap_or_default()
        };
        let path = get(doc, spec, "path").expect("a field spec needs a path");
        let create = match get(doc, spec, "create").map(|n| text(doc, n)).as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => panic!("all-defaults.yaml: create: {other}"),
        };
        writeln!(
            out,
            "spec({:?},{:?},{:?},{:?},{create}),",
            field("group"),
            field("version"),
            field("kind"),
            text(doc, path)
        )
        .unwrap();
    }
    out.push(']');
}

fn load_yaml(path: &str) -> Document {
    let text = read(path);
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    Document::load(&mut parser).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn node(doc: &Document, id: i32) -> &NodeData {
    &doc.nodes[id as usize - 1].data
}

fn root(doc: &Document) -> i32 {
    assert!(!doc.nodes.is_empty(), "an empty table");
    1
}

fn pairs(doc: &Document, id: i32) -> Vec<(i32, i32)> {
    match node(doc, id) {
        NodeData::Mapping { pairs, .. } => pairs.iter().map(|p| (p.key, p.value)).collect(),
        other => panic!("expected a mapping, found {other:?}"),
    }
}

fn get(doc: &Document, map: i32, key: &str) -> Option<i32> {
    pairs(doc, map)
        .into_iter()
        .find(|&(k, _)| text(doc, k) == key)
        .map(|(_, v)| v)
}

fn seq(doc: &Document, id: i32) -> &[i32] {
    match node(doc, id) {
        NodeData::Sequence { items, .. } => items,
        other => panic!("expected a sequence, found {other:?}"),
    }
}

/// A scalar's text; plain scalars that YAML would not read as strings are refused.
fn text(doc: &Document, id: i32) -> String {
    match node(doc, id) {
        NodeData::Scalar { value, style } => {
            let plain_non_string = *style == ScalarStyle::Plain
                && (value.is_empty()
                    || value == "~"
                    || value == "null"
                    || value.parse::<f64>().is_ok());
            assert!(!plain_non_string, "unexpected scalar {value:?} in a table");
            value.clone()
        }
        other => panic!("expected a scalar, found {other:?}"),
    }
}
