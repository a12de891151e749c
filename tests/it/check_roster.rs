//! Loading the roster workbook the office edits, and its errors (file, sheet
//! and cell, in Chinese).

use crate::check_common;

use check_common::*;
use fucha::check::check_paths;
use fucha::review::HonourLevel;
use fucha::roster::{Roster, RosterError};
use rust_xlsxwriter::Workbook;
use std::path::Path;

/// A roster sheet: a title row, a blank row, then the header (columns in a
/// different order from the documentation) and the units.
fn write_roster(path: &Path, header: &[&str], rows: &[&[&str]]) {
    let mut wb = Workbook::new();
    let hidden = wb.add_worksheet();
    hidden.set_name("旧名单").unwrap();
    hidden.write_string(0, 0, "作废").unwrap();
    hidden.set_hidden(true);
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    // Excel keeps the active tab visible; the roster tab is the active one.
    ws.set_active(true);
    ws.write_string(0, 0, "2020年复查单位名单").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Ok(n) = v.parse::<f64>() {
                ws.write_number(3 + r as u32, c as u16, n).unwrap();
            } else {
                ws.write_string(3 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

const HEADER_ROW_LABELS: [&str; 7] = [
    "所属县市区",
    "单位名称",
    "别名",
    "荣誉类别",
    "命名年度",
    "是否涉及机构改革",
    "备注",
];

#[test]
fn the_roster_loads_from_its_first_visible_sheet_with_aliases_and_reform_flags() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("复查单位名单.xlsx");
    write_roster(
        &p,
        &HEADER_ROW_LABELS,
        &[
            &[
                "市直",
                "市中医院",
                "岳阳市中医医院、岳阳市中医院",
                "省级文明单位",
                "2014",
                "否",
                "",
            ],
            &[
                "岳阳县",
                "国家税务总局岳阳县税务局",
                "",
                "省级文明标兵单位",
                "2016年",
                "是",
                "2018年国地税合并",
            ],
        ],
    );
    let roster = Roster::load(&p).unwrap();
    assert_eq!(roster.units().len(), 2);
    let u = roster.lookup("岳阳市中医院").unwrap();
    assert_eq!(u.name, "市中医院");
    assert_eq!(u.aliases, ["岳阳市中医医院", "岳阳市中医院"]);
    assert_eq!((u.level, u.award_year), (HonourLevel::Provincial, 2014));
    let tax = &roster.units()[1];
    assert!(tax.reform);
    assert_eq!(tax.award_year, 2016);
    assert_eq!(tax.remarks, "2018年国地税合并");
    assert_eq!(roster.jurisdictions(), ["市直", "岳阳县"]);
    assert_eq!(roster.source(), Some(p.as_path()));
}

#[test]
fn bad_cells_are_named_with_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("名单.xlsx");
    write_roster(
        &p,
        &HEADER_ROW_LABELS,
        &[
            &["市直", "市中医院", "", "省文明", "2014", "否", ""],
            &[
                "",
                "岳阳市财政局",
                "",
                "全国文明单位",
                "二〇一七",
                "也许",
                "",
            ],
        ],
    );
    let err = Roster::load(&p).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, RosterError::Invalid { ref problems, .. } if problems.len() == 4),
        "{msg}"
    );
    assert!(msg.contains("名单!D4：荣誉类别“省文明”无法识别"), "{msg}");
    assert!(msg.contains("名单!A5：所属县市区为空"), "{msg}");
    assert!(msg.contains("名单!E5：命名年度“二〇一七”不是年份"), "{msg}");
    assert!(msg.contains("名单!F5"), "{msg}");
    assert!(msg.contains(&p.display().to_string()));
}

#[test]
fn a_missing_column_or_header_or_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("名单.xlsx");
    write_roster(
        &p,
        &["单位名称", "荣誉类别", "命名年度"],
        &[&["市中医院", "省级文明单位", "2014"]],
    );
    let msg = Roster::load(&p).unwrap_err().to_string();
    assert!(msg.contains("缺少“所属县市区”列（表头在第3行）"), "{msg}");

    write_roster(&p, &["甲", "乙"], &[&["市中医院", "省级文明单位"]]);
    let msg = Roster::load(&p).unwrap_err().to_string();
    assert!(msg.contains("找不到表头行"), "{msg}");

    let msg = Roster::load(&dir.path().join("没有.xlsx"))
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("无法读取复查单位名单"), "{msg}");
}

#[test]
fn a_folder_walk_skips_the_roster_itself() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("复查单位名单.xlsx");
    write_roster(
        &p,
        &HEADER_ROW_LABELS,
        &[&[
            "岳阳县",
            "岳阳县人民法院",
            "",
            "全国文明单位",
            "2017",
            "否",
            "",
        ]],
    );
    let roster = Roster::load(&p).unwrap();
    let mut intake = Intake::new(vec![good_row(&roster, "岳阳县人民法院")]);
    intake.rows[0][col::REFORM] = s("否");
    intake.write(&dir.path().join("岳阳县.xlsx"));
    let batch = check_paths(&[dir.path().to_path_buf()], &roster, &campaign());
    assert_eq!(batch.files.len(), 1);
    assert!(batch.diagnostics.is_empty(), "{:#?}", batch.diagnostics);
}
