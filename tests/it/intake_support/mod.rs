//! Helpers shared by the intake tests: reading the generated workbooks back
//! with calamine (as `check` will) and looking inside the xlsx package.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use fucha::campaign::Campaign;
use fucha::review::HonourLevel;
use fucha::roster::{Roster, Unit};
use std::io::{Cursor, Read};
use std::path::PathBuf;

/// The committed default data.
pub fn input_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input")
}

pub fn campaign() -> Campaign {
    Campaign::load(&input_dir().join("fucha.toml")).expect("input/fucha.toml loads")
}

/// A sheet as a grid of cells from A1, whatever the used range's start.
pub fn sheet_grid(bytes: &[u8], sheet: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx opens");
    let range = book.worksheet_range(sheet).expect("sheet exists");
    let Some((r0, c0)) = range.start() else {
        return Vec::new();
    };
    let (r1, c1) = range.end().expect("non-empty range has an end");
    (0..=r1)
        .map(|r| {
            (0..=c1)
                .map(|c| {
                    if r < r0 || c < c0 {
                        Data::Empty
                    } else {
                        range.get_value((r, c)).cloned().unwrap_or(Data::Empty)
                    }
                })
                .collect()
        })
        .collect()
}

pub fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx opens");
    book.sheet_names()
}

/// The text of a cell ("" when empty; numbers without a trailing .0).
pub fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

/// A date cell as a date (Excel serial days from 1899-12-30).
pub fn date(cell: &Data) -> Option<NaiveDate> {
    let serial = match cell {
        Data::DateTime(dt) => dt.as_f64(),
        Data::Float(f) => *f,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial as u64))
}

/// Column index of a header label in a header row.
pub fn col(header: &[Data], label: &str) -> usize {
    header
        .iter()
        .position(|c| text(c) == label)
        .unwrap_or_else(|| panic!("no column {label}"))
}

/// The roster file, read back by its header labels.
pub fn roster_from_file() -> Roster {
    let bytes = std::fs::read(input_dir().join("复查单位名单.xlsx")).expect("roster file");
    let grid = sheet_grid(&bytes, "复查单位名单");
    let header = &grid[0];
    let [name, aliases, level, year, body, reform, remarks] = [
        "单位名称",
        "别名",
        "荣誉类别",
        "命名年度",
        "所属县市区",
        "是否涉及机构改革",
        "备注",
    ]
    .map(|l| col(header, l));
    let units = grid[1..]
        .iter()
        .map(|row| Unit {
            name: text(&row[name]),
            aliases: text(&row[aliases])
                .split('、')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            level: HonourLevel::parse(&text(&row[level])).expect("known level"),
            award_year: text(&row[year]).parse().expect("year"),
            jurisdiction: text(&row[body]),
            reform: match text(&row[reform]).as_str() {
                "是" => true,
                "否" => false,
                other => panic!("reform flag {other}"),
            },
            remarks: text(&row[remarks]),
        })
        .collect();
    Roster::from_units(units)
}

/// One part of the xlsx package, as text.
pub fn package_part(bytes: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    let mut file = zip
        .by_name(part)
        .unwrap_or_else(|_| panic!("no part {part}"));
    let mut out = String::new();
    file.read_to_string(&mut out).expect("utf-8 part");
    out
}
