//! A short upward document (报告): 签发人, unsealed signature, a draft mark,
//! and the size of a few-page file.

use crate::pdf_common;

use chrono::NaiveDate;
use fucha::doc::*;
use fucha::render::Renderer;
use pdf_common::*;

fn report(draft: bool) -> Document {
    let date = NaiveDate::from_ymd_opt(2020, 11, 20).unwrap();
    Document {
        meta: Meta {
            title: "关于2020年度文明单位复查工作的报告".into(),
            author: "岳阳市精神文明建设指导委员会".into(),
            date,
        },
        head: Some(Head {
            copy_no: None,
            secrecy: None,
            urgency: Some("特急".into()),
            organ_mark: "岳阳市精神文明建设指导委员会".into(),
            doc_number: Some("岳市文明委〔2020〕12号".into()),
            signers: vec!["张三".into(), "李四".into(), "王五".into()],
        }),
        title: "关于2020年度全市文明单位复查工作情况和下一步整改安排的报告".into(),
        addressee: Some("省文明委".into()),
        body: (0..8)
            .map(|i| Block::Paragraph(Paragraph::body(body_paragraph(i))))
            .collect(),
        attachment_note: vec![],
        signature: Some(Signature {
            organs: vec!["岳阳市精神文明建设指导委员会".into()],
            date,
            sealed: false,
        }),
        note: None,
        attachments: vec![],
        colophon: None,
        draft,
    }
}

#[test]
fn an_upward_document_puts_the_number_left_and_the_signers_right() {
    let bytes = renderer().render(&report(true)).unwrap();
    let path = save("report.pdf", &bytes);
    let pages = text_pages(&path);
    let first = &pages[0];
    let number = first
        .lines
        .iter()
        .find(|l| l.text.contains("〔2020〕12号"))
        .unwrap();
    assert!(
        (number.x_min / MM - (28.0 + 5.57)).abs() < 1.0,
        "number indented one character"
    );
    let last_signer = first
        .lines
        .iter()
        .find(|l| l.text.contains("王五"))
        .unwrap();
    assert!(
        (last_signer.y_min - number.y_min).abs() < 3.0,
        "number on the last signer line"
    );
    assert!(
        last_signer.x_max / MM <= 184.0 - 5.0,
        "signers right indent one character"
    );
    assert!(first.text().contains("签发人："));
    assert!(
        first.text().contains("征求意见稿"),
        "a draft says so on its first page"
    );
    assert!(!pages[1].text().contains("征求意见稿"));
}

#[test]
fn the_unsealed_signature_keeps_its_right_indent() {
    let bytes = renderer().render(&report(false)).unwrap();
    let path = save("report-final.pdf", &bytes);
    let pages = text_pages(&path);
    assert!(!pages[0].text().contains("征求意见稿"));
    let lines: Vec<&TextLine> = pages.iter().flat_map(|p| p.lines.iter()).collect();
    let name = lines
        .iter()
        .rev()
        .find(|l| l.text == "岳阳市精神文明建设指导委员会")
        .unwrap();
    let date = lines.iter().find(|l| l.text == "2020年11月20日").unwrap();
    // The name is longer than the date: name right indent 2 (one 3号
    // character is 5.57 mm on the grid), date 2 characters in from it.
    assert!(
        (name.x_max / MM - (184.0 - 2.0 * 5.571)).abs() < 1.0,
        "name ends at {} mm",
        name.x_max / MM
    );
    assert!((date.x_min - name.x_min - 2.0 * 15.793).abs() < 1.5);
}

#[test]
fn a_few_page_chinese_document_is_tens_of_kilobytes() {
    let bytes = renderer().render(&report(false)).unwrap();
    let pages = text_pages(&save("report-size.pdf", &bytes));
    assert!(
        pages.len() >= 2 && pages.len() <= 4,
        "{} pages",
        pages.len()
    );
    assert!(bytes.len() < 150_000, "{} bytes", bytes.len());
}
