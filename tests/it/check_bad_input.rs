//! The bad-input corpus, generated here: none of these may crash, hang or
//! exhaust memory; each gets a clear diagnostic and the batch goes on.

use crate::check_common;

use check_common::*;
use fucha::check::{CheckedBatch, check_paths};
use fucha::diag::Code;
use fucha::ingest::{self, IngestError};
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

fn check_one(path: &Path) -> CheckedBatch {
    let batch = check_paths(&[path.to_path_buf()], &roster(), &campaign());
    assert_nothing_lost(&batch);
    batch
}

fn unreadable_message(path: &Path) -> String {
    let batch = check_one(path);
    let d = only(&batch, Code::UnreadableFile);
    assert_eq!(d.file.as_deref(), Some(path.display().to_string().as_str()));
    assert_eq!(batch.files[0].rows, 0);
    d.message.clone()
}

/// The minimal package parts of an xlsx, around a sheet written by `sheet`.
fn write_xlsx_by_hand(path: &Path, sheet: impl FnOnce(&mut dyn Write)) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="复查情况" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    sheet(&mut zip);
    zip.finish().unwrap();
}

#[test]
fn an_empty_file_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    std::fs::write(&p, b"").unwrap();
    assert!(unreadable_message(&p).contains("空文件"));
}

#[test]
fn a_png_renamed_xlsx_is_not_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    png.extend([0u8; 64]);
    std::fs::write(&p, png).unwrap();
    assert!(unreadable_message(&p).contains("PNG 图片"));
}

#[test]
fn a_web_page_saved_as_xls_is_not_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xls");
    std::fs::write(&p, "<html><table><tr><td>单位名称</td></tr></table></html>").unwrap();
    assert!(unreadable_message(&p).contains("另存为"));
}

#[test]
fn a_truncated_workbook_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    Intake::of_body(&roster(), "岳阳县").write(&good);
    let bytes = std::fs::read(&good).unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    assert!(unreadable_message(&p).contains("损坏或不完整"));
    // Garbage after a zip signature too.
    let mut junk = b"PK\x03\x04".to_vec();
    junk.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
    std::fs::write(&p, junk).unwrap();
    assert!(unreadable_message(&p).contains("损坏或不完整"));
}

#[test]
fn a_password_protected_workbook_is_reported_as_encrypted() {
    // Office stores an encrypted xlsx as a compound file whose directory
    // names an `EncryptedPackage` stream (UTF-16 names).
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(1024, 0);
    bytes.extend("EncryptedInfo".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(1152, 0);
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(4096, 0);
    std::fs::write(&p, bytes).unwrap();
    assert!(matches!(
        ingest::read_workbook(&p),
        Err(IngestError::Encrypted { .. })
    ));
    assert!(unreadable_message(&p).contains("密码"));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    // 300 MB of zeros inflating from well under 1 MB on disk.
    write_xlsx_by_hand(&p, |w| {
        let block = vec![b' '; 1 << 20];
        for _ in 0..300 {
            w.write_all(&block).unwrap();
        }
    });
    assert!(std::fs::metadata(&p).unwrap().len() < 3_000_000);
    assert!(matches!(
        ingest::read_workbook(&p),
        Err(IngestError::ZipBomb { .. })
    ));
    assert!(unreadable_message(&p).contains("压缩炸弹"));
}

#[test]
fn a_million_row_sheet_is_cut_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    write_xlsx_by_hand(&p, |w| {
        write!(
            w,
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c><c r="B1" t="inlineStr"><is><t>荣誉类别</t></is></c><c r="C1" t="inlineStr"><is><t>复查结论</t></is></c></row>"#
        )
        .unwrap();
        for r in 2..=1_000_000u32 {
            write!(
                w,
                r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>岳阳县人民法院</t></is></c></row>"#
            )
            .unwrap();
        }
        write!(w, "</sheetData></worksheet>").unwrap();
    });
    let sheet = &ingest::read_workbook(&p).unwrap().sheets[0];
    assert!(sheet.truncated);
    assert_eq!(sheet.rows.len(), ingest::MAX_ROWS);
    let batch = check_one(&p);
    let d = only(&batch, Code::TooManyRows);
    assert!(d.message.contains("20000"));
    assert_eq!(batch.files[0].rows, ingest::MAX_ROWS - 1);
}

#[test]
fn a_million_line_csv_is_cut_too() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.csv");
    let mut text = String::from("单位名称,荣誉类别,复查结论\n");
    for _ in 0..1_000_000 {
        text.push_str("岳阳县人民法院,全国文明单位,复查合格\n");
    }
    std::fs::write(&p, text).unwrap();
    let batch = check_one(&p);
    only(&batch, Code::TooManyRows);
    assert_eq!(batch.files[0].rows, ingest::MAX_ROWS - 1);
}

#[test]
fn thirty_thousand_character_cells_are_read_and_quoted_short() {
    let roster = roster();
    let mut intake = Intake::of_body(&roster, "岳阳县");
    intake.rows[0][col::NAME] = s(&"岳".repeat(30_000));
    intake.rows[1][col::PROBLEMS] = s(&"问题".repeat(15_000));
    intake.rows[2][col::METHODS] = s(&"察".repeat(30_000));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    intake.write(&p);
    let batch = check_one(&p);
    assert_eq!(batch.files[0].rejected, 2);
    assert!(
        batch
            .diagnostics
            .iter()
            .all(|d| d.message.chars().count() < 300),
        "{:#?}",
        batch.diagnostics
    );
    assert_eq!(batch.results[0].problems.chars().count(), 30_000);
}

#[test]
fn merged_cells_across_data_rows_read_as_their_value() {
    let roster = roster();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    let intake = Intake::of_body(&roster, "岳阳县");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("复查情况").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, row) in intake.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if c != col::BODY && c != col::OUTCOME {
                write_v(ws, i as u32 + 1, c as u16, v, &date);
            }
        }
    }
    let plain = rust_xlsxwriter::Format::new();
    ws.merge_range(1, col::BODY as u16, 4, col::BODY as u16, "岳阳县", &plain)
        .unwrap();
    ws.merge_range(
        1,
        col::OUTCOME as u16,
        4,
        col::OUTCOME as u16,
        "复查合格",
        &plain,
    )
    .unwrap();
    wb.save(&p).unwrap();
    let batch = check_one(&p);
    assert!(
        batch.diagnostics.iter().all(|d| d.file.is_none()),
        "{:#?}",
        batch.diagnostics
    );
    assert_eq!(batch.files[0].accepted, 4);
}

#[test]
fn one_bad_file_does_not_stop_the_batch() {
    let roster = roster();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a坏文件.xlsx"), b"").unwrap();
    std::fs::write(dir.path().join("b图片.xlsx"), b"\x89PNG\r\n\x1a\n").unwrap();
    Intake::of_body(&roster, "岳阳县").write(&dir.path().join("c岳阳县.xlsx"));
    let batch = check_paths(&[dir.path().to_path_buf()], &roster, &campaign());
    assert_eq!(batch.files.len(), 3);
    assert_eq!(with_code(&batch, Code::UnreadableFile).len(), 2);
    assert_eq!(batch.files[2].accepted, 4);
    assert_eq!(batch.results.len(), 4);
}

#[test]
fn a_missing_path_is_an_unreadable_file() {
    let p = PathBuf::from("/nonexistent/岳阳县.xlsx");
    assert!(unreadable_message(&p).contains("无法读取"));
}

/// An ODS whose one cell repeats 16,384 times across 6,000 rows: a few
/// hundred bytes asking the reader for a grid of 98 million cells.
#[test]
fn an_ods_repeat_bomb_is_refused_before_it_is_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.ods");
    let file = std::fs::File::create(&p).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="复查情况"><table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
            .as_bytes(),
    )
    .unwrap();
    zip.finish().unwrap();
    assert!(matches!(
        ingest::read_workbook(&p),
        Err(IngestError::TooManyCells { .. })
    ));
    assert!(unreadable_message(&p).contains("单元格"));
}

/// Shared strings are held whole by the reader, so their ceiling is lower
/// than a streamed worksheet's.
#[test]
fn a_bloated_shared_strings_part_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let opts = SimpleFileOptions::default().compression_level(Some(9));
    zip.start_file("xl/workbook.xml", opts).unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    zip.start_file("xl/sharedStrings.xml", opts).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..(ingest::MAX_WHOLE_PART_BYTES >> 20) + 1 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    match ingest::read_workbook(&p) {
        Err(IngestError::ZipBomb { entry, .. }) => assert_eq!(entry, "xl/sharedStrings.xml"),
        other => panic!("expected a zip bomb, got {other:?}"),
    }
}

/// An xls with one cell at A1 and one at IV65536: six kilobytes asking the
/// reader for a dense grid of 16.7 million cells.
#[test]
fn a_sparse_xls_spanning_the_whole_sheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.xls");
    let mut cfb = cfb::create(&p).unwrap();
    let mut stream = cfb.create_stream("/Workbook").unwrap();
    let record = |kind: u16, data: &[u8]| -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    };
    let number = |row: u16, col: u16| -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(1.0f64.to_le_bytes());
        record(0x0203, &d)
    };
    let mut biff = record(0x0809, &[0u8; 16]);
    biff.extend(number(0, 0));
    biff.extend(number(65535, 255));
    biff.extend(record(0x000A, &[]));
    stream.write_all(&biff).unwrap();
    drop(stream);
    cfb.flush().unwrap();
    drop(cfb);
    assert!(matches!(
        ingest::read_workbook(&p),
        Err(IngestError::TooManyCells {
            cells: 16_777_216,
            ..
        })
    ));
    assert!(unreadable_message(&p).contains("单元格"));
}

#[test]
fn a_sheet_with_millions_of_cells_in_few_rows_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("岳阳县.csv");
    let line = vec!["1"; 16_000].join(",");
    let text: String = (0..200).map(|_| format!("{line}\n")).collect();
    std::fs::write(&p, text).unwrap();
    let sheet = &ingest::read_workbook(&p).unwrap().sheets[0];
    assert!(sheet.truncated);
    let cells: usize = sheet.rows.iter().map(|r| r.cells.len()).sum();
    assert_eq!(cells, ingest::MAX_CELLS);
}
