//! Field specs: where in objects of a given type a transformer looks.
//! The built-in tables are kustomize v5.6.0's, embedded as data.

use crate::resource::Gvk;
use crate::yaml::node::{Mapping, Node};
use crate::yaml::parse::parse_single;
use std::sync::{Arc, LazyLock};

const BUILTIN_FIELD_SPECS: &str = include_str!("../data/fieldspecs/all-defaults.yaml");

/// One "in objects of this type, at this path" entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub gvk: Gvk,
    pub path: Vec<PathSegment>,
    pub create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSegment {
    pub field: String,
    /// Written `field[]`: a list, looked up but never created.
    pub is_list: bool,
}

impl FieldSpec {
    pub fn parse_path(path: &str) -> Vec<PathSegment> {
        let path = path.strip_prefix('/').unwrap_or(path);
        let mut segments = Vec::new();
        let mut current = String::new();
        let mut chars = path.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'/') => {
                    current.push('/');
                    chars.next();
                }
                '/' => segments.push(std::mem::take(&mut current)),
                _ => current.push(c),
            }
        }
        segments.push(current);
        segments
            .into_iter()
            .map(|s| match s.strip_suffix("[]") {
                Some(field) => PathSegment {
                    field: field.to_string(),
                    is_list: true,
                },
                None => PathSegment {
                    field: s,
                    is_list: false,
                },
            })
            .collect()
    }

    /// Reads a spec from its YAML form (`group`, `version`, `kind`, `path`, `create`).
    pub fn from_node(node: &Node) -> Result<FieldSpec, String> {
        let map = node.as_map().ok_or("a field spec must be a mapping")?;
        let text =
            |key: &str| -> String { map.get(key).and_then(Node::scalar_text).unwrap_or_default() };
        let path = map
            .get("path")
            .and_then(Node::as_str)
            .ok_or("a field spec needs a path")?;
        Ok(FieldSpec {
            gvk: Gvk {
                group: text("group"),
                version: text("version"),
                kind: text("kind"),
            },
            path: FieldSpec::parse_path(path),
            create: matches!(map.get("create"), Some(Node::Bool(true))),
        })
    }

    pub fn path_text(&self) -> String {
        self.path
            .iter()
            .map(|s| s.field.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// A list of field specs read from a YAML sequence.
pub fn specs_from_node(node: Option<&Node>) -> Result<Vec<FieldSpec>, String> {
    match node {
        None | Some(Node::Null) => Ok(Vec::new()),
        Some(Node::Seq(items)) => items.iter().map(FieldSpec::from_node).collect(),
        Some(_) => Err("field specs must be a list".into()),
    }
}

/// A referenced type and the fields of other objects that name it.
#[derive(Debug, Clone, PartialEq)]
pub struct NameReference {
    pub gvk: Gvk,
    pub referrers: Vec<FieldSpec>,
}

/// Every built-in table, one per transformer.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpecs {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub var_reference: Vec<FieldSpec>,
    pub name_reference: Vec<NameReference>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

/// Immutable embedded data, parsed once; each kustomization level shares it
/// through `Arc` or replaces it with its own merged tables.
static BUILTIN: LazyLock<Arc<FieldSpecs>> = LazyLock::new(|| {
    Arc::new(FieldSpecs::parse(BUILTIN_FIELD_SPECS).expect("embedded field specs are valid"))
});

impl FieldSpecs {
    /// kustomize's built-in tables.
    pub fn builtin() -> Arc<FieldSpecs> {
        Arc::clone(&BUILTIN)
    }

    fn parse(specs: &str) -> Result<FieldSpecs, String> {
        let doc = parse_single(specs).map_err(|e| e.to_string())?;
        let list = |key: &str| specs_from_node(doc.get(key));
        let mut name_reference = Vec::new();
        for entry in doc
            .get("nameReference")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            let text = |key: &str| entry.str_at(&[key]).unwrap_or_default().to_string();
            name_reference.push(NameReference {
                gvk: Gvk {
                    group: text("group"),
                    version: text("version"),
                    kind: text("kind"),
                },
                referrers: specs_from_node(entry.get("fieldSpecs"))?,
            });
        }
        Ok(FieldSpecs {
            name_prefix: list("namePrefix")?,
            name_suffix: list("nameSuffix")?,
            common_labels: list("commonLabels")?,
            template_labels: list("templateLabels")?,
            common_annotations: list("commonAnnotations")?,
            namespace: list("namespace")?,
            var_reference: list("varReference")?,
            name_reference,
            images: list("images")?,
            replicas: list("replicas")?,
        })
    }

    /// These tables with `other`'s entries added (kustomize's config merge):
    /// an entry already present (same type and path) is kept once, and the
    /// same entry with a different `create` is a conflict; name references
    /// to the same type pool their referrers.
    pub fn merged_with(&self, other: &FieldSpecs) -> Result<FieldSpecs, String> {
        let mut merged = self.clone();
        for (into, from) in [
            (&mut merged.name_prefix, &other.name_prefix),
            (&mut merged.name_suffix, &other.name_suffix),
            (&mut merged.common_labels, &other.common_labels),
            (&mut merged.template_labels, &other.template_labels),
            (&mut merged.common_annotations, &other.common_annotations),
            (&mut merged.namespace, &other.namespace),
            (&mut merged.var_reference, &other.var_reference),
            (&mut merged.images, &other.images),
            (&mut merged.replicas, &other.replicas),
        ] {
            merge_specs(into, from)?;
        }
        for reference in &other.name_reference {
            match merged
                .name_reference
                .iter_mut()
                .find(|r| r.gvk == reference.gvk)
            {
                Some(existing) => merge_specs(&mut existing.referrers, &reference.referrers)?,
                None => merged.name_reference.push(reference.clone()),
            }
        }
        Ok(merged)
    }
}

fn merge_specs(into: &mut Vec<FieldSpec>, from: &[FieldSpec]) -> Result<(), String> {
    for spec in from {
        match into
            .iter()
            .find(|s| s.gvk == spec.gvk && s.path == spec.path)
        {
            Some(existing) if existing.create != spec.create => {
                return Err("conflicting fieldspecs".to_string());
            }
            Some(_) => {}
            None => into.push(spec.clone()),
        }
    }
    Ok(())
}

/// What to create for a missing leaf field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    Nothing,
    Map,
    Scalar,
}

/// Calls `visit` on every node at `path` inside `node`, descending into every
/// element of sequences met on the way, creating missing fields as `create` says
/// (intermediate fields as maps). Mirrors kustomize's field-spec walker.
pub fn walk_path(
    node: &mut Node,
    path: &[PathSegment],
    create: Create,
    visit: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return visit(node);
    };
    match node {
        Node::Null => Ok(()),
        Node::Seq(items) => {
            for item in items {
                walk_path(item, path, create, visit)?;
            }
            Ok(())
        }
        Node::Map(map) => {
            let create_here = if first.is_list || create == Create::Nothing {
                Create::Nothing
            } else if rest.is_empty() {
                create
            } else {
                Create::Map
            };
            let field = match map.get_mut(&first.field) {
                Some(field) => field,
                None if create_here == Create::Nothing => return Ok(()),
                None => map.entry(first.field.clone()).or_insert(Node::Null),
            };
            if field.is_null() {
                match create_here {
                    Create::Map => *field = Node::Map(Mapping::new()),
                    Create::Scalar => {}
                    Create::Nothing if first.is_list => *field = Node::Seq(Vec::new()),
                    Create::Nothing => {}
                }
            }
            walk_path(field, rest, create, visit)
        }
        _ => Err(format!(
            "expected sequence or mapping node at path segment '{}'",
            first.field
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    #[test]
    fn builtin_tables_load() {
        let specs = FieldSpecs::builtin();
        assert_eq!(specs.name_prefix.len(), 1);
        assert_eq!(specs.template_labels.len(), 10);
        assert_eq!(specs.name_reference.len(), 16);
    }

    #[test]
    fn parses_escaped_slashes_and_list_markers() {
        let path = FieldSpec::parse_path("metadata/annotations/a.io\\/b");
        assert_eq!(path[2].field, "a.io/b");
        let path = FieldSpec::parse_path("spec/containers[]/image");
        assert!(path[1].is_list);
        assert_eq!(path[1].field, "containers");
    }

    #[test]
    fn walks_sequences_and_creates_maps() {
        let mut node = parse_single("spec:\n  containers:\n  - name: a\n  - name: b\n").unwrap();
        let mut seen = Vec::new();
        let path = FieldSpec::parse_path("spec/containers/name");
        walk_path(&mut node, &path, Create::Nothing, &mut |n| {
            seen.push(n.as_str().unwrap().to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ["a", "b"]);

        let path = FieldSpec::parse_path("metadata/labels");
        walk_path(&mut node, &path, Create::Map, &mut |n| {
            assert!(n.as_map().is_some());
            Ok(())
        })
        .unwrap();
        assert!(node.get_path(&["metadata", "labels"]).is_some());
    }
}
