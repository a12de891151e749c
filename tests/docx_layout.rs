//! The DOCX renderer on a long circular: several pages of body, a 200-row
//! result table, two attachments and a 版记. Every assertion reads the DOCX
//! itself (unzipped XML), as a reviewer checking the file would.
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

const UNITS: [&str; 8] = [
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
const ODD_UNIT: &str = "岳阳<试点>&\"联合\"单位";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn body_text(i: usize) -> String {
    format!(
        "第{i}段。根据《岳阳市2020年度文明单位复查工作方案》要求，各县市区文明办对辖区内文明单位开展了复查，采取实地察看、听取汇报、材料审核和问卷调查相结合的方式，逐项对照测评体系进行评估，群众满意度均达到规定要求，复查工作扎实有序。"
    )
}

fn result_table(rows: usize) -> Table {
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

fn long_circular() -> Document {
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
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        if entry.read_to_string(&mut text).is_ok() {
            parts.insert(entry.name().to_string(), text);
        }
    }
    parts
}

fn render(doc: &Document) -> (Vec<u8>, BTreeMap<String, String>) {
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
fn paragraphs(xml: &str) -> Vec<&str> {
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
fn text_of(p: &str) -> String {
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

fn paragraph_with<'a>(xml: &'a str, text: &str) -> &'a str {
    paragraphs(xml)
        .into_iter()
        .find(|p| text_of(p) == text)
        .unwrap_or_else(|| panic!("no paragraph reads “{text}”"))
}

fn east_asia_fonts(p: &str) -> Vec<String> {
    p.match_indices("w:eastAsia=\"")
        .map(|(i, m)| {
            let rest = &p[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn page_is_a4_with_the_standard_margins() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    assert!(
        doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "A4 page size"
    );
    let mar_at = doc.find("<w:pgMar ").expect("page margins");
    let mar = &doc[mar_at..mar_at + doc[mar_at..].find("/>").unwrap()];
    for attr in [
        r#"w:top="2098""#,
        r#"w:left="1587""#,
        r#"w:bottom="1984""#,
        r#"w:right="1474""#,
        r#"w:gutter="0""#,
    ] {
        assert!(mar.contains(attr), "{attr} in {mar}");
    }
    // A line grid at most; never a character grid.
    assert!(!doc.contains("linesAndChars"));
}

#[test]
fn body_paragraphs_sit_on_the_exact_579_grid_with_tracking() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let p = paragraph_with(doc, &body_text(5));
    assert!(p.contains(r#"w:line="579""#) && p.contains(r#"w:lineRule="exact""#));
    assert!(p.contains(r#"w:before="0""#) && p.contains(r#"w:after="0""#));
    assert!(p.contains(r#"<w:jc w:val="both""#), "justified: {p}");
    assert!(p.contains(r#"w:firstLine="640""#), "two-character indent");
    assert!(p.contains(r#"<w:spacing w:val="-5""#), "−0.25 pt tracking");
    assert!(p.contains(r#"<w:sz w:val="32""#), "3号");
    assert_eq!(
        east_asia_fonts(p),
        vec!["仿宋_GB2312"; east_asia_fonts(p).len()]
    );
    assert!(p.contains(r#"w:ascii="Times New Roman""#));
    // Every body paragraph of the main text uses the same pitch.
    for i in 1..=24 {
        let p = paragraph_with(doc, &body_text(i));
        assert!(p.contains(r#"w:line="579""#), "paragraph {i}");
    }
    // Chinese is declared as such for Word's line breaking.
    let styles = &parts["word/styles.xml"];
    assert!(styles.contains(r#"w:eastAsia="zh-CN""#));
    let settings = &parts["word/settings.xml"];
    assert!(
        !settings.contains("noLineBreaksBefore") && !settings.contains("w:kinsoku w:val=\"0\"")
    );
}

#[test]
fn each_role_has_its_face_and_none_is_bold() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let cases = [
        ("岳阳市精神文明建设指导委员会文件", "方正小标宋简体"),
        (
            "岳阳市精神文明建设指导委员会关于2020年度文明单位复查结果的通报",
            "方正小标宋简体",
        ),
        ("一、复查基本情况", "黑体"),
        ("（一）实地察看情况", "楷体_GB2312"),
        ("1.问卷调查", "仿宋_GB2312"),
        ("（1）满意度", "仿宋_GB2312"),
        ("附件1", "黑体"),
        ("2020年度文明单位复查结果一览表", "方正小标宋简体"),
    ];
    for (text, face) in cases {
        let p = paragraphs(doc)
            .into_iter()
            .find(|p| text_of(p) == text && east_asia_fonts(p).contains(&face.to_string()))
            .unwrap_or_else(|| panic!("“{text}” in {face}"));
        assert!(
            east_asia_fonts(p).iter().all(|f| f == face),
            "“{text}” only in {face}: {:?}",
            east_asia_fonts(p)
        );
        assert!(!p.contains("<w:b />") && !p.contains("<w:b/>") && !p.contains("<w:b "));
    }
    // The title is 2号.
    let title = paragraph_with(
        doc,
        "岳阳市精神文明建设指导委员会关于2020年度文明单位复查结果的通报",
    );
    assert!(title.contains(r#"<w:sz w:val="44""#) && title.contains(r#"<w:jc w:val="center""#));
    assert!(
        title.contains("<w:br w:type=\"textWrapping\""),
        "the forced title break"
    );
    assert!(!doc.contains("<w:b />"), "no bold anywhere");
}

#[test]
fn red_head_and_separator_are_ff0000() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let head = paragraph_with(doc, "岳阳市精神文明建设指导委员会文件");
    assert!(head.contains(r#"<w:color w:val="FF0000""#));
    assert!(head.contains(r#"<w:jc w:val="center""#));
    let number = paragraph_with(doc, "岳市文明委〔2020〕5号");
    assert!(number.contains(r#"<w:jc w:val="center""#));
    let border = &number[number.find("<w:pBdr>").expect("separator border")..];
    assert!(border.contains("<w:bottom ") && border.contains(r#"w:color="FF0000""#));
    // The head comes first; two empty lines separate it from the number.
    let ps = paragraphs(doc);
    let h = ps.iter().position(|p| *p == head).unwrap();
    let n = ps.iter().position(|p| *p == number).unwrap();
    assert_eq!(n - h, 3);
    assert!(ps[h + 1..n].iter().all(|p| text_of(p).is_empty()));
}

#[test]
fn signature_note_and_attachment_note_follow_the_standard() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let date = paragraph_with(doc, "2020年10月9日");
    assert!(date.contains(r#"<w:jc w:val="right""#) && date.contains(r#"w:right="1280""#));
    let note = paragraph_with(doc, "（联系人：李明，电话：0730-8888888）");
    assert!(note.contains(r#"w:firstLine="640""#));
    let first = paragraph_with(doc, "附件：1.2020年度文明单位复查结果一览表");
    assert!(first.contains("w:hanging="));
    paragraph_with(doc, "2.2020年度文明单位复查工作联系人名单");

    let mut unsealed = long_circular();
    unsealed.signature.as_mut().unwrap().sealed = false;
    let (_, parts) = render(&unsealed);
    let doc = &parts["word/document.xml"];
    let name = paragraph_with(doc, "岳阳市精神文明建设指导委员会");
    assert!(name.contains(r#"<w:jc w:val="right""#) && name.contains(r#"w:right="640""#));
}

#[test]
fn attachments_start_on_new_pages_with_their_label_and_title() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let ps = paragraphs(doc);
    for (label, title) in [
        ("附件1", "2020年度文明单位复查结果一览表"),
        ("附件2", "2020年度文明单位复查工作联系人名单"),
    ] {
        let i = ps
            .iter()
            .position(|p| text_of(p) == label)
            .unwrap_or_else(|| panic!("{label}"));
        assert!(
            ps[i].contains("<w:pageBreakBefore"),
            "{label} starts a page"
        );
        assert!(text_of(ps[i + 1]).is_empty(), "line 2 empty");
        assert_eq!(text_of(ps[i + 2]), title, "title on line 3");
        assert!(ps[i + 2].contains(r#"<w:jc w:val="center""#));
    }
}

#[test]
fn the_result_table_repeats_its_header_and_rows_do_not_split() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let start = doc.find("<w:tbl>").expect("a table");
    let table = &doc[start..start + doc[start..].find("</w:tbl>").unwrap()];
    let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 201, "header + 200 rows");
    assert!(rows[0].contains("<w:tblHeader"), "header row repeats");
    assert!(rows[1..].iter().all(|r| !r.contains("<w:tblHeader")));
    assert!(rows.iter().all(|r| r.contains("<w:cantSplit")));
    assert_eq!(doc.matches("<w:tblHeader").count(), 1);
    // Full type-area width, fixed layout, borders, 小四 text.
    assert!(table.contains(r#"<w:tblW w:w="8844" w:type="dxa""#));
    let grid: i32 = table
        .match_indices("<w:gridCol w:w=\"")
        .map(|(i, m)| {
            let rest = &table[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse::<i32>().unwrap()
        })
        .sum();
    assert_eq!(grid, 8844);
    assert!(table.contains("<w:insideH ") && table.contains("<w:insideV "));
    assert!(rows[5].contains(r#"<w:sz w:val="24""#));
    assert!(text_of(rows[0]).contains("单位名称"));
    assert!(text_of(rows[200]).starts_with("200"));
}

#[test]
fn colophon_has_thick_and_thin_rules_at_the_page_bottom() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    // The 版记 is the last table, floated to the bottom of the type area.
    let start = doc.rfind("<w:tbl>").unwrap();
    let table = &doc[start..start + doc[start..].find("</w:tbl>").unwrap()];
    assert!(
        table.contains(r#"w:vertAnchor="margin""#) && table.contains(r#"w:tblpYSpec="bottom""#)
    );
    assert!(
        table.contains(r#"<w:tblW w:w="8844""#),
        "rules span the type area"
    );
    let rule = |side: &str| -> (String, String) {
        let at = table.find(&format!("<w:{side} ")).unwrap();
        let el = &table[at..at + table[at..].find("/>").unwrap()];
        let attr = |name: &str| {
            let i = el.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            el[i..i + el[i..].find('"').unwrap()].to_string()
        };
        (attr("w:val"), attr("w:sz"))
    };
    assert_eq!(
        rule("top"),
        ("single".into(), "8".into()),
        "thick first rule"
    );
    assert_eq!(
        rule("insideH"),
        ("single".into(), "6".into()),
        "thin rule between"
    );
    assert_eq!(
        rule("bottom"),
        ("single".into(), "8".into()),
        "thick last rule"
    );
    assert_eq!(rule("left").0, "nil");
    assert_eq!(rule("right").0, "nil");
    assert!(!table.contains("FF0000"), "版记 rules are black");
    assert!(!table.contains("<w:tblHeader"));

    let copy = paragraph_with(table, "抄送：湖南省文明办，市委办，市政府办。");
    let printer = paragraph_with(table, "岳阳市精神文明建设指导委员会办公室2020年10月9日印发");
    for p in [copy, printer] {
        assert!(p.contains(r#"<w:sz w:val="28""#), "4号");
        assert!(
            p.contains(r#"w:right="280""#),
            "one character from the right"
        );
    }
    assert!(
        printer.contains(r#"w:left="280""#),
        "one character from the left"
    );
    assert!(
        printer.contains(r#"<w:tab w:val="right" w:pos="8564""#),
        "date flush right"
    );
    // Wrapped 抄送 lines align after the colon.
    assert!(copy.contains(r#"w:left="1120""#) && copy.contains(r#"w:hanging="840""#));
    // Nothing but the closing hairline paragraph follows the 版记.
    let after = &doc[start..];
    let after_table = &after[after.find("</w:tbl>").unwrap()..];
    assert!(
        paragraphs(after_table)
            .iter()
            .all(|p| text_of(p).is_empty())
    );
}

#[test]
fn odd_and_even_footers_carry_the_page_field_between_em_dashes() {
    let (_, parts) = render(&long_circular());
    assert!(parts["word/settings.xml"].contains("<w:evenAndOddHeaders"));
    let doc = &parts["word/document.xml"];
    let rel = |kind: &str| -> String {
        let at = doc
            .find(&format!("<w:footerReference w:type=\"{kind}\""))
            .unwrap_or_else(|| panic!("{kind} footer"));
        let el = &doc[at..at + doc[at..].find("/>").unwrap()];
        let i = el.find("r:id=\"").unwrap() + 6;
        el[i..i + el[i..].find('"').unwrap()].to_string()
    };
    let rels = &parts["word/_rels/document.xml.rels"];
    let target = |id: &str| -> String {
        let at = rels.find(&format!("Id=\"{id}\"")).unwrap();
        let el = &rels[rels[..at].rfind('<').unwrap()..];
        let el = &el[..el.find('>').unwrap()];
        let i = el.find("Target=\"").unwrap() + 8;
        format!("word/{}", &el[i..i + el[i..].find('"').unwrap()])
    };
    let odd = &parts[&target(&rel("default"))];
    let even = &parts[&target(&rel("even"))];
    for (footer, jc, indent) in [
        (odd, "right", "w:right=\"280\""),
        (even, "left", "w:left=\"280\""),
    ] {
        assert!(
            footer.contains(&format!("<w:jc w:val=\"{jc}\"")),
            "{jc}: {footer}"
        );
        assert!(footer.contains(indent));
        assert!(footer.contains("PAGE"));
        assert!(footer.contains("<w:fldChar w:fldCharType=\"begin\""));
        let text = text_of(footer);
        assert!(text.starts_with('—') && text.ends_with('—'), "{text}");
        assert!(footer.contains(r#"<w:sz w:val="28""#) && footer.contains("宋体"));
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let doc = long_circular();
    let (a, parts) = render(&doc);
    let (b, _) = render(&doc);
    assert_eq!(a, b);
    // Another renderer on another thread, after other work, agrees too.
    let other = std::thread::spawn(move || {
        let r = DocxRenderer::new(&FontSettings::default());
        let _ = r.render(&Document::default());
        r.render(&doc).unwrap()
    })
    .join()
    .unwrap();
    assert_eq!(a, other);
    let core = &parts["docProps/core.xml"];
    assert!(core.contains("2020-10-09T00:00:00Z") && !core.contains("1970"));
    assert!(core.contains("<dc:title>关于2020年度文明单位复查结果的通报</dc:title>"));
}

#[test]
fn unit_names_appear_as_themselves() {
    let (_, parts) = render(&long_circular());
    let doc = &parts["word/document.xml"];
    let all_text: String = paragraphs(doc).iter().map(|p| text_of(p)).collect();
    for unit in UNITS.iter().chain([&ODD_UNIT]) {
        assert!(all_text.contains(unit), "{unit}");
    }
    assert!(doc.contains("岳阳&lt;试点&gt;&amp;&quot;联合&quot;单位"));
}

#[test]
fn an_upward_document_puts_the_number_left_and_signers_right() {
    let mut doc = long_circular();
    let head = doc.head.as_mut().unwrap();
    head.signers = vec!["张三".into(), "李四".into(), "王五".into()];
    doc.draft = true;
    let (_, parts) = render(&doc);
    let xml = &parts["word/document.xml"];
    let ps = paragraphs(xml);
    assert_eq!(text_of(ps[0]), "征求意见稿", "draft mark on page 1");
    let number_line = ps
        .iter()
        .find(|p| text_of(p).starts_with("岳市文明委〔2020〕5号"))
        .unwrap();
    assert!(text_of(number_line).ends_with("王五"));
    // Number 1 character from the left (a tab stop), the separator under
    // the whole line (no paragraph indent).
    assert!(number_line.contains(r#"<w:tab w:val="left" w:pos="320""#));
    assert!(!number_line.contains("<w:ind "));
    assert!(number_line.contains(r#"w:color="FF0000""#));
    let signers = ps
        .iter()
        .find(|p| text_of(p) == "签发人：张三　李四")
        .expect("first signer line");
    assert!(east_asia_fonts(signers).contains(&"楷体_GB2312".to_string()));
}

#[test]
fn fonts_are_declared_and_configured_names_are_escaped() {
    let (_, parts) = render(&long_circular());
    let table = &parts["word/fontTable.xml"];
    for name in [
        "方正小标宋简体",
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
        "宋体",
        "Times New Roman",
    ] {
        assert!(
            table.contains(&format!("<w:font w:name=\"{name}\">")),
            "{name}"
        );
    }
    let fang = &table[table.find("w:name=\"仿宋_GB2312\"").unwrap()..];
    let fang = &fang[..fang.find("</w:font>").unwrap()];
    assert!(
        fang.contains(r#"<w:charset w:val="86""#) && fang.contains(r#"<w:altName w:val="仿宋""#)
    );

    let fonts = FontSettings {
        body: vec!["My \"Fang\" & Co".into()],
        ..FontSettings::default()
    };
    let bytes = DocxRenderer::new(&fonts).render(&long_circular()).unwrap();
    let parts = unzip(&bytes);
    let doc = &parts["word/document.xml"];
    assert!(doc.contains(r#"w:eastAsia="My &quot;Fang&quot; &amp; Co""#));
    assert!(!doc.contains(r#"My "Fang""#));
    assert!(parts["word/fontTable.xml"].contains(r#"w:name="My &quot;Fang&quot; &amp; Co""#));
}

#[test]
fn the_renderer_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    shareable(&DocxRenderer::new(&FontSettings::default()));
}

#[test]
fn missing_elements_are_simply_omitted() {
    let mut doc = long_circular();
    doc.head = None;
    doc.colophon = None;
    doc.note = None;
    doc.attachments.truncate(1);
    doc.attachment_note.truncate(1);
    let (_, parts) = render(&doc);
    let xml = &parts["word/document.xml"];
    let ps = paragraphs(xml);
    // No red head: the title opens the document.
    assert!(!xml.contains("FF0000"));
    assert!(text_of(ps[0]).starts_with("岳阳市精神文明建设指导委员会关于"));
    // One attachment: labelled 附件 without a number, the note without one.
    paragraph_with(xml, "附件");
    paragraph_with(xml, "附件：2020年度文明单位复查结果一览表");
    assert!(!xml.contains("tblpPr"), "no 版记");
    // An empty document still makes a valid package.
    let (_, empty) = render(&Document::default());
    assert!(empty["word/document.xml"].contains("<w:pgSz"));
}
