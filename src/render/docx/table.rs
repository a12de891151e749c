//! Tables: the result lists that run over many pages. Full type-area width,
//! column widths from content, 小四 (12 pt) text (五号 in tables of eight or
//! more columns) — 黑体 header, 仿宋 cells —
//! single black rules, rows that never split, and a header row repeated on
//! every page (`w:tblHeader`; every table we write has exactly one header
//! row, its first).

use super::story::{Alignment, Border, Cell, Table};
use super::text::{Face, TYPE_WIDTH, Typesetter, exact};
use crate::campaign::FontRole;
use crate::doc::{self, CellAlign};
use crate::layout::table::plan;

/// Cell padding left and right (twips).
const CELL_PAD: i32 = 85;
/// Cell padding above and below (twips): the PDF's 4 pt, so rows are
/// equally tall in both formats.
const CELL_PAD_V: i32 = 80;

impl Typesetter {
    pub(crate) fn table<'a>(&self, table: &'a doc::Table) -> Table<'a> {
        let widths = column_widths(table);
        let ncol = table.columns.len();
        let size = (plan::cell_size(ncol) * 2.0).round() as usize;
        let line = (plan::cell_pitch(ncol) * 20.0).round() as i32;
        let header = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                self.cell(
                    &c.header,
                    *w,
                    FontRole::Heading1,
                    Alignment::Center,
                    (size, line),
                )
            })
            .collect();
        let mut rows = Vec::with_capacity(table.rows.len() + 1);
        rows.push(header);
        for row in &table.rows {
            let cells = table
                .columns
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    let text = row.get(i).map(String::as_str).unwrap_or("");
                    let align = match c.align {
                        CellAlign::Left => Alignment::Left,
                        CellAlign::Center => Alignment::Center,
                    };
                    self.cell(text, *w, FontRole::Body, align, (size, line))
                })
                .collect();
            rows.push(cells);
        }
        Table {
            grid: widths,
            float_x: None,
            borders: [Border::single(4); 6],
            cell_margins: [CELL_PAD_V, CELL_PAD, CELL_PAD_V, CELL_PAD],
            header_row: true,
            rows,
        }
    }

    /// One cell; `(size, line)`: text size in half-points, line pitch in twips.
    fn cell<'a>(
        &self,
        text: &'a str,
        width: i32,
        role: FontRole,
        align: Alignment,
        (size, line): (usize, i32),
    ) -> Cell<'a> {
        let face = Face::plain(role, size);
        let paragraph = self
            .paragraph(face)
            .line_spacing(exact(line))
            .align(align)
            .add_run(self.run(text, face));
        Cell {
            width,
            v_center: true,
            paragraph,
        }
    }
}

/// Column widths (twips) summing to the type width, from the plan the PDF
/// renderer uses too, so both formats wrap the same cells.
pub(crate) fn column_widths(table: &doc::Table) -> Vec<i32> {
    if table.columns.is_empty() {
        return vec![TYPE_WIDTH];
    }
    let texts = crate::layout::table::column_texts(table);
    let planned = plan::plan_columns(
        &texts,
        plan::cell_size(table.columns.len()),
        CELL_PAD as f32 / 20.0,
        TYPE_WIDTH as f32 / 20.0,
    );
    let mut widths: Vec<i32> = planned.iter().map(|w| (w * 20.0).round() as i32).collect();
    // Rounding: the remainder goes to the widest column.
    let sum: i32 = widths.iter().sum();
    if let Some(widest) = (0..widths.len()).max_by_key(|&i| (widths[i], usize::MAX - i)) {
        widths[widest] += TYPE_WIDTH - sum;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Column;

    fn table(headers: &[&str], row: &[&str]) -> doc::Table {
        doc::Table {
            columns: headers
                .iter()
                .map(|h| Column {
                    header: h.to_string(),
                    align: CellAlign::Left,
                })
                .collect(),
            rows: vec![row.iter().map(|s| s.to_string()).collect()],
        }
    }

    #[test]
    fn widths_fill_the_type_area() {
        let t = table(
            &["序号", "单位名称", "结果"],
            &["1", "岳阳市第一中学", "合格"],
        );
        let w = column_widths(&t);
        assert_eq!(w.iter().sum::<i32>(), TYPE_WIDTH);
        assert!(w[1] > w[0] && w[1] > w[2]);
    }

    #[test]
    fn a_long_column_wraps_and_short_ones_keep_their_width() {
        let long = "很长的单位名称".repeat(10);
        let t = table(&["序号", "单位名称", "结果"], &["1", &long, "合格"]);
        let w = column_widths(&t);
        assert_eq!(w.iter().sum::<i32>(), TYPE_WIDTH);
        assert!(w[0] >= 2 * 240 + 2 * CELL_PAD && w[0] < 4 * 240);
        assert!(w[1] > TYPE_WIDTH / 2);
    }
}
