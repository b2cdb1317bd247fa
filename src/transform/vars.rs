//! `vars` (deprecated in kustomize, still common): `$(NAME)` references in the
//! varReference fields, replaced at the very end of the top-level build by a
//! field of the object the var's `objref` names.
//!
//! As in kustomize v5.6.0: each level binds its vars to objects after its
//! transformers ran ([`declare`]), matching the objref's exact
//! group/version/kind/name against any id the objects had (and the namespace
//! when given); a var name may be declared once in a whole build. The values
//! are read from the final objects ([`resolve`]), keeping their type when a
//! reference is the whole string; `$$` is an escaped `$`, and unknown names,
//! mapping values and unterminated references stay as text.

use crate::fieldpath::{self, FieldPath, Step};
use crate::fieldspec::{Create, FieldSpec, walk_path};
use crate::resource::{Gvk, ResId, ResMap};
use crate::schema::Schema;
use crate::yaml::node::{Mapping, Node};
use std::borrow::Cow;
use std::collections::HashMap;

const DEFAULT_FIELD_PATH: &str = "metadata.name";

/// One `vars` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Var {
    pub name: String,
    pub objref: ObjRef,
    /// `fieldref.fieldPath` as written (empty: `metadata.name`).
    pub field_path: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjRef {
    pub api_version: String,
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

impl ObjRef {
    /// The type named: `apiVersion` wins over `group`/`version`.
    fn gvk(&self) -> Gvk {
        if self.api_version.is_empty() {
            Gvk {
                group: self.group.clone(),
                version: self.version.clone(),
                kind: self.kind.clone(),
            }
        } else {
            Gvk::from_api_version(&self.api_version, &self.kind)
        }
    }
}

impl Var {
    /// Reads one entry (strict, like the kustomization file).
    pub fn from_node(node: &Node) -> Result<Var, String> {
        let context = "Var";
        let map = as_map(node, context)?;
        check_known(map, &["name", "objref", "fieldref"])?;
        let objref = match get(map, "objref") {
            None => ObjRef::default(),
            Some(node) => {
                let r = as_map(node, "Target")?;
                check_known(
                    r,
                    &[
                        "apiVersion",
                        "group",
                        "version",
                        "kind",
                        "name",
                        "namespace",
                    ],
                )?;
                ObjRef {
                    api_version: string(r, "Target", "apiVersion")?,
                    group: string(r, "Target", "group")?,
                    version: string(r, "Target", "version")?,
                    kind: string(r, "Target", "kind")?,
                    name: string(r, "Target", "name")?,
                    namespace: string(r, "Target", "namespace")?,
                }
            }
        };
        let field_path = match get(map, "fieldref") {
            None => String::new(),
            Some(node) => {
                let r = as_map(node, "FieldSelector")?;
                check_known(r, &["fieldPath"])?;
                string(r, "FieldSelector", "fieldPath")?
            }
        };
        Ok(Var {
            name: string(map, context, "name")?,
            objref,
            field_path,
        })
    }

    fn field_path(&self) -> &str {
        if self.field_path.is_empty() {
            DEFAULT_FIELD_PATH
        } else {
            &self.field_path
        }
    }

    /// Go's `%v` of the var as written.
    fn raw_text(&self) -> String {
        let gvk = Gvk {
            group: self.objref.group.clone(),
            version: self.objref.version.clone(),
            kind: self.objref.kind.clone(),
        };
        format!("{{{} {} {{{}}}}}", self.name, gvk, self.field_path)
    }

    /// Go's `%v` of the var once its objref's `apiVersion` is read (and,
    /// when resolving, its field path defaulted).
    fn text(&self, defaulted: bool) -> String {
        let path = if defaulted {
            self.field_path()
        } else {
            &self.field_path
        };
        format!("{{{} {} {{{path}}}}}", self.name, self.objref.gvk())
    }
}

static EMPTY: std::sync::LazyLock<Mapping> = std::sync::LazyLock::new(Mapping::default);

fn as_map<'a>(node: &'a Node, context: &str) -> Result<&'a Mapping, String> {
    match node {
        Node::Map(map) => Ok(map),
        Node::Null(_) => Ok(&EMPTY),
        _ => Err(format!(
            "json: cannot unmarshal {} into Go value of type types.{context}",
            node.json_type()
        )),
    }
}

/// Go's JSON decoding matches field names case-insensitively.
fn get<'a>(map: &'a Mapping, field: &str) -> Option<&'a Node> {
    map.get(field)
        .or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(field))
                .map(|(_, v)| v)
        })
        .filter(|n| !n.is_null())
}

fn check_known(map: &Mapping, known: &[&str]) -> Result<(), String> {
    match map
        .keys()
        .find(|k| !known.iter().any(|n| n.eq_ignore_ascii_case(k)))
    {
        Some(k) => Err(format!("json: unknown field \"{k}\"")),
        None => Ok(()),
    }
}

fn string(map: &Mapping, context: &str, field: &str) -> Result<String, String> {
    match get(map, field) {
        None => Ok(String::new()),
        Some(Node::Str(s, _)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "json: cannot unmarshal {} into Go struct field {context}.{field} of type string",
            other.json_type()
        )),
    }
}

/// Adds the vars of a base (or component) to those already known; a name may
/// appear once.
pub fn merge(known: &mut Vec<Var>, incoming: &[Var]) -> Result<(), String> {
    for var in incoming {
        if known.iter().any(|v| v.name == var.name) {
            return Err(format!("var '{}' already encountered", var.name));
        }
        known.push(var.clone());
    }
    Ok(())
}

/// kustomize's `MergeVars`: binds this level's vars to the objects their
/// objref names (by any id they had), then adds them to `known`.
pub fn declare(
    known: &mut Vec<Var>,
    incoming: &[Var],
    resources: &mut ResMap,
    schema: &Schema,
) -> Result<(), String> {
    let in_context = |message: String| {
        let list: Vec<String> = incoming.iter().map(Var::raw_text).collect();
        format!("merging vars [{}]: {message}", list.join(" "))
    };
    for var in incoming {
        let gvk = var.objref.gvk();
        let with_namespace = !var.objref.namespace.is_empty() || schema.is_cluster_scoped(&gvk);
        let wanted = ResId::new(gvk, &var.objref.name, &var.objref.namespace);
        let matches = |id: &ResId| {
            id.gvk == wanted.gvk
                && id.name == wanted.name
                && (!with_namespace || id.namespace == wanted.namespace)
        };
        let matched: Vec<usize> = (0..resources.len())
            .filter(|&i| {
                let resource = resources.get(i);
                matches(&resource.cur_id(schema)) || resource.previous_ids.iter().any(matches)
            })
            .collect();
        match matched.as_slice() {
            [] => {}
            [one] => resources.get_mut(*one).var_names.push(var.name.clone()),
            many => {
                return Err(in_context(format!(
                    "found {} resId matches for var {} (unable to disambiguate)",
                    many.len(),
                    var.text(false)
                )));
            }
        }
    }
    merge(known, incoming).map_err(in_context)
}

/// Replaces `$(NAME)` references in the `var_reference` fields of every object.
pub fn resolve(
    resources: &mut ResMap,
    vars: &[Var],
    var_reference: &[FieldSpec],
) -> Result<(), String> {
    if vars.is_empty() {
        return Ok(());
    }
    let mut values: HashMap<String, Node> = HashMap::new();
    for var in vars {
        let holder = resources
            .iter()
            .find(|r| r.var_names.contains(&var.name))
            .ok_or_else(|| {
                format!(
                    "var '{}' cannot be mapped to a field in the set of known resources",
                    var.text(true)
                )
            })?;
        let value = fieldpath::lookup(&holder.node, &var_path(var.field_path()))
            .ok()
            .flatten()
            .and_then(var_value)
            .ok_or_else(|| {
                format!(
                    "field specified in var '{}' not found in corresponding resource",
                    var.text(true)
                )
            })?;
        let mut value = value.into_owned();
        value.unshare();
        values.insert(var.name.clone(), value);
    }
    for resource in resources.iter_mut() {
        let gvk = resource.gvk();
        let mut shared_writes = Vec::new();
        for spec in var_reference.iter().filter(|s| gvk.is_selected_by(&s.gvk)) {
            walk_path(
                &mut resource.node,
                &spec.path,
                Create::Nothing,
                &mut |node| substitute(node, &values, &mut shared_writes),
            )
            .map_err(|e| {
                let last = spec.path.last().map_or("", |s| s.field.as_str());
                format!(
                    "considering field '{}' of object {}: visit traversal on path: [{last}]: {e}",
                    spec.path_text(),
                    ResId::new(gvk.clone(), &resource.name(), &resource.namespace())
                )
            })?;
        }
        resource.write_shared(shared_writes);
    }
    Ok(())
}

/// A var's value as kustomize reads it: a scalar kept as written is its
/// text parsed as its type with Go's strconv (decimal only: `0x10` and
/// `1_000` are no value, `010` is ten); a date is its text.
fn var_value(node: &Node) -> Option<Cow<'_, Node>> {
    let Node::Str(text, style) = node else {
        return Some(Cow::Borrowed(node));
    };
    if !style.reads_typed() {
        return Some(Cow::Borrowed(node));
    }
    let value = match node.typed().as_ref() {
        Node::Int(_) | Node::UInt(_) => text
            .parse::<i64>()
            .map(Node::Int)
            .or_else(|_| text.parse::<u64>().map(Node::UInt))
            .ok()?,
        Node::Float(_) => Node::Float(text.parse::<f64>().ok().filter(|f| f.is_finite())?),
        Node::Bool(_) => Node::Bool(text.eq_ignore_ascii_case("true")),
        _ => Node::str(text.clone()),
    };
    Some(Cow::Owned(value))
}

/// A var's field path: kyaml's syntax, plus `name[0]` for list positions.
fn var_path(text: &str) -> FieldPath {
    let mut path = FieldPath::parse(text);
    let mut steps = Vec::with_capacity(path.steps.len());
    for step in path.steps {
        if let Step::Field(name) = &step
            && let Some(open) = name.rfind('[')
            && name.ends_with(']')
            && let Ok(index) = name[open + 1..name.len() - 1].parse::<usize>()
        {
            steps.push(Step::Field(name[..open].to_string()));
            steps.push(Step::Index(index));
            continue;
        }
        steps.push(step);
    }
    path.steps = steps;
    path
}

/// Expands the references in the strings at `node`, noting the shared
/// values (see `yaml::node::Shared`) it changed: kustomize changes them in
/// place, in every field holding them.
fn substitute(
    node: &mut Node,
    values: &HashMap<String, Node>,
    shared_writes: &mut Vec<(u32, Node)>,
) -> Result<(), String> {
    let mut expand_string = |node: &mut Node| {
        let Node::Str(text, _) = node else {
            return;
        };
        let expanded = expand(text, values);
        match node.shared_id() {
            Some(id) if expanded != *node => {
                *node = expanded.sharing(id);
                shared_writes.push((id, node.clone()));
            }
            Some(_) => {}
            None => *node = expanded,
        }
    };
    match node {
        Node::Str(..) => expand_string(node),
        Node::Map(map) => map.values_mut().for_each(expand_string),
        Node::Seq(items) => {
            for item in items {
                if !matches!(item, Node::Str(..)) {
                    return Err("invalid value type expect a string".into());
                }
                expand_string(item);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The value a reference stands for: scalars only; anything else stays a reference.
fn lookup_scalar<'a>(name: &str, values: &'a HashMap<String, Node>) -> Option<&'a Node> {
    values
        .get(name)
        .filter(|v| !matches!(v, Node::Map(_) | Node::Seq(_) | Node::Null(_)))
}

/// Kubernetes' `$(VAR)` expansion as kustomize forks it: a string that is one
/// whole reference takes the value with its type.
fn expand(input: &str, values: &HashMap<String, Node>) -> Node {
    let bytes = input.as_bytes();
    let mut out = String::new();
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < bytes.len() {
        if bytes[cursor] == b'$' && cursor + 1 < bytes.len() {
            out.push_str(&input[checkpoint..cursor]);
            let rest = &input[cursor + 1..];
            let advance = match rest.as_bytes()[0] {
                b'$' => {
                    out.push('$');
                    1
                }
                b'(' => match rest.find(')') {
                    Some(close) => {
                        let name = &rest[1..close];
                        let value = lookup_scalar(name, values);
                        if input.len() == name.len() + 3 {
                            return value.cloned().unwrap_or_else(|| Node::str(input));
                        }
                        match value.and_then(Node::scalar_text) {
                            Some(text) => out.push_str(&text),
                            None => {
                                out.push_str("$(");
                                out.push_str(name);
                                out.push(')');
                            }
                        }
                        close + 1
                    }
                    None => {
                        out.push_str("$(");
                        1
                    }
                },
                _ => {
                    let c = rest.chars().next().expect("not empty");
                    out.push('$');
                    out.push(c);
                    c.len_utf8()
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    out.push_str(&input[checkpoint.min(input.len())..]);
    Node::str(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> HashMap<String, Node> {
        HashMap::from([
            ("SVC".to_string(), Node::str("db")),
            ("PORT".to_string(), Node::Int(5432)),
            ("MAP".to_string(), Node::Map(Mapping::default())),
        ])
    }

    #[test]
    fn expands_like_kubernetes() {
        let v = values();
        assert_eq!(expand("$(SVC)", &v), Node::str("db"));
        assert_eq!(expand("$(PORT)", &v), Node::Int(5432));
        assert_eq!(expand("a$(PORT)b", &v), Node::str("a5432b"));
        assert_eq!(expand("$$(SVC)", &v), Node::str("$(SVC)"));
        assert_eq!(expand("$(NOPE) $(SVC", &v), Node::str("$(NOPE) $(SVC"));
        assert_eq!(expand("$(MAP)", &v), Node::str("$(MAP)"));
        assert_eq!(expand("$x$", &v), Node::str("$x$"));
        assert_eq!(expand("é$é", &v), Node::str("é$é"));
    }

    #[test]
    fn var_text_is_gos() {
        let var = Var {
            name: "X".into(),
            objref: ObjRef {
                api_version: "v1".into(),
                kind: "Service".into(),
                ..Default::default()
            },
            field_path: String::new(),
        };
        assert_eq!(var.raw_text(), "{X Service.[noVer].[noGrp] {}}");
        assert_eq!(var.text(false), "{X Service.v1.[noGrp] {}}");
        assert_eq!(var.text(true), "{X Service.v1.[noGrp] {metadata.name}}");
    }

    /// The varReference specs are a parameter: a custom kind's field is
    /// substituted only when the caller's specs name it.
    #[test]
    fn substitutes_in_the_given_fields_only() {
        use crate::resource::Resource;
        use crate::yaml::parse::parse_single;
        let schema = Schema::builtin();
        let mut resources = ResMap::new();
        for text in [
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n",
            "apiVersion: example.com/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  target: $(DB)\n  other: $(DB)\n",
        ] {
            let resource = Resource::new(parse_single(text).unwrap());
            resources.append(resource, &schema).unwrap();
        }
        let var = Var::from_node(
            &parse_single("name: DB\nobjref: {kind: Service, name: db, apiVersion: v1}\n").unwrap(),
        )
        .unwrap();
        let mut known = Vec::new();
        declare(&mut known, &[var], &mut resources, &schema).unwrap();
        let spec =
            FieldSpec::from_node(&parse_single("kind: Job\npath: spec/target\n").unwrap()).unwrap();
        resolve(&mut resources, &known, &[spec]).unwrap();
        let job = &resources.get(1).node;
        assert_eq!(job.str_at(&["spec", "target"]), Some("db"));
        assert_eq!(job.str_at(&["spec", "other"]), Some("$(DB)"));
    }

    #[test]
    fn var_paths_take_bracketed_positions() {
        assert_eq!(
            var_path("spec.ports[0].port").steps,
            [
                Step::Field("spec".into()),
                Step::Field("ports".into()),
                Step::Index(0),
                Step::Field("port".into()),
            ]
        );
    }
}
