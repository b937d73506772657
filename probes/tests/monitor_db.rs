//! The monitor's database is input like any other: what a tampered file holds is read only to a bound.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use pucha_probes::monitor::MonitorDb;

fn db(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("pucha-monitor-db-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("m.sqlite").to_str().unwrap().to_string();
    (dir, path)
}

#[test]
fn stored_text_is_read_to_a_bound() {
    let (dir, path) = db("text");
    let m = MonitorDb::open(&path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let huge = "x".repeat(1 << 20);
    c.execute(
        "INSERT INTO plan VALUES (1, 'http://127.0.0.1:9/', '2015-06-30T00:00:00+08:00', 60000, 10)",
        [],
    )
    .unwrap();
    c.execute(
        "INSERT INTO samples (slot, at, ok, error) VALUES (0, '2015-06-30T00:00:00+08:00', 0, ?1)",
        [&huge],
    )
    .unwrap();
    let s = m.samples().unwrap();
    assert_eq!(s[0]["error"].as_str().unwrap().len(), 500);
    // A homepage no monitor would store is refused with the reason.
    c.execute("UPDATE plan SET homepage = ?1", [format!("http://x/{huge}")])
        .unwrap();
    let e = m.plan().unwrap_err();
    assert!(e.contains("homepage is longer than 4096 characters"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn more_samples_than_the_plan_takes_are_refused() {
    let (dir, path) = db("count");
    let m = MonitorDb::open(&path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "INSERT INTO plan VALUES (1, 'http://127.0.0.1:9/', '2015-06-30T00:00:00+08:00', 60000, 10);
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
         INSERT INTO samples (slot, at, ok) SELECT i, '2015-06-30T00:00:00+08:00', 1 FROM n;",
    )
    .unwrap();
    assert_eq!(m.samples().unwrap().len(), 10);
    c.execute(
        "INSERT INTO samples (slot, at, ok) VALUES (10, '2015-06-30T00:00:00+08:00', 1)",
        [],
    )
    .unwrap();
    let e = m.samples().unwrap_err();
    assert!(
        e.contains("more samples stored than the 10 visits of its plan"),
        "{e}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
