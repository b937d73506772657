//! `pucha score` on JSON Lines batches: streamed through every core, in input order, with bad lines answered in
//! place, in the per-site formats (`json`, `summary`, `csv`).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;
use common::{pucha, root};

/// `n` observations, every 7th one with an impossible date and every 11th not JSON at all.
fn batch(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let line = if i % 11 == 10 {
            "{not json".to_string()
        } else if i % 7 == 6 {
            format!(r#"{{"monitoring_point": "2015-02-30", "site": {{"name": "站点{i}"}}}}"#)
        } else {
            format!(
                r#"{{"monitoring_point": "2015-06-30", "site": {{"name": "站点{i}", "kind": "portal", "region": "示例省"}}, "links": {{"homepage_broken": {}, "other_broken": {}}}, "content_findings": []}}"#,
                i % 3,
                i % 50
            )
        };
        s.push_str(&line);
        s.push('\n');
        if i % 13 == 0 {
            s.push('\n'); // blank lines are skipped
        }
    }
    s
}

fn write(name: &str, text: &str) -> String {
    let dir = root().join("target/score-batch");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn a_batch_is_scored_in_input_order_whatever_the_number_of_threads() {
    let input = write("mixed.jsonl", &batch(3_000));
    for format in ["summary", "json", "csv", "text"] {
        let one = pucha(&["score", &input, "--format", format, "--jobs", "1"]);
        let four = pucha(&["score", &input, "--format", format, "--jobs", "4"]);
        assert_eq!(one.status.code(), Some(2), "{format}: bad lines make the exit 2");
        assert_eq!(four.status.code(), Some(2));
        assert!(
            one.stdout == four.stdout,
            "{format}: the same bytes with 1 and 4 threads"
        );
        assert_eq!(one.stderr, four.stderr);
        let err = String::from_utf8_lossy(&one.stderr);
        // The first 20 errors in full, then a count.
        assert_eq!(err.matches("错误 error").count(), 20, "{err}");
        assert!(err.contains("另有") && err.contains("more errors"), "{err}");
    }
    let out = pucha(&["score", &input, "--format", "summary"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3_000, "one line per observation, bad ones included");
    for (i, v) in lines.iter().enumerate() {
        if i % 11 == 10 || i % 7 == 6 {
            assert_eq!(v["type"], "failure", "{i}: {v}");
            let code = if i % 11 == 10 {
                "json_syntax"
            } else {
                "invalid_date"
            };
            assert_eq!(v["errors"][0]["code"], code, "{i}");
            assert!(
                v["line"].as_u64().unwrap() > i as u64,
                "the input line, counting blank ones"
            );
        } else {
            assert_eq!(v["schema"], "pucha.summary/1", "{i}");
            assert_eq!(v["site"]["name"], format!("站点{i}"), "in input order");
        }
    }
}

#[test]
fn the_csv_has_one_row_per_line_with_the_frame_columns() {
    let input = write("csv.jsonl", &batch(40));
    let out = pucha(&["score", &input, "--format", "csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let header = &rows[0];
    assert_eq!(
        header[..8],
        [
            "line",
            "site.id",
            "site.name",
            "verdict",
            "verdict_basis",
            "complete",
            "score",
            "total_deduction"
        ]
    );
    assert_eq!(header.last(), Some(&"error"));
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for prefix in ["points", "points_max", "status"] {
        assert!(header.contains(&format!("{prefix}.link-availability").as_str()));
    }
    assert_eq!(rows.len(), 41);
    for r in &rows[1..] {
        assert!(r.len() >= header.len(), "{r:?}");
    }
    // Line 1 (site 0): no broken links at all. Site 4 (line 5): 1 homepage and 4 other broken links → 1.4.
    assert_eq!(rows[1][col("site.name")], "站点0");
    assert_eq!(rows[5][col("points.link-availability")], "1.4");
    assert_eq!(rows[5][col("status.link-availability")], "applied");
    // A bad line keeps its row: the line, empty cells, the error.
    let bad = rows
        .iter()
        .find(|r| r[col("site.name")].is_empty() && r[0] != "line")
        .unwrap();
    assert!(bad.last().unwrap().contains("[invalid_date]") || text.contains("[json_syntax]"));
}

#[test]
fn a_line_over_the_line_limit_is_a_failure_record_and_the_rest_is_scored() {
    let big = format!(
        r#"{{"monitoring_point": "2015-06-30", "site": {{"name": "{}"}}}}"#,
        "x".repeat(17 << 20)
    );
    let ok = r#"{"monitoring_point": "2015-06-30", "site": {"name": "ok", "kind": "portal"}}"#;
    let input = write("long-line.jsonl", &format!("{ok}\n{big}\n{ok}\n"));
    let out = pucha(&["score", &input, "--format", "summary"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["errors"][0]["code"], "too_large");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["site"]["name"], "ok");
}

#[test]
fn one_observation_is_answered_as_one_and_the_output_file_streams() {
    let one = write(
        "one.json",
        "{\n  \"monitoring_point\": \"2015-06-30\",\n  \"site\": {\"name\": \"x\", \"kind\": \"portal\"}\n}\n",
    );
    let json = pucha(&["score", &one, "--format", "json"]);
    assert!(String::from_utf8_lossy(&json.stdout).starts_with("{\n  \"schema\": \"pucha.report/1\""));
    let summary = pucha(&["score", &one, "--format", "summary"]);
    assert_eq!(String::from_utf8_lossy(&summary.stdout).lines().count(), 1);
    let csv = pucha(&["score", &one, "--format", "csv"]);
    assert_eq!(
        String::from_utf8_lossy(&csv.stdout).lines().count(),
        2,
        "header and one row"
    );

    let input = write("to-file.jsonl", &batch(100));
    let target = root().join("target/score-batch/out.jsonl");
    let to_file = pucha(&[
        "score",
        &input,
        "--format",
        "summary",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(to_file.status.code(), Some(2));
    assert!(to_file.stdout.is_empty());
    let stdout = pucha(&["score", &input, "--format", "summary"]);
    assert_eq!(std::fs::read(&target).unwrap(), stdout.stdout);

    let empty = write("empty.jsonl", "\n\n");
    let o = pucha(&["score", &empty]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no observations in the input"));
    let o = pucha(&["score", &input, "--jobs", "0"]);
    assert_eq!(o.status.code(), Some(2), "--jobs 0 is refused");
    let o = pucha(&["render", &input, "--format", "summary"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn compare_matches_sites_by_id_and_lists_verdict_changes_first() {
    let site =
        |id: &str, name: &str| format!(r#""site": {{"name": "{name}", "kind": "portal", "id": "{id}"}}"#);
    let full = |extra: &str| {
        format!(
            r#"{{"monitoring_point": "2015-06-30", {extra}, "links": {{"homepage_broken": 0, "other_broken": 0}}, "content_findings": []}}"#
        )
    };
    // Before: A has 3 broken homepage links; B a confirmed serious error (a veto); C is only before.
    let before = [
        full(&site("1100000001", "A")).replace(r#""homepage_broken": 0"#, r#""homepage_broken": 3"#),
        full(&site("1100000002", "B")).replace(
            r#""content_findings": []"#,
            r#""content_findings": [{"kind": "serious_typo", "url": "http://b.gov.cn/", "excerpt": "中华人民共合国", "expected": "中华人民共和国", "confirmed": true}]"#,
        ),
        full(&site("1100000003", "C")),
    ];
    // After: B first (input order differs), fixed; A fixed; D is new.
    let after = [
        full(&site("1100000002", "B")),
        full(&site("1100000001", "A")),
        full(&site("1100000004", "D")),
    ];
    let score = |name: &str, obs: &[String]| {
        let input = write(&format!("{name}.jsonl"), &(obs.join("\n") + "\n"));
        let out = root()
            .join("target/score-batch")
            .join(format!("{name}-reports.jsonl"));
        let o = pucha(&[
            "score",
            &input,
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ]);
        assert!(
            matches!(o.status.code(), Some(0 | 1 | 3)),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        out.to_str().unwrap().to_string()
    };
    let (old, new) = (score("before", &before), score("after", &after));
    let o = pucha(&["compare", &old, &new, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["sites"], 2);
    assert_eq!(v["only_before"], serde_json::json!(["C"]));
    assert_eq!(v["only_after"], serde_json::json!(["D"]));
    let diffs = v["site_diffs"].as_array().unwrap();
    assert_eq!(diffs[0]["site"]["name"], "B", "the verdict change first");
    assert_eq!(diffs[0]["verdict_changed"], true);
    assert_eq!(diffs[0]["a"]["verdict"], "fail");
    assert_eq!(diffs[1]["site"]["name"], "A");
    let text = pucha(&["compare", &old, &new]);
    let t = String::from_utf8_lossy(&text.stdout);
    assert!(
        t.contains("整改前") && t.contains("仅在整改前的网站") && t.contains("C"),
        "{t}"
    );
    let csv = pucha(&["compare", &old, &new, "--format", "csv"]);
    assert_eq!(String::from_utf8_lossy(&csv.stdout).lines().count(), 3);
    let page = pucha(&["compare", &old, &new, "--format", "html"]);
    let h = String::from_utf8_lossy(&page.stdout);
    assert!(
        h.contains("<tr class=\"changed\">") && h.contains("已整改的问题"),
        "{h}"
    );
    assert!(
        h.find(">B<").unwrap() < h.find(">A<").unwrap(),
        "the verdict change first"
    );
    assert!(h.contains("仅在整改后的网站") && h.contains("D"));
    let book = root().join("target/score-batch/compare.xlsx");
    let o = pucha(&[
        "compare",
        &old,
        &new,
        "--format",
        "xlsx",
        "-o",
        book.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    {
        use calamine::Reader as _;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
        let sheet = wb.worksheet_range("整改前后").unwrap();
        let row = |r: u32| -> Vec<String> {
            (0..11)
                .map(|c| {
                    sheet
                        .get_value((r, c))
                        .map(ToString::to_string)
                        .unwrap_or_default()
                })
                .collect()
        };
        assert_eq!(row(0)[9], "已整改的问题");
        let b = row(1);
        assert_eq!((b[0].as_str(), b[8].as_str()), ("B", "是"));
        assert!(!b[9].is_empty(), "B's veto is fixed: {b:?}");
        assert!(
            matches!(sheet.get_value((2, 7)), Some(calamine::Data::Float(_))),
            "A's score change is a number"
        );
    }
    let none = pucha(&["compare", &old, &old.replace("before", "nothing")]);
    assert_eq!(none.status.code(), Some(2));
}
