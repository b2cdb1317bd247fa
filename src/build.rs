//! The build pipeline, top to bottom:
//! load → accumulate resources → generate → transform → hash names →
//! fix name references → sort → emit.

use crate::accumulator::Accumulator;
use crate::builtin::{Context, Generator, PluginError, Transformer, run_transformers};
use crate::cache::{BuildCache, BuiltBase};
use crate::error::{Error, ErrorKind, Result};
use crate::generate::{self, hash::name_hash};
use crate::kustomization::{Kustomization, SortOptions};
use crate::loader::{LoadRestrictor, Loader};
use crate::origin::{
    BuildMetadata, ConfiguredBy, ORIGIN_ANNOTATION, Origin, TRANSFORMATIONS_ANNOTATION, set_origin,
    transformations_annotation,
};
use crate::resource::{Behavior, ResId, ResMap, Resource};
use crate::schema::Schema;
use crate::tables;
use crate::transform::{name_reference, sort::LegacyOrder, vars};
use crate::yaml::emit::write_document;
use crate::yaml::gojson;
use crate::yaml::node::{Node, StrStyle};
use crate::yaml::parse::{parse_kustomization, parse_stream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Resource order when the kustomization does not say (`--reorder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reorder {
    #[default]
    Legacy,
    None,
}

/// Build settings (the `build` command's flags).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub load_restrictor: LoadRestrictor,
    pub reorder: Reorder,
    /// Adds `app.kubernetes.io/managed-by` to every object.
    pub add_managed_by_label: bool,
}

/// The label value kustomize (as built into kubectl, the reference) writes.
pub const MANAGED_BY_VALUE: &str = "kustomize-(devel)";

/// A finished build: the objects in output order and deprecation warnings.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub resources: Vec<Resource>,
    pub warnings: Vec<String>,
    /// The build's schema (its `openapi`), which says what is cluster
    /// scoped; `None` stands for the built-in one.
    pub schema: Option<Arc<Schema>>,
}

impl Output {
    /// The schema the build ended with.
    pub fn schema(&self) -> Arc<Schema> {
        self.schema.clone().unwrap_or_else(Schema::builtin)
    }

    /// The multi-document YAML kustomize prints.
    pub fn to_yaml(&self) -> Result<String> {
        let mut out = String::new();
        for (i, resource) in self.resources.iter().enumerate() {
            if i > 0 {
                out.push_str("---\n");
            }
            write_document(&resource.node, &mut out).map_err(|e| {
                let id = ResId::new(resource.gvk(), &resource.name(), &resource.namespace());
                Error::new(ErrorKind::Emit {
                    resource: id.to_string(),
                    message: e.message,
                })
            })?;
        }
        Ok(out)
    }
}

/// Builds the kustomization in `dir`.
pub fn build(dir: &Path, options: &BuildOptions) -> Result<Output> {
    build_with_cache(dir, options, None)
}

/// Builds the kustomization in `dir`, taking built bases from `cache` and
/// adding the ones it builds (`render` shares one cache between roots).
/// The output equals `build`'s.
pub fn build_with_cache(
    dir: &Path,
    options: &BuildOptions,
    cache: Option<&BuildCache>,
) -> Result<Output> {
    let mut builder = Builder {
        schema: Schema::builtin(),
        schema_chosen: false,
        schema_consulted: false,
        schema_uses: 0,
        stack: Vec::new(),
        entered: Vec::new(),
        warnings: Vec::new(),
        cache,
        restrictor: options.load_restrictor,
        metadata: BuildMetadata::default(),
        origin_dir: String::new(),
    };
    let loader = Loader::new(dir, options.load_restrictor)?;
    let (accumulated, kustomization, kustomization_file) =
        builder.accumulate(&loader, Role::Root)?;
    let at_top = |e: Error| e.in_kustomization(&kustomization_file);
    let Accumulator {
        mut resources,
        specs,
        vars,
    } = accumulated;
    let schema = &builder.schema;

    add_hash_suffixes(&mut resources, schema).map_err(at_top)?;
    name_reference::apply(&mut resources, &specs, schema).map_err(at_top)?;
    vars::resolve(&mut resources, &vars, &specs.var_reference)
        .map_err(|m| at_top(Error::transform(m)))?;
    let mut list: Vec<Resource> = resources
        .into_vec()
        .into_iter()
        .filter(|r| !is_local_config(r))
        .collect();
    let metadata = builder.metadata;
    for resource in &mut list {
        finish(resource, options, &metadata);
        // kustomize fails converting such an object to write it.
        if resource.mistyped
            && let Some(message) = resource.node.mistyped_error()
        {
            return Err(at_top(Error::transform(message)));
        }
    }
    match (&kustomization.sort_options, options.reorder) {
        (Some(SortOptions::Fifo), _) | (None, Reorder::None) => {}
        (
            Some(SortOptions::Legacy {
                order_first,
                order_last,
            }),
            _,
        ) => {
            LegacyOrder::new(order_first.clone(), order_last.clone()).sort(&mut list);
        }
        (None, Reorder::Legacy) => LegacyOrder::default().sort(&mut list),
    }
    Ok(Output {
        resources: list,
        warnings: builder.warnings,
        schema: Some(builder.schema),
    })
}

/// Generated ConfigMaps and Secrets get `-<hash>` names, computed over their final data.
pub(crate) fn add_hash_suffixes(resources: &mut ResMap, schema: &Schema) -> Result<()> {
    for resource in resources.iter_mut() {
        if resource.generated && resource.needs_hash {
            let hash = name_hash(&resource.node);
            resource.store_previous_id(schema);
            let name = format!("{}-{hash}", resource.name());
            resource.set_name(&name);
        }
    }
    resources.reindex(schema).map_err(|id| {
        Error::conflict(format!(
            "two objects have the id {id} after adding name hashes"
        ))
    })
}

fn is_local_config(resource: &Resource) -> bool {
    resource
        .annotations()
        .and_then(|a| a.get("config.kubernetes.io/local-config"))
        .and_then(Node::as_str)
        == Some("true")
}

/// Last touches before output: optional managed-by label and origin
/// annotations (any the input carried are dropped, as kustomize drops them);
/// null or empty annotations removed, as kustomize's internal-annotation
/// cleanup does.
fn finish(resource: &mut Resource, options: &BuildOptions, metadata: &BuildMetadata) {
    write_origin_annotations(resource, metadata);
    if options.add_managed_by_label || metadata.managed_by_label {
        let labels = resource.metadata_mut().map_entry("labels");
        if let Some(map) = labels.as_map_mut() {
            map.insert(
                "app.kubernetes.io/managed-by".into(),
                Node::str(MANAGED_BY_VALUE),
            );
        }
    }
    if let Some(metadata) = resource.node.get_mut("metadata").and_then(Node::as_map_mut) {
        // kustomize rewrites the annotations as it removes its build
        // annotations: folded values lose their style before being refolded.
        if let Some(Node::Map(annotations)) = metadata.get_mut("annotations") {
            for value in annotations.values_mut() {
                if let Node::Str(_, style @ StrStyle::Folded) = value {
                    *style = StrStyle::Quoted;
                }
            }
        }
        let empty = match metadata.get("annotations") {
            Some(Node::Null(_)) => true,
            Some(Node::Map(m)) => m.is_empty(),
            _ => false,
        };
        if empty {
            metadata.shift_remove("annotations");
        }
    }
}

fn write_origin_annotations(resource: &mut Resource, metadata: &BuildMetadata) {
    let origin = resource
        .origin
        .as_deref()
        .filter(|_| metadata.origin_annotations)
        .map(Origin::annotation);
    let transformations = Some(&resource.transformations)
        .filter(|t| metadata.transformer_annotations && !t.is_empty())
        .map(|t| transformations_annotation(t));
    let has_annotation = |key: &str| resource.annotations().is_some_and(|a| a.contains_key(key));
    let stale = has_annotation(ORIGIN_ANNOTATION) || has_annotation(TRANSFORMATIONS_ANNOTATION);
    if !stale && origin.is_none() && transformations.is_none() {
        return;
    }
    let annotations = resource.metadata_mut().map_entry("annotations");
    if annotations.is_null() {
        *annotations = Node::Map(Default::default());
    }
    let Some(map) = annotations.as_map_mut() else {
        return;
    };
    map.shift_remove(ORIGIN_ANNOTATION);
    map.shift_remove(TRANSFORMATIONS_ANNOTATION);
    if let Some(text) = origin {
        map.insert(ORIGIN_ANNOTATION.into(), Node::str(text));
    }
    if let Some(text) = transformations {
        map.insert(TRANSFORMATIONS_ANNOTATION.into(), Node::str(text));
    }
}

/// How a kustomization directory was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The directory being built: a Kustomization or a Component.
    Root,
    /// A `resources` entry: must not be a Component.
    Base,
    /// A `components` entry: must be a Component.
    Component,
}

struct Builder<'a> {
    /// The merge schema and cluster scope. One per build, as in kustomize
    /// (not per level): a later `openapi` field replaces it only while no
    /// kustomization has chosen one yet.
    schema: Arc<Schema>,
    /// Whether a kustomization's `openapi` field has set `schema`.
    schema_chosen: bool,
    /// Whether the build has looked types up in the schema yet (objects of
    /// types outside the built-in tables, strategic merge patches): kyaml
    /// then has the built-in schema loaded, and a custom one adds to it.
    schema_consulted: bool,
    /// How many times it was (to tell what one base's build did).
    schema_uses: u64,
    /// Kustomization directories being built, outermost first (cycle detection).
    stack: Vec<PathBuf>,
    /// Every kustomization directory entered so far, in order (what a
    /// cached base's build entered, see `BuiltBase::roots`).
    entered: Vec<PathBuf>,
    warnings: Vec<String>,
    cache: Option<&'a BuildCache>,
    restrictor: LoadRestrictor,
    /// The top kustomization's `buildMetadata`, in force at every level.
    metadata: BuildMetadata,
    /// Where origins are being tracked: the directory being built, relative
    /// to the top one (empty there), as kustomize joins it.
    origin_dir: String,
}

impl Builder<'_> {
    /// Builds one kustomization directory without the top-level-only steps.
    fn accumulate(
        &mut self,
        loader: &Loader,
        role: Role,
    ) -> Result<(Accumulator, Kustomization, PathBuf)> {
        let mut acc = Accumulator::new();
        let (k, file) = self.accumulate_into(loader, role, &mut acc)?;
        Ok((acc, k, file))
    }

    /// Builds a kustomization directory into `acc`: a fresh accumulator for
    /// a root or a base, the parent's for a component.
    fn accumulate_into(
        &mut self,
        loader: &Loader,
        role: Role,
        acc: &mut Accumulator,
    ) -> Result<(Kustomization, PathBuf)> {
        // Chains of bases have no depth limit.
        crate::stack::guard(|| self.accumulate_into_here(loader, role, acc))
    }

    fn accumulate_into_here(
        &mut self,
        loader: &Loader,
        role: Role,
        acc: &mut Accumulator,
    ) -> Result<(Kustomization, PathBuf)> {
        let root = loader.root().to_path_buf();
        self.check_cycle(&root)?;
        let file = loader.kustomization_file()?;
        self.entered.push(root.clone());
        self.stack.push(root);
        let result = self
            .read_kustomization(&file, role)
            .and_then(|k| {
                self.accumulate_target(loader, &k, &file, acc)?;
                Ok(k)
            })
            .map_err(|e| e.in_kustomization(&file));
        self.stack.pop();
        result.map(|k| (k, file))
    }

    /// As kustomize: a directory that is, or contains, one of the
    /// kustomizations being built would include that one again.
    fn check_cycle(&self, dir: &Path) -> Result<()> {
        match self.stack.iter().find(|visited| visited.starts_with(dir)) {
            Some(visited) => Err(Error::new(ErrorKind::Cycle {
                dir: dir.to_path_buf(),
                visited: visited.clone(),
            })),
            None => Ok(()),
        }
    }

    fn read_kustomization(&mut self, file: &Path, role: Role) -> Result<Kustomization> {
        let text = crate::loader::read_file_text(file)?;
        let node = parse_kustomization(&text).map_err(|e| Error::yaml(file, e))?;
        let k = Kustomization::from_node(&node).map_err(|m| Error::kustomization(file, m))?;
        let dir = file.parent().unwrap_or(file).display();
        match role {
            Role::Base if k.is_component => {
                return Err(Error::kustomization(
                    file,
                    format!(
                        "expected kind != 'Component' for path '{dir}' (a Component belongs under 'components', not 'resources')"
                    ),
                ));
            }
            Role::Component if !k.is_component => {
                return Err(Error::kustomization(
                    file,
                    format!(
                        "expected kind 'Component' for path '{dir}' but got 'Kustomization' (a Kustomization belongs under 'resources')"
                    ),
                ));
            }
            _ => {}
        }
        if role == Role::Root {
            self.metadata = k.build_metadata;
        }
        self.warn_deprecated(&k);
        Ok(k)
    }

    /// One level, in kustomize's order: resources, generators, components,
    /// transformers.
    fn accumulate_target(
        &mut self,
        loader: &Loader,
        k: &Kustomization,
        file: &Path,
        acc: &mut Accumulator,
    ) -> Result<()> {
        self.choose_schema(k, loader)?;
        for entry in &k.resources {
            self.accumulate_entry(loader, entry, acc)?;
        }
        let builtin = Schema::builtin();
        self.note_schema_use(
            acc.resources
                .iter()
                .any(|r| !builtin.knows(r.api_version(), r.kind())),
        );
        let own_specs = tables::configured_field_specs(loader, &k.configurations)?;
        acc.merge_specs(&own_specs)
            .map_err(|m| tables_error(loader.root(), m))?;
        if let Some(crd_specs) = tables::crd_field_specs(loader, &k.crds)? {
            acc.merge_specs(&crd_specs)
                .map_err(|m| tables_error(loader.root(), m))?;
        }
        // Generators and transformers configured by this file's fields.
        let configured_in = self.tracked_path(file_name(file));
        self.generate(k, loader, configured_in.as_deref(), &mut acc.resources)?;
        for entry in &k.components {
            self.accumulate_component(loader, entry, acc)?;
        }
        self.note_schema_use(!k.patches.is_empty() || !k.patches_strategic_merge.is_empty());
        self.transform(k, loader, configured_in.as_deref(), acc)?;
        self.validate(k, loader, configured_in.as_deref(), acc)?;
        vars::declare(&mut acc.vars, &k.vars, &mut acc.resources, &self.schema)
            .map_err(Error::transform)
    }

    /// A component works on its parent's accumulator: its resources join the
    /// parent's and its transformers see everything accumulated so far.
    fn accumulate_component(
        &mut self,
        loader: &Loader,
        entry: &str,
        acc: &mut Accumulator,
    ) -> Result<()> {
        let path = loader.join(entry);
        if path.is_dir() {
            refuse_absolute_root(entry, &path)?;
        } else {
            let why = if path.exists() {
                format!("'{}': file is not directory", path.display())
            } else {
                format!("not a valid directory: '{}' does not exist", path.display())
            };
            return Err(Error::new(ErrorKind::InvalidResource {
                path,
                message: format!(
                    "components entry '{entry}': must build at directory: {why} (a component is a directory with a kustomization of kind Component)"
                ),
            }));
        }
        let child = loader.child(&path)?;
        let outer = self.enter_origin_dir(entry);
        let result = self.accumulate_into(&child, Role::Component, acc);
        self.origin_dir = outer;
        result.map(|_| ())
    }

    fn note_schema_use(&mut self, used: bool) {
        if used {
            self.schema_consulted = true;
            self.schema_uses += 1;
        }
    }

    /// kustomize keeps one schema per build: the top kustomization's
    /// `openapi`, else the first one met while building (in build order),
    /// in effect from then on.
    fn choose_schema(&mut self, k: &Kustomization, loader: &Loader) -> Result<()> {
        let is_top = self.stack.len() == 1;
        if self.schema_chosen && !is_top {
            return Ok(());
        }
        let Some(openapi) = &k.openapi else {
            return Ok(());
        };
        let path = openapi.path.as_deref();
        let version = openapi.version.as_deref().filter(|v| !v.is_empty());
        if path.is_none() && version.is_none() {
            return Ok(());
        }
        self.schema = tables::openapi_schema(loader, path, version, self.schema_consulted)?;
        self.schema_chosen = true;
        Ok(())
    }

    fn warn_deprecated(&mut self, k: &Kustomization) {
        let mut warn = |field: &str, instead: &str| {
            let message = format!(
                "# Warning: '{field}' is deprecated. Please use '{instead}' instead. Run 'kustomize edit fix' to update your Kustomization automatically."
            );
            if !self.warnings.contains(&message) {
                self.warnings.push(message);
            }
        };
        if k.uses_bases {
            warn("bases", "resources");
        }
        if k.uses_image_tags {
            warn("imageTags", "images");
        }
        if !k.common_labels.is_empty() {
            warn("commonLabels", "labels");
        }
        if !k.patches_json6902.is_empty() {
            warn("patchesJson6902", "patches");
        }
        if !k.patches_strategic_merge.is_empty() {
            warn("patchesStrategicMerge", "patches");
        }
        if !k.vars.is_empty() {
            let message = "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.".to_string();
            if !self.warnings.contains(&message) {
                self.warnings.push(message);
            }
        }
    }

    fn accumulate_entry(
        &mut self,
        loader: &Loader,
        entry: &str,
        acc: &mut Accumulator,
    ) -> Result<()> {
        let path = loader.join(entry);
        if path.is_dir() {
            refuse_absolute_root(entry, &path)?;
            let child = loader.child(&path)?;
            let outer = self.enter_origin_dir(entry);
            let result = self.accumulate_base(&child, acc);
            self.origin_dir = outer;
            return result;
        }
        if let Err(source) = std::fs::metadata(&path) {
            let looks_remote = entry.contains("://")
                || entry.contains("?ref=")
                || ["git@", "github.com/", "gitlab.com/", "bitbucket.org/"]
                    .iter()
                    .any(|host| entry.starts_with(host));
            return Err(Error::new(ErrorKind::MissingResource {
                path,
                source,
                looks_remote,
            }));
        }
        let (resolved, text) = loader.read_text(entry)?;
        let origin = self.tracked_path(entry).map(Origin::file);
        for mut resource in resources_from_text(&resolved, &text)? {
            if let Some(origin) = &origin {
                set_origin(&mut resource, origin.clone());
            }
            acc.append(resource, &self.schema)?;
        }
        Ok(())
    }

    /// `path` relative to the top kustomization, when the build tracks origins.
    fn tracked_path(&self, path: &str) -> Option<String> {
        self.metadata
            .track
            .then(|| crate::origin::join(&self.origin_dir, path))
    }

    /// Moves the tracked directory into `entry`; returns the one to go back to.
    fn enter_origin_dir(&mut self, entry: &str) -> String {
        match self.tracked_path(entry) {
            Some(inner) => std::mem::replace(&mut self.origin_dir, inner),
            None => self.origin_dir.clone(),
        }
    }

    /// A `resources` directory: built fresh, or taken from the render cache.
    fn accumulate_base(&mut self, child: &Loader, acc: &mut Accumulator) -> Result<()> {
        // A base's result depends on the schema it starts with: only bases
        // built before any `openapi` took effect, and choosing none
        // themselves, are shared; origins depend on the way in.
        if let Some(cache) = self
            .cache
            .filter(|_| !self.schema_chosen && !self.metadata.track)
        {
            let base = self.cached_base(child, cache)?;
            for warning in &base.warnings {
                if !self.warnings.contains(warning) {
                    self.warnings.push(warning.clone());
                }
            }
            self.note_schema_use(base.consulted_schema);
            return acc.absorb(base.accumulated.clone(), child.root(), &self.schema);
        }
        let (base, _, _) = self.accumulate(child, Role::Base)?;
        acc.absorb(base, child.root(), &self.schema)
    }

    /// A base from the cache, or built (with its own warning list) and stored.
    fn cached_base(&mut self, loader: &Loader, cache: &BuildCache) -> Result<Arc<BuiltBase>> {
        if let Some(base) = cache.base(loader.root(), self.restrictor) {
            // A cycle through the current chain: built again, so that the
            // error names where it closes.
            if base.roots.iter().all(|root| self.check_cycle(root).is_ok()) {
                self.entered.extend(base.roots.iter().cloned());
                return Ok(base);
            }
        }
        let outer_warnings = std::mem::take(&mut self.warnings);
        let uses_before = self.schema_uses;
        let entered_before = self.entered.len();
        let built = self.accumulate(loader, Role::Base);
        let warnings = std::mem::replace(&mut self.warnings, outer_warnings);
        let consulted_schema = self.schema_uses != uses_before;
        let (accumulated, _, _) = built?;
        let base = BuiltBase {
            accumulated,
            warnings,
            consulted_schema,
            roots: self.entered[entered_before..].to_vec(),
        };
        // Its result depends on what was built before it (see `choose_schema`).
        if self.schema_chosen {
            return Ok(Arc::new(base));
        }
        Ok(cache.store_base(loader.root(), self.restrictor, base))
    }

    fn generate(
        &mut self,
        k: &Kustomization,
        loader: &Loader,
        configured_in: Option<&str>,
        resources: &mut ResMap,
    ) -> Result<()> {
        // kustomize configures its helm generator before any generator runs.
        if let Some(chart) = k.helm_charts.first() {
            let mut config = String::new();
            write_document(chart, &mut config).map_err(|e| Error::transform(e.message))?;
            return Err(Error::kustomization_plugin(format!(
                "trouble configuring builtin HelmChartInflationGenerator with config: `\n{config}`: must specify --enable-helm"
            )));
        }
        let mut generators: Vec<(Generator, Option<Origin>)> = Generator::from_kustomization(k)
            .into_iter()
            .map(|generator| {
                let origin = configured_in.map(|file| {
                    Origin::configured(file.into(), ConfiguredBy::builtin(generator.kind()))
                });
                (generator, origin)
            })
            .collect();
        for config in self.plugin_configs(loader, &k.generators, configured_in)? {
            generators.push((
                Generator::from_config(&config.node)
                    .map_err(|m| self.plugin_error(&config, m, "generator"))?,
                Origin::of_config(&config),
            ));
        }
        for (generator, origin) in generators {
            for mut generated in generator.generate(loader)? {
                if let Some(origin) = origin.clone().filter(|_| generated.origin.is_none()) {
                    set_origin(&mut generated, origin);
                }
                absorb(resources, generated, &self.schema)?;
            }
        }
        Ok(())
    }

    fn transform(
        &mut self,
        k: &Kustomization,
        loader: &Loader,
        configured_in: Option<&str>,
        acc: &mut Accumulator,
    ) -> Result<()> {
        let mut transformers: Vec<(Transformer, Option<Origin>)> =
            Transformer::from_kustomization(k, &acc.specs)?
                .into_iter()
                .map(|transformer| {
                    let origin =
                        configured_in
                            .zip(transformer.field_kind(k))
                            .map(|(file, kind)| {
                                Origin::configured(file.into(), ConfiguredBy::builtin(kind))
                            });
                    (transformer, origin)
                })
                .collect();
        for config in self.plugin_configs(loader, &k.transformers, configured_in)? {
            transformers.push((
                Transformer::from_config(&config.node)
                    .map_err(|m| self.plugin_error(&config, m, "transformer"))?,
                Origin::of_config(&config),
            ));
        }
        let cx = Context {
            loader,
            specs: &acc.specs,
            schema: &self.schema,
        };
        run_transformers(&transformers, &mut acc.resources, &cx)
    }

    /// `validators`: transformer configs that run last and may change
    /// nothing but the `validated-by` label, which stays (external ones are
    /// refused like any external plugin).
    fn validate(
        &mut self,
        k: &Kustomization,
        loader: &Loader,
        configured_in: Option<&str>,
        acc: &mut Accumulator,
    ) -> Result<()> {
        for config in self.plugin_configs(loader, &k.validators, configured_in)? {
            let validator = Transformer::from_config(&config.node)
                .map_err(|m| self.plugin_error(&config, m, "transformer"))?;
            let before: Vec<Node> = acc.resources.iter().map(|r| r.node.clone()).collect();
            let cx = Context {
                loader,
                specs: &acc.specs,
                schema: &self.schema,
            };
            run_transformers(&[(validator, None)], &mut acc.resources, &cx)?;
            let after = acc.resources.iter().map(|r| without_validated_by(&r.node));
            // Built-in transformers never add or drop objects.
            let changed = before.iter().zip(after).find(|(old, new)| *old != new);
            if let Some((old, new)) = changed {
                return Err(Error::transform(format!(
                    "validator shouldn't modify the resource map: nodes unequal: \n -- {},\n -- {}\n",
                    go_json(old),
                    go_json(&new)
                )));
            }
        }
        Ok(())
    }

    /// The plugin configs of `generators:` or `transformers:` entries: inline
    /// YAML first, then files and kustomization directories (built like bases).
    /// Inline configs come from `configured_in` (the kustomization file) when
    /// the build tracks origins.
    fn plugin_configs(
        &mut self,
        loader: &Loader,
        entries: &[String],
        configured_in: Option<&str>,
    ) -> Result<Vec<Resource>> {
        let mut configs = Accumulator::new();
        let mut paths = Vec::new();
        for entry in entries {
            let is_inline = parse_stream(entry)
                .is_ok_and(|docs| docs.iter().any(|d| matches!(d, Node::Map(_))));
            if is_inline {
                let source = loader.root().join("<inline plugin config>");
                for mut config in resources_from_text(&source, entry)? {
                    if let Some(file) = configured_in {
                        set_origin(&mut config, Origin::file(file.into()));
                    }
                    configs.append(config, &self.schema)?;
                }
            } else {
                paths.push(entry);
            }
        }
        for path in paths {
            self.accumulate_entry(loader, path, &mut configs)?;
        }
        let configs = configs.resources.into_vec();
        if let Some(external) = configs.iter().find(|c| c.api_version() != "builtin") {
            return Err(Error::kustomization_plugin(format!(
                "external plugins disabled; unable to load external plugin '{}' ({}): exec, container (KRM function) and Go plugins run code, which rustomize does not support",
                external.kind(),
                external.cur_id(&self.schema),
            )));
        }
        Ok(configs)
    }

    fn plugin_error(&self, config: &Resource, error: PluginError, role: &str) -> Error {
        let id = config.cur_id(&self.schema);
        match error {
            PluginError::Unknown => Error::kustomization_plugin(format!(
                "unable to load builtin {}.builtin.[noGrp]",
                config.kind()
            )),
            PluginError::WrongRole => {
                Error::kustomization_plugin(format!("plugin {id} not a {role}"))
            }
            PluginError::Helm => Error::kustomization_plugin(format!(
                "loading generator plugins: failed to load generator: plugin {id} fails configuration: must specify --enable-helm"
            )),
            PluginError::Config(message) => {
                Error::kustomization_plugin(format!("plugin {id} fails configuration: {message}"))
            }
        }
    }
}

/// JSON as Go prints a map: keys sorted.
fn go_json(node: &Node) -> String {
    fn sort(value: serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<_> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sort(v))).collect())
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(sort).collect())
            }
            other => other,
        }
    }
    crate::stack::for_whole_tree(|| sort(node.to_json()).to_string())
}

/// An object without the label validators may add.
fn without_validated_by(node: &Node) -> Node {
    let mut node = node.clone();
    if let Some(metadata) = node.get_mut("metadata").and_then(Node::as_map_mut)
        && let Some(labels) = metadata.get_mut("labels").and_then(Node::as_map_mut)
    {
        labels.shift_remove("validated-by");
        if labels.is_empty() {
            metadata.shift_remove("labels");
        }
    }
    node
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}

/// kustomize reads an absolute path as a file only: a kustomization
/// directory must be given relative to the one listing it.
fn refuse_absolute_root(entry: &str, dir: &Path) -> Result<()> {
    if !Path::new(entry).is_absolute() {
        return Ok(());
    }
    Err(Error::new(ErrorKind::InvalidResource {
        path: dir.to_path_buf(),
        message: format!(
            "new root '{}' cannot be absolute (a kustomization directory is listed by a relative path)",
            dir.display()
        ),
    }))
}

fn tables_error(root: &Path, message: String) -> Error {
    Error::new(ErrorKind::FieldSpecs {
        path: root.to_path_buf(),
        message,
    })
}

/// Adds a generated object, merging into or replacing an existing one as its
/// behavior says.
fn absorb(resources: &mut ResMap, generated: Resource, schema: &Schema) -> Result<()> {
    let id = generated.cur_id(schema);
    let matches = resources.with_any_id(&id);
    match (matches.as_slice(), generated.behavior) {
        ([], Behavior::Create) => resources.append(generated, schema).map_err(|r| {
            Error::conflict(format!(
                "may not add resource with an already registered id: {}",
                r.cur_id(schema)
            ))
        }),
        ([], _) => Err(Error::conflict(format!(
            "id {id} does not exist; cannot merge or replace"
        ))),
        ([index], Behavior::Merge | Behavior::Replace) => {
            let combined = generate::combine(resources.get(*index), generated);
            *resources.edit(*index) = combined;
            resources.refresh(schema).map_err(|id| {
                Error::conflict(format!("id {id} is duplicated after a generator merge"))
            })
        }
        ([_], Behavior::Create) => Err(Error::conflict(format!(
            "id {id} exists; behavior must be merge or replace"
        ))),
        (_, _) => Err(Error::conflict(format!(
            "found multiple objects that could accept merge of {id}"
        ))),
    }
}

/// Reads the objects of one resource file: documents, with `*List` items expanded.
pub fn resources_from_text(path: &Path, text: &str) -> Result<Vec<Resource>> {
    let docs = parse_stream(text).map_err(|e| Error::yaml(path, e))?;
    let docs: Vec<Node> = docs.into_iter().filter(|d| !d.is_null()).collect();
    let invalid = |message: String| {
        Error::new(ErrorKind::InvalidResource {
            path: path.to_path_buf(),
            message,
        })
    };
    let mut queue = std::collections::VecDeque::new();
    for doc in docs {
        if !matches!(doc, Node::Map(_)) {
            return Err(invalid(format!(
                "expected a mapping (an object) but found {}",
                doc.scalar_text()
                    .map(|t| format!("'{t}'"))
                    .unwrap_or_else(|| "a list".into())
            )));
        }
        queue.push_back((doc, true));
    }
    // kyaml unwraps a lone top-level `kind: List` itself; kustomize inlines
    // the items of every other list through JSON.
    let single_document = !text.contains("\n---\n");
    // As in kustomize, a list's items join the end of the queue, so nested
    // lists expand too; a `*List` without `items` is an object of its own.
    let mut objects = Vec::new();
    while let Some((object, top_level)) = queue.pop_front() {
        let Node::Map(_) = object else {
            return Err(invalid("a List item is not an object".into()));
        };
        let kind = object.str_at(&["kind"]).unwrap_or("");
        let is_list_kind = kind.ends_with("List");
        match object.get("items") {
            Some(Node::Seq(items)) if is_list_kind => {
                let native = top_level && single_document && kind == "List";
                queue.extend(items.iter().cloned().map(|mut item| {
                    if !native {
                        gojson::through_json_text(&mut item);
                    }
                    (item, false)
                }));
                continue;
            }
            Some(Node::Null(_)) if is_list_kind => continue,
            Some(other) if is_list_kind => {
                return Err(invalid(format!(
                    "expected array in {kind}/items, but found {}",
                    match other {
                        Node::Map(_) => "a mapping",
                        _ => "a scalar",
                    }
                )));
            }
            _ => {}
        }
        objects.push(object);
    }
    objects
        .into_iter()
        .map(|mut object| {
            let kind = object.str_at(&["kind"]).unwrap_or("");
            if kind.is_empty() {
                return Err(invalid(format!(
                    "missing kind in object {}",
                    object.json_text()
                )));
            }
            // A list may have no name; kustomize prints it with `metadata: {}`.
            if kind.ends_with("List") {
                if let Some(map) = object.as_map_mut() {
                    map.entry(String::from("metadata"))
                        .or_insert_with(|| Node::Map(Default::default()));
                }
                return Ok(Resource::new(object));
            }
            let has_name = object
                .get_path(&["metadata", "name"])
                .and_then(Node::scalar_text)
                .is_some_and(|name| !name.is_empty());
            if !has_name {
                return Err(invalid(format!(
                    "missing metadata.name in object {}",
                    object.json_text()
                )));
            }
            Ok(Resource::new(object))
        })
        .collect()
}
