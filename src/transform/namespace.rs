//! `namespace`: moves every namespaced object into one namespace.

use crate::error::{Error, Result};
use crate::fieldspec::{Create, FieldSpec, walk_path};
use crate::resource::{Gvk, ResMap, Resource};
use crate::schema::Schema;
use crate::yaml::node::Node;

/// The `NamespaceTransformer` settings.
#[derive(Debug, Clone, PartialEq)]
pub struct NamespaceConfig {
    pub namespace: String,
    pub field_specs: Vec<FieldSpec>,
    /// Only fill namespaces that are not set.
    pub unset_only: bool,
    pub role_binding_subjects: RoleBindingSubjects,
}

/// Which RoleBinding / ClusterRoleBinding subjects follow the namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleBindingSubjects {
    /// Subjects named `default`.
    DefaultOnly,
    /// Every ServiceAccount subject.
    AllServiceAccounts,
    None,
}

impl NamespaceConfig {
    /// `schema` tells which kinds are cluster scoped.
    pub fn apply(&self, resources: &mut ResMap, schema: &Schema) -> Result<()> {
        if self.namespace.is_empty() {
            return Ok(());
        }
        for resource in resources.iter_mut() {
            // kustomize records every object's id here, moved or not, which makes
            // it a candidate for name-reference fix-up.
            resource.store_previous_id(schema);
            self.apply_to(resource, schema)?;
        }
        resources.reindex(schema).map_err(|id| {
            Error::transform(format!(
                "namespace transformation produces ID conflict: two objects are now {id}"
            ))
        })
    }

    /// Moves one object (kustomize's namespace filter, without the id
    /// bookkeeping of the transformer).
    pub fn apply_to(&self, resource: &mut Resource, schema: &Schema) -> Result<()> {
        let namespace = self.namespace.as_str();
        if namespace.is_empty() {
            return Ok(());
        }
        // With `unsetOnly`, a value already there (even "default") stays.
        let set = |node: &mut Node| {
            let is_unset = node.as_str().is_none_or(str::is_empty);
            if !self.unset_only || is_unset {
                *node = Node::str(namespace);
            }
        };
        let gvk = resource.gvk();
        if !schema.is_cluster_scoped(&gvk)
            && let Some(metadata) = resource.metadata_mut().as_map_mut()
        {
            set(metadata
                .entry("namespace".to_string())
                .or_insert(Node::NULL));
        }
        for spec in self
            .field_specs
            .iter()
            .filter(|s| gvk.is_selected_by(&s.gvk))
        {
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
                    set(node);
                }
                Ok(())
            })
            .map_err(|e| Error::transform(format!("namespace: {e}")))?;
        }
        if is_role_binding(&gvk) {
            self.set_subjects(&mut resource.node, &set);
        }
        Ok(())
    }

    /// Subjects follow the namespace as the subject mode says: by default
    /// those named `default` (the namespace's default service account).
    fn set_subjects(&self, node: &mut Node, set: &dyn Fn(&mut Node)) {
        let Some(subjects) = node.get_mut("subjects").and_then(Node::as_seq_mut) else {
            return;
        };
        for subject in subjects.iter_mut() {
            let selected = match self.role_binding_subjects {
                RoleBindingSubjects::DefaultOnly => subject.str_at(&["name"]) == Some("default"),
                RoleBindingSubjects::AllServiceAccounts => {
                    subject.str_at(&["kind"]) == Some("ServiceAccount")
                }
                RoleBindingSubjects::None => false,
            };
            if selected && let Some(map) = subject.as_map_mut() {
                set(map.entry("namespace".to_string()).or_insert(Node::NULL));
            }
        }
    }
}

fn is_role_binding(gvk: &Gvk) -> bool {
    matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let config = NamespaceConfig {
            namespace: "shop".into(),
            field_specs: crate::fieldspec::FieldSpecs::builtin().namespace.clone(),
            unset_only: false,
            role_binding_subjects: RoleBindingSubjects::DefaultOnly,
        };
        config.apply(&mut map, &schema).unwrap();
        assert_eq!(map.get(0).namespace(), "shop");
        assert_eq!(map.get(1).namespace(), "");
        assert_eq!(map.get(2).name(), "shop");
    }
}
