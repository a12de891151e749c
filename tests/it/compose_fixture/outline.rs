//! A document model as text, one line per element, for snapshot tests:
//! what a reviewer reads in the diff when a template's wording changes.

use fucha::doc::{Align, Block, CellAlign, Document};
use std::fmt::Write;

/// The document's elements in reading order: head, title, addressee, body,
/// attachment note, signature, note, attachments, colophon.
pub fn outline(doc: &Document) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(s.trim_end());
        out.push('\n');
    };
    if doc.draft {
        line("[征求意见稿]".into());
    }
    if let Some(h) = &doc.head {
        line(format!("版头 {}", h.organ_mark));
        for (label, v) in [
            ("份号", &h.copy_no),
            ("密级", &h.secrecy),
            ("紧急程度", &h.urgency),
            ("发文字号", &h.doc_number),
        ] {
            if let Some(v) = v {
                line(format!("{label} {v}"));
            }
        }
        if !h.signers.is_empty() {
            line(format!("签发人 {}", h.signers.join("、")));
        }
    }
    line(format!("标题 {}", doc.title));
    if let Some(a) = &doc.addressee {
        line(format!("主送 {a}"));
    }
    blocks(&doc.body, &mut line);
    for (i, note) in doc.attachment_note.iter().enumerate() {
        line(format!("附件说明 {}. {note}", i + 1));
    }
    if let Some(s) = &doc.signature {
        let seal = if s.sealed { "盖章" } else { "不盖章" };
        line(format!("署名 {}（{seal}）{}", s.organs.join("、"), s.date));
    }
    if let Some(n) = &doc.note {
        line(format!("附注 {n}"));
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        line(format!("附件{} {}", i + 1, a.title));
        blocks(&a.body, &mut line);
    }
    if let Some(c) = &doc.colophon {
        line(format!("抄送 {}", c.copy_to.join("、")));
        line(format!("印发 {} {}", c.printer, c.print_date));
    }
    out
}

fn blocks(body: &[Block], line: &mut impl FnMut(String)) {
    for block in body {
        match block {
            Block::Paragraph(p) => {
                let align = match p.align {
                    Align::Justify => "",
                    Align::Left => "[左] ",
                    Align::Center => "[中] ",
                    Align::Right => "[右] ",
                };
                line(format!("  {align}{}", p.text));
            }
            Block::Heading { level, text } => {
                line(format!("  {} {text}", "#".repeat(*level as usize)))
            }
            Block::Table(t) => {
                let mut header = String::from("  |");
                for c in &t.columns {
                    let align = if c.align == CellAlign::Center {
                        "中"
                    } else {
                        "左"
                    };
                    let _ = write!(header, " {}〔{align}〕 |", c.header);
                }
                line(header);
                for row in &t.rows {
                    line(format!("  | {} |", row.join(" | ")));
                }
            }
            Block::PageBreak => line("  ----（分页）".into()),
        }
    }
}
