//! The season's document set: which documents a checked batch yields, under
//! which file names, and which wait while errors remain (the blocking rule).

use super::data::{self, UnitRow};
use super::kinds::{feedback, notice, rectification, unit_report, validation};
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
pub(super) fn doc_path(folder: &str, name: &str, draft: bool) -> PathBuf {
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

/// Queues a document for composing, or records why it is withheld.
fn hold_or_queue<'a>(
    held: Option<String>,
    path: PathBuf,
    compose: impl FnOnce(PathBuf) -> Result<ComposedDocument, TemplateError> + Send + 'a,
    pending: &mut Vec<Pending<'a>>,
    withheld: &mut Vec<Withheld>,
) {
    match held {
        Some(reason) => withheld.push(Withheld { path, reason }),
        None => pending.push(Box::new(move || compose(path))),
    }
}

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
    let held_all = (blocked && !draft).then_some(reason_all);
    let draft_all = blocked && draft;
    let name = format!(
        "{}关于{}年文明单位复查情况的通报",
        c.committee_short, c.year
    );
    hold_or_queue(
        held_all.clone(),
        doc_path("02-复查通报", &name, draft_all),
        move |path| {
            let all = rows.iter().collect();
            unit_report(
                "circular",
                path,
                all,
                json!({}),
                draft_all,
                templates,
                campaign,
            )
        },
        &mut pending,
        &mut withheld,
    );
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
        let held = (j_blocked && !draft).then(|| {
            let n = errors_of(batch, roster, j);
            if batch.missing_bodies.iter().any(|b| b == j) {
                format!(
                    "未收到{j}的报送表格（{n}个单位无复查结果），汇总报告暂不生成；收到后重新生成，或加 --draft 生成征求意见稿"
                )
            } else {
                format!(
                    "{j}报送的数据尚有{n}个错误未改正，汇总报告暂不生成；改正后重新生成，或加 --draft 生成征求意见稿"
                )
            }
        });
        let subset = by_body.remove(j).unwrap_or_default();
        hold_or_queue(
            held,
            doc_path("03-县市区汇总报告", &name, is_draft),
            move |path| {
                let extra = json!({"jurisdiction": j});
                unit_report(
                    "summary", path, subset, extra, is_draft, templates, campaign,
                )
            },
            &mut pending,
            &mut withheld,
        );
    }
    let name = format!(
        "{}关于{}年全国和省级文明单位复查情况的报告",
        c.office_short, c.year
    );
    hold_or_queue(
        held_all,
        doc_path("04-报省文明办", &name, draft_all),
        move |path| {
            let subset = rows.iter().filter(|r| r.provincial).collect();
            unit_report(
                "provincial",
                path,
                subset,
                json!({}),
                draft_all,
                templates,
                campaign,
            )
        },
        &mut pending,
        &mut withheld,
    );
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
    for (i, file) in batch.returned_files().enumerate() {
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
