//! The rules across several cells of a row, each named after what it finds
//! wrong: a date outside its phase, a provincial honour reviewed without a
//! visit, a survey without its satisfaction column, an outcome that the
//! other cells contradict, a reform without its statement.

use super::RowDiags;
use crate::campaign::Campaign;
use crate::check::text::clip;
use crate::diag::{Code, Severity};
use crate::intake::contract::Field;
use crate::review::{HonourLevel, Method, Outcome};
use crate::roster::Unit;
use chrono::{Datelike, NaiveDate};

/// 复查日期 outside the review window of the unit's phase, or outside the
/// campaign year when the level (or its phase) is not known.
pub(super) fn date_outside_phase(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    level: Option<HonourLevel>,
    date: Option<NaiveDate>,
) {
    let Some(date) = date else { return };
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
}

/// A national or provincial honour reviewed without 实地察看.
pub(super) fn onsite_visit_missing(
    d: &mut RowDiags<'_, '_>,
    level: Option<HonourLevel>,
    methods: Option<&[Method]>,
) {
    let (Some(level), Some(methods)) = (level, methods) else {
        return;
    };
    if level.is_provincial_or_above() && !methods.contains(&Method::OnSite) {
        d.warn(
            Code::OnsiteRequired,
            Field::Methods,
            format!(
                "{}原则上应实地察看，复查方式中没有“实地察看”",
                level.label()
            ),
        );
        d.suggest("如确已实地察看，请在复查方式中写明");
    }
}

/// 问卷调查 among the methods, but no 群众满意度(%) column to hold its result.
pub(super) fn survey_without_satisfaction_column(d: &mut RowDiags<'_, '_>, surveyed: bool) {
    if surveyed && d.header.col(Field::Satisfaction).is_none() {
        d.push(
            Severity::Error,
            Code::MissingColumn,
            None,
            "复查方式含问卷调查，但表中没有“群众满意度(%)”列".into(),
        );
    }
}

/// An outcome other than 复查合格 without 存在问题 or 整改意见.
pub(super) fn sanction_without_problems(
    d: &mut RowDiags<'_, '_>,
    outcome: Option<Outcome>,
    problems: &str,
    rectification: &str,
) {
    let Some(outcome) = outcome.filter(|o| *o != Outcome::Pass) else {
        return;
    };
    let empty: Vec<&str> = [(problems, "存在问题"), (rectification, "整改意见")]
        .into_iter()
        .filter(|(t, _)| t.is_empty())
        .map(|(_, l)| l)
        .collect();
    if empty.is_empty() {
        return;
    }
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

/// 复查合格 although a 负面清单情形 is written.
pub(super) fn pass_despite_negative_list(
    d: &mut RowDiags<'_, '_>,
    outcome: Option<Outcome>,
    negative: &str,
) {
    if outcome == Some(Outcome::Pass) && !negative.is_empty() {
        d.warn(
            Code::InconsistentOutcome,
            Field::Negative,
            format!("存在负面清单情形“{}”，结论却为复查合格", clip(negative, 30)),
        );
        d.suggest("请核对复查结论或负面清单情形");
    }
}

/// 复查合格 with a 测评得分 below the campaign's pass line.
pub(super) fn score_below_pass_line(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    outcome: Option<Outcome>,
    score: Option<f64>,
) {
    if outcome != Some(Outcome::Pass) {
        return;
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
}

/// 复查合格 with a 群众满意度 below the campaign's pass line.
pub(super) fn satisfaction_below_pass_line(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    outcome: Option<Outcome>,
    satisfaction: Option<f64>,
) {
    if outcome != Some(Outcome::Pass) {
        return;
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

/// A unit in a reform (by its row or by the roster) without a statement in
/// the row or in the 机构改革情况说明 sheet. The roster's flag counts even
/// when the row's cell is empty or unreadable: the statement is owed
/// either way.
pub(super) fn reform_note_missing(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    reform: Option<bool>,
    note: &str,
) {
    let from_roster = unit.is_some_and(|u| u.reform);
    if !(reform == Some(true) || from_roster) || !note.is_empty() {
        return;
    }
    let at = if d.header.col(Field::ReformNote).is_some() {
        Field::ReformNote
    } else {
        Field::Reform
    };
    d.error(
        Code::MissingReformNote,
        at,
        if from_roster {
            "名单标明该单位涉及机构改革，但没有机构改革情况说明".into()
        } else {
            "该单位涉及机构改革，但没有机构改革情况说明".into()
        },
    );
    d.suggest("请在“机构改革情况说明”列或“机构改革情况说明”工作表中写明合并、更名、划转等情况");
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::diag::CellPos;

    fn date(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn date_outside_phase_goes_by_the_levels_phase() {
        let c = campaign();
        let in_phase =
            rule(|d| date_outside_phase(d, &c, Some(HonourLevel::Provincial), date("2020-08-31")));
        assert!(in_phase.is_empty());
        let diags =
            rule(|d| date_outside_phase(d, &c, Some(HonourLevel::Provincial), date("2020-07-15")));
        assert_eq!(codes(&diags), [Code::DateOutOfWindow]);
        assert_eq!(
            diags[0].message,
            "复查日期2020-07-15不在省级文明单位的复查时间（2020-08-01至2020-08-31）内"
        );
        assert_eq!(diags[0].cell, at(Field::Date));
    }

    #[test]
    fn date_outside_phase_without_a_phase_goes_by_the_campaign_year() {
        let c = campaign();
        assert!(rule(|d| date_outside_phase(d, &c, None, date("2020-12-01"))).is_empty());
        let diags =
            rule(|d| date_outside_phase(d, &c, Some(HonourLevel::City), date("2019-12-01")));
        assert_eq!(diags[0].message, "复查日期2019-12-01不在2020年内");
        assert!(rule(|d| date_outside_phase(d, &c, None, None)).is_empty());
    }

    #[test]
    fn onsite_visit_missing_only_for_provincial_honours_and_above() {
        let heard = [Method::Hearing];
        let diags = rule(|d| onsite_visit_missing(d, Some(HonourLevel::National), Some(&heard)));
        assert_eq!(codes(&diags), [Code::OnsiteRequired]);
        assert_eq!(diags[0].severity, Severity::Warning);
        assert_eq!(diags[0].cell, at(Field::Methods));
        let city = rule(|d| onsite_visit_missing(d, Some(HonourLevel::City), Some(&heard)));
        assert!(city.is_empty());
        let visited = [Method::Hearing, Method::OnSite];
        let ok = rule(|d| onsite_visit_missing(d, Some(HonourLevel::National), Some(&visited)));
        assert!(ok.is_empty());
    }

    #[test]
    fn survey_without_satisfaction_column_is_an_error_on_the_row() {
        let header = header_without(&[Field::Satisfaction]);
        let notes = Default::default();
        let diags = run(&header, &notes, |_, d| {
            survey_without_satisfaction_column(d, true)
        });
        assert_eq!(codes(&diags), [Code::MissingColumn]);
        assert_eq!((diags[0].cell, diags[0].row), (None, Some(ROW)));
        let not_surveyed = run(&header, &notes, |_, d| {
            survey_without_satisfaction_column(d, false)
        });
        assert!(not_surveyed.is_empty());
        assert!(rule(|d| survey_without_satisfaction_column(d, true)).is_empty());
    }

    #[test]
    fn sanction_without_problems_names_what_is_missing() {
        let diags = rule(|d| sanction_without_problems(d, Some(Outcome::Rectify), "", ""));
        assert_eq!(codes(&diags), [Code::OutcomeNeedsProblems]);
        assert_eq!(
            diags[0].message,
            "复查结论为“限期整改”，但未填写存在问题和整改意见"
        );
        assert_eq!(diags[0].cell, at(Field::Problems));
        let diags = rule(|d| sanction_without_problems(d, Some(Outcome::Rectify), "台账缺失", ""));
        assert_eq!(diags[0].cell, at(Field::Rectification));
        let pass = rule(|d| sanction_without_problems(d, Some(Outcome::Pass), "", ""));
        assert!(pass.is_empty());
        assert!(rule(|d| sanction_without_problems(d, None, "", "")).is_empty());
    }

    #[test]
    fn pass_despite_negative_list_warns_at_the_negative_list() {
        let diags = rule(|d| pass_despite_negative_list(d, Some(Outcome::Pass), "安全事故"));
        assert_eq!(codes(&diags), [Code::InconsistentOutcome]);
        assert_eq!(diags[0].cell, at(Field::Negative));
        assert!(rule(|d| pass_despite_negative_list(d, Some(Outcome::Pass), "")).is_empty());
        let sanction = rule(|d| pass_despite_negative_list(d, Some(Outcome::Revoke), "安全事故"));
        assert!(sanction.is_empty());
    }

    #[test]
    fn score_below_pass_line_only_for_a_pass() {
        let c = campaign();
        let diags = rule(|d| score_below_pass_line(d, &c, Some(Outcome::Pass), Some(79.5)));
        assert_eq!(
            diags[0].message,
            "测评得分79.5低于合格线80，结论却为复查合格"
        );
        assert_eq!(diags[0].cell, at(Field::Score));
        assert!(rule(|d| score_below_pass_line(d, &c, Some(Outcome::Pass), Some(80.0))).is_empty());
        let sanction = rule(|d| score_below_pass_line(d, &c, Some(Outcome::Rectify), Some(50.0)));
        assert!(sanction.is_empty());
    }

    #[test]
    fn satisfaction_below_pass_line_only_for_a_pass() {
        let c = campaign();
        let diags = rule(|d| satisfaction_below_pass_line(d, &c, Some(Outcome::Pass), Some(84.0)));
        assert_eq!(
            diags[0].message,
            "群众满意度84%低于合格线85%，结论却为复查合格"
        );
        assert_eq!(diags[0].cell, at(Field::Satisfaction));
        assert!(
            rule(|d| satisfaction_below_pass_line(d, &c, Some(Outcome::Pass), None)).is_empty()
        );
    }

    #[test]
    fn reform_note_missing_counts_the_rosters_flag_too() {
        let reformed = unit("岳阳市中医医院", HonourLevel::National, "市直", true);
        let diags = rule(|d| reform_note_missing(d, Some(&reformed), None, ""));
        assert_eq!(codes(&diags), [Code::MissingReformNote]);
        assert_eq!(
            diags[0].message,
            "名单标明该单位涉及机构改革，但没有机构改革情况说明"
        );
        assert_eq!(diags[0].cell, at(Field::ReformNote));
        let said = rule(|d| reform_note_missing(d, Some(&reformed), Some(false), "2019年合并"));
        assert!(said.is_empty());
        let plain = unit("岳阳县人民法院", HonourLevel::Provincial, "岳阳县", false);
        let diags = rule(|d| reform_note_missing(d, Some(&plain), Some(true), ""));
        assert_eq!(
            diags[0].message,
            "该单位涉及机构改革，但没有机构改革情况说明"
        );
        assert!(rule(|d| reform_note_missing(d, Some(&plain), Some(false), "")).is_empty());
        // Without the statement column the error sits at the flag.
        let header = header_without(&[Field::ReformNote]);
        let diags = run(&header, &Default::default(), |_, d| {
            reform_note_missing(d, Some(&plain), Some(true), "")
        });
        assert_eq!(diags[0].cell, Some(CellPos::new(ROW, 13)));
    }
}
