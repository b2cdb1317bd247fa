//! Selectors: patch targets ([`TargetSelector`]) and the label and
//! annotation selectors (`a=b,c!=d,e in (f,g),!h`) that patch and
//! replacement targets use.

use crate::kustomization::Selector;
use crate::resource::{ResId, Resource};
use crate::schema::Schema;
use crate::yaml::node::{Mapping, Node};
use regex::Regex;

/// A patch target (`target:`): group, version, kind, name and namespace are
/// anchored regular expressions (Go's RE2 dialect), matched against the
/// current and the original id; label and annotation selectors as well.
/// Compiled once.
pub struct TargetSelector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Option<LabelSelector>,
    annotations: Option<LabelSelector>,
}

fn anchored(pattern: &Option<String>) -> std::result::Result<Option<Regex>, String> {
    match pattern.as_deref() {
        None | Some("") => Ok(None),
        Some(p) => Regex::new(&format!("^(?:{p})$"))
            .map(Some)
            .map_err(|e| e.to_string()),
    }
}

impl TargetSelector {
    pub fn new(selector: &Selector) -> std::result::Result<Self, String> {
        Ok(TargetSelector {
            group: anchored(&selector.group)?,
            version: anchored(&selector.version)?,
            kind: anchored(&selector.kind)?,
            name: anchored(&selector.name)?,
            namespace: anchored(&selector.namespace)?,
            labels: selector
                .label_selector
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(LabelSelector::parse)
                .transpose()?,
            annotations: selector
                .annotation_selector
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(LabelSelector::parse)
                .transpose()?,
        })
    }

    pub fn matches(&self, resource: &Resource, schema: &Schema) -> bool {
        let ok = |re: &Option<Regex>, text: &str| re.as_ref().is_none_or(|re| re.is_match(text));
        let cur = resource.cur_id(schema);
        let org = resource.org_id(schema);
        let effective = |id: &ResId| {
            if id.namespace.is_empty() {
                "default".to_string()
            } else {
                id.namespace.clone()
            }
        };
        if !(ok(&self.namespace, &effective(&org)) || ok(&self.namespace, &effective(&cur))) {
            return false;
        }
        if !(ok(&self.name, &org.name) || ok(&self.name, &cur.name)) {
            return false;
        }
        let gvk = &cur.gvk;
        if !(ok(&self.group, &gvk.group)
            && ok(&self.version, &gvk.version)
            && ok(&self.kind, &gvk.kind))
        {
            return false;
        }
        let empty = Mapping::new();
        if let Some(labels) = &self.labels
            && !labels.matches(resource.labels().unwrap_or(&empty))
        {
            return false;
        }
        if let Some(annotations) = &self.annotations
            && !annotations.matches(resource.annotations().unwrap_or(&empty))
        {
            return false;
        }
        true
    }
}

/// A Kubernetes label selector (`a=b,c!=d,e in (f,g),!h`).
#[derive(Debug, Clone, PartialEq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

impl LabelSelector {
    pub fn parse(text: &str) -> std::result::Result<LabelSelector, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let requirement = if let Some(key) = part.strip_prefix('!') {
                Requirement::NotExists(key.trim().to_string())
            } else if let Some((key, value)) = part.split_once("!=") {
                Requirement::NotEquals(key.trim().into(), value.trim().into())
            } else if let Some((key, value)) = part.split_once("==") {
                Requirement::Equals(key.trim().into(), value.trim().into())
            } else if let Some((key, value)) = part.split_once('=') {
                Requirement::Equals(key.trim().into(), value.trim().into())
            } else if let Some((key, values)) = set_requirement(part, " notin ") {
                Requirement::NotIn(key, values)
            } else if let Some((key, values)) = set_requirement(part, " in ") {
                Requirement::In(key, values)
            } else if part
                .chars()
                .all(|c| c.is_alphanumeric() || "-_./".contains(c))
            {
                Requirement::Exists(part.to_string())
            } else {
                return Err(format!(
                    "unable to parse requirement '{part}' of selector '{text}'"
                ));
            };
            requirements.push(requirement);
        }
        Ok(LabelSelector { requirements })
    }

    pub fn matches(&self, labels: &Mapping) -> bool {
        let get = |key: &str| labels.get(key).and_then(Node::scalar_text);
        self.requirements.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k).as_deref() == Some(v.as_str()),
            Requirement::NotEquals(k, v) => get(k).as_deref() != Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(&x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(&x)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
        })
    }
}

/// Splits at commas outside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn set_requirement(part: &str, operator: &str) -> Option<(String, Vec<String>)> {
    let (key, rest) = part.split_once(operator)?;
    let rest = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some((
        key.trim().to_string(),
        rest.split(',').map(|v| v.trim().to_string()).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    #[test]
    fn label_selectors() {
        let labels = parse_single("tier: backend\napp: order\n").unwrap();
        let labels = labels.as_map().unwrap();
        let yes = [
            "tier=backend",
            "tier==backend,app",
            "app in (order, cart)",
            "!missing",
            "tier!=frontend",
        ];
        for s in yes {
            assert!(LabelSelector::parse(s).unwrap().matches(labels), "{s}");
        }
        let no = ["tier=frontend", "missing", "app notin (order)"];
        for s in no {
            assert!(!LabelSelector::parse(s).unwrap().matches(labels), "{s}");
        }
    }
}
