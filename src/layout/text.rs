//! Measured text: the bridge between fonts and the pure layout steps.
//!
//! Text is shaped once into [`Glyph`]s (face, glyph id, advance); line
//! breaking and pagination only ever see these, so they can be tested with
//! a fake [`Shaper`] and no font files.

use crate::campaign::FontRole;

use super::geometry::GRID_RATIO;

/// Index of a loaded face in the renderer's font set.
pub type FaceId = u16;

/// One measured character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// The character, for line-breaking rules and text extraction.
    pub ch: char,
    /// The face that draws it.
    pub face: FaceId,
    /// Its glyph id in that face.
    pub gid: u16,
    /// The face's own advance, in thousandths of an em (what the PDF's
    /// widths array says).
    pub natural: u16,
    /// The advance used by layout, in pt.
    pub advance: f32,
}

impl Glyph {
    /// Whether the line breaker may stretch or drop this glyph at a line end.
    pub fn is_space(&self) -> bool {
        self.ch == ' ' || self.ch == '\u{3000}'
    }
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Typeface role.
    pub role: FontRole,
    /// Size in pt.
    pub size: f32,
    /// Colour.
    pub color: Color,
}

impl Style {
    /// Black text of a role and size.
    pub fn new(role: FontRole, size: f32) -> Style {
        Style {
            role,
            size,
            color: Color::Black,
        }
    }
}

/// Colours an official document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Everything by default.
    Black,
    /// Red head and separator: #FF0000.
    Red,
}

/// A character that no face of a role's chain has.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingGlyph {
    /// The character.
    pub ch: char,
    /// The role whose chain was searched.
    pub role: FontRole,
    /// The faces tried, in order.
    pub tried: Vec<String>,
}

/// Turns text into glyphs. Implemented by the loaded fonts, and by a fake
/// in the layout tests.
pub trait Shaper {
    /// Shapes `text` in `style`, appending to `out`. Fails on the first
    /// character that no face of the role's chain has.
    fn shape_into(
        &self,
        text: &str,
        style: Style,
        out: &mut Vec<Glyph>,
    ) -> Result<(), MissingGlyph>;

    /// Shapes `text` into a new vector.
    fn shape(&self, text: &str, style: Style) -> Result<Vec<Glyph>, MissingGlyph> {
        let mut out = Vec::with_capacity(text.len() / 2 + 1);
        self.shape_into(text, style, &mut out)?;
        Ok(out)
    }
}

/// Whether a character is set in the Latin face (Times New Roman): ASCII and
/// the Latin letters with diacritics. Everything else uses the role's CJK face.
pub fn is_latin(ch: char) -> bool {
    ch.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&ch)
}

/// The layout advance of a glyph: full-width glyphs from CJK faces sit on the
/// 15.793/16 grid; narrow ones and Latin glyphs keep their real advance.
pub fn layout_advance(natural: u16, size: f32, latin_face: bool) -> f32 {
    let em = natural as f32 / 1000.0;
    if !latin_face && em >= 0.9 {
        em * size * GRID_RATIO
    } else {
        em * size
    }
}

/// Total advance of glyphs.
pub fn width(glyphs: &[Glyph]) -> f32 {
    glyphs.iter().map(|g| g.advance).sum()
}

#[cfg(test)]
pub(crate) mod fake {
    //! A font-free shaper for layout tests: CJK 1 em, Latin 0.5 em.
    use super::*;

    /// Face 0 = CJK, face 1 = Latin.
    pub struct FakeShaper;

    impl Shaper for FakeShaper {
        fn shape_into(
            &self,
            text: &str,
            style: Style,
            out: &mut Vec<Glyph>,
        ) -> Result<(), MissingGlyph> {
            for ch in text.chars() {
                if ch == '\u{FFFF}' {
                    return Err(MissingGlyph {
                        ch,
                        role: style.role,
                        tried: vec!["Fake".into()],
                    });
                }
                let latin = is_latin(ch);
                let natural = if latin { 500 } else { 1000 };
                out.push(Glyph {
                    ch,
                    face: latin as FaceId,
                    gid: ch as u32 as u16,
                    natural,
                    advance: layout_advance(natural, style.size, latin),
                });
            }
            Ok(())
        }
    }
}
