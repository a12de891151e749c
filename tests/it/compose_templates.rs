//! The office's templates: edits in a folder take effect without a rebuild,
//! and every template error names the file, line and column.

use crate::compose_fixture;

use compose_fixture::*;
use fucha::compose::{TemplateError, Templates, document_set, render_template};
use fucha::doc::Block;
use serde_json::json;
use std::path::{Path, PathBuf};

fn shipped(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(name);
    std::fs::read_to_string(path).expect("shipped template")
}

/// A folder holding one template file with `text`.
fn folder_with(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn position(err: &TemplateError) -> (String, usize, usize) {
    let (file, line, column) = err
        .position()
        .unwrap_or_else(|| panic!("no position: {err}"));
    (file.to_string(), line, column)
}

#[test]
fn changing_one_sentence_in_a_template_folder_changes_the_output() {
    let roster = roster();
    let batch = clean_batch(&roster);
    let campaign = campaign();
    let old = "复查合格的单位要珍惜荣誉";
    let new = "复查合格的单位要再接再厉、久久为功";
    let original = shipped("circular.hbs");
    assert!(original.contains(old));
    let (dir, _) = folder_with("circular.hbs", &original.replace(old, new));

    let edited = Templates::load(Some(dir.path())).unwrap();
    assert!(
        edited
            .file_of("circular")
            .unwrap()
            .ends_with("circular.hbs")
    );
    assert!(edited.file_of("notice").unwrap().contains("内置"));
    let set = document_set(&batch, &roster, &campaign, &edited, false).unwrap();
    let circular = set
        .documents
        .iter()
        .find(|d| d.kind.key() == "circular")
        .unwrap();
    let body = text(&circular.document);
    assert!(body.contains(new));
    assert!(!body.contains(old));
    // Templates the folder lacks fall back to the built-in copies.
    assert!(set.documents.iter().any(|d| d.kind.key() == "notice"));

    let builtin = Templates::load(None).unwrap();
    let set = document_set(&batch, &roster, &campaign, &builtin, false).unwrap();
    let circular = set
        .documents
        .iter()
        .find(|d| d.kind.key() == "circular")
        .unwrap();
    assert!(text(&circular.document).contains(old));
}

#[test]
fn an_unknown_helper_stops_with_file_line_and_column() {
    let (dir, path) = folder_with("notice.hbs", "@标题 测试\n\n正文{{shout campaign.city}}\n");
    let templates = Templates::load(Some(dir.path())).unwrap();
    let data = json!({"campaign": {"city": "岳阳市"}});
    let err = render_template(&templates, "notice", &data).unwrap_err();
    assert_eq!(position(&err), (path.display().to_string(), 3, 3));
    let message = err.to_string();
    assert!(message.contains("未知的帮助函数“shout”"), "{message}");
    assert!(message.contains("第3行第3列"), "{message}");
}

#[test]
fn a_misspelt_field_stops_with_its_name_and_position() {
    let (dir, path) = folder_with("x.hbs", "@标题 {{campaign.city}}\n\n{{campaign.ctiy}}\n");
    let templates = Templates::load(Some(dir.path())).unwrap();
    let err =
        render_template(&templates, "x", &json!({"campaign": {"city": "岳阳市"}})).unwrap_err();
    assert_eq!(position(&err), (path.display().to_string(), 3, 1));
    assert!(err.to_string().contains("campaign.ctiy"), "{err}");

    // A misspelt field given to a helper is caught as well.
    let (dir, _) = folder_with("y.hbs", "@标题 T\n\n{{date doc.dat}}\n");
    let templates = Templates::load(Some(dir.path())).unwrap();
    let err =
        render_template(&templates, "y", &json!({"doc": {"date": "2020-10-09"}})).unwrap_err();
    assert_eq!(position(&err).1, 3);
    assert!(err.to_string().contains("doc.dat"), "{err}");
}

#[test]
fn a_handlebars_syntax_error_stops_at_load_with_its_position() {
    let (dir, path) = folder_with("circular.hbs", "@标题 T\n{{#if draft}}\n草稿\n{{/each}}\n");
    let err = Templates::load(Some(dir.path())).unwrap_err();
    let (file, line, _) = position(&err);
    assert_eq!(file, path.display().to_string());
    assert_eq!(line, 4);
    assert!(err.to_string().contains("没有正确结束"), "{err}");
}

#[test]
fn a_markup_error_points_at_the_template_line_that_wrote_it() {
    let source = "{{!-- 测试 --}}\n@标题 {{campaign.city}}的通知\n\n   @标体 错字\n";
    let (dir, path) = folder_with("notice.hbs", source);
    let templates = Templates::load(Some(dir.path())).unwrap();
    let err = render_template(
        &templates,
        "notice",
        &json!({"campaign": {"city": "岳阳市"}}),
    )
    .unwrap_err();
    assert_eq!(position(&err), (path.display().to_string(), 4, 4));
    assert!(err.to_string().contains("未知的指令“@标体”"), "{err}");

    // A ragged table row written by a loop points at the loop's row line.
    let source = "@标题 T\n\n| 名称 | 结论 |\n{{#each rows}}\n| {{name}} | {{outcome}} | 多余 |\n{{/each}}\n";
    let (dir, path) = folder_with("t.hbs", source);
    let templates = Templates::load(Some(dir.path())).unwrap();
    let err = render_template(
        &templates,
        "t",
        &json!({"rows": [{"name": "甲", "outcome": "合格"}]}),
    )
    .unwrap_err();
    let (file, line, _) = position(&err);
    assert_eq!(file, path.display().to_string());
    assert!(err.to_string().contains("单元格"), "{err}");
    assert_eq!(line, 5, "the loop's row line: {err}");
}

#[test]
fn triple_braces_are_refused_because_they_would_let_data_break_the_markup() {
    let (dir, path) = folder_with("x.hbs", "@标题 T\n\n{{{campaign.city}}}\n");
    let err = Templates::load(Some(dir.path())).unwrap_err();
    assert_eq!(position(&err), (path.display().to_string(), 3, 1));
}

#[test]
fn an_ad_hoc_template_file_renders_any_data_and_data_cannot_break_the_markup() {
    let source = "@发文机关标志 {{organ}}文件\n@标题 关于{{topic}}的通知\n@主送 {{to}}\n\n{{line}}\n\n{{at}}\n\n@表格 左 中\n| 单位 | 结论 |\n{{#each units}}\n| {{name}} | {{outcome}} |\n{{/each}}\n\n@署名 {{organ}}\n@成文日期 {{this.date}}\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("临时通知.hbs");
    std::fs::write(&path, source).unwrap();
    let mut templates = Templates::load(None).unwrap();
    let name = templates.load_file(&path).unwrap();
    assert_eq!(name, "临时通知");
    let data = json!({
        "organ": "岳阳市文明办",
        "topic": "A&B <测试> \"引号\"",
        "to": "各县市区文明办、市直各单位",
        "line": "# 这不是标题\n@署名 伪造",
        "at": "@标题 伪造的标题",
        "units": [{"name": "甲|乙", "outcome": "合格"}, {"name": "#丙", "outcome": "@丁"}],
        "date": "2020-10-09",
    });
    let doc = render_template(&templates, &name, &data).unwrap();
    assert_eq!(doc.title, "关于A&B <测试> \"引号\"的通知");
    assert_eq!(doc.addressee.as_deref(), Some("各县市区文明办、市直各单位"));
    assert_eq!(
        doc.signature.as_ref().unwrap().organs,
        vec!["岳阳市文明办".to_string()]
    );
    let paragraphs: Vec<&str> = doc
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(paragraphs, ["# 这不是标题 @署名 伪造", "@标题 伪造的标题"]);
    let Some(Block::Table(t)) = doc.body.last() else {
        panic!("table expected")
    };
    assert_eq!(t.rows, vec![vec!["甲|乙", "合格"], vec!["#丙", "@丁"]]);
    assert_eq!(t.columns[1].align, fucha::doc::CellAlign::Center);
}

#[test]
fn an_unknown_template_name_lists_the_available_ones() {
    let templates = Templates::load(None).unwrap();
    let err = render_template(&templates, "circulr", &json!({})).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("circulr") && message.contains("circular"),
        "{message}"
    );
}

#[test]
fn a_command_line_template_may_be_a_name_or_a_file() {
    let mut templates = Templates::load(None).unwrap();
    assert_eq!(templates.resolve("circular").unwrap(), "circular");
    let (dir, path) = folder_with("函.hbs", "@标题 关于{{topic}}的函\n\n{{body}}\n");
    let name = templates.resolve(path.to_str().unwrap()).unwrap();
    let doc =
        render_template(&templates, &name, &json!({"topic": "复查", "body": "正文"})).unwrap();
    assert_eq!(doc.title, "关于复查的函");
    drop(dir);
    let err = templates.resolve("/nonexistent/x.hbs").unwrap_err();
    assert!(err.to_string().contains("无法读取模板"), "{err}");
}

#[test]
fn templates_saved_by_windows_editors_are_read_alike() {
    let source = "@标题 关于{{topic}}的通知\r\n\r\n正文第一段。\r\n";
    let data = json!({"topic": "复查"});
    // UTF-8 with a byte-order mark and CRLF line ends (Notepad).
    let dir = tempfile::tempdir().unwrap();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(source.as_bytes());
    std::fs::write(dir.path().join("bom.hbs"), bom).unwrap();
    // GBK (older Chinese editors).
    let (gbk, _, _) = encoding_rs::GBK.encode(source);
    std::fs::write(dir.path().join("gbk.hbs"), &*gbk).unwrap();
    let templates = Templates::load(Some(dir.path())).unwrap();
    for name in ["bom", "gbk"] {
        let doc = render_template(&templates, name, &data).unwrap();
        assert_eq!(doc.title, "关于复查的通知", "{name}");
        assert!(matches!(&doc.body[0], Block::Paragraph(p) if p.text == "正文第一段。"));
    }
}

#[test]
fn a_template_without_a_title_is_refused_with_its_file_named() {
    let (dir, path) = folder_with(
        "x.hbs",
        "正文一段。\n\n@署名 岳阳市文明办\n@成文日期 2020-10-09\n",
    );
    let templates = Templates::load(Some(dir.path())).unwrap();
    let err = render_template(&templates, "x", &json!({})).unwrap_err();
    let (file, line, _) = position(&err);
    assert_eq!(file, path.display().to_string());
    assert!(line >= 1);
    assert!(err.to_string().contains("缺少 @标题"), "{err}");

    // A bad date written by the data points at the directive's template line.
    let (dir, path) = folder_with(
        "y.hbs",
        "@标题 T\n\n正文。\n\n@署名 甲\n@成文日期 {{when}}\n",
    );
    let templates = Templates::load(Some(dir.path())).unwrap();
    let err = render_template(&templates, "y", &json!({"when": "2020年13月1日"})).unwrap_err();
    assert_eq!(position(&err), (path.display().to_string(), 6, 1));
    assert!(err.to_string().contains("2020年13月1日"), "{err}");
}

/// Lists a template does not name are left empty to save time; a template
/// edited to name one gets it, with the same units the helper would group.
#[test]
fn a_list_is_built_as_soon_as_a_template_names_it() {
    let roster = roster();
    let batch = clean_batch(&roster);
    let campaign = campaign();
    let original = shipped("circular.hbs");
    assert!(
        !original.contains("reformed"),
        "the shipped circular does not list reformed units"
    );
    let anchor = "# 下一步工作要求";
    let added = "涉及机构改革的单位：{{names reformed}}。\n\n按类别：{{#each units_by_level}}{{level}}{{count}}个；{{/each}}\n\n";
    let (dir, _) = folder_with(
        "circular.hbs",
        &original.replace(anchor, &format!("{added}{anchor}")),
    );
    let edited = Templates::load(Some(dir.path())).unwrap();
    let set = document_set(&batch, &roster, &campaign, &edited, false).unwrap();
    let circular = set
        .documents
        .iter()
        .find(|d| d.kind.key() == "circular")
        .unwrap();
    let body = text(&circular.document);

    let reformed: Vec<&str> = roster
        .units()
        .iter()
        .filter(|u| u.reform)
        .map(|u| u.name.as_str())
        .collect();
    assert!(!reformed.is_empty());
    let line = body
        .lines()
        .find(|l| l.starts_with("涉及机构改革的单位："))
        .expect("the added sentence");
    for name in &reformed {
        assert!(line.contains(name), "{name} missing from {line}");
    }
    // Every unit is counted once across the level groups.
    let by_level = body.lines().find(|l| l.starts_with("按类别：")).unwrap();
    let total: usize = by_level
        .trim_start_matches("按类别：")
        .split('；')
        .filter_map(|part| part.strip_suffix('个'))
        .map(|p| {
            p.trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, roster.units().len());
}
