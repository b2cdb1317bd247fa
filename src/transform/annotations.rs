//! `commonAnnotations`: annotations on every object and its pod templates.

use super::set_map_entries;
use crate::error::{Error, Result};
use crate::fieldspec::FieldSpec;
use crate::kustomization::StringMap;
use crate::resource::ResMap;

/// The `AnnotationsTransformer` settings: annotations and the fields they go to.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationsConfig {
    pub annotations: StringMap,
    pub field_specs: Vec<FieldSpec>,
}

impl AnnotationsConfig {
    pub fn apply(&self, resources: &mut ResMap) -> Result<()> {
        for resource in resources.iter_mut() {
            set_map_entries(resource, &self.field_specs, &self.annotations)
                .map_err(|e| Error::transform(format!("commonAnnotations: {e}")))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fieldspec::FieldSpecs;
    use crate::resource::Resource;
    use crate::yaml::parse::parse_single;

    #[test]
    fn annotates_metadata_and_pod_template() {
        let mut map = ResMap::new();
        map.append(Resource::new(
            parse_single("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec: {}\n").unwrap(),
        ), &crate::schema::Schema::builtin())
        .unwrap();
        let mut annotations = StringMap::new();
        annotations.insert("team".into(), "payments".into());
        let config = AnnotationsConfig {
            annotations,
            field_specs: FieldSpecs::builtin().common_annotations.clone(),
        };
        config.apply(&mut map).unwrap();
        let node = &map.get(0).node;
        assert_eq!(
            node.str_at(&["metadata", "annotations", "team"]),
            Some("payments")
        );
        assert_eq!(
            node.str_at(&["spec", "template", "metadata", "annotations", "team"]),
            Some("payments")
        );
    }
}
