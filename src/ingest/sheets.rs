//! Workbooks through calamine: xlsx and xlsb are streamed cell by cell (so a
//! million-row sheet stops at [`super::MAX_ROWS`] without being held), xls
//! and ods are read as ranges (their readers cap sizes themselves). Values
//! become [`CellValue`]s at absolute positions; vertically merged cells are
//! read as their anchor's value, as a reader of the printed sheet sees them,
//! in every format: calamine gives the merges of xlsx and xls, and those of
//! ods and xlsb are read from the package here (calamine has none for them).

mod xlsb_merges;

use super::{CellValue, Format, IngestError, RowCollector, Sheet, Visibility};
use calamine::{
    Data, DataRef, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
};
use std::io::Cursor;
use std::path::Path;

type Bytes = Cursor<Vec<u8>>;

/// Reads every worksheet of a zip or compound-file workbook.
pub(super) fn read_sheets(
    path: &Path,
    bytes: Vec<u8>,
    format: Format,
    max_rows: usize,
) -> Result<Vec<Sheet>, IngestError> {
    let errors = Errors { path, format };
    match format {
        Format::Xlsx => read_xlsx(bytes, max_rows, &errors),
        Format::Xlsb => read_xlsb(bytes, max_rows, &errors),
        Format::Xls => read_xls(bytes, max_rows, &errors),
        Format::Ods => read_ods(bytes, max_rows, &errors),
        Format::Csv => unreachable!("CSV files are read by ingest::csv"),
    }
}

/// The errors of one workbook, naming its path and format.
struct Errors<'a> {
    path: &'a Path,
    format: Format,
}

impl Errors<'_> {
    fn corrupt(&self, message: String) -> IngestError {
        IngestError::Corrupt {
            path: self.path.to_path_buf(),
            format: self.format,
            message,
        }
    }

    fn encrypted(&self) -> IngestError {
        IngestError::Encrypted {
            path: self.path.to_path_buf(),
        }
    }
}

// Xlsx and Xlsb stream cells through readers of different types with the
// same methods and no shared trait, hence a macro rather than a function.
macro_rules! stream_cells {
    ($wb:expr, $name:expr, $max_rows:expr, $errors:expr) => {{
        let mut rows = RowCollector::new($max_rows);
        let mut reader = $wb
            .worksheet_cells_reader(&$name)
            .map_err(|e| $errors.corrupt(format!("工作表“{}”：{e}", $name)))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| $errors.corrupt(format!("工作表“{}”：{e}", $name)))?
        {
            let (r, c) = cell.get_position();
            if !rows.push(r, c, from_data_ref(cell.get_value())) {
                break;
            }
        }
        rows
    }};
}

fn read_xlsx(
    bytes: Vec<u8>,
    max_rows: usize,
    errors: &Errors<'_>,
) -> Result<Vec<Sheet>, IngestError> {
    let mut wb: Xlsx<Bytes> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => errors.encrypted(),
        e => errors.corrupt(e.to_string()),
    })?;
    let mut sheets = Vec::new();
    for (name, visibility) in worksheets(wb.sheets_metadata()) {
        let rows = stream_cells!(wb, name, max_rows, errors);
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(finish(name, visibility, rows, &merges));
    }
    Ok(sheets)
}

fn read_xlsb(
    bytes: Vec<u8>,
    max_rows: usize,
    errors: &Errors<'_>,
) -> Result<Vec<Sheet>, IngestError> {
    let merges = xlsb_merges::xlsb_merges(&bytes);
    let mut wb: Xlsb<Bytes> = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsbError::Password => errors.encrypted(),
        e => errors.corrupt(e.to_string()),
    })?;
    let mut sheets = Vec::new();
    for (name, visibility) in worksheets(wb.sheets_metadata()) {
        let rows = stream_cells!(wb, name, max_rows, errors);
        let merged = merges.get(&name).map_or(&[][..], Vec::as_slice);
        sheets.push(finish(name, visibility, rows, merged));
    }
    Ok(sheets)
}

fn read_xls(
    bytes: Vec<u8>,
    max_rows: usize,
    errors: &Errors<'_>,
) -> Result<Vec<Sheet>, IngestError> {
    let mut wb: Xls<Bytes> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => errors.encrypted(),
        e => errors.corrupt(e.to_string()),
    })?;
    let mut sheets = Vec::new();
    for (name, visibility) in worksheets(wb.sheets_metadata()) {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| errors.corrupt(format!("工作表“{name}”：{e}")))?;
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let rows = collect_range(&range, max_rows);
        sheets.push(finish(name, visibility, rows, &merges));
    }
    Ok(sheets)
}

fn read_ods(
    bytes: Vec<u8>,
    max_rows: usize,
    errors: &Errors<'_>,
) -> Result<Vec<Sheet>, IngestError> {
    let merges = super::ods_guard::ods_merges(&bytes);
    let mut wb: Ods<Bytes> =
        Ods::new(Cursor::new(bytes)).map_err(|e| errors.corrupt(e.to_string()))?;
    let mut sheets = Vec::new();
    for (name, visibility) in worksheets(wb.sheets_metadata()) {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| errors.corrupt(format!("工作表“{name}”：{e}")))?;
        let merged = merges.get(&name).map_or(&[][..], Vec::as_slice);
        let rows = collect_range(&range, max_rows);
        sheets.push(finish(name, visibility, rows, merged));
    }
    Ok(sheets)
}

/// Names and visibility of the worksheets (chart and dialog sheets hold no rows).
fn worksheets(meta: &[calamine::Sheet]) -> Vec<(String, Visibility)> {
    meta.iter()
        .filter(|s| matches!(s.typ, SheetType::WorkSheet))
        .map(|s| {
            let v = match s.visible {
                SheetVisible::Visible => Visibility::Visible,
                SheetVisible::Hidden => Visibility::Hidden,
                SheetVisible::VeryHidden => Visibility::VeryHidden,
            };
            (s.name.clone(), v)
        })
        .collect()
}

/// A range's cells at absolute positions: the range's start is added here.
fn collect_range(range: &Range<Data>, max_rows: usize) -> RowCollector {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = RowCollector::new(max_rows);
    for (r, c, v) in range.used_cells() {
        if !rows.push(r0 + r as u32, c0 + c as u32, from_data(v)) {
            break;
        }
    }
    rows
}

/// Fills vertically merged areas with the anchor's value and builds the sheet.
fn finish(
    name: String,
    visibility: Visibility,
    mut rows: RowCollector,
    merges: &[Dimensions],
) -> Sheet {
    // Merges are formatting a hostile file can multiply: bound the cells
    // they may add.
    let mut budget: u32 = 200_000;
    for m in merges {
        let (r0, c0) = m.start;
        let (r1, _) = m.end;
        // A merge reaching far below the data is formatting, not data.
        if r1 <= r0 || r1 - r0 > 1000 {
            continue;
        }
        let Some(anchor) = rows.get(r0, c0).cloned() else {
            continue;
        };
        for r in r0 + 1..=r1 {
            let filled = rows.get(r, c0).is_some();
            if filled {
                continue;
            }
            if budget == 0 || !rows.push(r, c0, anchor.clone()) {
                break;
            }
            budget -= 1;
        }
    }
    let (rows, truncated) = rows.finish();
    Sheet {
        name,
        visibility,
        rows,
        truncated,
    }
}

fn from_data(v: &Data) -> CellValue {
    match v {
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => date_time(dt),
        Data::DateTimeIso(s) => iso_date_time(s),
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
        Data::Empty => CellValue::Empty,
    }
}

fn from_data_ref(v: &DataRef<'_>) -> CellValue {
    match v {
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::String(s) => CellValue::Text(s.clone()),
        DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => date_time(dt),
        DataRef::DateTimeIso(s) => iso_date_time(s),
        DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
        DataRef::Empty => CellValue::Empty,
    }
}

/// A date-formatted cell; durations and out-of-range serials stay numbers.
fn date_time(dt: &calamine::ExcelDateTime) -> CellValue {
    if dt.is_datetime()
        && let Some(v) = dt.as_datetime()
    {
        return CellValue::DateTime(v);
    }
    CellValue::Number(dt.as_f64())
}

/// ODS stores dates as ISO text.
fn iso_date_time(s: &str) -> CellValue {
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return CellValue::DateTime(dt);
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return CellValue::DateTime(d.and_time(chrono::NaiveTime::MIN));
    }
    CellValue::Text(s.to_string())
}
