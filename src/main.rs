use std::process::ExitCode;

fn main() -> ExitCode {
    rustomize::cli::main()
}
