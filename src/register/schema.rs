//! The register's schema, versioned with SQLite's `user_version`. Each
//! migration is one transaction that brings the schema from one version to
//! the next; `open` runs the ones a register lacks, so a register written
//! by any earlier fucha opens in this one. A register from a newer fucha is
//! refused rather than misread.

use super::{Register, RegisterError, fucha_version};
use rusqlite::params;

/// The migrations, in order: `MIGRATIONS[i]` takes the schema from version
/// `i` to `i + 1`. Never edit one that has shipped; add the next.
const MIGRATIONS: &[&str] = &[
    // 1: files received, their rows, and the documents built from them.
    "
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    -- Each file's bytes once, by their SHA-256.
    CREATE TABLE files (
        hash  TEXT PRIMARY KEY,
        size  INTEGER NOT NULL,
        bytes BLOB NOT NULL
    );
    -- A file received for a campaign year: one version of a body's data.
    CREATE TABLE submissions (
        id               INTEGER PRIMARY KEY,
        year             INTEGER NOT NULL,
        hash             TEXT NOT NULL REFERENCES files(hash),
        name             TEXT NOT NULL,
        path             TEXT NOT NULL,
        body             TEXT,
        received_at      TEXT NOT NULL,
        rows             INTEGER NOT NULL,
        accepted         INTEGER NOT NULL,
        rejected         INTEGER NOT NULL,
        errors           INTEGER NOT NULL,
        warnings         INTEGER NOT NULL,
        withdrawn_at     TEXT,
        withdrawn_reason TEXT,
        UNIQUE (year, hash)
    );
    CREATE INDEX submissions_by_body ON submissions (year, body, received_at);
    -- Every data row of a submission as read, with its place in the file:
    -- one JSON array per submission, deflated (one row of SQL per data row,
    -- uncompressed, made recording a province's files twice as slow; rows
    -- are only ever read back a submission at a time).
    CREATE TABLE submission_rows (
        submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
        rows          BLOB NOT NULL
    );
    -- A document written by a build, and the versions it was built from.
    CREATE TABLE documents (
        id       INTEGER PRIMARY KEY,
        year     INTEGER NOT NULL,
        kind     TEXT NOT NULL,
        path     TEXT NOT NULL,
        built_at TEXT NOT NULL,
        as_of    TEXT
    );
    CREATE TABLE document_sources (
        document_id   INTEGER NOT NULL REFERENCES documents(id),
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        PRIMARY KEY (document_id, submission_id)
    );
    ",
    // 2: units across years: identity through renames and mergers, the
    // honour each season's roster gave, and each season's result.
    "
    CREATE TABLE units (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    -- Every name a unit has gone by (official names and aliases).
    CREATE TABLE unit_names (
        name    TEXT PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES units(id)
    );
    -- A unit formed from another in a reform, as its reform note says.
    CREATE TABLE unit_links (
        unit_id     INTEGER NOT NULL REFERENCES units(id),
        formerly_id INTEGER NOT NULL REFERENCES units(id),
        year        INTEGER NOT NULL,
        note        TEXT NOT NULL,
        PRIMARY KEY (unit_id, formerly_id)
    );
    -- The honour a season's roster lists for a unit.
    CREATE TABLE honours (
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        year         INTEGER NOT NULL,
        name         TEXT NOT NULL,
        level        TEXT NOT NULL,
        award_year   INTEGER NOT NULL,
        jurisdiction TEXT NOT NULL,
        reform       INTEGER NOT NULL,
        remarks      TEXT NOT NULL,
        PRIMARY KEY (unit_id, year)
    );
    -- A season's result in force for a unit.
    CREATE TABLE results (
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        year         INTEGER NOT NULL,
        outcome      TEXT NOT NULL,
        review_date  TEXT NOT NULL,
        score        REAL NOT NULL,
        satisfaction REAL,
        problems     TEXT NOT NULL,
        reform_note  TEXT NOT NULL,
        file         TEXT NOT NULL,
        PRIMARY KEY (unit_id, year)
    );
    ",
    // 3: a build's sources once per build, not once per document: every
    // document of a build comes from the same batch, and on a province's
    // data one build wrote 200 sources for each of its 2,000 documents.
    "
    CREATE TABLE builds (
        id       INTEGER PRIMARY KEY,
        year     INTEGER NOT NULL,
        built_at TEXT NOT NULL,
        as_of    TEXT
    );
    CREATE TABLE build_sources (
        build_id      INTEGER NOT NULL REFERENCES builds(id),
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        PRIMARY KEY (build_id, submission_id)
    );
    CREATE TABLE built_documents (
        id       INTEGER PRIMARY KEY,
        build_id INTEGER NOT NULL REFERENCES builds(id),
        kind     TEXT NOT NULL,
        path     TEXT NOT NULL
    );
    INSERT INTO builds (year, built_at, as_of)
        SELECT year, built_at, as_of FROM documents
        GROUP BY year, built_at, as_of ORDER BY min(id);
    INSERT INTO built_documents (id, build_id, kind, path)
        SELECT d.id, b.id, d.kind, d.path FROM documents d JOIN builds b
        ON b.year = d.year AND b.built_at = d.built_at AND b.as_of IS d.as_of;
    INSERT OR IGNORE INTO build_sources (build_id, submission_id)
        SELECT bd.build_id, ds.submission_id FROM document_sources ds
        JOIN built_documents bd ON bd.id = ds.document_id;
    DROP TABLE document_sources;
    DROP TABLE documents;
    ALTER TABLE built_documents RENAME TO documents;
    CREATE INDEX documents_by_path ON documents (path);
    ",
    // 4: spot checks: each draw the city made (seed, method, units), so
    // the inspectors' findings can be held against what was drawn.
    "
    -- The seed as decimal text: a u64 does not fit SQLite's signed integer,
    -- and whoever verifies the draw reads the seed as it was given.
    CREATE TABLE spot_draws (
        id         INTEGER PRIMARY KEY,
        year       INTEGER NOT NULL,
        seed       TEXT NOT NULL,
        method     TEXT NOT NULL,
        candidates INTEGER NOT NULL,
        drawn_at   TEXT NOT NULL
    );
    CREATE TABLE spot_draw_units (
        draw_id      INTEGER NOT NULL REFERENCES spot_draws(id),
        position     INTEGER NOT NULL,
        unit         TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        PRIMARY KEY (draw_id, position)
    );
    ",
    // 5: rectification: each notice issued, with its deadline, so that
    // follow-ups are judged against the deadline the unit was given.
    "
    -- seq is the notice's running number ({n} of its 文号), which orders
    -- them; outcome and requirements tell which notices need a follow-up
    -- (限期整改, or 通报批评 with 整改要求) without the season's files.
    CREATE TABLE rectification_notices (
        year         INTEGER NOT NULL,
        seq          INTEGER NOT NULL,
        unit         TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        outcome      TEXT NOT NULL,
        number       TEXT NOT NULL,
        issued       TEXT NOT NULL,
        deadline     TEXT NOT NULL,
        problems     TEXT NOT NULL,
        requirements TEXT NOT NULL,
        PRIMARY KEY (year, unit)
    );
    ",
    // 6: the workbench (issue #15): accounts, their sessions, every login
    // attempt, and an audit log of who did what when.
    "
    -- password_hash is an argon2 PHC string; the clear password is never
    -- kept. A county account names its reporting body.
    CREATE TABLE accounts (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL CHECK (role IN ('city', 'county')),
        body          TEXT,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until  TEXT,
        CHECK (role = 'city' OR body IS NOT NULL)
    );
    -- A session by the SHA-256 of its token, so a copy of the register
    -- opens no session.
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen  TEXT NOT NULL
    );
    -- Every login attempt, by the name tried (which may not exist).
    CREATE TABLE login_attempts (
        id        INTEGER PRIMARY KEY,
        name      TEXT NOT NULL,
        at        TEXT NOT NULL,
        succeeded INTEGER NOT NULL
    );
    CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        account TEXT,
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    ",
    // 7: a version the city sent back to its county for correction (已退回),
    // who did it and the note sent with it.
    "
    ALTER TABLE submissions ADD COLUMN returned_at TEXT;
    ALTER TABLE submissions ADD COLUMN returned_by TEXT;
    ALTER TABLE submissions ADD COLUMN returned_note TEXT;
    ",
];

/// The schema version this fucha writes.
pub(super) const CURRENT: u32 = MIGRATIONS.len() as u32;

/// Brings the register's schema to [`CURRENT`], one migration at a time.
pub(super) fn migrate(register: &mut Register) -> Result<(), RegisterError> {
    migrate_to(register, CURRENT)
}

/// Brings the schema to `target` (tests stop at an older version to test
/// the migrations from it).
pub(super) fn migrate_to(register: &mut Register, target: u32) -> Result<(), RegisterError> {
    let path = register.path.clone();
    let db = |source| RegisterError::Database {
        path: path.clone(),
        source,
    };
    let found = version(register)?;
    if found > CURRENT {
        let written_by = register
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'written_by'", [], |r| {
                r.get(0)
            })
            .unwrap_or_else(|_| "未知版本".to_string());
        return Err(RegisterError::TooNew {
            path,
            found,
            known: CURRENT,
            written_by,
        });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(found as usize)
    {
        // IMMEDIATE: two processes opening a new register at once must not
        // both run the same migration.
        let tx = register
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let now: u32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)?;
        if now as usize > i {
            continue; // another process migrated while we waited
        }
        tx.execute_batch(sql).map_err(db)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('written_by', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![fucha_version()],
        )
        .map_err(db)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)
            .map_err(db)?;
        tx.commit().map_err(db)?;
    }
    Ok(())
}

/// The schema version of the register.
pub(super) fn version(register: &Register) -> Result<u32, RegisterError> {
    register
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| register.db(e))
}

impl Register {
    /// The schema version of the register.
    pub fn schema_version(&self) -> Result<u32, RegisterError> {
        version(self)
    }

    /// The fucha version that last migrated the register.
    pub fn written_by(&self) -> Result<String, RegisterError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'written_by'", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.db(e))
    }
}
