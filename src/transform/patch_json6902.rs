//! JSON 6902 patches (RFC 6902 operations), applied with the json-patch crate.

use crate::yaml::node::Node;
use crate::yaml::parse::parse_single;

/// A parsed list of operations.
#[derive(Debug, Clone)]
pub struct JsonPatch {
    operations: json_patch::Patch,
}

impl JsonPatch {
    /// Reads operations written as a YAML or JSON list.
    pub fn parse(text: &str) -> Result<JsonPatch, String> {
        let node = parse_single(text).map_err(|e| e.to_string())?;
        JsonPatch::from_node(&node)
    }

    pub fn from_node(node: &Node) -> Result<JsonPatch, String> {
        if !matches!(node, Node::Seq(_)) {
            return Err("a JSON patch must be a list of operations".into());
        }
        let operations: json_patch::Patch =
            serde_json::from_value(node.to_json()).map_err(|e| e.to_string())?;
        Ok(JsonPatch { operations })
    }

    /// Applies every operation; on failure the target is left unchanged and
    /// the message names the failing operation and path.
    pub fn apply(&self, target: &mut Node) -> Result<(), String> {
        let mut json = target.to_json();
        json_patch::patch(&mut json, &self.operations).map_err(|e| {
            let op = self
                .operations
                .0
                .get(e.operation)
                .map(|op| serde_json::to_string(op).unwrap_or_default())
                .unwrap_or_default();
            format!("operation {} {op} failed: {}", e.operation, e.kind)
        })?;
        *target = Node::from_json(&json);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_yaml_operations() {
        let mut target = parse_single("spec:\n  replicas: 1\n  list: [a]\n").unwrap();
        let patch = JsonPatch::parse(
            "- op: replace\n  path: /spec/replicas\n  value: 3\n- op: add\n  path: /spec/list/-\n  value: b\n- op: add\n  path: /metadata\n  value: {name: x~y}\n",
        )
        .unwrap();
        patch.apply(&mut target).unwrap();
        assert_eq!(target.get_path(&["spec", "replicas"]), Some(&Node::Int(3)));
        assert_eq!(
            target.get_path(&["spec", "list"]),
            Some(&Node::Seq(vec![Node::str("a"), Node::str("b")]))
        );
    }

    #[test]
    fn failing_operation_is_named_and_target_untouched() {
        let mut target = parse_single("spec: {}\n").unwrap();
        let before = target.clone();
        let patch =
            JsonPatch::parse("[{\"op\": \"remove\", \"path\": \"/spec/missing\"}]").unwrap();
        let err = patch.apply(&mut target).unwrap_err();
        assert!(err.contains("/spec/missing"), "{err}");
        assert_eq!(target, before);
    }
}
