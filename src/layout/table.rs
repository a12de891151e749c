//! Tables: column widths from content, wrapped cells, borders, and a header
//! row repeated at the top of every page the table spans.
//!
//! Cells are set in 小四 (12 pt) on 18 pt lines (五号 on 15.75 pt in tables of
//! eight or more columns), as the DOCX renderer sets
//! them: 仿宋 for data, 黑体 for the header. The result lists run to six or
//! more columns, and at 12 pt a unit name wraps to two lines rather than four. A row moves to
//! the next page whole unless it is taller than a page, then it is split
//! between lines.

use crate::campaign::FontRole;
use crate::doc::{CellAlign, Table};

use super::flow::{Flow, LayoutError, LineAlign, set_line};
use super::frame::{Item, PageKind};
use super::geometry::{BOTTOM, EM_ASCENT, EPS, LEFT, TYPE_HEIGHT, TYPE_WIDTH};

pub mod plan;
use super::linebreak::{Line, Measure, break_lines};
use super::text::{Color, Glyph, Shaper, Style};

/// Padding between a cell's border and its text, left and right: the
/// DOCX's 85-twip cell margin.
const PAD_H: f32 = 4.25;
/// Padding above and below a cell's text.
const PAD_V: f32 = 4.0;
/// Border width.
const BORDER: f32 = 0.5;

/// A shaped and broken row.
struct RowLayout {
    cells: Vec<(Vec<Glyph>, Vec<Line>)>,
    lines: usize,
    /// Pitch of its lines.
    pitch: f32,
}

impl RowLayout {
    fn height(&self) -> f32 {
        self.lines as f32 * self.pitch + 2.0 * PAD_V
    }
}

/// Lays a table out on the flow, starting at the cursor.
pub fn layout<S: Shaper>(flow: &mut Flow<S>, table: &Table) -> Result<(), LayoutError> {
    let ncol = table.columns.len();
    if ncol == 0 {
        return Ok(());
    }
    let size = plan::cell_size(ncol);
    let head_style = Style::new(FontRole::Heading1, size);
    let cell_style = Style::new(FontRole::Body, size);
    let header: Vec<Vec<Glyph>> = table
        .columns
        .iter()
        .map(|c| flow.shape(&c.header, head_style))
        .collect::<Result<_, _>>()?;
    let mut rows: Vec<Vec<Vec<Glyph>>> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let cells = (0..ncol)
            .map(|c| flow.shape(row.get(c).map(String::as_str).unwrap_or(""), cell_style))
            .collect::<Result<_, _>>()?;
        rows.push(cells);
    }
    let widths = column_widths(table);
    let header = break_row(header, &widths);
    let mut aligns: Vec<LineAlign> = table
        .columns
        .iter()
        .map(|c| match c.align {
            CellAlign::Left => LineAlign::Left,
            CellAlign::Center => LineAlign::Center,
        })
        .collect();
    aligns.resize(ncol, LineAlign::Left);
    let header_aligns = vec![LineAlign::Center; ncol];

    let mut painter = Painter {
        widths: &widths,
        segment_top: flow.y,
    };
    let first_h = rows
        .first()
        .map(|r| break_row(r.clone(), &widths).height())
        .unwrap_or(0.0);
    if !flow.fits(header.height() + first_h.min(TYPE_HEIGHT / 2.0)) && !flow.page_is_empty() {
        flow.new_page(PageKind::Content);
    }
    painter.start_segment(flow, &header, &header_aligns, head_style);
    for cells in rows {
        let row = break_row(cells, &widths);
        let room = TYPE_HEIGHT - header.height();
        if row.height() > room + EPS {
            painter.split_row(
                flow,
                &row,
                &header,
                &aligns,
                &header_aligns,
                cell_style,
                head_style,
            );
            continue;
        }
        if !flow.fits(row.height()) {
            painter.end_segment(flow);
            flow.new_page(PageKind::Content);
            painter.start_segment(flow, &header, &header_aligns, head_style);
        }
        painter.row(flow, &row, 0..row.lines, &aligns, cell_style);
    }
    painter.end_segment(flow);
    // The text after a table follows its bottom rule directly, as in a word
    // processor, rather than on the next grid line: snapping would add up to
    // a line and the two formats would break their pages differently.
    Ok(())
}

/// Height of the header row and the first data row: what must fit below
/// a heading for the table to start on the same page.
pub fn opening_height<S: Shaper>(flow: &Flow<S>, table: &Table) -> Result<f32, LayoutError> {
    let ncol = table.columns.len();
    if ncol == 0 {
        return Ok(0.0);
    }
    let size = plan::cell_size(ncol);
    let widths = column_widths(table);
    let header: Vec<Vec<Glyph>> = table
        .columns
        .iter()
        .map(|c| flow.shape(&c.header, Style::new(FontRole::Heading1, size)))
        .collect::<Result<_, _>>()?;
    let mut height = break_row(header, &widths).height();
    if let Some(row) = table.rows.first() {
        let cells: Vec<Vec<Glyph>> = (0..ncol)
            .map(|c| {
                let text = row.get(c).map(String::as_str).unwrap_or("");
                flow.shape(text, Style::new(FontRole::Body, size))
            })
            .collect::<Result<_, _>>()?;
        height += break_row(cells, &widths).height();
    }
    Ok(height)
}

/// Column widths from the shared plan (see [`plan`]), so that the PDF and
/// the DOCX draw the same table.
pub fn column_widths(table: &Table) -> Vec<f32> {
    let size = plan::cell_size(table.columns.len());
    plan::plan_columns(&column_texts(table), size, PAD_H, TYPE_WIDTH)
}

/// Each column's cells, header first, as the planner reads them.
pub fn column_texts(table: &Table) -> Vec<Vec<&str>> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            std::iter::once(col.header.as_str())
                .chain(
                    table
                        .rows
                        .iter()
                        .map(move |r| r.get(c).map(String::as_str).unwrap_or("")),
                )
                .collect()
        })
        .collect()
}

fn break_row(cells: Vec<Vec<Glyph>>, widths: &[f32]) -> RowLayout {
    let mut lines = 1;
    let cells: Vec<(Vec<Glyph>, Vec<Line>)> = cells
        .into_iter()
        .zip(widths)
        .map(|(glyphs, w)| {
            let broken = break_lines(&glyphs, &Measure::plain(w - 2.0 * PAD_H));
            lines = lines.max(broken.len());
            (glyphs, broken)
        })
        .collect();
    RowLayout {
        cells,
        lines,
        pitch: plan::cell_pitch(widths.len()),
    }
}

/// Paints rows and borders page segment by page segment.
struct Painter<'w> {
    widths: &'w [f32],
    segment_top: f32,
}

impl Painter<'_> {
    fn start_segment<S: Shaper>(
        &mut self,
        flow: &mut Flow<S>,
        header: &RowLayout,
        aligns: &[LineAlign],
        style: Style,
    ) {
        self.segment_top = flow.y;
        self.row(flow, header, 0..header.lines, aligns, style);
    }

    /// Draws the lines `range` of a row at the cursor, with its top border.
    fn row<S: Shaper>(
        &mut self,
        flow: &mut Flow<S>,
        row: &RowLayout,
        range: std::ops::Range<usize>,
        aligns: &[LineAlign],
        style: Style,
    ) {
        let top = flow.y;
        let whole = range.start == 0 && range.end == row.lines;
        flow.rule(LEFT, top, LEFT + TYPE_WIDTH, top, BORDER, Color::Black);
        let mut x = LEFT;
        for (((glyphs, lines), w), align) in row.cells.iter().zip(self.widths).zip(aligns) {
            // Cells shorter than their row are centred vertically.
            let shift = if whole {
                (row.lines - lines.len()) as f32 * row.pitch / 2.0
            } else {
                0.0
            };
            for (j, line) in lines.iter().enumerate().filter(|(j, _)| range.contains(j)) {
                let line_top = top + PAD_V + shift + (j - range.start) as f32 * row.pitch;
                let baseline = line_top + (row.pitch - style.size) / 2.0 + EM_ASCENT * style.size;
                let run = set_line(glyphs, line, x + PAD_H, baseline, style, *align);
                flow.push(Item::Text(run));
            }
            x += w;
        }
        flow.y = top + range.len() as f32 * row.pitch + 2.0 * PAD_V;
    }

    /// A row taller than a page: as many lines as fit on each page.
    #[allow(
        clippy::too_many_arguments,
        reason = "the painter needs both rows' styles"
    )]
    fn split_row<S: Shaper>(
        &mut self,
        flow: &mut Flow<S>,
        row: &RowLayout,
        header: &RowLayout,
        aligns: &[LineAlign],
        header_aligns: &[LineAlign],
        style: Style,
        head_style: Style,
    ) {
        let mut from = 0;
        while from < row.lines {
            let fit = ((BOTTOM - flow.y - 2.0 * PAD_V + EPS) / row.pitch)
                .floor()
                .max(0.0) as usize;
            if fit == 0 {
                self.end_segment(flow);
                flow.new_page(PageKind::Content);
                self.start_segment(flow, header, header_aligns, head_style);
                continue;
            }
            let to = (from + fit).min(row.lines);
            self.row(flow, row, from..to, aligns, style);
            from = to;
        }
    }

    /// Closes the segment on this page: bottom border and column rules.
    fn end_segment<S: Shaper>(&mut self, flow: &mut Flow<S>) {
        let bottom = flow.y;
        flow.rule(
            LEFT,
            bottom,
            LEFT + TYPE_WIDTH,
            bottom,
            BORDER,
            Color::Black,
        );
        let mut x = LEFT;
        flow.rule(x, self.segment_top, x, bottom, BORDER, Color::Black);
        for w in self.widths {
            x += w;
            flow.rule(x, self.segment_top, x, bottom, BORDER, Color::Black);
        }
    }
}
