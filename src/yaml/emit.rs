//! TEMPORARY stub until the emitter lands.
use super::node::Node;
#[derive(Debug, Clone, PartialEq)]
pub struct EmitError { pub message: String }
pub fn write_document(node: &Node, out: &mut String) -> Result<(), EmitError> {
    out.push_str(&serde_json::to_string(&node.to_json()).unwrap());
    out.push('\n');
    Ok(())
}
pub fn format_float(f: f64) -> String { f.to_string() }
