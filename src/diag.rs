//! Diagnostics: the problems `check` finds in the office's spreadsheets,
//! as data with a stable code and a position, so that the CLI can print them
//! like a compiler, the JSON output can carry them, and the feedback workbook
//! and letter can point a county clerk at the exact cell.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a problem is. Errors block the documents that depend on the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; does not block anything.
    Warning,
    /// Must be fixed before the results can be published.
    Error,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A cell position: 0-based and absolute inside its sheet, displayed as `F12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellPos {
    /// 0-based row index (row 1 in Excel is 0).
    pub row: u32,
    /// 0-based column index (column A is 0).
    pub col: u32,
}

impl CellPos {
    /// A position from 0-based row and column.
    pub fn new(row: u32, col: u32) -> Self {
        CellPos { row, col }
    }

    /// The row number as Excel shows it.
    fn row_one_based(self) -> u32 {
        self.row + 1
    }

    /// The column letters as Excel shows them: A, Z, AA, ...
    fn col_letters(self) -> String {
        column_letters(self.col)
    }
}

/// Column letters for a 0-based column index.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

impl fmt::Display for CellPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.col_letters(), self.row_one_based())
    }
}

/// Where an accepted record came from: file, sheet and 0-based row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RowRef {
    /// The file's path as given on the command line (or found in a folder).
    pub file: String,
    /// The sheet name.
    pub sheet: String,
    /// 0-based row index.
    pub row: u32,
}

/// An error and its causes on one line, joined by "：", as a clerk reads
/// them: each of our errors says only its own layer (which file, what
/// step), its cause says why.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut line = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        line.push('：');
        line.push_str(&c.to_string());
        cause = c.source();
    }
    line
}

/// Stable diagnostic codes. Their kebab-case names are part of the interface
/// (JSON output, documentation): never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "each variant is documented by its code string")]
pub enum Code {
    UnreadableFile,
    MissingSheet,
    MissingHeader,
    MissingColumn,
    UnknownJurisdiction,
    MissingUnit,
    UnknownUnit,
    DuplicateUnit,
    WrongJurisdiction,
    MissingValue,
    InvalidValue,
    InvalidDate,
    DateOutOfWindow,
    ScoreOutOfRange,
    OnsiteRequired,
    OutcomeNeedsProblems,
    InconsistentOutcome,
    MissingReformNote,
    LateSubmission,
    HiddenSheet,
    FormulaError,
    TooManyRows,
    UnitNotDue,
    DuplicateColumn,
    UnreadSheet,
    UnitNotInNewVersion,
    RectificationOverdue,
    RectificationNotAccepted,
    RectificationMeasuresMissing,
    RectificationCompletedLate,
    SpotUnitNotDrawn,
    SpotUnitNotInspected,
    SpotOutcomeDiffers,
    SpotProblemsMissed,
    SpotScoreBelowPassLine,
}

impl Code {
    /// The stable kebab-case name, e.g. `invalid-date`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnreadableFile => "unreadable-file",
            Code::MissingSheet => "missing-sheet",
            Code::MissingHeader => "missing-header",
            Code::MissingColumn => "missing-column",
            Code::UnknownJurisdiction => "unknown-jurisdiction",
            Code::MissingUnit => "missing-unit",
            Code::UnknownUnit => "unknown-unit",
            Code::DuplicateUnit => "duplicate-unit",
            Code::WrongJurisdiction => "wrong-jurisdiction",
            Code::MissingValue => "missing-value",
            Code::InvalidValue => "invalid-value",
            Code::InvalidDate => "invalid-date",
            Code::DateOutOfWindow => "date-out-of-window",
            Code::ScoreOutOfRange => "score-out-of-range",
            Code::OnsiteRequired => "onsite-required",
            Code::OutcomeNeedsProblems => "outcome-needs-problems",
            Code::InconsistentOutcome => "inconsistent-outcome",
            Code::MissingReformNote => "missing-reform-note",
            Code::LateSubmission => "late-submission",
            Code::HiddenSheet => "hidden-sheet",
            Code::FormulaError => "formula-error",
            Code::TooManyRows => "too-many-rows",
            Code::UnitNotDue => "unit-not-due",
            Code::DuplicateColumn => "duplicate-column",
            Code::UnreadSheet => "unread-sheet",
            Code::UnitNotInNewVersion => "unit-not-in-new-version",
            Code::RectificationOverdue => "rectification-overdue",
            Code::RectificationNotAccepted => "rectification-not-accepted",
            Code::RectificationMeasuresMissing => "rectification-measures-missing",
            Code::RectificationCompletedLate => "rectification-completed-late",
            Code::SpotUnitNotDrawn => "spot-unit-not-drawn",
            Code::SpotUnitNotInspected => "spot-unit-not-inspected",
            Code::SpotOutcomeDiffers => "spot-outcome-differs",
            Code::SpotProblemsMissed => "spot-problems-missed",
            Code::SpotScoreBelowPassLine => "spot-score-below-pass-line",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, with everything a clerk needs to find and fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// The file, when the problem is in one.
    pub file: Option<String>,
    /// The sheet, when known.
    pub sheet: Option<String>,
    /// The cell, when the problem is in one.
    pub cell: Option<CellPos>,
    /// The row (0-based), when the problem is in one; also set with `cell`.
    pub row: Option<u32>,
    /// The roster name of the unit concerned, when known.
    pub unit: Option<String>,
    /// What is wrong, in Chinese.
    pub message: String,
    /// What to do about it, in Chinese.
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a code and message and no position yet.
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            file: None,
            sheet: None,
            cell: None,
            row: None,
            unit: None,
            message: message.into(),
            suggestion: None,
        }
    }

    /// An error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// Sets the file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the sheet.
    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    /// Sets the cell (and its row).
    pub fn at(mut self, cell: CellPos) -> Self {
        self.cell = Some(cell);
        self.row = Some(cell.row);
        self
    }

    /// Sets the row only.
    pub fn at_row(mut self, row: u32) -> Self {
        self.row = Some(row);
        self
    }

    /// Names the unit.
    pub fn for_unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    /// Adds what to do.
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// `岳阳县.xlsx:复查情况!F12`, or as much of it as is known.
    fn location(&self) -> String {
        let mut s = self.file.clone().unwrap_or_default();
        if let Some(sheet) = &self.sheet {
            if !s.is_empty() {
                s.push(':');
            }
            s.push_str(sheet);
            match (self.cell, self.row) {
                (Some(c), _) => s.push_str(&format!("!{c}")),
                (None, Some(r)) => s.push_str(&format!("!{}", r + 1)),
                _ => {}
            }
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    /// Compiler style: `岳阳县.xlsx:复查情况!F12: error[invalid-date]: message（建议）`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location();
        if !loc.is_empty() {
            write!(f, "{loc}: ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, "（{s}）")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_display_in_a1_form() {
        assert_eq!(CellPos::new(11, 5).to_string(), "F12");
        assert_eq!(CellPos::new(0, 25).to_string(), "Z1");
        assert_eq!(CellPos::new(0, 26).to_string(), "AA1");
        assert_eq!(CellPos::new(0, 701).to_string(), "ZZ1");
        assert_eq!(CellPos::new(0, 702).to_string(), "AAA1");
    }

    #[test]
    fn diagnostics_print_like_a_compiler() {
        let d = Diagnostic::error(Code::InvalidDate, "无法识别的日期\"2020年13月1日\"")
            .in_file("岳阳县.xlsx")
            .in_sheet("复查情况")
            .at(CellPos::new(11, 5))
            .suggest("请填写如 2020-07-15 的日期");
        assert_eq!(
            d.to_string(),
            "岳阳县.xlsx:复查情况!F12: error[invalid-date]: 无法识别的日期\"2020年13月1日\"（请填写如 2020-07-15 的日期）"
        );
    }
}
