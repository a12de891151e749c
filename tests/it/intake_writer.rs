//! The intake workbook writer: the blank workbook sent out, its locking and
//! data validation, filled values read back, determinism, refusals.

use crate::intake_support;

use calamine::Data;
use chrono::NaiveDate;
use fucha::intake::{
    FilledRow, IntakeError, ReformNote, Submission, intake_workbook,
    intake_workbook_with_submission,
};
use fucha::review::{Method, Outcome};
use intake_support::{
    campaign, col, date, package_part, roster_from_file, sheet_grid, sheet_names, text,
};

const HEADER: [&str; 16] = [
    "序号",
    "单位名称",
    "荣誉类别",
    "命名年度",
    "所属县市区",
    "复查日期",
    "复查方式",
    "测评得分",
    "群众满意度(%)",
    "负面清单情形",
    "存在问题",
    "整改意见",
    "复查结论",
    "是否涉及机构改革",
    "机构改革情况说明",
    "备注",
];

fn blank(body: &str) -> Vec<u8> {
    intake_workbook(&roster_from_file(), body, &campaign(), &[]).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, m, d).unwrap()
}

#[test]
fn blank_workbook_has_a_title_the_header_and_the_due_units_prefilled() {
    let bytes = blank("岳阳县");
    assert_eq!(
        sheet_names(&bytes),
        ["复查情况", "机构改革情况说明", "报送信息", "填报说明"]
    );
    let grid = sheet_grid(&bytes, "复查情况");
    assert!(
        text(&grid[0][0]).contains("岳阳县"),
        "title row above the header"
    );
    assert!(text(&grid[0][0]).contains("2020年"));
    assert_eq!(grid[1].iter().map(text).collect::<Vec<_>>(), HEADER);

    let roster = roster_from_file();
    let due: Vec<&str> = roster.units_of("岳阳县").map(|u| u.name.as_str()).collect();
    let rows = &grid[2..];
    assert_eq!(rows.len(), due.len());
    for (i, (row, name)) in rows.iter().zip(&due).enumerate() {
        assert_eq!(text(&row[0]), (i + 1).to_string());
        assert_eq!(text(&row[1]), *name);
        assert_eq!(text(&row[4]), "岳阳县");
        // Everything the clerk fills in is still empty.
        for c in 5..=12 {
            assert_eq!(row.get(c).cloned().unwrap_or(Data::Empty), Data::Empty);
        }
    }
    // The reformed unit is pre-listed on the reform sheet.
    let reform = sheet_grid(&bytes, "机构改革情况说明");
    assert_eq!(text(&reform[0][0]), "单位名称");
    assert_eq!(text(&reform[0][1]), "改革情况说明");
    let listed: Vec<String> = reform[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(listed, ["国家税务总局岳阳县税务局", "岳阳县教育体育局"]);
    // The sending body is pre-filled.
    let info = sheet_grid(&bytes, "报送信息");
    assert_eq!(text(&info[1][0]), "岳阳县");
    // Plain instructions naming the deadline.
    let help = sheet_grid(&bytes, "填报说明");
    let all: String = help.iter().map(|r| text(&r[0])).collect();
    assert!(all.contains("2020年10月15日") && all.contains("问卷调查"));
}

#[test]
fn open_columns_carry_data_validation() {
    let sheet = package_part(&blank("市直"), "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<dataValidations"));
    let count = sheet.matches("<dataValidation ").count();
    assert!(count >= 8, "{count} validations");
    // 复查结论 drop-down with every outcome.
    assert!(sheet.contains("type=\"list\""));
    assert!(sheet.contains("复查合格,约谈警告,限期整改,通报批评,黄牌警告,撤销荣誉称号"));
    // 复查方式 drop-down of combinations; 是/否.
    assert!(sheet.contains("实地察看、听取汇报、材料审核、问卷调查,"));
    assert!(sheet.contains("\"是,否\""));
    // Date rule within the campaign year (serials of 2020-01-01 and 2020-12-31).
    assert!(sheet.contains("type=\"date\""));
    assert!(sheet.contains("<formula1>43831</formula1><formula2>44196</formula2>"));
    // Score and satisfaction 0-100.
    assert_eq!(sheet.matches("type=\"decimal\"").count(), 2);
    assert!(sheet.contains("<formula1>0</formula1><formula2>100</formula2>"));
}

/// Whether each cellXfs style is unlocked, by style index.
fn unlocked_styles(styles: &str) -> Vec<bool> {
    let start = styles.find("<cellXfs").unwrap();
    let end = styles[start..].find("</cellXfs>").unwrap() + start;
    styles[start..end]
        .split("<xf ")
        .skip(1)
        .map(|xf| xf.contains("locked=\"0\""))
        .collect()
}

/// The style index of a cell in a sheet's XML.
fn cell_style(sheet: &str, cell: &str) -> usize {
    let at = sheet
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("{cell}"));
    let rest = &sheet[at..];
    let tag_end = rest.find('>').unwrap();
    let tag = &rest[..tag_end];
    tag.split("s=\"")
        .nth(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .unwrap_or(0)
}

#[test]
fn prefilled_cells_are_locked_and_the_rest_open_under_protection() {
    let roster = roster_from_file();
    let filled = [FilledRow {
        unit: "岳阳县人民法院".into(),
        review_date: Some(day(7, 15)),
        methods: vec![Method::OnSite, Method::Survey],
        score: Some(91.5),
        satisfaction: Some(93.0),
        outcome: Some(Outcome::Pass),
        ..FilledRow::default()
    }];
    let bytes = intake_workbook(&roster, "岳阳县", &campaign(), &filled).unwrap();
    let sheet = package_part(&bytes, "xl/worksheets/sheet1.xml");
    let unlocked = unlocked_styles(&package_part(&bytes, "xl/styles.xml"));
    assert!(sheet.contains("<sheetProtection"), "sheet protection on");
    // Row 3 is the first unit: A-E and N locked.
    for cell in ["A3", "B3", "C3", "D3", "E3", "N3", "B2", "F2"] {
        assert!(!unlocked[cell_style(&sheet, cell)], "{cell} locked");
    }
    // The filled row is open.
    let grid = sheet_grid(&bytes, "复查情况");
    let r = 1 + grid
        .iter()
        .position(|row| text(&row[1]) == "岳阳县人民法院")
        .unwrap();
    for c in ["F", "G", "H", "I", "M"] {
        let cell = format!("{c}{r}");
        assert!(unlocked[cell_style(&sheet, &cell)], "{cell} unlocked");
    }
    // Empty open cells take their column's unlocked style.
    let col_f = sheet.split("<col min=\"6\"").nth(1).unwrap();
    let style: usize = col_f
        .split("style=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(unlocked[style]);
    // The other sheets are protected too, except the instructions.
    for part in ["sheet2", "sheet3"] {
        assert!(
            package_part(&bytes, &format!("xl/worksheets/{part}.xml")).contains("<sheetProtection")
        );
    }
}

#[test]
fn dates_are_written_as_yyyy_mm_dd_date_cells() {
    let bytes = intake_workbook(
        &roster_from_file(),
        "岳阳县",
        &campaign(),
        &[FilledRow {
            unit: "岳阳县人民法院".into(),
            review_date: Some(day(7, 15)),
            ..FilledRow::default()
        }],
    )
    .unwrap();
    assert!(package_part(&bytes, "xl/styles.xml").contains("formatCode=\"yyyy-mm-dd\""));
    let grid = sheet_grid(&bytes, "复查情况");
    let row = grid
        .iter()
        .find(|r| text(&r[1]) == "岳阳县人民法院")
        .unwrap();
    let cell = &row[col(&grid[1], "复查日期")];
    assert!(matches!(cell, Data::DateTime(_)), "{cell:?}");
    assert_eq!(date(cell), Some(day(7, 15)));
}

#[test]
fn filled_values_read_back_as_typed() {
    let roster = roster_from_file();
    let rows = [
        FilledRow {
            unit: "国家税务总局岳阳县税务局".into(),
            review_date: Some(day(7, 8)),
            methods: vec![Method::OnSite, Method::Hearing, Method::Survey],
            score: Some(88.5),
            satisfaction: Some(90.5),
            problems: "档案不全".into(),
            rectification: "补齐档案".into(),
            outcome: Some(Outcome::Rectify),
            reform_note: Some(ReformNote::InSheet("两局合并组建新局".into())),
            remarks: "已约谈".into(),
            ..FilledRow::default()
        },
        FilledRow {
            // An alias finds the unit too.
            unit: "岳阳县烟草专卖局".into(),
            reform_note: Some(ReformNote::InColumn("无变化".into())),
            negative_list: "发生安全事故".into(),
            ..FilledRow::default()
        },
    ];
    let submission = Submission {
        contact: "张伟".into(),
        phone: "0730-7622315".into(),
        date: day(10, 13),
    };
    let bytes =
        intake_workbook_with_submission(&roster, "岳阳县", &campaign(), &rows, Some(&submission))
            .unwrap();
    let grid = sheet_grid(&bytes, "复查情况");
    let h = &grid[1];
    let row_of = |name: &str| grid.iter().find(|r| text(&r[1]) == name).unwrap();
    let tax = row_of("国家税务总局岳阳县税务局");
    let cell = |r: &Vec<Data>, l: &str| text(&r[col(h, l)]);
    assert_eq!(cell(tax, "复查方式"), "实地察看、听取汇报、问卷调查");
    assert_eq!(cell(tax, "测评得分"), "88.5");
    assert_eq!(cell(tax, "群众满意度(%)"), "90.5");
    assert_eq!(cell(tax, "复查结论"), "限期整改");
    assert_eq!(cell(tax, "存在问题"), "档案不全");
    assert_eq!(cell(tax, "整改意见"), "补齐档案");
    assert_eq!(cell(tax, "备注"), "已约谈");
    assert_eq!(
        cell(tax, "机构改革情况说明"),
        "",
        "written on the reform sheet"
    );
    let tobacco = row_of("岳阳县烟草专卖局（分公司）");
    assert_eq!(cell(tobacco, "负面清单情形"), "发生安全事故");
    assert_eq!(cell(tobacco, "机构改革情况说明"), "无变化");
    assert_eq!(cell(tobacco, "复查结论"), "");

    let reform = sheet_grid(&bytes, "机构改革情况说明");
    let tax_note = reform
        .iter()
        .find(|r| text(&r[0]) == "国家税务总局岳阳县税务局")
        .unwrap();
    assert_eq!(text(&tax_note[1]), "两局合并组建新局");

    let info = sheet_grid(&bytes, "报送信息");
    assert_eq!(
        info[1][..3].iter().map(text).collect::<Vec<_>>(),
        ["岳阳县", "张伟", "0730-7622315"]
    );
    assert_eq!(date(&info[1][3]), Some(day(10, 13)));
}

#[test]
fn same_input_gives_identical_bytes_with_the_campaign_date() {
    let roster = roster_from_file();
    let rows = [FilledRow {
        unit: "岳阳市财政局".into(),
        review_date: Some(day(7, 9)),
        score: Some(95.0),
        outcome: Some(Outcome::Pass),
        ..FilledRow::default()
    }];
    let a = intake_workbook(&roster, "市直", &campaign(), &rows).unwrap();
    let b = intake_workbook(&roster, "市直", &campaign(), &rows).unwrap();
    assert!(a == b, "byte-identical");
    let core = package_part(&a, "docProps/core.xml");
    assert!(core.contains("2020-11-06T00:00:00Z"), "{core}");
    assert_ne!(a, blank("市直"), "the filled rows are in the bytes");
}

#[test]
fn writer_refuses_bodies_without_units_and_rows_it_cannot_place() {
    let roster = roster_from_file();
    let c = campaign();
    assert!(matches!(
        intake_workbook(&roster, "岳阳市", &c, &[]),
        Err(IntakeError::NoDueUnits { .. })
    ));
    let row = |unit: &str| FilledRow {
        unit: unit.into(),
        ..FilledRow::default()
    };
    let err = intake_workbook(&roster, "岳阳县", &c, &[row("岳阳市财政局")]).unwrap_err();
    assert!(matches!(err, IntakeError::UnknownUnit { .. }));
    assert!(err.to_string().contains("岳阳市财政局"));
    assert!(matches!(
        intake_workbook(
            &roster,
            "岳阳县",
            &c,
            &[row("岳阳县林业局"), row("岳阳县林业局")]
        ),
        Err(IntakeError::DuplicateRow { .. })
    ));
}

#[test]
fn blank_workbooks_go_to_every_body_with_due_units_only() {
    use fucha::intake::blank_intake_workbooks;
    use fucha::review::HonourLevel;
    use fucha::roster::{Roster, Unit};
    let mut units = roster_from_file().units().to_vec();
    // A body whose only unit holds a city honour, not due in 2020.
    units.push(Unit {
        name: "某某市级文明单位".into(),
        aliases: vec![],
        level: HonourLevel::City,
        award_year: 2019,
        jurisdiction: "某新区".into(),
        reform: false,
        remarks: String::new(),
    });
    let roster = Roster::from_units(units);
    let books = blank_intake_workbooks(&roster, &campaign()).unwrap();
    let bodies: Vec<&str> = books.iter().map(|(b, _)| b.as_str()).collect();
    assert_eq!(bodies.len(), 13);
    assert!(!bodies.contains(&"某新区"));
    let total: usize = books
        .iter()
        .map(|(_, bytes)| sheet_grid(bytes, "复查情况").len() - 2)
        .sum();
    assert_eq!(total, 111);
}
