//! JSON 6902 patches (RFC 6902 operations), with the leniencies of the
//! library kustomize applies them with: `replace` of a missing key in an
//! existing object adds it, negative array indices count from the end, and
//! the patched object goes through Go's JSON, so every number becomes a
//! float64 (integers above 2^53 lose precision).

use crate::stack;
use crate::yaml::gojson;
use crate::yaml::node::{Mapping, Node};
use crate::yaml::parse::parse_kustomization;
use serde_json::Value;

/// A parsed list of operations.
#[derive(Debug, Clone)]
pub struct JsonPatch {
    operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
enum Operation {
    // Values stay nodes until applied: a deep `Value` recurses unguarded.
    Add { path: String, value: Node },
    Remove { path: String },
    Replace { path: String, value: Node },
    Move { from: String, path: String },
    Copy { from: String, path: String },
    Test { path: String, value: Node },
}

impl JsonPatch {
    /// Reads operations written as a YAML or JSON list. kustomize reads them
    /// with YAML 1.1 rules (go-yaml v2): `yes`, `on`, `y` are booleans.
    pub fn parse(text: &str) -> Result<JsonPatch, String> {
        let node = parse_kustomization(text).map_err(|e| e.to_string())?;
        JsonPatch::from_node(&node)
    }

    pub fn from_node(node: &Node) -> Result<JsonPatch, String> {
        let Node::Seq(items) = node else {
            return Err("a JSON patch must be a list of operations".into());
        };
        let operations = items
            .iter()
            .enumerate()
            .map(|(i, item)| operation(item).map_err(|e| format!("operation {i}: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(JsonPatch { operations })
    }

    /// Applies every operation; on failure the target is left unchanged and
    /// the message names the failing operation and path. The operations see
    /// `internal` annotations too (see [`Resource::internal_annotations`]),
    /// which are taken out again afterwards.
    ///
    /// [`Resource::internal_annotations`]: crate::resource::Resource::internal_annotations
    pub fn apply(&self, target: &mut Node, internal: &[(String, String)]) -> Result<(), String> {
        // serde_json recurses (clone, compare, drop) without a stack guard.
        stack::for_whole_tree(|| {
            let mut doc = gojson::to_patch_json(target);
            let had_annotations = add_internal_annotations(&mut doc, internal);
            for op in &self.operations {
                apply_operation(&mut doc, op)?;
            }
            remove_internal_annotations(&mut doc, internal, had_annotations);
            *target = gojson::from_patch_json(&doc);
            Ok(())
        })
    }
}

/// Adds `internal` to the object's annotations (creating them); returns
/// whether it had annotations before.
fn add_internal_annotations(doc: &mut Value, internal: &[(String, String)]) -> bool {
    let Some(Value::Object(metadata)) = doc.get_mut("metadata") else {
        return true;
    };
    let had = matches!(metadata.get("annotations"), Some(Value::Object(_)));
    if internal.is_empty() {
        return had;
    }
    if !had {
        metadata.insert("annotations".into(), Value::Object(Default::default()));
    }
    if let Some(Value::Object(annotations)) = metadata.get_mut("annotations") {
        for (key, value) in internal {
            annotations.insert(key.clone(), Value::String(value.clone()));
        }
    }
    had
}

fn remove_internal_annotations(doc: &mut Value, internal: &[(String, String)], had: bool) {
    if internal.is_empty() {
        return;
    }
    let Some(Value::Object(metadata)) = doc.get_mut("metadata") else {
        return;
    };
    if let Some(Value::Object(annotations)) = metadata.get_mut("annotations") {
        for (key, _) in internal {
            annotations.remove(key);
        }
        if annotations.is_empty() && !had {
            metadata.remove("annotations");
        }
    }
}

fn operation(node: &Node) -> Result<Operation, String> {
    let Node::Map(map) = node else {
        return Err("an operation must be a mapping".into());
    };
    let text = |field: &str| -> Result<String, String> {
        match map.get(field) {
            Some(Node::Str(s, _)) => Ok(s.clone()),
            Some(other) => Err(format!(
                "'{field}' must be a string, not {}",
                other.json_text()
            )),
            None => Err(format!("missing '{field}'")),
        }
    };
    let value = |map: &Mapping| map.get("value").cloned().unwrap_or(Node::NULL);
    let path = text("path")?;
    Ok(match text("op")?.as_str() {
        "add" => Operation::Add {
            path,
            value: value(map),
        },
        "remove" => Operation::Remove { path },
        "replace" => Operation::Replace {
            path,
            value: value(map),
        },
        "move" => Operation::Move {
            from: text("from")?,
            path,
        },
        "copy" => Operation::Copy {
            from: text("from")?,
            path,
        },
        "test" => Operation::Test {
            path,
            value: value(map),
        },
        other => return Err(format!("unexpected kind of operation: {other}")),
    })
}

fn apply_operation(doc: &mut Value, op: &Operation) -> Result<(), String> {
    match op {
        Operation::Add { path, value } => add(doc, path, value.to_json(), "add"),
        Operation::Remove { path } => remove(doc, path, "remove").map(drop),
        Operation::Replace { path, value } => {
            let (parent, key) = parent_of(doc, path).ok_or_else(|| {
                format!("replace operation does not apply: doc is missing path: {path}")
            })?;
            match parent {
                Value::Object(map) => {
                    map.insert(key, value.to_json());
                    Ok(())
                }
                Value::Array(items) => {
                    let index = existing_index(&key, items.len()).ok_or_else(|| {
                        format!("replace operation does not apply: doc is missing key: {path}")
                    })?;
                    items[index] = value.to_json();
                    Ok(())
                }
                _ => Err(format!(
                    "replace operation does not apply: doc is missing path: {path}"
                )),
            }
        }
        Operation::Move { from, path } => {
            let value = remove(doc, from, "move")?;
            add(doc, path, value, "move")
        }
        Operation::Copy { from, path } => {
            let value = get(doc, from).cloned().ok_or_else(|| {
                format!("copy operation does not apply: doc is missing from path: {from}")
            })?;
            if parent_of(doc, path).is_none() {
                return Err(format!(
                    "copy operation does not apply: doc is missing destination path: {path}"
                ));
            }
            add(doc, path, value, "copy")
        }
        Operation::Test { path, value } => {
            if get(doc, path).is_some_and(|found| same_json(found, &value.to_json()))
                || (value.is_null() && get(doc, path).is_none())
            {
                Ok(())
            } else {
                Err(format!("testing value {path} failed: test failed"))
            }
        }
    }
}

fn add(doc: &mut Value, path: &str, value: Value, op: &str) -> Result<(), String> {
    let (parent, key) = parent_of(doc, path)
        .ok_or_else(|| format!("{op} operation does not apply: doc is missing path: \"{path}\""))?;
    match parent {
        Value::Object(map) => {
            map.insert(key, value);
            Ok(())
        }
        Value::Array(items) => {
            let index = if key == "-" {
                items.len()
            } else {
                // One past the end is allowed; negative indices count from it.
                let len = items.len() as i64 + 1;
                key.parse::<i64>()
                    .ok()
                    .map(|i| if i < 0 { i + len } else { i })
                    .filter(|i| (0..len).contains(i))
                    .ok_or_else(|| {
                        format!(
                            "error in {op} for path: '{path}': Unable to access invalid index: {key}"
                        )
                    })? as usize
            };
            items.insert(index, value);
            Ok(())
        }
        _ => Err(format!(
            "{op} operation does not apply: doc is missing path: \"{path}\""
        )),
    }
}

fn remove(doc: &mut Value, path: &str, op: &str) -> Result<Value, String> {
    let missing = || format!("error in {op} for path: '{path}': Unable to remove nonexistent key");
    let (parent, key) = parent_of(doc, path).ok_or_else(missing)?;
    match parent {
        Value::Object(map) => map.shift_remove(&key).ok_or_else(missing),
        Value::Array(items) => {
            let index = existing_index(&key, items.len()).ok_or_else(|| {
                format!("error in {op} for path: '{path}': Unable to access invalid index: {key}")
            })?;
            Ok(items.remove(index))
        }
        _ => Err(missing()),
    }
}

/// The index of an existing array element (negative counts from the end).
fn existing_index(key: &str, len: usize) -> Option<usize> {
    let i = key.parse::<i64>().ok()?;
    let i = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// Splits a JSON pointer into its unescaped tokens (None without a leading `/`).
fn tokens(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

fn child<'a>(value: &'a Value, token: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => existing_index(token, items.len()).map(|i| &items[i]),
        _ => None,
    }
}

fn child_mut<'a>(value: &'a mut Value, token: &str) -> Option<&'a mut Value> {
    match value {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => existing_index(token, items.len()).map(move |i| &mut items[i]),
        _ => None,
    }
}

fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    tokens(path)?
        .iter()
        .try_fold(doc, |value, token| child(value, token))
}

/// The container holding the last token of `path` (an object or array), and that token.
fn parent_of<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let mut tokens = tokens(path)?;
    let last = tokens.pop()?;
    let parent = tokens
        .iter()
        .try_fold(doc, |value, token| child_mut(value, token))?;
    matches!(parent, Value::Object(_) | Value::Array(_)).then_some((parent, last))
}

/// JSON equality as Go decodes it: every number is a float64.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    fn patched(target: &str, patch: &str) -> Result<Node, String> {
        let mut target = parse_single(target).unwrap();
        JsonPatch::parse(patch)?.apply(&mut target, &[])?;
        Ok(target)
    }

    #[test]
    fn applies_yaml_operations() {
        let target = patched(
            "spec:\n  replicas: 1\n  list: [a]\n",
            "- op: replace\n  path: /spec/replicas\n  value: 3\n- op: add\n  path: /spec/list/-\n  value: b\n- op: add\n  path: /metadata\n  value: {name: x~y}\n",
        )
        .unwrap();
        assert_eq!(target.get_path(&["spec", "replicas"]), Some(&Node::Int(3)));
        assert_eq!(
            target.get_path(&["spec", "list"]),
            Some(&Node::Seq(vec![Node::str("a"), Node::str("b")]))
        );
    }

    #[test]
    fn replace_adds_a_missing_key_but_not_a_missing_parent() {
        let target = patched(
            "spec: {}\n",
            "- {op: replace, path: /spec/missing, value: x}\n",
        )
        .unwrap();
        assert_eq!(target.str_at(&["spec", "missing"]), Some("x"));
        let err = patched("spec: {}\n", "- {op: replace, path: /spec/a/b, value: x}\n");
        assert!(err.unwrap_err().contains("doc is missing path"));
        let err = patched("spec: {}\n", "- {op: add, path: /spec/a/b, value: x}\n");
        assert!(err.unwrap_err().contains("doc is missing path"));
    }

    #[test]
    fn negative_indices_count_from_the_end() {
        let target = patched("l: [a, b]\n", "- {op: add, path: /l/-1, value: c}\n").unwrap();
        let items: Vec<_> = target.get("l").unwrap().as_seq().unwrap().clone();
        assert_eq!(items, vec![Node::str("a"), Node::str("b"), Node::str("c")]);
        let target = patched("l: [a, b]\n", "- {op: remove, path: /l/-1}\n").unwrap();
        assert_eq!(target.get("l").unwrap().as_seq().unwrap().len(), 1);
    }

    #[test]
    fn values_are_read_with_yaml_1_1_booleans() {
        let target = patched(
            "a: 1\n",
            "- {op: add, path: /b, value: [yes, on, y, 2024-01-01]}\n",
        )
        .unwrap();
        assert_eq!(
            target.get("b"),
            Some(&Node::Seq(vec![
                Node::Bool(true),
                Node::Bool(true),
                Node::Bool(true),
                Node::str("2024-01-01")
            ]))
        );
    }

    #[test]
    fn numbers_go_through_float64() {
        let target = patched(
            "a: 9007199254740993\nb: 1.0\nc: 1.5\n",
            "- {op: add, path: /d, value: 1}\n",
        )
        .unwrap();
        assert_eq!(target.get("a"), Some(&Node::Int(9007199254740992)));
        assert_eq!(target.get("b"), Some(&Node::Int(1)));
        assert_eq!(target.get("c"), Some(&Node::Float(1.5)));
    }

    #[test]
    fn failing_operation_is_named_and_target_untouched() {
        let mut target = parse_single("spec: {}\n").unwrap();
        let before = target.clone();
        let patch =
            JsonPatch::parse("[{\"op\": \"remove\", \"path\": \"/spec/missing\"}]").unwrap();
        let err = patch.apply(&mut target, &[]).unwrap_err();
        assert!(err.contains("/spec/missing"), "{err}");
        assert_eq!(target, before);
    }
}
