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
use crate::yaml::node::{Mapping, Node};

/// Sets `pairs` in the mapping at each matching field spec of `resource`
/// (labels, annotations, selectors). Values are strings.
pub(crate) fn set_map_entries(
    resource: &mut Resource,
    specs: &[FieldSpec],
    pairs: &StringMap,
) -> Result<(), String> {
    if pairs.is_empty() {
        return Ok(());
    }
    let gvk = resource.gvk();
    for spec in specs.iter().filter(|s| gvk.is_selected_by(&s.gvk)) {
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
                *node = Node::Map(Mapping::new());
            }
            let Some(map) = node.as_map_mut() else {
                return Err(format!(
                    "{}: expected a mapping at '{}'",
                    resource_label(&gvk.kind),
                    spec.path_text()
                ));
            };
            for (k, v) in pairs {
                map.insert(k.clone(), Node::str(v));
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn resource_label(kind: &str) -> String {
    format!("{kind} resource")
}
