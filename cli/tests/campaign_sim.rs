//! A compressed campaign of 200 sites against the fixture farm, killed with SIGKILL at 20 random moments and rerun
//! each time. Simulation builds only (`cargo test -p pucha-cli --features simulation --test campaign_sim`, which
//! `scripts/test` runs): the compressed clock and the farm's `.test` names exist nowhere else.
#![cfg(feature = "simulation")]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;
use common::{pucha, root};
use pucha_probes::fixture::FixtureSite;
use pucha_probes::fixture_farm::{always_down, goes_down, serve_farm};
use std::collections::HashMap;

const SITES: u64 = 200;
/// The site whose name does not resolve.
const NO_DNS: u64 = 200;
/// Simulated seconds per real second: the campaign's day takes 43 s.
const SPEED: &str = "2000";
const PER_DAY: i64 = 48;

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// Per site: samples, the highest slot + 1, visits that answered, visits that failed as the site's fault.
fn samples(db: &std::path::Path) -> Vec<(i64, i64, i64, i64, i64)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let mut q = c
        .prepare(
            "SELECT site, COUNT(*), MAX(slot) + 1, SUM(ok), SUM(NOT ok AND NOT probe_fault)
             FROM samples GROUP BY site ORDER BY site",
        )
        .unwrap();
    q.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// When each probed site's probe finished.
fn probes(db: &std::path::Path) -> HashMap<i64, String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut q = c.prepare("SELECT site, finished FROM probes").unwrap();
    q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_compressed_campaign_of_200_sites_killed_20_times_ends_with_every_slot_once_and_no_probe_twice() {
    let d = root().join("target/campaign-tests/sim");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    // The sites that go down do so at noon of the campaign's one day.
    let noon = chrono::DateTime::parse_from_rfc3339("2015-11-15T12:00:00+08:00").unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let farm = rt.block_on(serve_farm(crawl, Some(noon))).unwrap();
    let port: u16 = farm.base.rsplit(':').next().unwrap().parse().unwrap();
    let mut list = String::new();
    for n in 1..=SITES {
        let base = if n == NO_DNS {
            format!("http://s{n}.gone.invalid")
        } else {
            format!("http://s{n}.farm.test:{port}")
        };
        let mut p = FixtureSite::generate(n, crawl).profile(&base);
        p.site.id = Some(format!("51{n:08}"));
        p.site.name = format!("示例县第{n}网站");
        list.push_str(&serde_json::to_string(&p).unwrap());
        list.push('\n');
    }
    std::fs::write(d.join("sites.jsonl"), list).unwrap();
    let campaign = d.join("c");
    let o = pucha(&[
        "campaign",
        "init",
        s(&campaign),
        "--sites",
        s(&d.join("sites.jsonl")),
        "--from",
        "2015-11-15",
        "--days",
        "1",
        "--per-day",
        &PER_DAY.to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let args = [
        "campaign",
        "run",
        s(&campaign),
        "--allow-private",
        "--sim-hosts",
        "--sim-speed",
        SPEED,
        "--probes",
        "16",
        // The farm is on loopback: the per-host spacing would make each probe take 20 s of waiting.
        "--rate",
        "1000",
        "-q",
    ];
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_pucha"))
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let db = campaign.join("campaign.sqlite");
    let mut seed = u64::from(std::process::id()) | 1;
    let mut finished: HashMap<i64, String> = HashMap::new();
    for round in 0..20 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut child = run();
        std::thread::sleep(std::time::Duration::from_millis(150 + (seed >> 33) % 1200));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // The database is whole after every kill (`samples` checks it). A slot whose visit was still under way
        // may be missing while a later one is recorded (a visit can outlast the 0.9 s interval of this clock): the
        // next run records it as missed, so the end has every slot once.
        for (site, count, slots, ..) in samples(&db) {
            assert!(
                count <= slots && slots <= PER_DAY,
                "round {round}: site {site}: {count} of {slots}"
            );
        }
        if round % 5 == 4 {
            // Down for over two visit intervals: the slots that passed are recorded as missed on the rerun.
            std::thread::sleep(std::time::Duration::from_millis(2000));
        }
        for (site, at) in probes(&db) {
            if let Some(before) = finished.insert(site, at.clone()) {
                assert_eq!(
                    before, at,
                    "round {round}: site {site}'s probe was not taken again"
                );
            }
        }
    }
    // The last run goes to the plan's end.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_pucha"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = samples(&db);
    assert_eq!(rows.len() as u64, SITES);
    for &(site, count, slots, ok, failed) in &rows {
        assert_eq!(
            (count, slots),
            (PER_DAY, PER_DAY),
            "site {site}: every planned slot, once"
        );
        let n = u64::try_from(site).unwrap();
        if n == NO_DNS || always_down(n) {
            assert_eq!(ok, 0, "site {site} never answers");
            assert!(failed > 0, "site {site}: its visits fail as its own fault");
        } else if goes_down(n) {
            assert!(
                ok > 0 && failed > 0,
                "site {site} answers, then not: {ok} {failed}"
            );
        } else {
            assert_eq!(failed, 0, "site {site} is always up");
        }
    }
    let c = rusqlite::Connection::open(&db).unwrap();
    let dns: String = c
        .query_row(
            "SELECT error FROM samples WHERE site = ?1 AND ok = 0 AND NOT probe_fault LIMIT 1",
            [i64::try_from(NO_DNS).unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(dns.to_lowercase().contains("dns"), "{dns}");
    let missed: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM samples WHERE error = 'prober down' AND probe_fault",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        missed > 0,
        "the slots that passed while no run was visiting are recorded as the prober's"
    );
    drop(c);
    let done = probes(&db);
    assert_eq!(done.len() as u64, SITES, "every site probed");
    for (site, at) in &finished {
        assert_eq!(
            done.get(site),
            Some(at),
            "site {site}'s probe was not taken again"
        );
    }
    // Scored: every site has its report, and the one that went down mid-campaign shows its failures.
    let o = pucha(&["campaign", "score", s(&campaign)]);
    assert!(
        matches!(o.status.code(), Some(0 | 1 | 3)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let reports = std::fs::read_to_string(campaign.join("reports.jsonl")).unwrap();
    assert_eq!(reports.lines().count() as u64, SITES);
    drop(farm);
}
