//! Helpers for whole-run tests: text out of DOCX and PDF files, font lists.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Removes all white space, so that text broken across lines still matches.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of `word/document.xml`: the content of every `<w:t>` element, unescaped.
pub fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        let after = &rest[start + 4..];
        // `<w:t>` or `<w:t xml:space=...>`, not `<w:tbl...>` etc.
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let open_end = after.find('>').unwrap();
        let body = &after[open_end + 1..];
        let close = body.find("</w:t>").unwrap_or(0);
        text.push_str(&unescape(&body[..close]));
        text.push('\n');
        rest = &body[close..];
    }
    text
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of a PDF, by poppler's `pdftotext`.
pub fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext installed");
    assert!(out.status.success(), "pdftotext failed on {path:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// One row of `pdffonts`.
#[derive(Debug)]
pub struct PdfFont {
    pub name: String,
    pub kind: String,
    pub embedded: bool,
    pub subset: bool,
}

/// The fonts of a PDF, by poppler's `pdffonts`.
pub fn pdf_fonts(path: &Path) -> Vec<PdfFont> {
    let out = Command::new("pdffonts")
        .arg(path)
        .output()
        .expect("pdffonts installed");
    assert!(out.status.success(), "pdffonts failed on {path:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .skip(2)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // name type [type2] encoding emb sub uni object ID
            if cols.len() < 7 {
                return None;
            }
            let n = cols.len();
            let (emb, sub) = (cols[n - 5], cols[n - 4]);
            Some(PdfFont {
                name: cols[0].to_string(),
                kind: cols[1..n - 6].join(" "),
                embedded: emb == "yes",
                subset: sub == "yes",
            })
        })
        .collect()
}

/// The PDF's text read column by column: words that start at the same x
/// (left-aligned table cells, wrapped over several lines) are joined top to
/// bottom, page after page. A unit name wrapped inside a table cell reads
/// whole here, where `pdf_text` interleaves it with the row's other cells.
pub fn pdf_text_by_columns(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext -bbox failed on {path:?}");
    let html = String::from_utf8(out.stdout).unwrap();
    // (rounded x, page, y) → word
    let mut words: Vec<((i64, usize, i64), String)> = Vec::new();
    for (page_no, page) in html.split("<page ").enumerate() {
        for part in page.split("<word ").skip(1) {
            let attr = |name: &str| -> f64 {
                let at = part.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                part[at..].split('"').next().unwrap().parse().unwrap()
            };
            let text = part
                .split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("");
            words.push((
                (
                    attr("xMin").round() as i64,
                    page_no,
                    attr("yMin").round() as i64,
                ),
                text.into(),
            ));
        }
    }
    words.sort();
    words
        .into_iter()
        .map(|(_, w)| w)
        .collect::<Vec<_>>()
        .join("\n")
}
