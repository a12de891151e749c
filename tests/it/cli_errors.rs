//! Runs that cannot proceed say why in one line, in Chinese, with the
//! path involved, exit 2, and write nothing.

use crate::common;

use common::{files_under, fucha, run};

#[test]
fn a_missing_config_is_named_once_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("没有这个文件夹").join("fucha.toml");
    let out = dir.path().join("out");
    for args in [
        vec!["build", "--out"],
        vec!["sample", "--count", "3", "--seed", "1", "--out"],
    ] {
        let r = run(fucha().args(&args).arg(&out).arg("--config").arg(&config));
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", r.stderr);
        assert!(lines[0].starts_with("错误："), "{}", lines[0]);
        assert!(
            lines[0].contains(&config.display().to_string()),
            "{}",
            lines[0]
        );
        // Each cause once, not repeated by the error chain.
        let first = lines[0].find("os error").map(|at| &lines[0][at..]);
        if let Some(rest) = first {
            assert!(
                !rest[1..].contains("os error"),
                "cause repeated: {}",
                lines[0]
            );
        }
        assert!(!out.exists(), "{args:?} wrote {:?}", files_under(&out));
    }
}

#[test]
fn a_sample_of_zero_units_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = run(fucha()
        .args(["sample", "--count", "0", "--seed", "5", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(r.stderr.contains("--count"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn render_refuses_bad_json_and_unknown_formats_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.hbs");
    std::fs::write(&template, "@标题 测试\n\n{{x}}\n").unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{x: 1").unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, r#"{"x": "正文"}"#).unwrap();
    let out = dir.path().join("out");
    for (data, file) in [(&bad, "a.docx"), (&good, "a.txt")] {
        let r = run(fucha()
            .arg("render")
            .arg(&template)
            .arg("--data")
            .arg(data)
            .arg("--out")
            .arg(out.join(file)));
        assert_eq!(r.code, Some(2), "{}", r.stdout);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(!out.exists());
    }
}

/// Issue #12: a misspelt `[documents.*]` table was ignored silently, so the
/// circular went out with the default number; now the run stops and names
/// the nearest kind.
#[test]
fn a_misspelt_document_kind_in_the_config_stops_the_run_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    common::copy_dir(&common::repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[documents.circulr]\nnumber = \"岳市文明委〔2020〕9号\"\n");
    std::fs::write(&config, text).unwrap();
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let line = r.stderr.trim();
    assert!(line.contains(&config.display().to_string()), "{line}");
    assert!(line.contains("[documents.circulr]"), "{line}");
    assert!(
        line.contains("是否应为 [documents.circular]（复查通报）"),
        "{line}"
    );
    assert!(!out.exists(), "nothing written");
}

/// Issue #12: an `[output] formats` name fucha cannot write stops the run,
/// naming the nearest format and the known ones.
#[test]
fn an_unknown_output_format_in_the_config_stops_the_run_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    common::copy_dir(&common::repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = common::with_formats(&text, &["docx", "pdff"]);
    assert!(
        text.contains("\"pdff\""),
        "the shipped config lists the formats"
    );
    std::fs::write(&config, text).unwrap();
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let line = r.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains(&config.display().to_string()), "{line}");
    assert!(line.contains("“pdff”"), "{line}");
    assert!(line.contains("是否应为“pdf”"), "{line}");
    assert!(line.contains("可用的有：docx、pdf"), "{line}");
    assert!(!out.exists(), "nothing written");
}
