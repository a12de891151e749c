//! `templates/README.md` tells the office which fields each template sees.
//! These tests hold that text to the data types: a field added, renamed or
//! dropped in a type without the README following fails here, and so does
//! a README field no type has.

use super::data::{Common, Counts, DiagnosticFields, UNIT_FIELDS, UnitRow};
use super::kind::DocumentKind;
use super::kinds::{
    CircularData, FeedbackData, NoticeData, ProvincialData, RectificationData, SampleData,
    SummaryData, UnitLists, ValidationData,
};
use super::templates::Templates;
use crate::campaign::Campaign;
use crate::check::CheckedBatch;
use crate::diag::{CellPos, Code, Diagnostic};
use crate::roster::Roster;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const README: &str = include_str!("../../templates/README.md");

/// The default data's season, with one error and one warning added so that
/// every list of diagnostics has an item to look into.
fn season() -> (Campaign, Roster, CheckedBatch) {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let campaign = Campaign::load(&input.join("fucha.toml")).expect("default config");
    let roster = Roster::load(&campaign.roster).expect("default roster");
    let mut batch =
        crate::check::check_paths(std::slice::from_ref(&campaign.intake), &roster, &campaign);
    let file = batch.files[0].path.clone();
    batch.diagnostics.push(
        Diagnostic::error(Code::InvalidValue, "得分不是数字")
            .in_file(file.clone())
            .in_sheet("复查情况")
            .at(CellPos::new(4, 6))
            .suggest("填写0—100的数字"),
    );
    batch
        .diagnostics
        .push(Diagnostic::warning(Code::MissingValue, "备注为空").in_file(file));
    (campaign, roster, batch)
}

/// Every key of a JSON value at any depth, not descending into `skip`
/// (lists of units and the counts, which have sections of their own).
fn keys(value: &Value, skip: &[&str], out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                if !skip.contains(&k.as_str()) {
                    keys(v, skip, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, skip, out)),
        _ => {}
    }
}

fn top_keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

/// The names in backticks in `text`, split at dots (`counts.total` gives
/// `counts` and `total`) and without `{{ }}`.
fn backticked(text: &str) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|t| t.split('.'))
        .map(str::to_string)
        .collect()
}

/// The README's text from the heading that starts with `heading` to the next.
fn section(heading: &str) -> &'static str {
    let start = README
        .find(heading)
        .unwrap_or_else(|| panic!("{heading} not in README"));
    let rest = &README[start + heading.len()..];
    let end = rest.find("\n#").unwrap_or(rest.len());
    &rest[..end]
}

/// The first-column names of the tables in a section.
fn first_column(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| backticked(l.split('|').nth(1).unwrap_or("")))
        .collect()
}

/// The README's bullet for one template, under 各模板另有的数据.
fn bullet(kind: DocumentKind) -> &'static str {
    let start = format!("- `{}.hbs`", kind.key());
    let list = section("### 各模板另有的数据");
    let at = list
        .find(&start)
        .unwrap_or_else(|| panic!("no bullet for {start}"));
    let rest = &list[at + start.len()..];
    &rest[..rest.find("\n- ").unwrap_or(rest.len())]
}

fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("plain data")
}

/// Each kind's own data (without the common fields), built from the
/// default season.
fn own_data(kind: DocumentKind) -> Value {
    let (campaign, roster, batch) = season();
    let templates = Templates::load(None).expect("built-in templates");
    let rows = super::data::unit_rows(&roster, &batch);
    let all: Vec<&UnitRow> = rows.iter().collect();
    let lists = || UnitLists::of(&all, &templates, kind);
    match kind {
        DocumentKind::Circular => {
            let spot = super::spot::example(&batch.results);
            json(CircularData::new(lists()).with_spot_check(Some(&spot)))
        }
        DocumentKind::Summary => {
            let spot = super::spot::example(&batch.results);
            let body = spot.units[0].jurisdiction.clone();
            json(SummaryData::new(&body, lists()).with_spot_check(Some(&spot)))
        }
        DocumentKind::Provincial => json(ProvincialData::new(lists())),
        DocumentKind::Notice => json(NoticeData::of(&roster, &campaign, &templates)),
        DocumentKind::Validation => json(ValidationData::of(&batch, &["复查通报".to_string()])),
        DocumentKind::Rectification => json(RectificationData::of(&rows[0], &campaign)),
        DocumentKind::Feedback => json(FeedbackData::of(&batch, &batch.files[0], &campaign)),
        DocumentKind::Sample => {
            let draw = crate::sample::draw_record(&roster, &batch.results, 3, 7);
            json(SampleData::of(&draw, &roster, &batch.results))
        }
        DocumentKind::Publicity => {
            let date = chrono::NaiveDate::from_ymd_opt(2020, 11, 10).expect("a date");
            let settings = crate::campaign::PublicitySettings {
                start: date,
                end: date,
                contact: vec!["联系电话：0730-0000000".into()],
            };
            json(super::publicity::PublicityData::new(
                &rows,
                &BTreeSet::new(),
                &[],
                &settings,
            ))
        }
        DocumentKind::Reminder => {
            let season = super::kinds::followup_example(&batch, &roster, &campaign);
            json(super::kinds::ReminderData::of(&season.units[0], &season))
        }
        DocumentKind::RectificationCircular | DocumentKind::RectificationReport => {
            let season = super::kinds::followup_example(&batch, &roster, &campaign);
            let units: Vec<_> = season.units.iter().collect();
            json(super::kinds::RectificationOutcomeData::of(&units, &season))
        }
    }
}

#[test]
fn the_common_fields_are_those_the_readme_lists() {
    let (campaign, _, _) = season();
    let common = json(Common::new(&campaign, DocumentKind::Circular, None, false));
    let mut fields = BTreeSet::new();
    keys(&common, &[], &mut fields);
    // `common` itself is added for the partials (`data::add_common`).
    fields.insert("common".to_string());
    assert_eq!(first_column(section("### 所有模板都有")), fields);
}

#[test]
fn the_unit_fields_are_those_the_readme_lists() {
    let listed = first_column(section("### 单位"));
    let fields: BTreeSet<String> = UNIT_FIELDS.iter().map(|f| f.to_string()).collect();
    assert_eq!(listed, fields);
}

#[test]
fn the_counts_are_described_field_by_field() {
    let (_, roster, batch) = season();
    let rows = super::data::unit_rows(&roster, &batch);
    let all: Vec<&UnitRow> = rows.iter().collect();
    let counts = json(Counts::of(&all));
    let text = section("### 复查结果统计");
    let mut fields = BTreeSet::new();
    keys(&counts, &[], &mut fields);
    let mentioned = backticked(text);
    for f in &fields {
        assert!(mentioned.contains(f), "counts.{f} is not in the README");
    }
}

#[test]
fn the_spot_check_is_described_field_by_field() {
    let data = own_data(DocumentKind::Circular);
    let mut fields = BTreeSet::new();
    keys(&data["spot_check"], &[], &mut fields);
    let mentioned = backticked(section("### 随机抽查情况"));
    for f in &fields {
        assert!(mentioned.contains(f), "spot_check.{f} is not in the README");
    }
    assert!(fields.contains("differences") && fields.contains("held"));
}

#[test]
fn each_template_bullet_names_exactly_its_data() {
    // Lists of units are described by the unit table, `*_by_level` by the
    // group_by_level helper, and `counts` by its own section.
    // A validation report's diagnostics are described with the feedback
    // letter's `errors`.
    const DESCRIBED_ELSEWHERE: [&str; 11] = [
        "diagnostics",
        "units",
        "passed",
        "non_passing",
        "missing",
        "reformed",
        "unit",
        "units_by_level",
        "passed_by_level",
        "counts",
        "spot_check",
    ];
    let diagnostic_fields = {
        let d = Diagnostic::error(Code::InvalidValue, "x");
        top_keys(&json(DiagnosticFields::of(&d)))
    };
    let mut disagreements = Vec::new();
    for kind in DocumentKind::ALL {
        let data = own_data(kind);
        let mut fields = BTreeSet::new();
        keys(&data, &DESCRIBED_ELSEWHERE, &mut fields);
        // The provincial report has the circular's fields, and says so.
        let text = match bullet(kind) {
            t if t
                .split_once('：')
                .is_some_and(|(_, rest)| rest.starts_with("同复查通报")) =>
            {
                bullet(DocumentKind::Circular)
            }
            t => t,
        };
        let mentioned = backticked(text);
        let key = kind.key();
        for f in fields.iter().filter(|f| !mentioned.contains(*f)) {
            disagreements.push(format!("{key}.hbs: field `{f}` is not in the README"));
        }
        // Besides its data, a bullet may name the unit fields every list
        // item has, and the diagnostic fields described with `errors`.
        let known = |m: &String| {
            fields.contains(m)
                || diagnostic_fields.contains(m)
                || UNIT_FIELDS.contains(&m.as_str())
                || m == "group_by_level"
                || m.ends_with("hbs")
        };
        for m in mentioned.iter().filter(|m| !known(m)) {
            disagreements.push(format!(
                "{key}.hbs: the README names `{m}`, which its data lacks"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "templates/README.md and the data types disagree:\n{}",
        disagreements.join("\n")
    );
}
