//! Helpers for whole-run tests: text out of DOCX and PDF files, font lists.

use std::io::Read;
use std::path::Path;
use std::process::Command;

/// The formats the default `input/fucha.toml` writes (`[output] formats`):
/// counts of files written follow the config, not a number.
pub fn default_formats() -> Vec<String> {
    let config = repo().join("input").join("fucha.toml");
    fucha::campaign::Campaign::load(&config)
        .unwrap()
        .output
        .formats
}

/// A `fucha.toml`'s text with its `[output] formats` line set to `formats`.
pub fn with_formats(config: &str, formats: &[&str]) -> String {
    let line = |l: &str| l.trim_start().starts_with("formats =");
    assert!(config.lines().any(line), "the config lists the formats");
    let listed: Vec<String> = formats.iter().map(|f| format!("\"{f}\"")).collect();
    let set = format!("formats = [{}]", listed.join(", "));
    config
        .lines()
        .map(|l| if line(l) { set.as_str() } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Removes all white space, so that text broken across lines still matches.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of `word/document.xml`: the content of every `<w:t>` element, unescaped.
pub fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        let after = &rest[start + 4..];
        // `<w:t>` or `<w:t xml:space=...>`, not `<w:tbl...>` etc.
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let open_end = after.find('>').unwrap();
        let body = &after[open_end + 1..];
        let close = body.find("</w:t>").unwrap_or(0);
        text.push_str(&unescape(&body[..close]));
        text.push('\n');
        rest = &body[close..];
    }
    text
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

pub mod pdf;

pub use pdf::PdfFont;

/// The text of a PDF, line by line, pages separated by a form feed.
pub fn pdf_text(path: &Path) -> String {
    pdf::text(path)
}

/// The fonts of a PDF.
pub fn pdf_fonts(path: &Path) -> Vec<PdfFont> {
    pdf::fonts(path)
}

/// The PDF's text read column by column: words that start at the same x
/// (left-aligned table cells, wrapped over several lines) are joined top to
/// bottom, page after page. A unit name wrapped inside a table cell reads
/// whole here, where `pdf_text` interleaves it with the row's other cells.
pub fn pdf_text_by_columns(path: &Path) -> String {
    // (rounded x, page, y) → word
    let mut words: Vec<((i64, usize, i64), String)> = Vec::new();
    for (page_no, page) in pdf::text_pages(path).iter().enumerate() {
        for word in page.words() {
            words.push((
                (
                    word.x_min.round() as i64,
                    page_no,
                    word.y_min.round() as i64,
                ),
                word.text.clone(),
            ));
        }
    }
    words.sort();
    words
        .into_iter()
        .map(|(_, w)| w)
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- Whole-run helpers for the `cli_*` tests -------------------------------

/// The real `fucha` binary, run from the repository root (so that the
/// default `input/` and `templates/` are the committed ones).
pub fn fucha() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fucha"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The repository root.
pub fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A finished run: exit code and both streams as text.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("fucha runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file under `dir`, relative to it, sorted; the register (and its
/// WAL files) left out: it is the office's database, written beside the
/// config on every run that reads the intake folder, not an input.
pub fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let p = entry.unwrap().path();
            let register = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(fucha::register::DEFAULT_FILE_NAME));
            if p.is_dir() {
                stack.push(p);
            } else if !register {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for rel in files_under(from) {
        let dst = to.join(&rel);
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&rel), &dst).unwrap();
    }
}

/// The tables of a DOCX body, in order: rows of cells, each cell's text
/// (its paragraphs joined without separator).
pub fn docx_tables(path: &Path) -> Vec<Vec<Vec<String>>> {
    use quick_xml::events::Event;
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut depth = 0usize; // nesting of w:tbl
    let mut in_text = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => {
                    depth += 1;
                    if depth == 1 {
                        tables.push(Vec::new());
                    }
                }
                "w:tr" if depth == 1 => tables.last_mut().unwrap().push(Vec::new()),
                "w:tc" if depth == 1 => tables
                    .last_mut()
                    .unwrap()
                    .last_mut()
                    .unwrap()
                    .push(String::new()),
                "w:t" => in_text = true,
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:tbl" => depth -= 1,
                "w:t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text && depth >= 1 => {
                let text = t.xml10_content();
                if let Some(cell) = tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.last_mut())
                {
                    cell.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_text && depth >= 1 => {
                let name = r.xml10_content().into_owned();
                let ch = entity(&name);
                if let Some(cell) = tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.last_mut())
                {
                    cell.push_str(&ch);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    tables
}

/// A worksheet as a grid from A1.
#[derive(Debug, Clone)]
pub struct SheetGrid {
    pub name: String,
    pub rows: Vec<Vec<calamine::Data>>,
}

/// Writes `to`, the intake workbook `from` with `bad` as the review date
/// (复查日期) of its main sheet's first data row; returns that row's unit.
/// `to` may be `from`.
pub fn with_bad_review_date(from: &Path, to: &Path, bad: &str) -> String {
    let mut sheets = read_workbook(from);
    let main = sheets
        .iter_mut()
        .find(|s| {
            s.rows
                .iter()
                .any(|r| r.iter().any(|c| cell_text(c) == "复查日期"))
        })
        .expect("a main sheet");
    let header = main
        .rows
        .iter()
        .position(|r| r.iter().any(|c| cell_text(c) == "复查日期"))
        .unwrap();
    let col = |label: &str| {
        main.rows[header]
            .iter()
            .position(|c| cell_text(c) == label)
            .unwrap()
    };
    let (date, name) = (col("复查日期"), col("单位名称"));
    main.rows[header + 1][date] = calamine::Data::String(bad.into());
    let unit = cell_text(&main.rows[header + 1][name]);
    write_workbook(&sheets, to);
    unit
}

/// Every sheet of an xlsx workbook, as calamine reads it.
pub fn read_workbook(path: &Path) -> Vec<SheetGrid> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = match (range.start(), range.end()) {
                (Some((r0, c0)), Some((r1, c1))) => (0..=r1)
                    .map(|r| {
                        (0..=c1)
                            .map(|c| {
                                if r < r0 || c < c0 {
                                    calamine::Data::Empty
                                } else {
                                    range
                                        .get_value((r, c))
                                        .cloned()
                                        .unwrap_or(calamine::Data::Empty)
                                }
                            })
                            .collect()
                    })
                    .collect(),
                _ => Vec::new(),
            };
            SheetGrid { name, rows }
        })
        .collect()
}

/// Writes sheets back as a plain workbook, as a clerk's spreadsheet program
/// would save values: same sheet names, same cells; dates keep a date format.
pub fn write_workbook(sheets: &[SheetGrid], path: &Path) {
    use calamine::Data;
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).unwrap();
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
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
                    Data::DateTime(dt) => {
                        ws.write_number_with_format(r, c, dt.as_f64(), &date)
                            .unwrap();
                    }
                    other => {
                        ws.write_string(r, c, other.to_string()).unwrap();
                    }
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// The text of a spreadsheet cell ("" when empty; whole numbers without ".0").
pub fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

/// A date as officials write it: 2020年12月9日.
pub fn official_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The character an XML entity reference (`lt`, `#20320`, `#x4F60`) stands for.
fn entity(name: &str) -> String {
    match name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()
            } else {
                name.strip_prefix('#').and_then(|d| d.parse().ok())
            };
            code.and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        }
    }
}

/// The paragraphs of a DOCX body (table cells included), each as one
/// string, in document order; empty paragraphs are dropped.
pub fn docx_paragraphs(path: &Path) -> Vec<String> {
    use quick_xml::events::Event;
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    if !current.trim().is_empty() {
                        paragraphs.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
                _ => {}
            },
            Event::Text(t) if in_text => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => current.push_str(&entity(&r.xml10_content())),
            Event::Eof => break,
            _ => {}
        }
    }
    paragraphs
}

/// The text of one page of a PDF (1-based).
pub fn pdf_page_text(path: &Path, page: u32) -> String {
    pdf::page_text(path, page as usize)
}

// ---- Reading the office's documents (counts tables, sections, headings) ----

/// The PDF's text, squashed, read both by lines and by table columns, so
/// that a name wrapped inside a table cell is still found.
pub fn pdf_texts(path: &Path) -> (String, String) {
    (
        without_folios(&squash(&pdf_text(path))),
        squash(&pdf_text_by_columns(path)),
    )
}

/// Drops the page numbers (—1—) that a page break puts inside a sentence.
pub fn without_folios(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('—') {
        out.push_str(&rest[..at]);
        let after = &rest[at + '—'.len_utf8()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('—') {
            rest = &after[digits + '—'.len_utf8()..];
        } else {
            out.push('—');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

pub fn pdf_has(texts: &(String, String), needle: &str) -> bool {
    let n = squash(needle);
    texts.0.contains(&n) || texts.1.contains(&n)
}

/// The counts table (荣誉类别 | 应复查 | outcomes… | 未报结果) of a document.
pub fn counts_table(path: &Path) -> Vec<Vec<String>> {
    docx_tables(path)
        .into_iter()
        .find(|t| t.first().is_some_and(|h| h.iter().any(|c| c == "应复查")))
        .unwrap_or_else(|| panic!("{path:?} has no counts table"))
}

/// Checks a counts table against `results` (one body's, or all) and the
/// roster units due (`due`): every row adds up, every cell is the data's.
pub fn assert_counts(
    path: &Path,
    results: &[&fucha::review::ReviewResult],
    due: &[&fucha::roster::Unit],
) {
    let table = counts_table(path);
    let header = &table[0];
    let col = |label: &str| {
        header
            .iter()
            .position(|c| c == label)
            .unwrap_or_else(|| panic!("{path:?}: no column {label} in {header:?}"))
    };
    let total_col = col("应复查");
    let missing_col = col("未报结果");
    let levels: Vec<fucha::review::HonourLevel> = fucha::review::HonourLevel::ALL
        .into_iter()
        .filter(|l| due.iter().any(|u| u.level == *l))
        .collect();
    assert_eq!(
        table.len(),
        levels.len() + 2,
        "{path:?}: one row per level present plus header and 合计: {table:?}"
    );
    let mut rows: Vec<(Option<fucha::review::HonourLevel>, &Vec<String>)> = levels
        .iter()
        .map(|l| {
            let row = table
                .iter()
                .find(|r| r[0] == l.label())
                .unwrap_or_else(|| panic!("{path:?}: no row for {}", l.label()));
            (Some(*l), row)
        })
        .collect();
    rows.push((None, table.last().unwrap()));
    assert_eq!(table.last().unwrap()[0], "合计");
    for (level, row) in rows {
        let in_level = |l: fucha::review::HonourLevel| level.is_none_or(|x| x == l);
        let num = |i: usize| -> usize {
            row[i]
                .parse()
                .unwrap_or_else(|_| panic!("{path:?}: not a number: {row:?}"))
        };
        let due_here = due.iter().filter(|u| in_level(u.level)).count();
        assert_eq!(num(total_col), due_here, "{path:?}: 应复查 of {row:?}");
        let mut sum = num(missing_col);
        for outcome in fucha::review::Outcome::ALL {
            let expected = results
                .iter()
                .filter(|r| in_level(r.level) && r.outcome == outcome)
                .count();
            assert_eq!(
                num(col(outcome.label())),
                expected,
                "{path:?}: {} in {row:?}",
                outcome.label()
            );
            sum += expected;
        }
        assert_eq!(sum, due_here, "{path:?}: row {row:?} does not add up");
    }
}

/// The paragraphs from the one starting with `from` (exclusive) to the first
/// after it that satisfies `end`.
pub fn section<'a>(paras: &'a [String], from: &str, end: impl Fn(&str) -> bool) -> &'a [String] {
    let start = paras
        .iter()
        .position(|p| p.contains(from))
        .unwrap_or_else(|| panic!("no paragraph {from}: {paras:#?}"))
        + 1;
    let len = paras[start..]
        .iter()
        .position(|p| end(p))
        .unwrap_or(paras.len() - start);
    &paras[start..start + len]
}

/// A level-1 heading: 一、 二、 …
pub fn is_level1(p: &str) -> bool {
    let mut chars = p.chars();
    let first = chars.next();
    first.is_some_and(|c| "一二三四五六七八九十".contains(c))
        && p.chars().take(4).any(|c| c == '、')
}

/// A level-2 heading's text without its number: （一）X → X.
pub fn level2_text(p: &str) -> Option<&str> {
    let rest = p.strip_prefix('（')?;
    let close = rest.find('）')?;
    let number = &rest[..close];
    (!number.is_empty() && number.chars().all(|c| "一二三四五六七八九十".contains(c)))
        .then(|| &rest[close + '）'.len_utf8()..])
}
