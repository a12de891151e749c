//! The intake workbooks the city office sends out, and the roster workbook.
//!
//! Each reporting body gets one workbook listing the roster units it must
//! review this campaign: the roster's facts (name, honour, year, body, reform
//! flag) pre-filled and locked, the review columns open with Excel data
//! validation, so that what comes back follows the intake format `check`
//! reads: both take the sheet and column labels from [`contract`]. The same writer fills in rows ([`FilledRow`]) for the demo data and
//! for round-trip tests. Output is byte-for-byte deterministic: the document
//! date comes from the campaign, never from the clock.

pub mod contract;
pub mod followup;
mod sheets;
pub mod spot;

use crate::campaign::Campaign;
use crate::review::{Method, Outcome};
use crate::roster::{Roster, Unit};
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

/// Errors writing a workbook.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// The body has no unit due this campaign, so it gets no workbook.
    #[error("“{jurisdiction}”在名单中没有本次需要复查的单位，不生成报送表")]
    NoDueUnits {
        /// The reporting body.
        jurisdiction: String,
    },
    /// A filled row names a unit that is not among the body's due units.
    #[error("“{unit}”不是“{jurisdiction}”本次需要复查的单位，无法填入报送表")]
    UnknownUnit {
        /// The name given.
        unit: String,
        /// The reporting body.
        jurisdiction: String,
    },
    /// Two filled rows for the same unit.
    #[error("“{unit}”填写了两次")]
    DuplicateRow {
        /// The roster name.
        unit: String,
    },
    /// The spreadsheet library refused something (a bug on our side).
    #[error("生成工作簿失败：{0}")]
    Xlsx(#[from] XlsxError),
}

/// What a clerk types into one unit's row; `None` or empty means left blank.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilledRow {
    /// The unit, by roster name or alias.
    pub unit: String,
    /// 复查日期.
    pub review_date: Option<NaiveDate>,
    /// 复查方式, in the order written.
    pub methods: Vec<Method>,
    /// 测评得分.
    pub score: Option<f64>,
    /// 群众满意度(%), as a percentage (92.5, not 0.925).
    pub satisfaction: Option<f64>,
    /// 负面清单情形.
    pub negative_list: String,
    /// 存在问题.
    pub problems: String,
    /// 整改意见.
    pub rectification: String,
    /// 复查结论.
    pub outcome: Option<Outcome>,
    /// The reform statement and where the clerk wrote it.
    pub reform_note: Option<ReformNote>,
    /// 备注.
    pub remarks: String,
}

/// A reform statement, written either in the main sheet's column or in the
/// `机构改革情况说明` sheet; the intake format accepts both.
#[derive(Debug, Clone, PartialEq)]
pub enum ReformNote {
    /// In the 机构改革情况说明 column of the main sheet.
    InColumn(String),
    /// In the 机构改革情况说明 sheet, beside the unit's name.
    InSheet(String),
}

/// The `报送信息` sheet as a clerk fills it in (报送单位 is pre-filled).
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// 联系人.
    pub contact: String,
    /// 联系电话.
    pub phone: String,
    /// 报送日期.
    pub date: NaiveDate,
}

/// One row of the main sheet: a due unit and what was typed for it.
pub(crate) struct IntakeRow<'a> {
    pub(crate) unit: &'a Unit,
    pub(crate) filled: Option<&'a FilledRow>,
}

/// The intake workbook of one reporting body: its due units, pre-filled and
/// locked, with `filled` typed in. An empty `filled` gives the blank
/// workbook to send out.
pub fn intake_workbook(
    roster: &Roster,
    jurisdiction: &str,
    campaign: &Campaign,
    filled: &[FilledRow],
) -> Result<Vec<u8>, IntakeError> {
    intake_workbook_with_submission(roster, jurisdiction, campaign, filled, None)
}

/// Like [`intake_workbook`], with the `报送信息` sheet filled in as well.
pub fn intake_workbook_with_submission(
    roster: &Roster,
    jurisdiction: &str,
    campaign: &Campaign,
    filled: &[FilledRow],
    submission: Option<&Submission>,
) -> Result<Vec<u8>, IntakeError> {
    let rows = intake_rows(roster, jurisdiction, campaign, filled)?;
    let mut workbook = Workbook::new();
    let title = format!(
        "{}{}年文明单位复查情况报送表（{}）",
        campaign.campaign.city, campaign.campaign.year, jurisdiction
    );
    workbook.set_properties(&properties(campaign, &title)?);
    let formats = sheets::Formats::new();
    sheets::write_main_sheet(workbook.add_worksheet(), &formats, &title, campaign, &rows)?;
    sheets::write_reform_sheet(workbook.add_worksheet(), &formats, &rows)?;
    sheets::write_submission_sheet(
        workbook.add_worksheet(),
        &formats,
        jurisdiction,
        campaign,
        submission,
    )?;
    sheets::write_instructions_sheet(workbook.add_worksheet(), &formats, campaign)?;
    Ok(workbook.save_to_buffer()?)
}

/// The blank workbooks to send out: one per reporting body of the roster
/// that has units due this campaign, named by the body, in roster order.
/// Bodies with no due unit get none.
pub fn blank_intake_workbooks(
    roster: &Roster,
    campaign: &Campaign,
) -> Result<Vec<(String, Vec<u8>)>, IntakeError> {
    let mut out = Vec::new();
    for body in roster.jurisdictions() {
        if roster.units_of(body).any(|u| campaign.is_due(u.level)) {
            out.push((
                body.to_string(),
                intake_workbook(roster, body, campaign, &[])?,
            ));
        }
    }
    Ok(out)
}

/// The roster as a workbook in the shape `Roster` files are read in, so an
/// office can start its own roster from it.
pub fn roster_workbook(roster: &Roster, campaign: &Campaign) -> Result<Vec<u8>, IntakeError> {
    let mut workbook = Workbook::new();
    let title = format!(
        "{}{}年文明单位复查单位名单",
        campaign.campaign.city, campaign.campaign.year
    );
    workbook.set_properties(&properties(campaign, &title)?);
    let formats = sheets::Formats::new();
    sheets::write_roster_sheet(workbook.add_worksheet(), &formats, roster)?;
    Ok(workbook.save_to_buffer()?)
}

/// The due units of a body in roster order, each with its filled values.
fn intake_rows<'a>(
    roster: &'a Roster,
    jurisdiction: &'a str,
    campaign: &Campaign,
    filled: &'a [FilledRow],
) -> Result<Vec<IntakeRow<'a>>, IntakeError> {
    let due: Vec<&Unit> = roster
        .units_of(jurisdiction)
        .filter(|u| campaign.is_due(u.level))
        .collect();
    if due.is_empty() {
        return Err(IntakeError::NoDueUnits {
            jurisdiction: jurisdiction.to_string(),
        });
    }
    let mut rows: Vec<IntakeRow> = due
        .iter()
        .map(|&unit| IntakeRow { unit, filled: None })
        .collect();
    for row in filled {
        let slot = roster
            .lookup(&row.unit)
            .and_then(|u| rows.iter_mut().find(|r| std::ptr::eq(r.unit, u)))
            .ok_or_else(|| IntakeError::UnknownUnit {
                unit: row.unit.clone(),
                jurisdiction: jurisdiction.to_string(),
            })?;
        if slot.filled.is_some() {
            return Err(IntakeError::DuplicateRow {
                unit: slot.unit.name.clone(),
            });
        }
        slot.filled = Some(row);
    }
    Ok(rows)
}

/// Document properties with the campaign's fixed date, so that the bytes do
/// not depend on when the workbook was written.
fn properties(campaign: &Campaign, title: &str) -> Result<DocProperties, IntakeError> {
    let date = excel_date(campaign.campaign.metadata_date)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(&campaign.campaign.office_short)
        .set_company(&campaign.campaign.office)
        .set_creation_datetime(&date))
}

/// A chrono date as an Excel date.
pub(crate) fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    // Dates before year 0 or after 65535 do not fit; Excel refuses them anyway.
    let year = u16::try_from(date.year()).unwrap_or(0);
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}
