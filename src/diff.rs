//! Differences between two environments, compared as data.
//!
//! Resources are matched by their identity before environment
//! transformations: the id they were created with (kind, original name
//! without prefix, suffix or hash, original namespace), which the pipeline
//! keeps in `Resource::previous_ids`. So dev's `dev-order` matches prod's
//! `prod-order`, and a generated ConfigMap matches across hash suffixes.
//! Fields are compared as values; list elements are addressed by their merge
//! key (`containers[name=order]`) where the schema or a `name` field gives one.

use crate::build::{BuildOptions, build, resources_from_text};
use crate::error::{Error, Result};
use crate::resource::{ResId, Resource};
use crate::schema::{Schema, SchemaRef};
use crate::yaml::node::Node;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::path::Path;
use std::sync::Arc;

/// The resources of one side: a kustomization directory (built) or a
/// rendered YAML file (its objects have no earlier ids, so they match by
/// their current ones).
/// Returns them with the schema that says which are cluster scoped: the
/// build's (its `openapi`), or the built-in one for a rendered file.
pub fn load_side(path: &Path, options: &BuildOptions) -> Result<(Vec<Resource>, Arc<Schema>)> {
    if path.is_dir() {
        let output = build(path, options)?;
        let schema = output.schema();
        return Ok((output.resources, schema));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok((resources_from_text(path, &text)?, Schema::builtin()))
}

/// A resource's identity before environment transformations.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    pub group: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

impl Identity {
    fn of(resource: &Resource, schema: &Schema) -> Identity {
        Identity::from_id(resource.org_id(schema))
    }

    fn current(resource: &Resource, schema: &Schema) -> Identity {
        Identity::from_id(resource.cur_id(schema))
    }

    fn from_id(id: ResId) -> Identity {
        Identity {
            group: id.gvk.group,
            kind: id.gvk.kind,
            name: id.name,
            namespace: id.namespace,
        }
    }

    fn to_json(&self) -> Value {
        let mut object = json!({"kind": self.kind, "name": self.name});
        if !self.group.is_empty() {
            object["group"] = json!(self.group);
        }
        if !self.namespace.is_empty() {
            object["namespace"] = json!(self.namespace);
        }
        object
    }
}

impl fmt::Display for Identity {
    /// `Deployment order`, `Deployment payments/order` when it had a namespace.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.kind)?;
        if !self.namespace.is_empty() {
            write!(f, "{}/", self.namespace)?;
        }
        f.write_str(&self.name)
    }
}

/// One field that differs; `None` = absent on that side.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub path: String,
    pub old: Option<Node>,
    pub new: Option<Node>,
}

/// The changed fields of one resource present on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceChanges {
    pub identity: Identity,
    pub changes: Vec<FieldChange>,
}

/// Everything that differs from A to B.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    pub changed: Vec<ResourceChanges>,
    pub removed: Vec<Identity>,
    pub added: Vec<Identity>,
}

/// Field paths to leave out of a diff (`--ignore`): a pattern matches a path
/// and everything below it; `*` stands for any part of one segment
/// (`metadata.labels.*`, `spec.template.spec.containers[*].image`).
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    patterns: Vec<Vec<String>>,
}

impl Ignore {
    pub fn new(patterns: &[String]) -> Ignore {
        Ignore {
            patterns: patterns.iter().map(|p| split_path(p)).collect(),
        }
    }

    fn matches(&self, path: &[String]) -> bool {
        self.patterns.iter().any(|pattern| {
            pattern.len() <= path.len()
                && pattern
                    .iter()
                    .zip(path)
                    .all(|(pattern, segment)| wildcard_match(pattern, segment))
        })
    }
}

/// Compares A's resources with B's. Resources match by original identity;
/// those left over match by current identity (a rendered file, which has no
/// history, against the same environment built).
pub fn diff(a: &[Resource], b: &[Resource], ignore: &Ignore) -> Diff {
    let builtin = Schema::builtin();
    diff_with_schemas((a, &builtin), (b, &builtin), ignore)
}

/// [`diff`] with each side's own schema (cluster scope, merge keys of B).
pub fn diff_with_schemas(
    (a, a_schema): (&[Resource], &Schema),
    (b, b_schema): (&[Resource], &Schema),
    ignore: &Ignore,
) -> Diff {
    let mut partner: Vec<Option<usize>> = vec![None; a.len()];
    let mut taken = vec![false; b.len()];
    for identity in [
        Identity::of as fn(&Resource, &Schema) -> Identity,
        Identity::current,
    ] {
        let free_b: Vec<usize> = (0..b.len()).filter(|&j| !taken[j]).collect();
        let mut index: HashMap<(Identity, usize), usize> = HashMap::new();
        for (key, j) in keyed(free_b.iter().map(|&j| (identity(&b[j], b_schema), j))) {
            index.insert(key, j);
        }
        let free_a: Vec<usize> = (0..a.len()).filter(|&i| partner[i].is_none()).collect();
        for (key, i) in keyed(free_a.iter().map(|&i| (identity(&a[i], a_schema), i))) {
            if let Some(&j) = index.get(&key) {
                partner[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    let mut result = Diff::default();
    for (old, j) in a.iter().zip(partner) {
        let Some(j) = j else {
            result.removed.push(Identity::of(old, a_schema));
            continue;
        };
        let new = &b[j];
        let fields = b_schema.resource(new.api_version(), new.kind());
        let mut walker = Walker {
            ignore,
            changes: Vec::new(),
        };
        walker.compare(&mut Vec::new(), &old.node, &new.node, fields);
        if !walker.changes.is_empty() {
            result.changed.push(ResourceChanges {
                identity: Identity::of(old, a_schema),
                changes: walker.changes,
            });
        }
    }
    for (new, taken) in b.iter().zip(taken) {
        if !taken {
            result.added.push(Identity::of(new, b_schema));
        }
    }
    result
}

/// Identities with an occurrence number, for the rare side that holds one
/// original object twice (a base included through two prefixes).
fn keyed(items: impl Iterator<Item = (Identity, usize)>) -> Vec<((Identity, usize), usize)> {
    let mut seen: HashMap<Identity, usize> = HashMap::new();
    items
        .map(|(identity, index)| {
            let count = seen.entry(identity.clone()).or_default();
            *count += 1;
            ((identity, *count), index)
        })
        .collect()
}

struct Walker<'a> {
    ignore: &'a Ignore,
    changes: Vec<FieldChange>,
}

impl Walker<'_> {
    fn record(&mut self, path: &[String], old: Option<&Node>, new: Option<&Node>) {
        if self.ignore.matches(path) {
            return;
        }
        self.changes.push(FieldChange {
            path: join_path(path),
            old: old.cloned(),
            new: new.cloned(),
        });
    }

    fn compare(
        &mut self,
        path: &mut Vec<String>,
        old: &Node,
        new: &Node,
        schema: Option<SchemaRef>,
    ) {
        crate::stack::guard(|| self.compare_here(path, old, new, schema));
    }

    fn compare_here(
        &mut self,
        path: &mut Vec<String>,
        old: &Node,
        new: &Node,
        schema: Option<SchemaRef>,
    ) {
        if old == new || self.ignore.matches(path) {
            return;
        }
        match (old, new) {
            (Node::Map(a), Node::Map(b)) => {
                let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
                for key in keys {
                    path.push(key_segment(key));
                    let field = schema.and_then(|s| s.field(key));
                    match (a.get(key), b.get(key)) {
                        (Some(x), Some(y)) => self.compare(path, x, y, field),
                        (x, y) => self.record(path, x, y),
                    }
                    path.pop();
                }
            }
            (Node::Seq(a), Node::Seq(b)) => self.compare_lists(path, a, b, schema),
            _ => self.record(path, Some(old), Some(new)),
        }
    }

    fn compare_lists(
        &mut self,
        path: &mut Vec<String>,
        a: &[Node],
        b: &[Node],
        schema: Option<SchemaRef>,
    ) {
        let elements = schema.and_then(SchemaRef::elements);
        let schema_keys = schema
            .and_then(SchemaRef::list_merge)
            .map(|merge| {
                merge
                    .keys()
                    .iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let keys = if schema_keys.is_empty() {
            vec!["name".to_string()]
        } else {
            schema_keys
        };
        if let (Some(ka), Some(kb)) = (selectors(a, &keys), selectors(b, &keys)) {
            for (selector, x) in ka.iter().zip(a) {
                path.push(selector.clone());
                match kb.iter().position(|s| s == selector) {
                    Some(j) => self.compare(path, x, &b[j], elements),
                    None => self.record(path, Some(x), None),
                }
                path.pop();
            }
            for (selector, y) in kb.iter().zip(b) {
                if !ka.contains(selector) {
                    path.push(selector.clone());
                    self.record(path, None, Some(y));
                    path.pop();
                }
            }
            return;
        }
        let all_maps = a.iter().chain(b).all(|n| matches!(n, Node::Map(_)));
        if all_maps && a.len() == b.len() {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(format!("[{i}]"));
                self.compare(path, x, y, elements);
                path.pop();
            }
            return;
        }
        self.record(
            path,
            Some(&Node::Seq(a.to_vec())),
            Some(&Node::Seq(b.to_vec())),
        );
    }
}

/// `[name=order]` for each element, when every element is a mapping with
/// scalar values for the keys it has (at least one) and no two are equal.
fn selectors(list: &[Node], keys: &[String]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for element in list {
        let map = element.as_map()?;
        let parts: Vec<String> = keys
            .iter()
            .filter_map(|key| {
                let value = map.get(key)?.scalar_text()?;
                Some(format!("{key}={value}"))
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        let selector = format!("[{}]", parts.join(","));
        if out.contains(&selector) {
            return None;
        }
        out.push(selector);
    }
    Some(out)
}

fn key_segment(key: &str) -> String {
    if key.is_empty() || key.contains(['.', '[', ']']) {
        format!("[{key}]")
    } else {
        key.to_string()
    }
}

fn join_path(segments: &[String]) -> String {
    let mut text = String::new();
    for segment in segments {
        if !text.is_empty() && !segment.starts_with('[') {
            text.push('.');
        }
        text.push_str(segment);
    }
    text
}

/// The inverse of `join_path`: keys and `[...]` segments.
fn split_path(path: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut in_brackets = false;
    for c in path.chars() {
        match c {
            '[' if !in_brackets => {
                if !current.is_empty() {
                    segments.push(std::mem::take(&mut current));
                }
                in_brackets = true;
                current.push(c);
            }
            ']' if in_brackets => {
                current.push(c);
                segments.push(std::mem::take(&mut current));
                in_brackets = false;
            }
            '.' if !in_brackets => {
                if !current.is_empty() {
                    segments.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// `*` matches any run of characters; everything else literally.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return remaining.len() >= part.len() && remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// A value as one line: scalars as their text, collections as flow JSON.
fn show(value: Option<&Node>) -> String {
    match value {
        None => "(none)".into(),
        Some(Node::Str(s, _)) if s.is_empty() || s.contains(['\n', '"']) || s.trim() != s => {
            Value::String(s.clone()).to_string()
        }
        Some(node) => node.scalar_text().unwrap_or_else(|| node.json_text()),
    }
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty() && self.added.is_empty()
    }

    /// One line per change: `Deployment order: spec.replicas: 1 → 3`, then
    /// `removed: …` and `added: …`. ANSI colours when `color`.
    pub fn to_text(&self, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("{code}{text}{RESET}")
            } else {
                text.to_string()
            }
        };
        let mut out = String::new();
        for resource in &self.changed {
            let identity = paint(BOLD, &resource.identity.to_string());
            for change in &resource.changes {
                let _ = writeln!(
                    out,
                    "{identity}: {}: {} → {}",
                    change.path,
                    paint(RED, &show(change.old.as_ref())),
                    paint(GREEN, &show(change.new.as_ref()))
                );
            }
        }
        for identity in &self.removed {
            let _ = writeln!(out, "{}", paint(RED, &format!("removed: {identity}")));
        }
        for identity in &self.added {
            let _ = writeln!(out, "{}", paint(GREEN, &format!("added: {identity}")));
        }
        out
    }

    /// `{"equal", "changed": [{kind, name, …, "changes": [{path, old, new}]}], "removed", "added"}`;
    /// `old`/`new` are left out where the field is absent.
    pub fn to_json(&self) -> Value {
        let changed: Vec<Value> = self
            .changed
            .iter()
            .map(|resource| {
                let mut object = resource.identity.to_json();
                let changes: Vec<Value> = resource
                    .changes
                    .iter()
                    .map(|change| {
                        let mut c = json!({"path": change.path});
                        if let Some(old) = &change.old {
                            c["old"] = old.to_json();
                        }
                        if let Some(new) = &change.new {
                            c["new"] = new.to_json();
                        }
                        c
                    })
                    .collect();
                object["changes"] = Value::Array(changes);
                object
            })
            .collect();
        json!({
            "equal": self.is_empty(),
            "changed": changed,
            "removed": self.removed.iter().map(Identity::to_json).collect::<Vec<_>>(),
            "added": self.added.iter().map(Identity::to_json).collect::<Vec<_>>(),
        })
    }
}
