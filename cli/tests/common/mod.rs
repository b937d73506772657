//! Helpers shared by the CLI's integration tests.
#![allow(dead_code, reason = "each test file uses a part")]
#![allow(clippy::expect_used, reason = "tests fail loudly")]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Run the `pucha` binary with `args`.
pub fn pucha(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(args)
        .output()
        .expect("pucha runs")
}

/// Run the `pucha` binary with `args`, `input` on its stdin.
pub fn pucha_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("pucha runs");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    child.wait_with_output().expect("pucha runs")
}
