//! `namespace`: moves every namespaced object into one namespace.

use crate::error::{Error, Result};
use crate::fieldspec::{Create, FieldSpec, walk_path};
use crate::resource::{Gvk, ResMap};
use crate::schema::Schema;
use crate::yaml::node::Node;

/// The `NamespaceTransformer` settings.
#[derive(Debug, Clone, PartialEq)]
pub struct NamespaceConfig {
    pub namespace: String,
    pub field_specs: Vec<FieldSpec>,
}

impl NamespaceConfig {
    /// `schema` tells which kinds are cluster scoped.
    pub fn apply(&self, resources: &mut ResMap, schema: &Schema) -> Result<()> {
        apply(resources, &self.namespace, &self.field_specs, schema)
    }
}

fn apply(
    resources: &mut ResMap,
    namespace: &str,
    field_specs: &[FieldSpec],
    schema: &Schema,
) -> Result<()> {
    for resource in resources.iter_mut() {
        let gvk = resource.gvk();
        // kustomize records every object's id here, moved or not, which makes
        // it a candidate for name-reference fix-up.
        resource.store_previous_id(schema);
        if !schema.is_cluster_scoped(&gvk) {
            resource.set_namespace(namespace);
        }
        for spec in field_specs.iter().filter(|s| gvk.is_selected_by(&s.gvk)) {
            // The Namespace object itself is renamed only for core v1.
            if spec.gvk.kind == "Namespace" && resource.api_version() != "v1" {
                continue;
            }
            let create = if spec.create {
                Create::Scalar
            } else {
                Create::Nothing
            };
            walk_path(&mut resource.node, &spec.path, create, &mut |node| {
                if spec.create || !node.is_null() {
                    *node = Node::str(namespace);
                }
                Ok(())
            })
            .map_err(|e| Error::transform(format!("namespace: {e}")))?;
        }
        if is_role_binding(&gvk) {
            set_default_subjects(&mut resource.node, namespace);
        }
    }
    Ok(())
}

fn is_role_binding(gvk: &Gvk) -> bool {
    matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
}

/// Subjects named `default` (the namespace's default service account) follow
/// the namespace, as in kustomize's default subject mode.
fn set_default_subjects(node: &mut Node, namespace: &str) {
    let Some(subjects) = node.get_mut("subjects").and_then(Node::as_seq_mut) else {
        return;
    };
    for subject in subjects.iter_mut() {
        if subject.str_at(&["name"]) == Some("default")
            && let Some(map) = subject.as_map_mut()
        {
            map.insert("namespace".into(), Node::str(namespace));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Resource;
    use crate::yaml::parse::parse_stream;

    #[test]
    fn namespaces_objects_but_not_cluster_scoped_ones() {
        let docs = parse_stream(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: old}\n",
        )
        .unwrap();
        let schema = Schema::builtin();
        let mut map = ResMap::new();
        for doc in docs {
            map.append(Resource::new(doc), &schema).unwrap();
        }
        let specs = crate::fieldspec::FieldSpecs::builtin();
        apply(&mut map, "shop", &specs.namespace, &schema).unwrap();
        assert_eq!(map.get(0).namespace(), "shop");
        assert_eq!(map.get(1).namespace(), "");
        assert_eq!(map.get(2).name(), "shop");
    }
}
