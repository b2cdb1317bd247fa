//! Objects that kustomize passes through Go's JSON, and what survives of how
//! their scalars were written.
//!
//! Two passes differ. A JSON 6902 patch decodes the object into Go values
//! (every number a float64) and writes it with go-yaml v2 before kyaml reads
//! it again. The items of a List that kyaml does not unwrap itself are
//! written as JSON text (from go-yaml v3 values) and read back. Either way a
//! null written as nothing becomes an explicit one, annotation values written
//! as plain numbers, booleans, nulls or dates become their canonical text,
//! and a string counts as quoted afterwards exactly when the writer quoted it.

use crate::stack;
use serde_json::Value;

use super::emit::{format_go_g, format_go_json_float, written_plain};
use super::folded::refold;
use super::node::{Mapping, Node, NullStyle, StrStyle};
use super::resolve::resolve_plain;

const ANNOTATIONS: [&str; 2] = ["metadata", "annotations"];

/// A string as kyaml reads it back after go-yaml v2 wrote it (generated
/// values, JSON 6902 results): quoted unless go-yaml v2 writes it plain.
pub fn reread_string(s: String) -> Node {
    let style = if written_plain(&s) {
        StrStyle::Plain
    } else {
        StrStyle::Quoted
    };
    Node::Str(s, style)
}

/// An annotation value written plain, as go-yaml v3 types it; None when it is
/// the string as written. (Annotations deeper than the parser keeps as text,
/// in nested Lists, are typed already.)
fn typed_annotation(value: &Node) -> Option<Node> {
    let text = match value {
        Node::Str(text, StrStyle::PlainTyped | StrStyle::EmptyText) => text,
        Node::Str(_, style) if style.reads_typed() => {
            return Some(value.typed().into_owned());
        }
        Node::Str(..) | Node::Seq(_) | Node::Map(_) => return None,
        scalar => return Some(scalar.clone()),
    };
    let typed = resolve_plain(text).ok()?;
    match &typed {
        Node::Str(s, _) if s == text => None,
        _ => Some(typed),
    }
}

/// The JSON kustomize makes of an object for a JSON 6902 patch: annotation
/// values written plain have the type go-yaml v3 gives them.
pub fn to_patch_json(node: &Node) -> Value {
    let mut json = marshal_json(node);
    if let Some(Node::Map(annotations)) = node.get_path(&ANNOTATIONS)
        && let Some(Value::Object(out)) = json.pointer_mut("/metadata/annotations")
    {
        for (key, value) in annotations {
            if let Some(typed) = typed_annotation(value) {
                out.insert(key.clone(), typed.to_json());
            }
        }
    }
    json
}

/// The JSON of an object as kyaml marshals it: through go-yaml v3's writer,
/// so folded strings are refolded.
fn marshal_json(node: &Node) -> Value {
    match node {
        Node::Str(s, StrStyle::Folded) => Value::String(refold(s)),
        Node::Seq(items) => Value::Array(items.iter().map(marshal_json).collect()),
        Node::Map(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), marshal_json(v)))
                .collect(),
        ),
        scalar => scalar.to_json(),
    }
}

/// A JSON 6902 result as kustomize reads it back: numbers are float64
/// written by go-yaml v2, annotations are the text go-yaml v2 wrote.
pub fn from_patch_json(json: &Value) -> Node {
    let mut node = read_back(json);
    if let Some(Value::Object(annotations)) = json.pointer("/metadata/annotations")
        && let Some(Node::Map(out)) = node.get_path_mut(&ANNOTATIONS)
    {
        for (key, value) in annotations {
            let text = match value {
                Value::Null => String::from("null"),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => format_go_g(n.as_f64().unwrap_or(0.0)),
                Value::String(_) | Value::Array(_) | Value::Object(_) => continue,
            };
            out.insert(key.clone(), Node::str(text));
        }
    }
    node
}

fn read_back(json: &Value) -> Node {
    match json {
        Value::Null => Node::NULL,
        Value::Bool(b) => Node::Bool(*b),
        Value::Number(n) => float64_read_back(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => reread_string(s.clone()),
        Value::Array(items) => stack::guard(|| Node::Seq(items.iter().map(read_back).collect())),
        Value::Object(map) => stack::guard(|| {
            Node::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), read_back(v)))
                    .collect::<Mapping>(),
            )
        }),
    }
}

/// A float64 as read back: whole numbers below 1e21 are written without an
/// exponent (shortest digits, then zeros) and read back as integers when
/// they fit.
fn float64_read_back(f: f64) -> Node {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        let text = f.to_string();
        if let Ok(i) = text.parse::<i64>() {
            return Node::Int(i);
        }
        if let Ok(u) = text.parse::<u64>() {
            return Node::UInt(u);
        }
    }
    Node::Float(f)
}

/// A List item that kustomize inlines through JSON text: strings come back
/// quoted (folded ones as read: the JSON is made from decoded values), nulls explicit, plain annotation values as their JSON text.
pub fn through_json_text(item: &mut Node) {
    let annotations: Vec<(usize, Node)> = match item.get_path(&ANNOTATIONS) {
        Some(Node::Map(map)) => map
            .values()
            .enumerate()
            .filter_map(|(i, value)| Some((i, json_text_annotation(typed_annotation(value)?))))
            .collect(),
        _ => Vec::new(),
    };
    quote_strings(item);
    if let Some(Node::Map(map)) = item.get_path_mut(&ANNOTATIONS) {
        for (i, value) in annotations {
            if let Some((_, slot)) = map.get_index_mut(i) {
                *slot = value;
            }
        }
    }
}

/// A typed annotation value as the text of its JSON.
fn json_text_annotation(mut typed: Node) -> Node {
    match typed {
        Node::Null(_) => Node::str("null"),
        Node::Bool(b) => Node::str(b.to_string()),
        Node::Int(i) => Node::str(i.to_string()),
        Node::UInt(u) => Node::str(u.to_string()),
        Node::Float(f) => Node::str(format_go_json_float(f)),
        // Dates: an RFC 3339 string in the JSON.
        Node::Str(ref mut s, _) => Node::quoted(std::mem::take(s)),
        other => other,
    }
}

fn quote_strings(node: &mut Node) {
    match node {
        Node::Str(_, style) if style.reads_typed() => {
            *node = node.typed().into_owned();
            quote_strings(node);
        }
        Node::Str(_, style) => *style = StrStyle::Quoted,
        Node::Null(style) => *style = NullStyle::Explicit,
        Node::Seq(items) => stack::guard(|| items.iter_mut().for_each(quote_strings)),
        Node::Map(map) => stack::guard(|| map.values_mut().for_each(quote_strings)),
        Node::Bool(_) | Node::Int(_) | Node::UInt(_) | Node::Float(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    fn annotation(node: &Node, key: &str) -> String {
        node.get_path(&["metadata", "annotations", key])
            .and_then(Node::as_str)
            .unwrap()
            .to_string()
    }

    const OBJECT: &str = "metadata:\n  annotations:\n    a: 1e3\n    b: 0x1F\n    c: 2024-01-01\n    d: 9007199254740993\n    e: 1e-7\n    f: ~\n    g: '1.0'\n    h: yes\n    i: True\nspec:\n  s: \"5\"\n  t: x y\n  n:\n";

    #[test]
    fn json6902_canonicalises_plain_annotations() {
        let node = parse_single(OBJECT).unwrap();
        let back = from_patch_json(&to_patch_json(&node));
        let want = [
            ("a", "1000"),
            ("b", "31"),
            ("c", "2024-01-01T00:00:00Z"),
            ("d", "9.007199254740992e+15"),
            ("e", "1e-07"),
            ("f", "null"),
            ("g", "1.0"),
            ("h", "yes"),
            ("i", "true"),
        ];
        for (key, text) in want {
            assert_eq!(annotation(&back, key), text, "{key}");
        }
        // go-yaml v2 quotes "5" but not "x y"; the empty null is explicit now.
        assert!(matches!(
            back.get_path(&["spec", "s"]),
            Some(Node::Str(_, StrStyle::Quoted))
        ));
        assert!(matches!(
            back.get_path(&["spec", "t"]),
            Some(Node::Str(_, StrStyle::Plain))
        ));
        assert!(!back.get_path(&["spec", "n"]).unwrap().is_empty_null());
    }

    #[test]
    fn list_items_through_json_text() {
        let mut node = parse_single(OBJECT).unwrap();
        assert!(node.get_path(&["spec", "n"]).unwrap().is_empty_null());
        through_json_text(&mut node);
        let want = [
            ("a", "1000"),
            ("b", "31"),
            ("c", "2024-01-01T00:00:00Z"),
            ("d", "9007199254740993"),
            ("e", "1e-7"),
            ("f", "null"),
            ("g", "1.0"),
            ("h", "yes"),
            ("i", "true"),
        ];
        for (key, text) in want {
            assert_eq!(annotation(&node, key), text, "{key}");
        }
        assert!(matches!(
            node.get_path(&["spec", "t"]),
            Some(Node::Str(_, StrStyle::Quoted))
        ));
        assert!(!node.get_path(&["spec", "n"]).unwrap().is_empty_null());
    }
}
