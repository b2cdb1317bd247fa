//! `namePrefix` / `nameSuffix` (and the `PrefixSuffixTransformer`,
//! `PrefixTransformer`, `SuffixTransformer` plugins): renames objects;
//! references follow later.

use crate::error::{Error, Result};
use crate::fieldspec::{Create, FieldSpec, walk_path};
use crate::resource::{Gvk, ResMap};
use crate::schema::Schema;
use crate::yaml::node::Node;

/// A prefix and/or suffix with the fields it applies to. `None` leaves that
/// side alone (a `PrefixTransformer` does not record a suffix).
#[derive(Debug, Clone, PartialEq)]
pub struct PrefixSuffixConfig {
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub field_specs: Vec<FieldSpec>,
}

/// Kinds kustomize never renames.
fn is_exempt(gvk: &Gvk) -> bool {
    gvk.kind == "CustomResourceDefinition"
        || gvk.kind == "Namespace"
        || (gvk.kind == "APIService" && gvk.group == "apiregistration.k8s.io")
}

fn is_name_field(spec: &FieldSpec) -> bool {
    spec.path.len() == 2 && spec.path[0].field == "metadata" && spec.path[1].field == "name"
}

impl PrefixSuffixConfig {
    /// Runs for every kustomization, even without a prefix or suffix. The
    /// affixes are recorded for name-reference disambiguation; empty ones
    /// are not (kustomize does not write an empty value into its list).
    pub fn apply(&self, resources: &mut ResMap, schema: &Schema) -> Result<()> {
        let prefix = self.prefix.as_deref().unwrap_or("");
        let suffix = self.suffix.as_deref().unwrap_or("");
        for resource in resources.iter_mut() {
            let org = resource.org_id(schema);
            if is_exempt(&org.gvk) {
                continue;
            }
            for spec in self
                .field_specs
                .iter()
                .filter(|s| org.gvk.is_selected_by(&s.gvk))
            {
                if is_name_field(spec) {
                    if !prefix.is_empty() {
                        resource.name_prefixes.push(prefix.to_string());
                    }
                    if !suffix.is_empty() {
                        resource.name_suffixes.push(suffix.to_string());
                    }
                    if !prefix.is_empty() || !suffix.is_empty() {
                        resource.store_previous_id(schema);
                    }
                }
                if prefix.is_empty() && suffix.is_empty() {
                    continue;
                }
                let create = if spec.create {
                    Create::Scalar
                } else {
                    Create::Nothing
                };
                let id = resource.cur_id(schema);
                walk_path(&mut resource.node, &spec.path, create, &mut |node| {
                    let current = match &*node {
                        Node::Null(_) if !spec.create => return Ok(()),
                        Node::Map(_) | Node::Seq(_) => {
                            return Err(format!(
                                "considering field '{}' of object {id}: wrong node kind: expected ScalarNode but got {}: node contents:\n{}",
                                spec.path_text(),
                                if matches!(&*node, Node::Map(_)) {
                                    "MappingNode"
                                } else {
                                    "SequenceNode"
                                },
                                node.json_text()
                            ));
                        }
                        scalar => scalar.scalar_text().unwrap_or_default(),
                    };
                    // kyaml leaves the new name untagged (see StrStyle::Untagged).
                    *node = node.renamed_to(&format!("{prefix}{current}{suffix}"));
                    Ok(())
                })
                .map_err(Error::transform)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fieldspec::FieldSpecs;
    use crate::resource::Resource;
    use crate::yaml::parse::parse_stream;

    #[test]
    fn renames_all_but_exempt_kinds_and_remembers_old_names() {
        let schema = Schema::builtin();
        let mut map = ResMap::new();
        for doc in parse_stream(
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n",
        )
        .unwrap()
        {
            map.append(Resource::new(doc), &schema).unwrap();
        }
        let config = PrefixSuffixConfig {
            prefix: Some("dev-".into()),
            suffix: Some("-v1".into()),
            field_specs: FieldSpecs::builtin().name_prefix.clone(),
        };
        config.apply(&mut map, &schema).unwrap();
        assert_eq!(map.get(0).name(), "dev-web-v1");
        assert_eq!(map.get(0).org_id(&schema).name, "web");
        assert_eq!(map.get(1).name(), "ns");
    }
}
