//! Reads an OpenAPI v2 document into the merge schema's tables, the way kyaml
//! (kustomize v5.6.0) reads it. Depends on std and serde_json only: the build
//! script includes this file to pre-digest the embedded table into Rust
//! statics, and `openapi:` documents are read with it at run time.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

/// Text of a table: borrowed in the embedded statics, owned when read at run time.
pub type Text = Cow<'static, str>;

/// Index of a node in [`Digest::nodes`].
pub type NodeId = u32;

/// How an associative list merges: element-wise, matched by `keys`
/// (empty = a list of scalars merged as a set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListMerge {
    pub keys: Cow<'static, [Text]>,
}

/// One schema after `$ref` resolution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaNode {
    /// Sorted by name; `None` ids are references that do not resolve (kyaml
    /// then has no schema).
    pub properties: Cow<'static, [(Text, Option<NodeId>)]>,
    pub additional: Option<Option<NodeId>>,
    pub items: Option<Option<NodeId>>,
    pub is_array: bool,
    pub list_merge: Option<ListMerge>,
}

/// The tables of one document.
#[derive(Debug, Default)]
pub struct Digest {
    pub nodes: Vec<SchemaNode>,
    /// `(kind, apiVersion, root node)`, sorted, one entry per type.
    pub by_type: Vec<(Text, Text, NodeId)>,
    /// `(apiVersion, kind)` the document's `paths` declare cluster scoped, sorted.
    pub cluster_scoped: Vec<(Text, Text)>,
}

/// Reads `doc`'s `definitions` and their `x-kubernetes-group-version-kind`.
pub fn digest(doc: &Value) -> Result<Digest, String> {
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
    // Later definitions of the same type win.
    let mut by_type: BTreeMap<(String, String), NodeId> = BTreeMap::new();
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
                by_type.insert((kind.to_string(), api_version), target);
            }
        }
    }
    Ok(Digest {
        nodes: builder.nodes,
        by_type: by_type
            .into_iter()
            .map(|((kind, api_version), id)| (kind.into(), api_version.into(), id))
            .collect(),
        cluster_scoped: cluster_scoped_by_paths(doc),
    })
}

/// Types whose GET paths never take a namespace (kyaml's
/// `findNamespaceability`): a type is namespaced as soon as one GET path
/// contains `namespaces/{namespace}`.
fn cluster_scoped_by_paths(doc: &Value) -> Vec<(Text, Text)> {
    let mut namespaced: BTreeMap<(String, String), bool> = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
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
        .map(|((api_version, kind), _)| (api_version.into(), kind.into()))
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
            let mut properties: Vec<(Text, Option<NodeId>)> = Vec::with_capacity(props.len());
            for (name, prop) in props {
                let id = self.resolve_schema(prop);
                properties.push((name.clone().into(), id));
            }
            properties.sort_by(|a, b| a.0.cmp(&b.0));
            node.properties = properties.into();
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
    let keys: Vec<Text> = if let Some(list) = schema.get("x-kubernetes-list-map-keys") {
        list.as_array()?
            .iter()
            .filter_map(|k| k.as_str().map(|k| Text::Owned(k.to_string())))
            .collect()
    } else if let Some(key) = schema.get("x-kubernetes-patch-merge-key") {
        vec![Text::Owned(key.as_str()?.to_string())]
    } else {
        Vec::new()
    };
    Some(ListMerge { keys: keys.into() })
}
