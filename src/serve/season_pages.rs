//! What the season's pages show, as plain data for their templates, made
//! from the pipeline's types: the dashboard with each body's state, the
//! deadline and the reminder to copy; a body's versions; one version's
//! problems and rows.

use super::pages::{TIME, User, path_segment};
use crate::diag::{CellPos, Diagnostic, Severity};
use crate::pipeline::{BodyState, FileReport, SeasonStatus};
use crate::register::{Role, Session, Submission};
use chrono::NaiveDate;
use serde::Serialize;

const DATE: &str = "%Y年%-m月%-d日";

/// The season as the pages see it: the register's status, the deadline
/// for workbooks and the day it is judged on (the config's reference
/// date, else today), and the office that signs reminders.
pub(super) struct Season {
    pub(super) status: SeasonStatus,
    pub(super) deadline: NaiveDate,
    pub(super) today: NaiveDate,
    pub(super) office: String,
}

impl Season {
    fn past_deadline(&self) -> bool {
        self.today > self.deadline
    }

    /// Whether `s` came after the deadline, as seen on the day the season
    /// is judged on (a receipt after that day, as when a past season is
    /// entered later, is not judged).
    fn late(&self, s: &Submission) -> bool {
        let received = s.received_at.date();
        received > self.deadline && received <= self.today
    }
}

/// One reporting body on the dashboard.
#[derive(Serialize)]
struct BodyRow {
    name: String,
    link: String,
    state: &'static str,
    class: &'static str,
    version: Option<String>,
    file_link: Option<String>,
    received_at: Option<String>,
    late: bool,
    overdue: bool,
    errors: usize,
    warnings: usize,
    versions: usize,
}

fn state_class(state: BodyState) -> &'static str {
    match state {
        BodyState::NotSent => "not-sent",
        BodyState::HasErrors => "has-errors",
        BodyState::SentBack => "sent-back",
        BodyState::Passed => "passed",
    }
}

/// The season dashboard (`/`).
#[derive(Serialize)]
pub(super) struct Dashboard {
    title: &'static str,
    user: Option<User>,
    city: bool,
    year: i32,
    sent: usize,
    total: usize,
    passed: usize,
    with_errors: usize,
    sent_back: usize,
    deadline: String,
    today: String,
    past_deadline: bool,
    missing: Vec<String>,
    missing_count: usize,
    to_correct: Vec<String>,
    reminder: Option<String>,
    bodies: Vec<BodyRow>,
    unknown: usize,
}

impl Dashboard {
    /// The dashboard of `bodies` (the roster's, or a county's own).
    pub(super) fn new(session: &Session, season: &Season, bodies: &[&str]) -> Dashboard {
        let status = &season.status;
        let rows: Vec<BodyRow> = bodies
            .iter()
            .map(|name| {
                let state = status.state_of(name);
                let in_force = status.in_force(name);
                BodyRow {
                    name: name.to_string(),
                    link: path_segment(name),
                    state: state.label(),
                    class: state_class(state),
                    version: in_force.map(|s| s.name.clone()),
                    file_link: in_force.map(|s| s.id.to_string()),
                    received_at: in_force.map(|s| s.received_at.format(TIME).to_string()),
                    late: in_force.is_some_and(|s| season.late(s)),
                    overdue: in_force.is_none() && season.past_deadline(),
                    errors: in_force.map_or(0, |s| s.errors),
                    warnings: in_force.map_or(0, |s| s.warnings),
                    versions: status.versions_of(name).len(),
                }
            })
            .collect();
        let city = session.account.role == Role::City;
        // Files whose sender could not be told are the city's to sort out.
        let unknown = if city {
            let unknown = status.bodies.iter().filter(|b| b.body.is_none());
            unknown.map(|b| b.versions.len()).sum()
        } else {
            0
        };
        let named = |class: &str| -> Vec<String> {
            let rows = rows.iter().filter(|r| r.class == class);
            rows.map(|r| r.name.clone()).collect()
        };
        let missing = named("not-sent");
        let mut to_correct = named("has-errors");
        to_correct.extend(named("sent-back"));
        let count = |class: &str| rows.iter().filter(|r| r.class == class).count();
        let reminder = (city && !(missing.is_empty() && to_correct.is_empty()))
            .then(|| reminder_text(season, &missing, &to_correct));
        Dashboard {
            title: "报送情况",
            user: Some(User::of(session)),
            city,
            year: status.year,
            sent: rows.len() - missing.len(),
            total: rows.len(),
            passed: count("passed"),
            with_errors: count("has-errors"),
            sent_back: count("sent-back"),
            deadline: season.deadline.format(DATE).to_string(),
            today: season.today.format(DATE).to_string(),
            past_deadline: season.past_deadline(),
            missing_count: missing.len(),
            missing,
            to_correct,
            reminder,
            bodies: rows,
            unknown,
        }
    }
}

/// The reminder a clerk copies into the office's usual channel: who has
/// not sent, who must send a corrected table, by when, and who asks.
fn reminder_text(season: &Season, missing: &[String], to_correct: &[String]) -> String {
    let year = season.status.year;
    let deadline = season.deadline.format(DATE);
    let today = season.today.format(DATE);
    let mut text = format!("【{year}年文明单位复查报送提醒】\n");
    if !missing.is_empty() {
        text += &format!(
            "截至{today}，以下单位尚未报送{year}年文明单位复查情况表：{}。",
            missing.join("、")
        );
        text += &if season.past_deadline() {
            format!("报送截止日期（{deadline}）已过，请立即报送。\n")
        } else {
            format!("请于{deadline}前报送。\n")
        };
    }
    if !to_correct.is_empty() {
        text += &format!(
            "以下单位报送的复查情况表有错误或已退回，请按退回修改意见修改后重新报送：{}。\n",
            to_correct.join("、")
        );
    }
    text += &format!(
        "请登录文明单位复查工作台上传，如有疑问请与{}联系。\n",
        season.office
    );
    text += &season.office;
    text
}

/// One version on a body's page.
#[derive(Serialize)]
struct VersionRow {
    name: String,
    link: String,
    received_at: String,
    late: bool,
    rows: usize,
    accepted: usize,
    rejected: usize,
    errors: usize,
    warnings: usize,
    mark: String,
}

/// What changed from one version to the next, in words.
#[derive(Serialize)]
struct Change {
    from: String,
    to: String,
    lines: Vec<String>,
}

/// A reporting body's page (`/body/{name}`): every version received, what
/// changed between them, and (for the city) sending one back.
#[derive(Serialize)]
pub(super) struct BodyPage {
    title: &'static str,
    user: Option<User>,
    city: bool,
    year: i32,
    name: String,
    link: String,
    state: &'static str,
    class: &'static str,
    may_send_back: bool,
    returned: Option<String>,
    versions: Vec<VersionRow>,
    changes: Vec<Change>,
}

impl BodyPage {
    pub(super) fn new(session: &Session, season: &Season, body: &str) -> BodyPage {
        let status = &season.status;
        let state = status.state_of(body);
        let in_force = status.in_force(body);
        let versions = status
            .versions_of(body)
            .iter()
            .map(|(s, counts)| VersionRow {
                name: s.name.clone(),
                link: s.id.to_string(),
                received_at: s.received_at.format(TIME).to_string(),
                late: season.late(s),
                rows: s.rows,
                accepted: s.accepted,
                rejected: s.rejected,
                errors: s.errors,
                warnings: s.warnings,
                mark: version_mark(s, *counts, in_force.is_some_and(|f| f.id == s.id)),
            })
            .collect();
        let changes = status
            .bodies
            .iter()
            .filter(|b| b.body.as_deref() == Some(body))
            .flat_map(|b| &b.changes)
            .map(|(from, to, d)| Change {
                from: from.clone(),
                to: to.clone(),
                lines: change_lines(d),
            })
            .collect();
        let city = session.account.role == Role::City;
        BodyPage {
            title: "各版报送文件",
            user: Some(User::of(session)),
            city,
            year: status.year,
            name: body.to_string(),
            link: path_segment(body),
            state: state.label(),
            class: state_class(state),
            may_send_back: city && matches!(state, BodyState::HasErrors | BodyState::Passed),
            returned: in_force
                .and_then(|s| s.returned.as_ref())
                .map(|r| format!("{} 由{}退回：{}", r.at.format(TIME), r.by, r.note)),
            versions,
            changes,
        }
    }
}

fn version_mark(s: &Submission, counts: bool, in_force: bool) -> String {
    match (&s.withdrawn, &s.returned) {
        (Some((when, why)), _) => format!("已撤回（{}，{why}）", when.format(TIME)),
        _ if !counts => "尚未收到".to_string(),
        (None, Some(r)) => format!("已退回（{}）", r.at.format(TIME)),
        _ if in_force => "有效版本".to_string(),
        _ => "前一版".to_string(),
    }
}

fn change_lines(d: &crate::register::versions::VersionDiff) -> Vec<String> {
    let mut lines = Vec::new();
    if !d.added.is_empty() {
        lines.push(format!("新增单位：{}", d.added.join("、")));
    }
    if !d.missing.is_empty() {
        lines.push(format!(
            "未列入新版（沿用前一版）：{}",
            d.missing.join("、")
        ));
    }
    for (unit, column, old, new) in &d.changed {
        let shown = |v: &str| {
            if v.trim().is_empty() {
                "（空）".to_string()
            } else {
                v.to_string()
            }
        };
        lines.push(format!("{unit}　{column}：{} → {}", shown(old), shown(new)));
    }
    if lines.is_empty() {
        lines.push("内容没有变化".to_string());
    }
    lines
}

/// One problem on a file's page or an upload's result.
#[derive(Serialize)]
pub(super) struct ProblemRow {
    severity: &'static str,
    class: &'static str,
    sheet: String,
    cell: String,
    code: String,
    message: String,
    suggestion: String,
}

impl ProblemRow {
    pub(super) fn of(d: &Diagnostic) -> ProblemRow {
        let error = d.severity == Severity::Error;
        ProblemRow {
            severity: if error { "错误" } else { "警告" },
            class: if error { "error" } else { "warning" },
            sheet: d.sheet.clone().unwrap_or_default(),
            cell: d.cell.map(|c| c.to_string()).unwrap_or_default(),
            code: d.code.to_string(),
            message: d.message.clone(),
            suggestion: d.suggestion.clone().unwrap_or_default(),
        }
    }
}

/// One cell of an excerpt.
#[derive(Serialize)]
struct GridCell {
    text: String,
    marked: bool,
}

/// One row of a sheet around a problem, as the spreadsheet shows it.
#[derive(Serialize)]
struct Grid {
    sheet: String,
    letters: Vec<String>,
    /// The header's 1-based row number and cells, when found.
    header_number: Option<u32>,
    header: Vec<GridCell>,
    /// The row's 1-based number and cells.
    number: u32,
    cells: Vec<GridCell>,
}

/// One version's page (`/file/{id}`).
#[derive(Serialize)]
pub(super) struct FilePage {
    title: &'static str,
    user: Option<User>,
    name: String,
    body: Option<String>,
    body_link: Option<String>,
    received_at: String,
    late: bool,
    rows: usize,
    accepted: usize,
    rejected: usize,
    errors: usize,
    warnings: usize,
    mark: String,
    problems: Vec<ProblemRow>,
    grids: Vec<Grid>,
}

impl FilePage {
    pub(super) fn new(session: &Session, season: &Season, report: &FileReport) -> FilePage {
        let s = &report.submission;
        let body = s.body.as_deref().unwrap_or_default();
        let in_force = season.status.in_force(body).is_some_and(|f| f.id == s.id);
        let counts = season
            .status
            .versions_of(body)
            .iter()
            .any(|(v, c)| v.id == s.id && *c);
        let batch = &report.batch;
        let problems = batch.diagnostics.iter().map(ProblemRow::of).collect();
        let grids = report
            .excerpts
            .iter()
            .map(|e| {
                let cells = |texts: &[String]| -> Vec<GridCell> {
                    e.columns
                        .iter()
                        .zip(texts)
                        .map(|(c, t)| GridCell {
                            text: t.clone(),
                            marked: e.marked.contains(c),
                        })
                        .collect()
                };
                Grid {
                    sheet: e.sheet.clone(),
                    letters: e.columns.iter().map(|&c| column_letters(c)).collect(),
                    header_number: e.header.as_ref().map(|(r, _)| r + 1),
                    header: e.header.as_ref().map_or_else(Vec::new, |(_, t)| {
                        let mut header = cells(t);
                        header.iter_mut().for_each(|c| c.marked = false);
                        header
                    }),
                    number: e.row.0 + 1,
                    cells: cells(&e.row.1),
                }
            })
            .collect();
        FilePage {
            title: "报送文件的问题",
            user: Some(User::of(session)),
            name: s.name.clone(),
            body: s.body.clone(),
            body_link: s.body.as_deref().map(path_segment),
            received_at: s.received_at.format(TIME).to_string(),
            late: season.late(s),
            rows: s.rows,
            accepted: s.accepted,
            rejected: s.rejected,
            errors: batch.errors(),
            warnings: batch.warnings(),
            mark: version_mark(s, counts, in_force),
            problems,
            grids,
        }
    }
}

/// A column's letters as the spreadsheet shows them (0 → A).
fn column_letters(col: u32) -> String {
    let cell = CellPos::new(0, col).to_string();
    cell.trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::SeasonStatus;

    fn season(today: (i32, u32, u32)) -> Season {
        Season {
            status: SeasonStatus {
                year: 2020,
                bodies: Vec::new(),
                not_received: Vec::new(),
            },
            deadline: NaiveDate::from_ymd_opt(2020, 10, 15).unwrap(),
            today: NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap(),
            office: "岳阳市文明办".into(),
        }
    }

    #[test]
    fn the_reminder_names_who_is_missing_and_who_must_correct_and_by_when() {
        let missing = ["平江县".to_string(), "临湘市".to_string()];
        let correct = ["汨罗市".to_string()];
        let before = reminder_text(&season((2020, 10, 9)), &missing, &correct);
        assert!(before.contains("截至2020年10月9日，以下单位尚未报送2020年文明单位复查情况表：平江县、临湘市。请于2020年10月15日前报送。"), "{before}");
        assert!(before.contains("修改后重新报送：汨罗市。"), "{before}");
        assert!(before.ends_with("岳阳市文明办"));
        let after = reminder_text(&season((2020, 10, 20)), &missing, &[]);
        assert!(
            after.contains("报送截止日期（2020年10月15日）已过，请立即报送。"),
            "{after}"
        );
        assert!(!after.contains("重新报送"));
    }

    #[test]
    fn columns_are_lettered_as_in_the_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
    }
}
