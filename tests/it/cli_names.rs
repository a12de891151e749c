//! A unit whose name holds characters that mean something to XML, to the
//! template markup and to file systems (`<`, `&`, `"`, `|`, `/`) goes
//! through a whole build: every document prints the name as itself, and
//! its rectification notice gets a file name that stays in its folder.

use crate::common;

use common::{
    cell_text, copy_dir, docx_text, files_under, fucha, pdf_text, pdf_text_by_columns,
    read_workbook, repo, run, squash, write_workbook,
};
use std::path::Path;

const OLD: &str = "云溪区民政局";
const NEW: &str = "云溪区民政局<试点>&\"样板\"|一/二";

/// Renames `OLD` to `NEW` in every cell of a workbook that holds exactly `OLD`.
fn rename_in(path: &Path) -> usize {
    let mut sheets = read_workbook(path);
    let mut n = 0;
    for sheet in &mut sheets {
        for row in &mut sheet.rows {
            for cell in row.iter_mut() {
                if cell_text(cell) == OLD {
                    *cell = calamine::Data::String(NEW.into());
                    n += 1;
                }
            }
        }
    }
    write_workbook(&sheets, path);
    n
}

#[test]
fn a_name_with_markup_characters_prints_as_itself_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let campaign = fucha::campaign::Campaign::load(&config).unwrap();
    assert!(rename_in(&campaign.roster) >= 1, "renamed in the roster");
    let body = "云溪区";
    assert!(rename_in(&input.join("报送").join(format!("{body}.xlsx"))) >= 1);

    let out = dir.path().join("out");
    let r = run(fucha()
        .arg("build")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);

    // Nothing outside the output folder: the parent holds only input/ and out/.
    let mut beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["input", "out"]);

    let files = files_under(&out);
    let name = squash(NEW);
    let mut checked = 0;
    for rel in &files {
        let path = out.join(rel);
        let s = rel.to_string_lossy();
        let wanted = s.contains("02-复查通报")
            || s.contains("04-报省文明办")
            || s.contains("01-复查工作通知")
            || (s.contains("03-县市区汇总报告") && s.contains(&format!("/{body}2020年")));
        if !wanted {
            continue;
        }
        let text = match rel.extension().and_then(|e| e.to_str()) {
            Some("docx") => squash(&docx_text(&path)),
            Some("pdf") => {
                let lines = squash(&pdf_text(&path));
                if lines.contains(&name) {
                    lines
                } else {
                    squash(&pdf_text_by_columns(&path))
                }
            }
            _ => continue,
        };
        assert!(text.contains(&name), "{s} does not print {NEW} as itself");
        assert!(!text.contains("&amp;") && !text.contains("&lt;"), "{s}");
        checked += 1;
    }
    assert_eq!(checked, 8, "four documents in two formats");

    // Its rectification notice: a safe file name inside 05-整改通知书.
    let notices: Vec<_> = files
        .iter()
        .filter(|p| p.starts_with("05-整改通知书") && p.to_string_lossy().contains("云溪区民政局"))
        .collect();
    let formats = common::default_formats();
    assert_eq!(notices.len(), formats.len(), "{formats:?}: {files:?}");
    for p in notices {
        assert_eq!(p.components().count(), 2, "{p:?} stays in its folder");
        let text = match p.extension().unwrap().to_str() {
            Some("docx") => squash(&docx_text(&out.join(p))),
            Some("pdf") => squash(&pdf_text(&out.join(p))),
            // The OFD's text is checked in tests/it/ofd.rs.
            _ => continue,
        };
        assert!(
            text.contains(&format!("{name}：")),
            "{p:?} is addressed to {NEW}"
        );
    }
}
