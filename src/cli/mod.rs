//! The command line, one file per subcommand.
//! `build` mirrors `kustomize build` v5.6.0 so the binary can stand in for it.

mod build;
mod output;
mod version;

pub use build::{BuildArgs, LoadRestrictorFlag, ReorderFlag};
pub use version::VersionArgs;

use crate::error::{Error, ErrorKind, Result};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::Path;
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
    Version(VersionArgs),
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
        Command::Version(args) => version::run(&args),
        Command::Build(args) => build::run(&args),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(Path::new("<stdout>"), e)),
    }
}

impl From<clap::Error> for Error {
    fn from(e: clap::Error) -> Error {
        Error::new(ErrorKind::Usage {
            message: e.to_string(),
        })
    }
}
