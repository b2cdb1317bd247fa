//! kustomize's built-in transformers and generators as one table: each has a
//! config type, built either from kustomization fields or from a plugin config
//! (`transformers:` / `generators:` entries), and one list decides the order
//! in which a kustomization's own fields run.

use crate::error::{Error, Result};
use crate::fieldspec::{FieldSpec, FieldSpecs, specs_from_node};
use crate::generate::{self, GeneratedKind};
use crate::kustomization::{self, GeneratorArgs, GeneratorOptions, Kustomization, Patch};
use crate::loader::Loader;
use crate::origin::{Origin, expose_origin, forgets_origin, record_transformation};
use crate::resource::{ResMap, Resource};
use crate::schema::Schema;
use crate::transform::annotations::AnnotationsConfig;
use crate::transform::images::ImageTagConfig;
use crate::transform::labels::LabelsConfig;
use crate::transform::namespace::NamespaceConfig;
use crate::transform::namespace::RoleBindingSubjects;
use crate::transform::patches;
use crate::transform::prefix_suffix::PrefixSuffixConfig;
use crate::transform::replacements::{self, ReplacementField};
use crate::transform::replicas::ReplicaCountConfig;
use crate::transform::value_add::{ValueAddConfig, ValueAddTarget};
use crate::yaml::node::{Mapping, Node};

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
    /// A `PatchJson6902Transformer` or `PatchTransformer` config.
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
    /// `ValueAddTransformer` (plugin config only).
    ValueAdd(ValueAddConfig),
    /// `HashTransformer` (plugin config only): generated objects get their
    /// name hash now, and again at the end of the build, as in kustomize.
    Hash,
}

impl Transformer {
    /// The transformers a kustomization's own fields stand for, in kustomize's
    /// order: PatchStrategicMerge, Patch, Namespace, Prefix/Suffix, Labels,
    /// Annotations, PatchJson6902, ReplicaCount, ImageTag, Replacement.
    pub fn from_kustomization(k: &Kustomization, specs: &FieldSpecs) -> Result<Vec<Transformer>> {
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
                unset_only: false,
                role_binding_subjects: RoleBindingSubjects::DefaultOnly,
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
            LabelsConfig::from_kustomization(&k.labels, &k.common_labels, specs)?
                .into_iter()
                .map(Transformer::Labels),
        );
        list.push(Transformer::Annotations(AnnotationsConfig {
            annotations: k.common_annotations.clone(),
            // Not read without annotations (as for commonLabels).
            field_specs: if k.common_annotations.is_empty() {
                Vec::new()
            } else {
                specs.common_annotations.clone()
            },
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
        Ok(list)
    }

    /// The kind kustomize records (`buildMetadata: [transformerAnnotations]`)
    /// for a transformer standing for fields of `k`, or None where kustomize
    /// configures none: an empty prefix, suffix or annotation set, and labels
    /// unless `labels` or `commonLabels` is set (then every entry counts).
    pub fn field_kind(&self, k: &Kustomization) -> Option<&'static str> {
        let kind = match self {
            Transformer::PatchStrategicMerge(_) => "PatchStrategicMergeTransformer",
            Transformer::Patch(_) => "PatchTransformer",
            Transformer::Namespace(_) => "NamespaceTransformer",
            Transformer::PrefixSuffix(config) => match (&config.prefix, &config.suffix) {
                (Some(prefix), None) if !prefix.is_empty() => "PrefixTransformer",
                (None, Some(suffix)) if !suffix.is_empty() => "SuffixTransformer",
                _ => return None,
            },
            Transformer::Labels(_) if k.labels.is_empty() && k.common_labels.is_empty() => {
                return None;
            }
            Transformer::Labels(_) => "LabelTransformer",
            Transformer::Annotations(config) if config.annotations.is_empty() => return None,
            Transformer::Annotations(_) => "AnnotationsTransformer",
            Transformer::PatchJson6902(_) => "PatchJson6902Transformer",
            Transformer::ReplicaCount(_) => "ReplicaCountTransformer",
            Transformer::ImageTag(_) => "ImageTagTransformer",
            Transformer::Replacement(_) => "ReplacementTransformer",
            Transformer::ValueAdd(_) | Transformer::Hash => return None,
        };
        Some(kind)
    }

    /// A built-in plugin config (`apiVersion: builtin`) from a `transformers:`
    /// entry. Its `fieldSpecs` replace the defaults, as in kustomize.
    pub fn from_config(node: &Node) -> std::result::Result<Transformer, PluginError> {
        let c = Config::new(node)?;
        let transformer = match c.kind {
            "AnnotationsTransformer" => Transformer::Annotations(AnnotationsConfig {
                annotations: c.string_map("annotations")?,
                field_specs: c.field_specs()?,
            }),
            "LabelTransformer" => Transformer::Labels(LabelsConfig {
                labels: c.string_map("labels")?,
                field_specs: c.field_specs()?,
            }),
            "NamespaceTransformer" => {
                let subjects = c.string("setRoleBindingSubjects")?.unwrap_or_default();
                let role_binding_subjects = match subjects.as_str() {
                    "" | "defaultOnly" => RoleBindingSubjects::DefaultOnly,
                    "none" => RoleBindingSubjects::None,
                    "allServiceAccounts" => RoleBindingSubjects::AllServiceAccounts,
                    other => {
                        return Err(format!(
                            "invalid value \"{other}\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\""
                        )
                        .into());
                    }
                };
                // metadata.namespace is always set (cluster-scoped kinds aside).
                let field_specs = c
                    .field_specs()?
                    .into_iter()
                    .filter(|s| s.path_text() != "metadata/namespace")
                    .collect();
                Transformer::Namespace(NamespaceConfig {
                    namespace: c.metadata_string("namespace")?.unwrap_or_default(),
                    field_specs,
                    unset_only: c.bool("unsetOnly")?,
                    role_binding_subjects,
                })
            }
            "PrefixSuffixTransformer" => Transformer::PrefixSuffix(PrefixSuffixConfig {
                prefix: Some(c.string("prefix")?.unwrap_or_default()),
                suffix: Some(c.string("suffix")?.unwrap_or_default()),
                field_specs: c.field_specs()?,
            }),
            "PrefixTransformer" => Transformer::PrefixSuffix(PrefixSuffixConfig {
                prefix: Some(c.string("prefix")?.unwrap_or_default()),
                suffix: None,
                field_specs: c.required_field_specs()?,
            }),
            "SuffixTransformer" => Transformer::PrefixSuffix(PrefixSuffixConfig {
                prefix: None,
                suffix: Some(c.string("suffix")?.unwrap_or_default()),
                field_specs: c.required_field_specs()?,
            }),
            "ImageTagTransformer" => Transformer::ImageTag(ImageTagConfig {
                image: kustomization::image(c.get("imageTag").unwrap_or(&Node::NULL))?,
                field_specs: c.field_specs()?,
            }),
            "ReplicaCountTransformer" => Transformer::ReplicaCount(ReplicaCountConfig {
                replica: kustomization::replica(c.get("replica").unwrap_or(&Node::NULL))?,
                field_specs: c.field_specs()?,
            }),
            "PatchTransformer" => Transformer::Patch(kustomization::patch(
                &c.subset(&["path", "patch", "target", "options"]),
            )?),
            "PatchJson6902Transformer" => {
                let mut patch = kustomization::patch(&c.subset(&["path", "target"]))?;
                patch.patch = c.string("jsonOp")?;
                Transformer::PatchJson6902(patch)
            }
            "PatchStrategicMergeTransformer" => {
                let mut entries = c.strings("paths")?;
                entries.extend(c.string("patches")?.filter(|p| !p.trim().is_empty()));
                Transformer::PatchStrategicMerge(entries)
            }
            "ReplacementTransformer" => Transformer::Replacement(
                c.list("replacements")?
                    .iter()
                    .map(ReplacementField::from_node)
                    .collect::<std::result::Result<_, _>>()?,
            ),
            "ValueAddTransformer" => {
                let target_file_path = c.string("targetFilePath")?.filter(|p| !p.is_empty());
                let targets: Vec<ValueAddTarget> = c
                    .list("targets")?
                    .iter()
                    .map(ValueAddTarget::from_node)
                    .collect::<std::result::Result<_, _>>()?;
                if targets.is_empty() && target_file_path.is_none() {
                    return Err("must specify at least one target".into());
                }
                Transformer::ValueAdd(ValueAddConfig {
                    value: c.string("value")?.unwrap_or_default().trim().to_string(),
                    targets,
                    target_file_path,
                })
            }
            "HashTransformer" => Transformer::Hash,
            kind if GENERATOR_KINDS.contains(&kind) => return Err(PluginError::WrongRole),
            // kustomize v5.6.0 lists these but cannot load them as builtins.
            _ => return Err(PluginError::Unknown),
        };
        Ok(transformer)
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
            Transformer::ReplicaCount(config) => config.apply(resources),
            Transformer::ImageTag(config) => config.apply(resources),
            Transformer::Replacement(fields) => replacements::apply(
                &replacements::load(fields, cx.loader)?,
                resources,
                cx.schema,
            ),
            Transformer::ValueAdd(config) => config.apply(resources, cx.loader, cx.schema),
            Transformer::Hash => crate::build::add_hash_suffixes(resources, cx.schema),
        }
    }
}

/// Why a plugin config could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum PluginError {
    /// No built-in plugin has this kind.
    Unknown,
    /// A generator listed under `transformers:` or the other way round.
    WrongRole,
    /// Helm runs a program: kustomize needs `--enable-helm`.
    Helm,
    /// Bad settings.
    Config(String),
}

impl From<String> for PluginError {
    fn from(message: String) -> PluginError {
        PluginError::Config(message)
    }
}

impl From<&str> for PluginError {
    fn from(message: &str) -> PluginError {
        PluginError::Config(message.to_string())
    }
}

const GENERATOR_KINDS: &[&str] = &[
    "ConfigMapGenerator",
    "SecretGenerator",
    "IAMPolicyGenerator",
    "HelmChartInflationGenerator",
];

const TRANSFORMER_KINDS: &[&str] = &[
    "AnnotationsTransformer",
    "LabelTransformer",
    "NamespaceTransformer",
    "PrefixSuffixTransformer",
    "PrefixTransformer",
    "SuffixTransformer",
    "ImageTagTransformer",
    "ReplicaCountTransformer",
    "PatchTransformer",
    "PatchJson6902Transformer",
    "PatchStrategicMergeTransformer",
    "ReplacementTransformer",
    "ValueAddTransformer",
    "HashTransformer",
    "SortOrderTransformer",
    "LegacyOrderTransformer",
];

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
    IamPolicy(IamPolicy),
}

/// `IAMPolicyGenerator` (GKE workload identity): a ServiceAccount bound to a
/// Google service account.
#[derive(Debug, Clone, PartialEq)]
pub struct IamPolicy {
    namespace: Option<String>,
    name: String,
    google_account: String,
}

impl IamPolicy {
    fn from_config(c: &Config) -> std::result::Result<IamPolicy, String> {
        let cloud = c.string("cloud")?.unwrap_or_default();
        if cloud != "gke" {
            return Err(format!(
                "IAMPolicyGenerator: cloud '{cloud}' is not supported; only 'gke' is"
            ));
        }
        let text = |path: &[&str]| c.node.str_at(path).map(str::to_string);
        let name = text(&["kubernetesService", "name"])
            .filter(|n| !n.is_empty())
            .ok_or("IAMPolicyGenerator: kubernetesService.name is required")?;
        let account = text(&["serviceAccount", "name"]).unwrap_or_default();
        let project = text(&["serviceAccount", "projectId"]).unwrap_or_default();
        Ok(IamPolicy {
            namespace: text(&["kubernetesService", "namespace"]).filter(|n| !n.is_empty()),
            name,
            google_account: format!("{account}@{project}.iam.gserviceaccount.com"),
        })
    }

    fn generate(&self) -> Resource {
        let mut annotations = Mapping::default();
        annotations.insert(
            "iam.gke.io/gcp-service-account".into(),
            Node::str(&self.google_account),
        );
        let mut metadata = Mapping::default();
        metadata.insert("annotations".into(), Node::Map(annotations));
        metadata.insert("name".into(), Node::str(&self.name));
        if let Some(namespace) = &self.namespace {
            metadata.insert("namespace".into(), Node::str(namespace));
        }
        let mut object = Mapping::default();
        object.insert("apiVersion".into(), Node::str("v1"));
        object.insert("kind".into(), Node::str("ServiceAccount"));
        object.insert("metadata".into(), Node::Map(metadata));
        Resource::new(Node::Map(object))
    }
}

/// A plugin config node, read leniently as kustomize's plugins read theirs
/// (unknown fields are ignored).
struct Config<'a> {
    node: &'a Node,
    map: &'a Mapping,
    kind: &'a str,
}

impl<'a> Config<'a> {
    fn new(node: &'a Node) -> std::result::Result<Config<'a>, String> {
        let map = node.as_map().ok_or("a plugin config must be a mapping")?;
        let kind = node.str_at(&["kind"]).unwrap_or_default();
        Ok(Config { node, map, kind })
    }

    fn get(&self, key: &str) -> Option<&'a Node> {
        self.map.get(key).filter(|n| !n.is_null())
    }

    fn type_error(&self, key: &str, want: &str) -> String {
        format!("{}: the field '{key}' must be {want}", self.kind)
    }

    fn string(&self, key: &str) -> std::result::Result<Option<String>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(node) => node
                .scalar_text()
                .map(Some)
                .ok_or_else(|| self.type_error(key, "a string")),
        }
    }

    fn metadata_string(&self, key: &str) -> std::result::Result<Option<String>, String> {
        Ok(self.node.str_at(&["metadata", key]).map(str::to_string))
    }

    fn bool(&self, key: &str) -> std::result::Result<bool, String> {
        match self.get(key) {
            None => Ok(false),
            Some(Node::Bool(b)) => Ok(*b),
            Some(_) => Err(self.type_error(key, "true or false")),
        }
    }

    fn list(&self, key: &str) -> std::result::Result<&'a [Node], String> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Node::Seq(items)) => Ok(items),
            Some(_) => Err(self.type_error(key, "a list")),
        }
    }

    fn strings(&self, key: &str) -> std::result::Result<Vec<String>, String> {
        self.list(key)?
            .iter()
            .map(|item| {
                item.scalar_text()
                    .ok_or_else(|| self.type_error(key, "a list of strings"))
            })
            .collect()
    }

    fn string_map(
        &self,
        key: &str,
    ) -> std::result::Result<crate::kustomization::StringMap, String> {
        match self.get(key) {
            None => Ok(Default::default()),
            Some(Node::Map(m)) => m
                .iter()
                .map(|(k, v)| Ok((k.clone(), v.scalar_text().unwrap_or_default())))
                .collect(),
            Some(_) => Err(self.type_error(key, "a map of strings")),
        }
    }

    fn field_specs(&self) -> std::result::Result<Vec<FieldSpec>, String> {
        specs_from_node(self.get("fieldSpecs"))
    }

    fn required_field_specs(&self) -> std::result::Result<Vec<FieldSpec>, String> {
        if self.get("fieldSpecs").is_none() {
            return Err("fieldSpecs is not expected to be nil".into());
        }
        self.field_specs()
    }

    /// The named fields only, as a mapping for the kustomization readers.
    fn subset(&self, keys: &[&str]) -> Node {
        Node::Map(
            self.map
                .iter()
                .filter(|(k, v)| keys.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }
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

    /// The built-in kind, as origins name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Generator::ConfigMap { .. } => "ConfigMapGenerator",
            Generator::Secret { .. } => "SecretGenerator",
            Generator::IamPolicy(_) => "IAMPolicyGenerator",
        }
    }

    /// A built-in plugin config (`apiVersion: builtin`) from a `generators:` entry.
    pub fn from_config(node: &Node) -> std::result::Result<Generator, PluginError> {
        let c = Config::new(node)?;
        let secret = match c.kind {
            "ConfigMapGenerator" => false,
            "SecretGenerator" => true,
            "IAMPolicyGenerator" => {
                return Ok(Generator::IamPolicy(IamPolicy::from_config(&c)?));
            }
            "HelmChartInflationGenerator" => return Err(PluginError::Helm),
            kind if TRANSFORMER_KINDS.contains(&kind) => return Err(PluginError::WrongRole),
            _ => return Err(PluginError::Unknown),
        };
        let mut fields = vec!["behavior", "literals", "files", "envs", "env", "options"];
        if secret {
            fields.push("type");
        }
        let mut subset = c.subset(&fields);
        let Some(args) = subset.as_map_mut() else {
            unreachable!("subset builds a mapping")
        };
        let mut args = std::mem::take(args);
        // A non-empty top-level `name`/`namespace` wins over the metadata's.
        for key in ["name", "namespace"] {
            let top = c.string(key)?.filter(|v| !v.is_empty());
            if let Some(value) = top.or(c.metadata_string(key)?) {
                args.insert(key.into(), Node::str(value));
            }
        }
        let args = kustomization::generator_args(&Node::Map(args), secret)?;
        Ok(if secret {
            Generator::Secret {
                args,
                options: None,
            }
        } else {
            Generator::ConfigMap {
                args,
                options: None,
            }
        })
    }

    pub fn generate(&self, loader: &Loader) -> Result<Vec<Resource>> {
        if let Generator::IamPolicy(policy) = self {
            return Ok(vec![policy.generate()]);
        }
        let (kind, args, options) = match self {
            Generator::ConfigMap { args, options } => (GeneratedKind::ConfigMap, args, options),
            Generator::Secret { args, options } => (GeneratedKind::Secret, args, options),
            Generator::IamPolicy(_) => unreachable!("handled above"),
        };
        generate::generate(kind, args, options.as_ref(), loader).map(|r| vec![r])
    }
}

/// Runs `transformers` in order, then reindexes the objects. Where
/// the build tracks origins, each transformer comes with its own origin, and
/// is recorded on every object, changed or not, as kustomize records it.
pub fn run_transformers(
    transformers: &[(Transformer, Option<Origin>)],
    resources: &mut ResMap,
    cx: &Context,
) -> Result<()> {
    let mut rest = transformers;
    while let Some(((transformer, origin), after)) = rest.split_first() {
        rest = after;
        // The `images` of a kustomization are one transformer per image: run
        // them in one pass over the objects (where no origin is recorded).
        if let (Transformer::ImageTag(first), None) = (transformer, origin) {
            let mut images = vec![&first.image];
            while let Some(((Transformer::ImageTag(next), None), after)) = rest.split_first()
                && next.field_specs == first.field_specs
            {
                images.push(&next.image);
                rest = after;
            }
            crate::transform::images::apply(resources, &images, &first.field_specs)?;
            continue;
        }
        if origin.is_some() {
            resources.iter_mut().for_each(expose_origin);
        }
        transformer.apply(resources, cx)?;
        if let Some(origin) = origin {
            for resource in resources.iter_mut() {
                forgets_origin(resource);
                record_transformation(resource, origin).map_err(Error::transform)?;
            }
        }
    }
    // kustomize checks ids only as a kustomization's objects join its
    // parent's, and at the end once names have their hashes: two objects
    // may share an id until then (a generated one is renamed by its hash).
    let _ = resources.reindex(cx.schema);
    Ok(())
}
