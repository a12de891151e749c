//! The only code that talks to printpdf: paints laid-out pages and saves
//! them with subset fonts and fixed metadata.
//!
//! printpdf names fonts and the file id with a process-wide counter, which
//! would make two renders of one document differ; we name fonts ourselves
//! (the name also gives the six-letter subset tag) and set the trailer id
//! from the document's metadata.

use chrono::NaiveDate;
use lopdf::{Object, StringFormat};
use printpdf::{
    Codepoint, Color as PdfColor, FontId, Line as PdfLine, LinePoint, Op, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
};

use crate::doc::Meta;

use super::fonts::FontSet;
use super::frame::{Item, Page, Rule, TextRun};
use super::geometry::{PAGE_HEIGHT, PAGE_WIDTH};
use super::text::Color;

/// Paints `pages` into a PDF file.
pub fn write_pdf(pages: &[Page], fonts: &FontSet, meta: &Meta) -> Result<Vec<u8>, String> {
    let mut doc = PdfDocument::new(&meta.title);
    set_metadata(&mut doc, meta)?;
    let ids = embed_used_faces(&mut doc, pages, fonts);
    doc.pages = pages.iter().map(|p| paint_page(p, &ids)).collect();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    let id = Object::String(document_id(meta).into_bytes(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    compress_streams(&mut lo)?;
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| format!("写出 PDF 失败：{e}"))?;
    Ok(out)
}

/// Deflates every stream not yet compressed. lopdf's own `compress` uses
/// the slowest level, which cost a quarter of a render for a few percent of
/// size.
fn compress_streams(doc: &mut lopdf::Document) -> Result<(), String> {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() || !stream.allows_compression {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
        encoder
            .write_all(&stream.content)
            .map_err(|e| format!("压缩 PDF 内容失败：{e}"))?;
        let compressed = encoder
            .finish()
            .map_err(|e| format!("压缩 PDF 内容失败：{e}"))?;
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    Ok(())
}

fn set_metadata(doc: &mut PdfDocument, meta: &Meta) -> Result<(), String> {
    let time = timestamp(meta.date)?;
    let info = &mut doc.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.creator = "fucha".into();
    info.producer = "fucha".into();
    info.creation_date = time;
    info.modification_date = time;
    info.metadata_date = time;
    info.identifier = document_id(meta);
    Ok(())
}

fn timestamp(date: NaiveDate) -> Result<printpdf::OffsetDateTime, String> {
    let seconds = date
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp())
        .unwrap_or(0);
    printpdf::OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|e| format!("元数据日期无效：{e}"))
}

/// A stable id from the metadata (FNV-1a, 64 bit, twice with two seeds).
fn document_id(meta: &Meta) -> String {
    let hash = |seed: u64| {
        let key = format!("{}\u{0}{}\u{0}{}", meta.title, meta.author, meta.date);
        key.bytes().fold(seed, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        hash(0xcbf2_9ce4_8422_2325),
        hash(0x84222325cbf29ce4)
    )
}

/// Adds every face the pages use, under fixed names; returns the font id of
/// each face (None when unused).
fn embed_used_faces(doc: &mut PdfDocument, pages: &[Page], fonts: &FontSet) -> Vec<Option<FontId>> {
    let faces = fonts.faces();
    let mut used = vec![false; faces.len()];
    for page in pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                for g in &run.glyphs {
                    used[g.face as usize] = true;
                }
            }
        }
    }
    used.iter()
        .enumerate()
        .map(|(i, used)| {
            used.then(|| {
                // Six capital letters: printpdf takes the subset tag from them.
                let id = FontId(format!(
                    "FUCH{}{}",
                    (b'A' + (i / 26) as u8) as char,
                    (b'A' + (i % 26) as u8) as char
                ));
                doc.resources
                    .fonts
                    .map
                    .insert(id.clone(), PdfFont::new(faces[i].font.clone()));
                id
            })
        })
        .collect()
}

fn pdf_color(color: Color) -> PdfColor {
    let (r, g, b) = match color {
        Color::Black => (0.0, 0.0, 0.0),
        Color::Red => (1.0, 0.0, 0.0),
    };
    PdfColor::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn paint_page(page: &Page, ids: &[Option<FontId>]) -> PdfPage {
    let mut ops = Vec::new();
    for item in &page.items {
        if let Item::Rule(rule) = item {
            paint_rule(rule, &mut ops);
        }
    }
    ops.push(Op::StartTextSection);
    let mut state = TextState::default();
    for item in &page.items {
        if let Item::Text(run) = item {
            paint_run(run, ids, &mut state, &mut ops);
        }
    }
    ops.push(Op::EndTextSection);
    let size = Rect::from_wh(Pt(PAGE_WIDTH), Pt(PAGE_HEIGHT));
    PdfPage {
        media_box: size.clone(),
        trim_box: size.clone(),
        crop_box: size,
        ops,
    }
}

fn paint_rule(rule: &Rule, ops: &mut Vec<Op>) {
    let point = |x: f32, y: f32| LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(PAGE_HEIGHT - y),
        },
        bezier: false,
    };
    ops.push(Op::SetOutlineColor {
        col: pdf_color(rule.color),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(rule.width) });
    ops.push(Op::DrawLine {
        line: PdfLine {
            points: vec![point(rule.x0, rule.y0), point(rule.x1, rule.y1)],
            is_closed: false,
        },
    });
}

/// What the text section has set, so unchanged state is not repeated.
#[derive(Default)]
struct TextState {
    color: Option<Color>,
    font: Option<(u16, u32)>,
    hscale: Option<u32>,
}

/// One run: split where the face changes; within a face, one `TJ` whose
/// adjustments put every glyph at its laid-out position.
fn paint_run(run: &TextRun, ids: &[Option<FontId>], state: &mut TextState, ops: &mut Vec<Op>) {
    if run.glyphs.is_empty() {
        return;
    }
    if state.color != Some(run.color) {
        ops.push(Op::SetFillColor {
            col: pdf_color(run.color),
        });
        state.color = Some(run.color);
    }
    let percent = (run.hscale * 100.0).round() as u32;
    if state.hscale != Some(percent) {
        ops.push(Op::SetHorizontalScaling {
            percent: percent as f32,
        });
        state.hscale = Some(percent);
    }
    let y = PAGE_HEIGHT - run.baseline;
    let mut start = 0;
    while start < run.glyphs.len() {
        let face = run.glyphs[start].face;
        let end = run.glyphs[start..]
            .iter()
            .position(|g| g.face != face)
            .map_or(run.glyphs.len(), |p| start + p);
        let Some(font_id) = ids[face as usize].clone() else {
            start = end;
            continue;
        };
        let key = (face, run.size.to_bits());
        if state.font != Some(key) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id),
                size: Pt(run.size),
            });
            state.font = Some(key);
        }
        let group = &run.glyphs[start..end];
        let mut codepoints = Vec::with_capacity(group.len());
        for (k, g) in group.iter().enumerate() {
            // TJ moves the pen by the font's width minus the adjustment
            // (thousandths of an em, scaled by Tz like the width).
            let offset = match group.get(k + 1) {
                Some(next) => g.natural as f32 - (next.dx - g.dx) / run.hscale * 1000.0 / run.size,
                None => 0.0,
            };
            codepoints.push(Codepoint {
                gid: g.gid,
                offset: (offset * 100.0).round() / 100.0,
                cid: Some(g.ch.to_string()),
            });
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(run.x + group[0].dx), Pt(y)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(codepoints)],
        });
        start = end;
    }
}
