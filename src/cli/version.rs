//! `rustomize version`: the kustomize version first, for tools that parse it.

use super::print_stdout;
use crate::KUSTOMIZE_VERSION;
use crate::error::Result;
use clap::Args;

#[derive(Args, Debug)]
pub struct VersionArgs {
    /// Print the short form (same content; for tools that parse it).
    #[arg(long)]
    pub short: bool,
}

pub fn run(_args: &VersionArgs) -> Result<()> {
    print_stdout(&format!(
        "{KUSTOMIZE_VERSION} (rustomize {})\n",
        env!("CARGO_PKG_VERSION")
    ))
}
