//! How a header row is found: by labels, in any order, below any title
//! rows, on one row or two. One finder for the intake sheets (their labels
//! and synonyms are the contract in [`crate::intake::contract`]) and for the
//! roster workbook.

use crate::ingest::{CellValue, Row};
use crate::intake::contract::Field;

/// A found header: its rows and where each known column sits.
#[derive(Debug, Clone)]
pub struct Header<F = Field> {
    /// 0-based row of the labels (the upper row of a two-row header).
    pub row: u32,
    /// 0-based last row of the header: `row`, or the row below it when the
    /// header has two rows (a group label such as 复查情况 merged across
    /// several columns, their own labels in the row below). Data starts
    /// after it.
    pub last_row: u32,
    /// Column of each field found, first occurrence.
    pub columns: Vec<(F, u32)>,
    /// Later columns repeating a field: (field, column).
    pub duplicates: Vec<(F, u32)>,
}

impl<F: Copy + PartialEq> Header<F> {
    /// The column of a field, if present.
    pub fn col(&self, field: F) -> Option<u32> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|&(_, c)| c)
    }

    fn add(&mut self, field: F, col: u32) {
        if self.columns.iter().any(|(f, _)| *f == field) {
            self.duplicates.push((field, col));
        } else {
            self.columns.push((field, col));
        }
    }
}

/// How many rows from the top may hold titles and notes before the header.
const HEADER_SEARCH_ROWS: usize = 50;

/// The intake header: the first row among the top ones that names the unit
/// column and at least two more known columns, with the row below it when
/// that row completes it (see [`find_labelled_header`]).
pub fn find_header(rows: &[Row]) -> Option<Header> {
    find_labelled_header(rows, HEADER_SEARCH_ROWS, Field::from_label, Field::Name)
}

/// The header finder shared by the intake sheets and the roster: the first
/// of the top `search` rows that, alone or completed by the row right below
/// it, labels the `name` column and at least two more. The row below
/// completes a header when it holds nothing but labels (or the same value
/// as the cell above, which a vertical merge leaves) and labels at least
/// one column the upper row does not: a two-row header. A data row never
/// consists of labels only, so a one-row header stays one row.
pub fn find_labelled_header<F: Copy + PartialEq>(
    rows: &[Row],
    search: usize,
    label: impl Fn(&str) -> Option<F>,
    name: F,
) -> Option<Header<F>> {
    let label_at = |row: &Row, col: u32| match row.get(col) {
        CellValue::Text(t) => label(t),
        _ => None,
    };
    rows.iter().take(search).enumerate().find_map(|(i, row)| {
        let mut header = Header {
            row: row.index,
            last_row: row.index,
            columns: Vec::new(),
            duplicates: Vec::new(),
        };
        for cell in &row.cells {
            if let Some(field) = label_at(row, cell.col) {
                header.add(field, cell.col);
            }
        }
        let below = rows.get(i + 1).filter(|b| b.index == row.index + 1);
        if let Some(below) = below.filter(|_| !header.columns.is_empty()) {
            let mut added = Vec::new();
            let all_labels = below.cells.iter().all(|c| {
                if c.value.is_blank() || c.value == *row.get(c.col) {
                    return true;
                }
                let field = label_at(below, c.col);
                if let Some(f) = field.filter(|_| label_at(row, c.col).is_none()) {
                    added.push((f, c.col));
                }
                field.is_some()
            });
            if all_labels && !added.is_empty() {
                header.last_row = below.index;
                for (f, c) in added {
                    header.add(f, c);
                }
            }
        }
        let has_name = header.col(name).is_some();
        (has_name && header.columns.len() >= 3).then_some(header)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: u32, cells: &[(u32, &str)]) -> Row {
        Row {
            index,
            cells: cells
                .iter()
                .map(|&(col, t)| crate::ingest::Cell {
                    col,
                    value: CellValue::Text(t.into()),
                })
                .collect(),
        }
    }

    #[test]
    fn a_group_label_row_is_completed_by_the_labels_below_it() {
        let rows = [
            row(0, &[(0, "岳阳县复查情况表")]),
            row(
                2,
                &[(0, "序号"), (1, "单位名称"), (2, "复查情况"), (5, "备注")],
            ),
            // 单位名称 repeated: a vertical merge read into both rows.
            row(
                3,
                &[
                    (1, "单位名称"),
                    (2, "复查日期"),
                    (3, "测评得分"),
                    (4, "复查结论"),
                ],
            ),
            row(4, &[(0, "1"), (1, "岳阳县人民法院"), (2, "2020-07-15")]),
        ];
        let h = find_header(&rows).unwrap();
        assert_eq!((h.row, h.last_row), (2, 3));
        assert_eq!(h.col(Field::Date), Some(2));
        assert_eq!(h.col(Field::Outcome), Some(4));
        assert_eq!(h.col(Field::Remarks), Some(5));
        assert!(h.duplicates.is_empty());
    }

    #[test]
    fn a_data_row_below_a_one_row_header_is_not_taken_for_labels() {
        let rows = [
            row(
                2,
                &[(0, "序号"), (1, "单位名称"), (2, "复查日期"), (3, "备注")],
            ),
            // 备注 written under 复查日期 does not make this row a header.
            row(3, &[(1, "岳阳县人民法院"), (2, "备注")]),
        ];
        let h = find_header(&rows).unwrap();
        assert_eq!((h.row, h.last_row), (2, 2));
        // A title row above a one-row header stays out of it.
        let rows = [
            row(0, &[(0, "岳阳县复查情况表")]),
            row(1, &[(0, "序号"), (1, "单位名称"), (2, "复查日期")]),
        ];
        let h = find_header(&rows).unwrap();
        assert_eq!((h.row, h.last_row), (1, 1));
    }

    #[test]
    fn the_roster_is_found_by_the_same_rules_with_its_own_labels() {
        use crate::intake::contract::RosterColumn;
        let rows = [
            row(0, &[(0, "2020年复查单位名单")]),
            row(1, &[(0, "单位名称"), (1, "荣誉"), (3, "所属县市区")]),
            row(2, &[(1, "荣誉类别"), (2, "命名年度")]),
            row(3, &[(0, "岳阳县人民法院"), (1, "省级文明单位")]),
        ];
        let h =
            find_labelled_header(&rows, 30, RosterColumn::from_label, RosterColumn::Name).unwrap();
        assert_eq!((h.row, h.last_row), (1, 2));
        assert_eq!(h.col(RosterColumn::Level), Some(1));
        assert_eq!(h.col(RosterColumn::Year), Some(2));
        // The intake labels alone do not make a roster header here.
        assert!(
            find_labelled_header(&rows[..2], 30, RosterColumn::from_label, RosterColumn::Name)
                .is_none()
        );
    }
}
