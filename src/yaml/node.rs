//! The YAML node tree every stage works on.
//!
//! Scalars are resolved once, at parse time, with go-yaml v3 rules (what kustomize
//! reads resources with), so later stages see typed values and the emitter only has
//! to apply go-yaml v2's output rules. Mapping keys are always strings; the order of
//! a mapping's keys is kept but does not matter for output (the emitter sorts them).

use crate::stack;
use indexmap::IndexMap;
use std::borrow::Cow;

/// A mapping with string keys, in insertion order.
/// (foldhash: keys are short, and SipHash was a tenth of a large build.)
pub type Mapping = IndexMap<String, Node, foldhash::fast::RandomState>;

/// How a string was written, where kustomize's later steps still see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StrStyle {
    /// Plain, or made by a transformation.
    #[default]
    Plain,
    /// Quoted, or a literal block scalar, without an explicit tag. A strategic merge
    /// patch keeps the style of the value it replaces (kyaml copies it), so a
    /// number patched onto such a string stays a string.
    Quoted,
    /// A folded block scalar (`>`), with its text as read: a string as
    /// [`Quoted`](StrStyle::Quoted) is, refolded where the style reaches
    /// go-yaml v3's writer (see [`crate::yaml::folded`]).
    Folded,
    /// A plain scalar of a resource or patch that go-yaml v3 types as a
    /// number, boolean or date, kept as written because its text is not the
    /// canonical one (`0x10`, `3.0`, `True`, `1_000`). kyaml keeps the text
    /// and the tag: names, ids, selectors, merge keys and copies by
    /// replacements see the text; output, JSON and hashes see the type
    /// ([`Node::typed`]). Merged onto a quoted string it is that text.
    Written,
    /// A scalar kyaml made without a tag (a name namePrefix, nameSuffix or
    /// the name-reference fix-up set): its type is the one go-yaml v3 reads
    /// its text as, now (on output, `0x1f2` is 498) and after a replacement
    /// writes other text into it.
    Untagged,
    /// A label or annotation value written plain that go-yaml v3 types as a
    /// number, boolean, null or date. kustomize keeps such metadata values as
    /// their text, but a pass through Go JSON canonicalises them (see
    /// `yaml::gojson`); strings made by transformations are never this.
    PlainTyped,
    /// A value a label or annotation transformer added to several fields of
    /// one object (see [`Shared`]).
    Shared(Shared),
    /// An annotation of a resource written as nothing at all: its text is
    /// "", but kyaml's strategic merge sees the empty null it is and drops
    /// it (unless a transformer rewrote the annotations as strings first).
    EmptyText,
    /// Text a replacement wrote into a scalar of another type (the tag
    /// kept, e.g. `!!float`): kyaml keeps it as it is, and the object
    /// cannot be converted to JSON (written, JSON 6902 patched) until
    /// something replaces the node (a new name from namePrefix...).
    Mistyped(&'static str),
}

impl StrStyle {
    /// Whether a strategic merge patch keeps a value replacing this one a
    /// string (kyaml's double-quoted style).
    pub fn is_quoted(self) -> bool {
        matches!(
            self,
            StrStyle::Quoted | StrStyle::Shared(Shared { quoted: true, .. })
        )
    }

    /// Whether the text is read as go-yaml v3 reads a plain scalar (a
    /// number, boolean or string) where the type matters: output, JSON,
    /// hashes.
    pub fn reads_typed(self) -> bool {
        matches!(
            self,
            StrStyle::Written | StrStyle::Untagged | StrStyle::Shared(Shared { typed: true, .. })
        )
    }
}

/// kustomize's label and annotation transformers add one value node, per key
/// and object, to every field they add the key to (`metadata.labels`,
/// `spec.selector.matchLabels`, `spec.template.metadata.labels`...). Changing
/// it in place later (a transformer setting the same key, a strategic merge
/// patch, a replacement, a var) shows in all those fields; a pass through
/// JSON (a JSON 6902 patch) makes separate copies. The strings of one object
/// with the same `id` stand for that one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shared {
    pub id: u32,
    /// Written double-quoted: kyaml quotes values that YAML 1.1 reads as
    /// another type (`"5"`, `"yes"`).
    pub quoted: bool,
    /// Set to a number or boolean (by a strategic merge patch): the text
    /// reads as its type (see [`StrStyle::reads_typed`]).
    pub typed: bool,
}

/// How a null was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NullStyle {
    /// `null`, `~`, or made by a transformation.
    #[default]
    Explicit,
    /// No text at all (`key:`): kyaml's strategic merge drops such fields of
    /// its target.
    Empty,
}

/// A YAML value after go-yaml v3 scalar resolution.
///
/// Styles are remembered but do not take part in equality. Clone, equality
/// and drop recurse through [`crate::stack`], so any depth is safe on any
/// thread.
#[derive(Debug)]
pub enum Node {
    Null(NullStyle),
    Bool(bool),
    Int(i64),
    /// Integers above `i64::MAX` that still fit 64 bits.
    UInt(u64),
    /// Always finite: kustomize rejects infinities and NaN.
    Float(f64),
    Str(String, StrStyle),
    Seq(Vec<Node>),
    Map(Mapping),
}

impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Null(_), Node::Null(_)) => true,
            (Node::Bool(a), Node::Bool(b)) => a == b,
            (Node::Int(a), Node::Int(b)) => a == b,
            (Node::UInt(a), Node::UInt(b)) => a == b,
            (Node::Float(a), Node::Float(b)) => a == b,
            (Node::Str(a, _), Node::Str(b, _)) => a == b,
            (Node::Seq(a), Node::Seq(b)) => stack::guard(|| a == b),
            (Node::Map(a), Node::Map(b)) => stack::guard(|| a == b),
            _ => false,
        }
    }
}

impl Clone for Node {
    fn clone(&self) -> Node {
        match self {
            Node::Null(style) => Node::Null(*style),
            Node::Bool(b) => Node::Bool(*b),
            Node::Int(i) => Node::Int(*i),
            Node::UInt(u) => Node::UInt(*u),
            Node::Float(f) => Node::Float(*f),
            Node::Str(s, style) => Node::Str(s.clone(), *style),
            Node::Seq(items) => stack::guard(|| Node::Seq(items.clone())),
            Node::Map(map) => stack::guard(|| Node::Map(map.clone())),
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // Dropping a collection drops its children first: when the stack
        // runs low, the rest of the subtree is dropped on a new segment.
        if matches!(self, Node::Seq(_) | Node::Map(_)) && stack::is_low() {
            let subtree = std::mem::replace(self, Node::NULL);
            stack::on_new_segment(move || drop(subtree));
        }
    }
}

impl Node {
    /// An explicit null.
    pub const NULL: Node = Node::Null(NullStyle::Explicit);

    /// A plain string.
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into(), StrStyle::Plain)
    }

    /// A string that stays one under a strategic merge patch (see [`StrStyle`]).
    pub fn quoted(s: impl Into<String>) -> Node {
        Node::Str(s.into(), StrStyle::Quoted)
    }

    /// This scalar as the value replacing `dest` in a strategic merge: kyaml
    /// gives it `dest`'s style, so a number replacing a quoted string is a
    /// string too (written as its text), a quoted string replacing a plain
    /// value no longer counts as quoted, and only a value replacing a folded
    /// one (or none) is refolded.
    pub fn restyled_like(&self, dest: &Node) -> Node {
        let string_style = match dest {
            Node::Str(_, style @ (StrStyle::Quoted | StrStyle::Folded)) => Some(*style),
            Node::Str(_, style) if style.is_quoted() => Some(StrStyle::Quoted),
            _ => None,
        };
        match (self, string_style) {
            (Node::Str(_, style), None) if style.reads_typed() => self.clone(),
            (Node::Str(_, StrStyle::PlainTyped), None) => self.clone(),
            (Node::Str(s, _), Some(style)) => Node::Str(s.clone(), style),
            (Node::Str(s, _), None) => Node::str(s.clone()),
            (Node::Bool(_) | Node::Int(_) | Node::UInt(_) | Node::Float(_), Some(style)) => {
                Node::Str(self.scalar_text().unwrap_or_default(), style)
            }
            (other, _) => other.clone(),
        }
    }

    /// A string whose text reads typed ([`StrStyle::reads_typed`]) as its
    /// go-yaml v3 value; anything else as it is.
    pub fn typed(&self) -> Cow<'_, Node> {
        match self {
            Node::Str(s, style) if style.reads_typed() => Cow::Owned(resolve_plain_text(s)),
            other => Cow::Borrowed(other),
        }
    }

    /// The node go-yaml v3 makes of an untagged plain scalar with this text,
    /// keeping the text where it is not the canonical one (see
    /// [`StrStyle::Written`]).
    pub fn plain_scalar(text: &str) -> Result<Node, String> {
        let typed = super::resolve::resolve_plain(text)?;
        Ok(if typed.is_written_differently(text) {
            Node::Str(text.to_string(), StrStyle::Written)
        } else {
            typed
        })
    }

    /// A scalar kyaml made from `text` without a tag (see
    /// [`StrStyle::Untagged`]): its type comes from the text.
    pub fn untagged(text: &str) -> Node {
        Node::Str(text.to_string(), StrStyle::Untagged)
    }

    /// The scalar kyaml puts in place of `self` when a transformer sets a
    /// new name: quoted if `self` was, else untagged (see [`Node::untagged`]).
    pub fn renamed_to(&self, text: &str) -> Node {
        match self {
            Node::Str(_, style) if style.is_quoted() || *style == StrStyle::Folded => {
                Node::quoted(text)
            }
            _ => Node::untagged(text),
        }
    }

    /// Whether this value of a plain scalar has text other than `text`
    /// (numbers, booleans and dates not in canonical form).
    pub fn is_written_differently(&self, text: &str) -> bool {
        match self {
            Node::Str(s, _) => s != text,
            Node::Bool(_) | Node::Int(_) | Node::UInt(_) | Node::Float(_) => {
                self.scalar_text().is_none_or(|canonical| canonical != text)
            }
            _ => false,
        }
    }

    /// The error converting this object to JSON gives, if it holds text
    /// of the wrong type (see [`StrStyle::Mistyped`]).
    pub fn mistyped_error(&self) -> Option<String> {
        match self {
            Node::Str(text, StrStyle::Mistyped(tag)) => Some(mistyped_message(text, tag)),
            Node::Seq(items) => stack::guard(|| items.iter().find_map(Node::mistyped_error)),
            Node::Map(map) => stack::guard(|| map.values().find_map(Node::mistyped_error)),
            _ => None,
        }
    }

    /// The id of the shared value this is (see [`Shared`]).
    pub fn shared_id(&self) -> Option<u32> {
        match self {
            Node::Str(_, StrStyle::Shared(shared)) => Some(shared.id),
            _ => None,
        }
    }

    /// This value put in place of shared value `id`: a scalar stays that
    /// node (numbers and booleans as their text, read typed); a null, a
    /// folded string or a collection ends the link.
    pub fn sharing(mut self, id: u32) -> Node {
        let (quoted, typed) = match &self {
            Node::Str(_, StrStyle::Shared(shared)) => (shared.quoted, shared.typed),
            Node::Str(_, style @ (StrStyle::Plain | StrStyle::Quoted | StrStyle::Untagged)) => {
                (style.is_quoted(), false)
            }
            Node::Str(_, StrStyle::Written | StrStyle::PlainTyped) => (false, true),
            Node::Bool(_) | Node::Int(_) | Node::UInt(_) | Node::Float(_) => (false, true),
            _ => return self,
        };
        let text = match &mut self {
            Node::Str(s, _) => std::mem::take(s),
            scalar => scalar.scalar_text().unwrap_or_default(),
        };
        Node::Str(text, StrStyle::Shared(Shared { id, quoted, typed }))
    }

    /// A copy of a value taken out of its object: kustomize copies nodes
    /// there, so none of it is shared any more.
    pub fn unshare(&mut self) {
        match self {
            Node::Str(_, style @ StrStyle::Shared(_)) => {
                *style = if style.is_quoted() {
                    StrStyle::Quoted
                } else if style.reads_typed() {
                    StrStyle::Untagged
                } else {
                    StrStyle::Plain
                };
            }
            Node::Seq(items) => items.iter_mut().for_each(Node::unshare),
            Node::Map(map) => map.values_mut().for_each(Node::unshare),
            _ => {}
        }
    }

    /// Writes each `(id, value)` of `writes` to every string of the shared
    /// value `id` in this object (the last write of an id wins).
    pub fn write_shared(&mut self, writes: &[(u32, Node)]) {
        match self {
            Node::Str(_, StrStyle::Shared(shared)) => {
                let id = shared.id;
                if let Some((_, value)) = writes.iter().rev().find(|(w, _)| *w == id) {
                    *self = value.clone().sharing(id);
                }
            }
            Node::Seq(items) => items.iter_mut().for_each(|n| n.write_shared(writes)),
            Node::Map(map) => map.values_mut().for_each(|n| n.write_shared(writes)),
            _ => {}
        }
    }

    /// The YAML tag of this value (`!!int`, `!!str`...).
    pub fn yaml_tag(&self) -> &'static str {
        match self {
            Node::Null(_) => "!!null",
            Node::Bool(_) => "!!bool",
            Node::Int(_) | Node::UInt(_) => "!!int",
            Node::Float(_) => "!!float",
            Node::Str(..) => "!!str",
            Node::Seq(_) => "!!seq",
            Node::Map(_) => "!!map",
        }
    }

    /// The JSON type name Go's encoding/json reports in unmarshal errors.
    pub fn json_type(&self) -> &'static str {
        match self {
            Node::Str(s, style) if style.reads_typed() => resolve_plain_text(s).json_type(),
            Node::Bool(_) => "bool",
            Node::Int(_) | Node::UInt(_) | Node::Float(_) => "number",
            Node::Str(..) => "string",
            Node::Seq(_) => "array",
            Node::Map(_) => "object",
            Node::Null(_) => "null",
        }
    }

    /// Whether this is a null written as nothing at all.
    pub fn is_empty_null(&self) -> bool {
        matches!(self, Node::Null(NullStyle::Empty))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s, _) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Mapping> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Mapping> {
        match self {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match self {
            Node::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match self {
            Node::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Node::Null(_))
    }

    /// The value at `key` of a mapping (None for other node types).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|m| m.get(key))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut().and_then(|m| m.get_mut(key))
    }

    /// Follows a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn get_path_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        path.iter().try_fold(self, |node, key| node.get_mut(key))
    }

    /// The string at a path of mapping keys, if it is a string.
    pub fn str_at(&self, path: &[&str]) -> Option<&str> {
        self.get_path(path).and_then(Node::as_str)
    }

    /// The text a scalar is compared and substituted by (Go's formatting of
    /// the value); None for null and collections.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Node::Bool(b) => Some(b.to_string()),
            Node::Int(i) => Some(i.to_string()),
            Node::UInt(u) => Some(u.to_string()),
            Node::Float(f) => Some(crate::yaml::emit::format_float(*f)),
            Node::Str(s, _) => Some(s.clone()),
            Node::Null(_) | Node::Seq(_) | Node::Map(_) => None,
        }
    }

    /// The mapping at `key`, created (replacing a null or scalar) when absent.
    /// `self` must be a mapping.
    pub fn map_entry(&mut self, key: &str) -> &mut Node {
        let map = self.as_map_mut().expect("map_entry on a mapping");
        let slot = map.entry(key.to_string()).or_insert(Node::NULL);
        if !matches!(slot, Node::Map(_)) {
            *slot = Node::Map(Mapping::default());
        }
        slot
    }

    /// Converts to a JSON value (for JSON patches and hashing).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null(_) => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::UInt(u) => Value::from(*u),
            Node::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Node::Str(s, style) if style.reads_typed() => resolve_plain_text(s).to_json(),
            Node::Str(s, _) => Value::String(s.clone()),
            Node::Seq(items) => {
                stack::guard(|| Value::Array(items.iter().map(Node::to_json).collect()))
            }
            Node::Map(m) => stack::guard(|| {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }),
        }
    }

    /// The compact JSON text of [`Node::to_json`] (for messages).
    pub fn json_text(&self) -> String {
        // serde_json writes and drops the value without a stack guard.
        stack::for_whole_tree(|| self.to_json().to_string())
    }

    /// Converts from a JSON value (after a JSON patch).
    pub fn from_json(value: &serde_json::Value) -> Node {
        use serde_json::Value;
        match value {
            Value::Null => Node::NULL,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Node::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Node::UInt(u)
                } else {
                    Node::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            Value::String(s) => Node::str(s.clone()),
            Value::Array(items) => {
                stack::guard(|| Node::Seq(items.iter().map(Node::from_json).collect()))
            }
            Value::Object(m) => stack::guard(|| {
                Node::Map(
                    m.iter()
                        .map(|(k, v)| (k.clone(), Node::from_json(v)))
                        .collect(),
                )
            }),
        }
    }
}

/// go-yaml v3's error decoding `text` as a `tag` scalar.
pub fn mistyped_message(text: &str, tag: &str) -> String {
    let text_tag = resolve_plain_text(text).yaml_tag();
    format!("map[string]interface {{}}(nil): yaml: cannot decode {text_tag} `{text}` as a {tag}")
}

/// A plain scalar's go-yaml v3 value (its text if that fails).
fn resolve_plain_text(text: &str) -> Node {
    super::resolve::resolve_plain(text).unwrap_or_else(|_| Node::str(text))
}
