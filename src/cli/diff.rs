//! `rustomize diff A B`: what changes between two environments, field by
//! field; `--check FILE` compares that with a committed snapshot.
//! Exit codes as diff(1): 0 equal, 1 different, 2 error.

use super::{BuildFlags, print_stdout};
use crate::diff::{Ignore, diff_with_schemas, load_side};
use crate::error::{Error, Result};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The first environment: a kustomization directory or a rendered YAML file.
    pub a: PathBuf,
    /// The second environment.
    pub b: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub output: DiffFormat,
    /// Leave out a field path and everything below it (repeatable; `*` matches
    /// within one segment), e.g. `metadata.namespace`, `metadata.labels.*`.
    #[arg(long, value_name = "PATH")]
    pub ignore: Vec<String>,
    /// Compare the diff with this snapshot file instead of printing it; exit 1
    /// and show what changed if it differs.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
    /// With --check: rewrite the snapshot when it differs.
    #[arg(long, requires = "check")]
    pub update: bool,
    #[command(flatten)]
    pub flags: BuildFlags,
}

pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    let options = args.flags.options();
    let (a, a_schema) = load_side(&args.a, &options)?;
    let (b, b_schema) = load_side(&args.b, &options)?;
    let found = diff_with_schemas((&a, &a_schema), (&b, &b_schema), &Ignore::new(&args.ignore));
    let render = |color: bool| match args.output {
        DiffFormat::Text => found.to_text(color),
        DiffFormat::Json => format!("{:#}\n", found.to_json()),
    };
    if let Some(snapshot) = &args.check {
        return check_snapshot(snapshot, &render(false), args.update);
    }
    let color = args.output == DiffFormat::Text
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    print_stdout(&render(color))?;
    Ok(if found.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// 0 when the snapshot holds `current` (or was updated to it), 1 with a
/// unified diff (snapshot → current) otherwise.
fn check_snapshot(snapshot: &Path, current: &str, update: bool) -> Result<ExitCode> {
    let committed = match std::fs::read_to_string(snapshot) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(snapshot, e)),
    };
    if committed.as_deref() == Some(current) {
        return Ok(ExitCode::SUCCESS);
    }
    if update {
        std::fs::write(snapshot, current).map_err(|e| Error::io(snapshot, e))?;
        eprintln!("updated {}", snapshot.display());
        return Ok(ExitCode::SUCCESS);
    }
    let Some(committed) = committed else {
        eprintln!(
            "{} does not exist (run with --update to create it)",
            snapshot.display()
        );
        return Ok(ExitCode::FAILURE);
    };
    let name = snapshot.display().to_string();
    let changes = similar::TextDiff::from_lines(&committed, current)
        .unified_diff()
        .context_radius(2)
        .header(&name, "current diff")
        .to_string();
    print_stdout(&changes)?;
    eprintln!(
        "the environment diff no longer matches {} (run with --update to accept it)",
        snapshot.display()
    );
    Ok(ExitCode::FAILURE)
}
