//! Strategic merge patches, applied exactly as kustomize v5.6.0 applies them.
//!
//! kustomize does not use apimachinery's strategic merge code but kyaml's own
//! two-source walker (`yaml/merge2` over `yaml/walk`, lists in "prepend"
//! direction). This module reproduces that walker's observable behaviour,
//! quirks included (see `merge-keys.md` in the team docs):
//!
//! * Every field of the target is walked, even where the patch is silent, so
//!   associative lists anywhere in the target are normalised (duplicate keys
//!   collapse to the last one).
//! * A list is merged element-wise only when the schema gives it a `merge`
//!   patch strategy; all other lists are replaced wholesale, verbatim.
//! * `$patch: delete|replace|merge` are honoured on maps and list elements,
//!   and as a list element of its own (`- $patch: replace`, associative lists
//!   only, and only if it is the first element with a `$patch` key and has no
//!   other key). Unknown values are errors. `$setElementOrder/…`,
//!   `$retainKeys` and `$deleteFromPrimitiveList/…` are plain keys to kyaml
//!   and are copied into the result.
//! * A patch list for a field the target lacks is merged with itself, without
//!   looking for a list-level `$patch`; lists inside newly added maps do get
//!   that treatment.
//! * A patch element without the merge key deletes every target element that
//!   has one; a patch element that omits a secondary key of a multi-key list
//!   is matched with, but not merged into, the target element.
//! * Element order: single-key lists give the patch's elements first (in patch
//!   order), then the target's others; multi-key lists give the patch's new
//!   elements first, then all target elements in target order.
//!
//! Well-formed associative lists (every element a map with non-empty values for
//! all merge keys, no duplicate keys; or distinct scalars) are merged through a
//! hash index in linear time. Anything else goes through a literal simulation
//! of kyaml's list code, which is quadratic like kyaml itself.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::openapi::Text;
use crate::schema::{ListMerge, Schema, SchemaRef};
use crate::stack;
use crate::yaml::node::{Mapping, Node, StrStyle};

/// What became of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmpOutcome {
    /// The target was patched in place (possibly left unchanged).
    Patched,
    /// The patch deleted the whole resource (top-level `$patch: delete`, or
    /// nothing left); the target's content is unspecified.
    Deleted,
}

/// A patch kustomize would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmpError {
    /// kustomize's wording, e.g. `unknown patch strategy 'foo'`.
    pub message: String,
}

impl fmt::Display for SmpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SmpError {}

/// Applies one strategic merge patch (a mapping) to `target` (a resource
/// mapping), with list merge behaviour taken from `schema`.
///
/// The schema is chosen by the target's apiVersion/kind (the patch's if the
/// target's type is unknown). Only the merge itself is done here: restoring the
/// target's name, namespace and kind afterwards is the caller's job, as in
/// kustomize's `Resource.ApplySmPatch`. On error the target may be partly
/// patched.
pub fn apply(target: &mut Node, patch: &Node, schema: &Schema) -> Result<SmpOutcome, SmpError> {
    if !matches!(target, Node::Map(_)) {
        return Err(wrong_kind(Kind::Map, target));
    }
    let merger = Merger {
        schema,
        literal_only: false,
        shared_writes: RefCell::default(),
    };
    let outcome = match merger.walk_present(target, Patch::Node(patch), None)? {
        Step::Clear => SmpOutcome::Deleted,
        // kyaml's top-level result is discarded: only in-place changes count,
        // so a top-level `$patch: replace` leaves the target as it was.
        Step::Replace(_) => SmpOutcome::Patched,
        Step::Keep if matches!(target, Node::Map(m) if m.is_empty()) => SmpOutcome::Deleted,
        Step::Keep => SmpOutcome::Patched,
    };
    let shared_writes = merger.shared_writes.into_inner();
    if !shared_writes.is_empty() {
        target.write_shared(&shared_writes);
    }
    Ok(outcome)
}

const DIRECTIVE: &str = "$patch";

/// The schema at the current position, if any.
type Cursor<'s> = Option<SchemaRef<'s>>;

/// The patch side of a walk.
#[derive(Clone, Copy)]
enum Patch<'p> {
    /// The patch does not have this node.
    Missing,
    Node(&'p Node),
    /// The patch *is* the destination node: kyaml merges a newly added patch
    /// subtree with itself, which is how directives inside it get processed.
    SelfAlias,
}

/// What to do with the destination node after a walk.
enum Step {
    /// Keep it (it may have been changed in place).
    Keep,
    Replace(Node),
    Clear,
}

/// The patch side of an associative list merge.
#[derive(Clone, Copy)]
enum PatchList<'p> {
    /// A separate patch list (`None`: the patch has no such list).
    Separate(Option<&'p [Node]>),
    /// The destination list is itself the patch list (the target had none).
    Alias,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Map,
    Seq,
    Scalar,
}

impl Kind {
    fn of(node: &Node) -> Kind {
        match node {
            Node::Map(_) => Kind::Map,
            Node::Seq(_) => Kind::Seq,
            _ => Kind::Scalar,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Map => "MappingNode",
            Kind::Seq => "SequenceNode",
            Kind::Scalar => "ScalarNode",
        }
    }
}

fn wrong_kind(expected: Kind, got: &Node) -> SmpError {
    SmpError {
        message: format!(
            "wrong node kind: expected {} but got {}: node contents:\n{}",
            expected.name(),
            Kind::of(got).name(),
            got.json_text()
        ),
    }
}

enum Directive {
    Merge,
    Replace,
    Delete,
}

/// The `$patch` directive of a patch map (kyaml compares the raw text).
fn directive(map: &Mapping) -> Result<Directive, SmpError> {
    let Some(value) = map.get(DIRECTIVE) else {
        return Ok(Directive::Merge);
    };
    match raw_text(value).as_ref() {
        "delete" => Ok(Directive::Delete),
        "replace" => Ok(Directive::Replace),
        "merge" => Ok(Directive::Merge),
        other => Err(SmpError {
            message: format!("unknown patch strategy '{other}'"),
        }),
    }
}

/// The directive of an associative patch list: the first map element with a
/// `$patch` key counts if that is its only key. A found directive is removed
/// with every element carrying the same `$patch` value (and, as a side effect
/// of kyaml's `ElementSetter`, null and empty-map elements).
fn list_directive(list: &[Node]) -> Result<(Directive, Cow<'_, [Node]>), SmpError> {
    let first = list.iter().find_map(|elem| match elem {
        Node::Map(m) => m.get(DIRECTIVE).map(|value| (m.len(), value)),
        _ => None,
    });
    let Some((1, value)) = first else {
        return Ok((Directive::Merge, Cow::Borrowed(list)));
    };
    let text = raw_text(value);
    let directive = match text.as_ref() {
        "delete" => Directive::Delete,
        "replace" => Directive::Replace,
        "merge" => Directive::Merge,
        other => {
            return Err(SmpError {
                message: format!("unknown patch strategy '{other}'"),
            });
        }
    };
    let elided = list
        .iter()
        .filter(|elem| match elem {
            Node::Null(_) => false,
            Node::Map(m) => !m.is_empty() && m.get(DIRECTIVE).is_none_or(|v| raw_text(v) != text),
            _ => true,
        })
        .cloned()
        .collect();
    Ok((directive, Cow::Owned(elided)))
}

/// A scalar's text as kyaml compares it (the YAML node's `Value`); empty for
/// collections.
fn raw_text(node: &Node) -> Cow<'_, str> {
    match node {
        Node::Str(s, _) => Cow::Borrowed(s),
        Node::Null(_) => Cow::Borrowed("null"),
        Node::Map(_) | Node::Seq(_) => Cow::Borrowed(""),
        other => Cow::Owned(other.scalar_text().unwrap_or_default()),
    }
}

/// A merge-key value as kyaml collects it: empty for null and collections.
fn key_text(node: &Node) -> Cow<'_, str> {
    match node {
        Node::Null(_) => Cow::Borrowed(""),
        _ => raw_text(node),
    }
}

/// The merge-key value of `key` in a list element ("" when absent).
fn field_key_text<'n>(elem: &'n Node, key: &str) -> Cow<'n, str> {
    match elem {
        Node::Map(m) => m.get(key).map_or(Cow::Borrowed(""), key_text),
        _ => Cow::Borrowed(""),
    }
}

/// Removes the entries at `sorted` indices in one pass, keeping the order.
fn remove_indices(map: &mut Mapping, sorted: &[usize]) {
    if sorted.is_empty() {
        return;
    }
    let mut index = 0;
    let mut next = sorted.iter().peekable();
    map.retain(|_, _| {
        let remove = next.next_if_eq(&&index).is_some();
        index += 1;
        !remove
    });
}

fn is_empty_map(node: &Node) -> bool {
    matches!(node, Node::Map(m) if m.is_empty())
}

/// A scalar created from text (kyaml's untagged `NewScalarRNode`), typed the
/// way a plain YAML scalar would resolve for the common cases.
fn scalar_from_text(text: &str) -> Node {
    match text {
        "true" => Node::Bool(true),
        "false" => Node::Bool(false),
        _ => text
            .parse::<i64>()
            .map_or_else(|_| Node::str(text), Node::Int),
    }
}

struct Merger<'s> {
    schema: &'s Schema,
    /// Skips the fast paths (tests check that both agree).
    literal_only: bool,
    /// Shared values (see `yaml::node::Shared`) the patch replaced, in walk
    /// order: kyaml changes the one node in place.
    shared_writes: RefCell<Vec<(u32, Node)>>,
}

impl<'s> Merger<'s> {
    /// kyaml's `GetSchema`: keep the current schema; without one, look up the
    /// type of the first source that is a map with `apiVersion` and `kind`.
    fn schema_for(&self, cursor: Cursor<'s>, sources: [Option<&Node>; 2]) -> Cursor<'s> {
        if cursor.is_some() {
            return cursor;
        }
        sources.into_iter().flatten().find_map(|node| {
            let Node::Map(m) = node else { return None };
            let api_version = m.get("apiVersion").map(key_text)?;
            let kind = m.get("kind").map(key_text)?;
            if api_version.is_empty() || kind.is_empty() {
                return None;
            }
            self.schema.resource(&api_version, &kind)
        })
    }

    /// Walks a destination node that exists (kyaml `Walk` with a non-missing
    /// destination), changing it in place where kyaml does.
    fn walk_present(
        &self,
        dest: &mut Node,
        patch: Patch<'_>,
        cursor: Cursor<'s>,
    ) -> Result<Step, SmpError> {
        let patch_node = match patch {
            Patch::Node(p) => Some(p),
            Patch::Missing | Patch::SelfAlias => None,
        };
        if matches!(patch, Patch::Missing) && matches!(dest, Node::Str(_, StrStyle::EmptyText)) {
            return Ok(Step::Clear);
        }
        let cursor = self.schema_for(cursor, [Some(dest), patch_node]);
        let kind = if !dest.is_null() {
            Kind::of(dest)
        } else if let Some(p) = patch_node.filter(|p| !p.is_null()) {
            Kind::of(p)
        } else {
            // Both null or missing: kyaml keeps an explicit null of the
            // destination only when the patch does not mention the field
            // (and not one written as nothing at all).
            return Ok(match patch {
                Patch::Missing if dest.is_empty_null() => Step::Clear,
                Patch::Missing => Step::Keep,
                _ => Step::Clear,
            });
        };
        if let Some(p) = patch_node.filter(|p| !p.is_null() && Kind::of(p) != kind) {
            return Err(wrong_kind(kind, p));
        }
        match kind {
            Kind::Map => stack::guard(|| self.walk_map(dest, patch, cursor)),
            Kind::Seq => stack::guard(|| self.walk_seq(dest, patch, cursor)),
            Kind::Scalar => Ok(match patch {
                Patch::Node(p) if p.is_null() => Step::Clear,
                Patch::Node(p) => Step::Replace(p.restyled_like(dest)),
                Patch::Missing | Patch::SelfAlias => Step::Keep,
            }),
        }
    }

    fn walk_map(
        &self,
        dest: &mut Node,
        patch: Patch<'_>,
        cursor: Cursor<'s>,
    ) -> Result<Step, SmpError> {
        let Node::Map(dest_map) = dest else {
            // A null destination with a map patch: the patch is added.
            let Patch::Node(p) = patch else {
                return Ok(Step::Clear);
            };
            return Ok(self
                .walk_absent(p, cursor)?
                .map_or(Step::Clear, Step::Replace));
        };
        match patch {
            Patch::Node(Node::Null(_)) => Ok(Step::Clear),
            Patch::Node(Node::Map(p)) => match directive(p)? {
                Directive::Delete => Ok(Step::Clear),
                Directive::Replace => {
                    let mut replacement = p.clone();
                    replacement.shift_remove(DIRECTIVE);
                    self.self_walk_fields(&mut replacement, cursor)?;
                    Ok(Step::Replace(Node::Map(replacement)))
                }
                Directive::Merge => {
                    self.merge_fields(dest_map, Some(p), cursor)?;
                    Ok(Step::Keep)
                }
            },
            Patch::Node(_) => Ok(Step::Keep), // unreachable: kinds were checked
            Patch::Missing => {
                self.merge_fields(dest_map, None, cursor)?;
                Ok(Step::Keep)
            }
            Patch::SelfAlias => {
                let directive = directive(dest_map)?;
                dest_map.shift_remove(DIRECTIVE);
                if let Directive::Delete = directive {
                    return Ok(Step::Clear);
                }
                self.self_walk_fields(dest_map, cursor)?;
                Ok(Step::Keep)
            }
        }
    }

    fn walk_seq(
        &self,
        dest: &mut Node,
        patch: Patch<'_>,
        cursor: Cursor<'s>,
    ) -> Result<Step, SmpError> {
        let Some(merge) = cursor.and_then(SchemaRef::list_merge) else {
            // Not associative: the patch's list wins as it is.
            return Ok(match patch {
                Patch::Node(p) if p.is_null() => Step::Clear,
                Patch::Node(p) => Step::Replace(p.clone()),
                Patch::Missing | Patch::SelfAlias => Step::Keep,
            });
        };
        let elements = cursor.and_then(SchemaRef::elements);
        let Node::Seq(dest_list) = dest else {
            // A null destination with a list patch: as if the target had none.
            let Patch::Node(p) = patch else {
                return Ok(Step::Clear);
            };
            return Ok(self
                .walk_absent(p, cursor)?
                .map_or(Step::Clear, Step::Replace));
        };
        match patch {
            Patch::Node(Node::Null(_)) => Ok(Step::Clear),
            Patch::Node(Node::Seq(p)) => match list_directive(p)? {
                (Directive::Delete, _) => Ok(Step::Clear),
                (Directive::Replace, p) => {
                    let mut list = p.into_owned();
                    self.merge_list(&mut list, PatchList::Alias, merge, elements)?;
                    Ok(Step::Replace(Node::Seq(list)))
                }
                (Directive::Merge, p) => {
                    self.merge_list(dest_list, PatchList::Separate(Some(&p)), merge, elements)?;
                    Ok(Step::Keep)
                }
            },
            Patch::Node(_) => Ok(Step::Keep), // unreachable: kinds were checked
            Patch::Missing => {
                self.merge_list(dest_list, PatchList::Separate(None), merge, elements)?;
                Ok(Step::Keep)
            }
            Patch::SelfAlias => match list_directive(dest_list)? {
                (Directive::Delete, _) => Ok(Step::Clear),
                (_, elided) => {
                    if let Cow::Owned(list) = elided {
                        *dest_list = list;
                    }
                    self.merge_list(dest_list, PatchList::Alias, merge, elements)?;
                    Ok(Step::Keep)
                }
            },
        }
    }

    /// Walks a patch node whose destination is missing: the result to add,
    /// if any. Directive errors at this level are ignored, as in kyaml.
    fn walk_absent(&self, patch: &Node, cursor: Cursor<'s>) -> Result<Option<Node>, SmpError> {
        stack::guard(|| self.walk_absent_here(patch, cursor))
    }

    fn walk_absent_here(&self, patch: &Node, cursor: Cursor<'s>) -> Result<Option<Node>, SmpError> {
        let cursor = self.schema_for(cursor, [None, Some(patch)]);
        match patch {
            Node::Null(_) => Ok(None),
            Node::Map(p) => {
                let mut added = p.clone();
                match directive(p) {
                    Ok(Directive::Delete) => return Ok(None),
                    Ok(_) => {
                        added.shift_remove(DIRECTIVE);
                    }
                    // An unknown `$patch` stays in the output as a plain key.
                    Err(_) => {}
                }
                self.self_walk_fields(&mut added, cursor)?;
                Ok(Some(Node::Map(added)))
            }
            Node::Seq(p) => match cursor.and_then(SchemaRef::list_merge) {
                // The patch list merged with itself (kyaml aliases the two),
                // without looking for a list-level `$patch` element.
                Some(merge) => {
                    let mut list = p.clone();
                    let elements = cursor.and_then(SchemaRef::elements);
                    self.merge_list(&mut list, PatchList::Alias, merge, elements)?;
                    Ok(Some(Node::Seq(list)))
                }
                None => Ok(Some(patch.clone())),
            },
            scalar => Ok(Some(scalar.clone())),
        }
    }

    /// kyaml's `walkMap` over a destination map and an optional patch map
    /// (whose `$patch` has been consumed).
    fn merge_fields(
        &self,
        dest: &mut Mapping,
        patch: Option<&Mapping>,
        cursor: Cursor<'s>,
    ) -> Result<(), SmpError> {
        let existing = dest.len();
        let mut cleared = Vec::new();
        // kyaml walks fields in sorted order: where two fields hold one
        // shared value, the last write in that order is the one that stays.
        let mut order: Vec<usize> = (0..existing).collect();
        order.sort_unstable_by(|&a, &b| {
            dest.get_index(a)
                .map(|e| e.0)
                .cmp(&dest.get_index(b).map(|e| e.0))
        });
        for i in order {
            let Some((key, value)) = dest.get_index_mut(i) else {
                break;
            };
            let patch_value = patch
                .filter(|_| key != DIRECTIVE)
                .and_then(|p| p.get(key.as_str()));
            let field = cursor.and_then(|c| c.field(key));
            let side = patch_value.map_or(Patch::Missing, Patch::Node);
            match self.walk_present(value, side, field)? {
                Step::Keep => {}
                Step::Replace(node) => match value.shared_id() {
                    Some(id) => {
                        *value = node.sharing(id);
                        let write = (id, value.clone());
                        self.shared_writes.borrow_mut().push(write);
                    }
                    None => *value = node,
                },
                Step::Clear => cleared.push(i),
            }
        }
        if let Some(patch) = patch {
            for (key, value) in patch {
                if key == DIRECTIVE || dest.contains_key(key.as_str()) {
                    continue;
                }
                let field = cursor.and_then(|c| c.field(key));
                if let Some(node) = self.walk_absent(value, field)? {
                    dest.insert(key.clone(), node);
                }
            }
        }
        // Indices are stable until now: new keys were appended after them.
        cleared.sort_unstable();
        remove_indices(dest, &cleared);
        Ok(())
    }

    /// kyaml's `walkMap` of a map merged with itself.
    fn self_walk_fields(&self, map: &mut Mapping, cursor: Cursor<'s>) -> Result<(), SmpError> {
        let mut cleared = Vec::new();
        for i in 0..map.len() {
            let Some((key, value)) = map.get_index_mut(i) else {
                break;
            };
            let field = cursor.and_then(|c| c.field(key));
            match self.walk_present(value, Patch::SelfAlias, field)? {
                Step::Keep => {}
                Step::Replace(node) => *value = node,
                Step::Clear => cleared.push(i),
            }
        }
        remove_indices(map, &cleared);
        Ok(())
    }

    /// Merges an associative list in place.
    fn merge_list(
        &self,
        dest: &mut Vec<Node>,
        patch: PatchList<'_>,
        merge: &ListMerge,
        elements: Cursor<'s>,
    ) -> Result<(), SmpError> {
        let keys = merge.keys();
        let done = if self.literal_only {
            false
        } else if keys.is_empty() {
            fast_scalar_set(dest, patch)
        } else {
            self.fast_keyed(dest, patch, keys, elements)?
        };
        if done {
            return Ok(());
        }
        let keys: Vec<&str> = if keys.is_empty() {
            vec![""]
        } else {
            keys.iter().map(|k| k.as_ref()).collect()
        };
        Literal::run(self, dest, patch, &keys, elements)
    }

    /// The linear-time merge for lists whose elements are all maps with
    /// distinct, non-empty merge-key values. Returns false (leaving `dest`
    /// untouched) for any other list.
    fn fast_keyed(
        &self,
        dest: &mut Vec<Node>,
        patch: PatchList<'_>,
        keys: &[Text],
        elements: Cursor<'s>,
    ) -> Result<bool, SmpError> {
        let Some(dest_tuples) = key_tuples(dest, keys) else {
            return Ok(false);
        };
        let Some(dest_index) = tuple_positions(&dest_tuples) else {
            return Ok(false);
        };
        let patch_list = match patch {
            PatchList::Alias => {
                // The patch merged with itself: each element walked alone.
                let mut merged = Vec::with_capacity(dest.len());
                for mut elem in std::mem::take(dest) {
                    match self.walk_present(&mut elem, Patch::SelfAlias, elements)? {
                        Step::Keep => merged.push(elem),
                        Step::Replace(node) => merged.push(node),
                        Step::Clear => {}
                    }
                }
                *dest = merged;
                return Ok(true);
            }
            PatchList::Separate(list) => list.unwrap_or(&[]),
        };
        let Some(patch_tuples) = key_tuples(patch_list, keys) else {
            return Ok(false);
        };
        if tuple_positions(&patch_tuples).is_none() {
            return Ok(false);
        }

        let mut slots: Vec<Option<Node>> = std::mem::take(dest).into_iter().map(Some).collect();
        let mut handled = vec![false; slots.len()];
        // With one key, matched elements take the patch's position; with
        // several, only new ones go first (see the module docs).
        let single = keys.len() == 1;
        let mut front = Vec::new();
        for (patch_elem, tuple) in patch_list.iter().zip(&patch_tuples) {
            match dest_index.get(tuple.as_slice()) {
                Some(&i) => {
                    handled[i] = true;
                    let Some(mut elem) = slots[i].take() else {
                        continue;
                    };
                    let kept =
                        match self.walk_present(&mut elem, Patch::Node(patch_elem), elements)? {
                            Step::Keep => Some(elem),
                            // A replaced element is put back unchanged by kyaml.
                            Step::Replace(_) => Some(elem),
                            Step::Clear => None,
                        };
                    if single {
                        front.extend(kept);
                    } else {
                        slots[i] = kept;
                    }
                }
                None => {
                    if let Some(node) = self.walk_absent(patch_elem, elements)? {
                        front.push(node);
                    }
                }
            }
        }
        for (slot, handled) in slots.iter_mut().zip(&handled) {
            if let (Some(elem), false) = (slot.as_mut(), *handled)
                && let Step::Clear = self.walk_present(elem, Patch::Missing, elements)?
            {
                *slot = None;
            }
        }
        front.extend(slots.into_iter().flatten());
        *dest = front;
        Ok(true)
    }
}

/// The merge-key tuple of every element; `None` unless every element is a
/// map with non-empty values for all keys.
fn key_tuples(list: &[Node], keys: &[Text]) -> Option<Vec<Vec<String>>> {
    list.iter()
        .map(|elem| {
            let Node::Map(m) = elem else { return None };
            keys.iter()
                .map(|key| {
                    let text = key_text(m.get(key.as_ref())?);
                    (!text.is_empty()).then(|| text.into_owned())
                })
                .collect()
        })
        .collect()
}

/// Where each tuple occurs; `None` if one repeats.
fn tuple_positions(tuples: &[Vec<String>]) -> Option<HashMap<&[String], usize>> {
    let mut positions = HashMap::with_capacity(tuples.len());
    for (i, tuple) in tuples.iter().enumerate() {
        if positions.insert(tuple.as_slice(), i).is_some() {
            return None;
        }
    }
    Some(positions)
}

/// The linear-time merge for scalar sets whose items are non-null scalars with
/// non-empty text: patch values first, then the target's others; each value
/// is represented by the target's last item with that text, else the patch's
/// first. Returns false for any other list.
fn fast_scalar_set(dest: &mut Vec<Node>, patch: PatchList<'_>) -> bool {
    let patch_list = match patch {
        PatchList::Separate(list) => list.unwrap_or(&[]),
        PatchList::Alias => &[],
    };
    let simple = |n: &Node| {
        !matches!(n, Node::Null(_) | Node::Map(_) | Node::Seq(_)) && !raw_text(n).is_empty()
    };
    if !dest.iter().chain(patch_list).all(simple) {
        return false;
    }
    let mut last_in_dest: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(dest.len());
    for (i, item) in dest.iter().enumerate() {
        last_in_dest.insert(raw_text(item), i);
    }
    let mut seen = HashSet::with_capacity(dest.len() + patch_list.len());
    // Each value's representative: a target index or a patch item.
    let mut order: Vec<(Option<usize>, &Node)> = Vec::new();
    for item in patch_list {
        let text = raw_text(item);
        if seen.insert(text.clone()) {
            order.push((last_in_dest.get(&text).copied(), item));
        }
    }
    for item in dest.iter() {
        let text = raw_text(item);
        if seen.insert(text.clone()) {
            order.push((Some(last_in_dest[&text]), item));
        }
    }
    let picks: Vec<Result<usize, Node>> = order
        .into_iter()
        .map(|(index, item)| index.ok_or_else(|| item.clone()))
        .collect();
    drop(last_in_dest);
    // Distinct values have distinct target indices, so each is moved once.
    let merged = picks
        .into_iter()
        .map(|pick| match pick {
            Ok(i) => std::mem::replace(&mut dest[i], Node::NULL),
            Err(node) => node,
        })
        .collect();
    *dest = merged;
    true
}

/// A literal simulation of kyaml's `setAssociativeSequenceElements` and
/// helpers (`ElementSetter`, `ElementMatcher`, `appendListNode`), for lists the
/// fast paths do not cover: elements without merge keys, duplicate keys, keys
/// missing in some elements of a multi-key list, non-map elements.
///
/// Nodes live in an arena because kyaml shares them between the destination
/// list and the list being built.
struct Literal<'m, 's, 'p> {
    merger: &'m Merger<'s>,
    arena: Vec<Node>,
    /// The destination list (arena ids); also the patch list when aliased.
    dest: Vec<usize>,
    patch: PatchList<'p>,
    /// Separate patch elements as changed by earlier walks: kyaml consumes a
    /// patch element's `$patch` (and more) while walking it, which shows when
    /// the same element is walked again for a second key tuple.
    walked_patch: HashMap<usize, Node>,
    elements: Cursor<'s>,
}

impl<'m, 's, 'p> Literal<'m, 's, 'p> {
    fn run(
        merger: &'m Merger<'s>,
        dest: &mut Vec<Node>,
        patch: PatchList<'p>,
        keys: &[&str],
        elements: Cursor<'s>,
    ) -> Result<(), SmpError> {
        let arena = std::mem::take(dest);
        let mut sim = Literal {
            merger,
            dest: (0..arena.len()).collect(),
            arena,
            patch,
            walked_patch: HashMap::new(),
            elements,
        };
        let items = sim.merge(keys)?;
        *dest = sim.materialize(items);
        Ok(())
    }

    fn tuple(&self, node: &Node, keys: &[&str]) -> Vec<String> {
        if keys == [""] {
            vec![raw_text(node).into_owned()]
        } else {
            keys.iter()
                .map(|k| field_key_text(node, k).into_owned())
                .collect()
        }
    }

    fn merge(&mut self, keys: &[&str]) -> Result<Vec<usize>, SmpError> {
        // All key tuples, the patch's first, without repeats.
        let mut values: Vec<Vec<String>> = Vec::new();
        let mut seen = HashSet::new();
        let patch_nodes: Vec<&Node> = match self.patch {
            PatchList::Separate(list) => list.unwrap_or(&[]).iter().collect(),
            PatchList::Alias => Vec::new(), // same nodes as the destination
        };
        let dest_nodes = self.dest.iter().map(|&id| &self.arena[id]);
        for node in patch_nodes.into_iter().chain(dest_nodes) {
            let tuple = self.tuple(node, keys);
            if seen.insert(tuple.clone()) {
                values.push(tuple);
            }
        }
        if keys.len() > 1 {
            merge_values(&mut values);
        }

        // Key positions that have a value somewhere (all if none has).
        let mut valid: Vec<usize> = (0..keys.len())
            .filter(|&i| values.iter().any(|t| !t[i].is_empty()))
            .collect();
        if valid.is_empty() {
            valid = (0..keys.len()).collect();
        }
        let valid_keys: Vec<&str> = valid.iter().map(|&i| keys[i]).collect();

        let mut items: Vec<usize> = Vec::new();
        for tuple in &values {
            let valid_values: Vec<&str> = valid.iter().map(|&i| tuple[i].as_str()).collect();
            // Lookups use only the keys this tuple has values for.
            let (lookup_keys, lookup_values): (Vec<&str>, Vec<&str>) =
                if valid_values.iter().all(|v| v.is_empty()) {
                    (valid_keys.clone(), valid_values.clone())
                } else {
                    valid_keys
                        .iter()
                        .zip(&valid_values)
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(k, v)| (*k, *v))
                        .unzip()
                };
            let val = self.walk_element(&lookup_keys, &lookup_values)?;
            let gone =
                val.is_none_or(|id| self.arena[id].is_null() || is_empty_map(&self.arena[id]));
            let Some(id) = val.filter(|_| !gone) else {
                let dest = std::mem::take(&mut self.dest);
                self.dest = self.element_setter(dest, None, &valid_keys, &valid_values)?;
                continue;
            };
            for (key, value) in valid_keys.iter().zip(&valid_values) {
                if !value.is_empty() {
                    self.ensure_key(id, key, value)?;
                }
            }
            items = self.element_setter(items, Some(id), &valid_keys, &valid_values)?;
        }
        if !values.is_empty() {
            items = self.append_dest(items, &valid_keys)?;
        }
        Ok(items)
    }

    /// Walks the first destination and patch elements matching the lookup;
    /// the arena id of the result.
    fn walk_element(&mut self, keys: &[&str], values: &[&str]) -> Result<Option<usize>, SmpError> {
        let found = find_first(
            self.dest.iter().map(|&id| (id, &self.arena[id])),
            keys,
            values,
        );
        let elements = self.elements;
        match self.patch {
            PatchList::Alias => match found {
                Some(id) => {
                    let step = self.merger.walk_present(
                        &mut self.arena[id],
                        Patch::SelfAlias,
                        elements,
                    )?;
                    Ok(self.step_result(id, step))
                }
                None => Ok(None),
            },
            PatchList::Separate(list) => {
                let list = list.unwrap_or(&[]);
                let Some(index) = find_first(list.iter().enumerate(), keys, values) else {
                    return match found {
                        Some(id) => {
                            let step = self.merger.walk_present(
                                &mut self.arena[id],
                                Patch::Missing,
                                elements,
                            )?;
                            Ok(self.step_result(id, step))
                        }
                        None => Ok(None),
                    };
                };
                let patch_elem = self.walked_patch.remove(&index);
                let patch_elem = patch_elem.as_ref().unwrap_or(&list[index]);
                let (val, walked) = match found {
                    Some(id) => {
                        let step = self.merger.walk_present(
                            &mut self.arena[id],
                            Patch::Node(patch_elem),
                            elements,
                        )?;
                        // A replacing element was merged with itself.
                        let walked = match &step {
                            Step::Replace(node) => node.clone(),
                            _ => without_directive(patch_elem),
                        };
                        (self.step_result(id, step), walked)
                    }
                    None => match self.merger.walk_absent(patch_elem, elements)? {
                        // kyaml adds the patch element itself, as walked.
                        Some(node) => (Some(self.alloc(node.clone())), node),
                        None => (None, without_directive(patch_elem)),
                    },
                };
                self.walked_patch.insert(index, walked);
                Ok(val)
            }
        }
    }

    fn step_result(&mut self, id: usize, step: Step) -> Option<usize> {
        match step {
            Step::Keep => Some(id),
            Step::Replace(node) => Some(self.alloc(node)),
            Step::Clear => None,
        }
    }

    fn alloc(&mut self, node: Node) -> usize {
        self.arena.push(node);
        self.arena.len() - 1
    }

    /// kyaml sets a merge key that the merged element lacks.
    fn ensure_key(&mut self, id: usize, key: &str, value: &str) -> Result<(), SmpError> {
        let node = &mut self.arena[id];
        if key.is_empty() {
            // Setting a scalar to its own text changes nothing here.
            return match node {
                Node::Map(_) | Node::Seq(_) => Err(wrong_kind(Kind::Scalar, node)),
                _ => Ok(()),
            };
        }
        match node {
            Node::Map(m) => {
                if !m.contains_key(key) {
                    m.insert(key.to_string(), scalar_from_text(value));
                }
                Ok(())
            }
            _ => Err(wrong_kind(Kind::Map, node)),
        }
    }

    /// kyaml's `ElementSetter`: replaces (or with `element: None` deletes) every
    /// element matching all key/value pairs, dropping null and empty-map
    /// elements on the way; appends `element` if nothing matched.
    fn element_setter(
        &self,
        list: Vec<usize>,
        element: Option<usize>,
        keys: &[&str],
        values: &[&str],
    ) -> Result<Vec<usize>, SmpError> {
        let keys = if keys.is_empty() { &[""][..] } else { keys };
        let mapping_setter = !keys[0].is_empty() && values.first().is_some_and(|v| !v.is_empty());
        let mut out = Vec::with_capacity(list.len() + 1);
        let mut found = false;
        for id in list {
            let node = &self.arena[id];
            if node.is_null() || is_empty_map(node) {
                continue;
            }
            if mapping_setter && !matches!(node, Node::Map(_)) {
                out.push(id);
                continue;
            }
            // kyaml's loop variable survives past the last value.
            let mut matched = false;
            let mut all = true;
            for (j, key) in keys.iter().enumerate() {
                if let Some(value) = values.get(j) {
                    matched = field_matches(node, key, value)?;
                }
                if !matched {
                    all = false;
                    break;
                }
            }
            if !all {
                if !values.is_empty() {
                    out.push(id);
                }
                continue;
            }
            found = true;
            out.extend(element);
        }
        if let Some(id) = element.filter(|&id| !found && !self.arena[id].is_null()) {
            out.push(id);
        }
        Ok(out)
    }

    /// kyaml's `appendListNode(items, dest, keys)`: puts the destination
    /// elements into the built list.
    fn append_dest(&self, mut items: Vec<usize>, keys: &[&str]) -> Result<Vec<usize>, SmpError> {
        for &id in &self.dest {
            let node = &self.arena[id];
            if keys.first().is_none_or(|k| k.is_empty()) {
                let text = raw_text(node);
                items = self.element_setter(items, Some(id), &[""], &[text.as_ref()])?;
                continue;
            }
            let mut values = Vec::with_capacity(keys.len());
            for key in keys {
                match node {
                    Node::Null(_) => items.push(id),
                    Node::Map(m) => match m.get(*key) {
                        Some(v) => values.push(raw_text(v)),
                        None => items.push(id),
                    },
                    _ => return Err(wrong_kind(Kind::Map, node)),
                }
            }
            let values: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
            if keys.len() > 1 {
                items = self.element_setter(items, None, keys, &values)?;
            }
            items = self.element_setter(items, Some(id), keys, &values)?;
        }
        Ok(items)
    }

    /// Turns arena ids into nodes, cloning only ids used more than once.
    fn materialize(mut self, items: Vec<usize>) -> Vec<Node> {
        let mut uses = vec![0usize; self.arena.len()];
        for &id in &items {
            uses[id] += 1;
        }
        items
            .into_iter()
            .map(|id| {
                uses[id] -= 1;
                if uses[id] == 0 {
                    std::mem::replace(&mut self.arena[id], Node::NULL)
                } else {
                    self.arena[id].clone()
                }
            })
            .collect()
    }
}

/// A patch element after kyaml consumed its known `$patch` directive.
fn without_directive(elem: &Node) -> Node {
    let mut elem = elem.clone();
    if let Node::Map(m) = &mut elem
        && directive(m).is_ok()
    {
        m.shift_remove(DIRECTIVE);
    }
    elem
}

/// kyaml's `ElementMatcher` as used by `ElementList`: the first element whose
/// fields match all key/value pairs (by the scalar's text; an empty key
/// compares the element itself). Non-map elements never match a key.
fn find_first<'n>(
    mut list: impl Iterator<Item = (usize, &'n Node)>,
    keys: &[&str],
    values: &[&str],
) -> Option<usize> {
    let keys = if keys.is_empty() { &[""][..] } else { keys };
    let values = if values.is_empty() { &[""][..] } else { values };
    if keys[0].is_empty() {
        return list.find(|(_, n)| raw_text(n) == values[0]).map(|(i, _)| i);
    }
    if keys.len() != values.len() {
        return None;
    }
    list.find(|(_, n)| {
        let Node::Map(m) = n else { return false };
        keys.iter()
            .zip(values)
            .all(|(k, v)| m.get(*k).is_some_and(|f| raw_text(f) == *v))
    })
    .map(|(i, _)| i)
}

/// kyaml's `FieldMatcher{Name, StringValue}` on a list element: an empty value
/// matches any value of an existing field; an empty name compares a scalar.
fn field_matches(node: &Node, key: &str, value: &str) -> Result<bool, SmpError> {
    if node.is_null() {
        return Ok(false);
    }
    if key.is_empty() {
        return match node {
            Node::Map(_) | Node::Seq(_) => Err(wrong_kind(Kind::Scalar, node)),
            _ => Ok(raw_text(node) == value),
        };
    }
    match node {
        Node::Map(m) => Ok(m
            .get(key)
            .is_some_and(|f| value.is_empty() || raw_text(f) == value)),
        _ => Err(wrong_kind(Kind::Map, node)),
    }
}

/// kyaml's `mergeValues` for multi-key lists: tuples that agree where both have
/// a value (and share at least one) are unified, in kyaml's order.
fn merge_values(list: &mut [Vec<String>]) {
    for i in 0..list.len() {
        // kyaml compares against the tuple as it was when its turn came.
        let first = list[i].clone();
        for j in 0..list.len() {
            if let Some(unified) = unify(&first, &list[j]) {
                list[i] = unified.clone();
                list[j] = unified;
            }
        }
    }
}

fn unify(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() != b.len() {
        return None;
    }
    let mut common = false;
    let mut unified = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        if x == y {
            common = true;
            unified.push(x.clone());
        } else if !x.is_empty() && !y.is_empty() {
            return None;
        } else if x.is_empty() {
            unified.push(y.clone());
        } else {
            unified.push(x.clone());
        }
    }
    common.then_some(unified)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const CASES: &str = include_str!("../../tests/fixtures/smp/cases.json");

    fn run(target: &Value, patch: &Value, literal_only: bool) -> Result<Option<Node>, SmpError> {
        let mut target = Node::from_json(target);
        let merger = Merger {
            schema: &Schema::builtin(),
            literal_only,
            shared_writes: RefCell::default(),
        };
        match merger.walk_present(&mut target, Patch::Node(&Node::from_json(patch)), None)? {
            Step::Clear => Ok(None),
            Step::Keep | Step::Replace(_) => Ok(Some(target)),
        }
    }

    #[test]
    fn mapping_equality_ignores_key_order() {
        let a = Node::from_json(&json!({"a": 1, "b": {"c": [1, 2]}}));
        let b = Node::from_json(&json!({"b": {"c": [1, 2]}, "a": 1}));
        let c = Node::from_json(&json!({"b": {"c": [2, 1]}, "a": 1}));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    /// Every case recorded from kustomize v5.6.0 (`tests/fixtures/smp/cases.json`).
    #[test]
    fn oracle_fixtures() {
        let cases: Vec<Value> = serde_json::from_str(CASES).unwrap();
        assert!(cases.len() >= 60, "only {} fixtures", cases.len());
        let mut failing = Vec::new();
        for case in &cases {
            let mut target = Node::from_json(&case["target"]);
            let patch = Node::from_json(&case["patch"]);
            let got = apply(&mut target, &patch, &Schema::builtin());
            let ok = if case["error"] == json!(true) {
                got.is_err()
            } else {
                match (got, &case["expected"]) {
                    (Ok(SmpOutcome::Deleted), Value::Null) => true,
                    (Ok(SmpOutcome::Patched), expected) => target == Node::from_json(expected),
                    _ => false,
                }
            };
            if !ok {
                failing.push(case["id"].as_str().unwrap_or("?").to_string());
            }
        }
        assert!(failing.is_empty(), "failing fixtures: {failing:?}");
    }

    #[test]
    fn errors_name_the_problem() {
        let target = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}});
        let err = run(&target, &json!({"data": {"$patch": "bogus"}}), false).unwrap_err();
        assert_eq!(err.to_string(), "unknown patch strategy 'bogus'");
        let err = run(&target, &json!({"data": "text"}), false).unwrap_err();
        assert!(
            err.message
                .starts_with("wrong node kind: expected MappingNode but got ScalarNode")
        );
    }

    #[test]
    fn top_level_outcomes() {
        let target = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}});
        let mut node = Node::from_json(&target);
        let delete = Node::from_json(&json!({"$patch": "delete"}));
        assert_eq!(
            apply(&mut node, &delete, &Schema::builtin()),
            Ok(SmpOutcome::Deleted)
        );
        let mut node = Node::from_json(&target);
        let replace = Node::from_json(&json!({"$patch": "replace", "data": {"c": "d"}}));
        assert_eq!(
            apply(&mut node, &replace, &Schema::builtin()),
            Ok(SmpOutcome::Patched)
        );
        assert_eq!(node, Node::from_json(&target));
        let mut node = Node::str("scalar");
        assert!(apply(&mut node, &replace, &Schema::builtin()).is_err());
    }

    /// A small deterministic generator (xorshift) for the differential test.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }
    }

    fn random_list(rng: &mut Rng, patch: bool, element: impl Fn(&mut Rng, bool) -> Value) -> Value {
        let mut items: Vec<Value> = (0..rng.below(5)).map(|_| element(rng, patch)).collect();
        if patch && rng.chance(10) {
            let at = rng.below(items.len() as u64 + 1) as usize;
            items.insert(
                at,
                json!({"$patch": rng.pick(&["replace", "merge", "delete"])}),
            );
        }
        if rng.chance(3) {
            items.push(Value::Null);
        }
        Value::Array(items)
    }

    fn random_deployment(rng: &mut Rng, patch: bool) -> Value {
        let directive = |rng: &mut Rng, map: &mut serde_json::Map<String, Value>| {
            if patch && rng.chance(10) {
                map.insert(
                    "$patch".into(),
                    json!(rng.pick(&["delete", "replace", "merge"])),
                );
            }
        };
        let env = |rng: &mut Rng, _patch: bool| {
            let mut e = serde_json::Map::new();
            if !rng.chance(5) {
                e.insert("name".into(), json!(rng.pick(&["A", "B", "C", "D"])));
            }
            e.insert("value".into(), json!(rng.pick(&["1", "2", "x"])));
            directive(rng, &mut e);
            Value::Object(e)
        };
        let port = |rng: &mut Rng, _patch: bool| {
            let mut p = serde_json::Map::new();
            if !rng.chance(5) {
                p.insert("containerPort".into(), json!(80 + rng.below(3)));
            }
            if rng.chance(70) {
                p.insert("protocol".into(), json!(rng.pick(&["TCP", "UDP"])));
            }
            p.insert("name".into(), json!(rng.pick(&["a", "b"])));
            directive(rng, &mut p);
            Value::Object(p)
        };
        let container = |rng: &mut Rng, patch: bool| {
            let mut c = serde_json::Map::new();
            if !rng.chance(5) {
                c.insert(
                    "name".into(),
                    json!(rng.pick(&["app", "side", "init", "x"])),
                );
            }
            c.insert("image".into(), json!(rng.pick(&["i:1", "i:2"])));
            if rng.chance(50) {
                c.insert("env".into(), random_list(rng, patch, env));
            }
            if rng.chance(40) {
                c.insert("ports".into(), random_list(rng, patch, port));
            }
            directive(rng, &mut c);
            Value::Object(c)
        };
        let mut spec = serde_json::Map::new();
        if rng.chance(85) {
            spec.insert("containers".into(), random_list(rng, patch, container));
        }
        let finalizer = |rng: &mut Rng, _patch: bool| json!(rng.pick(&["a", "b", "c"]));
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "finalizers": random_list(rng, patch, finalizer)},
            "spec": {"template": {"spec": spec}},
        })
    }

    /// The linear-time paths must agree with the literal simulation of kyaml.
    #[test]
    fn fast_paths_match_literal_simulation() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for i in 0..3000 {
            let target = random_deployment(&mut rng, false);
            let patch = random_deployment(&mut rng, true);
            let fast = run(&target, &patch, false);
            let literal = run(&target, &patch, true);
            assert_eq!(fast, literal, "case {i}\ntarget: {target}\npatch: {patch}");
        }
    }

    fn big_deployment(env: Vec<Value>, ports: Vec<Value>, finalizers: Vec<Value>) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "finalizers": finalizers},
            "spec": {"template": {"spec": {"containers": [{"name": "app", "env": env, "ports": ports}]}}},
        })
    }

    /// Large well-formed lists merge in linear time (a quadratic merge would
    /// take minutes here).
    #[test]
    fn large_lists_merge_quickly() {
        let n = 30_000;
        let env = |range: std::ops::Range<usize>, v: &str| -> Vec<Value> {
            range
                .map(|i| json!({"name": format!("E{i}"), "value": v}))
                .collect()
        };
        let ports = |range: std::ops::Range<usize>| -> Vec<Value> {
            range
                .map(|i| json!({"containerPort": i, "protocol": "TCP"}))
                .collect()
        };
        let fins = |range: std::ops::Range<usize>| -> Vec<Value> {
            range.map(|i| json!(format!("f{i}"))).collect()
        };
        let target = big_deployment(env(0..n, "t"), ports(0..n), fins(0..n));
        let patch = big_deployment(
            env(n / 2..n + n / 2, "p"),
            ports(n / 2..n + n / 2),
            fins(n / 2..n + n / 2),
        );
        let start = std::time::Instant::now();
        let merged = run(&target, &patch, false).unwrap().unwrap();
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());

        let container = merged
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap();
        let container = &container.as_seq().unwrap()[0];
        let env = container.get("env").unwrap().as_seq().unwrap();
        assert_eq!(env.len(), n + n / 2);
        // Single key: the patch's elements first, then the target's others.
        assert_eq!(
            env[0],
            Node::from_json(&json!({"name": format!("E{}", n / 2), "value": "p"}))
        );
        assert_eq!(
            env[n],
            Node::from_json(&json!({"name": "E0", "value": "t"}))
        );
        // Multiple keys: new patch elements first, then all target elements.
        let ports = container.get("ports").unwrap().as_seq().unwrap();
        assert_eq!(ports.len(), n + n / 2);
        assert_eq!(ports[0].get("containerPort"), Some(&Node::Int(n as i64)));
        assert_eq!(ports[n / 2].get("containerPort"), Some(&Node::Int(0)));
        let finalizers = merged
            .get_path(&["metadata", "finalizers"])
            .unwrap()
            .as_seq()
            .unwrap();
        assert_eq!(finalizers.len(), n + n / 2);
        assert_eq!(finalizers[0], Node::str(format!("f{}", n / 2)));
    }
}
