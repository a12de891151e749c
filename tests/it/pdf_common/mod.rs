//! Shared by the PDF tests: a long document, the renderer, and the PDF
//! reader's pages and fonts.

use std::path::PathBuf;
use std::sync::OnceLock;

pub use crate::common::pdf;

pub use pdf::{TextLine, TextPage, text_pages};

use chrono::NaiveDate;
use fucha::campaign::FontSettings;
use fucha::doc::*;
use fucha::render::pdf::PdfRenderer;

/// One renderer for the whole test binary: fonts are parsed once.
pub fn renderer() -> &'static PdfRenderer {
    static R: OnceLock<PdfRenderer> = OnceLock::new();
    R.get_or_init(|| PdfRenderer::new(&FontSettings::default()).expect("fonts installed"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const UNITS: [&str; 8] = [
    "岳阳市第一人民医院",
    "岳阳楼区城市管理和综合执法局",
    "华容县人民检察院",
    "湘阴县税务局",
    "平江县第一中学",
    "汨罗市自然资源局",
    "临湘市人民法院",
    "岳阳经济技术开发区管理委员会",
];

/// Body text: sentences with punctuation, dates, numbers and quotes, so
/// that the line breaker meets every rule.
pub fn body_paragraph(i: usize) -> String {
    format!(
        "根据《岳阳市文明单位测评体系（2020年版）》和岳市文明委〔2020〕{n}号文件要求，\
         市文明办于2020年10月{d}日至11月{e}日组织开展了第{i}轮复查工作。\
         本轮共复查单位{units}个，综合得分平均为{score}分，满意度达到{sat}%。\
         各县市区要坚持“以评促建、以评促管”，对照问题清单逐项整改；\
         整改情况须于2020年12月31日前报市文明办——逾期未报的，按不合格处理。",
        n = i + 1,
        d = i % 20 + 1,
        e = i % 20 + 5,
        units = 100 + i,
        score = 90.5 + i as f64 / 10.0,
        sat = 95 + i % 5,
    )
}

fn result_table(rows: usize) -> Table {
    Table {
        columns: vec![
            Column {
                header: "序号".into(),
                align: CellAlign::Center,
            },
            Column {
                header: "单位名称".into(),
                align: CellAlign::Left,
            },
            Column {
                header: "所属县市区".into(),
                align: CellAlign::Left,
            },
            Column {
                header: "测评得分".into(),
                align: CellAlign::Center,
            },
            Column {
                header: "复查结果".into(),
                align: CellAlign::Center,
            },
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    (i + 1).to_string(),
                    UNITS[i % UNITS.len()].to_string(),
                    ["岳阳楼区", "华容县", "湘阴县", "平江县"][i % 4].to_string(),
                    format!("{:.1}", 80.0 + (i % 200) as f64 / 10.0),
                    if i % 7 == 0 {
                        "限期整改"
                    } else {
                        "保留称号"
                    }
                    .to_string(),
                ]
            })
            .collect(),
    }
}

/// Several pages of body, a 200-row table, two attachments, a 版记.
// Long on purpose: a document model written out by hand, element by element.
pub fn long_document() -> Document {
    let mut body = vec![Block::Heading {
        level: 1,
        text: "一、复查基本情况".into(),
    }];
    for i in 0..6 {
        body.push(Block::Paragraph(Paragraph::body(body_paragraph(i))));
    }
    body.push(Block::Paragraph(Paragraph::body(PLAIN_HANZI)));
    body.push(Block::Heading {
        level: 2,
        text: "（一）复查方式".into(),
    });
    for i in 6..12 {
        body.push(Block::Paragraph(Paragraph::body(body_paragraph(i))));
    }
    body.push(Block::Heading {
        level: 3,
        text: "1.实地测评".into(),
    });
    for i in 12..16 {
        body.push(Block::Paragraph(Paragraph::body(body_paragraph(i))));
    }
    body.push(Block::Heading {
        level: 1,
        text: "二、下一步工作要求".into(),
    });
    body.push(Block::Paragraph(Paragraph::body(
        "请各单位认真抓好整改落实。",
    )));
    Document {
        meta: Meta {
            title: "关于2020年度全市文明单位复查情况的通报".into(),
            author: "岳阳市精神文明建设指导委员会办公室".into(),
            date: date(2020, 10, 9),
        },
        head: Some(Head {
            copy_no: Some("000001".into()),
            secrecy: None,
            urgency: None,
            organ_mark: "岳阳市精神文明建设指导委员会文件".into(),
            doc_number: Some("岳市文明委〔2020〕1号".into()),
            signers: vec![],
        }),
        title: "关于2020年度全市文明单位复查情况的通报".into(),
        addressee: Some("各县市区文明委，市直各文明单位".into()),
        body,
        attachment_note: vec![
            "2020年度文明单位复查结果一览表".into(),
            "文明单位整改问题清单".into(),
        ],
        signature: Some(Signature {
            organs: vec!["岳阳市精神文明建设指导委员会".into()],
            date: date(2020, 10, 9),
            sealed: true,
        }),
        note: Some("联系人：张三，电话：0730-8888888".into()),
        attachments: vec![
            Attachment {
                title: "2020年度文明单位复查结果一览表".into(),
                body: vec![Block::Table(result_table(200))],
            },
            Attachment {
                title: "文明单位整改问题清单".into(),
                body: (0..3)
                    .map(|i| Block::Paragraph(Paragraph::body(body_paragraph(i + 20))))
                    .collect(),
            },
        ],
        colophon: Some(Colophon {
            copy_to: vec![
                "省文明办".into(),
                "市委办公室".into(),
                "市人大常委会办公室".into(),
                "市政府办公室".into(),
                "市政协办公室".into(),
            ],
            printer: "岳阳市精神文明建设指导委员会办公室".into(),
            print_date: date(2020, 10, 10),
        }),
        draft: false,
    }
}

/// Writes bytes under the test temp folder and returns the path.
pub fn save(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

pub const MM: f32 = 72.0 / 25.4;

/// Lines inside the type area (above 262 mm) and below it (the page number).
pub trait PageAreas {
    fn body_lines(&self) -> Vec<&TextLine>;
    fn footer_lines(&self) -> Vec<&TextLine>;
}

impl PageAreas for TextPage {
    fn body_lines(&self) -> Vec<&TextLine> {
        self.lines.iter().filter(|l| l.y_max < 262.0 * MM).collect()
    }

    fn footer_lines(&self) -> Vec<&TextLine> {
        self.lines.iter().filter(|l| l.y_min > 262.0 * MM).collect()
    }
}

/// The fonts of a PDF: (name, type, embedded, subset), `yes`/`no` as
/// `pdffonts` prints them.
pub fn fonts(path: &std::path::Path) -> Vec<(String, String, String, String)> {
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    pdf::fonts(path)
        .into_iter()
        .map(|f| (f.name, f.kind, yes(f.embedded), yes(f.subset)))
        .collect()
}

/// A purely Chinese paragraph (no digits, no punctuation): its full lines
/// must hold exactly 28 characters, the first 26.
pub const PLAIN_HANZI: &str = "各县市区文明委要高度重视文明单位复查工作切实加强组织领导明确责任分工认真对照测评体系逐项开展自查自纠全面梳理存在的突出问题建立整改台账明确整改时限和责任人员确保问题整改到位各文明单位要坚持以评促建以评促管把文明创建工作融入业务工作全过程不断提升文明创建工作的质量和水平";
