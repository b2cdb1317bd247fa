//! Resources, their identities, and the indexed resource map.

use crate::origin::Origin;
use crate::schema::Schema;
use crate::yaml::node::{Mapping, Node};
use std::borrow::Cow;
use std::collections::HashMap;

/// Id indexes hash with foldhash: SipHash showed in large builds' profiles.
type IdMap<V> = HashMap<ResId, V, foldhash::fast::RandomState>;
use std::fmt;
use std::sync::OnceLock;

/// Group, version and kind of an object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    /// Splits `apiVersion` at the first `/` (no `/`: the core group).
    pub fn from_api_version(api_version: &str, kind: &str) -> Gvk {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        Gvk {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
        }
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// True when every non-empty field of `selector` equals ours.
    pub fn is_selected_by(&self, selector: &Gvk) -> bool {
        (selector.group.is_empty() || selector.group == self.group)
            && (selector.version.is_empty() || selector.version == self.version)
            && (selector.kind.is_empty() || selector.kind == self.kind)
    }
}

/// A resource's identity: type, name and namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ResId {
    pub gvk: Gvk,
    pub name: String,
    /// Empty for cluster-scoped objects and for objects without a namespace;
    /// "default" is stored as empty, since kustomize treats them alike.
    pub namespace: String,
}

impl ResId {
    pub fn new(gvk: Gvk, name: &str, namespace: &str) -> ResId {
        let namespace = if namespace == "default" {
            ""
        } else {
            namespace
        };
        ResId {
            gvk,
            name: name.to_string(),
            namespace: namespace.to_string(),
        }
    }
}

/// `text`, or kustomize's placeholder (`[noGrp]`, `[noNs]`, ...) when it is empty.
pub(crate) fn or_placeholder<'a>(text: &'a str, placeholder: &'a str) -> &'a str {
    if text.is_empty() { placeholder } else { text }
}

impl fmt::Display for Gvk {
    /// kustomize's `Gvk.String()`: `Kind.version.group`, placeholders for empty parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            or_placeholder(&self.kind, "[noKind]"),
            or_placeholder(&self.version, "[noVer]"),
            or_placeholder(&self.group, "[noGrp]")
        )
    }
}

impl fmt::Display for ResId {
    /// kustomize's `ResId.String()` form: `Kind.version.group/name.namespace`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = if self.gvk.group.is_empty() {
            "[noGrp]"
        } else {
            &self.gvk.group
        };
        let ns = if self.namespace.is_empty() {
            "[noNs]"
        } else {
            &self.namespace
        };
        write!(
            f,
            "{}.{}.{}/{}.{}",
            self.gvk.kind, self.gvk.version, group, self.name, ns
        )
    }
}

/// How a generated object combines with one of the same id from a base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Behavior {
    #[default]
    Create,
    Merge,
    Replace,
}

/// One object flowing through the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The whole object (a mapping).
    pub node: Node,
    /// Ids this object had before each rename, oldest first.
    pub previous_ids: Vec<ResId>,
    /// Set on generated ConfigMaps/Secrets that get a content hash suffix.
    pub needs_hash: bool,
    /// Generator behavior (only meaningful while generating).
    pub behavior: Behavior,
    /// The object was produced by a generator (its name hash is pending).
    pub generated: bool,
    /// `namePrefix` of every kustomization that transformed this object, innermost
    /// first (empty strings included): name references prefer objects that went
    /// through the same kustomizations.
    pub name_prefixes: Vec<String>,
    /// Same for `nameSuffix`.
    pub name_suffixes: Vec<String>,
    /// Vars (by name) whose `objref` names this object.
    pub var_names: Vec<String>,
    /// Where the object came from, while the build tracks origins (`buildMetadata`).
    pub origin: Option<Box<Origin>>,
    /// The transformers that ran over it, in order (`buildMetadata`).
    pub transformations: Vec<Origin>,
    /// For each shared value (`yaml::node::Shared`) of this object, by id:
    /// how many fields it was added to.
    pub shared_values: Vec<u32>,
    /// A replacement wrote text of another type into one of its scalars
    /// (`StrStyle::Mistyped`): the build fails unless something replaced it.
    pub mistyped: bool,
}

impl Resource {
    pub fn new(node: Node) -> Resource {
        Resource {
            node,
            previous_ids: Vec::new(),
            needs_hash: false,
            behavior: Behavior::Create,
            generated: false,
            name_prefixes: Vec::new(),
            name_suffixes: Vec::new(),
            var_names: Vec::new(),
            origin: None,
            transformations: Vec::new(),
            shared_values: Vec::new(),
            mistyped: false,
        }
    }

    /// Writes values that replaced shared values in place to the other
    /// fields holding them (see `yaml::node::Shared`).
    pub fn write_shared(&mut self, mut writes: Vec<(u32, Node)>) {
        let placements = |id: u32| self.shared_values.get(id as usize).copied();
        writes.retain(|(id, _)| placements(*id).is_none_or(|n| n > 1));
        if !writes.is_empty() {
            self.node.write_shared(&writes);
        }
    }

    pub fn kind(&self) -> &str {
        self.node.str_at(&["kind"]).unwrap_or("")
    }

    pub fn api_version(&self) -> &str {
        self.node.str_at(&["apiVersion"]).unwrap_or("")
    }

    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(self.api_version(), self.kind())
    }

    /// The name; a number or boolean there counts as its text, as in kustomize.
    pub fn name(&self) -> Cow<'_, str> {
        self.metadata_text("name")
    }

    pub fn namespace(&self) -> Cow<'_, str> {
        self.metadata_text("namespace")
    }

    fn metadata_text(&self, key: &str) -> Cow<'_, str> {
        match self.node.get_path(&["metadata", key]) {
            Some(Node::Str(text, _)) => Cow::Borrowed(text),
            Some(scalar) => Cow::Owned(scalar.scalar_text().unwrap_or_default()),
            None => Cow::Borrowed(""),
        }
    }

    pub fn metadata_mut(&mut self) -> &mut Node {
        self.node.map_entry("metadata")
    }

    pub fn set_name(&mut self, name: &str) {
        let metadata = self.metadata_mut();
        if let Some(m) = metadata.as_map_mut() {
            m.insert("name".into(), Node::str(name));
        }
    }

    pub fn set_namespace(&mut self, namespace: &str) {
        let metadata = self.metadata_mut();
        if let Some(m) = metadata.as_map_mut() {
            m.insert("namespace".into(), Node::str(namespace));
        }
    }

    /// The current id. Objects the build's schema calls cluster scoped have no
    /// namespace in their id.
    pub fn cur_id(&self, schema: &Schema) -> ResId {
        let gvk = self.gvk();
        let namespace = if schema.is_cluster_scoped(&gvk) {
            ""
        } else {
            &self.namespace()
        };
        ResId::new(gvk, &self.name(), namespace)
    }

    /// The id the object was created with.
    pub fn org_id(&self, schema: &Schema) -> ResId {
        self.previous_ids
            .first()
            .cloned()
            .unwrap_or_else(|| self.cur_id(schema))
    }

    /// Records the current id before a rename.
    pub fn store_previous_id(&mut self, schema: &Schema) {
        let id = self.cur_id(schema);
        self.previous_ids.push(id);
    }

    /// Whether kustomize's object holds any internal annotations now (see
    /// [`Resource::internal_annotations`]), so has `metadata.annotations`.
    pub fn has_internal_annotations(&self) -> bool {
        self.generated
            || !self.previous_ids.is_empty()
            || self.name_prefixes.iter().any(|p| !p.is_empty())
            || self.name_suffixes.iter().any(|s| !s.is_empty())
    }

    /// The `internal.config.kubernetes.io/` annotations kustomize's object
    /// carries at this point of the build (its name history, affixes,
    /// pending generator state). A JSON 6902 patch sees them: they are why
    /// `add /metadata/annotations/x` works on an object without annotations.
    pub fn internal_annotations(&self, schema: &Schema) -> Vec<(String, String)> {
        const PREFIX: &str = "internal.config.kubernetes.io/";
        let mut out = Vec::new();
        let mut add = |key: &str, value: String| out.push((format!("{PREFIX}{key}"), value));
        if self.generated {
            let behavior = match self.behavior {
                Behavior::Create => "unspecified",
                Behavior::Merge => "merge",
                Behavior::Replace => "replace",
            };
            add("generatorBehavior", behavior.to_string());
            if self.needs_hash {
                add("needsHashSuffix", "enabled".to_string());
            }
        }
        let joined = |affixes: &[String]| {
            let affixes: Vec<&str> = affixes
                .iter()
                .map(String::as_str)
                .filter(|a| !a.is_empty())
                .collect();
            affixes.join(",")
        };
        let prefixes = joined(&self.name_prefixes);
        if !prefixes.is_empty() {
            add("prefixes", prefixes);
        }
        let suffixes = joined(&self.name_suffixes);
        if !suffixes.is_empty() {
            add("suffixes", suffixes);
        }
        if !self.previous_ids.is_empty() {
            let cluster_scoped = |id: &ResId| schema.is_cluster_scoped(&id.gvk);
            let list = |part: &dyn Fn(&ResId) -> String| {
                self.previous_ids
                    .iter()
                    .map(part)
                    .collect::<Vec<_>>()
                    .join(",")
            };
            add("previousKinds", list(&|id| id.gvk.kind.clone()));
            add("previousNames", list(&|id| id.name.clone()));
            add(
                "previousNamespaces",
                list(&|id| match id.namespace.as_str() {
                    _ if cluster_scoped(id) => "_non_namespaceable_".to_string(),
                    "" => "default".to_string(),
                    ns => ns.to_string(),
                }),
            );
        }
        out
    }

    /// True if the current or any earlier id satisfies `pred`.
    pub fn any_id(&self, schema: &Schema, mut pred: impl FnMut(&ResId) -> bool) -> bool {
        pred(&self.cur_id(schema)) || self.previous_ids.iter().any(pred)
    }

    /// True if the current or any earlier name is `name`; cheaper than
    /// [`Resource::any_id`] (no id is built).
    pub fn has_been_named(&self, name: &str) -> bool {
        *self.name() == *name || self.previous_ids.iter().any(|id| id.name == name)
    }

    pub fn labels(&self) -> Option<&Mapping> {
        self.node
            .get_path(&["metadata", "labels"])
            .and_then(Node::as_map)
    }

    pub fn annotations(&self) -> Option<&Mapping> {
        self.node
            .get_path(&["metadata", "annotations"])
            .and_then(Node::as_map)
    }
}

/// Resources in accumulation order, indexed by current id.
#[derive(Debug, Clone, Default)]
pub struct ResMap {
    resources: Vec<Resource>,
    /// The current id of each resource as of the last (re)index.
    ids: Vec<ResId>,
    by_id: IdMap<usize>,
    /// Current and previous ids to the resources that have or had them, built
    /// on first use: every level of a chain of bases reindexes, and rehashing
    /// every previous id there made long chains of renames cubic.
    by_any_id: OnceLock<IdMap<Vec<usize>>>,
    /// Resources handed out by [`ResMap::edit`] since the last index, with
    /// their number of previous ids then: [`ResMap::refresh`] reindexes only
    /// these (one patch per object made full reindexes quadratic).
    edited: Vec<(usize, usize)>,
    /// Resources may have changed in any way since the last index
    /// (`iter_mut`, `get_mut`): the next refresh is a full reindex.
    stale: bool,
}

impl ResMap {
    pub fn new() -> ResMap {
        ResMap::default()
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Resource> {
        self.resources.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Resource> {
        self.stale = true;
        self.resources.iter_mut()
    }

    pub fn get(&self, index: usize) -> &Resource {
        &self.resources[index]
    }

    pub fn get_mut(&mut self, index: usize) -> &mut Resource {
        self.stale = true;
        &mut self.resources[index]
    }

    /// The resource at `index`, to change; [`ResMap::refresh`] then updates
    /// the index for it alone.
    pub fn edit(&mut self, index: usize) -> &mut Resource {
        let resource = &mut self.resources[index];
        self.edited.push((index, resource.previous_ids.len()));
        resource
    }

    pub fn index_of(&self, id: &ResId) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Appends a resource; fails (returning it) if its current id is taken.
    pub fn append(&mut self, resource: Resource, schema: &Schema) -> Result<(), Box<Resource>> {
        let id = resource.cur_id(schema);
        if self.by_id.contains_key(&id) {
            return Err(Box::new(resource));
        }
        let index = self.resources.len();
        if let Some(by_any_id) = self.by_any_id.get_mut() {
            for id in std::iter::once(&id).chain(&resource.previous_ids) {
                let slot = by_any_id.entry(id.clone()).or_default();
                if slot.last() != Some(&index) {
                    slot.push(index);
                }
            }
        }
        self.by_id.insert(id.clone(), index);
        self.ids.push(id);
        self.resources.push(resource);
        Ok(())
    }

    /// Rebuilds the id index after transformations changed names or namespaces.
    /// Returns the first id held by two resources, if any.
    pub fn reindex(&mut self, schema: &Schema) -> Result<(), ResId> {
        self.by_id.clear();
        self.by_any_id.take();
        self.edited.clear();
        self.stale = false;
        self.ids = self.resources.iter().map(|r| r.cur_id(schema)).collect();
        let mut duplicate = None;
        for (i, id) in self.ids.iter().enumerate() {
            if let Some(taken) = self.by_id.insert(id.clone(), i)
                && duplicate.is_none()
            {
                duplicate = Some(self.ids[taken].clone());
            }
        }
        duplicate.map_or(Ok(()), Err)
    }

    /// Same result as [`ResMap::reindex`], recomputing only the ids of
    /// resources changed through [`ResMap::edit`] when nothing else changed.
    pub fn refresh(&mut self, schema: &Schema) -> Result<(), ResId> {
        let edited = std::mem::take(&mut self.edited);
        // Duplicates (an earlier failed check) make the index order-dependent.
        if self.stale || self.by_id.len() != self.resources.len() {
            return self.reindex(schema);
        }
        let mut renamed = Vec::new();
        let mut new_previous_ids = false;
        for &(index, previous_count) in &edited {
            let resource = &self.resources[index];
            new_previous_ids |= resource.previous_ids.len() != previous_count;
            let id = resource.cur_id(schema);
            if id != self.ids[index] && !renamed.iter().any(|(i, _)| *i == index) {
                renamed.push((index, id));
            }
        }
        if renamed.is_empty() && !new_previous_ids {
            return Ok(());
        }
        self.by_any_id.take();
        for (index, _) in &renamed {
            self.by_id.remove(&self.ids[*index]);
        }
        for (index, id) in renamed {
            if self.by_id.contains_key(&id) {
                return self.reindex(schema);
            }
            self.by_id.insert(id.clone(), index);
            self.ids[index] = id;
        }
        debug_assert!(
            self.ids
                .iter()
                .zip(&self.resources)
                .all(|(id, r)| *id == r.cur_id(schema)),
            "an id changed outside ResMap::edit"
        );
        Ok(())
    }

    /// Removes resources for which `keep` is false, keeping the order.
    pub fn retain(&mut self, schema: &Schema, keep: impl FnMut(&Resource) -> bool) {
        self.resources.retain(keep);
        let _ = self.reindex(schema);
    }

    pub fn into_vec(self) -> Vec<Resource> {
        self.resources
    }

    pub fn as_slice(&self) -> &[Resource] {
        &self.resources
    }

    pub fn replace_all(&mut self, resources: Vec<Resource>, schema: &Schema) {
        self.resources = resources;
        let _ = self.reindex(schema);
    }

    /// Indexes of resources whose current or any previous id is `id`
    /// (in accumulation order). Valid after `append` or `reindex`.
    pub fn with_any_id(&self, id: &ResId) -> Vec<usize> {
        let index = self.by_any_id.get_or_init(|| {
            let mut index: IdMap<Vec<usize>> = IdMap::default();
            let previous = self
                .resources
                .iter()
                .enumerate()
                .flat_map(|(i, resource)| resource.previous_ids.iter().map(move |id| (id, i)));
            for (id, i) in self.by_id.iter().map(|(id, i)| (id, *i)).chain(previous) {
                let slot = index.entry(id.clone()).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
            for slot in index.values_mut() {
                slot.sort_unstable();
            }
            index
        });
        index.get(id).cloned().unwrap_or_default()
    }
}
