use std::process::ExitCode;

fn main() -> ExitCode {
    atlantis_lint::cli::main()
}
