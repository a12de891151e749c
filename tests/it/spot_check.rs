//! The city's spot check (issue #14, 随机抽查): the inspectors' workbook
//! round-trips through `check` with no error when filled correctly; each
//! discrepancy rule fires at its cell and names both the county and the
//! city; a unit not drawn is refused; the city's finding replaces the
//! county's result; the circular's 随机抽查情况 counts and names exactly
//! the discrepancies, and `build --as-of` reproduces it from the register.

use crate::check_common::{Intake, campaign, cell_of, roster, with_code};
use crate::common::*;
use fucha::campaign::Campaign;
use fucha::check::spot::{SPOT_BODY, SpotDraw, apply_spot_checks, draw_from_workbooks};
use fucha::check::{CheckedBatch, check_paths};
use fucha::diag::{CellPos, Code, Severity};
use fucha::intake::FilledRow;
use fucha::intake::contract::Field;
use fucha::intake::spot::{confirming_finding, spot_check_workbook, spot_column};
use fucha::pipeline::Context;
use fucha::register::{DEFAULT_FILE_NAME, Register};
use fucha::review::{Outcome, ReviewResult};
use fucha::roster::Roster;
use std::path::{Path, PathBuf};

/// The first data row of the inspectors' sheet (0-based), below its title
/// and header.
const FIRST_SPOT_ROW: u32 = 2;

/// The test roster's county files, all valid, checked.
fn county_batch(dir: &Path) -> (Roster, Campaign, CheckedBatch) {
    let (roster, campaign) = (roster(), campaign());
    let intake = dir.join("报送");
    std::fs::create_dir_all(&intake).unwrap();
    for body in ["岳阳县", "华容县", "市直"] {
        Intake::of_body(&roster, body).write(&intake.join(format!("{body}.xlsx")));
    }
    let batch = check_paths(&[intake], &roster, &campaign);
    assert_eq!(batch.errors(), 0, "{:#?}", batch.diagnostics);
    (roster, campaign, batch)
}

/// A draw of `count` units with the real method.
fn draw(roster: &Roster, batch: &CheckedBatch, count: usize) -> SpotDraw {
    let d = fucha::sample::draw_record(roster, &batch.results, count, 20201106);
    assert_eq!(d.picks.len(), count);
    SpotDraw {
        seed: d.seed,
        units: d.picks.into_iter().map(|p| p.unit).collect(),
    }
}

/// What an inspector who agrees with the county writes, on a day after
/// the counties' phases.
fn agreeing(r: &ReviewResult) -> FilledRow {
    confirming_finding(r, chrono::NaiveDate::from_ymd_opt(2020, 10, 20).unwrap())
}

fn county_result<'a>(batch: &'a CheckedBatch, unit: &str) -> &'a ReviewResult {
    batch
        .results
        .iter()
        .find(|r| r.unit == unit)
        .expect("county result")
}

/// Writes the inspectors' workbook for `draw` with `filled` typed in and
/// folds it into `batch` as `check` does; returns its path.
fn spot_check(
    dir: &Path,
    roster: &Roster,
    campaign: &Campaign,
    written_for: &SpotDraw,
    held_to: &SpotDraw,
    filled: &[FilledRow],
    batch: &mut CheckedBatch,
) -> PathBuf {
    let bytes = spot_check_workbook(roster, campaign, written_for, &batch.results, filled).unwrap();
    let path = dir.join("抽查").join("随机抽查情况表.xlsx");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let read = |p: &Path| fucha::ingest::read_workbook(p);
    apply_spot_checks(
        std::slice::from_ref(&path),
        &read,
        Some(held_to),
        roster,
        campaign,
        batch,
    );
    path
}

/// The A1 cell of `field` on the row of the `i`-th drawn unit.
fn cell(i: usize, field: Field) -> String {
    CellPos::new(FIRST_SPOT_ROW + i as u32, u32::from(spot_column(field))).to_string()
}

fn spot_codes(batch: &CheckedBatch) -> Vec<Code> {
    batch
        .diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| c.as_str().starts_with("spot-"))
        .collect()
}

#[test]
fn a_correctly_filled_inspectors_workbook_round_trips_with_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, mut batch) = county_batch(dir.path());
    let draw = draw(&roster, &batch, 4);
    let filled: Vec<FilledRow> = draw
        .units
        .iter()
        .map(|u| agreeing(county_result(&batch, u)))
        .collect();
    let results_before = batch.results.len();
    let path = spot_check(
        dir.path(),
        &roster,
        &campaign,
        &draw,
        &draw,
        &filled,
        &mut batch,
    );

    assert_eq!(batch.errors(), 0, "{:#?}", batch.diagnostics);
    assert!(spot_codes(&batch).is_empty(), "{:#?}", batch.diagnostics);
    crate::check_common::assert_nothing_lost(&batch);
    let file = batch.files.last().unwrap();
    assert_eq!(file.path, path.display().to_string());
    assert_eq!(file.jurisdiction.as_deref(), Some(SPOT_BODY));
    assert_eq!(
        (file.rows, file.accepted),
        (draw.units.len(), draw.units.len())
    );

    // Every drawn unit confirmed; its result in force is now the city's,
    // one per unit, no more results than before.
    let spot = batch.spot_check.as_ref().expect("the spot check");
    assert_eq!(spot.units.len(), draw.units.len());
    assert!(spot.units.iter().all(|u| u.confirmed()));
    assert_eq!(batch.results.len(), results_before);
    for unit in &draw.units {
        let origins: Vec<&str> = batch
            .results
            .iter()
            .filter(|r| &r.unit == unit)
            .map(|r| r.origin.file.as_str())
            .collect();
        assert_eq!(origins, [file.path.as_str()], "{unit}");
    }
}

#[test]
fn each_discrepancy_is_reported_at_its_cell_naming_county_and_city() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, mut batch) = county_batch(dir.path());
    let draw = draw(&roster, &batch, 4);
    let mut filled: Vec<FilledRow> = draw
        .units
        .iter()
        .map(|u| agreeing(county_result(&batch, u)))
        .collect();
    // 0: the city finds the unit must rectify, with a score under the line.
    let line = campaign.pass_lines.score;
    filled[0].outcome = Some(Outcome::Rectify);
    filled[0].score = Some(line - 12.0);
    filled[0].problems = "志愿服务台账缺失".into();
    filled[0].rectification = "一个月内补齐台账".into();
    // 1: both pass, but the city found problems the county did not.
    filled[1].problems = "宣传栏内容陈旧".into();
    // 2 and 3 agree.
    spot_check(
        dir.path(),
        &roster,
        &campaign,
        &draw,
        &draw,
        &filled,
        &mut batch,
    );
    assert_eq!(batch.errors(), 0, "{:#?}", batch.diagnostics);

    let county0 = county_result_before(&dir, &roster, &campaign, &draw.units[0]);
    let outcome = crate::check_common::only(&batch, Code::SpotOutcomeDiffers);
    assert_eq!(cell_of(outcome), cell(0, Field::Outcome));
    assert_eq!(outcome.severity, Severity::Warning);
    assert_eq!(outcome.unit.as_deref(), Some(draw.units[0].as_str()));
    for named in [
        format!("{}文明办", county0.jurisdiction),
        format!("“{}”", county0.outcome.label()),
        "“限期整改”".to_string(),
    ] {
        assert!(
            outcome.message.contains(&named),
            "{named}: {}",
            outcome.message
        );
    }
    let score = crate::check_common::only(&batch, Code::SpotScoreBelowPassLine);
    assert_eq!(cell_of(score), cell(0, Field::Score));
    assert!(
        score.message.contains(&format!("{}", line - 12.0)),
        "{}",
        score.message
    );
    let missed = crate::check_common::only(&batch, Code::SpotProblemsMissed);
    assert_eq!(cell_of(missed), cell(1, Field::Problems));
    assert!(
        missed.message.contains("宣传栏内容陈旧"),
        "{}",
        missed.message
    );

    // The city's finding is in force for unit 0; units 2 and 3 confirmed.
    assert_eq!(
        county_result(&batch, &draw.units[0]).outcome,
        Outcome::Rectify
    );
    let spot = batch.spot_check.as_ref().unwrap();
    let confirmed: Vec<&str> = spot
        .units
        .iter()
        .filter(|u| u.confirmed())
        .map(|u| u.unit.as_str())
        .collect();
    assert_eq!(confirmed, [draw.units[2].as_str(), draw.units[3].as_str()]);
}

/// The county's own result for a unit, from its files alone.
fn county_result_before(
    dir: &tempfile::TempDir,
    roster: &Roster,
    campaign: &Campaign,
    unit: &str,
) -> ReviewResult {
    let batch = check_paths(&[dir.path().join("报送")], roster, campaign);
    county_result(&batch, unit).clone()
}

#[test]
fn a_finding_for_a_unit_not_drawn_is_refused_at_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, mut batch) = county_batch(dir.path());
    let written_for = draw(&roster, &batch, 3);
    // The draw in force has only the first two: a stale workbook.
    let held_to = SpotDraw {
        seed: written_for.seed,
        units: written_for.units[..2].to_vec(),
    };
    let filled: Vec<FilledRow> = written_for
        .units
        .iter()
        .map(|u| agreeing(county_result(&batch, u)))
        .collect();
    let county_third = county_result(&batch, &written_for.units[2]).clone();
    spot_check(
        dir.path(),
        &roster,
        &campaign,
        &written_for,
        &held_to,
        &filled,
        &mut batch,
    );
    let d = crate::check_common::only(&batch, Code::SpotUnitNotDrawn);
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(cell_of(d), cell(2, Field::Name));
    assert!(d.file.as_deref().unwrap().ends_with("随机抽查情况表.xlsx"));
    let file = batch.files.last().unwrap();
    assert_eq!((file.rows, file.accepted, file.rejected), (3, 2, 1));
    crate::check_common::assert_nothing_lost(&batch);
    // The county's result for the refused unit stands.
    assert_eq!(county_result(&batch, &written_for.units[2]), &county_third);
}

#[test]
fn a_faulty_inspectors_workbook_gets_a_marked_copy_but_no_letter() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, mut batch) = county_batch(dir.path());
    let written_for = draw(&roster, &batch, 2);
    let held_to = SpotDraw {
        seed: written_for.seed,
        units: written_for.units[..1].to_vec(),
    };
    let filled: Vec<FilledRow> = written_for
        .units
        .iter()
        .map(|u| agreeing(county_result(&batch, u)))
        .collect();
    let path = spot_check(
        dir.path(),
        &roster,
        &campaign,
        &written_for,
        &held_to,
        &filled,
        &mut batch,
    );
    assert_eq!(batch.errors(), 1, "{:#?}", batch.diagnostics);
    let marked = fucha::pipeline::feedback_workbooks(&batch).unwrap();
    assert_eq!(marked.len(), 1);
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(
        marked[0].0.to_string_lossy().contains(&stem),
        "{:?}",
        marked[0].0
    );
    let templates = fucha::compose::Templates::load(None).unwrap();
    let set = fucha::compose::document_set(&batch, &roster, &campaign, &templates, false).unwrap();
    let letters: Vec<_> = set
        .documents
        .iter()
        .filter(|d| d.kind == fucha::compose::DocumentKind::Feedback)
        .map(|d| d.path.clone())
        .collect();
    assert!(letters.is_empty(), "{letters:?}");
}

#[test]
fn blank_rows_are_drawn_units_not_inspected_yet() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, mut batch) = county_batch(dir.path());
    let draw = draw(&roster, &batch, 3);
    let filled = vec![agreeing(county_result(&batch, &draw.units[1]))];
    spot_check(
        dir.path(),
        &roster,
        &campaign,
        &draw,
        &draw,
        &filled,
        &mut batch,
    );
    assert_eq!(batch.errors(), 0, "{:#?}", batch.diagnostics);
    let waiting = with_code(&batch, Code::SpotUnitNotInspected);
    let at: Vec<(String, String)> = waiting
        .iter()
        .map(|d| (d.unit.clone().unwrap(), cell_of(d)))
        .collect();
    assert_eq!(
        at,
        [
            (draw.units[0].clone(), cell(0, Field::Date)),
            (draw.units[2].clone(), cell(2, Field::Date)),
        ]
    );
    let file = batch.files.last().unwrap();
    assert_eq!((file.rows, file.accepted), (1, 1));
    let spot = batch.spot_check.as_ref().unwrap();
    assert_eq!(spot.units.iter().filter(|u| u.city.is_none()).count(), 2);
}

#[test]
fn without_a_draw_every_finding_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, mut batch) = county_batch(dir.path());
    let written_for = draw(&roster, &batch, 2);
    let none = SpotDraw {
        seed: 0,
        units: Vec::new(),
    };
    let filled: Vec<FilledRow> = written_for
        .units
        .iter()
        .map(|u| agreeing(county_result(&batch, u)))
        .collect();
    spot_check(
        dir.path(),
        &roster,
        &campaign,
        &written_for,
        &none,
        &filled,
        &mut batch,
    );
    let refused = with_code(&batch, Code::SpotUnitNotDrawn);
    assert_eq!(refused.len(), 2);
    assert!(refused[0].message.contains("没有2020年的随机抽查记录"));
}

#[test]
fn the_inspectors_workbook_shows_the_county_result_beside_drop_downs_for_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, batch) = county_batch(dir.path());
    let draw = draw(&roster, &batch, 3);
    let bytes = spot_check_workbook(&roster, &campaign, &draw, &batch.results, &[]).unwrap();
    let grid = crate::intake_support::sheet_grid(&bytes, fucha::check::spot::SPOT_SHEET);
    let header = &grid[FIRST_SPOT_ROW as usize - 1];
    let at = |label: &str| crate::intake_support::col(header, label);
    for (i, unit) in draw.units.iter().enumerate() {
        let row = &grid[FIRST_SPOT_ROW as usize + i];
        let county = county_result(&batch, unit);
        let text = |c: usize| crate::intake_support::text(&row[c]);
        assert_eq!(text(at(Field::Name.label())), *unit);
        assert_eq!(text(at("县市区复查结论")), county.outcome.label());
        assert_eq!(text(at("县市区测评得分")), format!("{}", county.score));
        assert_eq!(
            text(at(Field::Outcome.label())),
            "",
            "left to the inspectors"
        );
    }
    // Drop-downs over exactly the drawn rows: conclusions and methods.
    let sheet = crate::intake_support::package_part(&bytes, "xl/worksheets/sheet1.xml");
    let last = FIRST_SPOT_ROW as usize + draw.units.len();
    for field in [Field::Outcome, Field::Methods] {
        let first = cell(0, field);
        let letters: String = first.chars().filter(char::is_ascii_uppercase).collect();
        let range = format!("sqref=\"{first}:{letters}{last}\"");
        let at = sheet
            .find(&range)
            .unwrap_or_else(|| panic!("{range} in {sheet}"));
        let start = sheet[..at].rfind("<dataValidation ").unwrap();
        assert!(sheet[start..at].contains("type=\"list\""), "{field:?}");
    }
    assert!(sheet.contains("复查合格,约谈警告,限期整改,通报批评,黄牌警告,撤销荣誉称号"));
}

#[test]
fn a_draw_without_any_inspectors_workbook_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, mut batch) = county_batch(dir.path());
    let before = (batch.results.clone(), batch.diagnostics.clone());
    let draw = draw(&roster, &batch, 3);
    let read = |p: &Path| fucha::ingest::read_workbook(p);
    apply_spot_checks(&[], &read, Some(&draw), &roster, &campaign, &mut batch);
    assert!(batch.spot_check.is_none());
    assert_eq!((batch.results, batch.diagnostics), before);
}

#[test]
fn a_workbook_stands_for_a_missing_draw_only_when_its_seed_draws_its_units() {
    let dir = tempfile::tempdir().unwrap();
    let (roster, campaign, batch) = county_batch(dir.path());
    let real = draw(&roster, &batch, 3);
    let write = |name: &str, d: &SpotDraw| {
        let bytes = spot_check_workbook(&roster, &campaign, d, &batch.results, &[]).unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let read = |p: &Path| fucha::ingest::read_workbook(p);
    let honest = write("honest.xlsx", &real);
    let found = draw_from_workbooks(
        std::slice::from_ref(&honest),
        &read,
        &roster,
        &batch.results,
    )
    .expect("the seed draws the listed units");
    let units: Vec<String> = found.picks.iter().map(|p| p.unit.clone()).collect();
    assert_eq!((found.seed, units), (real.seed, real.units.clone()));

    // Another unit listed under the same seed: not what the seed draws.
    let undrawn = batch
        .results
        .iter()
        .find(|r| r.jurisdiction != "市直" && !real.units.contains(&r.unit))
        .unwrap();
    let mut forged = real.clone();
    forged.units[1] = undrawn.unit.clone();
    let forged = write("forged.xlsx", &forged);
    assert!(draw_from_workbooks(&[forged], &read, &roster, &batch.results).is_none());
}

// ---- the whole season, with the real binary ------------------------------

fn cmd(input: &Path, args: &[&str]) -> Run {
    let mut c = fucha();
    c.args(args).arg("--config").arg(input.join("fucha.toml"));
    run(&mut c)
}

/// The circular's PDF text in `out`, squashed.
fn circular_text(out: &Path) -> String {
    let dir = out.join("02-复查通报");
    let pdf = files_under(&dir)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("the circular");
    squash(&pdf_text(&dir.join(pdf)))
}

/// The text from the 随机抽查情况 heading to the next first-level heading.
fn spot_section(text: &str) -> &str {
    let start = text.find("随机抽查情况").expect("a 随机抽查情况 section");
    let rest = &text[start..];
    let end = rest.find("下一步工作要求").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn a_filled_workbook_in_a_fresh_season_folder_brings_its_verified_draw() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    for f in files_under(&input) {
        if f.to_string_lossy().contains(".sqlite") {
            std::fs::remove_file(input.join(f)).unwrap();
        }
    }
    // A season before any spot check: the default data's own inspectors'
    // workbook (another draw) goes, so that the one made here is the only.
    let spot_dir = input.join("抽查");
    if spot_dir.exists() {
        std::fs::remove_dir_all(&spot_dir).unwrap();
    }
    // As a demo generator would: the draw made from the county results,
    // the inspectors' findings agreeing, no `sample` run in this register.
    let (ctx, county) =
        Context::load_and_check(&input.join("fucha.toml"), None, &[input.join("报送")]).unwrap();
    let made = fucha::sample::draw_record(&ctx.roster, &county.results, 4, 7);
    let draw = SpotDraw {
        seed: made.seed,
        units: made.picks.iter().map(|p| p.unit.clone()).collect(),
    };
    let filled: Vec<FilledRow> = draw
        .units
        .iter()
        .map(|u| agreeing(county_result(&county, u)))
        .collect();
    let bytes =
        spot_check_workbook(&ctx.roster, &ctx.campaign, &draw, &county.results, &filled).unwrap();
    std::fs::create_dir_all(&spot_dir).unwrap();
    std::fs::write(spot_dir.join("随机抽查情况表.xlsx"), bytes).unwrap();

    let r = cmd(&input, &["check", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("spot-unit-not-drawn"), "{}", r.stdout);
    let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
    let recorded = register
        .draw_in_force(2020, None)
        .unwrap()
        .expect("the draw");
    let units: Vec<String> = recorded.units.iter().map(|u| u.unit.clone()).collect();
    assert_eq!((recorded.seed, units), (draw.seed, draw.units));
}

#[test]
fn the_circular_names_exactly_the_discrepancies_and_as_of_reproduces_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let drawn = 5;
    let r = run(fucha()
        .args([
            "sample",
            "--count",
            &drawn.to_string(),
            "--seed",
            "20201106",
        ])
        .arg("--out")
        .arg(dir.path().join("sample"))
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);

    // The blank inspectors' workbook checks clean: every unit waits.
    let spot_dir = input.join("抽查");
    let r = run(fucha()
        .args(["intake", "--spot-check", "--out"])
        .arg(&spot_dir)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    let r = cmd(&input, &["check", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.stdout.matches("spot-unit-not-inspected").count(), drawn);

    // The inspectors' findings: the first unit found wanting, the last not
    // inspected, the others confirmed.
    let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
    let recorded = register
        .draw_in_force(2020, None)
        .unwrap()
        .expect("the draw");
    let draw = SpotDraw {
        seed: recorded.seed,
        units: recorded.units.iter().map(|u| u.unit.clone()).collect(),
    };
    assert_eq!(draw.units.len(), drawn);
    let (ctx, county) =
        Context::load_and_check(&input.join("fucha.toml"), None, &[input.join("报送")]).unwrap();
    let mut filled: Vec<FilledRow> = draw.units[..drawn - 1]
        .iter()
        .map(|u| agreeing(county_result(&county, u)))
        .collect();
    let wanting = &draw.units[0];
    let wanting_county = county_result(&county, wanting).clone();
    filled[0].outcome = Some(if wanting_county.outcome == Outcome::Rectify {
        Outcome::Criticism
    } else {
        Outcome::Rectify
    });
    filled[0].problems = "创建档案缺失，公益广告未更新".into();
    filled[0].rectification = "限期补齐档案".into();
    let bytes =
        spot_check_workbook(&ctx.roster, &ctx.campaign, &draw, &county.results, &filled).unwrap();
    for f in files_under(&spot_dir) {
        std::fs::remove_file(spot_dir.join(f)).unwrap();
    }
    std::fs::write(spot_dir.join("随机抽查情况表（已填）.xlsx"), bytes).unwrap();

    let out = dir.path().join("out");
    let r = run(fucha()
        .args(["build", "--out"])
        .arg(&out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    let text = circular_text(&out);
    let section = spot_section(&text);
    let (inspected, confirmed) = (drawn - 1, drawn - 2);
    for expected in [
        format!("随机抽取{drawn}个单位"),
        "其中1个单位尚未完成抽查".to_string(),
        format!(
            "已完成抽查的{inspected}个单位中，{confirmed}个单位的抽查结果与县市区复查结论一致，1个单位不一致"
        ),
        format!(
            "{}文明办复查结论为“{}”",
            wanting_county.jurisdiction,
            wanting_county.outcome.label()
        ),
        format!("请{}文明办", wanting_county.jurisdiction),
    ] {
        assert!(
            section.contains(&squash(&expected)),
            "{expected}\n{section}"
        );
    }
    // Exactly the discrepancy is named: no other drawn unit.
    assert!(section.contains(&squash(wanting)), "{section}");
    for other in &draw.units[1..] {
        assert!(!section.contains(&squash(other)), "{other}\n{section}");
    }
    // The county's summary says the same of its own unit.
    let summaries = out.join("03-县市区汇总报告");
    let summary = files_under(&summaries)
        .into_iter()
        .find(|p| {
            p.extension().is_some_and(|e| e == "pdf")
                && p.to_string_lossy()
                    .starts_with(&wanting_county.jurisdiction)
        })
        .expect("the county's summary");
    let summary = squash(&pdf_text(&summaries.join(summary)));
    let at = summary.find("随机抽查情况").expect("its 随机抽查情况");
    assert!(summary[at..].contains(&squash(wanting)), "{summary}");

    // The register has the inspectors' workbook: an as-of build of today
    // writes the same circular without the folder.
    let r = cmd(&input, &["status"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains(SPOT_BODY), "{}", r.stdout);
    let not_received = r.stdout.lines().find(|l| l.starts_with("未报送"));
    assert!(
        not_received.is_none_or(|l| !l.contains(SPOT_BODY)),
        "{}",
        r.stdout
    );
    std::fs::remove_dir_all(&spot_dir).unwrap();
    let again = dir.path().join("again");
    let today = chrono::Local::now().date_naive().to_string();
    let r = run(fucha()
        .args(["build", "--as-of", &today, "--out"])
        .arg(&again)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert_eq!(spot_section(&circular_text(&again)), section);
}
