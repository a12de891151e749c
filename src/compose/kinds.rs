//! Each kind of document's data: what the templates see for the circular,
//! the summaries and the provincial report (the unit lists), the notice,
//! the validation report, a rectification notice and a feedback letter.
//! `set` decides which documents there are; this module fills them.

use super::data::{self, UnitFields, UnitRow};
use super::helpers::group_by_level;
use super::set::{ComposedDocument, compose_one, doc_path};
use super::templates::{TemplateError, Templates};
use crate::campaign::Campaign;
use crate::check::CheckedBatch;
use crate::diag::Severity;
use crate::roster::Roster;
use serde_json::{Value, json};
use std::path::PathBuf;

/// A document over a list of units: the circular, a summary, the
/// provincial report; `extra` adds the kind's own fields.
pub(super) fn unit_report(
    kind: &str,
    path: PathBuf,
    rows: Vec<&UnitRow>,
    extra: Value,
    draft: bool,
    templates: &Templates,
    campaign: &Campaign,
) -> Result<ComposedDocument, TemplateError> {
    let d = data::merge(
        data::common(campaign, kind, None, draft),
        data::merge(extra, unit_data(&rows, templates, kind)),
    );
    compose_one(templates, campaign, kind, path, d, draft)
}

/// The unit lists and counts the result documents share. A list the
/// document's templates never name is left empty, and each unit carries
/// only the fields they name: for a province each list is hundreds of
/// thousands of objects, and building them was most of the cost (and
/// memory) of composing.
fn unit_data(rows: &[&UnitRow], templates: &Templates, kind: &str) -> Value {
    let named = |field: &str| templates.names_field(kind, field);
    let fields = UnitFields::named(named);
    let list = |field: &str, keep: &dyn Fn(&UnitRow) -> bool| -> Vec<Value> {
        if named(field) {
            rows.iter()
                .filter(|r| keep(r))
                .map(|r| r.to_data(&fields))
                .collect()
        } else {
            Vec::new()
        }
    };
    let non_passing: Vec<Value> = if named("non_passing") {
        data::non_passing(rows.iter().copied())
            .into_iter()
            .map(|r| r.to_data(&fields))
            .collect()
    } else {
        Vec::new()
    };
    // How many units each review method was used on, in the work plan's order;
    // the summary states these instead of repeating the methods on every row.
    let method_counts: Vec<Value> = crate::review::Method::ALL
        .iter()
        .map(|m| {
            (
                m.label(),
                rows.iter()
                    .filter(|r| r.methods.contains(m.label()))
                    .count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .map(|(method, count)| json!({ "method": method, "count": count }))
        .collect();
    let mut d = json!({
        "method_counts": method_counts,
        "units": list("units", &|_| true),
        "passed": list("passed", &|r| r.passed),
        "non_passing": non_passing,
        "missing": list("missing", &|r| !r.has_result),
        "reformed": list("reformed", &|r| r.reform),
        "counts": data::counts(rows),
    });
    d["units_by_level"] = grouped_if_named(rows.iter().copied(), templates, kind, "units", &fields);
    let passed = rows.iter().copied().filter(|r| r.passed);
    d["passed_by_level"] = grouped_if_named(passed, templates, kind, "passed", &fields);
    d
}

/// `<list>_by_level`: what `(group_by_level list)` gives, done once here
/// and only when a template names it. In a template the helper copies
/// every unit several times over; for a province that took seconds.
fn grouped_if_named<'a>(
    rows: impl Iterator<Item = &'a UnitRow>,
    templates: &Templates,
    kind: &str,
    list: &str,
    fields: &UnitFields,
) -> Value {
    if !templates.names_field(kind, &format!("{list}_by_level")) {
        return Value::Array(Vec::new());
    }
    let items: Vec<Value> = rows.map(|r| r.to_data(fields)).collect();
    group_by_level(&items)
}

pub(super) fn validation(
    batch: &CheckedBatch,
    campaign: &Campaign,
    templates: &Templates,
    blocked: &[String],
) -> Result<ComposedDocument, TemplateError> {
    let c = &campaign.campaign;
    let count = |f: &crate::check::FileSummary, sev: Severity| {
        batch
            .diagnostics_of(f)
            .filter(|d| d.severity == sev)
            .count()
    };
    let files: Vec<Value> = batch
        .files
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "name": data::file_name(&f.path),
                "jurisdiction": f.jurisdiction.clone().unwrap_or_default(),
                "rows": f.rows,
                "accepted": f.accepted,
                "rejected": f.rejected,
                "errors": count(f, Severity::Error),
                "warnings": count(f, Severity::Warning),
            })
        })
        .collect();
    let mut by_file: Vec<Value> = batch
        .files
        .iter()
        .filter_map(|f| {
            let ds: Vec<Value> = batch.diagnostics_of(f).map(data::diagnostic).collect();
            (!ds.is_empty()).then(|| json!({"name": data::file_name(&f.path), "diagnostics": ds}))
        })
        .collect();
    let other: Vec<Value> = batch
        .diagnostics_of_no_file()
        .map(data::diagnostic)
        .collect();
    if !other.is_empty() {
        by_file.push(json!({"name": "其他（不属于某一文件）", "diagnostics": other}));
    }
    let totals = json!({
        "files": batch.files.len(),
        "rows": batch.files.iter().map(|f| f.rows).sum::<usize>(),
        "accepted": batch.files.iter().map(|f| f.accepted).sum::<usize>(),
        "rejected": batch.files.iter().map(|f| f.rejected).sum::<usize>(),
        "errors": batch.errors(),
        "warnings": batch.warnings(),
    });
    let d = data::merge(
        data::common(campaign, "validation", None, false),
        json!({"files": files, "by_file": by_file, "totals": totals, "blocked": blocked}),
    );
    let name = format!("{}{}年文明单位复查数据校验报告", c.city, c.year);
    compose_one(
        templates,
        campaign,
        "validation",
        doc_path("00-校验报告", &name, false),
        d,
        false,
    )
}

pub(super) fn notice(
    roster: &Roster,
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let c = &campaign.campaign;
    let rows: Vec<UnitRow> = roster
        .units()
        .iter()
        .map(|u| UnitRow::new(u, None))
        .collect();
    let refs: Vec<&UnitRow> = rows.iter().collect();
    let fields = UnitFields::named(|f| templates.names_field("notice", f));
    let phases: Vec<Value> = campaign
        .phases
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "start": p.start.to_string(),
                "end": p.end.to_string(),
                "levels": p.levels,
                "tasks": p.tasks,
            })
        })
        .collect();
    let dl = &campaign.deadlines;
    let d = data::merge(
        data::common(campaign, "notice", None, false),
        json!({
            "phases": phases,
            "deadlines": {
                "unit_report": dl.unit_report.to_string(),
                "submission": dl.submission.to_string(),
                "rectification_days": dl.rectification_days,
            },
            "pass_lines": {
                "score": super::helpers::format_number(campaign.pass_lines.score),
                "satisfaction": super::helpers::format_number(campaign.pass_lines.satisfaction),
            },
            "jurisdictions": roster.jurisdictions(),
            "units": rows.iter().map(|r| r.to_data(&fields)).collect::<Vec<_>>(),
            "counts": data::counts(&refs),
        }),
    );
    let mut d = d;
    d["units_by_level"] = grouped_if_named(rows.iter(), templates, "notice", "units", &fields);
    let name = format!(
        "{}关于开展{}年文明单位复查工作的通知",
        c.committee_short, c.year
    );
    compose_one(
        templates,
        campaign,
        "notice",
        doc_path("01-复查工作通知", &name, false),
        d,
        false,
    )
}

pub(super) fn rectification(
    row: &UnitRow,
    n: usize,
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let date = data::doc_date(campaign, "rectification");
    let deadline = date + chrono::Duration::days(i64::from(campaign.deadlines.rectification_days));
    let d = data::merge(
        data::common(campaign, "rectification", Some(n), false),
        json!({
            "unit": row,
            "deadline": deadline.to_string(),
            "rectification_days": campaign.deadlines.rectification_days,
        }),
    );
    let name = format!("{n:02}-{}整改通知书", row.name);
    compose_one(
        templates,
        campaign,
        "rectification",
        doc_path("05-整改通知书", &name, false),
        d,
        false,
    )
}

pub(super) fn feedback(
    batch: &CheckedBatch,
    file: &crate::check::FileSummary,
    n: usize,
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let of_file: Vec<&crate::diag::Diagnostic> = batch.diagnostics_of(file).collect();
    let errors: Vec<Value> = of_file
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| data::diagnostic(d))
        .collect();
    let warnings: Vec<Value> = of_file
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| data::diagnostic(d))
        .collect();
    let jurisdiction = file.jurisdiction.clone().unwrap_or_default();
    let mut common = data::common(campaign, "feedback", Some(n), false);
    // The addressee may name the jurisdiction: `{jurisdiction}文明办`.
    let addressee = campaign
        .document("feedback")
        .addressee
        .map(|a| a.replace("{jurisdiction}", &jurisdiction))
        .unwrap_or_else(|| {
            if jurisdiction.is_empty() {
                "报送单位".to_string()
            } else {
                format!("{jurisdiction}文明办")
            }
        });
    common["doc"]["addressee"] = json!(addressee);
    let d = data::merge(
        common,
        json!({
            "file": {
                "path": file.path,
                "name": data::file_name(&file.path),
                "jurisdiction": jurisdiction,
                "rows": file.rows,
                "accepted": file.accepted,
                "rejected": file.rejected,
            },
            "errors": errors,
            "warnings": warnings,
            "deadline": campaign.deadlines.submission.to_string(),
        }),
    );
    let stem = data::file_stem(&file.path);
    let name = format!("{stem}退回修改意见");
    compose_one(
        templates,
        campaign,
        "feedback",
        doc_path("06-退回修改意见", &name, false),
        d,
        false,
    )
}
