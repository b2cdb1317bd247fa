//! Transformers: each file changes resources in one way kustomize does.

pub mod annotations;
pub mod images;
pub mod labels;
pub mod name_reference;
pub mod namespace;
pub mod patch_json6902;
pub mod patch_strategic;
pub mod patches;
pub mod prefix_suffix;
pub mod replacements;
pub mod replicas;
pub mod sort;
pub mod value_add;
pub mod vars;

use crate::fieldspec::{Create, FieldSpec, walk_path};
use crate::kustomization::StringMap;
use crate::resource::Resource;
use crate::yaml::emit::is_yaml11_non_string;
use crate::yaml::node::{Mapping, Node};

/// Sets `pairs` in the mapping at each matching field spec of `resource`
/// (labels, annotations, selectors). Values are strings. As in kustomize, a
/// key's value is one node shared by the fields it is added to, and setting
/// a key that holds a shared value changes it everywhere.
pub(crate) fn set_map_entries(
    resource: &mut Resource,
    specs: &[FieldSpec],
    pairs: &StringMap,
) -> Result<(), String> {
    if pairs.is_empty() {
        return Ok(());
    }
    let gvk = resource.gvk();
    // kyaml double-quotes values that YAML 1.1 reads as another type.
    let values: Vec<Node> = pairs
        .values()
        .map(|v| {
            if is_yaml11_non_string(v) {
                Node::quoted(v.as_str())
            } else {
                Node::str(v.as_str())
            }
        })
        .collect();
    let first_id = resource.shared_values.len() as u32;
    let mut placements = vec![0; pairs.len()];
    let mut rewrites = Vec::new();
    let selected = || specs.iter().filter(|s| gvk.is_selected_by(&s.gvk));
    // kustomize's object has annotations while it holds internal ones: a
    // spec writing into them without `create` finds them.
    let annotations_stand_in = resource.has_internal_annotations()
        && selected().any(|s| {
            !s.create
                && matches!(s.path.as_slice(), [m, a] if m.field == "metadata" && a.field == "annotations")
        })
        && matches!(resource.node.get("metadata"), Some(Node::Map(m)) if !m.contains_key("annotations"));
    if annotations_stand_in {
        resource.node.map_entry("metadata").map_entry("annotations");
    }
    for spec in selected() {
        let create = if spec.create {
            Create::Map
        } else {
            Create::Nothing
        };
        walk_path(&mut resource.node, &spec.path, create, &mut |node| {
            if node.is_null() {
                if !spec.create {
                    return Ok(());
                }
                *node = Node::Map(Mapping::default());
            }
            let Some(map) = node.as_map_mut() else {
                return Err(format!(
                    "{}: expected a mapping at '{}'",
                    resource_label(&gvk.kind),
                    spec.path_text()
                ));
            };
            for (i, (key, value)) in pairs.keys().zip(&values).enumerate() {
                match map.get_mut(key.as_str()) {
                    // kyaml copies the value into the existing node.
                    Some(existing) => match existing.shared_id() {
                        Some(id) => {
                            *existing = value.clone().sharing(id);
                            rewrites.push((id, value.clone()));
                        }
                        None => *existing = value.clone(),
                    },
                    None => {
                        let id = first_id + i as u32;
                        map.insert(key.clone(), value.clone().sharing(id));
                        placements[i] += 1;
                    }
                }
            }
            Ok(())
        })?;
    }
    if annotations_stand_in
        && let Some(Node::Map(metadata)) = resource.node.get_mut("metadata")
        && matches!(metadata.get("annotations"), Some(Node::Map(a)) if a.is_empty())
    {
        metadata.shift_remove("annotations");
    }
    resource.shared_values.extend(placements);
    resource.write_shared(rewrites);
    Ok(())
}

fn resource_label(kind: &str) -> String {
    format!("{kind} resource")
}
