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

/// Stack of the thread that runs a command. Builds recurse over YAML nesting
/// (at most 10,000 levels, as in kustomize) and over chains of bases; the
/// main thread's 8 MiB is not enough for either. Pages are only touched when used.
const COMMAND_STACK_SIZE: usize = 1 << 30;

/// Runs the command line; errors go to stderr, and stdout gets nothing on failure.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    std::panic::set_hook(Box::new(|info| {
        print_stderr(&format!(
            "Error: internal error in rustomize {} (please report it): {info}",
            env!("CARGO_PKG_VERSION")
        ));
    }));
    run_guarded(move || run(cli))
}

/// Runs a command on a thread with a large stack. Its error is printed; a
/// panic (a bug, already reported by the panic hook) is exit code 1 as well,
/// never Rust's 101.
pub fn run_guarded(command: impl FnOnce() -> Result<()> + Send + 'static) -> ExitCode {
    let thread = std::thread::Builder::new()
        .name(String::from("rustomize"))
        .stack_size(COMMAND_STACK_SIZE)
        .spawn(command);
    match thread.map(|handle| handle.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(error))) => {
            print_stderr(&format!("Error: {error}"));
            ExitCode::FAILURE
        }
        Ok(Err(_panic)) => ExitCode::FAILURE,
        Err(error) => {
            print_stderr(&format!("Error: cannot start the build thread: {error}"));
            ExitCode::FAILURE
        }
    }
}

/// Writes one line to stderr, best-effort: a full disk or closed pipe on
/// stderr must not change the outcome of the command.
pub(crate) fn print_stderr(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}").and_then(|_| stderr.flush());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_exit_code_1() {
        assert_eq!(run_guarded(|| panic!("a bug")), ExitCode::FAILURE);
        assert_eq!(run_guarded(|| Ok(())), ExitCode::SUCCESS);
        let failed = run_guarded(|| Err(Error::unsupported("this")));
        assert_eq!(failed, ExitCode::FAILURE);
    }

    #[test]
    fn commands_get_a_deep_stack() {
        fn depth(n: u32) -> u32 {
            let frame = std::hint::black_box([0u8; 1024]);
            if n == 0 {
                0
            } else {
                1 + depth(n - 1) + u32::from(frame[0])
            }
        }
        // 100,000 frames of 1 KiB overflow the main thread's 8 MiB.
        let deep = run_guarded(|| {
            assert_eq!(depth(100_000), 100_000);
            Ok(())
        });
        assert_eq!(deep, ExitCode::SUCCESS);
    }
}
