//! The inspectors' workbook of the city's spot check (随机抽查表): one row
//! per drawn unit, in draw order, with the roster's facts and the county's
//! score and conclusion locked beside the columns the inspectors fill in
//! (date, methods, score, satisfaction, problems, conclusion), each with
//! the same drop-downs and rules as the county intake workbook. Its header
//! uses the intake labels, so `check` reads it under the county rules
//! ([`crate::check::spot`]).

use super::sheets::Formats;
use super::sheets::{
    date_in_campaign_year, editing_allowed, hint, method_combinations, percent_rule,
};
use super::{FilledRow, IntakeError, excel_date};
use crate::campaign::Campaign;
use crate::check::spot::{
    COUNTY_OUTCOME_LABEL, COUNTY_SCORE_LABEL, SEED_MARK, SPOT_BODY, SPOT_SHEET, SpotDraw,
};
use crate::intake::contract::{Field, INSTRUCTIONS_SHEET};
use crate::review::{Outcome, ReviewResult};
use crate::roster::{Roster, Unit};
use rust_xlsxwriter::{DataValidation, Workbook, Worksheet, XlsxError};

/// One column of the inspectors' sheet: an intake field, or one of the
/// county's values shown beside the findings.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Field(Field),
    CountyScore,
    CountyOutcome,
}

/// The sheet's columns, left to right: the county's result just before
/// the findings, so the inspector sees both on one line.
const COLUMNS: [Column; 18] = [
    Column::Field(Field::Seq),
    Column::Field(Field::Name),
    Column::Field(Field::Level),
    Column::Field(Field::Year),
    Column::Field(Field::Jurisdiction),
    Column::CountyScore,
    Column::CountyOutcome,
    Column::Field(Field::Date),
    Column::Field(Field::Methods),
    Column::Field(Field::Score),
    Column::Field(Field::Satisfaction),
    Column::Field(Field::Negative),
    Column::Field(Field::Problems),
    Column::Field(Field::Rectification),
    Column::Field(Field::Outcome),
    Column::Field(Field::Reform),
    Column::Field(Field::ReformNote),
    Column::Field(Field::Remarks),
];

const WIDTHS: [f64; 18] = [
    5.0, 34.0, 16.0, 9.0, 12.0, 10.0, 12.0, 12.0, 24.0, 9.0, 10.0, 18.0, 32.0, 32.0, 13.0, 9.0,
    32.0, 14.0,
];

const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = 2;

impl Column {
    fn label(self) -> &'static str {
        match self {
            Column::Field(f) => f.label(),
            Column::CountyScore => COUNTY_SCORE_LABEL,
            Column::CountyOutcome => COUNTY_OUTCOME_LABEL,
        }
    }

    /// The inspectors fill these in; the rest is locked.
    fn is_open(self) -> bool {
        matches!(self, Column::Field(f) if crate::check::spot::FINDING_FIELDS.contains(&f) || f == Field::Remarks)
    }
}

/// The 0-based column of a field in the inspectors' sheet.
pub fn spot_column(field: Field) -> u16 {
    COLUMNS
        .iter()
        .position(|c| *c == Column::Field(field))
        .unwrap_or(0) as u16
}

/// What inspectors who confirm the county's result type in, reviewing
/// on `date`: for demo data and tests, and as the start of a finding that
/// differs in one or two cells.
pub fn confirming_finding(county: &ReviewResult, date: chrono::NaiveDate) -> FilledRow {
    FilledRow {
        unit: county.unit.clone(),
        review_date: Some(date),
        methods: county.methods.clone(),
        score: Some(county.score),
        satisfaction: county.satisfaction,
        negative_list: county.negative_list.clone(),
        problems: county.problems.clone(),
        rectification: county.rectification.clone(),
        outcome: Some(county.outcome),
        // The county's statement is written beside it, locked.
        reform_note: None,
        remarks: String::new(),
    }
}

/// The file name the inspectors' workbook is written under.
pub fn spot_check_file_name(campaign: &Campaign) -> String {
    let c = &campaign.campaign;
    format!("{}{}年文明单位随机抽查情况表.xlsx", c.city, c.year)
}

/// The inspectors' workbook for `draw`: each drawn unit with the county's
/// result in force (from `county`), and `filled` typed in as an inspector
/// would (empty: the blank workbook to hand out). A filled row for a unit
/// not drawn, or twice for one unit, is refused.
pub fn spot_check_workbook(
    roster: &Roster,
    campaign: &Campaign,
    draw: &SpotDraw,
    county: &[ReviewResult],
    filled: &[FilledRow],
) -> Result<Vec<u8>, IntakeError> {
    let units: Vec<&Unit> = draw
        .units
        .iter()
        .filter_map(|name| roster.lookup(name))
        .collect();
    let mut typed: Vec<Option<&FilledRow>> = vec![None; units.len()];
    for row in filled {
        let at = roster
            .lookup(&row.unit)
            .and_then(|u| units.iter().position(|d| std::ptr::eq(*d, u)))
            .ok_or_else(|| IntakeError::UnknownUnit {
                unit: row.unit.clone(),
                jurisdiction: SPOT_BODY.to_string(),
            })?;
        if typed[at].replace(row).is_some() {
            return Err(IntakeError::DuplicateRow {
                unit: units[at].name.clone(),
            });
        }
    }
    let c = &campaign.campaign;
    let title = format!(
        "{}{}年文明单位随机抽查情况表（{SEED_MARK}{}）",
        c.city, c.year, draw.seed
    );
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(&title)
            .set_author(&c.office_short)
            .set_company(&c.office)
            .set_creation_datetime(&excel_date(c.metadata_date)?),
    );
    let f = Formats::new();
    let sheet = workbook.add_worksheet();
    write_spot_sheet(sheet, &f, &title, campaign, &units, county, &typed)?;
    write_instructions(workbook.add_worksheet(), &f, campaign)?;
    Ok(workbook.save_to_buffer()?)
}

/// The 随机抽查情况 sheet.
fn write_spot_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    campaign: &Campaign,
    units: &[&Unit],
    county: &[ReviewResult],
    typed: &[Option<&FilledRow>],
) -> Result<(), IntakeError> {
    sheet.set_name(SPOT_SHEET)?;
    let last_col = (COLUMNS.len() - 1) as u16;
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, &f.title)?;
    sheet.set_row_height(TITLE_ROW, 36)?;
    for (col, column) in COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(HEADER_ROW, col, column.label(), &f.header)?;
        sheet.set_column_width(col, WIDTHS[col as usize])?;
        if column.is_open() {
            let format = if *column == Column::Field(Field::Date) {
                &f.open_date
            } else {
                &f.open_text
            };
            sheet.set_column_format(col, format)?;
        }
    }
    for (i, unit) in units.iter().enumerate() {
        let r = FIRST_DATA_ROW + i as u32;
        let result = county.iter().find(|x| x.unit == unit.name);
        write_unit(sheet, f, r, i + 1, unit, result)?;
        if let Some(row) = typed[i] {
            write_findings(sheet, f, r, row)?;
        }
    }
    if !units.is_empty() {
        let last_row = FIRST_DATA_ROW + units.len() as u32 - 1;
        add_validations(sheet, campaign, last_row)?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, spot_column(Field::Name) + 1)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.protect_with_options(&editing_allowed());
    Ok(())
}

/// The locked part of a row: the roster's facts and the county's result.
fn write_unit(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    seq: usize,
    unit: &Unit,
    county: Option<&ReviewResult>,
) -> Result<(), XlsxError> {
    let col = spot_column;
    sheet.write_number_with_format(r, col(Field::Seq), seq as f64, &f.locked)?;
    sheet.write_string_with_format(r, col(Field::Name), &unit.name, &f.locked)?;
    sheet.write_string_with_format(r, col(Field::Level), unit.level.label(), &f.locked)?;
    sheet.write_number_with_format(r, col(Field::Year), f64::from(unit.award_year), &f.locked)?;
    sheet.write_string_with_format(r, col(Field::Jurisdiction), &unit.jurisdiction, &f.locked)?;
    let county_col = |c: Column| COLUMNS.iter().position(|x| *x == c).unwrap_or(0) as u16;
    match county {
        Some(result) => {
            sheet.write_number_with_format(
                r,
                county_col(Column::CountyScore),
                result.score,
                &f.locked,
            )?;
            sheet.write_string_with_format(
                r,
                county_col(Column::CountyOutcome),
                result.outcome.label(),
                &f.locked,
            )?;
        }
        None => {
            sheet.write_string_with_format(
                r,
                county_col(Column::CountyOutcome),
                "未报结果",
                &f.locked,
            )?;
        }
    }
    let reform = unit.reform || county.is_some_and(|c| c.reform);
    sheet.write_string_with_format(
        r,
        col(Field::Reform),
        if reform { "是" } else { "否" },
        &f.locked,
    )?;
    // The county's statement comes along, so the reform rule is met.
    if let Some(note) = county
        .map(|c| c.reform_note.as_str())
        .filter(|n| !n.is_empty())
    {
        sheet.write_string_with_format(r, col(Field::ReformNote), note, &f.locked)?;
    }
    Ok(())
}

/// What an inspector typed into a row.
fn write_findings(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    row: &FilledRow,
) -> Result<(), XlsxError> {
    let col = spot_column;
    let text = |sheet: &mut Worksheet, field: Field, t: &str| -> Result<(), XlsxError> {
        if !t.trim().is_empty() {
            sheet.write_string_with_format(r, col(field), t, &f.open_text)?;
        }
        Ok(())
    };
    if let Some(date) = row.review_date {
        sheet.write_datetime_with_format(r, col(Field::Date), excel_date(date)?, &f.open_date)?;
    }
    let methods: Vec<&str> = row.methods.iter().map(|m| m.label()).collect();
    text(sheet, Field::Methods, &methods.join("、"))?;
    if let Some(score) = row.score {
        sheet.write_number_with_format(r, col(Field::Score), score, &f.open_text)?;
    }
    if let Some(s) = row.satisfaction {
        sheet.write_number_with_format(r, col(Field::Satisfaction), s, &f.open_text)?;
    }
    text(sheet, Field::Negative, &row.negative_list)?;
    text(sheet, Field::Problems, &row.problems)?;
    text(sheet, Field::Rectification, &row.rectification)?;
    if let Some(o) = row.outcome {
        text(sheet, Field::Outcome, o.label())?;
    }
    text(sheet, Field::Remarks, &row.remarks)
}

/// The drop-downs and number rules of the findings, as in the county
/// intake workbook.
fn add_validations(
    sheet: &mut Worksheet,
    campaign: &Campaign,
    last_row: u32,
) -> Result<(), XlsxError> {
    let mut add = |field: Field, v: DataValidation| {
        let c = spot_column(field);
        sheet
            .add_data_validation(FIRST_DATA_ROW, c, last_row, c, &v)
            .map(|_| ())
    };
    add(Field::Date, date_in_campaign_year(campaign)?)?;
    add(
        Field::Methods,
        DataValidation::new()
            .allow_list_strings(&method_combinations())?
            .set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Information)
            .set_input_title("抽查方式（可多选）")?
            .set_input_message("从下拉列表选择，或手工填写，多种方式用顿号“、”分隔。")?,
    )?;
    add(
        Field::Score,
        percent_rule(Field::Score.label(), "按测评体系打分，填0至100之间的数字。")?,
    )?;
    add(
        Field::Satisfaction,
        percent_rule(
            Field::Satisfaction.label(),
            "开展问卷调查的必填，填百分数（0至100，不带%号）。",
        )?,
    )?;
    add(
        Field::Problems,
        hint(
            Field::Problems.label(),
            "抽查发现的问题；结论不是“复查合格”的必填。",
        )?,
    )?;
    add(
        Field::Outcome,
        DataValidation::new()
            .allow_list_strings(&Outcome::ALL.map(Outcome::label))?
            .set_error_title("抽查结论")?
            .set_error_message("请从下拉列表选择抽查结论。")?,
    )?;
    Ok(())
}

/// The 填报说明 sheet for the inspectors.
fn write_instructions(
    sheet: &mut Worksheet,
    f: &Formats,
    campaign: &Campaign,
) -> Result<(), XlsxError> {
    sheet.set_name(INSTRUCTIONS_SHEET)?;
    sheet.set_column_width(0, 110)?;
    let c = &campaign.campaign;
    let lines = [
        format!("一、本表用于记录{}对各县市区复查单位的随机抽查结果。抽查单位由 fucha sample 按公开的种子抽取，已预先列出，不要增删行，不要修改表头和工作表名称。", c.office_short),
        format!("二、灰色底纹的各列（单位名称、荣誉类别、命名年度、所属县市区、{COUNTY_SCORE_LABEL}、{COUNTY_OUTCOME_LABEL}、机构改革情况）是名单和县市区报送的结果，供对照，已锁定。"),
        format!("三、请填写抽查日期（{}年内，格式如{}-09-15）、抽查方式、测评得分、群众满意度（开展问卷调查的）、存在问题、整改意见和抽查结论；结论不是“复查合格”的，必须写明存在问题和整改意见。", c.year, c.year),
        format!("四、抽查结论与县市区复查结论不一致，或测评得分低于{}分而县市区评为复查合格的，以市文明办抽查结论为准，并在复查通报中点名说明。", campaign.pass_lines.score),
        "五、尚未抽查的单位，该行留空即可。填好后将本表放入配置文件 spot_checks 指定的文件夹（默认“抽查”），运行 fucha check 校验、fucha build 生成公文。".to_string(),
    ];
    sheet.write_string_with_format(0, 0, INSTRUCTIONS_SHEET, &f.header)?;
    for (i, line) in lines.iter().enumerate() {
        sheet.write_string_with_format(1 + i as u32, 0, line, &f.plain)?;
    }
    Ok(())
}
