//! Fonts and glyphs that are not there: clear errors, never tofu.

use crate::pdf_common;

use fucha::campaign::{FontRole, FontSettings};
use fucha::doc::{Block, Document, Paragraph};
use fucha::layout::LayoutError;
use fucha::render::Renderer;
use fucha::render::pdf::PdfRenderer;
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
    // The glyph error is the layout's own type, behind the renderers' one.
    let Some(missing) = err.downcast_ref::<LayoutError>() else {
        panic!("expected a LayoutError, got {err:?}");
    };
    assert_eq!(missing.missing.ch, '\u{E000}');
    assert_eq!(missing.context, "单位名称：岳阳\u{E000}公司");
    let role = missing.missing.role.label();
    assert!(role.contains("仿宋"), "{role}");
    let tried = missing.missing.tried.join("、");
    assert!(tried.contains("FandolFang"), "{tried}");
    let message = err.to_string();
    assert!(
        message.contains("U+E000") && message.contains("FandolFang"),
        "{message}"
    );
}

#[test]
fn a_glyph_missing_from_the_first_face_comes_from_the_next_one() {
    // The shipped FandolSong regular (page numbers) has punctuation and
    // digits but no hanzi: with it first in the body chain, the hanzi must
    // come from FandolFang and the punctuation from FandolSong.
    let settings = FontSettings {
        body: vec!["FandolSong".into(), "FandolFang".into()],
        ..Default::default()
    };
    let renderer = PdfRenderer::new(&settings).unwrap();
    let doc = Document {
        title: "测试".into(),
        body: vec![Block::Paragraph(Paragraph::body("生僻字，也要印出来"))],
        ..Default::default()
    };
    let pages = renderer.layout(&doc).unwrap();
    let faces = renderer.fonts().faces();
    let run = pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            fucha::layout::frame::Item::Text(t) if t.text().contains('，') => Some(t.clone()),
            _ => None,
        })
        .unwrap();
    let face_of = |ch: char| {
        let g = run.glyphs.iter().find(|g| g.ch == ch).unwrap();
        faces[g.face as usize].name.clone()
    };
    assert_eq!(face_of('，'), "FandolSong");
    assert_eq!(face_of('生'), "FandolFang", "taken from the next face");
    let bytes = renderer.render(&doc).unwrap();
    let path = pdf_common::save("fallback.pdf", &bytes);
    let text = pdf_common::pdf::text(&path);
    assert!(text.contains("生僻字，也要印出来"), "{text}");
    let fonts: Vec<String> = pdf_common::pdf::fonts(&path)
        .iter()
        .map(|f| f.face().to_string())
        .collect();
    assert!(
        fonts.contains(&"FandolSong-Regular".to_string()),
        "{fonts:?}"
    );
    assert!(
        fonts.contains(&"FandolFang-Regular".to_string()),
        "{fonts:?}"
    );
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
    assert!(message.contains("fucha 自带的字体在"), "{message}");
    assert!(message.contains("[fonts] dirs"), "{message}");
    assert!(!message.contains('\n'));
}
