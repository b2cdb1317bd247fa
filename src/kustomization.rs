//! The kustomization file: reading it into typed, validated settings.

use crate::origin::BuildMetadata;
use crate::transform::replacements::ReplacementField;
use crate::transform::vars::Var;
use crate::yaml::node::{Mapping, Node};
use indexmap::IndexMap;

pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

const KNOWN_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "components",
    "generators",
    "transformers",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "imageTags",
    "replicas",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "sortOptions",
    "replacements",
    "vars",
    "configurations",
    "crds",
    "openapi",
    "buildMetadata",
    "validators",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
];

/// kustomize v5.6.0's `HelmChart` fields.
const HELM_CHART_FIELDS: &[&str] = &[
    "name",
    "version",
    "repo",
    "releaseName",
    "namespace",
    "additionalValuesFiles",
    "valuesFile",
    "valuesInline",
    "valuesMerge",
    "includeCRDs",
    "skipHooks",
    "apiVersions",
    "kubeVersion",
    "nameTemplate",
    "skipTests",
    "debug",
];

/// The deprecated `HelmChartArgs` fields, and the `HelmChart` field each becomes.
const LEGACY_HELM_FIELDS: &[(&str, Option<&str>)] = &[
    ("chartName", Some("name")),
    ("chartVersion", Some("version")),
    ("chartRepoUrl", Some("repo")),
    ("chartHome", None),
    ("chartRepoName", None),
    ("helmBin", None),
    ("helmHome", None),
    ("values", Some("valuesFile")),
    ("valuesLocal", Some("valuesInline")),
    ("valuesMerge", Some("valuesMerge")),
    ("releaseName", Some("releaseName")),
    ("releaseNamespace", None),
    ("extraArgs", None),
];

/// Plain string map (labels, annotations), in file order.
pub type StringMap = IndexMap<String, String>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kustomization {
    pub is_component: bool,
    /// `resources` followed by the legacy `bases`.
    pub resources: Vec<String>,
    pub uses_bases: bool,
    /// The legacy `imageTags`, appended to `images`.
    pub uses_image_tags: bool,
    /// Component directories, applied after resources and generators.
    pub components: Vec<String>,
    /// Built-in generator configs: files, directories or inline YAML.
    pub generators: Vec<String>,
    /// Built-in transformer configs: files, directories or inline YAML.
    pub transformers: Vec<String>,
    pub namespace: Option<String>,
    pub name_prefix: Option<String>,
    pub name_suffix: Option<String>,
    pub common_labels: StringMap,
    pub labels: Vec<LabelEntry>,
    pub common_annotations: StringMap,
    pub images: Vec<Image>,
    pub replicas: Vec<Replica>,
    pub config_map_generator: Vec<GeneratorArgs>,
    pub secret_generator: Vec<GeneratorArgs>,
    pub generator_options: Option<GeneratorOptions>,
    pub patches: Vec<Patch>,
    pub patches_strategic_merge: Vec<String>,
    pub patches_json6902: Vec<Patch>,
    pub sort_options: Option<SortOptions>,
    pub replacements: Vec<ReplacementField>,
    pub vars: Vec<Var>,
    /// Files of custom field specs (kustomize's transformer configs).
    pub configurations: Vec<String>,
    /// OpenAPI definition files whose `x-kubernetes-*` extensions add field specs.
    pub crds: Vec<String>,
    pub openapi: Option<OpenApi>,
    /// Only the top kustomization's counts: it holds for the whole build.
    pub build_metadata: BuildMetadata,
    /// The config kustomize's helm chart generator gets, one per chart
    /// (`helmCharts`, then the legacy `helmChartInflationGenerator`, each
    /// with `helmGlobals`). rustomize runs no helm.
    pub helm_charts: Vec<Node>,
    /// `validators`: plugin configs that run last and must change nothing.
    pub validators: Vec<String>,
}

/// The `openapi` field: a schema file or a built-in schema version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenApi {
    pub path: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelEntry {
    pub pairs: StringMap,
    pub include_selectors: bool,
    pub include_templates: bool,
    pub fields: Vec<crate::fieldspec::FieldSpec>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Image {
    pub name: String,
    pub new_name: Option<String>,
    pub new_tag: Option<String>,
    pub digest: Option<String>,
    pub tag_suffix: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replica {
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeneratorOptions {
    pub labels: StringMap,
    pub annotations: StringMap,
    pub disable_name_suffix_hash: Option<bool>,
    pub immutable: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeneratorArgs {
    pub name: String,
    pub namespace: Option<String>,
    pub behavior: Option<String>,
    pub literals: Vec<String>,
    pub files: Vec<String>,
    pub envs: Vec<String>,
    pub secret_type: Option<String>,
    pub options: Option<GeneratorOptions>,
}

/// A patch target selector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector {
    pub group: Option<String>,
    pub version: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub label_selector: Option<String>,
    pub annotation_selector: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    pub path: Option<String>,
    pub patch: Option<String>,
    pub target: Option<Selector>,
    pub allow_name_change: bool,
    pub allow_kind_change: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SortOptions {
    Fifo,
    Legacy {
        order_first: Option<Vec<String>>,
        order_last: Option<Vec<String>>,
    },
}

/// Reads typed fields out of a YAML mapping, with JSON-unmarshal-like messages.
struct Fields<'a> {
    map: &'a Mapping,
    context: &'a str,
}

impl<'a> Fields<'a> {
    fn type_error(&self, field: &str, found: &Node, want: &str) -> String {
        let found = found.json_type();
        format!(
            "json: cannot unmarshal {found} into Go struct field {}.{field} of type {want}",
            self.context
        )
    }

    /// Go's JSON decoding matches field names case-insensitively (`nameprefix`).
    fn get(&self, field: &str) -> Option<&'a Node> {
        self.map
            .get(field)
            .or_else(|| {
                self.map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(field))
                    .map(|(_, v)| v)
            })
            .filter(|n| !n.is_null())
    }

    fn string(&self, field: &str) -> Result<Option<String>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Node::Str(s, _)) => Ok(Some(s.clone())),
            Some(other) => Err(self.type_error(field, other, "string")),
        }
    }

    fn bool(&self, field: &str) -> Result<Option<bool>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Node::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.type_error(field, other, "bool")),
        }
    }

    fn strings(&self, field: &str) -> Result<Vec<String>, String> {
        match self.get(field) {
            None => Ok(Vec::new()),
            Some(Node::Seq(items)) => items
                .iter()
                .map(|item| match item {
                    Node::Str(s, _) => Ok(s.clone()),
                    other => Err(self.type_error(field, other, "string")),
                })
                .collect(),
            Some(other) => Err(self.type_error(field, other, "[]string")),
        }
    }

    fn string_map(&self, field: &str) -> Result<StringMap, String> {
        match self.get(field) {
            None => Ok(StringMap::new()),
            Some(Node::Map(m)) => m
                .iter()
                .map(|(k, v)| match v {
                    Node::Str(s, _) => Ok((k.clone(), s.clone())),
                    Node::Null(_) => Ok((k.clone(), String::new())),
                    other => Err(self.type_error(field, other, "string")),
                })
                .collect(),
            Some(other) => Err(self.type_error(field, other, "map[string]string")),
        }
    }

    fn list(&self, field: &str) -> Result<&'a [Node], String> {
        match self.get(field) {
            None => Ok(&[]),
            Some(Node::Seq(items)) => Ok(items),
            Some(other) => Err(self.type_error(field, other, "array")),
        }
    }

    fn object(&self, field: &str) -> Result<Option<&'a Mapping>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Node::Map(m)) => Ok(Some(m)),
            Some(other) => Err(self.type_error(field, other, "object")),
        }
    }

    fn reject_unknown(&self, known: &[&str]) -> Result<(), String> {
        let is_known = |k: &str| known.iter().any(|n| n.eq_ignore_ascii_case(k));
        match self.map.keys().find(|k| !is_known(k)) {
            Some(k) => Err(format!("json: unknown field \"{k}\"")),
            None => Ok(()),
        }
    }
}

fn as_mapping<'a>(node: &'a Node, context: &str) -> Result<&'a Mapping, String> {
    node.as_map()
        .ok_or_else(|| format!("json: cannot unmarshal into Go value of type {context}"))
}

impl Kustomization {
    /// Validates and reads a parsed kustomization file.
    pub fn from_node(node: &Node) -> Result<Kustomization, String> {
        let empty = Mapping::default();
        let map = match node {
            Node::Null(_) => &empty,
            other => as_mapping(other, "types.Kustomization")?,
        };
        let f = Fields {
            map,
            context: "Kustomization",
        };
        // kustomize's order: unknown fields, emptiness (whatever the kind and
        // apiVersion say), then kind and apiVersion.
        f.reject_unknown(KNOWN_FIELDS)?;
        if is_empty(map) {
            return Err("kustomization.yaml is empty".into());
        }
        let kind = f.string("kind")?.unwrap_or_default();
        let is_component = kind == "Component";
        if !(kind.is_empty() || kind == "Kustomization" || is_component) {
            return Err(format!(
                "kind should be Kustomization or Component, not {kind}"
            ));
        }
        if let Some(api_version) = f.string("apiVersion")? {
            let expected = if is_component {
                "kustomize.config.k8s.io/v1alpha1"
            } else {
                "kustomize.config.k8s.io/v1beta1"
            };
            if api_version != expected {
                let kind = if is_component {
                    "Component"
                } else {
                    "Kustomization"
                };
                return Err(format!("apiVersion for {kind} should be {expected}"));
            }
        }

        let mut resources = f.strings("resources")?;
        let bases = f.strings("bases")?;
        let uses_bases = !bases.is_empty();
        resources.extend(bases);

        let image_tags = f.list("imageTags")?;
        Ok(Kustomization {
            is_component,
            resources,
            uses_bases,
            uses_image_tags: !image_tags.is_empty(),
            components: f.strings("components")?,
            generators: f.strings("generators")?,
            transformers: f.strings("transformers")?,
            namespace: f.string("namespace")?,
            name_prefix: f.string("namePrefix")?,
            name_suffix: f.string("nameSuffix")?,
            common_labels: f.string_map("commonLabels")?,
            labels: f
                .list("labels")?
                .iter()
                .map(label_entry)
                .collect::<Result<_, _>>()?,
            common_annotations: f.string_map("commonAnnotations")?,
            images: f
                .list("images")?
                .iter()
                .chain(image_tags)
                .map(image)
                .collect::<Result<_, _>>()?,
            replicas: f
                .list("replicas")?
                .iter()
                .map(replica)
                .collect::<Result<_, _>>()?,
            config_map_generator: f
                .list("configMapGenerator")?
                .iter()
                .map(|n| generator_args(n, false))
                .collect::<Result<_, _>>()?,
            secret_generator: f
                .list("secretGenerator")?
                .iter()
                .map(|n| generator_args(n, true))
                .collect::<Result<_, _>>()?,
            generator_options: f
                .object("generatorOptions")?
                .map(generator_options)
                .transpose()?,
            patches: f
                .list("patches")?
                .iter()
                .map(patch)
                .collect::<Result<_, _>>()?,
            patches_strategic_merge: f.strings("patchesStrategicMerge")?,
            patches_json6902: f
                .list("patchesJson6902")?
                .iter()
                .map(patch)
                .collect::<Result<_, _>>()?,
            sort_options: f.object("sortOptions")?.map(sort_options).transpose()?,
            replacements: f
                .list("replacements")?
                .iter()
                .map(ReplacementField::from_node)
                .collect::<Result<_, _>>()?,
            vars: f
                .list("vars")?
                .iter()
                .map(Var::from_node)
                .collect::<Result<_, _>>()?,
            configurations: f.strings("configurations")?,
            crds: f.strings("crds")?,
            openapi: match f.get("openapi") {
                None => None,
                Some(Node::Map(map)) => Some(openapi(map)?),
                Some(other) => return Err(f.type_error("openapi", other, "map[string]string")),
            },
            build_metadata: BuildMetadata::from_values(&f.strings("buildMetadata")?),
            helm_charts: helm_charts(&f)?,
            validators: f.strings("validators")?,
        })
    }
}

/// kustomize refuses a kustomization equal to the zero value once `apiVersion`
/// and `kind` are set aside (whatever they say): every other field absent, null
/// or a zero scalar (an empty list or map still counts as set).
fn is_empty(map: &Mapping) -> bool {
    map.iter().all(|(key, value)| match (key.as_str(), value) {
        ("apiVersion" | "kind", Node::Str(..)) => true,
        (_, Node::Null(_) | Node::Bool(false) | Node::Int(0)) => true,
        (_, Node::Str(v, _)) => v.is_empty(),
        _ => false,
    })
}

fn label_entry(node: &Node) -> Result<LabelEntry, String> {
    let f = Fields {
        map: as_mapping(node, "types.Label")?,
        context: "Label",
    };
    f.reject_unknown(&["pairs", "includeSelectors", "includeTemplates", "fields"])?;
    Ok(LabelEntry {
        pairs: f.string_map("pairs")?,
        include_selectors: f.bool("includeSelectors")?.unwrap_or(false),
        include_templates: f.bool("includeTemplates")?.unwrap_or(false),
        fields: crate::fieldspec::specs_from_node(f.get("fields"))?,
    })
}

pub(crate) fn image(node: &Node) -> Result<Image, String> {
    let f = Fields {
        map: as_mapping(node, "types.Image")?,
        context: "Image",
    };
    f.reject_unknown(&["name", "newName", "newTag", "digest", "tagSuffix"])?;
    // A tag written as a number (`newTag: 1.0`) is an error in kustomize too.
    let text = |field: &str| -> Result<Option<String>, String> {
        match f.get(field) {
            None => Ok(None),
            Some(Node::Str(s, _)) => Ok(Some(s.clone())),
            Some(other) => Err(f.type_error(field, other, "string")),
        }
    };
    Ok(Image {
        name: text("name")?.unwrap_or_default(),
        new_name: text("newName")?,
        new_tag: text("newTag")?,
        digest: text("digest")?,
        tag_suffix: text("tagSuffix")?,
    })
}

pub(crate) fn replica(node: &Node) -> Result<Replica, String> {
    let f = Fields {
        map: as_mapping(node, "types.Replica")?,
        context: "Replica",
    };
    f.reject_unknown(&["name", "count"])?;
    let count = match f.get("count") {
        None => 0,
        Some(Node::Int(i)) => *i,
        // A whole float (`3.0`, `1e1`) decodes into an int64 as in Go's JSON.
        Some(Node::Float(x)) if x.fract() == 0.0 && x.abs() < 9.2e18 => *x as i64,
        Some(other) => return Err(f.type_error("count", other, "int64")),
    };
    Ok(Replica {
        name: f.string("name")?.unwrap_or_default(),
        count,
    })
}

fn generator_options(map: &Mapping) -> Result<GeneratorOptions, String> {
    let f = Fields {
        map,
        context: "GeneratorOptions",
    };
    f.reject_unknown(&[
        "labels",
        "annotations",
        "disableNameSuffixHash",
        "immutable",
    ])?;
    Ok(GeneratorOptions {
        labels: f.string_map("labels")?,
        annotations: f.string_map("annotations")?,
        disable_name_suffix_hash: f.bool("disableNameSuffixHash")?,
        immutable: f.bool("immutable")?,
    })
}

pub(crate) fn generator_args(node: &Node, secret: bool) -> Result<GeneratorArgs, String> {
    let context = if secret {
        "SecretArgs"
    } else {
        "ConfigMapArgs"
    };
    let f = Fields {
        map: as_mapping(node, context)?,
        context,
    };
    let mut known = vec![
        "name",
        "namespace",
        "behavior",
        "literals",
        "files",
        "envs",
        "env",
        "options",
    ];
    if secret {
        known.push("type");
    }
    f.reject_unknown(&known)?;
    let mut envs = f.strings("envs")?;
    if let Some(env) = f.string("env")? {
        envs.push(env);
    }
    Ok(GeneratorArgs {
        name: f.string("name")?.unwrap_or_default(),
        namespace: f.string("namespace")?,
        behavior: f.string("behavior")?,
        literals: f.strings("literals")?,
        files: f.strings("files")?,
        envs,
        secret_type: f.string("type")?,
        options: f.object("options")?.map(generator_options).transpose()?,
    })
}

pub(crate) fn selector(map: &Mapping) -> Result<Selector, String> {
    let f = Fields {
        map,
        context: "Selector",
    };
    f.reject_unknown(&[
        "group",
        "version",
        "kind",
        "name",
        "namespace",
        "labelSelector",
        "annotationSelector",
    ])?;
    Ok(Selector {
        group: f.string("group")?,
        version: f.string("version")?,
        kind: f.string("kind")?,
        name: f.string("name")?,
        namespace: f.string("namespace")?,
        label_selector: f.string("labelSelector")?,
        annotation_selector: f.string("annotationSelector")?,
    })
}

pub(crate) fn patch(node: &Node) -> Result<Patch, String> {
    let f = Fields {
        map: as_mapping(node, "types.Patch")?,
        context: "Patch",
    };
    f.reject_unknown(&["path", "patch", "target", "options"])?;
    let options = f.object("options")?;
    let (mut allow_name_change, mut allow_kind_change) = (false, false);
    if let Some(options) = options {
        let o = Fields {
            map: options,
            context: "Patch.options",
        };
        allow_name_change = o.bool("allowNameChange")?.unwrap_or(false);
        allow_kind_change = o.bool("allowKindChange")?.unwrap_or(false);
    }
    Ok(Patch {
        path: f.string("path")?,
        patch: f.string("patch")?,
        target: f.object("target")?.map(selector).transpose()?,
        allow_name_change,
        allow_kind_change,
    })
}

/// kustomize reads `openapi` as a map of strings and uses `path` and `version`.
/// The helm generator configs, as kustomize echoes them: the chart's set
/// fields with the globals' (keys sorted when printed).
fn helm_charts(f: &Fields) -> Result<Vec<Node>, String> {
    let set = |node: &Node| match node {
        Node::Null(_) | Node::Bool(false) => false,
        Node::Str(s, _) => !s.is_empty(),
        Node::Seq(items) => !items.is_empty(),
        Node::Map(map) => !map.is_empty(),
        _ => true,
    };
    let object = |item: &'_ Node, field: &str, want: &str| match item {
        Node::Map(map) => Ok(map.clone()),
        other => Err(f.type_error(field, other, want)),
    };
    let mut globals = Mapping::default();
    if let Some(map) = f.object("helmGlobals")? {
        let g = Fields {
            map,
            context: "HelmGlobals.helmGlobals",
        };
        g.reject_unknown(&["chartHome", "configHome"])?;
        for key in ["chartHome", "configHome"] {
            if let Some(value) = g.string(key)?.filter(|v| !v.is_empty()) {
                globals.insert(key.into(), Node::str(value));
            }
        }
    }
    let mut charts = Vec::new();
    for item in f.list("helmCharts")? {
        let map = object(item, "helmCharts", "types.HelmChart")?;
        let c = Fields {
            map: &map,
            context: "HelmChart.helmCharts",
        };
        c.reject_unknown(HELM_CHART_FIELDS)?;
        for key in [
            "name",
            "version",
            "repo",
            "releaseName",
            "namespace",
            "valuesFile",
        ] {
            c.string(key)?;
        }
        charts.push(map.into_iter().filter(|(_, v)| set(v)).collect::<Mapping>());
    }
    let mut legacy_globals = Mapping::default();
    for item in f.list("helmChartInflationGenerator")? {
        let map = object(item, "helmChartInflationGenerator", "types.HelmChartArgs")?;
        let c = Fields {
            map: &map,
            context: "HelmChartArgs.helmChartInflationGenerator",
        };
        let known: Vec<&str> = LEGACY_HELM_FIELDS.iter().map(|(k, _)| *k).collect();
        c.reject_unknown(&known)?;
        let mut chart = Mapping::default();
        for (old, new) in LEGACY_HELM_FIELDS {
            let Some(value) = c.get(old).filter(|v| set(v)) else {
                continue;
            };
            match (*old, new) {
                // The last non-empty one wins.
                ("chartHome", _) => {
                    legacy_globals.insert("chartHome".into(), value.clone());
                }
                ("helmHome", _) => {
                    legacy_globals.insert("configHome".into(), value.clone());
                }
                (_, Some(new)) => {
                    chart.insert((*new).into(), value.clone());
                }
                _ => {}
            }
        }
        charts.push(chart);
    }
    if globals.is_empty() {
        globals = legacy_globals;
    }
    Ok(charts
        .into_iter()
        .map(|mut chart| {
            chart.extend(globals.clone());
            Node::Map(chart)
        })
        .collect())
}

fn openapi(map: &Mapping) -> Result<OpenApi, String> {
    let f = Fields {
        map,
        context: "Kustomization.openapi",
    };
    for (key, value) in map {
        if matches!(value, Node::Seq(_) | Node::Map(_)) {
            return Err(f.type_error(key, value, "string"));
        }
    }
    let text = |key: &str| map.get(key).and_then(Node::scalar_text);
    Ok(OpenApi {
        path: text("path"),
        version: text("version"),
    })
}

fn sort_options(map: &Mapping) -> Result<SortOptions, String> {
    let f = Fields {
        map,
        context: "SortOptions",
    };
    f.reject_unknown(&["order", "legacySortOptions"])?;
    let legacy = f.object("legacySortOptions")?;
    match f.string("order")?.as_deref() {
        Some("fifo") => {
            if legacy.is_some() {
                return Err("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'".into());
            }
            Ok(SortOptions::Fifo)
        }
        Some("legacy") => {
            let (mut order_first, mut order_last) = (None, None);
            if let Some(legacy) = legacy {
                let l = Fields {
                    map: legacy,
                    context: "LegacySortOptions",
                };
                l.reject_unknown(&["orderFirst", "orderLast"])?;
                order_first = Some(l.strings("orderFirst")?);
                order_last = Some(l.strings("orderLast")?);
            }
            Ok(SortOptions::Legacy {
                order_first,
                order_last,
            })
        }
        _ => Err("the field 'sortOptions.order' must be one of [fifo, legacy]".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    fn read(text: &str) -> Result<Kustomization, String> {
        Kustomization::from_node(&parse_single(text).unwrap())
    }

    #[test]
    fn bases_follow_resources() {
        let k = read("bases: [../b]\nresources: [x.yaml]\n").unwrap();
        assert_eq!(k.resources, ["x.yaml", "../b"]);
        assert!(k.uses_bases);
    }

    #[test]
    fn rejects_unknown_fields_and_wrong_types() {
        assert_eq!(
            read("foo: bar\n").unwrap_err(),
            "json: unknown field \"foo\""
        );
        assert!(
            read("namePrefix: 3\n")
                .unwrap_err()
                .contains("cannot unmarshal number")
        );
        assert!(
            read("apiVersion: v1\nnamePrefix: a-\n")
                .unwrap_err()
                .contains("should be kustomize.config.k8s.io/v1beta1")
        );
        // Emptiness comes first, whatever apiVersion and kind say.
        for text in ["apiVersion: v1\n", "kind: Foo\n", "kind: Component\n"] {
            assert_eq!(read(text).unwrap_err(), "kustomization.yaml is empty");
        }
    }

    #[test]
    fn reads_generators_and_patches() {
        let k = read(
            "configMapGenerator:\n- name: app\n  literals: [A=1]\n  env: a.env\n  options: {disableNameSuffixHash: true}\npatches:\n- path: p.yaml\n  target: {kind: Deployment, labelSelector: tier=backend}\n",
        )
        .unwrap();
        assert_eq!(k.config_map_generator[0].envs, ["a.env"]);
        assert_eq!(
            k.config_map_generator[0]
                .options
                .as_ref()
                .unwrap()
                .disable_name_suffix_hash,
            Some(true)
        );
        let target = k.patches[0].target.as_ref().unwrap();
        assert_eq!(target.label_selector.as_deref(), Some("tier=backend"));
    }
}
