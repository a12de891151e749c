//! The whole document set of one `fucha build` on the default data, read the
//! way the office reads it: the notice with its work plan and roster, the
//! circular, the 13 summaries, the provincial report, the rectification
//! notices and the validation report, each checked against the data the
//! check stage accepted (never against numbers written into the test).

use crate::common;

use common::{
    assert_counts, copy_dir, counts_table, docx_paragraphs, docx_tables, docx_text, files_under,
    fucha, is_level1, level2_text, official_date, pdf_has, pdf_texts, repo, run, section, snapshot,
    squash,
};
use fucha::rectify::{FollowupBatch, RectificationCounts};
use fucha::review::{HonourLevel, Outcome, ReviewResult};
use fucha::roster::Roster;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One build of the default data for all tests of this file, with the
/// input folder's bytes before and after it.
struct Build {
    _dir: tempfile::TempDir,
    parent: PathBuf,
    out: PathBuf,
    input_before: BTreeMap<PathBuf, Vec<u8>>,
    input_after: BTreeMap<PathBuf, Vec<u8>>,
}

fn build() -> &'static Build {
    static BUILD: OnceLock<Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("season");
        std::fs::create_dir_all(&parent).unwrap();
        let out = parent.join("output");
        let input_before = snapshot(&repo().join("input"));
        let r = run(fucha().arg("build").arg("--out").arg(&out));
        assert_eq!(
            r.code,
            Some(0),
            "fucha build failed:\n{}\n{}",
            r.stdout,
            r.stderr
        );
        let input_after = snapshot(&repo().join("input"));
        Build {
            _dir: dir,
            parent,
            out,
            input_before,
            input_after,
        }
    })
}

/// The data behind the documents: the roster, the results in force (the
/// county's, or the city's spot-check finding where it inspected a unit)
/// and where each unit under rectification stands.
struct Data {
    campaign: fucha::campaign::Campaign,
    roster: Roster,
    results: Vec<ReviewResult>,
    followup: FollowupBatch,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        // The season as `fucha build` reads it, from a copy of input/ so that
        // the register this writes is a temporary one.
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        copy_dir(&repo().join("input"), &input);
        let (ctx, batch) =
            fucha::pipeline::Context::load_and_check(&input.join("fucha.toml"), None, &[]).unwrap();
        assert_eq!(batch.errors(), 0, "the default data has no errors");
        assert!(batch.spot_check.is_some(), "the spot check is in force");
        let followup = fucha::pipeline::followups(&ctx, &batch, None, false).unwrap();
        assert_eq!(followup.errors(), 0, "the follow-ups have no errors");
        Data {
            campaign: ctx.campaign,
            roster: ctx.roster,
            results: batch.results,
            followup,
        }
    })
}

impl Data {
    fn outcome(&self, unit: &str) -> Outcome {
        self.results
            .iter()
            .find(|r| r.unit == unit)
            .unwrap_or_else(|| panic!("no result for {unit}"))
            .outcome
    }
}

/// The one document of the build whose relative path contains all `needles`.
fn doc(needles: &[&str], ext: &str) -> PathBuf {
    let b = build();
    let found: Vec<PathBuf> = files_under(&b.out)
        .into_iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
        .filter(|p| needles.iter().all(|n| p.to_string_lossy().contains(n)))
        .collect();
    assert_eq!(found.len(), 1, "one {ext} matching {needles:?}: {found:?}");
    b.out.join(&found[0])
}

#[test]
fn the_notice_carries_the_work_plan_from_the_config_and_the_roster_by_level_and_year() {
    let d = data();
    let docx = doc(&["01-复查工作通知"], "docx");
    let pdf = pdf_texts(&docx.with_extension("pdf"));
    let paras = docx_paragraphs(&docx);
    let text = squash(&docx_text(&docx));

    // Attachment 1, the work plan: each phase of fucha.toml with its window,
    // its levels and its tasks.
    let plan = section(&paras, "附件1", |p| p == "附件2");
    let plan = squash(&plan.join(""));
    assert!(!d.campaign.phases.is_empty());
    for phase in &d.campaign.phases {
        let window = format!(
            "{}至{}",
            official_date(phase.start),
            official_date(phase.end)
        );
        for needle in [&phase.name, &window, &squash(&phase.tasks)] {
            assert!(plan.contains(needle.as_str()), "work plan lacks {needle}");
            assert!(pdf_has(&pdf, needle), "notice PDF lacks {needle}");
        }
        for level in &phase.levels {
            assert!(plan.contains(level.as_str()), "work plan lacks {level}");
        }
    }

    // Attachment 2, the roster: one table per level, in level order, years
    // grouped, every unit once with its year and body.
    let tables: Vec<_> = docx_tables(&docx)
        .into_iter()
        .filter(|t| t[0].iter().any(|c| c == "单位名称") && t[0].iter().any(|c| c == "命名年度"))
        .collect();
    let mut seen = BTreeSet::new();
    let mut levels_in_order = Vec::new();
    for table in &tables {
        let h = &table[0];
        let at = |label: &str| h.iter().position(|c| c == label).unwrap();
        let (name, year, body) = (at("单位名称"), at("命名年度"), at("所属县市区"));
        let mut level = None;
        let mut last_year = 0;
        for row in &table[1..] {
            let unit = d
                .roster
                .lookup(&row[name])
                .unwrap_or_else(|| panic!("roster table names an unknown unit {row:?}"));
            assert_eq!(unit.name, row[name], "the roster's own spelling");
            assert_eq!(row[year], unit.award_year.to_string(), "{row:?}");
            assert_eq!(row[body], unit.jurisdiction, "{row:?}");
            assert!(level.is_none_or(|l| l == unit.level), "one level per table");
            level = Some(unit.level);
            assert!(unit.award_year >= last_year, "years grouped: {row:?}");
            last_year = unit.award_year;
            assert!(seen.insert(unit.name.clone()), "{} listed twice", unit.name);
        }
        levels_in_order.push(level.unwrap());
    }
    let roster_names: BTreeSet<String> = d.roster.units().iter().map(|u| u.name.clone()).collect();
    assert_eq!(roster_names.len(), 111);
    assert_eq!(
        seen, roster_names,
        "the roster attachment lists all 111 units"
    );
    let mut sorted = levels_in_order.clone();
    sorted.sort();
    assert_eq!(levels_in_order, sorted, "levels in order");
    for level in HonourLevel::ALL {
        let n = d.roster.units().iter().filter(|u| u.level == level).count();
        if n > 0 {
            let heading = format!("{}（{n}个）", level.label());
            assert!(text.contains(&heading), "notice lacks {heading}");
            assert!(pdf_has(&pdf, &heading), "notice PDF lacks {heading}");
        }
    }
    for u in d.roster.units() {
        assert!(pdf_has(&pdf, &u.name), "notice PDF lacks {}", u.name);
    }
}

#[test]
fn the_circular_counts_add_up_to_the_roster() {
    let d = data();
    let docx = doc(&["02-复查通报"], "docx");
    let pdf = pdf_texts(&docx.with_extension("pdf"));
    let all: Vec<&ReviewResult> = d.results.iter().collect();
    let due: Vec<_> = d.roster.units().iter().collect();
    assert_counts(&docx, &all, &due);
    let table = counts_table(&docx);
    assert_eq!(table.last().unwrap()[1], "111");

    let passed = all.iter().filter(|r| r.outcome == Outcome::Pass).count();
    let text = squash(&docx_text(&docx));
    for needle in [
        format!("复查文明单位{}个", due.len()),
        format!("复查合格{passed}个"),
        format!("未通过复查{}个", due.len() - passed),
    ] {
        assert!(text.contains(&needle), "circular lacks {needle}");
        assert!(pdf_has(&pdf, &needle), "circular PDF lacks {needle}");
    }
}

#[test]
fn the_circular_lists_the_passing_units_by_level_and_year() {
    let d = data();
    let docx = doc(&["02-复查通报"], "docx");
    let all: Vec<&ReviewResult> = d.results.iter().collect();
    // Passing units by level and year: "2016年命名（7个）：A、B…。"
    let paras = docx_paragraphs(&docx);
    let kept = section(&paras, "复查合格、继续保留称号", is_level1);
    let mut level = None;
    let mut listed: BTreeMap<(HonourLevel, i32), BTreeSet<String>> = BTreeMap::new();
    for p in kept {
        if let Some(l) = level2_text(p).and_then(|t| {
            HonourLevel::ALL
                .into_iter()
                .find(|l| t.starts_with(l.label()))
        }) {
            level = Some(l);
            continue;
        }
        let Some((head, names)) = p.split_once('：') else {
            continue;
        };
        let year: i32 = head[..4].parse().unwrap_or_else(|_| panic!("{p}"));
        let names: BTreeSet<String> = names
            .trim_end_matches('。')
            .split('、')
            .map(String::from)
            .collect();
        assert!(head.contains(&format!("（{}个）", names.len())), "{p}");
        listed.insert((level.expect("a level heading first"), year), names);
    }
    let mut expected: BTreeMap<(HonourLevel, i32), BTreeSet<String>> = BTreeMap::new();
    for r in all.iter().filter(|r| r.outcome == Outcome::Pass) {
        expected
            .entry((r.level, r.award_year))
            .or_default()
            .insert(r.unit.clone());
    }
    assert_eq!(listed, expected, "passing units by level and year");
}

#[test]
fn the_circular_names_every_non_passing_unit_with_outcome_reviewer_and_problems() {
    let d = data();
    let docx = doc(&["02-复查通报"], "docx");
    let pdf = pdf_texts(&docx.with_extension("pdf"));
    let all: Vec<&ReviewResult> = d.results.iter().collect();
    let paras = docx_paragraphs(&docx);
    // Every non-passing unit, with its outcome and (the start of) its problems.
    let problems = section(&paras, "发现的问题", is_level1).join("");
    let problems_pdf = {
        let t = &pdf.0;
        let from = t.find("发现的问题").expect("PDF has the problems section");
        t[from..].to_string()
    };
    let failing: Vec<_> = all.iter().filter(|r| r.outcome != Outcome::Pass).collect();
    assert!(failing.len() >= 3, "the demo data has failing units");
    for r in &failing {
        let at = problems
            .find(&r.unit)
            .unwrap_or_else(|| panic!("circular does not name {}", r.unit));
        let after = &problems[at..];
        let next = failing
            .iter()
            .filter(|o| o.unit != r.unit)
            .filter_map(|o| after.find(&o.unit))
            .min()
            .unwrap_or(after.len());
        let own = &after[..next];
        assert!(
            own.contains(r.outcome.label()),
            "{}: outcome not given",
            r.unit
        );
        // Who reviewed it: the city office for 市直 units, else the county's office.
        let reviewer = if r.jurisdiction == "市直" {
            d.campaign.campaign.office_short.clone()
        } else {
            format!("{}文明办", r.jurisdiction)
        };
        assert!(
            own.contains(&format!("由{reviewer}复查")),
            "{}: reviewer not given",
            r.unit
        );
        let brief: String = r.problems.chars().take(8).collect();
        assert!(own.contains(&brief), "{}: problems not given", r.unit);
        assert!(
            problems_pdf.contains(&squash(&r.unit)),
            "PDF lacks {}",
            r.unit
        );
        assert!(problems_pdf.contains(&squash(&brief)), "PDF lacks {brief}");
    }
}

#[test]
fn the_circular_attachment_gives_every_unit_its_own_outcome() {
    let d = data();
    let docx = doc(&["02-复查通报"], "docx");
    // The attachment: every unit's row with its own outcome.
    let result_table = docx_tables(&docx)
        .into_iter()
        .find(|t| t[0].iter().any(|c| c == "复查结论"))
        .expect("the result table");
    let h = &result_table[0];
    let (name, outcome) = (
        h.iter().position(|c| c == "单位名称").unwrap(),
        h.iter().position(|c| c == "复查结论").unwrap(),
    );
    assert_eq!(result_table.len() - 1, 111);
    for row in &result_table[1..] {
        assert_eq!(row[outcome], d.outcome(&row[name]).label(), "{row:?}");
    }
}

#[test]
fn each_summary_counts_its_own_units_and_lists_exactly_its_reformed_units() {
    let d = data();
    let bodies = d.roster.jurisdictions();
    assert_eq!(bodies.len(), 13);
    let summaries: Vec<_> = files_under(&build().out)
        .into_iter()
        .filter(|p| p.starts_with("03-县市区汇总报告") && p.extension().unwrap() == "docx")
        .collect();
    assert_eq!(summaries.len(), 13, "{summaries:?}");
    for body in bodies {
        let docx = doc(&["03-县市区汇总报告", &format!("/{body}2020年")], "docx");
        let pdf_path = docx.with_extension("pdf");
        let pdf = pdf_texts(&pdf_path);
        let due: Vec<_> = d.roster.units_of(body).collect();
        let results: Vec<&ReviewResult> = d
            .results
            .iter()
            .filter(|r| r.jurisdiction == body)
            .collect();
        assert_eq!(results.len(), due.len(), "{body}: a result per unit");
        assert_counts(&docx, &results, &due);

        let text = squash(&docx_text(&docx));
        let total = format!("应复查文明单位{}个", due.len());
        assert!(text.contains(&total), "{body} summary lacks {total}");
        assert!(pdf_has(&pdf, &total), "{body} summary PDF lacks {total}");

        let paras = docx_paragraphs(&docx);
        let reform_part = section(&paras, "涉及机构改革单位的复查情况", |p| {
            is_level1(p) || p == d.campaign.campaign.office
        });
        let listed: BTreeSet<&str> = reform_part.iter().filter_map(|p| level2_text(p)).collect();
        let expected: BTreeSet<&str> = due
            .iter()
            .filter(|u| u.reform)
            .map(|u| u.name.as_str())
            .collect();
        assert_eq!(listed, expected, "{body}: reformed units section");
        let pdf_part = {
            let t = &pdf.0;
            &t[t.find("涉及机构改革单位的复查情况")
                .expect("PDF reform part")..]
        };
        for name in &expected {
            assert!(
                pdf_part.contains(&squash(name)),
                "{body} PDF reform part lacks {name}"
            );
            let unit = results.iter().find(|r| r.unit == *name).unwrap();
            assert!(
                !unit.reform_note.is_empty(),
                "{name} has a reform note in the data"
            );
            let note: String = unit.reform_note.chars().take(10).collect();
            assert!(
                reform_part.join("").contains(&note),
                "{body}: {name}'s reform statement missing"
            );
        }
        if expected.is_empty() {
            assert!(
                reform_part.iter().all(|p| level2_text(p).is_none()),
                "{body}: no reformed unit to list"
            );
        }
    }
}

#[test]
fn the_provincial_report_has_its_signers_and_words_sanctions_as_proposals() {
    let d = data();
    let docx = doc(&["04-报省文明办"], "docx");
    let pdf = pdf_texts(&docx.with_extension("pdf"));
    let text = squash(&docx_text(&docx));
    let settings = d
        .campaign
        .document(fucha::compose::DocumentKind::from_key("provincial").unwrap());
    assert!(!settings.signers.is_empty());
    assert!(text.contains("签发人"), "provincial report lacks 签发人");
    assert!(pdf_has(&pdf, "签发人"), "provincial PDF lacks 签发人");
    for signer in &settings.signers {
        assert!(text.contains(signer.as_str()), "lacks signer {signer}");
        assert!(pdf_has(&pdf, signer), "PDF lacks signer {signer}");
    }

    let reported: Vec<&ReviewResult> = d
        .results
        .iter()
        .filter(|r| r.level.is_provincial_or_above())
        .collect();
    let due: Vec<_> = d
        .roster
        .units()
        .iter()
        .filter(|u| u.level.is_provincial_or_above())
        .collect();
    assert_counts(&docx, &reported, &due);

    // The attachment: exactly the national and provincial units.
    let table = docx_tables(&docx)
        .into_iter()
        .find(|t| t[0].iter().any(|c| c == "单位名称"))
        .expect("result table");
    let h = &table[0];
    let name = h.iter().position(|c| c == "单位名称").unwrap();
    let level = h.iter().position(|c| c == "荣誉类别").unwrap();
    let names: BTreeSet<&str> = table[1..].iter().map(|r| r[name].as_str()).collect();
    let expected: BTreeSet<&str> = reported.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(names, expected);
    for row in &table[1..] {
        let l = HonourLevel::parse(&row[level]).expect("a level");
        assert!(l.is_provincial_or_above(), "{row:?}");
    }

    // Each sanction is a proposal for the province to decide.
    let paras = docx_paragraphs(&docx);
    let province = &d.campaign.campaign.province_office;
    for r in reported.iter().filter(|r| r.outcome != Outcome::Pass) {
        let at = paras
            .iter()
            .position(|p| level2_text(p) == Some(r.unit.as_str()))
            .unwrap_or_else(|| panic!("no proposal for {}", r.unit));
        let body = &paras[at + 1];
        assert!(body.contains(r.outcome.label()), "{}: {body}", r.unit);
        assert!(
            body.contains("建议"),
            "{}: not worded as a proposal: {body}",
            r.unit
        );
        assert!(body.contains(province.as_str()), "{}: {body}", r.unit);
        assert!(
            !body.contains("决定给予") && !body.contains("予以撤销"),
            "{}: worded as a decision: {body}",
            r.unit
        );
        assert!(pdf_has(&pdf, &r.unit), "PDF lacks {}", r.unit);
    }
}

#[test]
fn one_rectification_notice_per_unit_that_needs_one_with_its_deadline() {
    let d = data();
    let needing: BTreeSet<&str> = d
        .results
        .iter()
        .filter(|r| r.outcome.needs_rectification_notice())
        .map(|r| r.unit.as_str())
        .collect();
    assert!(!needing.is_empty());
    let notices: Vec<PathBuf> = files_under(&build().out)
        .into_iter()
        .filter(|p| p.starts_with("05-整改通知书") && p.extension().unwrap() == "docx")
        .map(|p| build().out.join(p))
        .collect();
    assert_eq!(notices.len(), needing.len(), "{notices:?}");

    let settings = d
        .campaign
        .document(fucha::compose::DocumentKind::from_key("rectification").unwrap());
    let date = settings.date.expect("a notice date");
    let deadline = date + chrono::Days::new(d.campaign.deadlines.rectification_days.into());
    let deadline = official_date(deadline);
    let mut addressed = BTreeSet::new();
    for path in &notices {
        let paras = docx_paragraphs(path);
        let text = squash(&docx_text(path));
        let pdf = pdf_texts(&path.with_extension("pdf"));
        let unit = needing
            .iter()
            .find(|u| paras.iter().any(|p| p == &format!("{u}：")))
            .unwrap_or_else(|| panic!("{path:?} is not addressed to a unit needing one"));
        addressed.insert(*unit);
        assert!(
            path.to_string_lossy().contains(unit),
            "{path:?} named after {unit}"
        );
        let outcome = d.outcome(unit);
        for needle in [outcome.label(), deadline.as_str(), &official_date(date)] {
            assert!(text.contains(needle), "{path:?} lacks {needle}");
            assert!(pdf_has(&pdf, needle), "{path:?} PDF lacks {needle}");
        }
        assert!(pdf_has(&pdf, unit), "{path:?} PDF lacks {unit}");
    }
    assert_eq!(addressed, needing, "every unit gets its own notice");
    // 撤销荣誉称号 is announced in the circular, not by a notice.
    for r in d.results.iter().filter(|r| r.outcome == Outcome::Revoke) {
        assert!(
            !notices
                .iter()
                .any(|p| p.to_string_lossy().contains(&r.unit))
        );
    }
}

#[test]
fn the_validation_report_matches_fucha_check_json() {
    let r = run(fucha().args(["check", "--format", "json"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    // Every file of the intake folder (13 bodies, and 汨罗市's correction)
    // and of the spot-check folder (the inspectors' workbook).
    let campaign = fucha::campaign::Campaign::load(&repo().join("input/fucha.toml")).unwrap();
    let listed = |folder: &Path| {
        std::fs::read_dir(folder)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_file())
            .count()
    };
    let (intake, spot) = (listed(&campaign.intake), listed(&campaign.spot_checks));
    assert_eq!((intake, spot), (14, 1));
    assert_eq!(files.len(), intake + spot);
    let docx = doc(&["00-校验报告"], "docx");
    let pdf = pdf_texts(&docx.with_extension("pdf"));
    let table = docx_tables(&docx)
        .into_iter()
        .find(|t| t[0].iter().any(|c| c == "读取行数"))
        .expect("per-file table");
    let h = &table[0];
    let at = |label: &str| h.iter().position(|c| c == label).unwrap();
    assert_eq!(table.len() - 1, files.len());
    let sum = |key: &str| files.iter().map(|f| f[key].as_u64().unwrap()).sum::<u64>();
    for f in files {
        let path = f["path"].as_str().unwrap();
        let name = Path::new(path).file_name().unwrap().to_string_lossy();
        let row = table[1..]
            .iter()
            .find(|r| r[at("文件")] == name)
            .unwrap_or_else(|| panic!("no row for {name}"));
        assert_eq!(row[at("报送单位")], f["jurisdiction"].as_str().unwrap());
        for (label, key) in [
            ("读取行数", "rows"),
            ("通过", "accepted"),
            ("未通过", "rejected"),
        ] {
            assert_eq!(row[at(label)], f[key].to_string(), "{name} {label}");
        }
        let count = |sev: &str| {
            json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["file"] == path && d["severity"] == sev)
                .count()
                .to_string()
        };
        assert_eq!(row[at("错误")], count("error"));
        assert_eq!(row[at("提示")], count("warning"));
        assert!(
            pdf_has(&pdf, name.trim_end_matches(".xlsx")),
            "PDF lacks {name}"
        );
    }
    let text = squash(&docx_text(&docx));
    for needle in [
        format!("报送文件{}个", files.len()),
        format!("数据{}行", sum("rows")),
        format!("通过校验{}行", sum("accepted")),
        format!("错误{}处", json["summary"]["errors"]),
        format!("提示{}处", json["summary"]["warnings"]),
    ] {
        assert!(text.contains(&needle), "validation report lacks {needle}");
        assert!(pdf_has(&pdf, &needle), "validation PDF lacks {needle}");
    }
}

#[test]
fn the_build_writes_only_inside_its_output_folder_and_never_touches_input() {
    let b = build();
    let beside: Vec<_> = std::fs::read_dir(&b.parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("output")]);
    // validation, notice, circular, one summary per body, provincial, one
    // notice per unit needing one: each as DOCX and PDF.
    let d = data();
    let notices = d
        .results
        .iter()
        .filter(|r| r.outcome.needs_rectification_notice())
        .count();
    // The units under rectification follow-up (限期整改, and 通报批评 with
    // 整改要求), judged on the config's reference date against input/整改:
    // a 催办通知 for each overdue unit; with none still pending, the
    // season's 整改情况通报 and, for the national and provincial units among
    // them, the report to the province.
    let units = &d.followup.units;
    let followed = d
        .results
        .iter()
        .filter(|r| {
            r.outcome == Outcome::Rectify
                || (r.outcome == Outcome::Criticism && !r.rectification.trim().is_empty())
        })
        .count();
    assert_eq!(units.len(), followed, "every unit under follow-up judged");
    let counts = RectificationCounts::of(units);
    assert_eq!(
        counts.pending, 0,
        "the default season's follow-up is closed"
    );
    assert!(counts.overdue > 0, "the default data chases one unit");
    assert!(units.iter().any(|u| u.provincial()));
    let reminders = d.followup.overdue().count();
    // ...and the 公示.
    let documents = 4 + d.roster.jurisdictions().len() + notices + reminders + 2 + 1;
    // ...plus the 公示's web page, and the list of generated files the next
    // build uses to clear out what it no longer writes.
    assert_eq!(
        files_under(&b.out).len(),
        common::default_formats().len() * documents + 1 + 1,
        "{:?}",
        files_under(&b.out)
    );
    assert!(!b.input_before.is_empty());
    assert_eq!(
        b.input_before.keys().collect::<Vec<_>>(),
        b.input_after.keys().collect::<Vec<_>>(),
        "no file added to or removed from input/"
    );
    for (path, bytes) in &b.input_before {
        assert!(b.input_after[path] == *bytes, "input/{path:?} was modified");
    }
}
