//! The intake rules: rows from the county workbooks, checked against the
//! roster and the campaign, become typed review results or diagnostics.
//! Every row read is either accepted or rejected with at least one error.
//! No I/O besides reading the input files through `ingest`.
//!
//! Entry point: [`check_paths`]. Then [`report`] prints the batch as text or
//! JSON and [`feedback`] writes the 退回修改意见 workbook of a faulty file.
//!
//! Where the rules live: the batch-wide ones (a unit nobody reported, a
//! body that sent nothing) in `batch`; the file-wide ones (sheets, header,
//! sender, the 机构改革情况说明 and 报送信息 sheets) in `file`; the rules on
//! one data row in `rows`, whose module docs say how to add one. The
//! columns and labels they read are the contract in
//! [`crate::intake::contract`], shared with the intake writer.

mod batch;
mod body;
pub mod feedback;
mod file;
pub(crate) mod header;
pub mod report;
mod rows;
pub mod spot;
pub(crate) mod text;
pub(crate) mod value;
pub mod versions;

pub use batch::{
    FEEDBACK_SUFFIX, Scope, check_paths, check_paths_loading, check_received, check_stored,
    collect_files, list_files,
};
pub(crate) use batch::{is_feedback, is_hidden};
pub(crate) use body::match_body;
pub use versions::{Receipts, version_rank};

use crate::diag::{Diagnostic, Severity};
use crate::review::ReviewResult;
use crate::roster::Roster;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Who sent a body's workbook and when, from its 报送信息 sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Submission {
    /// The file it came from.
    pub file: String,
    /// 报送单位, as written.
    pub sender: String,
    /// 联系人.
    pub contact: String,
    /// 联系电话.
    pub phone: String,
    /// 报送日期, when readable.
    pub date: Option<NaiveDate>,
}

/// What one input file contributed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileSummary {
    /// The path as given or found.
    pub path: String,
    /// The reporting body that sent it, when it could be told.
    pub jurisdiction: Option<String>,
    /// Data rows read.
    pub rows: usize,
    /// Rows accepted as review results.
    pub accepted: usize,
    /// Rows rejected (each has at least one error naming it).
    pub rejected: usize,
}

/// A data row as read, with its place: what the register keeps of every
/// row of every version, accepted or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReadRow {
    /// The sheet it is on.
    pub sheet: String,
    /// Its 0-based row.
    pub row: u32,
    /// The roster unit it names, when it names one.
    pub unit: Option<String>,
    /// Whether its result was accepted.
    pub accepted: bool,
    /// The text of each column the header has, by column label, in the
    /// intake table's order.
    pub cells: Vec<(String, String)>,
}

/// The outcome of checking a batch of files.
#[derive(Debug, Clone, Default)]
pub struct CheckedBatch {
    /// One entry per input file, in the order read.
    pub files: Vec<FileSummary>,
    /// Accepted results, in roster order.
    pub results: Vec<ReviewResult>,
    /// Every problem found, sorted by file, sheet, row, column.
    pub diagnostics: Vec<Diagnostic>,
    /// 报送信息 per reporting body (from its 报送信息 sheet), by body.
    pub submissions: BTreeMap<String, Submission>,
    /// Bodies with units due this campaign that sent no file at all.
    pub missing_bodies: Vec<String>,
    /// Every data row read, by file path.
    pub rows: BTreeMap<String, Vec<ReadRow>>,
    /// The city's spot check, once a draw is recorded and an inspectors'
    /// workbook has come in (see [`spot`]).
    pub spot_check: Option<spot::SpotCheck>,
}

impl CheckedBatch {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// The diagnostics of one input file, in report order.
    pub fn diagnostics_of<'a>(
        &'a self,
        file: &'a FileSummary,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.diagnostics
            .iter()
            .filter(move |d| d.file.as_deref() == Some(file.path.as_str()))
    }

    /// The diagnostics that belong to no input file read (a folder that
    /// could not be listed, a body that sent nothing, the batch as a whole).
    pub fn diagnostics_of_no_file(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| {
            d.file
                .as_deref()
                .is_none_or(|p| !self.files.iter().any(|f| f.path == p))
        })
    }

    /// The files sent back to their body with a 退回修改意见: those with at
    /// least one error. The letter and the marked workbook both follow this.
    pub fn returned_files(&self) -> impl Iterator<Item = &FileSummary> {
        self.files.iter().filter(|f| {
            self.diagnostics_of(f)
                .any(|d| d.severity == Severity::Error)
        })
    }

    /// Reporting bodies with at least one error: their summaries, the
    /// circular and the provincial submission wait until they are fixed.
    pub fn jurisdictions_with_errors(&self, roster: &Roster) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self.missing_bodies.iter().cloned().collect();
        for d in self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            if let Some(j) = self.error_jurisdiction(roster, d) {
                out.insert(j.to_string());
            }
        }
        out
    }

    /// The reporting body an error belongs to: that of the file it was found
    /// in, else that of the roster unit it names (a unit nobody reported has
    /// no file and no result, only its roster entry).
    pub fn error_jurisdiction<'a>(&'a self, roster: &'a Roster, d: &Diagnostic) -> Option<&'a str> {
        let from_file = self
            .files
            .iter()
            .find(|f| Some(&f.path) == d.file.as_ref())
            .and_then(|f| f.jurisdiction.as_deref());
        from_file.or_else(|| {
            d.unit
                .as_deref()
                .and_then(|u| roster.lookup(u))
                .map(|u| u.jurisdiction.as_str())
        })
    }
}
