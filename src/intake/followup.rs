//! The follow-up workbook (整改落实情况表) of one reporting body: a row per
//! unit whose 整改通知书 asks for a follow-up, the notice's facts (文号,
//! 整改期限, 存在问题, 整改要求) filled in and locked, and the columns for the
//! measures taken, the completion date, the evidence and the 验收 open, with
//! a drop-down for the 验收 result. The columns are the reader's contract
//! ([`crate::rectify::columns`]); the same writer fills rows in for tests
//! and the demo data.

use super::sheets::Formats;
use super::sheets::{editing_allowed, hint};
use super::{IntakeError, excel_date, properties};
use crate::campaign::Campaign;
use crate::rectify::columns::{ACCEPTED, FOLLOWUP_SHEET, FollowupColumn, REJECTED};
use crate::register::RectificationNotice;
use crate::roster::Roster;
use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Workbook, Worksheet, XlsxError};

/// What a clerk types into one unit's follow-up row; empty means blank.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowupFill {
    /// The unit, by roster name.
    pub unit: String,
    /// 整改措施.
    pub measures: String,
    /// 完成日期.
    pub completed: Option<NaiveDate>,
    /// 佐证材料.
    pub evidence: String,
    /// 验收结论: Some(true) 整改到位, Some(false) 未整改到位.
    pub accepted: Option<bool>,
    /// 验收人.
    pub accepted_by: String,
    /// 验收日期.
    pub accepted_on: Option<NaiveDate>,
    /// 备注.
    pub remarks: String,
}

const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = 2;

/// Column widths, in characters, in [`FollowupColumn::ALL`]'s order.
const WIDTHS: [f64; 15] = [
    5.0, 30.0, 16.0, 12.0, 22.0, 12.0, 32.0, 32.0, 36.0, 12.0, 24.0, 12.0, 10.0, 12.0, 14.0,
];

fn col(c: FollowupColumn) -> u16 {
    FollowupColumn::ALL
        .iter()
        .position(|x| *x == c)
        .expect("every column is in ALL") as u16
}

/// The name (without extension) of a body's follow-up workbook.
pub fn followup_file_stem(body: &str) -> String {
    format!("{body}整改落实情况表")
}

/// The follow-up workbooks to send out: one per reporting body with a unit
/// under follow-up, named by [`followup_file_stem`], in roster order.
pub fn followup_workbooks(
    notices: &[RectificationNotice],
    roster: &Roster,
    campaign: &Campaign,
) -> Result<Vec<(String, Vec<u8>)>, IntakeError> {
    let mut out = Vec::new();
    for body in roster.jurisdictions() {
        let own: Vec<&RectificationNotice> = notices
            .iter()
            .filter(|n| n.jurisdiction == body && crate::rectify::needs_followup(n))
            .collect();
        if !own.is_empty() {
            let bytes = followup_workbook(&own, roster, campaign, body, &[])?;
            out.push((followup_file_stem(body), bytes));
        }
    }
    Ok(out)
}

/// One body's follow-up workbook over `notices`, with `filled` typed in.
pub fn followup_workbook(
    notices: &[&RectificationNotice],
    roster: &Roster,
    campaign: &Campaign,
    jurisdiction: &str,
    filled: &[FollowupFill],
) -> Result<Vec<u8>, IntakeError> {
    for fill in filled {
        if !notices.iter().any(|n| n.unit == fill.unit) {
            return Err(IntakeError::UnknownUnit {
                unit: fill.unit.clone(),
                jurisdiction: jurisdiction.to_string(),
            });
        }
    }
    let mut workbook = Workbook::new();
    let title = format!(
        "{}{}年文明单位复查整改落实情况表（{}）",
        campaign.campaign.city, campaign.campaign.year, jurisdiction
    );
    workbook.set_properties(&properties(campaign, &title)?);
    let sheet = workbook.add_worksheet();
    write_sheet(sheet, &title, notices, roster, filled)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(
    sheet: &mut Worksheet,
    title: &str,
    notices: &[&RectificationNotice],
    roster: &Roster,
    filled: &[FollowupFill],
) -> Result<(), XlsxError> {
    let f = Formats::new();
    sheet.set_name(FOLLOWUP_SHEET)?;
    let last_col = (FollowupColumn::ALL.len() - 1) as u16;
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, &f.title)?;
    sheet.set_row_height(TITLE_ROW, 36)?;
    for (i, c) in FollowupColumn::ALL.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, i as u16, c.label(), &f.header)?;
        sheet.set_column_width(i as u16, WIDTHS[i])?;
    }
    for c in FollowupColumn::OPEN {
        let format = match c {
            FollowupColumn::Completed | FollowupColumn::AcceptedOn => &f.open_date,
            _ => &f.open_text,
        };
        sheet.set_column_format(col(c), format)?;
    }
    for (i, notice) in notices.iter().enumerate() {
        let r = FIRST_DATA_ROW + i as u32;
        let level = roster.lookup(&notice.unit).map_or("", |u| u.level.label());
        let facts = [
            (FollowupColumn::Seq, (i + 1).to_string()),
            (FollowupColumn::Unit, notice.unit.clone()),
            (FollowupColumn::Level, level.to_string()),
            (FollowupColumn::Jurisdiction, notice.jurisdiction.clone()),
            (FollowupColumn::Number, notice.number.clone()),
            (FollowupColumn::Deadline, notice.deadline.to_string()),
            (FollowupColumn::Problems, notice.problems.clone()),
            (FollowupColumn::Requirements, notice.requirements.clone()),
        ];
        for (c, text) in facts {
            sheet.write_string_with_format(r, col(c), &text, &f.locked)?;
        }
        if let Some(fill) = filled.iter().find(|x| x.unit == notice.unit) {
            write_fill(sheet, &f, r, fill)?;
        }
    }
    if !notices.is_empty() {
        let last_row = FIRST_DATA_ROW + notices.len() as u32 - 1;
        let first_issued = notices.iter().map(|n| n.issued).min();
        add_validations(sheet, last_row, first_issued)?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, col(FollowupColumn::Unit) + 1)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.protect_with_options(&editing_allowed());
    Ok(())
}

fn write_fill(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    fill: &FollowupFill,
) -> Result<(), XlsxError> {
    let texts = [
        (FollowupColumn::Measures, fill.measures.as_str()),
        (FollowupColumn::Evidence, fill.evidence.as_str()),
        (FollowupColumn::AcceptedBy, fill.accepted_by.as_str()),
        (FollowupColumn::Remarks, fill.remarks.as_str()),
        (
            FollowupColumn::Acceptance,
            match fill.accepted {
                Some(true) => ACCEPTED,
                Some(false) => REJECTED,
                None => "",
            },
        ),
    ];
    for (c, text) in texts {
        if !text.trim().is_empty() {
            sheet.write_string_with_format(r, col(c), text, &f.open_text)?;
        }
    }
    let dates = [
        (FollowupColumn::Completed, fill.completed),
        (FollowupColumn::AcceptedOn, fill.accepted_on),
    ];
    for (c, date) in dates {
        if let Some(d) = date {
            sheet.write_datetime_with_format(r, col(c), excel_date(d)?, &f.open_date)?;
        }
    }
    Ok(())
}

/// The drop-down for 验收结论, date rules for the two dates (none before
/// the notices were issued) and hints on the free-text columns.
fn add_validations(
    sheet: &mut Worksheet,
    last_row: u32,
    first_issued: Option<NaiveDate>,
) -> Result<(), XlsxError> {
    let mut add = |c: FollowupColumn, v: DataValidation| {
        sheet
            .add_data_validation(FIRST_DATA_ROW, col(c), last_row, col(c), &v)
            .map(|_| ())
    };
    add(
        FollowupColumn::Measures,
        hint(
            FollowupColumn::Measures.label(),
            "对照存在问题逐项写明采取的整改措施。报送整改情况时必填。",
        )?,
    )?;
    add(
        FollowupColumn::Evidence,
        hint(
            FollowupColumn::Evidence.label(),
            "列出随表报送的佐证材料（文件、照片、台账等）的名称。",
        )?,
    )?;
    add(
        FollowupColumn::Acceptance,
        DataValidation::new()
            .allow_list_strings(&[ACCEPTED, REJECTED])?
            .set_input_title(FollowupColumn::Acceptance.label())?
            .set_input_message("由负责复查的文明办验收后填写；填写后须同时填写验收人和验收日期。")?
            .set_error_title(FollowupColumn::Acceptance.label())?
            .set_error_message("请从下拉列表选择“整改到位”或“未整改到位”。")?,
    )?;
    for c in [FollowupColumn::Completed, FollowupColumn::AcceptedOn] {
        let v = match first_issued.map(excel_date).transpose()? {
            Some(issued) => DataValidation::new()
                .allow_date(DataValidationRule::GreaterThanOrEqualTo(issued))
                .set_input_title(c.label())?
                .set_input_message("日期格式如2020-12-01，不早于整改通知书成文日期。")?
                .set_error_title("日期有误")?
                .set_error_message("请填写整改通知书成文日期以后的日期，格式如2020-12-01。")?,
            None => hint(c.label(), "日期格式如2020-12-01。")?,
        };
        add(c, v)?;
    }
    Ok(())
}
