//! The files the county uploads, made from the default data at run time
//! (no binary test data is committed): a copy of its workbook with one
//! score out of range, and what the checker says of it.

use calamine::{Data, Reader};
use fucha::check;
use fucha::diag::Severity;
use fucha::pipeline::Context;
use fucha::review::Outcome;
use std::path::{Path, PathBuf};

/// A diagnostic as the upload result page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub sheet: String,
    pub cell: String,
    pub code: String,
}

/// The errors the checker finds in `path`, as the result page shows them;
/// and the units of the file it accepts as 复查合格.
pub fn checked(ctx: &Context, path: &Path) -> (Vec<Expected>, Vec<String>) {
    let batch = check::check_paths(&[path.to_path_buf()], &ctx.roster, &ctx.campaign);
    // Only the file's own: a single file also leaves the season's other
    // units missing, which an upload does not report.
    let [file] = batch.files.as_slice() else {
        panic!("{}: one file checked", path.display());
    };
    let errors = batch
        .diagnostics_of(file)
        .filter(|d| d.severity == Severity::Error)
        .map(|d| Expected {
            sheet: d.sheet.clone().unwrap_or_default(),
            cell: d.cell.map(|c| c.to_string()).unwrap_or_default(),
            code: d.code.to_string(),
        })
        .collect();
    let passed = batch
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass)
        .map(|r| r.unit.clone())
        .collect();
    (errors, passed)
}

/// Writes to `to` the workbook `from` with the first data row's 测评得分
/// set to `score`, every other cell as it was (values only, as a clerk's
/// spreadsheet program saves them).
pub fn with_score(from: &Path, to: &Path, score: u32) -> PathBuf {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    let mut out = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let mut changed = false;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut grid: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        if !changed && let Some((row, col)) = first_score(&grid) {
            grid[row][col] = Data::Float(f64::from(score));
            changed = true;
        }
        let ws = out.add_worksheet();
        ws.set_name(&name).unwrap();
        for (r, row) in grid.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r0 + r as u32, (c0 + c as u32) as u16);
                match cell {
                    Data::Empty => {}
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).unwrap();
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    Data::Bool(b) => {
                        ws.write_boolean(r, c, *b).unwrap();
                    }
                    Data::DateTime(d) => {
                        ws.write_number_with_format(r, c, d.as_f64(), &date)
                            .unwrap();
                    }
                    other => {
                        ws.write_string(r, c, other.to_string()).unwrap();
                    }
                }
            }
        }
    }
    assert!(
        changed,
        "{}: no 测评得分 column with a score",
        from.display()
    );
    out.save(to).unwrap();
    to.to_path_buf()
}

/// The first numeric cell under a 测评得分 header: (row, column) in the grid.
fn first_score(grid: &[Vec<Data>]) -> Option<(usize, usize)> {
    let (header, col) = grid.iter().take(50).enumerate().find_map(|(r, row)| {
        row.iter()
            .position(|c| matches!(c, Data::String(s) if s.trim() == "测评得分"))
            .map(|c| (r, c))
    })?;
    let row = (header + 1..grid.len())
        .find(|&r| matches!(grid[r].get(col), Some(Data::Float(_) | Data::Int(_))))?;
    Some((row, col))
}

/// The text of a DOCX's body: every `w:t` run, joined without separator,
/// paragraphs on lines of their own.
pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX (zip)");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        if tag.starts_with("<w:t>") || tag.starts_with("<w:t ") {
            let end = rest[close..]
                .find("</w:t>")
                .map_or(rest.len(), |e| close + e);
            text.push_str(&unescape(&rest[close..end]));
            rest = &rest[end..];
            continue;
        }
        if tag == "</w:p>" {
            text.push('\n');
        }
        rest = &rest[close..];
    }
    text
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
