//! Runs and paragraphs with the GB/T 9704 measures: which face a role uses,
//! the sizes in half-points, the exact 579-twip line pitch, and a width
//! estimate for the few places (signatures, 签发人) where we must compute
//! an indent from the text itself.
//!
//! The 22 × 28 grid comes from exact line spacing plus −0.25 pt tracking on
//! 3号 runs (see `docs/gbt9704.md` §2): a character grid (`linesAndChars`) is
//! rendered by LibreOffice with 14 characters a line, so we never use one.

use super::story::{Alignment, FirstLine, Indent, Paragraph, Run, RunContent, Spacing};
use super::xml::escape;
use crate::campaign::{FontRole, FontSettings};
use crate::layout::geometry::{LINES_PER_PAGE, PAGE};
use std::borrow::Cow;

/// Millimetres in twips, to the nearest twip (1 in = 25.4 mm = 1440 twips).
pub(crate) const fn twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4 + 0.5) as i32
}

/// Line pitch: the type height (225 mm) / 22 lines, rounded down so 22
/// lines fit (579 twips).
pub(crate) const LINE_PITCH: i32 =
    (PAGE.type_height * 1440.0 / 25.4 / LINES_PER_PAGE as f32) as i32;
/// Left margin, 28 mm (1587 twips).
pub(crate) const LEFT_MARGIN: i32 = twips(PAGE.left);
/// Width of the type area, 156 mm (8844 twips).
pub(crate) const TYPE_WIDTH: i32 = twips(PAGE.type_width);
/// One 3号 character (twips): the unit of "左空N字".
pub(crate) const CHAR: i32 = 320;
/// One 4号 character (twips): the unit of the 版记 and page-number indents.
pub(crate) const CHAR_4: i32 = 280;
/// Tracking on 3号 runs, in twentieths of a point: 16 − 0.25 = 15.75 pt per
/// glyph, so 28 glyphs fit in 442.2 pt.
pub(crate) const BODY_TRACKING: i32 = -5;

/// 2号 (22 pt) in half-points.
pub(crate) const SIZE_2: usize = 44;
/// 3号 (16 pt).
pub(crate) const SIZE_3: usize = 32;
/// 4号 (14 pt).
pub(crate) const SIZE_4: usize = 28;

/// The red of the head and separator.
pub(crate) const RED: &str = "FF0000";

/// The `w:eastAsia` name of each role, and the Latin face.
#[derive(Debug, Clone)]
pub(crate) struct RoleFonts {
    title: String,
    body: String,
    heading1: String,
    heading2: String,
    page_number: String,
    latin: String,
    /// The `w:rFonts` element of each role, in [`FontRole::ALL`] order:
    /// written once here, copied into every run.
    fonts_elements: Vec<String>,
}

impl RoleFonts {
    /// The names as configured.
    pub(crate) fn new(fonts: &FontSettings) -> RoleFonts {
        let name = |role| fonts.docx_name(role);
        let mut names = RoleFonts {
            title: name(FontRole::Title),
            body: name(FontRole::Body),
            heading1: name(FontRole::Heading1),
            heading2: name(FontRole::Heading2),
            page_number: name(FontRole::PageNumber),
            latin: name(FontRole::Latin),
            fonts_elements: Vec::new(),
        };
        names.fonts_elements = FontRole::ALL
            .iter()
            .map(|&role| names.run_fonts_element(role))
            .collect();
        names
    }

    pub(crate) fn name(&self, role: FontRole) -> &str {
        match role {
            FontRole::Title => &self.title,
            FontRole::Body => &self.body,
            FontRole::Heading1 => &self.heading1,
            FontRole::Heading2 => &self.heading2,
            FontRole::PageNumber => &self.page_number,
            FontRole::Latin => &self.latin,
        }
    }

    /// The role's `w:rFonts` element.
    pub(crate) fn run_fonts(&self, role: FontRole) -> &str {
        let i = FontRole::ALL.iter().position(|&r| r == role);
        &self.fonts_elements[i.expect("FontRole::ALL lists every role")]
    }

    /// Chinese in the role's face, digits and Latin in Times New Roman.
    /// Page numbers are the exception: the standard asks for 宋体 digits.
    /// `w:hint="eastAsia"` makes ambiguous marks (“” — …) full width.
    fn run_fonts_element(&self, role: FontRole) -> String {
        let east_asia = escape(self.name(role));
        let latin = if role == FontRole::PageNumber {
            east_asia.clone()
        } else {
            escape(&self.latin)
        };
        format!(
            "<w:rFonts w:ascii=\"{latin}\" w:hAnsi=\"{latin}\" w:cs=\"{latin}\" \
             w:eastAsia=\"{east_asia}\" w:hint=\"eastAsia\" />"
        )
    }
}

/// How a run looks: role, size, tracking, colour, horizontal scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Face {
    pub(crate) role: FontRole,
    pub(crate) size: usize,
    pub(crate) tracking: i32,
    pub(crate) color: Option<&'static str>,
    pub(crate) scale: Option<i32>,
}

impl Face {
    /// 3号 in a role, with the grid tracking.
    pub(crate) fn grid(role: FontRole) -> Face {
        Face {
            role,
            size: SIZE_3,
            tracking: BODY_TRACKING,
            color: None,
            scale: None,
        }
    }

    /// Any size in a role, without tracking.
    pub(crate) fn plain(role: FontRole, size: usize) -> Face {
        Face {
            role,
            size,
            tracking: 0,
            color: None,
            scale: None,
        }
    }
}

/// Builds runs and paragraphs in the document's faces.
#[derive(Debug, Clone)]
pub(crate) struct Typesetter {
    pub(crate) fonts: RoleFonts,
}

impl Typesetter {
    /// One run of text. Never bold: the weight of 小标宋, 黑体 and 楷体 is
    /// part of their design.
    pub(crate) fn run<'a>(&self, text: impl Into<Cow<'a, str>>, face: Face) -> Run<'a> {
        Run {
            face,
            content: RunContent::Text(text.into()),
        }
    }

    /// An empty paragraph whose mark carries the face (but not its
    /// horizontal scale), so that its height and the font Word shows for it
    /// are the face's.
    pub(crate) fn paragraph<'a>(&self, face: Face) -> Paragraph<'a> {
        let mark = Face {
            scale: None,
            ..face
        };
        Paragraph::new(mark, exact(LINE_PITCH))
    }

    /// A run that advances to the next tab stop.
    pub(crate) fn tab(&self, face: Face) -> Run<'static> {
        Run {
            face,
            content: RunContent::Tab,
        }
    }

    /// A run that breaks the line without ending the paragraph.
    pub(crate) fn line_break(&self, face: Face) -> Run<'static> {
        Run {
            face,
            content: RunContent::LineBreak,
        }
    }

    /// A paragraph of one run.
    pub(crate) fn line<'a>(
        &self,
        text: impl Into<Cow<'a, str>>,
        face: Face,
        align: Alignment,
    ) -> Paragraph<'a> {
        self.paragraph(face)
            .align(align)
            .add_run(self.run(text, face))
    }

    /// A body paragraph: justified, first line indented two characters.
    pub(crate) fn body<'a>(&self, text: impl Into<Cow<'a, str>>, role: FontRole) -> Paragraph<'a> {
        let face = Face::grid(role);
        self.line(text, face, Alignment::Both).indent(Indent {
            first_line: Some(FirstLine::Indent(2 * CHAR)),
            ..Indent::default()
        })
    }

    /// An empty line of the grid ("空一行").
    pub(crate) fn blank<'a>(&self) -> Paragraph<'a> {
        self.paragraph(Face::grid(FontRole::Body))
    }
}

/// Exact line spacing with no space before or after.
pub(crate) fn exact(twips: i32) -> Spacing {
    Spacing {
        before: 0,
        line: twips,
        exact: true,
    }
}

/// Estimated advance of `text` in twips at `size` half-points with
/// `tracking` twentieths of a point per character: CJK and full-width marks
/// take one em, ASCII half an em (Times New Roman digits are exactly that).
pub(crate) fn text_width(text: &str, size: usize, tracking: i32) -> i32 {
    let em = size as i32 * 10;
    text.chars()
        .map(|c| if c.is_ascii() { em / 2 } else { em } + tracking)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_in_twips_comes_from_the_millimetres() {
        // The values Word files had when they were written as bare twips.
        assert_eq!(twips(PAGE.width), 11906);
        assert_eq!(twips(PAGE.height), 16838);
        assert_eq!(twips(PAGE.top), 2098);
        assert_eq!(twips(PAGE.right()), 1474);
        assert_eq!(twips(PAGE.bottom()), 1984);
        assert_eq!(twips(25.1), 1423);
        assert_eq!(LEFT_MARGIN, 1587);
        assert_eq!(TYPE_WIDTH, 8844);
        assert_eq!(LINE_PITCH, 579);
    }

    #[test]
    fn a_full_line_of_tracked_body_text_fits_the_type_area() {
        let line = "字".repeat(28);
        assert!(text_width(&line, SIZE_3, BODY_TRACKING) <= TYPE_WIDTH);
        let too_long = "字".repeat(29);
        assert!(text_width(&too_long, SIZE_3, BODY_TRACKING) > TYPE_WIDTH);
    }

    #[test]
    fn digits_are_half_width() {
        assert_eq!(text_width("2020年", SIZE_3, 0), 4 * 160 + 320);
    }
}
