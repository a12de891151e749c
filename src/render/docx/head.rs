//! 版头 and 标题: the lines above the red separator, the separator itself,
//! and the title (GB/T 9704 §7.2, `docs/gbt9704.md` §3.3).
//!
//! Vertical positions are built from whole grid lines (579 twips) plus one
//! spacing-before on the red head, so that the head's top edge lands 35 mm
//! below the type-area top whatever lines (份号, 密级, 紧急程度, the draft
//! mark) stand above it.

use super::story::{Alignment, Border, FirstLine, Indent, Paragraph, Tab};
use super::text::text_width;
use super::text::{CHAR, Face, LINE_PITCH, RED, SIZE_2, SIZE_3, TYPE_WIDTH, Typesetter, exact};
use crate::campaign::FontRole;
use crate::doc::Head;

/// 35 mm: from the type-area top to the red head's top edge (twips).
const HEAD_TOP: i32 = 1984;
/// Preferred red-head size: 小初 (36 pt), condensed horizontally when the
/// name is long, as agencies do.
const HEAD_SIZE: usize = 72;
/// Narrowest horizontal scale before the size itself is reduced.
const HEAD_MIN_SCALE: i32 = 70;
/// The gap between the line box top and the glyph top of the head line:
/// its exact line height is the font size plus this (twips).
const HEAD_LEADING: i32 = 60;
/// Red separator thickness in eighths of a point: 12 = 1.5 pt ≈ 0.53 mm.
const SEPARATOR_SIZE: u32 = 12;
/// Border distance below the 发文字号 text (points); with the line box's
/// own space under the glyphs this puts the rule ≈ 4 mm below the text.
const SEPARATOR_SPACE: u32 = 8;

/// Size (half-points) and horizontal scale (percent) of the red head, so
/// that it fits the type width with a 1-character margin on each side.
pub(crate) fn red_head_metrics(mark: &str) -> (usize, i32) {
    let room = TYPE_WIDTH - 2 * CHAR;
    let natural = text_width(mark, HEAD_SIZE, 0).max(1);
    if natural <= room {
        return (HEAD_SIZE, 100);
    }
    let scale = room * 100 / natural;
    if scale >= HEAD_MIN_SCALE {
        return (HEAD_SIZE, scale);
    }
    // Even at the narrowest scale it is too wide: reduce the size.
    let size = (HEAD_SIZE as i32 * room * 100 / (natural * HEAD_MIN_SCALE)) as usize;
    (size.max(SIZE_3), HEAD_MIN_SCALE)
}

impl Typesetter {
    /// The draft mark: 征求意见稿 in 3号黑体, top right of page 1.
    pub(crate) fn draft_mark(&self) -> Paragraph<'static> {
        self.line(
            "征求意见稿",
            Face::grid(FontRole::Heading1),
            Alignment::Right,
        )
    }

    /// 份号, 密级 and 紧急程度, one per line, flush left.
    fn head_marks<'a>(&self, head: &'a Head) -> Vec<Paragraph<'a>> {
        let mut lines = Vec::new();
        if let Some(copy_no) = &head.copy_no {
            lines.push(self.line(copy_no, Face::grid(FontRole::Body), Alignment::Left));
        }
        for mark in [&head.secrecy, &head.urgency].into_iter().flatten() {
            lines.push(self.line(mark, Face::grid(FontRole::Heading1), Alignment::Left));
        }
        lines
    }

    /// The whole 版头. `lines_above` counts lines already on the page (the
    /// draft mark).
    pub(crate) fn head<'a>(&self, head: &'a Head, lines_above: usize) -> Vec<Paragraph<'a>> {
        let mut out = self.head_marks(head);
        let above = (lines_above + out.len()) as i32 * LINE_PITCH;
        out.push(self.red_head(&head.organ_mark, (HEAD_TOP - above).max(0)));
        // "两行空行" below the red head, then the number line. The lines are
        // counted from the head's em box, as the PDF counts them; the head's
        // line box is HEAD_LEADING taller than that, so the first empty line
        // is that much shorter.
        out.push(self.blank().line_spacing(exact(LINE_PITCH - HEAD_LEADING)));
        out.push(self.blank());
        out.extend(self.number_lines(head));
        out
    }

    fn red_head<'a>(&self, mark: &'a str, space_before: i32) -> Paragraph<'a> {
        let (size, scale) = red_head_metrics(mark);
        let mut face = Face::plain(FontRole::Title, size);
        face.color = Some(RED);
        face.scale = (scale != 100).then_some(scale);
        let height = size as i32 * 10 + HEAD_LEADING;
        let spacing = exact(height).before(space_before as u32);
        self.paragraph(face)
            .line_spacing(spacing)
            .align(Alignment::Center)
            .add_run(self.run(mark, face))
    }

    /// The 发文字号 line with the red separator under it. For upward
    /// documents the number goes left (indent 1) and 签发人 right (indent 1)
    /// on the same line; further signers go on lines above, two a line.
    fn number_lines<'a>(&self, head: &'a Head) -> Vec<Paragraph<'a>> {
        let body = Face::grid(FontRole::Body);
        let number = head.doc_number.as_deref().unwrap_or("");
        if head.signers.is_empty() {
            let p = self.line(number, body, Alignment::Center);
            return vec![with_red_separator(p)];
        }
        let label = "签发人：";
        let rows: Vec<String> = head.signers.chunks(2).map(|pair| pair.join("　")).collect();
        let label_w = text_width(label, SIZE_3, body.tracking);
        let names_w = rows
            .iter()
            .map(|r| text_width(r, SIZE_3, body.tracking))
            .max()
            .unwrap_or(0);
        // Left edge of the 签发人 block, so its longest row ends 1 char from
        // the right edge; later rows align with the first name.
        let block_left = TYPE_WIDTH - CHAR - label_w - names_w;
        let names_left = block_left + label_w;
        let kai = Face::grid(FontRole::Heading2);
        let last = rows.len() - 1;
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| {
                // The number's 1-character indent is a tab stop, not a
                // paragraph indent, so the separator under it spans the
                // whole type width.
                let mut stops = vec![block_left, names_left];
                if i == last {
                    stops.insert(0, CHAR);
                }
                let mut p = stops
                    .into_iter()
                    .fold(self.paragraph(body).align(Alignment::Left), |p, pos| {
                        p.add_tab(Tab::left(pos))
                    });
                if i == last {
                    p = p.add_run(self.tab(body)).add_run(self.run(number, body));
                }
                p = p.add_run(self.tab(body));
                p = if i == 0 {
                    p.add_run(self.run(label, body))
                } else {
                    p.add_run(self.tab(body))
                };
                p = p.add_run(self.run(row, kai));
                if i == last { with_red_separator(p) } else { p }
            })
            .collect()
    }

    /// The title: 2号小标宋, centred; `\n` in the text breaks the line, and
    /// a part too long for one line is broken into lines of balanced length
    /// by the PDF renderer's rule (梯形/菱形, 7.3.1) so that a word processor
    /// does not leave 的通报 alone on the second line.
    pub(crate) fn title(&self, title: &str) -> Paragraph<'static> {
        let face = Face::plain(FontRole::Title, SIZE_2);
        let mut p = self.paragraph(face).align(Alignment::Center);
        let lines = title
            .split('\n')
            .filter(|part| !part.trim().is_empty())
            .flat_map(balanced_title_lines);
        for (i, line) in lines.enumerate() {
            if i > 0 {
                p = p.add_run(self.line_break(face));
            }
            p = p.add_run(self.run(line, face));
        }
        p
    }

    /// 主送机关, flush left, ending in a full-width colon.
    pub(crate) fn addressee(&self, addressee: &str) -> Paragraph<'static> {
        let text = format!("{}：", addressee.trim_end_matches(['：', ':']));
        self.line(text, Face::grid(FontRole::Body), Alignment::Both)
    }

    /// The title block of an attachment page: `附件N` in 黑体 on line 1,
    /// the title centred on line 3.
    pub(crate) fn attachment_opening(&self, label: String, title: &str) -> Vec<Paragraph<'static>> {
        let label = self
            .line(label, Face::grid(FontRole::Heading1), Alignment::Left)
            .page_break_before();
        vec![label, self.blank(), self.title(title), self.blank()]
    }

    /// 附件说明: `附件：1.名称`, later names aligned under the first, wrapped
    /// lines aligned with the first character of the name.
    pub(crate) fn attachment_note(&self, names: &[String]) -> Vec<Paragraph<'static>> {
        let body = Face::grid(FontRole::Body);
        let lead = "附件：";
        let lead_w = text_width(lead, SIZE_3, body.tracking);
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let label = if names.len() > 1 {
                    format!("{}.", i + 1)
                } else {
                    String::new()
                };
                let label_w = text_width(&label, SIZE_3, body.tracking);
                let left = 2 * CHAR + lead_w + label_w;
                let hanging = if i == 0 { lead_w + label_w } else { label_w };
                let text = if i == 0 {
                    format!("{lead}{label}{name}")
                } else {
                    format!("{label}{name}")
                };
                self.line(text, body, Alignment::Both).indent(Indent {
                    left,
                    right: 0,
                    first_line: Some(FirstLine::Hanging(hanging)),
                })
            })
            .collect()
    }
}

/// Puts the red separator under a paragraph: a full-width bottom border.
fn with_red_separator(p: Paragraph<'_>) -> Paragraph<'_> {
    p.bottom_border(Border {
        single: true,
        size: SEPARATOR_SIZE,
        space: SEPARATOR_SPACE,
        color: RED,
    })
}

/// One title part broken as the PDF breaks it: as few lines as fit the type
/// width, of similar length.
pub(crate) fn balanced_title_lines(part: &str) -> Vec<String> {
    use crate::layout::{paginate::balanced_lines, table::plan::estimated_glyphs};
    let glyphs = estimated_glyphs(part, SIZE_2 as f32 / 2.0);
    balanced_lines(&glyphs)
        .into_iter()
        .map(|line| glyphs[line.range].iter().map(|g| g.ch).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_red_head_keeps_its_size() {
        assert_eq!(red_head_metrics("岳阳市文明办文件"), (HEAD_SIZE, 100));
    }

    #[test]
    fn a_long_red_head_is_condensed_to_fit() {
        let mark = "岳阳市精神文明建设指导委员会文件";
        let (size, scale) = red_head_metrics(mark);
        assert_eq!(size, HEAD_SIZE);
        assert!((HEAD_MIN_SCALE..100).contains(&scale));
        assert!(text_width(mark, size, 0) * scale / 100 <= TYPE_WIDTH);
    }

    #[test]
    fn a_long_title_is_broken_into_balanced_lines() {
        assert_eq!(
            balanced_title_lines("岳阳市文明委关于2020年文明单位复查情况的通报"),
            vec!["岳阳市文明委关于2020年", "文明单位复查情况的通报"]
        );
        assert_eq!(
            balanced_title_lines("关于开展复查工作的通知"),
            vec!["关于开展复查工作的通知"]
        );
    }
}
