//! `rustomize build`: flags mirror `kustomize build` v5.6.0.

use super::output;
use crate::build::{BuildOptions, Reorder, build};
use crate::error::{Error, Result};
use crate::loader::LoadRestrictor;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadRestrictorFlag {
    #[value(name = "LoadRestrictionsRootOnly")]
    RootOnly,
    #[value(name = "LoadRestrictionsNone")]
    None,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReorderFlag {
    Legacy,
    None,
}

/// The build settings `build`, `render` and `diff` share.
#[derive(Args, Debug)]
pub struct BuildFlags {
    /// Whether kustomizations may read files outside their own directory.
    #[arg(long, value_enum, default_value = "LoadRestrictionsRootOnly")]
    pub load_restrictor: LoadRestrictorFlag,
    /// Resource order when the kustomization has no sortOptions.
    #[arg(long, value_enum, default_value = "legacy")]
    pub reorder: ReorderFlag,
    /// Add the label app.kubernetes.io/managed-by to every object.
    #[arg(long)]
    pub enable_managedby_label: bool,
}

impl BuildFlags {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            load_restrictor: match self.load_restrictor {
                LoadRestrictorFlag::RootOnly => LoadRestrictor::RootOnly,
                LoadRestrictorFlag::None => LoadRestrictor::None,
            },
            reorder: match self.reorder {
                ReorderFlag::Legacy => Reorder::Legacy,
                ReorderFlag::None => Reorder::None,
            },
            add_managed_by_label: self.enable_managedby_label,
        }
    }
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Directory holding a kustomization file.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write output to this file, or one file per object into this existing directory.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub flags: BuildFlags,

    // Flags of kustomize build whose features rustomize does not have yet.
    /// (not supported yet) Enable the Helm chart inflator generator.
    #[arg(long)]
    pub enable_helm: bool,
    /// (not supported yet) helm command.
    #[arg(long)]
    pub helm_command: Option<String>,
    /// (not supported yet) Kubernetes API versions for Helm.
    #[arg(long)]
    pub helm_api_versions: Vec<String>,
    /// (not supported yet) Kubernetes version for Helm.
    #[arg(long)]
    pub helm_kube_version: Option<String>,
    /// (not supported yet) Helm debug output.
    #[arg(long)]
    pub helm_debug: bool,
    /// (not supported yet) Enable kustomize plugins.
    #[arg(long)]
    pub enable_alpha_plugins: bool,
    /// (not supported yet) Enable exec plugins.
    #[arg(long)]
    pub enable_exec: bool,
    /// (not supported yet) Run functions as the current user.
    #[arg(long)]
    pub as_current_user: bool,
    /// (not supported yet) Environment variables for functions.
    #[arg(short, long)]
    pub env: Vec<String>,
    /// (not supported yet) Storage mounts for functions.
    #[arg(long)]
    pub mount: Vec<String>,
    /// (not supported yet) Network access for functions.
    #[arg(long)]
    pub network: bool,
    /// (not supported yet) Docker network for functions.
    #[arg(long)]
    pub network_name: Option<String>,
}

impl BuildArgs {
    /// The first flag given whose feature is missing.
    fn unsupported_flag(&self) -> Option<&'static str> {
        let given = [
            (self.enable_helm, "--enable-helm"),
            (self.helm_command.is_some(), "--helm-command"),
            (!self.helm_api_versions.is_empty(), "--helm-api-versions"),
            (self.helm_kube_version.is_some(), "--helm-kube-version"),
            (self.helm_debug, "--helm-debug"),
            (self.enable_alpha_plugins, "--enable-alpha-plugins"),
            (self.enable_exec, "--enable-exec"),
            (self.as_current_user, "--as-current-user"),
            (!self.env.is_empty(), "--env"),
            (!self.mount.is_empty(), "--mount"),
            (self.network, "--network"),
            (self.network_name.is_some(), "--network-name"),
        ];
        given.iter().find(|(set, _)| *set).map(|(_, name)| *name)
    }
}

pub fn run(args: &BuildArgs) -> Result<()> {
    if let Some(flag) = args.unsupported_flag() {
        return Err(Error::unsupported(format!("the flag {flag}")));
    }
    let output = build(&args.dir, &args.flags.options())?;
    for warning in &output.warnings {
        super::print_stderr(warning);
    }
    output::write_output(&output, args.output.as_deref())
}
