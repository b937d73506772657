-- API tokens for scripts: scoped to one role at one unit, kept only as a SHA-256, with an expiry; revocable.
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    role       TEXT NOT NULL CHECK (role IN ('filer', 'reviewer', 'admin')),
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    last_used  INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_account ON tokens(account_id);
