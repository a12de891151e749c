//! The checks on one data row of the 复查情况 sheet: each cell typed, each
//! rule of the intake table applied, every problem reported at its cell. A
//! row with any error is rejected; a row with only warnings is accepted.

use super::header::{Field, Header};
use super::text::{clip, fold_width, means_none, parse_yes_no};
use super::value::{parse_date, parse_methods, parse_number, parse_percent};
use crate::campaign::Campaign;
use crate::diag::{CellPos, Code, Diagnostic, RowRef, Severity};
use crate::ingest::{CellValue, Row};
use crate::review::{HonourLevel, Method, Outcome, ReviewResult};
use crate::roster::{Roster, Unit};
use chrono::NaiveDate;
use std::collections::BTreeMap;

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
    if let (Some(methods), Some(level)) = (&methods, unit.map(|u| u.level).or(level)) {
        if level.is_provincial_or_above() && !methods.contains(&Method::OnSite) {
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
    if reform_note.is_empty() {
        if let Some(u) = unit {
            reform_note = ctx.reform_notes.get(&u.name).cloned().unwrap_or_default();
        }
    }
    if reform == Some(true) && reform_note.is_empty() {
        let from_roster = unit.is_some_and(|u| u.reform);
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

const LEVELS: &str = "全国文明单位、省级文明标兵单位、省级文明单位、市级文明标兵单位、市级文明单位";
const OUTCOMES: &str = "复查合格、约谈警告、限期整改、通报批评、黄牌警告、撤销荣誉称号";
const METHODS: &str = "实地察看、听取汇报、材料审核、问卷调查";

/// Longer than any unit name; not worth a fuzzy search.
const MAX_NAME_CHARS: usize = 100;

fn match_unit<'r>(
    d: &mut RowDiags<'_, '_>,
    ctx: &RowContext<'r>,
    name: &str,
    formula_error: bool,
) -> Option<&'r Unit> {
    if formula_error {
        return None;
    }
    if name.is_empty() {
        d.error(Code::MissingValue, Field::Name, "单位名称为空".into());
        d.suggest("请填写名单中的单位全称");
        return None;
    }
    if let Some(u) = ctx.roster.lookup(name) {
        return Some(u);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        d.error(
            Code::InvalidValue,
            Field::Name,
            format!(
                "单位名称过长（{}字），不是名单中的单位",
                name.chars().count()
            ),
        );
        return None;
    }
    d.error(
        Code::UnknownUnit,
        Field::Name,
        format!("单位“{}”不在复查单位名单中", clip(name, 40)),
    );
    let close = ctx.roster.closest(name, 3);
    if close.is_empty() {
        d.suggest("请核对单位名称，应与复查单位名单一致");
    } else {
        d.suggest(format!("是否为：{}", close.join("、")));
    }
    None
}

fn check_jurisdiction(d: &mut RowDiags<'_, '_>, ctx: &RowContext<'_>, u: &Unit, written: &str) {
    let written_body = (!written.is_empty())
        .then(|| super::batch::match_body(ctx.roster, written))
        .flatten();
    if !written.is_empty() && written_body.as_deref() != Some(u.jurisdiction.as_str()) {
        d.error(
            Code::WrongJurisdiction,
            Field::Jurisdiction,
            format!(
                "所属县市区填为“{}”，但名单中“{}”属于{}",
                clip(written, 20),
                u.name,
                u.jurisdiction
            ),
        );
        d.suggest(format!(
            "请改为“{}”，或由{}报送",
            u.jurisdiction, u.jurisdiction
        ));
    } else if let Some(body) = ctx.body.filter(|b| *b != u.jurisdiction) {
        d.error(
            Code::WrongJurisdiction,
            Field::Name,
            format!("“{}”属于{}，不应由{}报送", u.name, u.jurisdiction, body),
        );
        d.suggest(format!("请删除此行，由{}报送", u.jurisdiction));
    }
}

fn check_duplicate(d: &mut RowDiags<'_, '_>, ctx: &RowContext<'_>, u: &Unit, seen: &mut Seen) {
    match seen.get(&u.name) {
        Some((file, sheet, row)) => {
            let where_ = if file == ctx.file {
                format!("第{}行", row + 1)
            } else {
                format!("{file}（{sheet}第{}行）", row + 1)
            };
            d.error(
                Code::DuplicateUnit,
                Field::Name,
                format!("“{}”重复填报，已在{where_}出现", u.name),
            );
            d.suggest("每个单位只填一行，请删除重复的行");
        }
        None => {
            seen.insert(
                u.name.clone(),
                (ctx.file.to_string(), ctx.sheet.to_string(), d.row),
            );
        }
    }
}

fn check_level(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    text: &str,
    formula_error: bool,
) -> Option<HonourLevel> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Level, "荣誉类别为空".into());
        d.suggest(format!("应为：{LEVELS}"));
        return None;
    }
    let Some(level) = HonourLevel::parse(&fold_width(text)) else {
        d.error(
            Code::InvalidValue,
            Field::Level,
            format!("荣誉类别“{}”无法识别", clip(text, 30)),
        );
        d.suggest(format!("应为：{LEVELS}"));
        return None;
    };
    if let Some(u) = unit.filter(|u| u.level != level) {
        d.error(
            Code::InvalidValue,
            Field::Level,
            format!(
                "荣誉类别“{}”与名单不符，名单中为“{}”",
                level.label(),
                u.level.label()
            ),
        );
        d.suggest(format!("请改为“{}”", u.level.label()));
    }
    Some(level)
}

fn check_year(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    text: &str,
    formula_error: bool,
) -> Option<i32> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Year, "命名年度为空".into());
        d.suggest("请填写获得荣誉的年份，如 2014");
        return None;
    }
    let Some(year) = crate::roster::parse_year(text) else {
        d.error(
            Code::InvalidValue,
            Field::Year,
            format!("命名年度“{}”不是年份", clip(text, 30)),
        );
        d.suggest("应填写四位年份，如 2014");
        return None;
    };
    if let Some(u) = unit.filter(|u| u.award_year != year) {
        d.error(
            Code::InvalidValue,
            Field::Year,
            format!("命名年度{year}与名单不符，名单中为{}", u.award_year),
        );
        d.suggest(format!("请改为{}", u.award_year));
    }
    Some(year)
}

fn check_date(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    level: Option<HonourLevel>,
    value: &CellValue,
) -> Option<NaiveDate> {
    if matches!(value, CellValue::Error(_)) {
        return None;
    }
    if value.is_blank() {
        d.error(Code::MissingValue, Field::Date, "复查日期为空".into());
        d.suggest("请填写实际复查的日期，如 2020-07-15");
        return None;
    }
    let Some(date) = parse_date(value, campaign.campaign.year) else {
        d.error(
            Code::InvalidDate,
            Field::Date,
            format!("无法识别的日期“{}”", clip(&value.display(), 30)),
        );
        d.suggest("请填写如 2020-07-15、2020年7月15日 的日期");
        return None;
    };
    match level.and_then(|l| campaign.phase_window(l).map(|w| (l, w))) {
        Some((level, (start, end))) if date < start || date > end => {
            d.warn(
                Code::DateOutOfWindow,
                Field::Date,
                format!(
                    "复查日期{date}不在{}的复查时间（{start}至{end}）内",
                    level.label()
                ),
            );
            d.suggest("请核对复查日期");
        }
        None if date.year_ce().1 as i32 != campaign.campaign.year => {
            d.warn(
                Code::DateOutOfWindow,
                Field::Date,
                format!("复查日期{date}不在{}年内", campaign.campaign.year),
            );
            d.suggest("请核对复查日期");
        }
        _ => {}
    }
    Some(date)
}

use chrono::Datelike;

fn check_methods(d: &mut RowDiags<'_, '_>, text: &str, formula_error: bool) -> Option<Vec<Method>> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Methods, "复查方式为空".into());
        d.suggest(format!("应为以下一种或几种，用顿号分隔：{METHODS}"));
        return None;
    }
    match parse_methods(text) {
        Ok(m) if !m.is_empty() => Some(m),
        Ok(_) => {
            d.error(Code::MissingValue, Field::Methods, "复查方式为空".into());
            None
        }
        Err(unknown) => {
            let shown: Vec<String> = unknown.iter().take(3).map(|w| clip(w, 20)).collect();
            d.error(
                Code::InvalidValue,
                Field::Methods,
                format!("复查方式“{}”无法识别", shown.join("、")),
            );
            d.suggest(format!("应为以下一种或几种，用顿号分隔：{METHODS}"));
            None
        }
    }
}

fn check_rate(
    d: &mut RowDiags<'_, '_>,
    field: Field,
    value: &CellValue,
    label: &str,
    parse: fn(&CellValue) -> Option<f64>,
) -> Option<f64> {
    if matches!(value, CellValue::Error(_)) {
        return None;
    }
    if value.is_blank() {
        let why = if field == Field::Satisfaction {
            "（复查方式含问卷调查）"
        } else {
            ""
        };
        d.error(Code::MissingValue, field, format!("{label}为空{why}"));
        d.suggest("请填写 0 到 100 之间的数");
        return None;
    }
    let Some(n) = parse(value) else {
        d.error(
            Code::InvalidValue,
            field,
            format!("{label}“{}”不是数字", clip(&value.display(), 30)),
        );
        d.suggest("请填写 0 到 100 之间的数");
        return None;
    };
    if !(0.0..=100.0).contains(&n) {
        d.error(
            Code::ScoreOutOfRange,
            field,
            format!("{label}{n}超出 0 到 100 的范围"),
        );
        d.suggest("请核对分值，应在 0 到 100 之间");
        return None;
    }
    Some(n)
}

fn check_outcome(d: &mut RowDiags<'_, '_>, text: &str, formula_error: bool) -> Option<Outcome> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(Code::MissingValue, Field::Outcome, "复查结论为空".into());
        d.suggest(format!("应为：{OUTCOMES}"));
        return None;
    }
    let outcome = Outcome::parse(&fold_width(text));
    if outcome.is_none() {
        d.error(
            Code::InvalidValue,
            Field::Outcome,
            format!("复查结论“{}”无法识别", clip(text, 30)),
        );
        d.suggest(format!("应为：{OUTCOMES}"));
    }
    outcome
}

fn check_outcome_consistency(
    d: &mut RowDiags<'_, '_>,
    campaign: &Campaign,
    outcome: Outcome,
    (negative, problems, rectification): (&String, &String, &String),
    (score, satisfaction): (Option<f64>, Option<f64>),
) {
    if outcome != Outcome::Pass {
        let empty: Vec<&str> = [(problems, "存在问题"), (rectification, "整改意见")]
            .into_iter()
            .filter(|(t, _)| t.is_empty())
            .map(|(_, l)| l)
            .collect();
        if !empty.is_empty() {
            let at = if problems.is_empty() {
                Field::Problems
            } else {
                Field::Rectification
            };
            d.error(
                Code::OutcomeNeedsProblems,
                at,
                format!(
                    "复查结论为“{}”，但未填写{}",
                    outcome.label(),
                    empty.join("和")
                ),
            );
            d.suggest("结论不是复查合格时，须写明存在的问题和整改意见");
        }
        return;
    }
    if !negative.is_empty() {
        d.warn(
            Code::InconsistentOutcome,
            Field::Negative,
            format!("存在负面清单情形“{}”，结论却为复查合格", clip(negative, 30)),
        );
        d.suggest("请核对复查结论或负面清单情形");
    }
    if let Some(s) = score.filter(|s| *s < campaign.pass_lines.score) {
        d.warn(
            Code::InconsistentOutcome,
            Field::Score,
            format!(
                "测评得分{s}低于合格线{}，结论却为复查合格",
                campaign.pass_lines.score
            ),
        );
        d.suggest("请核对测评得分或复查结论");
    }
    if let Some(s) = satisfaction.filter(|s| *s < campaign.pass_lines.satisfaction) {
        d.warn(
            Code::InconsistentOutcome,
            Field::Satisfaction,
            format!(
                "群众满意度{s}%低于合格线{}%，结论却为复查合格",
                campaign.pass_lines.satisfaction
            ),
        );
        d.suggest("请核对群众满意度或复查结论");
    }
}

fn check_reform(
    d: &mut RowDiags<'_, '_>,
    unit: Option<&Unit>,
    text: &str,
    formula_error: bool,
) -> Option<bool> {
    if formula_error {
        return None;
    }
    if text.is_empty() {
        d.error(
            Code::MissingValue,
            Field::Reform,
            "是否涉及机构改革为空".into(),
        );
        d.suggest("请填写“是”或“否”");
        return None;
    }
    match parse_yes_no(text) {
        Some(v) => Some(v || unit.is_some_and(|u| u.reform)),
        None => {
            d.error(
                Code::InvalidValue,
                Field::Reform,
                format!("是否涉及机构改革应填“是”或“否”，实际为“{}”", clip(text, 20)),
            );
            d.suggest("请填写“是”或“否”");
            None
        }
    }
}
