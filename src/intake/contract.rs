//! The intake contract, as data: the sheets of the workbooks the counties
//! send back, the columns of the 复查情况 sheet with every label accepted
//! for them (in the template's order), the labels of the two optional
//! sheets, and the columns of the roster workbook. The writer in
//! [`crate::intake`] writes these labels and [`crate::check`] and
//! [`crate::roster`] read them, so a renamed column is renamed here once.
//! `docs/intake-format.md` states the same contract for the clerks; the
//! tests below hold the document to it.

use crate::check::text::normalize_label;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The data sheet's name in the template.
pub const DATA_SHEET: &str = "复查情况";
/// The optional sheet of reform statements.
pub const REFORM_SHEET: &str = "机构改革情况说明";
/// The optional sheet naming who sent the workbook and when.
pub const SUBMISSION_SHEET: &str = "报送信息";
/// The instructions sheet the template comes with.
pub const INSTRUCTIONS_SHEET: &str = "填报说明";
/// The roster workbook's sheet.
pub const ROSTER_SHEET: &str = "复查单位名单";

/// The 机构改革情况说明 sheet's statement column, as the template labels it
/// (its unit column is labelled like [`Field::Name`]).
pub const REFORM_NOTE_LABEL: &str = "改革情况说明";
/// Every label accepted for that column (compared after `normalize_label`).
pub const REFORM_NOTE_LABELS: [&str; 4] = ["改革情况说明", "机构改革情况说明", "情况说明", "说明"];

/// The 报送信息 sheet's labels, in the template's order: 报送单位, 联系人,
/// 联系电话, 报送日期.
pub const SUBMISSION_LABELS: [&str; 4] = ["报送单位", "联系人", "联系电话", "报送日期"];

/// One column of the 复查情况 sheet. The variants are in the template's
/// column order: `field as u16` is its column in the blank workbook.
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

    /// Labels accepted for the column (compared after `normalize_label`:
    /// widths, spaces, `(%)`, `*` and colons do not count), the template's
    /// own first.
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
        static BY_LABEL: LazyLock<HashMap<String, Field>> = LazyLock::new(|| {
            let mut map = HashMap::new();
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

/// One column of the roster workbook, in the order the roster workbook is
/// written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterColumn {
    /// 单位名称
    Name,
    /// 别名 (several, separated by 、)
    Aliases,
    /// 荣誉类别
    Level,
    /// 命名年度
    Year,
    /// 所属县市区
    Jurisdiction,
    /// 是否涉及机构改革
    Reform,
    /// 备注
    Remarks,
}

impl RosterColumn {
    /// Every column, in the roster workbook's order.
    pub const ALL: [RosterColumn; 7] = [
        RosterColumn::Name,
        RosterColumn::Aliases,
        RosterColumn::Level,
        RosterColumn::Year,
        RosterColumn::Jurisdiction,
        RosterColumn::Reform,
        RosterColumn::Remarks,
    ];

    /// The columns a roster must have.
    pub const REQUIRED: [RosterColumn; 4] = [
        RosterColumn::Name,
        RosterColumn::Level,
        RosterColumn::Year,
        RosterColumn::Jurisdiction,
    ];

    /// The label written in the roster workbook.
    pub fn label(self) -> &'static str {
        self.synonyms()[0]
    }

    /// Labels accepted for the column (compared after `normalize_label`),
    /// the written one first.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            RosterColumn::Name => &["单位名称", "单位全称", "单位"],
            RosterColumn::Aliases => &["别名", "曾用名", "其他名称", "简称"],
            RosterColumn::Level => &["荣誉类别", "荣誉称号", "类别", "级别"],
            RosterColumn::Year => &["命名年度", "命名年份", "年度", "命名时间"],
            RosterColumn::Jurisdiction => &["所属县市区", "县市区", "所属县(市、区)", "所属地区"],
            RosterColumn::Reform => &["是否涉及机构改革", "涉及机构改革", "机构改革"],
            RosterColumn::Remarks => &["备注", "说明"],
        }
    }

    /// The column a roster header label names, if any: the first in
    /// [`RosterColumn::ALL`] order that accepts it.
    pub fn from_label(label: &str) -> Option<RosterColumn> {
        let key = normalize_label(label);
        RosterColumn::ALL
            .into_iter()
            .find(|c| c.synonyms().iter().any(|s| normalize_label(s) == key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = include_str!("../../docs/intake-format.md");

    /// The lines of the document's section whose heading starts with `title`.
    fn section(title: &str) -> Vec<&'static str> {
        let mut lines = DOC
            .lines()
            .skip_while(|l| !l.starts_with(&format!("## {title}")));
        lines.next().expect("section in docs/intake-format.md");
        lines.take_while(|l| !l.starts_with("## ")).collect()
    }

    /// The cells of a table's data rows (after the `|---|` line).
    fn table_rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .skip_while(|l| !l.starts_with("|---"))
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                l.trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .collect()
    }

    /// Splits `a、b(c、d)、e` at the 、 outside brackets.
    fn split_list(s: &str) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth -= 1,
                '、' if depth == 0 => {
                    out.push(String::new());
                    continue;
                }
                _ => {}
            }
            out.last_mut().unwrap().push(c);
        }
        out.retain(|s| !s.is_empty());
        out
    }

    /// The `quoted` labels of a text, leaving out those inside （remarks）.
    fn backticked(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let (mut depth, mut quoted) = (0, None::<String>);
        for c in s.chars() {
            match (c, &mut quoted) {
                ('`', Some(q)) => {
                    if depth == 0 {
                        out.push(std::mem::take(q));
                    }
                    quoted = None;
                }
                (_, Some(q)) => q.push(c),
                ('`', None) => quoted = Some(String::new()),
                ('（', None) => depth += 1,
                ('）', None) => depth -= 1,
                _ => {}
            }
        }
        out
    }

    #[test]
    fn the_documents_column_table_is_the_contracts() {
        let rows = table_rows(&section("三、"));
        let labels: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(labels, Field::ALL.map(Field::label));
        for (field, row) in Field::ALL.into_iter().zip(&rows) {
            let own = normalize_label(field.label());
            let aliases: Vec<&str> = field
                .synonyms()
                .iter()
                .copied()
                .filter(|s| normalize_label(s) != own)
                .collect();
            assert_eq!(split_list(&row[1]), aliases, "{}", field.label());
            assert_eq!(row[2] == "是", field.is_required(), "{}", field.label());
        }
    }

    #[test]
    fn the_documents_sheet_table_is_the_contracts() {
        let rows = table_rows(&section("二、"));
        let sheets: Vec<String> = rows.iter().map(|r| backticked(&r[0]).concat()).collect();
        assert_eq!(sheets, [DATA_SHEET, REFORM_SHEET, SUBMISSION_SHEET]);
        let reform = &rows[1][2];
        assert_eq!(backticked(reform), [Field::Name.label(), REFORM_NOTE_LABEL]);
        let others: Vec<String> = REFORM_NOTE_LABELS[1..]
            .iter()
            .map(|l| format!("“{l}”"))
            .collect();
        assert!(
            reform.contains(&format!("（也可写{}）", others.concat())),
            "{reform}"
        );
        assert_eq!(backticked(&rows[2][2]), SUBMISSION_LABELS);
        assert!(DOC.contains(&format!("“{INSTRUCTIONS_SHEET}”")));
    }

    #[test]
    fn the_documents_roster_columns_are_the_contracts() {
        let text = section("八、").concat();
        let start = text.find("列名为").unwrap();
        let end = start + text[start..].find('。').unwrap();
        let labels = backticked(&text[start..end]);
        assert_eq!(labels, RosterColumn::ALL.map(RosterColumn::label));
    }

    #[test]
    fn the_fields_are_declared_in_column_order() {
        for (col, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(field as usize, col);
        }
    }

    #[test]
    fn labels_name_their_columns_in_any_width() {
        assert_eq!(Field::from_label("单位全称"), Some(Field::Name));
        assert_eq!(Field::from_label("复查\n得分"), Some(Field::Score));
        assert_eq!(
            Field::from_label("群众满意度（%）"),
            Some(Field::Satisfaction)
        );
        assert_eq!(Field::from_label("结论"), Some(Field::Outcome));
        assert_eq!(Field::from_label("涉及机构改革"), Some(Field::Reform));
        assert_eq!(Field::from_label("岳阳县文明单位复查情况表"), None);
        assert_eq!(
            RosterColumn::from_label("曾用名"),
            Some(RosterColumn::Aliases)
        );
        assert_eq!(
            RosterColumn::from_label("说明"),
            Some(RosterColumn::Remarks)
        );
    }
}
