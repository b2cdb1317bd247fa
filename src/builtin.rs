//! kustomize's built-in transformers and generators as one table: each has a
//! config type, built either from kustomization fields or from a plugin config
//! (`transformers:` / `generators:` entries), and one list decides the order
//! in which a kustomization's own fields run.

use crate::error::{Error, Result};
use crate::fieldspec::FieldSpecs;
use crate::generate::{self, GeneratedKind};
use crate::kustomization::{GeneratorArgs, GeneratorOptions, Kustomization, Patch};
use crate::loader::Loader;
use crate::resource::{ResMap, Resource};
use crate::schema::Schema;
use crate::transform::annotations::AnnotationsConfig;
use crate::transform::images::ImageTagConfig;
use crate::transform::labels::LabelsConfig;
use crate::transform::namespace::NamespaceConfig;
use crate::transform::patches;
use crate::transform::prefix_suffix::PrefixSuffixConfig;
use crate::transform::replacements::{self, ReplacementField};
use crate::transform::replicas::ReplicaCountConfig;

/// What a transformer may consult while it runs.
pub struct Context<'a> {
    /// Reads files relative to the kustomization that declared the transformer.
    pub loader: &'a Loader,
    pub specs: &'a FieldSpecs,
    pub schema: &'a Schema,
}

/// One configured built-in transformer.
#[derive(Debug, Clone, PartialEq)]
pub enum Transformer {
    /// `patchesStrategicMerge`: file paths or inline patches.
    PatchStrategicMerge(Vec<String>),
    Patch(Patch),
    Namespace(NamespaceConfig),
    PrefixSuffix(PrefixSuffixConfig),
    Labels(LabelsConfig),
    Annotations(AnnotationsConfig),
    PatchJson6902(Patch),
    ReplicaCount(ReplicaCountConfig),
    ImageTag(ImageTagConfig),
    /// `replacements`: inline entries or `path:` files, read when run.
    Replacement(Vec<ReplacementField>),
}

impl Transformer {
    /// The transformers a kustomization's own fields stand for, in kustomize's
    /// order: PatchStrategicMerge, Patch, Namespace, Prefix/Suffix, Labels,
    /// Annotations, PatchJson6902, ReplicaCount, ImageTag, Replacement.
    pub fn from_kustomization(k: &Kustomization, specs: &FieldSpecs) -> Vec<Transformer> {
        let mut list = Vec::new();
        if !k.patches_strategic_merge.is_empty() {
            list.push(Transformer::PatchStrategicMerge(
                k.patches_strategic_merge.clone(),
            ));
        }
        list.extend(k.patches.iter().cloned().map(Transformer::Patch));
        if let Some(namespace) = k.namespace.as_deref().filter(|ns| !ns.is_empty()) {
            list.push(Transformer::Namespace(NamespaceConfig {
                namespace: namespace.to_string(),
                field_specs: specs.namespace.clone(),
            }));
        }
        // kustomize runs a PrefixTransformer, then a SuffixTransformer, each
        // with its own table.
        list.push(Transformer::PrefixSuffix(PrefixSuffixConfig {
            prefix: Some(k.name_prefix.clone().unwrap_or_default()),
            suffix: None,
            field_specs: specs.name_prefix.clone(),
        }));
        list.push(Transformer::PrefixSuffix(PrefixSuffixConfig {
            prefix: None,
            suffix: Some(k.name_suffix.clone().unwrap_or_default()),
            field_specs: specs.name_suffix.clone(),
        }));
        list.extend(
            LabelsConfig::from_kustomization(&k.labels, &k.common_labels, specs)
                .into_iter()
                .map(Transformer::Labels),
        );
        list.push(Transformer::Annotations(AnnotationsConfig {
            annotations: k.common_annotations.clone(),
            field_specs: specs.common_annotations.clone(),
        }));
        list.extend(
            k.patches_json6902
                .iter()
                .cloned()
                .map(Transformer::PatchJson6902),
        );
        list.extend(k.replicas.iter().map(|replica| {
            Transformer::ReplicaCount(ReplicaCountConfig {
                replica: replica.clone(),
                field_specs: specs.replicas.clone(),
            })
        }));
        list.extend(k.images.iter().map(|image| {
            Transformer::ImageTag(ImageTagConfig {
                image: image.clone(),
                field_specs: specs.images.clone(),
            })
        }));
        if !k.replacements.is_empty() {
            list.push(Transformer::Replacement(k.replacements.clone()));
        }
        list
    }

    pub fn apply(&self, resources: &mut ResMap, cx: &Context) -> Result<()> {
        match self {
            Transformer::PatchStrategicMerge(entries) => {
                patches::apply_strategic_merge_entries(resources, entries, cx.loader, cx.schema)
            }
            Transformer::Patch(patch) => {
                patches::apply_patch(resources, patch, cx.loader, cx.schema, false)
            }
            Transformer::Namespace(config) => config.apply(resources, cx.schema),
            Transformer::PrefixSuffix(config) => config.apply(resources, cx.schema),
            Transformer::Labels(config) => config.apply(resources),
            Transformer::Annotations(config) => config.apply(resources),
            Transformer::PatchJson6902(patch) => {
                patches::apply_patch(resources, patch, cx.loader, cx.schema, true)
            }
            Transformer::ReplicaCount(config) => config.apply(resources, cx.schema),
            Transformer::ImageTag(config) => config.apply(resources),
            Transformer::Replacement(fields) => replacements::apply(
                &replacements::load(fields, cx.loader)?,
                resources,
                cx.schema,
            ),
        }
    }
}

/// One configured built-in generator.
#[derive(Debug, Clone, PartialEq)]
pub enum Generator {
    ConfigMap {
        args: GeneratorArgs,
        options: Option<GeneratorOptions>,
    },
    Secret {
        args: GeneratorArgs,
        options: Option<GeneratorOptions>,
    },
}

impl Generator {
    /// A kustomization's `configMapGenerator` entries, then its `secretGenerator` ones.
    pub fn from_kustomization(k: &Kustomization) -> Vec<Generator> {
        let options = || k.generator_options.clone();
        let config_maps = k
            .config_map_generator
            .iter()
            .map(|args| Generator::ConfigMap {
                args: args.clone(),
                options: options(),
            });
        let secrets = k.secret_generator.iter().map(|args| Generator::Secret {
            args: args.clone(),
            options: options(),
        });
        config_maps.chain(secrets).collect()
    }

    pub fn generate(&self, loader: &Loader) -> Result<Vec<Resource>> {
        let (kind, args, options) = match self {
            Generator::ConfigMap { args, options } => (GeneratedKind::ConfigMap, args, options),
            Generator::Secret { args, options } => (GeneratedKind::Secret, args, options),
        };
        generate::generate(kind, args, options.as_ref(), loader).map(|r| vec![r])
    }
}

/// Runs `transformers` in order, then checks that ids stayed unique.
pub fn run_transformers(
    transformers: &[Transformer],
    resources: &mut ResMap,
    cx: &Context,
) -> Result<()> {
    for transformer in transformers {
        transformer.apply(resources, cx)?;
    }
    resources.reindex(cx.schema).map_err(|id| {
        Error::conflict(format!(
            "may not have two resources with the id {id} after transformation"
        ))
    })
}
