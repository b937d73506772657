-- The 报送系统's tables. Applied once, in order, by `Store::open` (PRAGMA user_version counts the applied files).

-- Units in one tree: 国务院办公厅 → 省 → 市 → 县, departments under each level. `path` is the ids from the root,
-- `/1/4/9/`, so a subtree is one prefix match.
CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES units(id),
    name       TEXT NOT NULL,
    level      TEXT NOT NULL CHECK (level IN ('national', 'province', 'city', 'county', 'department')),
    region     TEXT NOT NULL DEFAULT '',
    path       TEXT NOT NULL UNIQUE,
    -- Whether the public directory shows this unit's sites' latest approved verdicts.
    publishes  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

-- A role at a unit reaches the unit's whole subtree.
CREATE TABLE grants (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    role       TEXT NOT NULL CHECK (role IN ('filer', 'reviewer', 'admin')),
    PRIMARY KEY (account_id, unit_id, role)
);

-- Sites owned by units. The 校验码 is kept only as a SHA-256 (it is random and shown once).
CREATE TABLE sites (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    name            TEXT NOT NULL,
    homepage        TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL DEFAULT 'portal',
    region          TEXT NOT NULL DEFAULT '',
    department      TEXT NOT NULL DEFAULT '',
    authority       TEXT NOT NULL DEFAULT '',
    profile_json    TEXT,
    check_code_hash BLOB NOT NULL
);
CREATE INDEX sites_unit ON sites(unit_id);

-- Accounts that claimed a site with its 网站标识码 and 校验码: they may file for it.
CREATE TABLE claims (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    site_id    INTEGER NOT NULL REFERENCES sites(id),
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (account_id, site_id)
);

-- A filing: a site's profile, one monitoring point, the observation and the report scored from it. `queue_unit`
-- is the unit whose reviewers hold it (NULL while the filer holds it, and once approved at the root).
CREATE TABLE filings (
    id               INTEGER PRIMARY KEY,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    state            TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'resubmitted', 'approved')),
    queue_unit       INTEGER REFERENCES units(id),
    monitoring_point TEXT NOT NULL,
    pack             TEXT NOT NULL,
    profile_json     TEXT,
    observation_json TEXT NOT NULL,
    report_json      TEXT NOT NULL,
    verdict          TEXT NOT NULL,
    score            REAL,
    return_reason    TEXT,
    created_by       INTEGER NOT NULL REFERENCES accounts(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- A client's idempotency key (unique per account) and the SHA-256 of what it sent with it.
    idem_key         TEXT,
    idem_hash        BLOB,
    UNIQUE (created_by, idem_key)
);
CREATE INDEX filings_site ON filings(site_id, monitoring_point);
CREATE INDEX filings_queue ON filings(queue_unit, state);

-- Every state change and every security-relevant event, appended and never changed.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    account_id INTEGER,
    action     TEXT NOT NULL,
    filing_id  INTEGER,
    unit_id    INTEGER,
    from_state TEXT,
    to_state   TEXT,
    reason     TEXT,
    detail     TEXT
);
CREATE INDEX audit_filing ON audit(filing_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Sessions by the SHA-256 of their cookie value; the CSRF token is per session.
CREATE TABLE sessions (
    id_hash    BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

-- 公众留言: the public's messages about a site, in the owning unit's queue.
CREATE TABLE feedback (
    id       INTEGER PRIMARY KEY,
    site_id  INTEGER NOT NULL REFERENCES sites(id),
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    at       TEXT NOT NULL,
    body     TEXT NOT NULL,
    contact  TEXT NOT NULL DEFAULT '',
    handled  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feedback_unit ON feedback(unit_id, handled);
