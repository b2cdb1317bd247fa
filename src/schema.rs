//! Merge behaviour of list fields, read from an OpenAPI v2 document the way kyaml
//! (kustomize v5.6.0) reads it.
//!
//! Only what strategic merge needs is kept: the type graph (`properties`,
//! `additionalProperties`, `items`, `$ref`), whether a schema is an array, the
//! `x-kubernetes-patch-*` / `x-kubernetes-list-map-keys` extensions, and the
//! `x-kubernetes-group-version-kind` index. The built-in table is the Kubernetes
//! v1.21.2 schema kustomize embeds, digested into statics by the build script
//! (see `build.rs`); a kustomization's `openapi:` field can supply another
//! document through [`Schema::from_openapi`].

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::{Arc, LazyLock};

use serde_json::Value;

pub use crate::openapi::ListMerge;
use crate::openapi::{NodeId, SchemaNode, Text};
use crate::resource::Gvk;

/// The embedded, reduced Kubernetes v1.21.2 schema (see `data/merge-keys.json`):
/// only read at run time when an `openapi:` document extends it.
const BUILTIN_JSON: &str = include_str!("../data/merge-keys.json");

/// `BUILTIN_NODES`, `BUILTIN_BY_TYPE` (the digest of `data/merge-keys.json`)
/// and `BUILTIN_CLUSTER_SCOPED` (`data/fieldspecs/resource-scope.yaml`,
/// sorted `(apiVersion, kind)`), written by the build script.
mod generated {
    use super::{ListMerge, SchemaNode};
    use std::borrow::Cow;
    include!(concat!(env!("OUT_DIR"), "/builtin_schema.rs"));
}

/// Immutable embedded data; builds share it through `Arc` and replace it
/// per build, never mutate it.
static BUILTIN: LazyLock<Arc<Schema>> = LazyLock::new(|| {
    Arc::new(Schema {
        nodes: Cow::Borrowed(generated::BUILTIN_NODES),
        by_type: Cow::Borrowed(generated::BUILTIN_BY_TYPE),
        cluster_scoped: Cow::Borrowed(&[]),
    })
});

impl ListMerge {
    /// The merge keys, in schema order; empty for a list of scalars.
    pub fn keys(&self) -> &[Text] {
        &self.keys
    }
}

/// Merge behaviour of list fields, per apiVersion/kind and field path.
#[derive(Debug, PartialEq)]
pub struct Schema {
    nodes: Cow<'static, [SchemaNode]>,
    /// `(kind, apiVersion, root node)`, sorted.
    by_type: Cow<'static, [(Text, Text, NodeId)]>,
    /// `(apiVersion, kind)` the document's `paths` declare cluster scoped, sorted.
    cluster_scoped: Cow<'static, [(Text, Text)]>,
}

/// A position in a [`Schema`]: the schema of one node of a resource.
#[derive(Debug, Clone, Copy)]
pub struct SchemaRef<'a> {
    schema: &'a Schema,
    id: NodeId,
}

impl<'a> SchemaRef<'a> {
    fn node(self) -> &'a SchemaNode {
        &self.schema.nodes[self.id as usize]
    }

    fn at(self, id: Option<NodeId>) -> Option<SchemaRef<'a>> {
        id.map(|id| SchemaRef {
            schema: self.schema,
            id,
        })
    }

    /// The schema of map field `name`: the property, else the map's value
    /// schema (`additionalProperties`), else none.
    pub fn field(self, name: &str) -> Option<SchemaRef<'a>> {
        let node = self.node();
        match node
            .properties
            .binary_search_by(|(property, _)| property.as_ref().cmp(name))
        {
            Ok(i) => self.at(node.properties[i].1),
            Err(_) => self.at(node.additional.flatten()),
        }
    }

    /// The schema of the elements, if this is an array schema.
    pub fn elements(self) -> Option<SchemaRef<'a>> {
        let node = self.node();
        if node.is_array {
            self.at(node.items.flatten())
        } else {
            None
        }
    }

    /// How a list with this schema merges; `None` = replaced wholesale.
    pub fn list_merge(self) -> Option<&'a ListMerge> {
        self.node().list_merge.as_ref()
    }
}

/// Orders `api_version` against the apiVersion `gvk` spells, without building it.
fn cmp_api_version(api_version: &str, gvk: &Gvk) -> Ordering {
    if gvk.group.is_empty() {
        api_version.cmp(&gvk.version)
    } else {
        let spelled = gvk
            .group
            .bytes()
            .chain(std::iter::once(b'/'))
            .chain(gvk.version.bytes());
        api_version.bytes().cmp(spelled)
    }
}

/// Whether the sorted `(apiVersion, kind)` list holds `gvk`.
fn holds<T: AsRef<str>>(list: &[(T, T)], gvk: &Gvk) -> bool {
    list.binary_search_by(|(api_version, kind)| {
        cmp_api_version(api_version.as_ref(), gvk).then_with(|| kind.as_ref().cmp(&gvk.kind))
    })
    .is_ok()
}

impl Schema {
    /// The built-in table (Kubernetes v1.21.2, as embedded in kustomize v5.6.0),
    /// shared.
    pub fn builtin() -> Arc<Schema> {
        Arc::clone(&BUILTIN)
    }

    /// Whether objects of this exact apiVersion/kind are cluster scoped: the
    /// built-in types by kyaml's precomputed table, others by this schema.
    pub fn is_cluster_scoped(&self, gvk: &Gvk) -> bool {
        holds(generated::BUILTIN_CLUSTER_SCOPED, gvk) || holds(&self.cluster_scoped, gvk)
    }

    /// The built-in schema with `doc`'s definitions and paths added (its own
    /// win): what kyaml holds when a custom schema is set after the built-in
    /// one was already loaded.
    pub fn builtin_extended_with(doc: &Value) -> Result<Schema, String> {
        let mut combined: Value =
            serde_json::from_str(BUILTIN_JSON).expect("embedded schema is valid JSON");
        for key in ["definitions", "paths"] {
            let Some(extra) = doc.get(key).and_then(Value::as_object) else {
                continue;
            };
            if let Some(Value::Object(target)) = combined.as_object_mut().map(|m| {
                m.entry(key)
                    .or_insert_with(|| Value::Object(Default::default()))
            }) {
                for (name, value) in extra {
                    target.insert(name.clone(), value.clone());
                }
            }
        }
        Schema::from_openapi(&combined)
    }

    /// Whether the built-in schema describes objects of this type.
    pub fn knows(&self, api_version: &str, kind: &str) -> bool {
        self.resource(api_version, kind).is_some()
    }

    /// Builds a schema from an OpenAPI v2 document (JSON, or YAML converted to
    /// JSON): its `definitions` and their `x-kubernetes-group-version-kind`.
    pub fn from_openapi(doc: &Value) -> Result<Schema, String> {
        let digest = crate::openapi::digest(doc)?;
        Ok(Schema {
            nodes: digest.nodes.into(),
            by_type: digest.by_type.into(),
            cluster_scoped: digest.cluster_scoped.into(),
        })
    }

    /// The schema of resources of type `api_version`/`kind`, if known.
    pub fn resource(&self, api_version: &str, kind: &str) -> Option<SchemaRef<'_>> {
        let i = self
            .by_type
            .binary_search_by(|(k, v, _)| (k.as_ref(), v.as_ref()).cmp(&(kind, api_version)))
            .ok()?;
        Some(SchemaRef {
            schema: self,
            id: self.by_type[i].2,
        })
    }

    /// How the list at `path` of `api_version`/`kind` merges; `None` = replaced
    /// wholesale. `path` holds field names from the resource root, with `"[]"`
    /// for "each element of this list" (map keys are given literally).
    pub fn list_merge(&self, api_version: &str, kind: &str, path: &[&str]) -> Option<&ListMerge> {
        let mut at = self.resource(api_version, kind)?;
        for step in path {
            at = if *step == "[]" {
                at.elements()?
            } else {
                at.field(step)?
            };
        }
        at.list_merge()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(api_version: &str, kind: &str, path: &str) -> Option<Vec<String>> {
        let path: Vec<&str> = path.split('.').collect();
        Schema::builtin()
            .list_merge(api_version, kind, &path)
            .map(|m| m.keys().iter().map(|k| k.to_string()).collect())
    }

    #[test]
    fn embedded_tables_are_the_data_file() {
        let doc: Value = serde_json::from_str(BUILTIN_JSON).unwrap();
        assert_eq!(*Schema::builtin(), Schema::from_openapi(&doc).unwrap());
        let scope = crate::yaml::parse::parse_single(include_str!(
            "../data/fieldspecs/resource-scope.yaml"
        ))
        .unwrap();
        let mut listed: Vec<(String, String)> = scope
            .get("clusterScoped")
            .and_then(crate::yaml::node::Node::as_seq)
            .unwrap()
            .iter()
            .map(|e| {
                let text = |key: &str| e.str_at(&[key]).unwrap().to_string();
                (text("apiVersion"), text("kind"))
            })
            .collect();
        listed.sort();
        let generated: Vec<(String, String)> = generated::BUILTIN_CLUSTER_SCOPED
            .iter()
            .map(|(v, k)| (v.to_string(), k.to_string()))
            .collect();
        assert_eq!(generated, listed);
    }

    #[test]
    fn builtin_cluster_scope() {
        let schema = Schema::builtin();
        assert!(schema.is_cluster_scoped(&Gvk::from_api_version("v1", "Namespace")));
        assert!(!schema.is_cluster_scoped(&Gvk::from_api_version("example.com/v1", "Namespace")));
        assert!(!schema.is_cluster_scoped(&Gvk::from_api_version("v1", "ConfigMap")));
    }

    #[test]
    fn common_lists() {
        let name = Some(vec!["name".to_string()]);
        assert_eq!(
            keys("apps/v1", "Deployment", "spec.template.spec.containers"),
            name
        );
        assert_eq!(
            keys(
                "apps/v1",
                "Deployment",
                "spec.template.spec.containers.[].env"
            ),
            name
        );
        assert_eq!(
            keys(
                "apps/v1",
                "Deployment",
                "spec.template.spec.containers.[].ports"
            ),
            Some(vec!["containerPort".into(), "protocol".into()])
        );
        assert_eq!(
            keys("v1", "Service", "spec.ports"),
            Some(vec!["port".into(), "protocol".into()])
        );
        assert_eq!(keys("v1", "Pod", "metadata.finalizers"), Some(vec![]));
        assert_eq!(
            keys(
                "batch/v1",
                "CronJob",
                "spec.jobTemplate.spec.template.spec.volumes"
            ),
            name
        );
        assert_eq!(
            keys("apps/v1", "Deployment", "spec.template.spec.tolerations"),
            None
        );
        assert_eq!(
            keys(
                "apps/v1",
                "Deployment",
                "spec.template.spec.containers.[].args"
            ),
            None
        );
        assert_eq!(
            keys(
                "extensions/v1beta1",
                "Deployment",
                "spec.template.spec.containers"
            ),
            None
        );
        assert_eq!(
            keys("autoscaling/v2", "HorizontalPodAutoscaler", "spec.metrics"),
            None
        );
        assert_eq!(keys("example.com/v1", "Widget", "spec.items"), None);
    }
}
