//! The ConfigMap/Secret name hash suffix (kustomize's `hasher`): SHA-256 of a
//! Go-JSON encoding of the object's data, first 10 hex digits, vowels swapped out.

use crate::yaml::emit::format_go_json_float;
use crate::yaml::node::Node;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The 10-character suffix for a generated ConfigMap or Secret.
pub fn name_hash(object: &Node) -> String {
    let kind = object.str_at(&["kind"]).unwrap_or("");
    let mut fields: BTreeMap<&str, Option<&Node>> = BTreeMap::new();
    fields.insert("kind", None);
    fields.insert("name", None);
    fields.insert("data", object.get("data").filter(|d| !d.is_null()));
    if kind == "Secret" {
        fields.insert("type", object.get("type"));
        if let Some(string_data) = object.get("stringData").filter(|d| d.as_map().is_some()) {
            fields.insert("stringData", Some(string_data));
        }
    } else if let Some(binary) = object.get("binaryData").filter(|d| d.as_map().is_some()) {
        fields.insert("binaryData", Some(binary));
    }

    let mut json = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        write_go_string(key, &mut json);
        json.push(':');
        match (*key, value) {
            ("kind", _) => write_go_string(kind, &mut json),
            ("name", _) => json.push_str("\"\""),
            (_, Some(node)) => write_go_json(node, &mut json),
            (_, None) => json.push_str("\"\""),
        }
    }
    json.push('}');

    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}

/// Go's `encoding/json` encoding: keys sorted bytewise, HTML-safe escaping.
fn write_go_json(node: &Node, out: &mut String) {
    crate::stack::guard(|| write_go_json_here(node, out));
}

fn write_go_json_here(node: &Node, out: &mut String) {
    match node {
        Node::Null(_) => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // kustomize's object went through JSON into Go values: every number
        // is a float64 here (9007199254740993 hashes as ...992, 1e3 as 1000).
        Node::Int(i) => out.push_str(&format_go_json_float(*i as f64)),
        Node::UInt(u) => out.push_str(&format_go_json_float(*u as f64)),
        Node::Float(f) => out.push_str(&format_go_json_float(*f)),
        Node::Str(_, style) if style.reads_typed() => write_go_json_here(&node.typed(), out),
        Node::Str(s, _) => write_go_string(s, out),
        Node::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Node::Map(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(key, out);
                out.push(':');
                write_go_json(&map[key], out);
            }
            out.push('}');
        }
    }
}

fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    fn hash_of(yaml: &str) -> String {
        name_hash(&parse_single(yaml).unwrap())
    }

    // Examples from kustomize v5.6.0 (docs/hash-suffix.md).
    #[test]
    fn matches_kustomize_examples() {
        assert_eq!(
            hash_of("kind: ConfigMap\ndata: {FOO: bar, BAZ: qux}\n"),
            "h4ht67tbfh"
        );
        assert_eq!(
            hash_of(
                "kind: ConfigMap\ndata:\n  url: \"https://example.com/?a=1&b=<2>\"\n  greeting: héllo wörld\n"
            ),
            "5ttg9dttth"
        );
        assert_eq!(
            hash_of(
                "kind: Secret\ntype: Opaque\ndata: {password: czNjcjN0IQ==, username: YWRtaW4=}\n"
            ),
            "9fkdhmtfc7"
        );
        assert_eq!(hash_of("kind: ConfigMap\n"), "6ct58987ht");
        assert_eq!(
            hash_of(
                "kind: ConfigMap\ndata: {ctl.txt: \"a\\bb\\fc\\x01d\\te\\u2028f\\\"g\\\\h\", empty: \"\", quote: x}\n"
            ),
            "t8g675m79b"
        );
    }
}
