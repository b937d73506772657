//! 公众留言: anyone may leave a message about a site; it lands in the owning unit's queue.

use crate::access::{Actor, UnitPath};
use crate::error::{Result, ServerError};
use crate::sites;
use crate::units;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// A message from the public.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// The site's 网站标识码.
    pub site: String,
    /// What the writer saw (1–2000 characters).
    pub body: String,
    /// How to reach the writer (optional, at most 200 characters; shown only to the owning unit's subtree).
    #[serde(default)]
    pub contact: String,
}

/// A message as the unit reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Its id.
    pub id: i64,
    /// The site's 网站标识码.
    pub site_code: String,
    /// The site's name.
    pub site_name: String,
    /// When (UTC).
    pub at: String,
    /// The message.
    pub body: String,
    /// The writer's contact, if given.
    pub contact: String,
}

/// Leave a message; returns its id.
///
/// # Errors
/// `not_found` (no such site), `bad_input`, `storage`.
pub fn leave(tx: &Connection, new: &NewMessage) -> Result<i64> {
    let body = new.body.trim();
    if body.is_empty() || body.chars().count() > 2000 {
        return Err(ServerError::bad(
            "body",
            "留言须为 1–2000 个字 / a message has 1–2000 characters",
        ));
    }
    if new.contact.chars().count() > 200 {
        return Err(ServerError::bad(
            "contact",
            "联系方式至多 200 个字 / at most 200 characters",
        ));
    }
    let site = sites::by_code(tx, new.site.trim())?;
    tx.execute(
        "INSERT INTO feedback (site_id, unit_id, at, body, contact) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            site.id,
            site.unit_id,
            crate::store::now(),
            body,
            new.contact.trim()
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The messages about sites in the subtree of `unit_id`, newest first.
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn of_subtree(c: &Connection, actor: &Actor, unit_id: i64) -> Result<Vec<Message>> {
    let unit = units::get(c, actor, unit_id)?;
    list(c, &unit.path)
}

fn list(c: &Connection, path: &UnitPath) -> Result<Vec<Message>> {
    let mut st = c.prepare_cached(
        "SELECT f.id, s.code, s.name, f.at, f.body, f.contact FROM feedback f JOIN sites s ON s.id = f.site_id
         JOIN units u ON u.id = f.unit_id WHERE substr(u.path, 1, length(?1)) = ?1 ORDER BY f.id DESC LIMIT 500",
    )?;
    let rows = st.query_map([path.as_str()], |r| {
        Ok(Message {
            id: r.get(0)?,
            site_code: r.get(1)?,
            site_name: r.get(2)?,
            at: r.get(3)?,
            body: r.get(4)?,
            contact: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
