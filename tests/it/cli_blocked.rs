//! The blocked path: one county's workbook has an invalid date and leaves a
//! unit out. `fucha build` must still write what helps fix it (validation
//! report, 退回修改意见 letter and workbook, the notice), hold back what would
//! publish wrong figures (circular, that county's summary, the provincial
//! report), and exit 1; `--draft` writes those anyway, marked 征求意见稿.

use crate::common;

use common::{
    Run, SheetGrid, cell_text, copy_dir, docx_text, files_under, fucha, pdf_page_text, pdf_text,
    pdf_text_by_columns, read_workbook, repo, run, snapshot, squash, write_workbook,
};
use fucha::check::feedback::feedback_file_name;
use fucha::diag::column_letters;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The county whose workbook is broken.
const BODY: &str = "华容县";
const BAD_DATE: &str = "2020-13-45";

struct Blocked {
    _dir: tempfile::TempDir,
    input: PathBuf,
    /// The input folder's bytes, broken workbook included, before the builds.
    input_before: std::collections::BTreeMap<PathBuf, Vec<u8>>,
    /// `sheet!A1` of the invalid date.
    cell: String,
    /// The unit whose date is invalid.
    dated_unit: String,
    /// The unit left out of the workbook.
    missing_unit: String,
    out: PathBuf,
    run: Run,
    draft_out: PathBuf,
    draft_run: Run,
}

/// Column index of a header label in the main sheet's header row.
fn col(sheet: &SheetGrid, header_row: usize, label: &str) -> usize {
    sheet.rows[header_row]
        .iter()
        .position(|c| cell_text(c) == label)
        .unwrap_or_else(|| panic!("no column {label}"))
}

fn blocked() -> &'static Blocked {
    static B: OnceLock<Blocked> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        copy_dir(&repo().join("input"), &input);
        let book = input.join("报送").join(format!("{BODY}.xlsx"));
        let mut sheets = read_workbook(&book);
        let main = sheets
            .iter_mut()
            .find(|s| {
                s.rows
                    .iter()
                    .any(|r| r.iter().any(|c| cell_text(c) == "复查日期"))
            })
            .expect("a main sheet");
        let header = main
            .rows
            .iter()
            .position(|r| r.iter().any(|c| cell_text(c) == "复查日期"))
            .unwrap();
        let (date, name) = (col(main, header, "复查日期"), col(main, header, "单位名称"));
        let first = header + 1;
        main.rows[first][date] = calamine::Data::String(BAD_DATE.into());
        let cell = format!("{}!{}{}", main.name, column_letters(date as u32), first + 1);
        let dated_unit = cell_text(&main.rows[first][name]);
        let last = main
            .rows
            .iter()
            .rposition(|r| !cell_text(&r[name]).is_empty())
            .unwrap();
        assert!(last > first);
        let missing_unit = cell_text(&main.rows.remove(last)[name]);
        write_workbook(&sheets, &book);
        let input_before = snapshot(&input);

        let config = input.join("fucha.toml");
        let out = dir.path().join("out");
        let run1 = run(fucha()
            .arg("build")
            .arg("--config")
            .arg(&config)
            .arg("--out")
            .arg(&out));
        let draft_out = dir.path().join("draft");
        let draft_run = run(fucha()
            .arg("build")
            .arg("--draft")
            .arg("--config")
            .arg(&config)
            .arg("--out")
            .arg(&draft_out));
        Blocked {
            _dir: dir,
            input,
            input_before,
            cell,
            dated_unit,
            missing_unit,
            out,
            run: run1,
            draft_out,
            draft_run,
        }
    })
}

/// Files under `out` whose relative path contains `needle`.
fn matching(out: &Path, needle: &str) -> Vec<PathBuf> {
    files_under(out)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(needle))
        .collect()
}

fn one(out: &Path, needle: &str, ext: &str) -> PathBuf {
    let found: Vec<_> = matching(out, needle)
        .into_iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
        .collect();
    assert_eq!(found.len(), 1, "one {ext} for {needle}: {found:?}");
    out.join(&found[0])
}

#[test]
fn a_broken_county_workbook_exits_1_and_holds_back_what_would_publish_wrong_figures() {
    let b = blocked();
    assert_eq!(b.run.code, Some(1), "{}\n{}", b.run.stdout, b.run.stderr);
    // Helpful documents are written.
    for (needle, ext) in [
        ("00-校验报告", "docx"),
        ("00-校验报告", "pdf"),
        ("01-复查工作通知", "docx"),
        ("01-复查工作通知", "pdf"),
    ] {
        one(&b.out, needle, ext);
    }
    // Publishing documents are not.
    assert!(matching(&b.out, "02-复查通报").is_empty());
    assert!(matching(&b.out, "04-报省文明办").is_empty());
    assert!(matching(&b.out, &format!("/{BODY}2020年")).is_empty());
    assert!(matching(&b.out, "征求意见稿").is_empty());
    // The other bodies' summaries are.
    let summaries: Vec<_> = matching(&b.out, "03-县市区汇总报告")
        .into_iter()
        .filter(|p| p.extension().unwrap() == "docx")
        .collect();
    assert_eq!(summaries.len(), 12, "{summaries:?}");
    // And the run says what it held back and why.
    assert!(b.run.stdout.contains("暂缓"), "{}", b.run.stdout);
    assert!(b.run.stdout.contains("--draft"), "{}", b.run.stdout);
}

#[test]
fn the_feedback_letter_and_workbook_name_the_cell_and_the_missing_unit() {
    let b = blocked();
    let letter = one(&b.out, "退回修改意见", "docx");
    assert!(letter.to_string_lossy().contains(BODY));
    let text = squash(&docx_text(&letter));
    let pdf_path = letter.with_extension("pdf");
    assert!(pdf_path.exists());
    let pdf = squash(&pdf_text(&pdf_path));
    let pdf_cols = squash(&pdf_text_by_columns(&pdf_path));
    for needle in [&b.cell, BAD_DATE, &b.dated_unit, &b.missing_unit] {
        let needle = squash(needle);
        assert!(text.contains(&needle), "letter lacks {needle}");
        assert!(
            pdf.contains(&needle) || pdf_cols.contains(&needle),
            "letter PDF lacks {needle}"
        );
    }

    // The workbook, beside the letter: the county's own rows, the broken one
    // annotated.
    let book = b.input.join("报送").join(format!("{BODY}.xlsx"));
    let xlsx = one(&b.out, &feedback_file_name(&book), "xlsx");
    assert_eq!(xlsx.parent(), letter.parent(), "workbook beside the letter");
    // No other county's workbook is marked. The inspectors' spot-check
    // workbook may be: this copy of input/ has no register, so the check
    // draws its units again from the seed in its title among the county
    // results in force, and the two broken rows change those (rows rejected
    // as spot-unit-not-drawn; the office's own workbook gets no letter).
    let campaign = fucha::campaign::Campaign::load(&b.input.join("fucha.toml")).unwrap();
    let spot_books: Vec<String> = fucha::check::spot::spot_files(&campaign.spot_checks)
        .iter()
        .map(|p| feedback_file_name(p))
        .collect();
    for other in matching(&b.out, "退回修改意见") {
        let name = other.file_name().unwrap().to_string_lossy();
        if other.extension().unwrap() == "xlsx" && *name != *feedback_file_name(&book) {
            assert!(spot_books.contains(&name.to_string()), "{other:?} marked");
        }
    }
    let sheets = read_workbook(&xlsx);
    let annotated = sheets.iter().any(|s| {
        s.rows.iter().any(|r| {
            r.iter().any(|c| cell_text(c) == b.dated_unit)
                && r.iter().any(|c| cell_text(c).contains(BAD_DATE))
        })
    });
    assert!(
        annotated,
        "the feedback workbook marks the row of {}",
        b.dated_unit
    );

    // The validation report names the cell too.
    let report = one(&b.out, "00-校验报告", "docx");
    let report = squash(&docx_text(&report));
    assert!(
        report.contains(&squash(&b.cell)),
        "validation report lacks {}",
        b.cell
    );
    assert!(report.contains(&b.missing_unit));
    // And says which documents wait for the correction.
    for held in [
        "复查通报",
        "报省文明办的报告",
        &format!("{BODY}复查情况汇总报告"),
    ] {
        assert!(
            report.contains(held),
            "validation report does not name {held}"
        );
    }
}

#[test]
fn with_draft_the_held_back_documents_are_written_and_marked_on_page_one() {
    let b = blocked();
    assert_eq!(b.draft_run.code, Some(1), "{}", b.draft_run.stderr);
    for needle in ["02-复查通报", "04-报省文明办", &format!("/{BODY}2020年")] {
        for ext in ["docx", "pdf"] {
            let path = one(&b.draft_out, needle, ext);
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(name.contains("征求意见稿"), "{name} not marked as a draft");
            if ext == "pdf" {
                let page1 = pdf_page_text(&path, 1);
                assert!(page1.contains("征求意见稿"), "{name}: no mark on page 1");
            } else {
                assert!(docx_text(&path).contains("征求意见稿"), "{name}: no mark");
            }
        }
    }
    // The draft circular counts the units without an accepted result apart,
    // and its rows still add up to the roster.
    let ctx = fucha::pipeline::Context::load(&b.input.join("fucha.toml"), None).unwrap();
    let batch = ctx.check(&[]);
    let unreported = ctx.roster.units().len() - batch.results.len();
    assert!(unreported >= 2, "the dated unit and the missing unit");
    let circular = one(&b.draft_out, "02-复查通报", "docx");
    let table = common::docx_tables(&circular)
        .into_iter()
        .find(|t| t[0].iter().any(|c| c == "未报结果"))
        .expect("counts table");
    let total = table.last().unwrap();
    assert_eq!(total[0], "合计");
    let at = |l: &str| table[0].iter().position(|c| c == l).unwrap();
    assert_eq!(total[at("未报结果")], unreported.to_string());
    assert_eq!(total[at("应复查")], ctx.roster.units().len().to_string());
    for row in &table[1..] {
        let cells: Vec<usize> = row[2..].iter().map(|c| c.parse().unwrap()).collect();
        let due: usize = row[at("应复查")].parse().unwrap();
        assert_eq!(cells.iter().sum::<usize>(), due, "{row:?} adds up");
    }

    // Documents that were never blocked are not drafts.
    let drafts = matching(&b.draft_out, "征求意见稿");
    assert_eq!(
        drafts.len(),
        3 * common::default_formats().len(),
        "three documents, in each format: {drafts:?}"
    );
    assert!(!pdf_page_text(&one(&b.draft_out, "01-复查工作通知", "pdf"), 1).contains("征求意见稿"));
}

#[test]
fn the_broken_input_is_left_as_it_was() {
    let b = blocked();
    // Two builds later, the input folder holds the same bytes: the feedback
    // went to the output folder, never next to the input.
    let after = snapshot(&b.input);
    assert_eq!(
        b.input_before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &b.input_before {
        assert!(after[path] == *bytes, "{path:?} was modified");
    }
}

#[test]
fn the_validation_report_agrees_with_fucha_check_on_the_broken_input() {
    let b = blocked();
    let r = run(fucha()
        .args(["check", "--format", "json", "--config"])
        .arg(b.input.join("fucha.toml")));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let errors = json["summary"]["errors"].as_u64().unwrap();
    assert!(errors >= 2);
    let report = one(&b.out, "00-校验报告", "docx");
    let table = common::docx_tables(&report)
        .into_iter()
        .find(|t| t[0].iter().any(|c| c == "读取行数"))
        .expect("per-file table");
    let at = |l: &str| table[0].iter().position(|c| c == l).unwrap();
    let file = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["jurisdiction"] == BODY)
        .unwrap();
    let row = table[1..]
        .iter()
        .find(|r| r[at("报送单位")] == BODY)
        .expect("a row for the broken county");
    for (label, key) in [
        ("读取行数", "rows"),
        ("通过", "accepted"),
        ("未通过", "rejected"),
    ] {
        assert_eq!(row[at(label)], file[key].to_string(), "{label}");
    }
    let file_errors = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file["path"] && d["severity"] == "error")
        .count();
    assert_eq!(row[at("错误")], file_errors.to_string());
    let text = squash(&docx_text(&report));
    assert!(
        text.contains(&format!("错误{errors}处")),
        "report total of errors"
    );
}

/// Summaries written by a build, by body name.
fn summary_bodies(out: &Path, roster: &fucha::roster::Roster) -> Vec<String> {
    let files = matching(out, "03-县市区汇总报告");
    roster
        .jurisdictions()
        .into_iter()
        .filter(|j| {
            files.iter().any(|p| {
                p.extension().unwrap() == "docx"
                    && p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(&format!("{j}2020年"))
            })
        })
        .map(String::from)
        .collect()
}

#[test]
fn a_body_that_sent_nothing_gets_no_summary_and_the_reason_counts_its_units() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    std::fs::remove_file(input.join("报送").join(format!("{BODY}.xlsx"))).unwrap();
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--config")
        .arg(input.join("fucha.toml"))
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let ctx = fucha::pipeline::Context::load(&input.join("fucha.toml"), None).unwrap();
    let written = summary_bodies(&out, &ctx.roster);
    assert_eq!(written.len(), ctx.roster.jurisdictions().len() - 1);
    assert!(!written.iter().any(|b| b == BODY));
    let units = ctx.roster.units_of(BODY).count();
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("暂缓") && l.contains(&format!("{BODY}2020年")))
        .unwrap_or_else(|| panic!("no withheld line for {BODY}: {}", r.stdout));
    assert!(line.contains(&format!("{units}个")), "{line}");
}

#[test]
fn an_unreadable_file_of_unknown_origin_does_not_let_silent_bodies_through() {
    // Only one county's workbook arrives, with a file nobody can read: the
    // other bodies have no results, so their summaries must wait.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let junk = dir.path().join("扫描件.xlsx");
    std::fs::write(&junk, b"not a workbook").unwrap();
    let kept = "岳阳县";
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg(input.join("报送").join(format!("{kept}.xlsx")))
        .arg(&junk)
        .arg("--config")
        .arg(input.join("fucha.toml"))
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let ctx = fucha::pipeline::Context::load(&input.join("fucha.toml"), None).unwrap();
    assert_eq!(summary_bodies(&out, &ctx.roster), vec![kept.to_string()]);
    assert!(matching(&out, "02-复查通报").is_empty());
}

#[test]
fn rebuilding_into_the_same_folder_leaves_no_superseded_document_behind() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let book = input.join("报送").join(format!("{BODY}.xlsx"));
    let good = std::fs::read(&book).unwrap();
    let out = dir.path().join("out");
    let build = |draft: bool| {
        let mut cmd = fucha();
        cmd.arg("build")
            .arg("--config")
            .arg(&config)
            .arg("--out")
            .arg(&out);
        if draft {
            cmd.arg("--draft");
        }
        run(&mut cmd)
    };
    let held = ["02-复查通报", "04-报省文明办", &format!("/{BODY}2020年")];

    let formats = common::default_formats().len();
    assert_eq!(build(false).code, Some(0));
    for needle in held {
        assert_eq!(matching(&out, needle).len(), formats, "{needle} built");
    }

    // The county's workbook breaks: last run's circular etc. must not linger.
    let mut sheets = read_workbook(&book);
    let main = sheets
        .iter_mut()
        .find(|s| {
            s.rows
                .iter()
                .any(|r| r.iter().any(|c| cell_text(c) == "复查日期"))
        })
        .unwrap();
    let header = main
        .rows
        .iter()
        .position(|r| r.iter().any(|c| cell_text(c) == "复查日期"))
        .unwrap();
    let date = col(main, header, "复查日期");
    main.rows[header + 1][date] = calamine::Data::String(BAD_DATE.into());
    write_workbook(&sheets, &book);
    let blocked = build(false);
    assert_eq!(blocked.code, Some(1));
    for needle in held {
        assert!(
            matching(&out, needle).is_empty(),
            "stale {needle} left behind"
        );
    }
    assert!(blocked.stdout.contains("删除"), "{}", blocked.stdout);

    // Drafts, then the corrected workbook: the drafts give way to finals.
    assert_eq!(build(true).code, Some(1));
    assert_eq!(matching(&out, "征求意见稿").len(), 3 * formats);
    std::fs::write(&book, good).unwrap();
    assert_eq!(build(false).code, Some(0));
    assert!(
        matching(&out, "征求意见稿").is_empty(),
        "stale drafts left behind"
    );
    for needle in held {
        assert_eq!(matching(&out, needle).len(), formats, "{needle} rebuilt");
    }
}

/// A county that fixes its workbook gets no stale 退回修改意见 left over from
/// the run before, and files a clerk put in the output folder stay.
#[test]
fn a_rebuild_clears_out_what_it_no_longer_writes_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let input = dir.path().join("input");
    common::copy_dir(&root, &input);
    let good = std::fs::read(input.join("报送/君山区.xlsx")).unwrap();
    std::fs::write(input.join("报送/君山区.xlsx"), b"not a workbook").unwrap();
    let out = dir.path().join("out");
    let config = input.join("fucha.toml");
    let run = |draft: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_fucha"));
        cmd.arg("build")
            .arg("--config")
            .arg(&config)
            .arg("--out")
            .arg(&out);
        if draft {
            cmd.arg("--draft");
        }
        cmd.output().unwrap()
    };
    assert_eq!(run(false).status.code(), Some(1));
    let letters = common::files_under(&out.join("06-退回修改意见"));
    assert!(
        !letters.is_empty(),
        "the broken workbook gets a feedback letter"
    );
    std::fs::write(out.join("我的备注.txt"), "clerk's own file").unwrap();

    std::fs::write(input.join("报送/君山区.xlsx"), good).unwrap();
    assert_eq!(run(false).status.code(), Some(0));
    assert!(
        !out.join("06-退回修改意见").exists()
            || common::files_under(&out.join("06-退回修改意见")).is_empty(),
        "stale feedback letters remain"
    );
    assert!(
        out.join("我的备注.txt").is_file(),
        "a file the build did not write was removed"
    );
    assert_eq!(
        common::files_under(&out.join("02-复查通报")).len(),
        common::default_formats().len()
    );
}
