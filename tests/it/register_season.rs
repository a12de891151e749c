//! The register through a season (issue #13), with the real binary on a
//! copy of the default data: a county's correction supersedes its first
//! file without duplicates, nothing is lost when the first file is deleted,
//! an as-of build reproduces the documents, a withdrawn file stops
//! counting, two processes can write at once, a killed run leaves the
//! register whole, and the next year's roster comes from the register.

use crate::check_common::{Intake, V, good_row};
use crate::common::*;
use fucha::intake::{FilledRow, ReformNote, intake_workbook};
use fucha::pipeline::Context;
use fucha::register::{DEFAULT_FILE_NAME, Register};
use fucha::review::{Outcome, ReviewResult};
use std::path::{Path, PathBuf};

/// A copy of `input/` without any register, in a fresh folder, and
/// without 汨罗市's committed correction: each test makes its own versions.
fn season() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    std::fs::remove_file(input.join("报送/汨罗市（更正）.xlsx")).unwrap();
    (dir, input)
}

fn cmd(input: &Path, args: &[&str]) -> Run {
    let config = input.join("fucha.toml");
    let mut c = fucha();
    c.args(args).arg("--config").arg(&config);
    run(&mut c)
}

/// The default results of one body, as the office's own form would carry
/// them, with `change` applied.
fn workbook_of(input: &Path, body: &str, change: impl Fn(&mut FilledRow)) -> Vec<u8> {
    // Read with the files named, so making the workbook receives nothing.
    let (ctx, batch) =
        Context::load_and_check(&input.join("fucha.toml"), None, &[input.join("报送")]).unwrap();
    let rows: Vec<FilledRow> = batch
        .results
        .iter()
        .filter(|r| r.jurisdiction == body)
        .map(|r| {
            let mut row = filled(r);
            change(&mut row);
            row
        })
        .collect();
    intake_workbook(&ctx.roster, body, &ctx.campaign, &rows).unwrap()
}

fn filled(r: &ReviewResult) -> FilledRow {
    FilledRow {
        unit: r.unit.clone(),
        review_date: Some(r.review_date),
        methods: r.methods.clone(),
        score: Some(r.score),
        satisfaction: r.satisfaction,
        negative_list: r.negative_list.clone(),
        problems: r.problems.clone(),
        rectification: r.rectification.clone(),
        outcome: Some(r.outcome),
        reform_note: (!r.reform_note.is_empty())
            .then(|| ReformNote::InColumn(r.reform_note.clone())),
        remarks: r.remarks.clone(),
    }
}

/// 汨罗市's correction: its procuratorate no longer passes.
const CORRECTED: &str = "汨罗市人民检察院";

fn correct(row: &mut FilledRow) {
    if row.unit == CORRECTED {
        row.score = Some(78.0);
        row.outcome = Some(Outcome::Rectify);
        row.problems = "志愿服务记录不全".into();
        row.rectification = "补齐记录".into();
    }
}

fn correction(input: &Path) -> Vec<u8> {
    workbook_of(input, "汨罗市", correct)
}

/// The default data built into `out`; the circular's count of passing units.
fn build_and_count(input: &Path, out: &Path) -> usize {
    let run = run(fucha()
        .args(["build", "--out"])
        .arg(out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("duplicate-unit"), "{}", run.stderr);
    passed_in_circular(out)
}

/// "复查合格N个" in the circular's PDF.
fn passed_in_circular(out: &Path) -> usize {
    let dir = out.join("02-复查通报");
    let pdf = files_under(&dir)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("the circular");
    let text = squash(&pdf_text(&dir.join(pdf)));
    let at = text.find("复查合格").expect("the count of passing units");
    text[at + "复查合格".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

fn documents(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf" || e == "docx"))
        .map(|p| {
            let bytes = std::fs::read(out.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn a_correction_in_the_folder_supersedes_the_first_file_and_the_register_keeps_both() {
    let (dir, input) = season();
    let out = dir.path().join("out");
    let passed_before = build_and_count(&input, &out);
    std::fs::write(input.join("报送/汨罗市（更正）.xlsx"), correction(&input)).unwrap();
    // The circular counts the correction's result, with no duplicate-unit.
    assert_eq!(build_and_count(&input, &out), passed_before - 1);

    // Both versions are in the register, the correction in force, the
    // change named cell by cell.
    let status = cmd(&input, &["status"]);
    assert_eq!(status.code, Some(0), "{}", status.stderr);
    let body: Vec<&str> = status
        .stdout
        .lines()
        .skip_while(|l| *l != "== 汨罗市")
        .skip(1)
        .take_while(|l| !l.starts_with("=="))
        .collect();
    assert!(
        body[0].contains("汨罗市.xlsx") && body[0].ends_with("前一版"),
        "{body:#?}"
    );
    assert!(
        body[1].contains("汨罗市（更正）.xlsx") && body[1].ends_with("最新版"),
        "{body:#?}"
    );
    assert!(
        body.iter()
            .any(|l| l.contains(CORRECTED) && l.contains("测评得分") && l.contains("→ 78")),
        "{body:#?}"
    );
    assert!(
        body.iter()
            .any(|l| l.contains(CORRECTED) && l.contains("复查结论") && l.contains("限期整改")),
        "{body:#?}"
    );

    // Every row of both versions reads back from the register, and both
    // files byte for byte.
    let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
    let versions: Vec<_> = register
        .submissions(2020)
        .unwrap()
        .into_iter()
        .filter(|s| s.body.as_deref() == Some("汨罗市"))
        .collect();
    assert_eq!(versions.len(), 2);
    for v in &versions {
        assert_eq!(register.rows(v.id).unwrap().len(), v.rows);
        assert_eq!(
            register.file_bytes(&v.hash).unwrap(),
            std::fs::read(input.join("报送").join(&v.name)).unwrap()
        );
    }
    // The circular records the versions it came from.
    let circular = files_under(&out.join("02-复查通报")).remove(0);
    let path = Path::new("02-复查通报")
        .join(circular)
        .to_string_lossy()
        .into_owned();
    let sources = register.sources_of(2020, &path).unwrap();
    assert!(sources.contains(&versions[1].id), "{sources:?}");
}

#[test]
fn a_partial_correction_changes_the_circular_by_its_own_rows_only() {
    let (dir, input) = season();
    let out = dir.path().join("out");
    let before = build_and_count(&input, &out);
    // Only the corrected unit's row, as a county sends a 更正 of one line.
    let roster = Context::load(&input.join("fucha.toml"), None)
        .unwrap()
        .roster;
    let mut row = good_row(&roster, CORRECTED);
    row[7] = V::N(78.0);
    row[10] = V::S("志愿服务记录不全".into());
    row[11] = V::S("补齐记录".into());
    row[12] = V::S("限期整改".into());
    Intake::new(vec![row]).write(&input.join("报送/汨罗市（更正）.xlsx"));
    assert_eq!(build_and_count(&input, &out), before - 1);
    // The units the correction left out keep the first file's values, and
    // the check says so for each of them.
    let check = cmd(&input, &["check", "--format", "json"]);
    let left_out = check.stdout.matches("unit-not-in-new-version").count();
    let units_of_body = roster.units_of("汨罗市").count();
    assert_eq!(left_out, units_of_body - 1, "{}", check.stdout);
}

/// The units that pass in the season at `input`, read as a build reads it
/// (the city's spot-check findings in force), on a copy of it: nothing is
/// received into `input`'s own register, so that its files are received
/// together at the first build.
fn passing_in_default(input: &Path) -> usize {
    let copy = tempfile::tempdir().unwrap();
    let season = copy.path().join("input");
    copy_dir(input, &season);
    let (_, batch) = Context::load_and_check(&season.join("fucha.toml"), None, &[]).unwrap();
    batch
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass)
        .count()
}

#[test]
fn received_together_the_marked_version_is_in_force_in_the_circular() {
    // Both versions are in the folder before the first build, so the
    // register receives them at one instant: the name's mark decides,
    // whichever of the two carries the change.
    for correction_is_marked in [true, false] {
        let (dir, input) = season();
        let passing = passing_in_default(&input);
        let out = dir.path().join("out");
        let corrected = correction(&input);
        let original = std::fs::read(input.join("报送/汨罗市.xlsx")).unwrap();
        let (marked, unmarked) = if correction_is_marked {
            (corrected, original)
        } else {
            (original, corrected)
        };
        std::fs::write(input.join("报送/汨罗市（第二次报送）.xlsx"), marked).unwrap();
        std::fs::write(input.join("报送/汨罗市.xlsx"), unmarked).unwrap();
        let expected = if correction_is_marked {
            passing - 1
        } else {
            passing
        };
        assert_eq!(build_and_count(&input, &out), expected);
    }
}

#[test]
fn deleting_the_first_file_loses_nothing_and_an_as_of_build_reproduces_the_documents() {
    let (dir, input) = season();
    let out = dir.path().join("out");
    std::fs::write(input.join("报送/汨罗市（更正）.xlsx"), correction(&input)).unwrap();
    let built = run(fucha()
        .args(["build", "--out"])
        .arg(&out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(built.code, Some(0), "{}", built.stderr);

    // The clerk tidies the folder: the first file goes.
    std::fs::remove_file(input.join("报送/汨罗市.xlsx")).unwrap();
    let status = cmd(&input, &["status"]);
    assert!(status.stdout.contains("汨罗市.xlsx"), "{}", status.stdout);

    // Today's documents, rebuilt from the register alone.
    let today = chrono::Local::now().date_naive().to_string();
    let again = dir.path().join("again");
    let rebuilt = run(fucha()
        .args(["build", "--as-of", &today, "--out"])
        .arg(&again)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(rebuilt.code, Some(0), "{}", rebuilt.stderr);
    let (a, b) = (documents(&out), documents(&again));
    assert!(a.len() > 40, "{}", a.len());
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa:?} differs when rebuilt as of {today}");
    }
    // Before anything was received, nothing was in force.
    let early = run(fucha()
        .args(["build", "--as-of", "2020-01-01", "--out"])
        .arg(dir.path().join("early"))
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert!(
        early.stdout.contains("读取 0 个报送文件"),
        "{}",
        early.stdout
    );
}

#[test]
fn a_withdrawn_file_stays_in_the_register_but_no_longer_counts() {
    let (dir, input) = season();
    let out = dir.path().join("out");
    let received = cmd(&input, &["check"]);
    assert_eq!(received.code, Some(0), "{}", received.stderr);
    std::fs::write(dir.path().join("汨罗市（更正）.xlsx"), correction(&input)).unwrap();
    let r = run(fucha()
        .args(["receive", "--at", "2020-10-12T09:30:00"])
        .arg(dir.path().join("汨罗市（更正）.xlsx"))
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("新登记 1 个文件"), "{}", r.stdout);
    // Receiving it again changes nothing.
    let again = run(fucha()
        .arg("receive")
        .arg(dir.path().join("汨罗市（更正）.xlsx"))
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert!(
        again.stdout.contains("新登记 0 个文件，1 个已在登记簿中"),
        "{}",
        again.stdout
    );

    let w = cmd(
        &input,
        &[
            "withdraw",
            "汨罗市（更正）.xlsx",
            "--reason",
            "误收，应为平江县的表",
        ],
    );
    assert_eq!(w.code, Some(0), "{}", w.stderr);
    let status = cmd(&input, &["status"]);
    assert!(status.stdout.contains("已撤回"), "{}", status.stdout);
    assert!(
        status.stdout.contains("误收，应为平江县的表"),
        "{}",
        status.stdout
    );
    // An as-of build of today leaves the withdrawn version out: the first
    // file's results count.
    let today = chrono::Local::now().date_naive().to_string();
    let b = run(fucha()
        .args(["build", "--as-of", &today, "--out"])
        .arg(&out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let (ctx, batch) = Context::load_and_check(&input.join("fucha.toml"), None, &[]).unwrap();
    let passing = batch
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass)
        .count();
    let _ = ctx;
    assert_eq!(passed_in_circular(&out), passing);
}

#[test]
fn two_processes_receiving_at_once_both_land() {
    let (dir, input) = season();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    for (i, name) in ["岳阳县", "华容县", "平江县", "湘阴县", "汨罗市", "临湘市"]
        .iter()
        .enumerate()
    {
        let folder = if i % 2 == 0 { &a } else { &b };
        std::fs::copy(
            input.join(format!("报送/{name}.xlsx")),
            folder.join(format!("{name}.xlsx")),
        )
        .unwrap();
    }
    let spawn = |folder: &Path| {
        fucha()
            .arg("receive")
            .arg(folder)
            .arg("--config")
            .arg(input.join("fucha.toml"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // No register yet: both processes create it at the same instant.
    assert!(!input.join(DEFAULT_FILE_NAME).exists());
    let (mut pa, mut pb) = (spawn(&a), spawn(&b));
    assert!(pa.wait().unwrap().success());
    assert!(pb.wait().unwrap().success());
    let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
    assert_eq!(register.submissions(2020).unwrap().len(), 6);
}

/// The workbooks a `check` of the season at `input` receives, by body and
/// file name: the county files (one body each, 汨罗市's correction left out
/// by `season`), the inspectors' spot-check workbooks and the follow-ups,
/// each under a body of its own.
fn season_files(input: &Path) -> Vec<(String, String)> {
    let campaign = Context::load(&input.join("fucha.toml"), None)
        .unwrap()
        .campaign;
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let mut files: Vec<(String, String)> = files_under(&campaign.intake)
        .iter()
        .map(|p| (name(p).trim_end_matches(".xlsx").to_string(), name(p)))
        .collect();
    files.extend(
        files_under(&campaign.spot_checks)
            .iter()
            .map(|p| (fucha::check::spot::SPOT_BODY.to_string(), name(p))),
    );
    files.extend(files_under(&campaign.rectifications).iter().map(|p| {
        let body = name(p).trim_end_matches("整改落实情况表.xlsx").to_string();
        (fucha::rectify::followup_body(&body), name(p))
    }));
    files.sort();
    files
}

/// The register's submissions of 2020, by body and file name.
fn received(register: &Register) -> Vec<(String, String)> {
    let mut got: Vec<(String, String)> = register
        .submissions(2020)
        .unwrap()
        .into_iter()
        .map(|s| (s.body.unwrap_or_default(), s.name))
        .collect();
    got.sort();
    got
}

#[test]
fn a_run_killed_while_recording_leaves_the_register_whole_and_the_next_run_completes() {
    let (_dir, input) = season();
    for delay_ms in [5u64, 30, 80] {
        let mut child = fucha()
            .arg("check")
            .arg("--config")
            .arg(input.join("fucha.toml"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the moment, the register opens and is consistent.
        let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
        for s in register.submissions(2020).unwrap() {
            assert_eq!(register.rows(s.id).unwrap().len(), s.rows, "{}", s.name);
            assert!(!register.file_bytes(&s.hash).unwrap().is_empty());
        }
    }
    let done = cmd(&input, &["check"]);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
    assert_eq!(received(&register), season_files(&input));
}

#[test]
fn the_default_season_gives_a_units_history_and_the_2023_roster() {
    // Out of the box: no build has run, the register does not exist yet.
    let (dir, input) = season();

    // The unit the default data withdraws the honour of.
    let (_, batch) =
        Context::load_and_check(&input.join("fucha.toml"), None, &[input.join("报送")]).unwrap();
    let revoked = batch
        .results
        .iter()
        .find(|r| r.outcome == Outcome::Revoke)
        .expect("the default data revokes one honour");
    let h = cmd(&input, &["history", &revoked.unit]);
    assert_eq!(h.code, Some(0), "{}", h.stderr);
    // The first command seeds the register with the season, and says so.
    assert!(
        h.stdout.contains(&format!(
            "登记簿中还没有2020年的复查结果：已登记报送文件夹 {} 中的文件，记入 {} 个单位的结果",
            input.join("报送").display(),
            batch.results.len()
        )),
        "{}",
        h.stdout
    );
    assert!(
        h.stdout.contains(&format!(
            "2020年  {}，{}年命名",
            revoked.level.label(),
            revoked.award_year
        )),
        "{}",
        h.stdout
    );
    assert!(h.stdout.contains("撤销荣誉称号"), "{}", h.stdout);
    let unknown = cmd(&input, &["history", "没有这个单位"]);
    assert_eq!(unknown.code, Some(2));
    assert!(
        unknown.stderr.contains("登记簿中没有“没有这个单位”"),
        "{}",
        unknown.stderr
    );

    let out = dir.path().join("2023年复查单位名单.xlsx");
    let r = run(fucha()
        .args(["roster", "--year", "2023", "--out"])
        .arg(&out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // 2023 falls on the national units' three-year cycle (named 2008,
    // 2011, 2014, 2017) and on no provincial one (2014, 2016, 2018).
    let roster = fucha::roster::Roster::load(&out).expect("the roster reads back as a roster");
    let ctx = Context::load(&input.join("fucha.toml"), None).unwrap();
    let national: Vec<&str> = ctx
        .roster
        .units()
        .iter()
        .filter(|u| u.level == fucha::review::HonourLevel::National && u.name != revoked.unit)
        .map(|u| u.name.as_str())
        .collect();
    let listed: Vec<&str> = roster.units().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(listed, national);
    assert!(
        r.stdout
            .contains(&format!("2023年应复查 {} 个单位", national.len())),
        "{}",
        r.stdout
    );
}

#[test]
fn a_backup_restores_the_register_and_junk_is_refused() {
    let (dir, input) = season();
    assert_eq!(cmd(&input, &["check"]).code, Some(0));
    let backup = dir.path().join("备份.sqlite");
    let b = run(fucha()
        .arg("backup")
        .arg(&backup)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    // The register is lost with the laptop.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(input.join(format!("{DEFAULT_FILE_NAME}{suffix}")));
    }
    let r = run(fucha()
        .arg("restore")
        .arg(&backup)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
    assert_eq!(received(&register), season_files(&input));

    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a register").unwrap();
    let refused = run(fucha()
        .arg("restore")
        .arg(&junk)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(refused.code, Some(2));
    assert!(
        refused.stderr.contains("不是完好的复查登记簿"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_table_sent_again_under_the_same_name_is_a_later_version_as_of_too() {
    let (dir, input) = season();
    let first = dir.path().join("out1");
    build_and_count(&input, &first);
    // 汨罗市 sends its corrected table under the first file's own name.
    std::fs::write(input.join("报送/汨罗市.xlsx"), correction(&input)).unwrap();
    let live = dir.path().join("out2");
    let passed = build_and_count(&input, &live);
    // Rebuilt from the register, both versions kept under one path: the
    // later one is in force, and no unit is a duplicate of itself.
    let today = chrono::Local::now().date_naive().to_string();
    let as_of = dir.path().join("out3");
    let r = run(fucha()
        .args(["build", "--as-of", &today, "--out"])
        .arg(&as_of)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("duplicate-unit"), "{}", r.stderr);
    assert_eq!(passed_in_circular(&as_of), passed);
}
