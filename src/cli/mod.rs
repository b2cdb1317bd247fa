//! The command line, one file per subcommand.
//! `build` mirrors `kustomize build` v5.6.0 so the binary can stand in for it.

mod build;
mod diff;
pub(crate) mod output;
mod render;
mod version;

pub use build::{BuildArgs, BuildFlags, LoadRestrictorFlag, ReorderFlag};
pub use diff::DiffArgs;
pub use render::RenderArgs;
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
    /// Build every root kustomization of a repository into one output tree.
    Render(RenderArgs),
    /// Compare two environments (kustomization directories or rendered YAML).
    Diff(DiffArgs),
    /// Print the kustomize version this build is compatible with, then rustomize's.
    Version(VersionArgs),
}

/// Stack of the thread that runs a command. Builds recurse over YAML nesting
/// (at most 10,000 levels, as in kustomize) and over chains of bases; the
/// main thread's 8 MiB is not enough for either. Pages are only touched when used.
const COMMAND_STACK_SIZE: usize = 1 << 30;

/// Runs the command line; errors go to stderr, and stdout gets nothing on failure.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout with exit code 0.
        Err(error) if !error.use_stderr() => error.exit(),
        // kustomize exits 1 on bad usage, not clap's 2.
        Err(error) => {
            let _ = error.print();
            return ExitCode::FAILURE;
        }
    };
    std::panic::set_hook(Box::new(|info| {
        print_stderr(&format!(
            "Error: internal error in rustomize {} (please report it): {info}",
            env!("CARGO_PKG_VERSION")
        ));
    }));
    // diff's errors exit 2, as diff(1)'s do (its 1 means "different").
    let error_code = if matches!(cli.command, Command::Diff(_)) {
        2
    } else {
        1
    };
    run_guarded(move || run(cli), error_code)
}

/// Runs a command on a thread with a large stack. Its error is printed; an
/// error or a panic (a bug, already reported by the panic hook) exits with
/// `error_code`, never Rust's 101.
pub fn run_guarded(
    command: impl FnOnce() -> Result<ExitCode> + Send + 'static,
    error_code: u8,
) -> ExitCode {
    let thread = std::thread::Builder::new()
        .name(String::from("rustomize"))
        .stack_size(COMMAND_STACK_SIZE)
        .spawn(command);
    match thread.map(|handle| handle.join()) {
        Ok(Ok(Ok(code))) => code,
        Ok(Ok(Err(error))) => {
            print_stderr(&format!("Error: {error}"));
            ExitCode::from(error_code)
        }
        Ok(Err(_panic)) => ExitCode::from(error_code),
        Err(error) => {
            print_stderr(&format!("Error: cannot start the build thread: {error}"));
            ExitCode::from(error_code)
        }
    }
}

/// Writes one line to stderr, best-effort: a full disk or closed pipe on
/// stderr must not change the outcome of the command.
pub(crate) fn print_stderr(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}").and_then(|_| stderr.flush());
}

/// Runs one command; `Ok` carries its exit code (`diff` and `render --check`
/// exit 1 when they find differences).
pub fn run(cli: Cli) -> Result<ExitCode> {
    let success = |()| ExitCode::SUCCESS;
    match cli.command {
        Command::Version(args) => version::run(&args).map(success),
        Command::Build(args) => build::run(&args).map(success),
        Command::Render(args) => render::run(&args),
        Command::Diff(args) => diff::run(&args),
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
        assert_eq!(run_guarded(|| panic!("a bug"), 1), ExitCode::FAILURE);
        assert_eq!(run_guarded(|| Ok(ExitCode::SUCCESS), 1), ExitCode::SUCCESS);
        let failed = run_guarded(|| Err(Error::unsupported("this")), 1);
        assert_eq!(failed, ExitCode::FAILURE);
        // diff's errors and panics exit 2.
        assert_eq!(run_guarded(|| panic!("a bug"), 2), ExitCode::from(2));
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
        let deep = run_guarded(
            || {
                assert_eq!(depth(100_000), 100_000);
                Ok(ExitCode::SUCCESS)
            },
            1,
        );
        assert_eq!(deep, ExitCode::SUCCESS);
    }
}
