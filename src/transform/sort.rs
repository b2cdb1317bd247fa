//! Output order: kustomize's "legacy" kind order, or accumulation order.

use crate::resource::Resource;
use std::cmp::Ordering;
use std::collections::HashMap;

const ORDER_FIRST: [&str; 22] = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
const ORDER_LAST: [&str; 2] = [
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The rank of each kind named in the kind lists (others rank 0).
#[derive(Debug, Clone)]
pub struct LegacyOrder {
    ranks: HashMap<String, i64>,
}

impl Default for LegacyOrder {
    fn default() -> Self {
        LegacyOrder::new(None, None)
    }
}

impl LegacyOrder {
    /// As kustomize ranks them: the kinds first get negative ranks, the kinds
    /// last positive ones; a kind listed twice keeps its last position, and
    /// one in both lists its place in `last`.
    pub fn new(first: Option<Vec<String>>, last: Option<Vec<String>>) -> LegacyOrder {
        let owned = |kinds: &[&str]| kinds.iter().map(|s| s.to_string()).collect();
        let first: Vec<String> = first.unwrap_or_else(|| owned(&ORDER_FIRST));
        let last: Vec<String> = last.unwrap_or_else(|| owned(&ORDER_LAST));
        let mut ranks = HashMap::new();
        for (i, kind) in first.iter().enumerate() {
            ranks.insert(kind.clone(), i as i64 - first.len() as i64);
        }
        for (i, kind) in last.iter().enumerate() {
            ranks.insert(kind.clone(), i as i64 + 1);
        }
        LegacyOrder { ranks }
    }

    fn rank(&self, kind: &str) -> i64 {
        self.ranks.get(kind).copied().unwrap_or(0)
    }

    /// Sorts resources in place (their current ids are computed once each).
    pub fn sort(&self, resources: &mut Vec<Resource>) {
        let mut keyed: Vec<(SortKey, Resource)> = resources
            .drain(..)
            .map(|r| (SortKey::of(&r, self), r))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        resources.extend(keyed.into_iter().map(|(_, r)| r));
    }
}

#[derive(Debug, PartialEq, Eq)]
struct SortKey {
    rank: i64,
    gvk_text: String,
    is_namespace_kind: bool,
    group_empty: bool,
    rest: String,
}

impl SortKey {
    fn of(resource: &Resource, order: &LegacyOrder) -> SortKey {
        let gvk = resource.gvk();
        let or = |s: &str, empty: &str| {
            if s.is_empty() {
                empty.to_string()
            } else {
                s.to_string()
            }
        };
        let gvk_text = format!(
            "{}_{}_{}",
            or(&gvk.group, "~G"),
            or(&gvk.version, "~V"),
            or(&gvk.kind, "~K")
        );
        let rest = format!(
            "{}.{}.{}|{}|{}",
            gvk.kind,
            gvk.version,
            or(&gvk.group, "[noGrp]"),
            or(&resource.namespace(), "~X"),
            or(&resource.name(), "~N")
        );
        SortKey {
            rank: order.rank(&gvk.kind),
            is_namespace_kind: gvk.kind == "Namespace",
            group_empty: gvk.group.is_empty(),
            gvk_text,
            rest,
        }
    }
}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank
            .cmp(&other.rank)
            .then_with(|| {
                if self.gvk_text == other.gvk_text {
                    return Ordering::Equal;
                }
                let by_text = self.gvk_text.cmp(&other.gvk_text);
                // Core v1 Namespaces come before namespaces of other groups.
                if self.is_namespace_kind
                    && other.is_namespace_kind
                    && (self.group_empty || other.group_empty)
                {
                    by_text.reverse()
                } else {
                    by_text
                }
            })
            .then_with(|| self.rest.cmp(&other.rest))
    }
}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The default legacy rank of a kind: negative for the kinds sorted first,
/// positive for those sorted last, 0 otherwise (kustomize's `typeOrders`).
pub fn kind_rank(kind: &str) -> i64 {
    if let Some(i) = ORDER_FIRST.iter().position(|k| *k == kind) {
        return i as i64 - ORDER_FIRST.len() as i64;
    }
    if let Some(i) = ORDER_LAST.iter().position(|k| *k == kind) {
        return i as i64 + 1;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    fn res(text: &str) -> Resource {
        Resource::new(parse_single(text).unwrap())
    }

    #[test]
    fn ranks_kinds_like_kustomize() {
        assert!(kind_rank("Namespace") < kind_rank("ConfigMap"));
        assert!(kind_rank("PodDisruptionBudget") < kind_rank("Ingress"));
        assert!(kind_rank("Ingress") < kind_rank("ValidatingWebhookConfiguration"));
    }

    #[test]
    fn repeated_kinds_keep_their_last_place() {
        let kinds = |list: &[&str]| Some(list.iter().map(|s| s.to_string()).collect());
        let order = LegacyOrder::new(
            kinds(&["Service", "Deployment", "Service", "ConfigMap"]),
            kinds(&["ConfigMap", "Secret", "ConfigMap"]),
        );
        assert_eq!(order.rank("Deployment"), -3);
        assert_eq!(order.rank("Service"), -2);
        assert_eq!(order.rank("ConfigMap"), 3);
        assert_eq!(order.rank("Pod"), 0);
    }

    #[test]
    fn sorts_by_kind_then_group_then_name() {
        let mut list = vec![
            res("apiVersion: v1\nkind: Pod\nmetadata: {name: b}\n"),
            res("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: z}\n"),
            res("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"),
            res("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"),
        ];
        LegacyOrder::default().sort(&mut list);
        let names: Vec<_> = list.iter().map(Resource::name).collect();
        assert_eq!(names, ["s", "z", "a", "b"]);
    }
}
