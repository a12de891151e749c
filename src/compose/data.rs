//! The data each template sees: plain JSON built from the roster, the
//! checked batch and the campaign config. Field names are documented for
//! the office in `templates/README.md`, which `readme_fields` holds to them.
//!
//! Every field is always present (empty string, `null` or `[]` when there
//! is nothing), so that strict mode only fails on real misspellings.

use super::DocumentKind;
use super::helpers::format_number;
use crate::campaign::Campaign;
use crate::check::CheckedBatch;
use crate::diag::{Diagnostic, Severity};
use crate::review::{HonourLevel, Outcome, ReviewResult};
use crate::roster::{Roster, Unit};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Shown in place of an outcome for a roster unit without an accepted result.
pub(crate) const NO_RESULT: &str = "未报结果";

/// One unit as the templates see it: roster facts plus its result, if any.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct UnitRow {
    pub name: String,
    pub level: &'static str,
    pub award_year: i32,
    pub jurisdiction: String,
    pub reform: bool,
    pub reform_note: String,
    pub has_result: bool,
    pub outcome: &'static str,
    pub passed: bool,
    /// 全国 and 省级 honours: the province decides their sanctions.
    pub provincial: bool,
    pub review_date: Option<String>,
    pub methods: String,
    pub score: String,
    pub satisfaction: String,
    pub negative_list: String,
    pub problems: String,
    pub rectification: String,
    pub remarks: String,
    /// The result in force is the city's spot-check finding, which differs
    /// from the county's.
    pub spot_finding: bool,
    #[serde(skip)]
    pub level_value: HonourLevel,
    #[serde(skip)]
    pub outcome_value: Option<Outcome>,
}

impl UnitRow {
    pub(crate) fn new(unit: &Unit, result: Option<&ReviewResult>) -> UnitRow {
        let outcome_value = result.map(|r| r.outcome);
        UnitRow {
            name: unit.name.clone(),
            level: unit.level.label(),
            award_year: unit.award_year,
            jurisdiction: unit.jurisdiction.clone(),
            reform: unit.reform || result.is_some_and(|r| r.reform),
            reform_note: result.map(|r| r.reform_note.clone()).unwrap_or_default(),
            has_result: result.is_some(),
            outcome: outcome_value.map(Outcome::label).unwrap_or(NO_RESULT),
            passed: outcome_value == Some(Outcome::Pass),
            provincial: unit.level.is_provincial_or_above(),
            review_date: result.map(|r| r.review_date.to_string()),
            methods: result
                .map(|r| {
                    r.methods
                        .iter()
                        .map(|m| m.label())
                        .collect::<Vec<_>>()
                        .join("、")
                })
                .unwrap_or_default(),
            score: result.map(|r| format_number(r.score)).unwrap_or_default(),
            satisfaction: result
                .and_then(|r| r.satisfaction)
                .map(|s| format!("{}%", format_number(s)))
                .unwrap_or_default(),
            negative_list: result.map(|r| r.negative_list.clone()).unwrap_or_default(),
            problems: result.map(|r| r.problems.clone()).unwrap_or_default(),
            rectification: result.map(|r| r.rectification.clone()).unwrap_or_default(),
            remarks: result.map(|r| r.remarks.clone()).unwrap_or_default(),
            spot_finding: false,
            level_value: unit.level,
            outcome_value,
        }
    }
}

/// A unit's template fields, in the order `Serialize` writes them, and the
/// conversion that keeps only some: a province's unit lists are hundreds
/// of thousands of JSON objects, and a template uses a handful of fields.
macro_rules! unit_fields {
    ($($field:ident),* $(,)?) => {
        /// The names of a unit's template fields.
        pub(crate) const UNIT_FIELDS: &[&str] = &[$(stringify!($field)),*];

        impl UnitRow {
            /// The row as template data with the fields `keep` marks
            /// (indexed like [`UNIT_FIELDS`]).
            pub(crate) fn to_data(&self, keep: &UnitFields) -> Value {
                let mut map = serde_json::Map::new();
                let mut flags = keep.0.iter();
                $(
                    if flags.next().copied().unwrap_or(true) {
                        map.insert(
                            stringify!($field).to_string(),
                            serde_json::to_value(&self.$field).unwrap_or(Value::Null),
                        );
                    }
                )*
                Value::Object(map)
            }
        }
    };
}

unit_fields!(
    name,
    level,
    award_year,
    jurisdiction,
    reform,
    reform_note,
    has_result,
    outcome,
    passed,
    provincial,
    review_date,
    methods,
    score,
    satisfaction,
    negative_list,
    problems,
    rectification,
    remarks,
    spot_finding,
);

/// Which unit fields a document's data carries (see [`UnitRow::to_data`]).
pub(crate) struct UnitFields(Vec<bool>);

impl UnitFields {
    /// The fields the helpers read by name (`names`, `group_by_level`,
    /// `group_by_year`), and those `named` says a template writes.
    pub(crate) fn named(named: impl Fn(&str) -> bool) -> UnitFields {
        const READ_BY_HELPERS: [&str; 3] = ["name", "level", "award_year"];
        UnitFields(
            UNIT_FIELDS
                .iter()
                .map(|f| READ_BY_HELPERS.contains(f) || named(f))
                .collect(),
        )
    }

    /// Every field.
    #[cfg(test)]
    pub(crate) fn all() -> UnitFields {
        UnitFields(vec![true; UNIT_FIELDS.len()])
    }
}

/// Every roster unit with its result (matched by roster name), in roster order.
pub(crate) fn unit_rows(roster: &Roster, batch: &CheckedBatch) -> Vec<UnitRow> {
    let by_name: BTreeMap<&str, &ReviewResult> =
        batch.results.iter().map(|r| (r.unit.as_str(), r)).collect();
    let overruled: Vec<&str> = batch
        .spot_check
        .iter()
        .flat_map(|s| &s.units)
        .filter(|u| u.city.is_some() && !u.discrepancies.is_empty())
        .map(|u| u.unit.as_str())
        .collect();
    roster
        .units()
        .iter()
        .map(|u| {
            let mut row = UnitRow::new(u, by_name.get(u.name.as_str()).copied());
            row.spot_finding = overruled.contains(&u.name.as_str());
            row
        })
        .collect()
}

/// Units that did not pass, most severe outcome first, then roster order.
pub(crate) fn non_passing<'a>(rows: impl IntoIterator<Item = &'a UnitRow>) -> Vec<&'a UnitRow> {
    let mut out: Vec<&UnitRow> = rows
        .into_iter()
        .filter(|r| r.outcome_value.is_some_and(|o| o != Outcome::Pass))
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.outcome_value));
    out
}

/// Counts by honour level and outcome (`counts` in the templates).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Counts {
    /// The outcomes' names, in the order of each tally's `cells`.
    outcomes: Vec<&'static str>,
    /// One tally per honour level present.
    levels: Vec<Tally>,
    /// All levels together (`level` is 合计).
    total: Tally,
}

/// One row of the counts table. Every row adds up: `total` = the outcome
/// cells + `missing`.
#[derive(Debug, Clone, Serialize)]
struct Tally {
    level: &'static str,
    total: usize,
    cells: Vec<usize>,
    passed: usize,
    not_passed: usize,
    missing: usize,
}

impl Counts {
    pub(crate) fn of(rows: &[&UnitRow]) -> Counts {
        let tally = |subset: &[&&UnitRow], level: &'static str| {
            let cells: Vec<usize> = Outcome::ALL
                .iter()
                .map(|o| {
                    subset
                        .iter()
                        .filter(|r| r.outcome_value == Some(*o))
                        .count()
                })
                .collect();
            let missing = subset.iter().filter(|r| r.outcome_value.is_none()).count();
            Tally {
                level,
                total: subset.len(),
                passed: cells[0],
                not_passed: subset.len() - cells[0] - missing,
                missing,
                cells,
            }
        };
        let mut levels = Vec::new();
        for level in HonourLevel::ALL {
            let subset: Vec<&&UnitRow> = rows.iter().filter(|r| r.level_value == level).collect();
            if !subset.is_empty() {
                levels.push(tally(&subset, level.label()));
            }
        }
        let all: Vec<&&UnitRow> = rows.iter().collect();
        Counts {
            outcomes: Outcome::ALL.iter().map(|o| o.label()).collect(),
            levels,
            total: tally(&all, "合计"),
        }
    }
}

/// The fields every document's data has: the campaign, the document's own
/// settings from `[documents.KIND]`, and the draft flag.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Common {
    pub campaign: CampaignFields,
    pub doc: DocFields,
    pub draft: bool,
}

/// `campaign.*` in the templates.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CampaignFields {
    pub year: i32,
    pub city: String,
    pub committee: String,
    pub committee_short: String,
    pub office: String,
    pub office_short: String,
    pub province_office: String,
}

/// `doc.*` in the templates: the kind's settings, the number with `{n}`
/// filled in, and the 成文日期 (configured, or the metadata date).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocFields {
    pub number: Option<String>,
    pub date: String,
    pub addressee: Option<String>,
    pub copy_to: Vec<String>,
    pub signers: Vec<String>,
    pub note: Option<String>,
}

impl Common {
    /// The common fields of a document of `kind`; `n` is its running
    /// number among the kind's documents, for per-unit numbers.
    pub(crate) fn new(
        campaign: &Campaign,
        kind: DocumentKind,
        n: Option<usize>,
        draft: bool,
    ) -> Common {
        let c = &campaign.campaign;
        let settings = campaign.document(kind);
        let number = settings.number.map(|s| match n {
            Some(n) => s.replace("{n}", &n.to_string()),
            None => s,
        });
        Common {
            campaign: CampaignFields {
                year: c.year,
                city: c.city.clone(),
                committee: c.committee.clone(),
                committee_short: c.committee_short.clone(),
                office: c.office.clone(),
                office_short: c.office_short.clone(),
                province_office: c.province_office.clone(),
            },
            doc: DocFields {
                number,
                date: doc_date(campaign, kind).to_string(),
                addressee: settings.addressee,
                copy_to: settings.copy_to,
                signers: settings.signers,
                note: settings.note,
            },
            draft,
        }
    }
}

/// The 成文日期 of a document kind: configured, or the metadata date.
pub(crate) fn doc_date(campaign: &Campaign, kind: DocumentKind) -> NaiveDate {
    campaign
        .document(kind)
        .date
        .unwrap_or(campaign.campaign.metadata_date)
}

/// Copies the fields every document shares (`campaign`, `doc`, `draft`)
/// into `common`, for the partials: `{{> _tail common signer=…}}` hands the
/// partial just these fields and its own, where `{{> _tail signer=…}}`
/// copies the whole data (a province's unit lists) for every call.
pub(crate) fn add_common(data: &mut Value) {
    let Some(fields) = data.as_object_mut() else {
        return;
    };
    let common: serde_json::Map<String, Value> = ["campaign", "doc", "draft"]
        .into_iter()
        .filter_map(|k| fields.get(k).map(|v| (k.to_string(), v.clone())))
        .collect();
    fields.insert("common".to_string(), Value::Object(common));
}

/// A diagnostic as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DiagnosticFields {
    severity: &'static str,
    is_error: bool,
    code: &'static str,
    file: String,
    sheet: String,
    cell: String,
    /// Sheet and cell together, e.g. 复查情况!F12, or — when there is none.
    place: String,
    unit: String,
    message: String,
    suggestion: String,
}

impl DiagnosticFields {
    pub(crate) fn of(d: &Diagnostic) -> DiagnosticFields {
        let cell = d
            .cell
            .map(|c| c.to_string())
            .unwrap_or_else(|| d.row.map(|r| format!("第{}行", r + 1)).unwrap_or_default());
        let place = match (&d.sheet, cell.is_empty()) {
            (Some(sheet), false) => format!("{sheet}!{cell}"),
            (Some(sheet), true) => sheet.clone(),
            (None, _) => cell.clone(),
        };
        DiagnosticFields {
            severity: if d.severity == Severity::Error {
                "错误"
            } else {
                "提示"
            },
            is_error: d.severity == Severity::Error,
            code: d.code.as_str(),
            file: d.file.clone().unwrap_or_default(),
            sheet: d.sheet.clone().unwrap_or_default(),
            cell,
            place: if place.is_empty() {
                "—".to_string()
            } else {
                place
            },
            unit: d.unit.clone().unwrap_or_default(),
            message: d.message.clone(),
            suggestion: d.suggestion.clone().unwrap_or_default(),
        }
    }
}

/// The file name part of a path as written in a batch (`/`- or `\`-separated).
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The name without its extension.
pub(crate) fn file_stem(path: &str) -> &str {
    let name = file_name(path);
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Unit;

    /// `to_data` with every field is what `Serialize` gives: the field list
    /// of the macro and the struct agree.
    #[test]
    fn every_field_listed_once_in_serialize_order() {
        let unit = Unit {
            name: "岳阳市档案馆".into(),
            aliases: vec![],
            level: crate::review::HonourLevel::ALL[0],
            award_year: 2017,
            jurisdiction: "市直".into(),
            reform: false,
            remarks: String::new(),
        };
        let row = UnitRow::new(&unit, None);
        assert_eq!(
            row.to_data(&UnitFields::all()),
            serde_json::to_value(&row).unwrap()
        );
        let some = UnitFields::named(|f| f == "outcome");
        let slim = row.to_data(&some);
        let keys: Vec<&str> = slim
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["award_year", "level", "name", "outcome"]);
    }
}
