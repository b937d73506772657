//! Accounts, their roles at units, and sessions.
//!
//! Passwords are argon2id hashes; a session is a random 256-bit cookie value kept only as its SHA-256, with its
//! own CSRF token, ended after 30 idle minutes or 12 hours, and on logout, password change or role change.

use crate::access::{Action, Actor, Grant, Role, Target, UnitPath, allows};
use crate::audit;
use crate::error::{Result, ServerError};
use crate::secret;
use crate::units;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// A session ends after this long without a request.
pub const IDLE_SECS: i64 = 30 * 60;
/// A session ends this long after login, however busy.
pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;

/// An account as others see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    /// Its id.
    pub id: i64,
    /// 登录名.
    pub login: String,
    /// 姓名.
    pub display_name: String,
    /// Its roles.
    pub grants: Vec<Grant>,
}

/// An account to create, with its first role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// 登录名: 3–40 letters, digits, `.`, `_`, `-` or `@`.
    pub login: String,
    /// 姓名.
    pub display_name: String,
    /// At least [`secret::MIN_PASSWORD_CHARS`] characters.
    pub password: String,
    /// The role.
    pub role: Role,
}

fn check_login(login: &str) -> Result<()> {
    let ok = (3..=40).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !ok {
        return Err(ServerError::bad(
            "login",
            "登录名须为 3–40 个字母、数字或 . _ - @ / a login has 3–40 letters, digits or . _ - @",
        ));
    }
    Ok(())
}

fn check_password(password: &str) -> Result<()> {
    if !secret::password_ok(password) {
        return Err(ServerError::bad(
            "password",
            format!(
                "密码至少 {n} 个字符 / a password has at least {n} characters",
                n = secret::MIN_PASSWORD_CHARS
            ),
        ));
    }
    Ok(())
}

fn insert(tx: &Connection, new: &NewAccount, unit_id: i64) -> Result<i64> {
    check_login(&new.login)?;
    check_password(&new.password)?;
    let name = new.display_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServerError::bad(
            "display_name",
            "姓名须为 1–100 个字 / a name has 1–100 characters",
        ));
    }
    let taken: bool = tx
        .query_row("SELECT 1 FROM accounts WHERE login = ?1", [&new.login], |_| {
            Ok(true)
        })
        .optional()?
        .unwrap_or(false);
    if taken {
        return Err(ServerError::Conflict(format!(
            "登录名 `{}` 已被使用 / login `{}` is taken",
            new.login, new.login
        )));
    }
    let hash = secret::hash_password(&new.password).map_err(ServerError::Storage)?;
    tx.execute(
        "INSERT INTO accounts (login, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![new.login, name, hash, crate::store::now()],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO grants (account_id, unit_id, role) VALUES (?1, ?2, ?3)",
        params![id, unit_id, new.role.key()],
    )?;
    Ok(id)
}

/// Create an account with a role at `unit_id` (管理 role at that unit or above).
///
/// # Errors
/// `forbidden`, `bad_input`, `conflict`, `storage`.
pub fn create(tx: &Connection, actor: &Actor, unit_id: i64, new: &NewAccount) -> Result<Account> {
    let unit = units::by_id(tx, unit_id)?;
    if !allows(actor, Action::ManageUnit, Target::unit(&unit.path)) {
        return Err(ServerError::Forbidden);
    }
    let id = insert(tx, new, unit_id)?;
    audit::append(
        tx,
        actor.account,
        "account_create",
        audit::About::unit(unit_id),
        Some(&new.login),
    )?;
    get(tx, id)
}

/// The first administrator, at the root, made from the command line (`pucha serve admin create`): the only way to
/// an account without one.
///
/// # Errors
/// `not_found` without a root, `bad_input`, `conflict`, `storage`.
pub fn bootstrap_admin(tx: &Connection, new: &NewAccount) -> Result<Account> {
    let root = units::root(tx)?.ok_or_else(|| ServerError::NotFound("顶级单位 root unit".into()))?;
    let id = insert(
        tx,
        &NewAccount {
            role: Role::Admin,
            ..new.clone()
        },
        root.id,
    )?;
    audit::append(
        tx,
        None,
        "account_bootstrap",
        audit::About::unit(root.id),
        Some(&new.login),
    )?;
    get(tx, id)
}

/// An account by id.
///
/// # Errors
/// `not_found`, `storage`.
pub fn get(c: &Connection, id: i64) -> Result<Account> {
    let (login, display_name): (String, String) = c
        .query_row(
            "SELECT login, display_name FROM accounts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound(format!("账号 account {id}")))?;
    Ok(Account {
        id,
        login,
        display_name,
        grants: grants(c, id)?,
    })
}

fn grants(c: &Connection, id: i64) -> Result<Vec<Grant>> {
    let mut st = c.prepare_cached(
        "SELECT g.role, u.path FROM grants g JOIN units u ON u.id = g.unit_id WHERE g.account_id = ?1 ORDER BY u.path",
    )?;
    let rows = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (role, path) = row?;
        if let (Some(role), Some(unit)) = (Role::parse(&role), UnitPath::parse(&path)) {
            out.push(Grant { role, unit });
        }
    }
    Ok(out)
}

/// What `account` may do: its roles and claimed sites.
///
/// # Errors
/// `storage`.
pub fn actor(c: &Connection, account: i64) -> Result<Actor> {
    let mut st = c.prepare_cached("SELECT site_id FROM claims WHERE account_id = ?1")?;
    let claims = st
        .query_map([account], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(Actor {
        account: Some(account),
        grants: grants(c, account)?,
        claims,
    })
}

/// Add a role to an account (管理 at the unit and over every role the account holds); the account's sessions
/// end, so the change shows at once.
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn add_grant(tx: &Connection, actor: &Actor, account: i64, unit_id: i64, role: Role) -> Result<Account> {
    let unit = units::by_id(tx, unit_id)?;
    if !allows(actor, Action::ManageUnit, Target::unit(&unit.path)) {
        return Err(ServerError::Forbidden);
    }
    // Only accounts wholly in the administrator's reach (or with no role yet): a role change ends the account's
    // sessions, which must not let one unit sign out another's people.
    let target = get(tx, account)?;
    if !target
        .grants
        .iter()
        .all(|g| allows(actor, Action::ManageUnit, Target::unit(&g.unit)))
    {
        return Err(ServerError::Forbidden);
    }
    tx.execute(
        "INSERT OR IGNORE INTO grants (account_id, unit_id, role) VALUES (?1, ?2, ?3)",
        params![account, unit_id, role.key()],
    )?;
    end_sessions(tx, account)?;
    audit::append(
        tx,
        actor.account,
        "grant_add",
        audit::About::unit(unit_id),
        Some(role.key()),
    )?;
    get(tx, account)
}

/// Set a password: one's own, or (管理) that of an account whose every role lies in the admin's subtree. Every
/// session of the account ends.
///
/// # Errors
/// `forbidden`, `bad_input`, `not_found`, `storage`.
pub fn set_password(tx: &Connection, actor: &Actor, account: i64, password: &str) -> Result<()> {
    let target = get(tx, account)?;
    let own = actor.account == Some(account);
    let managed = !target.grants.is_empty()
        && target
            .grants
            .iter()
            .all(|g| allows(actor, Action::ManageUnit, Target::unit(&g.unit)));
    if !own && !managed {
        return Err(ServerError::Forbidden);
    }
    check_password(password)?;
    let hash = secret::hash_password(password).map_err(ServerError::Storage)?;
    tx.execute(
        "UPDATE accounts SET password_hash = ?1 WHERE id = ?2",
        params![hash, account],
    )?;
    end_sessions(tx, account)?;
    audit::append(
        tx,
        actor.account,
        "password_set",
        audit::About::none(),
        Some(&target.login),
    )
}

/// Whether `login`/`password` name an enabled account; its id if so. An unknown login costs as much time as a
/// wrong password, and both give the same answer.
///
/// # Errors
/// `storage`.
pub fn verify(c: &Connection, login: &str, password: &str) -> Result<Option<i64>> {
    let row: Option<(i64, String, i64)> = c
        .query_row(
            "SELECT id, password_hash, disabled FROM accounts WHERE login = ?1",
            [login],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        Some((id, hash, 0)) => secret::verify_password(password, &hash).then_some(id),
        Some(_) => None,
        None => {
            secret::verify_password(password, secret::decoy_hash());
            None
        }
    })
}

/// A new session for `account`: the cookie value and the session's CSRF token.
///
/// # Errors
/// `storage`.
pub fn open_session(tx: &Connection, account: i64) -> Result<(String, String)> {
    let cookie = secret::random_hex(32);
    let csrf = secret::random_hex(32);
    let now = crate::store::now_secs();
    tx.execute(
        "INSERT INTO sessions (id_hash, account_id, csrf, created_at, seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![secret::sha256(&cookie), account, csrf, now],
    )?;
    Ok((cookie, csrf))
}

/// A live session by its cookie value: the account and the CSRF token; whether its last-seen time is due to be
/// refreshed (once a minute, so reads stay reads).
///
/// # Errors
/// `storage`.
pub fn session(c: &Connection, cookie: &str) -> Result<Option<(i64, String, bool)>> {
    let row: Option<(i64, String, i64, i64)> = c
        .query_row(
            "SELECT s.account_id, s.csrf, s.created_at, s.seen_at FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.id_hash = ?1 AND a.disabled = 0",
            [secret::sha256(cookie)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let now = crate::store::now_secs();
    Ok(row.and_then(|(account, csrf, created, seen)| {
        let live = now - seen < IDLE_SECS && now - created < ABSOLUTE_SECS;
        live.then_some((account, csrf, now - seen >= 60))
    }))
}

/// Mark a session seen now.
///
/// # Errors
/// `storage`.
pub fn touch_session(tx: &Connection, cookie: &str) -> Result<()> {
    tx.execute(
        "UPDATE sessions SET seen_at = ?1 WHERE id_hash = ?2",
        params![crate::store::now_secs(), secret::sha256(cookie)],
    )?;
    Ok(())
}

/// End one session (logout).
///
/// # Errors
/// `storage`.
pub fn close_session(tx: &Connection, cookie: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM sessions WHERE id_hash = ?1",
        [secret::sha256(cookie)],
    )?;
    Ok(())
}

/// End every session of an account.
///
/// # Errors
/// `storage`.
pub fn end_sessions(tx: &Connection, account: i64) -> Result<()> {
    tx.execute("DELETE FROM sessions WHERE account_id = ?1", [account])?;
    Ok(())
}
