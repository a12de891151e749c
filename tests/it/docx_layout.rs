//! The DOCX renderer's layout on a long circular, read from the DOCX's own
//! XML: page geometry, the 579-twip grid, faces by role, the red head and
//! separator, signature, attachments, upward documents.

use crate::docx_support;

use docx_support::*;

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
fn copy_number_secrecy_and_urgency_stand_above_the_red_head_without_moving_it() {
    let mut doc = long_circular();
    let head = doc.head.as_mut().unwrap();
    head.copy_no = Some("000001".into());
    head.secrecy = Some("秘密★1年".into());
    head.urgency = Some("特急".into());
    let (_, parts) = render(&doc);
    let xml = &parts["word/document.xml"];
    let ps = paragraphs(xml);
    let texts: Vec<String> = ps[..4].iter().map(|p| text_of(p)).collect();
    assert_eq!(
        texts,
        [
            "000001",
            "秘密★1年",
            "特急",
            "岳阳市精神文明建设指导委员会文件"
        ]
    );
    assert!(east_asia_fonts(ps[1]).iter().all(|f| f == "黑体"));
    assert!(east_asia_fonts(ps[2]).iter().all(|f| f == "黑体"));
    // Three 579-twip lines plus the head's space before make the 35 mm
    // (1984 twips) from the type-area top to the head.
    let before = |p: &str| -> i32 {
        let i = p.find("w:before=\"").unwrap() + 10;
        p[i..i + p[i..].find('"').unwrap()].parse().unwrap()
    };
    assert_eq!(3 * 579 + before(ps[3]), 1984);
    let (_, plain) = render(&long_circular());
    let first = paragraphs(&plain["word/document.xml"])[0];
    assert_eq!(before(first), 1984);
}

#[test]
fn a_page_break_starts_the_next_paragraph_on_a_new_page() {
    use fucha::doc::{Block, Paragraph};
    let mut doc = long_circular();
    doc.body.push(Block::PageBreak);
    doc.body
        .push(Block::Paragraph(Paragraph::body("新页第一段。")));
    let (_, parts) = render(&doc);
    let p = paragraph_with(&parts["word/document.xml"], "新页第一段。");
    assert!(p.contains("<w:pageBreakBefore"));
}
