//! A body's second file is a later version of its data, not a duplicate
//! (issue #13): the latest value of each unit is in force, and a unit the
//! latest version left out is said.

use crate::check_common::*;
use fucha::check::{Receipts, check_paths, check_received};
use fucha::diag::Code;
use std::path::Path;

/// 岳阳县's four units, all passing with 92.5; `score` changes one unit.
fn yueyang(dir: &Path, name: &str, units: &[&str], changed: Option<(&str, f64)>) {
    let roster = roster();
    let rows = units
        .iter()
        .map(|u| {
            let mut row = good_row(&roster, u);
            if let Some((unit, score)) = changed.filter(|(unit, _)| unit == u) {
                let _ = unit;
                row[7] = V::N(score);
            }
            row
        })
        .collect();
    Intake::new(rows).write(&dir.join(name));
}

const ALL: [&str; 4] = [
    "岳阳县人民法院",
    "国家税务总局岳阳县税务局",
    "岳阳县林业局",
    "岳阳县烟草专卖局（分公司）",
];

/// Errors in the files (the other bodies of the roster sent nothing).
fn file_errors(batch: &fucha::check::CheckedBatch) -> usize {
    batch
        .files
        .iter()
        .flat_map(|f| batch.diagnostics_of(f))
        .filter(|d| d.severity == fucha::diag::Severity::Error)
        .count()
}

fn score_of(batch: &fucha::check::CheckedBatch, unit: &str) -> (f64, String) {
    let r = batch
        .results
        .iter()
        .find(|r| r.unit == unit)
        .unwrap_or_else(|| panic!("no result for {unit}"));
    (r.score, r.origin.file.clone())
}

#[test]
fn a_full_resubmission_replaces_the_first_file_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    yueyang(dir.path(), "岳阳县复查情况.xlsx", &ALL, None);
    yueyang(
        dir.path(),
        "岳阳县复查情况（更正）.xlsx",
        &ALL,
        Some(("岳阳县林业局", 85.0)),
    );
    let batch = check_paths(&[dir.path().to_path_buf()], &roster(), &campaign());
    assert!(
        with_code(&batch, Code::DuplicateUnit).is_empty(),
        "{:#?}",
        batch.diagnostics
    );
    assert!(with_code(&batch, Code::UnitNotInNewVersion).is_empty());
    assert_eq!(file_errors(&batch), 0, "{:#?}", batch.diagnostics);
    // One result per unit, each from the correction.
    assert_eq!(batch.results.len(), 4);
    let (score, file) = score_of(&batch, "岳阳县林业局");
    assert_eq!(score, 85.0);
    assert!(file.ends_with("岳阳县复查情况（更正）.xlsx"), "{file}");
    assert!(
        batch
            .results
            .iter()
            .all(|r| r.origin.file.ends_with("（更正）.xlsx"))
    );
    assert_nothing_lost(&batch);
}

#[test]
fn a_partial_correction_replaces_its_rows_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    yueyang(dir.path(), "岳阳县.xlsx", &ALL, None);
    yueyang(
        dir.path(),
        "岳阳县修改稿.xlsx",
        &["岳阳县林业局"],
        Some(("岳阳县林业局", 81.0)),
    );
    let batch = check_paths(&[dir.path().to_path_buf()], &roster(), &campaign());
    assert!(with_code(&batch, Code::DuplicateUnit).is_empty());
    assert_eq!(batch.results.len(), 4, "the three untouched units stay");
    assert_eq!(score_of(&batch, "岳阳县林业局").0, 81.0);
    assert!(
        score_of(&batch, "岳阳县人民法院")
            .1
            .ends_with("岳阳县.xlsx")
    );
    // The three it did not carry are named, on the new version.
    let left_out = with_code(&batch, Code::UnitNotInNewVersion);
    assert_eq!(left_out.len(), 3, "{left_out:#?}");
    for d in &left_out {
        assert!(d.file.as_deref().unwrap().ends_with("岳阳县修改稿.xlsx"));
        assert!(d.message.contains("沿用前一版"), "{}", d.message);
    }
    assert_eq!(file_errors(&batch), 0);
}

#[test]
fn the_name_mark_breaks_a_tie_whatever_the_folder_order() {
    let dir = tempfile::tempdir().unwrap();
    // "v2_…" sorts before "岳阳县…" in the folder, but is the later version.
    yueyang(
        dir.path(),
        "v2_岳阳县.xlsx",
        &ALL,
        Some(("岳阳县人民法院", 88.0)),
    );
    yueyang(
        dir.path(),
        "岳阳县.xlsx",
        &ALL,
        Some(("岳阳县人民法院", 70.0)),
    );
    let batch = check_paths(&[dir.path().to_path_buf()], &roster(), &campaign());
    assert_eq!(score_of(&batch, "岳阳县人民法院").0, 88.0);
    assert!(with_code(&batch, Code::DuplicateUnit).is_empty());
}

#[test]
fn the_register_s_receipt_time_beats_the_name_mark() {
    let dir = tempfile::tempdir().unwrap();
    yueyang(
        dir.path(),
        "岳阳县（更正）.xlsx",
        &ALL,
        Some(("岳阳县人民法院", 88.0)),
    );
    yueyang(
        dir.path(),
        "岳阳县.xlsx",
        &ALL,
        Some(("岳阳县人民法院", 95.0)),
    );
    let at = |day| {
        chrono::NaiveDate::from_ymd_opt(2020, 10, day)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    let path = |name: &str| dir.path().join(name).display().to_string();
    // The plain name arrived two days after the 更正.
    let receipts = Receipts::from([
        (path("岳阳县（更正）.xlsx"), at(10)),
        (path("岳阳县.xlsx"), at(12)),
    ]);
    let batch = check_received(
        &[dir.path().to_path_buf()],
        &roster(),
        &campaign(),
        &receipts,
        fucha::check::Scope::Season,
    );
    assert_eq!(score_of(&batch, "岳阳县人民法院").0, 95.0);
}

#[test]
fn duplicates_inside_one_version_and_across_bodies_are_still_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    yueyang(dir.path(), "岳阳县.xlsx", &ALL, None);
    // The correction names one unit twice.
    yueyang(
        dir.path(),
        "岳阳县（更正）.xlsx",
        &["岳阳县林业局", "岳阳县林业局"],
        None,
    );
    let batch = check_paths(&[dir.path().to_path_buf()], &roster(), &campaign());
    let dups = with_code(&batch, Code::DuplicateUnit);
    assert_eq!(dups.len(), 1, "{dups:#?}");
    assert!(dups[0].file.as_deref().unwrap().ends_with("（更正）.xlsx"));
    assert!(dups[0].message.contains("第4行"), "{}", dups[0].message);
}

#[test]
fn a_delivery_holds_only_the_bodies_that_sent_a_file_to_their_units() {
    let dir = tempfile::tempdir().unwrap();
    // 岳阳县 leaves one of its units out; the roster's other bodies send nothing.
    yueyang(dir.path(), "岳阳县.xlsx", &ALL[..3], None);
    let paths = [dir.path().to_path_buf()];
    let check = |scope| check_received(&paths, &roster(), &campaign(), &Receipts::new(), scope);
    let season = check(fucha::check::Scope::Season);
    let delivery = check(fucha::check::Scope::Delivery);
    let missing = |batch: &fucha::check::CheckedBatch| -> Vec<String> {
        let missing = batch
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::MissingUnit);
        missing.filter_map(|d| d.unit.clone()).collect()
    };
    // The season lacks the other bodies' units too; the delivery only the
    // unit its sender left out.
    assert!(!season.missing_bodies.is_empty());
    assert!(missing(&season).len() > 1);
    assert_eq!(missing(&delivery), [ALL[3]]);
    assert!(delivery.missing_bodies.is_empty());
    // The file's own findings are the same either way.
    assert_eq!(file_errors(&season), file_errors(&delivery));
    assert_eq!(season.results, delivery.results);
}

#[test]
fn a_corrected_row_settles_the_error_of_the_version_before() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster();
    // The first version has a review date that is no date; the 更正 fixes it.
    let rows = |bad: bool| {
        ALL.iter()
            .map(|u| {
                let mut row = good_row(&roster, u);
                if bad && *u == ALL[1] {
                    row[5] = s("2020-13-45");
                }
                row
            })
            .collect()
    };
    Intake::new(rows(true)).write(&dir.path().join("岳阳县.xlsx"));
    let first = check_paths(&[dir.path().to_path_buf()], &roster, &campaign());
    let errors_in = |batch: &fucha::check::CheckedBatch, unit: &str| {
        batch
            .diagnostics
            .iter()
            .filter(|d| {
                d.severity == fucha::diag::Severity::Error && d.unit.as_deref() == Some(unit)
            })
            .count()
    };
    assert!(errors_in(&first, ALL[1]) > 0, "the bad date is an error");
    Intake::new(rows(false)).write(&dir.path().join("岳阳县（更正）.xlsx"));
    let both = check_paths(&[dir.path().to_path_buf()], &roster, &campaign());
    assert_eq!(errors_in(&both, ALL[1]), 0, "{:?}", both.diagnostics);
    assert_eq!(file_errors(&both), 0);
    let (_, from) = score_of(&both, ALL[1]);
    assert!(from.ends_with("岳阳县（更正）.xlsx"), "{from}");
}

#[test]
fn an_error_the_later_version_repeats_still_stands() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster();
    let bad = || -> Vec<Vec<V>> {
        ALL.iter()
            .map(|u| {
                let mut row = good_row(&roster, u);
                if *u == ALL[1] {
                    row[5] = s("2020-13-45");
                }
                row
            })
            .collect()
    };
    Intake::new(bad()).write(&dir.path().join("岳阳县.xlsx"));
    Intake::new(bad()).write(&dir.path().join("岳阳县（更正）.xlsx"));
    let both = check_paths(&[dir.path().to_path_buf()], &roster, &campaign());
    let stands: Vec<_> = both
        .diagnostics
        .iter()
        .filter(|d| d.severity == fucha::diag::Severity::Error)
        .filter_map(|d| d.file.clone())
        .collect();
    assert!(!stands.is_empty());
    assert!(
        stands.iter().all(|f| f.ends_with("岳阳县（更正）.xlsx")),
        "{stands:?}"
    );
}
