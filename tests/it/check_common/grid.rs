//! Sheets as cells plus merged areas, written the same way to xlsx
//! (rust_xlsxwriter); to xlsb, xls and ods as minimal files written by hand
//! with the records and parts calamine reads, merged cells included; and to
//! csv (merges dropped, as a CSV export drops them). The layouts county files really use are built on it:
//! a two-row header, the data split over two sheets, cells merged down
//! across data rows.

use super::{HEADER, HEADER_ROW, V, col, write_v};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One sheet: values by (row, column), merged areas (r0, c0, r1, c1).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub cells: BTreeMap<(u32, u16), V>,
    pub merges: Vec<(u32, u16, u32, u16)>,
    /// The first data row (below the header).
    pub data_start: u32,
}

impl Grid {
    pub fn new(name: &str) -> Grid {
        Grid {
            name: name.into(),
            ..Grid::default()
        }
    }

    pub fn set(&mut self, r: u32, c: u16, v: V) {
        self.cells.insert((r, c), v);
    }

    /// Merges an area, keeping only the anchor's value (as Excel does).
    pub fn merge(&mut self, r0: u32, c0: u16, r1: u32, c1: u16) {
        self.cells.retain(|&(r, c), _| {
            !((r0..=r1).contains(&r) && (c0..=c1).contains(&c)) || (r, c) == (r0, c0)
        });
        self.merges.push((r0, c0, r1, c1));
    }

    /// The template's layout: title merged over row 1, the header in row 3,
    /// one row per unit below.
    pub fn plain(name: &str, rows: &[Vec<V>]) -> Grid {
        let mut g = Grid::new(name);
        g.title();
        for (c, h) in HEADER.iter().enumerate() {
            g.set(HEADER_ROW, c as u16, super::s(h));
        }
        g.data_start = HEADER_ROW + 1;
        g.data(rows);
        g
    }

    /// A two-row header: 复查情况 merged across 复查日期…复查结论 with their
    /// labels in the row below; every other label merged down over both rows.
    pub fn two_row_header(name: &str, rows: &[Vec<V>]) -> Grid {
        let mut g = Grid::new(name);
        g.title();
        let group = col::DATE as u16..=col::OUTCOME as u16;
        for (c, h) in HEADER.iter().enumerate() {
            let c = c as u16;
            if group.contains(&c) {
                g.set(HEADER_ROW + 1, c, super::s(h));
            } else {
                g.set(HEADER_ROW, c, super::s(h));
                g.merge(HEADER_ROW, c, HEADER_ROW + 1, c);
            }
        }
        g.set(HEADER_ROW, *group.start(), super::s("复查情况"));
        g.merge(HEADER_ROW, *group.start(), HEADER_ROW, *group.end());
        g.data_start = HEADER_ROW + 2;
        g.data(rows);
        g
    }

    fn title(&mut self) {
        self.set(0, 0, super::s("岳阳县2020年文明单位复查情况表"));
        self.merge(0, 0, 0, HEADER.len() as u16 - 1);
    }

    fn data(&mut self, rows: &[Vec<V>]) {
        let first = self.data_start;
        for (i, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if *v != V::Blank && *v != V::S(String::new()) {
                    self.set(first + i as u32, c as u16, v.clone());
                }
            }
        }
    }

    /// Merges a column down over data rows `from..=to` (0-based offsets
    /// from the first data row), as a clerk merges equal values.
    pub fn merge_down(&mut self, column: usize, from: u32, to: u32) {
        let first = self.data_start;
        self.merge(first + from, column as u16, first + to, column as u16);
    }
}

/// Writes the sheets as an xlsx workbook.
pub fn write_xlsx(path: &Path, sheets: &[Grid]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let plain = rust_xlsxwriter::Format::new();
    for g in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&g.name).unwrap();
        for &(r0, c0, r1, c1) in &g.merges {
            ws.merge_range(r0, c0, r1, c1, "", &plain).unwrap();
        }
        // The anchor of a merged area is written over the merge, which is
        // how rust_xlsxwriter puts a number or a date in one.
        for (&(r, c), v) in &g.cells {
            write_v(ws, r, c, v, &date);
        }
    }
    wb.save(path).unwrap();
}

/// Writes the sheets as a minimal ODS package with real merged cells
/// (`table:number-rows-spanned`, `table:covered-table-cell`).
pub fn write_ods(path: &Path, sheets: &[Grid]) {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for g in sheets {
        xml += &format!(r#"<table:table table:name="{}">"#, escape(&g.name));
        let last_row = g
            .cells
            .keys()
            .map(|k| k.0)
            .chain(g.merges.iter().map(|m| m.2))
            .max()
            .unwrap_or(0);
        let last_col = g
            .cells
            .keys()
            .map(|k| k.1)
            .chain(g.merges.iter().map(|m| m.3))
            .max()
            .unwrap_or(0);
        for r in 0..=last_row {
            xml += "<table:table-row>";
            for c in 0..=last_col {
                let anchor = g.merges.iter().find(|m| (m.0, m.1) == (r, c));
                let covered = g.merges.iter().any(|m| {
                    (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c) && (m.0, m.1) != (r, c)
                });
                if covered {
                    xml += "<table:covered-table-cell/>";
                    continue;
                }
                let span = anchor.map_or(String::new(), |m| {
                    format!(
                        r#" table:number-rows-spanned="{}" table:number-columns-spanned="{}""#,
                        m.2 - m.0 + 1,
                        m.3 - m.1 + 1
                    )
                });
                xml += &match g.cells.get(&(r, c)) {
                    Some(V::S(t)) if !t.is_empty() => format!(
                        r#"<table:table-cell{span} office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        escape(t)
                    ),
                    Some(V::N(n)) => format!(
                        r#"<table:table-cell{span} office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                    ),
                    Some(V::D(y, m, d)) => format!(
                        r#"<table:table-cell{span} office:value-type="date" office:date-value="{y:04}-{m:02}-{d:02}"><text:p>{y}-{m}-{d}</text:p></table:table-cell>"#
                    ),
                    _ => format!("<table:table-cell{span}/>"),
                };
            }
            xml += "</table:table-row>";
        }
        xml += "</table:table>";
    }
    xml += "</office:spreadsheet></office:body></office:document-content>";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// Writes one sheet as UTF-8 CSV; merged areas keep only their anchor.
pub fn write_csv(path: &Path, g: &Grid) {
    let last_row = g.cells.keys().map(|k| k.0).max().unwrap_or(0);
    let last_col = g.cells.keys().map(|k| k.1).max().unwrap_or(0);
    let mut out = String::new();
    for r in 0..=last_row {
        let fields: Vec<String> = (0..=last_col)
            .map(|c| match g.cells.get(&(r, c)) {
                Some(V::S(t)) => format!("\"{}\"", t.replace('"', "\"\"")),
                Some(V::N(n)) => n.to_string(),
                Some(V::D(y, m, d)) => format!("{y:04}-{m:02}-{d:02}"),
                _ => String::new(),
            })
            .collect();
        out += &fields.join(",");
        out += "\n";
    }
    std::fs::write(path, out).unwrap();
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes the sheets as a minimal xlsb package (no styles, no shared
/// strings: text cells inline, dates as serial numbers, which the intake
/// contract accepts) with its merged areas as BrtMergeCell records.
// Long on purpose: the BIFF12 records in the order the format requires,
// readable top to bottom against the spec.
pub fn write_xlsb(path: &Path, sheets: &[Grid]) {
    fn record(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
        if kind < 0x80 {
            out.push(kind as u8);
        } else {
            out.push((kind & 0x7F) as u8 | 0x80);
            out.push((kind >> 7) as u8);
        }
        let mut len = body.len();
        loop {
            let b = (len & 0x7F) as u8;
            len >>= 7;
            if len == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
        out.extend_from_slice(body);
    }
    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut out = (units.len() as u32).to_le_bytes().to_vec();
        for u in units {
            out.extend(u.to_le_bytes());
        }
        out
    }
    let u32s = |v: &[u32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();

    let mut workbook = Vec::new();
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts = Vec::new();
    for (i, g) in sheets.iter().enumerate() {
        let rel = format!("rId{}", i + 1);
        let mut body = u32s(&[0, i as u32 + 1]);
        body.extend(wide(&rel));
        body.extend(wide(&g.name));
        record(&mut workbook, 0x009C, &body); // BrtBundleSh
        rels += &format!(
            r#"<Relationship Id="{rel}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.bin"/>"#,
            i + 1
        );

        let mut sheet = Vec::new();
        let last_row = g.cells.keys().map(|k| k.0).max().unwrap_or(0);
        let last_col = g.cells.keys().map(|k| k.1 as u32).max().unwrap_or(0);
        record(&mut sheet, 0x0094, &u32s(&[0, last_row, 0, last_col])); // BrtWsDim
        record(&mut sheet, 0x0091, &[]); // BrtBeginSheetData
        let mut row = None;
        for (&(r, c), v) in &g.cells {
            if row != Some(r) {
                record(&mut sheet, 0x0000, &u32s(&[r, 0, 0, 0, 0])); // BrtRowHdr
                row = Some(r);
            }
            let mut body = u32s(&[c as u32, 0]);
            let number = |n: f64| n.to_le_bytes().to_vec();
            match v {
                V::S(t) if !t.is_empty() => {
                    body.extend(wide(t));
                    record(&mut sheet, 0x0006, &body); // BrtCellSt
                }
                V::N(n) => {
                    body.extend(number(*n));
                    record(&mut sheet, 0x0005, &body); // BrtCellReal
                }
                V::D(y, m, d) => {
                    let date = chrono::NaiveDate::from_ymd_opt(*y as i32, *m as u32, *d as u32);
                    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                    body.extend(number((date.unwrap() - epoch).num_days() as f64));
                    record(&mut sheet, 0x0005, &body);
                }
                _ => {}
            }
        }
        record(&mut sheet, 0x0092, &[]); // BrtEndSheetData
        if !g.merges.is_empty() {
            record(&mut sheet, 0x00B1, &u32s(&[g.merges.len() as u32])); // BrtBeginMergeCells
            for &(r0, c0, r1, c1) in &g.merges {
                let area = u32s(&[r0, r1, c0 as u32, c1 as u32]);
                record(&mut sheet, 0x00B0, &area); // BrtMergeCell
            }
            record(&mut sheet, 0x00B2, &[]); // BrtEndMergeCells
        }
        parts.push((format!("xl/worksheets/sheet{}.bin", i + 1), sheet));
    }
    record(&mut workbook, 0x0090, &[]); // BrtEndBundleShs
    record(&mut workbook, 0x009D, &[]); // BrtCalcProp: the names are over
    rels += "</Relationships>";

    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("xl/workbook.bin", options).unwrap();
    zip.write_all(&workbook).unwrap();
    zip.start_file("xl/_rels/workbook.bin.rels", options)
        .unwrap();
    zip.write_all(rels.as_bytes()).unwrap();
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// Writes the sheets as a minimal BIFF8 xls (a compound file with one
/// Workbook stream: BOF, BoundSheet8 per sheet, then each sheet's Label and
/// Number cells and its MergeCells record; dates as serial numbers).
// Long on purpose: the BIFF8 records and the compound file around them, in
// the order the format requires.
pub fn write_xls(path: &Path, sheets: &[Grid]) {
    fn record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
        out.extend(kind.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        d
    };
    let utf16 = |t: &str| -> Vec<u8> { t.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let cell = |r: u32, c: u16| {
        let mut d = (r as u16).to_le_bytes().to_vec();
        d.extend(c.to_le_bytes());
        d.extend(0u16.to_le_bytes()); // ixfe
        d
    };

    let mut parts = Vec::new();
    for g in sheets {
        let mut part = Vec::new();
        record(&mut part, 0x0809, &bof(0x0010));
        for (&(r, c), v) in &g.cells {
            let mut d = cell(r, c);
            match v {
                V::S(t) if !t.is_empty() => {
                    d.extend((t.encode_utf16().count() as u16).to_le_bytes());
                    d.push(1); // fHighByte: UTF-16
                    d.extend(utf16(t));
                    record(&mut part, 0x0204, &d); // Label
                }
                V::N(n) => {
                    d.extend(n.to_le_bytes());
                    record(&mut part, 0x0203, &d); // Number
                }
                V::D(y, m, day) => {
                    let date = chrono::NaiveDate::from_ymd_opt(*y as i32, *m as u32, *day as u32);
                    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                    d.extend(((date.unwrap() - epoch).num_days() as f64).to_le_bytes());
                    record(&mut part, 0x0203, &d);
                }
                _ => {}
            }
        }
        if !g.merges.is_empty() {
            let mut d = (g.merges.len() as u16).to_le_bytes().to_vec();
            for &(r0, c0, r1, c1) in &g.merges {
                for v in [r0 as u16, r1 as u16, c0, c1] {
                    d.extend(v.to_le_bytes());
                }
            }
            record(&mut part, 0x00E5, &d); // MergeCells
        }
        record(&mut part, 0x000A, &[]); // EOF
        parts.push(part);
    }

    // The globals' length is known before the sheets' offsets are written.
    let bound_sheet = |offset: u32, name: &str| {
        let mut d = offset.to_le_bytes().to_vec();
        d.extend([0, 0]); // visible worksheet
        d.push(name.encode_utf16().count() as u8);
        d.push(1);
        d.extend(utf16(name));
        d
    };
    let mut globals_len = 4 + bof(0x0005).len() + 4;
    for g in sheets {
        globals_len += 4 + bound_sheet(0, &g.name).len();
    }
    let mut stream = Vec::new();
    record(&mut stream, 0x0809, &bof(0x0005));
    let mut offset = globals_len;
    for (g, part) in sheets.iter().zip(&parts) {
        record(&mut stream, 0x0085, &bound_sheet(offset as u32, &g.name));
        offset += part.len();
    }
    record(&mut stream, 0x000A, &[]);
    assert_eq!(stream.len(), globals_len);
    for part in parts {
        stream.extend(part);
    }
    let mut cfb = cfb::create(path).unwrap();
    cfb.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    cfb.flush().unwrap();
}
