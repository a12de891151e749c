//! A machine with no Chinese font at all: the faces shipped in `fonts/`
//! typeset every document, and typeset it the same on every such machine.
//! The system's font folders are switched off with `FUCHA_NO_SYSTEM_FONTS`.

use crate::common;

use common::pdf::{PdfFont, fonts, page_count, text, text_pages};
use common::{files_under, fucha, repo, run, squash};
use fucha::campaign::{FontSettings, NO_SYSTEM_FONTS_ENV};
use fucha::doc::{Block, Document, Paragraph};
use fucha::render::Renderer;
use fucha::render::pdf::PdfRenderer;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The PostScript names of the faces in `fonts/`, as a PDF names them.
fn shipped_faces() -> BTreeSet<String> {
    let dir = repo().join("fonts");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ttf"))
        .map(|p| {
            let data = std::fs::read(&p).unwrap();
            let face = ttf_parser::Face::parse(&data, 0).unwrap();
            face.names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
                .find_map(|n| n.to_string())
                .unwrap()
        })
        .collect()
}

fn build(out: &Path, system_fonts: bool) -> common::Run {
    let mut cmd = fucha();
    cmd.arg("build").arg("--out").arg(out);
    if system_fonts {
        cmd.env_remove(NO_SYSTEM_FONTS_ENV);
    } else {
        cmd.env(NO_SYSTEM_FONTS_ENV, "1");
    }
    run(&mut cmd)
}

fn with_ext(out: &Path, ext: &str) -> Vec<PathBuf> {
    files_under(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect()
}

/// The documents a build of the default data writes, counted from the
/// season read as a build reads it, on a copy (nothing is recorded in
/// `input/`'s register): the validation report, the notice, the circular,
/// one summary per body and the report to the province; a 整改通知书 per
/// unit sanctioned (the city's spot-check findings in force); a 催办通知 per
/// unit overdue on the config's reference date; the 整改情况通报 and its
/// report to the province; the 公示.
fn season_documents() -> usize {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    common::copy_dir(&repo().join("input"), &input);
    let (ctx, batch) =
        fucha::pipeline::Context::load_and_check(&input.join("fucha.toml"), None, &[]).unwrap();
    let notices = batch
        .results
        .iter()
        .filter(|r| r.outcome.needs_rectification_notice())
        .count();
    let followup = fucha::pipeline::followups(&ctx, &batch, None, false).unwrap();
    let counts = followup.counts();
    // No unit is still pending: the closing documents are not held back.
    assert_eq!(counts.pending, 0, "{:?}", followup.units);
    let closing = usize::from(!followup.units.is_empty())
        + usize::from(followup.units.iter().any(|u| u.provincial()));
    4 + ctx.roster.jurisdictions().len() + notices + counts.overdue + closing + 1
}

#[test]
fn without_system_fonts_every_pdf_is_set_in_the_shipped_faces_with_every_unit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let r = build(&out, false);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);

    let docx = with_ext(&out, "docx");
    let pdf = with_ext(&out, "pdf");
    assert_eq!(docx.len(), season_documents(), "{docx:?}");
    let stems = |v: &[PathBuf]| v.iter().map(|p| p.with_extension("")).collect::<Vec<_>>();
    assert_eq!(stems(&docx), stems(&pdf), "every document as PDF too");

    let shipped = shipped_faces();
    assert_eq!(shipped.len(), 6, "{shipped:?}");
    let mut used = BTreeSet::new();
    for p in &pdf {
        let path = out.join(p);
        let list: Vec<PdfFont> = fonts(&path);
        assert!(!list.is_empty(), "{p:?} has no fonts");
        for f in &list {
            assert!(
                f.embedded && f.subset,
                "{p:?}: {f:?} not an embedded subset"
            );
            assert_eq!(f.kind, "CID TrueType", "{p:?}: {f:?}");
            assert!(
                shipped.contains(f.face()),
                "{p:?}: {} is not shipped",
                f.name
            );
            used.insert(f.face().to_string());
        }
        let pages = text_pages(&path);
        assert!(!pages.is_empty(), "{p:?} has no pages");
        assert_eq!(pages.len(), page_count(&path), "{p:?}: every page read");
        let hanzi = text(&path).chars().filter(|c| *c >= '\u{4e00}').count();
        assert!(hanzi > 50, "{p:?} has {hanzi} hanzi");
    }
    for role_face in [
        "FandolSong-Bold",
        "FandolFang-Regular",
        "FandolHei-Regular",
        "FandolKai-Regular",
        "FandolSong-Regular",
        "LiberationSerif",
    ] {
        assert!(used.contains(role_face), "{role_face} never used: {used:?}");
    }

    // The notice's attachment lists the whole roster.
    let notice = pdf
        .iter()
        .find(|p| p.starts_with("01-复查工作通知"))
        .expect("the notice");
    let notice = out.join(notice);
    let lines = squash(&text(&notice));
    let columns = squash(&common::pdf_text_by_columns(&notice));
    let roster = fucha::roster::Roster::load(&repo().join("input/复查单位名单.xlsx")).unwrap();
    assert_eq!(roster.units().len(), 111);
    for unit in roster.units() {
        let name = squash(&unit.name);
        assert!(
            lines.contains(&name) || columns.contains(&name),
            "the notice's PDF lacks {}",
            unit.name
        );
    }
}

#[test]
fn the_pdfs_do_not_depend_on_the_systems_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let (with, without) = (dir.path().join("with"), dir.path().join("without"));
    let a = build(&with, true);
    let b = build(&without, false);
    assert_eq!(a.code, Some(0), "{}", a.stderr);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let pdf = with_ext(&with, "pdf");
    assert_eq!(pdf, with_ext(&without, "pdf"));
    for p in &pdf {
        let (x, y) = (
            std::fs::read(with.join(p)).unwrap(),
            std::fs::read(without.join(p)).unwrap(),
        );
        assert!(x == y, "{p:?} differs with the system's fonts");
    }
}

/// Every character the templates write, in every role, with no system font.
#[test]
fn the_shipped_faces_draw_every_character_of_the_templates() {
    let mut chars = BTreeSet::new();
    for entry in std::fs::read_dir(repo().join("templates")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "hbs") {
            let text = std::fs::read_to_string(&path).unwrap();
            chars.extend(
                text.chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control()),
            );
        }
    }
    assert!(chars.len() > 300, "{} characters", chars.len());
    let all: String = chars.into_iter().collect();
    let settings = FontSettings {
        system: false,
        ..Default::default()
    };
    let renderer = PdfRenderer::new(&settings).expect("the shipped faces");
    let doc = Document {
        title: all.clone(),
        body: vec![
            Block::Heading {
                level: 1,
                text: all.clone(),
            },
            Block::Heading {
                level: 2,
                text: all.clone(),
            },
            Block::Paragraph(Paragraph::body(all.clone())),
        ],
        ..Default::default()
    };
    if let Err(e) = renderer.render(&doc) {
        panic!("{e}");
    }
}

/// A machine with more faces in its chains (Noto behind the shipped ones,
/// say) loads them even when no glyph comes from them: they must not change
/// a byte of a PDF that uses the same faces.
#[test]
fn faces_loaded_but_unused_change_nothing_in_the_pdf() {
    let plain = FontSettings {
        system: false,
        ..Default::default()
    };
    let mut more = plain.clone();
    // FandolKai is now loaded first, as the title's second face.
    more.title = vec![
        "FandolSong:bold".into(),
        "FandolKai".into(),
        "Liberation Serif".into(),
    ];
    let doc = Document {
        title: "关于2020年文明单位复查情况的通报".into(),
        body: vec![
            Block::Heading {
                level: 1,
                text: "一、复查基本情况".into(),
            },
            Block::Heading {
                level: 2,
                text: "（一）复查方式".into(),
            },
            Block::Paragraph(Paragraph::body("本次共复查文明单位111个，复查合格104个。")),
        ],
        ..Default::default()
    };
    let a = PdfRenderer::new(&plain).unwrap().render(&doc).unwrap();
    let b = PdfRenderer::new(&more).unwrap().render(&doc).unwrap();
    assert!(a == b, "an unused face changed the PDF");
}
