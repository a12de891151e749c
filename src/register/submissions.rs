//! Files received: entered once by content, never deleted; withdrawn ones
//! stay, marked. The bytes are stored once per content (two bodies sending
//! the same file share them), and every row read is kept with its place.

use super::versions::version_order;
use super::{Register, RegisterError};
use crate::check::ReadRow;
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

/// A submission's row id in the register.
pub type SubmissionId = i64;

/// The time format of the register: the office's local time, to the
/// microsecond, which sorts as text.
const TIME: &str = "%Y-%m-%dT%H:%M:%S%.6f";

/// A file handed to the register, with what checking it found.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    /// The campaign year it was received for.
    pub year: i32,
    /// The path it was read from, as given.
    pub path: String,
    /// Its bytes.
    pub bytes: &'a [u8],
    /// The reporting body that sent it, when it could be told.
    pub body: Option<String>,
    /// Data rows read, accepted and rejected.
    pub rows: usize,
    /// Rows accepted.
    pub accepted: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Errors found in it.
    pub errors: usize,
    /// Warnings found in it.
    pub warnings: usize,
    /// Every data row as read.
    pub row_data: &'a [ReadRow],
}

/// A file in the register: one version of a body's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Its id.
    pub id: SubmissionId,
    /// The campaign year.
    pub year: i32,
    /// The SHA-256 of its bytes, in hex.
    pub hash: String,
    /// Its file name when received.
    pub name: String,
    /// The path it was read from.
    pub path: String,
    /// The reporting body, when told.
    pub body: Option<String>,
    /// When the register first saw it (the office's local time).
    pub received_at: NaiveDateTime,
    /// Data rows read.
    pub rows: usize,
    /// Rows accepted.
    pub accepted: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Errors found in it.
    pub errors: usize,
    /// Warnings found in it.
    pub warnings: usize,
    /// When and why it was withdrawn, if it was.
    pub withdrawn: Option<(NaiveDateTime, String)>,
    /// When the city sent it back for correction, if it did.
    pub returned: Option<Returned>,
}

/// A version the city sent back to its county for correction: it still
/// counts until a corrected one comes, but the county knows it must send
/// one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    /// When.
    pub at: NaiveDateTime,
    /// The city account that sent it back.
    pub by: String,
    /// What the county was told.
    pub note: String,
}

impl Submission {
    /// Whether it counts on `date` (None: now): received by then and not
    /// withdrawn by then.
    pub fn in_force_at(&self, at: Option<NaiveDateTime>) -> bool {
        let received = at.is_none_or(|at| self.received_at <= at);
        let withdrawn = self
            .withdrawn
            .as_ref()
            .is_some_and(|(when, _)| at.is_none_or(|at| *when <= at));
        received && !withdrawn
    }
}

/// What receiving a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Entered now.
    New(Submission),
    /// Already in the register (same content for the same year): unchanged.
    Known(Submission),
}

impl Received {
    /// The submission, new or known.
    pub fn submission(&self) -> &Submission {
        match self {
            Received::New(s) | Received::Known(s) => s,
        }
    }
}

/// The SHA-256 of some bytes, in lower-case hex.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const COLUMNS: &str = "id, year, hash, name, path, body, received_at, rows, accepted, rejected, \
                       errors, warnings, withdrawn_at, withdrawn_reason, \
                       returned_at, returned_by, returned_note";

fn submission(row: &Row<'_>) -> rusqlite::Result<Submission> {
    let time = |i: usize| -> rusqlite::Result<NaiveDateTime> {
        let text: String = row.get(i)?;
        NaiveDateTime::parse_from_str(&text, TIME).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    let withdrawn_at: Option<String> = row.get(12)?;
    let withdrawn = match withdrawn_at {
        Some(_) => Some((
            time(12)?,
            row.get::<_, Option<String>>(13)?.unwrap_or_default(),
        )),
        None => None,
    };
    let returned = match row.get::<_, Option<String>>(14)? {
        Some(_) => Some(Returned {
            at: time(14)?,
            by: row.get::<_, Option<String>>(15)?.unwrap_or_default(),
            note: row.get::<_, Option<String>>(16)?.unwrap_or_default(),
        }),
        None => None,
    };
    let count = |i: usize| row.get::<_, i64>(i).map(|n| n as usize);
    Ok(Submission {
        id: row.get(0)?,
        year: row.get(1)?,
        hash: row.get(2)?,
        name: row.get(3)?,
        path: row.get(4)?,
        body: row.get(5)?,
        received_at: time(6)?,
        rows: count(7)?,
        accepted: count(8)?,
        rejected: count(9)?,
        errors: count(10)?,
        warnings: count(11)?,
        withdrawn,
        returned,
    })
}

/// A submission's data rows as stored: a JSON array, deflated.
fn encode_rows(rows: &[ReadRow]) -> Vec<u8> {
    use std::io::Write;
    let json = serde_json::to_vec(rows).expect("rows are plain JSON");
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&json)
        .and_then(|()| z.finish())
        .expect("deflating into memory cannot fail")
}

/// The file name of a path as written (`/`- or `\`-separated).
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

impl Register {
    /// Enters each file the register has not seen for its year, all at the
    /// time `at` and in one transaction; a file seen before is left as it
    /// was. Feeding the same files again changes nothing.
    pub fn receive(
        &mut self,
        files: &[Incoming<'_>],
        at: NaiveDateTime,
    ) -> Result<Vec<Received>, RegisterError> {
        let path = self.path.clone();
        let db = |source| RegisterError::Database {
            path: path.clone(),
            source,
        };
        // Encoded before the transaction, on every core: other processes
        // wait for the write lock only while the rows are written.
        let jobs = std::thread::available_parallelism().map_or(1, usize::from);
        let encoded: Vec<(String, Vec<u8>)> =
            crate::parallel::map_in_order(files.iter().collect(), jobs, |f| {
                (content_hash(f.bytes), encode_rows(f.row_data))
            });
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut out = Vec::with_capacity(files.len());
        for (file, (hash, rows)) in files.iter().zip(&encoded) {
            let known = tx
                .query_row(
                    &format!("SELECT {COLUMNS} FROM submissions WHERE year = ?1 AND hash = ?2"),
                    params![file.year, hash],
                    submission,
                )
                .optional()
                .map_err(db)?;
            if let Some(s) = known {
                out.push(Received::Known(s));
                continue;
            }
            tx.execute(
                "INSERT INTO files (hash, size, bytes) VALUES (?1, ?2, ?3)
                 ON CONFLICT (hash) DO NOTHING",
                params![hash, file.bytes.len() as i64, file.bytes],
            )
            .map_err(db)?;
            tx.execute(
                "INSERT INTO submissions (year, hash, name, path, body, received_at, rows,
                     accepted, rejected, errors, warnings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    file.year,
                    hash,
                    file_name(&file.path),
                    file.path,
                    file.body,
                    at.format(TIME).to_string(),
                    file.rows as i64,
                    file.accepted as i64,
                    file.rejected as i64,
                    file.errors as i64,
                    file.warnings as i64,
                ],
            )
            .map_err(db)?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO submission_rows (submission_id, rows) VALUES (?1, ?2)",
                params![id, rows],
            )
            .map_err(db)?;
            let s = tx
                .query_row(
                    &format!("SELECT {COLUMNS} FROM submissions WHERE id = ?1"),
                    params![id],
                    submission,
                )
                .map_err(db)?;
            out.push(Received::New(s));
        }
        tx.commit().map_err(db)?;
        Ok(out)
    }

    /// Every submission of a year, withdrawn ones too, grouped by body
    /// (bodies by name, unknown last) and each body's in version order.
    pub fn submissions(&self, year: i32) -> Result<Vec<Submission>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM submissions WHERE year = ?1"
            ))
            .map_err(|e| self.db(e))?;
        let mut all: Vec<Submission> = stmt
            .query_map(params![year], submission)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.db(e))?;
        all.sort_by(|a, b| {
            (a.body.is_none(), &a.body)
                .cmp(&(b.body.is_none(), &b.body))
                .then_with(|| version_order(a, b))
        });
        Ok(all)
    }

    /// The submission of `year` with this content, if the register has it.
    pub fn by_hash(&self, year: i32, hash: &str) -> Result<Option<Submission>, RegisterError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM submissions WHERE year = ?1 AND hash = ?2"),
                params![year, hash],
                submission,
            )
            .optional()
            .map_err(|e| self.db(e))
    }

    /// The submissions that count at `at` (None: now), in the order of
    /// [`Register::submissions`].
    pub fn in_force(
        &self,
        year: i32,
        at: Option<NaiveDateTime>,
    ) -> Result<Vec<Submission>, RegisterError> {
        let mut all = self.submissions(year)?;
        all.retain(|s| s.in_force_at(at));
        Ok(all)
    }

    /// The submission of `year` a clerk names: by file name, by path, or by
    /// the first characters (at least 6) of its content hash.
    pub fn find(&self, year: i32, name: &str) -> Result<Submission, RegisterError> {
        let all = self.submissions(year)?;
        let by_hash = name.len() >= 6 && name.chars().all(|c| c.is_ascii_hexdigit());
        let matches: Vec<&Submission> = all
            .iter()
            .filter(|s| {
                s.name == name
                    || s.path == name
                    || file_name(name) == s.name
                    || (by_hash && s.hash.starts_with(&name.to_ascii_lowercase()))
            })
            .collect();
        match matches.as_slice() {
            [] => Err(RegisterError::NoSuchSubmission {
                year,
                name: name.to_string(),
            }),
            [one] => Ok((*one).clone()),
            many => Err(RegisterError::Ambiguous {
                name: name.to_string(),
                candidates: many
                    .iter()
                    .map(|s| {
                        format!(
                            "{}（{}，{}）",
                            s.name,
                            &s.hash[..8],
                            s.received_at.format("%Y-%m-%d %H:%M")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("、"),
            }),
        }
    }

    /// Marks a submission withdrawn at `at`; it stays in the register.
    /// Withdrawing it again changes nothing.
    pub fn withdraw(
        &mut self,
        id: SubmissionId,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<Submission, RegisterError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE submissions SET withdrawn_at = ?2, withdrawn_reason = ?3
                 WHERE id = ?1 AND withdrawn_at IS NULL",
                params![id, at.format(TIME).to_string(), reason],
            )?;
            let s = tx.query_row(
                &format!("SELECT {COLUMNS} FROM submissions WHERE id = ?1"),
                params![id],
                submission,
            )?;
            Ok(s)
        })
    }

    /// Marks a submission sent back to its county at `at` by `by`, with the
    /// note the county gets. Sending it back again keeps the first mark.
    pub fn mark_returned(
        &mut self,
        id: SubmissionId,
        by: &str,
        note: &str,
        at: NaiveDateTime,
    ) -> Result<Submission, RegisterError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE submissions SET returned_at = ?2, returned_by = ?3, returned_note = ?4
                 WHERE id = ?1 AND returned_at IS NULL",
                params![id, at.format(TIME).to_string(), by, note],
            )?;
            let s = tx.query_row(
                &format!("SELECT {COLUMNS} FROM submissions WHERE id = ?1"),
                params![id],
                submission,
            )?;
            Ok(s)
        })
    }

    /// A stored file's bytes, exactly as received.
    pub fn file_bytes(&self, hash: &str) -> Result<Vec<u8>, RegisterError> {
        self.conn
            .query_row(
                "SELECT bytes FROM files WHERE hash = ?1",
                params![hash],
                |r| r.get(0),
            )
            .map_err(|e| self.db(e))
    }

    /// Every data row of a submission, in the order read.
    pub fn rows(&self, id: SubmissionId) -> Result<Vec<ReadRow>, RegisterError> {
        let deflated: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT rows FROM submission_rows WHERE submission_id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db(e))?;
        let Some(deflated) = deflated else {
            return Ok(Vec::new());
        };
        let unreadable = |e: String| RegisterError::NotARegister {
            path: self.path.clone(),
            reason: format!("第{id}号报送文件的数据行无法读出（{e}）"),
        };
        let json = {
            use std::io::Read;
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(deflated.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| unreadable(e.to_string()))?;
            out
        };
        serde_json::from_slice(&json).map_err(|e| unreadable(e.to_string()))
    }

    /// Records a build: the documents it wrote and the submissions they
    /// were all built from, in one transaction.
    pub fn record_documents(
        &mut self,
        year: i32,
        built_at: NaiveDateTime,
        as_of: Option<NaiveDateTime>,
        documents: &[(String, String)],
        sources: &[SubmissionId],
    ) -> Result<(), RegisterError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO builds (year, built_at, as_of) VALUES (?1, ?2, ?3)",
                params![
                    year,
                    built_at.format(TIME).to_string(),
                    as_of.map(|t| t.format(TIME).to_string())
                ],
            )?;
            let build = tx.last_insert_rowid();
            for s in sources {
                tx.execute(
                    "INSERT OR IGNORE INTO build_sources (build_id, submission_id) VALUES (?1, ?2)",
                    params![build, s],
                )?;
            }
            for (kind, doc_path) in documents {
                tx.execute(
                    "INSERT INTO documents (build_id, kind, path) VALUES (?1, ?2, ?3)",
                    params![build, kind, doc_path],
                )?;
            }
            Ok(())
        })
    }

    /// The submissions the latest recorded build of a document at `path`
    /// was made from.
    pub fn sources_of(
        &self,
        year: i32,
        doc_path: &str,
    ) -> Result<Vec<SubmissionId>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT submission_id FROM build_sources WHERE build_id =
                   (SELECT d.build_id FROM documents d JOIN builds b ON b.id = d.build_id
                    WHERE b.year = ?1 AND d.path = ?2 ORDER BY d.id DESC LIMIT 1)
                 ORDER BY submission_id",
            )
            .map_err(|e| self.db(e))?;
        stmt.query_map(params![year, doc_path], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.db(e))
    }
}
