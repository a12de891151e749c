//! Shared helpers of the `check_*` tests: a small hand-made roster, a
//! campaign from inline TOML, and an intake workbook writer (rust_xlsxwriter)
//! laid out like the office's template:
//!
//! ```text
//!   row 1  | 2020年文明单位复查情况表 (merged A1:P1; `Intake::title`)
//!   row 2  | (blank)
//!   row 3  | 序号 | 单位名称 | 荣誉类别 | 命名年度 | 所属县市区 | 复查日期 | 复查方式 | 测评得分 |
//!          | 群众满意度(%) | 负面清单情形 | 存在问题 | 整改意见 | 复查结论 | 是否涉及机构改革 |
//!          | 机构改革情况说明 | 备注
//!   row 4… | one unit per row
//! ```

pub mod grid;

use fucha::campaign::Campaign;
use fucha::check::CheckedBatch;
use fucha::diag::{Code, Diagnostic, Severity};
use fucha::review::HonourLevel;
use fucha::roster::{Roster, Unit};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::collections::BTreeSet;
use std::path::Path;

/// The test season's `fucha.toml`, shared by every test that needs one
/// (the compose tests add their `[documents.*]` tables to it).
pub const CAMPAIGN: &str = r#"
[campaign]
year = 2020
city = "岳阳市"
committee = "岳阳市精神文明建设指导委员会"
committee_short = "岳阳市文明委"
office = "岳阳市精神文明建设指导委员会办公室"
office_short = "岳阳市文明办"
province_office = "湖南省文明办"
metadata_date = 2020-10-09
[[phases]]
name = "第一阶段"
start = 2020-07-01
end = 2020-07-31
levels = ["全国文明单位", "省级文明标兵单位"]
tasks = "复查全国文明单位和省级文明标兵单位"
[[phases]]
name = "第二阶段"
start = 2020-09-01
end = 2020-09-30
levels = ["省级文明单位"]
tasks = "复查省级文明单位"
[deadlines]
unit_report = 2020-08-20
submission = 2020-10-10
rectification_days = 30
[pass_lines]
score = 80
satisfaction = 85
[publicity]
start = 2020-11-10
end = 2020-11-16
contact = ["联系电话：0730-8251236"]
"#;

pub fn campaign() -> Campaign {
    Campaign::parse(CAMPAIGN).expect("test campaign parses")
}

fn unit(
    name: &str,
    aliases: &[&str],
    level: HonourLevel,
    year: i32,
    body: &str,
    reform: bool,
) -> Unit {
    Unit {
        name: name.into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        level,
        award_year: year,
        jurisdiction: body.into(),
        reform,
        remarks: String::new(),
    }
}

/// Four units of 岳阳县, two of 华容县, three of 市直 (one not due).
pub fn roster() -> Roster {
    use HonourLevel::*;
    Roster::from_units(vec![
        unit("岳阳县人民法院", &[], National, 2017, "岳阳县", false),
        unit(
            "国家税务总局岳阳县税务局",
            &[],
            ProvincialModel,
            2016,
            "岳阳县",
            true,
        ),
        unit("岳阳县林业局", &[], Provincial, 2018, "岳阳县", false),
        unit(
            "岳阳县烟草专卖局（分公司）",
            &[],
            National,
            2014,
            "岳阳县",
            false,
        ),
        unit(
            "华容县人民检察院",
            &[],
            ProvincialModel,
            2016,
            "华容县",
            false,
        ),
        unit("华容县人民法院", &[], Provincial, 2018, "华容县", false),
        unit(
            "市中医院",
            &["岳阳市中医医院"],
            Provincial,
            2014,
            "市直",
            false,
        ),
        unit("岳阳市财政局", &[], National, 2017, "市直", false),
        unit("岳阳市档案馆", &[], City, 2019, "市直", false),
    ])
}

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    S(String),
    N(f64),
    D(u16, u8, u8),
    Err(&'static str),
    Blank,
}

pub fn s(t: &str) -> V {
    V::S(t.to_string())
}

pub const HEADER: [&str; 16] = [
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

/// Column indexes of the template.
pub mod col {
    pub const NAME: usize = 1;
    pub const LEVEL: usize = 2;
    #[allow(dead_code, reason = "the template's column table is kept whole")]
    pub const YEAR: usize = 3;
    pub const BODY: usize = 4;
    pub const DATE: usize = 5;
    pub const METHODS: usize = 6;
    pub const SCORE: usize = 7;
    pub const SATISFACTION: usize = 8;
    pub const NEGATIVE: usize = 9;
    pub const PROBLEMS: usize = 10;
    pub const RECTIFICATION: usize = 11;
    pub const OUTCOME: usize = 12;
    pub const REFORM: usize = 13;
    pub const REFORM_NOTE: usize = 14;
}

/// The 0-based row of the header in written intake files, and of the first data row.
pub const HEADER_ROW: u32 = 2;
pub const FIRST_DATA_ROW: u32 = 3;

/// A valid row for a roster unit, reviewed inside its phase window.
pub fn good_row(roster: &Roster, name: &str) -> Vec<V> {
    let u = roster.lookup(name).expect("test unit in roster");
    let date = match u.level {
        HonourLevel::National | HonourLevel::ProvincialModel => V::D(2020, 7, 15),
        _ => V::D(2020, 9, 10),
    };
    vec![
        V::N(1.0),
        s(&u.name),
        s(u.level.label()),
        V::N(u.award_year as f64),
        s(&u.jurisdiction),
        date,
        s("实地察看、听取汇报、问卷调查"),
        V::N(92.5),
        V::N(96.0),
        s("无"),
        s(""),
        s(""),
        s("复查合格"),
        s(if u.reform { "是" } else { "否" }),
        s(if u.reform {
            "2018年国地税合并，机构更名"
        } else {
            ""
        }),
        V::Blank,
    ]
}

/// An intake workbook to write.
#[derive(Debug, Clone)]
pub struct Intake {
    pub header: Vec<String>,
    pub rows: Vec<Vec<V>>,
    pub sheet_name: String,
    /// (单位名称, 改革情况说明) rows of a 机构改革情况说明 sheet.
    pub reform_sheet: Option<Vec<(String, String)>>,
    /// 报送单位, 联系人, 联系电话, 报送日期 of a 报送信息 sheet.
    pub submission: Option<[V; 4]>,
    /// Adds a hidden sheet with a few rows.
    pub hidden_extra: bool,
    /// Hides the data sheet itself (a visible cover sheet comes first).
    pub hide_data_sheet: bool,
    /// The title merged across the first row, above the header.
    pub title: String,
}

impl Intake {
    pub fn new(rows: Vec<Vec<V>>) -> Intake {
        Intake {
            header: HEADER.iter().map(|h| h.to_string()).collect(),
            rows,
            sheet_name: "复查情况".into(),
            reform_sheet: None,
            submission: None,
            hidden_extra: false,
            hide_data_sheet: false,
            title: "2020年文明单位复查情况表".into(),
        }
    }

    /// All rows of the units of one body, valid.
    pub fn of_body(roster: &Roster, body: &str) -> Intake {
        let names: Vec<String> = roster.units_of(body).map(|u| u.name.clone()).collect();
        Intake::new(names.iter().map(|n| good_row(roster, n)).collect())
    }

    pub fn write(&self, path: &Path) {
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        if self.hide_data_sheet {
            let cover = wb.add_worksheet();
            cover.set_name("封面").unwrap();
            cover
                .write_string(0, 0, "岳阳县2020年文明单位复查情况")
                .unwrap();
            cover.set_active(true);
        }
        let ws = wb.add_worksheet();
        ws.set_name(&self.sheet_name).unwrap();
        ws.set_hidden(self.hide_data_sheet);
        let title = Format::new().set_bold();
        ws.merge_range(0, 0, 0, 15, &self.title, &title).unwrap();
        for (c, h) in self.header.iter().enumerate() {
            ws.write_string(HEADER_ROW, c as u16, h).unwrap();
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = FIRST_DATA_ROW + i as u32;
            for (c, v) in row.iter().enumerate() {
                write_v(ws, r, c as u16, v, &date);
            }
        }
        if let Some(notes) = &self.reform_sheet {
            let ws = wb.add_worksheet();
            ws.set_name("机构改革情况说明").unwrap();
            ws.write_string(0, 0, "单位名称").unwrap();
            ws.write_string(0, 1, "改革情况说明").unwrap();
            for (i, (n, t)) in notes.iter().enumerate() {
                ws.write_string(i as u32 + 1, 0, n).unwrap();
                ws.write_string(i as u32 + 1, 1, t).unwrap();
            }
        }
        if let Some(values) = &self.submission {
            let ws = wb.add_worksheet();
            ws.set_name("报送信息").unwrap();
            for (i, (label, v)) in ["报送单位", "联系人", "联系电话", "报送日期"]
                .iter()
                .zip(values)
                .enumerate()
            {
                ws.write_string(i as u32, 0, *label).unwrap();
                write_v(ws, i as u32, 1, v, &date);
            }
        }
        if self.hidden_extra {
            let ws = wb.add_worksheet();
            ws.set_name("草稿").unwrap();
            ws.write_string(0, 0, "单位名称").unwrap();
            ws.write_string(1, 0, "岳阳县林业局").unwrap();
            ws.set_hidden(true);
        }
        wb.save(path).unwrap();
    }
}

pub fn write_v(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &V, date: &Format) {
    match v {
        V::S(t) if t.is_empty() => {}
        V::S(t) => {
            ws.write_string(r, c, t).unwrap();
        }
        V::N(n) => {
            ws.write_number(r, c, *n).unwrap();
        }
        V::D(y, m, d) => {
            let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
            ws.write_datetime_with_format(r, c, &dt, date).unwrap();
        }
        V::Err(e) => {
            ws.write_formula(r, c, Formula::new("=1/0").set_result(*e))
                .unwrap();
        }
        V::Blank => {}
    }
}

/// Diagnostics with a code.
pub fn with_code(batch: &CheckedBatch, code: Code) -> Vec<&Diagnostic> {
    batch
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The single diagnostic with a code, with its A1 cell.
pub fn only(batch: &CheckedBatch, code: Code) -> &Diagnostic {
    let found = with_code(batch, code);
    assert_eq!(
        found.len(),
        1,
        "one {code} expected, got: {:#?}",
        batch.diagnostics
    );
    found[0]
}

pub fn cell_of(d: &Diagnostic) -> String {
    d.cell.map(|c| c.to_string()).unwrap_or_default()
}

/// Nothing lost: per file, rows == accepted + rejected, and every rejected
/// row is named by at least one error on a row of its data sheet.
pub fn assert_nothing_lost(batch: &CheckedBatch) {
    for f in &batch.files {
        assert_eq!(f.rows, f.accepted + f.rejected, "{f:?}");
        let error_rows: BTreeSet<u32> = batch
            .diagnostics_of(f)
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| {
                d.sheet.as_deref() != Some("机构改革情况说明")
                    && d.sheet.as_deref() != Some("报送信息")
            })
            // The header's own problems (a missing column) name no data row.
            .filter(|d| !(d.code == Code::MissingColumn && d.cell.is_some()))
            .filter_map(|d| d.row)
            .collect();
        assert_eq!(
            error_rows.len(),
            f.rejected,
            "rejected rows vs rows with errors in {}: {:#?}",
            f.path,
            batch.diagnostics
        );
    }
}
