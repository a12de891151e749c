//! The sheets of the intake and roster workbooks: layout, locking and the
//! Excel data validation that keeps a clerk's input inside the intake format.

use super::contract::{
    DATA_SHEET, Field, INSTRUCTIONS_SHEET, REFORM_NOTE_LABEL, REFORM_SHEET, ROSTER_SHEET,
    RosterColumn, SUBMISSION_LABELS, SUBMISSION_SHEET,
};
use super::{IntakeError, IntakeRow, ReformNote, Submission, excel_date};
use crate::campaign::Campaign;
use crate::review::{HonourLevel, Method, Outcome};
use crate::roster::Roster;
use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, ProtectionOptions, Worksheet, XlsxError,
};

/// Row of the title, row of the header, first data row (0-based).
const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = 2;

/// Main-sheet columns (0-based), named for what they hold: the contract's
/// order ([`Field`] is declared in it).
const COL_SEQ: u16 = Field::Seq as u16;
const COL_NAME: u16 = Field::Name as u16;
const COL_LEVEL: u16 = Field::Level as u16;
const COL_YEAR: u16 = Field::Year as u16;
const COL_BODY: u16 = Field::Jurisdiction as u16;
const COL_DATE: u16 = Field::Date as u16;
const COL_METHODS: u16 = Field::Methods as u16;
const COL_SCORE: u16 = Field::Score as u16;
const COL_SATISFACTION: u16 = Field::Satisfaction as u16;
const COL_NEGATIVE: u16 = Field::Negative as u16;
const COL_PROBLEMS: u16 = Field::Problems as u16;
const COL_RECTIFICATION: u16 = Field::Rectification as u16;
const COL_OUTCOME: u16 = Field::Outcome as u16;
const COL_REFORM: u16 = Field::Reform as u16;
const COL_REFORM_NOTE: u16 = Field::ReformNote as u16;
const COL_REMARKS: u16 = Field::Remarks as u16;

/// Column widths of the main sheet, in characters.
const WIDTHS: [f64; 16] = [
    5.0, 34.0, 16.0, 9.0, 12.0, 12.0, 24.0, 9.0, 10.0, 18.0, 32.0, 32.0, 13.0, 9.0, 32.0, 14.0,
];

const DATE_FORMAT: &str = "yyyy-mm-dd";

/// The cell formats, built once per workbook.
/// The cell formats of every workbook fucha hands out (the county intake,
/// the inspectors' spot check, the rectification follow-up), defined once.
pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) header: Format,
    pub(super) locked: Format,
    pub(super) locked_center: Format,
    pub(super) open_text: Format,
    pub(super) open_center: Format,
    pub(super) open_date: Format,
    pub(super) open_number: Format,
    pub(super) open_phone: Format,
    pub(super) plain: Format,
    pub(super) plain_header: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        let cell = Format::new()
            .set_font_name("宋体")
            .set_font_size(11)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        // Locked cells are shaded so the clerk sees what not to touch.
        let locked = cell.clone().set_background_color(Color::RGB(0xF2F2F2));
        let open = cell.clone().set_unlocked();
        Formats {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9E1F2)),
            locked_center: locked.clone().set_align(FormatAlign::Center),
            locked,
            open_center: open.clone().set_align(FormatAlign::Center),
            open_date: open
                .clone()
                .set_num_format(DATE_FORMAT)
                .set_align(FormatAlign::Center),
            open_number: open.clone().set_align(FormatAlign::Center),
            open_phone: open.clone().set_num_format("@"),
            open_text: open,
            plain: Format::new()
                .set_font_name("宋体")
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            plain_header: Format::new().set_font_name("黑体").set_font_size(14),
        }
    }
}

/// The `复查情况` sheet: title, header, one row per due unit.
pub(super) fn write_main_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    campaign: &Campaign,
    rows: &[IntakeRow],
) -> Result<(), IntakeError> {
    sheet.set_name(DATA_SHEET)?;
    let last_col = (Field::ALL.len() - 1) as u16;
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, &f.title)?;
    sheet.set_row_height(TITLE_ROW, 36)?;
    for (col, field) in Field::ALL.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, field.label(), &f.header)?;
        sheet.set_column_width(col as u16, WIDTHS[col])?;
    }
    sheet.set_row_height(HEADER_ROW, 36)?;
    // Whole open columns are unlocked, so cells the clerk types into below
    // any written cell stay editable under protection.
    for col in open_columns() {
        let format = match col {
            COL_DATE => &f.open_date,
            COL_SCORE | COL_SATISFACTION => &f.open_number,
            _ => &f.open_text,
        };
        sheet.set_column_format(col, format)?;
    }
    for (i, row) in rows.iter().enumerate() {
        write_main_row(sheet, f, FIRST_DATA_ROW + i as u32, i + 1, row)?;
    }
    let last_row = FIRST_DATA_ROW + rows.len() as u32 - 1;
    add_main_validations(sheet, campaign, last_row)?;
    sheet.set_freeze_panes(FIRST_DATA_ROW, COL_NAME + 1)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.protect_with_options(&editing_allowed());
    Ok(())
}

fn open_columns() -> impl Iterator<Item = u16> {
    (COL_DATE..=COL_OUTCOME).chain([COL_REFORM_NOTE, COL_REMARKS])
}

/// One unit's row: the roster facts locked, the typed values open.
fn write_main_row(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    seq: usize,
    row: &IntakeRow,
) -> Result<(), XlsxError> {
    let unit = row.unit;
    sheet.write_number_with_format(r, COL_SEQ, seq as f64, &f.locked_center)?;
    sheet.write_string_with_format(r, COL_NAME, &unit.name, &f.locked)?;
    sheet.write_string_with_format(r, COL_LEVEL, unit.level.label(), &f.locked_center)?;
    sheet.write_number_with_format(r, COL_YEAR, f64::from(unit.award_year), &f.locked_center)?;
    sheet.write_string_with_format(r, COL_BODY, &unit.jurisdiction, &f.locked_center)?;
    sheet.write_string_with_format(r, COL_REFORM, yes_no(unit.reform), &f.locked_center)?;
    let Some(filled) = row.filled else {
        return Ok(());
    };
    if let Some(date) = filled.review_date {
        sheet.write_datetime_with_format(r, COL_DATE, excel_date(date)?, &f.open_date)?;
    }
    let methods: Vec<&str> = filled.methods.iter().map(|m| m.label()).collect();
    write_text(sheet, r, COL_METHODS, &methods.join("、"), &f.open_text)?;
    if let Some(score) = filled.score {
        sheet.write_number_with_format(r, COL_SCORE, score, &f.open_number)?;
    }
    if let Some(satisfaction) = filled.satisfaction {
        sheet.write_number_with_format(r, COL_SATISFACTION, satisfaction, &f.open_number)?;
    }
    write_text(sheet, r, COL_NEGATIVE, &filled.negative_list, &f.open_text)?;
    write_text(sheet, r, COL_PROBLEMS, &filled.problems, &f.open_text)?;
    write_text(
        sheet,
        r,
        COL_RECTIFICATION,
        &filled.rectification,
        &f.open_text,
    )?;
    if let Some(outcome) = filled.outcome {
        sheet.write_string_with_format(r, COL_OUTCOME, outcome.label(), &f.open_center)?;
    }
    if let Some(ReformNote::InColumn(note)) = &filled.reform_note {
        write_text(sheet, r, COL_REFORM_NOTE, note, &f.open_text)?;
    }
    write_text(sheet, r, COL_REMARKS, &filled.remarks, &f.open_text)?;
    Ok(())
}

/// Writes a text cell unless it is empty: an empty string is a blank cell.
fn write_text(
    sheet: &mut Worksheet,
    r: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if !text.trim().is_empty() {
        sheet.write_string_with_format(r, col, text, format)?;
    }
    Ok(())
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "是" } else { "否" }
}

/// The data validations of the open columns, over the data rows.
fn add_main_validations(
    sheet: &mut Worksheet,
    campaign: &Campaign,
    last_row: u32,
) -> Result<(), XlsxError> {
    let mut add = |col: u16, v: DataValidation| {
        sheet
            .add_data_validation(FIRST_DATA_ROW, col, last_row, col, &v)
            .map(|_| ())
    };
    add(COL_DATE, date_in_campaign_year(campaign)?)?;
    add(
        COL_METHODS,
        DataValidation::new()
            .allow_list_strings(&method_combinations())?
            // Other orders or separators are valid input too: warn, don't refuse.
            .set_error_style(DataValidationErrorStyle::Information)
            .set_error_title(Field::Methods.label())?
            .set_error_message("复查方式应为实地察看、听取汇报、材料审核、问卷调查中的一种或几种，用顿号分隔。")?
            .set_input_title("复查方式（可多选）")?
            .set_input_message("从下拉列表选择，或手工填写，多种方式用顿号“、”分隔。全国和省级荣誉原则上须含实地察看。")?,
    )?;
    add(
        COL_SCORE,
        percent_rule(Field::Score.label(), "填写0至100之间的数字。")?,
    )?;
    add(
        COL_SATISFACTION,
        percent_rule(
            Field::Satisfaction.label(),
            "开展问卷调查的必填，填百分数（0至100，不带%号），如92.5。",
        )?,
    )?;
    add(
        COL_NEGATIVE,
        hint(
            Field::Negative.label(),
            "没有负面清单情形的留空；有的写明具体情形。",
        )?,
    )?;
    let needs = "复查结论不是“复查合格”的必填。";
    add(COL_PROBLEMS, hint(Field::Problems.label(), needs)?)?;
    add(
        COL_RECTIFICATION,
        hint(Field::Rectification.label(), needs)?,
    )?;
    add(
        COL_OUTCOME,
        DataValidation::new()
            .allow_list_strings(&Outcome::ALL.map(Outcome::label))?
            .set_error_title(Field::Outcome.label())?
            .set_error_message("请从下拉列表选择复查结论。")?,
    )?;
    add(
        COL_REFORM,
        DataValidation::new().allow_list_strings(&["是", "否"])?,
    )?;
    add(
        COL_REFORM_NOTE,
        hint(
            Field::ReformNote.label(),
            "涉及机构改革的单位必填（也可填在“机构改革情况说明”工作表）：写明合并、更名、划转等情况。",
        )?,
    )?;
    Ok(())
}

/// A date rule covering the campaign year, with the expected form shown.
pub(super) fn date_in_campaign_year(campaign: &Campaign) -> Result<DataValidation, XlsxError> {
    let year = campaign.campaign.year;
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    let (Some(first), Some(last)) = (first, last) else {
        return hint("日期", "格式如2020-07-15。");
    };
    DataValidation::new()
        .allow_date(DataValidationRule::Between(
            excel_date(first)?,
            excel_date(last)?,
        ))
        .set_input_title("日期")?
        .set_input_message(format!("填写{year}年内的日期，格式如{year}-07-15。"))?
        .set_error_title("日期有误")?
        .set_error_message(format!("请填写{year}年内的日期，格式如{year}-07-15。"))
}

/// A decimal 0-100 rule.
pub(super) fn percent_rule(title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
        .set_input_title(title)?
        .set_input_message(message)?
        .set_error_title(title)?
        .set_error_message("请填写0至100之间的数字。")
}

/// An input message only, for free-text columns.
pub(super) fn hint(title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_any_value()
        .set_input_title(title)?
        .set_input_message(message)
}

/// Every non-empty combination of the four methods, in the work plan's
/// order, most complete first: 15 entries, 159 characters, inside Excel's
/// 255-character limit for a list.
pub(super) fn method_combinations() -> Vec<String> {
    let mut masks: Vec<u32> = (1..(1u32 << Method::ALL.len())).collect();
    masks.sort_by_key(|m| std::cmp::Reverse((m.count_ones(), m.reverse_bits())));
    masks
        .into_iter()
        .map(|mask| {
            Method::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, m)| m.label())
                .collect::<Vec<_>>()
                .join("、")
        })
        .collect()
}

/// Protection that still lets the clerk resize rows and columns.
pub(super) fn editing_allowed() -> ProtectionOptions {
    ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    }
}

/// The `机构改革情况说明` sheet: the reformed units listed, statements open.
pub(super) fn write_reform_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    rows: &[IntakeRow],
) -> Result<(), XlsxError> {
    sheet.set_name(REFORM_SHEET)?;
    sheet.write_string_with_format(0, 0, Field::Name.label(), &f.header)?;
    sheet.write_string_with_format(0, 1, REFORM_NOTE_LABEL, &f.header)?;
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 80)?;
    // Both columns open, so a unit the roster missed can be added below.
    sheet.set_column_format(0, &f.open_text)?;
    sheet.set_column_format(1, &f.open_text)?;
    let reformed = rows.iter().filter(|r| r.unit.reform);
    for (i, row) in reformed.enumerate() {
        let r = 1 + i as u32;
        sheet.write_string_with_format(r, 0, &row.unit.name, &f.locked)?;
        if let Some(ReformNote::InSheet(note)) = row.filled.and_then(|x| x.reform_note.as_ref()) {
            write_text(sheet, r, 1, note, &f.open_text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.protect_with_options(&editing_allowed());
    Ok(())
}

/// The `报送信息` sheet: one header row and one row of values; the sending
/// body is pre-filled and locked so that `check` can tell who sent it.
pub(super) fn write_submission_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    jurisdiction: &str,
    campaign: &Campaign,
    submission: Option<&Submission>,
) -> Result<(), XlsxError> {
    sheet.set_name(SUBMISSION_SHEET)?;
    for (col, label) in SUBMISSION_LABELS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *label, &f.header)?;
        sheet.set_column_width(col as u16, if col == 0 { 24.0 } else { 16.0 })?;
    }
    sheet.write_string_with_format(1, 0, jurisdiction, &f.locked)?;
    sheet.write_blank(1, 1, &f.open_text)?;
    sheet.write_blank(1, 2, &f.open_phone)?;
    sheet.write_blank(1, 3, &f.open_date)?;
    if let Some(s) = submission {
        write_text(sheet, 1, 1, &s.contact, &f.open_text)?;
        write_text(sheet, 1, 2, &s.phone, &f.open_phone)?;
        sheet.write_datetime_with_format(1, 3, excel_date(s.date)?, &f.open_date)?;
    }
    sheet.add_data_validation(1, 3, 1, 3, &date_in_campaign_year(campaign)?)?;
    sheet.protect_with_options(&editing_allowed());
    Ok(())
}

/// The `填报说明` sheet: plain instructions for the clerk.
pub(super) fn write_instructions_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    campaign: &Campaign,
) -> Result<(), XlsxError> {
    sheet.set_name(INSTRUCTIONS_SHEET)?;
    sheet.set_column_width(0, 110)?;
    sheet.write_string_with_format(0, 0, INSTRUCTIONS_SHEET, &f.plain_header)?;
    for (i, line) in instructions(campaign).iter().enumerate() {
        sheet.write_string_with_format(1 + i as u32, 0, line, &f.plain)?;
    }
    Ok(())
}

fn instructions(campaign: &Campaign) -> Vec<String> {
    let c = &campaign.campaign;
    let phases: Vec<String> = campaign
        .phases
        .iter()
        .map(|p| {
            format!(
                "{}（{}至{}）复查{}",
                p.name,
                chinese_date(p.start),
                chinese_date(p.end),
                p.levels.join("、")
            )
        })
        .collect();
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.label()).collect();
    vec![
        format!("一、本表用于报送{}年文明单位复查结果。请在“复查情况”工作表中逐个单位填写，不要增删行列，不要修改表头和工作表名称。", c.year),
        "二、序号、单位名称、荣誉类别、命名年度、所属县市区、是否涉及机构改革已按复查单位名单预先填好并锁定（灰色底纹）。名单有误的，请与市文明办联系更正，不要自行改动。".to_string(),
        format!("三、复查日期：填写实地复查的日期，格式如{}-07-15。复查时间安排：{}。", c.year, phases.join("；")),
        "四、复查方式：可从下拉列表选择，也可手工填写，几种方式之间用顿号“、”分隔，可选实地察看、听取汇报、材料审核、问卷调查。全国文明单位和省级文明（标兵）单位原则上须实地察看。".to_string(),
        "五、测评得分：按测评体系打分，填0至100的数字。开展问卷调查的，须填写群众满意度（百分数，不带%号，如92.5）。".to_string(),
        "六、负面清单情形：没有的留空；有的写明具体情形。".to_string(),
        format!("七、复查结论：从下拉列表选择（{}）。结论不是“复查合格”的，必须填写存在问题和整改意见。全国和省级荣誉的处理意见由市里提出，报{}审定。", outcomes.join("、"), c.province_office),
        format!("八、测评得分低于{}分或群众满意度低于{}%的单位，一般不应评为“复查合格”。", campaign.pass_lines.score, campaign.pass_lines.satisfaction),
        "九、“是否涉及机构改革”为“是”的单位（合并、更名、划转、撤销等），须写明机构改革情况：可填在本表“机构改革情况说明”列，也可填在“机构改革情况说明”工作表对应单位之后。".to_string(),
        format!("十、请在“报送信息”工作表填写联系人、联系电话和报送日期，于{}前将本表报送{}。", chinese_date(campaign.deadlines.submission), c.office_short),
        "十一、本表可用Excel、WPS表格或LibreOffice填写，保存为xlsx格式即可，不需要修改表格结构。".to_string(),
    ]
}

/// 2020年10月15日: the date as officials write it.
fn chinese_date(date: NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

/// The roster sheet: one header row, one row per unit, open for editing.
pub(super) fn write_roster_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    roster: &Roster,
) -> Result<(), XlsxError> {
    sheet.set_name(ROSTER_SHEET)?;
    let widths = [44.0, 36.0, 18.0, 10.0, 18.0, 16.0, 60.0];
    for (col, column) in RosterColumn::ALL.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, column.label(), &f.header)?;
        sheet.set_column_width(col as u16, widths[col])?;
    }
    for (i, unit) in roster.units().iter().enumerate() {
        let r = 1 + i as u32;
        sheet.write_string_with_format(r, 0, &unit.name, &f.open_text)?;
        write_text(sheet, r, 1, &unit.aliases.join("、"), &f.open_text)?;
        sheet.write_string_with_format(r, 2, unit.level.label(), &f.open_center)?;
        sheet.write_number_with_format(r, 3, f64::from(unit.award_year), &f.open_center)?;
        sheet.write_string_with_format(r, 4, &unit.jurisdiction, &f.open_center)?;
        sheet.write_string_with_format(r, 5, yes_no(unit.reform), &f.open_center)?;
        write_text(sheet, r, 6, &unit.remarks, &f.open_text)?;
    }
    let last = roster.units().len() as u32;
    if last > 0 {
        let levels = HonourLevel::ALL.map(HonourLevel::label);
        sheet.add_data_validation(
            1,
            2,
            last,
            2,
            &DataValidation::new().allow_list_strings(&levels)?,
        )?;
        sheet.add_data_validation(
            1,
            5,
            last,
            5,
            &DataValidation::new().allow_list_strings(&["是", "否"])?,
        )?;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_list_offers_every_combination_within_excels_limit() {
        let combos = method_combinations();
        assert_eq!(combos.len(), 15);
        assert_eq!(combos[0], "实地察看、听取汇报、材料审核、问卷调查");
        assert_eq!(combos[1], "实地察看、听取汇报、材料审核");
        assert!(combos.contains(&"问卷调查".to_string()));
        let joined = combos.join(",");
        assert!(joined.chars().count() <= 255);
    }

    #[test]
    fn dates_read_as_officials_write_them() {
        let d = NaiveDate::from_ymd_opt(2020, 7, 1).unwrap();
        assert_eq!(chinese_date(d), "2020年7月1日");
    }
}
