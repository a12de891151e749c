//! The flow: a cursor moving down the pages line cell by line cell.
//!
//! Body text sits on the 28.99 pt pitch; a page starting at the type-area
//! top holds exactly 22 line cells. Paragraph placement (indents,
//! justification, alignment) lives here so that every element of the
//! document is set the same way.

use super::frame::{Item, Page, PageKind, PlacedGlyph, Rule, TextRun};
use super::geometry::{BOTTOM, EPS, LEFT, PITCH, TOP, baseline_in_cell};
use super::linebreak::{Line, Measure, break_lines};
use super::text::{Color, Glyph, MissingGlyph, Shaper, Style};

/// A character no face has, with the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutError {
    /// The glyph lookup that failed.
    pub missing: MissingGlyph,
    /// The text (a unit name, a field, a paragraph) it came from.
    pub context: String,
}

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ch = self.missing.ch;
        write!(
            f,
            "字体缺字：“{ch}”（U+{code:04X}，出自“{context}”）在{role}的所有字体中都没有，已尝试：{tried}。请安装含该字的字体，或在 fucha.toml 的 [fonts] 中加入",
            code = ch as u32,
            context = self.context,
            role = self.missing.role.label(),
            tried = self.missing.tried.join("、"),
        )
    }
}

impl std::error::Error for LayoutError {}

/// How the lines of a paragraph sit in their measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineAlign {
    /// Justified; the last line flush left.
    Justify,
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// Pages being filled, and the cursor.
pub struct Flow<'a, S: Shaper> {
    shaper: &'a S,
    /// Pages so far; the last one is being filled.
    pub pages: Vec<Page>,
    /// Top of the next free line cell, from the page top.
    pub y: f32,
}

impl<'a, S: Shaper> Flow<'a, S> {
    /// A flow with one empty page.
    pub fn new(shaper: &'a S) -> Self {
        let mut flow = Flow {
            shaper,
            pages: Vec::new(),
            y: TOP,
        };
        flow.new_page(PageKind::Content);
        flow
    }

    /// Shapes `text`, naming it in the error if a glyph is missing.
    pub fn shape(&self, text: &str, style: Style) -> Result<Vec<Glyph>, LayoutError> {
        self.shaper
            .shape(text, style)
            .map_err(|missing| LayoutError {
                missing,
                context: text.to_string(),
            })
    }

    /// Starts a new page with the cursor at the type-area top.
    pub fn new_page(&mut self, kind: PageKind) {
        self.pages.push(Page {
            items: Vec::new(),
            numbered: true,
            kind,
        });
        self.y = TOP;
    }

    /// Whether the current page has nothing on it yet.
    pub fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(|p| p.items.is_empty())
    }

    /// Whether `height` more fits on the current page.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= BOTTOM + EPS
    }

    /// Line cells left on the current page.
    pub fn cells_left(&self) -> usize {
        ((BOTTOM - self.y + EPS) / PITCH).floor().max(0.0) as usize
    }

    /// Takes the next line cell, on a new page if needed; returns its top.
    pub fn take_cell(&mut self) -> f32 {
        if !self.fits(PITCH) {
            self.new_page(PageKind::Content);
        }
        let top = self.y;
        self.y += PITCH;
        top
    }

    /// Skips `n` empty lines; empty lines at a page end are dropped, not
    /// carried to the next page's top.
    pub fn blank_lines(&mut self, n: usize) {
        for _ in 0..n {
            if !self.fits(PITCH) {
                self.y = BOTTOM;
                return;
            }
            self.y += PITCH;
        }
    }

    /// Adds an item to the current page.
    pub fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    /// Adds a rule to the current page.
    pub fn rule(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, width: f32, color: Color) {
        self.push(Item::Rule(Rule {
            x0,
            y0,
            x1,
            y1,
            width,
            color,
        }));
    }

    /// Shapes and breaks a paragraph, then sets it line by line on the flow.
    pub fn paragraph(
        &mut self,
        text: &str,
        style: Style,
        measure: Measure,
        align: LineAlign,
    ) -> Result<(), LayoutError> {
        let glyphs = self.shape(text, style)?;
        let lines = break_lines(&glyphs, &measure);
        let breaks = widow_safe_breaks(lines.len(), self.cells_left(), self.cells_per_page());
        if breaks.first() == Some(&0) && !self.page_is_empty() {
            self.new_page(PageKind::Content);
        }
        for (i, line) in lines.iter().enumerate() {
            if i > 0 && breaks.contains(&i) {
                self.new_page(PageKind::Content);
            }
            let top = self.take_cell();
            let run = set_line(
                &glyphs,
                line,
                LEFT,
                baseline_in_cell(top, style.size),
                style,
                align,
            );
            self.push(Item::Text(run));
        }
        Ok(())
    }

    /// Line cells on a page that starts at the type-area top.
    pub fn cells_per_page(&self) -> usize {
        ((BOTTOM - TOP + EPS) / PITCH).floor() as usize
    }

    /// How many lines `text` takes in `measure`.
    pub fn count_lines(
        &self,
        text: &str,
        style: Style,
        measure: &Measure,
    ) -> Result<usize, LayoutError> {
        let glyphs = self.shape(text, style)?;
        Ok(break_lines(&glyphs, measure).len())
    }
}

/// Where a paragraph of `n` lines starts new pages when `left` cells are
/// free on the current page and `per_page` on a fresh one: the indices of
/// the lines that open a page (0 = move the whole paragraph on). No first
/// line is left alone at a page foot (orphan) and no last line alone at a
/// page head (widow), as Word and LibreOffice do with `w:widowControl`.
pub fn widow_safe_breaks(n: usize, left: usize, per_page: usize) -> Vec<usize> {
    let mut breaks = Vec::new();
    let (mut start, mut room) = (0, left);
    while n - start > room {
        let mut take = room;
        // A lone last line would follow: carry one more line over.
        if n - start - take == 1 && take > 0 {
            take -= 1;
        }
        // A lone first line (or none) here: begin the paragraph on the next page.
        if start == 0 && take < 2 && n >= 2 {
            take = 0;
        }
        if take == 0 && start > 0 {
            // A page too short for the rule (never with 22 lines): fill it.
            take = room.max(1);
        }
        start += take;
        breaks.push(start);
        room = per_page.max(1);
    }
    breaks
}

/// Positions the glyphs of one broken line. `left` is the measure's left
/// edge; the line's indent is added to it.
pub fn set_line(
    glyphs: &[Glyph],
    line: &Line,
    left: f32,
    baseline: f32,
    style: Style,
    align: LineAlign,
) -> TextRun {
    let (offset, gap) = match align {
        LineAlign::Justify => (0.0, line.justify_gap()),
        LineAlign::Left => (0.0, 0.0),
        LineAlign::Center => (((line.available - line.natural) / 2.0).max(0.0), 0.0),
        LineAlign::Right => ((line.available - line.natural).max(0.0), 0.0),
    };
    let mut placed = Vec::with_capacity(line.range.len());
    let mut dx = 0.0;
    for g in &glyphs[line.range.clone()] {
        placed.push(PlacedGlyph::at(g, dx));
        dx += g.advance + gap;
    }
    TextRun {
        x: left + line.indent + offset,
        baseline,
        size: style.size,
        color: style.color,
        hscale: 1.0,
        glyphs: placed,
    }
}

/// A run of glyphs set solid (no breaking) from `x`.
pub fn set_solid(glyphs: &[Glyph], x: f32, baseline: f32, style: Style, hscale: f32) -> TextRun {
    let mut placed = Vec::with_capacity(glyphs.len());
    let mut dx = 0.0;
    for g in glyphs {
        placed.push(PlacedGlyph::at(g, dx));
        dx += g.advance * hscale;
    }
    TextRun {
        x,
        baseline,
        size: style.size,
        color: style.color,
        hscale,
        glyphs: placed,
    }
}

#[cfg(test)]
mod tests {
    use super::widow_safe_breaks;

    #[test]
    fn a_paragraph_that_fits_has_no_break() {
        assert!(widow_safe_breaks(5, 5, 22).is_empty());
    }

    #[test]
    fn no_lone_first_line_at_a_page_foot() {
        assert_eq!(widow_safe_breaks(4, 1, 22), vec![0]);
    }

    #[test]
    fn no_lone_last_line_at_a_page_head() {
        // 5 lines, 4 free: 3 here and 2 there, not 4 and 1.
        assert_eq!(widow_safe_breaks(5, 4, 22), vec![3]);
        // 3 lines, 2 free: all move on (1 + 2 would orphan, 2 + 1 widow).
        assert_eq!(widow_safe_breaks(3, 2, 22), vec![0]);
        // A plain split stays where it is.
        assert_eq!(widow_safe_breaks(6, 3, 22), vec![3]);
    }

    #[test]
    fn a_long_paragraph_keeps_the_rule_on_every_page() {
        // 2 + 22 + 1 would widow the last line.
        assert_eq!(widow_safe_breaks(25, 2, 22), vec![2, 23]);
    }
}
