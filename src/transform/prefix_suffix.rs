//! `namePrefix` / `nameSuffix`: renames objects (references follow later).

use crate::resource::{Gvk, ResMap};
use crate::schema::Schema;

/// Kinds kustomize never renames.
fn is_exempt(gvk: &Gvk) -> bool {
    gvk.kind == "CustomResourceDefinition"
        || gvk.kind == "Namespace"
        || (gvk.kind == "APIService" && gvk.group == "apiregistration.k8s.io")
}

/// Runs for every kustomization, even without a prefix or suffix: the (possibly
/// empty) affixes are recorded for name-reference disambiguation.
pub fn apply(resources: &mut ResMap, prefix: &str, suffix: &str, schema: &Schema) {
    for resource in resources.iter_mut() {
        if is_exempt(&resource.org_id(schema).gvk) {
            continue;
        }
        resource.name_prefixes.push(prefix.to_string());
        resource.name_suffixes.push(suffix.to_string());
        if prefix.is_empty() && suffix.is_empty() {
            continue;
        }
        resource.store_previous_id(schema);
        let name = format!("{prefix}{}{suffix}", resource.name());
        resource.set_name(&name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        apply(&mut map, "dev-", "-v1", &schema);
        assert_eq!(map.get(0).name(), "dev-web-v1");
        assert_eq!(map.get(0).org_id(&schema).name, "web");
        assert_eq!(map.get(1).name(), "ns");
    }
}
