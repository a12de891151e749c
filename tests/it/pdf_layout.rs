//! The PDF of a long document (several body pages, a 200-row table, two
//! attachments, a 版记), checked on the file itself with poppler's
//! `pdftotext -bbox-layout` and `pdffonts`.

use crate::pdf_common;

use std::path::PathBuf;
use std::sync::OnceLock;

use fucha::render::Renderer;
use pdf_common::*;

struct Rendered {
    bytes: Vec<u8>,
    path: PathBuf,
    pages: Vec<TextPage>,
}

fn long_pdf() -> &'static Rendered {
    static R: OnceLock<Rendered> = OnceLock::new();
    R.get_or_init(|| {
        let bytes = renderer().render(&long_document()).expect("renders");
        let path = save("long.pdf", &bytes);
        let pages = text_pages(&path);
        Rendered { bytes, path, pages }
    })
}

const FORBIDDEN_AT_START: &str = "!%),.:;>?]}、。〉》」』】〕〗！），．：；？］｝”’…";

fn is_hanzi(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Pages that end in the middle of a paragraph (the next page starts
/// flush left, not with an indented first line): these must be full.
fn full_body_pages() -> Vec<&'static TextPage> {
    let pages = &long_pdf().pages;
    pages
        .windows(2)
        .filter(|w| {
            let next_first = w[1].body_lines().first().map(|l| l.x_min).unwrap_or(0.0);
            !w[0].text().contains("序号")
                && !w[1].text().contains("序号")
                && !w[0].text().contains("000001")
                && !w[0].text().starts_with("附件")
                && (next_first - 28.0 * MM).abs() < 1.0
        })
        .map(|w| &w[0])
        .collect()
}

#[test]
fn pages_are_a4() {
    let r = long_pdf();
    assert!(
        r.pages.len() >= 10,
        "a long document, got {} pages",
        r.pages.len()
    );
    for p in &r.pages {
        assert!(
            (p.width - 595.28).abs() < 0.5 && (p.height - 841.89).abs() < 0.5,
            "{} x {}",
            p.width,
            p.height
        );
    }
}

#[test]
fn body_text_starts_at_28_mm_and_ends_at_184_mm() {
    let pages = full_body_pages();
    assert!(
        pages.len() >= 3,
        "several full body pages, got {}",
        pages.len()
    );
    for p in pages {
        let left = p
            .body_lines()
            .iter()
            .map(|l| l.x_min)
            .fold(f32::MAX, f32::min);
        assert!(
            (left / MM - 28.0).abs() <= 1.0,
            "left edge {} mm",
            left / MM
        );
        let right = p.body_lines().iter().map(|l| l.x_max).fold(0.0, f32::max);
        assert!(
            (right / MM - 184.0).abs() <= 1.0,
            "right edge {} mm",
            right / MM
        );
    }
}

#[test]
fn a_full_body_page_has_22_lines_on_a_29_pt_pitch() {
    let pages = full_body_pages();
    assert!(
        pages.len() >= 3,
        "several full body pages, got {}",
        pages.len()
    );
    for p in pages {
        let lines = p.body_lines();
        assert_eq!(lines.len(), 22, "{}", p.text());
        for pair in lines.windows(2) {
            let pitch = pair[1].y_min - pair[0].y_min;
            // pdftotext boxes follow the fonts on the line (Latin digits
            // have other ascenders), so allow a little.
            assert!((pitch - 28.99).abs() < 1.5, "pitch {pitch}");
        }
        let top = lines[0].y_min / MM;
        let bottom = lines[21].y_max / MM;
        assert!(
            top >= 37.0 && bottom <= 262.0,
            "lines from {top} to {bottom} mm"
        );
    }
}

#[test]
fn a_full_line_holds_28_characters_and_a_first_line_26() {
    let lines: Vec<&TextLine> = long_pdf()
        .pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| PLAIN_HANZI.contains(l.text.as_str()) && l.text.chars().count() > 10)
        .collect();
    assert!(lines.len() >= 4, "the plain paragraph is found: {lines:?}");
    let counts: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    assert_eq!(counts[0], 26, "{counts:?}");
    for (l, n) in lines.iter().zip(&counts).skip(1).take(counts.len() - 2) {
        assert_eq!(*n, 28, "{}", l.text);
        assert!(l.text.chars().all(is_hanzi));
    }
}

#[test]
fn no_line_starts_with_closing_punctuation() {
    let mut checked = 0;
    for p in &long_pdf().pages {
        for l in p.body_lines() {
            let first = l.text.chars().next().unwrap();
            assert!(
                !FORBIDDEN_AT_START.contains(first),
                "line starts with {first}: {}",
                l.text
            );
            checked += 1;
        }
    }
    assert!(checked > 200);
}

#[test]
fn page_numbers_alternate_right_and_left_and_continue_into_attachments() {
    let pages = &long_pdf().pages;
    let last = pages.len();
    for (i, p) in pages.iter().enumerate() {
        let n = i + 1;
        let footer = p.footer_lines();
        if n == last && !p.text().contains("序号") && footer.is_empty() {
            continue; // a 版记 page after a blank page carries no number
        }
        assert_eq!(footer.len(), 1, "page {n}: {footer:?}");
        let f = footer[0];
        let digits: String = f.text.chars().filter(|c| c.is_ascii_digit()).collect();
        assert_eq!(digits, n.to_string(), "page {n}: {}", f.text);
        assert!(
            f.text.starts_with(['—', '―']) && f.text.ends_with(['—', '―']),
            "{}",
            f.text
        );
        // One 4号 character (14 pt ≈ 4.94 mm) in from the type area's edge.
        if n % 2 == 1 {
            assert!(
                (f.x_max / MM - 179.06).abs() < 1.0,
                "page {n} right edge {} mm",
                f.x_max / MM
            );
        } else {
            assert!(
                (f.x_min / MM - 32.94).abs() < 1.0,
                "page {n} left edge {} mm",
                f.x_min / MM
            );
        }
        let middle = (f.y_min + f.y_max) / 2.0 / MM;
        assert!(
            (middle - 269.0).abs() < 2.0,
            "page {n} number at {middle} mm"
        );
    }
}

#[test]
fn the_colophon_is_on_the_last_page_which_is_even() {
    let pages = &long_pdf().pages;
    assert_eq!(pages.len() % 2, 0, "{} pages", pages.len());
    let last = pages.last().unwrap().text();
    assert!(last.contains("抄送："), "{last}");
    assert!(last.contains("2020年10月10日印发"), "{last}");
    assert!(last.contains("办公室。"), "抄送 ends with 。: {last}");
    for p in &pages[..pages.len() - 1] {
        assert!(!p.text().contains("印发"), "版记 only on the last page");
    }
    let printer = pages
        .last()
        .unwrap()
        .lines
        .iter()
        .find(|l| l.text.contains("印发"))
        .unwrap();
    assert!(
        printer.y_max <= 262.0 * MM + 0.5,
        "印发 line above the bottom rule"
    );
    assert!(
        printer.y_max > 252.0 * MM,
        "印发 line just above the bottom rule: {}",
        printer.y_max / MM
    );
}

#[test]
fn the_table_header_is_repeated_on_every_table_page() {
    let pages: Vec<&TextPage> = long_pdf()
        .pages
        .iter()
        .filter(|p| p.text().contains("保留称号"))
        .collect();
    assert!(
        pages.len() >= 5,
        "a 200-row table spans pages: {}",
        pages.len()
    );
    let mut rows = 0;
    for p in &pages {
        let first = p
            .body_lines()
            .iter()
            .find(|l| !l.text.starts_with("附件") && !l.text.contains("一览表"))
            .map(|l| l.text.clone());
        assert!(
            p.text().contains("序号")
                && p.text().contains("单位名称")
                && p.text().contains("复查结果"),
            "{}",
            p.text()
        );
        assert!(
            first.unwrap_or_default().contains("序号"),
            "header first on the page"
        );
        rows += p.text().matches("保留称号").count() + p.text().matches("限期整改").count();
    }
    assert_eq!(rows, 200, "every row once");
}

#[test]
fn attachments_start_on_a_new_page_with_label_and_title() {
    let pages = &long_pdf().pages;
    for (label, title) in [
        ("附件1", "2020年度文明单位复查结果一览表"),
        ("附件2", "文明单位整改问题清单"),
    ] {
        let page = pages
            .iter()
            .find(|p| p.lines.first().is_some_and(|l| l.text == label))
            .unwrap_or_else(|| panic!("{label}"));
        let first = &page.lines[0];
        assert!(
            (first.x_min / MM - 28.0).abs() < 1.0 && first.y_min / MM < 42.0,
            "{label} top left"
        );
        let t = page
            .lines
            .iter()
            .find(|l| l.text.replace(' ', "") == title)
            .unwrap();
        let line_no = ((t.y_min - first.y_min) / 28.99).round();
        assert_eq!(line_no, 2.0, "title on line 3");
        let centre = (t.x_min + t.x_max) / 2.0 / MM;
        assert!((centre - 106.0).abs() < 1.5, "title centred: {centre} mm");
    }
}

#[test]
fn the_first_page_has_head_number_and_title_in_place() {
    let p = &long_pdf().pages[0];
    let head = p
        .lines
        .iter()
        .find(|l| l.text == "岳阳市精神文明建设指导委员会文件")
        .unwrap();
    assert!(((head.x_min + head.x_max) / 2.0 / MM - 106.0).abs() < 1.0);
    let number = p
        .lines
        .iter()
        .find(|l| l.text == "岳市文明委〔2020〕1号")
        .unwrap();
    assert!(((number.x_min + number.x_max) / 2.0 / MM - 106.0).abs() < 1.0);
    let title = p
        .lines
        .iter()
        .find(|l| l.text.contains("复查情况的通报"))
        .unwrap();
    assert!(title.y_min > number.y_max + 2.0 * 28.99);
    assert!(p.text().contains("各县市区文明委，市直各文明单位："));
}

#[test]
fn fonts_are_embedded_subsets_and_never_type_3() {
    let fonts = fonts(&long_pdf().path);
    assert!(fonts.len() >= 4, "{fonts:?}");
    for (name, kind, emb, sub) in &fonts {
        assert_eq!(emb, "yes", "{name} embedded");
        assert_eq!(sub, "yes", "{name} subset");
        assert!(!kind.contains("Type 3"), "{name} is {kind}");
        assert!(name.chars().nth(6) == Some('+'), "{name} has a subset tag");
    }
}

#[test]
fn rendering_is_deterministic() {
    // The renderer keeps a subset it is asked for twice: the third render
    // takes every font from that store and must not differ either.
    for _ in 0..3 {
        let again = renderer().render(&long_document()).unwrap();
        assert!(again == long_pdf().bytes, "renders of one document differ");
    }
}

#[test]
fn a_second_renderer_writes_the_same_bytes() {
    let other =
        fucha::render::pdf::PdfRenderer::new(&fucha::campaign::FontSettings::default()).unwrap();
    let bytes = other.render(&long_document()).unwrap();
    assert!(
        bytes == long_pdf().bytes,
        "fonts and ids do not depend on the renderer instance"
    );
}

/// The faces of the runs whose text starts with `prefix`.
fn faces_of(prefix: &str) -> Vec<String> {
    use fucha::layout::frame::Item;
    let r = renderer();
    let faces = r.fonts().faces();
    r.layout(&long_document())
        .unwrap()
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            Item::Text(t) if t.text().starts_with(prefix) => Some(t.glyphs[0].face),
            _ => None,
        })
        .map(|f| faces[f as usize].name.clone())
        .collect()
}

#[test]
fn each_element_is_set_in_its_role_face() {
    assert!(
        faces_of("一、复查基本情况")[0] == "FandolHei",
        "level 1 in 黑体"
    );
    assert!(
        faces_of("（一）复查方式")[0] == "FandolKai",
        "level 2 in 楷体"
    );
    assert!(faces_of("根据")[0] == "FandolFang", "body in 仿宋");
    assert!(faces_of("附件1")[0] == "FandolHei", "附件 label in 黑体");
    assert!(
        faces_of("岳阳市精神文明建设指导委员会文件")[0] == "FandolSong:bold",
        "red head in 小标宋's stand-in, the shipped bold 宋"
    );
    let fonts = fonts(&long_pdf().path);
    assert!(
        fonts.iter().any(|f| f.0.contains("FandolFang")),
        "{fonts:?}"
    );
    assert!(
        !fonts
            .iter()
            .any(|f| f.0.contains("DejaVu") || f.0.contains("WenQuanYi")),
        "{fonts:?}"
    );
}

#[test]
fn the_red_head_and_separator_are_red_and_the_colophon_rules_black() {
    use fucha::layout::frame::Item;
    use fucha::layout::text::Color;
    let pages = renderer().layout(&long_document()).unwrap();
    let red_text: Vec<String> = pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(t) if t.color == Color::Red => Some(t.text()),
            _ => None,
        })
        .collect();
    assert_eq!(red_text, ["岳阳市精神文明建设指导委员会文件"]);
    let red_rules = pages[0]
        .items
        .iter()
        .filter(|i| matches!(i, Item::Rule(r) if r.color == Color::Red))
        .count();
    assert_eq!(red_rules, 1);
    let last = pages.last().unwrap();
    let rules: Vec<_> = last
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r) => Some(*r),
            _ => None,
        })
        .collect();
    assert_eq!(rules.len(), 3, "thick, thin, thick");
    assert!(rules.iter().all(|r| r.color == Color::Black));
    assert!(rules[0].width > rules[1].width && rules[2].width > rules[1].width);
    assert!(
        (rules[2].y0 / MM - 262.0).abs() < 0.5,
        "last rule on the type area's bottom edge"
    );
}

#[test]
fn parallel_renders_give_the_same_bytes() {
    let doc = long_document();
    let results: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| s.spawn(|| renderer().render(&doc).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for bytes in results {
        assert!(bytes == long_pdf().bytes);
    }
}
