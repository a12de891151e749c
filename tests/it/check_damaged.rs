//! Issue #11: no file can stop the batch. Damaged files found by
//! `examples/fuzz.rs` (under `tests/fixtures/check/damaged/`) made calamine
//! panic, ask for gigabytes to terabytes and abort the process, or loop
//! forever (an ods whose content.xml ends inside a table); beside
//! the 13 good default files each must become its own `unreadable-file`
//! error while every good file is read and every document the rules allow
//! is built.

use crate::common;

use common::{files_under, fucha, repo, run, squash};
use std::path::{Path, PathBuf};

/// The damaged fixtures: (file name, what it did to calamine in-process).
const DAMAGED: [(&str, &str); 6] = [
    ("issue11-panic-cfb-slice.xls", "panic in the CFB reader"),
    ("issue11-abort-alloc-1.xls", "allocation failure, abort"),
    ("issue11-abort-alloc-2.xls", "allocation failure, abort"),
    ("issue11-runaway-alloc-1.xls", "grew past 6 GB in 10 s"),
    ("issue11-runaway-alloc-2.xls", "grew for over 10 s"),
    ("issue11-ods-endless-loop.ods", "calamine looped forever"),
];

fn damaged_dir() -> PathBuf {
    repo().join("tests/fixtures/check/damaged")
}

/// The 13 default intake files and the damaged ones, in one folder.
fn intake_with_damaged(dir: &Path) -> PathBuf {
    let intake = dir.join("报送");
    common::copy_dir(&repo().join("input/报送"), &intake);
    for (name, _) in DAMAGED {
        std::fs::copy(
            damaged_dir().join(name),
            intake.join(format!("损坏-{name}")),
        )
        .unwrap();
    }
    intake
}

#[test]
fn check_reads_every_good_file_and_reports_each_damaged_one_as_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let intake = intake_with_damaged(dir.path());
    let r = run(fucha().args(["check", "--format", "json"]).arg(&intake));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.trim().is_empty(),
        "nothing printed as a crash: {}",
        r.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();

    let files = report["files"].as_array().unwrap();
    let good: Vec<_> = files
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with(".xlsx"))
        .collect();
    // 13 bodies, and 汨罗市's correction.
    assert_eq!(good.len(), 14, "{files:?}");
    let accepted: u64 = good.iter().map(|f| f["accepted"].as_u64().unwrap()).sum();
    let rows: u64 = good.iter().map(|f| f["rows"].as_u64().unwrap()).sum();
    // 111 units, 汨罗市's six twice (its correction).
    assert_eq!((rows, accepted), (117, 117));

    let diagnostics = report["diagnostics"].as_array().unwrap();
    for (name, what) in DAMAGED {
        let found: Vec<_> = diagnostics
            .iter()
            .filter(|d| {
                d["file"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("损坏-{name}"))
            })
            .collect();
        assert_eq!(found.len(), 1, "{name} ({what}): {found:?}");
        assert_eq!(found[0]["code"], "unreadable-file", "{name}");
        let message = found[0]["message"].as_str().unwrap();
        assert!(message.contains("损坏"), "{name}: {message}");
    }
    assert_eq!(
        report["summary"]["errors"].as_u64(),
        Some(DAMAGED.len() as u64)
    );
}

#[test]
fn build_still_writes_what_does_not_depend_on_the_damaged_files() {
    let dir = tempfile::tempdir().unwrap();
    let intake = intake_with_damaged(dir.path());
    let out = dir.path().join("out");
    let r = run(fucha().arg("build").arg("--out").arg(&out).arg(&intake));
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    let written = files_under(&out);
    let has = |folder: &str, ext: &str| {
        written
            .iter()
            .filter(|p| p.starts_with(folder) && p.extension().is_some_and(|e| e == ext))
            .count()
    };
    assert_eq!(has("00-校验报告", "pdf"), 1);
    assert_eq!(has("01-复查工作通知", "pdf"), 1);
    assert_eq!(has("03-县市区汇总报告", "pdf"), 13, "{written:?}");
    assert_eq!(has("05-整改通知书", "pdf"), 6);
    // The circular and the provincial report wait for the errors' fixing.
    assert_eq!(has("02-复查通报", "pdf"), 0);
    // One letter per damaged file, saying it is damaged and what to do.
    assert_eq!(has("06-退回修改意见", "pdf"), DAMAGED.len(), "{written:?}");
    for (name, _) in DAMAGED {
        let stem = name.rsplit_once('.').unwrap().0;
        let letter = out.join(format!("06-退回修改意见/损坏-{stem}退回修改意见.pdf"));
        let text = squash(&common::pdf_text(&letter));
        assert!(text.contains("损坏"), "{letter:?}: {text}");
        assert!(
            text.contains(".xlsx"),
            "{letter:?} says to save as .xlsx: {text}"
        );
    }
    // The validation report names every damaged file.
    let report = written
        .iter()
        .find(|p| p.starts_with("00-校验报告") && p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = squash(&common::pdf_text(&out.join(report)));
    for (name, _) in DAMAGED {
        assert!(
            text.contains(&squash(name)),
            "validation report lacks {name}"
        );
    }
}

/// In-process (a library user with no decoder program), a panicking
/// decoder is still the file's error, not the caller's panic.
#[test]
fn a_panicking_decoder_is_the_files_error_in_process_too() {
    let path = damaged_dir().join("issue11-panic-cfb-slice.xls");
    match fucha::ingest::read_workbook(&path) {
        Err(fucha::ingest::IngestError::Crashed { path: p, message }) => {
            assert_eq!(p, path);
            assert!(!message.is_empty());
        }
        other => panic!("expected a Crashed error, got {other:?}"),
    }
}
