//! `pucha campaign run`: the availability samples of every site of a campaign, in one process.
//!
//! Site `i` of `n` (list order) is visited at `start + k × interval + i × interval / n` for slot `k` (`start` is
//! 00:00 China Standard Time of the plan's first date, `interval` a day over the visits a day): each site's visits
//! are evenly spread, and the sites' schedules are offset from each other so the load is flat. Every sample is
//! committed to the campaign's database as it completes; a slot already recorded is never visited again, so a run
//! killed at any moment (even `kill -9`) and started again carries on. A slot whose time passed by more than an
//! interval without a visit (the prober was down, or not yet started) is recorded as the prober's fault
//! (`probe_fault`, error `prober down`): the engine leaves it out of the failure rate and reports the thinner
//! sampling. One run a campaign: an OS advisory lock on `campaign.lock` in its folder, released by the OS however
//! the process ends.

use crate::campaign::{DB_FILE, ProbeSchedule, Schedule};
use crate::clock::Clock;
use crate::http::Fetcher;
use rusqlite::{Connection, params};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The error recorded for a slot missed while no run was visiting.
pub const PROBER_DOWN: &str = "prober down";

/// Take the campaign's lock for this process's lifetime.
///
/// # Errors
/// When another run holds it, or the lock file cannot be made, as text.
pub fn lock(dir: &Path) -> Result<std::fs::File, String> {
    let path = dir.join("campaign.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another `pucha campaign run` is running on `{}` (it holds `{}`); one run a campaign",
            dir.display(),
            path.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock `{}`: {e}", path.display())),
    }
}

/// Batches waiting for the database writer at most.
const QUEUED: usize = 16;

/// Missed slots sent to the writer together (with [`QUEUED`], at most 16,000 wait in memory).
const MISSED_BATCH: usize = 1_000;

/// One sample for the database: site key, slot, and the sample as `availability.samples[]` holds it.
type Row = (i64, u64, Value);

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Samples recorded by this run (visits and missed slots).
    pub recorded: u64,
    /// Of them, slots missed (recorded as the prober's fault).
    pub missed: u64,
    /// Whether the run stopped before the plan's end (interrupted).
    pub interrupted: bool,
}

/// The database side of a run: a thread owning the connection, writing what it is sent. A batch of samples that
/// arrived together is committed in one transaction, and each is durable once that returns. The channel to it is
/// bounded ([`QUEUED`]): a scheduler recording a week of missed slots waits for the disk instead of queueing
/// them all in memory.
fn writer(path: &Path, rx: mpsc::Receiver<Vec<Row>>) -> std::thread::JoinHandle<Result<u64, String>> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let db_err = |e: rusqlite::Error| format!("campaign database: {e}");
        let mut conn = Connection::open(&path).map_err(db_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db_err)?;
        crate::campaign::ensure_tallies(&mut conn)?;
        let mut written = 0u64;
        let mut rx = rx;
        while let Some(mut rows) = rx.blocking_recv() {
            // Whatever else is already waiting goes in the same transaction.
            while let Ok(more) = rx.try_recv() {
                rows.extend(more);
                if rows.len() >= 10_000 {
                    break;
                }
            }
            let tx = conn.transaction().map_err(db_err)?;
            {
                let mut st = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO samples (site, slot, at, ok, status, elapsed_ms, error, probe_fault)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )
                    .map_err(db_err)?;
                // Each site's tally moves with the samples recorded, in the same transaction.
                let mut tallies: std::collections::HashMap<i64, (i64, i64, i64)> =
                    std::collections::HashMap::new();
                for (site, slot, s) in &rows {
                    let added = st
                        .execute(params![
                            site,
                            i64::try_from(*slot).unwrap_or(i64::MAX),
                            s["at"].as_str().unwrap_or(""),
                            s["ok"].as_bool().unwrap_or(false),
                            s["status"].as_i64(),
                            s["elapsed_ms"].as_i64(),
                            s["error"]
                                .as_str()
                                .map(|e| e.chars().take(500).collect::<String>()),
                            s["probe_fault"].as_bool().unwrap_or(false),
                        ])
                        .map_err(db_err)?;
                    if added > 0 {
                        written += 1;
                        let counts = !s["probe_fault"].as_bool().unwrap_or(false);
                        let failed = counts && !s["ok"].as_bool().unwrap_or(false);
                        let t = tallies.entry(*site).or_default();
                        *t = (t.0 + 1, t.1 + i64::from(counts), t.2 + i64::from(failed));
                    }
                }
                let mut up = tx
                    .prepare_cached(
                        "INSERT INTO tallies (site, taken, counted, failed) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (site) DO UPDATE SET taken = taken + excluded.taken,
                             counted = counted + excluded.counted, failed = failed + excluded.failed",
                    )
                    .map_err(db_err)?;
                for (site, (taken, counted, failed)) in tallies {
                    up.execute(params![site, taken, counted, failed])
                        .map_err(db_err)?;
                }
            }
            tx.commit().map_err(db_err)?;
        }
        Ok(written)
    })
}

/// Which slots are recorded: one bit per slot of every site (`site index × slots + slot`), so the 2015 census's
/// 84,094 sites × 168 slots take 1.8 MB.
struct Recorded {
    bits: Vec<u64>,
    count: u64,
}

impl Recorded {
    fn has(&self, at: u64) -> bool {
        usize::try_from(at / 64)
            .ok()
            .and_then(|w| self.bits.get(w))
            .is_some_and(|w| w & (1 << (at % 64)) != 0)
    }
}

/// The slots already recorded.
fn recorded(conn: &Connection, schedule: &Schedule) -> Result<Recorded, String> {
    let db_err = |e: rusqlite::Error| format!("campaign database: {e}");
    let index: std::collections::HashMap<i64, u64> = schedule
        .sites
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (*key, i as u64))
        .collect();
    let total = schedule.sites.len() as u64 * schedule.slots;
    let mut done = Recorded {
        bits: vec![0; usize::try_from(total.div_ceil(64)).map_err(|e| e.to_string())?],
        count: 0,
    };
    let mut st = conn.prepare("SELECT site, slot FROM samples").map_err(db_err)?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .map_err(db_err)?;
    for row in rows {
        let (site, slot) = row.map_err(db_err)?;
        if let (Some(i), Ok(slot)) = (index.get(&site), u64::try_from(slot))
            && slot < schedule.slots
        {
            let at = i * schedule.slots + slot;
            if !done.has(at)
                && let Some(w) = usize::try_from(at / 64).ok().and_then(|w| done.bits.get_mut(w))
            {
                *w |= 1 << (at % 64);
                done.count += 1;
            }
        }
    }
    Ok(done)
}

/// Resolves once `stop` says so (never, when its sender is gone without saying it).
async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    if stop.wait_for(|s| *s).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Run the schedule: visit every site at each due slot not yet recorded, record missed slots, until the plan's
/// end or until `stop` turns true (then the visits under way finish and are recorded). `progress(recorded so far,
/// slots missed, visits of this run that failed)` is called as samples are sent to the database.
///
/// # Errors
/// Database errors, as text (a visit never fails: its outcome is the sample).
pub async fn run(
    dir: &Path,
    schedule: &Schedule,
    clock: Clock,
    fetcher: Arc<Fetcher>,
    control: Option<String>,
    mut stop: tokio::sync::watch::Receiver<bool>,
    mut progress: impl FnMut(u64, u64, u64),
) -> Result<RunSummary, String> {
    let path = dir.join(DB_FILE);
    let done = {
        let conn = Connection::open(&path).map_err(|e| format!("campaign database: {e}"))?;
        recorded(&conn, schedule)?
    };
    let (tx, rx) = mpsc::channel::<Vec<Row>>(QUEUED);
    let writer = writer(&path, rx);
    let mut summary = RunSummary::default();
    // Visits of this run that failed (the site's fault), for the progress display.
    let failed = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut sent = done.count;
    // Visits under way at once: the fetcher limits the requests, this the tasks waiting on it.
    let limit = Arc::new(tokio::sync::Semaphore::new(
        fetcher.config().concurrency.max(1) * 2,
    ));
    let mut tasks = tokio::task::JoinSet::new();
    let mut missed: Vec<Row> = Vec::new();
    'plan: for k in 0..schedule.slots {
        for (i, (key, homepage)) in schedule.sites.iter().enumerate() {
            if done.has(i as u64 * schedule.slots + k) {
                continue;
            }
            let due = schedule.due(i, k);
            let now = clock.now();
            let late = due + schedule.interval <= now;
            if late {
                missed.push((
                    *key,
                    k,
                    serde_json::json!({"at": due.to_rfc3339(), "ok": false, "error": PROBER_DOWN, "probe_fault": true}),
                ));
                summary.missed += 1;
            }
            // Missed slots go to the writer a thousand at a time, and all of them before a live visit.
            if missed.len() >= MISSED_BATCH || (!late && !missed.is_empty()) {
                sent += missed.len() as u64;
                if tx.send(std::mem::take(&mut missed)).await.is_err() {
                    // The database writer stopped: its error is returned below.
                    break 'plan;
                }
                progress(
                    sent,
                    summary.missed,
                    failed.load(std::sync::atomic::Ordering::Relaxed),
                );
            }
            if late {
                continue;
            }
            if let Some(wait) = clock.wait(due) {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = stopped(&mut stop) => { summary.interrupted = true; break 'plan; }
                }
            }
            let permit = tokio::select! {
                p = Arc::clone(&limit).acquire_owned() => p.map_err(|e| e.to_string())?,
                () = stopped(&mut stop) => { summary.interrupted = true; break 'plan; }
            };
            let failed_here = Arc::clone(&failed);
            let (f, tx, home, control, key) = (
                Arc::clone(&fetcher),
                tx.clone(),
                homepage.clone(),
                control.clone(),
                *key,
            );
            tasks.spawn(async move {
                let at = clock.now();
                let sample = crate::monitor::visit(&f, &home, at, control.as_deref()).await;
                if sample["ok"] == false && sample["probe_fault"] != true {
                    failed_here.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                let _ = tx.send(vec![(key, k, sample)]).await;
                drop(permit);
            });
            sent += 1;
            progress(
                sent,
                summary.missed,
                failed.load(std::sync::atomic::Ordering::Relaxed),
            );
            while tasks.try_join_next().is_some() {}
            if writer.is_finished() {
                // The database writer stopped (a full disk, say): no visit more, its error is returned below.
                break 'plan;
            }
        }
    }
    if !missed.is_empty() {
        sent += missed.len() as u64;
        let _ = tx.send(std::mem::take(&mut missed)).await;
        progress(
            sent,
            summary.missed,
            failed.load(std::sync::atomic::Ordering::Relaxed),
        );
    }
    // The visits under way finish (each within its timeout) and are recorded.
    while tasks.join_next().await.is_some() {}
    drop(tx);
    summary.recorded = writer
        .join()
        .map_err(|_| "campaign database writer stopped".to_string())??;
    Ok(summary)
}

/// Probe every site not probed yet, each at its time (see [`ProbeSchedule`]), `jobs` at once, storing each
/// observation (without availability: the campaign's samples are added when it is scored) as it completes, until
/// all are done or `stop` turns true (then the probes under way finish). `progress(probed so far)` follows.
///
/// # Errors
/// Database errors, as text (a probe that fails to assemble its observation is stored as a failure record).
pub async fn run_probes(
    dir: &Path,
    schedule: &ProbeSchedule,
    clock: Clock,
    fetcher: Arc<Fetcher>,
    jobs: usize,
    mut stop: tokio::sync::watch::Receiver<bool>,
    mut progress: impl FnMut(u64),
) -> Result<bool, String> {
    let path = dir.join(DB_FILE);
    let db_err = |e: rusqlite::Error| format!("campaign database: {e}");
    let done: HashSet<i64> = {
        let conn = Connection::open(&path).map_err(db_err)?;
        let mut st = conn.prepare("SELECT site FROM probes").map_err(db_err)?;
        st.query_map([], |r| r.get::<_, i64>(0))
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?
    };
    let mut probed = done.len() as u64;
    progress(probed);
    let limit = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let mut interrupted = false;
    for (i, (key, profile)) in schedule.sites.iter().enumerate() {
        if done.contains(key) {
            continue;
        }
        if let Some(wait) = clock.wait(schedule.due(i)) {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = stopped(&mut stop) => { interrupted = true; break; }
            }
        }
        let permit = tokio::select! {
            p = Arc::clone(&limit).acquire_owned() => p.map_err(|e| e.to_string())?,
            () = stopped(&mut stop) => { interrupted = true; break; }
        };
        let ctx = crate::adapters::ProbeContext {
            fetcher: Arc::clone(&fetcher),
            profile: profile.clone(),
            crawl: schedule.crawl,
            page_budget: schedule.page_budget,
            link_budget: schedule.link_budget,
        };
        let (path, key) = (path.clone(), *key);
        tasks.spawn(async move {
            let adapters = crate::adapters_more::site_adapters();
            let observation = match crate::adapters::probe(&ctx, &adapters).await {
                Ok(run) => run.observation,
                Err(e) => serde_json::json!({"type": "failure", "errors": [{"code": "probe", "message": e}]}),
            };
            // The permit is held until the observation is stored, so at most `jobs` writers wait on the database
            // (each would otherwise hold a blocking thread, and a probe that fails fast would pile them up).
            let stored = tokio::task::spawn_blocking(move || -> Result<(), String> {
                let conn = Connection::open(&path).map_err(db_err)?;
                conn.busy_timeout(std::time::Duration::from_secs(30))
                    .map_err(db_err)?;
                conn.execute(
                    "INSERT OR REPLACE INTO probes (site, finished, observation) VALUES (?1, ?2, ?3)",
                    params![key, chrono::Utc::now().to_rfc3339(), observation.to_string()],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await;
            drop(permit);
            stored.map_err(|e| e.to_string()).and_then(|r| r)
        });
        while let Some(r) = tasks.try_join_next() {
            r.map_err(|e| e.to_string())??;
            probed += 1;
            progress(probed);
        }
    }
    while let Some(r) = tasks.join_next().await {
        r.map_err(|e| e.to_string())??;
        probed += 1;
        progress(probed);
    }
    Ok(!interrupted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn the_sites_schedules_are_spread_over_each_interval() {
        let s = Schedule {
            start: chrono::NaiveDate::from_ymd_opt(2015, 6, 24)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(|t| t.and_local_timezone(crate::adapters::cst()).single())
                .unwrap_or_default(),
            interval: Duration::hours(1),
            slots: 24 * 7,
            sites: (1..=4).map(|k| (k, format!("http://s{k}.gov.cn/"))).collect(),
        };
        assert_eq!(s.due(0, 0), s.start);
        assert_eq!(s.due(1, 0) - s.start, Duration::minutes(15));
        assert_eq!(s.due(3, 1) - s.start, Duration::minutes(105));
        assert_eq!(
            s.due(3, 167) - s.start,
            Duration::minutes(167 * 60 + 45),
            "the last slot, on the 7th date"
        );
    }
}
