//! The domain's vocabulary: honour levels, review methods and outcomes, and
//! the checked review result of one unit.
//!
//! These are the typed values that `check` produces from raw spreadsheet rows
//! and that `compose` turns into documents; nothing here does I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The honour a unit holds, from the highest to the lowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HonourLevel {
    /// 全国文明单位
    National,
    /// 省级文明标兵单位
    ProvincialModel,
    /// 省级文明单位
    Provincial,
    /// 市级文明标兵单位
    CityModel,
    /// 市级文明单位
    City,
}

impl HonourLevel {
    /// Every level, highest first.
    pub const ALL: [HonourLevel; 5] = [
        HonourLevel::National,
        HonourLevel::ProvincialModel,
        HonourLevel::Provincial,
        HonourLevel::CityModel,
        HonourLevel::City,
    ];

    /// The official Chinese name, as written in rosters and documents.
    pub fn label(self) -> &'static str {
        match self {
            HonourLevel::National => "全国文明单位",
            HonourLevel::ProvincialModel => "省级文明标兵单位",
            HonourLevel::Provincial => "省级文明单位",
            HonourLevel::CityModel => "市级文明标兵单位",
            HonourLevel::City => "市级文明单位",
        }
    }

    /// Parses the official name; spaces and a few common short forms are tolerated.
    pub fn parse(text: &str) -> Option<HonourLevel> {
        // Called for every row and every roster unit: copy only when there
        // is whitespace to take out.
        let spaced: String;
        let t = if text.chars().any(char::is_whitespace) {
            spaced = text.chars().filter(|c| !c.is_whitespace()).collect();
            spaced.as_str()
        } else {
            text
        };
        let t = t.trim_end_matches("称号");
        HonourLevel::ALL
            .into_iter()
            .find(|l| l.label() == t)
            .or(match t {
                "全国文明单位标兵" | "全国级文明单位" | "国家级文明单位" => {
                    Some(HonourLevel::National)
                }
                "省文明标兵单位" | "省级文明单位标兵" => {
                    Some(HonourLevel::ProvincialModel)
                }
                "省文明单位" => Some(HonourLevel::Provincial),
                "市文明标兵单位" | "市级文明单位标兵" => {
                    Some(HonourLevel::CityModel)
                }
                "市文明单位" => Some(HonourLevel::City),
                _ => None,
            })
    }

    /// National and provincial honours: the province decides their sanctions
    /// and they are, in principle, reviewed on site.
    pub fn is_provincial_or_above(self) -> bool {
        self <= HonourLevel::Provincial
    }
}

/// How a unit was reviewed (复查方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Method {
    /// 实地察看
    OnSite,
    /// 听取汇报
    Hearing,
    /// 材料审核
    Files,
    /// 问卷调查
    Survey,
}

impl Method {
    /// Every method, in the order the work plan lists them.
    pub const ALL: [Method; 4] = [
        Method::OnSite,
        Method::Hearing,
        Method::Files,
        Method::Survey,
    ];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Method::OnSite => "实地察看",
            Method::Hearing => "听取汇报",
            Method::Files => "材料审核",
            Method::Survey => "问卷调查",
        }
    }

    /// Parses one method name exactly (after trimming).
    pub fn parse(text: &str) -> Option<Method> {
        let t = text.trim();
        Method::ALL.into_iter().find(|m| m.label() == t)
    }
}

/// The result of a review (复查结论), from mild to severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// 复查合格: keeps the honour.
    Pass,
    /// 约谈警告
    WarningTalk,
    /// 限期整改
    Rectify,
    /// 通报批评
    Criticism,
    /// 黄牌警告
    YellowCard,
    /// 撤销荣誉称号
    Revoke,
}

impl Outcome {
    /// Every outcome, mildest first.
    pub const ALL: [Outcome; 6] = [
        Outcome::Pass,
        Outcome::WarningTalk,
        Outcome::Rectify,
        Outcome::Criticism,
        Outcome::YellowCard,
        Outcome::Revoke,
    ];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "复查合格",
            Outcome::WarningTalk => "约谈警告",
            Outcome::Rectify => "限期整改",
            Outcome::Criticism => "通报批评",
            Outcome::YellowCard => "黄牌警告",
            Outcome::Revoke => "撤销荣誉称号",
        }
    }

    /// Parses the Chinese name (spaces ignored).
    pub fn parse(text: &str) -> Option<Outcome> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        Outcome::ALL
            .into_iter()
            .find(|o| o.label() == t)
            .or(match t.as_str() {
                "合格" => Some(Outcome::Pass),
                "撤销" | "撤销称号" => Some(Outcome::Revoke),
                _ => None,
            })
    }

    /// Outcomes for which the unit gets a rectification notice (整改通知书):
    /// everything from 约谈警告 up, except withdrawal, which the circular announces.
    pub fn needs_rectification_notice(self) -> bool {
        !matches!(self, Outcome::Pass | Outcome::Revoke)
    }
}

/// One unit's checked review result: every field typed, its origin kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewResult {
    /// The roster's official name of the unit.
    pub unit: String,
    /// The reporting body the unit belongs to (the roster's 所属县市区).
    pub jurisdiction: String,
    /// The honour under review.
    pub level: HonourLevel,
    /// The year the honour was given.
    pub award_year: i32,
    /// When the review took place.
    pub review_date: NaiveDate,
    /// How it was reviewed, in the order written.
    pub methods: Vec<Method>,
    /// The evaluation score, 0-100.
    pub score: f64,
    /// The public satisfaction rate in percent, when surveyed.
    pub satisfaction: Option<f64>,
    /// Negative-list conditions found; empty when none.
    pub negative_list: String,
    /// Problems found (存在问题).
    pub problems: String,
    /// What the unit must fix (整改意见).
    pub rectification: String,
    /// The conclusion.
    pub outcome: Outcome,
    /// Touched by the 2018-2020 institutional reforms.
    pub reform: bool,
    /// The reform statement (机构改革情况说明), from the column or the reform sheet.
    pub reform_note: String,
    /// Free remarks.
    pub remarks: String,
    /// Where the row came from.
    pub origin: crate::diag::RowRef,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_through_their_labels() {
        for l in HonourLevel::ALL {
            assert_eq!(HonourLevel::parse(l.label()), Some(l));
        }
        assert_eq!(
            HonourLevel::parse(" 省级 文明单位 "),
            Some(HonourLevel::Provincial)
        );
        assert!(HonourLevel::National < HonourLevel::City);
    }

    #[test]
    fn only_warnings_to_yellow_cards_get_a_rectification_notice() {
        let notified: Vec<_> = Outcome::ALL
            .into_iter()
            .filter(|o| o.needs_rectification_notice())
            .collect();
        assert_eq!(
            notified,
            [
                Outcome::WarningTalk,
                Outcome::Rectify,
                Outcome::Criticism,
                Outcome::YellowCard
            ]
        );
    }
}
