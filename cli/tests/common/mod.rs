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
