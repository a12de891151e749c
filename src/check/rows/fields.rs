//! The typed cells of a row: honour, year, date, methods, rates, outcome and
//! reform flag, each checked against its allowed values and the roster.
//! A `check_*` function reads one cell into its type (None when it is
//! empty, unreadable or a formula error, each reported); the other rules
//! here compare one typed cell with the roster.

use super::RowDiags;
use crate::campaign::Campaign;
use crate::check::text::{clip, fold_width, parse_yes_no};
use crate::check::value::{parse_date, parse_methods, parse_percent};
use crate::diag::Code;
use crate::ingest::{CellValue, Row};
use crate::intake::contract::Field;
use crate::review::{HonourLevel, Method, Outcome};
use crate::roster::Unit;
use chrono::NaiveDate;

/// The five honour levels, as a clerk should write them.
fn levels() -> String {
    HonourLevel::ALL.map(HonourLevel::label).join("、")
}

/// The six outcomes, as a clerk should write them.
fn outcomes() -> String {
    Outcome::ALL.map(Outcome::label).join("、")
}

/// The four methods, as a clerk should write them.
fn methods() -> String {
    Method::ALL.map(Method::label).join("、")
}

/// A cell holding a formula error value (`#REF!`, `#DIV/0!`), whatever its
/// column expects: reported once here, then left alone by the field's own
/// check.
pub(super) fn formula_error_cells(d: &mut RowDiags<'_, '_>, row: &Row) {
    let header = d.header;
    for &(field, col) in &header.columns {
        if let CellValue::Error(e) = row.get(col) {
            d.error(
                Code::FormulaError,
                field,
                format!("“{}”单元格为公式错误值 {e}", field.label()),
            );
            d.suggest("请改为实际数值或文字，不要保留出错的公式");
        }
    }
}

/// 荣誉类别: one of the five levels.
pub(super) fn check_level(
    d: &mut RowDiags<'_, '_>,
    text: &str,
    formula_error: bool,
) -> Option<HonourLevel> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Level, "荣誉类别为空".into());
        d.suggest(format!("应为：{}", levels()));
        return None;
    }
    let Some(level) = HonourLevel::parse(&fold_width(text)) else {
        d.error(
            Code::InvalidValue,
            Field::Level,
            format!("荣誉类别“{}”无法识别", clip(text, 30)),
        );
        d.suggest(format!("应为：{}", levels()));
        return None;
    };
    Some(level)
}

/// The 荣誉类别 written is not the roster's for the unit.
pub(super) fn level_differs_from_roster(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    level: Option<HonourLevel>,
) {
    let Some(level) = level else { return };
    if let Some(u) = unit.filter(|u| u.level != level) {
        d.error(
            Code::InvalidValue,
            Field::Level,
            format!(
                "荣誉类别“{}”与名单不符，名单中为“{}”",
                level.label(),
                u.level.label()
            ),
        );
        d.suggest(format!("请改为“{}”", u.level.label()));
    }
}

/// 命名年度: a year.
pub(super) fn check_year(d: &mut RowDiags<'_, '_>, text: &str, formula_error: bool) -> Option<i32> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Year, "命名年度为空".into());
        d.suggest("请填写获得荣誉的年份，如 2014");
        return None;
    }
    let Some(year) = crate::roster::parse_year(text) else {
        d.error(
            Code::InvalidValue,
            Field::Year,
            format!("命名年度“{}”不是年份", clip(text, 30)),
        );
        d.suggest("应填写四位年份，如 2014");
        return None;
    };
    Some(year)
}

/// The 命名年度 written is not the roster's for the unit.
pub(super) fn year_differs_from_roster(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    year: Option<i32>,
) {
    let Some(year) = year else { return };
    if let Some(u) = unit.filter(|u| u.award_year != year) {
        d.error(
            Code::InvalidValue,
            Field::Year,
            format!("命名年度{year}与名单不符，名单中为{}", u.award_year),
        );
        d.suggest(format!("请改为{}", u.award_year));
    }
}

/// 复查日期: a date in one of the accepted forms.
pub(super) fn check_date(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    value: &CellValue,
) -> Option<NaiveDate> {
    if matches!(value, CellValue::Error(_)) {
        return None;
    }
    if value.is_blank() {
        d.error(Code::MissingValue, Field::Date, "复查日期为空".into());
        d.suggest("请填写实际复查的日期，如 2020-07-15");
        return None;
    }
    let Some(date) = parse_date(value, campaign.campaign.year) else {
        d.error(
            Code::InvalidDate,
            Field::Date,
            format!("无法识别的日期“{}”", clip(&value.display(), 30)),
        );
        d.suggest("请填写如 2020-07-15、2020年7月15日 的日期");
        return None;
    };
    Some(date)
}

/// 复查方式: one or more of the four methods.
pub(super) fn check_methods(
    d: &mut RowDiags<'_, '_>,
    text: &str,
    formula_error: bool,
) -> Option<Vec<Method>> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Methods, "复查方式为空".into());
        d.suggest(format!("应为以下一种或几种，用顿号分隔：{}", methods()));
        return None;
    }
    match parse_methods(text) {
        Ok(m) if !m.is_empty() => Some(m),
        Ok(_) => {
            d.error(Code::MissingValue, Field::Methods, "复查方式为空".into());
            None
        }
        Err(unknown) => {
            let shown: Vec<String> = unknown.iter().take(3).map(|w| clip(w, 20)).collect();
            d.error(
                Code::InvalidValue,
                Field::Methods,
                format!("复查方式“{}”无法识别", shown.join("、")),
            );
            d.suggest(format!("应为以下一种或几种，用顿号分隔：{}", methods()));
            None
        }
    }
}

/// 测评得分 or 群众满意度: a number from 0 to 100.
pub(super) fn check_rate(
    d: &mut RowDiags<'_, '_>,
    field: Field,
    value: &CellValue,
    label: &str,
    parse: fn(&CellValue) -> Option<f64>,
) -> Option<f64> {
    if matches!(value, CellValue::Error(_)) {
        return None;
    }
    if value.is_blank() {
        let why = if field == Field::Satisfaction {
            "（复查方式含问卷调查）"
        } else {
            ""
        };
        d.error(Code::MissingValue, field, format!("{label}为空{why}"));
        d.suggest("请填写 0 到 100 之间的数");
        return None;
    }
    let Some(n) = parse(value) else {
        d.error(
            Code::InvalidValue,
            field,
            format!("{label}“{}”不是数字", clip(&value.display(), 30)),
        );
        d.suggest("请填写 0 到 100 之间的数");
        return None;
    };
    if !(0.0..=100.0).contains(&n) {
        d.error(
            Code::ScoreOutOfRange,
            field,
            format!("{label}{n}超出 0 到 100 的范围"),
        );
        d.suggest("请核对分值，应在 0 到 100 之间");
        return None;
    }
    Some(n)
}

/// Whether the methods include 问卷调查, which makes 群众满意度 required.
pub(super) fn surveyed(methods: Option<&[Method]>) -> bool {
    methods.is_some_and(|m| m.contains(&Method::Survey))
}

/// 群众满意度: a percentage from 0 to 100, required when the unit was
/// surveyed, checked whenever it is filled in.
pub(super) fn check_satisfaction(
    d: &mut RowDiags<'_, '_>,
    value: &CellValue,
    surveyed: bool,
) -> Option<f64> {
    if !surveyed && value.is_blank() {
        return None;
    }
    check_rate(d, Field::Satisfaction, value, "群众满意度", parse_percent)
}

/// 复查结论: one of the six outcomes.
pub(super) fn check_outcome(
    d: &mut RowDiags<'_, '_>,
    text: &str,
    formula_error: bool,
) -> Option<Outcome> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Outcome, "复查结论为空".into());
        d.suggest(format!("应为：{}", outcomes()));
        return None;
    }
    let outcome = Outcome::parse(&fold_width(text));
    if outcome.is_none() {
        d.error(
            Code::InvalidValue,
            Field::Outcome,
            format!("复查结论“{}”无法识别", clip(text, 30)),
        );
        d.suggest(format!("应为：{}", outcomes()));
    }
    outcome
}

/// 是否涉及机构改革: 是 or 否; the roster's flag wins when it says 是.
pub(super) fn check_reform(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    text: &str,
    formula_error: bool,
) -> Option<bool> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        if unit.is_some_and(|u| u.reform) {
            d.error(
                Code::MissingValue,
                Field::Reform,
                "是否涉及机构改革为空，名单标明该单位涉及机构改革".into(),
            );
            d.suggest("请填写“是”");
        } else {
            d.error(
                Code::MissingValue,
                Field::Reform,
                "是否涉及机构改革为空".into(),
            );
            d.suggest("请填写“是”或“否”");
        }
        return None;
    }
    match parse_yes_no(text) {
        Some(v) => Some(v || unit.is_some_and(|u| u.reform)),
        None => {
            d.error(
                Code::InvalidValue,
                Field::Reform,
                format!("是否涉及机构改革应填“是”或“否”，实际为“{}”", clip(text, 20)),
            );
            d.suggest("请填写“是”或“否”");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::diag::Severity;

    #[test]
    fn formula_error_cells_reports_each_at_its_cell() {
        let r = row(&[
            (Field::Name, CellValue::Error("#REF!".into())),
            (Field::Score, CellValue::Error("#DIV/0!".into())),
        ]);
        let diags = rule(|d| formula_error_cells(d, &r));
        assert_eq!(codes(&diags), [Code::FormulaError, Code::FormulaError]);
        assert_eq!(diags[0].message, "“单位名称”单元格为公式错误值 #REF!");
        assert_eq!(diags[1].cell, at(Field::Score));
    }

    #[test]
    fn the_allowed_values_are_listed_in_the_documents_order() {
        assert_eq!(
            levels(),
            "全国文明单位、省级文明标兵单位、省级文明单位、市级文明标兵单位、市级文明单位"
        );
        assert_eq!(
            outcomes(),
            "复查合格、约谈警告、限期整改、通报批评、黄牌警告、撤销荣誉称号"
        );
        assert_eq!(methods(), "实地察看、听取汇报、材料审核、问卷调查");
    }

    #[test]
    fn check_level_reads_the_five_levels_in_any_width() {
        let mut level = None;
        let diags = rule(|d| level = check_level(d, "省级文明单位", false));
        assert_eq!((level, diags.len()), (Some(HonourLevel::Provincial), 0));
        let diags = rule(|d| level = check_level(d, "省文明", false));
        assert_eq!(level, None);
        assert_eq!(codes(&diags), [Code::InvalidValue]);
        assert_eq!(diags[0].message, "荣誉类别“省文明”无法识别");
        assert_eq!(
            codes(&rule(|d| _ = check_level(d, "", false))),
            [Code::MissingValue]
        );
        assert!(rule(|d| _ = check_level(d, "", true)).is_empty());
    }

    #[test]
    fn level_differs_from_roster_names_the_rosters_level() {
        let u = unit("岳阳县人民法院", HonourLevel::Provincial, "岳阳县", false);
        let diags = rule(|d| level_differs_from_roster(d, Some(&u), Some(HonourLevel::City)));
        assert_eq!(
            diags[0].message,
            "荣誉类别“市级文明单位”与名单不符，名单中为“省级文明单位”"
        );
        assert_eq!(diags[0].suggestion.as_deref(), Some("请改为“省级文明单位”"));
        let same = rule(|d| level_differs_from_roster(d, Some(&u), Some(HonourLevel::Provincial)));
        assert!(same.is_empty());
        assert!(rule(|d| level_differs_from_roster(d, None, Some(HonourLevel::City))).is_empty());
    }

    #[test]
    fn year_differs_from_roster_names_the_rosters_year() {
        let u = unit("岳阳县人民法院", HonourLevel::Provincial, "岳阳县", false);
        let mut year = None;
        let diags = rule(|d| {
            year = check_year(d, "2015年", false);
            year_differs_from_roster(d, Some(&u), year);
        });
        assert_eq!(year, Some(2015));
        assert_eq!(codes(&diags), [Code::InvalidValue]);
        assert_eq!(diags[0].message, "命名年度2015与名单不符，名单中为2014");
        assert_eq!(diags[0].cell, at(Field::Year));
    }

    #[test]
    fn check_date_reads_the_accepted_forms() {
        let c = campaign();
        let mut date = None;
        let diags = rule(|d| date = check_date(d, &c, &text("2020年7月15日")));
        assert!(diags.is_empty());
        assert_eq!(date.map(|d| d.to_string()).as_deref(), Some("2020-07-15"));
        let diags = rule(|d| date = check_date(d, &c, &text("2020-02-30")));
        assert_eq!((date, codes(&diags)), (None, vec![Code::InvalidDate]));
        let diags = rule(|d| date = check_date(d, &c, &CellValue::Empty));
        assert_eq!(codes(&diags), [Code::MissingValue]);
    }

    #[test]
    fn check_methods_names_the_unknown_words() {
        let mut methods = None;
        let diags = rule(|d| methods = check_methods(d, "实地察看、座谈", false));
        assert_eq!(methods, None);
        assert_eq!(diags[0].message, "复查方式“座谈”无法识别");
        rule(|d| methods = check_methods(d, "实地察看+问卷调查", false));
        assert_eq!(methods, Some(vec![Method::OnSite, Method::Survey]));
        assert!(surveyed(methods.as_deref()));
        assert!(!surveyed(None));
    }

    #[test]
    fn check_rate_keeps_scores_between_0_and_100() {
        let parse = crate::check::value::parse_number;
        let mut score = None;
        let diags =
            rule(|d| score = check_rate(d, Field::Score, &text("92.5分"), "测评得分", parse));
        assert_eq!((score, diags.len()), (Some(92.5), 0));
        let diags = rule(|d| {
            score = check_rate(
                d,
                Field::Score,
                &CellValue::Number(120.0),
                "测评得分",
                parse,
            )
        });
        assert_eq!(score, None);
        assert_eq!(codes(&diags), [Code::ScoreOutOfRange]);
        assert_eq!(diags[0].message, "测评得分120超出 0 到 100 的范围");
    }

    #[test]
    fn check_satisfaction_is_required_only_after_a_survey() {
        assert!(rule(|d| _ = check_satisfaction(d, &CellValue::Empty, false)).is_empty());
        let diags = rule(|d| _ = check_satisfaction(d, &CellValue::Empty, true));
        assert_eq!(diags[0].message, "群众满意度为空（复查方式含问卷调查）");
        let mut rate = None;
        rule(|d| rate = check_satisfaction(d, &CellValue::Number(0.96), false));
        assert_eq!(rate, Some(96.0));
    }

    #[test]
    fn check_outcome_reads_the_six_outcomes() {
        let mut outcome = None;
        rule(|d| outcome = check_outcome(d, "合格", false));
        assert_eq!(outcome, Some(Outcome::Pass));
        let diags = rule(|d| outcome = check_outcome(d, "优秀", false));
        assert_eq!((outcome, codes(&diags)), (None, vec![Code::InvalidValue]));
    }

    #[test]
    fn check_reform_takes_the_rosters_yes() {
        let reformed = unit("岳阳市中医医院", HonourLevel::National, "市直", true);
        let mut reform = None;
        rule(|d| reform = check_reform(d, Some(&reformed), "否", false));
        assert_eq!(reform, Some(true));
        let diags = rule(|d| reform = check_reform(d, Some(&reformed), "", false));
        assert_eq!(reform, None);
        assert_eq!(
            diags[0].message,
            "是否涉及机构改革为空，名单标明该单位涉及机构改革"
        );
        let diags = rule(|d| reform = check_reform(d, None, "不清楚", false));
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(codes(&diags), [Code::InvalidValue]);
    }
}
