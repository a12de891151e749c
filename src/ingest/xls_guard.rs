//! Excel 97-2003 files store cells sparsely, but calamine expands each sheet
//! into a dense grid spanning its outermost cells: a 6 KB file with one cell
//! at A1 and one at IV65536 costs a gigabyte. This pass walks the BIFF
//! records of the `Workbook` stream, measures each sheet's cell extent, and
//! refuses the file before calamine reads it when the grid is absurd.

use super::IngestError;
use std::io::{Cursor, Read};
use std::path::Path;

/// The largest dense grid per sheet we let calamine build (the ODS limit).
const MAX_XLS_CELLS: u64 = super::ods_guard::MAX_ODS_CELLS;

/// BIFF record types that carry a cell, with row and column in their first
/// four bytes.
const CELL_RECORDS: [u16; 10] = [
    0x0006, // FORMULA
    0x00BD, // MULRK
    0x00BE, // MULBLANK
    0x00FD, // LABELSST
    0x0201, // BLANK
    0x0203, // NUMBER
    0x0204, // LABEL
    0x0205, // BOOLERR
    0x027E, // RK
    0x00D6, // RSTRING
];
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;

#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        let widen = |r: Option<(u32, u32)>, lo: u32, hi: u32| {
            Some(r.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))))
        };
        self.rows = widen(self.rows, row, row);
        self.cols = widen(self.cols, first_col, last_col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1),
            _ => 0,
        }
    }
}

/// Refuses an xls whose sheets would expand beyond [`MAX_XLS_CELLS`]. Files
/// whose stream cannot be walked are left to calamine to report.
pub(super) fn check_xls_grid(path: &Path, bytes: &[u8]) -> Result<(), IngestError> {
    let Ok(mut cfb) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(());
    };
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n));
    let Some(name) = name else {
        return Ok(());
    };
    let mut stream = Vec::new();
    let read = cfb
        .open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream));
    if read.is_err() {
        return Ok(());
    }
    let mut extent = Extent::default();
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        match kind {
            BOF => extent = Extent::default(),
            EOF => {
                let cells = extent.cells();
                if cells > MAX_XLS_CELLS {
                    return Err(IngestError::TooManyCells {
                        path: path.to_path_buf(),
                        cells,
                        limit: MAX_XLS_CELLS,
                    });
                }
            }
            k if CELL_RECORDS.contains(&k) && data.len() >= 4 => {
                let row = u32::from(u16::from_le_bytes([data[0], data[1]]));
                let col = u32::from(u16::from_le_bytes([data[2], data[3]]));
                // MULRK and MULBLANK end with the last column they cover.
                let last = if matches!(k, 0x00BD | 0x00BE) && data.len() >= 6 {
                    let n = data.len();
                    u32::from(u16::from_le_bytes([data[n - 2], data[n - 1]]))
                } else {
                    col
                };
                extent.add(row, col, last.max(col));
            }
            _ => {}
        }
    }
    Ok(())
}
