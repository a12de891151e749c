//! The register (登记簿): the office's memory across a season and across
//! years, in one SQLite file. Every file received is kept byte for byte
//! (content-addressed, stored once) with who sent it and when; later
//! versions from the same reporting body supersede earlier ones; every
//! generated document records the versions it was built from.
//!
//! This module is the only user of rusqlite: the rest of fucha sees the
//! plain types below. Every change runs in a transaction; the database is
//! in WAL mode with a busy timeout, so two `fucha` processes can write to
//! one register at once without losing a write.
//!
//! - [`schema`]: the versioned schema and the migrations run on open.
//! - [`submissions`]: receiving, withdrawing and listing files.
//! - [`versions`]: which version of a body's file is later, and what
//!   changed between two versions.
//! - [`backup`]: consistent copies while others write, and restoring one.
//! - [`accounts`]: the workbench's accounts, sessions and audit log.

mod accounts;
mod backup;
mod rectify;
mod schema;
mod spot;
mod submissions;
mod units;
pub mod versions;

pub use accounts::{
    Account, AccountId, AuditEntry, IDLE_TIMEOUT, LOCKOUT, Login, MAX_FAILED_LOGINS, NewSession,
    Role, Session, password_weakness,
};
pub use rectify::RectificationNotice;
pub use spot::{DrawnUnit, RecordedDraw};
pub use submissions::{Incoming, Received, Returned, Submission, SubmissionId, content_hash};
pub use units::{ReviewCycle, Season, SeasonResult, UnitHistory};

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The register's file name when `fucha.toml` does not name one: beside
/// the config, so each office's season folder carries its own memory.
pub const DEFAULT_FILE_NAME: &str = "复查登记簿.sqlite";

/// How long a writer waits for another process's transaction to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Errors of the register, each naming the register file.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The database could not be opened, read or written.
    #[error("登记簿 {path} 读写失败")]
    Database {
        /// The register file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The register was written by a newer fucha with a schema this one
    /// does not know.
    #[error(
        "登记簿 {path} 由较新版本的 fucha（{written_by}）写入，结构版本为 {found}，本程序只认识到 {known}；请升级 fucha 后再用"
    )]
    TooNew {
        /// The register file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest version this fucha knows.
        known: u32,
        /// The fucha version recorded in it.
        written_by: String,
    },
    /// A file is not a register, or fails its integrity check.
    #[error("{path} 不是完好的复查登记簿：{reason}")]
    NotARegister {
        /// The file.
        path: PathBuf,
        /// What is wrong, in Chinese.
        reason: String,
    },
    /// No submission matches what the clerk named.
    #[error("登记簿中没有{year}年的报送文件“{name}”；用 fucha status 查看已收到的文件")]
    NoSuchSubmission {
        /// The campaign year.
        year: i32,
        /// The name or hash given.
        name: String,
    },
    /// Several submissions match what the clerk named.
    #[error("“{name}”对应多个报送文件（{candidates}）；请写出完整文件名或内容摘要的前几位")]
    Ambiguous {
        /// The name given.
        name: String,
        /// The matching files, joined with 、.
        candidates: String,
    },
    /// An account could not be created or used (the reason in Chinese).
    #[error("{0}")]
    Account(String),
    /// A file outside the register could not be read or written.
    #[error("无法读写 {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl RegisterError {
    /// Whether another connection held a lock the operation needed.
    fn is_busy(&self) -> bool {
        matches!(
            self,
            RegisterError::Database {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            )
        )
    }
}

/// An open register.
pub struct Register {
    conn: Connection,
    path: PathBuf,
}

impl Register {
    /// Opens the register at `path`, creating it if absent, and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Register, RegisterError> {
        let conn = Connection::open(path).map_err(|source| RegisterError::Database {
            path: path.to_path_buf(),
            source,
        })?;
        let mut register = Register {
            conn,
            path: path.to_path_buf(),
        };
        // A new register's WAL switch and first migration need the file to
        // themselves, and SQLite reports "locked" for them without waiting
        // on the busy timeout; both are idempotent, so wait and try again.
        let deadline = Instant::now() + BUSY_TIMEOUT;
        loop {
            match register
                .configure()
                .and_then(|()| schema::migrate(&mut register))
            {
                Err(e) if e.is_busy() && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other.map(|()| register),
            }
        }
    }

    /// The register file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<(), RegisterError> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.db(e))?;
        // WAL lets readers go on while one process writes; NORMAL sync is
        // durable across a process crash (not a power cut mid-commit, which
        // backups cover).
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| self.db(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| self.db(e))?;
        }
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| self.db(e))?;
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| self.db(e))?;
        Ok(())
    }

    /// Runs `change` in one IMMEDIATE transaction and commits it: the write
    /// lock is taken at the start, so a second writer waits (the busy
    /// timeout) instead of failing half-way, and an error rolls it all back.
    fn write<T>(
        &mut self,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, RegisterError> {
        let path = &self.path;
        let db = |source| RegisterError::Database {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let out = change(&tx).map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(out)
    }

    /// A database error of this register.
    fn db(&self, source: rusqlite::Error) -> RegisterError {
        RegisterError::Database {
            path: self.path.clone(),
            source,
        }
    }
}

/// The fucha version written into the register.
fn fucha_version() -> String {
    format!("fucha {}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests;
