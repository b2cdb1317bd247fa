//! YAML: the node tree, reading (go-yaml v3 rules) and writing (go-yaml v2 rules).

pub mod emit;
pub mod folded;
pub mod gojson;
pub mod node;
pub mod parse;
pub mod resolve;
