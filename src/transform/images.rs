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
    pattern: ImagePattern,
}

/// kustomize matches an image against its name used as a regular expression,
/// unescaped: `^NAME(@sha256)?(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9]*)?$`.
/// Compiling that is most of the transformer's cost, and nearly every name is
/// plain text whose only metacharacter is `.`, so those are matched directly.
enum ImagePattern {
    /// A name of letters, digits and `/_:@-`, where `.` matches any character
    /// but a line break.
    Plain(String),
    Regex(Regex),
}

impl ImagePattern {
    fn new(name: &str) -> std::result::Result<ImagePattern, regex::Error> {
        let plain = |c: char| c.is_ascii_alphanumeric() || "/_:@-.".contains(c);
        if name.chars().all(plain) {
            return Ok(ImagePattern::Plain(name.to_string()));
        }
        Regex::new(&format!(
            "^{name}(@sha256)?(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9]*)?$"
        ))
        .map(ImagePattern::Regex)
    }

    fn is_match(&self, image: &str) -> bool {
        let name = match self {
            ImagePattern::Regex(regex) => return regex.is_match(image),
            ImagePattern::Plain(name) => name,
        };
        let mut rest = image.chars();
        for want in name.chars() {
            match rest.next() {
                Some(have) if want == have || (want == '.' && have != '\n') => {}
                _ => return false,
            }
        }
        let rest = rest.as_str();
        // The three optional parts; `@` is in no part's repeated class, so
        // taking the longest run of tag characters never needs to back off.
        let digest = |s: &str| {
            s.is_empty()
                || s.strip_prefix("@sha256:")
                    .is_some_and(|d| d.chars().all(|c| c.is_ascii_alphanumeric()))
        };
        let tag_then_digest = |s: &str| {
            digest(s)
                || s.strip_prefix(':').is_some_and(|t| {
                    let end = t
                        .find(|c: char| !(c.is_ascii_alphanumeric() || "_.{}-".contains(c)))
                        .unwrap_or(t.len());
                    digest(&t[end..])
                })
        };
        tag_then_digest(rest) || rest.strip_prefix("@sha256").is_some_and(tag_then_digest)
    }
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
            // kyaml sets a new, untagged node (quoted if the old one was).
            *node = node.renamed_to(&new);
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
        apply(resources, &[&self.image], &self.field_specs)
    }
}

/// Applies image rules one after the other, as that many `ImageTagTransformer`s
/// in a row would: one rule's change to an object never depends on another
/// object, so each object takes all the rules in turn, in one pass.
pub fn apply(resources: &mut ResMap, images: &[&Image], field_specs: &[FieldSpec]) -> Result<()> {
    let rules = images
        .iter()
        .map(|image| {
            ImagePattern::new(&image.name)
                .map(|pattern| ImageRule { image, pattern })
                .map_err(|e| {
                    Error::transform(format!("images: invalid name '{}': {e}", image.name))
                })
        })
        .collect::<Result<Vec<_>>>()?;
    if rules.is_empty() {
        return Ok(());
    }
    for resource in resources.iter_mut() {
        let gvk = resource.gvk();
        let specs: Vec<&FieldSpec> = field_specs
            .iter()
            .filter(|s| gvk.is_selected_by(&s.gvk))
            .collect();
        let anywhere = gvk.kind != "CustomResourceDefinition";
        // Most rules name none of an object's images: test the rules against
        // the texts first instead of walking the object once per rule.
        let mut texts = image_texts(&mut resource.node, &specs, anywhere)?;
        for rule in &rules {
            if !texts.iter().any(|text| rule.pattern.is_match(text)) {
                continue;
            }
            for spec in &specs {
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
            if anywhere {
                for_each_container_image(&mut resource.node, &mut |image| rule.update(image));
            }
            texts = image_texts(&mut resource.node, &specs, anywhere)?;
        }
    }
    Ok(())
}

/// The image texts a rule could rewrite: at the field specs' paths and, unless
/// the object is a CRD, in containers anywhere.
fn image_texts(node: &mut Node, specs: &[&FieldSpec], anywhere: bool) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    for spec in specs {
        walk_path(node, &spec.path, Create::Nothing, &mut |node| {
            texts.extend(node.as_str().map(str::to_string));
            Ok(())
        })
        .map_err(|e| Error::transform(format!("images: {e}")))?;
    }
    if anywhere {
        for_each_container_image(node, &mut |image| {
            texts.extend(image.as_str().map(str::to_string));
        });
    }
    Ok(texts)
}

/// Calls `visit` on `image` of every element of any `containers` /
/// `initContainers` list at any depth, so job templates and custom resources
/// work too.
fn for_each_container_image(node: &mut Node, visit: &mut impl FnMut(&mut Node)) {
    crate::stack::guard(|| for_each_container_image_here(node, visit));
}

fn for_each_container_image_here(node: &mut Node, visit: &mut impl FnMut(&mut Node)) {
    match node {
        Node::Map(map) => {
            for (key, value) in map.iter_mut() {
                if (key == "containers" || key == "initContainers")
                    && let Node::Seq(items) = value
                {
                    for item in items.iter_mut() {
                        if let Some(image) = item.get_mut("image") {
                            visit(image);
                        }
                    }
                }
                for_each_container_image(value, visit);
            }
        }
        Node::Seq(items) => {
            for item in items {
                for_each_container_image(item, visit);
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
            pattern: ImagePattern::new("nginx").unwrap(),
        };
        assert_eq!(
            rule.rewrite("nginx:1.0").as_deref(),
            Some("mirror/nginx:1.25")
        );
        assert_eq!(rule.rewrite("nginx-other:1.0"), None);
    }

    proptest::proptest! {
        /// The direct match agrees with the regular expression kustomize uses.
        #[test]
        fn plain_names_match_as_the_regex_does(
            name in "[a-z./:@-]{0,6}",
            image in "[a-z.0-9/:@{}_-]{0,8}(@sha256(:[a-z0-9]{0,3})?)?(:[a-z0-9.]{0,3})?(@sha256:[a-z0-9]{0,3})?\n?",
            same_prefix in proptest::bool::ANY,
        ) {
            let image = if same_prefix { format!("{name}{image}") } else { image };
            let plain = ImagePattern::new(&name).unwrap();
            assert!(matches!(plain, ImagePattern::Plain(_)));
            let regex = Regex::new(&format!(
                "^{name}(@sha256)?(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9]*)?$"
            ));
            // A name such as `a:{` is no valid regex; those are not plain.
            if let Ok(regex) = regex {
                proptest::prop_assert_eq!(plain.is_match(&image), regex.is_match(&image), "{} {:?}", name, image);
            }
        }
    }
}
