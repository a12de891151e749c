//! The register's part of a run. When `check` or `build` reads the intake
//! folder, every file there the register has not seen is entered, once,
//! with what checking it found; the receipt times it knows order each
//! body's versions. A build records which versions its documents came
//! from. `build --as-of` checks the versions in force on a date, from the
//! bytes the register kept, so a document issued then comes out the same.

use super::PipelineError;
use crate::check::{CheckedBatch, Receipts};
use crate::diag::Severity;
use crate::register::{Incoming, Register, StoredRow, Submission, SubmissionId, content_hash};
use chrono::NaiveDateTime;
use std::path::PathBuf;

/// What the register knows of this run: where it is, the year, the
/// submissions the batch was checked from, and the date for `--as-of`.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The register file.
    pub register: PathBuf,
    /// The campaign year.
    pub year: i32,
    /// The submissions in the batch, by id.
    pub sources: Vec<SubmissionId>,
    /// The date the batch stands for, for `--as-of`; None for now.
    pub as_of: Option<NaiveDateTime>,
    /// The files this run entered (empty for `--as-of`).
    pub new: Vec<Submission>,
}

/// The office's local time now, the register's clock.
pub(crate) fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// When the register received each file it has of these (same content),
/// by the path as the checker displays it.
pub(crate) fn receipts(
    register: &Register,
    year: i32,
    files: &[PathBuf],
) -> Result<Receipts, PipelineError> {
    let mut out = Receipts::new();
    for f in files {
        let Ok(bytes) = std::fs::read(f) else {
            continue; // the check reports it
        };
        if let Some(s) = register.by_hash(year, &content_hash(&bytes))? {
            out.insert(f.display().to_string(), s.received_at);
        }
    }
    Ok(out)
}

/// Enters every file of the batch the register has not seen, at `at`, in
/// one transaction, and returns the submissions of the whole batch.
pub(crate) fn record(
    register: &mut Register,
    year: i32,
    batch: &CheckedBatch,
    at: NaiveDateTime,
) -> Result<(Vec<SubmissionId>, Vec<Submission>), PipelineError> {
    let mut kept: Vec<(usize, Vec<u8>)> = Vec::new();
    for (i, f) in batch.files.iter().enumerate() {
        // A file that cannot be opened has nothing to keep; one that opens
        // but cannot be decoded is kept as it is.
        if let Ok(bytes) = std::fs::read(&f.path) {
            kept.push((i, bytes));
        }
    }
    let incoming: Vec<Incoming<'_>> = kept
        .iter()
        .map(|(i, bytes)| {
            let f = &batch.files[*i];
            let count = |sev| {
                batch
                    .diagnostics_of(f)
                    .filter(|d| d.severity == sev)
                    .count()
            };
            Incoming {
                year,
                path: f.path.clone(),
                bytes,
                body: f.jurisdiction.clone(),
                rows: f.rows,
                accepted: f.accepted,
                rejected: f.rejected,
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                row_data: batch
                    .rows
                    .get(&f.path)
                    .map(|rows| {
                        rows.iter()
                            .map(|r| StoredRow {
                                sheet: r.sheet.clone(),
                                row: r.row,
                                unit: r.unit.clone(),
                                accepted: r.accepted,
                                cells: r.cells.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let received = register.receive(&incoming, at)?;
    // Two files of the same content are one submission.
    let mut ids: Vec<SubmissionId> = received.iter().map(|r| r.submission().id).collect();
    ids.sort_unstable();
    ids.dedup();
    let new = received
        .into_iter()
        .filter_map(|r| match r {
            crate::register::Received::New(s) => Some(s),
            crate::register::Received::Known(_) => None,
        })
        .collect();
    Ok((ids, new))
}

/// The versions in force at a time: each file's path and bytes as
/// received, when it was received, and the submissions.
#[derive(Debug, Default)]
pub(crate) struct InForce {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub receipts: Receipts,
    pub ids: Vec<SubmissionId>,
}

/// The versions in force at `at`, to check as they were.
pub(crate) fn in_force(
    register: &Register,
    year: i32,
    at: NaiveDateTime,
) -> Result<InForce, PipelineError> {
    let mut out = InForce::default();
    for s in register.in_force(year, Some(at))? {
        out.files
            .push((PathBuf::from(&s.path), register.file_bytes(&s.hash)?));
        out.receipts.insert(s.path.clone(), s.received_at);
        out.ids.push(s.id);
    }
    Ok(out)
}
