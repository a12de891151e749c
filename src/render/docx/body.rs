//! 主体: body blocks, 署名 and 成文日期, 附注, and the 版记 (GB/T 9704
//! §7.3–7.4, `gbt9704.md` §3.3).
//!
//! The 版记 is a group of framed paragraphs (`w:framePr`) anchored to the
//! bottom of the type area (`w:vAnchor="margin" w:yAlign="bottom"`): Word
//! and LibreOffice both place such a frame on the page of its anchor, with
//! its last rule on the type area's bottom edge, whatever the body above.

use super::text::{CHAR, CHAR_4, Face, LINE_PITCH, SIZE_3, SIZE_4, TYPE_WIDTH, Typesetter};
use super::text::{exact, text_width};
use crate::campaign::FontRole;
use crate::doc::{Align, Block, Colophon, Signature, official_date};
use docx_rs::{
    AlignmentType, BorderType, FrameProperty, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, SpecialIndentType, Tab, TabValueType,
};

/// One piece of the document body: docx-rs keeps paragraphs and tables apart.
pub(crate) enum Piece {
    Paragraph(Paragraph),
    Table(docx_rs::Table),
}

/// 版记 rules in eighths of a point: thick 1 pt (≈0.35 mm), thin 0.75 pt.
const RULE_THICK: usize = 8;
const RULE_THIN: usize = 6;

impl Typesetter {
    /// Body blocks in order. A page break becomes `pageBreakBefore` on the
    /// next paragraph, so no empty line is left at the top of the new page.
    pub(crate) fn blocks(&self, blocks: &[Block]) -> Vec<Piece> {
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
                    Piece::Paragraph(p.page_break_before(true))
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

    fn page_break(&self) -> Paragraph {
        self.blank().page_break_before(true)
    }

    fn aligned(&self, text: &str, align: Align) -> Paragraph {
        let face = Face::grid(FontRole::Body);
        match align {
            Align::Justify => self.body(text, FontRole::Body),
            Align::Left => self.line(text, face, AlignmentType::Left),
            Align::Center => self.line(text, face, AlignmentType::Center),
            Align::Right => self.line(text, face, AlignmentType::Right),
        }
    }

    /// Headings keep the 2-character indent: 一、 in 黑体, （一） in 楷体,
    /// 1. and （1） in 仿宋. A heading stays with the paragraph after it.
    fn heading(&self, level: u8, text: &str) -> Paragraph {
        let role = match level {
            1 => FontRole::Heading1,
            2 => FontRole::Heading2,
            _ => FontRole::Body,
        };
        self.body(text, role)
            .keep_next(true)
            .outline_lvl(level.saturating_sub(1) as usize)
    }

    /// 署名 and 成文日期. Sealed: the date 4 characters from the right, the
    /// names centred over it. Unsealed: the name 2 characters from the
    /// right, the date starting 2 characters right of the name's start.
    pub(crate) fn signature(&self, sig: &Signature) -> Vec<Paragraph> {
        let body = Face::grid(FontRole::Body);
        let date = official_date(sig.date);
        let date_w = text_width(&date, SIZE_3, body.tracking);
        let right = |text: &str, indent: i32| {
            self.line(text, body, AlignmentType::Right).indent(
                None,
                None,
                Some(indent.max(0)),
                None,
            )
        };
        let mut out = Vec::new();
        if sig.sealed {
            // Room for the seal over the names: two empty lines.
            out.push(self.blank());
            out.push(self.blank());
            let date_right = 4 * CHAR;
            for organ in &sig.organs {
                let name_w = text_width(organ, SIZE_3, body.tracking);
                out.push(right(organ, date_right + (date_w - name_w) / 2));
            }
            out.push(right(&date, date_right));
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
                out.push(right(organ, name_right + name_w - w));
            }
            out.push(right(&date, date_right));
        }
        out
    }

    /// 附注: the line after the date, indented 2, in full-width parentheses.
    pub(crate) fn note(&self, note: &str) -> Paragraph {
        let text = format!("（{}）", note.trim_matches(['（', '）', '(', ')']));
        self.body(&text, FontRole::Body)
    }

    /// The 版记: 抄送 and 印发 in 4号仿宋 between a thick first and last rule,
    /// a thin rule between them; anchored to the bottom of the type area.
    pub(crate) fn colophon(&self, colophon: &Colophon) -> Vec<Paragraph> {
        let face = Face::plain(FontRole::Body, SIZE_4);
        let mut out = Vec::new();
        let has_copy = !colophon.copy_to.is_empty();
        if has_copy {
            let label = "抄送：";
            let text = format!("{label}{}。", colophon.copy_to.join("，"));
            let hang = text_width(label, SIZE_4, 0);
            let p = self.line(&text, face, AlignmentType::Both).indent(
                Some(CHAR_4 + hang),
                Some(SpecialIndentType::Hanging(hang)),
                Some(CHAR_4),
                None,
            );
            out.push(ruled(p, RULE_THICK, Some(RULE_THIN)));
        }
        let date = format!("{}印发", official_date(colophon.print_date));
        let p = self
            .paragraph(face)
            .align(AlignmentType::Left)
            .indent(Some(CHAR_4), None, Some(CHAR_4), None)
            .add_tab(
                Tab::new()
                    .val(TabValueType::Right)
                    .pos((TYPE_WIDTH - CHAR_4) as usize),
            )
            .add_run(self.run(&colophon.printer, face))
            .add_run(self.run("", face).add_tab())
            .add_run(self.run(&date, face));
        let top = if has_copy { None } else { Some(RULE_THICK) };
        out.push(ruled_bottom(p, top, RULE_THICK));
        out.into_iter().map(anchored_to_page_bottom).collect()
    }
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

fn rule(position: ParagraphBorderPosition, size: usize) -> ParagraphBorder {
    ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(size)
        .space(1)
        .color("000000")
}

/// A paragraph with a top rule and, optionally, a bottom rule.
fn ruled(mut p: Paragraph, top: usize, bottom: Option<usize>) -> Paragraph {
    let mut borders = ParagraphBorders::with_empty().set(rule(ParagraphBorderPosition::Top, top));
    if let Some(bottom) = bottom {
        borders = borders.set(rule(ParagraphBorderPosition::Bottom, bottom));
    }
    p.property = p.property.set_borders(borders);
    p
}

/// A paragraph with a bottom rule and, optionally, a top rule.
fn ruled_bottom(mut p: Paragraph, top: Option<usize>, bottom: usize) -> Paragraph {
    let mut borders = ParagraphBorders::with_empty();
    if let Some(top) = top {
        borders = borders.set(rule(ParagraphBorderPosition::Top, top));
    }
    borders = borders.set(rule(ParagraphBorderPosition::Bottom, bottom));
    p.property = p.property.set_borders(borders);
    p
}

/// The same frame on each 版记 paragraph, so Word and LibreOffice join them
/// into one frame: type-area wide, bottom-aligned to the margin.
fn anchored_to_page_bottom(mut p: Paragraph) -> Paragraph {
    let frame = FrameProperty {
        w: Some(TYPE_WIDTH as u32),
        h_anchor: Some("margin".into()),
        v_anchor: Some("margin".into()),
        x_align: Some("center".into()),
        y_align: Some("bottom".into()),
        wrap: Some("around".into()),
        ..FrameProperty::default()
    };
    p.property = p.property.frame_property(frame);
    p.line_spacing(exact(LINE_PITCH))
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
