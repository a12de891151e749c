//! The register's part of a run. When `check` or `build` reads the intake
//! folder, every file there the register has not seen is entered, once,
//! with what checking it found; the receipt times it knows order each
//! body's versions. A build records which versions its documents came
//! from. `build --as-of` checks the versions in force on a date, from the
//! bytes the register kept, so a document issued then comes out the same.

use super::PipelineError;
use crate::check::{CheckedBatch, FileSummary, ReadRow, Receipts};
use crate::diag::Severity;
use crate::register::{Incoming, Register, Submission, SubmissionId, content_hash};
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

/// The content hash of each file that could be read, by the path as the
/// checker displays it; computed once per run, on every core.
pub(crate) type Hashes = std::collections::BTreeMap<String, String>;

/// Hashes the files (those that cannot be read are left out: the check
/// reports them).
pub(crate) fn hashes(files: &[PathBuf]) -> Hashes {
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    crate::parallel::map_in_order(files.to_vec(), jobs, |f| {
        let bytes = std::fs::read(&f).ok()?;
        Some((f.display().to_string(), content_hash(&bytes)))
    })
    .into_iter()
    .flatten()
    .collect()
}

/// When the register received each file it has of these (same content),
/// by the path as the checker displays it.
pub(crate) fn receipts(
    register: &Register,
    year: i32,
    hashes: &Hashes,
) -> Result<Receipts, PipelineError> {
    let mut out = Receipts::new();
    for (path, hash) in hashes {
        if let Some(s) = register.by_hash(year, hash)? {
            out.insert(path.clone(), s.received_at);
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
    hashes: &Hashes,
    at: NaiveDateTime,
) -> Result<(Vec<SubmissionId>, Vec<Submission>), PipelineError> {
    let mut kept: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut known = Vec::new();
    for (i, f) in batch.files.iter().enumerate() {
        // Files the register has are not read again.
        if let Some(hash) = hashes.get(&f.path)
            && let Some(s) = register.by_hash(year, hash)?
        {
            known.push(s.id);
            continue;
        }
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
            incoming(
                year,
                f,
                bytes,
                f.jurisdiction.clone(),
                batch.diagnostics_of(f).map(|d| d.severity),
                batch.rows.get(&f.path).map_or(&[], Vec::as_slice),
            )
        })
        .collect();
    let received = register.receive(&incoming, at)?;
    // Two files of the same content are one submission.
    let mut ids: Vec<SubmissionId> = received.iter().map(|r| r.submission().id).collect();
    ids.extend(known);
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

/// What the register keeps of a file as checked: its bytes, its sender,
/// its counts (`severities`: those of its diagnostics) and every row read.
pub(crate) fn incoming<'a>(
    year: i32,
    file: &FileSummary,
    bytes: &'a [u8],
    body: Option<String>,
    severities: impl Iterator<Item = Severity>,
    rows: &'a [ReadRow],
) -> Incoming<'a> {
    let (mut errors, mut warnings) = (0, 0);
    for severity in severities {
        match severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
    }
    Incoming {
        year,
        path: file.path.clone(),
        bytes,
        body,
        rows: file.rows,
        accepted: file.accepted,
        rejected: file.rejected,
        errors,
        warnings,
        row_data: rows,
    }
}

/// The versions in force at `at`, to check as they were.
pub(crate) fn in_force(
    register: &Register,
    year: i32,
    at: NaiveDateTime,
) -> Result<InForce, PipelineError> {
    let mut out = InForce::default();
    // Follow-up workbooks are checked on their own (`pipeline::followup`).
    let county: Vec<Submission> = register
        .in_force(year, Some(at))?
        .into_iter()
        .filter(|s| {
            !s.body
                .as_deref()
                .is_some_and(crate::rectify::is_followup_body)
        })
        .collect();
    for (s, path) in county.iter().zip(version_paths(&county)) {
        out.files
            .push((PathBuf::from(&path), register.file_bytes(&s.hash)?));
        out.receipts.insert(path, s.received_at);
        out.ids.push(s.id);
    }
    Ok(out)
}

/// The path each version is checked under: its own, unless a later one has
/// the same path (a county sent its corrected table under the same name),
/// then with the time it was received before the extension, so that each
/// version stays a file of its own.
pub(crate) fn version_paths(versions: &[Submission]) -> Vec<String> {
    versions
        .iter()
        .map(|s| {
            let superseded = versions.iter().any(|later| {
                later.path == s.path && (later.received_at, later.id) > (s.received_at, s.id)
            });
            if !superseded {
                return s.path.clone();
            }
            received_name(&s.path, s.received_at)
        })
        .collect()
}

/// `path` with the time it was received before the extension: how a later
/// version that came under the name of an earlier one is kept apart.
pub(crate) fn received_name(path: &str, at: NaiveDateTime) -> String {
    let mark = at.format("（%Y-%m-%d %H时%M分%S秒收到）");
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains(['/', '\\']) => format!("{stem}{mark}.{ext}"),
        _ => format!("{path}{mark}"),
    }
}
