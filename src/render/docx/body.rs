//! 主体: body blocks, 署名 and 成文日期, 附注, and the 版记 (GB/T 9704
//! §7.3–7.4, `docs/gbt9704.md` §3.3).
//!
//! The 版记 is a floating one-column table anchored to the bottom of the
//! type area, so its last rule lies on the type area's bottom edge on the
//! last page whatever the body above it.

use super::story::{Alignment, Border, Cell, FirstLine, Indent, Paragraph, Piece, Tab, Table};
use super::text::{
    CHAR, CHAR_4, Face, LEFT_MARGIN, LINE_PITCH, SIZE_3, SIZE_4, TYPE_WIDTH, Typesetter,
};
use super::text::{exact, text_width};
use crate::campaign::FontRole;
use crate::doc::{Align, Block, Colophon, Signature, official_date};
use std::borrow::Cow;

/// 版记 rules in eighths of a point: thick 1 pt (≈0.35 mm), thin 0.75 pt.
const RULE_THICK: u32 = 8;
const RULE_THIN: u32 = 6;

impl Typesetter {
    /// Body blocks in order. A page break becomes `pageBreakBefore` on the
    /// next paragraph, so no empty line is left at the top of the new page.
    pub(crate) fn blocks<'a>(&self, blocks: &'a [Block]) -> Vec<Piece<'a>> {
        let mut out = Vec::new();
        let mut break_pending = false;
        for block in blocks {
            let piece = match block {
                Block::PageBreak => {
                    break_pending = true;
                    continue;
                }
                Block::Paragraph(p) => Piece::Paragraph(self.aligned(&p.text, p.align)),
                Block::Heading { level, text } => Piece::Paragraph(self.heading(*level, text)),
                Block::Table(table) => {
                    if break_pending {
                        out.push(Piece::Paragraph(self.page_break()));
                        break_pending = false;
                    }
                    Piece::Table(self.table(table))
                }
            };
            let piece = match piece {
                Piece::Paragraph(p) if break_pending => {
                    break_pending = false;
                    Piece::Paragraph(p.page_break_before())
                }
                other => other,
            };
            out.push(piece);
        }
        if break_pending {
            out.push(Piece::Paragraph(self.page_break()));
        }
        out
    }

    fn page_break(&self) -> Paragraph<'static> {
        self.blank().page_break_before()
    }

    fn aligned<'a>(&self, text: &'a str, align: Align) -> Paragraph<'a> {
        let face = Face::grid(FontRole::Body);
        match align {
            Align::Justify => self.body(text, FontRole::Body),
            Align::Left => self.line(text, face, Alignment::Left),
            Align::Center => self.line(text, face, Alignment::Center),
            Align::Right => self.line(text, face, Alignment::Right),
        }
    }

    /// Headings keep the 2-character indent: 一、 in 黑体, （一） in 楷体,
    /// 1. and （1） in 仿宋. A heading stays with the paragraph after it.
    fn heading<'a>(&self, level: u8, text: &'a str) -> Paragraph<'a> {
        let role = match level {
            1 => FontRole::Heading1,
            2 => FontRole::Heading2,
            _ => FontRole::Body,
        };
        self.body(text, role)
            .keep_next()
            .outline_level(level.saturating_sub(1))
    }

    /// 署名 and 成文日期. Sealed: the date 4 characters from the right, the
    /// names centred over it. Unsealed: the name 2 characters from the
    /// right, the date starting 2 characters right of the name's start.
    pub(crate) fn signature<'a>(&self, sig: &'a Signature) -> Vec<Paragraph<'a>> {
        let body = Face::grid(FontRole::Body);
        let date = official_date(sig.date);
        let date_w = text_width(&date, SIZE_3, body.tracking);
        let right = |text: Cow<'a, str>, indent: i32| {
            self.line(text, body, Alignment::Right).indent(Indent {
                right: indent.max(0),
                ..Indent::default()
            })
        };
        let mut out = Vec::new();
        if sig.sealed {
            // Room for the seal over the names: two empty lines.
            out.push(self.blank());
            out.push(self.blank());
            let date_right = 4 * CHAR;
            for organ in &sig.organs {
                let name_w = text_width(organ, SIZE_3, body.tracking);
                out.push(right(organ.into(), date_right + (date_w - name_w) / 2));
            }
            out.push(right(date.into(), date_right));
        } else {
            out.push(self.blank());
            let name_w = sig
                .organs
                .iter()
                .map(|o| text_width(o, SIZE_3, body.tracking))
                .max()
                .unwrap_or(0);
            let (name_right, date_right) = unsealed_indents(name_w, date_w);
            for organ in &sig.organs {
                // Each name ends where the longest would: starts align.
                let w = text_width(organ, SIZE_3, body.tracking);
                out.push(right(organ.into(), name_right + name_w - w));
            }
            out.push(right(date.into(), date_right));
        }
        out
    }

    /// 附注: the line after the date, indented 2, in full-width parentheses.
    pub(crate) fn note(&self, note: &str) -> Paragraph<'static> {
        let text = format!("（{}）", note.trim_matches(['（', '）', '(', ')']));
        self.body(text, FontRole::Body)
    }

    /// The 版记: 抄送 and 印发 in 4号仿宋 between a thick first and last rule,
    /// a thin rule between them. It is a one-column table, so the rules
    /// span the type area while the text keeps its one-character indents,
    /// floated to the bottom of the type area (`w:tblpPr`
    /// `vertAnchor="margin" tblpYSpec="bottom"`), then a hairline paragraph
    /// because a document must not end with a table.
    pub(crate) fn colophon<'a>(&self, colophon: &'a Colophon) -> Vec<Piece<'a>> {
        let face = Face::plain(FontRole::Body, SIZE_4);
        let mut rows = Vec::new();
        if !colophon.copy_to.is_empty() {
            let label = "抄送：";
            let text = format!("{label}{}。", colophon.copy_to.join("，"));
            let hang = text_width(label, SIZE_4, 0);
            let p = self.line(text, face, Alignment::Both).indent(Indent {
                left: CHAR_4 + hang,
                right: CHAR_4,
                first_line: Some(FirstLine::Hanging(hang)),
            });
            rows.push(p);
        }
        let date = format!("{}印发", official_date(colophon.print_date));
        let p = self
            .paragraph(face)
            .align(Alignment::Left)
            .indent(Indent {
                left: CHAR_4,
                right: CHAR_4,
                first_line: None,
            })
            .add_tab(Tab::right(TYPE_WIDTH - CHAR_4))
            .add_run(self.run(&colophon.printer, face))
            .add_run(self.tab(face))
            .add_run(self.run(date, face));
        rows.push(p);
        let rows = rows
            .into_iter()
            .map(|p| {
                vec![Cell {
                    width: TYPE_WIDTH,
                    v_center: false,
                    paragraph: p.line_spacing(exact(LINE_PITCH)),
                }]
            })
            .collect();
        let table = Table {
            grid: vec![TYPE_WIDTH],
            // At the left margin, measured from the page edge: the same
            // place as "centred in the margins" for Word; `write` says why.
            float_x: Some(LEFT_MARGIN),
            borders: colophon_rules(),
            cell_margins: [0; 4],
            header_row: false,
            rows,
        };
        let hairline = self
            .paragraph(Face::plain(FontRole::Body, 2))
            .line_spacing(exact(20));
        vec![Piece::Table(table), Piece::Paragraph(hairline)]
    }
}

/// Thick first and last rules, thin rules between items, nothing at the
/// sides: top, left, bottom, right, between rows, between columns.
fn colophon_rules() -> [Border; 6] {
    let thick = Border::single(RULE_THICK);
    [
        thick,
        Border::NONE,
        thick,
        Border::NONE,
        Border::single(RULE_THIN),
        Border::NONE,
    ]
}

/// Right indents (name, date) of an unsealed signature: the name 2
/// characters from the right, the date starting 2 characters right of the
/// name; a longer date keeps 2 characters and pushes the name left.
pub(crate) fn unsealed_indents(name_w: i32, date_w: i32) -> (i32, i32) {
    let name_right = 2 * CHAR;
    let date_right = name_right + name_w - 2 * CHAR - date_w;
    if date_right >= 2 * CHAR {
        (name_right, date_right)
    } else {
        (2 * CHAR + date_w + 2 * CHAR - name_w, 2 * CHAR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsealed_date_starts_two_characters_right_of_the_name() {
        let (name_right, date_right) = unsealed_indents(4480, 2400);
        assert_eq!(name_right, 640);
        // name start = W - 640 - 4480; date start = W - date_right - 2400.
        assert_eq!((640 + 4480) - (date_right + 2400), 640);
    }

    #[test]
    fn a_long_date_keeps_two_characters_and_moves_the_name() {
        let (name_right, date_right) = unsealed_indents(1280, 2400);
        assert_eq!(date_right, 640);
        assert_eq!((name_right + 1280) - (date_right + 2400), 640);
    }
}
