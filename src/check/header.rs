//! The intake columns and how their header row is found: by labels, in any
//! order, below any title rows, with the synonyms clerks use. The synonym
//! lists here are the contract documented in `docs/intake-format.md`.

use super::text::normalize_label;
use crate::ingest::{CellValue, Row};

/// One column of the 复查情况 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// 序号
    Seq,
    /// 单位名称
    Name,
    /// 荣誉类别
    Level,
    /// 命名年度
    Year,
    /// 所属县市区
    Jurisdiction,
    /// 复查日期
    Date,
    /// 复查方式
    Methods,
    /// 测评得分
    Score,
    /// 群众满意度(%)
    Satisfaction,
    /// 负面清单情形
    Negative,
    /// 存在问题
    Problems,
    /// 整改意见
    Rectification,
    /// 复查结论
    Outcome,
    /// 是否涉及机构改革
    Reform,
    /// 机构改革情况说明
    ReformNote,
    /// 备注
    Remarks,
}

impl Field {
    /// Every column, in the template's order.
    pub const ALL: [Field; 16] = [
        Field::Seq,
        Field::Name,
        Field::Level,
        Field::Year,
        Field::Jurisdiction,
        Field::Date,
        Field::Methods,
        Field::Score,
        Field::Satisfaction,
        Field::Negative,
        Field::Problems,
        Field::Rectification,
        Field::Outcome,
        Field::Reform,
        Field::ReformNote,
        Field::Remarks,
    ];

    /// The label in the official template.
    pub fn label(self) -> &'static str {
        match self {
            Field::Seq => "序号",
            Field::Name => "单位名称",
            Field::Level => "荣誉类别",
            Field::Year => "命名年度",
            Field::Jurisdiction => "所属县市区",
            Field::Date => "复查日期",
            Field::Methods => "复查方式",
            Field::Score => "测评得分",
            Field::Satisfaction => "群众满意度(%)",
            Field::Negative => "负面清单情形",
            Field::Problems => "存在问题",
            Field::Rectification => "整改意见",
            Field::Outcome => "复查结论",
            Field::Reform => "是否涉及机构改革",
            Field::ReformNote => "机构改革情况说明",
            Field::Remarks => "备注",
        }
    }

    /// Labels accepted for the column (compared after [`normalize_label`]).
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Seq => &["序号", "编号", "序"],
            Field::Name => &[
                "单位名称",
                "单位全称",
                "单位名",
                "被复查单位",
                "复查单位",
                "单位",
            ],
            Field::Level => &[
                "荣誉类别",
                "荣誉称号",
                "荣誉级别",
                "文明单位类别",
                "称号类别",
                "类别",
            ],
            Field::Year => &["命名年度", "命名年份", "命名时间", "获评年度", "授予年度"],
            Field::Jurisdiction => &[
                "所属县市区",
                "所属县(市、区)",
                "县市区",
                "县(市、区)",
                "所属区县",
                "所属地区",
            ],
            Field::Date => &["复查日期", "复查时间", "检查日期"],
            Field::Methods => &["复查方式", "复查方法", "检查方式"],
            Field::Score => &["测评得分", "得分", "复查得分", "测评分数", "总分"],
            Field::Satisfaction => &["群众满意度", "满意度", "群众满意率", "满意率"],
            Field::Negative => &[
                "负面清单情形",
                "负面清单",
                "负面清单情况",
                "是否存在负面清单情形",
            ],
            Field::Problems => &["存在问题", "存在的问题", "主要问题"],
            Field::Rectification => &["整改意见", "整改要求", "整改建议"],
            Field::Outcome => &["复查结论", "结论", "复查意见", "复查结果"],
            Field::Reform => &["是否涉及机构改革", "涉及机构改革"],
            Field::ReformNote => &["机构改革情况说明", "改革情况说明", "机构改革说明"],
            Field::Remarks => &["备注"],
        }
    }

    /// Columns that must be present in the header.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::Level
                | Field::Year
                | Field::Date
                | Field::Methods
                | Field::Score
                | Field::Outcome
                | Field::Reform
        )
    }

    /// The column a header label names, if any.
    pub fn from_label(label: &str) -> Option<Field> {
        // Every synonym normalised once per run, not once per cell looked at.
        static BY_LABEL: std::sync::LazyLock<std::collections::HashMap<String, Field>> =
            std::sync::LazyLock::new(|| {
                let mut map = std::collections::HashMap::new();
                for field in Field::ALL {
                    for synonym in field.synonyms() {
                        // The first field naming a label keeps it.
                        map.entry(normalize_label(synonym)).or_insert(field);
                    }
                }
                map
            });
        BY_LABEL.get(&normalize_label(label)).copied()
    }
}

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

    #[test]
    fn synonyms_and_width_variants_name_the_same_column() {
        assert_eq!(Field::from_label("单位全称"), Some(Field::Name));
        assert_eq!(Field::from_label("复查\n得分"), Some(Field::Score));
        assert_eq!(
            Field::from_label("群众满意度（%）"),
            Some(Field::Satisfaction)
        );
        assert_eq!(Field::from_label("结论"), Some(Field::Outcome));
        assert_eq!(Field::from_label("涉及机构改革"), Some(Field::Reform));
        assert_eq!(Field::from_label("岳阳县文明单位复查情况表"), None);
    }

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
}
