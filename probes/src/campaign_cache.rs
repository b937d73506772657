//! The provisional verdicts `pucha campaign status` worked out, kept in `status-cache.sqlite` beside the campaign's
//! database: a site's verdict is worked out again only when its samples or its probe changed (its tally's `taken`
//! or its probe's presence), so a status of a census-sized campaign while the run writes reads tallies and this
//! cache, and scores only the sites visited since. A separate file, so `status` never writes into the database the
//! run is writing, and anything wrong with it (unwritable folder, another version's verdicts) only costs time.

use pucha_core::Verdict;
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::path::Path;

/// The cache's file name in the campaign's folder.
pub const CACHE_FILE: &str = "status-cache.sqlite";

/// What a cached verdict was worked out from, and the verdict (`None`: the site could not be scored).
pub type Cached = (u64, bool, Option<Verdict>);

/// The cache of one campaign; empty and inert when it cannot be opened.
#[derive(Debug)]
pub struct VerdictCache {
    conn: Option<Connection>,
}

fn verdict_of(key: Option<&str>) -> Option<Verdict> {
    match key? {
        "pass" => Some(Verdict::Pass),
        "fail" => Some(Verdict::Fail),
        "undetermined" => Some(Verdict::Undetermined),
        _ => None,
    }
}

impl VerdictCache {
    /// The cache in `dir` for verdicts worked out under `basis` (the pack, its settings, the monitoring point and
    /// pucha's version): cached verdicts of another basis are dropped.
    pub fn open(dir: &Path, basis: &str) -> VerdictCache {
        let conn = (|| -> rusqlite::Result<Connection> {
            let conn = Connection::open(dir.join(CACHE_FILE))?;
            conn.busy_timeout(std::time::Duration::from_secs(2))?;
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS basis (basis TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS verdicts (
                     site INTEGER PRIMARY KEY, taken INTEGER NOT NULL, probed INTEGER NOT NULL, verdict TEXT);",
            )?;
            let stored: Option<String> = conn
                .query_row("SELECT basis FROM basis", [], |r| r.get(0))
                .ok();
            if stored.as_deref() != Some(basis) {
                conn.execute_batch("BEGIN; DELETE FROM verdicts; DELETE FROM basis;")?;
                conn.execute("INSERT INTO basis VALUES (?1)", [basis])?;
                conn.execute_batch("COMMIT;")?;
            }
            Ok(conn)
        })()
        .ok();
        VerdictCache { conn }
    }

    /// Every cached verdict by site key (none when the cache could not be opened or read).
    pub fn load(&self) -> HashMap<i64, Cached> {
        let Some(conn) = &self.conn else {
            return HashMap::new();
        };
        let read = || -> rusqlite::Result<HashMap<i64, Cached>> {
            let mut q = conn.prepare("SELECT site, taken, probed, verdict FROM verdicts")?;
            let rows = q.query_map([], |r| {
                let v: Option<String> = r.get(3)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    (
                        u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                        r.get::<_, bool>(2)?,
                        verdict_of(v.as_deref()),
                    ),
                ))
            })?;
            rows.collect()
        };
        read().unwrap_or_default()
    }

    /// Keep these verdicts (by site key), in one transaction; a failure to write is ignored (the next status works
    /// them out again).
    pub fn store(&mut self, verdicts: &[(i64, Cached)]) {
        let Some(conn) = &mut self.conn else {
            return;
        };
        let _ = (|| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            {
                let mut st = tx.prepare_cached("INSERT OR REPLACE INTO verdicts VALUES (?1, ?2, ?3, ?4)")?;
                for (site, (taken, probed, v)) in verdicts {
                    st.execute(params![
                        site,
                        i64::try_from(*taken).unwrap_or(i64::MAX),
                        probed,
                        v.map(Verdict::key)
                    ])?;
                }
            }
            tx.commit()
        })();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_kept_for_their_basis_only() {
        let dir = std::env::temp_dir().join(format!("pucha-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let mut c = VerdictCache::open(&dir, "census-2015|2015-06-30|0.1.0");
        c.store(&[(1, (20, true, Some(Verdict::Fail))), (2, (3, false, None))]);
        let again = VerdictCache::open(&dir, "census-2015|2015-06-30|0.1.0").load();
        assert_eq!(again.get(&1), Some(&(20, true, Some(Verdict::Fail))));
        assert_eq!(again.get(&2), Some(&(3, false, None)));
        assert!(
            VerdictCache::open(&dir, "other").load().is_empty(),
            "another basis starts empty"
        );
        let _ = std::fs::remove_dir_all(&dir);
        let nowhere = VerdictCache::open(&dir.join("missing/deeper"), "x");
        assert!(nowhere.load().is_empty(), "an unusable folder caches nothing");
    }
}
