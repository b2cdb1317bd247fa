//! `rustomize render [PATH...] -o OUTDIR`: every root of a repository, in
//! parallel, into one tree written atomically; `--check` for CI.

use super::BuildFlags;
use super::print_stdout;
use crate::error::Result;
use crate::render::{RenderOptions, Root, check_tree, discover_roots, render, write_tree};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// Kustomization directories, or directories searched for root kustomizations.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The output tree: `<root path relative to PATH>.yaml` per root.
    #[arg(short, long, value_name = "OUTDIR")]
    pub output: PathBuf,
    /// One file per object under `<root>/`, named as `kustomize build -o DIR` names them.
    #[arg(long)]
    pub split: bool,
    /// Compare with the existing OUTDIR instead of writing; exit 1 if anything differs.
    #[arg(long)]
    pub check: bool,
    /// Roots built at once (default: the number of cores).
    #[arg(short, long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    #[command(flatten)]
    pub flags: BuildFlags,
}

pub fn run(args: &RenderArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let roots = discover_roots(&args.paths)?;
    let options = RenderOptions {
        build: args.flags.options(),
        split: args.split,
        jobs: args.jobs,
    };
    let progress = progress_bar(roots.len());
    let rendered = render(&roots, &options, &|_: &Root| progress.inc(1));
    progress.finish_and_clear();
    let rendered = rendered?;
    for warning in &rendered.warnings {
        eprintln!("{warning}");
    }
    let summary = format!(
        "{} roots, {} resources, {} bytes in {:.2} s",
        rendered.roots,
        rendered.resources,
        rendered.bytes(),
        started.elapsed().as_secs_f64()
    );
    if !args.check {
        write_tree(&args.output, &rendered.files)?;
        eprintln!("rendered {summary} into {}", args.output.display());
        return Ok(ExitCode::SUCCESS);
    }
    let report = check_tree(&args.output, &rendered.files)?;
    let mut text = String::new();
    for (path, diff) in &report.stale {
        let _ = writeln!(text, "stale: {}", path.display());
        for line in diff.lines() {
            let _ = writeln!(text, "    {line}");
        }
    }
    for path in &report.missing {
        let _ = writeln!(text, "missing: {}", path.display());
    }
    for path in &report.extra {
        let _ = writeln!(text, "extra: {}", path.display());
    }
    print_stdout(&text)?;
    eprintln!(
        "checked {summary} against {}: {} stale, {} missing, {} extra",
        args.output.display(),
        report.stale.len(),
        report.missing.len(),
        report.extra.len()
    );
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A bar on stderr when it is a terminal; hidden otherwise (logs stay clean).
fn progress_bar(roots: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(roots as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} roots {elapsed}") {
        bar.set_style(style);
    }
    bar
}
