//! The checks on one data row of the 复查情况 sheet: each cell typed, each
//! rule of the intake table applied, every problem reported at its cell. A
//! row with any error is rejected; a row with only warnings is accepted.

use super::header::{Field, Header};
use super::text::means_none;
use super::value::{parse_number, parse_percent};
use crate::campaign::Campaign;
use crate::diag::{CellPos, Code, Diagnostic, RowRef, Severity};
use crate::ingest::{CellValue, Row};
use crate::review::{Method, ReviewResult};
use crate::roster::Roster;
use std::collections::BTreeMap;

mod fields;
mod unit;

use fields::{
    check_date, check_level, check_methods, check_outcome, check_outcome_consistency, check_rate,
    check_reform, check_year,
};
use unit::{check_duplicate, check_jurisdiction, match_unit};

/// Where an earlier row for the same unit was seen: file, sheet, 0-based row.
pub(super) type Seen = BTreeMap<String, (String, String, u32)>;

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

    fn has_errors(&self) -> bool {
        self.out.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Checks one data row. Returns the result when the row is accepted, and
/// appends every diagnostic (a rejected row always gets at least one error).
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
    let value = |f: Field| {
        header
            .col(f)
            .map(|c| row.get(c))
            .unwrap_or(&CellValue::Empty)
    };
    let text = |f: Field| value(f).display().trim().to_string();

    // Formula errors are reported once, whatever the column expects.
    for &(field, col) in &header.columns {
        if let CellValue::Error(e) = row.get(col) {
            d.error(
                Code::FormulaError,
                field,
                format!("“{}”单元格为公式错误值 {e}", field.label()),
            );
            d.suggest("请改为实际数值或文字，不要保留出错的公式");
        }
    }
    let is_formula_error = |f: Field| matches!(value(f), CellValue::Error(_));

    let unit = match_unit(
        &mut d,
        ctx,
        &text(Field::Name),
        is_formula_error(Field::Name),
    );
    if let Some(u) = unit {
        d.unit = Some(u.name.clone());
        // Earlier diagnostics of this row concern the same unit.
        for x in &mut d.out {
            x.unit = Some(u.name.clone());
        }
        check_jurisdiction(&mut d, ctx, u, &text(Field::Jurisdiction));
        if !ctx.campaign.is_due(u.level) {
            d.warn(
                Code::UnitNotDue,
                Field::Name,
                format!(
                    "本次复查不含{}，“{}”的结果仍已读取",
                    u.level.label(),
                    u.name
                ),
            );
            d.suggest("请核对是否应报送该单位");
        }
        check_duplicate(&mut d, ctx, u, seen);
    }

    let level = check_level(
        &mut d,
        unit,
        &text(Field::Level),
        is_formula_error(Field::Level),
    );
    let year = check_year(
        &mut d,
        unit,
        &text(Field::Year),
        is_formula_error(Field::Year),
    );
    let date = check_date(
        &mut d,
        ctx.campaign,
        unit.map(|u| u.level).or(level),
        value(Field::Date),
    );
    let methods = check_methods(
        &mut d,
        &text(Field::Methods),
        is_formula_error(Field::Methods),
    );
    if let (Some(methods), Some(level)) = (&methods, unit.map(|u| u.level).or(level))
        && level.is_provincial_or_above()
        && !methods.contains(&Method::OnSite)
    {
        d.warn(
            Code::OnsiteRequired,
            Field::Methods,
            format!(
                "{}原则上应实地察看，复查方式中没有“实地察看”",
                level.label()
            ),
        );
        d.suggest("如确已实地察看，请在复查方式中写明");
    }
    let score = check_rate(
        &mut d,
        Field::Score,
        value(Field::Score),
        "测评得分",
        parse_number,
    );
    let surveyed = methods
        .as_ref()
        .is_some_and(|m| m.contains(&Method::Survey));
    let satisfaction = if surveyed || !value(Field::Satisfaction).is_blank() {
        check_rate(
            &mut d,
            Field::Satisfaction,
            value(Field::Satisfaction),
            "群众满意度",
            parse_percent,
        )
    } else {
        None
    };
    if surveyed && header.col(Field::Satisfaction).is_none() {
        d.push(
            Severity::Error,
            Code::MissingColumn,
            None,
            "复查方式含问卷调查，但表中没有“群众满意度(%)”列".into(),
        );
    }
    let negative = none_if_empty(&text(Field::Negative));
    let problems = none_if_empty(&text(Field::Problems));
    let rectification = none_if_empty(&text(Field::Rectification));
    let outcome = check_outcome(
        &mut d,
        &text(Field::Outcome),
        is_formula_error(Field::Outcome),
    );
    if let Some(outcome) = outcome {
        check_outcome_consistency(
            &mut d,
            ctx.campaign,
            outcome,
            (&negative, &problems, &rectification),
            (score, satisfaction),
        );
    }
    let reform = check_reform(
        &mut d,
        unit,
        &text(Field::Reform),
        is_formula_error(Field::Reform),
    );
    let mut reform_note = none_if_empty(&text(Field::ReformNote));
    if reform_note.is_empty()
        && let Some(u) = unit
    {
        reform_note = ctx.reform_notes.get(&u.name).cloned().unwrap_or_default();
    }
    // The roster's flag counts even when the cell is empty or unreadable:
    // the statement is owed either way.
    let from_roster = unit.is_some_and(|u| u.reform);
    if (reform == Some(true) || from_roster) && reform_note.is_empty() {
        d.error(
            Code::MissingReformNote,
            if header.col(Field::ReformNote).is_some() {
                Field::ReformNote
            } else {
                Field::Reform
            },
            if from_roster {
                "名单标明该单位涉及机构改革，但没有机构改革情况说明".into()
            } else {
                "该单位涉及机构改革，但没有机构改革情况说明".into()
            },
        );
        d.suggest("请在“机构改革情况说明”列或“机构改革情况说明”工作表中写明合并、更名、划转等情况");
    }

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
        review_date: date?,
        methods: methods?,
        score: score?,
        satisfaction,
        negative_list: negative,
        problems,
        rectification,
        outcome: outcome?,
        reform: reform?,
        reform_note,
        remarks: text(Field::Remarks),
        origin: RowRef {
            file: ctx.file.to_string(),
            sheet: ctx.sheet.to_string(),
            row: row.index,
        },
    })
}

fn none_if_empty(s: &str) -> String {
    if means_none(s) {
        String::new()
    } else {
        s.to_string()
    }
}
