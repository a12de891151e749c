//! The layouts county files really use, in every format they come in: a
//! two-row header (a group label merged over several columns), the data
//! split over two sheets, cells merged down across data rows. Each must give
//! exactly the accepted results of the template's plain layout.

use crate::check_common;

use check_common::grid::{Grid, write_csv, write_ods, write_xls, write_xlsb, write_xlsx};
use check_common::*;
use fucha::check::{CheckedBatch, check_paths};
use fucha::diag::{Code, RowRef};
use fucha::ingest::{self, Format};
use fucha::review::{HonourLevel, ReviewResult};
use std::path::Path;

/// 岳阳县's four units, all valid: 岳阳县人民法院 (national),
/// 国家税务总局岳阳县税务局 (provincial model, reformed), 岳阳县林业局
/// (provincial), 岳阳县烟草专卖局（分公司） (national).
fn rows() -> Vec<Vec<V>> {
    Intake::of_body(&roster(), "岳阳县").rows
}

fn check(path: &Path) -> CheckedBatch {
    let batch = check_paths(&[path.to_path_buf()], &roster(), &campaign());
    assert_nothing_lost(&batch);
    batch
}

/// The results as the documents use them: everything but where each row
/// was found, which differs between layouts by design.
fn accepted(batch: &CheckedBatch) -> Vec<ReviewResult> {
    batch
        .results
        .iter()
        .map(|r| ReviewResult {
            origin: RowRef {
                file: String::new(),
                sheet: String::new(),
                row: 0,
            },
            ..r.clone()
        })
        .collect()
}

/// Checks a file that should be read like the plain layout: no problem in
/// it at all (the other bodies' missing units name no file), four rows
/// accepted, and the very results of the plain layout.
fn assert_like_plain(path: &Path) -> CheckedBatch {
    let dir = tempfile::tempdir().unwrap();
    let plain_path = dir.path().join("岳阳县.xlsx");
    write_xlsx(&plain_path, &[Grid::plain("复查情况", &rows())]);
    let plain = check(&plain_path);
    assert_eq!(plain.results.len(), 4);

    let batch = check(path);
    let in_file: Vec<_> = batch
        .diagnostics
        .iter()
        .filter(|d| d.file.is_some())
        .collect();
    assert!(in_file.is_empty(), "{}: {in_file:#?}", path.display());
    let f = &batch.files[0];
    assert_eq!(f.jurisdiction.as_deref(), Some("岳阳县"));
    assert_eq!((f.rows, f.accepted, f.rejected), (4, 4, 0), "{f:?}");
    assert_eq!(accepted(&batch), accepted(&plain), "{}", path.display());
    batch
}

/// The sheets written as xlsx, xlsb, xls and ods into `dir`, each file named
/// for 岳阳县.
fn write_each_format(dir: &Path, sheets: &[Grid]) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let xlsx = dir.join("岳阳县.xlsx");
    write_xlsx(&xlsx, sheets);
    let xlsb = dir.join("岳阳县.xlsb");
    write_xlsb(&xlsb, sheets);
    let xls = dir.join("岳阳县.xls");
    write_xls(&xls, sheets);
    let ods = dir.join("岳阳县.ods");
    write_ods(&ods, sheets);
    for (path, format) in [
        (&xlsx, Format::Xlsx),
        (&xlsb, Format::Xlsb),
        (&xls, Format::Xls),
        (&ods, Format::Ods),
    ] {
        assert_eq!(ingest::read_workbook(path).unwrap().format, format);
    }
    vec![xlsx, xlsb, xls, ods]
}

#[test]
fn the_plain_layout_reads_the_same_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for path in write_each_format(dir.path(), &[Grid::plain("复查情况", &rows())]) {
        assert_like_plain(&path);
    }
}

#[test]
fn a_two_row_header_reads_like_the_plain_header_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let grid = Grid::two_row_header("复查情况", &rows());
    let mut paths = write_each_format(dir.path(), std::slice::from_ref(&grid));
    let csv = dir.path().join("csv/岳阳县.csv");
    std::fs::create_dir_all(csv.parent().unwrap()).unwrap();
    write_csv(&csv, &grid);
    paths.push(csv);
    for path in paths {
        let batch = assert_like_plain(&path);
        // Data starts below both header rows: row 5 in Excel's numbering.
        let first = batch.results.iter().map(|r| r.origin.row).min();
        assert_eq!(first, Some(4), "{}", path.display());
    }
}

#[test]
fn a_problem_below_a_two_row_header_points_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = rows();
    rows[0][col::DATE] = s("2020年13月1日");
    let grid = Grid::two_row_header("复查情况", &rows);
    for path in write_each_format(dir.path(), &[grid]) {
        let batch = check(&path);
        let d = only(&batch, Code::InvalidDate);
        assert_eq!(cell_of(d), "F5", "{}", path.display());
        assert!(with_code(&batch, Code::MissingColumn).is_empty());
        assert_eq!(batch.files[0].accepted, 3);
    }
}

#[test]
fn data_split_over_two_sheets_is_read_from_both() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster();
    let (first, second): (Vec<Vec<V>>, Vec<Vec<V>>) = rows().into_iter().partition(|r| {
        let u = roster.lookup(&r[col::NAME].to_string_value()).unwrap();
        u.level != HonourLevel::Provincial
    });
    assert_eq!((first.len(), second.len()), (3, 1));
    let sheets = [
        Grid::plain("第一阶段", &first),
        Grid::plain("第二阶段", &second),
    ];
    for path in write_each_format(dir.path(), &sheets) {
        let batch = assert_like_plain(&path);
        let forestry = batch
            .results
            .iter()
            .find(|r| r.unit == "岳阳县林业局")
            .unwrap();
        assert_eq!(forestry.origin.sheet, "第二阶段");
        assert_eq!(forestry.origin.row, FIRST_DATA_ROW);
    }
}

#[test]
fn a_visible_sheet_left_unread_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut notes = Grid::new("补充说明");
    notes.set(
        0,
        0,
        s("岳阳县林业局复查时单位负责人在外学习，由副局长汇报"),
    );
    let path = dir.path().join("岳阳县.xlsx");
    write_xlsx(&path, &[Grid::plain("复查情况", &rows()), notes]);
    let batch = check(&path);
    let d = only(&batch, Code::UnreadSheet);
    assert_eq!(d.sheet.as_deref(), Some("补充说明"));
    assert!(d.message.contains("补充说明"), "{}", d.message);
    assert_eq!(d.severity, fucha::diag::Severity::Warning);
    assert_eq!(batch.files[0].accepted, 4);

    // A list of units pasted beside the data has the unit columns but no
    // review: it is named, not read (its units would be duplicates).
    let roster = roster();
    let mut list = Grid::new("复查单位名单");
    for (c, label) in ["单位名称", "荣誉类别", "命名年度", "所属县市区"]
        .iter()
        .enumerate()
    {
        list.set(0, c as u16, s(label));
    }
    for (r, u) in roster.units_of("岳阳县").enumerate() {
        let r = r as u32 + 1;
        list.set(r, 0, s(&u.name));
        list.set(r, 1, s(u.level.label()));
        list.set(r, 2, V::N(u.award_year as f64));
        list.set(r, 3, s(&u.jurisdiction));
    }
    write_xlsx(&path, &[list, Grid::plain("复查情况", &rows())]);
    let batch = check(&path);
    let d = only(&batch, Code::UnreadSheet);
    assert_eq!(d.sheet.as_deref(), Some("复查单位名单"));
    assert!(with_code(&batch, Code::DuplicateUnit).is_empty());
    assert_eq!(batch.files[0].accepted, 4);
}

/// The body, the methods and the outcome merged over all four rows, the
/// date over the first two (both reviewed on 15 July).
fn merged_rows(grid: &mut Grid) {
    grid.merge_down(col::BODY, 0, 3);
    grid.merge_down(col::METHODS, 0, 3);
    grid.merge_down(col::OUTCOME, 0, 3);
    grid.merge_down(col::DATE, 0, 1);
}

#[test]
fn cells_merged_down_across_rows_are_read_into_each_row_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut plain = Grid::plain("复查情况", &rows());
    merged_rows(&mut plain);
    let mut two_rows = Grid::two_row_header("复查情况", &rows());
    merged_rows(&mut two_rows);
    for (i, grid) in [plain, two_rows].into_iter().enumerate() {
        for path in write_each_format(&dir.path().join(i.to_string()), &[grid]) {
            let batch = assert_like_plain(&path);
            assert!(with_code(&batch, Code::MissingValue).is_empty());
        }
    }
}

trait TextOf {
    fn to_string_value(&self) -> String;
}

impl TextOf for V {
    fn to_string_value(&self) -> String {
        match self {
            V::S(t) => t.clone(),
            other => panic!("not text: {other:?}"),
        }
    }
}

/// The roster is found by the same header finder: a two-row header there
/// loads like a one-row one.
#[test]
fn a_roster_with_a_two_row_header_loads() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = Grid::new("复查单位名单");
    for (c, label) in ["单位名称", "所属县市区", "是否涉及机构改革"]
        .iter()
        .enumerate()
    {
        g.set(0, c as u16, s(label));
        g.merge(0, c as u16, 1, c as u16);
    }
    g.set(0, 3, s("荣誉"));
    g.merge(0, 3, 0, 4);
    g.set(1, 3, s("荣誉类别"));
    g.set(1, 4, s("命名年度"));
    for (r, (name, level, year, reform)) in [
        ("岳阳县人民法院", "全国文明单位", 2017.0, "否"),
        ("国家税务总局岳阳县税务局", "省级文明标兵单位", 2016.0, "是"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = r as u32 + 2;
        g.set(r, 0, s(name));
        g.set(r, 1, s("岳阳县"));
        g.set(r, 2, s(reform));
        g.set(r, 3, s(level));
        g.set(r, 4, V::N(year));
    }
    let path = dir.path().join("复查单位名单.xlsx");
    write_xlsx(&path, &[g]);
    let roster = fucha::roster::Roster::load(&path).unwrap();
    let names: Vec<&str> = roster.units().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["岳阳县人民法院", "国家税务总局岳阳县税务局"]);
    let tax = roster.lookup("国家税务总局岳阳县税务局").unwrap();
    assert_eq!(
        (tax.level, tax.award_year, tax.reform),
        (HonourLevel::ProvincialModel, 2016, true)
    );
}
