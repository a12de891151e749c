//! Page geometry of GB/T 9704-2012 (see `docs/gbt9704.md` §1–§3).
//!
//! The page itself is [`PAGE`], in millimetres as the standard gives it;
//! each writer converts it to its own unit (the DOCX to twips). The layout
//! numbers below are in PDF points, derived from it, so that the line
//! breaker and the paginator agree with each other and with the DOCX.

/// The page and its type area (版心), in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageGeometry {
    /// Paper width.
    pub width: f32,
    /// Paper height.
    pub height: f32,
    /// 天头: the top margin.
    pub top: f32,
    /// 订口: the left margin.
    pub left: f32,
    /// Width of the type area.
    pub type_width: f32,
    /// Height of the type area.
    pub type_height: f32,
}

impl PageGeometry {
    /// The right margin.
    pub const fn right(&self) -> f32 {
        self.width - self.left - self.type_width
    }

    /// The bottom margin.
    pub const fn bottom(&self) -> f32 {
        self.height - self.top - self.type_height
    }
}

/// A4, margins top 37 mm and left 28 mm, type area 156 × 225 mm (so right
/// 26 mm and bottom 35 mm).
pub const PAGE: PageGeometry = PageGeometry {
    width: 210.0,
    height: 297.0,
    top: 37.0,
    left: 28.0,
    type_width: 156.0,
    type_height: 225.0,
};

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// A4 width.
pub const PAGE_WIDTH: f32 = PAGE.width * MM;
/// A4 height.
pub const PAGE_HEIGHT: f32 = PAGE.height * MM;
/// 订口: the left margin.
pub const LEFT: f32 = PAGE.left * MM;
/// 天头: the top margin.
pub const TOP: f32 = PAGE.top * MM;
/// Width of the type area (版心).
pub const TYPE_WIDTH: f32 = PAGE.type_width * MM;
/// Height of the type area.
pub const TYPE_HEIGHT: f32 = PAGE.type_height * MM;
/// Right edge of the type area, from the page's left edge.
pub const RIGHT: f32 = LEFT + TYPE_WIDTH;
/// Bottom edge of the type area, from the page's top edge.
pub const BOTTOM: f32 = TOP + TYPE_HEIGHT;

/// Lines on a full page.
pub const LINES_PER_PAGE: usize = 22;
/// Characters on a full line.
const CHARS_PER_LINE: usize = 28;
/// Baseline pitch: 225 mm / 22 = 28.99 pt.
pub const PITCH: f32 = TYPE_HEIGHT / LINES_PER_PAGE as f32;
/// Character pitch of 3号 body text: 156 mm / 28 = 15.793 pt.
pub const CHAR: f32 = TYPE_WIDTH / CHARS_PER_LINE as f32;

/// 3号: body, headings, signature.
pub const SIZE_3: f32 = 16.0;
/// 2号: title.
pub const SIZE_2: f32 = 22.0;
/// 4号: 版记, page numbers, tables.
pub const SIZE_4: f32 = 14.0;
/// 小四.
pub const SIZE_XIAO4: f32 = 12.0;

/// Full-width glyphs are set at this fraction of their em so that 28 of
/// them at 16 pt fill the 156 mm line (16 pt glyph on a 15.793 pt advance).
pub const GRID_RATIO: f32 = CHAR / SIZE_3;

/// Top of the ideographic em box above the baseline, in em. Used to put a
/// glyph's top edge where the standard measures it (the red head) and to
/// centre text in its line cell.
pub const EM_ASCENT: f32 = 0.88;
/// Bottom of the ideographic em box below the baseline, in em.
pub const EM_DESCENT: f32 = 0.12;

/// Red head: its top edge sits 35 mm below the type-area top.
pub const RED_HEAD_TOP: f32 = TOP + 35.0 * MM;
/// Red separator: 4 mm below the 发文字号.
pub const RED_LINE_GAP: f32 = 4.0 * MM;
/// Red separator thickness: 0.5 mm (the standard gives none; practice varies).
pub const RED_LINE_WIDTH: f32 = 0.5 * MM;
/// 版记 thick rules: 0.35 mm.
pub const THICK_RULE: f32 = 0.35 * MM;
/// 版记 thin rules: 0.25 mm.
pub const THIN_RULE: f32 = 0.25 * MM;
/// Page number: the dash's centre 7 mm below the type area.
pub const PAGE_NUMBER_Y: f32 = BOTTOM + 7.0 * MM;

/// The baseline of text of `size` centred in a line cell whose top is `top`.
pub fn baseline_in_cell(top: f32, size: f32) -> f32 {
    top + (PITCH - size) / 2.0 + EM_ASCENT * size
}

/// Tolerance when comparing lengths: far below what a reader could see.
pub const EPS: f32 = 0.01;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_matches_the_standard() {
        assert!((PITCH - 28.99).abs() < 0.01);
        assert!((CHAR - 15.793).abs() < 0.001);
        assert!((PAGE_WIDTH - 595.28).abs() < 0.01);
        assert!((PAGE_HEIGHT - 841.89).abs() < 0.01);
    }
}
