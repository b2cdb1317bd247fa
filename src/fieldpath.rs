//! kyaml-style field paths, as replacements (and vars' `fieldref`) write them:
//! `spec.template.spec.containers.[name=app].image`, `args.[=-jar]`, `ports.0`,
//! `containers.*.image`, `metadata.annotations.[a.b/c]`.
//!
//! Two walks, because kustomize uses two: [`lookup`] (kyaml's `PathGetter`,
//! for sources: exact list matches, `-` is the last element) and
//! [`visit_matches`] (kyaml's `PathMatcher`, for targets: `[k=v]` values are
//! unanchored regular expressions, `*` visits every element, and missing parts
//! may be created). The field specs of the built-in transformers use the other,
//! slash-separated syntax of [`crate::fieldspec`].

use crate::yaml::emit::write_document;
use crate::yaml::node::{Mapping, Node};
use regex::Regex;

/// One part of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A mapping key.
    Field(String),
    /// A sequence position (`0`).
    Index(usize),
    /// A negative position: kustomize rejects it.
    NegativeIndex(i64),
    /// `-`: the last element (a plain key for the matcher).
    Last,
    /// `[key=value]`; an empty key matches scalar elements (`[=value]`).
    Element { key: String, value: String },
    /// `*`: every element of a sequence.
    Wildcard,
    /// `[text]` without `=`: rejected when walked.
    BadElement(String),
}

/// A parsed path, keeping its text for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    pub text: String,
    pub steps: Vec<Step>,
}

impl FieldPath {
    /// Splits at dots, honouring `\.` escapes and brackets (kyaml's
    /// `SmarterPathSplitter`): `[a.b=c]` stays one element, `[a.b]` becomes
    /// the key `a.b`.
    pub fn parse(text: &str) -> FieldPath {
        let mut escaped: Vec<String> = Vec::new();
        for part in text.split('.') {
            match escaped.last_mut() {
                Some(last) if last.ends_with('\\') => {
                    last.pop();
                    last.push('.');
                    last.push_str(part);
                }
                _ => escaped.push(part.to_string()),
            }
        }
        let mut parts = Vec::new();
        let mut i = 0;
        while i < escaped.len() {
            let part = &escaped[i];
            if part.starts_with('[') && !part.ends_with(']') {
                let mut joined = part.clone();
                while i + 1 < escaped.len() {
                    i += 1;
                    joined.push('.');
                    joined.push_str(&escaped[i]);
                    if escaped[i].ends_with(']') {
                        break;
                    }
                }
                if joined.contains('=') {
                    parts.push(joined);
                } else {
                    parts.push(joined.trim_matches(|c| c == '[' || c == ']').to_string());
                }
            } else {
                parts.push(part.clone());
            }
            i += 1;
        }
        let steps = parts
            .into_iter()
            .map(|part| {
                let trimmed = part.trim();
                if let Ok(i) = trimmed.parse::<i64>() {
                    return match usize::try_from(i) {
                        Ok(i) => Step::Index(i),
                        Err(_) => Step::NegativeIndex(i),
                    };
                }
                if trimmed == "-" {
                    return Step::Last;
                }
                if trimmed == "*" {
                    return Step::Wildcard;
                }
                if trimmed.starts_with('[') && trimmed.ends_with(']') && trimmed.len() >= 2 {
                    let inner = &trimmed[1..trimmed.len() - 1];
                    return match inner.split_once('=') {
                        Some((key, value)) => Step::Element {
                            key: key.to_string(),
                            value: value.to_string(),
                        },
                        None => Step::BadElement(trimmed.to_string()),
                    };
                }
                Step::Field(part)
            })
            .collect();
        FieldPath {
            text: text.to_string(),
            steps,
        }
    }
}

const BAD_ELEMENT: &str =
    "list path element must contain fieldName=fieldValue for element to match";

fn kind_name(node: &Node) -> &'static str {
    match node {
        Node::Map(_) => "MappingNode",
        Node::Seq(_) => "SequenceNode",
        _ => "ScalarNode",
    }
}

/// kyaml's message for a path part applied to the wrong kind of node.
pub(crate) fn wrong_kind(expected: &str, node: &Node) -> String {
    let mut contents = String::new();
    if write_document(node, &mut contents).is_err() {
        contents = node.scalar_text().unwrap_or_default();
    }
    format!(
        "wrong node kind: expected {expected} but got {}: node contents:\n{}",
        kind_name(node),
        contents.trim_end()
    )
}

/// The text kustomize compares a scalar by (Go's formatting of the value).
fn text_of(node: &Node) -> Option<String> {
    node.scalar_text()
}

/// Follows `path` without creating anything (kyaml's `Lookup`). `Ok(None)`
/// when a part is missing.
pub fn lookup<'a>(node: &'a Node, path: &FieldPath) -> Result<Option<&'a Node>, String> {
    let mut current = node;
    for step in &path.steps {
        let next = match step {
            Step::NegativeIndex(i) => return Err(format!("array index {i} cannot be negative")),
            Step::BadElement(_) => return Err(BAD_ELEMENT.into()),
            Step::Index(i) => match current {
                Node::Seq(items) => items.get(*i),
                Node::Null(_) => None,
                other => return Err(wrong_kind("SequenceNode", other)),
            },
            Step::Last => match current {
                Node::Seq(items) => items.last(),
                Node::Null(_) => None,
                other => return Err(wrong_kind("SequenceNode", other)),
            },
            Step::Element { key, value } => match current {
                Node::Seq(items) => items.iter().find(|item| {
                    if key.is_empty() {
                        text_of(item).as_deref() == Some(value)
                    } else {
                        item.get(key).and_then(text_of).as_deref() == Some(value)
                    }
                }),
                Node::Null(_) => None,
                other => return Err(wrong_kind("SequenceNode", other)),
            },
            // kyaml's getter drops empty parts and trims the others.
            Step::Field(name) if name.trim().is_empty() => continue,
            Step::Field(name) => field_of(current, name.trim())?,
            Step::Wildcard => return Err("wildcard is not supported in PathGetter".into()),
        };
        match next {
            Some(n) => current = n,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

fn field_of<'a>(node: &'a Node, name: &str) -> Result<Option<&'a Node>, String> {
    match node {
        Node::Map(map) => Ok(map.get(name)),
        Node::Null(_) => Ok(None),
        other => Err(wrong_kind("MappingNode", other)),
    }
}

/// What a missing leaf becomes when the walk may create it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    Scalar,
    Map,
    Seq,
}

/// A matched node and whether the walk just created it (a created scalar has
/// no type yet: the value written to it decides).
pub struct Found<'a> {
    pub node: &'a mut Node,
    pub created: bool,
}

/// Visits every node `path` matches (kyaml's `PathMatcher`), creating missing
/// parts when `create` is set. Returns how many nodes were visited.
pub fn visit_matches(
    node: &mut Node,
    path: &FieldPath,
    create: Option<Leaf>,
    visit: &mut dyn FnMut(Found<'_>) -> Result<(), String>,
) -> Result<usize, String> {
    let mut compiled = Vec::with_capacity(path.steps.len());
    for step in &path.steps {
        compiled.push(match step {
            Step::Element { value, .. } => Some(Regex::new(value).map_err(|e| {
                format!(
                    "error parsing regexp: {}",
                    e.to_string().lines().last().unwrap_or("")
                )
            })?),
            _ => None,
        });
    }
    let mut count = 0;
    walk(node, &path.steps, &compiled, create, false, &mut |found| {
        count += 1;
        visit(found)
    })?;
    Ok(count)
}

fn new_part(next: Option<&Step>, leaf: Leaf) -> Node {
    match next {
        Some(Step::Element { .. } | Step::Index(_) | Step::NegativeIndex(_)) => {
            Node::Seq(Vec::new())
        }
        // An empty part (`a..b`) makes its parent a leaf, as in kyaml.
        None => new_leaf(leaf),
        Some(Step::Field(name)) if name.is_empty() => new_leaf(leaf),
        Some(_) => Node::Map(Mapping::default()),
    }
}

fn new_leaf(leaf: Leaf) -> Node {
    match leaf {
        Leaf::Map => Node::Map(Mapping::default()),
        Leaf::Seq => Node::Seq(Vec::new()),
        Leaf::Scalar => Node::NULL,
    }
}

fn walk(
    node: &mut Node,
    steps: &[Step],
    regexes: &[Option<Regex>],
    create: Option<Leaf>,
    created: bool,
    visit: &mut dyn FnMut(Found<'_>) -> Result<(), String>,
) -> Result<(), String> {
    crate::stack::guard(|| walk_here(node, steps, regexes, create, created, visit))
}

fn walk_here(
    node: &mut Node,
    steps: &[Step],
    regexes: &[Option<Regex>],
    create: Option<Leaf>,
    created: bool,
    visit: &mut dyn FnMut(Found<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        return visit(Found { node, created });
    };
    let next_regexes = &regexes[1..];
    match step {
        Step::NegativeIndex(i) => Err(format!("index {i} specified but only 0 elements found")),
        Step::BadElement(_) => Err(BAD_ELEMENT.into()),
        Step::Index(i) => {
            let items = match node {
                Node::Seq(items) => items,
                Node::Null(_) => {
                    return Err(format!("index {i} specified but only 0 elements found"));
                }
                other => return Err(wrong_kind("SequenceNode", other)),
            };
            let mut fresh = false;
            if let Some(leaf) = create
                && items.len() == *i
            {
                items.push(new_part(rest.first(), leaf));
                fresh = true;
            }
            let len = items.len();
            let Some(item) = items.get_mut(*i) else {
                return Err(format!("index {i} specified but only {len} elements found"));
            };
            walk(item, rest, next_regexes, create, fresh, visit)
        }
        Step::Wildcard => match node {
            Node::Seq(items) => {
                for item in items {
                    walk(item, rest, next_regexes, create, false, visit)?;
                }
                Ok(())
            }
            Node::Null(_) => Ok(()),
            other => Err(wrong_kind("SequenceNode", other)),
        },
        Step::Element { key, value } => {
            let items = match node {
                Node::Seq(items) => items,
                Node::Null(_) => return Ok(()),
                other => return Err(wrong_kind("SequenceNode", other)),
            };
            let regex = regexes[0].as_ref().expect("compiled with the path");
            let is_match = |item: &Node| {
                let text = if key.is_empty() {
                    text_of(item)
                } else {
                    item.get(key).and_then(text_of)
                };
                text.is_some_and(|t| regex.is_match(t.trim()))
            };
            let matching: Vec<usize> = (0..items.len()).filter(|&i| is_match(&items[i])).collect();
            if !matching.is_empty() || create.is_none() {
                for i in matching {
                    walk(&mut items[i], rest, next_regexes, create, false, visit)?;
                }
                return Ok(());
            }
            let scalar = crate::yaml::resolve::resolve_plain(value).unwrap_or(Node::str(value));
            let element = if key.is_empty() {
                scalar
            } else {
                let mut map = Mapping::default();
                map.insert(key.clone(), scalar);
                Node::Map(map)
            };
            items.push(element);
            let last = items.last_mut().expect("just pushed");
            // A new scalar element has no type yet, like a created leaf.
            walk(last, rest, next_regexes, create, key.is_empty(), visit)
        }
        Step::Field(name) if name.is_empty() => match node {
            // kyaml's field matcher without a name: the scalar itself.
            Node::Map(_) | Node::Seq(_) => Err(wrong_kind("ScalarNode", node)),
            _ => walk(node, rest, next_regexes, create, created, visit),
        },
        Step::Field(_) | Step::Last => {
            let name = match step {
                Step::Field(name) => name.as_str(),
                _ => "-",
            };
            if created && node.is_null() {
                // A scalar just created (untyped, empty) is no mapping.
                return Err(
                    "wrong node kind: expected MappingNode but got ScalarNode: node contents:\n"
                        .into(),
                );
            }
            if node.is_null() && create.is_some() {
                *node = Node::Map(Mapping::default());
            }
            let map = match node {
                Node::Map(map) => map,
                Node::Null(_) => return Ok(()),
                other => return Err(wrong_kind("MappingNode", other)),
            };
            let mut fresh = false;
            if !map.contains_key(name) {
                let Some(leaf) = create else {
                    return Ok(());
                };
                map.insert(name.to_string(), new_part(rest.first(), leaf));
                fresh = true;
            }
            let field = map.get_mut(name).expect("present or created");
            walk(field, rest, next_regexes, create, fresh, visit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    fn steps(text: &str) -> Vec<Step> {
        FieldPath::parse(text).steps
    }

    #[test]
    fn splits_like_kyaml() {
        assert_eq!(
            steps("spec.containers.[name=a.b].image"),
            [
                Step::Field("spec".into()),
                Step::Field("containers".into()),
                Step::Element {
                    key: "name".into(),
                    value: "a.b".into()
                },
                Step::Field("image".into()),
            ]
        );
        assert_eq!(
            steps("metadata.annotations.[a.io/b.c]"),
            [
                Step::Field("metadata".into()),
                Step::Field("annotations".into()),
                Step::Field("a.io/b.c".into()),
            ]
        );
        assert_eq!(
            steps(r"data.a\.b.0.*.-.[=x]"),
            [
                Step::Field("data".into()),
                Step::Field("a.b".into()),
                Step::Index(0),
                Step::Wildcard,
                Step::Last,
                Step::Element {
                    key: String::new(),
                    value: "x".into()
                },
            ]
        );
    }

    #[test]
    fn lookup_matches_list_elements_exactly() {
        let node =
            parse_single("c:\n- name: app\n  image: a\n- name: myapp\n  image: b\n").unwrap();
        let found = lookup(&node, &FieldPath::parse("c.[name=myapp].image")).unwrap();
        assert_eq!(found, Some(&Node::str("b")));
        let found = lookup(&node, &FieldPath::parse("c.-.image")).unwrap();
        assert_eq!(found, Some(&Node::str("b")));
        assert_eq!(
            lookup(&node, &FieldPath::parse("c.[name=ap].image")).unwrap(),
            None
        );
        assert!(
            lookup(&node, &FieldPath::parse("c.image"))
                .unwrap_err()
                .starts_with("wrong node kind: expected MappingNode but got SequenceNode")
        );
    }

    #[test]
    fn matcher_uses_unanchored_regexes_and_creates() {
        let mut node = parse_single("c:\n- name: app\n- name: myapp\n- name: other\n").unwrap();
        let n = visit_matches(
            &mut node,
            &FieldPath::parse("c.[name=app].x"),
            Some(Leaf::Scalar),
            &mut |f| {
                assert!(f.created);
                *f.node = Node::Int(1);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(n, 2);
        let n = visit_matches(&mut node, &FieldPath::parse("c.*.name"), None, &mut |_| {
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 3);
        let n = visit_matches(
            &mut node,
            &FieldPath::parse("c.[name=new].y.0"),
            Some(Leaf::Scalar),
            &mut |f| {
                *f.node = Node::str("v");
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(n, 1);
        assert_eq!(node.get("c").and_then(Node::as_seq).unwrap().len(), 4);
        let err =
            visit_matches(&mut node, &FieldPath::parse("c.9"), None, &mut |_| Ok(())).unwrap_err();
        assert_eq!(err, "index 9 specified but only 4 elements found");
    }
}
