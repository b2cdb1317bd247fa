//! ConfigMap and Secret generators.

pub mod hash;

use crate::error::{Error, ErrorKind, Result};
use crate::kustomization::{GeneratorArgs, GeneratorOptions, StringMap};
use crate::loader::Loader;
use crate::resource::{Behavior, Resource};
use crate::yaml::emit::fold_nel;
use crate::yaml::gojson::reread_string;
use crate::yaml::node::{Mapping, Node};
use base64::Engine;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratedKind {
    ConfigMap,
    Secret,
}

impl GeneratedKind {
    fn as_str(self) -> &'static str {
        match self {
            GeneratedKind::ConfigMap => "ConfigMap",
            GeneratedKind::Secret => "Secret",
        }
    }
}

/// Generator options after merging the kustomization-wide `generatorOptions`
/// into a generator's own: per-generator labels/annotations win, either
/// flag set to true wins.
fn merged_options(
    local: Option<&GeneratorOptions>,
    global: Option<&GeneratorOptions>,
) -> GeneratorOptions {
    let mut merged = global.cloned().unwrap_or_default();
    if let Some(local) = local {
        merged.labels.extend(local.labels.clone());
        merged.annotations.extend(local.annotations.clone());
        if local.disable_name_suffix_hash == Some(true) {
            merged.disable_name_suffix_hash = Some(true);
        }
        if local.immutable == Some(true) {
            merged.immutable = Some(true);
        }
    }
    merged
}

/// Builds the object one generator entry describes.
pub fn generate(
    kind: GeneratedKind,
    args: &GeneratorArgs,
    global_options: Option<&GeneratorOptions>,
    loader: &Loader,
) -> Result<Resource> {
    let fail = |message: String| {
        Error::new(ErrorKind::Generator {
            name: args.name.clone(),
            message,
        })
    };
    if args.name.is_empty() {
        return Err(fail(format!(
            "a {} generator entry must have a name",
            kind.as_str()
        )));
    }
    // kustomize treats any other value (`add`, `Merge`...) as `create`.
    let behavior = match args.behavior.as_deref() {
        Some("merge") => Behavior::Merge,
        Some("replace") => Behavior::Replace,
        _ => Behavior::Create,
    };
    let options = merged_options(args.options.as_ref(), global_options);

    let mut data = Mapping::default();
    let mut binary_data = Mapping::default();
    // `source` names where the value comes from, for errors.
    let add = |key: String,
               value: Vec<u8>,
               source: &str,
               data: &mut Mapping,
               binary: &mut Mapping|
     -> Result<()> {
        // kustomize re-reads the generated object as YAML, where a `<<` key
        // is a merge key and a string cannot be merged.
        if key == "<<" {
            return Err(fail(String::from(
                "yaml: map merge requires map or sequence of maps as the value (the key `<<` reads as a YAML merge key)",
            )));
        }
        if data.contains_key(&key) || binary.contains_key(&key) {
            return Err(fail(format!(
                "{} {} illegally repeats the key `{key}`",
                kind.as_str().to_lowercase(),
                args.name
            )));
        }
        match kind {
            GeneratedKind::Secret => {
                data.insert(key, reread_string(encode_secret_value(&value)));
            }
            GeneratedKind::ConfigMap => match String::from_utf8(value) {
                Ok(text) => {
                    if tab_led_block(&text) {
                        return Err(fail(format!(
                            "the value of key '{key}' ({source}) has several lines and starts with a tab: kustomize cannot read it back (yaml: line 2: found a tab character where an indentation space is expected)"
                        )));
                    }
                    // kyaml reads generated values back after go-yaml v2
                    // wrote them: quoted where that writer quotes.
                    data.insert(key, reread_string(text));
                }
                Err(e) => {
                    binary.insert(key, reread_string(encode_secret_value(e.as_bytes())));
                }
            },
        }
        Ok(())
    };

    for env_file in &args.envs {
        let (path, bytes) = loader.read_bytes(env_file)?;
        let text = String::from_utf8_lossy(&bytes);
        let source = format!("env file {}", path.display());
        for (key, value) in parse_env_file(&text) {
            add(
                key,
                value.into_bytes(),
                &source,
                &mut data,
                &mut binary_data,
            )?;
        }
    }
    for literal in &args.literals {
        // kustomize reads the entries of its generators back with go-yaml
        // v2, which folds NEL; the contents of files and env files keep it
        // (and it counts in their hash).
        let (key, value) = parse_literal(&fold_nel(literal)).map_err(&fail)?;
        add(
            key,
            value.into_bytes(),
            "literal",
            &mut data,
            &mut binary_data,
        )?;
    }
    for file in &args.files {
        let file = fold_nel(file);
        let (key, path) = match file.split_once('=') {
            Some((key, path)) => {
                if key.is_empty() {
                    return Err(fail(format!("key name for file path {path} missing")));
                }
                (key.to_string(), path)
            }
            None => {
                let base = std::path::Path::new(file.as_ref())
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (base, file.as_ref())
            }
        };
        let (path, bytes) = loader.read_bytes(path)?;
        let source = format!("file {}", path.display());
        add(key, bytes, &source, &mut data, &mut binary_data)?;
    }

    let mut metadata = Mapping::default();
    metadata.insert("name".into(), Node::str(&args.name));
    if let Some(ns) = args.namespace.as_deref().filter(|ns| !ns.is_empty()) {
        metadata.insert("namespace".into(), Node::str(ns));
    }
    if !options.labels.is_empty() {
        metadata.insert("labels".into(), string_map(&options.labels));
    }
    if !options.annotations.is_empty() {
        metadata.insert("annotations".into(), string_map(&options.annotations));
    }

    let mut object = Mapping::default();
    object.insert("apiVersion".into(), Node::str("v1"));
    object.insert("kind".into(), Node::str(kind.as_str()));
    object.insert("metadata".into(), Node::Map(metadata));
    // A Secret always has `data`, even empty (it counts in the name hash too).
    if !data.is_empty() || kind == GeneratedKind::Secret {
        object.insert("data".into(), Node::Map(data));
    }
    if !binary_data.is_empty() {
        object.insert("binaryData".into(), Node::Map(binary_data));
    }
    if kind == GeneratedKind::Secret {
        let secret_type = args
            .secret_type
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or("Opaque");
        object.insert("type".into(), Node::str(secret_type));
    }
    if options.immutable == Some(true) {
        object.insert("immutable".into(), Node::Bool(true));
    }

    let mut resource = Resource::new(Node::Map(object));
    resource.behavior = behavior;
    resource.generated = true;
    resource.needs_hash = options.disable_name_suffix_hash != Some(true);
    Ok(resource)
}

/// Whether go-yaml v3 writes `value` as a literal block (`|`) whose first
/// line starts with a tab, which its reader then rejects: kustomize writes
/// and re-reads each generated ConfigMap value. A block is chosen for a
/// value with a newline unless it has a trailing space, a space before a
/// line break or a character go-yaml must escape (then it is quoted).
fn tab_led_block(value: &str) -> bool {
    let must_escape = |c: char| {
        !matches!(c, '\t' | '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c == '\u{FEFF}'
    };
    let is_break = |c: char| matches!(c, '\n' | '\u{2028}' | '\u{2029}');
    let space_before_break = value
        .chars()
        .zip(value.chars().skip(1))
        .any(|(a, b)| a == ' ' && is_break(b));
    value.starts_with('\t')
        && value.contains('\n')
        && !value.ends_with(' ')
        && !space_before_break
        && !value.chars().any(must_escape)
}

/// Base64 as kustomize writes Secret data and ConfigMap binaryData: values of 70 encoded characters or
/// more are broken into 70-character lines, each ending in a newline.
fn encode_secret_value(value: &[u8]) -> String {
    const LINE: usize = 70;
    let encoded = base64::engine::general_purpose::STANDARD.encode(value);
    if encoded.len() < LINE {
        return encoded;
    }
    let mut wrapped = String::with_capacity(encoded.len() + encoded.len() / LINE + 1);
    for chunk in encoded.as_bytes().chunks(LINE) {
        wrapped.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        wrapped.push('\n');
    }
    wrapped
}

fn string_map(map: &StringMap) -> Node {
    Node::Map(map.iter().map(|(k, v)| (k.clone(), Node::str(v))).collect())
}

/// `key=value`, with one pair of surrounding quotes removed from the value.
fn parse_literal(literal: &str) -> std::result::Result<(String, String), String> {
    let Some((key, value)) = literal.split_once('=') else {
        return Err(format!(
            "invalid literal source {literal}, expected key=value"
        ));
    };
    Ok((key.to_string(), remove_quotes(value).to_string()))
}

fn remove_quotes(value: &str) -> &str {
    let bytes = value.as_bytes();
    if bytes.len() >= 2 {
        let (first, last) = (bytes[0], bytes[bytes.len() - 1]);
        if first == last && (first == b'"' || first == b'\'') {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// Lines of `KEY=VALUE`; blank lines, `#` comments and lines with an empty key
/// are skipped. A line without `=` is a key with an empty value: kustomize
/// (as built into kubectl) does not read values from the environment.
fn parse_env_file(text: &str) -> Vec<(String, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once('=') {
            Some((key, value)) => (key.to_string(), value.to_string()),
            None => (line.to_string(), String::new()),
        })
        .filter(|(key, _)| !key.is_empty())
        .collect()
}

/// Combines a generated object with the existing one it merges into or replaces
/// (kustomize's `appendReplaceOrMerge`). The result keeps the old object's name,
/// namespace and history; labels and annotations are merged, new values winning.
pub fn combine(old: &Resource, mut new: Resource) -> Resource {
    let merge_maps = |path: &[&str], old: &Node, new: &mut Node| {
        let old_map = old.get_path(path).and_then(Node::as_map).cloned();
        if let Some(mut merged) = old_map {
            if let Some(new_map) = new.get_path(path).and_then(Node::as_map) {
                for (k, v) in new_map {
                    merged.insert(k.clone(), v.clone());
                }
            }
            // kustomize sets the merged maps anew, from its string maps:
            // nothing stays shared, and scalars become strings of their text.
            for value in merged.values_mut() {
                if let Some(text) = merged_map_text(value) {
                    *value = crate::yaml::gojson::reread_string(text);
                }
            }
            let mut merged = Node::Map(merged);
            merged.unshare();
            set_path(new, path, merged);
        }
    };
    merge_maps(&["metadata", "labels"], &old.node, &mut new.node);
    merge_maps(&["metadata", "annotations"], &old.node, &mut new.node);
    if new.behavior == Behavior::Merge {
        merge_maps(&["data"], &old.node, &mut new.node);
        merge_maps(&["binaryData"], &old.node, &mut new.node);
    }
    let name = old.name().to_string();
    new.set_name(&name);
    let namespace = old.namespace();
    if namespace.is_empty() {
        if let Some(m) = new.node.get_mut("metadata").and_then(Node::as_map_mut) {
            m.shift_remove("namespace");
        }
    } else {
        new.set_namespace(&namespace);
    }
    new.previous_ids = old.previous_ids.clone();
    new.name_prefixes = old.name_prefixes.clone();
    new.name_suffixes = old.name_suffixes.clone();
    // Merging keeps where the object came from; replacing takes the new
    // origin. Both keep the transformers that ran over the old one.
    let keep_old = new.behavior == Behavior::Merge && old.origin.is_some();
    if keep_old || new.origin.is_none() {
        new.origin = old.origin.clone();
    }
    if new.transformations.is_empty() {
        new.transformations = old.transformations.clone();
    }
    new.needs_hash = old.needs_hash && new.needs_hash;
    new.generated = old.generated || new.generated;
    new.behavior = Behavior::Create;
    new
}

/// The text kustomize's string maps hold for a scalar: as written, and
/// empty for a null.
fn merged_map_text(value: &Node) -> Option<String> {
    match value {
        Node::Null(_) => Some(String::new()),
        Node::Seq(_) | Node::Map(_) => None,
        scalar => scalar.scalar_text(),
    }
}

fn set_path(node: &mut Node, path: &[&str], value: Node) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = node;
    for key in parents {
        current = current.map_entry(key);
    }
    if let Some(map) = current.as_map_mut() {
        map.insert(last.to_string(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_secret_values_wrap_at_70() {
        assert_eq!(encode_secret_value(b"apple"), "YXBwbGU=");
        let wrapped = encode_secret_value(&[b'x'; 60]);
        let lines: Vec<&str> = wrapped.split_terminator('\n').collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), 70);
        assert!(wrapped.ends_with('\n'));
    }

    #[test]
    fn only_a_tab_led_literal_block_fails_to_read_back() {
        assert!(tab_led_block("\tfirst\nsecond\n"));
        assert!(tab_led_block("\t\n"));
        assert!(tab_led_block("\tx\ny\u{e9}"));
        assert!(!tab_led_block("\tx"));
        assert!(!tab_led_block("x\n\ty"));
        assert!(!tab_led_block(" \tx\ny"));
        assert!(!tab_led_block("\tx\ny "));
        assert!(!tab_led_block("\tx \ny"));
        assert!(!tab_led_block("\tx\ny\u{85}"));
        assert!(!tab_led_block("\tx\ny\r"));
        assert!(!tab_led_block("\tx\ny\u{1F600}"));
    }

    #[test]
    fn literals_strip_quotes() {
        assert_eq!(
            parse_literal("quote=\"x\"").unwrap(),
            ("quote".to_string(), "x".to_string())
        );
        assert_eq!(
            parse_literal("a=b=c").unwrap(),
            ("a".to_string(), "b=c".to_string())
        );
        assert!(parse_literal("novalue").is_err());
    }

    #[test]
    fn env_files_skip_comments() {
        let pairs = parse_env_file("# c\n\nA=1\n  B=two words\n=skipped\nexport C=3\nD\n");
        let expected = [("A", "1"), ("B", "two words"), ("export C", "3"), ("D", "")];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn options_merge_local_over_global() {
        let mut global = GeneratorOptions::default();
        global.labels.insert("l1".into(), "global".into());
        global.labels.insert("g".into(), "g".into());
        let mut local = GeneratorOptions::default();
        local.labels.insert("l1".into(), "local".into());
        let merged = merged_options(Some(&local), Some(&global));
        assert_eq!(merged.labels["l1"], "local");
        assert_eq!(merged.labels["g"], "g");
    }
}
