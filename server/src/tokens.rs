//! API tokens: a script's key, scoped to one role at one unit of its account's, shown once, kept as a SHA-256,
//! with an expiry and revocation. A token acts with that one role only, and only while its account still holds
//! the role there (or above).

use crate::access::{Action, Actor, Grant, Role, Target, UnitPath, allows};
use crate::audit;
use crate::error::{Result, ServerError};
use crate::secret;
use crate::units;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// The prefix every token starts with, so a leaked one is recognisable.
pub const PREFIX: &str = "pucha_";
/// The longest a token may live.
pub const MAX_DAYS: u32 = 366;
/// Token use is logged at most this often per token.
pub const USE_LOG_SECS: i64 = 3600;

/// A token to make.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What it is for (`省平台同步`).
    pub name: String,
    /// The unit its role is held at.
    pub unit_id: i64,
    /// The role.
    pub role: Role,
    /// Days until it expires (1–366).
    pub days: u32,
}

/// A token as its owner lists it (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Token {
    /// Its id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// The unit.
    pub unit_id: i64,
    /// The role.
    pub role: Role,
    /// Made (UTC).
    pub created_at: String,
    /// Expires (Unix seconds).
    pub expires_at: i64,
    /// Revoked.
    pub revoked: bool,
}

/// Make a token for the signed-in account (which must hold the role at that unit or above); returns it with the
/// secret, shown this once.
///
/// # Errors
/// `forbidden` for a role the account does not hold there, `bad_input`, `storage`.
pub fn create(tx: &Connection, actor: &Actor, new: &NewToken) -> Result<(Token, String)> {
    let account = actor.account.ok_or(ServerError::Unauthenticated)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServerError::bad(
            "name",
            "名称须为 1–100 个字 / a name has 1–100 characters",
        ));
    }
    if !(1..=MAX_DAYS).contains(&new.days) {
        return Err(ServerError::bad(
            "days",
            format!("有效天数须为 1–{MAX_DAYS} / 1–{MAX_DAYS} days"),
        ));
    }
    let unit = units::by_id(tx, new.unit_id)?;
    if !holds(actor, new.role, &unit.path) {
        return Err(ServerError::Forbidden);
    }
    let secret = format!("{PREFIX}{}", secret::random_hex(32));
    let expires = crate::store::now_secs() + i64::from(new.days) * 86_400;
    tx.execute(
        "INSERT INTO tokens (account_id, unit_id, role, name, hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![account, unit.id, new.role.key(), name, secret::sha256(&secret), crate::store::now(), expires],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        tx,
        Some(account),
        "token_create",
        audit::About::unit(unit.id),
        Some(name),
    )?;
    Ok((get(tx, id)?, secret))
}

fn holds(actor: &Actor, role: Role, at: &UnitPath) -> bool {
    actor.grants.iter().any(|g| g.role == role && g.unit.contains(at))
}

fn get(c: &Connection, id: i64) -> Result<Token> {
    c.query_row(
        "SELECT id, name, unit_id, role, created_at, expires_at, revoked FROM tokens WHERE id = ?1",
        [id],
        |r| {
            let role: String = r.get(3)?;
            Ok(Token {
                id: r.get(0)?,
                name: r.get(1)?,
                unit_id: r.get(2)?,
                role: Role::parse(&role).unwrap_or(Role::Filer),
                created_at: r.get(4)?,
                expires_at: r.get(5)?,
                revoked: r.get::<_, i64>(6)? != 0,
            })
        },
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound(format!("令牌 token {id}")))
}

/// The account's own tokens.
///
/// # Errors
/// `unauthenticated`, `storage`.
pub fn list(c: &Connection, actor: &Actor) -> Result<Vec<Token>> {
    let account = actor.account.ok_or(ServerError::Unauthenticated)?;
    let mut st = c.prepare_cached("SELECT id FROM tokens WHERE account_id = ?1 ORDER BY id")?;
    let ids = st
        .query_map([account], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    ids.into_iter().map(|id| get(c, id)).collect()
}

/// Revoke a token: its owner's, or one at a unit the actor manages.
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn revoke(tx: &Connection, actor: &Actor, id: i64) -> Result<Token> {
    let (owner, unit_id): (i64, i64) = tx
        .query_row(
            "SELECT account_id, unit_id FROM tokens WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound(format!("令牌 token {id}")))?;
    let unit = units::by_id(tx, unit_id)?;
    if actor.account != Some(owner) && !allows(actor, Action::ManageUnit, Target::unit(&unit.path)) {
        return Err(ServerError::Forbidden);
    }
    tx.execute("UPDATE tokens SET revoked = 1 WHERE id = ?1", [id])?;
    audit::append(
        tx,
        actor.account,
        "token_revoke",
        audit::About::unit(unit_id),
        Some(&id.to_string()),
    )?;
    get(tx, id)
}

/// The actor a bearer token acts as: its account with the token's one role, if the token is live and the
/// account still holds that role there; whether its use is due to be logged.
///
/// # Errors
/// `storage`.
pub fn actor(c: &Connection, bearer: &str) -> Result<Option<(Actor, i64, bool)>> {
    if !bearer.starts_with(PREFIX) {
        return Ok(None);
    }
    let row: Option<(i64, i64, String, i64, i64, String)> = c
        .query_row(
            "SELECT t.id, t.account_id, t.role, t.expires_at, t.last_used, u.path FROM tokens t
               JOIN units u ON u.id = t.unit_id JOIN accounts a ON a.id = t.account_id
             WHERE t.hash = ?1 AND t.revoked = 0 AND a.disabled = 0",
            [secret::sha256(bearer)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let now = crate::store::now_secs();
    let Some((id, account, role, expires, last_used, path)) = row else {
        return Ok(None);
    };
    let (Some(role), Some(unit)) = (Role::parse(&role), UnitPath::parse(&path)) else {
        return Ok(None);
    };
    if expires <= now {
        return Ok(None);
    }
    let held = crate::accounts::actor(c, account)?;
    if !holds(&held, role, &unit) {
        return Ok(None);
    }
    let actor = Actor {
        account: Some(account),
        grants: vec![Grant { role, unit }],
        claims: Vec::new(),
    };
    Ok(Some((actor, id, now - last_used >= USE_LOG_SECS)))
}

/// Note that a token was used (and log it).
///
/// # Errors
/// `storage`.
pub fn used(tx: &Connection, id: i64, account: i64) -> Result<()> {
    tx.execute(
        "UPDATE tokens SET last_used = ?1 WHERE id = ?2",
        params![crate::store::now_secs(), id],
    )?;
    audit::append(
        tx,
        Some(account),
        "token_use",
        audit::About::none(),
        Some(&id.to_string()),
    )
}
