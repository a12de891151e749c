//! The intake rules: rows from the county workbooks, checked against the
//! roster and the campaign, become typed review results or diagnostics.
//! Every row read is either accepted or rejected with at least one error.
//! No I/O besides reading the input files through `ingest`.

use crate::diag::{Diagnostic, Severity};
use crate::review::ReviewResult;
use serde::Serialize;
use std::collections::BTreeSet;

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

/// The outcome of checking a batch of files.
#[derive(Debug, Clone, Default)]
pub struct CheckedBatch {
    /// One entry per input file, in the order read.
    pub files: Vec<FileSummary>,
    /// Accepted results, in roster order.
    pub results: Vec<ReviewResult>,
    /// Every problem found, sorted by file, sheet, row, column.
    pub diagnostics: Vec<Diagnostic>,
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

    /// Reporting bodies with at least one error: their summaries, the
    /// circular and the provincial submission wait until they are fixed.
    pub fn jurisdictions_with_errors(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for d in self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            let file = self.files.iter().find(|f| Some(&f.path) == d.file.as_ref());
            match file.and_then(|f| f.jurisdiction.clone()) {
                Some(j) => {
                    out.insert(j);
                }
                None => {
                    if let Some(unit) = &d.unit {
                        if let Some(r) = self.results.iter().find(|r| &r.unit == unit) {
                            out.insert(r.jurisdiction.clone());
                        }
                    }
                }
            }
        }
        out
    }
}
