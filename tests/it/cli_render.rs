//! `fucha render` and the office's template folder, as a clerk uses them:
//! any template with any JSON data to DOCX or PDF; an edited sentence in a
//! copied folder shows up without a rebuild; a broken template stops with
//! its file, line and column before anything is written.

use crate::common;

use common::{copy_dir, docx_text, files_under, fucha, pdf_text, repo, run, squash};
use std::path::Path;

const LETTER: &str = "\
@标题 关于{{unit}}的函
@主送 {{unit}}

请于{{date deadline}}前报送材料。

# 有关单位

{{#each units}}
## {{this}}
情况良好。

{{/each}}
@署名 岳阳市文明办
@成文日期 {{date deadline}}
";

/// Names with the characters XML and the markup care about.
const DATA: &str =
    r#"{"unit": "A<B>&\"C\"公司", "deadline": "2020-10-09", "units": ["甲<单位>", "乙&丙"]}"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn render_writes_docx_and_pdf_and_prints_names_as_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("letter.hbs");
    let data = dir.path().join("data.json");
    write(&template, LETTER);
    write(&data, DATA);
    for ext in ["docx", "pdf"] {
        let out = dir.path().join("out").join(format!("函.{ext}"));
        let r = run(fucha()
            .arg("render")
            .arg(&template)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(&out));
        assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
        let text = squash(&if ext == "docx" {
            docx_text(&out)
        } else {
            pdf_text(&out)
        });
        for needle in [
            "关于A<B>&\"C\"公司的函",
            "A<B>&\"C\"公司：",
            "请于2020年10月9日前报送材料。",
            "一、有关单位",
            "（一）甲<单位>",
            "（二）乙&丙",
            "岳阳市文明办",
        ] {
            assert!(text.contains(needle), "{ext} lacks {needle}: {text}");
        }
        assert!(!text.contains("&amp;") && !text.contains("&lt;"), "{text}");
    }
}

#[test]
fn an_edited_sentence_in_a_copied_template_folder_changes_the_output_without_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    copy_dir(&repo().join("templates"), &templates);

    // An ad-hoc template rendered by name from the folder, edited between runs.
    let data = dir.path().join("data.json");
    write(&data, DATA);
    write(&templates.join("letter.hbs"), LETTER);
    let render = |out: &Path| {
        let r = run(fucha()
            .args(["render", "letter", "--templates"])
            .arg(&templates)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(out));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        squash(&docx_text(out))
    };
    let before = render(&dir.path().join("a.docx"));
    assert!(before.contains("情况良好"));
    write(
        &templates.join("letter.hbs"),
        &LETTER.replace("情况良好。", "整改已按期完成。"),
    );
    let after = render(&dir.path().join("b.docx"));
    assert!(after.contains("整改已按期完成") && !after.contains("情况良好"));

    // A shipped template: one sentence of the circular, through a whole build.
    let old = "复查合格的单位要珍惜荣誉";
    let new = "复查合格的单位要再接再厉、久久为功";
    let circular = templates.join("circular.hbs");
    let text = std::fs::read_to_string(&circular).unwrap();
    assert!(text.contains(old), "the shipped circular has the sentence");
    write(&circular, &text.replace(old, new));
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--templates")
        .arg(&templates)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    let built = files_under(&out);
    let docx = built
        .iter()
        .find(|p| p.starts_with("02-复查通报") && p.extension().unwrap() == "docx")
        .expect("circular written");
    for text in [
        squash(&docx_text(&out.join(docx))),
        squash(&pdf_text(&out.join(docx.with_extension("pdf")))),
    ] {
        assert!(text.contains(new), "edited sentence missing");
        assert!(!text.contains(old), "old sentence still there");
    }
}

/// Broken templates, each with the (line, column) of its defect.
const BROKEN: [(&str, &str, usize, usize); 5] = [
    (
        "unknown-helper",
        "@标题 函\n\n正文\n  {{frobnicate unit}}\n",
        4,
        3,
    ),
    (
        "unclosed-block",
        "@标题 函\n\n{{#each units}}\n正文\n",
        5,
        1,
    ),
    ("missing-field", "@标题 函\n\n{{missing.field}}\n", 3, 1),
    (
        "bad-table-row",
        "@标题 函\n\n正文\n\n| 单位 | 结论 |\n| 甲 |\n",
        6,
        1,
    ),
    ("unknown-directive", "@标题 函\n@无此指令 乙\n", 2, 1),
];

#[test]
fn a_broken_template_stops_with_file_line_and_column_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.json");
    write(&data, DATA);
    for (name, text, line, column) in BROKEN {
        let template = dir.path().join(format!("{name}.hbs"));
        write(&template, text);
        let out_dir = dir.path().join(format!("out-{name}"));
        let r = run(fucha()
            .arg("render")
            .arg(&template)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(out_dir.join("x.docx")));
        assert_eq!(r.code, Some(2), "{name}: {}", r.stderr);
        let message = r.stderr.trim();
        assert_eq!(message.lines().count(), 1, "{name}: one line: {message}");
        for needle in [
            format!("{name}.hbs"),
            format!("第{line}行"),
            format!("第{column}列"),
        ] {
            assert!(
                message.contains(&needle),
                "{name}: {needle} not in {message}"
            );
        }
        assert!(!out_dir.exists(), "{name}: something was written");
    }
}

#[test]
fn a_broken_template_in_the_folder_stops_the_build_before_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    copy_dir(&repo().join("templates"), &templates);
    let summary = templates.join("summary.hbs");
    let mut lines: Vec<String> = std::fs::read_to_string(&summary)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.insert(4, "{{frobnicate jurisdiction}}".into());
    write(&summary, &lines.join("\n"));
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--templates")
        .arg(&templates)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(2), "{}\n{}", r.stdout, r.stderr);
    for needle in ["summary.hbs", "第5行", "第1列", "frobnicate"] {
        assert!(r.stderr.contains(needle), "{needle} not in {}", r.stderr);
    }
    assert!(files_under(&out).is_empty(), "{:?}", files_under(&out));
}

/// Issue #12: the pipeline kept only the text of a template error; it now
/// hands the caller the template error itself, with its position.
#[test]
fn a_broken_template_reaches_the_caller_as_a_typed_error_with_its_position() {
    use fucha::pipeline::{self, BuildOptions, Context, NoProgress, PipelineError};
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    copy_dir(&repo().join("templates"), &templates);
    let summary = templates.join("summary.hbs");
    let mut lines: Vec<String> = std::fs::read_to_string(&summary)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.insert(4, "{{frobnicate jurisdiction}}".into());
    write(&summary, &lines.join("\n"));
    let ctx = Context::load(&repo().join("input").join("fucha.toml"), None).unwrap();
    let opts = BuildOptions {
        inputs: Vec::new(),
        output: dir.path().join("out"),
        templates: Some(templates),
        draft: false,
        jobs: 1,
        reference_date: None,
    };
    match pipeline::build(&ctx, &opts, &NoProgress) {
        Err(PipelineError::Template(e)) => {
            let (file, line, column) = e.position().expect("a position");
            assert!(file.ends_with("summary.hbs"), "{file}");
            assert_eq!((line, column), (5, 1), "{e}");
        }
        Err(other) => panic!("expected a template error, got {other:?}"),
        Ok(_) => panic!("the broken template was accepted"),
    }
}

/// Issue #12: `[output] formats` chooses what `build` writes.
#[test]
fn only_the_configured_formats_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = common::with_formats(&text, &["docx"]);
    assert!(
        text.contains("formats = [\"docx\"]"),
        "the shipped config lists the formats"
    );
    write(&config, &text);
    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert_ne!(r.code, Some(2), "{}\n{}", r.stdout, r.stderr);
    let files = files_under(&out);
    let has = |ext: &str| {
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == ext))
    };
    assert!(has("docx"), "{files:?}");
    assert!(!has("pdf"), "{files:?}");
}
