//! Name-reference fix-up: after prefixes, suffixes and hash suffixes renamed
//! objects, every field that named an object by its old name follows it.

use crate::error::{Error, Result};
use crate::fieldspec::{Create, FieldSpec, FieldSpecs, walk_path};
use crate::resource::{Gvk, ResId, ResMap, Resource};
use crate::schema::Schema;
use crate::yaml::node::Node;
use std::collections::{HashMap, HashSet};

/// What the fix-up needs to know of a possible referral target.
struct Candidate {
    current: ResId,
    /// `metadata.namespace` as written (ids store "default" as empty).
    namespace_field: String,
    cluster_scoped: bool,
    previous: Vec<ResId>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

impl Candidate {
    /// The namespace of its first id (ids store "default" as empty).
    fn original_namespace(&self) -> &str {
        self.previous
            .first()
            .map_or(&self.current.namespace, |id| &id.namespace)
    }

    fn of(resource: &Resource, schema: &Schema) -> Candidate {
        let current = resource.cur_id(schema);
        Candidate {
            namespace_field: resource.namespace().to_string(),
            cluster_scoped: schema.is_cluster_scoped(&current.gvk),
            current,
            previous: resource.previous_ids.clone(),
            prefixes: resource.name_prefixes.clone(),
            suffixes: resource.name_suffixes.clone(),
        }
    }
}

/// The referrer being fixed, and the namespaces from which it may refer.
struct Referrer<'a> {
    namespace: &'a str,
    prefixes: &'a [String],
    suffixes: &'a [String],
    cluster_scoped: bool,
    /// Namespaces of a RoleBinding's ServiceAccount subjects.
    subject_namespaces: HashSet<String>,
    /// `roleRef.kind` of a RoleBinding/ClusterRoleBinding.
    role_ref_kind: Option<String>,
}

struct Index<'a> {
    candidates: &'a [Candidate],
    /// Every previous name of every candidate, to the candidates that had it.
    by_previous_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(candidates: &'a [Candidate]) -> Index<'a> {
        let mut by_previous_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in candidates.iter().enumerate() {
            let mut seen = HashSet::new();
            for id in &c.previous {
                if seen.insert(id.name.as_str()) {
                    by_previous_name
                        .entry(id.name.as_str())
                        .or_default()
                        .push(i);
                }
            }
        }
        Index {
            candidates,
            by_previous_name,
        }
    }

    /// Which candidates a `{name, namespace}` reference to `namespace` may
    /// mean (kustomize's `filterMapCandidatesByNamespace`): namespaced
    /// objects whose original namespace is that one, or, if the referrer
    /// can see none, those whose current namespace is.
    fn namespace_group(&self, namespace: &str, referrer: &Referrer) -> NamespaceGroup {
        let namespace = if namespace == "default" {
            ""
        } else {
            namespace
        };
        let by_original = self.candidates.iter().any(|c| {
            !c.cluster_scoped
                && could_be_referenced(c, referrer)
                && c.original_namespace() == namespace
        });
        NamespaceGroup {
            namespace: namespace.to_string(),
            by_original,
        }
    }

    /// The object `old_name` refers to, if it was renamed (kustomize's `selectReferral`).
    fn select(
        &self,
        old_name: &str,
        target: &Gvk,
        referrer: &Referrer,
        is_role_ref: bool,
        // For a `{name, namespace}` reference: its namespace group, if it names one.
        mapping: Option<Option<&NamespaceGroup>>,
    ) -> std::result::Result<Option<&'a Candidate>, String> {
        let group = mapping.flatten();
        let Some(indices) = self.by_previous_name.get(old_name) else {
            return Ok(None);
        };
        let matches: Vec<&Candidate> = indices
            .iter()
            .map(|&i| &self.candidates[i])
            .filter(|c| could_be_referenced(c, referrer))
            .filter(|c| c.previous.iter().any(|id| id.gvk.is_selected_by(target)))
            .filter(|c| group.is_none_or(|group| group.contains(c)))
            .filter(|c| {
                !is_role_ref
                    || referrer
                        .role_ref_kind
                        .as_deref()
                        .is_none_or(|kind| c.current.gvk.kind == kind)
            })
            .filter(|c| same_namespace_or_exempt(c, referrer))
            .collect();
        if let [one] = matches.as_slice() {
            return Ok(Some(one));
        }
        // By name prefixes and suffixes: first letting an object without
        // any (on either side) through, then strictly.
        let matches: Vec<&Candidate> = matches
            .into_iter()
            .filter(|c| affixes_match(c, referrer, true))
            .collect();
        if let [one] = matches.as_slice() {
            return Ok(Some(one));
        }
        let matches: Vec<&Candidate> = matches
            .into_iter()
            .filter(|c| affixes_match(c, referrer, false))
            .collect();
        // A `{name, namespace}` reference takes both from the object.
        let same_namespace = |a: &Candidate, b: &Candidate| {
            mapping.is_none() || a.current.namespace == b.current.namespace
        };
        match matches.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            [first, rest @ ..] => {
                if rest
                    .iter()
                    .all(|c| c.current.name == first.current.name && same_namespace(c, first))
                {
                    Ok(Some(first))
                } else {
                    let ids: Vec<String> = matches.iter().map(|c| c.current.to_string()).collect();
                    Err(format!(
                        "found multiple possible referrals for name '{old_name}': {}",
                        ids.join(", ")
                    ))
                }
            }
        }
    }
}

/// Candidates of a `{name, namespace}` reference (see `Index::namespace_group`).
struct NamespaceGroup {
    namespace: String,
    by_original: bool,
}

impl NamespaceGroup {
    fn contains(&self, candidate: &Candidate) -> bool {
        let namespace = if self.by_original {
            candidate.original_namespace()
        } else {
            &candidate.current.namespace
        };
        !candidate.cluster_scoped && namespace == self.namespace
    }
}

/// Whether a candidate's name prefixes and suffixes fit the referrer's;
/// `lenient`: an empty list (on either side) fits anything.
fn affixes_match(candidate: &Candidate, referrer: &Referrer, lenient: bool) -> bool {
    let fits = |a: &[String], b: &[String]| {
        (lenient && (a.is_empty() || b.is_empty())) || same_ending(a, b)
    };
    fits(&candidate.prefixes, referrer.prefixes) && fits(&candidate.suffixes, referrer.suffixes)
}

/// True if the shorter list is the tail of the longer one (both empty counts;
/// one empty and the other not does not).
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

/// kustomize's `SubsetThatCouldBeReferencedByResource`.
fn could_be_referenced(candidate: &Candidate, referrer: &Referrer) -> bool {
    referrer.cluster_scoped
        || candidate.cluster_scoped
        || candidate.current.namespace == referrer.namespace
        || referrer
            .subject_namespaces
            .contains(&candidate.current.namespace)
}

/// kustomize's `sameCurrentNamespaceAsReferrer` sieve.
fn same_namespace_or_exempt(candidate: &Candidate, referrer: &Referrer) -> bool {
    referrer.cluster_scoped
        || candidate.cluster_scoped
        || candidate.current.gvk.kind == "ServiceAccount"
        || candidate.current.namespace == referrer.namespace
}

pub fn apply(resources: &mut ResMap, specs: &FieldSpecs, schema: &Schema) -> Result<()> {
    let candidates: Vec<Candidate> = resources.iter().map(|r| Candidate::of(r, schema)).collect();
    let index = Index::new(&candidates);
    for (position, resource) in resources.iter_mut().enumerate() {
        let referrer_id = &candidates[position].current;
        let referrer = Referrer {
            namespace: &referrer_id.namespace,
            prefixes: &candidates[position].prefixes,
            suffixes: &candidates[position].suffixes,
            cluster_scoped: candidates[position].cluster_scoped,
            subject_namespaces: subject_namespaces(resource, referrer_id)?,
            role_ref_kind: resource
                .node
                .str_at(&["roleRef", "kind"])
                .map(str::to_string),
        };
        let gvk = resource.gvk();
        for reference in &specs.name_reference {
            for spec in reference
                .referrers
                .iter()
                .filter(|s| gvk.is_selected_by(&s.gvk))
            {
                fix_field(resource, spec, &reference.gvk, &referrer, &index).map_err(|e| {
                    Error::transform(format!(
                        "name reference in {} at '{}': {e}",
                        referrer_id,
                        spec.path_text()
                    ))
                })?;
            }
        }
    }
    Ok(())
}

/// Namespaces of a RoleBinding's ServiceAccount subjects (objects there may be referenced).
fn subject_namespaces(resource: &Resource, id: &ResId) -> Result<HashSet<String>> {
    let mut namespaces = HashSet::new();
    if resource.kind() != "RoleBinding" {
        return Ok(namespaces);
    }
    let subjects = resource.node.get("subjects").and_then(Node::as_seq);
    for subject in subjects.into_iter().flatten() {
        if subject.str_at(&["kind"]) != Some("ServiceAccount") {
            continue;
        }
        match subject.get("namespace") {
            None => {}
            Some(Node::Str(ns, _)) => {
                namespaces.insert(if ns == "default" {
                    String::new()
                } else {
                    ns.clone()
                });
            }
            Some(_) => {
                return Err(Error::transform(format!(
                    "Invalid Input: namespace is blank for resource \"{id}\""
                )));
            }
        }
    }
    Ok(namespaces)
}

fn fix_field(
    resource: &mut Resource,
    spec: &FieldSpec,
    target: &Gvk,
    referrer: &Referrer,
    index: &Index,
) -> std::result::Result<(), String> {
    let is_role_ref = spec.path.first().is_some_and(|s| s.field == "roleRef");
    walk_path(
        &mut resource.node,
        &spec.path,
        Create::Nothing,
        &mut |node| match node {
            Node::Null(_) => Ok(()),
            Node::Map(_) => fix_mapping(node, target, referrer, is_role_ref, index),
            Node::Seq(items) => {
                for item in items.iter_mut() {
                    match item {
                        Node::Map(_) => fix_mapping(item, target, referrer, is_role_ref, index)?,
                        _ => fix_scalar(item, target, referrer, is_role_ref, index)?,
                    }
                }
                Ok(())
            }
            // A number or boolean names an object by its text, as in kustomize.
            _ => fix_scalar(node, target, referrer, is_role_ref, index),
        },
    )
}

fn fix_scalar(
    node: &mut Node,
    target: &Gvk,
    referrer: &Referrer,
    is_role_ref: bool,
    index: &Index,
) -> std::result::Result<(), String> {
    let Some(old) = node.scalar_text() else {
        return Ok(());
    };
    if let Some(found) = index.select(&old, target, referrer, is_role_ref, None)?
        // An unchanged name is left as it is (a number stays one).
        && found.current.name != old
    {
        *node = node.renamed_to(&found.current.name);
    }
    Ok(())
}

/// A `{name, namespace}` pair (RBAC subjects, webhook services...).
fn fix_mapping(
    node: &mut Node,
    target: &Gvk,
    referrer: &Referrer,
    is_role_ref: bool,
    index: &Index,
) -> std::result::Result<(), String> {
    let Some(old) = node.str_at(&["name"]) else {
        return Err("cannot find field 'name' in node".into());
    };
    let group = node
        .str_at(&["namespace"])
        .map(|namespace| index.namespace_group(namespace, referrer));
    let Some(found) = index.select(old, target, referrer, is_role_ref, Some(group.as_ref()))?
    else {
        return Ok(());
    };
    if found.current.name == old && found.namespace_field.is_empty() {
        return Ok(());
    }
    let map = node.as_map_mut().expect("checked above");
    let name = map.get("name").map_or_else(
        || Node::str(&found.current.name),
        |n| n.renamed_to(&found.current.name),
    );
    map.insert("name".into(), name);
    if !found.namespace_field.is_empty() {
        map.insert("namespace".into(), Node::str(&found.namespace_field));
    }
    Ok(())
}
