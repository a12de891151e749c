//! Shared by the PDF tests: a long document, the renderer, and readers of
//! `pdftotext -bbox-layout` and `pdffonts` output.
#![allow(dead_code, reason = "each test binary uses a different part")]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

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

/// Runs a poppler tool and returns its stdout.
pub fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} not runnable ({e}); install poppler-utils"));
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A text line as `pdftotext -bbox-layout` reports it (pt, y from the top).
#[derive(Debug, Clone)]
pub struct TextLine {
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
    /// The words joined with single spaces.
    pub text: String,
}

/// One page of `pdftotext -bbox-layout`.
#[derive(Debug, Clone, Default)]
pub struct TextPage {
    pub width: f32,
    pub height: f32,
    pub lines: Vec<TextLine>,
}

impl TextPage {
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Lines inside the type area (above 262 mm).
    pub fn body_lines(&self) -> Vec<&TextLine> {
        self.lines.iter().filter(|l| l.y_max < 262.0 * MM).collect()
    }

    /// Lines below the type area: the page number.
    pub fn footer_lines(&self) -> Vec<&TextLine> {
        self.lines.iter().filter(|l| l.y_min > 262.0 * MM).collect()
    }
}

pub const MM: f32 = 72.0 / 25.4;

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Pages with their lines, from `pdftotext -bbox-layout`.
pub fn text_pages(pdf: &std::path::Path) -> Vec<TextPage> {
    let xml = run("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let mut pages = Vec::new();
    for raw in xml.lines() {
        let l = raw.trim();
        if l.starts_with("<page ") {
            pages.push(TextPage {
                width: attr(l, "width"),
                height: attr(l, "height"),
                lines: Vec::new(),
            });
        } else if l.starts_with("<line ") {
            let page: &mut TextPage = pages.last_mut().unwrap();
            page.lines.push(TextLine {
                x_min: attr(l, "xMin"),
                y_min: attr(l, "yMin"),
                x_max: attr(l, "xMax"),
                y_max: attr(l, "yMax"),
                text: String::new(),
            });
        } else if l.starts_with("<word ") {
            let line = pages.last_mut().unwrap().lines.last_mut().unwrap();
            let start = l.find('>').unwrap() + 1;
            let end = l.rfind("</word>").unwrap();
            if !line.text.is_empty() {
                line.text.push(' ');
            }
            line.text.push_str(&unescape(&l[start..end]));
        }
    }
    pages
}

/// Rows of `pdffonts`: (name, type, emb, sub).
pub fn fonts(pdf: &std::path::Path) -> Vec<(String, String, String, String)> {
    let out = run("pdffonts", &[pdf.to_str().unwrap()]);
    out.lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let n = cols.len();
            // name, type (may be two words), encoding, emb, sub, uni, object, id
            (
                cols[0].to_string(),
                cols[1..n - 6].join(" "),
                cols[n - 5].to_string(),
                cols[n - 4].to_string(),
            )
        })
        .collect()
}

/// A purely Chinese paragraph (no digits, no punctuation): its full lines
/// must hold exactly 28 characters, the first 26.
pub const PLAIN_HANZI: &str = "各县市区文明委要高度重视文明单位复查工作切实加强组织领导明确责任分工认真对照测评体系逐项开展自查自纠全面梳理存在的突出问题建立整改台账明确整改时限和责任人员确保问题整改到位各文明单位要坚持以评促建以评促管把文明创建工作融入业务工作全过程不断提升文明创建工作的质量和水平";
