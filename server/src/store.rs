//! The database: one SQLite file in WAL mode, migrated on open; one writer at a time, readers beside it.
//!
//! Every change runs in one `BEGIN IMMEDIATE` transaction with `synchronous = FULL`, so what a client was told is
//! stored survives a killed process and a lost power supply alike.

use crate::error::{Result, ServerError};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The migrations, applied in order; `PRAGMA user_version` holds how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_tokens.sql"),
    include_str!("../migrations/0003_summaries.sql"),
    include_str!("../migrations/0004_digests.sql"),
    include_str!("../migrations/0005_filing_paths.sql"),
];

/// How many idle reader connections are kept.
const IDLE_READERS: usize = 8;

/// The server's database.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

fn storage(e: impl std::fmt::Display) -> ServerError {
    ServerError::Storage(e.to_string())
}

fn connect(path: &Path) -> Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| ServerError::Storage(format!("cannot open `{}`: {e}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    Ok(c)
}

impl Store {
    /// Open (creating if need be) the database at `path` and bring its tables up to date.
    ///
    /// # Errors
    /// `storage` when the file cannot be opened or migrated, or was written by a newer pucha.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let mut writer = connect(&path)?;
        let applied: i64 = writer.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let applied = usize::try_from(applied).unwrap_or(usize::MAX);
        if applied > MIGRATIONS.len() {
            return Err(ServerError::Storage(format!(
                "`{}` was written by a newer pucha (schema {applied}, this one knows {})",
                path.display(),
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            let tx = writer.transaction_with_behavior(TransactionBehavior::Exclusive)?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i64::try_from(i + 1).unwrap_or(i64::MAX))?;
            tx.commit()?;
        }
        Ok(Store {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` in one write transaction, committed when it returns `Ok`.
    ///
    /// # Errors
    /// `f`'s errors (the transaction rolls back) and `storage`.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut c = self.writer.lock().map_err(storage)?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Run `f` on a reader connection (a consistent snapshot for its statements).
    ///
    /// # Errors
    /// `f`'s errors and `storage`.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let idle = self.readers.lock().map_err(storage)?.pop();
        let mut c = match idle {
            Some(c) => c,
            None => connect(&self.path)?,
        };
        let out = {
            let tx = c.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx);
            tx.finish()?;
            out
        };
        let mut idle = self.readers.lock().map_err(storage)?;
        if idle.len() < IDLE_READERS {
            idle.push(c);
        }
        out
    }
}

/// Now, as stored: UTC, RFC 3339, seconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Now as Unix seconds.
pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_refuses_changes_in_the_database_itself() {
        let dir = crate::testing::TempDir::new("store");
        let s = Store::open(dir.path().join("a.sqlite")).unwrap();
        s.write(|tx| {
            tx.execute(
                "INSERT INTO audit (at, action) VALUES ('2026-01-01T00:00:00Z', 'x')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
        let upd = s.write(|tx| Ok(tx.execute("UPDATE audit SET action = 'y'", [])?));
        assert!(upd.unwrap_err().to_string().contains("append-only"));
        let del = s.write(|tx| Ok(tx.execute("DELETE FROM audit", [])?));
        assert!(del.unwrap_err().to_string().contains("append-only"));
        // Reopening does not migrate twice.
        drop(s);
        let s = Store::open(dir.path().join("a.sqlite")).unwrap();
        let n: i64 = s
            .read(|c| Ok(c.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(n, 1);
    }
}
