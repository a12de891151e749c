//! Positioned items: what pagination produces and the PDF writer paints.
//!
//! Coordinates are in pt from the page's top-left corner (y grows
//! downwards), the way the standard measures; the writer flips them.

use super::text::{Color, FaceId, Glyph};

/// One laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Text runs and rules, in painting order.
    pub items: Vec<Item>,
    /// Whether the page carries a page number (not the blank page before
    /// the 版记 nor that 版记 page).
    pub numbered: bool,
    /// What the page holds, for tests and reports.
    pub kind: PageKind,
}

/// What a page holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PageKind {
    /// Body or attachment content.
    #[default]
    Content,
    /// An empty page inserted so that the 版记 lands on an even page.
    Blank,
    /// A page holding only the 版记.
    Colophon,
}

/// A positioned item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text (or part of one) in one style.
    Text(TextRun),
    /// A straight line: rules, the red separator, table borders.
    Rule(Rule),
}

/// Glyphs on one baseline in one size and colour; faces may change inside.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left edge of the first glyph.
    pub x: f32,
    /// Baseline, from the page top.
    pub baseline: f32,
    /// Font size in pt.
    pub size: f32,
    /// Fill colour.
    pub color: Color,
    /// Horizontal scaling (1.0 = none); only the red head is condensed.
    pub hscale: f32,
    /// The glyphs, with their offsets from `x`.
    pub glyphs: Vec<PlacedGlyph>,
}

impl TextRun {
    /// The run's text, for tests and extraction checks.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.ch).collect()
    }
}

/// A glyph at a horizontal offset within its run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// Offset of the glyph's left edge from the run's `x`.
    pub dx: f32,
    /// Face.
    pub face: FaceId,
    /// Glyph id in the face.
    pub gid: u16,
    /// The face's advance in thousandths of an em.
    pub natural: u16,
    /// The character, for the text layer.
    pub ch: char,
}

impl PlacedGlyph {
    /// A measured glyph placed `dx` from its run's start.
    pub fn at(glyph: &Glyph, dx: f32) -> PlacedGlyph {
        PlacedGlyph {
            dx,
            face: glyph.face,
            gid: glyph.gid,
            natural: glyph.natural,
            ch: glyph.ch,
        }
    }
}

/// A straight line from `(x0, y0)` to `(x1, y1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Start x.
    pub x0: f32,
    /// Start y, from the page top.
    pub y0: f32,
    /// End x.
    pub x1: f32,
    /// End y, from the page top.
    pub y1: f32,
    /// Stroke width in pt.
    pub width: f32,
    /// Colour.
    pub color: Color,
}
