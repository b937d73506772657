//! `pucha probe` and `pucha demo` against the fixture site on 127.0.0.1.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;
use common::{pucha, root};
use std::process::Command;

#[test]
fn demo_prints_a_traceable_report_and_writes_its_files() {
    let dir = root().join("target/demo-test");
    let _ = std::fs::remove_dir_all(&dir);
    let o = pucha(&["demo", "--out-dir", dir.to_str().unwrap(), "--quiet"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the demo ran (its site fails, which the report says): {text}"
    );
    // Two vetoes planted in the fixture: a confirmed serious typo and messages unanswered for over 3 months.
    assert!(text.contains("结论：不合格（单项否决）"), "{text}");
    assert!(text.contains("[serious-error] 否决") && text.contains("中华人民共合国"));
    assert!(text.contains("[poor-response] 否决") && text.contains("超过 3 个月未回应的留言 2 条"));
    assert!(
        text.contains("[homepage-availability] 扣分 · 网站可用性 / 首页可用性  (17.9)"),
        "{text}"
    );
    assert!(text.contains("首页错链") && text.contains("HTTP 404"));
    assert!(text.contains("栏目“政策文件”自 2015-05-15 起 6 个月内无新信息"));
    assert!(text.contains("在线系统“网上办事大厅”无法访问"));
    assert!(text.contains("缺少“设定依据”：建设项目环评审批"));
    assert!(o.stderr.is_empty(), "quiet");
    // The written observation scores to the same report with `pucha score`.
    let obs = dir.join("demo-observation.json");
    let again = pucha(&["score", obs.to_str().unwrap()]);
    assert_eq!(String::from_utf8_lossy(&again.stdout), text);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("demo-report.json")).unwrap()).unwrap();
    assert_eq!(report["verdict_basis"], "veto");
    assert_eq!(report["uncounted_deduction"], 58.3);
}

#[test]
fn probe_a_served_site_from_its_profile() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let site = pucha_probes::fixture::FixtureSite::generate(11, crawl);
    let served = rt.block_on(site.clone().serve()).unwrap();
    let dir = root().join("target/probe-test");
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile.toml");
    std::fs::write(&profile, site.profile(&served.base).to_toml()).unwrap();
    let out = dir.join("obs.json");
    let args = [
        "probe",
        profile.to_str().unwrap(),
        "--allow-private",
        "--samples",
        "3",
        "--date",
        "2015-11-15",
        "-o",
        out.to_str().unwrap(),
    ];
    let o = pucha(&args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("[links]"),
        "progress on stderr"
    );
    // With --log, every request as a JSON line.
    let log = dir.join("probe.log");
    let o = pucha(&[&args[..], &["--log", log.to_str().unwrap(), "-q"]].concat());
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["adapter"] == "links" && l["result"] == "404")
    );
    assert!(lines.iter().all(|l| l["url"].is_string()));
    let obs: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(obs["monitoring_point"], "2015-11-15");
    assert_eq!(obs["columns"].as_array().unwrap().len(), 7);
    assert_eq!(obs["links"]["broken"].as_array().unwrap().len(), 8);
    assert_eq!(obs["availability"]["samples"].as_array().unwrap().len(), 3);
    // Three real-time samples are outside the 2015 window and far below the standard: the engine says so.
    let scored = pucha(&["score", out.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&String::from_utf8_lossy(&scored.stdout)).unwrap();
    assert!(
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "link-availability" && r["points"] == 4.4)
    );
    // Without --allow-private the same site is refused: exit 4 with the reason, the observation still written, with
    // nothing claimed about the site and the homepage listed as not visited.
    let refused_out = dir.join("refused.json");
    let o = pucha(&[
        "probe",
        profile.to_str().unwrap(),
        "--samples",
        "1",
        "--date",
        "2015-11-15",
        "-q",
        "-o",
        refused_out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--allow-private"));
    let refused: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&refused_out).unwrap()).unwrap();
    for fact in [
        "columns",
        "links",
        "availability",
        "interaction",
        "services",
        "content_findings",
    ] {
        assert!(refused.get(fact).is_none(), "{fact}: {refused}");
    }
    let nv = refused["provenance"]["not_visited"].as_array().unwrap();
    assert!(
        nv.iter()
            .all(|e| e["reason"] == "private_address" && e["url"].as_str().unwrap().starts_with(&served.base)),
        "{nv:?}"
    );
    assert!(
        nv.iter()
            .any(|e| e["url"] == site.profile(&served.base).site.homepage)
    );
    // Its report: undetermined, and the pages not visited are a warning.
    let scored = pucha(&["score", refused_out.to_str().unwrap(), "--format", "json"]);
    assert_eq!(scored.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_str(&String::from_utf8_lossy(&scored.stdout)).unwrap();
    assert_eq!(report["verdict"], "undetermined");
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "not_visited")
    );
    // A page budget smaller than the site: the broken links found are a lower bound, the rest not visited.
    let o = pucha(&[&args[..], &["--page-budget", "2", "-q"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let capped: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(capped["links"]["complete"], false, "{}", capped["links"]);
    assert!(
        capped["provenance"]["not_visited"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["reason"] == "page_budget")
    );
    // A broken profile is a clear error.
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[site]\nnmae = 1\n").unwrap();
    let o = pucha(&["probe", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nmae"));
}

fn rows(db: &std::path::Path) -> Vec<(i64, String)> {
    // The monitor may not have created its tables yet: no rows then.
    let Ok(c) = rusqlite::Connection::open(db) else {
        return Vec::new();
    };
    let Ok(mut st) = c.prepare("SELECT slot, at FROM samples ORDER BY slot") else {
        return Vec::new();
    };
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default()
}

#[test]
fn the_monitor_survives_kill_9_and_resumes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let site = pucha_probes::fixture::FixtureSite::generate(3, crawl);
    let served = rt.block_on(site.clone().serve()).unwrap();
    let dir = root().join("target/monitor-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile.toml");
    std::fs::write(&profile, site.profile(&served.base).to_toml()).unwrap();
    let db = dir.join("monitor.sqlite");
    let args = [
        "monitor",
        profile.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--days",
        "1",
        "--per-day",
        "120",
        "--interval",
        "25ms",
        "--allow-private",
        "-q",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(args)
        .spawn()
        .unwrap();
    // Wait until some samples are in, then SIGKILL it mid-run.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline && (!db.exists() || rows(&db).len() < 15) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // A second monitor on the same database while the first runs is refused (one lock, held for the process).
    let second = Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("another `pucha monitor`"));
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = rows(&db);
    assert!(
        after_kill.len() >= 15,
        "samples written before the kill: {}",
        after_kill.len()
    );
    assert!(after_kill.len() < 120, "killed before the end");
    // Restart with the same database: it resumes the stored plan and keeps every earlier sample as it was.
    let o = Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let done = rows(&db);
    for r in &after_kill {
        assert!(done.contains(r), "sample {r:?} lost");
    }
    assert!(done.len() > after_kill.len(), "the restarted monitor carried on");
    assert!(done.len() <= 120);
    // Run again on the finished plan, not quiet: the finish line gives the start in 北京时间, to the second.
    let loud: Vec<&str> = args.iter().copied().filter(|a| *a != "-q").collect();
    let o = Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(&loud)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    let started = err.split("始于 started ").nth(1).unwrap_or_default();
    let (at, rest) = started.split_at(started.find('（').unwrap_or(0));
    assert!(rest.starts_with("（北京时间 CST）"), "{err}");
    assert!(
        chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").is_ok(),
        "`{at}` is a time to the second: {err}"
    );
    let slots: std::collections::BTreeSet<i64> = done.iter().map(|r| r.0).collect();
    assert_eq!(slots.len(), done.len(), "no slot twice");
    // The probe reads availability from the database.
    let o = pucha(&[
        "probe",
        profile.to_str().unwrap(),
        "--allow-private",
        "--db",
        db.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let obs: serde_json::Value = serde_json::from_str(&String::from_utf8_lossy(&o.stdout)).unwrap();
    assert_eq!(
        obs["availability"]["samples"].as_array().unwrap().len(),
        done.len()
    );
    // A database for another site is refused.
    let other = dir.join("other.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string(&profile)
            .unwrap()
            .replace(&served.base, "http://127.0.0.1:9"),
    )
    .unwrap();
    let o = pucha(&[
        "monitor",
        other.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--allow-private",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("use another --db"));
}

/// Without `--out-dir` the demo writes into the system's temporary folder and says where: run from the repository,
/// it leaves the working tree as it was.
#[test]
fn demo_leaves_the_working_tree_alone() {
    let status = || {
        Command::new("git")
            // fuzz/ left out: a long fuzzing run may be growing its corpus there while the tests run.
            .args([
                "status",
                "--porcelain",
                "--untracked-files=all",
                "--",
                ".",
                ":!fuzz",
            ])
            .current_dir(root())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| o.stdout)
    };
    let before = status();
    let o = Command::new(env!("CARGO_BIN_EXE_pucha"))
        .arg("demo")
        .current_dir(root())
        .output()
        .expect("pucha runs");
    assert_eq!(o.status.code(), Some(0));
    let said = String::from_utf8_lossy(&o.stderr);
    let temp = std::env::temp_dir().display().to_string();
    assert!(
        said.contains(&format!("{temp}/pucha-demo-")) || said.contains(&format!("{temp}pucha-demo-")),
        "{said}"
    );
    assert!(!root().join("pucha-demo").exists());
    // Where git is at hand (a checkout), nothing in the tree changed.
    if let (Some(a), Some(b)) = (before, status()) {
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    }
    let dir = said
        .lines()
        .find_map(|l| l.strip_prefix("观测 observation: "))
        .and_then(|p| {
            std::path::Path::new(p.trim())
                .parent()
                .map(std::path::Path::to_path_buf)
        });
    if let Some(d) = dir {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn the_monitor_refuses_durations_and_plans_no_monitor_would_make() {
    let dir = root().join("target/monitor-bounds");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile.toml");
    std::fs::write(
        &profile,
        "[site]\nname = \"x\"\nhomepage = \"http://127.0.0.1:9/\"\n",
    )
    .unwrap();
    let db = dir.join("m.sqlite");
    let run = |extra: &[&str]| {
        let mut a = vec![
            "monitor",
            profile.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "-q",
        ];
        a.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_pucha"))
            .args(&a)
            .output()
            .unwrap()
    };
    for extra in [
        &["--interval", "3000000000h"][..],
        &["--interval", "0ms"],
        &["--per-day", "100000000"],
        &["--days", "0"],
    ] {
        let o = run(extra);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{extra:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains("panicked") && err.contains(extra[0]),
            "{extra:?}: {err}"
        );
    }
    // A stored plan tampered with: refused with the reason, not run (and no panic on its arithmetic).
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS plan (id INTEGER PRIMARY KEY, homepage TEXT NOT NULL, start TEXT NOT NULL, \
         interval_ms INTEGER NOT NULL, total INTEGER NOT NULL);
         INSERT OR REPLACE INTO plan VALUES (1, 'http://127.0.0.1:9/', '2015-06-30T00:00:00+08:00', 9223372036854775807, 5);",
    )
    .unwrap();
    drop(c);
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("stored plan is not valid"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_terms_file_with_an_empty_wrong_form_is_refused_before_any_request() {
    let dir = root().join("target/probe-terms");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile.toml");
    std::fs::write(
        &profile,
        "[site]\nname = \"x\"\nhomepage = \"http://127.0.0.1:9/\"\n",
    )
    .unwrap();
    // An empty wrong form would match at every character of every page.
    let terms = dir.join("terms.toml");
    std::fs::write(
        &terms,
        "[[term]]\nwrong = \"办工\"\nright = \"办公\"\n\n[[term]]\nwrong = \"\"\nright = \"x\"\n",
    )
    .unwrap();
    let o = pucha(&[
        "probe",
        profile.to_str().unwrap(),
        "--terms",
        terms.to_str().unwrap(),
        "--date",
        "2015-06-30",
        "-q",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("terms.toml") && err.contains("[[term]] 2: `wrong` is empty"),
        "{err}"
    );
}
