//! The checks on one data row of the 复查情况 sheet: each cell typed, each
//! rule of the intake table applied, every problem reported at its cell. A
//! row with any error is rejected; a row with only warnings is accepted.
//!
//! # Adding a rule
//!
//! A rule is a function named after what it finds wrong, in the words of
//! the intake table (`score_below_pass_line`, `date_outside_phase`). It takes
//! the row's diagnostics ([`RowDiags`]) and the values it needs, already
//! typed, decides for itself whether it applies, and reports through
//! `d.error` / `d.warn` at the field the clerk should fix, followed by
//! `d.suggest`. Put it beside its neighbours: the unit's name, body and
//! repeats in [`unit`](mod@unit), one cell's value in [`fields`], rules across
//! several cells in [`rules`]; its unit tests go in that module's `tests`,
//! built with the helpers of `fixture`. Then call it from the step of
//! [`check_row`] that reads its cells (`check_unit`, `check_honour`,
//! `check_review`, `check_conclusion`, `check_reform_statement`), after
//! the `check_*` calls that type its values: the call order is the order
//! of the row's diagnostics. A new code goes in [`crate::diag::Code`] and in
//! the table of `docs/intake-format.md`.

use super::header::Header;
use super::text::means_none;
use super::value::parse_number;
use crate::campaign::Campaign;
use crate::diag::{CellPos, Code, Diagnostic, RowRef, Severity};
use crate::ingest::{CellValue, Row};
use crate::intake::contract::Field;
use crate::review::{HonourLevel, Method, Outcome, ReviewResult};
use crate::roster::{Roster, Unit};
use chrono::NaiveDate;
use std::collections::BTreeMap;

mod fields;
mod rules;
mod unit;

use fields::{
    check_date, check_level, check_methods, check_outcome, check_rate, check_reform,
    check_satisfaction, check_year, formula_error_cells, level_differs_from_roster,
    year_differs_from_roster,
};
use rules::{
    date_outside_phase, onsite_visit_missing, pass_despite_negative_list, reform_note_missing,
    sanction_without_problems, satisfaction_below_pass_line, score_below_pass_line,
    survey_without_satisfaction_column,
};
use unit::{check_duplicate, check_jurisdiction, match_unit, unit_not_due};

use super::ReadRow;

/// The units reported so far in the batch, each with the files naming it.
pub(crate) type Seen = BTreeMap<String, Vec<SeenAt>>;

/// Where a unit was reported: the first row naming it in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SeenAt {
    pub file: String,
    pub sheet: String,
    pub row: u32,
    /// The body that sent the file, when known: files of one body are
    /// versions of each other, not duplicates.
    pub body: Option<String>,
}

/// What the row checks need to know about the file and the batch.
pub(super) struct RowContext<'a> {
    pub file: &'a str,
    pub sheet: &'a str,
    pub roster: &'a Roster,
    pub campaign: &'a Campaign,
    /// The body that sent the file, when known.
    pub body: Option<&'a str>,
    /// Statements from the 机构改革情况说明 sheet, by roster name.
    pub reform_notes: &'a BTreeMap<String, String>,
}

/// Collects one row's diagnostics, knowing its position.
struct RowDiags<'a, 'b> {
    ctx: &'b RowContext<'a>,
    header: &'b Header,
    row: u32,
    unit: Option<String>,
    out: Vec<Diagnostic>,
}

impl RowDiags<'_, '_> {
    fn cell(&self, field: Field) -> CellPos {
        CellPos::new(self.row, self.header.col(field).unwrap_or(0))
    }

    fn push(&mut self, severity: Severity, code: Code, at: Option<Field>, msg: String) {
        // A value missing because its whole column is missing: say so.
        let msg = match at {
            Some(f) if code == Code::MissingValue && self.header.col(f).is_none() => {
                format!("表中没有“{}”列，本行缺少该项", f.label())
            }
            _ => msg,
        };
        let mut d = Diagnostic::new(severity, code, msg)
            .in_file(self.ctx.file)
            .in_sheet(self.ctx.sheet);
        d = match at.filter(|f| self.header.col(*f).is_some()) {
            Some(f) => d.at(self.cell(f)),
            None => d.at_row(self.row),
        };
        if let Some(u) = &self.unit {
            d = d.for_unit(u.clone());
        }
        self.out.push(d);
    }

    fn error(&mut self, code: Code, at: Field, msg: String) {
        self.push(Severity::Error, code, Some(at), msg);
    }

    fn warn(&mut self, code: Code, at: Field, msg: String) {
        self.push(Severity::Warning, code, Some(at), msg);
    }

    fn suggest(&mut self, s: impl Into<String>) {
        if let Some(d) = self.out.last_mut() {
            d.suggestion = Some(s.into());
        }
    }

    /// The row names this roster unit: its diagnostics, the earlier ones
    /// too, concern it.
    fn name_unit(&mut self, name: &str) {
        self.unit = Some(name.to_string());
        for x in &mut self.out {
            x.unit = Some(name.to_string());
        }
    }

    fn has_errors(&self) -> bool {
        self.out.iter().any(|d| d.severity == Severity::Error)
    }
}

/// The cells of one row, read by field; a field without a column is empty.
struct Cells<'a> {
    header: &'a Header,
    row: &'a Row,
}

impl<'a> Cells<'a> {
    fn value(&self, field: Field) -> &'a CellValue {
        self.header
            .col(field)
            .map(|c| self.row.get(c))
            .unwrap_or(&CellValue::Empty)
    }

    fn text(&self, field: Field) -> String {
        self.value(field).display().trim().to_string()
    }

    /// A formula error is reported once by [`formula_error_cells`]; the
    /// field's own check then stays silent.
    fn formula_error(&self, field: Field) -> bool {
        matches!(self.value(field), CellValue::Error(_))
    }
}

/// A data row as read, for the register: the roster unit it names (when
/// it names one) and the text of each column the header has, by label.
pub(crate) fn read_row(
    header: &Header,
    row: &Row,
    roster: &crate::roster::Roster,
    sheet: &str,
    accepted: bool,
) -> ReadRow {
    let cells = Cells { header, row };
    let cells: Vec<(String, String)> = Field::ALL
        .iter()
        .filter(|f| header.col(**f).is_some())
        .map(|f| (f.label().to_string(), cells.text(*f)))
        .collect();
    let name = cells
        .iter()
        .find(|(label, _)| label == Field::Name.label())
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    ReadRow {
        sheet: sheet.to_string(),
        row: row.index,
        unit: roster.lookup(name).map(|u| u.name.clone()),
        accepted,
        cells,
    }
}

/// Checks one data row. Returns the result when the row is accepted, and
/// appends every diagnostic (a rejected row always gets at least one error).
/// It only reads the cells and calls the rules, in the groups of the intake
/// table; the order of the calls is the order of the row's diagnostics.
pub(super) fn check_row(
    ctx: &RowContext<'_>,
    header: &Header,
    row: &Row,
    seen: &mut Seen,
    diags: &mut Vec<Diagnostic>,
) -> Option<ReviewResult> {
    let mut d = RowDiags {
        ctx,
        header,
        row: row.index,
        unit: None,
        out: Vec::new(),
    };
    let cells = Cells { header, row };
    formula_error_cells(&mut d, row);
    let unit = check_unit(&mut d, &cells, seen);
    let (level, year) = check_honour(&mut d, &cells, unit);
    let review = check_review(&mut d, &cells, known_level(unit, level));
    let conclusion = check_conclusion(&mut d, &cells, &review);
    let reform = check_reform_statement(&mut d, &cells, unit);

    let rejected = d.has_errors();
    diags.append(&mut d.out);
    if rejected {
        return None;
    }
    let unit = unit?;
    Some(ReviewResult {
        unit: unit.name.clone(),
        jurisdiction: unit.jurisdiction.clone(),
        level: unit.level,
        award_year: year.unwrap_or(unit.award_year),
        review_date: review.date?,
        methods: review.methods?,
        score: review.score?,
        satisfaction: review.satisfaction,
        negative_list: conclusion.negative,
        problems: conclusion.problems,
        rectification: conclusion.rectification,
        outcome: conclusion.outcome?,
        reform: reform.flag?,
        reform_note: reform.note,
        remarks: cells.text(Field::Remarks),
        origin: RowRef {
            file: ctx.file.to_string(),
            sheet: ctx.sheet.to_string(),
            row: row.index,
        },
    })
}

/// 单位名称: the roster unit, which must belong to the sender, be due and
/// not be reported twice.
fn check_unit<'a>(
    d: &mut RowDiags<'a, '_>,
    cells: &Cells<'_>,
    seen: &mut Seen,
) -> Option<&'a Unit> {
    let ctx = d.ctx;
    let name = cells.text(Field::Name);
    let unit = match_unit(d, ctx, &name, cells.formula_error(Field::Name))?;
    d.name_unit(&unit.name);
    check_jurisdiction(d, ctx, unit, &cells.text(Field::Jurisdiction));
    unit_not_due(d, ctx.campaign, unit);
    check_duplicate(d, ctx, unit, seen);
    Some(unit)
}

/// 荣誉类别 and 命名年度, as written, each compared with the roster.
fn check_honour(
    d: &mut RowDiags<'_, '_>,
    cells: &Cells<'_>,
    unit: Option<&Unit>,
) -> (Option<HonourLevel>, Option<i32>) {
    let level = check_level(
        d,
        &cells.text(Field::Level),
        cells.formula_error(Field::Level),
    );
    level_differs_from_roster(d, unit, level);
    let year = check_year(
        d,
        &cells.text(Field::Year),
        cells.formula_error(Field::Year),
    );
    year_differs_from_roster(d, unit, year);
    (level, year)
}

/// The review itself: when, how, and how it scored.
struct Review {
    date: Option<NaiveDate>,
    methods: Option<Vec<Method>>,
    score: Option<f64>,
    satisfaction: Option<f64>,
}

/// 复查日期, 复查方式, 测评得分 and 群众满意度, with the rules on them.
fn check_review(d: &mut RowDiags<'_, '_>, cells: &Cells<'_>, level: Option<HonourLevel>) -> Review {
    let campaign = d.ctx.campaign;
    let date = check_date(d, campaign, cells.value(Field::Date));
    date_outside_phase(d, campaign, level, date);
    let methods = check_methods(
        d,
        &cells.text(Field::Methods),
        cells.formula_error(Field::Methods),
    );
    onsite_visit_missing(d, level, methods.as_deref());
    let score = check_rate(
        d,
        Field::Score,
        cells.value(Field::Score),
        "测评得分",
        parse_number,
    );
    let surveyed = fields::surveyed(methods.as_deref());
    let satisfaction = check_satisfaction(d, cells.value(Field::Satisfaction), surveyed);
    survey_without_satisfaction_column(d, surveyed);
    Review {
        date,
        methods,
        score,
        satisfaction,
    }
}

/// What the review concluded, empty texts for 无 and the like.
struct Conclusion {
    negative: String,
    problems: String,
    rectification: String,
    outcome: Option<Outcome>,
}

/// 负面清单情形, 存在问题, 整改意见 and 复查结论, with the rules that hold the
/// outcome to the other cells.
fn check_conclusion(d: &mut RowDiags<'_, '_>, cells: &Cells<'_>, review: &Review) -> Conclusion {
    let campaign = d.ctx.campaign;
    let negative = none_if_empty(&cells.text(Field::Negative));
    let problems = none_if_empty(&cells.text(Field::Problems));
    let rectification = none_if_empty(&cells.text(Field::Rectification));
    let outcome = check_outcome(
        d,
        &cells.text(Field::Outcome),
        cells.formula_error(Field::Outcome),
    );
    sanction_without_problems(d, outcome, &problems, &rectification);
    pass_despite_negative_list(d, outcome, &negative);
    score_below_pass_line(d, campaign, outcome, review.score);
    satisfaction_below_pass_line(d, campaign, outcome, review.satisfaction);
    Conclusion {
        negative,
        problems,
        rectification,
        outcome,
    }
}

/// Whether the unit went through a reform, and its statement.
struct Reform {
    flag: Option<bool>,
    note: String,
}

/// 是否涉及机构改革 and the statement (its cell, else the 机构改革情况说明
/// sheet), which a reform requires.
fn check_reform_statement(
    d: &mut RowDiags<'_, '_>,
    cells: &Cells<'_>,
    unit: Option<&Unit>,
) -> Reform {
    let flag = check_reform(
        d,
        unit,
        &cells.text(Field::Reform),
        cells.formula_error(Field::Reform),
    );
    let in_row = none_if_empty(&cells.text(Field::ReformNote));
    let note = match unit {
        Some(u) if in_row.is_empty() => {
            d.ctx.reform_notes.get(&u.name).cloned().unwrap_or_default()
        }
        _ => in_row,
    };
    reform_note_missing(d, unit, flag, &note);
    Reform { flag, note }
}

/// The honour level the phase and on-site rules go by: the roster's when
/// the unit is known, else the one written.
fn known_level(unit: Option<&Unit>, written: Option<HonourLevel>) -> Option<HonourLevel> {
    unit.map(|u| u.level).or(written)
}

fn none_if_empty(s: &str) -> String {
    if means_none(s) {
        String::new()
    } else {
        s.to_string()
    }
}

/// Small in-memory rows, roster and campaign for the rules' unit tests.
#[cfg(test)]
mod fixture {
    use super::*;
    use crate::ingest::Cell;

    /// 0-based index of the data row the tests check (Excel row 6).
    pub(super) const ROW: u32 = 5;

    /// 第一阶段 (July) reviews national and provincial model units, 第二阶段
    /// (August) provincial ones; city units are not due. Pass lines 80 and 85.
    pub(super) fn campaign() -> Campaign {
        Campaign::parse(
            r#"
roster = "复查单位名单.xlsx"
[campaign]
year = 2020
city = "岳阳市"
committee = "岳阳市精神文明建设指导委员会"
committee_short = "岳阳市文明委"
office = "岳阳市精神文明建设指导委员会办公室"
office_short = "岳阳市文明办"
province_office = "湖南省文明办"
metadata_date = 2020-10-09
[[phases]]
name = "第一阶段"
start = 2020-07-01
end = 2020-07-31
levels = ["全国文明单位", "省级文明标兵单位"]
[[phases]]
name = "第二阶段"
start = 2020-08-01
end = 2020-08-31
levels = ["省级文明单位"]
[deadlines]
unit_report = 2020-08-20
submission = 2020-10-10
rectification_days = 30
[pass_lines]
score = 80
satisfaction = 85
"#,
        )
        .unwrap()
    }

    pub(super) fn unit(name: &str, level: HonourLevel, body: &str, reform: bool) -> Unit {
        Unit {
            name: name.into(),
            aliases: Vec::new(),
            level,
            award_year: 2014,
            jurisdiction: body.into(),
            reform,
            remarks: String::new(),
        }
    }

    /// Two units of 岳阳县 (a provincial one due in August, a city one not
    /// due) and a national unit of 市直 in a reform.
    pub(super) fn roster() -> Roster {
        Roster::from_units(vec![
            unit("岳阳县人民法院", HonourLevel::Provincial, "岳阳县", false),
            unit("岳阳县财政局", HonourLevel::City, "岳阳县", false),
            unit("岳阳市中医医院", HonourLevel::National, "市直", true),
        ])
    }

    /// Every column of the template, in its order, in row 2.
    pub(super) fn header() -> Header {
        header_without(&[])
    }

    /// The template's header with some columns left out (the others keep
    /// their places).
    pub(super) fn header_without(missing: &[Field]) -> Header {
        Header {
            row: 1,
            last_row: 1,
            columns: Field::ALL
                .iter()
                .enumerate()
                .filter(|(_, f)| !missing.contains(f))
                .map(|(c, f)| (*f, c as u32))
                .collect(),
            duplicates: Vec::new(),
        }
    }

    /// The cell of a field in [`header`]'s row [`ROW`].
    pub(super) fn at(field: Field) -> Option<CellPos> {
        let col = Field::ALL.iter().position(|f| *f == field)?;
        Some(CellPos::new(ROW, col as u32))
    }

    pub(super) fn text(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    /// Row [`ROW`] with these cells at [`header`]'s columns.
    pub(super) fn row(cells: &[(Field, CellValue)]) -> Row {
        let mut cells: Vec<Cell> = cells
            .iter()
            .map(|(f, value)| Cell {
                col: at(*f).unwrap().col,
                value: value.clone(),
            })
            .collect();
        cells.sort_by_key(|c| c.col);
        Row { index: ROW, cells }
    }

    /// A row every rule accepts: 岳阳县人民法院, reviewed on site in its
    /// phase, passed with a good score.
    pub(super) fn good_row() -> Vec<(Field, CellValue)> {
        vec![
            (Field::Seq, CellValue::Number(1.0)),
            (Field::Name, text("岳阳县人民法院")),
            (Field::Level, text("省级文明单位")),
            (Field::Year, CellValue::Number(2014.0)),
            (Field::Jurisdiction, text("岳阳县")),
            (Field::Date, text("2020-08-12")),
            (Field::Methods, text("实地察看、听取汇报")),
            (Field::Score, CellValue::Number(92.5)),
            (Field::Outcome, text("复查合格")),
            (Field::Reform, text("否")),
        ]
    }

    /// `cells` with `field` set to `value` (or removed when it is empty).
    pub(super) fn with(
        mut cells: Vec<(Field, CellValue)>,
        field: Field,
        value: CellValue,
    ) -> Vec<(Field, CellValue)> {
        cells.retain(|(f, _)| *f != field);
        if value != CellValue::Empty {
            cells.push((field, value));
        }
        cells
    }

    /// Runs `f` with the diagnostics of row [`ROW`] of 岳阳县.xlsx, sent by
    /// 岳阳县, and returns what it reported.
    pub(super) fn run(
        header: &Header,
        notes: &BTreeMap<String, String>,
        f: impl FnOnce(&RowContext<'_>, &mut RowDiags<'_, '_>),
    ) -> Vec<Diagnostic> {
        let roster = roster();
        let campaign = campaign();
        let ctx = RowContext {
            file: "岳阳县.xlsx",
            sheet: "复查情况",
            roster: &roster,
            campaign: &campaign,
            body: Some("岳阳县"),
            reform_notes: notes,
        };
        let mut d = RowDiags {
            ctx: &ctx,
            header,
            row: ROW,
            unit: None,
            out: Vec::new(),
        };
        f(&ctx, &mut d);
        d.out
    }

    /// Runs one rule with the full header and no reform statements.
    pub(super) fn rule(f: impl FnOnce(&mut RowDiags<'_, '_>)) -> Vec<Diagnostic> {
        run(&header(), &BTreeMap::new(), |_, d| f(d))
    }

    /// Checks one row with `header` and `notes`, as `check_file` does.
    pub(super) fn check(
        header: &Header,
        notes: &BTreeMap<String, String>,
        cells: &[(Field, CellValue)],
    ) -> (Option<ReviewResult>, Vec<Diagnostic>) {
        let mut result = None;
        let diags = run(header, notes, |ctx, d| {
            let mut out = Vec::new();
            result = check_row(ctx, header, &row(cells), &mut Seen::new(), &mut out);
            d.out = out;
        });
        (result, diags)
    }

    /// The codes of the diagnostics, in order.
    pub(super) fn codes(diags: &[Diagnostic]) -> Vec<Code> {
        diags.iter().map(|d| d.code).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::*;
    use super::*;

    #[test]
    fn a_complete_row_is_accepted_with_the_rosters_facts() {
        let (result, diags) = check(&header(), &BTreeMap::new(), &good_row());
        assert!(diags.is_empty(), "{diags:?}");
        let r = result.unwrap();
        assert_eq!(r.unit, "岳阳县人民法院");
        assert_eq!(r.jurisdiction, "岳阳县");
        assert_eq!(r.score, 92.5);
        assert_eq!(r.satisfaction, None);
        assert_eq!(r.origin.row, ROW);
    }

    #[test]
    fn a_rows_problems_come_in_the_order_of_the_rules() {
        let cells = with(good_row(), Field::Level, text("全国文明单位"));
        let cells = with(cells, Field::Date, text("2020-07-15"));
        let cells = with(cells, Field::Methods, text("听取汇报、问卷调查"));
        let cells = with(cells, Field::Score, CellValue::Number(70.0));
        let cells = with(cells, Field::Satisfaction, CellValue::Number(60.0));
        let cells = with(cells, Field::Negative, text("发生安全事故"));
        let (result, diags) = check(&header(), &BTreeMap::new(), &cells);
        assert!(result.is_none());
        assert_eq!(
            codes(&diags),
            [
                Code::InvalidValue,
                Code::DateOutOfWindow,
                Code::OnsiteRequired,
                Code::InconsistentOutcome,
                Code::InconsistentOutcome,
                Code::InconsistentOutcome,
            ]
        );
        let cells: Vec<_> = diags.iter().map(|d| d.cell).collect();
        assert_eq!(
            cells,
            [
                at(Field::Level),
                at(Field::Date),
                at(Field::Methods),
                at(Field::Negative),
                at(Field::Score),
                at(Field::Satisfaction),
            ]
        );
        assert!(
            diags
                .iter()
                .all(|d| d.unit.as_deref() == Some("岳阳县人民法院"))
        );
    }

    #[test]
    fn a_formula_error_is_reported_once_and_names_the_unit_found_after_it() {
        let cells = with(good_row(), Field::Score, CellValue::Error("#DIV/0!".into()));
        let (result, diags) = check(&header(), &BTreeMap::new(), &cells);
        assert!(result.is_none());
        assert_eq!(codes(&diags), [Code::FormulaError]);
        assert_eq!(diags[0].message, "“测评得分”单元格为公式错误值 #DIV/0!");
        assert_eq!(diags[0].unit.as_deref(), Some("岳阳县人民法院"));
    }

    #[test]
    fn a_statement_in_the_reform_sheet_serves_a_row_without_one() {
        let cells = with(good_row(), Field::Reform, text("是"));
        let (result, diags) = check(&header(), &BTreeMap::new(), &cells);
        assert!(result.is_none());
        assert_eq!(codes(&diags), [Code::MissingReformNote]);
        let notes = BTreeMap::from([("岳阳县人民法院".to_string(), "2019年更名".to_string())]);
        let (result, diags) = check(&header(), &notes, &cells);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(result.unwrap().reform_note, "2019年更名");
    }

    #[test]
    fn a_missing_column_is_named_in_each_rows_message() {
        let header = header_without(&[Field::Outcome]);
        let (_, diags) = check(&header, &BTreeMap::new(), &good_row());
        assert_eq!(codes(&diags), [Code::MissingValue]);
        assert_eq!(diags[0].message, "表中没有“复查结论”列，本行缺少该项");
        assert_eq!((diags[0].cell, diags[0].row), (None, Some(ROW)));
    }
}
