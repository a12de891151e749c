//! The spot-check rules proper: how the city's finding differs from the
//! county's result for the same unit, each difference a diagnostic that
//! names both sides, at the cell of the finding that shows it.

use crate::campaign::Campaign;
use crate::diag::{CellPos, Code, Diagnostic};
use crate::intake::contract::Field;
use crate::review::{Outcome, ReviewResult};
use serde::Serialize;

/// How the city's finding differs from the county's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Discrepancy {
    /// The conclusions differ.
    OutcomeDiffers,
    /// Both concluded 复查合格 but the city found problems the county did not.
    ProblemsMissed,
    /// The county passed the unit; the city's score is below the pass line.
    ScoreBelowPassLine,
}

/// How the city's finding differs from the county's result, with a
/// diagnostic naming both for each difference, at the finding's cell.
/// `col` gives a field's column in the finding's sheet.
pub fn discrepancies(
    city: &ReviewResult,
    county: Option<&ReviewResult>,
    campaign: &Campaign,
    col: &dyn Fn(Field) -> u32,
) -> (Vec<Discrepancy>, Vec<Diagnostic>) {
    let Some(county) = county else {
        return (Vec::new(), Vec::new());
    };
    let mut found = Vec::new();
    let mut out = Vec::new();
    let origin = &city.origin;
    let by = format!("{}文明办", county.jurisdiction);
    let at = |field: Field, d: Diagnostic| {
        d.in_file(origin.file.as_str())
            .in_sheet(origin.sheet.as_str())
            .at(CellPos::new(origin.row, col(field)))
            .for_unit(city.unit.as_str())
    };
    if city.outcome != county.outcome {
        found.push(Discrepancy::OutcomeDiffers);
        out.push(at(
            Field::Outcome,
            Diagnostic::warning(
                Code::SpotOutcomeDiffers,
                format!(
                    "“{}”的随机抽查结论为“{}”，{by}的复查结论为“{}”，两者不一致",
                    city.unit,
                    city.outcome.label(),
                    county.outcome.label()
                ),
            )
            .suggest(format!(
                "以市文明办抽查结论“{}”为准，复查通报将点名说明；请{by}说明原因",
                city.outcome.label()
            )),
        ));
    } else if city.outcome == Outcome::Pass
        && !city.problems.is_empty()
        && county.problems.is_empty()
    {
        found.push(Discrepancy::ProblemsMissed);
        out.push(at(
            Field::Problems,
            Diagnostic::warning(
                Code::SpotProblemsMissed,
                format!(
                    "随机抽查发现“{}”存在问题（{}），{by}复查未指出任何问题",
                    city.unit,
                    crate::check::text::clip(&city.problems, 40)
                ),
            )
            .suggest(format!("复查通报将点名说明；请{by}说明原因")),
        ));
    }
    let line = campaign.pass_lines.score;
    if county.outcome == Outcome::Pass && city.score < line {
        found.push(Discrepancy::ScoreBelowPassLine);
        out.push(at(
            Field::Score,
            Diagnostic::warning(
                Code::SpotScoreBelowPassLine,
                format!(
                    "随机抽查测评得分{}分低于合格线{}分，而{by}评定“{}”复查合格（测评得分{}分）",
                    points(city.score),
                    points(line),
                    city.unit,
                    points(county.score)
                ),
            )
            .suggest(format!("复查通报将点名说明；请{by}说明原因")),
        ));
    }
    (found, out)
}

/// A score as officials write it: 92.5, 90 (no trailing .0).
fn points(score: f64) -> String {
    let tenths = (score * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::RowRef;
    use crate::review::{HonourLevel, Method};

    fn campaign() -> Campaign {
        let toml = r#"
[campaign]
year = 2020
city = "岳阳市"
committee = "岳阳市精神文明建设指导委员会"
committee_short = "岳阳市文明委"
office = "岳阳市精神文明建设指导委员会办公室"
office_short = "岳阳市文明办"
province_office = "湖南省文明办"
metadata_date = 2020-10-09
[deadlines]
unit_report = 2020-08-20
submission = 2020-10-10
rectification_days = 30
[pass_lines]
score = 80
satisfaction = 85
"#;
        Campaign::parse(toml).expect("test campaign")
    }

    /// A result of 岳阳县's unit: 复查合格 at 92, no problems.
    fn result(file: &str) -> ReviewResult {
        ReviewResult {
            unit: "岳阳县林业局".into(),
            jurisdiction: "岳阳县".into(),
            level: HonourLevel::Provincial,
            award_year: 2018,
            review_date: chrono::NaiveDate::from_ymd_opt(2020, 9, 10).expect("a date"),
            methods: vec![Method::OnSite],
            score: 92.0,
            satisfaction: None,
            negative_list: String::new(),
            problems: String::new(),
            rectification: String::new(),
            outcome: Outcome::Pass,
            reform: false,
            reform_note: String::new(),
            remarks: String::new(),
            origin: RowRef {
                file: file.into(),
                sheet: "随机抽查情况".into(),
                row: 4,
            },
        }
    }

    fn compare(city: &ReviewResult, county: &ReviewResult) -> (Vec<Discrepancy>, Vec<String>) {
        let (found, diags) = discrepancies(city, Some(county), &campaign(), &|f| f as u32);
        (found, diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn the_same_finding_raises_nothing() {
        let county = result("岳阳县.xlsx");
        let mut city = result("抽查.xlsx");
        city.score = 85.5;
        city.remarks = "抽查组三人".into();
        assert_eq!(compare(&city, &county), (Vec::new(), Vec::new()));
        // Nor does a finding with no county result to hold it against.
        assert!(
            discrepancies(&city, None, &campaign(), &|f| f as u32)
                .1
                .is_empty()
        );
    }

    #[test]
    fn a_different_conclusion_names_both_at_the_conclusion_cell() {
        let county = result("岳阳县.xlsx");
        let mut city = result("抽查.xlsx");
        city.outcome = Outcome::Rectify;
        city.problems = "台账缺失".into();
        let (found, diags) = compare(&city, &county);
        assert_eq!(found, [Discrepancy::OutcomeDiffers]);
        // Row 5, the conclusion's column of the intake template (M).
        assert!(diags[0].starts_with("抽查.xlsx:随机抽查情况!M5: warning[spot-outcome-differs]"));
        assert!(diags[0].contains("“限期整改”，岳阳县文明办的复查结论为“复查合格”"));
        // Problems come with the sanction: not a second discrepancy.
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn problems_the_county_missed_count_only_when_both_passed() {
        let county = result("岳阳县.xlsx");
        let mut city = result("抽查.xlsx");
        city.problems = "宣传栏内容陈旧".into();
        let (found, diags) = compare(&city, &county);
        assert_eq!(found, [Discrepancy::ProblemsMissed]);
        assert!(diags[0].contains("!K5: warning[spot-problems-missed]"));
        // The county had named problems too: the city agrees.
        let mut noted = county.clone();
        noted.problems = "宣传栏需更新".into();
        assert_eq!(compare(&city, &noted).0, []);
    }

    #[test]
    fn a_score_under_the_line_counts_only_when_the_county_passed() {
        let county = result("岳阳县.xlsx");
        let mut city = result("抽查.xlsx");
        city.score = 79.5;
        city.outcome = Outcome::WarningTalk;
        city.problems = "测评多项不达标".into();
        let (found, diags) = compare(&city, &county);
        assert_eq!(
            found,
            [Discrepancy::OutcomeDiffers, Discrepancy::ScoreBelowPassLine]
        );
        assert!(diags[1].contains("!H5: warning[spot-score-below-pass-line]"));
        assert!(diags[1].contains("79.5分低于合格线80分"));
        assert!(diags[1].contains("测评得分92分"));
        // The county had not passed it: only the conclusions differ.
        let mut sanctioned = county.clone();
        sanctioned.outcome = Outcome::Rectify;
        sanctioned.problems = "台账缺失".into();
        assert_eq!(compare(&city, &sanctioned).0, [Discrepancy::OutcomeDiffers]);
    }
}
