//! `buildMetadata`: where each object came from and which transformers ran
//! over it, kept as plain data on [`Resource`]s and written out as
//! kustomize's `config.kubernetes.io/origin` and
//! `alpha.config.kubernetes.io/transformations` annotations at the end.
//!
//! The top kustomization's `buildMetadata` holds for the whole build: every
//! base and component records (or not) as the top one says. Paths are
//! relative to the top kustomization, joined and cleaned as Go's
//! `filepath.Join` does (`../base/svc.yaml`). Nothing is recorded, and
//! nothing allocated, when `buildMetadata` is empty.

use crate::resource::Resource;
use crate::yaml::emit::write_document;
use crate::yaml::node::{Node, StrStyle};

pub const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
pub const TRANSFORMATIONS_ANNOTATION: &str = "alpha.config.kubernetes.io/transformations";

/// What the top kustomization's `buildMetadata` asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildMetadata {
    /// `managedByLabel`: `app.kubernetes.io/managed-by` on every object.
    pub managed_by_label: bool,
    /// `originAnnotations`: print each object's origin.
    pub origin_annotations: bool,
    /// `transformerAnnotations`: print the transformers that ran over each object.
    pub transformer_annotations: bool,
    /// Any value at all (unknown ones included) makes kustomize track
    /// origins, whatever it prints in the end.
    pub track: bool,
}

impl BuildMetadata {
    /// From the `buildMetadata` list; unknown values are ignored, as kustomize does.
    pub fn from_values(values: &[String]) -> BuildMetadata {
        let has = |name: &str| values.iter().any(|v| v == name);
        BuildMetadata {
            managed_by_label: has("managedByLabel"),
            origin_annotations: has("originAnnotations"),
            transformer_annotations: has("transformerAnnotations"),
            track: !values.is_empty(),
        }
    }
}

/// The plugin config that generated or transformed an object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfiguredBy {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

impl ConfiguredBy {
    /// A built-in configured by kustomization fields (no name).
    pub fn builtin(kind: &str) -> ConfiguredBy {
        ConfiguredBy {
            api_version: "builtin".into(),
            kind: kind.into(),
            ..ConfiguredBy::default()
        }
    }

    /// A plugin config object, named as it is now.
    pub fn config(config: &Resource) -> ConfiguredBy {
        ConfiguredBy {
            api_version: config.api_version().into(),
            kind: config.kind().into(),
            name: config.name().into(),
            namespace: config.namespace().into(),
        }
    }

    fn is_empty(&self) -> bool {
        self == &ConfiguredBy::default()
    }
}

/// kustomize's `resource.Origin`: a file an object was read from, or the
/// config that generated it or ran over it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file the object was read from.
    pub path: String,
    /// The file holding the generator or transformer config.
    pub configured_in: String,
    pub configured_by: ConfiguredBy,
}

impl Origin {
    pub fn file(path: String) -> Origin {
        Origin {
            path,
            ..Origin::default()
        }
    }

    pub fn configured(configured_in: String, configured_by: ConfiguredBy) -> Origin {
        Origin {
            path: String::new(),
            configured_in,
            configured_by,
        }
    }

    /// The origin of what a plugin config (itself read from a file, or
    /// inline in a kustomization) generates or transforms.
    pub fn of_config(config: &Resource) -> Option<Origin> {
        let read_from = config.origin.as_deref()?;
        Some(Origin::configured(
            read_from.path.clone(),
            ConfiguredBy::config(config),
        ))
    }

    /// The YAML lines kustomize writes, fields in its order, empty ones left out.
    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut field = |indent: &str, key: &str, value: &str| {
            if !value.is_empty() {
                lines.push(format!("{indent}{key}: {}", scalar(value)));
            }
        };
        field("", "path", &self.path);
        field("", "configuredIn", &self.configured_in);
        if !self.configured_by.is_empty() {
            let by = &self.configured_by;
            let mut nested = Vec::new();
            for (key, value) in [
                ("apiVersion", &by.api_version),
                ("kind", &by.kind),
                ("name", &by.name),
                ("namespace", &by.namespace),
            ] {
                if !value.is_empty() {
                    nested.push(format!("  {key}: {}", scalar(value)));
                }
            }
            lines.push("configuredBy:".into());
            lines.extend(nested);
        }
        lines
    }

    /// The `config.kubernetes.io/origin` annotation's value.
    pub fn annotation(&self) -> String {
        let mut text = String::new();
        for line in self.lines() {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    /// Reads one entry of a transformations annotation kustomize wrote.
    fn from_node(node: &Node) -> Option<Origin> {
        let text = |path: &[&str]| node.str_at(path).unwrap_or_default().to_string();
        node.as_map()?;
        Some(Origin {
            path: text(&["path"]),
            configured_in: text(&["configuredIn"]),
            configured_by: ConfiguredBy {
                api_version: text(&["configuredBy", "apiVersion"]),
                kind: text(&["configuredBy", "kind"]),
                name: text(&["configuredBy", "name"]),
                namespace: text(&["configuredBy", "namespace"]),
            },
        })
    }
}

/// The `alpha.config.kubernetes.io/transformations` annotation's value.
pub fn transformations_annotation(transformations: &[Origin]) -> String {
    let mut text = String::new();
    for origin in transformations {
        for (i, line) in origin.lines().into_iter().enumerate() {
            text.push_str(if i == 0 { "- " } else { "  " });
            text.push_str(&line);
            text.push('\n');
        }
    }
    text
}

/// Marks `resource` as coming from `origin`. kustomize keeps origins as
/// annotations while it builds, so a tracked object always has an
/// annotation map (a JSON patch may add to it); an empty one is dropped on
/// output.
pub fn set_origin(resource: &mut Resource, origin: Origin) {
    resource.origin = Some(Box::new(origin));
    let annotations = resource.metadata_mut().map_entry("annotations");
    if annotations.is_null() {
        *annotations = Node::Map(Default::default());
    }
}

/// Puts a tracked object's origin into its annotations while a transformer
/// runs, where kustomize keeps it: a patch that replaces the whole
/// annotation map drops it (see [`forgets_origin`]).
pub fn expose_origin(resource: &mut Resource) {
    let Some(text) = resource.origin.as_deref().map(Origin::annotation) else {
        return;
    };
    let annotations = resource.metadata_mut().map_entry("annotations");
    if annotations.is_null() {
        *annotations = Node::Map(Default::default());
    }
    if let Some(map) = annotations.as_map_mut() {
        map.insert(ORIGIN_ANNOTATION.into(), Node::str(text));
    }
}

/// Takes back what [`expose_origin`] put in; where the transformer removed
/// it, the object forgets its origin and the transformations recorded so
/// far, as kustomize does (the next transformer to run becomes its origin).
pub fn forgets_origin(resource: &mut Resource) {
    if resource.origin.is_none() {
        return;
    }
    let kept = resource
        .node
        .get_mut("metadata")
        .and_then(|m| m.get_mut("annotations"))
        .and_then(Node::as_map_mut)
        .and_then(|map| map.shift_remove(ORIGIN_ANNOTATION))
        .is_some();
    if !kept {
        resource.origin = None;
        resource.transformations.clear();
    }
}

/// Records that a transformer configured at `origin` ran over `resource`
/// (an object without an origin is taken to come from the transformer).
/// Transformations an earlier build wrote on the input come first; kustomize
/// fails on one it cannot read.
pub fn record_transformation(resource: &mut Resource, origin: &Origin) -> Result<(), String> {
    // kustomize writes its annotation now, setting the whole map from
    // strings: values written as numbers or booleans become their text,
    // folded ones lose their style (as at the end of a build).
    if let Some(Node::Map(annotations)) = resource.node.get_path_mut(&["metadata", "annotations"]) {
        for value in annotations.values_mut() {
            match value {
                Node::Str(_, style @ (StrStyle::PlainTyped | StrStyle::EmptyText)) => {
                    *style = StrStyle::Plain
                }
                Node::Str(_, style @ StrStyle::Folded) => *style = StrStyle::Quoted,
                _ => {}
            }
        }
    }
    if resource.origin.is_none() {
        set_origin(resource, origin.clone());
        return Ok(());
    }
    if resource.transformations.is_empty() {
        resource.transformations = earlier_transformations(resource)?;
    }
    resource.transformations.push(origin.clone());
    Ok(())
}

fn earlier_transformations(resource: &Resource) -> Result<Vec<Origin>, String> {
    let Some(text) = resource
        .annotations()
        .and_then(|a| a.get(TRANSFORMATIONS_ANNOTATION))
        .and_then(Node::as_str)
    else {
        return Ok(Vec::new());
    };
    let docs = crate::yaml::parse::parse_stream(text).map_err(|e| e.message)?;
    let unmarshal_error = |node: &Node, into: &str| {
        let found = node.json_type();
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} into Go value of type {into}"
        )
    };
    match docs.first() {
        None | Some(Node::Null(_)) => Ok(Vec::new()),
        Some(Node::Seq(items)) => items
            .iter()
            .map(|item| {
                Origin::from_node(item).ok_or_else(|| unmarshal_error(item, "resource.Origin"))
            })
            .collect(),
        Some(other) => Err(unmarshal_error(other, "resource.Transformations")),
    }
}

/// A string as a YAML scalar, quoted where plain text would read back as
/// something else.
fn scalar(value: &str) -> String {
    let mut out = String::new();
    match write_document(&Node::str(value), &mut out) {
        Ok(()) => out.trim_end_matches('\n').to_string(),
        Err(_) => value.to_string(),
    }
}

/// Go's `filepath.Join(dir, path)` on relative slash paths: joined, then
/// cleaned of `.`, `..` and repeated slashes.
pub fn join(dir: &str, path: &str) -> String {
    let joined = match (dir.is_empty(), path.is_empty()) {
        (true, true) => return String::new(),
        (true, false) => path.to_string(),
        (false, true) => dir.to_string(),
        (false, false) => format!("{dir}/{path}"),
    };
    clean(&joined)
}

/// Go's `filepath.Clean` for `/`-separated paths.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_cleans_like_go() {
        assert_eq!(join("", "./svc.yaml"), "svc.yaml");
        assert_eq!(join("../base", "svc.yaml"), "../base/svc.yaml");
        assert_eq!(join("../base", "../other/x.yaml"), "../other/x.yaml");
        assert_eq!(join("", "sub/../sa.yaml"), "sa.yaml");
        assert_eq!(join("a", "../../b"), "../b");
        assert_eq!(join("", "/abs//x.yaml"), "/abs/x.yaml");
        assert_eq!(join("/", "../x"), "/x");
        assert_eq!(join("a", ".."), ".");
    }

    #[test]
    fn annotations_in_kustomize_field_order() {
        let origin = Origin::configured(
            "kustomization.yaml".into(),
            ConfiguredBy {
                api_version: "builtin".into(),
                kind: "NamespaceTransformer".into(),
                name: "cfg".into(),
                namespace: "test".into(),
            },
        );
        assert_eq!(
            origin.annotation(),
            "configuredIn: kustomization.yaml\nconfiguredBy:\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  name: cfg\n  namespace: test\n"
        );
        let file = Origin::file("../base/svc.yaml".into());
        assert_eq!(
            transformations_annotation(&[file.clone(), origin]),
            "- path: ../base/svc.yaml\n- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: NamespaceTransformer\n    name: cfg\n    namespace: test\n"
        );
        assert_eq!(Origin::file("true".into()).annotation(), "path: \"true\"\n");
    }
}
