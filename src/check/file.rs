//! One intake workbook: pick the data sheet, find its header, tell which body
//! sent it, read the optional 机构改革情况说明 and 报送信息 sheets, and check
//! every data row. Whatever goes wrong becomes a diagnostic; the batch goes on.

use super::ReadRow;
use super::body::{body_in_text, match_body};
use super::header::{Header, find_header};
use super::rows::{RowContext, Seen, check_row, read_row};
use super::text::{clip, normalize_label};
use super::value::parse_date;
use super::{FileSummary, Submission};
use crate::campaign::Campaign;
use crate::diag::{CellPos, Code, Diagnostic};
use crate::ingest::{self, CellValue, Sheet, Visibility, Workbook};
use crate::intake::contract::{
    DATA_SHEET, Field, INSTRUCTIONS_SHEET, REFORM_NOTE_LABELS, REFORM_SHEET, SUBMISSION_LABELS,
    SUBMISSION_SHEET,
};
use crate::review::ReviewResult;
use crate::roster::Roster;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What checking one file produced.
pub(super) struct FileReport {
    pub summary: FileSummary,
    pub results: Vec<ReviewResult>,
    pub diagnostics: Vec<Diagnostic>,
    pub submission: Option<Submission>,
    /// Bodies whose units this file reports (its own, or the 所属县市区 values).
    pub bodies: BTreeSet<String>,
    /// Every data row as read.
    pub rows: Vec<ReadRow>,
}

impl FileReport {
    /// Nothing read yet.
    fn new(display: &str) -> FileReport {
        FileReport {
            summary: FileSummary {
                path: display.to_string(),
                jurisdiction: None,
                rows: 0,
                accepted: 0,
                rejected: 0,
            },
            results: Vec::new(),
            diagnostics: Vec::new(),
            submission: None,
            bodies: BTreeSet::new(),
            rows: Vec::new(),
        }
    }
}

/// Checks one file as read: its sheets, its sender, its rows.
pub(super) fn check_file(
    path: &Path,
    display: &str,
    read: Result<ingest::Workbook, ingest::IngestError>,
    roster: &Roster,
    campaign: &Campaign,
    seen: &mut Seen,
) -> FileReport {
    let mut report = FileReport::new(display);
    let workbook = match read {
        Ok(w) => w,
        Err(e) => {
            report.diagnostics.push(unreadable(&e, display));
            report.summary.jurisdiction = body_from_file_name(roster, campaign, path);
            return report;
        }
    };
    let Some(tables) = read_tables(&workbook, display, &mut report.diagnostics) else {
        report.summary.jurisdiction = body_from_file_name(roster, campaign, path);
        return report;
    };
    let submission = read_submission(&workbook, display, campaign, &mut report.diagnostics);
    let (body, bodies) = tell_body(roster, campaign, path, submission.as_ref(), &tables);
    if body.is_none() && bodies.is_empty() {
        report.diagnostics.push(unknown_jurisdiction(display));
    }
    let reform_notes = read_reform_sheet(&workbook, roster, display, &mut report.diagnostics);
    for table in &tables {
        let ctx = RowContext {
            file: display,
            sheet: &table.sheet.name,
            roster,
            campaign,
            body: body.as_deref(),
            reform_notes: &reform_notes,
        };
        check_table(&ctx, table, seen, &mut report);
    }
    report.summary.jurisdiction = body.clone();
    report.bodies = match body {
        Some(b) => BTreeSet::from([b]),
        None => bodies,
    };
    report.submission = submission;
    report
}

/// Checks every data row of a table, counting what is accepted and rejected.
fn check_table(ctx: &RowContext<'_>, table: &Table<'_>, seen: &mut Seen, report: &mut FileReport) {
    for row in &table.rows {
        report.summary.rows += 1;
        let result = check_row(ctx, &table.header, row, seen, &mut report.diagnostics);
        let accepted = result.is_some();
        match result {
            Some(result) => {
                report.summary.accepted += 1;
                report.results.push(result);
            }
            None => report.summary.rejected += 1,
        }
        let read = read_row(&table.header, row, ctx.roster, ctx.sheet, accepted);
        report.rows.push(read);
    }
}

/// One data sheet with its header and its data rows.
struct Table<'w> {
    sheet: &'w Sheet,
    header: Header,
    rows: Vec<&'w ingest::Row>,
}

/// The data sheets with their headers and data rows, the sheets' own
/// problems reported; None when there is no data sheet or it has no header
/// (then no row can be read).
fn read_tables<'w>(
    workbook: &'w Workbook,
    display: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Table<'w>>> {
    let picked = pick_data_sheets(workbook);
    warn_hidden_sheets(workbook, &picked, display, out);
    warn_unread_sheets(workbook, &picked, display, out);
    let Some((first, first_header)) = picked.first() else {
        out.push(
            Diagnostic::error(Code::MissingSheet, "工作簿中没有含数据的工作表")
                .in_file(display)
                .suggest(format!("请把复查数据放在名为“{DATA_SHEET}”的工作表中")),
        );
        return None;
    };
    for (sheet, _) in &picked {
        warn_truncated(sheet, display, out);
    }
    if first_header.is_none() {
        out.push(
            Diagnostic::error(
                Code::MissingHeader,
                "找不到表头行（应含“单位名称”“荣誉类别”“复查日期”等列名）",
            )
            .in_file(display)
            .in_sheet(first.name.as_str())
            .suggest("请使用复查情况表模板，保留表头行"),
        );
        return None;
    }
    // Past the first, every picked sheet has a header too.
    let tables = picked
        .into_iter()
        .filter_map(|(sheet, header)| {
            let header = header?;
            check_header(&header, display, &sheet.name, out);
            let rows = sheet
                .rows
                .iter()
                .filter(|r| {
                    r.index > header.last_row && !r.is_blank() && !only_numbered(r, &header)
                })
                .collect();
            Some(Table {
                sheet,
                header,
                rows,
            })
        })
        .collect();
    Some(tables)
}

fn warn_truncated(sheet: &Sheet, display: &str, out: &mut Vec<Diagnostic>) {
    if sheet.truncated {
        out.push(
            Diagnostic::error(
                Code::TooManyRows,
                format!(
                    "工作表过大（超过{}行或{}个非空单元格），超出部分未读取",
                    ingest::MAX_ROWS,
                    ingest::MAX_CELLS
                ),
            )
            .in_file(display)
            .in_sheet(sheet.name.as_str())
            .suggest("请删除多余的行，或检查是否误填了大量空白格式行"),
        );
    }
}

/// Templates come with 序号 filled far below the last unit: a row holding
/// nothing but its number is an unused template row, not data.
fn only_numbered(row: &ingest::Row, header: &Header) -> bool {
    let seq = header.col(Field::Seq);
    seq.is_some()
        && row
            .cells
            .iter()
            .all(|c| Some(c.col) == seq || c.value.is_blank())
}

/// The file could not be read at all.
fn unreadable(e: &ingest::IngestError, display: &str) -> Diagnostic {
    Diagnostic::error(Code::UnreadableFile, crate::diag::error_chain(e))
        .in_file(display)
        .suggest(unreadable_hint(e))
}

/// No source tells which body sent the file.
fn unknown_jurisdiction(display: &str) -> Diagnostic {
    Diagnostic::error(Code::UnknownJurisdiction, "无法确定报送单位（县市区）")
        .in_file(display)
        .suggest("请在“报送信息”表填写报送单位，或填写“所属县市区”列，或以县市区名称命名文件")
}

fn unreadable_hint(e: &ingest::IngestError) -> &'static str {
    match e {
        ingest::IngestError::Encrypted { .. } => "请取消打开密码后重新报送",
        ingest::IngestError::NotASpreadsheet { .. } => "请报送 Excel 工作簿（.xlsx）",
        ingest::IngestError::Empty { .. } => "文件为空，请重新导出后报送",
        _ => "请用 Excel 打开检查，另存为 .xlsx 后重新报送",
    }
}

/// The sheets read as data, each with its header when it has one.
type Picked<'w> = Vec<(&'w Sheet, Option<Header>)>;

/// The data sheets: every sheet carrying the intake header with at least
/// one review column, in tab order (counties split the units over 第一阶段
/// and 第二阶段 sheets, or by level), the 复查情况 sheet even when hidden,
/// other hidden sheets never.
/// When no sheet has a header, the one sheet that should have had it: the
/// sheet named 复查情况, else the first visible sheet that is not one of the
/// optional sheets, else any sheet with rows.
fn pick_data_sheets(workbook: &Workbook) -> Picked<'_> {
    let named = |s: &Sheet| normalize_label(&s.name) == DATA_SHEET;
    let optional = |s: &Sheet| {
        let n = normalize_label(&s.name);
        n == REFORM_SHEET || n == SUBMISSION_SHEET
    };
    let candidates = || {
        workbook
            .sheets
            .iter()
            .filter(|s| !optional(s) && !s.rows.is_empty())
    };
    let mut with_header: Picked<'_> = candidates()
        .filter(|s| s.visibility == Visibility::Visible || named(s))
        .filter_map(|s| find_header(&s.rows).map(|h| (s, Some(h))))
        .collect();
    // A list of units alone (a roster pasted beside the data) names units
    // but holds no review: not data, unless no sheet holds a review, when
    // the first is read and its missing columns reported.
    let reviews = |(s, h): &(&Sheet, Option<Header>)| {
        named(s)
            || h.as_ref().is_some_and(|h| {
                [Field::Date, Field::Methods, Field::Score, Field::Outcome]
                    .iter()
                    .any(|f| h.col(*f).is_some())
            })
    };
    if with_header.iter().any(reviews) {
        with_header.retain(reviews);
    } else {
        with_header.truncate(1);
    }
    if !with_header.is_empty() {
        return with_header;
    }
    let fallback = candidates()
        .find(|s| named(s))
        .or_else(|| candidates().find(|s| s.visibility == Visibility::Visible))
        .or_else(|| candidates().next());
    fallback.map(|s| (s, None)).into_iter().collect()
}

fn warn_hidden_sheets(
    workbook: &Workbook,
    data: &Picked<'_>,
    display: &str,
    out: &mut Vec<Diagnostic>,
) {
    for s in workbook
        .sheets
        .iter()
        .filter(|s| s.visibility != Visibility::Visible)
    {
        let msg = if data.iter().any(|(d, _)| d.name == s.name) {
            format!("工作表“{}”是隐藏的，已照常作为复查数据读取", s.name)
        } else if s.rows.is_empty() {
            continue;
        } else {
            format!(
                "隐藏的工作表“{}”含{}行内容，未作为复查数据读取",
                s.name,
                s.rows.len()
            )
        };
        out.push(
            Diagnostic::warning(Code::HiddenSheet, msg)
                .in_file(display)
                .in_sheet(s.name.as_str())
                .suggest("请取消隐藏并核对；复查数据只放在“复查情况”表中"),
        );
    }
}

/// A visible sheet with content that is neither read as data nor one of the
/// sheets the template has besides the data: its rows would otherwise be
/// dropped without a word.
fn warn_unread_sheets(
    workbook: &Workbook,
    data: &Picked<'_>,
    display: &str,
    out: &mut Vec<Diagnostic>,
) {
    let known = [REFORM_SHEET, SUBMISSION_SHEET, INSTRUCTIONS_SHEET];
    for s in workbook.sheets.iter().filter(|s| {
        s.visibility == Visibility::Visible
            && !s.rows.iter().all(|r| r.is_blank())
            && !known.contains(&normalize_label(&s.name).as_str())
            && !data.iter().any(|(d, _)| d.name == s.name)
    }) {
        out.push(
            Diagnostic::warning(
                Code::UnreadSheet,
                format!(
                    "工作表“{}”含{}行内容，但没有复查情况表的表头（“单位名称”及复查日期、复查结论等列），未作为复查数据读取",
                    s.name,
                    s.rows.len()
                ),
            )
            .in_file(display)
            .in_sheet(s.name.as_str())
            .suggest("如果其中是复查数据，请加上与“复查情况”表相同的表头（含“单位名称”等列名）；否则可不理会"),
        );
    }
}

fn check_header(header: &Header, display: &str, sheet: &str, out: &mut Vec<Diagnostic>) {
    let first_col = header.columns.iter().map(|&(_, c)| c).min().unwrap_or(0);
    for field in Field::ALL.into_iter().filter(|f| f.is_required()) {
        if header.col(field).is_none() {
            out.push(
                Diagnostic::error(Code::MissingColumn, format!("缺少“{}”列", field.label()))
                    .in_file(display)
                    .in_sheet(sheet)
                    .at(CellPos::new(header.row, first_col))
                    .suggest(format!("请在表头行加上“{}”列并逐行填写", field.label())),
            );
        }
    }
    for &(field, col) in &header.duplicates {
        out.push(
            Diagnostic::warning(
                Code::DuplicateColumn,
                format!("“{}”列出现了两次，只读取了第一列", field.label()),
            )
            .in_file(display)
            .in_sheet(sheet)
            .at(CellPos::new(header.row, col))
            .suggest("请删除重复的列"),
        );
    }
}

/// The sending body: the 报送信息 sheet's 报送单位, else the single body the
/// 所属县市区 column names, else the file name, else the data sheet's title
/// (the rows above its header, such as 经开区2020年文明单位复查情况表) or
/// its tab name. When the column names several bodies the file is a joint
/// one: no single body, the set is returned.
fn tell_body(
    roster: &Roster,
    campaign: &Campaign,
    path: &Path,
    submission: Option<&Submission>,
    tables: &[Table<'_>],
) -> (Option<String>, BTreeSet<String>) {
    if let Some(b) = submission.and_then(|s| match_body(roster, campaign, &s.sender)) {
        return (Some(b), BTreeSet::new());
    }
    let mut named = BTreeSet::new();
    for table in tables {
        let Some(col) = table.header.col(Field::Jurisdiction) else {
            continue;
        };
        for row in &table.rows {
            let t = row.get(col).display();
            if let Some(b) = match_body(roster, campaign, t.trim()) {
                named.insert(b);
            }
        }
    }
    if named.len() == 1 {
        return (named.pop_first(), BTreeSet::new());
    }
    if named.is_empty() {
        let from_names = body_from_file_name(roster, campaign, path).or_else(|| {
            tables
                .iter()
                .find_map(|t| body_from_title(roster, campaign, t))
        });
        if let Some(b) = from_names {
            return (Some(b), BTreeSet::new());
        }
    } else if let Some(b) = body_from_file_name(roster, campaign, path) {
        return (Some(b), BTreeSet::new());
    }
    (None, named)
}

/// The body a data sheet's title rows (above the header) or tab name names.
fn body_from_title(roster: &Roster, campaign: &Campaign, table: &Table<'_>) -> Option<String> {
    let title: String = table
        .sheet
        .rows
        .iter()
        .take_while(|r| r.index < table.header.row)
        .flat_map(|r| r.cells.iter())
        .map(|c| c.value.display())
        .collect();
    body_in_text(roster, campaign, &title)
        .or_else(|| body_in_text(roster, campaign, &table.sheet.name))
}

/// The longest roster body (or declared short name) in the file name.
fn body_from_file_name(roster: &Roster, campaign: &Campaign, path: &Path) -> Option<String> {
    body_in_text(roster, campaign, path.file_stem()?.to_str()?)
}

/// Cells of a small key-value sheet: the value of a label is the cell to its
/// right, or the cell below when the labels form a header row.
fn labelled_values<'s>(sheet: &'s Sheet, labels: &[&str]) -> Vec<(usize, CellPos, &'s CellValue)> {
    let label_of = |v: &CellValue| match v {
        CellValue::Text(t) => {
            let key = normalize_label(t);
            labels.iter().position(|l| normalize_label(l) == key)
        }
        _ => None,
    };
    let usable = |v: &CellValue| !v.is_blank() && label_of(v).is_none();
    let mut out = Vec::new();
    for row in &sheet.rows {
        for cell in &row.cells {
            let Some(i) = label_of(&cell.value) else {
                continue;
            };
            if out.iter().any(|(j, _, _)| *j == i) {
                continue;
            }
            let right = row.get(cell.col + 1);
            let below = sheet
                .rows
                .iter()
                .find(|r| r.index == row.index + 1)
                .map(|r| (r.index, r.get(cell.col)));
            if usable(right) {
                out.push((i, CellPos::new(row.index, cell.col + 1), right));
            } else if let Some((r, v)) = below.filter(|(_, v)| usable(v)) {
                out.push((i, CellPos::new(r, cell.col), v));
            }
        }
    }
    out
}

fn read_submission(
    workbook: &Workbook,
    display: &str,
    campaign: &Campaign,
    out: &mut Vec<Diagnostic>,
) -> Option<Submission> {
    let sheet = workbook
        .sheets
        .iter()
        .find(|s| normalize_label(&s.name) == SUBMISSION_SHEET)?;
    let mut sub = Submission {
        file: display.to_string(),
        sender: String::new(),
        contact: String::new(),
        phone: String::new(),
        date: None,
    };
    for (i, pos, value) in labelled_values(sheet, &SUBMISSION_LABELS) {
        let text = value.display().trim().to_string();
        match i {
            0 => sub.sender = text,
            1 => sub.contact = text,
            2 => sub.phone = text,
            _ => {
                let d = |d: Diagnostic| d.in_file(display).in_sheet(sheet.name.as_str()).at(pos);
                match parse_date(value, campaign.campaign.year) {
                    Some(date) => {
                        sub.date = Some(date);
                        let deadline = campaign.deadlines.submission;
                        if date > deadline {
                            out.push(
                                d(Diagnostic::warning(
                                    Code::LateSubmission,
                                    format!("报送日期{date}晚于截止日期{deadline}"),
                                ))
                                .suggest("请按时报送；如日期填错请更正"),
                            );
                        }
                    }
                    None => out.push(
                        d(Diagnostic::error(
                            Code::InvalidDate,
                            format!("无法识别的报送日期“{}”", clip(&text, 30)),
                        ))
                        .suggest("请填写如 2020-10-09 的日期"),
                    ),
                }
            }
        }
    }
    Some(sub)
}

/// Statements from the 机构改革情况说明 sheet, by roster name.
fn read_reform_sheet(
    workbook: &Workbook,
    roster: &Roster,
    display: &str,
    out: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut notes = BTreeMap::new();
    let Some(sheet) = workbook
        .sheets
        .iter()
        .find(|s| normalize_label(&s.name) == REFORM_SHEET)
    else {
        return notes;
    };
    let is_name = |t: &str| Field::from_label(t) == Some(Field::Name);
    let is_note = |t: &str| {
        let k = normalize_label(t);
        REFORM_NOTE_LABELS.contains(&k.as_str())
    };
    let header = sheet.rows.iter().take(20).find_map(|row| {
        let col_of = |pred: &dyn Fn(&str) -> bool| {
            row.cells.iter().find_map(|c| match &c.value {
                CellValue::Text(t) if pred(t) => Some(c.col),
                _ => None,
            })
        };
        Some((row.index, col_of(&is_name)?, col_of(&is_note)?))
    });
    let Some((header_row, name_col, note_col)) = header else {
        if !sheet.rows.is_empty() {
            out.push(
                Diagnostic::error(
                    Code::MissingHeader,
                    "机构改革情况说明表中找不到“单位名称”和“改革情况说明”两列",
                )
                .in_file(display)
                .in_sheet(sheet.name.as_str())
                .suggest("请在表头写“单位名称”和“改革情况说明”"),
            );
        }
        return notes;
    };
    for row in sheet
        .rows
        .iter()
        .filter(|r| r.index > header_row && !r.is_blank())
    {
        let name = row.get(name_col).display();
        let note = row.get(note_col).display().trim().to_string();
        match roster.lookup(name.trim()) {
            Some(u) => {
                notes.insert(u.name.clone(), note);
            }
            None => {
                let close = roster.closest(&name, 3);
                let mut d = Diagnostic::error(
                    Code::UnknownUnit,
                    format!(
                        "机构改革情况说明中的单位“{}”不在复查单位名单中",
                        clip(&name, 40)
                    ),
                )
                .in_file(display)
                .in_sheet(sheet.name.as_str())
                .at(CellPos::new(row.index, name_col));
                if !close.is_empty() {
                    d = d.suggest(format!("是否为：{}", close.join("、")));
                }
                out.push(d);
            }
        }
    }
    notes
}
