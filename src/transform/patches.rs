//! `patches`, `patchesStrategicMerge` and `patchesJson6902`: choosing targets
//! and applying strategic merge or JSON 6902 patches to them.

use super::patch_json6902::JsonPatch;
use super::patch_strategic::{self, SmpOutcome};
use crate::error::{Error, Result};
use crate::kustomization::Patch;
use crate::loader::Loader;
use crate::resource::{Gvk, ResId, ResMap, Resource};
use crate::schema::Schema;
use crate::selector::TargetSelector;
use crate::yaml::node::Node;
use crate::yaml::parse::{Dialect, parse_patch_stream, parse_stream};

/// A patch's content after detecting its type.
enum Content {
    Strategic(Vec<Node>),
    Json(JsonPatch),
}

/// Where a patch came from, for messages.
fn describe(patch: &Patch) -> String {
    match (&patch.path, &patch.patch) {
        (Some(path), _) => format!("'{path}'"),
        (None, Some(inline)) => format!("'{}'", inline.lines().next().unwrap_or("").trim()),
        _ => "(empty)".into(),
    }
}

fn parse_content(text: &str, source: &str, dialect: Dialect) -> Result<Content> {
    let docs =
        parse_patch_stream(text, dialect).map_err(|e| Error::patch(source, e.to_string()))?;
    let docs: Vec<Node> = docs.into_iter().filter(|d| !d.is_null()).collect();
    match docs.as_slice() {
        [Node::Seq(_)] => JsonPatch::parse(text)
            .map(Content::Json)
            .map_err(|e| Error::patch(source, e)),
        [] => Err(Error::patch(source, "the patch is empty")),
        _ => {
            if let Some(bad) = docs.iter().find(|d| d.as_map().is_none()) {
                return Err(Error::patch(
                    source,
                    format!(
                        "unable to parse SM or JSON patch: expected a mapping or a list of operations, found {}",
                        bad.scalar_text().unwrap_or_else(|| "a list".into())
                    ),
                ));
            }
            if let Some(missing) = docs.iter().find_map(missing_header) {
                return Err(Error::patch(
                    source,
                    format!("unable to parse SM or JSON patch: {missing}"),
                ));
            }
            Ok(Content::Strategic(docs))
        }
    }
}

/// What a strategic merge patch document lacks that kustomize requires of
/// every object it reads: a kind, and a name unless the kind is a list.
fn missing_header(doc: &Node) -> Option<String> {
    let kind = doc.str_at(&["kind"]).unwrap_or("");
    if kind.is_empty() {
        let hint = match doc.get("op") {
            Some(_) => " (a JSON 6902 patch is a list of operations: `- op: ...`)",
            None => "",
        };
        return Some(format!(
            "a strategic merge patch needs a kind and a metadata.name; missing kind in {}{hint}",
            doc.json_text()
        ));
    }
    // A number or boolean is a name too (its text).
    let name = doc
        .get_path(&["metadata", "name"])
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    if name.is_empty() && !kind.ends_with("List") {
        return Some(format!(
            "a strategic merge patch needs a kind and a metadata.name; missing metadata.name in {}",
            doc.json_text()
        ));
    }
    None
}

/// Applies one strategic merge patch document to the resource at `index`.
/// Returns false when the patch deleted the resource.
fn apply_strategic(
    resource: &mut Resource,
    patch: &Node,
    options: &Patch,
    schema: &Schema,
    source: &str,
) -> Result<bool> {
    // kyaml sets them anew from their text: quoted ones stay strings, plain
    // ones are untagged (see `Node::renamed_to`).
    let metadata_value = |key: &str| {
        resource
            .node
            .get_path(&["metadata", key])
            .map(|node| node.renamed_to(&node.scalar_text().unwrap_or_default()))
    };
    let (name, namespace, kind) = (
        metadata_value("name"),
        metadata_value("namespace").filter(|ns| ns.scalar_text().is_some_and(|t| !t.is_empty())),
        resource.kind().to_string(),
    );
    if options.allow_name_change || options.allow_kind_change {
        resource.store_previous_id(schema);
    }
    // The patch takes the target's apiVersion, keeping its own kind.
    let mut patch = patch.clone();
    if let Some(map) = patch.as_map_mut() {
        map.insert("apiVersion".into(), Node::str(resource.api_version()));
    }
    let outcome = patch_strategic::apply(&mut resource.node, &patch, schema)
        .map_err(|e| Error::patch(source, e.message))?;
    if outcome == SmpOutcome::Deleted || resource.node.as_map().is_none_or(|m| m.is_empty()) {
        return Ok(false);
    }
    if !options.allow_kind_change
        && let Some(map) = resource.node.as_map_mut()
    {
        map.insert("kind".into(), Node::str(&kind));
    }
    let metadata = resource.metadata_mut().as_map_mut();
    if let Some(metadata) = metadata {
        if !options.allow_name_change {
            metadata.insert("name".into(), name.unwrap_or_else(|| Node::str("")));
        }
        match namespace {
            Some(namespace) => metadata.insert("namespace".into(), namespace),
            None => metadata.shift_remove("namespace"),
        };
    }
    Ok(true)
}

/// The id a strategic merge patch names (its own apiVersion, kind, name, namespace).
fn patch_id(patch: &Node) -> ResId {
    let metadata_text = |key: &str| {
        patch
            .get_path(&["metadata", key])
            .and_then(Node::scalar_text)
            .unwrap_or_default()
    };
    ResId::new(
        Gvk::from_api_version(
            patch.str_at(&["apiVersion"]).unwrap_or(""),
            patch.str_at(&["kind"]).unwrap_or(""),
        ),
        &metadata_text("name"),
        &metadata_text("namespace"),
    )
}

/// The one resource a target-less patch applies to.
fn find_by_id(resources: &ResMap, id: &ResId, source: &str) -> Result<usize> {
    let found = resources.with_any_id(id);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::patch(
            source,
            format!("no matches for Id {id}; failed to find unique target for patch {id}"),
        )),
        _ => Err(Error::patch(
            source,
            format!("multiple matches for Id {id}; failed to find unique target for patch {id}"),
        )),
    }
}

fn apply_to_selected(
    resources: &mut ResMap,
    selected: Vec<usize>,
    schema: &Schema,
    mut apply: impl FnMut(&mut Resource) -> Result<bool>,
) -> Result<()> {
    let mut keep = vec![true; resources.len()];
    for index in selected {
        keep[index] = apply(resources.edit(index))?;
    }
    if keep.contains(&false) {
        let mut flags = keep.into_iter();
        resources.retain(schema, |_| flags.next().unwrap_or(true));
    }
    Ok(())
}

/// One `patches` (or `patchesJson6902`) entry.
pub fn apply_patch(
    resources: &mut ResMap,
    patch: &Patch,
    loader: &Loader,
    schema: &Schema,
    json_only: bool,
) -> Result<()> {
    let source = describe(patch);
    let text = match (&patch.path, &patch.patch) {
        (Some(_), Some(_)) => {
            return Err(Error::patch(
                &source,
                "patch and path can't be set at the same time",
            ));
        }
        (Some(path), None) => loader.read_text(path)?.1,
        // kustomize trims inline `patches` (not `patchesJson6902`): a block
        // scalar ending the patch loses its final newline.
        (None, Some(inline)) if !json_only => inline.trim().to_string(),
        (None, Some(inline)) => inline.clone(),
        (None, None) => return Err(Error::patch(&source, "must specify one of patch and path")),
    };
    let dialect = if patch.target.is_some() {
        Dialect::ResourcePatch
    } else {
        Dialect::Patch
    };
    let content = parse_content(&text, &source, dialect)?;
    let selector = patch
        .target
        .as_ref()
        .map(TargetSelector::new)
        .transpose()
        .map_err(|e| Error::patch(&source, format!("invalid target: {e}")))?;
    let select = |resources: &ResMap, selector: &TargetSelector| -> Vec<usize> {
        (0..resources.len())
            .filter(|&i| selector.matches(resources.get(i), schema))
            .collect()
    };
    match content {
        Content::Json(json) => {
            let Some(selector) = selector else {
                return Err(Error::patch(
                    &source,
                    "must specify a target for a JSON patch",
                ));
            };
            let selected = select(resources, &selector);
            apply_to_selected(resources, selected, schema, |resource| {
                // `patchesJson6902` renames without recording the old name:
                // references to it are not rewritten.
                if !json_only {
                    resource.store_previous_id(schema);
                }
                // The object goes through JSON: text a replacement left of
                // the wrong type fails there (see `StrStyle::Mistyped`).
                if resource.mistyped
                    && let Some(message) = resource.node.mistyped_error()
                {
                    return Err(Error::patch(&source, message));
                }
                let internal = resource.internal_annotations(schema);
                json.apply(&mut resource.node, &internal)
                    .map_err(|e| Error::patch(&source, e))?;
                Ok(true)
            })?;
        }
        Content::Strategic(_) if json_only => {
            return Err(Error::patch(
                &source,
                "expected a JSON 6902 patch (a list of operations)",
            ));
        }
        Content::Strategic(docs) => {
            for doc in &docs {
                let selected = match &selector {
                    Some(selector) => select(resources, selector),
                    None => vec![find_by_id(resources, &patch_id(doc), &source)?],
                };
                apply_to_selected(resources, selected, schema, |resource| {
                    apply_strategic(resource, doc, patch, schema, &source)
                })?;
            }
        }
    }
    // kustomize checks ids only when a kustomization's objects join its
    // parent's and once names have their hashes: two objects may share one
    // until then (a generated one is renamed again by its hash).
    let _ = resources.refresh(schema);
    Ok(())
}

/// The legacy `patchesStrategicMerge` list: file paths or inline patches.
pub fn apply_strategic_merge_entries(
    resources: &mut ResMap,
    entries: &[String],
    loader: &Loader,
    schema: &Schema,
) -> Result<()> {
    for entry in entries {
        let (text, source) = match loader.read_text(entry) {
            Ok((_, text)) => (text, format!("'{entry}'")),
            // Not a readable file: kustomize then reads the entry as an inline patch.
            Err(file_error) => {
                let inline = parse_stream(entry).ok();
                let is_patch = inline
                    .as_ref()
                    .is_some_and(|docs| docs.iter().any(|d| d.as_map().is_some()));
                if !is_patch {
                    return Err(file_error);
                }
                (
                    entry.clone(),
                    describe(&Patch {
                        patch: Some(entry.clone()),
                        ..Default::default()
                    }),
                )
            }
        };
        let patch = Patch {
            patch: Some(text),
            ..Default::default()
        };
        let content = parse_content(
            patch.patch.as_deref().unwrap_or(""),
            &source,
            Dialect::ResourcePatch,
        )?;
        let Content::Strategic(docs) = content else {
            return Err(Error::patch(
                &source,
                "patchesStrategicMerge entries must be strategic merge patches",
            ));
        };
        for doc in &docs {
            let index = find_by_id(resources, &patch_id(doc), &source)?;
            apply_to_selected(resources, vec![index], schema, |resource| {
                apply_strategic(resource, doc, &patch, schema, &source)
            })?;
        }
        // As for `patches` (see `apply_patch`).
        let _ = resources.refresh(schema);
    }
    Ok(())
}
