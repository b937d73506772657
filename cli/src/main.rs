//! The `pucha` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    pucha_cli::run(std::env::args_os())
}
