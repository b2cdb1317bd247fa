//! `replicas`: sets the replica count of named workloads.

use crate::error::{Error, Result};
use crate::fieldspec::{Create, FieldSpec, walk_path};
use crate::kustomization::Replica;
use crate::resource::ResMap;
use crate::yaml::node::Node;

/// The `ReplicaCountTransformer` settings: one name and count.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaCountConfig {
    pub replica: Replica,
    pub field_specs: Vec<FieldSpec>,
}

impl ReplicaCountConfig {
    pub fn apply(&self, resources: &mut ResMap) -> Result<()> {
        apply(
            resources,
            std::slice::from_ref(&self.replica),
            &self.field_specs,
        )
    }
}

fn apply(resources: &mut ResMap, replicas: &[Replica], field_specs: &[FieldSpec]) -> Result<()> {
    for replica in replicas {
        let mut found = false;
        for resource in resources.iter_mut() {
            if !resource.has_been_named(&replica.name) {
                continue;
            }
            let gvk = resource.gvk();
            for spec in field_specs.iter().filter(|s| gvk.is_selected_by(&s.gvk)) {
                found = true;
                let create = if spec.create {
                    Create::Scalar
                } else {
                    Create::Nothing
                };
                walk_path(&mut resource.node, &spec.path, create, &mut |node| {
                    *node = Node::Int(replica.count);
                    Ok(())
                })
                .map_err(|e| Error::transform(format!("replicas: {e}")))?;
            }
        }
        if !found {
            let kinds: Vec<String> = field_specs.iter().map(|s| s.gvk.kind.clone()).collect();
            return Err(Error::transform(format!(
                "replicas: resource with name {} does not match a config with the following kinds {kinds:?}",
                replica.name
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fieldspec::FieldSpecs;
    use crate::resource::Resource;
    use crate::schema::Schema;
    use crate::yaml::parse::parse_single;

    #[test]
    fn sets_count_and_rejects_unknown_names() {
        let schema = Schema::builtin();
        let specs = FieldSpecs::builtin();
        let mut map = ResMap::new();
        map.append(
            Resource::new(
                parse_single("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n")
                    .unwrap(),
            ),
            &schema,
        )
        .unwrap();
        let web = Replica {
            name: "web".into(),
            count: 3,
        };
        apply(&mut map, &[web], &specs.replicas).unwrap();
        assert_eq!(
            map.get(0).node.get_path(&["spec", "replicas"]),
            Some(&Node::Int(3))
        );
        let missing = Replica {
            name: "nope".into(),
            count: 1,
        };
        assert!(apply(&mut map, &[missing], &specs.replicas).is_err());
    }
}
