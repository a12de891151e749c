//! A machine without the fonts the config asks for: `fucha build` still
//! writes every DOCX and the validation report, writes no PDF (nor OFD), and
//! says in one line per fixed-layout format which font roles are missing and
//! how to fix it, exiting non-zero.

use crate::common;

use common::{copy_dir, files_under, fucha, repo, run};
use fucha::campaign::FontRole;
use std::path::{Path, PathBuf};

/// A copy of `input/` whose `[fonts]` chains name only families that exist
/// nowhere, for every role.
fn input_without_fonts(dir: &Path) -> PathBuf {
    let input = dir.join("input");
    copy_dir(&repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    assert!(
        !text.lines().any(|l| l.trim() == "[fonts]"),
        "the default config sets no [fonts] table yet"
    );
    text.push_str("\n[fonts]\n");
    for (key, family) in [
        ("title", "不存在的标题字体"),
        ("body", "不存在的正文字体"),
        ("heading1", "不存在的黑体"),
        ("heading2", "不存在的楷体"),
        ("page_number", "不存在的宋体"),
        ("latin", "No Such Latin Face"),
    ] {
        text.push_str(&format!("{key} = [\"{family}\"]\n"));
    }
    std::fs::write(&config, text).unwrap();
    config
}

fn with_ext(out: &Path, ext: &str) -> Vec<PathBuf> {
    files_under(out)
        .into_iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
        .collect()
}

/// One line for each fixed-layout format configured (all but DOCX need
/// the faces), each naming every role and the fix.
fn assert_font_message(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let fixed = common::default_formats()
        .iter()
        .filter(|f| *f != "docx")
        .count();
    assert_eq!(
        lines.len(),
        fixed,
        "one line per fixed-layout format: {stderr}"
    );
    for line in lines {
        assert_names_roles_and_fix(line);
    }
}

fn assert_names_roles_and_fix(line: &str) {
    for role in FontRole::ALL {
        assert!(
            line.contains(role.label()),
            "{} not named: {line}",
            role.label()
        );
    }
    assert!(line.contains("fucha 自带的字体在"), "{line}");
    assert!(line.contains("[fonts] dirs"), "{line}");
}

#[test]
fn without_fonts_the_build_writes_every_docx_no_pdf_and_one_line_of_fix() {
    let dir = tempfile::tempdir().unwrap();
    let config = input_without_fonts(dir.path());
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert!(
        r.code.is_some_and(|c| c != 0),
        "must fail: {:?}\n{}",
        r.code,
        r.stdout
    );
    assert_font_message(&r.stderr);
    assert!(
        with_ext(&out, "pdf").is_empty(),
        "{:?}",
        with_ext(&out, "pdf")
    );

    // Every document of the season, as DOCX, counted from the season read
    // as the build read it (on this copy): the city's spot-check findings
    // in force, the follow-ups in 整改 judged on the config's reference date.
    let (ctx, batch) = fucha::pipeline::Context::load_and_check(&config, None, &[]).unwrap();
    let notices = batch
        .results
        .iter()
        .filter(|r| r.outcome.needs_rectification_notice())
        .count();
    let followup = fucha::pipeline::followups(&ctx, &batch, None, false).unwrap();
    let counts = followup.counts();
    // No unit is still pending: the closing documents are not held back.
    assert_eq!(counts.pending, 0, "{:?}", followup.units);
    assert!(
        counts.overdue > 0,
        "the default data chases an overdue unit"
    );
    // A 催办通知 per overdue unit; the 整改情况通报, and the report to the
    // province when a national or provincial unit is under follow-up.
    let closing = usize::from(!followup.units.is_empty())
        + usize::from(followup.units.iter().any(|u| u.provincial()));
    // ...and the 公示.
    let documents = 4 + ctx.roster.jurisdictions().len() + notices + counts.overdue + closing + 1;
    let docx = with_ext(&out, "docx");
    assert_eq!(docx.len(), documents, "{docx:?}");
    for folder in [
        "00-校验报告",
        "01-复查工作通知",
        "02-复查通报",
        "03-县市区汇总报告",
        "04-报省文明办",
        "05-整改通知书",
        "08-整改催办",
        "09-整改情况通报",
        "10-整改情况报省",
        "11-复查结果公示",
    ] {
        assert!(
            docx.iter().any(|p| p.starts_with(folder)),
            "no DOCX in {folder}"
        );
    }
    for p in &docx {
        let text = common::docx_text(&out.join(p));
        assert!(
            text.chars().filter(|c| *c >= '\u{4e00}').count() > 50,
            "{p:?} empty"
        );
    }
}

#[test]
fn without_fonts_sample_and_render_fail_clearly_too() {
    let dir = tempfile::tempdir().unwrap();
    let config = input_without_fonts(dir.path());

    let out = dir.path().join("sample");
    let r = run(fucha()
        .args(["sample", "--count", "3", "--seed", "7", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert!(r.code.is_some_and(|c| c != 0), "{}", r.stdout);
    assert_font_message(&r.stderr);
    assert_eq!(with_ext(&out, "docx").len(), 1);
    assert!(with_ext(&out, "pdf").is_empty());

    let template = dir.path().join("t.hbs");
    std::fs::write(&template, "@标题 测试\n\n正文。\n").unwrap();
    let data = dir.path().join("d.json");
    std::fs::write(&data, "{}").unwrap();
    let pdf = dir.path().join("render").join("t.pdf");
    let r = run(fucha()
        .arg("render")
        .arg(&template)
        .arg("--data")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&pdf));
    assert!(r.code.is_some_and(|c| c != 0), "{}", r.stdout);
    assert!(!pdf.exists());
    assert!(r.stderr.contains("[fonts] dirs"), "{}", r.stderr);
}

#[test]
fn without_fonts_last_runs_pdfs_do_not_linger_beside_the_new_docx() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = run(fucha().arg("build").arg("--out").arg(&out));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert!(!with_ext(&out, "pdf").is_empty());
    let config = input_without_fonts(dir.path());
    let second = run(fucha()
        .arg("build")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert!(second.code.is_some_and(|c| c != 0));
    assert_font_message(&second.stderr);
    assert!(
        with_ext(&out, "pdf").is_empty(),
        "{:?}",
        with_ext(&out, "pdf")
    );
    assert!(!with_ext(&out, "docx").is_empty());
}
