//! The unit tree: 国务院办公厅 → 省 → 市 → 县, departments under each level.

use crate::access::{Action, Actor, Target, UnitPath, allows};
use crate::audit;
use crate::error::{Result, ServerError};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

/// A unit's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 国家 (国务院办公厅).
    National,
    /// 省级.
    Province,
    /// 市级.
    City,
    /// 县级.
    County,
    /// 部门 (under any level).
    Department,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 5] = [
        Level::National,
        Level::Province,
        Level::City,
        Level::County,
        Level::Department,
    ];

    /// The key stored and sent.
    pub fn key(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Department => "department",
        }
    }

    /// A level from its key.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.key() == s)
    }

    /// 国家 / 省级 / 市级 / 县级 / 部门.
    pub fn zh(self) -> &'static str {
        match self {
            Level::National => "国家",
            Level::Province => "省级",
            Level::City => "市级",
            Level::County => "县级",
            Level::Department => "部门",
        }
    }
}

/// A unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// Its id.
    pub id: i64,
    /// Its parent's id; `None` at the root.
    pub parent_id: Option<i64>,
    /// 单位名称.
    pub name: String,
    /// Its level.
    pub level: Level,
    /// 地区.
    pub region: String,
    /// Its place in the tree.
    pub path: UnitPath,
    /// Whether the public directory shows its sites' latest approved verdicts.
    pub publishes: bool,
}

/// A unit to create.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    /// 单位名称.
    pub name: String,
    /// Its level.
    pub level: Level,
    /// 地区 (the parent's when empty).
    #[serde(default)]
    pub region: String,
}

const COLUMNS: &str = "id, parent_id, name, level, region, path, publishes";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Unit> {
    let level: String = r.get(3)?;
    let path: String = r.get(5)?;
    Ok(Unit {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        name: r.get(2)?,
        level: Level::parse(&level).unwrap_or(Level::Department),
        region: r.get(4)?,
        path: UnitPath::parse(&path).unwrap_or_else(|| UnitPath::root(0)),
        publishes: r.get::<_, i64>(6)? != 0,
    })
}

fn check_name(name: &str) -> Result<()> {
    let n = name.trim().chars().count();
    if n == 0 || n > 100 {
        return Err(ServerError::bad(
            "name",
            "单位名称须为 1–100 个字 / a unit name has 1–100 characters",
        ));
    }
    Ok(())
}

/// A unit by id, whoever asks (the callers check access).
///
/// # Errors
/// `not_found`, `storage`.
pub fn by_id(c: &Connection, id: i64) -> Result<Unit> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM units WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound(format!("单位 unit {id}")))
}

/// The root, if the tree has one.
///
/// # Errors
/// `storage`.
pub fn root(c: &Connection) -> Result<Option<Unit>> {
    Ok(c.query_row(
        &format!("SELECT {COLUMNS} FROM units WHERE parent_id IS NULL"),
        [],
        from_row,
    )
    .optional()?)
}

/// A unit `actor` may read.
///
/// # Errors
/// `not_found`, `forbidden`, `storage`.
pub fn get(c: &Connection, actor: &Actor, id: i64) -> Result<Unit> {
    let u = by_id(c, id)?;
    if !allows(actor, Action::ReadUnit, Target::unit(&u.path)) {
        return Err(ServerError::Forbidden);
    }
    Ok(u)
}

/// Create the root (the tree's top, e.g. 国务院办公厅 or a province running its own system). Only when the tree is
/// empty.
///
/// # Errors
/// `conflict` when a root exists, `bad_input`, `storage`.
pub fn create_root(tx: &Connection, new: &NewUnit) -> Result<Unit> {
    check_name(&new.name)?;
    if root(tx)?.is_some() {
        return Err(ServerError::Conflict(
            "已有顶级单位 / the tree has a root already".into(),
        ));
    }
    tx.execute(
        "INSERT INTO units (parent_id, name, level, region, path) VALUES (NULL, ?1, ?2, ?3, '/pending/')",
        params![new.name.trim(), new.level.key(), new.region.trim()],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "UPDATE units SET path = ?1 WHERE id = ?2",
        params![UnitPath::root(id).as_str(), id],
    )?;
    by_id(tx, id)
}

/// Create a unit under `parent_id` (管理 role at the parent or above).
///
/// # Errors
/// `forbidden`, `not_found`, `bad_input`, `storage`.
pub fn create_child(tx: &Connection, actor: &Actor, parent_id: i64, new: &NewUnit) -> Result<Unit> {
    check_name(&new.name)?;
    let parent = by_id(tx, parent_id)?;
    if !allows(actor, Action::ManageUnit, Target::unit(&parent.path)) {
        return Err(ServerError::Forbidden);
    }
    if new.level == Level::National {
        return Err(ServerError::bad(
            "level",
            "只有顶级单位是国家级 / only the root is national",
        ));
    }
    let region = if new.region.trim().is_empty() {
        parent.region.clone()
    } else {
        new.region.trim().to_owned()
    };
    tx.execute(
        "INSERT INTO units (parent_id, name, level, region, path) VALUES (?1, ?2, ?3, ?4, '/pending/')",
        params![parent_id, new.name.trim(), new.level.key(), region],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "UPDATE units SET path = ?1 WHERE id = ?2",
        params![parent.path.child(id).as_str(), id],
    )?;
    audit::append(tx, actor.account, "unit_create", audit::About::unit(id), None)?;
    by_id(tx, id)
}

/// The units directly under `id`.
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn children(c: &Connection, actor: &Actor, id: i64) -> Result<Vec<Unit>> {
    get(c, actor, id)?;
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM units WHERE parent_id = ?1 ORDER BY id"
    ))?;
    let rows = st
        .query_map([id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The units from the root down to `id` (for breadcrumbs), whoever asks: names of the levels above are public.
///
/// # Errors
/// `not_found`, `storage`.
pub fn lineage(c: &Connection, id: i64) -> Result<Vec<Unit>> {
    let u = by_id(c, id)?;
    u.path.ids().map(|i| by_id(c, i)).collect()
}

/// Set whether the public directory shows the unit's sites' verdicts (管理).
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn set_publishes(tx: &Connection, actor: &Actor, id: i64, publishes: bool) -> Result<Unit> {
    let u = by_id(tx, id)?;
    if !allows(actor, Action::ManageUnit, Target::unit(&u.path)) {
        return Err(ServerError::Forbidden);
    }
    tx.execute(
        "UPDATE units SET publishes = ?1 WHERE id = ?2",
        params![i64::from(publishes), id],
    )?;
    let detail = if publishes { "publishes" } else { "withholds" };
    audit::append(
        tx,
        actor.account,
        "unit_publish",
        audit::About::unit(id),
        Some(detail),
    )?;
    by_id(tx, id)
}
