//! `ValueAddTransformer` (a `transformers:` config only): writes one value
//! into a slash-separated field path of the selected objects, creating the
//! path where it is missing, or inserts it into a file path held there.
//! `metadata/namespace` moves the objects as the namespace transformer does.

use crate::error::{Error, Result};
use crate::kustomization::Selector;
use crate::loader::Loader;
use crate::resource::{ResMap, Resource};
use crate::schema::Schema;
use crate::selector::TargetSelector;
use crate::transform::namespace::{NamespaceConfig, RoleBindingSubjects};
use crate::yaml::node::{Mapping, Node};
use crate::yaml::parse::parse_single;

#[derive(Debug, Clone, PartialEq)]
pub struct ValueAddConfig {
    /// Trimmed; empty means the name of the kustomization's directory.
    pub value: String,
    pub targets: Vec<ValueAddTarget>,
    /// A file with more `targets`, read when the transformer runs.
    pub target_file_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValueAddTarget {
    /// None selects every object.
    pub selector: Option<Selector>,
    pub field_path: String,
    /// From 1: insert the value as that part of the file path found there.
    pub file_path_position: u64,
}

impl ValueAddTarget {
    /// One `targets` entry, checked as kustomize checks it when configuring.
    pub fn from_node(node: &Node) -> std::result::Result<ValueAddTarget, String> {
        let selector = match node.get("selector") {
            None | Some(Node::Null(_)) => None,
            Some(Node::Map(map)) => Some(crate::kustomization::selector(map)?),
            Some(_) => {
                return Err("ValueAddTransformer: a target's selector must be a mapping".into());
            }
        };
        let field_path = node
            .get("fieldPath")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        if field_path.is_empty() {
            return Err("fieldPath cannot be empty".into());
        }
        let position = match node.get("filePathPosition") {
            None | Some(Node::Null(_)) => 0,
            Some(Node::Int(i)) => *i,
            Some(_) => {
                return Err("ValueAddTransformer: filePathPosition must be an integer".into());
            }
        };
        if position < 0 {
            return Err(format!(
                "value of FilePathPosition ({position}) cannot be negative"
            ));
        }
        Ok(ValueAddTarget {
            selector,
            field_path,
            file_path_position: position.unsigned_abs(),
        })
    }
}

impl ValueAddConfig {
    pub fn apply(&self, resources: &mut ResMap, loader: &Loader, schema: &Schema) -> Result<()> {
        let value = match self.value.as_str() {
            "" => loader
                .root()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            value => value.to_string(),
        };
        let mut targets = self.targets.clone();
        if let Some(path) = &self.target_file_path {
            targets.extend(targets_from_file(loader, path)?);
        }
        if targets.is_empty() {
            return Err(Error::transform("must specify at least one target"));
        }
        let namespace = NamespaceConfig {
            namespace: value.clone(),
            field_specs: Vec::new(),
            unset_only: false,
            role_binding_subjects: RoleBindingSubjects::DefaultOnly,
        };
        for target in &targets {
            let selector = target
                .selector
                .as_ref()
                .map(TargetSelector::new)
                .transpose()
                .map_err(Error::transform)?;
            let fields = split_fields(&target.field_path);
            for resource in resources.iter_mut() {
                if selector
                    .as_ref()
                    .is_some_and(|s| !s.matches(resource, schema))
                {
                    continue;
                }
                if target.field_path == "metadata/namespace" {
                    namespace.apply_to(resource, schema)?;
                } else {
                    add_value(resource, &fields, &value, target.file_path_position)
                        .map_err(Error::transform)?;
                }
            }
        }
        Ok(())
    }
}

fn targets_from_file(loader: &Loader, path: &str) -> Result<Vec<ValueAddTarget>> {
    let (resolved, text) = loader.read_text(path)?;
    let node = parse_single(&text).map_err(|e| Error::yaml(&resolved, e))?;
    match node.get("targets") {
        None | Some(Node::Null(_)) => Ok(Vec::new()),
        Some(Node::Seq(items)) => items
            .iter()
            .map(ValueAddTarget::from_node)
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::transform),
        Some(_) => Err(Error::transform(format!(
            "{}: 'targets' must be a list",
            resolved.display()
        ))),
    }
}

/// Splits at `/`, where `\/` stays in the name.
fn split_fields(path: &str) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for part in path.split('/') {
        match fields.last_mut() {
            Some(last) if last.ends_with('\\') => {
                last.pop();
                last.push('/');
                last.push_str(part);
            }
            _ => fields.push(part.to_string()),
        }
    }
    fields
}

/// Walks `fields` (keys and `[key=value]` list elements), creating what is
/// missing, and sets the scalar at the end.
fn add_value(
    resource: &mut Resource,
    fields: &[String],
    value: &str,
    position: u64,
) -> std::result::Result<(), String> {
    // kustomize keeps annotation values as strings.
    let is_annotation = fields.len() == 3 && fields[0] == "metadata" && fields[1] == "annotations";
    let mut node = &mut resource.node;
    for field in fields {
        node = step(node, field)?;
    }
    if matches!(node, Node::Map(_) | Node::Seq(_)) {
        return Err(crate::fieldpath::wrong_kind("ScalarNode", node));
    }
    let text = if position > 0 {
        let old = node.scalar_text().unwrap_or_default();
        insert_path_part(&old, position - 1, value)
    } else {
        value.to_string()
    };
    *node = if is_annotation {
        Node::str(text)
    } else {
        crate::yaml::resolve::resolve_plain(&text).unwrap_or_else(|_| Node::str(text.clone()))
    };
    Ok(())
}

fn step<'a>(node: &'a mut Node, field: &str) -> std::result::Result<&'a mut Node, String> {
    let element = field
        .strip_prefix('[')
        .and_then(|f| f.strip_suffix(']'))
        .and_then(|f| f.split_once('='));
    if let Some((key, wanted)) = element {
        if node.is_null() {
            *node = Node::Seq(Vec::new());
        }
        let Node::Seq(items) = node else {
            return Err(crate::fieldpath::wrong_kind("SequenceNode", node));
        };
        let found = items
            .iter()
            .position(|item| item.get(key).and_then(Node::scalar_text).as_deref() == Some(wanted));
        let index = match found {
            Some(index) => index,
            None => {
                let mut map = Mapping::default();
                let scalar = crate::yaml::resolve::resolve_plain(wanted)
                    .unwrap_or_else(|_| Node::str(wanted));
                map.insert(key.to_string(), scalar);
                items.push(Node::Map(map));
                items.len() - 1
            }
        };
        return Ok(&mut items[index]);
    }
    if node.is_null() {
        *node = Node::Map(Mapping::default());
    }
    match node {
        Node::Map(map) => Ok(map.entry(field.to_string()).or_insert(Node::NULL)),
        other => Err(crate::fieldpath::wrong_kind("MappingNode", other)),
    }
}

/// kyaml's `InsertPathPart`: `part` becomes the path's part number `pos`
/// (clamped to the end); a leading `/` is kept; the result is cleaned.
fn insert_path_part(path: &str, pos: u64, part: &str) -> String {
    if part.is_empty() {
        return path.to_string();
    }
    let (root, rest) = match path.strip_prefix('/') {
        Some(rest) => ("/", rest),
        None => ("", path),
    };
    let mut parts: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('/').collect()
    };
    let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(parts.len());
    parts.insert(pos, part);
    let joined = crate::origin::join("", &parts.join("/"));
    format!("{root}{joined}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_path_parts_like_kyaml() {
        assert_eq!(insert_path_part("", 0, "PEACH"), "PEACH");
        assert_eq!(insert_path_part("/", 5, "PEACH"), "/PEACH");
        assert_eq!(insert_path_part("pie", 0, "PEACH"), "PEACH/pie");
        assert_eq!(insert_path_part("/pie", 0, "PEACH"), "/PEACH/pie");
        assert_eq!(insert_path_part("raw", 9, "PEACH"), "raw/PEACH");
        assert_eq!(
            insert_path_part("/a/nice/warm/pie", 3, "PEACH"),
            "/a/nice/warm/PEACH/pie"
        );
        assert_eq!(insert_path_part("a/b", 1, ""), "a/b");
    }

    #[test]
    fn escaped_slashes_stay_in_names() {
        assert_eq!(split_fields("spec/x\\/y/z"), ["spec", "x/y", "z"]);
    }
}
