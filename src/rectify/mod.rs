//! Rectification follow-up (整改落实): after the circular, each unit under
//! 限期整改 (or 通报批评 with 整改要求) reports what it fixed by the deadline
//! its 整改通知书 gave, and the reviewing office accepts the fix or not
//! (验收). This module reads the filled follow-up workbooks, checks them
//! against the notices the register recorded, and gives each unit its
//! rectification outcome ([`UnitRectification`]).
//!
//! Overdue is judged against the notice's recorded deadline and a reference
//! date given to the run (`--on`, or `reference_date` in `fucha.toml`), never
//! against the clock, so a run can be repeated byte for byte.
//!
//! - [`columns`]: the follow-up workbook's columns, shared with the writer.
//! - `read`: rows out of a workbook; `rules`: the rules on one row.

pub mod columns;
mod read;
mod rules;

use crate::campaign::Campaign;
use crate::check::{FileSummary, ReadRow, Receipts};
use crate::diag::{Diagnostic, Severity};
use crate::ingest::{self, IngestError, Workbook};
use crate::register::RectificationNotice;
use crate::review::{HonourLevel, Outcome};
use crate::roster::Roster;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The register body of a follow-up workbook from `jurisdiction`'s units:
/// not a roster body, so the county versions and `status`'s list of bodies
/// that sent nothing never count it.
pub fn followup_body(jurisdiction: &str) -> String {
    format!("{FOLLOWUP_BODY_PREFIX}{jurisdiction}）")
}

const FOLLOWUP_BODY_PREFIX: &str = "整改（";

/// Whether a register body is a follow-up workbook's ([`followup_body`]).
pub fn is_followup_body(body: &str) -> bool {
    body.starts_with(FOLLOWUP_BODY_PREFIX) && body.ends_with('）')
}

/// Whether a notice asks for a follow-up: 限期整改 always, 通报批评 when
/// it states 整改要求. Milder and harsher outcomes end with the notice.
pub fn needs_followup(notice: &RectificationNotice) -> bool {
    match Outcome::parse(&notice.outcome) {
        Some(Outcome::Rectify) => true,
        Some(Outcome::Criticism) => !crate::check::text::means_none(&notice.requirements),
        _ => false,
    }
}

/// Where a unit's rectification stands on the reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RectificationOutcome {
    /// 验收 整改到位: the unit keeps its honour.
    Rectified,
    /// 验收 未整改到位: proposed for 撤销荣誉称号 (for national and
    /// provincial honours, the province decides).
    NotRectified,
    /// No follow-up reported and the deadline has passed: to be chased.
    Overdue,
    /// The deadline has not passed, or the follow-up awaits 验收.
    Pending,
}

impl RectificationOutcome {
    /// Every outcome, in the order documents list them.
    pub const ALL: [RectificationOutcome; 4] = [
        RectificationOutcome::Rectified,
        RectificationOutcome::NotRectified,
        RectificationOutcome::Overdue,
        RectificationOutcome::Pending,
    ];

    /// The Chinese name, as documents and the 公示 print it.
    pub fn label(self) -> &'static str {
        match self {
            RectificationOutcome::Rectified => "整改到位",
            RectificationOutcome::NotRectified => "未整改到位",
            RectificationOutcome::Overdue => "逾期未报整改情况",
            RectificationOutcome::Pending => "整改中",
        }
    }

    /// Whether the unit is proposed for 撤销荣誉称号.
    pub fn proposes_withdrawal(self) -> bool {
        self == RectificationOutcome::NotRectified
    }
}

/// What a unit reported, from the latest version that has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowupEntry {
    /// The file, as read.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The 0-based row.
    pub row: u32,
    /// 整改措施.
    pub measures: String,
    /// 完成日期.
    pub completed: Option<NaiveDate>,
    /// 佐证材料.
    pub evidence: String,
    /// 验收结论: Some(true) 整改到位, Some(false) 未整改到位, None not yet.
    pub accepted: Option<bool>,
    /// 验收人.
    pub accepted_by: String,
    /// 验收日期.
    pub accepted_on: Option<NaiveDate>,
}

/// One unit under rectification follow-up and where it stands: what the
/// 公示, the 整改情况通报 and the report to the province are made from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRectification {
    /// The unit's roster name.
    pub unit: String,
    /// Its reporting body.
    pub jurisdiction: String,
    /// Its honour.
    pub level: HonourLevel,
    /// The year the honour was given.
    pub award_year: i32,
    /// The review outcome that called for rectification.
    pub review_outcome: String,
    /// The notice's 文号.
    pub number: String,
    /// The notice's date.
    pub issued: NaiveDate,
    /// The deadline the notice gave.
    pub deadline: NaiveDate,
    /// 存在问题, as the notice listed them.
    pub problems: String,
    /// 整改要求, as the notice stated them.
    pub requirements: String,
    /// What the unit reported, when it reported.
    pub followup: Option<FollowupEntry>,
    /// Where it stands.
    pub outcome: RectificationOutcome,
}

impl UnitRectification {
    /// 全国 and 省级 honours: the province decides their withdrawal.
    pub fn provincial(&self) -> bool {
        self.level.is_provincial_or_above()
    }
}

/// How many units stand where: `total` is the sum of the others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RectificationCounts {
    /// Units under follow-up.
    pub total: usize,
    /// 整改到位.
    pub rectified: usize,
    /// 未整改到位.
    pub not_rectified: usize,
    /// Overdue.
    pub overdue: usize,
    /// Still pending.
    pub pending: usize,
}

impl RectificationCounts {
    /// The counts of some units.
    pub fn of<'a>(units: impl IntoIterator<Item = &'a UnitRectification>) -> Self {
        let mut c = RectificationCounts::default();
        for u in units {
            c.total += 1;
            match u.outcome {
                RectificationOutcome::Rectified => c.rectified += 1,
                RectificationOutcome::NotRectified => c.not_rectified += 1,
                RectificationOutcome::Overdue => c.overdue += 1,
                RectificationOutcome::Pending => c.pending += 1,
            }
        }
        c
    }
}

/// The follow-up season checked: the workbooks read, what was wrong in
/// them, every row read, and every unit under follow-up with its outcome.
#[derive(Debug, Clone, Default)]
pub struct FollowupBatch {
    /// The date overdue is judged on.
    pub reference_date: Option<NaiveDate>,
    /// One entry per follow-up workbook, in the order read.
    pub files: Vec<FileSummary>,
    /// Every problem found, by file and cell; units with no file last.
    pub diagnostics: Vec<Diagnostic>,
    /// Every data row read, by file path.
    pub rows: BTreeMap<String, Vec<ReadRow>>,
    /// The units under follow-up, in the notices' order.
    pub units: Vec<UnitRectification>,
}

impl FollowupBatch {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The diagnostics of one workbook.
    pub fn diagnostics_of<'a>(
        &'a self,
        file: &'a FileSummary,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.diagnostics
            .iter()
            .filter(move |d| d.file.as_deref() == Some(file.path.as_str()))
    }

    /// The units' counts by outcome.
    pub fn counts(&self) -> RectificationCounts {
        RectificationCounts::of(&self.units)
    }

    /// The units whose follow-up is overdue, to be chased (催办).
    pub fn overdue(&self) -> impl Iterator<Item = &UnitRectification> {
        self.units
            .iter()
            .filter(|u| u.outcome == RectificationOutcome::Overdue)
    }
}

/// What one run checks follow-ups against.
pub struct FollowupContext<'a> {
    /// The notices as recorded.
    pub notices: &'a [RectificationNotice],
    /// The roster.
    pub roster: &'a Roster,
    /// The config.
    pub campaign: &'a Campaign,
    /// The date overdue is judged on.
    pub reference_date: NaiveDate,
    /// When the register received each file, which orders versions.
    pub receipts: &'a Receipts,
}

/// The follow-up workbooks in a folder (sorted, recursively); none when
/// the folder does not exist.
pub fn followup_files(folder: &Path) -> Vec<PathBuf> {
    if !folder.is_dir() {
        return Vec::new();
    }
    crate::check::list_files(&[folder.to_path_buf()], None).0
}

/// Checks the follow-up workbooks at `paths`.
pub fn check_followup_files(paths: &[PathBuf], ctx: &FollowupContext<'_>) -> FollowupBatch {
    let read: Vec<(String, Result<Workbook, IngestError>)> = paths
        .iter()
        .map(|p| (p.display().to_string(), ingest::read_workbook(p)))
        .collect();
    check_workbooks(read, ctx)
}

/// Checks follow-up workbooks kept in the register, under the paths they
/// were read from, as [`check_followup_files`] would have checked them.
pub fn check_followup_stored(
    files: &[(PathBuf, Vec<u8>)],
    ctx: &FollowupContext<'_>,
) -> FollowupBatch {
    let read = files
        .iter()
        .map(|(p, bytes)| {
            (
                p.display().to_string(),
                ingest::read_workbook_bytes(p, bytes.clone()),
            )
        })
        .collect();
    check_workbooks(read, ctx)
}

/// Reads and checks each workbook, later versions last, then decides each
/// unit's outcome.
fn check_workbooks(
    mut read: Vec<(String, Result<Workbook, IngestError>)>,
    ctx: &FollowupContext<'_>,
) -> FollowupBatch {
    read.sort_by_cached_key(|(path, _)| crate::check::versions::version_key(path, ctx.receipts));
    let followed: Vec<&RectificationNotice> =
        ctx.notices.iter().filter(|n| needs_followup(n)).collect();
    // By unit: a province's workbooks name thousands of units.
    let by_unit: BTreeMap<&str, &RectificationNotice> =
        followed.iter().map(|n| (n.unit.as_str(), *n)).collect();
    let mut batch = FollowupBatch {
        reference_date: Some(ctx.reference_date),
        ..FollowupBatch::default()
    };
    // The latest reported entry per unit, and the last row naming it
    // (where an overdue unit is pointed at).
    let mut entries: BTreeMap<String, FollowupEntry> = BTreeMap::new();
    let mut listed: BTreeMap<String, (String, String, u32, u32)> = BTreeMap::new();
    for (path, workbook) in read {
        let file = match workbook {
            Ok(w) => read::rows_of(&path, &w),
            Err(e) => read::unreadable(&path, &e),
        };
        let checked = rules::check_rows(&file, &by_unit, ctx);
        for (unit, entry) in checked.entries {
            entries.insert(unit, entry);
        }
        listed.extend(checked.listed);
        batch.rows.insert(path.clone(), checked.rows);
        batch.diagnostics.extend(file.diagnostics);
        batch.diagnostics.extend(checked.diagnostics);
        batch.files.push(checked.summary);
    }
    for notice in followed {
        let level = ctx
            .roster
            .lookup(&notice.unit)
            .map(|u| (u.level, u.award_year));
        let Some((level, award_year)) = level else {
            continue; // a unit no longer in the roster has no follow-up here
        };
        let followup = entries.remove(&notice.unit);
        let outcome = match &followup {
            Some(e) => match e.accepted {
                Some(true) => RectificationOutcome::Rectified,
                Some(false) => RectificationOutcome::NotRectified,
                None => RectificationOutcome::Pending,
            },
            None if ctx.reference_date > notice.deadline => RectificationOutcome::Overdue,
            None => RectificationOutcome::Pending,
        };
        if outcome == RectificationOutcome::Overdue {
            batch.diagnostics.push(rules::overdue(
                notice,
                listed.get(&notice.unit),
                ctx.reference_date,
            ));
        }
        batch.units.push(UnitRectification {
            unit: notice.unit.clone(),
            jurisdiction: notice.jurisdiction.clone(),
            level,
            award_year,
            review_outcome: notice.outcome.clone(),
            number: notice.number.clone(),
            issued: notice.issued,
            deadline: notice.deadline,
            problems: notice.problems.clone(),
            requirements: notice.requirements.clone(),
            followup,
            outcome,
        });
    }
    sort_diagnostics(&mut batch);
    batch
}

/// Orders the diagnostics as the files were read, then by cell; those of
/// units with no file go last.
fn sort_diagnostics(batch: &mut FollowupBatch) {
    let order: BTreeMap<&str, usize> = batch
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    batch.diagnostics.sort_by_key(|d| {
        (
            d.file
                .as_deref()
                .and_then(|f| order.get(f))
                .copied()
                .unwrap_or(usize::MAX),
            d.row.unwrap_or(0),
            d.cell.map(|c| c.col).unwrap_or(0),
        )
    });
}

/// The follow-up diagnostics and outcome as text, for `fucha check`.
pub fn report_text(batch: &FollowupBatch) -> String {
    let mut out = String::new();
    for d in &batch.diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    let c = batch.counts();
    let rows: usize = batch.files.iter().map(|f| f.rows).sum();
    let accepted: usize = batch.files.iter().map(|f| f.accepted).sum();
    out.push_str(&format!(
        "整改落实：读取 {} 个整改落实情况表，共 {} 行：接收 {} 行，退回 {} 行；错误 {} 个，警告 {} 个。\
         {} 个单位需报送整改情况：整改到位 {} 个，未整改到位 {} 个，逾期未报 {} 个，整改中 {} 个。\n",
        batch.files.len(),
        rows,
        accepted,
        rows - accepted,
        batch.errors(),
        batch.warnings(),
        c.total,
        c.rectified,
        c.not_rectified,
        c.overdue,
        c.pending,
    ));
    out
}

/// The follow-up diagnostics, files and each unit's outcome as JSON, for
/// `fucha check --format json` (key `rectification`).
pub fn report_json(batch: &FollowupBatch) -> serde_json::Value {
    let units: Vec<serde_json::Value> = batch
        .units
        .iter()
        .map(|u| {
            serde_json::json!({
                "unit": u.unit,
                "jurisdiction": u.jurisdiction,
                "deadline": u.deadline.to_string(),
                "outcome": u.outcome.label(),
            })
        })
        .collect();
    serde_json::json!({
        "reference_date": batch.reference_date.map(|d| d.to_string()),
        "files": batch.files,
        "diagnostics": batch
            .diagnostics
            .iter()
            .map(crate::check::report::diagnostic_json)
            .collect::<Vec<_>>(),
        "counts": batch.counts(),
        "units": units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(outcome: &str, requirements: &str) -> RectificationNotice {
        RectificationNotice {
            seq: 1,
            unit: "甲单位".into(),
            jurisdiction: "汨罗市".into(),
            outcome: outcome.into(),
            number: String::new(),
            issued: NaiveDate::from_ymd_opt(2020, 11, 9).unwrap(),
            deadline: NaiveDate::from_ymd_opt(2020, 12, 9).unwrap(),
            problems: "台账不全".into(),
            requirements: requirements.into(),
        }
    }

    #[test]
    fn a_deadline_or_stated_requirements_call_for_a_follow_up() {
        assert!(needs_followup(&notice("限期整改", "")));
        assert!(needs_followup(&notice("通报批评", "补齐台账")));
        assert!(!needs_followup(&notice("通报批评", "无")));
        assert!(!needs_followup(&notice("约谈警告", "补齐台账")));
        assert!(!needs_followup(&notice("黄牌警告", "补齐台账")));
    }

    #[test]
    fn follow_up_bodies_are_told_from_roster_bodies() {
        let body = followup_body("汨罗市");
        assert_eq!(body, "整改（汨罗市）");
        assert!(is_followup_body(&body));
        assert!(!is_followup_body("汨罗市"));
        assert!(!is_followup_body("市文明办（随机抽查）"));
    }

    #[test]
    fn the_counts_add_up_to_the_units() {
        assert_eq!(RectificationCounts::of([]), RectificationCounts::default());
        let units = RectificationOutcome::ALL.map(|outcome| UnitRectification {
            unit: "甲单位".into(),
            jurisdiction: "汨罗市".into(),
            level: HonourLevel::Provincial,
            award_year: 2016,
            review_outcome: "限期整改".into(),
            number: String::new(),
            issued: notice("", "").issued,
            deadline: notice("", "").deadline,
            problems: String::new(),
            requirements: String::new(),
            followup: None,
            outcome,
        });
        let c = RectificationCounts::of(&units);
        assert_eq!(
            c.total,
            c.rectified + c.not_rectified + c.overdue + c.pending
        );
        assert_eq!((c.total, c.rectified, c.pending), (4, 1, 1));
    }
}
