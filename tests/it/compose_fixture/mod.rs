//! A small season built by hand for the compose tests: eleven units in three
//! jurisdictions, passing, sanctioned, reformed and unreported units, a unit
//! whose name holds markup and XML characters, and one workbook with errors.

mod outline;
pub use outline::outline;

use chrono::NaiveDate;
use fucha::campaign::Campaign;
use fucha::check::{CheckedBatch, FileSummary};
use fucha::diag::{CellPos, Code, Diagnostic, RowRef};
use fucha::doc::{Block, Document};
use fucha::review::{HonourLevel, Method, Outcome, ReviewResult};
use fucha::roster::{Roster, Unit};

/// A unit name that would break XML, HTML and our markup if not escaped.
pub const TRICKY: &str = "华容县\"星&月\"<服务>中心|#1";

/// The document settings of the compose tests, added to the shared season.
pub const DOCUMENTS: &str = r#"
[documents.notice]
number = "岳市文明委〔2020〕3号"
date = 2020-06-20
copy_to = ["湖南省文明办", "市委宣传部"]

[documents.circular]
number = "岳市文明委〔2020〕9号"
date = 2020-10-20
copy_to = ["湖南省文明办"]
note = "此件公开发布"

[documents.provincial]
number = "岳市文明办〔2020〕21号"
date = 2020-10-22
signers = ["张明"]

[documents.rectification]
number = "岳市文明办〔2020〕3{n}号"
date = 2020-10-21
"#;

/// The check tests' season with this module's document settings.
pub fn campaign() -> Campaign {
    Campaign::parse(&format!("{}\n{DOCUMENTS}", crate::check_common::CAMPAIGN))
        .expect("test campaign parses")
}

fn unit(name: &str, level: HonourLevel, year: i32, j: &str, reform: bool) -> Unit {
    Unit {
        name: name.into(),
        aliases: vec![],
        level,
        award_year: year,
        jurisdiction: j.into(),
        reform,
        remarks: String::new(),
    }
}

pub fn roster() -> Roster {
    use HonourLevel::*;
    Roster::from_units(vec![
        unit("岳阳市中级人民法院", National, 2008, "市直", false),
        unit("岳阳市财政局", National, 2017, "市直", false),
        unit("岳阳市人防办", ProvincialModel, 2016, "市直", true),
        unit("岳阳市水利局", Provincial, 2014, "市直", false),
        unit("岳阳县人民法院", National, 2017, "岳阳县", false),
        unit(
            "国家税务总局岳阳县税务局",
            ProvincialModel,
            2016,
            "岳阳县",
            true,
        ),
        unit("岳阳县林业局", Provincial, 2018, "岳阳县", false),
        unit("岳阳县第一中学", City, 2019, "岳阳县", false),
        unit("华容县人民检察院", ProvincialModel, 2016, "华容县", false),
        unit("华容县人民法院", Provincial, 2018, "华容县", false),
        unit(TRICKY, Provincial, 2016, "华容县", false),
    ])
}

fn result(roster: &Roster, name: &str, outcome: Outcome, file: &str, row: u32) -> ReviewResult {
    let u = roster.lookup(name).expect("unit in roster");
    let problems = if outcome == Outcome::Pass {
        String::new()
    } else {
        format!("{name}创建台账缺失，志愿服务活动记录不全。")
    };
    ReviewResult {
        unit: u.name.clone(),
        jurisdiction: u.jurisdiction.clone(),
        level: u.level,
        award_year: u.award_year,
        review_date: NaiveDate::from_ymd_opt(2020, 7, 15).unwrap(),
        methods: vec![Method::OnSite, Method::Survey],
        score: if outcome == Outcome::Pass { 92.5 } else { 71.0 },
        satisfaction: Some(96.0),
        negative_list: String::new(),
        problems,
        rectification: if outcome == Outcome::Pass {
            String::new()
        } else {
            "三个月内补齐台账，每季度开展志愿服务".into()
        },
        outcome,
        reform: u.reform,
        reform_note: if u.reform {
            format!("{name}于2019年机构改革中合并组建，职能和人员已整合")
        } else {
            String::new()
        },
        remarks: String::new(),
        origin: RowRef {
            file: file.into(),
            sheet: "复查情况".into(),
            row,
        },
    }
}

/// The batch: 市直 and 岳阳县 clean (one warning), 华容县 with two errors
/// and its 检察院 row rejected.
pub fn batch_with_errors(roster: &Roster) -> CheckedBatch {
    use Outcome::*;
    let results = vec![
        result(roster, "岳阳市中级人民法院", Pass, "报送/市直.xlsx", 2),
        result(roster, "岳阳市财政局", Criticism, "报送/市直.xlsx", 3),
        result(roster, "岳阳市人防办", Pass, "报送/市直.xlsx", 4),
        result(roster, "岳阳市水利局", Revoke, "报送/市直.xlsx", 5),
        result(roster, "岳阳县人民法院", Pass, "报送/岳阳县.xlsx", 2),
        result(
            roster,
            "国家税务总局岳阳县税务局",
            Rectify,
            "报送/岳阳县.xlsx",
            3,
        ),
        result(roster, "岳阳县林业局", WarningTalk, "报送/岳阳县.xlsx", 4),
        result(roster, "岳阳县第一中学", Pass, "报送/岳阳县.xlsx", 5),
        result(roster, "华容县人民法院", Pass, "报送/华容县.xlsx", 3),
        result(roster, TRICKY, YellowCard, "报送/华容县.xlsx", 4),
    ];
    let file = |path: &str, j: &str, rows, rejected| FileSummary {
        path: path.into(),
        jurisdiction: Some(j.into()),
        rows,
        accepted: rows - rejected,
        rejected,
    };
    CheckedBatch {
        files: vec![
            file("报送/市直.xlsx", "市直", 4, 0),
            file("报送/岳阳县.xlsx", "岳阳县", 4, 0),
            file("报送/华容县.xlsx", "华容县", 3, 1),
        ],
        results,
        diagnostics: vec![
            Diagnostic::error(Code::InvalidDate, "无法识别的日期“2020年13月1日”")
                .in_file("报送/华容县.xlsx")
                .in_sheet("复查情况")
                .at(CellPos::new(4, 5))
                .for_unit("华容县人民检察院")
                .suggest("请填写如 2020-07-15 的日期"),
            Diagnostic::error(Code::MissingValue, "“测评得分”为空")
                .in_file("报送/华容县.xlsx")
                .in_sheet("复查情况")
                .at(CellPos::new(4, 7))
                .for_unit("华容县人民检察院"),
            Diagnostic::warning(Code::LateSubmission, "报送日期晚于截止日期")
                .in_file("报送/岳阳县.xlsx")
                .in_sheet("报送信息")
                .at(CellPos::new(2, 1)),
        ],
        ..Default::default()
    }
}

/// The same season with 华容县's file corrected: no errors left.
pub fn clean_batch(roster: &Roster) -> CheckedBatch {
    let mut b = batch_with_errors(roster);
    b.diagnostics
        .retain(|d| d.severity == fucha::diag::Severity::Warning);
    b.results.insert(
        8,
        result(
            roster,
            "华容县人民检察院",
            Outcome::Pass,
            "报送/华容县.xlsx",
            2,
        ),
    );
    b.files[2].accepted = 3;
    b.files[2].rejected = 0;
    b
}

/// Every piece of text in a document, one per line, in reading order.
pub fn text(doc: &Document) -> String {
    let mut out = Vec::new();
    if let Some(h) = &doc.head {
        out.push(h.organ_mark.clone());
        out.extend(h.doc_number.clone());
        out.extend(h.signers.iter().cloned());
    }
    out.push(doc.title.clone());
    out.extend(doc.addressee.clone());
    blocks(&doc.body, &mut out);
    out.extend(doc.attachment_note.iter().cloned());
    if let Some(s) = &doc.signature {
        out.extend(s.organs.iter().cloned());
        out.push(fucha::doc::official_date(s.date));
    }
    out.extend(doc.note.clone());
    for a in &doc.attachments {
        out.push(a.title.clone());
        blocks(&a.body, &mut out);
    }
    if let Some(c) = &doc.colophon {
        out.extend(c.copy_to.iter().cloned());
        out.push(c.printer.clone());
    }
    out.join("\n")
}

fn blocks(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Paragraph(p) => out.push(p.text.clone()),
            Block::Heading { text, .. } => out.push(text.clone()),
            Block::Table(t) => {
                out.push(
                    t.columns
                        .iter()
                        .map(|c| c.header.as_str())
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
                for r in &t.rows {
                    out.push(r.join(" | "));
                }
            }
            Block::PageBreak => {}
        }
    }
}

/// All tables of a document (body and attachments).
pub fn tables(doc: &Document) -> Vec<&fucha::doc::Table> {
    doc.body
        .iter()
        .chain(doc.attachments.iter().flat_map(|a| a.body.iter()))
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The headings of a document's body, with their levels.
pub fn headings(doc: &Document) -> Vec<(u8, String)> {
    doc.body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text } => Some((*level, text.clone())),
            _ => None,
        })
        .collect()
}
