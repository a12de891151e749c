//! Backups while others keep working, through SQLite's online backup: the
//! copy is one consistent state of the register, files and all (the files
//! live inside it). A restore checks the copy before it replaces anything.

use super::{Register, RegisterError, schema};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// Pages copied per step; between steps other processes may write.
const PAGES_PER_STEP: std::ffi::c_int = 256;

impl Register {
    /// Writes a consistent copy of the register to `dest` (replaced if it
    /// exists), while other processes go on reading and writing.
    pub fn backup_to(&self, dest: &Path) -> Result<(), RegisterError> {
        let db = |source| RegisterError::Database {
            path: dest.to_path_buf(),
            source,
        };
        // Written beside the destination and renamed, so a backup cut short
        // never leaves a half copy under the real name.
        let partial = dest.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        {
            let mut out = Connection::open(&partial).map_err(db)?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out).map_err(db)?;
            backup
                .run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)
                .map_err(db)?;
        }
        // The copy keeps the source's WAL mode; fold everything into the
        // one file so the backup is a single file to carry away.
        {
            let out = Connection::open(&partial).map_err(db)?;
            out.pragma_update(None, "journal_mode", "DELETE")
                .map_err(db)?;
        }
        std::fs::rename(&partial, dest).map_err(|source| RegisterError::Io {
            path: dest.to_path_buf(),
            source,
        })
    }

    /// Checks that `backup` is a whole register this fucha can read, then
    /// makes it the register at `target` (an existing register there is
    /// kept beside it as `*.before-restore`). Returns the restored register.
    pub fn restore(backup: &Path, target: &Path) -> Result<Register, RegisterError> {
        check_backup(backup)?;
        if target.exists() {
            // A copy of the current state first: a restore must not be the
            // way a register is lost.
            let current = Register::open(target)?;
            current.backup_to(&target.with_extension("before-restore.sqlite"))?;
            drop(current);
        }
        let source = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| not_a_register(backup, e.to_string()))?;
        // Through the backup API into the live register: processes that have
        // it open see the restored state, never a half-copied file.
        let mut register = Register::open(target)?;
        let db = |source| RegisterError::Database {
            path: target.to_path_buf(),
            source,
        };
        rusqlite::backup::Backup::new(&source, &mut register.conn)
            .map_err(db)?
            .run_to_completion(PAGES_PER_STEP, Duration::from_millis(5), None)
            .map_err(db)?;
        drop(register);
        Register::open(target)
    }
}

fn not_a_register(path: &Path, reason: String) -> RegisterError {
    RegisterError::NotARegister {
        path: path.to_path_buf(),
        reason,
    }
}

/// A backup must pass SQLite's integrity check and carry a schema this
/// fucha knows.
fn check_backup(path: &Path) -> Result<(), RegisterError> {
    if !path.is_file() {
        return Err(not_a_register(path, "文件不存在".into()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_register(path, e.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_a_register(path, format!("无法检查：{e}")))?;
    if check != "ok" {
        return Err(not_a_register(path, format!("完整性检查未通过：{check}")));
    }
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_a_register(path, e.to_string()))?;
    if version == 0 {
        return Err(not_a_register(path, "其中没有登记簿的表".into()));
    }
    if version > schema::CURRENT {
        return Err(not_a_register(
            path,
            format!("结构版本 {version} 比本程序认识的 {} 新", schema::CURRENT),
        ));
    }
    let has_submissions: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'submissions'",
            [],
            |r| r.get::<_, i64>(0).map(|n| n == 1),
        )
        .map_err(|e| not_a_register(path, e.to_string()))?;
    if !has_submissions {
        return Err(not_a_register(path, "其中没有报送文件表".into()));
    }
    Ok(())
}
