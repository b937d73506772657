//! The message table (`tests/vectors/messages/mistakes.json`) on the command line: each mistake given to the
//! command that would meet it — `score` for an observation, `render` for a report, `score --set` for a parameter —
//! exits 2 with a line on stderr holding the Chinese pieces before the English ones, and no word the table forbids.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on broken fixtures"
)]

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// stderr of `pucha args` with `stdin`, and its exit code.
fn run(args: &[&str], stdin: &str) -> (String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pucha runs");
    let mut input = child.stdin.take().expect("stdin");
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let out = child.wait_with_output().expect("pucha ends");
    (String::from_utf8(out.stderr).expect("utf-8"), out.status.code())
}

#[test]
fn every_mistake_is_said_chinese_first_on_the_command_line() {
    let text = std::fs::read_to_string(root().join("tests/vectors/messages/mistakes.json")).expect("table");
    let file: Value = serde_json::from_str(&text).expect("json");
    let good = root().join("examples/observations/good-portal.json");
    let mut failures = Vec::new();
    for case in file["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let input = case["input"].as_str().expect("input");
        let (err, code) = match case["reading"].as_str().expect("reading") {
            "observation" => run(&["score", "-"], input),
            "result" => run(&["render", "-", "--format", "json"], input),
            "params" => {
                let params: serde_json::Map<String, Value> = serde_json::from_str(input).expect("params");
                let mut args = vec!["score".to_string(), good.display().to_string()];
                for (k, v) in &params {
                    args.push("--set".into());
                    args.push(format!("{k}={}", v.as_str().expect("text")));
                }
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                run(&args, "")
            }
            other => panic!("unknown reading {other}"),
        };
        if code != Some(2) {
            failures.push(format!("{name}: exit {code:?}"));
        }
        if let Some(c) = case.get("code").and_then(Value::as_str)
            && !err.contains(&format!("[{c}]"))
        {
            failures.push(format!("{name}: no `[{c}]` in {err}"));
        }
        let (mut last_zh, mut first_en) = (0, usize::MAX);
        for piece in case["zh"].as_array().expect("zh") {
            match err.find(piece.as_str().expect("piece")) {
                Some(at) => last_zh = last_zh.max(at),
                None => failures.push(format!("{name}: no `{piece}` in {err}")),
            }
        }
        for piece in case["en"].as_array().expect("en") {
            match err.find(piece.as_str().expect("piece")) {
                Some(at) => first_en = first_en.min(at),
                None => failures.push(format!("{name}: no `{piece}` in {err}")),
            }
        }
        if last_zh > first_en {
            failures.push(format!("{name}: the English comes before the Chinese in {err}"));
        }
        for piece in case["absent"].as_array().expect("absent") {
            if err.contains(piece.as_str().expect("piece")) {
                failures.push(format!("{name}: `{piece}` in {err}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
