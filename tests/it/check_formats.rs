//! The formats counties send besides xlsx: committed fixtures converted once
//! from a generated workbook (岳阳县.xls, 岳阳县.ods: four units, one bad date
//! at F6) and a GBK CSV saved the way Excel saves it (华容县.csv: a title
//! line, then the header, then two units, a score of 105 at H4).

use crate::check_common;

use check_common::*;
use fucha::check::check_paths;
use fucha::diag::Code;
use fucha::ingest::{self, CellValue, Format};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn check_yueyang_fixture(name: &str, format: Format) {
    let path = fixture(name);
    assert_eq!(ingest::read_workbook(&path).unwrap().format, format);
    let batch = check_paths(&[path], &roster(), &campaign());
    assert_nothing_lost(&batch);
    let f = &batch.files[0];
    assert_eq!(f.jurisdiction.as_deref(), Some("岳阳县"));
    assert_eq!((f.rows, f.accepted, f.rejected), (4, 3, 1));
    let d = only(&batch, Code::InvalidDate);
    assert_eq!(
        (d.sheet.as_deref(), cell_of(d).as_str()),
        (Some("复查情况"), "F6")
    );
    let tax = batch
        .results
        .iter()
        .find(|r| r.unit == "国家税务总局岳阳县税务局")
        .unwrap();
    assert_eq!(tax.review_date.to_string(), "2020-07-20");
    let court = &batch.results[0];
    assert_eq!(court.unit, "岳阳县人民法院");
    assert_eq!(court.review_date.to_string(), "2020-07-15");
    assert_eq!(court.score, 92.5);
}

#[test]
fn an_xls_workbook_is_checked_like_xlsx() {
    check_yueyang_fixture("岳阳县.xls", Format::Xls);
}

#[test]
fn an_ods_workbook_is_checked_like_xlsx() {
    check_yueyang_fixture("岳阳县.ods", Format::Ods);
}

#[test]
fn a_gbk_csv_is_decoded_and_checked() {
    let path = fixture("华容县.csv");
    assert!(
        std::str::from_utf8(&std::fs::read(&path).unwrap()).is_err(),
        "fixture is GBK"
    );
    let batch = check_paths(&[path], &roster(), &campaign());
    assert_nothing_lost(&batch);
    let f = &batch.files[0];
    assert_eq!(f.jurisdiction.as_deref(), Some("华容县"));
    assert_eq!((f.rows, f.accepted, f.rejected), (2, 1, 1));
    let d = only(&batch, Code::ScoreOutOfRange);
    assert_eq!(cell_of(d), "H4");
    assert_eq!(d.unit.as_deref(), Some("华容县人民法院"));
    let r = &batch.results[0];
    assert_eq!(r.unit, "华容县人民检察院");
    assert_eq!(r.satisfaction, Some(97.0));
    assert_eq!(r.review_date.to_string(), "2020-07-16");
}

#[test]
fn positions_are_absolute_when_the_data_does_not_start_at_a1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("岳阳县.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("复查情况").unwrap();
    let roster = roster();
    let mut row = good_row(&roster, "岳阳县人民法院");
    row[col::DATE] = s("2020-02-30");
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(4, c as u16 + 2, *h).unwrap();
    }
    for (c, v) in row.iter().enumerate() {
        write_v(ws, 5, c as u16 + 2, v, &date);
    }
    wb.save(&path).unwrap();
    let sheet = &ingest::read_workbook(&path).unwrap().sheets[0];
    assert_eq!(sheet.rows[0].index, 4);
    assert_eq!(sheet.rows[0].cells[0].col, 2);
    assert_eq!(sheet.rows[0].get(3), &CellValue::Text("单位名称".into()));
    let batch = check_paths(&[path], &roster, &campaign());
    assert_eq!(cell_of(only(&batch, Code::InvalidDate)), "H6");
}
