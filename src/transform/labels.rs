//! `commonLabels` and `labels`: labels on objects, and optionally on pod
//! templates and selectors.

use super::set_map_entries;
use crate::error::{Error, Result};
use crate::fieldspec::{FieldSpec, FieldSpecs};
use crate::kustomization::{LabelEntry, StringMap};
use crate::resource::ResMap;

/// Appends the specs of `extra` that `specs` does not already stand for, as
/// kustomize merges field specs: a spec with the same path whose type the
/// new one selects stands for it (so a user's `metadata/labels` for one kind
/// replaces the default for all kinds), unless they differ in `create`.
fn merge_specs(specs: &mut Vec<FieldSpec>, extra: &[FieldSpec]) -> Result<()> {
    for spec in extra {
        let existing = specs
            .iter()
            .find(|s| s.path == spec.path && s.gvk.is_selected_by(&spec.gvk));
        match existing {
            Some(existing) if existing.create != spec.create => {
                return Err(Error::transform(String::from(
                    "failed to merge labels: conflicting fieldspecs",
                )));
            }
            Some(_) => {}
            None => specs.push(spec.clone()),
        }
    }
    Ok(())
}

/// The field specs one `labels:` entry writes to.
fn entry_specs(entry: &LabelEntry, builtin: &FieldSpecs) -> Result<Vec<FieldSpec>> {
    let mut specs = entry.fields.clone();
    if entry.include_selectors {
        merge_specs(&mut specs, &builtin.common_labels)?;
    } else if entry.include_templates {
        merge_specs(&mut specs, &builtin.template_labels)?;
    }
    merge_specs(&mut specs, &builtin.metadata_labels)?;
    Ok(specs)
}

/// The `LabelTransformer` settings: labels and the fields they go to.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelsConfig {
    pub labels: StringMap,
    pub field_specs: Vec<FieldSpec>,
}

impl LabelsConfig {
    /// The transformers a kustomization's `labels` entries and `commonLabels`
    /// stand for, in the order they run.
    pub fn from_kustomization(
        entries: &[LabelEntry],
        common_labels: &StringMap,
        builtin: &FieldSpecs,
    ) -> Result<Vec<LabelsConfig>> {
        let mut configs = entries
            .iter()
            .map(|entry| {
                Ok(LabelsConfig {
                    labels: entry.pairs.clone(),
                    field_specs: entry_specs(entry, builtin)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        configs.push(LabelsConfig {
            labels: common_labels.clone(),
            // Without labels the specs are never read: skip copying the
            // table for every kustomization of a large tree.
            field_specs: if common_labels.is_empty() {
                Vec::new()
            } else {
                builtin.common_labels.clone()
            },
        });
        Ok(configs)
    }

    pub fn apply(&self, resources: &mut ResMap) -> Result<()> {
        for resource in resources.iter_mut() {
            set_map_entries(resource, &self.field_specs, &self.labels)
                .map_err(|e| Error::transform(format!("labels: {e}")))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Resource;
    use crate::yaml::node::Node;
    use crate::yaml::parse::parse_single;

    fn apply(
        map: &mut ResMap,
        entries: &[LabelEntry],
        common: &StringMap,
        builtin: &FieldSpecs,
    ) -> Result<()> {
        for config in LabelsConfig::from_kustomization(entries, common, builtin)? {
            config.apply(map)?;
        }
        Ok(())
    }

    fn deployment() -> ResMap {
        let mut map = ResMap::new();
        map.append(Resource::new(
            parse_single(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n",
            )
            .unwrap(),
        ), &crate::schema::Schema::builtin())
        .unwrap();
        map
    }

    #[test]
    fn common_labels_reach_selectors() {
        let mut map = deployment();
        let mut labels = StringMap::new();
        labels.insert("env".into(), "prod".into());
        apply(&mut map, &[], &labels, &FieldSpecs::builtin()).unwrap();
        let node = &map.get(0).node;
        assert_eq!(
            node.str_at(&["spec", "selector", "matchLabels", "env"]),
            Some("prod")
        );
        assert_eq!(node.str_at(&["metadata", "labels", "env"]), Some("prod"));
    }

    #[test]
    fn labels_without_selectors_leave_selectors_alone() {
        let mut map = deployment();
        let mut pairs = StringMap::new();
        pairs.insert("env".into(), "prod".into());
        let entry = LabelEntry {
            pairs,
            include_templates: true,
            ..Default::default()
        };
        apply(
            &mut map,
            &[entry],
            &StringMap::new(),
            &FieldSpecs::builtin(),
        )
        .unwrap();
        let node = &map.get(0).node;
        assert_eq!(
            node.str_at(&["spec", "selector", "matchLabels", "env"]),
            None
        );
        assert_eq!(
            node.str_at(&["spec", "template", "metadata", "labels", "env"]),
            Some("prod")
        );
    }

    #[test]
    fn a_label_added_to_several_fields_is_one_value() {
        let mut map = deployment();
        let common = |value: &str| {
            let mut labels = StringMap::new();
            labels.insert("env".into(), value.into());
            labels
        };
        let builtin = FieldSpecs::builtin();
        apply(&mut map, &[], &common("5"), &builtin).unwrap();
        let node = &map.get(0).node;
        let ids: Vec<_> = [
            &["metadata", "labels", "env"][..],
            &["spec", "selector", "matchLabels", "env"],
            &["spec", "template", "metadata", "labels", "env"],
        ]
        .iter()
        .map(|path| node.get_path(path).and_then(Node::shared_id))
        .collect();
        assert!(ids[0].is_some() && ids.iter().all(|id| *id == ids[0]));
        // YAML 1.1 reads 5 as a number: kyaml quotes it.
        assert!(matches!(
            node.get_path(&["metadata", "labels", "env"]),
            Some(Node::Str(_, style)) if style.is_quoted()
        ));
        // Labels without selectors set metadata.labels only; the selector
        // and pod template hold the same value and follow.
        let entry = LabelEntry {
            pairs: common("prod"),
            ..Default::default()
        };
        apply(&mut map, &[entry], &StringMap::new(), &builtin).unwrap();
        let node = &map.get(0).node;
        assert_eq!(
            node.str_at(&["spec", "selector", "matchLabels", "env"]),
            Some("prod")
        );
        // A copy taken out of the object is its own value.
        let mut copy = node.get_path(&["metadata", "labels"]).unwrap().clone();
        copy.unshare();
        assert_eq!(copy.get("env").and_then(Node::shared_id), None);
    }
}
