//! Each kind's template data, as a type: what `circular.hbs`,
//! `summary.hbs`, `provincial.hbs` (the unit lists), `notice.hbs`,
//! `validation.hbs`, `rectification.hbs`, `feedback.hbs` and `sample.hbs`
//! see besides the common fields ([`Common`]). The field list in
//! `templates/README.md` is held to these types by a test (`readme_fields`).
//! `set` decides which documents there are; this module fills them.

mod followup;

#[cfg(test)]
pub(super) use followup::{RectificationOutcomeData, ReminderData, example as followup_example};
pub use followup::{followup_documents, issued_notices};

use super::data::{Common, Counts, DiagnosticFields, UnitFields, UnitRow};
use super::helpers::{format_number, group_by_level};
use super::kind::{DocumentKind, Subject};
use super::set::{ComposedDocument, compose_one};
use super::spot::SpotSection;
use super::templates::{TemplateError, Templates};
use crate::campaign::Campaign;
use crate::check::spot::SpotCheck;
use crate::check::{CheckedBatch, FileSummary};
use crate::diag::Severity;
use crate::review::ReviewResult;
use crate::roster::Roster;
use crate::sample::SampleDraw;
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;

/// The unit lists and counts of the result documents. A list the
/// document's templates never name is left empty, and each unit carries
/// only the fields they name: for a province each list is hundreds of
/// thousands of objects, and building them was most of the cost (and
/// memory) of composing. So the units are JSON objects, not `UnitRow`s.
#[derive(Debug, Clone, Serialize)]
pub(super) struct UnitLists {
    /// How many units each review method was used on, in the work plan's
    /// order; the summary states these instead of repeating them per row.
    method_counts: Vec<MethodCount>,
    units: Vec<Value>,
    passed: Vec<Value>,
    non_passing: Vec<Value>,
    missing: Vec<Value>,
    reformed: Vec<Value>,
    counts: Counts,
    units_by_level: Value,
    passed_by_level: Value,
}

#[derive(Debug, Clone, Serialize)]
struct MethodCount {
    method: &'static str,
    count: usize,
}

/// `circular.hbs`: every unit of the roster.
#[derive(Debug, Clone, Serialize)]
pub(super) struct CircularData {
    #[serde(flatten)]
    lists: UnitLists,
    /// 随机抽查情况 over every drawn unit.
    spot_check: SpotSection,
}

/// `summary.hbs`: one reporting body's units.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SummaryData {
    jurisdiction: String,
    #[serde(flatten)]
    lists: UnitLists,
    /// 随机抽查情况 over the body's drawn units.
    spot_check: SpotSection,
}

/// `provincial.hbs`: the national and provincial units.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ProvincialData {
    #[serde(flatten)]
    lists: UnitLists,
    /// 随机抽查情况 over the drawn national and provincial units.
    spot_check: SpotSection,
}

/// `notice.hbs`: the work plan and the roster.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NoticeData {
    phases: Vec<PhaseFields>,
    deadlines: DeadlineFields,
    pass_lines: PassLineFields,
    jurisdictions: Vec<String>,
    units: Vec<Value>,
    units_by_level: Value,
    counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
struct PhaseFields {
    name: String,
    start: String,
    end: String,
    levels: Vec<String>,
    tasks: String,
}

#[derive(Debug, Clone, Serialize)]
struct DeadlineFields {
    unit_report: String,
    submission: String,
    rectification_days: u32,
}

#[derive(Debug, Clone, Serialize)]
struct PassLineFields {
    score: String,
    satisfaction: String,
}

/// `rectification.hbs`: one unit under a sanction.
#[derive(Debug, Clone, Serialize)]
pub(super) struct RectificationData<'a> {
    unit: &'a UnitRow,
    /// 成文日期 + the configured days.
    deadline: String,
    rectification_days: u32,
}

/// `feedback.hbs`: one returned file and its problems.
#[derive(Debug, Clone, Serialize)]
pub(super) struct FeedbackData {
    file: FileFields,
    errors: Vec<DiagnosticFields>,
    warnings: Vec<DiagnosticFields>,
    /// The deadline for sending it again.
    deadline: String,
}

#[derive(Debug, Clone, Serialize)]
struct FileFields {
    path: String,
    name: String,
    jurisdiction: String,
    rows: usize,
    accepted: usize,
    rejected: usize,
}

/// `validation.hbs`: the whole batch's check.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ValidationData {
    files: Vec<FileLine>,
    by_file: Vec<FileDiagnostics>,
    totals: Totals,
    /// The documents the blocking rule holds back, by name.
    blocked: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct FileLine {
    path: String,
    name: String,
    jurisdiction: String,
    rows: usize,
    accepted: usize,
    rejected: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Debug, Clone, Serialize)]
struct FileDiagnostics {
    name: String,
    diagnostics: Vec<DiagnosticFields>,
}

#[derive(Debug, Clone, Serialize)]
struct Totals {
    files: usize,
    rows: usize,
    accepted: usize,
    rejected: usize,
    errors: usize,
    warnings: usize,
}

/// `sample.hbs`: a spot-check draw.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SampleData {
    /// A string: a u64 seed does not survive a template's numbers.
    seed: String,
    candidate_count: usize,
    requested: usize,
    picks: Vec<PickFields>,
    candidates: Vec<CandidateFields>,
    /// How the draw is made, in words, so anyone can repeat it.
    method: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct PickFields {
    order: usize,
    candidate_no: usize,
    name: String,
    jurisdiction: String,
    level: &'static str,
    award_year: i32,
    outcome: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct CandidateFields {
    no: usize,
    name: String,
    jurisdiction: String,
}

impl CircularData {
    pub(super) fn new(lists: UnitLists) -> CircularData {
        CircularData {
            lists,
            spot_check: SpotSection::default(),
        }
    }

    /// With the season's spot check.
    pub(super) fn with_spot_check(mut self, check: Option<&SpotCheck>) -> CircularData {
        self.spot_check = SpotSection::of(check, None);
        self
    }
}

impl SummaryData {
    pub(super) fn new(jurisdiction: &str, lists: UnitLists) -> SummaryData {
        SummaryData {
            jurisdiction: jurisdiction.to_string(),
            lists,
            spot_check: SpotSection::default(),
        }
    }

    /// With the spot check of the body's own units.
    pub(super) fn with_spot_check(mut self, check: Option<&SpotCheck>) -> SummaryData {
        self.spot_check = SpotSection::of(check, Some(&self.jurisdiction));
        self
    }
}

impl ProvincialData {
    pub(super) fn new(lists: UnitLists) -> ProvincialData {
        ProvincialData {
            lists,
            spot_check: SpotSection::default(),
        }
    }

    /// With the spot check of the national and provincial units drawn.
    pub(super) fn with_spot_check(mut self, check: Option<&SpotCheck>) -> ProvincialData {
        self.spot_check = SpotSection::of_levels(check, |l| l.is_provincial_or_above());
        self
    }
}

impl UnitLists {
    pub(super) fn of(rows: &[&UnitRow], templates: &Templates, kind: DocumentKind) -> UnitLists {
        let named = |field: &str| templates.names_field(kind.key(), field);
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
        let non_passing = if named("non_passing") {
            super::data::non_passing(rows.iter().copied())
                .into_iter()
                .map(|r| r.to_data(&fields))
                .collect()
        } else {
            Vec::new()
        };
        let method_counts = crate::review::Method::ALL
            .iter()
            .map(|m| MethodCount {
                method: m.label(),
                count: rows
                    .iter()
                    .filter(|r| r.methods.contains(m.label()))
                    .count(),
            })
            .filter(|m| m.count > 0)
            .collect();
        let passed = rows.iter().copied().filter(|r| r.passed);
        UnitLists {
            method_counts,
            units: list("units", &|_| true),
            passed: list("passed", &|r| r.passed),
            non_passing,
            missing: list("missing", &|r| !r.has_result),
            reformed: list("reformed", &|r| r.reform),
            counts: Counts::of(rows),
            units_by_level: grouped_if_named(
                rows.iter().copied(),
                templates,
                kind,
                "units",
                &fields,
            ),
            passed_by_level: grouped_if_named(passed, templates, kind, "passed", &fields),
        }
    }
}

/// `<list>_by_level`: what `(group_by_level list)` gives, done once here
/// and only when a template names it. In a template the helper copies
/// every unit several times over; for a province that took seconds.
fn grouped_if_named<'a>(
    rows: impl Iterator<Item = &'a UnitRow>,
    templates: &Templates,
    kind: DocumentKind,
    list: &str,
    fields: &UnitFields,
) -> Value {
    if !templates.names_field(kind.key(), &format!("{list}_by_level")) {
        return Value::Array(Vec::new());
    }
    let items: Vec<Value> = rows.map(|r| r.to_data(fields)).collect();
    group_by_level(&items)
}

/// The circular over all units.
pub(super) fn circular(
    rows: Vec<&UnitRow>,
    spot: Option<&SpotCheck>,
    path: PathBuf,
    draft: bool,
    templates: &Templates,
    campaign: &Campaign,
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Circular;
    let lists = UnitLists::of(&rows, templates, kind);
    let common = Common::new(campaign, kind, None, draft);
    compose_one(
        templates,
        campaign,
        kind,
        path,
        common,
        CircularData::new(lists).with_spot_check(spot),
    )
}

/// One reporting body's summary over its units.
pub(super) fn summary(
    jurisdiction: &str,
    rows: Vec<&UnitRow>,
    spot: Option<&SpotCheck>,
    path: PathBuf,
    draft: bool,
    templates: &Templates,
    campaign: &Campaign,
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Summary;
    let data =
        SummaryData::new(jurisdiction, UnitLists::of(&rows, templates, kind)).with_spot_check(spot);
    let common = Common::new(campaign, kind, None, draft);
    compose_one(templates, campaign, kind, path, common, data)
}

/// The report to the province over the national and provincial units.
pub(super) fn provincial(
    rows: Vec<&UnitRow>,
    spot: Option<&SpotCheck>,
    path: PathBuf,
    draft: bool,
    templates: &Templates,
    campaign: &Campaign,
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Provincial;
    let lists = UnitLists::of(&rows, templates, kind);
    let common = Common::new(campaign, kind, None, draft);
    compose_one(
        templates,
        campaign,
        kind,
        path,
        common,
        ProvincialData::new(lists).with_spot_check(spot),
    )
}

impl ValidationData {
    pub(super) fn of(batch: &CheckedBatch, blocked: &[String]) -> ValidationData {
        let files = batch
            .files
            .iter()
            .map(|f| {
                let count = |sev| {
                    batch
                        .diagnostics_of(f)
                        .filter(|d| d.severity == sev)
                        .count()
                };
                FileLine {
                    path: f.path.clone(),
                    name: super::data::file_name(&f.path).to_string(),
                    jurisdiction: f.jurisdiction.clone().unwrap_or_default(),
                    rows: f.rows,
                    accepted: f.accepted,
                    rejected: f.rejected,
                    errors: count(Severity::Error),
                    warnings: count(Severity::Warning),
                }
            })
            .collect();
        let mut by_file: Vec<FileDiagnostics> = batch
            .files
            .iter()
            .filter_map(|f| {
                let diagnostics: Vec<_> =
                    batch.diagnostics_of(f).map(DiagnosticFields::of).collect();
                (!diagnostics.is_empty()).then(|| FileDiagnostics {
                    name: super::data::file_name(&f.path).to_string(),
                    diagnostics,
                })
            })
            .collect();
        let other: Vec<_> = batch
            .diagnostics_of_no_file()
            .map(DiagnosticFields::of)
            .collect();
        if !other.is_empty() {
            by_file.push(FileDiagnostics {
                name: "其他（不属于某一文件）".to_string(),
                diagnostics: other,
            });
        }
        let totals = Totals {
            files: batch.files.len(),
            rows: batch.files.iter().map(|f| f.rows).sum(),
            accepted: batch.files.iter().map(|f| f.accepted).sum(),
            rejected: batch.files.iter().map(|f| f.rejected).sum(),
            errors: batch.errors(),
            warnings: batch.warnings(),
        };
        ValidationData {
            files,
            by_file,
            totals,
            blocked: blocked.to_vec(),
        }
    }
}

pub(super) fn validation(
    batch: &CheckedBatch,
    campaign: &Campaign,
    templates: &Templates,
    blocked: &[String],
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Validation;
    let path = kind.path(campaign, Subject::Season, false);
    let common = Common::new(campaign, kind, None, false);
    let data = ValidationData::of(batch, blocked);
    compose_one(templates, campaign, kind, path, common, data)
}

impl NoticeData {
    pub(super) fn of(roster: &Roster, campaign: &Campaign, templates: &Templates) -> NoticeData {
        let kind = DocumentKind::Notice;
        let rows: Vec<UnitRow> = roster
            .units()
            .iter()
            .map(|u| UnitRow::new(u, None))
            .collect();
        let refs: Vec<&UnitRow> = rows.iter().collect();
        let fields = UnitFields::named(|f| templates.names_field(kind.key(), f));
        let dl = &campaign.deadlines;
        NoticeData {
            phases: campaign
                .phases
                .iter()
                .map(|p| PhaseFields {
                    name: p.name.clone(),
                    start: p.start.to_string(),
                    end: p.end.to_string(),
                    levels: p.levels.clone(),
                    tasks: p.tasks.clone(),
                })
                .collect(),
            deadlines: DeadlineFields {
                unit_report: dl.unit_report.to_string(),
                submission: dl.submission.to_string(),
                rectification_days: dl.rectification_days,
            },
            pass_lines: PassLineFields {
                score: format_number(campaign.pass_lines.score),
                satisfaction: format_number(campaign.pass_lines.satisfaction),
            },
            jurisdictions: roster
                .jurisdictions()
                .iter()
                .map(|j| j.to_string())
                .collect(),
            units: rows.iter().map(|r| r.to_data(&fields)).collect(),
            units_by_level: grouped_if_named(rows.iter(), templates, kind, "units", &fields),
            counts: Counts::of(&refs),
        }
    }
}

pub(super) fn notice(
    roster: &Roster,
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Notice;
    let path = kind.path(campaign, Subject::Season, false);
    let common = Common::new(campaign, kind, None, false);
    let data = NoticeData::of(roster, campaign, templates);
    compose_one(templates, campaign, kind, path, common, data)
}

impl<'a> RectificationData<'a> {
    pub(super) fn of(row: &'a UnitRow, campaign: &Campaign) -> RectificationData<'a> {
        let date = super::data::doc_date(campaign, DocumentKind::Rectification);
        let days = campaign.deadlines.rectification_days;
        RectificationData {
            unit: row,
            deadline: (date + chrono::Duration::days(i64::from(days))).to_string(),
            rectification_days: days,
        }
    }
}

pub(super) fn rectification(
    row: &UnitRow,
    n: usize,
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Rectification;
    let subject = Subject::Unit { n, name: &row.name };
    let path = kind.path(campaign, subject, false);
    let common = Common::new(campaign, kind, Some(n), false);
    let data = RectificationData::of(row, campaign);
    compose_one(templates, campaign, kind, path, common, data)
}

impl FeedbackData {
    pub(super) fn of(
        batch: &CheckedBatch,
        file: &FileSummary,
        campaign: &Campaign,
    ) -> FeedbackData {
        let of_severity = |sev| {
            batch
                .diagnostics_of(file)
                .filter(|d| d.severity == sev)
                .map(DiagnosticFields::of)
                .collect()
        };
        FeedbackData {
            file: FileFields {
                path: file.path.clone(),
                name: super::data::file_name(&file.path).to_string(),
                jurisdiction: file.jurisdiction.clone().unwrap_or_default(),
                rows: file.rows,
                accepted: file.accepted,
                rejected: file.rejected,
            },
            errors: of_severity(Severity::Error),
            warnings: of_severity(Severity::Warning),
            deadline: campaign.deadlines.submission.to_string(),
        }
    }
}

pub(super) fn feedback(
    batch: &CheckedBatch,
    file: &FileSummary,
    n: usize,
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Feedback;
    let jurisdiction = file.jurisdiction.clone().unwrap_or_default();
    let mut common = Common::new(campaign, kind, Some(n), false);
    // The addressee may name the jurisdiction: `{jurisdiction}文明办`.
    let addressee = match common.doc.addressee.take() {
        Some(a) => a.replace("{jurisdiction}", &jurisdiction),
        None if jurisdiction.is_empty() => "报送单位".to_string(),
        None => format!("{jurisdiction}文明办"),
    };
    common.doc.addressee = Some(addressee);
    let path = kind.path(campaign, Subject::File(&file.path), false);
    let data = FeedbackData::of(batch, file, campaign);
    compose_one(templates, campaign, kind, path, common, data)
}

impl SampleData {
    pub(super) fn of(draw: &SampleDraw, roster: &Roster, results: &[ReviewResult]) -> SampleData {
        SampleData {
            seed: draw.seed.to_string(),
            candidate_count: draw.candidates,
            requested: draw.requested,
            picks: draw
                .picks
                .iter()
                .map(|p| PickFields {
                    order: p.order,
                    candidate_no: p.candidate_no,
                    name: p.unit.clone(),
                    jurisdiction: p.jurisdiction.clone(),
                    level: p.level.label(),
                    award_year: p.award_year,
                    outcome: p.outcome.label(),
                })
                .collect(),
            candidates: crate::sample::candidates(roster, results)
                .iter()
                .enumerate()
                .map(|(i, r)| CandidateFields {
                    no: i + 1,
                    name: r.unit.clone(),
                    jurisdiction: r.jurisdiction.clone(),
                })
                .collect(),
            method: crate::sample::METHOD,
        }
    }
}

/// The 随机抽查名单 of a draw.
pub fn sample_list(
    draw: &SampleDraw,
    roster: &Roster,
    results: &[ReviewResult],
    campaign: &Campaign,
    templates: &Templates,
) -> Result<ComposedDocument, TemplateError> {
    let kind = DocumentKind::Sample;
    let path = kind.path(campaign, Subject::Draw(draw.seed), false);
    let common = Common::new(campaign, kind, None, false);
    let data = SampleData::of(draw, roster, results);
    compose_one(templates, campaign, kind, path, common, data)
}
