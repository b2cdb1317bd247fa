use std::process::ExitCode;

// A build allocates many small strings and maps; mimalloc spends about half
// of what glibc's malloc does on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    rustomize::cli::main()
}
