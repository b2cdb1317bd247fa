//! `replacements`: copy a field of one object (the source) into fields of
//! others (the targets), as kustomize v5.6.0's ReplacementTransformer does.
//!
//! Objects are selected by exact group/version/kind/name/namespace (v5.6.0
//! has no regular expressions here) against their current and earlier ids;
//! `reject` removes objects any of whose ids it selects. Target field paths
//! are kyaml path matchers ([`crate::fieldpath`]): list selectors are
//! unanchored regular expressions and `*` visits every element. A scalar
//! target keeps its type and takes only the text of the value, which must
//! still read as that type (kustomize fails when writing the object out).

use crate::error::{Error, Result};
use crate::fieldpath::{self, FieldPath, Found, Leaf, Step};
use crate::loader::Loader;
use crate::resource::{Gvk, ResId, ResMap, Resource, or_placeholder};
use crate::schema::Schema;
use crate::selector::LabelSelector;
use crate::yaml::node::{Mapping, Node, StrStyle};
use crate::yaml::parse::parse_single;
use crate::yaml::resolve::resolve_plain;

const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// A kustomization's `replacements` entry: inline or from a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReplacementField {
    pub path: Option<String>,
    pub replacement: Replacement,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Replacement {
    pub source: Option<Source>,
    /// None when absent or empty: kustomize rejects both.
    pub targets: Option<Vec<Target>>,
}

/// Which objects a selector names; empty parts match anything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdSelector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    pub id: IdSelector,
    pub field_path: Option<String>,
    pub options: Option<FieldOptions>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selector {
    pub id: IdSelector,
    pub label_selector: String,
    pub annotation_selector: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Target {
    pub select: Option<Selector>,
    pub reject: Vec<Selector>,
    pub field_paths: Vec<String>,
    pub options: Option<FieldOptions>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldOptions {
    pub delimiter: String,
    pub index: i64,
    pub create: bool,
}

// ---------------------------------------------------------------- reading

/// Reads typed fields of one mapping, optionally rejecting unknown keys
/// (kustomization files are strict, replacement files are not).
struct Reader<'a> {
    map: &'a Mapping,
    context: &'static str,
}

impl<'a> Reader<'a> {
    fn new(node: &'a Node, context: &'static str) -> std::result::Result<Self, String> {
        static EMPTY: std::sync::LazyLock<Mapping> = std::sync::LazyLock::new(Mapping::default);
        match node {
            Node::Map(map) => Ok(Reader { map, context }),
            Node::Null(_) => Ok(Reader {
                map: &EMPTY,
                context,
            }),
            other => Err(type_error(context, "", other, "object")),
        }
    }

    fn check_known(&self, strict: bool, known: &[&str]) -> std::result::Result<(), String> {
        // Go's JSON decoding matches field names case-insensitively.
        let is_known = |k: &str| known.iter().any(|n| n.eq_ignore_ascii_case(k));
        match self.map.keys().find(|k| !is_known(k)) {
            Some(k) if strict => Err(format!("json: unknown field \"{k}\"")),
            _ => Ok(()),
        }
    }

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

    fn string(&self, field: &str) -> std::result::Result<String, String> {
        match self.get(field) {
            None => Ok(String::new()),
            Some(Node::Str(s, _)) => Ok(s.clone()),
            Some(other) => Err(type_error(self.context, field, other, "string")),
        }
    }

    fn strings(&self, field: &str) -> std::result::Result<Vec<String>, String> {
        match self.get(field) {
            None => Ok(Vec::new()),
            Some(Node::Seq(items)) => items
                .iter()
                .map(|item| match item {
                    Node::Str(s, _) => Ok(s.clone()),
                    other => Err(type_error(self.context, field, other, "string")),
                })
                .collect(),
            Some(other) => Err(type_error(self.context, field, other, "[]string")),
        }
    }

    fn list(&self, field: &str) -> std::result::Result<&'a [Node], String> {
        match self.get(field) {
            None => Ok(&[]),
            Some(Node::Seq(items)) => Ok(items),
            Some(other) => Err(type_error(self.context, field, other, "array")),
        }
    }
}

fn type_error(context: &str, field: &str, found: &Node, want: &str) -> String {
    let found = found.json_type();
    if field.is_empty() {
        format!("json: cannot unmarshal {found} into Go value of type types.{context}")
    } else {
        format!(
            "json: cannot unmarshal {found} into Go struct field {context}.{field} of type {want}"
        )
    }
}

const ID_FIELDS: [&str; 5] = ["group", "version", "kind", "name", "namespace"];

fn id_selector(r: &Reader) -> std::result::Result<IdSelector, String> {
    Ok(IdSelector {
        group: r.string("group")?,
        version: r.string("version")?,
        kind: r.string("kind")?,
        name: r.string("name")?,
        namespace: r.string("namespace")?,
    })
}

fn options(node: Option<&Node>, strict: bool) -> std::result::Result<Option<FieldOptions>, String> {
    let Some(node) = node else {
        return Ok(None);
    };
    let r = Reader::new(node, "FieldOptions")?;
    r.check_known(strict, &["delimiter", "index", "encoding", "create"])?;
    let index = match r.get("index") {
        None => 0,
        Some(Node::Int(i)) => *i,
        Some(other) => return Err(type_error("FieldOptions", "index", other, "int")),
    };
    let create = match r.get("create") {
        None => false,
        Some(Node::Bool(b)) => *b,
        Some(other) => return Err(type_error("FieldOptions", "create", other, "bool")),
    };
    r.string("encoding")?;
    Ok(Some(FieldOptions {
        delimiter: r.string("delimiter")?,
        index,
        create,
    }))
}

fn selector(node: &Node, strict: bool) -> std::result::Result<Selector, String> {
    let r = Reader::new(node, "Selector")?;
    let mut known = ID_FIELDS.to_vec();
    known.extend(["labelSelector", "annotationSelector"]);
    r.check_known(strict, &known)?;
    Ok(Selector {
        id: id_selector(&r)?,
        label_selector: r.string("labelSelector")?,
        annotation_selector: r.string("annotationSelector")?,
    })
}

fn target(node: &Node, strict: bool) -> std::result::Result<Target, String> {
    let r = Reader::new(node, "TargetSelector")?;
    r.check_known(strict, &["select", "reject", "fieldPaths", "options"])?;
    Ok(Target {
        select: r.get("select").map(|n| selector(n, strict)).transpose()?,
        reject: r
            .list("reject")?
            .iter()
            .map(|n| selector(n, strict))
            .collect::<std::result::Result<_, _>>()?,
        field_paths: r.strings("fieldPaths")?,
        options: options(r.get("options"), strict)?,
    })
}

fn replacement_body(r: &Reader, strict: bool) -> std::result::Result<Replacement, String> {
    let source = match r.get("source") {
        None => None,
        Some(node) => {
            let s = Reader::new(node, "SourceSelector")?;
            let mut known = ID_FIELDS.to_vec();
            known.extend(["fieldPath", "options"]);
            s.check_known(strict, &known)?;
            let field_path = s.string("fieldPath")?;
            Some(Source {
                id: id_selector(&s)?,
                field_path: (!field_path.is_empty()).then_some(field_path),
                options: options(s.get("options"), strict)?,
            })
        }
    };
    let targets: Vec<Target> = r
        .list("targets")?
        .iter()
        .map(|n| target(n, strict))
        .collect::<std::result::Result<_, _>>()?;
    Ok(Replacement {
        source,
        targets: (!targets.is_empty()).then_some(targets),
    })
}

impl ReplacementField {
    /// Reads one entry of a kustomization's `replacements` (strict, like the
    /// kustomization file itself).
    pub fn from_node(node: &Node) -> std::result::Result<ReplacementField, String> {
        ReplacementField::read(node, true)
    }

    fn read(node: &Node, strict: bool) -> std::result::Result<ReplacementField, String> {
        let r = Reader::new(node, "ReplacementField")?;
        r.check_known(strict, &["path", "source", "targets"])?;
        let path = r.string("path")?;
        Ok(ReplacementField {
            path: (!path.is_empty()).then_some(path),
            replacement: replacement_body(&r, strict)?,
        })
    }
}

/// The `replacements` of a `ReplacementTransformer` plugin config (a
/// `transformers:` entry); unknown fields are ignored there, as kustomize does.
pub fn fields_from_config(config: &Node) -> std::result::Result<Vec<ReplacementField>, String> {
    let r = Reader::new(config, "ReplacementTransformerPlugin")?;
    r.list("replacements")?
        .iter()
        .map(|node| ReplacementField::read(node, false))
        .collect()
}

impl Replacement {
    /// Reads a replacement from a plugin config or file (unknown fields ignored).
    pub fn from_node(node: &Node) -> std::result::Result<Replacement, String> {
        replacement_body(&Reader::new(node, "Replacement")?, false)
    }
}

/// Resolves `path:` entries, reading their files through the loader.
pub fn load(fields: &[ReplacementField], loader: &Loader) -> Result<Vec<Replacement>> {
    let config_error = |message: String| {
        Error::transform(format!(
            "trouble configuring builtin ReplacementTransformer: {message}"
        ))
    };
    let mut replacements = Vec::new();
    for field in fields {
        let Some(path) = &field.path else {
            replacements.push(field.replacement.clone());
            continue;
        };
        if field.replacement != Replacement::default() {
            return Err(config_error(
                "cannot specify both path and inline replacement".into(),
            ));
        }
        let (file, text) = loader.read_text(path)?;
        let node = parse_single(&text).map_err(|e| Error::yaml(&file, e))?;
        let in_file = |message: String| config_error(format!("{}: {message}", file.display()));
        match &node {
            Node::Seq(items) => {
                for item in items {
                    replacements.push(Replacement::from_node(item).map_err(in_file)?);
                }
            }
            Node::Map(_) => replacements.push(Replacement::from_node(&node).map_err(in_file)?),
            other => {
                let kind = match other {
                    Node::Str(..) => "string",
                    Node::Bool(_) => "bool",
                    Node::Null(_) => "invalid",
                    _ => "float64",
                };
                return Err(config_error(format!(
                    "unsupported replacement type encountered within replacement path: {kind}"
                )));
            }
        }
    }
    Ok(replacements)
}

// ---------------------------------------------------------------- selecting

/// kustomize's `ResId.String()` of a selector, with its placeholders for empty parts.
fn selector_text(id: &IdSelector) -> String {
    let gvk = Gvk {
        group: id.group.clone(),
        version: id.version.clone(),
        kind: id.kind.clone(),
    };
    format!(
        "{gvk}/{}.{}",
        or_placeholder(&id.name, "[noName]"),
        or_placeholder(&id.namespace, "[noNs]")
    )
}

/// A source selector as kustomize prints it in selection errors: its
/// field path too, when one is written.
fn source_selector_text(source: &Source) -> String {
    match &source.field_path {
        Some(path) => format!("{}:{path}", selector_text(&source.id)),
        None => selector_text(&source.id),
    }
}

impl IdSelector {
    fn is_empty(&self) -> bool {
        *self == IdSelector::default()
    }

    /// kustomize's `ResId.IsSelectedBy`: exact matches of the non-empty parts;
    /// "default" and no namespace are the same namespace.
    fn selects(&self, id: &ResId, cluster_scoped: bool) -> bool {
        let same = |want: &str, have: &str| want.is_empty() || want == have;
        let namespace_ok = self.namespace.is_empty()
            || if cluster_scoped {
                // Only a selector naming the (cluster-scoped) kind agrees.
                self.kind == id.gvk.kind
            } else {
                let normal = |ns: &str| if ns == "default" { "" } else { ns }.to_string();
                normal(&self.namespace) == normal(&id.namespace)
            };
        same(&self.group, &id.gvk.group)
            && same(&self.version, &id.gvk.version)
            && same(&self.kind, &id.gvk.kind)
            && same(&self.name, &id.name)
            && namespace_ok
    }
}

/// The kind and name of each object, in order: what selectors test first.
/// Replacements scan every object once per selector, and reading these from
/// the objects each time was most of a large build's replacement work.
type KindsAndNames = Vec<(String, String)>;

fn kind_and_name(resource: &Resource) -> (String, String) {
    (resource.kind().to_string(), resource.name().into_owned())
}

/// Whether the object's current or any earlier id is selected; `current` is
/// its kind and name. The common misses (another kind or name) are decided
/// before any id is built.
fn selected_by(
    resource: &Resource,
    current: &(String, String),
    selector: &IdSelector,
    schema: &Schema,
) -> bool {
    let may_match = |kind: &str, name: &str| {
        (selector.kind.is_empty() || selector.kind == kind)
            && (selector.name.is_empty() || selector.name == name)
    };
    let current = may_match(&current.0, &current.1);
    if !current
        && !resource
            .previous_ids
            .iter()
            .any(|id| may_match(&id.gvk.kind, &id.name))
    {
        return false;
    }
    let cluster_scoped = schema.is_cluster_scoped(&resource.gvk());
    (current && selector.selects(&resource.cur_id(schema), cluster_scoped))
        || resource
            .previous_ids
            .iter()
            .any(|id| selector.selects(id, cluster_scoped))
}

fn matches_labels(resource: &Resource, selector: &Selector) -> std::result::Result<bool, String> {
    let empty = Mapping::default();
    for (text, map) in [
        (&selector.annotation_selector, resource.annotations()),
        (&selector.label_selector, resource.labels()),
    ] {
        if !text.is_empty() && !LabelSelector::parse(text)?.matches(map.unwrap_or(&empty)) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn is_target(
    resource: &Resource,
    current: &(String, String),
    target: &Target,
    select: &Selector,
    schema: &Schema,
) -> std::result::Result<bool, String> {
    // The id first: it is cheap and rules out most objects.
    if !selected_by(resource, current, &select.id, schema) || !matches_labels(resource, select)? {
        return Ok(false);
    }
    for reject in &target.reject {
        if (!reject.label_selector.is_empty() || !reject.annotation_selector.is_empty())
            && matches_labels(resource, reject)?
        {
            return Ok(false);
        }
    }
    Ok(!target
        .reject
        .iter()
        .any(|r| !r.id.is_empty() && selected_by(resource, current, &r.id, schema)))
}

// ---------------------------------------------------------------- applying

/// Runs the replacements in order over `resources`.
pub fn apply(replacements: &[Replacement], resources: &mut ResMap, schema: &Schema) -> Result<()> {
    let mut kinds_and_names = resources.iter().map(kind_and_name).collect();
    for replacement in replacements {
        apply_one(replacement, resources, &mut kinds_and_names, schema)
            .map_err(Error::transform)?;
    }
    Ok(())
}

fn apply_one(
    replacement: &Replacement,
    resources: &mut ResMap,
    kinds_and_names: &mut KindsAndNames,
    schema: &Schema,
) -> std::result::Result<(), String> {
    let (Some(source), Some(targets)) = (&replacement.source, &replacement.targets) else {
        return Err("replacements must specify a source and at least one target".into());
    };
    let (source_position, mut value) = source_value(source, resources, kinds_and_names, schema)?;
    // kyaml copies from the source node itself, so a target that is (or is
    // in) the source changes what later targets get; a value cut out with a
    // delimiter is a copy.
    let live = source
        .options
        .as_ref()
        .is_none_or(|o| o.delimiter.is_empty());
    let source_path = FieldPath::parse(source.field_path.as_deref().unwrap_or(DEFAULT_FIELD_PATH));
    for target in targets {
        let Some(select) = &target.select else {
            return Err("target must specify resources to select".into());
        };
        let default_paths = [DEFAULT_FIELD_PATH.to_string()];
        let paths = if target.field_paths.is_empty() {
            &default_paths[..]
        } else {
            &target.field_paths[..]
        };
        for (position, (resource, current)) in resources
            .iter_mut()
            .zip(kinds_and_names.iter_mut())
            .enumerate()
        {
            if is_target(resource, current, target, select, schema)? {
                for path in paths {
                    copy_to_target(resource, &value, path, target.options.as_ref())?;
                    if live
                        && position == source_position
                        && let Ok(Some(now)) = fieldpath::lookup(&resource.node, &source_path)
                    {
                        value = now.clone();
                        value.unshare();
                    }
                }
                // A target may be the object's kind or name.
                *current = kind_and_name(resource);
            }
        }
    }
    Ok(())
}

/// The source object's position in `resources` and the value to copy.
fn source_value(
    source: &Source,
    resources: &ResMap,
    kinds_and_names: &KindsAndNames,
    schema: &Schema,
) -> std::result::Result<(usize, Node), String> {
    let mut found: Option<(usize, &Resource)> = None;
    for (position, (resource, current)) in resources.iter().zip(kinds_and_names).enumerate() {
        if selected_by(resource, current, &source.id, schema) {
            if found.is_some() {
                return Err(format!(
                    "multiple matches for selector {}",
                    source_selector_text(source)
                ));
            }
            found = Some((position, resource));
        }
    }
    let Some((position, resource)) = found else {
        return Err(format!(
            "nothing selected by {}",
            source_selector_text(source)
        ));
    };
    let text = source.field_path.as_deref().unwrap_or(DEFAULT_FIELD_PATH);
    let value = fieldpath::lookup(&resource.node, &FieldPath::parse(text))
        .map_err(|e| format!("error looking up replacement source: {e}"))?;
    let value = match value {
        None | Some(Node::Null(_)) => None,
        Some(Node::Map(m)) if m.is_empty() => None,
        Some(Node::Seq(s)) if s.is_empty() => None,
        Some(v) => Some(v),
    };
    let Some(value) = value else {
        return Err(format!(
            "fieldPath `{text}` is missing for replacement source {}",
            selector_text(&source.id)
        ));
    };
    match &source.options {
        Some(options) if !options.delimiter.is_empty() => {
            let Some(text) = value.scalar_text() else {
                return Err("delimiter option can only be used with scalar nodes".into());
            };
            let parts: Vec<&str> = text.split(options.delimiter.as_str()).collect();
            match usize::try_from(options.index)
                .ok()
                .and_then(|i| parts.get(i))
            {
                Some(part) => Ok((position, with_text(value, part))),
                None => Err(format!(
                    "options.index {} is out of bounds for value {text}",
                    options.index
                )),
            }
        }
        _ => {
            // kustomize copies the source node.
            let mut value = value.clone();
            value.unshare();
            Ok((position, value))
        }
    }
}

/// A scalar of the same type as `value` holding `text` (kyaml keeps the tag
/// and swaps the text; only the text matters to scalar targets).
fn with_text(value: &Node, text: &str) -> Node {
    match value {
        Node::Str(..) => Node::str(text),
        _ => resolve_plain(text).unwrap_or_else(|_| Node::str(text)),
    }
}

fn quote(text: &str) -> String {
    format!("{text:?}")
}

fn copy_to_target(
    resource: &mut Resource,
    value: &Node,
    path: &str,
    options: Option<&FieldOptions>,
) -> std::result::Result<(), String> {
    let leaf = match value {
        Node::Map(_) => Leaf::Map,
        Node::Seq(_) => Leaf::Seq,
        _ => Leaf::Scalar,
    };
    let create = options.is_some_and(|o| o.create).then_some(leaf);
    let retrieval = if create.is_some() {
        format!(
            "unable to find or create field {} in replacement target",
            quote(path)
        )
    } else {
        format!("unable to find field {} in replacement target", quote(path))
    };
    let path = FieldPath::parse(path);
    let annotation = is_annotation(&path);
    let mut set_error = None;
    let mut shared_writes = Vec::new();
    let mut mistyped = false;
    let visited = fieldpath::visit_matches(&mut resource.node, &path, create, &mut |found| {
        let shared = found.node.shared_id();
        set_value(found, value, options, annotation)
            .map(|target| {
                mistyped |= matches!(target, Node::Str(_, StrStyle::Mistyped(_)));
                // kyaml sets a scalar's text in place: a shared value
                // changes in every field holding it.
                if let Some(id) = shared {
                    shared_writes.push((id, target.clone()));
                }
            })
            .map_err(|e| {
                set_error = Some(e);
                String::new()
            })
    });
    resource.mistyped |= mistyped;
    if let Some(e) = set_error {
        return Err(e);
    }
    resource.write_shared(shared_writes);
    match visited {
        Err(e) => Err(format!("{retrieval}: {e}")),
        Ok(0) => Err(retrieval),
        Ok(_) => Ok(()),
    }
}

/// Whether `path` names one annotation: kustomize ends every build by
/// rewriting annotations as strings of their text, so whatever type a value
/// copied there has, it is printed (and checked) as a string.
fn is_annotation(path: &FieldPath) -> bool {
    matches!(
        path.steps.as_slice(),
        [Step::Field(metadata), Step::Field(annotations), Step::Field(_)]
            if metadata == "metadata" && annotations == "annotations"
    )
}

/// Sets the value at `found`; returns it.
fn set_value<'a>(
    found: Found<'a>,
    value: &Node,
    options: Option<&FieldOptions>,
    annotation: bool,
) -> std::result::Result<&'a mut Node, String> {
    let target = found.node;
    let is_scalar = !matches!(target, Node::Map(_) | Node::Seq(_));
    // A mapping or sequence value has no text of its own.
    let mut text = value.scalar_text().unwrap_or_default();
    if let Some(options) = options.filter(|o| !o.delimiter.is_empty()) {
        if !is_scalar {
            return Err("delimiter option can only be used with scalar nodes".into());
        }
        let current = target.scalar_text().unwrap_or_default();
        let mut parts: Vec<String> = current
            .split(options.delimiter.as_str())
            .map(str::to_string)
            .collect();
        match usize::try_from(options.index) {
            Err(_) => parts.insert(0, text),
            Ok(i) if i >= parts.len() => parts.push(text),
            Ok(i) => parts[i] = text,
        }
        text = parts.join(&options.delimiter);
    }
    if !is_scalar {
        *target = value.clone();
        return Ok(target);
    }
    *target = if annotation && (found.created || !matches!(target, Node::Str(..))) {
        // Typed values keep their text until a pass through JSON, as
        // annotations read from files do.
        let typed = match value {
            Node::Str(_, style) => style.reads_typed(),
            Node::Map(_) | Node::Seq(_) => false,
            _ => true,
        };
        let style = if typed {
            StrStyle::PlainTyped
        } else {
            StrStyle::Plain
        };
        Node::Str(text, style)
    } else if found.created {
        // kyaml creates the field untagged: its text decides its type.
        resolve_plain(&text)?;
        Node::untagged(&text)
    } else {
        retyped(target, &text)?
    };
    Ok(target)
}

/// `text` read as the type `target` has, failing as kustomize does when the
/// text does not fit that type.
fn retyped(target: &Node, text: &str) -> std::result::Result<Node, String> {
    match target {
        // No tag: the text decides the type.
        Node::Str(_, StrStyle::Untagged) => {
            resolve_plain(text)?;
            return Ok(Node::untagged(text));
        }
        Node::Str(_, StrStyle::Written) => {}
        Node::Str(_, StrStyle::Mistyped(tag)) => return typed_as(tag, text),
        Node::Str(_, style) => {
            // kyaml swaps the text only: a folded target stays folded, a
            // shared one stays shared.
            let style = match style {
                StrStyle::Folded | StrStyle::Shared(_) => *style,
                _ => StrStyle::Plain,
            };
            return Ok(Node::Str(text.to_string(), style));
        }
        _ => {}
    }
    typed_as(target.typed().yaml_tag(), text)
}

/// `text` in a scalar whose tag is `target_tag`: kyaml keeps the tag, so text
/// of another type stays as it is until the object is converted to JSON,
/// which then fails (see [`StrStyle::Mistyped`]).
fn typed_as(target_tag: &'static str, text: &str) -> std::result::Result<Node, String> {
    let resolved = resolve_plain(text)?;
    match (target_tag, &resolved) {
        ("!!float", Node::Int(i)) => return Ok(Node::Float(*i as f64)),
        ("!!float", Node::UInt(u)) => return Ok(Node::Float(*u as f64)),
        _ => {}
    }
    if resolved.yaml_tag() == target_tag {
        // The tag stays, and so does the text.
        Node::plain_scalar(text)
    } else {
        Ok(Node::Str(text.to_string(), StrStyle::Mistyped(target_tag)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_targets_keep_their_type() {
        assert_eq!(retyped(&Node::Int(1), "42").unwrap(), Node::Int(42));
        assert_eq!(retyped(&Node::str("a"), "42").unwrap(), Node::str("42"));
        assert_eq!(retyped(&Node::Float(1.5), "2").unwrap(), Node::Float(2.0));
        // Text of another type is kept; converting the object fails.
        let mistyped = retyped(&Node::Int(1), "hello").unwrap();
        assert_eq!(
            mistyped.mistyped_error().unwrap(),
            "map[string]interface {}(nil): yaml: cannot decode !!str `hello` as a !!int"
        );
        assert_eq!(
            retyped(&Node::NULL, "true")
                .unwrap()
                .mistyped_error()
                .unwrap(),
            "map[string]interface {}(nil): yaml: cannot decode !!bool `true` as a !!null"
        );
        // Fitting text written over it makes it a value again.
        assert_eq!(retyped(&mistyped, "7").unwrap(), Node::Int(7));
    }

    #[test]
    fn plugin_configs_are_read_leniently() {
        let config = crate::yaml::parse::parse_single(
            "apiVersion: builtin\nkind: ReplacementTransformer\nmetadata: {name: r}\nreplacements:\n- path: r.yaml\n- source: {kind: Pod, extra: 1}\n  targets:\n  - select: {kind: Deployment}\n",
        )
        .unwrap();
        let fields = fields_from_config(&config).unwrap();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].path.as_deref(), Some("r.yaml"));
        let source = fields[1].replacement.source.as_ref().unwrap();
        assert_eq!(source.id.kind, "Pod");
        let strict = ReplacementField::from_node(
            &crate::yaml::parse::parse_single("source: {kind: Pod, extra: 1}\n").unwrap(),
        );
        assert_eq!(strict.unwrap_err(), "json: unknown field \"extra\"");
    }

    #[test]
    fn selector_text_has_kustomize_placeholders() {
        let id = IdSelector {
            kind: "Secret".into(),
            ..Default::default()
        };
        assert_eq!(selector_text(&id), "Secret.[noVer].[noGrp]/[noName].[noNs]");
    }
}
