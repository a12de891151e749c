//! Shared by the DOCX tests: a long circular (several pages of body, a
//! 200-row table, two attachments, a 版记) and helpers that read the DOCX
//! the way a reviewer would: unzipped XML, paragraph by paragraph.
//!
//! Set `FUCHA_KEEP_DOCX=/path/file.docx` and run one test (e.g.
//! `rendering_twice_gives_identical_bytes`) to keep the generated file, to
//! convert it with LibreOffice and look at it.

use chrono::NaiveDate;
use fucha::campaign::FontSettings;
use fucha::doc::{
    Align, Attachment, Block, CellAlign, Colophon, Column, Document, Head, Meta, Paragraph,
    Signature, Table,
};
use fucha::render::Renderer;
use fucha::render::docx::DocxRenderer;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

pub const UNITS: [&str; 8] = [
    "岳阳市中级人民法院",
    "中国移动通信集团湖南有限公司岳阳分公司",
    "岳阳楼洞庭湖风景名胜区岳阳楼·君山岛景区",
    "国家税务总局岳阳县税务局",
    "岳阳市住房公积金管理中心",
    "湖南省血吸虫病防治所",
    "中共岳阳市纪律检查委员会（监察委员会）",
    "岳阳市二人民医院",
];
/// A unit name with the characters XML must escape.
pub const ODD_UNIT: &str = "岳阳<试点>&\"联合\"单位";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn body_text(i: usize) -> String {
    format!(
        "第{i}段。根据《岳阳市2020年度文明单位复查工作方案》要求，各县市区文明办对辖区内文明单位开展了复查，采取实地察看、听取汇报、材料审核和问卷调查相结合的方式，逐项对照测评体系进行评估，群众满意度均达到规定要求，复查工作扎实有序。"
    )
}

pub fn result_table(rows: usize) -> Table {
    let columns = [
        ("序号", CellAlign::Center),
        ("单位名称", CellAlign::Left),
        ("荣誉类别", CellAlign::Center),
        ("复查结果", CellAlign::Center),
    ]
    .into_iter()
    .map(|(h, a)| Column {
        header: h.to_string(),
        align: a,
    })
    .collect();
    let rows = (0..rows)
        .map(|i| {
            let unit = if i == 7 {
                ODD_UNIT
            } else {
                UNITS[i % UNITS.len()]
            };
            vec![
                (i + 1).to_string(),
                unit.to_string(),
                "省级文明单位".to_string(),
                "复查合格".to_string(),
            ]
        })
        .collect();
    Table { columns, rows }
}

pub fn long_circular() -> Document {
    let mut body = vec![Block::Heading {
        level: 1,
        text: "一、复查基本情况".into(),
    }];
    body.extend((1..=12).map(|i| Block::Paragraph(Paragraph::body(body_text(i)))));
    body.push(Block::Heading {
        level: 2,
        text: "（一）实地察看情况".into(),
    });
    body.extend((13..=24).map(|i| Block::Paragraph(Paragraph::body(body_text(i)))));
    body.push(Block::Heading {
        level: 3,
        text: "1.问卷调查".into(),
    });
    body.push(Block::Paragraph(Paragraph::body(format!(
        "{ODD_UNIT}等单位的群众满意度较高。"
    ))));
    body.push(Block::Heading {
        level: 4,
        text: "（1）满意度".into(),
    });
    body.push(Block::Paragraph(Paragraph {
        text: "特此通报。".into(),
        align: Align::Justify,
    }));
    Document {
        meta: Meta {
            title: "关于2020年度文明单位复查结果的通报".into(),
            author: "岳阳市精神文明建设指导委员会".into(),
            date: date(2020, 10, 9),
        },
        head: Some(Head {
            copy_no: None,
            secrecy: None,
            urgency: None,
            organ_mark: "岳阳市精神文明建设指导委员会文件".into(),
            doc_number: Some("岳市文明委〔2020〕5号".into()),
            signers: vec![],
        }),
        title: "岳阳市精神文明建设指导委员会\n关于2020年度文明单位复查结果的通报".into(),
        addressee: Some("各县市区文明委，市直各文明单位".into()),
        body,
        attachment_note: vec![
            "2020年度文明单位复查结果一览表".into(),
            "2020年度文明单位复查工作联系人名单".into(),
        ],
        signature: Some(Signature {
            organs: vec!["岳阳市精神文明建设指导委员会".into()],
            date: date(2020, 10, 9),
            sealed: true,
        }),
        note: Some("联系人：李明，电话：0730-8888888".into()),
        attachments: vec![
            Attachment {
                title: "2020年度文明单位复查结果一览表".into(),
                body: vec![Block::Table(result_table(200))],
            },
            Attachment {
                title: "2020年度文明单位复查工作联系人名单".into(),
                body: (1..=3)
                    .map(|i| Block::Paragraph(Paragraph::body(body_text(i))))
                    .collect(),
            },
        ],
        colophon: Some(Colophon {
            copy_to: vec!["湖南省文明办".into(), "市委办".into(), "市政府办".into()],
            printer: "岳阳市精神文明建设指导委员会办公室".into(),
            print_date: date(2020, 10, 9),
        }),
        draft: false,
    }
}

/// The parts of a DOCX, by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        if entry.read_to_string(&mut text).is_ok() {
            parts.insert(entry.name().unwrap().into_owned(), text);
        }
    }
    parts
}

pub fn render(doc: &Document) -> (Vec<u8>, BTreeMap<String, String>) {
    let bytes = DocxRenderer::new(&FontSettings::default())
        .render(doc)
        .expect("renders");
    if let Ok(path) = std::env::var("FUCHA_KEEP_DOCX") {
        std::fs::write(path, &bytes).unwrap();
    }
    let parts = unzip(&bytes);
    (bytes, parts)
}

/// Each `<w:p …>…</w:p>` of a part (tables' cell paragraphs included).
pub fn paragraphs(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<w:p ").or_else(|| rest.find("<w:p>")) {
        let end = rest[start..].find("</w:p>").map(|e| start + e + 6).unwrap();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// The visible text of a paragraph.
pub fn text_of(p: &str) -> String {
    let mut out = String::new();
    let mut rest = p;
    while let Some(start) = rest.find("<w:t ").or_else(|| rest.find("<w:t>")) {
        let open_end = start + rest[start..].find('>').unwrap() + 1;
        let close = open_end + rest[open_end..].find("</w:t>").unwrap();
        out.push_str(&rest[open_end..close]);
        rest = &rest[close..];
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

pub fn paragraph_with<'a>(xml: &'a str, text: &str) -> &'a str {
    paragraphs(xml)
        .into_iter()
        .find(|p| text_of(p) == text)
        .unwrap_or_else(|| panic!("no paragraph reads “{text}”"))
}

pub fn east_asia_fonts(p: &str) -> Vec<String> {
    p.match_indices("w:eastAsia=\"")
        .map(|(i, m)| {
            let rest = &p[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}
