//! ODS compresses repetition into attributes: one cell may say "repeat me
//! 16,384 times" in a row that says "repeat me a million times". calamine
//! expands the bounding box of non-empty cells into a dense grid, so a few
//! hundred bytes can ask for gigabytes. This pass reads `content.xml` as a
//! stream, computes that grid's size per table, and refuses the file before
//! calamine opens it when the grid is absurd.

use super::IngestError;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// The largest dense grid (cells per table) we let calamine build: twenty
/// thousand rows of a hundred columns, far above any intake sheet.
pub(super) const MAX_ODS_CELLS: u64 = 2_000_000;

/// Bounding box of the non-empty cells of one table, in expanded rows/columns,
/// with the state of the row being read.
#[derive(Default)]
struct Extent {
    row: u64,
    first_row: Option<u64>,
    end_row: u64,
    min_col: Option<u64>,
    end_col: u64,
    /// The current row's repeat count, next column, and non-empty span.
    row_repeat: u64,
    col: u64,
    span: Option<(u64, u64)>,
}

impl Extent {
    fn cells(&self) -> u64 {
        match self.first_row {
            Some(first) => (self.end_row - first)
                .saturating_mul(self.end_col.saturating_sub(self.min_col.unwrap_or(0))),
            None => 0,
        }
    }

    fn start_row(&mut self, repeat: u64) {
        self.row_repeat = repeat;
        self.col = 0;
        self.span = None;
    }

    /// Empty rows (`<table:table-row/>`), repeated.
    fn skip_rows(&mut self, repeat: u64) {
        self.row = self.row.saturating_add(repeat);
    }

    fn end_row(&mut self) {
        if let Some((start, end)) = self.span {
            self.first_row.get_or_insert(self.row);
            self.min_col = Some(self.min_col.map_or(start, |m| m.min(start)));
            self.end_col = self.end_col.max(end);
            self.end_row = self.row.saturating_add(self.row_repeat);
        }
        self.row = self.row.saturating_add(self.row_repeat);
    }

    /// `repeat` cells; `filled` when they have a value or content.
    fn cell(&mut self, repeat: u64, filled: bool) {
        if filled {
            let end = self.col.saturating_add(repeat);
            self.span = Some(match self.span {
                Some((s, x)) => (s.min(self.col), x.max(end)),
                None => (self.col, end),
            });
        }
        self.col = self.col.saturating_add(repeat);
    }
}

fn repeats(e: &BytesStart<'_>, attr: &str) -> u64 {
    e.try_get_attribute(attr)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Refuses an ODS package whose tables would expand beyond [`MAX_ODS_CELLS`].
pub(super) fn check_ods_grid<R: Read + Seek>(
    path: &Path,
    archive: &mut zip::ZipArchive<R>,
) -> Result<(), IngestError> {
    let corrupt = |message: String| IngestError::Corrupt {
        path: path.to_path_buf(),
        format: super::Format::Ods,
        message,
    };
    let entry = archive
        .by_name("content.xml")
        .map_err(|e| corrupt(format!("content.xml 无法读取（{e}）")))?;
    let mut reader = Reader::from_reader(BufReader::new(entry));
    let mut buf = Vec::new();
    let mut table = Extent::default();
    // Tables opened and not yet closed: calamine loops forever on a
    // content.xml that ends inside one (found by examples/fuzz.rs).
    let mut open_tables = 0u32;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(format!("content.xml 不是有效的 XML（{e}）")))?;
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                table = Extent::default();
                open_tables += 1;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table" => {
                table = Extent::default();
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                table.start_row(repeats(&e, "table:number-rows-repeated"));
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                table.skip_rows(repeats(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => table.end_row(),
            ref ev @ (Event::Start(ref e) | Event::Empty(ref e))
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                // A cell with a value type or any content counts as non-empty.
                let filled = matches!(ev, Event::Start(_))
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                table.cell(repeats(e, "table:number-columns-repeated"), filled);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                open_tables = open_tables.saturating_sub(1);
                let cells = table.cells();
                if cells > MAX_ODS_CELLS {
                    return Err(IngestError::TooManyCells {
                        path: path.to_path_buf(),
                        cells,
                        limit: MAX_ODS_CELLS,
                    });
                }
            }
            Event::Eof if open_tables > 0 => {
                return Err(corrupt("content.xml 在工作表中途结束，文件不完整".into()));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// The most merged areas kept per package: a real intake sheet has dozens.
const MAX_ODS_MERGES: usize = 100_000;

/// The merged areas of each table, by table name, at the expanded positions
/// calamine gives the cells (repeated rows and columns counted). calamine
/// does not report ODS merges, and without them a value merged down over
/// several data rows would be read in the first row only, unlike xlsx and
/// xls. An unreadable package gives no merges: calamine reports it.
pub(super) fn ods_merges(
    bytes: &[u8],
) -> std::collections::HashMap<String, Vec<calamine::Dimensions>> {
    let mut merges: std::collections::HashMap<String, Vec<calamine::Dimensions>> =
        Default::default();
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return merges;
    };
    let Ok(entry) = archive.by_name("content.xml") else {
        return merges;
    };
    let mut reader = Reader::from_reader(BufReader::new(entry));
    let mut buf = Vec::new();
    let mut table: Option<String> = None;
    let (mut row, mut row_repeat, mut col) = (0u64, 1u64, 0u64);
    let mut kept = 0usize;
    let to_u32 = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                table = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    });
                row = 0;
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row_repeat = repeats(&e, "table:number-rows-repeated");
                col = 0;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(repeats(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_repeat);
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let rows = repeats(&e, "table:number-rows-spanned");
                let cols = repeats(&e, "table:number-columns-spanned");
                if (rows > 1 || cols > 1)
                    && kept < MAX_ODS_MERGES
                    && let Some(name) = &table
                {
                    let start = (to_u32(row), to_u32(col));
                    let end = (
                        to_u32(row.saturating_add(rows - 1)),
                        to_u32(col.saturating_add(cols - 1)),
                    );
                    merges
                        .entry(name.clone())
                        .or_default()
                        .push(calamine::Dimensions::new(start, end));
                    kept += 1;
                }
                col = col.saturating_add(repeats(&e, "table:number-columns-repeated"));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    merges
}
