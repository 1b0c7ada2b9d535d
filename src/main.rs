//! `signet`: with a command, the CLI; without one, the window.

fn main() -> std::process::ExitCode {
    signet::cli::main()
}
