//! Merge behaviour of list fields, read from an OpenAPI v2 document the way kyaml
//! (kustomize v5.6.0) reads it.
//!
//! Only what strategic merge needs is kept: the type graph (`properties`,
//! `additionalProperties`, `items`, `$ref`), whether a schema is an array, the
//! `x-kubernetes-patch-*` / `x-kubernetes-list-map-keys` extensions, and the
//! `x-kubernetes-group-version-kind` index. The built-in table is the Kubernetes
//! v1.21.2 schema kustomize embeds; a kustomization's `openapi:` field can supply
//! another document through [`Schema::from_openapi`].

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use serde_json::Value;

use crate::resource::Gvk;
use crate::yaml::node::Node;
use crate::yaml::parse::parse_single;

/// The embedded, reduced Kubernetes v1.21.2 schema (see `data/merge-keys.json`).
const BUILTIN_JSON: &str = include_str!("../data/merge-keys.json");
/// kyaml's precomputed scope of the built-in types.
const RESOURCE_SCOPE: &str = include_str!("../data/fieldspecs/resource-scope.yaml");

/// Immutable embedded data, parsed once; builds share it through `Arc` and
/// replace it per build, never mutate it.
static BUILTIN: LazyLock<Arc<Schema>> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(BUILTIN_JSON).expect("embedded schema is valid JSON");
    Arc::new(Schema::from_openapi(&doc).expect("embedded schema is a valid OpenAPI document"))
});

/// `(apiVersion, kind)` of the built-in cluster-scoped types.
static BUILTIN_CLUSTER_SCOPED: LazyLock<HashSet<(String, String)>> = LazyLock::new(|| {
    let doc = parse_single(RESOURCE_SCOPE).expect("embedded resource scope is valid YAML");
    doc.get("clusterScoped")
        .and_then(Node::as_seq)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e.str_at(&["apiVersion"])?.to_string(),
                e.str_at(&["kind"])?.to_string(),
            ))
        })
        .collect()
});

/// How an associative list merges: element-wise, matched by `keys`
/// (empty = a list of scalars merged as a set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListMerge {
    keys: Vec<String>,
}

impl ListMerge {
    /// The merge keys, in schema order; empty for a list of scalars.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }
}

/// Index of a node in [`Schema::nodes`].
type NodeId = u32;

/// One schema after `$ref` resolution.
#[derive(Debug, Default)]
struct SchemaNode {
    /// `None` values are references that do not resolve (kyaml then has no schema).
    properties: HashMap<String, Option<NodeId>>,
    additional: Option<Option<NodeId>>,
    items: Option<Option<NodeId>>,
    is_array: bool,
    list_merge: Option<ListMerge>,
}

/// Merge behaviour of list fields, per apiVersion/kind and field path.
#[derive(Debug)]
pub struct Schema {
    nodes: Vec<SchemaNode>,
    /// kind → apiVersion → root node of that resource type.
    by_type: HashMap<String, HashMap<String, NodeId>>,
    /// `(apiVersion, kind)` the document's `paths` declare cluster scoped.
    cluster_scoped: HashSet<(String, String)>,
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
        match node.properties.get(name) {
            Some(id) => self.at(*id),
            None => self.at(node.additional.flatten()),
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

impl Schema {
    /// The built-in table (Kubernetes v1.21.2, as embedded in kustomize v5.6.0),
    /// parsed once on first use and shared.
    pub fn builtin() -> Arc<Schema> {
        Arc::clone(&BUILTIN)
    }

    /// Whether objects of this exact apiVersion/kind are cluster scoped: the
    /// built-in types by kyaml's precomputed table, others by this schema.
    pub fn is_cluster_scoped(&self, gvk: &Gvk) -> bool {
        let key = (gvk.api_version(), gvk.kind.clone());
        BUILTIN_CLUSTER_SCOPED.contains(&key) || self.cluster_scoped.contains(&key)
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
        let defs = doc
            .get("definitions")
            .and_then(Value::as_object)
            .ok_or("OpenAPI document has no `definitions` object")?;
        let mut builder = Builder {
            defs,
            def_ids: HashMap::new(),
            nodes: Vec::new(),
            leaf: None,
        };
        // Definitions get their ids first so that references can point at them.
        for name in defs.keys() {
            let id = builder.push(SchemaNode::default());
            builder.def_ids.insert(name.as_str(), id);
        }
        let mut by_type: HashMap<String, HashMap<String, NodeId>> = HashMap::new();
        for (name, def) in defs {
            let id = builder.def_ids[name.as_str()];
            builder.nodes[id as usize] = builder.convert_inline(def);
            for gvk in def
                .get("x-kubernetes-group-version-kind")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(version), Some(kind)) = (
                    gvk.get("version").and_then(Value::as_str),
                    gvk.get("kind").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let api_version = match gvk.get("group").and_then(Value::as_str) {
                    Some(group) if !group.is_empty() => format!("{group}/{version}"),
                    _ => version.to_string(),
                };
                // A reference-only definition stands for its target.
                if let Some(target) = builder.resolve_schema(def) {
                    by_type
                        .entry(kind.to_string())
                        .or_default()
                        .insert(api_version, target);
                }
            }
        }
        Ok(Schema {
            nodes: builder.nodes,
            by_type,
            cluster_scoped: cluster_scoped_by_paths(doc),
        })
    }

    /// The schema of resources of type `api_version`/`kind`, if known.
    pub fn resource(&self, api_version: &str, kind: &str) -> Option<SchemaRef<'_>> {
        let id = *self.by_type.get(kind)?.get(api_version)?;
        Some(SchemaRef { schema: self, id })
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

/// Types whose GET paths never take a namespace (kyaml's
/// `findNamespaceability`): a type is namespaced as soon as one GET path
/// contains `namespaces/{namespace}`.
fn cluster_scoped_by_paths(doc: &Value) -> HashSet<(String, String)> {
    let mut namespaced: HashMap<(String, String), bool> = HashMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return HashSet::new();
    };
    for (path, info) in paths {
        let Some(gvk) = info
            .pointer("/get/x-kubernetes-group-version-kind")
            .and_then(Value::as_object)
        else {
            continue;
        };
        let text = |key: &str| gvk.get(key).and_then(Value::as_str).unwrap_or("");
        let api_version = match text("group") {
            "" => text("version").to_string(),
            group => format!("{group}/{}", text("version")),
        };
        let key = (api_version, text("kind").to_string());
        if path.contains("namespaces/{namespace}") {
            namespaced.insert(key, true);
        } else {
            namespaced.entry(key).or_insert(false);
        }
    }
    namespaced
        .into_iter()
        .filter(|(_, is_namespaced)| !is_namespaced)
        .map(|(key, _)| key)
        .collect()
}

struct Builder<'d> {
    defs: &'d serde_json::Map<String, Value>,
    def_ids: HashMap<&'d str, NodeId>,
    nodes: Vec<SchemaNode>,
    /// Shared node for schemas without structure (scalars, opaque objects).
    leaf: Option<NodeId>,
}

impl<'d> Builder<'d> {
    fn push(&mut self, node: SchemaNode) -> NodeId {
        self.nodes.push(node);
        (self.nodes.len() - 1) as NodeId
    }

    /// The node a schema stands for: its reference target (kyaml replaces a
    /// schema with `$ref` by the target, dropping sibling keys), or itself.
    fn resolve_schema(&mut self, schema: &'d Value) -> Option<NodeId> {
        let mut current = schema;
        // Bounded so that reference cycles cannot loop.
        for _ in 0..=self.defs.len() {
            let Some(reference) = current.get("$ref") else {
                return Some(self.convert_or_leaf(current));
            };
            let name = reference.as_str()?.strip_prefix("#/definitions/")?;
            let target = self.defs.get(name)?;
            if target.get("$ref").is_none() {
                return self.def_ids.get(name).copied();
            }
            current = target;
        }
        None
    }

    fn convert_or_leaf(&mut self, schema: &'d Value) -> NodeId {
        let node = self.convert_inline(schema);
        let is_leaf = node.properties.is_empty()
            && node.additional.is_none()
            && node.items.is_none()
            && !node.is_array
            && node.list_merge.is_none();
        if is_leaf {
            match self.leaf {
                Some(id) => id,
                None => {
                    let id = self.push(node);
                    self.leaf = Some(id);
                    id
                }
            }
        } else {
            self.push(node)
        }
    }

    /// Converts a schema that is not a reference (or whose reference is ignored).
    fn convert_inline(&mut self, schema: &'d Value) -> SchemaNode {
        let mut node = SchemaNode::default();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let id = self.resolve_schema(prop);
                node.properties.insert(name.clone(), id);
            }
        }
        // `additionalProperties: true/false` carries no schema.
        if let Some(additional) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            node.additional = Some(self.resolve_schema(additional));
        }
        // Tuple-style `items: [..]` carries no single element schema.
        if let Some(items) = schema.get("items").filter(|v| v.is_object()) {
            node.items = Some(self.resolve_schema(items));
        }
        node.is_array = match schema.get("type") {
            Some(Value::String(t)) => t == "array",
            Some(Value::Array(types)) => types.len() == 1 && types[0] == "array",
            _ => false,
        };
        node.list_merge = list_merge_of(schema);
        node
    }
}

/// kyaml merges a list element-wise only if its patch strategy includes `merge`.
fn list_merge_of(schema: &Value) -> Option<ListMerge> {
    let strategy = schema.get("x-kubernetes-patch-strategy")?.as_str()?;
    if !strategy.split(',').any(|s| s == "merge") {
        return None;
    }
    let keys = if let Some(list) = schema.get("x-kubernetes-list-map-keys") {
        list.as_array()?
            .iter()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect()
    } else if let Some(key) = schema.get("x-kubernetes-patch-merge-key") {
        vec![key.as_str()?.to_string()]
    } else {
        Vec::new()
    };
    Some(ListMerge { keys })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(api_version: &str, kind: &str, path: &str) -> Option<Vec<String>> {
        let path: Vec<&str> = path.split('.').collect();
        Schema::builtin()
            .list_merge(api_version, kind, &path)
            .map(|m| m.keys().to_vec())
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
