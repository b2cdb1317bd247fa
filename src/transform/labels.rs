//! `commonLabels` and `labels`: labels on objects, and optionally on pod
//! templates and selectors.

use super::set_map_entries;
use crate::error::{Error, Result};
use crate::fieldspec::{FieldSpec, FieldSpecs};
use crate::kustomization::{LabelEntry, StringMap};
use crate::resource::ResMap;

/// Appends the specs of `extra` that `specs` does not already have (same type and path).
fn merge_specs(specs: &mut Vec<FieldSpec>, extra: &[FieldSpec]) {
    for spec in extra {
        if !specs
            .iter()
            .any(|s| s.gvk == spec.gvk && s.path == spec.path)
        {
            specs.push(spec.clone());
        }
    }
}

/// The field specs one `labels:` entry writes to.
fn entry_specs(entry: &LabelEntry, builtin: &FieldSpecs) -> Vec<FieldSpec> {
    let mut specs = entry.fields.clone();
    if entry.include_selectors {
        merge_specs(&mut specs, &builtin.common_labels);
    } else if entry.include_templates {
        merge_specs(&mut specs, &builtin.template_labels);
    }
    merge_specs(&mut specs, &builtin.metadata_labels);
    specs
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
    ) -> Vec<LabelsConfig> {
        let mut configs: Vec<LabelsConfig> = entries
            .iter()
            .map(|entry| LabelsConfig {
                labels: entry.pairs.clone(),
                field_specs: entry_specs(entry, builtin),
            })
            .collect();
        configs.push(LabelsConfig {
            labels: common_labels.clone(),
            field_specs: builtin.common_labels.clone(),
        });
        configs
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
    use crate::yaml::parse::parse_single;

    fn apply(
        map: &mut ResMap,
        entries: &[LabelEntry],
        common: &StringMap,
        builtin: &FieldSpecs,
    ) -> Result<()> {
        for config in LabelsConfig::from_kustomization(entries, common, builtin) {
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
}
