//! `images`: replaces image names, tags and digests in containers.

use crate::error::{Error, Result};
use crate::fieldspec::{Create, FieldSpec, walk_path};
use crate::kustomization::Image;
use crate::resource::ResMap;
use crate::yaml::node::Node;
use regex::Regex;

/// One `images` entry, with its name pattern compiled once.
struct ImageRule<'a> {
    image: &'a Image,
    pattern: Regex,
}

impl ImageRule<'_> {
    /// The new image text if `current` names this rule's image.
    fn rewrite(&self, current: &str) -> Option<String> {
        if !self.pattern.is_match(current) {
            return None;
        }
        let (mut name, mut tag, mut digest) = split_image(current);
        let image = self.image;
        if let Some(new_name) = image.new_name.as_deref().filter(|n| !n.is_empty()) {
            name = new_name;
        }
        let new_tag = image.new_tag.as_deref().filter(|t| !t.is_empty());
        let new_digest = image.digest.as_deref().filter(|d| !d.is_empty());
        match (new_tag, new_digest) {
            (Some(t), Some(d)) => {
                tag = t;
                digest = d;
            }
            (Some(t), None) => {
                tag = t;
                digest = "";
            }
            (None, Some(d)) => {
                tag = "";
                digest = d;
            }
            (None, None) => {}
        }
        let mut result = name.to_string();
        if !tag.is_empty() {
            result.push(':');
            result.push_str(tag);
        }
        if !digest.is_empty() {
            result.push('@');
            result.push_str(digest);
        }
        Some(result)
    }

    fn update(&self, node: &mut Node) {
        if let Some(new) = node.as_str().and_then(|current| self.rewrite(current)) {
            *node = Node::str(new);
        }
    }
}

/// Splits `registry/name:tag@digest` into its parts (kustomize's `image.Split`).
pub fn split_image(image: &str) -> (&str, &str, &str) {
    let offset = match image.find('/') {
        Some(i) if i > 0 => i,
        _ => 0,
    };
    let search = &image[offset..];
    let at = search.find('@').map(|i| i + offset);
    let colon = search.find(':').map(|i| i + offset);
    match (colon, at) {
        (None, None) => (image, "", ""),
        (c, Some(d)) if c.is_none_or(|c| d < c) => (&image[..d], "", &image[d + 1..]),
        (Some(c), Some(d)) => (&image[..c], &image[c + 1..d], &image[d + 1..]),
        (Some(c), None) => (&image[..c], &image[c + 1..], ""),
        (None, Some(_)) => unreachable!("handled by the digest-only arm"),
    }
}

/// The `ImageTagTransformer` settings: one image rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageTagConfig {
    pub image: Image,
    pub field_specs: Vec<FieldSpec>,
}

impl ImageTagConfig {
    pub fn apply(&self, resources: &mut ResMap) -> Result<()> {
        apply(
            resources,
            std::slice::from_ref(&self.image),
            &self.field_specs,
        )
    }
}

fn apply(resources: &mut ResMap, images: &[Image], field_specs: &[FieldSpec]) -> Result<()> {
    let rules = images
        .iter()
        .map(|image| {
            // kustomize uses the name as a regular expression, unescaped.
            let pattern = format!(
                "^{}(@sha256)?(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9]*)?$",
                image.name
            );
            Regex::new(&pattern)
                .map(|pattern| ImageRule { image, pattern })
                .map_err(|e| {
                    Error::transform(format!("images: invalid name '{}': {e}", image.name))
                })
        })
        .collect::<Result<Vec<_>>>()?;
    for resource in resources.iter_mut() {
        let gvk = resource.gvk();
        for rule in &rules {
            for spec in field_specs.iter().filter(|s| gvk.is_selected_by(&s.gvk)) {
                walk_path(
                    &mut resource.node,
                    &spec.path,
                    Create::Nothing,
                    &mut |node| {
                        rule.update(node);
                        Ok(())
                    },
                )
                .map_err(|e| Error::transform(format!("images: {e}")))?;
            }
            if gvk.kind != "CustomResourceDefinition" {
                update_containers_anywhere(&mut resource.node, rule);
            }
        }
    }
    Ok(())
}

/// Updates `image` in every element of any `containers` / `initContainers`
/// list at any depth, so job templates and custom resources work too.
fn update_containers_anywhere(node: &mut Node, rule: &ImageRule) {
    match node {
        Node::Map(map) => {
            for (key, value) in map.iter_mut() {
                if (key == "containers" || key == "initContainers")
                    && let Node::Seq(items) = value
                {
                    for item in items.iter_mut() {
                        if let Some(image) = item.get_mut("image") {
                            rule.update(image);
                        }
                    }
                }
                update_containers_anywhere(value, rule);
            }
        }
        Node::Seq(items) => {
            for item in items {
                update_containers_anywhere(item, rule);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_kustomize() {
        assert_eq!(split_image("nginx"), ("nginx", "", ""));
        assert_eq!(split_image("nginx:1.2"), ("nginx", "1.2", ""));
        assert_eq!(
            split_image("reg:5000/nginx:1.2"),
            ("reg:5000/nginx", "1.2", "")
        );
        assert_eq!(split_image("nginx@sha256:abc"), ("nginx", "", "sha256:abc"));
        assert_eq!(
            split_image("nginx:1.2@sha256:abc"),
            ("nginx", "1.2", "sha256:abc")
        );
    }

    #[test]
    fn rewrites_tag_digest_and_name() {
        let image = Image {
            name: "nginx".into(),
            new_name: Some("mirror/nginx".into()),
            new_tag: Some("1.25".into()),
            ..Default::default()
        };
        let rule = ImageRule {
            image: &image,
            pattern: Regex::new("^nginx(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$").unwrap(),
        };
        assert_eq!(
            rule.rewrite("nginx:1.0").as_deref(),
            Some("mirror/nginx:1.25")
        );
        assert_eq!(rule.rewrite("nginx-other:1.0"), None);
    }
}
