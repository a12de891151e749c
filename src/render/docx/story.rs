//! The story as we build it: paragraphs, runs and tables with only the
//! properties our documents use.
//!
//! `head`, `body` and `table` build these values and `write` turns them into
//! WordprocessingML. A value between the two, rather than XML written by
//! the builders, lets a builder change a paragraph after making it (a page
//! break becomes `pageBreakBefore` on the paragraph after it) and keeps the
//! schema's element order in one place, `write`.

use super::text::Face;
use std::borrow::Cow;

/// One block of the body, in reading order.
#[allow(
    clippy::large_enum_variant,
    reason = "pieces are built and consumed one at a time; boxing buys nothing"
)]
pub(crate) enum Piece<'a> {
    Paragraph(Paragraph<'a>),
    Table(Table<'a>),
}

/// Horizontal alignment of a paragraph (`w:jc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alignment {
    Left,
    Center,
    Right,
    /// Justified.
    Both,
}

/// Line spacing: `line` twips, exactly or as the font's single spacing
/// (`auto`, where 240 means single), after `before` twips; never any space
/// after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spacing {
    pub(crate) before: u32,
    pub(crate) line: i32,
    pub(crate) exact: bool,
}

impl Spacing {
    /// The same spacing, `twips` below the paragraph above.
    pub(crate) fn before(self, twips: u32) -> Spacing {
        Spacing {
            before: twips,
            ..self
        }
    }
}

/// The first line's indent relative to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstLine {
    Indent(i32),
    Hanging(i32),
}

/// Paragraph indents in twips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Indent {
    pub(crate) left: i32,
    pub(crate) right: i32,
    pub(crate) first_line: Option<FirstLine>,
}

/// A tab stop at `pos` twips, aligning what follows it at its left or its
/// right end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tab {
    pub(crate) right_aligned: bool,
    pub(crate) pos: i32,
}

impl Tab {
    pub(crate) fn left(pos: i32) -> Tab {
        Tab {
            right_aligned: false,
            pos,
        }
    }

    pub(crate) fn right(pos: i32) -> Tab {
        Tab {
            right_aligned: true,
            pos,
        }
    }
}

/// A rule: `size` in eighths of a point, `space` points from the text;
/// `single: false` is no rule at all (`nil`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Border {
    pub(crate) single: bool,
    pub(crate) size: u32,
    pub(crate) space: u32,
    pub(crate) color: &'static str,
}

impl Border {
    /// A single black rule flush with the text.
    pub(crate) fn single(size: u32) -> Border {
        Border {
            single: true,
            size,
            space: 0,
            color: "000000",
        }
    }

    /// No rule. Size and colour are the ones docx-rs wrote, kept so the
    /// output stayed byte for byte the same; word processors ignore them.
    pub(crate) const NONE: Border = Border {
        single: false,
        size: 2,
        space: 0,
        color: "000000",
    };
}

/// A paragraph: its properties, the look of its mark (which sets the
/// height and the font of an empty line), and its runs.
#[derive(Debug, Clone)]
pub(crate) struct Paragraph<'a> {
    pub(crate) mark: Face,
    pub(crate) keep_next: bool,
    pub(crate) page_break_before: bool,
    pub(crate) bottom_border: Option<Border>,
    pub(crate) tabs: Vec<Tab>,
    pub(crate) spacing: Spacing,
    pub(crate) indent: Option<Indent>,
    pub(crate) alignment: Option<Alignment>,
    pub(crate) outline_level: Option<u8>,
    pub(crate) runs: Vec<Run<'a>>,
}

impl<'a> Paragraph<'a> {
    /// An empty paragraph with widow control (always on) and `spacing`.
    pub(crate) fn new(mark: Face, spacing: Spacing) -> Paragraph<'a> {
        Paragraph {
            mark,
            keep_next: false,
            page_break_before: false,
            bottom_border: None,
            tabs: Vec::new(),
            spacing,
            indent: None,
            alignment: None,
            outline_level: None,
            runs: Vec::new(),
        }
    }

    pub(crate) fn align(mut self, alignment: Alignment) -> Paragraph<'a> {
        self.alignment = Some(alignment);
        self
    }

    pub(crate) fn indent(mut self, indent: Indent) -> Paragraph<'a> {
        self.indent = Some(indent);
        self
    }

    pub(crate) fn line_spacing(mut self, spacing: Spacing) -> Paragraph<'a> {
        self.spacing = spacing;
        self
    }

    /// Keeps the paragraph on the page of the next one.
    pub(crate) fn keep_next(mut self) -> Paragraph<'a> {
        self.keep_next = true;
        self
    }

    /// Starts the paragraph on a new page.
    pub(crate) fn page_break_before(mut self) -> Paragraph<'a> {
        self.page_break_before = true;
        self
    }

    /// The outline level shown in Word's navigation pane, 0 for the top.
    pub(crate) fn outline_level(mut self, level: u8) -> Paragraph<'a> {
        self.outline_level = Some(level);
        self
    }

    pub(crate) fn add_tab(mut self, tab: Tab) -> Paragraph<'a> {
        self.tabs.push(tab);
        self
    }

    pub(crate) fn bottom_border(mut self, border: Border) -> Paragraph<'a> {
        self.bottom_border = Some(border);
        self
    }

    pub(crate) fn add_run(mut self, run: Run<'a>) -> Paragraph<'a> {
        self.runs.push(run);
        self
    }
}

/// One run: a face and one thing in it.
#[derive(Debug, Clone)]
pub(crate) struct Run<'a> {
    pub(crate) face: Face,
    pub(crate) content: RunContent<'a>,
}

/// What a run holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunContent<'a> {
    /// Text, borrowed from the document where it can be: a long table
    /// holds hundreds of thousands of cells.
    Text(Cow<'a, str>),
    /// Advance to the next tab stop.
    Tab,
    /// A line break inside the paragraph.
    LineBreak,
    /// The parts of a field: begin, instruction, separator, end.
    FieldBegin,
    FieldInstruction(&'static str),
    FieldSeparate,
    FieldEnd,
}

/// A table of the type-area width with fixed column widths, rows that never
/// split across pages, and one paragraph a cell.
#[derive(Debug, Clone)]
pub(crate) struct Table<'a> {
    /// Column widths in twips.
    pub(crate) grid: Vec<i32>,
    /// For a floating table, its horizontal distance from the page's left
    /// edge; it then sits at the bottom of the type area.
    pub(crate) float_x: Option<i32>,
    /// Top, left, bottom, right, between rows, between columns.
    pub(crate) borders: [Border; 6],
    /// Cell padding: top, left, bottom, right (twips).
    pub(crate) cell_margins: [i32; 4],
    /// Whether the first row repeats at the top of every page.
    pub(crate) header_row: bool,
    pub(crate) rows: Vec<Vec<Cell<'a>>>,
}

/// One cell: its width in twips, whether its text is centred vertically,
/// and its paragraph.
#[derive(Debug, Clone)]
pub(crate) struct Cell<'a> {
    pub(crate) width: i32,
    pub(crate) v_center: bool,
    pub(crate) paragraph: Paragraph<'a>,
}
