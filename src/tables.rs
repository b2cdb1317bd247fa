//! A kustomization level's own tables: field specs from its `configurations`
//! files and from the `x-kubernetes-*` extensions of its `crds` files, and the
//! merge schema named by its `openapi` field.
//!
//! Configuration files are read as kustomize reads them (YAML into its
//! `TransformerConfig` through JSON): unknown fields are errors, field names
//! match case-insensitively, scalars are accepted where strings are expected.

use crate::error::{Error, ErrorKind, Result};
use crate::fieldspec::{FieldSpec, FieldSpecs, NameReference, Table};
use crate::loader::Loader;
use crate::resource::Gvk;
use crate::schema::Schema;
use crate::yaml::node::{Mapping, Node};
use crate::yaml::parse::parse_single;
use std::path::Path;
use std::sync::Arc;

/// The field specs of a level: the built-ins merged with its `configurations`
/// files (each merged into an empty table first, as kustomize does).
pub fn configured_field_specs(loader: &Loader, files: &[String]) -> Result<Arc<FieldSpecs>> {
    if files.is_empty() {
        return Ok(FieldSpecs::builtin());
    }
    let mut from_files = FieldSpecs::default();
    for file in files {
        let (path, text) = loader.read_text(file)?;
        let doc = parse_single(&text).map_err(|e| Error::yaml(&path, e))?;
        let config = read_configuration(&doc).map_err(|m| config_error(&path, m))?;
        from_files = from_files
            .merged_with(&config)
            .map_err(|m| config_error(&path, m))?;
    }
    let merged = FieldSpecs::builtin()
        .merged_with(&from_files)
        .map_err(|m| config_error(loader.root(), m))?;
    Ok(Arc::new(merged))
}

fn config_error(path: &Path, message: String) -> Error {
    Error::new(ErrorKind::FieldSpecs {
        path: path.to_path_buf(),
        message,
    })
}

const UNMARSHAL: &str = "error unmarshaling JSON: while decoding JSON";

/// Reads one parsed `configurations` file: its lists sorted by type, not merged.
pub fn read_configuration(doc: &Node) -> std::result::Result<FieldSpecs, String> {
    let config = decode_configuration(doc).map_err(|e| format!("{UNMARSHAL}: {e}"))?;
    Ok(config.sorted())
}

fn decode_configuration(doc: &Node) -> std::result::Result<FieldSpecs, String> {
    let mut config = FieldSpecs::default();
    let map = match doc {
        Node::Null(_) => return Ok(config),
        Node::Map(map) => map,
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type builtinconfig.TransformerConfig",
                json_type(other)
            ));
        }
    };
    let mut keys: Vec<&str> = Table::ALL.iter().map(|t| t.key()).collect();
    keys.push("nameReference");
    for (key, value) in map {
        let field = struct_field(&keys, key)?;
        let context = format!("TransformerConfig.{field}");
        if field == "nameReference" {
            config.name_reference = decode_list(value, &context, "builtinconfig.nbrSlice")?
                .iter()
                .map(decode_name_reference)
                .collect::<std::result::Result<_, _>>()?;
            continue;
        }
        let table = Table::ALL
            .into_iter()
            .find(|t| t.key() == field)
            .expect("field names come from the tables");
        *config.table_mut(table) = decode_field_specs(value, &context, field)?;
    }
    Ok(config)
}

/// The struct field `key` decodes into: an exact match, else a
/// case-insensitive one (Go's encoding/json), else an unknown-field error.
fn struct_field<'k>(fields: &[&'k str], key: &str) -> std::result::Result<&'k str, String> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
        .ok_or_else(|| format!("json: unknown field \"{key}\""))
}

fn json_type(node: &Node) -> &'static str {
    match node {
        Node::Null(_) => "null",
        Node::Bool(_) => "bool",
        Node::Int(_) | Node::UInt(_) | Node::Float(_) => "number",
        Node::Str(..) => "string",
        Node::Seq(_) => "array",
        Node::Map(_) => "object",
    }
}

fn type_error(found: &Node, context: &str, want: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go struct field {context} of type {want}",
        json_type(found)
    )
}

fn decode_list<'n>(
    node: &'n Node,
    context: &str,
    want: &str,
) -> std::result::Result<&'n [Node], String> {
    match node {
        Node::Null(_) => Ok(&[]),
        Node::Seq(items) => Ok(items),
        other => Err(type_error(other, context, want)),
    }
}

/// A list of field specs; `list_path` is the JSON path of the list (for messages).
fn decode_field_specs(
    node: &Node,
    context: &str,
    list_path: &str,
) -> std::result::Result<Vec<FieldSpec>, String> {
    decode_list(node, context, "types.FsSlice")?
        .iter()
        .map(|item| match item {
            Node::Null(_) => Ok(empty_field_spec()),
            Node::Map(map) => decode_field_spec(map, list_path),
            other => Err(type_error(other, context, "types.FieldSpec")),
        })
        .collect()
}

fn empty_field_spec() -> FieldSpec {
    FieldSpec {
        gvk: Gvk::default(),
        path: FieldSpec::parse_path(""),
        create: false,
    }
}

fn decode_field_spec(map: &Mapping, list_path: &str) -> std::result::Result<FieldSpec, String> {
    let mut spec = empty_field_spec();
    for (key, value) in map {
        let field = struct_field(&["group", "version", "kind", "path", "create"], key)?;
        match field {
            "create" => {
                spec.create = match value {
                    Node::Null(_) => false,
                    Node::Bool(b) => *b,
                    other => {
                        return Err(type_error(
                            other,
                            &format!("FieldSpec.{list_path}.create"),
                            "bool",
                        ));
                    }
                }
            }
            "path" => {
                let text = decode_string(value, &format!("FieldSpec.{list_path}.path"))?;
                spec.path = FieldSpec::parse_path(&text);
            }
            gvk_field => {
                let text = decode_string(value, &format!("FieldSpec.{list_path}.Gvk.{gvk_field}"))?;
                set_gvk_field(&mut spec.gvk, gvk_field, text);
            }
        }
    }
    Ok(spec)
}

fn set_gvk_field(gvk: &mut Gvk, field: &str, text: String) {
    match field {
        "group" => gvk.group = text,
        "version" => gvk.version = text,
        _ => gvk.kind = text,
    }
}

/// A string field: YAML scalars of any type read as their text.
fn decode_string(node: &Node, context: &str) -> std::result::Result<String, String> {
    match node {
        Node::Null(_) => Ok(String::new()),
        Node::Seq(_) | Node::Map(_) => Err(type_error(node, context, "string")),
        scalar => Ok(scalar.scalar_text().unwrap_or_default()),
    }
}

fn decode_name_reference(node: &Node) -> std::result::Result<NameReference, String> {
    let mut reference = NameReference {
        gvk: Gvk::default(),
        referrers: Vec::new(),
    };
    let map = match node {
        Node::Null(_) => return Ok(reference),
        Node::Map(map) => map,
        other => {
            return Err(type_error(
                other,
                "TransformerConfig.nameReference",
                "builtinconfig.NameBackReferences",
            ));
        }
    };
    for (key, value) in map {
        let field = struct_field(&["group", "version", "kind", "fieldSpecs"], key)?;
        if field == "fieldSpecs" {
            reference.referrers = decode_field_specs(
                value,
                "NameBackReferences.nameReference.fieldSpecs",
                "nameReference.fieldSpecs",
            )?;
        } else {
            let text = decode_string(
                value,
                &format!("NameBackReferences.nameReference.Gvk.{field}"),
            )?;
            set_gvk_field(&mut reference.gvk, field, text);
        }
    }
    Ok(reference)
}

/// Field specs from the OpenAPI definitions of a level's `crds` files: a
/// property with `x-kubernetes-object-ref-api-version` and
/// `x-kubernetes-object-ref-kind` names an object of that type (by its
/// `x-kubernetes-object-ref-name-key`, default `name`); `x-kubernetes-annotation`,
/// `x-kubernetes-label-selector` and `x-kubernetes-identity` properties take
/// annotations, labels and the name prefix.
pub fn crd_field_specs(loader: &Loader, files: &[String]) -> Result<Option<Arc<FieldSpecs>>> {
    // The definitions are serde_json values, walked and dropped unguarded.
    crate::stack::for_whole_tree(|| crd_field_specs_here(loader, files))
}

fn crd_field_specs_here(loader: &Loader, files: &[String]) -> Result<Option<Arc<FieldSpecs>>> {
    if files.is_empty() {
        return Ok(None);
    }
    // kustomize prefixes every error with the list, as Go prints a slice.
    let context = format!("loading CRDs [{}]", files.join(" "));
    let mut specs = FieldSpecs::default();
    for file in files {
        let (path, text) = loader.read_text(file)?;
        let definitions = read_definitions(&text).map_err(|m| {
            config_error(
                &path,
                format!("{context}: unable to parse open API definition from '{file}': {m}"),
            )
        })?;
        let from_file = crd_specs_from_definitions(&definitions);
        specs = specs
            .merged_with(&from_file)
            .map_err(|m| config_error(&path, m))?;
    }
    Ok(Some(Arc::new(specs)))
}

/// Reads a map of type names to `{Schema: {properties: ...}}` definitions
/// (JSON when the text starts with `{`, else YAML).
fn read_definitions(text: &str) -> std::result::Result<serde_json::Value, String> {
    let value = if text.starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())?
    } else {
        let node = parse_single(text).map_err(|e| format!("yaml: {}", e.message))?;
        node.to_json()
    };
    let Some(types) = value.as_object() else {
        return Err(format!(
            "{UNMARSHAL}: json: cannot unmarshal {} into Go value of type accumulator.nameToApiMap",
            json_value_type(&value)
        ));
    };
    for definition in types.values() {
        if let Some(properties) = definition.pointer("/Schema/properties")
            && !properties.is_object()
            && !properties.is_null()
        {
            return Err(format!(
                "json: cannot unmarshal Go value of type spec.Schema: json: unable to unmarshal JSON {} into Go value of type map[string]spec.Schema",
                json_value_type(properties)
            ));
        }
    }
    Ok(value)
}

fn json_value_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

fn crd_specs_from_definitions(definitions: &serde_json::Value) -> FieldSpecs {
    let mut result = FieldSpecs::default();
    let Some(types) = definitions.as_object() else {
        return result;
    };
    // Definition names sorted: kustomize walks a Go map, whose order only
    // matters to the order of merged entries.
    let mut names: Vec<&String> = types.keys().collect();
    names.sort();
    for name in names {
        let properties = types[name].pointer("/Schema/properties");
        let looks_like_object = properties
            .and_then(serde_json::Value::as_object)
            .is_some_and(|p| {
                p.contains_key("kind") && p.contains_key("apiVersion") && p.contains_key("metadata")
            });
        if !looks_like_object {
            continue;
        }
        let gvk = Gvk {
            kind: name.rsplit('.').next().unwrap_or(name).to_string(),
            ..Gvk::default()
        };
        let mut found = FieldSpecs::default();
        let mut visited = Vec::new();
        collect_crd_specs(types, name, &gvk, &mut Vec::new(), &mut found, &mut visited);
        if let Ok(merged) = result.merged_with(&found) {
            result = merged;
        }
    }
    result
}

fn collect_crd_specs(
    types: &serde_json::Map<String, serde_json::Value>,
    type_name: &str,
    gvk: &Gvk,
    path: &mut Vec<String>,
    found: &mut FieldSpecs,
    visited: &mut Vec<String>,
) {
    let Some(properties) = types
        .get(type_name)
        .and_then(|t| t.pointer("/Schema/properties"))
        .and_then(serde_json::Value::as_object)
    else {
        return;
    };
    // A type that contains itself would recurse forever.
    if visited.iter().any(|v| v == type_name) {
        return;
    }
    visited.push(type_name.to_string());
    let mut names: Vec<&String> = properties.keys().collect();
    names.sort();
    for name in names {
        let property = &properties[name];
        let extension = |key: &str| property.get(key).and_then(serde_json::Value::as_str);
        path.push(name.clone());
        let spec = |extra: Option<&str>| {
            let mut text = path.join("/");
            if let Some(extra) = extra {
                text = format!("{text}/{extra}");
            }
            FieldSpec {
                gvk: gvk.clone(),
                path: FieldSpec::parse_path(&text),
                create: false,
            }
        };
        if extension("x-kubernetes-annotation").is_some() {
            found.common_annotations.push(spec(None));
        }
        if extension("x-kubernetes-label-selector").is_some() {
            found.common_labels.push(spec(None));
        }
        if extension("x-kubernetes-identity").is_some() {
            found.name_prefix.push(spec(None));
        }
        if let (Some(version), Some(kind)) = (
            extension("x-kubernetes-object-ref-api-version"),
            extension("x-kubernetes-object-ref-kind"),
        ) {
            let name_key = extension("x-kubernetes-object-ref-name-key").unwrap_or("name");
            let target = Gvk {
                version: version.to_string(),
                kind: kind.to_string(),
                ..Gvk::default()
            };
            let referrer = spec(Some(name_key));
            match found.name_reference.iter_mut().find(|r| r.gvk == target) {
                Some(existing) => existing.referrers.push(referrer),
                None => found.name_reference.push(NameReference {
                    gvk: target,
                    referrers: vec![referrer],
                }),
            }
        }
        if let Some(reference) = property.get("$ref").and_then(serde_json::Value::as_str) {
            collect_crd_specs(types, reference, gvk, path, found, visited);
        }
        path.pop();
    }
    visited.pop();
}

/// The schema a level's `openapi` field names: `version` (only the built-in
/// Kubernetes v1.21.2 schema exists offline) or `path` to an OpenAPI v2
/// document in JSON or YAML, on top of the built-in one when `extend_builtin`
/// (kyaml had already loaded it when the custom schema came).
pub fn openapi_schema(
    loader: &Loader,
    path: Option<&str>,
    version: Option<&str>,
    extend_builtin: bool,
) -> Result<Arc<Schema>> {
    // The document is a serde_json value, walked and dropped unguarded.
    crate::stack::for_whole_tree(|| openapi_schema_here(loader, path, version, extend_builtin))
}

fn openapi_schema_here(
    loader: &Loader,
    path: Option<&str>,
    version: Option<&str>,
    extend_builtin: bool,
) -> Result<Arc<Schema>> {
    let kustomization_error = |message: String| Error::kustomization(loader.root(), message);
    match (path, version) {
        (Some(_), Some(_)) => Err(kustomization_error(
            "builtin version and custom schema provided, cannot use both".into(),
        )),
        (None, Some("v1.21.2") | None) => Ok(Schema::builtin()),
        (None, Some(other)) => Err(kustomization_error(format!(
            "the specified OpenAPI version is not built in: '{other}' (kustomize v5.6.0 has v1.21.2)"
        ))),
        (Some(file), None) => {
            let (resolved, text) = loader.read_text(file)?;
            let document = if resolved
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml")
            {
                parse_single(&text)
                    .map_err(|e| Error::yaml(&resolved, e))?
                    .to_json()
            } else {
                serde_json::from_str(&text).map_err(|e| {
                    config_error(&resolved, format!("invalid OpenAPI JSON document: {e}"))
                })?
            };
            let schema = if extend_builtin {
                Schema::builtin_extended_with(&document)
            } else {
                Schema::from_openapi(&document)
            };
            let schema = schema.map_err(|m| config_error(&resolved, m))?;
            Ok(Arc::new(schema))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_configuration(text: &str) -> std::result::Result<FieldSpecs, String> {
        super::read_configuration(&parse_single(text).unwrap())
    }

    #[test]
    fn reads_configuration_lists_case_insensitively() {
        let config = read_configuration(
            "COMMONLABELS:\n- kind: Widget\n  path: spec/x\n  create: true\nnameReference:\n- kind: ConfigMap\n  fieldSpecs:\n  - {kind: Widget, path: spec/cm}\n",
        )
        .unwrap();
        assert_eq!(config.common_labels.len(), 1);
        assert!(config.common_labels[0].create);
        assert_eq!(config.name_reference[0].gvk.kind, "ConfigMap");
        assert_eq!(config.name_reference[0].referrers[0].path_text(), "spec/cm");
    }

    #[test]
    fn rejects_what_kustomize_rejects() {
        let error = |text: &str| read_configuration(text).unwrap_err();
        assert!(error("foo: 1\n").ends_with("json: unknown field \"foo\""));
        assert!(error("commonLabels:\n- paths: a\n").ends_with("json: unknown field \"paths\""));
        assert!(error("- a\n").ends_with(
            "json: cannot unmarshal array into Go value of type builtinconfig.TransformerConfig"
        ));
        assert!(
            error("commonLabels:\n- path: a\n  create: \"true\"\n").ends_with(
                "json: cannot unmarshal string into Go struct field FieldSpec.commonLabels.create of type bool"
            )
        );
        assert!(error("nameReference: {kind: A}\n").ends_with(
            "json: cannot unmarshal object into Go struct field TransformerConfig.nameReference of type builtinconfig.nbrSlice"
        ));
    }

    #[test]
    fn a_specific_entry_drops_a_general_one_with_the_same_path() {
        let config = read_configuration(
            "namePrefix:\n- path: metadata/name\n- kind: Widget\n  path: metadata/name\n",
        )
        .unwrap();
        // Sorted: the Widget entry first, then the general one.
        assert_eq!(config.name_prefix.len(), 2);
        assert_eq!(config.name_prefix[0].gvk.kind, "Widget");
        // Merged into a table, the Widget entry's type is selected by the
        // general entry's: the general entry is dropped.
        let merged = FieldSpecs::default().merged_with(&config).unwrap();
        assert_eq!(merged.name_prefix.len(), 1);
        assert_eq!(merged.name_prefix[0].gvk.kind, "Widget");
    }
}
