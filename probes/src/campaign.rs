//! A campaign: every site of a region checked in one run, its whole state in one SQLite database (WAL) in the
//! campaign's folder, `campaign.sqlite`. `pucha campaign init` writes the site list and the plan; the samples and
//! probe results go in as each completes.
//!
//! The plan (review of order 08, points 3–4): availability is sampled on the dates `from` … `from + days − 1`, and
//! every site's monitoring point (监测时间点) is the last of them, so the week of samples is the week before the
//! point and the full probe runs last.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use pucha_extract::profile::SiteProfile;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// The database's file name in the campaign's folder.
pub const DB_FILE: &str = "campaign.sqlite";

/// The schema tag stored in the database.
pub const SCHEMA: &str = "pucha.campaign/1";

/// What a campaign does, fixed when it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignPlan {
    /// The first date of availability sampling (China Standard Time).
    pub from: NaiveDate,
    /// Days of sampling; the monitoring point is the last of them.
    pub days: u32,
    /// Homepage visits a day per site, evenly spread (the census requires at least 20).
    pub per_day: u32,
    /// Rule pack scoring the sites (a built-in name or a file).
    pub pack: String,
    /// Pack parameter overrides (`name=value`).
    pub set: Vec<String>,
}

impl CampaignPlan {
    /// The monitoring point: the last sampled date.
    pub fn monitoring_point(&self) -> NaiveDate {
        self.from + chrono::Days::new(u64::from(self.days.max(1)) - 1)
    }

    /// Samples planned for `sites` sites.
    pub fn planned_samples(&self, sites: u64) -> u64 {
        sites * u64::from(self.days) * u64::from(self.per_day)
    }
}

/// The schedule of a campaign's visits.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// 00:00 CST of the first date.
    pub start: DateTime<FixedOffset>,
    /// Between two visits of one site.
    pub interval: Duration,
    /// Slots per site.
    pub slots: u64,
    /// The sites' keys and homepages, in list order.
    pub sites: Vec<(i64, String)>,
}

impl Schedule {
    /// When site number `i` (0-based, list order) is due for slot `k`.
    pub fn due(&self, i: usize, k: u64) -> DateTime<FixedOffset> {
        let n = self.sites.len().max(1) as i64;
        let step = self.interval.num_milliseconds();
        let offset = step * i as i64 / n;
        let at = i64::try_from(k)
            .unwrap_or(i64::MAX / 2)
            .saturating_mul(step)
            .saturating_add(offset);
        self.start + Duration::milliseconds(at)
    }
}

/// The full probes of a campaign: each site once, in the last 30 hours of the plan (the monitoring point's date
/// and the six hours before it), spread evenly over them in list order; a probe whose time has passed runs at once
/// (a probe is never missed, only late). The crawl date is the monitoring point for every site.
#[derive(Debug, Clone)]
pub struct ProbeSchedule {
    /// When the first site is due.
    pub window_start: DateTime<FixedOffset>,
    /// Over how long the sites are spread.
    pub window: Duration,
    /// The monitoring point.
    pub crawl: chrono::NaiveDate,
    /// Pages a probe reads beyond the homepage.
    pub page_budget: usize,
    /// Link targets a probe checks.
    pub link_budget: usize,
    /// Every site: key and profile, in list order.
    pub sites: Vec<(i64, pucha_extract::profile::SiteProfile)>,
}

/// The length of the probes' window.
pub const PROBE_WINDOW_HOURS: i64 = 30;

impl ProbeSchedule {
    /// When site number `i` (0-based, list order) is due.
    pub fn due(&self, i: usize) -> DateTime<FixedOffset> {
        let n = self.sites.len().max(1) as i64;
        self.window_start + Duration::milliseconds(self.window.num_milliseconds() * i as i64 / n)
    }
}

/// One site of the campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSite {
    /// Its number in the campaign (list order, from 1).
    pub key: i64,
    /// Where it was in the site list (`第 3 行 row 3`, a file name …).
    pub place: String,
    /// Its profile.
    pub profile: SiteProfile,
}

/// How far a campaign has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Sites in the campaign.
    pub sites: u64,
    /// Availability samples planned in all.
    pub samples_planned: u64,
    /// Samples taken.
    pub samples_taken: u64,
    /// Samples that failed (the site's fault; the prober's own faults are not counted).
    pub samples_failed: u64,
    /// Samples that are the prober's fault (missed slots, the prober's own network down): not counted in rates.
    pub samples_prober_fault: u64,
    /// Sites whose full probe is done.
    pub probed: u64,
}

/// How far one site has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SiteProgress {
    /// Its key.
    pub key: i64,
    /// Samples recorded.
    pub taken: u64,
    /// Of them, those that count (not the prober's fault).
    pub counted: u64,
    /// Of those, failed visits.
    pub failed: u64,
    /// Whether its full probe is done.
    pub probed: bool,
}

/// A site's row of the list, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteRow {
    /// Its number in the campaign (list order, from 1).
    pub key: i64,
    /// Where it was in the site list.
    pub place: String,
    /// 网站名称.
    pub name: String,
    /// 网站标识码, when given.
    pub id: Option<String>,
    /// 首页网址.
    pub homepage: String,
    /// 地区.
    pub region: String,
}

/// One site as [`Campaign::each_site`] reads it.
#[derive(Debug, Clone)]
pub struct SiteState {
    /// Its row of the list.
    pub row: SiteRow,
    /// Its samples and probe so far.
    pub progress: SiteProgress,
    /// Its observation so far (or its probe's failure record) as JSON text, as [`Campaign::observation`] builds it.
    pub observation: String,
}

/// Who a site is, for an observation not probed yet.
struct Who<'a> {
    name: &'a str,
    homepage: &'a str,
    kind: Option<&'a str>,
    id: Option<&'a str>,
    region: &'a str,
}

/// The one field of a stored profile an unprobed site's observation needs.
#[derive(serde::Deserialize)]
struct KindOnly {
    site: KindSite,
}

#[derive(serde::Deserialize)]
struct KindSite {
    #[serde(default)]
    kind: Option<String>,
}

/// A site's observation as JSON text: its stored probe (or who it is and the monitoring point) with `samples` (the
/// samples' JSON texts joined by commas) as its availability; a stored failure record as it is. The samples are
/// written into the stored text, not parsed and written again: a census's status reads every site's.
fn assemble(
    plan: &CampaignPlan,
    key: i64,
    who: &Who<'_>,
    stored: Option<&str>,
    samples: &str,
) -> Result<String, String> {
    use serde_json::{Value, json};
    let base = match stored {
        Some(text) => text.trim().to_string(),
        None => {
            let mut s = json!({"name": who.name, "url": who.homepage});
            if let Some(k) = who.kind {
                s["kind"] = json!(k);
            }
            if let Some(id) = who.id {
                s["id"] = json!(id);
            }
            if !who.region.is_empty() {
                s["region"] = json!(who.region);
            }
            json!({"schema": "pucha.observation/1", "monitoring_point": plan.monitoring_point().to_string(), "site": s})
                .to_string()
        }
    };
    if samples.is_empty() {
        return Ok(base);
    }
    // A text that may name a failure record or availability already is read as JSON to be sure (a probe stores
    // neither in an observation, so this is rare).
    if base.contains("\"failure\"")
        || base.contains("\"availability\"")
        || !base.starts_with('{')
        || !base.ends_with('}')
    {
        let mut obs: Value = serde_json::from_str(&base)
            .map_err(|e| format!("campaign database: site {key}'s stored probe: {e}"))?;
        if obs["type"] == "failure" {
            return Ok(base);
        }
        let samples: Value = serde_json::from_str(&format!("[{samples}]"))
            .map_err(|e| format!("campaign database: site {key}'s samples: {e}"))?;
        obs["availability"] = json!({"samples": samples});
        return Ok(obs.to_string());
    }
    let body = base[1..base.len() - 1].trim();
    let comma = if body.is_empty() { "" } else { "," };
    Ok(format!(
        "{{{body}{comma}\"availability\":{{\"samples\":[{samples}]}}}}"
    ))
}

/// A campaign database.
#[derive(Debug)]
pub struct Campaign {
    conn: Connection,
    dir: PathBuf,
}

fn db_err(e: rusqlite::Error) -> String {
    format!("campaign database: {e}")
}

const TABLES: &str = "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE sites (
         key INTEGER PRIMARY KEY, place TEXT NOT NULL, site_id TEXT, name TEXT NOT NULL,
         homepage TEXT NOT NULL, region TEXT NOT NULL, profile TEXT NOT NULL);
     CREATE TABLE samples (
         site INTEGER NOT NULL, slot INTEGER NOT NULL, at TEXT NOT NULL, ok INTEGER NOT NULL, status INTEGER,
         elapsed_ms INTEGER, error TEXT, probe_fault INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (site, slot)) WITHOUT ROWID;
     CREATE TABLE probes (site INTEGER PRIMARY KEY, finished TEXT NOT NULL, observation TEXT NOT NULL);
     CREATE TABLE tallies (
         site INTEGER PRIMARY KEY, taken INTEGER NOT NULL, counted INTEGER NOT NULL, failed INTEGER NOT NULL);";

/// Whether the database has the tallies table (a campaign made before tallies has not, until its next run).
fn has_tallies(conn: &Connection) -> Result<bool, String> {
    conn.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'tallies'",
        [],
        |r| r.get(0),
    )
    .map_err(db_err)
}

/// Make sure the database keeps each site's tally of samples (taken, counted, failed), which the run updates with
/// every sample it records and `status` reads instead of every sample: a campaign made before tallies gets the
/// table, filled from its samples, in one transaction.
///
/// # Errors
/// A database error, as text.
pub fn ensure_tallies(conn: &mut Connection) -> Result<(), String> {
    let tx = conn.transaction().map_err(db_err)?;
    if !has_tallies(&tx)? {
        tx.execute_batch(
            "CREATE TABLE tallies (
                 site INTEGER PRIMARY KEY, taken INTEGER NOT NULL, counted INTEGER NOT NULL, failed INTEGER NOT NULL);
             INSERT INTO tallies
                 SELECT site, COUNT(*), SUM(NOT probe_fault), SUM(NOT ok AND NOT probe_fault) FROM samples GROUP BY site;",
        )
        .map_err(db_err)?;
    }
    tx.commit().map_err(db_err)
}

impl Campaign {
    /// Create the campaign in `dir` (made if missing) with its plan and sites, all in one transaction: a campaign
    /// is there whole or not at all.
    ///
    /// # Errors
    /// When `dir` already holds a campaign, or the database cannot be written, as text.
    pub fn create(
        dir: &Path,
        plan: &CampaignPlan,
        sites: &[(String, SiteProfile)],
    ) -> Result<Campaign, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        let path = dir.join(DB_FILE);
        if path.exists() {
            return Err(format!(
                "`{}` already holds a campaign; use another folder, or `pucha campaign status` to see it",
                dir.display()
            ));
        }
        let mut conn = Connection::open(&path).map_err(db_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_err)?;
        let tx = conn.transaction().map_err(db_err)?;
        tx.execute_batch(TABLES).map_err(db_err)?;
        {
            let mut put = tx
                .prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)")
                .map_err(db_err)?;
            let set = serde_json::to_string(&plan.set).unwrap_or_else(|_| "[]".into());
            for (k, v) in [
                ("schema", SCHEMA.to_string()),
                ("from", plan.from.to_string()),
                ("days", plan.days.to_string()),
                ("per_day", plan.per_day.to_string()),
                ("pack", plan.pack.clone()),
                ("set", set),
            ] {
                put.execute(params![k, v]).map_err(db_err)?;
            }
            let mut add = tx
                .prepare(
                    "INSERT INTO sites (key, place, site_id, name, homepage, region, profile)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(db_err)?;
            for (i, (place, p)) in sites.iter().enumerate() {
                let profile = serde_json::to_string(p).map_err(|e| e.to_string())?;
                add.execute(params![
                    i as i64 + 1,
                    place,
                    p.site.id,
                    p.site.name,
                    p.site.homepage,
                    p.site.region,
                    profile
                ])
                .map_err(db_err)?;
            }
        }
        tx.commit().map_err(db_err)?;
        Ok(Campaign {
            conn,
            dir: dir.to_path_buf(),
        })
    }

    /// Open the campaign in `dir` read-only (a running campaign keeps writing; readers see each commit).
    ///
    /// # Errors
    /// When there is no campaign there or it is not one pucha can read, as text.
    pub fn open(dir: &Path) -> Result<Campaign, String> {
        let path = dir.join(DB_FILE);
        if !path.is_file() {
            return Err(format!(
                "`{}` holds no campaign (no {DB_FILE}); start one with `pucha campaign init`",
                dir.display()
            ));
        }
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(db_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db_err)?;
        let c = Campaign {
            conn,
            dir: dir.to_path_buf(),
        };
        match c.setting("schema")?.as_deref() {
            Some(SCHEMA) => Ok(c),
            other => Err(format!(
                "`{}` is not a campaign database this pucha reads (schema `{}`)",
                path.display(),
                other.unwrap_or("none")
            )),
        }
    }

    /// The campaign's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn setting(&self, key: &str) -> Result<Option<String>, String> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(db_err)
    }

    /// The stored plan.
    ///
    /// # Errors
    /// A database error, or a stored value that does not read (naming it), as text.
    pub fn plan(&self) -> Result<CampaignPlan, String> {
        let get = |k: &str| -> Result<String, String> {
            self.setting(k)?
                .ok_or_else(|| format!("campaign database: the setting `{k}` is missing"))
        };
        let bad = |k: &str, v: &str| format!("campaign database: the stored `{k}` (`{v}`) is not valid");
        let from = get("from")?;
        let days = get("days")?;
        let per_day = get("per_day")?;
        let set = get("set")?;
        Ok(CampaignPlan {
            from: from.parse().map_err(|_| bad("from", &from))?,
            days: days
                .parse()
                .ok()
                .filter(|d| (1..=366).contains(d))
                .ok_or_else(|| bad("days", &days))?,
            per_day: per_day
                .parse()
                .ok()
                .filter(|d| (1..=86_400).contains(d))
                .ok_or_else(|| bad("per_day", &per_day))?,
            pack: get("pack")?,
            set: serde_json::from_str(&set).map_err(|_| bad("set", &set))?,
        })
    }

    /// The schedule of the availability visits (see [`Schedule`]).
    ///
    /// # Errors
    /// A database error, or a plan that does not read, as text.
    pub fn schedule(&self) -> Result<Schedule, String> {
        let plan = self.plan()?;
        let start = plan
            .from
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(crate::adapters::cst()).single())
            .ok_or_else(|| {
                format!(
                    "campaign database: the stored `from` ({}) has no midnight",
                    plan.from
                )
            })?;
        let mut q = self
            .conn
            .prepare("SELECT key, homepage FROM sites ORDER BY key")
            .map_err(db_err)?;
        let sites = q
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(db_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db_err)?;
        Ok(Schedule {
            start,
            interval: chrono::Duration::milliseconds(86_400_000 / i64::from(plan.per_day.max(1))),
            slots: u64::from(plan.days) * u64::from(plan.per_day),
            sites,
        })
    }

    /// The schedule of the full probes (see [`ProbeSchedule`]), with the probe's default
    /// budgets (200 pages, 20,000 link targets).
    ///
    /// # Errors
    /// A database error, or a plan or profile that does not read, as text.
    pub fn probe_schedule(&self) -> Result<ProbeSchedule, String> {
        let plan = self.plan()?;
        let point = plan.monitoring_point();
        let end = (point + chrono::Days::new(1))
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(crate::adapters::cst()).single())
            .ok_or_else(|| format!("campaign database: the monitoring point {point} has no end"))?;
        let window = chrono::Duration::hours(PROBE_WINDOW_HOURS);
        Ok(ProbeSchedule {
            window_start: end - window,
            window,
            crawl: point,
            page_budget: 200,
            link_budget: 20_000,
            sites: self.sites()?.into_iter().map(|s| (s.key, s.profile)).collect(),
        })
    }

    /// Site `site`'s observation as the campaign with `plan` (its [`Campaign::plan`]) has it: its full probe's
    /// facts (or, not probed yet, who it is and the monitoring point alone) with its availability samples, in slot
    /// order.
    ///
    /// # Errors
    /// A database error, or a stored probe that is not JSON, as text. A probe that failed is returned as its
    /// failure record (`{"type": "failure", …}`).
    pub fn observation(&self, plan: &CampaignPlan, site: &CampaignSite) -> Result<serde_json::Value, String> {
        let stored: Option<String> = self
            .conn
            .prepare_cached("SELECT observation FROM probes WHERE site = ?1")
            .and_then(|mut st| st.query_row([site.key], |r| r.get(0)).optional())
            .map_err(db_err)?;
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM samples WHERE site = ?1 ORDER BY slot LIMIT ?2",
                crate::monitor::SAMPLE_COLUMNS
            ))
            .map_err(db_err)?;
        let most = i64::try_from(plan.planned_samples(1)).unwrap_or(i64::MAX);
        let mut samples = String::new();
        let mut rows = st.query(params![site.key, most]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            if !samples.is_empty() {
                samples.push(',');
            }
            crate::monitor::sample_text(r, &mut samples).map_err(db_err)?;
        }
        let p = &site.profile.site;
        let who = Who {
            name: &p.name,
            homepage: &p.homepage,
            kind: p.kind.as_deref(),
            id: p.id.as_deref(),
            region: &p.region,
        };
        let text = assemble(plan, site.key, &who, stored.as_deref(), &samples)?;
        serde_json::from_str(&text)
            .map_err(|e| format!("campaign database: site {}'s stored probe: {e}", site.key))
    }

    /// Every site's row and progress in list order, from the tallies the run keeps (one query, no sample read);
    /// `None` for a campaign no run has kept tallies for yet.
    ///
    /// # Errors
    /// A database error, as text.
    pub fn tallied(&self) -> Result<Option<Vec<(SiteRow, SiteProgress)>>, String> {
        let tx = self.conn.unchecked_transaction().map_err(db_err)?;
        if !has_tallies(&tx)? {
            return Ok(None);
        }
        let mut q = tx
            .prepare(
                "SELECT s.key, s.place, s.name, s.site_id, s.homepage, s.region,
                        IFNULL(t.taken, 0), IFNULL(t.counted, 0), IFNULL(t.failed, 0),
                        EXISTS (SELECT 1 FROM probes p WHERE p.site = s.key)
                 FROM sites s LEFT JOIN tallies t ON t.site = s.key ORDER BY s.key",
            )
            .map_err(db_err)?;
        let rows = q
            .query_map([], |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
                let key: i64 = r.get(0)?;
                Ok((
                    SiteRow {
                        key,
                        place: r.get(1)?,
                        name: r.get(2)?,
                        id: r.get(3)?,
                        homepage: r.get(4)?,
                        region: r.get(5)?,
                    },
                    SiteProgress {
                        key,
                        taken: n(6)?,
                        counted: n(7)?,
                        failed: n(8)?,
                        probed: r.get(9)?,
                    },
                ))
            })
            .map_err(db_err)?;
        rows.collect::<Result<Vec<_>, _>>().map(Some).map_err(db_err)
    }

    /// One site by its key.
    ///
    /// # Errors
    /// A database error, no such site, or a stored profile that does not read, as text.
    pub fn site(&self, key: i64) -> Result<CampaignSite, String> {
        let (place, profile): (String, String) = self
            .conn
            .prepare_cached("SELECT place, profile FROM sites WHERE key = ?1")
            .and_then(|mut st| st.query_row([key], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(db_err)?;
        let profile = SiteProfile::from_json_str(&profile)
            .map_err(|e| format!("campaign database: site {key}'s stored profile: {e}"))?;
        Ok(CampaignSite { key, place, profile })
    }

    /// Every site in list order, read in one snapshot (one read transaction, so a run writing meanwhile is seen
    /// at one moment) and in one pass over each table: its row, its progress and its observation as
    /// [`Campaign::observation`] builds it, handed to `each` as it is read. An error `each` returns stops the
    /// pass and is returned.
    ///
    /// # Errors
    /// A database error, a stored probe that is not JSON, or `each`'s error, as text.
    pub fn each_site(
        &self,
        plan: &CampaignPlan,
        mut each: impl FnMut(SiteState) -> Result<(), String>,
    ) -> Result<(), String> {
        let tx = self.conn.unchecked_transaction().map_err(db_err)?;
        let most = plan.planned_samples(1);
        let mut sites = tx
            .prepare("SELECT key, place, name, site_id, homepage, region, profile FROM sites ORDER BY key")
            .map_err(db_err)?;
        let mut samples = tx
            .prepare(&format!(
                "SELECT {}, site FROM samples ORDER BY site, slot",
                crate::monitor::SAMPLE_COLUMNS
            ))
            .map_err(db_err)?;
        let mut probes = tx
            .prepare("SELECT site, observation FROM probes ORDER BY site")
            .map_err(db_err)?;
        let mut sample_rows = samples.query([]).map_err(db_err)?;
        let mut probe_rows = probes.query([]).map_err(db_err)?;
        let mut site_rows = sites.query([]).map_err(db_err)?;
        // The next sample (as JSON text, with whether it counts and failed) and probe not yet handed out, each with
        // its site's key.
        let mut next_sample: Option<(i64, String, bool, bool)> = None;
        let mut next_probe: Option<(i64, String)> = None;
        let mut samples_done = false;
        let mut probes_done = false;
        while let Some(r) = site_rows.next().map_err(db_err)? {
            let key: i64 = r.get(0).map_err(db_err)?;
            let row = SiteRow {
                key,
                place: r.get(1).map_err(db_err)?,
                name: r.get(2).map_err(db_err)?,
                id: r.get(3).map_err(db_err)?,
                homepage: r.get(4).map_err(db_err)?,
                region: r.get(5).map_err(db_err)?,
            };
            let mut progress = SiteProgress {
                key,
                ..SiteProgress::default()
            };
            let mut kept = String::new();
            loop {
                if next_sample.is_none() && !samples_done {
                    match sample_rows.next().map_err(db_err)? {
                        Some(s) => {
                            let mut text = String::new();
                            crate::monitor::sample_text(s, &mut text).map_err(db_err)?;
                            let ok: bool = s.get(1).map_err(db_err)?;
                            let prober: bool = s.get(5).map_err(db_err)?;
                            next_sample = Some((s.get(6).map_err(db_err)?, text, !prober, !ok));
                        }
                        None => samples_done = true,
                    }
                }
                match next_sample.take() {
                    Some((site, sample, counts, failed)) if site == key => {
                        if progress.taken < most {
                            if !kept.is_empty() {
                                kept.push(',');
                            }
                            kept.push_str(&sample);
                        }
                        progress.taken += 1;
                        if counts {
                            progress.counted += 1;
                            progress.failed += u64::from(failed);
                        }
                    }
                    // A sample of a site not in the list is passed over; one of a later site waits for it.
                    Some((site, ..)) if site < key => {}
                    other => {
                        next_sample = other;
                        break;
                    }
                }
            }
            let mut stored = None;
            loop {
                if next_probe.is_none() && !probes_done {
                    match probe_rows.next().map_err(db_err)? {
                        Some(p) => next_probe = Some((p.get(0).map_err(db_err)?, p.get(1).map_err(db_err)?)),
                        None => probes_done = true,
                    }
                }
                match next_probe.take() {
                    Some((site, text)) if site == key => stored = Some(text),
                    Some((site, _)) if site < key => continue,
                    other => {
                        next_probe = other;
                        break;
                    }
                }
            }
            progress.probed = stored.is_some();
            // The kind is in the profile alone; it is read only for a site not probed yet.
            let kind = if stored.is_none() {
                let profile: String = r.get(6).map_err(db_err)?;
                serde_json::from_str::<KindOnly>(&profile)
                    .ok()
                    .and_then(|k| k.site.kind)
            } else {
                None
            };
            let who = Who {
                name: &row.name,
                homepage: &row.homepage,
                kind: kind.as_deref(),
                id: row.id.as_deref(),
                region: &row.region,
            };
            let observation = assemble(plan, key, &who, stored.as_deref(), &kept)?;
            each(SiteState {
                row,
                progress,
                observation,
            })?;
        }
        Ok(())
    }

    /// Every site, in list order.
    ///
    /// # Errors
    /// A database error, or a stored profile that does not read (naming the site), as text.
    pub fn sites(&self) -> Result<Vec<CampaignSite>, String> {
        let mut q = self
            .conn
            .prepare("SELECT key, place, profile FROM sites ORDER BY key")
            .map_err(db_err)?;
        let rows = q
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(db_err)?;
        let mut out = Vec::new();
        for row in rows {
            let (key, place, profile) = row.map_err(db_err)?;
            let profile = SiteProfile::from_json_str(&profile)
                .map_err(|e| format!("campaign database: site {key}'s stored profile: {e}"))?;
            out.push(CampaignSite { key, place, profile });
        }
        Ok(out)
    }

    /// How far the campaign has come.
    ///
    /// # Errors
    /// A database error, as text.
    pub fn progress(&self) -> Result<Progress, String> {
        let plan = self.plan()?;
        let count = |sql: &str| -> Result<u64, String> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| u64::try_from(n).unwrap_or(0))
                .map_err(db_err)
        };
        let sites = count("SELECT COUNT(*) FROM sites")?;
        Ok(Progress {
            sites,
            samples_planned: plan.planned_samples(sites),
            samples_taken: count("SELECT COUNT(*) FROM samples")?,
            samples_failed: count("SELECT COUNT(*) FROM samples WHERE ok = 0 AND probe_fault = 0")?,
            samples_prober_fault: count("SELECT COUNT(*) FROM samples WHERE probe_fault = 1")?,
            probed: count("SELECT COUNT(*) FROM probes")?,
        })
    }

    /// Per site: samples taken, of them counted (not the prober's fault), failed (the site's fault) and whether its
    /// probe is done, in list order.
    ///
    /// # Errors
    /// A database error, as text.
    pub fn site_progress(&self) -> Result<Vec<SiteProgress>, String> {
        let mut q = self
            .conn
            .prepare(
                "SELECT s.key,
                        (SELECT COUNT(*) FROM samples m WHERE m.site = s.key),
                        (SELECT COUNT(*) FROM samples m WHERE m.site = s.key AND m.probe_fault = 0),
                        (SELECT COUNT(*) FROM samples m WHERE m.site = s.key AND m.ok = 0 AND m.probe_fault = 0),
                        EXISTS (SELECT 1 FROM probes p WHERE p.site = s.key)
                 FROM sites s ORDER BY s.key",
            )
            .map_err(db_err)?;
        let rows = q
            .query_map([], |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
                Ok(SiteProgress {
                    key: r.get(0)?,
                    taken: n(1)?,
                    counted: n(2)?,
                    failed: n(3)?,
                    probed: r.get(4)?,
                })
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> CampaignPlan {
        CampaignPlan {
            from: NaiveDate::from_ymd_opt(2015, 6, 24).unwrap_or_default(),
            days: 7,
            per_day: 24,
            pack: "census-2015".into(),
            set: vec!["proration=whole-percent".into()],
        }
    }

    #[test]
    fn a_campaign_is_created_whole_and_reads_back() {
        let dir = std::env::temp_dir().join(format!("pucha-campaign-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut p = SiteProfile::default();
        p.site.name = "示例县人民政府门户网站".into();
        p.site.homepage = "http://www.example.gov.cn/".into();
        let sites = vec![
            ("第 2 行 row 2".to_string(), p.clone()),
            ("第 3 行 row 3".to_string(), p),
        ];
        assert!(Campaign::create(&dir, &plan(), &sites).is_ok());
        let err = Campaign::create(&dir, &plan(), &sites).err().unwrap_or_default();
        assert!(err.contains("already holds a campaign"), "{err}");
        let c = Campaign::open(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.plan(), Ok(plan()));
        assert_eq!(
            plan().monitoring_point(),
            NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default()
        );
        let read = c.sites().unwrap_or_default();
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].key, 2);
        assert_eq!(read[1].place, "第 3 行 row 3");
        let progress = c.progress().unwrap_or_default();
        assert_eq!(
            (progress.sites, progress.samples_planned, progress.samples_taken),
            (2, 336, 0)
        );
        let per_site = c.site_progress().unwrap_or_default();
        let keys: Vec<(i64, u64, bool)> = per_site.iter().map(|s| (s.key, s.taken, s.probed)).collect();
        assert_eq!(keys, [(1, 0, false), (2, 0, false)]);
        // Site 1 probed, with two samples (one the prober's fault, one failed, one \"quoted\" error), site 2 not.
        rusqlite::Connection::open(dir.join(DB_FILE))
            .and_then(|w| w.execute_batch(
                r#"INSERT INTO probes VALUES (1, '2015-06-30T10:00:00Z', '{"monitoring_point":"2015-06-30","site":{"name":"x"},"links":{"homepage_broken":1}}');
                   INSERT INTO samples VALUES (1, 0, '2015-06-24T00:00:00+08:00', 0, NULL, NULL, 'prober down', 1);
                   INSERT INTO samples VALUES (1, 1, '2015-06-24T01:00:00+08:00', 0, 503, 40, 'a "quoted" error', 0);
                   INSERT INTO samples VALUES (2, 0, '2015-06-24T00:00:00+08:00', 1, 200, 12, NULL, 0);"#,
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut states = Vec::new();
        c.each_site(&plan(), |st| {
            states.push(st);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(states.len(), 2);
        for (st, site) in states.iter().zip(&read) {
            let one = c.observation(&plan(), site).unwrap_or_else(|e| panic!("{e}"));
            let text: serde_json::Value =
                serde_json::from_str(&st.observation).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                text, one,
                "one pass and one site at a time build the same observation"
            );
        }
        assert_eq!(
            (
                states[0].progress.taken,
                states[0].progress.counted,
                states[0].progress.failed
            ),
            (2, 1, 1)
        );
        assert!(states[0].progress.probed && !states[1].progress.probed);
        let first: serde_json::Value = serde_json::from_str(&states[0].observation).unwrap_or_default();
        assert_eq!(first["links"]["homepage_broken"], 1);
        assert_eq!(first["availability"]["samples"][1]["error"], "a \"quoted\" error");
        assert_eq!(first["availability"]["samples"][0]["probe_fault"], true);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            Campaign::open(&dir)
                .err()
                .unwrap_or_default()
                .contains("holds no campaign")
        );
    }
}
