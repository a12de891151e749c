//! The default season walked to its end (issue #14): a county's correction,
//! the city's spot check with one discrepancy, follow-ups with units
//! rectified, one not and one overdue, and the 公示. The documents' numbers
//! are held against what the register holds, recomputed here from the rows
//! it kept of every file, not from the checker's results.

use crate::common::*;
use fucha::check::ReadRow;
use fucha::register::{DEFAULT_FILE_NAME, Register, Submission};
use fucha::review::Outcome;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SPOT_BODY: &str = "市文明办（随机抽查）";
const YEAR: i32 = 2020;

/// The conclusion a row states (复查结论), as the office typed it.
fn conclusion(row: &ReadRow) -> Option<&str> {
    row.cells
        .iter()
        .find(|(label, _)| label == "复查结论")
        .map(|(_, text)| text.trim())
        .filter(|t| !t.is_empty())
}

/// Each unit's conclusion in force, from the register alone: per county
/// body the latest version's row (the register lists a body's versions in
/// order), then the city's spot-check finding over the county's.
struct InForce {
    county: BTreeMap<String, String>,
    city: BTreeMap<String, String>,
}

fn in_force(register: &Register) -> InForce {
    let submissions: Vec<Submission> = register.in_force(YEAR, None).unwrap();
    let mut county = BTreeMap::new();
    let mut city = BTreeMap::new();
    for s in &submissions {
        let body = s.body.as_deref().unwrap_or_default();
        if body.starts_with("整改") {
            continue; // follow-ups carry no review conclusion
        }
        let target = if body == SPOT_BODY {
            &mut city
        } else {
            &mut county
        };
        for row in register.rows(s.id).unwrap() {
            if let (Some(unit), Some(c)) = (row.unit.clone(), conclusion(&row))
                && row.accepted
            {
                target.insert(unit, c.to_string());
            }
        }
    }
    InForce { county, city }
}

fn only_file(dir: &Path, ext: &str) -> PathBuf {
    let found: Vec<PathBuf> = files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    assert_eq!(found.len(), 1, "{dir:?}: {found:?}");
    dir.join(&found[0])
}

#[test]
fn the_season_s_documents_say_what_the_register_holds() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let out = dir.path().join("out");
    let built = run(fucha()
        .args(["build", "--out"])
        .arg(&out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert_eq!(built.code, Some(0), "{}\n{}", built.stdout, built.stderr);
    let register = Register::open(&input.join(DEFAULT_FILE_NAME)).unwrap();
    let state = in_force(&register);
    assert_eq!(
        state.county.len(),
        111,
        "every unit of the roster has a conclusion"
    );

    // The correction: both versions kept, the later one in force.
    let versions: Vec<Submission> = register
        .submissions(YEAR)
        .unwrap()
        .into_iter()
        .filter(|s| s.body.as_deref() == Some("汨罗市"))
        .collect();
    assert_eq!(versions.len(), 2);
    assert!(versions[1].name.contains("更正"), "{versions:?}");

    // The circular's counts are the register's conclusions, the city's
    // finding standing where it inspected.
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for (unit, c) in &state.county {
        let c = state.city.get(unit).unwrap_or(c);
        *outcomes.entry(c.clone()).or_default() += 1;
    }
    let circular = only_file(&out.join("02-复查通报"), "docx");
    let table = counts_table(&circular);
    let total = table.last().unwrap();
    for outcome in Outcome::ALL {
        let at = table[0].iter().position(|h| h == outcome.label()).unwrap();
        let expected = outcomes.get(outcome.label()).copied().unwrap_or(0);
        assert_eq!(total[at], expected.to_string(), "{}", outcome.label());
    }

    // The spot check: 10 units inspected; the circular's 随机抽查情况 names
    // exactly those where the city's conclusion differs from the county's.
    assert_eq!(state.city.len(), 10);
    let differing: Vec<&String> = state
        .city
        .iter()
        .filter(|(unit, c)| state.county.get(*unit) != Some(*c))
        .map(|(unit, _)| unit)
        .collect();
    assert_eq!(differing.len(), 1, "the demo has one discrepancy");
    let text = without_folios(&squash(&pdf_text(&circular.with_extension("pdf"))));
    let from = text.find("随机抽查情况").expect("the section");
    let to = text[from..].find("下一步工作要求").unwrap() + from;
    let spot = &text[from..to];
    for unit in state.city.keys() {
        assert_eq!(
            spot.contains(unit.as_str()),
            differing.contains(&unit),
            "{unit} in {spot}"
        );
    }
    assert!(spot.contains("1个单位不一致"), "{spot}");
    // Where the circular deals with that unit, it says the city's finding
    // is what it was judged on, not the county's review.
    let unit = differing[0].as_str();
    let at = text[..from]
        .rfind(unit)
        .expect("the unit among the non-passing");
    assert!(
        text[at..from].contains("随机抽查时发现问题，按抽查结论处理"),
        "{}",
        &text[at..from]
    );

    // Follow-ups: the reference date (2020-12-20) is past every deadline;
    // a unit with no follow-up row is overdue and gets a 催办通知, one whose
    // 验收 says 未整改到位 is proposed for 撤销 in the closing circular and,
    // as a provincial honour, in the report to the province.
    let notices = register.rectification_notices(YEAR).unwrap();
    let reference = chrono::NaiveDate::from_ymd_opt(2020, 12, 20).unwrap();
    let mut reported: BTreeMap<String, String> = BTreeMap::new();
    for s in register.in_force(YEAR, None).unwrap() {
        if s.body.as_deref().is_some_and(|b| b.starts_with("整改")) {
            for row in register.rows(s.id).unwrap() {
                let verdict = row
                    .cells
                    .iter()
                    .find(|(l, _)| l.contains("验收结论"))
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                if let Some(unit) = row.unit {
                    reported.insert(unit, verdict);
                }
            }
        }
    }
    let followed: Vec<_> = notices
        .iter()
        .filter(|n| fucha::rectify::needs_followup(n))
        .collect();
    assert_eq!(followed.len(), 5);
    let overdue: Vec<&str> = followed
        .iter()
        .filter(|n| n.deadline < reference && !reported.contains_key(&n.unit))
        .map(|n| n.unit.as_str())
        .collect();
    let failed: Vec<&str> = followed
        .iter()
        .filter(|n| reported.get(&n.unit).is_some_and(|v| v == "未整改到位"))
        .map(|n| n.unit.as_str())
        .collect();
    let rectified = followed
        .iter()
        .filter(|n| reported.get(&n.unit).is_some_and(|v| v == "整改到位"))
        .count();
    assert_eq!((overdue.len(), failed.len(), rectified), (1, 1, 3));
    let reminders: Vec<PathBuf> = files_under(&out.join("08-整改催办"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(reminders.len(), overdue.len(), "{reminders:?}");
    assert!(reminders[0].to_string_lossy().contains(overdue[0]));

    let closing = squash(&pdf_text(&only_file(&out.join("09-整改情况通报"), "pdf")));
    assert!(
        closing.contains(&format!(
            "需要整改的{}个单位中，整改到位{rectified}个，未整改到位{}个，逾期未报送整改情况{}个",
            followed.len(),
            failed.len(),
            overdue.len()
        )),
        "{closing}"
    );
    let report = squash(&pdf_text(&only_file(&out.join("10-整改情况报省"), "pdf")));
    for unit in &failed {
        let at = closing.find(unit).expect("the failed unit is named");
        assert!(closing[at..].contains("建议撤销"), "{closing}");
        assert!(report.contains(unit), "{report}");
    }

    // The 公示, in all three forms, lists the failed unit for withdrawal.
    let publicity = out.join("11-复查结果公示");
    for ext in ["docx", "pdf", "html"] {
        only_file(&publicity, ext);
    }
    let html = std::fs::read_to_string(only_file(&publicity, "html")).unwrap();
    for unit in &failed {
        assert!(html.contains(&format!("{unit}（")), "{unit}");
        assert!(html.contains("整改验收未通过"));
    }
}
