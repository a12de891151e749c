//! Tables: the result lists that run over many pages. Full type-area width,
//! column widths from content, 小四 (12 pt) text — 黑体 header, 仿宋 cells —
//! single black rules, rows that never split, and a header row repeated on
//! every page (`w:tblHeader`, added by `package` since docx-rs has no API
//! for it; every table we write has exactly one header row, its first).

use super::text::{Face, SIZE_SMALL_4, TYPE_WIDTH, Typesetter, exact, text_width};
use crate::campaign::FontRole;
use crate::doc::{CellAlign, Table};
use docx_rs::{
    AlignmentType, BorderType, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

/// Cell padding left and right (twips).
const CELL_PAD: i32 = 85;
/// Line height inside cells: 12 pt text on 18 pt lines (twips).
const CELL_LINE: i32 = 360;
/// Narrowest column: two characters plus padding.
const MIN_COLUMN: i32 = 2 * 240 + 2 * CELL_PAD;

impl Typesetter {
    pub(crate) fn table(&self, table: &Table) -> docx_rs::Table {
        let widths = column_widths(table);
        let header = TableRow::new(
            table
                .columns
                .iter()
                .zip(&widths)
                .map(|(c, w)| self.cell(&c.header, *w, FontRole::Heading1, AlignmentType::Center))
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
                    self.cell(text, *w, FontRole::Body, align)
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
                    .margin_left(CELL_PAD as usize, WidthType::Dxa)
                    .margin_right(CELL_PAD as usize, WidthType::Dxa),
            )
            .set_borders(single_rules())
    }

    fn cell(&self, text: &str, width: i32, role: FontRole, align: AlignmentType) -> TableCell {
        let face = Face::plain(role, SIZE_SMALL_4);
        let p = self
            .paragraph(face)
            .line_spacing(exact(CELL_LINE))
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

/// Column widths (twips) summing to the type width: each column's natural
/// width is its longest text; if all fit, the slack is shared in proportion;
/// otherwise short columns keep their natural width and the long ones
/// share what is left in proportion (they wrap).
pub(crate) fn column_widths(table: &Table) -> Vec<i32> {
    let n = table.columns.len().max(1);
    let natural: Vec<i32> = (0..table.columns.len())
        .map(|i| {
            let header = table.columns[i].header.as_str();
            let longest = table
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|t| text_width(t, SIZE_SMALL_4, 0))
                .chain(std::iter::once(text_width(header, SIZE_SMALL_4, 0)))
                .max()
                .unwrap_or(0);
            (longest + 2 * CELL_PAD).max(MIN_COLUMN)
        })
        .collect();
    if natural.is_empty() {
        return vec![TYPE_WIDTH];
    }
    let total: i32 = natural.iter().sum();
    let mut widths = if total <= TYPE_WIDTH {
        natural
            .iter()
            .map(|w| w + (TYPE_WIDTH - total) * w / total)
            .collect::<Vec<_>>()
    } else {
        squeeze(&natural, TYPE_WIDTH)
    };
    // Rounding: give the remainder to the widest column.
    let sum: i32 = widths.iter().sum();
    if let Some(widest) = (0..n.min(widths.len())).max_by_key(|&i| (widths[i], usize::MAX - i)) {
        widths[widest] += TYPE_WIDTH - sum;
    }
    widths
}

/// Water-filling: columns narrower than a fair share keep their width.
fn squeeze(natural: &[i32], room: i32) -> Vec<i32> {
    let mut fixed = vec![false; natural.len()];
    loop {
        let used: i32 = (0..natural.len())
            .filter(|&i| fixed[i])
            .map(|i| natural[i])
            .sum();
        let flexible: i32 = (0..natural.len())
            .filter(|&i| !fixed[i])
            .map(|i| natural[i])
            .sum();
        let left = (room - used).max(0);
        let mut changed = false;
        for i in 0..natural.len() {
            if !fixed[i] && natural[i] * left / flexible.max(1) >= natural[i] {
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            return (0..natural.len())
                .map(|i| {
                    if fixed[i] {
                        natural[i]
                    } else {
                        (natural[i] * left / flexible.max(1)).max(MIN_COLUMN)
                    }
                })
                .collect();
        }
    }
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
        assert_eq!(w[0], MIN_COLUMN);
        assert!(w[1] > TYPE_WIDTH / 2);
    }
}
