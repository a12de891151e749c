//! The 复查结果公示: the season's results as the public sees them, laid
//! out as an official document (`publicity.hbs`) and as a plain web page
//! for the office's website (`publicity.html`), both from one
//! [`PublicityData`]. Only results that stand are published: the units of
//! a body whose data still has errors, or that has sent nothing, are left
//! out and counted as still being verified. A unit whose rectification
//! failed its 验收 is listed for withdrawal, not among those keeping the
//! honour.

use super::data::{Common, UnitRow};
use super::kind::{DocumentKind, Subject};
use super::set::{ComposedDocument, Withheld, compose_one};
use super::templates::TemplateError;
use super::templates::Templates;
use crate::campaign::{Campaign, PublicitySettings};
use crate::check::CheckedBatch;
use crate::rectify::{RectificationOutcome, UnitRectification};
use crate::review::{HonourLevel, Outcome};
use crate::roster::Roster;
use handlebars::Handlebars;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The web page's template, built into the program (HTML-escaped, unlike
/// the document templates, which write our line markup).
const PAGE_TEMPLATE: &str = include_str!("../../templates/publicity.html");

/// What the 公示 says, in the document and on the web page alike.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PublicityData {
    /// The publicity period, as `2020-11-10`, and in words.
    period: PeriodFields,
    /// Where objections go, one line each (phone, address, email).
    contact: Vec<String>,
    /// Units passing their review, by level in the roster's order.
    kept_by_level: Vec<LevelGroup>,
    kept_count: usize,
    /// Units keeping the honour under a sanction (约谈警告 … 黄牌警告),
    /// with the sanction.
    sanctioned: Vec<PublicUnit>,
    /// City-level honours withdrawn by the committee itself.
    revoked: Vec<PublicUnit>,
    /// National and provincial honours whose withdrawal is proposed to the
    /// provincial office, which decides.
    proposed: Vec<PublicUnit>,
    /// Units whose results are still being verified and are not published.
    pending_count: usize,
}

#[derive(Debug, Clone, Serialize)]
struct PeriodFields {
    start: String,
    end: String,
    /// 2020年11月10日至2020年11月16日.
    words: String,
}

#[derive(Debug, Clone, Serialize)]
struct LevelGroup {
    level: &'static str,
    count: usize,
    units: Vec<PublicUnit>,
}

#[derive(Debug, Clone, Serialize)]
struct PublicUnit {
    name: String,
    level: &'static str,
    award_year: i32,
    jurisdiction: String,
    /// The review's outcome (the sanction, for the sanctioned).
    outcome: &'static str,
    /// Where its rectification stands (整改到位, 整改中 …), if it had to
    /// rectify.
    rectification: &'static str,
    /// Why the honour goes, for the revoked and proposed: the review, or a
    /// rectification that failed its 验收.
    reason: &'static str,
}

impl PublicUnit {
    fn of(row: &UnitRow, rectification: Option<RectificationOutcome>) -> PublicUnit {
        let reason = match (row.outcome_value, rectification) {
            (_, Some(RectificationOutcome::NotRectified)) => "整改验收未通过",
            (Some(Outcome::Revoke), _) => "复查未通过",
            _ => "",
        };
        PublicUnit {
            name: row.name.clone(),
            level: row.level,
            award_year: row.award_year,
            jurisdiction: row.jurisdiction.clone(),
            outcome: row.outcome,
            rectification: rectification.map_or("", RectificationOutcome::label),
            reason,
        }
    }

    /// Whether the honour goes: withdrawn by the review, or its
    /// rectification failed.
    fn loses_honour(outcome: Outcome, rectification: Option<RectificationOutcome>) -> bool {
        outcome == Outcome::Revoke
            || rectification.is_some_and(RectificationOutcome::proposes_withdrawal)
    }
}

impl PublicityData {
    /// The public's view of `rows`: `unverified` are the reporting bodies
    /// whose results do not stand yet (errors, or nothing sent);
    /// `rectifications` the units under follow-up, where they stand.
    pub(crate) fn new(
        rows: &[UnitRow],
        unverified: &BTreeSet<String>,
        rectifications: &[UnitRectification],
        settings: &PublicitySettings,
    ) -> PublicityData {
        let followed: BTreeMap<&str, RectificationOutcome> = rectifications
            .iter()
            .map(|u| (u.unit.as_str(), u.outcome))
            .collect();
        let (published, pending): (Vec<&UnitRow>, Vec<&UnitRow>) = rows
            .iter()
            .partition(|r| r.has_result && !unverified.contains(&r.jurisdiction));
        type Keep<'k> = &'k dyn Fn(Outcome, Option<RectificationOutcome>, &UnitRow) -> bool;
        let with = |keep: Keep<'_>| -> Vec<PublicUnit> {
            published
                .iter()
                .filter_map(|r| {
                    let rectification = followed.get(r.name.as_str()).copied();
                    let o = r.outcome_value?;
                    keep(o, rectification, r).then(|| PublicUnit::of(r, rectification))
                })
                .collect()
        };
        let kept_by_level: Vec<LevelGroup> = HonourLevel::ALL
            .into_iter()
            .map(|level| {
                let units = with(&|o, _, r| o == Outcome::Pass && r.level_value == level);
                LevelGroup {
                    level: level.label(),
                    count: units.len(),
                    units,
                }
            })
            .filter(|g| g.count > 0)
            .collect();
        PublicityData {
            period: PeriodFields {
                start: settings.start.to_string(),
                end: settings.end.to_string(),
                words: format!(
                    "{}至{}",
                    crate::doc::official_date(settings.start),
                    crate::doc::official_date(settings.end)
                ),
            },
            contact: settings.contact.clone(),
            kept_count: kept_by_level.iter().map(|g| g.count).sum(),
            kept_by_level,
            sanctioned: with(&|o, f, _| o != Outcome::Pass && !PublicUnit::loses_honour(o, f)),
            revoked: with(&|o, f, r| PublicUnit::loses_honour(o, f) && !r.provincial),
            proposed: with(&|o, f, r| PublicUnit::loses_honour(o, f) && r.provincial),
            pending_count: pending.len(),
        }
    }

    /// The web page: one self-contained HTML file, no scripts, no outside
    /// resources, readable on a phone.
    pub(crate) fn page(&self, common: &Common) -> Result<String, TemplateError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        let at = |e: handlebars::TemplateError| {
            let (line, column) = e.pos().unwrap_or((1, 1));
            TemplateError::At {
                file: "publicity.html（内置）".into(),
                line,
                column,
                message: e.reason().to_string(),
            }
        };
        hb.register_template_string("page", PAGE_TEMPLATE)
            .map_err(at)?;
        #[derive(Serialize)]
        struct Page<'a> {
            #[serde(flatten)]
            common: &'a Common,
            #[serde(flatten)]
            data: &'a PublicityData,
            date_words: String,
        }
        let date_words = common
            .doc
            .date
            .parse()
            .map(crate::doc::official_date)
            .unwrap_or_else(|_| common.doc.date.clone());
        hb.render(
            "page",
            &Page {
                common,
                data: self,
                date_words,
            },
        )
        .map_err(|e| TemplateError::At {
            file: "publicity.html（内置）".into(),
            line: e.line_no.unwrap_or(1),
            column: e.column_no.unwrap_or(1),
            message: e.reason().to_string(),
        })
    }
}

/// A web page written beside the documents.
#[derive(Debug, Clone)]
pub struct WebPage {
    /// Relative to the output folder, with its `.html` extension.
    pub path: PathBuf,
    /// The page.
    pub html: String,
}

/// The 公示 of a season, or why it is not written.
#[derive(Debug, Clone)]
pub enum Publicity {
    /// The document and its web page.
    Written(Box<(ComposedDocument, WebPage)>),
    /// Not written (no `[publicity]` in the config), and why.
    Withheld(Withheld),
}

/// The 复查结果公示 of a checked batch, with each unit's rectification
/// outcome: as a document and as a web page. Only the results of bodies
/// whose data stands are published, so it is never held for others' errors.
pub fn publicity_notice(
    batch: &CheckedBatch,
    roster: &Roster,
    campaign: &Campaign,
    templates: &Templates,
    rectifications: &[UnitRectification],
) -> Result<Publicity, TemplateError> {
    let kind = DocumentKind::Publicity;
    let path = kind.path(campaign, Subject::Season, false);
    let Some(settings) = &campaign.publicity else {
        return Ok(Publicity::Withheld(Withheld {
            path,
            reason: "fucha.toml 中没有 [publicity]（公示起止日期和受理意见的联系方式），复查结果公示暂不生成"
                .to_string(),
        }));
    };
    let rows = super::data::unit_rows(roster, batch);
    let unverified = batch.jurisdictions_with_errors(roster);
    let data = PublicityData::new(&rows, &unverified, rectifications, settings);
    let common = Common::new(campaign, kind, None, false);
    let page = WebPage {
        path: path.with_extension("html"),
        html: data.page(&common)?,
    };
    let document = compose_one(templates, campaign, kind, path, common, data)?;
    Ok(Publicity::Written(Box::new((document, page))))
}
