//! The rectification follow-up documents' template data and composition:
//! `reminder.hbs` (整改催办通知, one per overdue unit),
//! `rectification_circular.hbs` (整改情况通报, every unit under follow-up)
//! and `rectification_report.hbs` (the report to the province, its
//! national and provincial units). The 通报 and the report close the
//! season, so they wait while any unit is still pending, or are drafted.

use super::super::data::Common;
use super::super::kind::{DocumentKind, Subject};
use super::super::set::{ComposedDocument, Withheld, compose_one};
use super::super::templates::{TemplateError, Templates};
use crate::campaign::Campaign;
use crate::rectify::columns::{ACCEPTED, REJECTED};
use crate::rectify::{FollowupBatch, RectificationCounts, RectificationOutcome, UnitRectification};
use crate::register::RectificationNotice;
use serde::Serialize;

/// A unit under follow-up as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub(in crate::compose) struct FollowupUnitFields {
    name: String,
    level: &'static str,
    award_year: i32,
    jurisdiction: String,
    provincial: bool,
    review_outcome: String,
    number: String,
    issued: String,
    deadline: String,
    problems: String,
    requirements: String,
    reported: bool,
    measures: String,
    completed: String,
    evidence: String,
    acceptance: &'static str,
    accepted_by: String,
    accepted_on: String,
    outcome: &'static str,
}

impl FollowupUnitFields {
    fn of(u: &UnitRectification) -> FollowupUnitFields {
        let f = u.followup.as_ref();
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        FollowupUnitFields {
            name: u.unit.clone(),
            level: u.level.label(),
            award_year: u.award_year,
            jurisdiction: u.jurisdiction.clone(),
            provincial: u.provincial(),
            review_outcome: u.review_outcome.clone(),
            number: u.number.clone(),
            issued: u.issued.to_string(),
            deadline: u.deadline.to_string(),
            problems: u.problems.clone(),
            requirements: u.requirements.clone(),
            reported: f.is_some(),
            measures: f.map(|f| f.measures.clone()).unwrap_or_default(),
            completed: date(f.and_then(|f| f.completed)),
            evidence: f.map(|f| f.evidence.clone()).unwrap_or_default(),
            acceptance: match f.and_then(|f| f.accepted) {
                Some(true) => ACCEPTED,
                Some(false) => REJECTED,
                None => "",
            },
            accepted_by: f.map(|f| f.accepted_by.clone()).unwrap_or_default(),
            accepted_on: date(f.and_then(|f| f.accepted_on)),
            outcome: u.outcome.label(),
        }
    }
}

/// `reminder.hbs`: one overdue unit.
#[derive(Debug, Clone, Serialize)]
pub(in crate::compose) struct ReminderData {
    unit: FollowupUnitFields,
    /// The date overdue was judged on.
    reference_date: String,
    /// The unit's county office (`汨罗市文明办`); empty for 市直 units.
    county_office: String,
}

/// `rectification_circular.hbs` and `rectification_report.hbs`.
#[derive(Debug, Clone, Serialize)]
pub(in crate::compose) struct RectificationOutcomeData {
    reference_date: String,
    units: Vec<FollowupUnitFields>,
    rectified: Vec<FollowupUnitFields>,
    not_rectified: Vec<FollowupUnitFields>,
    overdue: Vec<FollowupUnitFields>,
    pending: Vec<FollowupUnitFields>,
    counts: RectificationCounts,
}

impl ReminderData {
    pub(in crate::compose) fn of(u: &UnitRectification, batch: &FollowupBatch) -> ReminderData {
        ReminderData {
            unit: FollowupUnitFields::of(u),
            reference_date: reference(batch),
            county_office: county_office(&u.jurisdiction),
        }
    }
}

impl RectificationOutcomeData {
    pub(in crate::compose) fn of(
        units: &[&UnitRectification],
        batch: &FollowupBatch,
    ) -> RectificationOutcomeData {
        let with = |o: RectificationOutcome| {
            units
                .iter()
                .filter(|u| u.outcome == o)
                .map(|u| FollowupUnitFields::of(u))
                .collect()
        };
        RectificationOutcomeData {
            reference_date: reference(batch),
            units: units.iter().map(|u| FollowupUnitFields::of(u)).collect(),
            rectified: with(RectificationOutcome::Rectified),
            not_rectified: with(RectificationOutcome::NotRectified),
            overdue: with(RectificationOutcome::Overdue),
            pending: with(RectificationOutcome::Pending),
            counts: RectificationCounts::of(units.iter().copied()),
        }
    }
}

fn reference(batch: &FollowupBatch) -> String {
    batch
        .reference_date
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn county_office(jurisdiction: &str) -> String {
    if jurisdiction == crate::sample::CITY_LEVEL {
        String::new()
    } else {
        format!("{jurisdiction}文明办")
    }
}

/// The follow-up documents of a season: a 催办通知 per overdue unit, and
/// the 整改情况通报 and the report to the province once no unit is
/// pending (before that, withheld, or drafted with `draft`). Nothing when
/// no unit is under follow-up.
pub fn followup_documents(
    batch: &FollowupBatch,
    campaign: &Campaign,
    templates: &Templates,
    draft: bool,
) -> Result<(Vec<ComposedDocument>, Vec<Withheld>), TemplateError> {
    let mut documents = Vec::new();
    let mut withheld = Vec::new();
    for (i, u) in batch.overdue().enumerate() {
        let kind = DocumentKind::Reminder;
        let n = i + 1;
        let path = kind.path(campaign, Subject::Unit { n, name: &u.unit }, false);
        let mut common = Common::new(campaign, kind, Some(n), false);
        let office = county_office(&u.jurisdiction);
        // The addressee may name the unit or its body: `{unit}`, `{jurisdiction}`.
        let addressee = match common.doc.addressee.take() {
            Some(a) => a
                .replace("{unit}", &u.unit)
                .replace("{jurisdiction}", &u.jurisdiction),
            None => u.unit.clone(),
        };
        common.doc.addressee = Some(addressee);
        if !office.is_empty() && !common.doc.copy_to.contains(&office) {
            common.doc.copy_to.insert(0, office);
        }
        let data = ReminderData::of(u, batch);
        documents.push(compose_one(templates, campaign, kind, path, common, data)?);
    }
    let all: Vec<&UnitRectification> = batch.units.iter().collect();
    let provincial: Vec<&UnitRectification> =
        all.iter().copied().filter(|u| u.provincial()).collect();
    let closing = [
        (DocumentKind::RectificationCircular, all),
        (DocumentKind::RectificationReport, provincial),
    ];
    for (kind, units) in closing {
        if units.is_empty() {
            continue;
        }
        let pending = RectificationCounts::of(units.iter().copied()).pending;
        let held = pending > 0 && !draft;
        if held {
            withheld.push(Withheld {
                path: kind.path(campaign, Subject::Season, false),
                reason: format!(
                    "尚有{pending}个单位的整改未到期或未验收，此文暂不印发；验收后重新生成，或加 --draft 生成征求意见稿"
                ),
            });
            continue;
        }
        let as_draft = pending > 0;
        let path = kind.path(campaign, Subject::Season, as_draft);
        let common = Common::new(campaign, kind, None, as_draft);
        let data = RectificationOutcomeData::of(&units, batch);
        documents.push(compose_one(templates, campaign, kind, path, common, data)?);
    }
    Ok((documents, withheld))
}

/// The 整改通知书 a build of `batch` issues, as the register records them:
/// numbered, dated and given their deadline exactly as `document_set`
/// writes them (same units, same order, `{n}` from 1).
pub fn issued_notices(
    batch: &crate::check::CheckedBatch,
    roster: &crate::roster::Roster,
    campaign: &Campaign,
) -> Vec<RectificationNotice> {
    let kind = DocumentKind::Rectification;
    let issued = super::super::data::doc_date(campaign, kind);
    let deadline =
        issued + chrono::Duration::days(i64::from(campaign.deadlines.rectification_days));
    super::super::data::unit_rows(roster, batch)
        .into_iter()
        .filter(|r| {
            r.outcome_value
                .is_some_and(crate::review::Outcome::needs_rectification_notice)
        })
        .enumerate()
        .map(|(i, r)| RectificationNotice {
            seq: i + 1,
            number: Common::new(campaign, kind, Some(i + 1), false)
                .doc
                .number
                .unwrap_or_default(),
            unit: r.name,
            jurisdiction: r.jurisdiction,
            outcome: r.outcome.to_string(),
            issued,
            deadline,
            problems: r.problems,
            requirements: r.rectification,
        })
        .collect()
}

/// A follow-up season for the field tests: the default data's notices,
/// with the first unit under follow-up in each outcome, so that every
/// list the templates see has an item.
#[cfg(test)]
pub(in crate::compose) fn example(
    batch: &crate::check::CheckedBatch,
    roster: &crate::roster::Roster,
    campaign: &Campaign,
) -> FollowupBatch {
    let notices = issued_notices(batch, roster, campaign);
    let ctx = crate::rectify::FollowupContext {
        notices: &notices,
        roster,
        campaign,
        reference_date: chrono::NaiveDate::from_ymd_opt(2099, 1, 1).expect("a date"),
        receipts: &crate::check::Receipts::new(),
    };
    let mut season = crate::rectify::check_followup_files(&[], &ctx);
    let first = season.units[0].clone();
    season.units = RectificationOutcome::ALL
        .into_iter()
        .map(|outcome| UnitRectification {
            outcome,
            followup: Some(crate::rectify::FollowupEntry {
                file: "整改/汨罗市整改落实情况表.xlsx".into(),
                sheet: "整改落实情况".into(),
                row: 2,
                measures: "补齐台账".into(),
                completed: Some(first.deadline),
                evidence: "台账照片".into(),
                accepted: Some(outcome == RectificationOutcome::Rectified),
                accepted_by: "陈晓玲".into(),
                accepted_on: Some(first.deadline),
            }),
            ..first.clone()
        })
        .collect();
    season
}
