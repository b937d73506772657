//! `pucha campaign init` and `pucha campaign status`: a site list (网站名录) in, every problem at once, a campaign
//! folder out.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;
use common::{pucha, root};

const HEADER: &str = "地区,网站名称,ICP备案编号,首页网址,网站主管单位,办公地址,网站类型,网站标识码,负责人姓名,负责人职务,负责人办公电话,负责人手机,负责人电子邮箱,联系人姓名,联系人办公电话,联系人手机,联系人电子邮箱";

fn row(n: u32, mobile: &str) -> String {
    format!(
        "示例省示例县,示例县第{n}网站,蜀ICP备0506{n:04}号,http://s{n}.example.gov.cn/,示例县人民政府办公室,示例县人民路 1 号,其他,51012{n:05},张三,主任,028-12345678,{mobile},zs@example.gov.cn,李四,028-87654321,13900139000,ls@example.gov.cn"
    )
}

fn dir(name: &str) -> std::path::PathBuf {
    let d = root().join("target/campaign-tests").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_gbk_list_with_a_title_row_and_bad_rows_reports_every_problem_then_starts_with_the_valid_ones() {
    let d = dir("gbk");
    let mut text = format!("网站名录\n{HEADER}\n");
    for n in 1..=30 {
        let mobile = if n % 10 == 0 { "123" } else { "13800138000" };
        text.push_str(&row(n, mobile));
        text.push('\n');
    }
    // A duplicate of site 1.
    text.push_str(&row(1, "13800138000"));
    text.push('\n');
    let list = d.join("sites.csv");
    std::fs::write(&list, encoding_rs::GBK.encode(&text).0).unwrap();
    let campaign = d.join("c");
    let o = pucha(&[
        "campaign",
        "init",
        s(&campaign),
        "--sites",
        s(&list),
        "--from",
        "2015-06-24",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for r in [12, 22, 32] {
        assert!(
            err.contains(&format!("第 {r} 行 row {r}：负责人 手机")),
            "row {r}: {err}"
        );
    }
    assert!(
        err.contains("第 33 行 row 33：网站标识码") && err.contains("与第 3 行 row 3重复"),
        "{err}"
    );
    assert!(!campaign.join("campaign.sqlite").exists(), "nothing created");

    let o = pucha(&[
        "campaign",
        "init",
        s(&campaign),
        "--sites",
        s(&list),
        "--from",
        "2015年6月24日",
        "--per-day",
        "20",
        "--skip-invalid",
        "--set",
        "proration=whole-percent",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        text.contains("网站 sites: 27") && text.contains("4 个网站有问题"),
        "{text}"
    );
    assert!(text.contains("监测时间点 monitoring point: 2015-06-30"), "{text}");

    let o = pucha(&["campaign", "status", s(&campaign), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["sites"], 27);
    assert_eq!(v["samples_planned"], 27 * 7 * 20);
    assert_eq!(v["samples_taken"], 0);
    assert_eq!(v["set"][0], "proration=whole-percent");
    assert_eq!(v["per_site"][0]["name"], "示例县第1网站");
    assert_eq!(v["per_site"][0]["probed"], false);
    let o = pucha(&["campaign", "status", s(&campaign)]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("可用性抽样 samples: 0 / 3780") && text.contains("待进行 pending"),
        "{text}"
    );

    let again = pucha(&[
        "campaign",
        "init",
        s(&campaign),
        "--sites",
        s(&list),
        "--skip-invalid",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a campaign"));
}

#[test]
fn lists_of_profiles_a_workbook_and_bad_arguments() {
    let d = dir("kinds");
    // A folder of profiles: the repository's example county profile, and one that does not read.
    let folder = d.join("profiles");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        root().join("examples/profiles/county.toml"),
        folder.join("a-county.toml"),
    )
    .unwrap();
    std::fs::write(folder.join("b-broken.toml"), "[site\n").unwrap();
    let o = pucha(&["campaign", "init", s(&d.join("c1")), "--sites", s(&folder)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("`b-broken.toml`") && err.contains("无法读取"),
        "{err}"
    );
    let o = pucha(&[
        "campaign",
        "init",
        s(&d.join("c1")),
        "--sites",
        s(&folder),
        "--skip-invalid",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));

    // JSON Lines of profiles.
    let county = std::fs::read_to_string(root().join("examples/profiles/county.toml")).unwrap();
    let p: toml::Value = toml::from_str(&county).unwrap();
    let jsonl = d.join("sites.jsonl");
    std::fs::write(&jsonl, format!("{}\n", serde_json::to_string(&p).unwrap())).unwrap();
    let o = pucha(&[
        "campaign",
        "init",
        s(&d.join("c2")),
        "--sites",
        s(&jsonl),
        "--from",
        "2015-06-24",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));

    // A workbook: sites, then their columns on a second sheet.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in row(1, "13800138000").split(',').enumerate() {
        sheet.write_string(1, c as u16, v).unwrap();
    }
    let cols = wb.add_worksheet();
    for (c, v) in ["网站标识码", "类别", "栏目名称", "网址"].iter().enumerate() {
        cols.write_string(0, c as u16, *v).unwrap();
    }
    for (c, v) in [
        "5101200001",
        "通知公告",
        "通知公告",
        "http://s1.example.gov.cn/tzgg/",
    ]
    .iter()
    .enumerate()
    {
        cols.write_string(1, c as u16, *v).unwrap();
    }
    let xlsx = d.join("sites.xlsx");
    wb.save(&xlsx).unwrap();
    let o = pucha(&[
        "campaign",
        "init",
        s(&d.join("c3")),
        "--sites",
        s(&xlsx),
        "--from",
        "2015-06-24",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));

    let c4 = d.join("c4");
    let txt = d.join("sites.txt");
    for (args, says) in [
        (
            vec!["--sites", s(&xlsx), "--from", "2015-02-30"],
            "--from 2015-02-30",
        ),
        (
            vec!["--sites", s(&xlsx), "--pack", "no-such-pack"],
            "no-such-pack",
        ),
        (vec!["--sites", s(&xlsx), "--columns", s(&xlsx)], "--columns"),
        (vec!["--sites", s(&txt)], "a site list is"),
    ] {
        let mut a = vec!["campaign", "init", s(&c4)];
        a.extend(args);
        let o = pucha(&a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{a:?}: {err}");
        assert!(err.contains(says) && !err.contains("panicked"), "{a:?}: {err}");
    }
    let o = pucha(&["campaign", "status", s(&d.join("nothing-here"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds no campaign"));
}

/// The compressed clock and the `.test` resolver are for simulation builds: the shipped binary does not know them.
#[cfg(not(feature = "simulation"))]
#[test]
fn the_shipped_binary_refuses_the_simulation_flags() {
    let d = dir("no-sim");
    for args in [
        vec!["campaign", "run", s(&d), "--sim-speed", "100"],
        vec!["campaign", "run", s(&d), "--sim-hosts"],
        vec!["sim-farm"],
    ] {
        let o = pucha(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("unexpected argument") || err.contains("unrecognized subcommand"),
            "{args:?}: {err}"
        );
    }
}

/// A homepage server on 127.0.0.1: every request answered 200, until the test ends.
fn serve() -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut s = stream;
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            });
        }
    });
    port
}

/// Wait until `sql` (one boolean) holds in the campaign database `db`, for at most two minutes: a run first records
/// the slots already past as missed, which takes longer on a loaded machine and later in the day.
fn wait_for(db: &std::path::Path, sql: &str) {
    let start = std::time::Instant::now();
    loop {
        let holds = rusqlite::Connection::open(db)
            .and_then(|c| c.query_row(sql, [], |r| r.get::<_, bool>(0)))
            .unwrap_or(false);
        if holds {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "never held: {sql}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Per site: samples, the highest slot + 1, and visits that answered.
fn samples(db: &std::path::Path) -> Vec<(i64, i64, i64, i64)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let mut q = c
        .prepare("SELECT site, COUNT(*), MAX(slot) + 1, SUM(ok) FROM samples GROUP BY site ORDER BY site")
        .unwrap();
    q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_run_killed_at_random_moments_resumes_without_losing_or_repeating_a_slot() {
    let d = dir("run");
    let port = serve();
    let mut text = format!("{HEADER}\n");
    for n in 1..=20u32 {
        let line = row(n, "13800138000").replace(
            &format!("http://s{n}.example.gov.cn/"),
            &format!("http://127.0.0.1:{port}/s{n}/"),
        );
        text.push_str(&line);
        text.push('\n');
    }
    let list = d.join("sites.csv");
    std::fs::write(&list, text).unwrap();
    let campaign = d.join("c");
    // Today in China Standard Time, a visit every 10 s per site for two days: the slots of today already past are
    // recorded as missed (the prober's fault), the rest are visited as they fall due.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string();
    let o = pucha(&[
        "campaign",
        "init",
        s(&campaign),
        "--sites",
        s(&list),
        "--from",
        &today,
        "--days",
        "2",
        "--per-day",
        "8640",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_pucha"))
            .args(["campaign", "run", s(&campaign), "--allow-private", "-q"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let db = campaign.join("campaign.sqlite");
    let mut seed = u64::from(std::process::id());
    for round in 0..6 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut child = run();
        std::thread::sleep(std::time::Duration::from_millis(200 + (seed >> 33) % 1500));
        if round == 2 {
            // Readable while the run writes.
            let o = pucha(&["campaign", "status", s(&campaign), "--format", "json"]);
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["sites"], 20);
            // And a second run refuses.
            let o = pucha(&["campaign", "run", s(&campaign), "--allow-private", "-q"]);
            assert_eq!(o.status.code(), Some(2));
            assert!(String::from_utf8_lossy(&o.stderr).contains("one run a campaign"));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for (site, count, slots, _) in samples(&db) {
            assert_eq!(
                count, slots,
                "round {round}: site {site} has every slot up to its last exactly once"
            );
        }
    }
    // SIGINT stops cleanly: the visits under way are recorded, the exit is 130.
    let before: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM samples WHERE ok = 1", [], |r| r.get(0))
        .unwrap();
    let child = run();
    // A visit of this run is recorded (its signal handler is in place by then).
    wait_for(
        &db,
        &format!("SELECT COUNT(*) > {before} FROM samples WHERE ok = 1"),
    );
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = samples(&db);
    assert_eq!(rows.len(), 20);
    assert!(rows.iter().all(|(_, count, slots, _)| count == slots));
    assert!(
        rows.iter().map(|r| r.3).sum::<i64>() > 0,
        "some visits were made: {rows:?}"
    );
    let o = pucha(&["campaign", "status", s(&campaign), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["samples_failed"], 0, "every visit answered");
    assert_eq!(v["per_site"][0]["samples_planned"], 2 * 8640);
}

#[test]
fn a_campaign_probes_and_scores_the_fixture_portal_from_its_list() {
    let d = dir("fixture");
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let site = pucha_probes::fixture::FixtureSite::generate(2015, crawl);
    let served = rt.block_on(site.clone().serve()).unwrap();
    let profile = site.profile(&served.base);
    let list = d.join("sites.jsonl");
    std::fs::write(&list, format!("{}\n", serde_json::to_string(&profile).unwrap())).unwrap();
    let campaign = d.join("c");
    // A campaign whose week is past: every slot is missed (the prober's fault), and the probe runs at once.
    let o = pucha(&[
        "campaign",
        "init",
        s(&campaign),
        "--sites",
        s(&list),
        "--from",
        "2015-06-24",
        "--per-day",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("before today"));
    let o = pucha(&[
        "campaign",
        "run",
        s(&campaign),
        "--allow-private",
        "-q",
        "--rate",
        "1000",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let o = pucha(&["campaign", "status", s(&campaign), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["probed"].as_u64(), v["samples_taken"].as_u64()),
        (Some(1), Some(140))
    );
    assert_eq!(v["samples_prober_fault"], 140);
    assert_eq!(
        v["per_site"][0]["provisional_verdict"], "fail",
        "the vetoes are certain already"
    );
    // The verdict is kept in the status cache and read from it next time, with the same answer; a cache of
    // another basis (or garbage) is worked out again.
    assert!(campaign.join("status-cache.sqlite").is_file());
    let again = pucha(&["campaign", "status", s(&campaign), "--format", "json"]);
    assert_eq!(o.stdout, again.stdout);
    std::fs::write(campaign.join("status-cache.sqlite"), "not a database").unwrap();
    let garbage = pucha(&["campaign", "status", s(&campaign), "--format", "json"]);
    assert_eq!(garbage.status.code(), Some(0));
    assert_eq!(o.stdout, garbage.stdout);

    let o = pucha(&["campaign", "score", s(&campaign)]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the fixture fails (two vetoes planted): {text}"
    );
    assert!(text.contains("示例省示例县") && text.contains("不合格"), "{text}");
    let reports = std::fs::read_to_string(campaign.join("reports.jsonl")).unwrap();
    let r: serde_json::Value = serde_json::from_str(reports.lines().next().unwrap()).unwrap();
    let vetoes: Vec<&str> = r["vetoes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert!(
        vetoes.contains(&"serious-error") && vetoes.contains(&"poor-response"),
        "{vetoes:?}"
    );
    assert_eq!(r["monitoring_point"], "2015-06-30");
    // The hand-in files: the workbook with its 不合格网站名单, and the roll-up page.
    let book = std::fs::read(campaign.join("上报表.xlsx")).unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(book)).unwrap();
    use calamine::Reader as _;
    assert_eq!(wb.sheet_names()[1], "不合格网站名单");
    let failing = wb.worksheet_range("不合格网站名单").unwrap();
    assert_eq!(failing.height(), 2, "the portal is on it");
    let page = std::fs::read_to_string(campaign.join("汇总.html")).unwrap();
    assert!(page.contains("示例省示例县"));
    let obs = std::fs::read_to_string(campaign.join("observations.jsonl")).unwrap();
    let o: serde_json::Value = serde_json::from_str(obs.lines().next().unwrap()).unwrap();
    assert_eq!(o["availability"]["samples"].as_array().map(Vec::len), Some(140));
    // The broken links the fixture planted on its homepage were found by the campaign's probe.
    let broken = o["links"]["broken"].as_array().unwrap();
    for path in &site.planted.broken_on_homepage {
        assert!(
            broken
                .iter()
                .any(|b| b["url"].as_str().is_some_and(|u| u.ends_with(path.as_str()))),
            "{path}: {broken:?}"
        );
    }
    drop(served);
}

#[test]
fn a_site_down_counts_against_it_unless_the_control_site_is_down_too() {
    let d = dir("control");
    let port = serve();
    // A port nothing listens on: connections are refused at once.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut text = format!("{HEADER}\n");
    text.push_str(
        &row(1, "13800138000").replace("http://s1.example.gov.cn/", &format!("http://127.0.0.1:{port}/")),
    );
    text.push('\n');
    text.push_str(&row(2, "13800138000").replace(
        "http://s2.example.gov.cn/",
        &format!("http://127.0.0.1:{closed}/"),
    ));
    text.push('\n');
    let list = d.join("sites.csv");
    std::fs::write(&list, text).unwrap();
    let today = (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string();
    let failures = |name: &str, control: Option<String>| {
        let campaign = d.join(name);
        let o = pucha(&[
            "campaign",
            "init",
            s(&campaign),
            "--sites",
            s(&list),
            "--from",
            &today,
            "--days",
            "2",
            "--per-day",
            "86400",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let mut args = vec!["campaign", "run", s(&campaign), "--allow-private", "-q"];
        if let Some(c) = &control {
            args.extend(["--control", c.as_str()]);
        }
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_pucha"))
            .args(&args)
            .spawn()
            .unwrap();
        // The slots of today already past are recorded first (as missed); then both sites are visited live.
        wait_for(
            &campaign.join("campaign.sqlite"),
            "SELECT (SELECT COUNT(*) FROM samples WHERE site = 1 AND ok = 1) > 0
                AND (SELECT COUNT(*) FROM samples WHERE site = 2 AND error IS NOT 'prober down') > 0",
        );
        let pid = child.id().to_string();
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap();
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(130));
        let c = rusqlite::Connection::open(campaign.join("campaign.sqlite")).unwrap();
        let q = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
        (
            q("SELECT COUNT(*) FROM samples WHERE site = 2 AND ok = 0 AND probe_fault = 0"),
            q("SELECT COUNT(*) FROM samples WHERE site = 2 AND error <> 'prober down' AND probe_fault = 1"),
            q("SELECT COUNT(*) FROM samples WHERE site = 1 AND ok = 1"),
        )
    };
    let (site_faults, prober_faults, up) = failures("no-control", None);
    assert!(
        site_faults > 0 && prober_faults == 0 && up > 0,
        "{site_faults} {prober_faults} {up}"
    );
    // The control site is down as well: the failures are the prober's own, not counted against the site.
    let (site_faults, prober_faults, up) =
        failures("control-down", Some(format!("http://127.0.0.1:{closed}/")));
    assert!(
        site_faults == 0 && prober_faults > 0 && up > 0,
        "{site_faults} {prober_faults} {up}"
    );
}

#[test]
fn a_run_whose_database_refuses_writes_stops_with_the_error_instead_of_visiting_unrecorded() {
    let d = dir("db-fails");
    let port = serve();
    let mut text = format!("{HEADER}\n");
    text.push_str(
        &row(1, "13800138000").replace("http://s1.example.gov.cn/", &format!("http://127.0.0.1:{port}/")),
    );
    text.push('\n');
    let list = d.join("sites.csv");
    std::fs::write(&list, text).unwrap();
    let campaign = d.join("c");
    let today = (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string();
    let o = pucha(&[
        "campaign",
        "init",
        s(&campaign),
        "--sites",
        s(&list),
        "--from",
        &today,
        "--days",
        "2",
        "--per-day",
        "86400",
    ]);
    assert_eq!(o.status.code(), Some(0));
    // Every write of a sample fails, as on a full disk.
    let c = rusqlite::Connection::open(campaign.join("campaign.sqlite")).unwrap();
    c.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON samples BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
    )
    .unwrap();
    drop(c);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(["campaign", "run", s(&campaign), "--allow-private", "-q"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the run went on visiting with nowhere to record the samples");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("database or disk is full"), "{err}");
}

/// The README's campaign commands, run as written against the fixture portal: `my-region` is a folder of the test,
/// `my-网站名录.xlsx` a list whose one site is the portal served on 127.0.0.1, and `run` gets `--allow-private`.
#[test]
fn the_readme_campaign_commands_run_against_the_fixture_portal() {
    let d = dir("readme");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let prefix = "cargo run --release -p pucha-cli -- campaign ";
    let commands: Vec<&str> = readme.lines().filter(|l| l.starts_with(prefix)).collect();
    assert_eq!(commands.len(), 4, "init, run, status, score");
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let site = pucha_probes::fixture::FixtureSite::generate(2015, crawl);
    let served = rt.block_on(site.clone().serve()).unwrap();
    let p = site.profile(&served.base);
    // The list as a unit keeps it: one row per site under the 附件3 labels.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let cells = [
        ("地区", p.site.region.clone()),
        ("网站名称", p.site.name.clone()),
        ("ICP备案编号", p.site.icp.clone()),
        ("首页网址", p.site.homepage.clone()),
        ("网站主管单位", p.site.authority.clone()),
        ("办公地址", p.site.address.clone()),
        ("网站类型", "门户网站".into()),
        ("网站标识码", p.site.id.clone().unwrap()),
        ("负责人姓名", p.head.name.clone()),
        ("负责人职务", p.head.title.clone().unwrap()),
        ("负责人办公电话", p.head.office_phone.clone()),
        ("负责人手机", p.head.mobile.clone()),
        ("负责人电子邮箱", p.head.email.clone()),
        ("联系人姓名", p.contact.name.clone()),
        ("联系人办公电话", p.contact.office_phone.clone()),
        ("联系人手机", p.contact.mobile.clone()),
        ("联系人电子邮箱", p.contact.email.clone()),
    ];
    for (c, (h, v)) in cells.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
        sheet.write_string(1, c as u16, v).unwrap();
    }
    let cols = wb.add_worksheet();
    for (c, h) in ["网站标识码", "类别", "栏目名称", "网址", "首页"]
        .iter()
        .enumerate()
    {
        cols.write_string(0, c as u16, *h).unwrap();
    }
    for (r, col) in p.columns.iter().enumerate() {
        let row = r as u32 + 1;
        cols.write_string(row, 0, p.site.id.as_deref().unwrap()).unwrap();
        cols.write_string(row, 1, &col.category).unwrap();
        cols.write_string(row, 2, &col.name).unwrap();
        cols.write_string(row, 3, &col.url).unwrap();
        cols.write_string(row, 4, if col.on_homepage { "是" } else { "否" })
            .unwrap();
    }
    wb.save(d.join("my-网站名录.xlsx")).unwrap();
    for command in commands {
        let mut args: Vec<&str> = command
            .trim_start_matches("cargo run --release -p pucha-cli -- ")
            .split_whitespace()
            .collect();
        if args.get(1) == Some(&"run") {
            args.extend(["--allow-private", "--rate", "1000"]);
        }
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_pucha"))
            .args(&args)
            .current_dir(&d)
            .output()
            .unwrap();
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "`{command}` exited {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    for file in ["reports.jsonl", "上报表.xlsx", "汇总.html"] {
        assert!(d.join("my-region").join(file).exists(), "{file}");
    }
    let reports = std::fs::read_to_string(d.join("my-region/reports.jsonl")).unwrap();
    let r: serde_json::Value = serde_json::from_str(reports.lines().next().unwrap()).unwrap();
    assert_eq!(r["verdict"], "fail", "the fixture's two vetoes");
    assert_eq!(r["monitoring_point"], "2015-11-15");
    drop(served);
}
