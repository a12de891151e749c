//! Rectification follow-up (issue #14, 整改落实), on a copy of the default
//! data: a build records each 整改通知书's deadline; the follow-up workbook
//! `fucha intake --rectification` writes comes back filled in the 整改
//! folder; each rule fires at the right cell and is silent on clean data;
//! the 整改情况通报's counts add up against the register's own rows; an
//! as-of build reproduces it.

use crate::common::*;
use chrono::NaiveDate;
use fucha::check::Receipts;
use fucha::diag::{Code, Diagnostic, Severity};
use fucha::intake::followup::{FollowupFill, followup_workbook};
use fucha::pipeline::Context;
use fucha::rectify::{
    FollowupBatch, FollowupContext, RectificationOutcome, check_followup_files, needs_followup,
};
use fucha::register::{RectificationNotice, Register};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A copy of `input/` without a register, writing DOCX only (the tests
/// read the documents' text; PDFs would only slow them down).
fn season() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, with_formats(&text, &["docx"])).unwrap();
    // The tests here fill the follow-ups themselves: the default data's own
    // (units already accepted) would be carried forward beside theirs.
    std::fs::remove_dir_all(input.join("整改")).unwrap();
    (dir, input)
}

fn cmd(input: &Path, args: &[&str]) -> Run {
    let mut c = fucha();
    c.args(args).arg("--config").arg(input.join("fucha.toml"));
    run(&mut c)
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The notices the register holds after a build, those under follow-up.
fn followed_notices(input: &Path) -> Vec<RectificationNotice> {
    let register = Register::open(&input.join(fucha::register::DEFAULT_FILE_NAME)).unwrap();
    let notices = register.rectification_notices(2020).unwrap();
    let followed: Vec<_> = notices.into_iter().filter(needs_followup).collect();
    assert!(
        followed.len() >= 4,
        "the default data has too few units under follow-up for these tests: {followed:?}"
    );
    followed
}

/// A correct follow-up: measures, completion by the deadline, evidence,
/// and the 验收 with who and when.
fn good_fill(n: &RectificationNotice, rectified: bool) -> FollowupFill {
    FollowupFill {
        unit: n.unit.clone(),
        measures: "制定志愿服务岗值守制度并公示排班，按季度开展道德讲堂".into(),
        completed: Some(n.deadline - chrono::Duration::days(5)),
        evidence: "值守排班表、活动照片".into(),
        accepted: Some(rectified),
        accepted_by: "陈晓玲".into(),
        accepted_on: Some(n.deadline + chrono::Duration::days(3)),
        remarks: String::new(),
    }
}

/// Writes one follow-up workbook per body into the config's 整改 folder,
/// with `fills` typed in; returns the files by unit.
fn place_workbooks(
    input: &Path,
    notices: &[RectificationNotice],
    fills: &[FollowupFill],
) -> BTreeMap<String, PathBuf> {
    let ctx = Context::load(&input.join("fucha.toml"), None).unwrap();
    let folder = input.join("整改");
    std::fs::create_dir_all(&folder).unwrap();
    let mut bodies: BTreeMap<&str, Vec<&RectificationNotice>> = BTreeMap::new();
    for n in notices {
        bodies.entry(n.jurisdiction.as_str()).or_default().push(n);
    }
    let mut files = BTreeMap::new();
    for (body, own) in bodies {
        let mine: Vec<FollowupFill> = fills
            .iter()
            .filter(|f| own.iter().any(|n| n.unit == f.unit))
            .cloned()
            .collect();
        let bytes = followup_workbook(&own, &ctx.roster, &ctx.campaign, body, &mine).unwrap();
        let path = folder.join(format!("{body}整改落实情况表.xlsx"));
        std::fs::write(&path, bytes).unwrap();
        for n in own {
            files.insert(n.unit.clone(), path.clone());
        }
    }
    files
}

/// Checks the 整改 folder with the library on `reference`.
fn check_folder(
    input: &Path,
    notices: &[RectificationNotice],
    reference: NaiveDate,
) -> FollowupBatch {
    let ctx = Context::load(&input.join("fucha.toml"), None).unwrap();
    let paths = fucha::rectify::followup_files(&input.join("整改"));
    let fctx = FollowupContext {
        notices,
        roster: &ctx.roster,
        campaign: &ctx.campaign,
        reference_date: reference,
        receipts: &Receipts::new(),
    };
    check_followup_files(&paths, &fctx)
}

/// The 0-based row of a unit in its body's workbook: the writer lists a
/// body's notices in order below the title and the header.
fn row_of(notices: &[RectificationNotice], unit: &str) -> u32 {
    let body = &notices
        .iter()
        .find(|n| n.unit == unit)
        .unwrap()
        .jurisdiction;
    let index = notices
        .iter()
        .filter(|n| &n.jurisdiction == body)
        .position(|n| n.unit == unit)
        .unwrap();
    2 + index as u32
}

fn with_code(batch: &FollowupBatch, code: Code) -> Vec<&Diagnostic> {
    batch
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The cell a diagnostic points at, as Excel shows it.
fn cell(d: &Diagnostic) -> String {
    d.cell.map(|c| c.to_string()).unwrap_or_default()
}

#[test]
fn each_rule_fires_at_its_cell_and_clean_follow_ups_raise_nothing() {
    let (dir, input) = season();
    assert_eq!(
        cmd(
            &input,
            &["build", "--out", dir.path().join("out").to_str().unwrap()]
        )
        .code,
        Some(0)
    );
    let notices = followed_notices(&input);
    let deadline = notices[0].deadline;

    // Clean: every unit filled in correctly, judged the day after the
    // deadline (so a missing follow-up would be overdue).
    let fills: Vec<_> = notices.iter().map(|n| good_fill(n, true)).collect();
    place_workbooks(&input, &notices, &fills);
    let clean = check_folder(&input, &notices, deadline + chrono::Duration::days(1));
    assert!(clean.diagnostics.is_empty(), "{:#?}", clean.diagnostics);
    assert_eq!(clean.counts().rectified, notices.len());
    let read: usize = clean.files.iter().map(|f| f.rows).sum();
    let accepted: usize = clean.files.iter().map(|f| f.accepted).sum();
    assert_eq!((read, accepted), (notices.len(), notices.len()));

    // One fault per unit: no measures; completed late; not accepted;
    // nothing at all after the deadline.
    let [a, b, c, d] = [&notices[0], &notices[1], &notices[2], &notices[3]];
    let mut no_measures = good_fill(a, true);
    no_measures.measures.clear();
    let mut late = good_fill(b, true);
    late.completed = Some(b.deadline + chrono::Duration::days(2));
    let rejected = good_fill(c, false);
    let mut fills: Vec<_> = notices[4..].iter().map(|n| good_fill(n, true)).collect();
    fills.extend([no_measures, late, rejected]);
    place_workbooks(&input, &notices, &fills);
    let batch = check_folder(&input, &notices, deadline + chrono::Duration::days(1));

    let at = |n: &RectificationNotice, col: &str| format!("{col}{}", row_of(&notices, &n.unit) + 1);
    let missing = with_code(&batch, Code::RectificationMeasuresMissing);
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(
        (missing[0].severity, cell(missing[0])),
        (Severity::Error, at(a, "I"))
    );
    assert_eq!(missing[0].unit.as_deref(), Some(a.unit.as_str()));
    let late = with_code(&batch, Code::RectificationCompletedLate);
    assert_eq!(late.len(), 1, "{late:#?}");
    assert_eq!(
        (late[0].severity, cell(late[0])),
        (Severity::Warning, at(b, "J"))
    );
    let not_accepted = with_code(&batch, Code::RectificationNotAccepted);
    assert_eq!(not_accepted.len(), 1, "{not_accepted:#?}");
    assert_eq!(
        (not_accepted[0].severity, cell(not_accepted[0])),
        (Severity::Warning, at(c, "L"))
    );
    // The row with an error is rejected: its unit has reported nothing
    // valid either, so both it and the silent unit are overdue, each
    // pointed at its own measures cell.
    let overdue: Vec<_> = with_code(&batch, Code::RectificationOverdue)
        .into_iter()
        .map(|d| (d.severity, d.unit.clone().unwrap_or_default(), cell(d)))
        .collect();
    let mut wanted = vec![
        (Severity::Warning, a.unit.clone(), at(a, "I")),
        (Severity::Warning, d.unit.clone(), at(d, "I")),
    ];
    wanted.sort_by_key(|w| overdue.iter().position(|o| o.1 == w.1));
    assert_eq!(overdue, wanted);
    // Nothing else: one diagnostic per fault, and the rejected row's unit
    // overdue.
    assert_eq!(batch.diagnostics.len(), 5, "{:#?}", batch.diagnostics);

    let outcome = |unit: &str| batch.units.iter().find(|u| u.unit == unit).unwrap().outcome;
    assert_eq!(outcome(&a.unit), RectificationOutcome::Overdue);
    assert_eq!(outcome(&b.unit), RectificationOutcome::Rectified);
    assert_eq!(outcome(&c.unit), RectificationOutcome::NotRectified);
    assert!(outcome(&c.unit).proposes_withdrawal());
    assert_eq!(outcome(&d.unit), RectificationOutcome::Overdue);

    // On the deadline itself nobody is overdue yet.
    let on_time = check_folder(&input, &notices, deadline);
    assert!(with_code(&on_time, Code::RectificationOverdue).is_empty());
    assert_eq!(
        on_time
            .units
            .iter()
            .find(|u| u.unit == d.unit)
            .unwrap()
            .outcome,
        RectificationOutcome::Pending
    );
}

#[test]
fn the_follow_up_workbook_round_trips_through_check_with_no_errors() {
    let (dir, input) = season();
    assert_eq!(
        cmd(
            &input,
            &["build", "--out", dir.path().join("out").to_str().unwrap()]
        )
        .code,
        Some(0)
    );
    // The build received the follow-ups already in the copy's 整改 folder
    // (the default data's own), each under its follow-up body.
    let earlier = followup_submissions(&input);
    assert_eq!(
        earlier.len(),
        fucha::rectify::followup_files(&input.join("整改")).len()
    );
    let blank = dir.path().join("待发整改表");
    let intake = cmd(
        &input,
        &[
            "intake",
            "--rectification",
            "--out",
            blank.to_str().unwrap(),
        ],
    );
    assert_eq!(intake.code, Some(0), "{intake:?}");
    let notices = followed_notices(&input);
    let bodies: std::collections::BTreeSet<&str> =
        notices.iter().map(|n| n.jurisdiction.as_str()).collect();
    let written: Vec<PathBuf> = files_under(&blank);
    assert_eq!(written.len(), bodies.len(), "{written:?}");

    // The blank workbook lists each unit with its notice, and offers the
    // 验收 result as a drop-down.
    let first = blank.join(&written[0]);
    let sheets = read_workbook(&first);
    let grid = &sheets[0].rows;
    let body = written[0]
        .to_string_lossy()
        .replace("整改落实情况表.xlsx", "");
    let own: Vec<_> = notices.iter().filter(|n| n.jurisdiction == body).collect();
    for (i, n) in own.iter().enumerate() {
        let row = &grid[2 + i];
        assert_eq!(cell_text(&row[1]), n.unit);
        assert_eq!(cell_text(&row[4]), n.number);
        assert_eq!(cell_text(&row[5]), n.deadline.to_string());
    }
    let xml = zip_entry(&first, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("type=\"list\"") && xml.contains("整改到位,未整改到位"),
        "no drop-down for the 验收 result"
    );

    // Filled in correctly and put in the 整改 folder, it checks clean.
    let fills: Vec<_> = notices.iter().map(|n| good_fill(n, true)).collect();
    place_workbooks(&input, &notices, &fills);
    let check = cmd(&input, &["check", "--on", "2020-12-20"]);
    assert_eq!(check.code, Some(0), "{check:?}");
    let expected = format!(
        "整改落实：读取 {} 个整改落实情况表，共 {} 行：接收 {} 行，退回 0 行；错误 0 个，警告 0 个。",
        bodies.len(),
        notices.len(),
        notices.len()
    );
    assert!(check.stdout.contains(&expected), "{}", check.stdout);
    // And the register kept them under follow-up bodies, which `status`
    // does not count as bodies that have sent nothing: one new workbook per
    // body, beside the earlier ones it replaced in the folder.
    let kept = followup_submissions(&input);
    let new: Vec<_> = kept
        .iter()
        .filter(|s| earlier.iter().all(|e| e.id != s.id))
        .collect();
    assert_eq!(new.len(), bodies.len(), "{new:#?}");
    let new_bodies: std::collections::BTreeSet<&str> =
        new.iter().filter_map(|s| s.body.as_deref()).collect();
    let wanted: Vec<String> = bodies
        .iter()
        .map(|b| fucha::rectify::followup_body(b))
        .collect();
    assert_eq!(
        new_bodies,
        wanted.iter().map(String::as_str).collect(),
        "{new:#?}"
    );
    assert_eq!(kept.len(), earlier.len() + new.len());
    for s in &kept {
        assert_eq!((s.rows, s.accepted, s.errors), (s.rows, s.rows, 0));
    }
    // They are no county's version: the county files' report does not list
    // them, and `status` shows them under their own bodies, never as a body
    // that has sent nothing.
    assert!(
        check
            .stdout
            .lines()
            .filter(|l| l.starts_with("== "))
            .all(|l| !l.contains("整改落实情况表")),
        "{}",
        check.stdout
    );
    let ctx = Context::load(&input.join("fucha.toml"), None).unwrap();
    let status = fucha::pipeline::status(&ctx, None).unwrap();
    let shown = status
        .bodies
        .iter()
        .filter(|b| {
            b.body
                .as_deref()
                .is_some_and(fucha::rectify::is_followup_body)
        })
        .count();
    assert_eq!(shown, bodies.len());
    assert!(
        status
            .not_received
            .iter()
            .all(|b| ctx.roster.jurisdictions().contains(&b.as_str())),
        "{:?}",
        status.not_received
    );
}

/// The follow-up workbooks the register holds, each under its follow-up
/// body.
fn followup_submissions(input: &Path) -> Vec<fucha::register::Submission> {
    let register = Register::open(&input.join(fucha::register::DEFAULT_FILE_NAME)).unwrap();
    register
        .submissions(2020)
        .unwrap()
        .into_iter()
        .filter(|s| {
            s.body
                .as_deref()
                .is_some_and(fucha::rectify::is_followup_body)
        })
        .collect()
}

/// The outcome a unit must have, computed from the register's rows (the
/// notice's deadline), what the test filled in, and the reference date.
fn expected_outcome(
    notice_deadline: &str,
    fill: Option<&FollowupFill>,
    reference: NaiveDate,
) -> &'static str {
    match fill.and_then(|f| f.accepted) {
        Some(true) => "整改到位",
        Some(false) => "未整改到位",
        None if reference > date(notice_deadline) => "逾期未报整改情况",
        None => "整改中",
    }
}

#[test]
fn the_closing_circular_counts_add_up_against_the_register() {
    let (dir, input) = season();
    assert_eq!(
        cmd(
            &input,
            &["build", "--out", dir.path().join("out").to_str().unwrap()]
        )
        .code,
        Some(0)
    );
    let notices = followed_notices(&input);
    // Two rectified, one not, the others silent past the deadline.
    let fills = vec![
        good_fill(&notices[0], true),
        good_fill(&notices[1], false),
        good_fill(&notices[2], true),
    ];
    place_workbooks(&input, &notices, &fills);
    let reference = date("2020-12-31");
    let out = dir.path().join("out2");
    let build = cmd(
        &input,
        &[
            "build",
            "--on",
            "2020-12-31",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(build.code, Some(0), "{build:?}");

    // Independently of fucha's code: the register's notice rows, read with
    // SQL, and which units the test filled in.
    let db = rusqlite::Connection::open(input.join(fucha::register::DEFAULT_FILE_NAME)).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT unit, outcome, requirements, deadline FROM rectification_notices
             WHERE year = 2020 ORDER BY seq",
        )
        .unwrap();
    let rows: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let followed: Vec<_> = rows
        .iter()
        .filter(|(_, outcome, requirements, _)| {
            outcome == "限期整改" || (outcome == "通报批评" && !requirements.trim().is_empty())
        })
        .collect();
    let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_unit = BTreeMap::new();
    for (unit, _, _, deadline) in &followed {
        let fill = fills.iter().find(|f| &f.unit == unit);
        let outcome = expected_outcome(deadline, fill, reference);
        *expected.entry(outcome).or_default() += 1;
        by_unit.insert(unit.clone(), outcome);
    }
    let count = |o: &str| expected.get(o).copied().unwrap_or(0);
    assert_eq!(
        (count("整改到位"), count("未整改到位")),
        (2, 1),
        "the fills should give two rectified units and one not"
    );

    let circular = out
        .join("09-整改情况通报")
        .join("岳阳市文明委关于2020年文明单位复查整改情况的通报.docx");
    let text = squash(&docx_text(&circular));
    let overall = format!(
        "需要整改的{}个单位中，整改到位{}个，未整改到位{}个，逾期未报送整改情况{}个。",
        followed.len(),
        count("整改到位"),
        count("未整改到位"),
        count("逾期未报整改情况")
    );
    assert!(text.contains(&overall), "{overall} not in {text}");
    // The attachment lists every unit under follow-up once, with its outcome.
    let tables = docx_tables(&circular);
    let table = tables
        .iter()
        .find(|t| t[0].first().is_some_and(|c| c == "序号"))
        .expect("the attachment's table");
    assert_eq!(table.len(), followed.len() + 1);
    for row in &table[1..] {
        let unit = &row[1];
        assert_eq!(Some(&row[6].as_str()), by_unit.get(unit), "{row:?}");
    }
    // The unit not rectified is proposed for withdrawal, by name.
    let not_rectified = &notices[1].unit;
    assert!(text.contains(not_rectified.as_str()) && text.contains("建议撤销其"));
    // One reminder per overdue unit, and none for the others.
    let reminders = files_under(&out.join("08-整改催办"));
    assert_eq!(reminders.len(), count("逾期未报整改情况"), "{reminders:?}");
    for (unit, outcome) in &by_unit {
        let chased = reminders
            .iter()
            .any(|p| p.to_string_lossy().contains(unit.as_str()));
        assert_eq!(chased, *outcome == "逾期未报整改情况", "{unit}");
    }
    // The report to the province has the national and provincial units'.
    let report = out
        .join("10-整改情况报省")
        .join("岳阳市文明办关于2020年全国和省级文明单位复查整改情况的报告.docx");
    assert!(squash(&docx_text(&report)).contains(not_rectified.as_str()));

    // An as-of build of today reads the follow-ups from the register and
    // writes the same circular, byte for byte, without the 整改 folder.
    std::fs::remove_dir_all(input.join("整改")).unwrap();
    let today = chrono::Local::now().date_naive().to_string();
    let again = dir.path().join("out3");
    let as_of = cmd(
        &input,
        &[
            "build",
            "--as-of",
            &today,
            "--on",
            "2020-12-31",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(as_of.code, Some(0), "{as_of:?}");
    let again_circular = again
        .join("09-整改情况通报")
        .join("岳阳市文明委关于2020年文明单位复查整改情况的通报.docx");
    // The words first, so that a difference reads as text.
    assert_eq!(
        squash(&docx_text(&circular)),
        squash(&docx_text(&again_circular)),
        "rebuilt as of {today}"
    );
    assert_eq!(
        std::fs::read(&circular).unwrap(),
        std::fs::read(again_circular).unwrap()
    );
}

#[test]
fn the_closing_documents_wait_while_a_unit_is_pending() {
    let (dir, input) = season();
    // Before the deadline with nothing reported: every unit is pending,
    // nobody is chased, and the 整改情况通报 waits.
    let out = dir.path().join("out");
    let build = cmd(
        &input,
        &[
            "build",
            "--on",
            "2020-11-20",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(build.code, Some(0), "{build:?}");
    assert!(files_under(&out.join("08-整改催办")).is_empty());
    assert!(files_under(&out.join("09-整改情况通报")).is_empty());
    assert!(
        build.stdout.contains("暂缓 09-整改情况通报")
            && build.stdout.contains("整改未到期或未验收"),
        "{}",
        build.stdout
    );
    // Drafted on request, marked as such.
    let draft = cmd(
        &input,
        &[
            "build",
            "--on",
            "2020-11-20",
            "--draft",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(draft.code, Some(0), "{draft:?}");
    let drafted = files_under(&out.join("09-整改情况通报"));
    assert_eq!(drafted.len(), 1);
    assert!(drafted[0].to_string_lossy().contains("征求意见稿"));
}

/// A file inside an xlsx (a zip), as text.
fn zip_entry(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_register_holds_each_notice_the_build_wrote_with_its_deadline() {
    let (dir, input) = season();
    let out = dir.path().join("out");
    assert_eq!(
        cmd(&input, &["build", "--out", out.to_str().unwrap()]).code,
        Some(0)
    );
    let register = Register::open(&input.join(fucha::register::DEFAULT_FILE_NAME)).unwrap();
    let notices = register.rectification_notices(2020).unwrap();
    let written = files_under(&out.join("05-整改通知书"));
    assert_eq!(written.len(), notices.len(), "{written:?}");
    for n in &notices {
        let file = out
            .join("05-整改通知书")
            .join(format!("{:02}-{}整改通知书.docx", n.seq, n.unit));
        let text = squash(&docx_text(&file));
        assert!(
            text.contains(&n.number),
            "{} lacks {}",
            file.display(),
            n.number
        );
        let by = format!("请于{}前", official_date(n.deadline));
        assert!(text.contains(&by), "{} lacks {by}", file.display());
    }
}

#[test]
fn check_reports_a_faulty_follow_up_at_its_cell_and_fails() {
    let (dir, input) = season();
    assert_eq!(
        cmd(
            &input,
            &["build", "--out", dir.path().join("out").to_str().unwrap()]
        )
        .code,
        Some(0)
    );
    let notices = followed_notices(&input);
    let mut fill = good_fill(&notices[0], true);
    fill.measures.clear();
    let files = place_workbooks(&input, &notices, &[fill]);
    let file = files[&notices[0].unit]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let row = row_of(&notices, &notices[0].unit) + 1;

    let text = cmd(&input, &["check", "--on", "2020-12-20"]);
    assert_eq!(text.code, Some(1), "{text:?}");
    let place = format!("{file}:整改落实情况!I{row}: error[rectification-measures-missing]");
    assert!(
        text.stdout.contains(&place),
        "{place} not in {}",
        text.stdout
    );

    let json = cmd(&input, &["check", "--on", "2020-12-20", "--format", "json"]);
    assert_eq!(json.code, Some(1));
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let found: Vec<_> = value["rectification"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "rectification-measures-missing")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["cell"], format!("I{row}"));
    assert_eq!(found[0]["unit"], notices[0].unit.as_str());
    // Every unit under follow-up is listed with an outcome, and they add up.
    let counts = &value["rectification"]["counts"];
    let parts: u64 = ["rectified", "not_rectified", "overdue", "pending"]
        .iter()
        .map(|k| counts[*k].as_u64().unwrap())
        .sum();
    assert_eq!(counts["total"].as_u64().unwrap(), parts);
    assert_eq!(parts as usize, notices.len());
}

/// The follow-up documents of the hand-made season, as snapshots of their
/// document model beside the other kinds' (`compose_snapshots`): 岳阳市财政局
/// (通报批评 with 整改要求) reported and was found 未整改到位; 国家税务总局
/// 岳阳县税务局 (限期整改) sent nothing by the deadline.
#[test]
fn the_follow_up_documents_read_as_their_templates_say() {
    use crate::compose_fixture::{campaign, clean_batch, outline, roster};
    let (roster, campaign) = (roster(), campaign());
    let batch = clean_batch(&roster);
    let notices: Vec<_> = fucha::compose::issued_notices(&batch, &roster, &campaign)
        .into_iter()
        .filter(needs_followup)
        .collect();
    let names: Vec<&str> = notices.iter().map(|n| n.unit.as_str()).collect();
    assert_eq!(names, ["岳阳市财政局", "国家税务总局岳阳县税务局"]);
    let dir = tempfile::tempdir().unwrap();
    let city: Vec<_> = notices
        .iter()
        .filter(|n| n.jurisdiction == "市直")
        .collect();
    let fill = good_fill(city[0], false);
    let path = dir.path().join("市直整改落实情况表.xlsx");
    std::fs::write(
        &path,
        followup_workbook(&city, &roster, &campaign, "市直", &[fill]).unwrap(),
    )
    .unwrap();
    let ctx = FollowupContext {
        notices: &notices,
        roster: &roster,
        campaign: &campaign,
        reference_date: notices[0].deadline + chrono::Duration::days(10),
        receipts: &Receipts::new(),
    };
    let season = check_followup_files(&[path], &ctx);
    let templates = fucha::compose::Templates::load(None).unwrap();
    let (documents, withheld) =
        fucha::compose::followup_documents(&season, &campaign, &templates, false).unwrap();
    assert!(withheld.is_empty(), "{withheld:?}");
    let kinds: Vec<_> = documents.iter().map(|d| d.kind.key()).collect();
    assert_eq!(
        kinds,
        ["reminder", "rectification_circular", "rectification_report"]
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for d in &documents {
        let name = format!("{}-1", d.kind.key());
        let text = format!("{}\n\n{}", d.path.display(), outline(&d.document));
        settings.bind(|| insta::assert_snapshot!(name, text));
    }
}

#[test]
fn a_later_workbook_that_leaves_an_accepted_unit_blank_does_not_undo_its_filing() {
    // The default season, with its own follow-ups received by a first build.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let first = dir.path().join("out1");
    let built = cmd(&input, &["build", "--out", first.to_str().unwrap()]);
    assert_eq!(built.code, Some(0), "{built:?}");
    let rectified_before = |text: &str| -> String {
        let at = text.find("整改到位").unwrap();
        text[at..].chars().take(12).collect()
    };
    let circular = |out: &Path| {
        squash(&docx_text(
            &out.join("09-整改情况通报")
                .join("岳阳市文明委关于2020年文明单位复查整改情况的通报.docx"),
        ))
    };
    let before = circular(&first);

    // Every body sends its table again under the same name, all blank: no
    // unit has reported anything new.
    let notices = followed_notices(&input);
    place_workbooks(&input, &notices, &[]);
    let second = dir.path().join("out2");
    let again = cmd(&input, &["build", "--out", second.to_str().unwrap()]);
    assert_eq!(again.code, Some(0), "{again:?}");
    // What was accepted stays accepted: the same outcome counts.
    assert_eq!(
        rectified_before(&circular(&second)),
        rectified_before(&before),
        "{}",
        circular(&second)
    );
    // And a build as of today, from the register alone, says the same.
    let today = chrono::Local::now().date_naive().to_string();
    let as_of = dir.path().join("out3");
    let rebuilt = cmd(
        &input,
        &["build", "--as-of", &today, "--out", as_of.to_str().unwrap()],
    );
    assert_eq!(rebuilt.code, Some(0), "{rebuilt:?}");
    assert_eq!(circular(&as_of), circular(&second));
}
