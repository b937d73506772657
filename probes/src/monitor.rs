//! The availability monitor that loses nothing: every homepage visit is written to SQLite (WAL) as soon as it
//! ends, in its own transaction, so a monitor killed at any moment (even `kill -9`) keeps every completed sample
//! and, restarted with the same database, carries on with the plan it stored.
//!
//! The plan is fixed when the database is created: the homepage, the first slot, the interval and the number of
//! visits (by default 24 a day for 7 days, above the census's "20 spaced visits a day for a week"). Slot `k` is due
//! at `start + k × interval`. Slots missed while the monitor was down are not made up (their time has passed); the
//! engine reports the coverage.

use crate::adapters::cst;
use crate::http::{Fetcher, Outcome};
use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

/// The stored plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The homepage visited.
    pub homepage: String,
    /// The first slot.
    pub start: DateTime<FixedOffset>,
    /// Between slots.
    pub interval: Duration,
    /// Slots in all.
    pub total: u64,
}

/// A monitor database.
#[derive(Debug)]
pub struct MonitorDb {
    conn: Connection,
}

fn db_err(e: rusqlite::Error) -> String {
    format!("monitor database: {e}")
}

impl MonitorDb {
    /// Open (or create) the database at `path`, in WAL mode.
    ///
    /// # Errors
    /// When the file cannot be opened or is not a monitor database.
    pub fn open(path: &str) -> Result<MonitorDb, String> {
        let conn = Connection::open(path).map_err(db_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db_err)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS plan (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 homepage TEXT NOT NULL, start TEXT NOT NULL, interval_ms INTEGER NOT NULL, total INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS samples (
                 slot INTEGER PRIMARY KEY, at TEXT NOT NULL, ok INTEGER NOT NULL, status INTEGER,
                 elapsed_ms INTEGER, error TEXT, probe_fault INTEGER NOT NULL DEFAULT 0);",
        )
        .map_err(db_err)?;
        Ok(MonitorDb { conn })
    }

    /// The stored plan, if any.
    ///
    /// # Errors
    /// A database error, as text.
    pub fn plan(&self) -> Result<Option<Plan>, String> {
        let row = self
            .conn
            .query_row(
                // Text read only to a bound: the database is input like any other.
                "SELECT substr(homepage, 1, 4097), substr(start, 1, 65), interval_ms, total FROM plan WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()
            .map_err(db_err)?;
        let Some((homepage, start, ms, total)) = row else {
            return Ok(None);
        };
        if homepage.chars().count() > 4096 {
            return Err("monitor database: the stored plan's homepage is longer than 4096 characters; use another --db".into());
        }
        let start = DateTime::parse_from_rfc3339(&start)
            .map_err(|e| format!("monitor database: bad start `{start}`: {e}"))?;
        // The database is input like any other: a plan no monitor would make is refused, not run.
        if !(1..=MAX_INTERVAL_MS).contains(&ms) || !(1..=MAX_VISITS).contains(&total) {
            return Err(format!(
                "monitor database: the stored plan is not valid (interval {ms} ms, {total} visits; expected 1 ms to a \
                 week and 1 to {MAX_VISITS} visits); use another --db"
            ));
        }
        Ok(Some(Plan {
            homepage,
            start,
            interval: Duration::milliseconds(ms),
            total: u64::try_from(total).unwrap_or(0),
        }))
    }

    /// Store `plan` unless one is stored; return the plan in force. A stored plan for another homepage is an error.
    ///
    /// # Errors
    /// A database error, or a plan for a different homepage.
    pub fn ensure_plan(&self, plan: &Plan) -> Result<Plan, String> {
        if let Some(p) = self.plan()? {
            if p.homepage != plan.homepage {
                return Err(format!(
                    "this database monitors `{}`, not `{}`; use another --db",
                    p.homepage, plan.homepage
                ));
            }
            return Ok(p);
        }
        self.conn
            .execute(
                "INSERT INTO plan (id, homepage, start, interval_ms, total) VALUES (1, ?1, ?2, ?3, ?4)",
                params![
                    plan.homepage,
                    plan.start.to_rfc3339(),
                    plan.interval.num_milliseconds(),
                    i64::try_from(plan.total).unwrap_or(i64::MAX)
                ],
            )
            .map_err(db_err)?;
        Ok(plan.clone())
    }

    /// Whether slot `slot` has a sample.
    ///
    /// # Errors
    /// A database error, as text.
    pub fn has(&self, slot: u64) -> Result<bool, String> {
        self.conn
            .query_row(
                "SELECT 1 FROM samples WHERE slot = ?1",
                [i64::try_from(slot).unwrap_or(-1)],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(db_err)
    }

    /// Record one sample (its own transaction: durable once this returns).
    ///
    /// # Errors
    /// A database error, as text.
    pub fn record(&self, slot: u64, sample: &Value) -> Result<(), String> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO samples (slot, at, ok, status, elapsed_ms, error, probe_fault)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    i64::try_from(slot).unwrap_or(-1),
                    sample["at"].as_str().unwrap_or(""),
                    sample["ok"].as_bool().unwrap_or(false),
                    sample["status"].as_i64(),
                    sample["elapsed_ms"].as_i64(),
                    sample["error"].as_str(),
                    sample["probe_fault"].as_bool().unwrap_or(false),
                ],
            )
            .map(|_| ())
            .map_err(db_err)
    }

    /// Samples recorded.
    ///
    /// # Errors
    /// A database error, as text.
    pub fn count(&self) -> Result<u64, String> {
        self.conn
            .query_row("SELECT COUNT(*) FROM samples", [], |r| r.get::<_, i64>(0))
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(db_err)
    }

    /// Every sample as observation JSON (`availability.samples[]`), in slot order.
    ///
    /// # Errors
    /// A database error, as text.
    pub fn samples(&self) -> Result<Vec<Value>, String> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {SAMPLE_COLUMNS} FROM samples ORDER BY slot LIMIT ?1"
            ))
            .map_err(db_err)?;
        // The plan's visits are the most a monitor records: one more means the database was not written by one.
        let total = self.plan()?.map_or(0, |p| p.total);
        let rows = st
            .query_map(
                [i64::try_from(total).unwrap_or(MAX_VISITS).saturating_add(1)],
                sample_json,
            )
            .map_err(db_err)?;
        let samples = rows.collect::<Result<Vec<_>, _>>().map_err(db_err)?;
        if u64::try_from(samples.len()).unwrap_or(u64::MAX) > total {
            return Err(format!(
                "monitor database: more samples stored than the {total} visits of its plan; use another --db"
            ));
        }
        Ok(samples)
    }
}

/// The columns a stored sample is read with: `at`, `ok`, `status`, `elapsed_ms`, `error`, `probe_fault`, each
/// text cut to what a sample may hold.
pub(crate) const SAMPLE_COLUMNS: &str =
    "substr(at, 1, 65), ok, status, elapsed_ms, substr(error, 1, 500), probe_fault";

/// A stored sample (a row of [`SAMPLE_COLUMNS`]) as `availability.samples[]` holds it.
pub(crate) fn sample_json(r: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
    let mut text = String::new();
    sample_text(r, &mut text)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// A stored sample (a row of [`SAMPLE_COLUMNS`]) written as JSON text onto `out`, without building a value: the
/// campaign's status reads a census's samples this way.
pub(crate) fn sample_text(r: &rusqlite::Row<'_>, out: &mut String) -> rusqlite::Result<()> {
    use std::fmt::Write as _;
    let at: String = r.get(0)?;
    out.push_str("{\"at\":");
    push_json_str(out, &at);
    out.push_str(if r.get::<_, bool>(1)? {
        ",\"ok\":true"
    } else {
        ",\"ok\":false"
    });
    if let Some(v) = r.get::<_, Option<i64>>(2)? {
        let _ = write!(out, ",\"status\":{v}");
    }
    if let Some(v) = r.get::<_, Option<i64>>(3)? {
        let _ = write!(out, ",\"elapsed_ms\":{v}");
    }
    if let Some(v) = r.get::<_, Option<String>>(4)? {
        out.push_str(",\"error\":");
        push_json_str(out, &v);
    }
    if r.get::<_, bool>(5)? {
        out.push_str(",\"probe_fault\":true");
    }
    out.push('}');
    Ok(())
}

/// `s` as a JSON string literal.
fn push_json_str(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"\""),
    }
}

/// One visit as a sample. A failure is the prober's own fault when `control` (a site known to be up) cannot be
/// reached either at that moment.
pub async fn visit(
    fetcher: &Fetcher,
    homepage: &str,
    at: DateTime<FixedOffset>,
    control: Option<&str>,
) -> Value {
    let sep = if homepage.contains('?') { '&' } else { '?' };
    let url = format!("{homepage}{sep}_={}", at.timestamp_millis());
    let o = fetcher.get(&url).await;
    let mut s = json!({"at": at.to_rfc3339()});
    let failed = match &o {
        Outcome::Fetched(p) => {
            s["ok"] = json!(p.status < 400);
            s["status"] = json!(p.status);
            s["elapsed_ms"] = json!(p.elapsed_ms);
            false
        }
        Outcome::TimedOut { elapsed_ms } => {
            s["ok"] = json!(false);
            s["elapsed_ms"] = json!(elapsed_ms);
            s["error"] = json!("timed out (15 s)");
            true
        }
        Outcome::Blocked(b) => {
            s["ok"] = json!(false);
            s["error"] = json!(format!("blocked: {b:?}"));
            s["probe_fault"] = json!(true);
            false
        }
        Outcome::Failed {
            message, elapsed_ms, ..
        } => {
            s["ok"] = json!(false);
            s["elapsed_ms"] = json!(elapsed_ms);
            s["error"] = json!(message);
            true
        }
    };
    if failed
        && let Some(c) = control
        && fetcher.get(c).await.page().is_none()
    {
        s["probe_fault"] = json!(true);
    }
    s
}

/// The longest interval between two visits (a week), in milliseconds.
pub const MAX_INTERVAL_MS: i64 = 7 * 24 * 3_600_000;

/// The most visits a plan holds (a year at one a second).
pub const MAX_VISITS: i64 = 366 * 86_400;

/// Take the lock of the database at `db` for this process's lifetime: an OS advisory lock on `DB.lock` beside it,
/// which the OS releases when the process ends, however it ends (a rerun after kill -9 needs no cleanup).
///
/// # Errors
/// When another monitor holds it, or the lock file cannot be made, as text.
pub fn lock(db: &str) -> Result<std::fs::File, String> {
    let path = format!("{db}.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open `{path}`: {e}"))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another `pucha monitor` is running on `{db}` (it holds `{path}`); one monitor a database"
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock `{path}`: {e}")),
    }
}

/// Run the plan stored in `db` (or `plan` when there is none yet): visit at each due slot not yet recorded, record
/// each sample at once. `progress(done, total)` is called after each sample.
///
/// # Errors
/// Database errors, as text (visits never fail: their outcome is the sample).
pub async fn run(
    db: &MonitorDb,
    fetcher: &Fetcher,
    plan: &Plan,
    control: Option<&str>,
    mut progress: impl FnMut(u64, u64),
) -> Result<Plan, String> {
    let plan = db.ensure_plan(plan)?;
    for slot in 0..plan.total {
        if db.has(slot)? {
            continue;
        }
        let due = i32::try_from(slot)
            .ok()
            .and_then(|k| plan.interval.checked_mul(k))
            .and_then(|off| plan.start.checked_add_signed(off));
        let (Some(due), Some(due_end)) = (due, due.and_then(|d| d.checked_add_signed(plan.interval))) else {
            return Err(format!(
                "monitor: slot {slot} of the plan falls outside the calendar"
            ));
        };
        let now = chrono::Utc::now().with_timezone(&cst());
        if due_end < now {
            // Missed while the monitor was down: that time has passed.
            continue;
        }
        if due > now
            && let Ok(wait) = (due - now).to_std()
        {
            tokio::time::sleep(wait).await;
        }
        let sample = visit(
            fetcher,
            &plan.homepage,
            chrono::Utc::now().with_timezone(&cst()),
            control,
        )
        .await;
        db.record(slot, &sample)?;
        progress(db.count()?, plan.total);
    }
    Ok(plan)
}
