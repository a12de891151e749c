//! Fonts and glyphs that are not there: clear errors, never tofu.

mod pdf_common;

use fucha::campaign::{FontRole, FontSettings};
use fucha::doc::{Block, Document, Paragraph};
use fucha::render::pdf::PdfRenderer;
use fucha::render::{RenderError, Renderer};
use pdf_common::renderer;

#[test]
fn a_character_no_face_has_stops_the_render_and_names_it() {
    // U+E000 is a private-use code point: no installed face draws it.
    let doc = Document {
        title: "测试".into(),
        body: vec![Block::Paragraph(Paragraph::body(
            "单位名称：岳阳\u{E000}公司",
        ))],
        ..Default::default()
    };
    let err = renderer().render(&doc).unwrap_err();
    match &err {
        RenderError::MissingGlyph {
            ch,
            context,
            tried,
            role,
            ..
        } => {
            assert_eq!(*ch, '\u{E000}');
            assert_eq!(context, "单位名称：岳阳\u{E000}公司");
            assert!(role.contains("仿宋"), "{role}");
            assert!(tried.contains("FandolFang"), "{tried}");
        }
        other => panic!("expected MissingGlyph, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("U+E000") && message.contains("FandolFang"),
        "{message}"
    );
}

#[test]
fn a_glyph_missing_from_the_first_face_comes_from_the_next_one() {
    // FandolFang has no 𠮷 (U+20BB7, outside the BMP); Noto Serif CJK SC does.
    let renderer = renderer();
    let doc = Document {
        title: "测试".into(),
        body: vec![Block::Paragraph(Paragraph::body("生僻字𠮷也要印出来"))],
        ..Default::default()
    };
    let pages = renderer.layout(&doc).unwrap();
    let faces = renderer.fonts().faces();
    let run = pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            fucha::render::pdf::frame::Item::Text(t) if t.text().contains('𠮷') => {
                Some(t.clone())
            }
            _ => None,
        })
        .unwrap();
    let rare = run.glyphs.iter().find(|g| g.ch == '𠮷').unwrap();
    let common = run.glyphs.iter().find(|g| g.ch == '生').unwrap();
    assert_eq!(faces[common.face as usize].name, "FandolFang");
    assert_ne!(rare.face, common.face, "taken from a fallback face");
    let bytes = renderer.render(&doc).unwrap();
    let path = pdf_common::save("fallback.pdf", &bytes);
    let text = pdf_common::run("pdftotext", &[path.to_str().unwrap(), "-"]);
    assert!(text.contains("生僻字𠮷也要印出来"), "{text}");
}

#[test]
fn no_installed_face_for_a_role_is_a_font_error_in_chinese() {
    let settings = FontSettings {
        heading2: vec!["不存在的楷体".into(), "NoSuchKai".into()],
        ..Default::default()
    };
    let err = match PdfRenderer::new(&settings) {
        Err(e) => e,
        Ok(_) => panic!("no 楷体 face should be found"),
    };
    assert_eq!(err.missing, vec![FontRole::Heading2]);
    let message = err.to_string();
    assert!(message.contains("二级标题（楷体）"), "{message}");
    assert!(message.contains("NoSuchKai"), "{message}");
    assert!(
        message.contains("apt-get install fonts-noto-cjk"),
        "{message}"
    );
    assert!(message.contains("[fonts] dirs"), "{message}");
    assert!(!message.contains('\n'));
}
