//! One received version looked at closely: its problems as checking it
//! finds them, and the rows they sit in as the clerk's spreadsheet shows
//! them (column letters, row numbers, the header), for the workbench's
//! page of a file.

use super::{Context, PipelineError};
use crate::check::header::find_header;
use crate::check::{self, CheckedBatch, Receipts};
use crate::diag::CellPos;
use crate::ingest::{self, Sheet};
use crate::register::{Register, Submission, SubmissionId};
use std::path::PathBuf;

/// At most this many rows are shown as excerpts: the table of problems
/// lists them all.
const MAX_EXCERPTS: usize = 30;

/// A version, checked again from the bytes the register kept, as it was
/// received.
#[derive(Debug)]
pub struct FileReport {
    /// The version.
    pub submission: Submission,
    /// That file alone, checked as received (its diagnostics, rows).
    pub batch: CheckedBatch,
    /// The rows with problems, as in the spreadsheet.
    pub excerpts: Vec<Excerpt>,
}

/// One row of a sheet with problems, and the sheet's header above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The sheet.
    pub sheet: String,
    /// The columns shown, 0-based, in order.
    pub columns: Vec<u32>,
    /// The header row (0-based) and its text per column shown, when found.
    pub header: Option<(u32, Vec<String>)>,
    /// The row (0-based) and its text per column shown.
    pub row: (u32, Vec<String>),
    /// The columns of the cells with a problem.
    pub marked: Vec<u32>,
}

/// The version `id` of the season, checked again; None when the register
/// has no such version this year.
pub fn diagnose(ctx: &Context, id: SubmissionId) -> Result<Option<FileReport>, PipelineError> {
    let register = Register::open(&ctx.campaign.register)?;
    let year = ctx.campaign.campaign.year;
    let Some(submission) = register.submissions(year)?.into_iter().find(|s| s.id == id) else {
        return Ok(None);
    };
    let bytes = register.file_bytes(&submission.hash)?;
    let path = PathBuf::from(&submission.path);
    let receipts = Receipts::from([(submission.path.clone(), submission.received_at)]);
    let mut batch = check::check_stored(
        &[(path.clone(), bytes.clone())],
        &ctx.roster,
        &ctx.campaign,
        &receipts,
        check::Scope::Delivery,
    );
    // Checked alone, what the season lacks (other bodies, other units) is
    // not this file's problem.
    batch
        .diagnostics
        .retain(|d| d.file.as_deref() == Some(submission.path.as_str()));
    let excerpts = match ingest::read_workbook_bytes(&path, bytes) {
        Ok(workbook) => excerpts(&batch, &workbook.sheets),
        Err(_) => Vec::new(),
    };
    Ok(Some(FileReport {
        submission,
        batch,
        excerpts,
    }))
}

/// The rows with a problem in a cell, each once, in the order of the
/// diagnostics.
fn excerpts(batch: &CheckedBatch, sheets: &[Sheet]) -> Vec<Excerpt> {
    let mut out: Vec<Excerpt> = Vec::new();
    for d in &batch.diagnostics {
        let (Some(name), Some(cell)) = (&d.sheet, d.cell) else {
            continue;
        };
        if let Some(e) = out
            .iter_mut()
            .find(|e| e.sheet == *name && e.row.0 == cell.row)
        {
            if !e.marked.contains(&cell.col) {
                e.marked.push(cell.col);
            }
            continue;
        }
        if out.len() == MAX_EXCERPTS {
            continue;
        }
        if let Some(sheet) = sheets.iter().find(|s| s.name == *name) {
            out.push(excerpt(sheet, cell));
        }
    }
    out
}

fn excerpt(sheet: &Sheet, cell: CellPos) -> Excerpt {
    let header = find_header(&sheet.rows).filter(|h| h.row < cell.row);
    let row_of = |index: u32| sheet.rows.iter().find(|r| r.index == index);
    // Every column the header or the row uses, and the marked one.
    let mut columns: Vec<u32> = std::iter::once(cell.col)
        .chain(
            header
                .iter()
                .flat_map(|h| h.columns.iter().map(|&(_, c)| c)),
        )
        .chain(
            row_of(cell.row)
                .into_iter()
                .flat_map(|r| r.cells.iter().map(|c| c.col)),
        )
        .collect();
    columns.sort_unstable();
    columns.dedup();
    let text = |index: u32| -> Vec<String> {
        let row = row_of(index);
        columns
            .iter()
            .map(|&c| row.map(|r| r.get(c).display()).unwrap_or_default())
            .collect()
    };
    // A two-row header has the columns' own labels in its lower row.
    let header = header.map(|h| {
        let (upper, lower) = (text(h.row), text(h.last_row));
        let labels = upper
            .into_iter()
            .zip(lower)
            .map(|(u, l)| if l.trim().is_empty() { u } else { l })
            .collect();
        (h.row, labels)
    });
    Excerpt {
        sheet: sheet.name.clone(),
        header,
        row: (cell.row, text(cell.row)),
        columns,
        marked: vec![cell.col],
    }
}
