//! Sites owned by units: 网站标识码, 校验码 (stored hashed, shown once), the profile (附件3/附件4), claims.

use crate::access::{Action, Actor, Target, UnitPath, allows};
use crate::audit;
use crate::error::{Result, ServerError};
use crate::secret;
use crate::units;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

/// A site, with what only those who reach it may see (the profile carries contacts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Its id.
    pub id: i64,
    /// 网站标识码.
    pub code: String,
    /// The owning unit.
    pub unit_id: i64,
    /// The owning unit's place in the tree.
    pub unit_path: UnitPath,
    /// 网站名称.
    pub name: String,
    /// 首页网址.
    pub homepage: String,
    /// `portal` or `other`.
    pub kind: String,
    /// 地区.
    pub region: String,
    /// 部门.
    pub department: String,
    /// 主管单位.
    pub authority: String,
    /// The profile (附件3 + 附件4) as JSON, when filed.
    pub profile: Option<serde_json::Value>,
}

/// A site to register.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSite {
    /// 网站标识码: `bm` + 8 digits, or 10 digits.
    pub code: String,
    /// 网站名称.
    pub name: String,
    /// 首页网址.
    #[serde(default)]
    pub homepage: String,
    /// `portal` (default) or `other`.
    #[serde(default)]
    pub kind: Option<String>,
    /// 地区 (the unit's when empty).
    #[serde(default)]
    pub region: String,
    /// 部门.
    #[serde(default)]
    pub department: String,
    /// 主管单位 (the unit's name when empty).
    #[serde(default)]
    pub authority: String,
}

/// What the public directory shows of a site: no contacts, no profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicSite {
    /// 网站标识码.
    pub code: String,
    /// 网站名称.
    pub name: String,
    /// 首页网址.
    pub homepage: String,
    /// 地区.
    pub region: String,
    /// 主管单位.
    pub authority: String,
    /// The latest approved verdict and its monitoring point, when the owning unit publishes verdicts.
    pub verdict: Option<(String, String)>,
}

const COLUMNS: &str = "s.id, s.code, s.unit_id, u.path, s.name, s.homepage, s.kind, s.region, s.department, \
                       s.authority, s.profile_json";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Site> {
    let path: String = r.get(3)?;
    let profile: Option<String> = r.get(10)?;
    Ok(Site {
        id: r.get(0)?,
        code: r.get(1)?,
        unit_id: r.get(2)?,
        unit_path: UnitPath::parse(&path).unwrap_or_else(|| UnitPath::root(0)),
        name: r.get(4)?,
        homepage: r.get(5)?,
        kind: r.get(6)?,
        region: r.get(7)?,
        department: r.get(8)?,
        authority: r.get(9)?,
        profile: profile.and_then(|p| serde_json::from_str(&p).ok()),
    })
}

/// A site by 网站标识码, whoever asks (callers check access).
///
/// # Errors
/// `not_found`, `storage`.
pub fn by_code(c: &Connection, code: &str) -> Result<Site> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM sites s JOIN units u ON u.id = s.unit_id WHERE s.code = ?1"),
        [code],
        from_row,
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound(format!("网站 site `{code}`")))
}

/// A site by id, whoever asks.
///
/// # Errors
/// `not_found`, `storage`.
pub fn by_id(c: &Connection, id: i64) -> Result<Site> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM sites s JOIN units u ON u.id = s.unit_id WHERE s.id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound(format!("网站 site {id}")))
}

/// A site `actor` may read.
///
/// # Errors
/// `not_found`, `forbidden`, `storage`.
pub fn get(c: &Connection, actor: &Actor, code: &str) -> Result<Site> {
    let s = by_code(c, code)?;
    if !allows(actor, Action::ReadSite, Target::site(&s.unit_path, s.id)) {
        return Err(ServerError::Forbidden);
    }
    Ok(s)
}

/// Register a site under `unit_id` (管理); returns it with its 校验码, which is shown this once.
///
/// # Errors
/// `forbidden`, `bad_input`, `conflict`, `storage`.
pub fn create(tx: &Connection, actor: &Actor, unit_id: i64, new: &NewSite) -> Result<(Site, String)> {
    let unit = units::by_id(tx, unit_id)?;
    if !allows(actor, Action::ManageUnit, Target::unit(&unit.path)) {
        return Err(ServerError::Forbidden);
    }
    if !pucha_extract::profile::site_id_ok(&new.code) {
        return Err(ServerError::bad(
            "code",
            format!(
                "网站标识码 `{}` 应为 bm 加 8 位数字或 10 位数字 / a site code is bm + 8 digits or 10 digits",
                new.code
            ),
        ));
    }
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ServerError::bad(
            "name",
            "网站名称须为 1–200 个字 / a site name has 1–200 characters",
        ));
    }
    let kind = new.kind.as_deref().unwrap_or("portal");
    if !matches!(kind, "portal" | "other") {
        return Err(ServerError::bad(
            "kind",
            format!("`{kind}`: 应为 portal 或 other / expected portal or other"),
        ));
    }
    if by_code(tx, &new.code).is_ok() {
        return Err(ServerError::Conflict(format!(
            "网站标识码 `{}` 已登记 / site `{}` exists",
            new.code, new.code
        )));
    }
    let code = secret::check_code();
    let region = if new.region.trim().is_empty() {
        unit.region.as_str()
    } else {
        new.region.trim()
    };
    let authority = if new.authority.trim().is_empty() {
        unit.name.as_str()
    } else {
        new.authority.trim()
    };
    tx.execute(
        "INSERT INTO sites (code, unit_id, name, homepage, kind, region, department, authority, check_code_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            new.code,
            unit_id,
            name,
            new.homepage.trim(),
            kind,
            region,
            new.department.trim(),
            authority,
            secret::sha256(&code)
        ],
    )?;
    audit::append(
        tx,
        actor.account,
        "site_create",
        audit::About::unit(unit_id),
        Some(&new.code),
    )?;
    Ok((by_code(tx, &new.code)?, code))
}

/// A new 校验码 for a site (管理 over its unit); the old one stops working. Returned this once.
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn reset_check_code(tx: &Connection, actor: &Actor, code: &str) -> Result<String> {
    let s = by_code(tx, code)?;
    if !allows(actor, Action::ManageUnit, Target::unit(&s.unit_path)) {
        return Err(ServerError::Forbidden);
    }
    let new = secret::check_code();
    tx.execute(
        "UPDATE sites SET check_code_hash = ?1 WHERE id = ?2",
        params![secret::sha256(&new), s.id],
    )?;
    tx.execute("DELETE FROM claims WHERE site_id = ?1", [s.id])?;
    audit::append(
        tx,
        actor.account,
        "check_code_reset",
        audit::About::unit(s.unit_id),
        Some(code),
    )?;
    Ok(new)
}

/// Claim a site with its 网站标识码 and 校验码: the account may then file for it. The same answer for an unknown
/// site and a wrong code.
///
/// # Errors
/// `unauthenticated` for the public, `forbidden` for a wrong pair, `storage`.
pub fn claim(tx: &Connection, actor: &Actor, code: &str, check_code: &str) -> Result<Site> {
    let account = actor.account.ok_or(ServerError::Unauthenticated)?;
    let row: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT id, check_code_hash FROM sites WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let given = secret::sha256(check_code.trim());
    let (stored, id) = match &row {
        Some((id, hash)) => (hash.as_slice(), Some(*id)),
        None => (&[0u8; 32][..], None),
    };
    let matched = secret::same(stored, &given);
    match (id, matched) {
        (Some(id), true) => {
            tx.execute(
                "INSERT OR IGNORE INTO claims (account_id, site_id, claimed_at) VALUES (?1, ?2, ?3)",
                params![account, id, crate::store::now()],
            )?;
            let s = by_id(tx, id)?;
            audit::append(
                tx,
                Some(account),
                "site_claim",
                audit::About::unit(s.unit_id),
                Some(code),
            )?;
            Ok(s)
        }
        _ => {
            audit::append(
                tx,
                Some(account),
                "site_claim_failed",
                audit::About::none(),
                Some(code),
            )?;
            Err(ServerError::Forbidden)
        }
    }
}

/// Store a site's profile (附件3/附件4), checked by the same rules as `pucha profile check` (filers of the site).
///
/// # Errors
/// `forbidden`, `bad_input` listing every problem, `storage`.
pub fn set_profile(tx: &Connection, actor: &Actor, code: &str, profile: &serde_json::Value) -> Result<Site> {
    let s = by_code(tx, code)?;
    if !allows(actor, Action::FileSite, Target::site(&s.unit_path, s.id)) {
        return Err(ServerError::Forbidden);
    }
    let parsed = pucha_extract::profile::SiteProfile::from_json_str(&profile.to_string())
        .map_err(|e| ServerError::bad("profile", e))?;
    let problems = parsed.check();
    if !problems.is_empty() {
        let list: Vec<String> = problems
            .iter()
            .map(|p| format!("{}（{}）：{} / {}", p.field_zh, p.field, p.zh, p.en))
            .collect();
        return Err(ServerError::bad("profile", list.join("; ")));
    }
    tx.execute(
        "UPDATE sites SET profile_json = ?1 WHERE id = ?2",
        params![profile.to_string(), s.id],
    )?;
    audit::append(
        tx,
        actor.account,
        "profile_set",
        audit::About::unit(s.unit_id),
        Some(code),
    )?;
    by_id(tx, s.id)
}

/// The sites owned by units in the subtree of `unit_id`, by 网站标识码.
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn in_subtree(c: &Connection, actor: &Actor, unit_id: i64) -> Result<Vec<Site>> {
    let unit = units::get(c, actor, unit_id)?;
    let mut st = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sites s JOIN units u ON u.id = s.unit_id
         WHERE substr(u.path, 1, length(?1)) = ?1 ORDER BY s.code"
    ))?;
    Ok(st
        .query_map([unit.path.as_str()], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The sites an account may file for outside its roles' reach: those it claimed.
///
/// # Errors
/// `storage`.
pub fn claimed(c: &Connection, actor: &Actor) -> Result<Vec<Site>> {
    actor.claims.iter().map(|id| by_id(c, *id)).collect()
}

/// Search the public directory: `q` in the name or 网站标识码, `region` in the 地区; at most `limit` rows.
///
/// # Errors
/// `storage`.
pub fn public_search(c: &Connection, q: &str, region: &str, limit: usize) -> Result<Vec<PublicSite>> {
    let like = |s: &str| {
        format!(
            "%{}%",
            s.trim()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    };
    let mut st = c.prepare_cached(
        "SELECT s.code, s.name, s.homepage, s.region, s.authority, u.publishes,
           (SELECT f.verdict || '|' || f.monitoring_point FROM filings f
             WHERE f.site_id = s.id AND f.state = 'approved' ORDER BY f.monitoring_point DESC, f.id DESC LIMIT 1)
         FROM sites s JOIN units u ON u.id = s.unit_id
         WHERE (s.name LIKE ?1 ESCAPE '\\' OR s.code LIKE ?1 ESCAPE '\\') AND s.region LIKE ?2 ESCAPE '\\'
         ORDER BY s.code LIMIT ?3",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = st.query_map(params![like(q), like(region), limit], |r| {
        let publishes: i64 = r.get(5)?;
        let latest: Option<String> = r.get(6)?;
        Ok(PublicSite {
            code: r.get(0)?,
            name: r.get(1)?,
            homepage: r.get(2)?,
            region: r.get(3)?,
            authority: r.get(4)?,
            verdict: latest
                .filter(|_| publishes != 0)
                .and_then(|l| l.split_once('|').map(|(v, p)| (v.to_owned(), p.to_owned()))),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
