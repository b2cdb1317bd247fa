//! The command line: `rustomize build`, `rustomize version`.
//! Flags mirror `kustomize build` v5.6.0 so the binary can stand in for it.

use crate::KUSTOMIZE_VERSION;
use crate::build::{BuildOptions, Output, Reorder, build};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::LoadRestrictor;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "rustomize",
    version,
    about = "Builds Kubernetes manifests from kustomizations; output identical to kustomize v5.6.0"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build a kustomization target from a directory.
    Build(Box<BuildArgs>),
    /// Print the kustomize version this build is compatible with, then rustomize's.
    Version {
        /// Print the short form (same content; for tools that parse it).
        #[arg(long)]
        short: bool,
    },
}

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

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Directory holding a kustomization file.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write output to this file, or one file per object into this existing directory.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Whether kustomizations may read files outside their own directory.
    #[arg(long, value_enum, default_value = "LoadRestrictionsRootOnly")]
    pub load_restrictor: LoadRestrictorFlag,
    /// Resource order when the kustomization has no sortOptions.
    #[arg(long, value_enum, default_value = "legacy")]
    pub reorder: ReorderFlag,
    /// Add the label app.kubernetes.io/managed-by to every object.
    #[arg(long)]
    pub enable_managedby_label: bool,

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

    fn options(&self) -> BuildOptions {
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

/// Runs the command line; errors go to stderr, and stdout gets nothing on failure.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error}");
            ExitCode::FAILURE
        }
    }
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Version { .. } => print_stdout(&format!(
            "{KUSTOMIZE_VERSION} (rustomize {})\n",
            env!("CARGO_PKG_VERSION")
        )),
        Command::Build(args) => {
            if let Some(flag) = args.unsupported_flag() {
                return Err(Error::unsupported(format!("the flag {flag}")));
            }
            let output = build(&args.dir, &args.options())?;
            for warning in &output.warnings {
                eprintln!("{warning}");
            }
            match &args.output {
                None => print_stdout(&output.to_yaml()?),
                Some(path) if path.is_dir() => write_directory(&output, path),
                Some(path) => write_file_atomically(path, &output.to_yaml()?),
            }
        }
    }
}

fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(Path::new("<stdout>"), e)),
    }
}

/// Writes via a temporary file and a rename, so a failure leaves no half file.
fn write_file_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.rustomize-tmp"));
    std::fs::write(&temp, text).map_err(|e| Error::io(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io(path, e)
    })
}

/// One file per object, named `[group_]version_kind_name.yaml` in lower case, as kustomize does.
fn write_directory(output: &Output, dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    for resource in &output.resources {
        let single = Output {
            resources: vec![resource.clone()],
            warnings: Vec::new(),
        };
        let gvk = resource.gvk();
        let mut parts: Vec<&str> = Vec::new();
        for part in [gvk.group.as_str(), gvk.version.as_str(), gvk.kind.as_str()] {
            if !part.is_empty() {
                parts.push(part);
            }
        }
        let name = format!("{}_{}.yaml", parts.join("_"), resource.name()).to_lowercase();
        files.push((dir.join(name), single.to_yaml()?));
    }
    for (path, text) in files {
        write_file_atomically(&path, &text)?;
    }
    Ok(())
}

impl From<clap::Error> for Error {
    fn from(e: clap::Error) -> Error {
        Error::new(ErrorKind::Usage {
            message: e.to_string(),
        })
    }
}
