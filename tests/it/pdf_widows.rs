//! No paragraph leaves its first line alone at a page foot or its last
//! line alone at a page head, in the PDF (text positions) and in the DOCX
//! (`w:widowControl`, which Word and LibreOffice apply the same way).

use crate::docx_support;
use crate::pdf_common;

use fucha::doc::{Align, Block, CellAlign, Column, Document, Paragraph, Table};
use fucha::render::Renderer;
use pdf_common::{MM, PageAreas, renderer, save, text_pages};

/// A paragraph of `lines` full lines of 3号 text (26 characters after the
/// two-character indent, then 28 a line); `mark` opens it.
fn paragraph(mark: char, lines: usize) -> Block {
    let text: String = std::iter::once(mark)
        .chain(std::iter::repeat_n('文', 26 + 28 * (lines - 1) - 1))
        .collect();
    Block::Paragraph(Paragraph {
        text,
        align: Align::Justify,
    })
}

/// 20 lines, then a 3-line paragraph: set as it comes, its last line would
/// open page 2 alone.
fn document() -> Document {
    Document {
        body: vec![paragraph('甲', 20), paragraph('乙', 3), paragraph('丙', 2)],
        ..Document::default()
    }
}

#[test]
fn a_paragraph_that_would_leave_one_line_moves_to_the_next_page_whole() {
    let pdf = save("pdf_widows.pdf", &renderer().render(&document()).unwrap());
    let pages = text_pages(&pdf);
    assert_eq!(pages[0].body_lines().len(), 20, "page 1 keeps only 甲");
    let first = pages[1].body_lines()[0];
    assert!(
        first.text.starts_with('乙'),
        "page 2 opens with 乙: {}",
        first.text
    );
    // It is a first line: indented two characters (39.1 mm), not flush left.
    assert!(
        (first.x_min / MM - 39.1).abs() < 1.0,
        "{}",
        first.x_min / MM
    );
}

#[test]
fn the_docx_asks_for_the_same_widow_control() {
    let (_, parts) = docx_support::render(&document());
    let styles = &parts["word/styles.xml"];
    assert!(styles.contains("<w:widowControl />"));
    assert!(!parts["word/document.xml"].contains("<w:widowControl w:val=\"0\""));
}

#[test]
fn a_heading_above_a_table_moves_on_with_the_table() {
    let table = Table {
        columns: ["序号", "单位名称"]
            .iter()
            .map(|h| Column {
                header: h.to_string(),
                align: CellAlign::Left,
            })
            .collect(),
        rows: (1..=5)
            .map(|i| vec![i.to_string(), "岳阳市气象局".to_string()])
            .collect(),
    };
    // 20 lines of text leave two: room for the heading and one more line,
    // not for the table's header and first row (two rows of 26 pt).
    let doc = Document {
        body: vec![
            paragraph('甲', 20),
            Block::Heading {
                level: 1,
                text: "附表".to_string(),
            },
            Block::Table(table),
        ],
        ..Document::default()
    };
    let pdf = save("pdf_widows_table.pdf", &renderer().render(&doc).unwrap());
    let pages = text_pages(&pdf);
    let last_on_1 = pages[0].body_lines().last().unwrap().text.clone();
    assert!(!last_on_1.contains("附表"), "heading stranded: {last_on_1}");
    let first_on_2 = &pages[1].body_lines()[0].text;
    assert!(
        first_on_2.contains("附表"),
        "page 2 opens with {first_on_2}"
    );
}
