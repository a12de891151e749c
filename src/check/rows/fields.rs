//! The typed cells of a row: honour, year, date, methods, rates, outcome and
//! reform flag, each checked against its allowed values and the roster.

use super::RowDiags;
use crate::campaign::Campaign;
use crate::check::header::Field;
use crate::check::text::{clip, fold_width, parse_yes_no};
use crate::check::value::{parse_date, parse_methods};
use crate::diag::Code;
use crate::ingest::CellValue;
use crate::review::{HonourLevel, Method, Outcome};
use crate::roster::Unit;
use chrono::{Datelike, NaiveDate};

const LEVELS: &str = "全国文明单位、省级文明标兵单位、省级文明单位、市级文明标兵单位、市级文明单位";
const OUTCOMES: &str = "复查合格、约谈警告、限期整改、通报批评、黄牌警告、撤销荣誉称号";
const METHODS: &str = "实地察看、听取汇报、材料审核、问卷调查";

/// 荣誉类别: one of the five levels, and the roster's.
pub(super) fn check_level(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    text: &str,
    formula_error: bool,
) -> Option<HonourLevel> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Level, "荣誉类别为空".into());
        d.suggest(format!("应为：{LEVELS}"));
        return None;
    }
    let Some(level) = HonourLevel::parse(&fold_width(text)) else {
        d.error(
            Code::InvalidValue,
            Field::Level,
            format!("荣誉类别“{}”无法识别", clip(text, 30)),
        );
        d.suggest(format!("应为：{LEVELS}"));
        return None;
    };
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
    Some(level)
}

/// 命名年度: a year, and the roster's.
pub(super) fn check_year(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    text: &str,
    formula_error: bool,
) -> Option<i32> {
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
    if let Some(u) = unit.filter(|u| u.award_year != year) {
        d.error(
            Code::InvalidValue,
            Field::Year,
            format!("命名年度{year}与名单不符，名单中为{}", u.award_year),
        );
        d.suggest(format!("请改为{}", u.award_year));
    }
    Some(year)
}

/// 复查日期: a date in one of the accepted forms, inside the level's phase window.
pub(super) fn check_date(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    level: Option<HonourLevel>,
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
    match level.and_then(|l| campaign.phase_window(l).map(|w| (l, w))) {
        Some((level, (start, end))) if date < start || date > end => {
            d.warn(
                Code::DateOutOfWindow,
                Field::Date,
                format!(
                    "复查日期{date}不在{}的复查时间（{start}至{end}）内",
                    level.label()
                ),
            );
            d.suggest("请核对复查日期");
        }
        None if date.year_ce().1 as i32 != campaign.campaign.year => {
            d.warn(
                Code::DateOutOfWindow,
                Field::Date,
                format!("复查日期{date}不在{}年内", campaign.campaign.year),
            );
            d.suggest("请核对复查日期");
        }
        _ => {}
    }
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
        d.suggest(format!("应为以下一种或几种，用顿号分隔：{METHODS}"));
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
            d.suggest(format!("应为以下一种或几种，用顿号分隔：{METHODS}"));
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
        d.suggest(format!("应为：{OUTCOMES}"));
        return None;
    }
    let outcome = Outcome::parse(&fold_width(text));
    if outcome.is_none() {
        d.error(
            Code::InvalidValue,
            Field::Outcome,
            format!("复查结论“{}”无法识别", clip(text, 30)),
        );
        d.suggest(format!("应为：{OUTCOMES}"));
    }
    outcome
}

/// A sanction needs problems and rectification; a pass must not contradict
/// the negative list or the pass lines.
pub(super) fn check_outcome_consistency(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    outcome: Outcome,
    (negative, problems, rectification): (&String, &String, &String),
    (score, satisfaction): (Option<f64>, Option<f64>),
) {
    if outcome != Outcome::Pass {
        let empty: Vec<&str> = [(problems, "存在问题"), (rectification, "整改意见")]
            .into_iter()
            .filter(|(t, _)| t.is_empty())
            .map(|(_, l)| l)
            .collect();
        if !empty.is_empty() {
            let at = if problems.is_empty() {
                Field::Problems
            } else {
                Field::Rectification
            };
            d.error(
                Code::OutcomeNeedsProblems,
                at,
                format!(
                    "复查结论为“{}”，但未填写{}",
                    outcome.label(),
                    empty.join("和")
                ),
            );
            d.suggest("结论不是复查合格时，须写明存在的问题和整改意见");
        }
        return;
    }
    if !negative.is_empty() {
        d.warn(
            Code::InconsistentOutcome,
            Field::Negative,
            format!("存在负面清单情形“{}”，结论却为复查合格", clip(negative, 30)),
        );
        d.suggest("请核对复查结论或负面清单情形");
    }
    if let Some(s) = score.filter(|s| *s < campaign.pass_lines.score) {
        d.warn(
            Code::InconsistentOutcome,
            Field::Score,
            format!(
                "测评得分{s}低于合格线{}，结论却为复查合格",
                campaign.pass_lines.score
            ),
        );
        d.suggest("请核对测评得分或复查结论");
    }
    if let Some(s) = satisfaction.filter(|s| *s < campaign.pass_lines.satisfaction) {
        d.warn(
            Code::InconsistentOutcome,
            Field::Satisfaction,
            format!(
                "群众满意度{s}%低于合格线{}%，结论却为复查合格",
                campaign.pass_lines.satisfaction
            ),
        );
        d.suggest("请核对群众满意度或复查结论");
    }
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
