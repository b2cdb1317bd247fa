//! Field specs: where in objects of a given type a transformer looks.
//! The built-in tables are kustomize v5.6.0's, embedded as data.

use crate::resource::Gvk;
use crate::yaml::node::{Mapping, Node};
use std::sync::{Arc, LazyLock};

/// The source of the tables the build script writes out (see `builtin_tables`).
#[cfg(test)]
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
        None | Some(Node::Null(_)) => Ok(Vec::new()),
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

/// The field-spec tables, one per transformer (kustomize's `TransformerConfig`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldSpecs {
    pub name_prefix: Vec<FieldSpec>,
    pub name_suffix: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub common_labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    /// Where the `labels` field writes when it includes neither selectors nor templates.
    pub metadata_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub var_reference: Vec<FieldSpec>,
    pub name_reference: Vec<NameReference>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
}

/// One list of [`FieldSpecs`]: its key in configuration files and its name in
/// kustomize's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    NamePrefix,
    NameSuffix,
    Namespace,
    CommonLabels,
    TemplateLabels,
    MetadataLabels,
    CommonAnnotations,
    VarReference,
    Images,
    Replicas,
}

impl Table {
    pub const ALL: [Table; 10] = [
        Table::NamePrefix,
        Table::NameSuffix,
        Table::Namespace,
        Table::CommonLabels,
        Table::TemplateLabels,
        Table::MetadataLabels,
        Table::CommonAnnotations,
        Table::VarReference,
        Table::Images,
        Table::Replicas,
    ];

    /// The key in a `configurations` file.
    pub fn key(self) -> &'static str {
        match self {
            Table::NamePrefix => "namePrefix",
            Table::NameSuffix => "nameSuffix",
            Table::Namespace => "namespace",
            Table::CommonLabels => "commonLabels",
            Table::TemplateLabels => "templateLabels",
            Table::MetadataLabels => "labels",
            Table::CommonAnnotations => "commonAnnotations",
            Table::VarReference => "varReference",
            Table::Images => "images",
            Table::Replicas => "replicas",
        }
    }

    /// The name kustomize's merge errors use.
    fn go_name(self) -> &'static str {
        match self {
            Table::NamePrefix => "NamePrefix",
            Table::NameSuffix => "NameSuffix",
            Table::Namespace => "NameSpace",
            Table::CommonLabels => "CommonLabels",
            Table::TemplateLabels => "TemplateLabels",
            Table::MetadataLabels => "Labels",
            Table::CommonAnnotations => "CommonAnnotations",
            Table::VarReference => "VarReference",
            Table::Images => "Images",
            Table::Replicas => "Replicas",
        }
    }
}

/// Immutable embedded data, parsed once; each kustomization level shares it
/// through `Arc` or replaces it with its own merged tables.
static BUILTIN: LazyLock<Arc<FieldSpecs>> = LazyLock::new(|| Arc::new(builtin_tables().sorted()));

/// The tables of `data/fieldspecs/all-defaults.yaml`, unsorted, as the build
/// script wrote them out (so that a run does not parse YAML).
fn builtin_tables() -> FieldSpecs {
    fn gvk(group: &str, version: &str, kind: &str) -> Gvk {
        Gvk {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
        }
    }
    fn spec(group: &str, version: &str, kind: &str, path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            gvk: gvk(group, version, kind),
            path: FieldSpec::parse_path(path),
            create,
        }
    }
    include!(concat!(env!("OUT_DIR"), "/builtin_field_specs.rs"))
}

/// The empty tables a kustomization level starts from.
static EMPTY: LazyLock<Arc<FieldSpecs>> = LazyLock::new(|| Arc::new(FieldSpecs::default()));

impl FieldSpecs {
    /// kustomize's built-in tables.
    pub fn builtin() -> Arc<FieldSpecs> {
        Arc::clone(&BUILTIN)
    }

    /// No field specs at all (shared).
    pub fn empty() -> Arc<FieldSpecs> {
        Arc::clone(&EMPTY)
    }

    pub fn table(&self, table: Table) -> &Vec<FieldSpec> {
        match table {
            Table::NamePrefix => &self.name_prefix,
            Table::NameSuffix => &self.name_suffix,
            Table::Namespace => &self.namespace,
            Table::CommonLabels => &self.common_labels,
            Table::TemplateLabels => &self.template_labels,
            Table::MetadataLabels => &self.metadata_labels,
            Table::CommonAnnotations => &self.common_annotations,
            Table::VarReference => &self.var_reference,
            Table::Images => &self.images,
            Table::Replicas => &self.replicas,
        }
    }

    pub fn table_mut(&mut self, table: Table) -> &mut Vec<FieldSpec> {
        match table {
            Table::NamePrefix => &mut self.name_prefix,
            Table::NameSuffix => &mut self.name_suffix,
            Table::Namespace => &mut self.namespace,
            Table::CommonLabels => &mut self.common_labels,
            Table::TemplateLabels => &mut self.template_labels,
            Table::MetadataLabels => &mut self.metadata_labels,
            Table::CommonAnnotations => &mut self.common_annotations,
            Table::VarReference => &mut self.var_reference,
            Table::Images => &mut self.images,
            Table::Replicas => &mut self.replicas,
        }
    }

    #[cfg(test)]
    fn parse(specs: &str) -> Result<FieldSpecs, String> {
        let doc = crate::yaml::parse::parse_single(specs).map_err(|e| e.to_string())?;
        let mut tables = FieldSpecs::default();
        for table in Table::ALL {
            *tables.table_mut(table) = specs_from_node(doc.get(table.key()))?;
        }
        for entry in doc
            .get("nameReference")
            .and_then(Node::as_seq)
            .into_iter()
            .flatten()
        {
            let text = |key: &str| entry.str_at(&[key]).unwrap_or_default().to_string();
            tables.name_reference.push(NameReference {
                gvk: Gvk {
                    group: text("group"),
                    version: text("version"),
                    kind: text("kind"),
                },
                referrers: specs_from_node(entry.get("fieldSpecs"))?,
            });
        }
        Ok(tables)
    }

    /// The lists sorted by type as kustomize sorts a config it reads (name
    /// references by their target type; referrers keep their order).
    pub fn sorted(mut self) -> FieldSpecs {
        for table in Table::ALL {
            sort_by_type(self.table_mut(table), |spec| &spec.gvk);
        }
        sort_by_type(&mut self.name_reference, |r| &r.gvk);
        self
    }

    /// These tables with `other`'s entries added, exactly as kustomize merges
    /// transformer configs: an entry of `other` is dropped when an existing
    /// entry with the same path is selected by its type (a conflict if their
    /// `create` differ), else appended; name references to the same type pool
    /// their referrers the same way. Each list is then sorted by type (legacy
    /// kind order, then `Kind.version.group`), which decides what later merges
    /// drop.
    pub fn merged_with(&self, other: &FieldSpecs) -> Result<FieldSpecs, String> {
        let mut merged = self.clone();
        for table in Table::ALL {
            merge_specs(merged.table_mut(table), other.table(table))
                .map_err(|e| format!("failed to merge {} fieldSpec: {e}", table.go_name()))?;
            sort_by_type(merged.table_mut(table), |spec| &spec.gvk);
        }
        for reference in &other.name_reference {
            match merged
                .name_reference
                .iter_mut()
                .find(|r| r.gvk == reference.gvk)
            {
                Some(existing) => merge_specs(&mut existing.referrers, &reference.referrers)
                    .map_err(|e| format!("failed to merge NameReference fieldSpec: {e}"))?,
                None => merged.name_reference.push(reference.clone()),
            }
        }
        sort_by_type(&mut merged.name_reference, |r| &r.gvk);
        Ok(merged)
    }
}

fn merge_specs(into: &mut Vec<FieldSpec>, from: &[FieldSpec]) -> Result<(), String> {
    for spec in from {
        match into
            .iter()
            .find(|s| s.path == spec.path && s.gvk.is_selected_by(&spec.gvk))
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

/// kustomize's `Gvk.IsLessThan` order (stable, so equal types keep their order).
fn sort_by_type<T>(items: &mut [T], gvk: impl Fn(&T) -> &Gvk) {
    items.sort_by_cached_key(|item| {
        let gvk = gvk(item);
        let or = |s: &str, empty: &str| {
            if s.is_empty() {
                empty.to_string()
            } else {
                s.to_string()
            }
        };
        (
            crate::transform::sort::kind_rank(&gvk.kind),
            format!(
                "{}.{}.{}",
                or(&gvk.kind, "[noKind]"),
                or(&gvk.version, "[noVer]"),
                or(&gvk.group, "[noGrp]")
            ),
        )
    });
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
    crate::stack::guard(|| walk_path_here(node, path, create, visit))
}

fn walk_path_here(
    node: &mut Node,
    path: &[PathSegment],
    create: Create,
    visit: &mut dyn FnMut(&mut Node) -> Result<(), String>,
) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return visit(node);
    };
    match node {
        Node::Null(_) => Ok(()),
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
                None => map.entry(first.field.clone()).or_insert(Node::NULL),
            };
            if field.is_null() {
                match create_here {
                    Create::Map => *field = Node::Map(Mapping::default()),
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
    fn embedded_tables_are_the_data_file() {
        let parsed = FieldSpecs::parse(BUILTIN_FIELD_SPECS).unwrap();
        assert_eq!(builtin_tables(), parsed);
    }

    #[test]
    fn builtin_tables_load() {
        let specs = FieldSpecs::builtin();
        // Merging the built-ins into an empty table changes nothing (levels
        // without configurations rely on it).
        assert_eq!(FieldSpecs::default().merged_with(&specs).unwrap(), *specs);
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
