//! The 随机抽查情况 of the circular and of a county's summary: how many
//! units were drawn, how many the city confirmed, and each discrepancy
//! with the county that reviewed the unit, all counted from the batch's
//! spot check ([`crate::check::spot`]).

use super::helpers::format_number;
use crate::check::spot::{Discrepancy, SpotCheck, SpotUnit};
use crate::review::HonourLevel;
use serde::Serialize;

/// `spot_check` in `circular.hbs` and `summary.hbs`.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct SpotSection {
    /// A draw is recorded (and, for a summary, drew a unit of the body).
    held: bool,
    /// The seed, as text (a u64 does not survive a template's numbers).
    seed: String,
    /// Units drawn.
    drawn: usize,
    /// Units inspected, with the city's finding accepted.
    inspected: usize,
    /// Inspected units where the city found what the county found.
    confirmed: usize,
    /// Drawn units not inspected yet.
    not_inspected: usize,
    /// Every drawn unit, in draw order.
    units: Vec<SpotUnitFields>,
    /// The inspected units whose finding differs from the county's.
    discrepancies: Vec<SpotUnitFields>,
    /// The bodies that reviewed those units, each once, in first-named order.
    counties: Vec<String>,
}

/// One drawn unit as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct SpotUnitFields {
    name: String,
    jurisdiction: String,
    level: String,
    county_outcome: String,
    county_score: String,
    inspected: bool,
    city_outcome: String,
    city_score: String,
    problems: String,
    confirmed: bool,
    /// What differs, a sentence each.
    differences: Vec<String>,
}

impl SpotSection {
    /// The section over every drawn unit, or only those `body` reviewed.
    pub(super) fn of(check: Option<&SpotCheck>, body: Option<&str>) -> SpotSection {
        SpotSection::of_units(check, |u| body.is_none_or(|b| u.jurisdiction == b))
    }

    /// The section over the drawn units whose honour `keep` keeps.
    pub(super) fn of_levels(
        check: Option<&SpotCheck>,
        keep: impl Fn(HonourLevel) -> bool,
    ) -> SpotSection {
        SpotSection::of_units(check, |u| {
            u.county
                .as_ref()
                .or(u.city.as_ref())
                .is_some_and(|r| keep(r.level))
        })
    }

    fn of_units(check: Option<&SpotCheck>, keep: impl Fn(&SpotUnit) -> bool) -> SpotSection {
        let Some(check) = check else {
            return SpotSection::default();
        };
        let mine: Vec<&SpotUnit> = check.units.iter().filter(|u| keep(u)).collect();
        let units: Vec<SpotUnitFields> = mine.iter().map(|u| fields(u)).collect();
        let discrepancies: Vec<SpotUnitFields> = units
            .iter()
            .filter(|u| !u.differences.is_empty())
            .cloned()
            .collect();
        let mut counties: Vec<String> = Vec::new();
        for u in &discrepancies {
            if !counties.contains(&u.jurisdiction) {
                counties.push(u.jurisdiction.clone());
            }
        }
        let inspected = mine.iter().filter(|u| u.city.is_some()).count();
        SpotSection {
            held: !mine.is_empty(),
            seed: check.seed.to_string(),
            drawn: mine.len(),
            inspected,
            confirmed: mine.iter().filter(|u| u.confirmed()).count(),
            not_inspected: mine.len() - inspected,
            units,
            discrepancies,
            counties,
        }
    }
}

fn fields(u: &SpotUnit) -> SpotUnitFields {
    let level = u
        .city
        .as_ref()
        .or(u.county.as_ref())
        .map(|r| r.level.label())
        .unwrap_or_default();
    let outcome = |r: Option<&crate::review::ReviewResult>| {
        r.map_or("未报结果", |r| r.outcome.label()).to_string()
    };
    let score = |r: Option<&crate::review::ReviewResult>| {
        r.map(|r| format_number(r.score)).unwrap_or_default()
    };
    SpotUnitFields {
        name: u.unit.clone(),
        jurisdiction: u.jurisdiction.clone(),
        level: level.to_string(),
        county_outcome: outcome(u.county.as_ref()),
        county_score: score(u.county.as_ref()),
        inspected: u.city.is_some(),
        city_outcome: u
            .city
            .as_ref()
            .map(|r| r.outcome.label().to_string())
            .unwrap_or_default(),
        city_score: score(u.city.as_ref()),
        problems: u
            .city
            .as_ref()
            .map(|r| r.problems.clone())
            .unwrap_or_default(),
        confirmed: u.confirmed(),
        differences: u.discrepancies.iter().map(|d| difference(u, *d)).collect(),
    }
}

/// One difference in words, naming both sides.
fn difference(u: &SpotUnit, d: Discrepancy) -> String {
    let (Some(city), Some(county)) = (&u.city, &u.county) else {
        return String::new();
    };
    match d {
        Discrepancy::OutcomeDiffers => format!(
            "{}文明办复查结论为“{}”，市文明办抽查结论为“{}”",
            u.jurisdiction,
            county.outcome.label(),
            city.outcome.label()
        ),
        Discrepancy::ProblemsMissed => format!(
            "{}文明办复查未指出问题，市文明办抽查发现问题",
            u.jurisdiction
        ),
        Discrepancy::ScoreBelowPassLine => format!(
            "{}文明办测评得分{}分、评定复查合格，市文明办抽查测评得分{}分，低于合格线",
            u.jurisdiction,
            format_number(county.score),
            format_number(city.score)
        ),
    }
}

/// A spot check over the first two county-reviewed results of a batch: the
/// first confirmed, the second found wanting, so every field has a value.
#[cfg(test)]
pub(super) fn example(results: &[crate::review::ReviewResult]) -> SpotCheck {
    // Two units of one county, so that its summary has both kinds too.
    let county: Vec<_> = results
        .iter()
        .filter(|r| r.jurisdiction != "市直")
        .collect();
    let (a, b) = county
        .iter()
        .find_map(|a| {
            let b = county
                .iter()
                .find(|b| b.jurisdiction == a.jurisdiction && b.unit != a.unit)?;
            Some((*a, *b))
        })
        .expect("the default season has a county with two units");
    let mut wanting = b.clone();
    wanting.outcome = crate::review::Outcome::Rectify;
    wanting.problems = "台账不全".into();
    wanting.score = 55.0;
    let unit = |r: &crate::review::ReviewResult, city, d: Vec<Discrepancy>| SpotUnit {
        unit: r.unit.clone(),
        jurisdiction: r.jurisdiction.clone(),
        county: Some(r.clone()),
        city,
        discrepancies: d,
    };
    SpotCheck {
        seed: 7,
        units: vec![
            unit(a, Some(a.clone()), Vec::new()),
            unit(
                b,
                Some(wanting),
                vec![Discrepancy::OutcomeDiffers, Discrepancy::ScoreBelowPassLine],
            ),
        ],
    }
}
