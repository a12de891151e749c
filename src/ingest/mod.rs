//! Reading spreadsheets into rows with their cell positions: the only module
//! that knows calamine, zip and the CSV encodings.
//!
//! Takes a path, returns a [`Workbook`]: every sheet with its visibility and
//! its non-empty rows, each cell at its absolute 0-based position (a range
//! need not start at A1, so the range's start is added here, the only place
//! that knows it). Cell values become our own [`CellValue`]; error values such
//! as `#REF!` are data, not Rust errors. Knows nothing of the domain's rules.
//!
//! The input is untrusted: the format is told from the content (not the
//! extension), zip containers are measured before calamine opens them (zip
//! bombs), no sheet yields more than [`MAX_ROWS`] rows, a panic while
//! reading is the file's error, and the legacy binary formats and ods can be
//! decoded in a child process under memory and time limits ([`isolate`]),
//! so no file can crash, hang or exhaust the run.

mod csv;
mod guard;
pub mod isolate;
mod ods_guard;
mod sheets;
mod xls_guard;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

use guard::MAX_FILE_BYTES;
pub use guard::MAX_WHOLE_PART_BYTES;

/// The most data rows kept from one sheet; a sheet with more is cut there and
/// flagged with [`Sheet::truncated`]. Rosters and county returns hold
/// hundreds of rows, so this is far above real use and far below harm.
pub const MAX_ROWS: usize = 20_000;

/// The most non-empty cells kept from one sheet, for the same reason: a sheet
/// of twenty thousand rows sixteen thousand cells wide is not an intake sheet.
pub const MAX_CELLS: usize = 2_000_000;

/// The spreadsheet formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// Office Open XML workbook.
    Xlsx,
    /// Binary Office workbook.
    Xlsb,
    /// Excel 97-2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Comma-separated text, UTF-8 or GBK/GB18030.
    Csv,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
        })
    }
}

/// Why a file could not be read at all. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file system refused.
    #[error("无法读取文件 {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Zero bytes.
    #[error("文件 {path} 是空文件（0 字节）")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Larger than any intake workbook could be.
    #[error("文件 {path} 过大（超过 {limit} 字节），不像是报送的表格")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// The content is something else (an image, a PDF, an archive...).
    #[error("文件 {path} 不是电子表格（内容为{what}）")]
    NotASpreadsheet {
        /// The file.
        path: PathBuf,
        /// What it looks like, in Chinese.
        what: String,
    },
    /// Protected by an opening password.
    #[error("文件 {path} 设置了打开密码（已加密），无法读取")]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// A compressed part expands beyond the limits: a zip bomb or a damaged file.
    #[error("文件 {path} 中的“{entry}”解压后超过 {limit} 字节，疑似压缩炸弹或文件损坏")]
    ZipBomb {
        /// The file.
        path: PathBuf,
        /// The offending part of the package.
        entry: String,
        /// The limit that was exceeded.
        limit: u64,
    },
    /// Repeated rows and columns (ODS) that would expand into a huge grid.
    #[error(
        "文件 {path} 的表格展开后约有 {cells} 个单元格，超过上限 {limit}，疑似恶意构造或格式异常"
    )]
    TooManyCells {
        /// The file.
        path: PathBuf,
        /// The cells the reader would allocate.
        cells: u64,
        /// The limit.
        limit: u64,
    },
    /// The container or the workbook inside is damaged or truncated.
    #[error("文件 {path} 已损坏或不完整（{format} 格式）：{message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The format it was read as.
        format: Format,
        /// What the reader said.
        message: String,
    },
    /// The reader failed on the file (a panic in the decoder, or a decoding
    /// process that crashed or ran out of memory or time).
    #[error(
        "文件 {path} 已损坏，读取程序出错，无法读取。请在 Excel 或 WPS 中打开，另存为 .xlsx 后重新报送（技术信息：{message}）"
    )]
    Crashed {
        /// The file.
        path: PathBuf,
        /// What happened, as far as it is known.
        message: String,
    },
    /// A CSV that cannot be decoded or parsed.
    #[error("CSV 文件 {path} 无法解析：{message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// A cell's value, as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CellValue {
    /// Nothing.
    Empty,
    /// Text (shared or inline strings, CSV fields).
    Text(String),
    /// Any number (integers too).
    Number(f64),
    /// TRUE/FALSE.
    Bool(bool),
    /// A date or date-time cell.
    DateTime(NaiveDateTime),
    /// A formula error value such as `#REF!` or `#DIV/0!`.
    Error(String),
}

impl CellValue {
    /// True for empty cells and cells holding only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a clerk would read it in the cell.
    pub fn display(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Bool(true) => "TRUE".into(),
            CellValue::Bool(false) => "FALSE".into(),
            CellValue::DateTime(dt) => {
                if dt.time() == chrono::NaiveTime::MIN {
                    dt.date().format("%Y-%m-%d").to_string()
                } else {
                    dt.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            CellValue::Error(e) => e.clone(),
        }
    }
}

/// Numbers as Excel shows them by default: integers without a decimal point.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// 0-based absolute column.
    pub col: u32,
    /// The value.
    pub value: CellValue,
}

/// One row with at least one non-empty cell, cells in column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// 0-based absolute row index.
    pub index: u32,
    /// Its non-empty cells, sorted by column.
    pub cells: Vec<Cell>,
}

static EMPTY: CellValue = CellValue::Empty;

impl Row {
    /// The value at a column (empty when there is none).
    pub fn get(&self, col: u32) -> &CellValue {
        match self.cells.binary_search_by_key(&col, |c| c.col) {
            Ok(i) => &self.cells[i].value,
            Err(_) => &EMPTY,
        }
    }

    /// True when every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.value.is_blank())
    }
}

/// Whether a sheet shows in the workbook's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    /// Shown.
    Visible,
    /// Hidden (can be unhidden from the tabs' menu).
    Hidden,
    /// Hidden so that only a macro can show it.
    VeryHidden,
}

/// One sheet's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// The sheet's name (for CSV: the file's stem).
    pub name: String,
    /// Visibility.
    pub visibility: Visibility,
    /// Non-empty rows in order.
    pub rows: Vec<Row>,
    /// Set when the sheet had more than [`MAX_ROWS`] rows or [`MAX_CELLS`]
    /// cells: the rest was not read.
    pub truncated: bool,
}

/// A whole workbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workbook {
    /// The file read.
    pub path: PathBuf,
    /// The format told from its content.
    pub format: Format,
    /// The sheets in tab order.
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// A sheet by exact name.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// The first visible sheet, if any.
    pub fn first_visible(&self) -> Option<&Sheet> {
        self.sheets
            .iter()
            .find(|s| s.visibility == Visibility::Visible)
    }
}

/// The file extensions we read as spreadsheets (lower case, without dot).
const SPREADSHEET_EXTENSIONS: [&str; 6] = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv"];

/// Whether a path has one of the spreadsheet extensions we read, in any case.
pub fn has_spreadsheet_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| SPREADSHEET_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}

/// Reads a workbook: tells its format from the content, guards against
/// hostile containers, and copies every sheet's non-empty rows.
pub fn read_workbook(path: &Path) -> Result<Workbook, IngestError> {
    read_workbook_with_rows(path, MAX_ROWS)
}

/// [`read_workbook`] with another row cap per sheet: a province's roster
/// lists far more units than any one intake workbook may hold rows.
pub fn read_workbook_with_rows(path: &Path, max_rows: usize) -> Result<Workbook, IngestError> {
    isolate::catching_panics(path, || {
        let bytes = guard::read_bounded(path)?;
        decode_workbook(path, bytes, max_rows)
    })
}

/// [`read_workbook`] of bytes already read (a file kept in the register),
/// `path` naming it in messages.
pub fn read_workbook_bytes(path: &Path, bytes: Vec<u8>) -> Result<Workbook, IngestError> {
    isolate::catching_panics(path, || {
        guard::check_size(path, &bytes)?;
        decode_workbook(path, bytes, MAX_ROWS)
    })
}

/// Tells the format from the content, guards it, and decodes every sheet.
fn decode_workbook(path: &Path, bytes: Vec<u8>, max_rows: usize) -> Result<Workbook, IngestError> {
    let format = guard::detect_format(path, &bytes)?;
    let sheets = match format {
        Format::Csv => vec![csv::read_csv(path, &bytes, max_rows)?],
        Format::Xls => {
            xls_guard::check_xls_grid(path, &bytes)?;
            isolate::decode(path, bytes, format, max_rows)?
        }
        _ => isolate::decode(path, bytes, format, max_rows)?,
    };
    Ok(Workbook {
        path: path.to_path_buf(),
        format,
        sheets,
    })
}

/// Gathers cells given in any order into sorted sparse rows, dropping blank
/// cells, and refuses more once [`MAX_ROWS`] rows are held, so that a
/// streamed million-row sheet costs no more than a normal one.
#[derive(Debug)]
struct RowCollector {
    rows: std::collections::BTreeMap<u32, Vec<Cell>>,
    /// The row being filled: cells come row by row from a spreadsheet, and
    /// a map lookup per cell was a tenth of reading a workbook.
    current: Option<(u32, Vec<Cell>)>,
    cells: usize,
    truncated: bool,
    max_rows: usize,
}

impl Default for RowCollector {
    fn default() -> Self {
        RowCollector::new(MAX_ROWS)
    }
}

impl RowCollector {
    fn new(max_rows: usize) -> Self {
        RowCollector {
            rows: Default::default(),
            current: None,
            cells: 0,
            truncated: false,
            max_rows,
        }
    }

    /// Adds a cell; returns false once the sheet has proved too long.
    fn push(&mut self, row: u32, col: u32, value: CellValue) -> bool {
        if matches!(value, CellValue::Empty) {
            return true;
        }
        if self.cells >= MAX_CELLS {
            self.truncated = true;
            return false;
        }
        if self.current.as_ref().is_none_or(|(r, _)| *r != row) {
            self.flush();
            let held = self.rows.remove(&row);
            if held.is_none() && self.rows.len() >= self.max_rows {
                self.truncated = true;
                return false;
            }
            self.current = Some((row, held.unwrap_or_default()));
        }
        self.cells += 1;
        if let Some((_, cells)) = &mut self.current {
            cells.push(Cell { col, value });
        }
        true
    }

    /// Puts the row being filled with the others.
    fn flush(&mut self) {
        if let Some((row, cells)) = self.current.take() {
            self.rows.insert(row, cells);
        }
    }

    /// The value at a cell, if one was added.
    fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        let cells = match &self.current {
            Some((r, cells)) if *r == row => Some(cells),
            _ => self.rows.get(&row),
        }?;
        cells.iter().find(|c| c.col == col).map(|c| &c.value)
    }

    /// The rows, cells sorted by column, and whether some were cut.
    fn finish(mut self) -> (Vec<Row>, bool) {
        self.flush();
        let rows = self
            .rows
            .into_iter()
            .map(|(index, mut cells)| {
                cells.sort_by_key(|c| c.col);
                cells.dedup_by_key(|c| c.col);
                Row { index, cells }
            })
            .collect();
        (rows, self.truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crashed_decoder_says_so_in_the_shared_words() {
        let e = IngestError::Crashed {
            path: PathBuf::from("岳阳县.xls"),
            message: "slice index".into(),
        };
        let text = e.to_string();
        assert!(text.contains(isolate::DECODER_FAILED), "{text}");
        assert!(text.ends_with("（技术信息：slice index）"), "{text}");
    }

    #[test]
    fn rows_are_sorted_and_sparse() {
        let mut c = RowCollector::default();
        c.push(3, 2, CellValue::Number(1.0));
        c.push(1, 0, CellValue::Text("a".into()));
        c.push(3, 0, CellValue::Empty);
        c.push(3, 1, CellValue::Bool(true));
        let (rows, cut) = c.finish();
        assert!(!cut);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].index, 3);
        assert_eq!(rows[1].get(2), &CellValue::Number(1.0));
        assert_eq!(rows[1].get(0), &CellValue::Empty);
    }

    #[test]
    fn numbers_display_like_excel() {
        assert_eq!(CellValue::Number(85.0).display(), "85");
        assert_eq!(CellValue::Number(92.5).display(), "92.5");
    }
}
