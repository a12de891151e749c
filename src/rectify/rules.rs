//! The rules on one follow-up row, each a named function returning what it
//! found, and the overdue rule on a unit that reported nothing. A row with
//! any error is rejected (its unit counts as not reported); a row with
//! nothing typed in is accepted as "not reported yet".

use super::columns::{ACCEPTED, FollowupColumn, REJECTED};
use super::read::FileRows;
use super::{FollowupContext, FollowupEntry, followup_body};
use crate::check::{FileSummary, ReadRow};
use crate::diag::{CellPos, Code, Diagnostic, Severity};
use crate::ingest::{CellValue, Row};
use crate::register::RectificationNotice;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Where a unit's row sits: file, sheet, row, and the measures column.
pub(super) type Listed = (String, String, u32, u32);

/// What checking one workbook's rows gave.
pub(super) struct CheckedRows {
    pub summary: FileSummary,
    pub rows: Vec<ReadRow>,
    /// The reported follow-up of each unit whose row was accepted.
    pub entries: Vec<(String, FollowupEntry)>,
    /// Each unit's row, reported or not.
    pub listed: Vec<(String, Listed)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks every row of a workbook against the notices under follow-up.
pub(super) fn check_rows(
    file: &FileRows,
    followed: &BTreeMap<&str, &RectificationNotice>,
    ctx: &FollowupContext<'_>,
) -> CheckedRows {
    let mut out = CheckedRows {
        summary: FileSummary {
            path: file.path.clone(),
            jurisdiction: None,
            rows: file.rows.len(),
            accepted: 0,
            rejected: 0,
        },
        rows: Vec::new(),
        entries: Vec::new(),
        listed: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for row in &file.rows {
        let mut found = Vec::new();
        let notice = unit_under_followup(file, row, followed, ctx, &mut seen, &mut found);
        let entry = notice.and_then(|n| {
            out.listed.push((n.unit.clone(), listed_at(file, row)));
            out.summary
                .jurisdiction
                .get_or_insert_with(|| followup_body(&n.jurisdiction));
            reported(file, row, n, ctx, &mut found).map(|e| (n.unit.clone(), e))
        });
        let rejected = found.iter().any(|d| d.severity == Severity::Error);
        if rejected {
            out.summary.rejected += 1;
        } else {
            out.summary.accepted += 1;
            out.entries.extend(entry);
        }
        out.rows.push(ReadRow {
            sheet: file.sheet.clone(),
            row: row.index,
            unit: notice.map(|n| n.unit.clone()),
            accepted: !rejected,
            cells: file
                .columns
                .iter()
                .map(|&(c, col)| (c.label().to_string(), row.get(col).display()))
                .collect(),
        });
        out.diagnostics.extend(
            found
                .into_iter()
                .map(|d| d.in_file(file.path.clone()).in_sheet(file.sheet.clone())),
        );
    }
    out
}

fn listed_at(file: &FileRows, row: &Row) -> Listed {
    let col = file
        .cell(row, FollowupColumn::Measures)
        .map_or(0, |(_, at)| at.col);
    (file.path.clone(), file.sheet.clone(), row.index, col)
}

/// The notice of the unit a row names, when it is one under follow-up
/// named for the first time in this file.
fn unit_under_followup<'n>(
    file: &FileRows,
    row: &Row,
    followed: &BTreeMap<&str, &'n RectificationNotice>,
    ctx: &FollowupContext<'_>,
    seen: &mut BTreeSet<String>,
    found: &mut Vec<Diagnostic>,
) -> Option<&'n RectificationNotice> {
    let (_, at) = file.cell(row, FollowupColumn::Unit)?;
    let written = file.text(row, FollowupColumn::Unit);
    if written.is_empty() {
        found.push(
            Diagnostic::error(Code::MissingValue, "单位名称为空")
                .at(at)
                .suggest("请填写单位名称"),
        );
        return None;
    }
    let Some(unit) = ctx.roster.lookup(&written) else {
        found.push(
            Diagnostic::error(Code::UnknownUnit, format!("“{written}”不在复查单位名单中"))
                .at(at)
                .suggest("单位名称请勿改动"),
        );
        return None;
    };
    let Some(&notice) = followed.get(unit.name.as_str()) else {
        found.push(not_followed(&unit.name).at(at).for_unit(unit.name.clone()));
        return None;
    };
    if !seen.insert(unit.name.clone()) {
        found.push(
            Diagnostic::error(Code::DuplicateUnit, format!("“{}”填写了两次", unit.name))
                .at(at)
                .for_unit(unit.name.clone())
                .suggest("每个单位只填一行"),
        );
        return None;
    }
    Some(notice)
}

/// What a row reports for its unit, when anything is typed in; the rules
/// add what is wrong to `found`.
fn reported(
    file: &FileRows,
    row: &Row,
    notice: &RectificationNotice,
    ctx: &FollowupContext<'_>,
    found: &mut Vec<Diagnostic>,
) -> Option<FollowupEntry> {
    let typed = FollowupColumn::OPEN
        .iter()
        .filter(|&&c| c != FollowupColumn::Remarks)
        .any(|&c| file.cell(row, c).is_some_and(|(v, _)| !v.is_blank()));
    if !typed {
        return None;
    }
    let unit = &notice.unit;
    let mut add = |d: Option<Diagnostic>| found.extend(d.map(|d| d.for_unit(unit.clone())));
    add(measures_present(file, row));
    let year = ctx.campaign.campaign.year;
    let completed = date_in(file, row, FollowupColumn::Completed, year, &mut add);
    add(completed_by_deadline(file, row, completed, notice));
    let accepted = acceptance(file, row, &mut add);
    let accepted_on = if accepted.is_some() {
        add(signed_by(file, row));
        date_in(file, row, FollowupColumn::AcceptedOn, year, &mut add)
    } else {
        None
    };
    add(accepted_or_withdrawal_proposed(file, row, accepted, notice));
    Some(FollowupEntry {
        file: file.path.clone(),
        sheet: file.sheet.clone(),
        row: row.index,
        measures: file.text(row, FollowupColumn::Measures),
        completed,
        evidence: file.text(row, FollowupColumn::Evidence),
        accepted,
        accepted_by: file.text(row, FollowupColumn::AcceptedBy),
        accepted_on,
    })
}

/// `rectification-measures-missing`: a follow-up must say what was done.
fn measures_present(file: &FileRows, row: &Row) -> Option<Diagnostic> {
    let (value, at) = file.cell(row, FollowupColumn::Measures)?;
    value.is_blank().then(|| {
        Diagnostic::error(
            Code::RectificationMeasuresMissing,
            "已填报整改情况，但“整改措施”为空",
        )
        .at(at)
        .suggest("请逐项写明针对存在问题采取的整改措施")
    })
}

/// A required date column: the date, or why there is none.
fn date_in(
    file: &FileRows,
    row: &Row,
    column: FollowupColumn,
    year: i32,
    add: &mut impl FnMut(Option<Diagnostic>),
) -> Option<NaiveDate> {
    let (value, at) = file.cell(row, column)?;
    if value.is_blank() {
        add(Some(
            Diagnostic::error(Code::MissingValue, format!("“{}”为空", column.label()))
                .at(at)
                .suggest("请填写如 2020-12-01 的日期"),
        ));
        return None;
    }
    let date = crate::check::value::parse_date(value, year);
    if date.is_none() {
        add(Some(
            Diagnostic::error(
                Code::InvalidDate,
                format!("无法识别的日期“{}”", clip(value)),
            )
            .at(at)
            .suggest("请填写如 2020-12-01 的日期"),
        ));
    }
    date
}

/// `rectification-completed-late`: finished after the notice's deadline.
fn completed_by_deadline(
    file: &FileRows,
    row: &Row,
    completed: Option<NaiveDate>,
    notice: &RectificationNotice,
) -> Option<Diagnostic> {
    let (_, at) = file.cell(row, FollowupColumn::Completed)?;
    let completed = completed.filter(|d| *d > notice.deadline)?;
    Some(
        Diagnostic::warning(
            Code::RectificationCompletedLate,
            format!(
                "完成日期{completed}晚于整改期限{}（{}）",
                notice.deadline, notice.number
            ),
        )
        .at(at)
        .suggest("请核实完成日期；逾期完成的，验收时一并说明"),
    )
}

/// The 验收 result: Some(true) 整改到位, Some(false) 未整改到位, None not
/// accepted yet (or unreadable, which is reported).
fn acceptance(
    file: &FileRows,
    row: &Row,
    add: &mut impl FnMut(Option<Diagnostic>),
) -> Option<bool> {
    let (value, at) = file.cell(row, FollowupColumn::Acceptance)?;
    if value.is_blank() {
        return None;
    }
    let text: String = value
        .display()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match text.as_str() {
        ACCEPTED | "已整改到位" | "到位" => Some(true),
        REJECTED | "整改不到位" | "不到位" => Some(false),
        _ => {
            add(Some(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("验收结论“{}”无法识别", clip(value)),
                )
                .at(at)
                .suggest(format!("请填写“{ACCEPTED}”或“{REJECTED}”")),
            ));
            None
        }
    }
}

/// Who accepted the fix must be named with the result.
fn signed_by(file: &FileRows, row: &Row) -> Option<Diagnostic> {
    let (value, at) = file.cell(row, FollowupColumn::AcceptedBy)?;
    value.is_blank().then(|| {
        Diagnostic::error(Code::MissingValue, "已填验收结论，但“验收人”为空")
            .at(at)
            .suggest("请填写验收人姓名")
    })
}

/// `rectification-not-accepted`: 未整改到位 means a proposal to withdraw
/// the honour (the province decides for its own and national ones).
fn accepted_or_withdrawal_proposed(
    file: &FileRows,
    row: &Row,
    accepted: Option<bool>,
    notice: &RectificationNotice,
) -> Option<Diagnostic> {
    let (_, at) = file.cell(row, FollowupColumn::Acceptance)?;
    (accepted == Some(false)).then(|| {
        Diagnostic::warning(
            Code::RectificationNotAccepted,
            format!(
                "“{}”验收结论为{REJECTED}，将建议撤销其荣誉称号",
                notice.unit
            ),
        )
        .at(at)
        .suggest("请核实验收结论；整改情况通报将列为建议撤销荣誉称号")
    })
}

/// `rectification-overdue`: the deadline passed on the reference date and
/// no follow-up was accepted; pointed at the unit's row when one lists it.
pub(super) fn overdue(
    notice: &RectificationNotice,
    listed: Option<&Listed>,
    reference: NaiveDate,
) -> Diagnostic {
    let mut d = Diagnostic::warning(
        Code::RectificationOverdue,
        format!(
            "“{}”整改期限{}已过（截至{reference}），未报送整改落实情况",
            notice.unit, notice.deadline
        ),
    )
    .for_unit(notice.unit.clone())
    .suggest(if notice.jurisdiction == crate::sample::CITY_LEVEL {
        "请督促该单位报送整改情况；将发催办通知".to_string()
    } else {
        format!(
            "请{}文明办督促该单位报送整改情况；将发催办通知",
            notice.jurisdiction
        )
    });
    if let Some((file, sheet, row, col)) = listed {
        d = d
            .in_file(file.clone())
            .in_sheet(sheet.clone())
            .at(CellPos::new(*row, *col));
    }
    d
}

/// A row naming a roster unit whose notice asks for no follow-up.
fn not_followed(unit: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownUnit,
        format!("“{unit}”没有需要报送整改落实情况的整改通知书"),
    )
    .suggest("只填写整改落实情况表中列出的单位；单位名称请勿改动")
}

fn clip(value: &CellValue) -> String {
    crate::check::text::clip(&value.display(), 30)
}
