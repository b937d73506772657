//! The append-only audit log: every filing's state change (who, when, from, to, reason) and every security event
//! (logins, failed logins, 校验码 resets and claims, exports of contact data). The database refuses to change or
//! delete an entry (triggers in the first migration).

use crate::access::UnitPath;
use crate::error::Result;
use crate::workflow::State;
use rusqlite::{Connection, Row, params};
use serde::Serialize;

/// What an entry is about.
#[derive(Debug, Clone, Default)]
pub struct About<'a> {
    /// The filing.
    pub filing: Option<i64>,
    /// The unit (for a filing: the unit owning its site).
    pub unit: Option<i64>,
    /// The state before.
    pub from: Option<State>,
    /// The state after.
    pub to: Option<State>,
    /// A reviewer's reason.
    pub reason: Option<&'a str>,
}

impl About<'_> {
    /// About a unit only.
    pub fn unit(id: i64) -> About<'static> {
        About {
            unit: Some(id),
            ..About::default()
        }
    }

    /// A change to a filing that keeps its state (an edit, a resolved suspect).
    pub fn kept(filing: i64, unit: i64, state: State) -> About<'static> {
        About {
            filing: Some(filing),
            unit: Some(unit),
            from: Some(state),
            to: Some(state),
            reason: None,
        }
    }

    /// About nothing in the tree (a login).
    pub fn none() -> About<'static> {
        About::default()
    }
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Its number (in order of writing).
    pub id: i64,
    /// When (UTC).
    pub at: String,
    /// Who: the account's login, empty for the public or the system.
    pub who: String,
    /// What (`submit`, `return`, `approve`, `login_failed`, `check_code_reset` …).
    pub action: String,
    /// The filing.
    pub filing_id: Option<i64>,
    /// The unit.
    pub unit_id: Option<i64>,
    /// The state before.
    pub from_state: Option<String>,
    /// The state after.
    pub to_state: Option<String>,
    /// The reason given.
    pub reason: Option<String>,
    /// Anything else worth keeping (the login tried, the queue the filing went to).
    pub detail: Option<String>,
}

/// Append an entry.
///
/// # Errors
/// `storage`.
pub fn append(
    tx: &Connection,
    account: Option<i64>,
    action: &str,
    about: About<'_>,
    detail: Option<&str>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, account_id, action, filing_id, unit_id, from_state, to_state, reason, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            crate::store::now(),
            account,
            action,
            about.filing,
            about.unit,
            about.from.map(State::key),
            about.to.map(State::key),
            about.reason,
            detail
        ],
    )?;
    Ok(())
}

const SELECT: &str =
    "SELECT a.id, a.at, COALESCE(acc.login, ''), a.action, a.filing_id, a.unit_id, a.from_state,
    a.to_state, a.reason, a.detail FROM audit a LEFT JOIN accounts acc ON acc.id = a.account_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        who: r.get(2)?,
        action: r.get(3)?,
        filing_id: r.get(4)?,
        unit_id: r.get(5)?,
        from_state: r.get(6)?,
        to_state: r.get(7)?,
        reason: r.get(8)?,
        detail: r.get(9)?,
    })
}

/// A filing's history, oldest first (the caller checked the reader may see the filing).
///
/// # Errors
/// `storage`.
pub fn of_filing(c: &Connection, filing: i64) -> Result<Vec<Entry>> {
    let mut st = c.prepare_cached(&format!("{SELECT} WHERE a.filing_id = ?1 ORDER BY a.id"))?;
    Ok(st
        .query_map([filing], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every entry about a unit in the subtree under `path`, oldest first (the caller checked access).
///
/// # Errors
/// `storage`.
pub fn of_subtree(c: &Connection, path: &UnitPath) -> Result<Vec<Entry>> {
    let mut st = c.prepare_cached(&format!(
        "{SELECT} JOIN units u ON u.id = a.unit_id WHERE substr(u.path, 1, length(?1)) = ?1 ORDER BY a.id"
    ))?;
    Ok(st
        .query_map([path.as_str()], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The log as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese), formula-like text neutralised.
pub fn csv(entries: &[Entry]) -> String {
    let mut out = String::from("\u{feff}id,at,who,action,filing,unit,from,to,reason,detail\r\n");
    for e in entries {
        let cells = [
            e.id.to_string(),
            e.at.clone(),
            e.who.clone(),
            e.action.clone(),
            e.filing_id.map(|v| v.to_string()).unwrap_or_default(),
            e.unit_id.map(|v| v.to_string()).unwrap_or_default(),
            e.from_state.clone().unwrap_or_default(),
            e.to_state.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            e.detail.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| pucha_render::text::csv_text(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
