//! A sealed signature whose organ name is longer than the date (岳阳市精神文明
//! 建设指导委员会办公室, 17 characters) is centred over the date only as far
//! as the type area allows: it ends at 184 mm, not beyond.

use crate::pdf_common;

use chrono::NaiveDate;
use fucha::doc::{Block, Document, Paragraph, Signature};
use fucha::render::Renderer;
use pdf_common::{MM, renderer, save, text_pages};

const ORGAN: &str = "岳阳市精神文明建设指导委员会办公室";

#[test]
fn a_long_sealed_organ_name_stays_inside_the_type_area() {
    let doc = Document {
        body: vec![Block::Paragraph(Paragraph {
            text: "现将复查情况汇总报告如下。".to_string(),
            align: fucha::doc::Align::Justify,
        })],
        signature: Some(Signature {
            organs: vec![ORGAN.to_string()],
            date: NaiveDate::from_ymd_opt(2020, 10, 28).unwrap(),
            sealed: true,
        }),
        ..Document::default()
    };
    let pdf = save("pdf_signature_long.pdf", &renderer().render(&doc).unwrap());
    let page = &text_pages(&pdf)[0];
    let name = page
        .lines
        .iter()
        .find(|l| l.text == ORGAN)
        .expect("the organ line");
    assert!(
        name.x_max / MM <= 184.5,
        "name ends at {} mm",
        name.x_max / MM
    );
    // The date keeps its right indent of four characters: it ends near 161.4 mm.
    let date = page
        .lines
        .iter()
        .find(|l| l.text == "2020年10月28日")
        .expect("date");
    assert!(
        (date.x_max / MM - 161.4).abs() < 1.0,
        "date ends at {} mm",
        date.x_max / MM
    );
}
