//! The season's document set: which documents a checked batch yields, under
//! which file names, and which wait while errors remain (the blocking rule).

use super::data::{self, UnitFields, UnitRow};
use super::helpers::group_by_level;
use super::templates::{TemplateError, Templates, render_owned_template};
use crate::campaign::Campaign;
use crate::check::CheckedBatch;
use crate::diag::Severity;
use crate::doc::Document;
use crate::review::Outcome;
use crate::roster::Roster;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Appended to a draft's file name.
pub const DRAFT_SUFFIX: &str = "（征求意见稿）";

/// One document ready for the renderers.
#[derive(Debug, Clone)]
pub struct ComposedDocument {
    /// Relative to the output folder, without extension, e.g.
    /// `02-复查通报/岳阳市文明委关于2020年文明单位复查情况的通报`.
    pub path: PathBuf,
    /// The document kind (`validation`, `notice`, `circular`, `summary`,
    /// `provincial`, `rectification`, `feedback`, `sample`).
    pub kind: String,
    /// The document.
    pub document: Document,
}

/// A document not produced because errors remain.
#[derive(Debug, Clone, PartialEq)]
pub struct Withheld {
    /// Where it would have gone (relative, without extension).
    pub path: PathBuf,
    /// Why, in Chinese.
    pub reason: String,
}

/// Everything `compose` produced for a batch.
#[derive(Debug, Clone, Default)]
pub struct DocumentSet {
    /// The documents, in a stable order.
    pub documents: Vec<ComposedDocument>,
    /// The documents held back, with reasons.
    pub withheld: Vec<Withheld>,
}

/// Makes a name safe as a file name on every system: characters Windows
/// forbids become `_`; trailing dots and spaces go.
pub fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let s = s.trim_end_matches(['.', ' ']).trim_start();
    if s.is_empty() {
        "_".to_string()
    } else {
        s.to_string()
    }
}

/// Renders one document and stamps the campaign's metadata date and draft flag.
pub(crate) fn compose_one(
    templates: &Templates,
    campaign: &Campaign,
    kind: &str,
    path: PathBuf,
    data: Value,
    draft: bool,
) -> Result<ComposedDocument, TemplateError> {
    let mut document = render_owned_template(templates, kind, data)?;
    document.meta.date = campaign.campaign.metadata_date;
    if document.meta.author.is_empty() {
        document.meta.author = campaign.campaign.office.clone();
    }
    document.draft |= draft;
    Ok(ComposedDocument {
        path,
        kind: kind.to_string(),
        document,
    })
}

/// Where a document goes: `folder/name`, with the draft suffix when a draft.
fn doc_path(folder: &str, name: &str, draft: bool) -> PathBuf {
    let suffix = if draft { DRAFT_SUFFIX } else { "" };
    PathBuf::from(folder).join(format!("{}{suffix}", file_safe(name)))
}

/// Builds every document of the season from a checked batch, composing on
/// every core (see [`document_set_with_jobs`]).
pub fn document_set(
    batch: &CheckedBatch,
    roster: &Roster,
    campaign: &Campaign,
    templates: &Templates,
    draft: bool,
) -> Result<DocumentSet, TemplateError> {
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    document_set_with_jobs(batch, roster, campaign, templates, draft, jobs)
}

/// A document still to be composed: its data is gathered and its template
/// run on whichever thread takes it.
type Pending<'a> = Box<dyn FnOnce() -> Result<ComposedDocument, TemplateError> + Send + 'a>;

/// Builds every document of the season from a checked batch, `jobs`
/// documents at a time; the result does not depend on `jobs`.
///
/// While any error remains, the circular, the summaries of the failing
/// jurisdictions and the provincial report are withheld, or, with `draft`,
/// produced marked 征求意见稿. The validation report, the notice, the
/// rectification notices of accepted results and the feedback letters are
/// always produced.
pub fn document_set_with_jobs(
    batch: &CheckedBatch,
    roster: &Roster,
    campaign: &Campaign,
    templates: &Templates,
    draft: bool,
    jobs: usize,
) -> Result<DocumentSet, TemplateError> {
    let rows = data::unit_rows(roster, batch);
    let errors = batch.errors();
    let failing = batch.jurisdictions_with_errors(roster);
    let c = &campaign.campaign;
    let mut pending: Vec<Pending> = Vec::new();
    let mut withheld = Vec::new();

    let blocked_names = blocked_documents(roster, &failing, errors > 0);
    pending.push(Box::new(move || {
        validation(batch, campaign, templates, &blocked_names)
    }));
    pending.push(Box::new(|| notice(roster, campaign, templates)));

    let blocked = errors > 0;
    let involved = if failing.is_empty() {
        String::new()
    } else {
        format!(
            "（涉及{}）",
            failing.iter().cloned().collect::<Vec<_>>().join("、")
        )
    };
    let reason_all = format!(
        "校验尚有{errors}个错误未改正{involved}，此文暂不印发；改正后重新生成，或加 --draft 生成征求意见稿"
    );
    let rows = &rows;
    // The circular.
    {
        let name = format!(
            "{}关于{}年文明单位复查情况的通报",
            c.committee_short, c.year
        );
        let is_draft = blocked && draft;
        let path = doc_path("02-复查通报", &name, is_draft);
        if blocked && !draft {
            withheld.push(Withheld {
                path,
                reason: reason_all.clone(),
            });
        } else {
            pending.push(Box::new(move || {
                let all: Vec<&UnitRow> = rows.iter().collect();
                let d = data::merge(
                    data::common(campaign, "circular", None, is_draft),
                    unit_data(&all, templates, "circular"),
                );
                compose_one(templates, campaign, "circular", path, d, is_draft)
            }));
        }
    }
    // One summary per jurisdiction. Rows grouped once: filtering all rows
    // for each of a province's 2,000 bodies was quadratic.
    let mut by_body: BTreeMap<&str, Vec<&UnitRow>> = BTreeMap::new();
    for r in rows.iter() {
        by_body.entry(r.jurisdiction.as_str()).or_default().push(r);
    }
    for j in roster.jurisdictions() {
        let name = format!("{j}{}年文明单位复查情况汇总报告", c.year);
        let j_blocked = failing.contains(j);
        let is_draft = j_blocked && draft;
        let path = doc_path("03-县市区汇总报告", &name, is_draft);
        if j_blocked && !draft {
            let n = errors_of(batch, roster, j);
            let reason = if batch.missing_bodies.iter().any(|b| b == j) {
                format!(
                    "未收到{j}的报送表格（{n}个单位无复查结果），汇总报告暂不生成；收到后重新生成，或加 --draft 生成征求意见稿"
                )
            } else {
                format!(
                    "{j}报送的数据尚有{n}个错误未改正，汇总报告暂不生成；改正后重新生成，或加 --draft 生成征求意见稿"
                )
            };
            withheld.push(Withheld { path, reason });
            continue;
        }
        let subset = by_body.remove(j).unwrap_or_default();
        pending.push(Box::new(move || {
            let d = data::merge(
                data::common(campaign, "summary", None, is_draft),
                data::merge(
                    json!({"jurisdiction": j}),
                    unit_data(&subset, templates, "summary"),
                ),
            );
            compose_one(templates, campaign, "summary", path, d, is_draft)
        }));
    }
    // The provincial report.
    {
        let name = format!(
            "{}关于{}年全国和省级文明单位复查情况的报告",
            c.office_short, c.year
        );
        let is_draft = blocked && draft;
        let path = doc_path("04-报省文明办", &name, is_draft);
        if blocked && !draft {
            withheld.push(Withheld {
                path,
                reason: reason_all.clone(),
            });
        } else {
            pending.push(Box::new(move || {
                let subset: Vec<&UnitRow> = rows.iter().filter(|r| r.provincial).collect();
                let d = data::merge(
                    data::common(campaign, "provincial", None, is_draft),
                    unit_data(&subset, templates, "provincial"),
                );
                compose_one(templates, campaign, "provincial", path, d, is_draft)
            }));
        }
    }
    // Rectification notices: one per accepted result that calls for one.
    let notified = rows.iter().filter(|r| {
        r.outcome_value
            .is_some_and(Outcome::needs_rectification_notice)
    });
    for (i, row) in notified.enumerate() {
        pending.push(Box::new(move || {
            rectification(row, i + 1, campaign, templates)
        }));
    }
    // Feedback letters: one per file with errors.
    let files_with_errors = batch.files.iter().filter(|f| {
        batch
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.file.as_deref() == Some(f.path.as_str()))
    });
    for (i, file) in files_with_errors.enumerate() {
        pending.push(Box::new(move || {
            feedback(batch, file, i + 1, campaign, templates)
        }));
    }
    let documents = compose_all(pending, jobs)?;
    Ok(DocumentSet {
        documents,
        withheld,
    })
}

/// Runs the pending compositions on `jobs` threads; the documents come
/// back in the order given, and the error reported is the first in that
/// order.
fn compose_all(
    pending: Vec<Pending<'_>>,
    jobs: usize,
) -> Result<Vec<ComposedDocument>, TemplateError> {
    crate::parallel::map_in_order(pending, jobs, |task| task())
        .into_iter()
        .collect()
}

/// Errors that belong to one jurisdiction.
fn errors_of(batch: &CheckedBatch, roster: &Roster, jurisdiction: &str) -> usize {
    batch
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| batch.error_jurisdiction(roster, d) == Some(jurisdiction))
        .count()
}

/// The names of the documents the blocking rule holds back, for the
/// validation report.
fn blocked_documents(
    roster: &Roster,
    failing: &std::collections::BTreeSet<String>,
    any_error: bool,
) -> Vec<String> {
    if !any_error {
        return Vec::new();
    }
    let mut out = vec!["复查通报".to_string(), "报省文明办的报告".to_string()];
    for j in roster.jurisdictions() {
        if failing.contains(j) {
            out.push(format!("{j}复查情况汇总报告"));
        }
    }
    out
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

fn validation(
    batch: &CheckedBatch,
    campaign: &Campaign,
    templates: &Templates,
    blocked: &[String],
) -> Result<ComposedDocument, TemplateError> {
    let c = &campaign.campaign;
    let count = |path: &str, sev: Severity| {
        batch
            .diagnostics
            .iter()
            .filter(|d| d.severity == sev && d.file.as_deref() == Some(path))
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
                "errors": count(&f.path, Severity::Error),
                "warnings": count(&f.path, Severity::Warning),
            })
        })
        .collect();
    let mut by_file: Vec<Value> = batch
        .files
        .iter()
        .filter_map(|f| {
            let ds: Vec<Value> = batch
                .diagnostics
                .iter()
                .filter(|d| d.file.as_deref() == Some(f.path.as_str()))
                .map(data::diagnostic)
                .collect();
            (!ds.is_empty()).then(|| json!({"name": data::file_name(&f.path), "diagnostics": ds}))
        })
        .collect();
    let other: Vec<Value> = batch
        .diagnostics
        .iter()
        .filter(|d| {
            !batch
                .files
                .iter()
                .any(|f| d.file.as_deref() == Some(f.path.as_str()))
        })
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

fn notice(
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

fn rectification(
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

fn feedback(
    batch: &CheckedBatch,
    file: &crate::check::FileSummary,
    n: usize,
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let of_file: Vec<&crate::diag::Diagnostic> = batch
        .diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some(file.path.as_str()))
        .collect();
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
