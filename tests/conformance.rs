//! Every shared vector, through the same JSON boundary (`pucha_core::ffi::call`) that Python and WASM use.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use pucha_conformance::{check, load_all, request};

#[test]
fn all_vectors_pass() {
    let files = load_all().expect("vectors load");
    assert!(
        files.len() >= 10,
        "expected the vector files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, file) in &files {
        for case in &file.cases {
            n += 1;
            let req = request(file, case).to_string();
            let answer: serde_json::Value =
                serde_json::from_str(&pucha_core::ffi::call(&req)).expect("answer is JSON");
            if let Err(e) = check(&case.expected, &answer) {
                failures.push(format!("{name} › {}\n  {}", case.name, e.replace('\n', "\n  ")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{n} vector cases passed");
}

#[test]
fn scoring_twice_is_byte_identical() {
    for (_, file) in load_all().expect("vectors load") {
        for case in &file.cases {
            let req = request(&file, case).to_string();
            assert_eq!(pucha_core::ffi::call(&req), pucha_core::ffi::call(&req));
        }
    }
}
