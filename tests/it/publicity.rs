//! The 复查结果公示 (issue #14): the results the public sees, as a document
//! and as a web page for the office's website. The page must parse as
//! HTML without a single error, load nothing from outside and run no
//! script; the units listed are exactly those the results say, and the
//! units of a body whose data still has errors are not published.

use crate::common::*;
use fucha::pipeline::Context;
use fucha::rectify::RectificationOutcome;
use fucha::review::{HonourLevel, Outcome};
use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::path::{Path, PathBuf};

const FOLDER: &str = "11-复查结果公示";

fn season() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    (dir, input)
}

fn build(input: &Path, out: &Path) -> Run {
    let run = run(fucha()
        .args(["build", "--draft", "--out"])
        .arg(out)
        .arg("--config")
        .arg(input.join("fucha.toml")));
    assert!(run.code.is_some_and(|c| c <= 1), "{}", run.stderr);
    run
}

/// The 公示's file with `extension`.
fn publicity_file(out: &Path, extension: &str) -> PathBuf {
    let dir = out.join(FOLDER);
    let name = files_under(&dir)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == extension))
        .unwrap_or_else(|| panic!("no .{extension} in {}", dir.display()));
    dir.join(name)
}

/// What a parsed page holds: its parse errors, elements and text.
struct Page {
    errors: Vec<String>,
    elements: Vec<(String, Vec<(String, String)>)>,
    items: Vec<String>,
    text: String,
}

fn parse(html: &[u8]) -> Page {
    let dom = html5ever::parse_document(RcDom::default(), Default::default())
        .from_utf8()
        .read_from(&mut &html[..])
        .unwrap();
    let mut page = Page {
        errors: dom.errors.borrow().iter().map(|e| e.to_string()).collect(),
        elements: Vec::new(),
        items: Vec::new(),
        text: String::new(),
    };
    walk(&dom.document, &mut page);
    page
}

fn walk(node: &Handle, page: &mut Page) {
    match &node.data {
        NodeData::Element { name, attrs, .. } => {
            let tag = name.local.to_string();
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            if tag == "li" {
                let mut item = Page {
                    errors: Vec::new(),
                    elements: Vec::new(),
                    items: Vec::new(),
                    text: String::new(),
                };
                for child in node.children.borrow().iter() {
                    walk(child, &mut item);
                }
                page.items.push(item.text.trim().to_string());
            }
            page.elements.push((tag, attrs));
        }
        NodeData::Text { contents } => page.text.push_str(&contents.borrow()),
        _ => {}
    }
    for child in node.children.borrow().iter() {
        walk(child, page);
    }
}

#[test]
fn the_public_notice_lists_exactly_the_results_as_a_document_and_a_valid_self_contained_page() {
    let (dir, input) = season();
    let out = dir.path().join("out");
    build(&input, &out);
    // The season as the build saw it: county files, the city's spot-check
    // findings in force, and each follow-up's outcome.
    let (ctx, batch) = Context::load_and_check(&input.join("fucha.toml"), None, &[]).unwrap();
    let followups = fucha::pipeline::followups(&ctx, &batch, None, false).unwrap();
    let failed: Vec<&str> = followups
        .units
        .iter()
        .filter(|u| u.outcome == RectificationOutcome::NotRectified)
        .map(|u| u.unit.as_str())
        .collect();
    assert!(
        !failed.is_empty(),
        "the default data has a failed rectification"
    );
    let kept: Vec<&str> = batch
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass)
        .map(|r| r.unit.as_str())
        .collect();
    let revoked: Vec<&str> = batch
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Revoke)
        .map(|r| r.unit.as_str())
        .collect();
    assert!(!kept.is_empty() && !revoked.is_empty());

    // The page: parses without an error, has what a phone and 360's
    // Chromium mode need, and loads or runs nothing.
    let html = std::fs::read(publicity_file(&out, "html")).unwrap();
    let page = parse(&html);
    assert!(page.errors.is_empty(), "{:#?}", page.errors);
    let has = |tag: &str, attr: &str, value: &str| {
        page.elements
            .iter()
            .any(|(t, a)| t == tag && a.iter().any(|(n, v)| n == attr && v.contains(value)))
    };
    assert!(has("html", "lang", "zh-CN"));
    assert!(has("meta", "name", "viewport"));
    assert!(has("meta", "content", "webkit"));
    for (tag, attrs) in &page.elements {
        assert!(
            !matches!(tag.as_str(), "script" | "link" | "img" | "iframe"),
            "{tag}"
        );
        assert!(
            !attrs
                .iter()
                .any(|(n, v)| (n == "src" || n == "href") || v.contains("http")),
            "{tag} {attrs:?}"
        );
    }
    // Each kept unit once, each revoked unit with its level and year.
    let kept_items: Vec<&str> = page
        .items
        .iter()
        .map(String::as_str)
        .filter(|i| !i.contains("年命名，"))
        .collect();
    let mut expected = kept.clone();
    expected.sort_unstable();
    let mut listed = kept_items.clone();
    listed.sort_unstable();
    assert_eq!(listed, expected);
    for unit in &revoked {
        let r = batch.results.iter().find(|r| r.unit == *unit).unwrap();
        let line = format!(
            "{unit}（{}，{}年命名，复查未通过）",
            r.level.label(),
            r.award_year
        );
        assert!(page.items.contains(&line), "{line} in {:#?}", page.items);
    }
    // A rectification that failed its 验收 is listed for withdrawal, and
    // not among the units keeping the honour under a sanction.
    for unit in &failed {
        let r = batch.results.iter().find(|r| r.unit == *unit).unwrap();
        let line = format!(
            "{unit}（{}，{}年命名，整改验收未通过）",
            r.level.label(),
            r.award_year
        );
        assert!(page.items.contains(&line), "{line} in {:#?}", page.items);
        assert_eq!(page.text.matches(*unit).count(), 1, "{unit} listed once");
    }
    assert!(
        page.text
            .contains(&format!("复查合格、继续保留称号的单位（{}个）", kept.len()))
    );
    let period = ctx.campaign.publicity.as_ref().unwrap();
    assert!(page.text.contains(&format!(
        "{}至{}",
        official_date(period.start),
        official_date(period.end)
    )));

    // The document says the same.
    let pdf = without_folios(&squash(&pdf_text(&publicity_file(&out, "pdf"))));
    assert!(
        pdf.contains(&format!("复查合格、继续保留称号的单位（{}个）", kept.len())),
        "{pdf}"
    );
    for unit in kept.iter().chain(&revoked) {
        assert!(pdf.contains(&squash(unit)), "{unit}");
    }
    for level in HonourLevel::ALL {
        let n = batch
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Pass && r.level == level)
            .count();
        if n > 0 {
            assert!(
                pdf.contains(&format!("{}（{n}个）", level.label())),
                "{level:?}"
            );
        }
    }
}

#[test]
fn a_body_whose_results_do_not_stand_yet_is_not_published() {
    let (dir, input) = season();
    let out = dir.path().join("out");
    // 平江县 has sent nothing: its units have no result that stands (the
    // same rule as a body whose data has errors: `Blocking::failing`).
    let (ctx, _) =
        Context::load_and_check(&input.join("fucha.toml"), None, &[input.join("报送")]).unwrap();
    let units: Vec<String> = ctx
        .roster
        .units_of("平江县")
        .map(|u| u.name.clone())
        .collect();
    std::fs::remove_file(input.join("报送/平江县.xlsx")).unwrap();
    build(&input, &out);
    let page = parse(&std::fs::read(publicity_file(&out, "html")).unwrap());
    assert!(page.errors.is_empty(), "{:#?}", page.errors);
    for unit in &units {
        assert!(!page.text.contains(unit.as_str()), "{unit} is published");
    }
    assert!(
        page.text
            .contains(&format!("另有{}个单位的复查结果正在核实", units.len())),
        "{}",
        page.text
    );
}

#[test]
fn without_a_publicity_section_the_notice_is_held_and_the_clerk_told_why() {
    let (dir, input) = season();
    let config = input.join("fucha.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let start = text.find("[publicity]").unwrap();
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e);
    std::fs::write(&config, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let out = dir.path().join("out");
    let run = build(&input, &out);
    assert!(!out.join(FOLDER).exists());
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("没有 [publicity]"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}
