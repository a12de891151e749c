//! The 退回修改意见 workbook for one faulty intake file: a 问题清单 sheet
//! listing every problem, then a copy of each original sheet with the faulty
//! cells filled red, a note on each giving the message, and an extra column
//! holding the messages of each row, so a county clerk can fix the file in
//! Excel. The input is only read; the bytes are deterministic (fixed document
//! date, no clock).

use super::header::find_header;
use crate::diag::{Diagnostic, Severity};
use crate::ingest::{self, CellValue, Sheet};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, Note, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;
use std::path::Path;

/// Why the feedback workbook could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedbackError {
    /// The writer refused (a value or name it cannot store).
    #[error("无法生成退回修改意见表（{path}）")]
    Write {
        /// The input file the feedback is for.
        path: String,
        /// The writer's error.
        source: XlsxError,
    },
}

/// The title of the problem list sheet.
const LIST_SHEET: &str = "问题清单";
/// The label of the extra column on each copied sheet.
const NOTE_COLUMN: &str = "退回修改意见";
/// Excel's last row (0-based).
const MAX_ROW: u32 = 1_048_575;
/// Excel's last column (0-based), where the message column goes at the latest.
const EXTRA_MAX: u16 = 16_383;
/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_000;

/// The file name of the feedback workbook for an input file, e.g.
/// `岳阳县退回修改意见.xlsx`; folder walks skip names ending so.
pub fn feedback_file_name(input: &Path) -> String {
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("报送表");
    format!("{stem}{}.xlsx", super::FEEDBACK_SUFFIX)
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not
/// taken yet.
fn excel_sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let base: String = if clean.is_empty() {
        "Sheet".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        let suffix = format!("({n})");
        candidate = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    candidate
}

/// Builds the feedback workbook for `path` from its diagnostics. When the
/// file cannot be read, the workbook holds the problem list only.
pub fn feedback_workbook(
    path: &Path,
    diagnostics: &[&Diagnostic],
) -> Result<Vec<u8>, FeedbackError> {
    let wrap = |source| FeedbackError::Write {
        path: path.display().to_string(),
        source,
    };
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(wrap)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(NOTE_COLUMN)
            .set_author("复查")
            .set_creation_datetime(&created),
    );
    let original = ingest::read_workbook(path).ok();
    let list_name = match &original {
        Some(wb) if wb.sheet(LIST_SHEET).is_some() => format!("{LIST_SHEET}（修改意见）"),
        _ => LIST_SHEET.to_string(),
    };
    write_problem_list(workbook.add_worksheet(), &list_name, diagnostics).map_err(wrap)?;
    if let Some(wb) = &original {
        let mut taken = vec![list_name.clone()];
        for sheet in &wb.sheets {
            let own: Vec<&Diagnostic> = diagnostics
                .iter()
                .copied()
                .filter(|d| d.sheet.as_deref() == Some(sheet.name.as_str()))
                .collect();
            let name = excel_sheet_name(&sheet.name, &taken);
            taken.push(name.clone());
            copy_sheet(workbook.add_worksheet(), &name, sheet, &own).map_err(wrap)?;
        }
    }
    workbook.save_to_buffer().map_err(wrap)
}

fn severity_label(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "错误",
        Severity::Warning => "提醒",
    }
}

fn clip_cell(s: &str) -> String {
    if s.chars().count() > MAX_CELL_CHARS {
        s.chars().take(MAX_CELL_CHARS).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

fn write_problem_list(
    ws: &mut Worksheet,
    name: &str,
    diagnostics: &[&Diagnostic],
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2));
    let wrap = Format::new().set_text_wrap();
    let headers = [
        "序号",
        "级别",
        "工作表",
        "单元格",
        "单位",
        "问题",
        "修改建议",
        "代码",
    ];
    let widths = [6.0, 6.0, 14.0, 8.0, 30.0, 60.0, 40.0, 22.0];
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (i, d) in diagnostics.iter().enumerate() {
        let r = i as u32 + 1;
        let place = match (d.cell, d.row) {
            (Some(c), _) => c.to_string(),
            (None, Some(row)) => format!("第{}行", row + 1),
            _ => String::new(),
        };
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, severity_label(d))?;
        ws.write_string(r, 2, d.sheet.as_deref().unwrap_or(""))?;
        ws.write_string(r, 3, place)?;
        ws.write_string(r, 4, d.unit.as_deref().unwrap_or(""))?;
        ws.write_string_with_format(r, 5, clip_cell(&d.message), &wrap)?;
        ws.write_string_with_format(
            r,
            6,
            clip_cell(d.suggestion.as_deref().unwrap_or("")),
            &wrap,
        )?;
        ws.write_string(r, 7, d.code.as_str())?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The message written into notes and the extra column.
fn line(d: &Diagnostic) -> String {
    match &d.suggestion {
        Some(s) => format!("【{}】{}（{}）", severity_label(d), d.message, s),
        None => format!("【{}】{}", severity_label(d), d.message),
    }
}

/// The fills and formats of a copied sheet.
struct CopyFormats {
    error_fill: Format,
    warning_fill: Format,
    date: Format,
    note_header: Format,
    wrap: Format,
}

impl CopyFormats {
    fn new() -> CopyFormats {
        CopyFormats {
            error_fill: Format::new().set_background_color(Color::RGB(0xFFC7CE)),
            warning_fill: Format::new().set_background_color(Color::RGB(0xFFEB9C)),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            note_header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xFFC7CE)),
            wrap: Format::new().set_text_wrap(),
        }
    }

    /// Red when any of the cell's problems is an error, else yellow.
    fn fill(&self, ds: &[&Diagnostic]) -> &Format {
        if ds.iter().any(|d| d.severity == Severity::Error) {
            &self.error_fill
        } else {
            &self.warning_fill
        }
    }
}

/// A sheet's diagnostics by cell and by row (0-based).
type ByCell<'d> = BTreeMap<(u32, u32), Vec<&'d Diagnostic>>;
type ByRow<'d> = BTreeMap<u32, Vec<&'d Diagnostic>>;

/// One original sheet with its faulty cells filled and noted and the
/// messages of each row in an extra column.
fn copy_sheet(
    ws: &mut Worksheet,
    name: &str,
    sheet: &Sheet,
    diagnostics: &[&Diagnostic],
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let f = CopyFormats::new();
    let mut by_cell = ByCell::new();
    let mut by_row = ByRow::new();
    for d in diagnostics {
        if let Some(c) = d.cell {
            by_cell.entry((c.row, c.col)).or_default().push(d);
        }
        if let Some(r) = d.row {
            by_row.entry(r).or_default().push(d);
        }
    }
    set_widths(ws, sheet)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    write_cells(ws, sheet, &by_cell, &f)?;
    write_cell_notes(ws, sheet, &by_cell, &f)?;
    write_row_messages(ws, sheet, &by_cell, &by_row, &f)
}

/// The original values, faulty ones filled.
fn write_cells(
    ws: &mut Worksheet,
    sheet: &Sheet,
    by_cell: &ByCell<'_>,
    f: &CopyFormats,
) -> Result<(), XlsxError> {
    for row in sheet.rows.iter().filter(|r| r.index <= MAX_ROW) {
        // Cells past Excel's last column (only a CSV can have them) are left out.
        for cell in row.cells.iter().filter(|c| c.col < u32::from(EXTRA_MAX)) {
            let fill = by_cell.get(&(row.index, cell.col)).map(|ds| f.fill(ds));
            write_value(ws, row.index, cell.col as u16, &cell.value, fill, &f.date)?;
        }
    }
    Ok(())
}

/// A note on each faulty cell with its messages; an empty faulty cell
/// still gets its colour.
fn write_cell_notes(
    ws: &mut Worksheet,
    sheet: &Sheet,
    by_cell: &ByCell<'_>,
    f: &CopyFormats,
) -> Result<(), XlsxError> {
    for (&(r, c), ds) in by_cell
        .iter()
        .filter(|((r, c), _)| *r <= MAX_ROW && *c < u32::from(EXTRA_MAX))
    {
        let is_empty = sheet
            .rows
            .iter()
            .find(|x| x.index == r)
            .is_none_or(|x| matches!(x.get(c), CellValue::Empty));
        if is_empty {
            ws.write_blank(r, c as u16, f.fill(ds))?;
        }
        let text: Vec<String> = ds.iter().map(|d| line(d)).collect();
        let note = Note::new(clip_cell(&text.join("\n")))
            .set_author("市文明办")
            .set_width(320)
            .set_height(120);
        ws.insert_note(r, c as u16, &note)?;
    }
    Ok(())
}

/// The 退回修改意见 column right of the last used one: labelled on the
/// header row, each row's messages beside it.
fn write_row_messages(
    ws: &mut Worksheet,
    sheet: &Sheet,
    by_cell: &ByCell<'_>,
    by_row: &ByRow<'_>,
    f: &CopyFormats,
) -> Result<(), XlsxError> {
    if by_row.is_empty() {
        return Ok(());
    }
    let last_col = sheet
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.col))
        .chain(by_cell.keys().map(|&(_, c)| c))
        .max()
        .unwrap_or(0);
    let extra = (last_col + 1).min(u32::from(EXTRA_MAX)) as u16;
    let label_row = find_header(&sheet.rows).map(|h| h.row).unwrap_or(0);
    if !by_row.contains_key(&label_row) {
        ws.write_string_with_format(label_row, extra, NOTE_COLUMN, &f.note_header)?;
    }
    ws.set_column_width(extra, 60.0)?;
    for (&r, ds) in by_row.iter().filter(|(r, _)| **r <= MAX_ROW) {
        let text: Vec<String> = ds.iter().map(|d| line(d)).collect();
        ws.write_string_with_format(r, extra, clip_cell(&text.join("\n")), &f.wrap)?;
    }
    Ok(())
}

/// Column widths from the content, so dates do not show as `###` and names
/// can be read: CJK characters count double, capped at a readable width.
fn set_widths(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    let mut widths: BTreeMap<u32, usize> = BTreeMap::new();
    for row in &sheet.rows {
        // Title rows above the header would make every column wide.
        if row.cells.len() < 2 {
            continue;
        }
        for cell in &row.cells {
            let text = cell.value.display();
            let w: usize = text
                .chars()
                .take(60)
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum();
            let e = widths.entry(cell.col).or_default();
            *e = (*e).max(w);
        }
    }
    for (col, w) in widths {
        ws.set_column_width(col.min(16_383) as u16, (w + 2).clamp(8, 40) as f64)?;
    }
    Ok(())
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &CellValue,
    fill: Option<&Format>,
    date_format: &Format,
) -> Result<(), XlsxError> {
    let plain = Format::new();
    let format = fill.unwrap_or(&plain);
    match value {
        CellValue::Empty => {}
        CellValue::Text(s) => {
            ws.write_string_with_format(row, col, clip_cell(s), format)?;
        }
        CellValue::Number(n) => {
            ws.write_number_with_format(row, col, *n, format)?;
        }
        CellValue::Bool(b) => {
            ws.write_boolean_with_format(row, col, *b, format)?;
        }
        CellValue::DateTime(dt) => {
            use chrono::{Datelike, Timelike};
            let date = ExcelDateTime::from_ymd(
                dt.year().clamp(1900, 9999) as u16,
                dt.month() as u8,
                dt.day() as u8,
            )
            .and_then(|d| d.and_hms(dt.hour() as u16, dt.minute() as u8, dt.second() as u8));
            match date {
                Ok(d) => {
                    let f = match fill {
                        Some(fill) => fill.clone().set_num_format("yyyy-mm-dd"),
                        None => date_format.clone(),
                    };
                    ws.write_datetime_with_format(row, col, &d, &f)?;
                }
                Err(_) => {
                    ws.write_string_with_format(row, col, value.display(), format)?;
                }
            }
        }
        CellValue::Error(e) => {
            ws.write_string_with_format(row, col, e, format)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_acceptable_to_excel() {
        let taken = vec!["问题清单".to_string()];
        assert_eq!(excel_sheet_name("复查情况", &taken), "复查情况");
        assert_eq!(excel_sheet_name("a/b:c", &taken), "a_b_c");
        assert_eq!(excel_sheet_name("问题清单", &taken), "问题清单(2)");
        assert_eq!(
            excel_sheet_name(&"长".repeat(40), &taken).chars().count(),
            31
        );
    }

    #[test]
    fn feedback_files_are_named_after_the_input() {
        assert_eq!(
            feedback_file_name(Path::new("报送/岳阳县.xls")),
            "岳阳县退回修改意见.xlsx"
        );
    }
}
