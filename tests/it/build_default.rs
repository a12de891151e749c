//! Whole runs of `fucha build` on the default data in `input/`: every
//! document is written, in both formats, with the roster's units in it, and
//! a second run writes the same bytes.

use crate::common;

use common::{docx_text, pdf_fonts, pdf_text, pdf_text_by_columns, squash};
use fucha::review::Outcome;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn fucha() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fucha"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The default build, run once for all tests of this file.
fn default_build() -> &'static (PathBuf, String) {
    static BUILD: OnceLock<(tempfile::TempDir, PathBuf, String)> = OnceLock::new();
    let (_, out, stdout) = BUILD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let run = fucha()
            .arg("build")
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(
            run.status.success(),
            "fucha build failed: {}\n{}",
            stdout,
            String::from_utf8_lossy(&run.stderr)
        );
        (dir, out, stdout)
    });
    // Leak-free: the TempDir lives in the static for the whole test binary.
    Box::leak(Box::new((out.clone(), stdout.clone())))
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some(ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The roster, read back through the library: name → jurisdiction.
fn roster() -> fucha::roster::Roster {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let campaign = fucha::campaign::Campaign::load(&root.join("input/fucha.toml")).unwrap();
    fucha::roster::Roster::load(&campaign.roster).unwrap()
}

/// Each unit's outcome in force, as a build reads `input/`: the county's
/// result, or the city's spot-check finding where it inspected the unit.
/// Read from a copy, so that the register it writes is a temporary one.
fn checked_results() -> BTreeMap<String, Outcome> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    common::copy_dir(&root.join("input"), &input);
    let (_, batch) =
        fucha::pipeline::Context::load_and_check(&input.join("fucha.toml"), None, &[]).unwrap();
    assert!(batch.spot_check.is_some(), "the spot check is in force");
    batch
        .results
        .iter()
        .map(|r| (r.unit.clone(), r.outcome))
        .collect()
}

fn find<'a>(files: &'a [PathBuf], needle: &str) -> Vec<&'a PathBuf> {
    files
        .iter()
        .filter(|p| p.to_string_lossy().contains(needle))
        .collect()
}

#[test]
fn every_docx_has_its_pdf_and_both_are_real_documents() {
    let (out, _) = default_build();
    let docx = files_with_ext(out, "docx");
    let pdf = files_with_ext(out, "pdf");
    assert!(
        docx.len() >= 16,
        "expected the full document set, got {docx:?}"
    );
    let stems =
        |v: &[PathBuf]| -> Vec<PathBuf> { v.iter().map(|p| p.with_extension("")).collect() };
    assert_eq!(stems(&docx), stems(&pdf), "each document in both formats");
    for p in &pdf {
        let fonts = pdf_fonts(p);
        assert!(!fonts.is_empty(), "{p:?} has no fonts");
        for f in &fonts {
            assert!(
                f.embedded && f.subset,
                "{p:?}: font {} not an embedded subset",
                f.name
            );
            assert_ne!(f.kind, "Type 3", "{p:?}: Type 3 font {}", f.name);
        }
        assert!(
            pdf_text(p).chars().filter(|c| *c >= '\u{4e00}').count() > 50,
            "{p:?} has no text"
        );
    }
    for d in &docx {
        assert!(
            docx_text(d).chars().filter(|c| *c >= '\u{4e00}').count() > 50,
            "{d:?} has no text"
        );
    }
}

#[test]
fn every_roster_unit_is_in_the_circular_and_its_summary_with_its_result() {
    let (out, _) = default_build();
    let roster = roster();
    assert_eq!(roster.units().len(), 111);
    let docx = files_with_ext(out, "docx");
    let circular = find(&docx, "复查情况的通报");
    assert_eq!(circular.len(), 1, "one circular: {circular:?}");
    let circular_docx = squash(&docx_text(circular[0]));
    let circular_pdf = squash(&pdf_text(&circular[0].with_extension("pdf")));

    let mut by_body: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for u in roster.units() {
        by_body.entry(&u.jurisdiction).or_default().push(&u.name);
    }
    let results = checked_results();
    assert_eq!(results.len(), 111, "every unit has an accepted result");
    for u in roster.units() {
        let name = squash(&u.name);
        assert!(
            circular_docx.contains(&name),
            "circular DOCX lacks {}",
            u.name
        );
        assert!(
            circular_pdf.contains(&name),
            "circular PDF lacks {}",
            u.name
        );
        // The attachment's result table comes last: the first outcome after the
        // name's last mention is the one in the unit's row.
        let expected = results[&u.name];
        let after = &circular_docx[circular_docx.rfind(&name).unwrap() + name.len()..];
        let shown = Outcome::ALL
            .into_iter()
            .filter_map(|o| after.find(o.label()).map(|at| (at, o)))
            .min()
            .map(|(_, o)| o);
        assert_eq!(
            shown,
            Some(expected),
            "circular shows the wrong result for {}",
            u.name
        );
    }
    for (body, units) in by_body {
        let summaries: Vec<_> = find(&docx, "汇总")
            .into_iter()
            .filter(|p| p.to_string_lossy().contains(body))
            .collect();
        assert_eq!(summaries.len(), 1, "one summary for {body}: {summaries:?}");
        let text = squash(&docx_text(summaries[0]));
        let pdf_path = summaries[0].with_extension("pdf");
        let pdf = squash(&pdf_text(&pdf_path));
        let pdf_columns = squash(&pdf_text_by_columns(&pdf_path));
        for name in units {
            let name = squash(name);
            assert!(text.contains(&name), "summary of {body} lacks {name}");
            assert!(
                pdf.contains(&name) || pdf_columns.contains(&name),
                "summary PDF of {body} lacks {name}"
            );
        }
    }
}

#[test]
fn a_second_build_writes_identical_bytes() {
    let (out, _) = default_build();
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("output");
    let run = fucha()
        .args(["build", "--jobs", "1", "--out"])
        .arg(&again)
        .output()
        .unwrap();
    assert!(run.status.success());
    let mut compared = 0;
    for ext in ["docx", "pdf", "xlsx"] {
        for a in files_with_ext(out, ext) {
            let rel = a.strip_prefix(out).unwrap();
            let b = again.join(rel);
            assert_eq!(
                std::fs::read(&a).unwrap(),
                std::fs::read(&b).unwrap(),
                "{rel:?} differs"
            );
            compared += 1;
        }
    }
    assert!(compared >= 32);
}

#[test]
fn the_build_reports_what_it_did() {
    let (_, stdout) = default_build();
    // 13 bodies, 汨罗市's correction and the inspectors' spot-check workbook:
    // 111 units, 汨罗市's 6 again, the 10 units drawn; the one warning is the
    // spot check's finding that differs from the county's.
    assert!(
        stdout.contains(
            "读取 15 个报送文件，共 127 行：接收 127 行，退回 0 行；错误 0 个，警告 1 个"
        ),
        "{stdout}"
    );
    // The follow-ups of the 5 units under rectification (input/整改, judged on
    // the config's reference_date): 3 rectified, 1 not, 1 overdue, each of
    // the last two a warning.
    assert!(
        stdout.contains(
            "读取 3 个整改落实情况表，共 4 行：接收 4 行，退回 0 行；错误 0 个，警告 2 个"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "5 个单位需报送整改情况：整改到位 3 个，未整改到位 1 个，逾期未报 1 个，整改中 0 个"
        ),
        "{stdout}"
    );
    // Nothing held back.
    assert!(!stdout.contains("暂缓"), "{stdout}");
    assert!(stdout.contains("用时"), "{stdout}");
}
