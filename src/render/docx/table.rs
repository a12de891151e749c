//! Tables: the result lists that run over many pages. Full type-area width,
//! column widths from content, 小四 (12 pt) text (五号 in tables of eight or
//! more columns) — 黑体 header, 仿宋 cells —
//! single black rules, rows that never split, and a header row repeated on
//! every page (`w:tblHeader`, added by `package` since docx-rs has no API
//! for it; every table we write has exactly one header row, its first).

use super::text::{Face, TYPE_WIDTH, Typesetter, exact};
use crate::campaign::FontRole;
use crate::doc::{CellAlign, Table};
use crate::render::pdf::table::plan;
use docx_rs::{
    AlignmentType, BorderType, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

/// Cell padding left and right (twips).
const CELL_PAD: i32 = 85;
/// Cell padding above and below (twips): the PDF's 4 pt, so rows are
/// equally tall in both formats.
const CELL_PAD_V: i32 = 80;

impl Typesetter {
    pub(crate) fn table(&self, table: &Table) -> docx_rs::Table {
        let widths = column_widths(table);
        let ncol = table.columns.len();
        let size = (plan::cell_size(ncol) * 2.0).round() as usize;
        let line = (plan::cell_pitch(ncol) * 20.0).round() as i32;
        let header = TableRow::new(
            table
                .columns
                .iter()
                .zip(&widths)
                .map(|(c, w)| {
                    self.cell(
                        &c.header,
                        *w,
                        FontRole::Heading1,
                        AlignmentType::Center,
                        (size, line),
                    )
                })
                .collect(),
        )
        .cant_split();
        let mut rows = vec![header];
        for row in &table.rows {
            let cells = table
                .columns
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    let text = row.get(i).map(String::as_str).unwrap_or("");
                    let align = match c.align {
                        CellAlign::Left => AlignmentType::Left,
                        CellAlign::Center => AlignmentType::Center,
                    };
                    self.cell(text, *w, FontRole::Body, align, (size, line))
                })
                .collect();
            rows.push(TableRow::new(cells).cant_split());
        }
        docx_rs::Table::new(rows)
            .set_grid(widths.iter().map(|w| *w as usize).collect())
            .width(TYPE_WIDTH as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .indent(0)
            .margins(
                TableCellMargins::new()
                    .margin_top(CELL_PAD_V as usize, WidthType::Dxa)
                    .margin_bottom(CELL_PAD_V as usize, WidthType::Dxa)
                    .margin_left(CELL_PAD as usize, WidthType::Dxa)
                    .margin_right(CELL_PAD as usize, WidthType::Dxa),
            )
            .set_borders(single_rules())
    }

    /// One cell; `(size, line)`: text size in half-points, line pitch in twips.
    fn cell(
        &self,
        text: &str,
        width: i32,
        role: FontRole,
        align: AlignmentType,
        (size, line): (usize, i32),
    ) -> TableCell {
        let face = Face::plain(role, size);
        let p = self
            .paragraph(face)
            .line_spacing(exact(line))
            .align(align)
            .add_run(self.run(text, face));
        TableCell::new()
            .add_paragraph(p)
            .width(width as usize, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
    }
}

fn single_rules() -> TableBorders {
    use TableBorderPosition::*;
    [Top, Left, Bottom, Right, InsideH, InsideV]
        .into_iter()
        .fold(TableBorders::with_empty(), |b, pos| {
            b.set(
                TableBorder::new(pos)
                    .border_type(BorderType::Single)
                    .size(4)
                    .color("000000"),
            )
        })
}

/// Column widths (twips) summing to the type width, from the plan the PDF
/// renderer uses too, so both formats wrap the same cells.
pub(crate) fn column_widths(table: &Table) -> Vec<i32> {
    if table.columns.is_empty() {
        return vec![TYPE_WIDTH];
    }
    let texts = crate::render::pdf::table::column_texts(table);
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

    fn table(headers: &[&str], row: &[&str]) -> Table {
        Table {
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
