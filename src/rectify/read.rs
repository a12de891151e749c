//! The rows of one follow-up workbook: the 整改落实情况 sheet (or the
//! first visible one), its header found by label as the intake sheets'
//! is, and every non-blank row below it.

use super::columns::{FOLLOWUP_SHEET, FollowupColumn};
use crate::check::header::find_labelled_header;
use crate::diag::{CellPos, Code, Diagnostic};
use crate::ingest::{CellValue, IngestError, Row, Workbook};

/// How many rows from the top may hold a title before the header.
const HEADER_SEARCH_ROWS: usize = 20;

/// The columns without which a follow-up cannot be judged.
const REQUIRED: [FollowupColumn; 4] = [
    FollowupColumn::Unit,
    FollowupColumn::Measures,
    FollowupColumn::Completed,
    FollowupColumn::Acceptance,
];

/// One workbook's data rows, with the problems of the file as a whole.
pub(super) struct FileRows {
    pub path: String,
    pub sheet: String,
    /// Each header column found and where it sits, in column order.
    pub columns: Vec<(FollowupColumn, u32)>,
    pub rows: Vec<Row>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileRows {
    /// The cell of `column` in `row`, and its position (None when the
    /// header lacks the column).
    pub fn cell<'a>(
        &self,
        row: &'a Row,
        column: FollowupColumn,
    ) -> Option<(&'a CellValue, CellPos)> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|&(_, col)| (row.get(col), CellPos::new(row.index, col)))
    }

    /// The trimmed text of `column` in `row` (empty when absent).
    pub fn text(&self, row: &Row, column: FollowupColumn) -> String {
        self.cell(row, column)
            .map(|(v, _)| v.display().trim().to_string())
            .unwrap_or_default()
    }
}

/// A file that could not be read: no rows, one error.
pub(super) fn unreadable(path: &str, e: &IngestError) -> FileRows {
    FileRows {
        path: path.to_string(),
        sheet: String::new(),
        columns: Vec::new(),
        rows: Vec::new(),
        diagnostics: vec![
            Diagnostic::error(Code::UnreadableFile, crate::diag::error_chain(e))
                .in_file(path)
                .suggest("请用 Excel 打开检查后另存为 .xlsx 重新报送"),
        ],
    }
}

/// The data rows of a workbook and what is wrong with its shape.
pub(super) fn rows_of(path: &str, workbook: &Workbook) -> FileRows {
    let mut out = FileRows {
        path: path.to_string(),
        sheet: String::new(),
        columns: Vec::new(),
        rows: Vec::new(),
        diagnostics: Vec::new(),
    };
    let Some(sheet) = workbook
        .sheet(FOLLOWUP_SHEET)
        .or_else(|| workbook.first_visible())
    else {
        out.diagnostics.push(
            Diagnostic::error(Code::MissingSheet, format!("没有“{FOLLOWUP_SHEET}”工作表"))
                .in_file(path)
                .suggest("请用 fucha intake --rectification 生成的整改落实情况表填报"),
        );
        return out;
    };
    out.sheet = sheet.name.clone();
    let Some(header) = find_labelled_header(
        &sheet.rows,
        HEADER_SEARCH_ROWS,
        FollowupColumn::from_label,
        FollowupColumn::Unit,
    ) else {
        out.diagnostics.push(
            Diagnostic::error(Code::MissingHeader, "找不到整改落实情况表的表头")
                .in_file(path)
                .in_sheet(&sheet.name)
                .suggest("表头应有“单位名称”“整改措施”“完成日期”“验收结论”等列"),
        );
        return out;
    };
    for column in REQUIRED {
        if header.col(column).is_none() {
            out.diagnostics.push(
                Diagnostic::error(Code::MissingColumn, format!("缺少“{}”列", column.label()))
                    .in_file(path)
                    .in_sheet(&sheet.name)
                    .at_row(header.row)
                    .suggest(
                        "请用 fucha intake --rectification 生成的整改落实情况表填报，列名不要改动",
                    ),
            );
        }
    }
    out.columns = header.columns.clone();
    out.columns.sort_by_key(|&(_, col)| col);
    out.rows = sheet
        .rows
        .iter()
        .filter(|r| r.index > header.last_row && !r.is_blank())
        .cloned()
        .collect();
    out
}
