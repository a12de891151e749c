//! The columns of the follow-up workbook (整改落实情况表): one contract for
//! the writer (`intake::followup`) and the reader ([`super::read`]), as
//! `intake::contract` is for the review workbooks.

use crate::check::text::normalize_label;

/// The sheet of the follow-up workbook.
pub const FOLLOWUP_SHEET: &str = "整改落实情况";

/// The 验收 result meaning the unit rectified.
pub const ACCEPTED: &str = "整改到位";
/// The 验收 result meaning it did not.
pub const REJECTED: &str = "未整改到位";

/// The columns, in the workbook's order. The first eight are the notice's
/// facts, filled in and locked; the others are the follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FollowupColumn {
    /// 序号.
    Seq,
    /// 单位名称.
    Unit,
    /// 荣誉类别.
    Level,
    /// 所属县市区.
    Jurisdiction,
    /// 整改通知书文号.
    Number,
    /// 整改期限.
    Deadline,
    /// 存在问题.
    Problems,
    /// 整改要求.
    Requirements,
    /// 整改措施.
    Measures,
    /// 完成日期.
    Completed,
    /// 佐证材料.
    Evidence,
    /// 验收结论.
    Acceptance,
    /// 验收人.
    AcceptedBy,
    /// 验收日期.
    AcceptedOn,
    /// 备注.
    Remarks,
}

impl FollowupColumn {
    /// Every column, in the workbook's order.
    pub const ALL: [FollowupColumn; 15] = [
        FollowupColumn::Seq,
        FollowupColumn::Unit,
        FollowupColumn::Level,
        FollowupColumn::Jurisdiction,
        FollowupColumn::Number,
        FollowupColumn::Deadline,
        FollowupColumn::Problems,
        FollowupColumn::Requirements,
        FollowupColumn::Measures,
        FollowupColumn::Completed,
        FollowupColumn::Evidence,
        FollowupColumn::Acceptance,
        FollowupColumn::AcceptedBy,
        FollowupColumn::AcceptedOn,
        FollowupColumn::Remarks,
    ];

    /// The columns a unit's follow-up is typed into.
    pub const OPEN: [FollowupColumn; 7] = [
        FollowupColumn::Measures,
        FollowupColumn::Completed,
        FollowupColumn::Evidence,
        FollowupColumn::Acceptance,
        FollowupColumn::AcceptedBy,
        FollowupColumn::AcceptedOn,
        FollowupColumn::Remarks,
    ];

    /// The header label.
    pub fn label(self) -> &'static str {
        match self {
            FollowupColumn::Seq => "序号",
            FollowupColumn::Unit => "单位名称",
            FollowupColumn::Level => "荣誉类别",
            FollowupColumn::Jurisdiction => "所属县市区",
            FollowupColumn::Number => "整改通知书文号",
            FollowupColumn::Deadline => "整改期限",
            FollowupColumn::Problems => "存在问题",
            FollowupColumn::Requirements => "整改要求",
            FollowupColumn::Measures => "整改措施",
            FollowupColumn::Completed => "完成日期",
            FollowupColumn::Evidence => "佐证材料",
            FollowupColumn::Acceptance => "验收结论",
            FollowupColumn::AcceptedBy => "验收人",
            FollowupColumn::AcceptedOn => "验收日期",
            FollowupColumn::Remarks => "备注",
        }
    }

    /// Other wordings a clerk may retype a header in.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            FollowupColumn::Unit => &["单位全称", "单位"],
            FollowupColumn::Number => &["文号", "通知书文号"],
            FollowupColumn::Deadline => &["整改时限", "期限"],
            FollowupColumn::Problems => &["存在的问题", "主要问题"],
            FollowupColumn::Requirements => &["整改意见"],
            FollowupColumn::Measures => &["整改措施落实情况", "整改情况", "采取的措施"],
            FollowupColumn::Completed => &["整改完成日期", "完成时间"],
            FollowupColumn::Evidence => &["佐证材料名称", "佐证"],
            FollowupColumn::Acceptance => &["验收结果", "验收意见"],
            FollowupColumn::AcceptedBy => &["验收人员"],
            FollowupColumn::AcceptedOn => &["验收时间"],
            _ => &[],
        }
    }

    /// The column a header label names, in any width and spacing.
    pub fn from_label(label: &str) -> Option<FollowupColumn> {
        let wanted = normalize_label(label);
        FollowupColumn::ALL.into_iter().find(|c| {
            std::iter::once(c.label())
                .chain(c.synonyms().iter().copied())
                .any(|l| normalize_label(l) == wanted)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_reads_back_as_its_column() {
        for c in FollowupColumn::ALL {
            assert_eq!(FollowupColumn::from_label(c.label()), Some(c));
        }
        assert_eq!(
            FollowupColumn::from_label("验收 结果"),
            Some(FollowupColumn::Acceptance)
        );
    }
}
