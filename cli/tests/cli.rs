//! The `pucha` binary end to end: exit codes, stdin, JSON Lines, errors, and the text report (snapshots).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example(name: &str) -> String {
    root()
        .join("examples/observations")
        .join(name)
        .display()
        .to_string()
}

fn pucha(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pucha"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("pucha runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("pucha finishes")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn compact(name: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example(name)).expect("read")).expect("json");
    v.to_string()
}

#[test]
fn exit_codes_follow_the_verdict() {
    for (name, code) in [
        ("good-portal.json", 0),
        ("counts-only.json", 0),
        ("department-deductions.json", 1),
        ("veto-unreachable.json", 1),
        ("raw-evidence.json", 1),
    ] {
        let o = pucha(&["score", &example(name)], None);
        assert_eq!(o.status.code(), Some(code), "{name}: {}", err(&o));
    }
}

#[test]
fn text_reports_snapshot() {
    for name in [
        "good-portal.json",
        "counts-only.json",
        "department-deductions.json",
        "veto-unreachable.json",
        "raw-evidence.json",
    ] {
        let o = pucha(&["score", &example(name)], None);
        insta::assert_snapshot!(format!("zh_{}", name.trim_end_matches(".json")), text(&o));
    }
    let o = pucha(&["score", &example("raw-evidence.json"), "--lang", "en"], None);
    insta::assert_snapshot!("en_raw-evidence", text(&o));
}

#[test]
fn json_output_is_the_report_contract() {
    let o = pucha(&["score", &example("good-portal.json"), "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&text(&o)).expect("json report");
    assert_eq!(v["schema"], "pucha.report/1");
    assert_eq!(v["verdict"], "pass");
    assert_eq!(v["score"], 93.8);
    assert_eq!(v["pack"]["id"], "census-2015");
}

#[test]
fn stdin_and_parameters() {
    let input = compact("counts-only.json");
    let o = pucha(&["score", "-", "--format", "json"], Some(&input));
    let v: serde_json::Value = serde_json::from_str(&text(&o)).expect("json");
    assert_eq!(v["rules"][5]["id"], "homepage-availability");
    assert_eq!(v["rules"][5]["points"], 12.6);
    let o = pucha(
        &[
            "score",
            "-",
            "--format",
            "json",
            "--set",
            "proration=whole-percent",
        ],
        Some(&input),
    );
    let v: serde_json::Value = serde_json::from_str(&text(&o)).expect("json");
    assert_eq!(v["rules"][5]["points"], 10);
    assert_eq!(v["params"]["proration"], "whole-percent");
}

#[test]
fn json_lines_batch() {
    let lines = format!(
        "{}\n{{\"monitoring_point\":\"2015-02-30\",\"site\":{{\"name\":\"x\"}}}}\n{}\n",
        compact("good-portal.json"),
        compact("veto-unreachable.json")
    );
    let o = pucha(&["score", "-", "--format", "json"], Some(&lines));
    assert_eq!(o.status.code(), Some(2), "a bad line makes the batch exit 2");
    let out: Vec<serde_json::Value> = text(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["verdict"], "pass");
    assert_eq!(out[1]["type"], "failure");
    assert_eq!(out[1]["line"], 2);
    assert_eq!(out[1]["errors"][0]["code"], "invalid_date");
    assert_eq!(out[2]["verdict"], "fail");
    assert!(err(&o).contains("stdin:2"), "{}", err(&o));

    let ok = format!(
        "{}\n{}\n",
        compact("good-portal.json"),
        compact("counts-only.json")
    );
    assert_eq!(pucha(&["score", "-"], Some(&ok)).status.code(), Some(0));
    let mixed = format!(
        "{}\n{}\n",
        compact("good-portal.json"),
        compact("department-deductions.json")
    );
    let o = pucha(&["score", "-"], Some(&mixed));
    assert_eq!(o.status.code(), Some(1), "any failing site fails the batch");
    assert_eq!(text(&o).matches("监测时间点").count(), 2);
}

#[test]
fn bad_input_is_exit_2_with_a_clear_message() {
    let o = pucha(
        &["score", "-"],
        Some("{\"monitoring_point\": \"2015-06-30\", \"site\": {\"name\": \"x\"}, \"colums\": []}"),
    );
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!(err(&o), @"错误 error [unknown_field]: stdin:1:66: `colums`: 未知字段 `colums`；是否应为 `columns`？ / unknown field `colums`, expected one of `schema`, `monitoring_point`, `site`, `availability`, `links`, `columns`, `homepage`, `interaction`, `services`, `content_findings`, `provenance`; did you mean `columns`?
");
    let o = pucha(&["score", "-"], Some("not json"));
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("[json_syntax]"));
    let o = pucha(&["score", "/no/such/file.json"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("[io]"));
    let o = pucha(
        &["score", &example("good-portal.json"), "--pack", "census-2016"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("did you mean `census-2015`?"), "{}", err(&o));
    let o = pucha(
        &[
            "score",
            &example("good-portal.json"),
            "--set",
            "proration=quadratic",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("[invalid_param]"));
    let o = pucha(&["score", "-"], Some("\u{0}\u{1}garbage"));
    assert_eq!(o.status.code(), Some(2));
}

/// `/dev/zero` reports a size of 0 and never ends: every file a command reads is read to one byte past its limit,
/// then refused by name (exit 2), never until memory runs out.
#[cfg(unix)]
#[test]
fn endless_files_are_refused_at_their_limit() {
    let good = example("good-portal.json");
    for args in [
        &["score", "/dev/zero"][..],
        &["score", &good, "--pack", "/dev/zero"],
        &["render", "/dev/zero"],
        &["summarize", "/dev/zero"],
        &["profile", "check", "/dev/zero"],
    ] {
        let o = pucha(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(
            err(&o).contains("too_large") || err(&o).contains("larger than the limit"),
            "{args:?}: {}",
            err(&o)
        );
        assert!(err(&o).contains("/dev/zero"), "{args:?}: {}", err(&o));
    }
}

#[test]
fn rules_commands() {
    let o = pucha(&["rules", "list"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).contains("site-unreachable") && text(&o).contains("checklist-2019"));
    let o = pucha(&["rules", "show", "homepage-availability"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).contains("failure_rate"), "{}", text(&o));
    let o = pucha(&["rules", "show", "no-such-rule"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = pucha(&["rules", "facts", "--lang", "en"], None);
    assert!(text(&o).contains("columns.stale"));
    let o = pucha(&["rules", "params"], None);
    assert!(text(&o).contains("proration = linear"));
    let pack = root().join("rules/packs/census-2015.toml").display().to_string();
    let o = pucha(&["rules", "check", &pack], None);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(text(&o).starts_with("ok: census-2015"));
}

#[test]
fn rules_check_points_at_the_problem() {
    let dir = std::env::temp_dir().join(format!("pucha-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let bad = dir.join("bad.toml");
    let src = std::fs::read_to_string(root().join("rules/packs/census-2015.toml")).expect("pack");
    std::fs::write(
        &bad,
        src.replace("when = \"failure_rate >= 5%\"", "when = \"failure_rat >= 5%\""),
    )
    .expect("write");
    let o = pucha(&["rules", "check", &bad.display().to_string()], None);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("[unknown_name]")
            && e.contains("rule `site-unreachable`")
            && e.contains("did you mean `failure_rate`?"),
        "{e}"
    );
    assert!(e.contains("bad.toml:"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every `pucha` command the README shows runs as written (except those that need the reader's own files), in
/// order, in one scratch folder, so that files one command writes are there for the next.
#[test]
fn the_readme_images_exist() {
    // Tests write screenshots under target/; scripts/refresh-screenshots copies them to docs/img/.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let images: Vec<&str> = readme
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|link| link.ends_with(".png"))
        .collect();
    assert!(images.len() >= 2, "{images:?}");
    for image in images {
        let len = std::fs::metadata(root().join(image))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(
            len > 10_000,
            "`{image}` is missing or empty: run scripts/test, then scripts/refresh-screenshots"
        );
    }
}

#[test]
fn readme_commands_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let prefix = "cargo run --release -p pucha-cli -- ";
    let dir = root().join("target/readme-run");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let mut ran = 0;
    for line in readme.lines().map(str::trim).filter(|l| l.starts_with(prefix)) {
        let args: Vec<&str> = line.trim_start_matches(prefix).split_whitespace().collect();
        // `serve` runs until stopped: tests/browser/serve.mjs runs the README's `serve --demo` in a browser.
        if args.first() == Some(&"serve")
            || args
                .iter()
                .any(|a| a.contains("my-") || *a == "<" || a.starts_with("province"))
        {
            continue;
        }
        let owned: Vec<String> = args
            .iter()
            .map(|a| {
                if a.starts_with("examples/") || a.starts_with("rules/") {
                    root().join(a).display().to_string()
                } else {
                    a.to_string()
                }
            })
            .collect();
        let o = Command::new(env!("CARGO_BIN_EXE_pucha"))
            .args(&owned)
            .current_dir(&dir)
            .output()
            .expect("pucha runs");
        assert!(
            matches!(o.status.code(), Some(0 | 1 | 3)),
            "`{line}` exited {:?}: {}",
            o.status.code(),
            err(&o)
        );
        match args.iter().position(|a| *a == "--output" || *a == "-o") {
            Some(i) => {
                let file = dir.join(args[i + 1]);
                let len = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
                assert!(len > 0, "`{line}` wrote nothing to {}", file.display());
            }
            None => assert!(!text(&o).is_empty(), "`{line}` printed nothing"),
        }
        ran += 1;
    }
    assert!(ran >= 17, "ran {ran} README commands");
}

#[test]
fn what_a_site_writes_never_reaches_the_terminal_as_a_command() {
    // An escape sequence and a right-to-left override in the site's name, and in an unknown field's name.
    let obs = "{\"monitoring_point\":\"2015-06-30\",\"site\":{\"name\":\"x\\u001b[2Jy\\u202ez\"}}";
    let o = pucha(&["score", "-"], Some(obs));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("x\\u001b[2Jy\\u202ez"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    let bad = "{\"monitoring_point\":\"2015-06-30\",\"site\":{\"name\":\"x\"},\"\\u001b]0;pwned\\u0007\":1}";
    let o = pucha(&["score", "-"], Some(bad));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("\\u001b]0;pwned\\u0007"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'));
    // JSON output keeps its meaning: the escape reads back as the same character.
    let o = pucha(&["score", "-", "--format", "json"], Some(obs));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["site"]["name"], "x\u{1b}[2Jy\u{202e}z");
    // A batch is escaped on its scoring threads, in every line format.
    let batch = format!("{obs}\n{obs}\n");
    for format in ["text", "json", "summary", "csv"] {
        let o = pucha(&["score", "-", "--format", format], Some(&batch));
        let text = String::from_utf8(o.stdout).unwrap();
        assert_eq!(
            text.matches("x\\u001b[2Jy\\u202ez").count(),
            2,
            "{format}: {text}"
        );
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{format}");
    }
}

#[test]
fn a_byte_order_mark_at_the_start_is_not_part_of_the_json() {
    // Windows Notepad saves UTF-8 with a BOM; a batch of JSON Lines is still a batch.
    let one = "{\"monitoring_point\":\"2015-06-30\",\"site\":{\"name\":\"x\"},\"links\":{\"homepage_broken\":0,\"other_broken\":0}}";
    let o = pucha(
        &["score", "-", "--format", "json"],
        Some(&format!("\u{feff}{one}\n{one}\n")),
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(lines.iter().all(|r| r["schema"] == "pucha.report/1"));
}

#[test]
fn the_usual_mistakes_get_a_hint_in_both_languages() {
    let one = r#"{"monitoring_point":"2015-06-30","site":{"name":"x"}}"#;
    let pretty = "{\n \"monitoring_point\": \"2015-06-30\",\n \"site\": {\"name\": \"x\"}\n}\n";
    let report = String::from_utf8(pucha(&["score", "-", "--format", "json"], Some(one)).stdout).unwrap();
    // (command, input, the code, the hint in Chinese, the hint in English)
    let table: [(&[&str], String, &str, &str, &str); 6] = [
        (
            &["score", "-"],
            format!("[{one},{one}]"),
            "invalid_type",
            "每行一个观测",
            "one per line",
        ),
        (
            &["score", "-"],
            format!("{pretty}{pretty}"),
            "json_syntax",
            "每行一个观测",
            "one per line",
        ),
        (
            &["score", "-"],
            report.clone(),
            "unknown_field",
            "这是评分结果，不是观测",
            "not an observation",
        ),
        (
            &["score", "-"],
            one.replace("2015-06-30", "2015/6/30"),
            "invalid_date",
            "是否应为 `2015-06-30`",
            "did you mean `2015-06-30`?",
        ),
        (
            &["render", "-"],
            one.to_string(),
            "invalid_value",
            "请先运行 `pucha score`",
            "run `pucha score` first",
        ),
        (
            &["summarize", "-"],
            one.to_string(),
            "invalid_value",
            "请先运行 `pucha score`",
            "run `pucha score` first",
        ),
    ];
    for (args, input, code, zh, en) in table {
        let o = pucha(args, Some(&input));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&format!("[{code}]")), "{args:?}: {err}");
        assert!(err.contains(zh) && err.contains(en), "{args:?}: {err}");
    }
}

#[test]
fn the_pass_threshold_and_the_bonus_cap_can_be_set_for_what_if_work() {
    let good = root().join("examples/observations/good-portal.json");
    let good = good.to_str().unwrap();
    // 6.2 deducted: passes under the table's 40, fails when more than 5 fails.
    let o = pucha(&["score", good, "--set", "fail_above=5"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("扣分超过 5 分为不合格"));
    for (set, code, says) in [
        ("fail_above=-1", "invalid_param", "is negative"),
        (
            "fail_above=101",
            "invalid_param",
            "more than the table's 100 points",
        ),
        ("fail_above=many", "invalid_param", "is not a number"),
        (
            "fail_below=60",
            "invalid_param",
            "its scoring settings are fail_above",
        ),
        ("fail_abov=5", "unknown_param", "did you mean `fail_above`?"),
    ] {
        let o = pucha(&["score", good, "--set", set], None);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{set}: {err}");
        assert!(
            err.contains(&format!("[{code}]")) && err.contains(says),
            "{set}: {err}"
        );
    }
    let o = pucha(
        &[
            "score",
            good,
            "--pack",
            "checklist-2019",
            "--set",
            "bonus_cap=10",
            "--set",
            "fail_below=95",
        ],
        None,
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("得分低于 95 分为不合格"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
