//! Criterion bench for the 报送系统's roll-up target: the national roll-up page over 84,094 sites, each with one
//! approved filing and its stored report, summary and digest, ≤ 1 s (figures in docs/performance.md).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use pucha_bench::varied_counts;
use pucha_core::{Engine, Lang, Observation};
use pucha_server::access::{Actor, Grant, Role};
use pucha_server::store::Store;
use pucha_server::units::{self, Level, NewUnit};
use std::hint::black_box;
use std::time::Duration;

/// A country: a national root, 31 provinces, 10 cities under each; `n` sites spread over the cities, each with
/// one filing approved at the root whose report was scored by the engine. Full reports are stored for the first
/// site of each pack only (what the roll-up reads for titles); the roll-up reads the summaries.
fn country(store: &Store, n: usize) -> i64 {
    let engine = Engine::builtin("census-2015").unwrap();
    store
        .write(|tx| {
            let unit = |name: String, level| NewUnit { name, level, region: String::new() };
            let root = units::create_root(tx, &unit("国务院办公厅".into(), Level::National))?;
            let system = Actor {
                account: None,
                grants: vec![Grant { role: Role::Admin, unit: root.path.clone() }],
                claims: vec![],
            };
            let mut cities = Vec::new();
            for p in 0..31 {
                let prov = units::create_child(tx, &system, root.id, &unit(format!("省{p}"), Level::Province))?;
                for c in 0..10 {
                    cities.push(units::create_child(tx, &system, prov.id, &unit(format!("省{p}市{c}"), Level::City))?.id);
                }
            }
            tx.execute(
                "INSERT INTO accounts (login, display_name, password_hash, created_at) VALUES ('bench', 'b', 'x', 'now')",
                [],
            )?;
            let now = pucha_server::store::now();
            for (i, text) in varied_counts(n).iter().enumerate() {
                let report = engine.score(&Observation::from_json_str(text).unwrap());
                let summary = serde_json::to_string(&report.summary()).unwrap();
                let head: serde_json::Value = serde_json::from_str(&summary).unwrap();
                let digest = pucha_server::digest::encode(&pucha_core::stored::Digest::from_json_str(&summary).unwrap());
                tx.execute(
                    "INSERT INTO sites (code, unit_id, name, region, check_code_hash) VALUES (?1, ?2, ?3, ?4, x'00')",
                    rusqlite::params![format!("{:010}", 1_000_000_000 + i), cities[i % cities.len()], format!("站点{i}"), head["site"]["region"].as_str()],
                )?;
                let site = tx.last_insert_rowid();
                let full = if i == 0 { report.to_json() } else { String::new() };
                tx.execute(
                    "INSERT INTO filings (site_id, state, monitoring_point, pack, observation_json, report_json, summary_json,
                       verdict, score, created_by, created_at, updated_at, digest, owner_path)
                     VALUES (?1, 'approved', '2015-06-30', 'census-2015', '{}', ?2, ?3, ?4, ?5, 1, ?6, ?6, ?7,
                       (SELECT u.path FROM sites s JOIN units u ON u.id = s.unit_id WHERE s.id = ?1))",
                    rusqlite::params![site, full, summary, head["verdict"].as_str(), head["score"].as_f64(), now, digest],
                )?;
            }
            Ok(root.id)
        })
        .unwrap()
}

fn national_rollup(c: &mut Criterion) {
    // `cargo bench` passes `--bench`: the census's 84,094 sites; `cargo test --benches` (CI) runs it once on 2,000.
    let n = if std::env::args().any(|a| a == "--bench") {
        84_094
    } else {
        2_000
    };
    let dir = std::env::temp_dir().join(format!("pucha-bench-server-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(dir.join("country.sqlite")).unwrap();
    let root = country(&store, n);
    let scorer = pucha_server::scoring::Scorer::new().unwrap();
    let national = Actor {
        account: Some(1),
        grants: vec![Grant {
            role: Role::Reviewer,
            unit: pucha_server::access::UnitPath::root(root),
        }],
        claims: vec![],
    };
    let mut g = c.benchmark_group("server");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function(format!("national roll-up page, {n} approved filings"), |b| {
        b.iter(|| {
            let r = pucha_server::exports::rollup_of(&store, &scorer, &national, root).unwrap();
            assert_eq!(r.overall.sites, n as u64);
            black_box(pucha_render::html::rollup_html(&r, Lang::Zh))
        });
    });
    g.finish();
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, national_rollup);
criterion_main!(benches);
