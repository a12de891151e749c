//! The season's document set: which documents a checked batch yields, under
//! which file names, and which wait while errors remain (the blocking rule).

use super::data::{self, Common, UnitRow};
use super::kind::{DocumentKind, Subject, Withholding};
use super::kinds::{circular, feedback, notice, provincial, rectification, summary, validation};
use super::templates::{TemplateError, Templates, render_owned_template};
use crate::campaign::Campaign;
use crate::check::CheckedBatch;
use crate::diag::Severity;
use crate::doc::Document;
use crate::review::Outcome;
use crate::roster::Roster;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One document ready for the renderers.
#[derive(Debug, Clone)]
pub struct ComposedDocument {
    /// Relative to the output folder, without extension, e.g.
    /// `02-复查通报/岳阳市文明委关于2020年文明单位复查情况的通报`.
    pub path: PathBuf,
    /// The document's kind.
    pub kind: DocumentKind,
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
    /// Web pages written beside the documents (the 公示's, added by
    /// [`super::publicity_notice`]).
    pub pages: Vec<super::publicity::WebPage>,
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

/// The data a template sees: the common fields and the kind's own, side by side.
#[derive(Serialize)]
struct TemplateData<D> {
    #[serde(flatten)]
    common: Common,
    #[serde(flatten)]
    own: D,
}

/// Renders one document of `kind` from its data and stamps the campaign's
/// metadata date and the draft flag.
pub(crate) fn compose_one<D: Serialize>(
    templates: &Templates,
    campaign: &Campaign,
    kind: DocumentKind,
    path: PathBuf,
    common: Common,
    own: D,
) -> Result<ComposedDocument, TemplateError> {
    let draft = common.draft;
    // The data types are structs of strings, numbers and lists: nothing
    // in them can fail to become JSON.
    let data =
        serde_json::to_value(TemplateData { common, own }).expect("template data is plain JSON");
    let mut document = render_owned_template(templates, kind.key(), data)?;
    document.meta.date = campaign.campaign.metadata_date;
    if document.meta.author.is_empty() {
        document.meta.author = campaign.campaign.office.clone();
    }
    document.draft |= draft;
    Ok(ComposedDocument {
        path,
        kind,
        document,
    })
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

/// The documents of a set as they are decided: queued, or withheld.
#[derive(Default)]
struct Queue<'a> {
    pending: Vec<Pending<'a>>,
    withheld: Vec<Withheld>,
}

impl<'a> Queue<'a> {
    /// Queues a document the blocking rule never holds.
    fn always(
        &mut self,
        compose: impl FnOnce() -> Result<ComposedDocument, TemplateError> + Send + 'a,
    ) {
        self.pending.push(Box::new(compose));
    }

    /// Queues a document of `kind` about `subject`, or records why it is
    /// withheld; `compose` gets its path and whether it is a draft.
    fn unless_blocked(
        &mut self,
        blocking: &Blocking,
        kind: DocumentKind,
        subject: Subject<'_>,
        compose: impl FnOnce(PathBuf, bool) -> Result<ComposedDocument, TemplateError> + Send + 'a,
    ) {
        let body = match subject {
            Subject::Body(body) => Some(body),
            _ => None,
        };
        match blocking.decide(kind, body) {
            Decision::Withhold(reason) => self.withheld.push(Withheld {
                path: kind.path(blocking.campaign, subject, false),
                reason,
            }),
            Decision::Produce { draft } => {
                let path = kind.path(blocking.campaign, subject, draft);
                self.pending.push(Box::new(move || compose(path, draft)));
            }
        }
    }
}

/// The blocking rule: while errors remain, the documents that report the
/// results wait (see [`DocumentKind::withholding`]), or with `--draft` are
/// produced marked 征求意见稿.
struct Blocking<'a> {
    campaign: &'a Campaign,
    batch: &'a CheckedBatch,
    roster: &'a Roster,
    errors: usize,
    /// Reporting bodies with errors, or that sent nothing.
    failing: BTreeSet<String>,
    draft: bool,
}

/// What the blocking rule decides for one document.
enum Decision {
    Withhold(String),
    Produce { draft: bool },
}

impl<'a> Blocking<'a> {
    fn new(
        batch: &'a CheckedBatch,
        roster: &'a Roster,
        campaign: &'a Campaign,
        draft: bool,
    ) -> Blocking<'a> {
        Blocking {
            campaign,
            batch,
            roster,
            errors: batch.errors(),
            failing: batch.jurisdictions_with_errors(roster),
            draft,
        }
    }

    fn decide(&self, kind: DocumentKind, body: Option<&str>) -> Decision {
        let blocked = match kind.withholding() {
            Withholding::Never => false,
            Withholding::WhileAnyError => self.errors > 0,
            Withholding::WhileBodyFails => body.is_some_and(|b| self.failing.contains(b)),
        };
        match (blocked, self.draft) {
            (false, _) => Decision::Produce { draft: false },
            (true, true) => Decision::Produce { draft: true },
            (true, false) => Decision::Withhold(self.reason(kind, body)),
        }
    }

    /// Why a document waits, and what to do, in the clerk's words.
    fn reason(&self, kind: DocumentKind, body: Option<&str>) -> String {
        const REMEDY: &str = "改正后重新生成，或加 --draft 生成征求意见稿";
        match (kind.withholding(), body) {
            (Withholding::WhileBodyFails, Some(j)) => {
                let n = errors_of(self.batch, self.roster, j);
                if self.batch.missing_bodies.iter().any(|b| b == j) {
                    format!(
                        "未收到{j}的报送表格（{n}个单位无复查结果），汇总报告暂不生成；收到后重新生成，或加 --draft 生成征求意见稿"
                    )
                } else {
                    format!("{j}报送的数据尚有{n}个错误未改正，汇总报告暂不生成；{REMEDY}")
                }
            }
            _ => {
                let involved = if self.failing.is_empty() {
                    String::new()
                } else {
                    let bodies: Vec<&str> = self.failing.iter().map(String::as_str).collect();
                    format!("（涉及{}）", bodies.join("、"))
                };
                format!(
                    "校验尚有{}个错误未改正{involved}，此文暂不印发；{REMEDY}",
                    self.errors
                )
            }
        }
    }

    /// The names of the documents held back, for the validation report:
    /// the season-wide ones, then the failing bodies' summaries.
    fn held_names(&self) -> Vec<String> {
        if self.errors == 0 {
            return Vec::new();
        }
        let season = DocumentKind::ALL
            .into_iter()
            .filter(|k| k.withholding() == Withholding::WhileAnyError)
            .map(|k| k.label().to_string());
        let bodies = self
            .roster
            .jurisdictions()
            .into_iter()
            .filter(|j| self.failing.contains(*j))
            .map(|j| format!("{j}复查情况汇总报告"));
        season.chain(bodies).collect()
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
    let rows = &data::unit_rows(roster, batch);
    let blocking = Blocking::new(batch, roster, campaign, draft);
    let mut queue = Queue::default();

    let held_names = blocking.held_names();
    queue.always(move || validation(batch, campaign, templates, &held_names));
    queue.always(|| notice(roster, campaign, templates));
    queue.unless_blocked(
        &blocking,
        DocumentKind::Circular,
        Subject::Season,
        move |path, draft| {
            let spot = batch.spot_check.as_ref();
            circular(
                rows.iter().collect(),
                spot,
                path,
                draft,
                templates,
                campaign,
            )
        },
    );
    // One summary per jurisdiction. Rows grouped once: filtering all rows
    // for each of a province's 2,000 bodies was quadratic.
    let mut by_body: BTreeMap<&str, Vec<&UnitRow>> = BTreeMap::new();
    for r in rows.iter() {
        by_body.entry(r.jurisdiction.as_str()).or_default().push(r);
    }
    for j in roster.jurisdictions() {
        let subset = by_body.remove(j).unwrap_or_default();
        queue.unless_blocked(
            &blocking,
            DocumentKind::Summary,
            Subject::Body(j),
            move |path, draft| {
                let spot = batch.spot_check.as_ref();
                summary(j, subset, spot, path, draft, templates, campaign)
            },
        );
    }
    queue.unless_blocked(
        &blocking,
        DocumentKind::Provincial,
        Subject::Season,
        move |path, draft| {
            let subset = rows.iter().filter(|r| r.provincial).collect();
            let spot = batch.spot_check.as_ref();
            provincial(subset, spot, path, draft, templates, campaign)
        },
    );
    // Rectification notices: one per accepted result that calls for one.
    let notified = rows.iter().filter(|r| {
        r.outcome_value
            .is_some_and(Outcome::needs_rectification_notice)
    });
    for (i, row) in notified.enumerate() {
        queue.always(move || rectification(row, i + 1, campaign, templates));
    }
    // Feedback letters: one per county file sent back. The inspectors'
    // spot-check workbook is the office's own: its marked copy suffices.
    let returned = batch
        .returned_files()
        .filter(|f| f.jurisdiction.as_deref() != Some(crate::check::spot::SPOT_BODY));
    for (i, file) in returned.enumerate() {
        queue.always(move || feedback(batch, file, i + 1, campaign, templates));
    }
    let documents = compose_all(queue.pending, jobs)?;
    Ok(DocumentSet {
        documents,
        withheld: queue.withheld,
        pages: Vec::new(),
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
