//! Chinese line breaking over measured glyphs (pure; no fonts, no PDF).
//!
//! Rules, from `docs/gbt9704.md` §4 (GB/T 15834 and Word's zh-CN kinsoku sets):
//! a closing mark or a sentence mark never starts a line and an opening mark
//! never ends one; Latin words and numbers are never split, nor are dates
//! (`2020年10月9日`), document numbers (`〔2020〕1号`), `——` and `……`.
//! When the glyph that overflows may not start a line, the break moves back
//! and the previous character goes down with it (no hanging punctuation), so
//! the grid of 28 characters is kept and the short line is justified.

use std::ops::Range;

use super::geometry::EPS;
use super::text::Glyph;

/// Characters that must not begin a line.
const NO_LINE_START: &str = "!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｀｜｝～￠";
/// Characters that must not end a line.
const NO_LINE_END: &str = "$([{£¥‘“〈《「『【〔〖〝﹙﹛﹝＄（［｛￡￥";

/// Whether `ch` may not begin a line.
fn forbidden_at_line_start(ch: char) -> bool {
    NO_LINE_START.contains(ch)
}

/// Whether `ch` may not end a line.
fn forbidden_at_line_end(ch: char) -> bool {
    NO_LINE_END.contains(ch)
}

/// The measure a paragraph is set to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Full line width (the type area, or a table cell's inner width).
    pub width: f32,
    /// Left indent of the first line.
    pub first_indent: f32,
    /// Left indent of the following lines (a hanging indent when larger).
    pub rest_indent: f32,
    /// Right indent of every line.
    pub right_indent: f32,
}

impl Measure {
    /// A plain measure with no indents.
    pub fn plain(width: f32) -> Measure {
        Measure {
            width,
            first_indent: 0.0,
            rest_indent: 0.0,
            right_indent: 0.0,
        }
    }

    fn available(&self, first: bool) -> f32 {
        let indent = if first {
            self.first_indent
        } else {
            self.rest_indent
        };
        self.width - indent - self.right_indent
    }
}

/// One broken line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The glyphs of the line, trailing spaces excluded.
    pub range: Range<usize>,
    /// Left indent.
    pub indent: f32,
    /// Room for the line (measure minus indents).
    pub available: f32,
    /// Sum of the advances of `range`.
    pub natural: f32,
    /// The paragraph's last line (not justified).
    pub last: bool,
}

impl Line {
    /// Extra space after each glyph but the last so that the line fills its
    /// room; zero for a paragraph's last line.
    pub fn justify_gap(&self) -> f32 {
        let gaps = self.range.len().saturating_sub(1);
        if self.last || gaps == 0 || self.natural >= self.available {
            return 0.0;
        }
        (self.available - self.natural) / gaps as f32
    }
}

/// Breaks `glyphs` into lines for `measure`.
pub fn break_lines(glyphs: &[Glyph], measure: &Measure) -> Vec<Line> {
    let allowed = break_opportunities(glyphs);
    let mut lines = Vec::new();
    let mut start = 0;
    let n = glyphs.len();
    while start < n {
        let first = lines.is_empty();
        let available = measure.available(first);
        let end = line_end(glyphs, &allowed, start, available);
        let next = skip_spaces(glyphs, end);
        let content_end = trim_trailing_spaces(glyphs, start, end);
        lines.push(Line {
            range: start..content_end,
            indent: if first {
                measure.first_indent
            } else {
                measure.rest_indent
            },
            available,
            natural: glyphs[start..content_end].iter().map(|g| g.advance).sum(),
            last: next >= n,
        });
        start = next;
    }
    lines
}

/// The number of lines `break_lines` gives for a plain measure `width`,
/// without building them: for planners that try many widths. `allowed` is
/// [`break_opportunities`] of `glyphs`, computed once by the caller.
pub fn count_lines(glyphs: &[Glyph], allowed: &[bool], width: f32) -> usize {
    let n = glyphs.len();
    let (mut start, mut count) = (0, 0);
    while start < n {
        let end = line_end(glyphs, allowed, start, width);
        start = skip_spaces(glyphs, end);
        count += 1;
    }
    count
}

/// The widest piece of `glyphs` that may not be broken: the narrowest
/// measure that avoids cutting a word, number or date.
pub fn min_content_width(glyphs: &[Glyph]) -> f32 {
    let allowed = break_opportunities(glyphs);
    let (mut widest, mut current) = (0.0f32, 0.0f32);
    for (i, g) in glyphs.iter().enumerate() {
        if i > 0 && allowed[i] {
            widest = widest.max(current);
            current = 0.0;
        }
        if !g.is_space() {
            current += g.advance;
        }
    }
    widest.max(current)
}

/// The end (exclusive) of the line starting at `start`.
fn line_end(glyphs: &[Glyph], allowed: &[bool], start: usize, available: f32) -> usize {
    let mut used = 0.0;
    let mut last_break = None;
    for i in start..glyphs.len() {
        if i > start && allowed[i] {
            last_break = Some(i);
        }
        let g = &glyphs[i];
        if i > start && used + g.advance > available + EPS && !g.is_space() {
            // The overflowing glyph starts the next line if it may; otherwise
            // the last opportunity on this line; an unbreakable run longer
            // than the line is cut where it overflows.
            return match last_break {
                Some(b) => b,
                None => i,
            };
        }
        used += g.advance;
    }
    glyphs.len()
}

fn skip_spaces(glyphs: &[Glyph], mut i: usize) -> usize {
    while i < glyphs.len() && glyphs[i].is_space() {
        i += 1;
    }
    i
}

fn trim_trailing_spaces(glyphs: &[Glyph], start: usize, mut end: usize) -> usize {
    while end > start && glyphs[end - 1].is_space() {
        end -= 1;
    }
    end
}

/// `allowed[i]`: a line may start at glyph `i` (break between `i-1` and `i`).
pub fn break_opportunities(glyphs: &[Glyph]) -> Vec<bool> {
    let mut allowed = vec![false; glyphs.len() + 1];
    for i in 1..glyphs.len() {
        allowed[i] = may_break_between(glyphs[i - 1].ch, glyphs[i].ch);
    }
    protect_spans(glyphs, &mut allowed);
    allowed
}

fn may_break_between(prev: char, cur: char) -> bool {
    if forbidden_at_line_start(cur) || forbidden_at_line_end(prev) {
        return false;
    }
    if cur == ' ' {
        return false;
    }
    if prev == ' ' {
        return true;
    }
    if is_word_char(prev) && is_word_char(cur) {
        return false;
    }
    // ——, …… and the like stay whole.
    if prev == cur && matches!(cur, '—' | '…' | '―' | '─') {
        return false;
    }
    true
}

/// Letters, digits and the marks inside numbers: one unbreakable word.
fn is_word_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric()
        || matches!(
            ch,
            '.' | ',' | '-' | '/' | ':' | '%' | '\'' | '_' | '+' | '&' | '@' | '#'
        )
        || ('\u{00C0}'..='\u{024F}').contains(&ch)
}

/// Forbids breaks inside dates (`2020年10月9日`, `10月9日`, `2020年10月`) and
/// document numbers (`〔2020〕1号`).
fn protect_spans(glyphs: &[Glyph], allowed: &mut [bool]) {
    let mut i = 0;
    while i < glyphs.len() {
        let end = date_span(glyphs, i).or_else(|| doc_number_span(glyphs, i));
        match end {
            Some(end) => {
                for a in &mut allowed[i + 1..end] {
                    *a = false;
                }
                i = end;
            }
            None => i += 1,
        }
    }
}

fn digits_end(glyphs: &[Glyph], mut i: usize) -> usize {
    while i < glyphs.len() && glyphs[i].ch.is_ascii_digit() {
        i += 1;
    }
    i
}

/// A run of digits followed by one of `units`, then optionally more such
/// pairs with later units; returns the end if at least two pairs matched.
fn date_span(glyphs: &[Glyph], start: usize) -> Option<usize> {
    if start > 0 && glyphs[start - 1].ch.is_ascii_digit() {
        return None;
    }
    let units = ['年', '月', '日'];
    let mut i = start;
    let mut pairs = 0;
    let mut next_unit = 0;
    loop {
        let d = digits_end(glyphs, i);
        if d == i || d >= glyphs.len() {
            break;
        }
        let Some(pos) = units[next_unit..].iter().position(|u| *u == glyphs[d].ch) else {
            break;
        };
        if pairs > 0 && pos != 0 {
            break;
        }
        next_unit += pos + 1;
        pairs += 1;
        i = d + 1;
        if next_unit >= units.len() {
            break;
        }
    }
    (pairs >= 2).then_some(i)
}

/// `〔2020〕1号`.
fn doc_number_span(glyphs: &[Glyph], start: usize) -> Option<usize> {
    if glyphs[start].ch != '〔' {
        return None;
    }
    let d = digits_end(glyphs, start + 1);
    if d == start + 1 || glyphs.get(d)?.ch != '〕' {
        return None;
    }
    let n = digits_end(glyphs, d + 1);
    if n == d + 1 || glyphs.get(n)?.ch != '号' {
        return None;
    }
    Some(n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::FontRole;
    use crate::layout::geometry::{CHAR, SIZE_3, TYPE_WIDTH};
    use crate::layout::text::{Shaper, Style, fake::FakeShaper};

    fn lines_of(text: &str, measure: Measure) -> Vec<String> {
        let glyphs = FakeShaper
            .shape(text, Style::new(FontRole::Body, SIZE_3))
            .unwrap();
        break_lines(&glyphs, &measure)
            .iter()
            .map(|l| glyphs[l.range.clone()].iter().map(|g| g.ch).collect())
            .collect()
    }

    fn body() -> Measure {
        Measure {
            width: TYPE_WIDTH,
            first_indent: 2.0 * CHAR,
            rest_indent: 0.0,
            right_indent: 0.0,
        }
    }

    #[test]
    fn a_full_line_holds_28_characters_and_the_first_26() {
        let text = "文".repeat(26 + 28 + 5);
        let lines = lines_of(&text, body());
        assert_eq!(
            lines.iter().map(|l| l.chars().count()).collect::<Vec<_>>(),
            [26, 28, 5]
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // The 29th glyph of the second line is a full stop: it may not start
        // the third line, so the character before it goes down too.
        let text = format!("{}{}。后文", "甲".repeat(26), "乙".repeat(28));
        let lines = lines_of(&text, body());
        assert_eq!(lines[1].chars().count(), 27);
        assert_eq!(lines[2], "乙。后文");
        for l in &lines {
            assert!(!forbidden_at_line_start(l.chars().next().unwrap()), "{l}");
        }
    }

    #[test]
    fn opening_marks_never_end_a_line() {
        let text = format!("{}“引文”结束", "甲".repeat(25));
        let lines = lines_of(&text, body());
        assert_eq!(lines[0], "甲".repeat(25));
        assert!(lines[1].starts_with('“'));
    }

    #[test]
    fn dates_and_document_numbers_stay_whole() {
        let text = format!("{}于2020年10月9日印发", "甲".repeat(23));
        let lines = lines_of(&text, body());
        assert_eq!(lines[0], format!("{}于", "甲".repeat(23)));
        assert!(lines[1].starts_with("2020年10月9日"));

        let text = format!("{}岳市文明委〔2020〕1号文件", "甲".repeat(20));
        let lines = lines_of(&text, body());
        assert!(lines[1].starts_with("〔2020〕1号"), "{lines:?}");
    }

    #[test]
    fn numbers_and_latin_words_are_not_split() {
        let text = format!("{}得分98.5分", "甲".repeat(23));
        let lines = lines_of(&text, body());
        assert!(lines[1].starts_with("98.5"), "{lines:?}");
    }

    #[test]
    fn dashes_and_ellipses_stay_together() {
        let text = format!("{}——破折号", "甲".repeat(25));
        let lines = lines_of(&text, body());
        assert!(lines[1].starts_with("——"), "{lines:?}");
    }

    #[test]
    fn justified_lines_fill_the_measure_except_the_last() {
        let glyphs = FakeShaper
            .shape(
                &format!("{}2020年{}", "甲".repeat(30), "乙".repeat(30)),
                Style::new(FontRole::Body, SIZE_3),
            )
            .unwrap();
        let lines = break_lines(&glyphs, &body());
        for l in &lines {
            let filled = l.natural + l.justify_gap() * (l.range.len() - 1) as f32;
            if l.last {
                assert_eq!(l.justify_gap(), 0.0);
            } else {
                assert!(
                    (filled - l.available).abs() < 0.01,
                    "{filled} vs {}",
                    l.available
                );
            }
        }
    }

    #[test]
    fn an_overlong_word_is_cut_rather_than_lost() {
        let text = "1".repeat(80);
        let lines = lines_of(&text, Measure::plain(TYPE_WIDTH));
        assert!(lines.len() >= 2);
        assert_eq!(lines.iter().map(|l| l.len()).sum::<usize>(), 80);
    }
}
