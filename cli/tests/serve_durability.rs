//! `pucha serve` killed with SIGKILL in the middle of 1,000 concurrent submissions, each with its own
//! idempotency key: the clients retry what was not acknowledged against the restarted server, and afterwards
//! every submission is stored whole, exactly once, with the id it was acknowledged with.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests")]

use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const SUBMISSIONS: usize = 1000;
/// The server is killed once this many submissions are acknowledged.
const KILL_AFTER: usize = 150;

/// A running server, killed when dropped (a failing test leaves no server behind holding its output).
struct Server(Child);

impl Server {
    /// SIGKILL, and wait for it to be gone.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Start `pucha serve` on a free port; its address and everything it printed before listening.
fn start(db: &std::path::Path, demo: bool) -> (Server, String, Vec<String>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pucha"));
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--db"]).arg(db);
    if demo {
        cmd.arg("--demo");
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let child = Server(child);
    let mut seen = Vec::new();
    loop {
        let line = lines
            .next()
            .expect("the server stopped before listening")
            .unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            let addr = rest.split('/').next().unwrap().to_owned();
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines.by_ref() {});
            return (child, addr, seen);
        }
        seen.push(line);
    }
}

fn observation(i: usize) -> Value {
    json!({
        "monitoring_point": "2026-11-30",
        "availability": {"visits": 672, "failures": i % 7, "days": 7},
        "links": {"homepage_broken": i % 3, "other_broken": i % 50},
        "homepage": {"updates_in_window": 10 + i % 9}
    })
}

struct Session {
    cookie: String,
    csrf: String,
}

async fn login(http: &reqwest::Client, addr: &str, login: &str, password: &str) -> Session {
    let r = http
        .post(format!("http://{addr}/api/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "login: {}", r.status());
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let v: Value = r.json().await.unwrap();
    Session {
        cookie,
        csrf: v["csrf"].as_str().unwrap().to_owned(),
    }
}

/// Send submission `i`; its filing id if the server acknowledged it.
async fn submit(http: &reqwest::Client, addr: &str, s: &Session, site: &str, i: usize) -> Option<i64> {
    let body = json!({"site": site, "observation": observation(i), "submit": true, "idempotency_key": format!("dur-{i}")});
    let r = http
        .post(format!("http://{addr}/api/filings"))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .json(&body)
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    let v: Value = r.json().await.ok()?;
    v["filing"]["id"].as_i64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_submissions_survive_a_kill_exactly_once() {
    let dir = std::env::temp_dir().join(format!("pucha-serve-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("serve.sqlite");
    let (mut server, addr, printed) = start(&db, true);
    let password = printed
        .iter()
        .find_map(|l| {
            l.strip_prefix("dong-tianbao")
                .map(|r| r.split_whitespace().next().unwrap().to_owned())
        })
        .expect("the demo prints the county filer's password");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let session = Arc::new(login(&http, &addr, "dong-tianbao", &password).await);
    let sites: Value = http
        .get(format!("http://{addr}/api/units/4/sites"))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<String> = sites["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 4, "{sites}");

    // 1,000 submissions at once; the server dies part-way through.
    let acked = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..SUBMISSIONS {
        let (http, addr, s, site, acked) = (
            http.clone(),
            addr.clone(),
            Arc::clone(&session),
            codes[i % 4].clone(),
            Arc::clone(&acked),
        );
        tasks.push(tokio::spawn(async move {
            let id = submit(&http, &addr, &s, &site, i).await;
            if id.is_some() {
                acked.fetch_add(1, Ordering::SeqCst);
            }
            id
        }));
    }
    while acked.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill(); // SIGKILL
    let mut first: HashMap<usize, i64> = HashMap::new();
    for (i, t) in tasks.into_iter().enumerate() {
        if let Some(id) = t.await.unwrap() {
            first.insert(i, id);
        }
    }
    println!(
        "killed with {} of {SUBMISSIONS} submissions acknowledged",
        first.len()
    );
    assert!(
        first.len() >= KILL_AFTER && first.len() < SUBMISSIONS,
        "the kill fell mid-stream: {} acknowledged",
        first.len()
    );

    // Restarted on the same database: the session still holds; every submission is retried once more (the
    // acknowledged ones too, which must come back as the same filing), until all are acknowledged.
    let (mut server, addr, _) = start(&db, false);
    let mut ids: HashMap<usize, i64> = HashMap::new();
    for round in 0..5 {
        for i in 0..SUBMISSIONS {
            if ids.contains_key(&i) {
                continue;
            }
            if let Some(id) = submit(&http, &addr, &session, &codes[i % 4], i).await {
                ids.insert(i, id);
            }
        }
        if ids.len() == SUBMISSIONS {
            break;
        }
        assert!(
            round < 4,
            "{} of {SUBMISSIONS} never acknowledged",
            SUBMISSIONS - ids.len()
        );
    }
    for (i, id) in &first {
        assert_eq!(
            ids[i], *id,
            "submission {i} was acknowledged as filing {id} before the kill"
        );
    }
    server.kill();

    // Exactly once, whole: one row per key, its report readable, its observation the one sent.
    let c = rusqlite::Connection::open(&db).unwrap();
    let mut st = c
        .prepare("SELECT idem_key, id, state, observation_json, report_json FROM filings WHERE idem_key LIKE 'dur-%'")
        .unwrap();
    let rows: Vec<(String, i64, String, String, String)> = st
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), SUBMISSIONS);
    for (key, id, state, obs, report) in rows {
        let i: usize = key.trim_start_matches("dur-").parse().unwrap();
        assert_eq!(ids[&i], id);
        assert_eq!(state, "submitted");
        let obs: Value = serde_json::from_str(&obs).unwrap();
        assert_eq!(obs["links"], observation(i)["links"], "{key}");
        let report: Value = serde_json::from_str(&report).unwrap();
        assert_eq!(report["schema"], "pucha.report/1");
    }
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit a JOIN filings f ON f.id = a.filing_id WHERE f.idem_key LIKE 'dur-%' AND a.action = 'submit'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        audited, SUBMISSIONS as i64,
        "each submission's move is logged once"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
