//! The only code that writes PDF syntax: paints laid-out pages and saves
//! them with subset fonts and fixed metadata.
//!
//! pdf-writer writes the objects; subsetter cuts each used face down to the
//! glyphs the document shows. Both work from the faces [`FontSet`] parsed
//! once per run, so a document costs its own glyphs and nothing more (the
//! general-purpose route re-parsed every face for every document and took
//! three quarters of a build).
//!
//! Glyphs are addressed by their id in the subset (`Identity-H`, CID =
//! new glyph id), with a `ToUnicode` map so that text can be copied and
//! searched. Object numbers, the subset tags and the file id come from the
//! document alone, so two renders are byte-identical.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{Datelike, NaiveDate};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Settings, Str, TextStr};
use subsetter::GlyphRemapper;

use crate::doc::Meta;

use super::subset::SubsetCache;
use crate::layout::fonts::{Face, FontSet};
use crate::layout::frame::{Item, Page, Rule, TextRun};
use crate::layout::geometry::{PAGE_HEIGHT, PAGE_WIDTH};
use crate::layout::text::Color;
use crate::layout::text::FaceId;

/// Paints `pages` into a PDF file.
pub fn write_pdf(
    pages: &[Page],
    fonts: &FontSet,
    subsets: &SubsetCache,
    meta: &Meta,
) -> Result<Vec<u8>, String> {
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let info = next.bump();
    let used = UsedFaces::collect(pages, fonts.faces().len(), &mut next);
    let mut pdf = Pdf::with_settings(Settings { pretty: false });

    let mut kids = Vec::with_capacity(pages.len());
    for page in pages {
        let page_ref = next.bump();
        let content_ref = next.bump();
        let content = paint_page(page, &used);
        let content = deflate_content(&content)?;
        pdf.stream(content_ref, &content)
            .filter(Filter::FlateDecode);
        let mut dict = pdf.page(page_ref);
        dict.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_ref);
        let mut resources = dict.resources();
        let mut font_names = resources.fonts();
        for (_, face) in used.in_order() {
            font_names.pair(Name(face.resource.as_bytes()), face.font_ref);
        }
        font_names.finish();
        resources.finish();
        dict.finish();
        kids.push(page_ref);
    }
    pdf.pages(tree)
        .kids(kids.iter().copied())
        .count(kids.len() as i32);
    pdf.catalog(catalog).pages(tree);

    for (id, glyphs) in used.in_order() {
        let face = &fonts.faces()[id as usize];
        let program = subsets.program(id, face, &glyphs.glyphs, &glyphs.remapper, deflate)?;
        embed_face(&mut pdf, &mut next, face, glyphs, &program)?;
    }
    write_info(&mut pdf, info, meta);
    let id = document_id(meta).into_bytes();
    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

/// Deflates a font program. Level 2: the fonts are most of a file's bytes
/// and their time; levels 2 to 6 gave font data within 1% of each other on
/// a province's documents, level 2 in 11% less time (level 1: 17% larger).
fn deflate(data: &[u8]) -> Result<Vec<u8>, String> {
    deflate_at(data, 2)
}

/// Deflates page content, which repeats itself a lot: level 6 keeps a
/// 1,500-page table 15% smaller than level 2 does.
fn deflate_content(data: &[u8]) -> Result<Vec<u8>, String> {
    deflate_at(data, 6)
}

fn deflate_at(data: &[u8], level: u32) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::new(level),
    );
    encoder
        .write_all(data)
        .map_err(|e| format!("压缩 PDF 内容失败：{e}"))?;
    encoder
        .finish()
        .map_err(|e| format!("压缩 PDF 内容失败：{e}"))
}

fn write_info(pdf: &mut Pdf, id: Ref, meta: &Meta) {
    let date = pdf_date(meta.date);
    pdf.document_info(id)
        .title(TextStr(&meta.title))
        .author(TextStr(&meta.author))
        .creator(TextStr("fucha"))
        .producer(TextStr("fucha"))
        .creation_date(date)
        .modified_date(date);
}

/// The document's date at midnight UTC: fixed by the campaign, never the
/// clock, so that rebuilding gives the same bytes.
fn pdf_date(date: NaiveDate) -> pdf_writer::Date {
    pdf_writer::Date::new(date.year().clamp(0, 9999) as u16)
        .month(date.month() as u8)
        .day(date.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// A stable id from the metadata (FNV-1a, 64 bit, twice with two seeds).
fn document_id(meta: &Meta) -> String {
    let key = format!("{}\u{0}{}\u{0}{}", meta.title, meta.author, meta.date);
    format!(
        "{:016x}{:016x}",
        fnv1a(0xcbf2_9ce4_8422_2325, key.bytes()),
        fnv1a(0x8422_2325_cbf2_9ce4, key.bytes())
    )
}

fn fnv1a(seed: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(seed, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The glyphs a document uses, per face, numbered for the subset.
struct UsedFaces {
    /// Indexed by face id; `None` for faces the document does not use.
    faces: Vec<Option<UsedGlyphs>>,
    /// The used faces in the order the document first shows them: the order
    /// of their resources (`F0`, `F1`, …) and objects. Not face-id order, so
    /// that a machine with more faces in its chains (Noto behind the shipped
    /// ones, say) writes the same bytes when it uses the same faces.
    order: Vec<FaceId>,
}

/// One face's glyphs in a document.
struct UsedGlyphs {
    /// The glyph ids shown, ascending, `.notdef` first.
    glyphs: Vec<u16>,
    /// Old glyph id → id in the subset (= CID), in ascending order, so that
    /// the same glyphs always make the same subset.
    remapper: GlyphRemapper,
    /// By new glyph id: the character it shows and its advance
    /// (thousandths of an em); `.notdef` (0) has none.
    shown: Vec<Option<(char, u16)>>,
    /// The Type 0 font object.
    font_ref: Ref,
    /// Its name in the pages' resources (`F0`, `F1`, …).
    resource: String,
}

impl UsedFaces {
    /// Gathers the glyphs of every run per face and numbers them for the
    /// subsets in ascending glyph order.
    fn collect(pages: &[Page], face_count: usize, next: &mut Ref) -> UsedFaces {
        let mut shown: Vec<BTreeMap<u16, (char, u16)>> = vec![BTreeMap::new(); face_count];
        let mut order = Vec::new();
        for page in pages {
            for item in &page.items {
                let Item::Text(run) = item else { continue };
                for g in &run.glyphs {
                    let glyphs = &mut shown[g.face as usize];
                    if glyphs.is_empty() {
                        order.push(g.face);
                    }
                    glyphs.entry(g.gid).or_insert((g.ch, g.natural));
                }
            }
        }
        let mut faces: Vec<Option<UsedGlyphs>> = (0..face_count).map(|_| None).collect();
        for (n, &face) in order.iter().enumerate() {
            let glyphs = std::mem::take(&mut shown[face as usize]);
            let mut ids = vec![0];
            ids.extend(glyphs.keys().filter(|&&g| g != 0));
            let mut shown = vec![None];
            shown.extend(
                glyphs
                    .into_iter()
                    .filter(|(g, _)| *g != 0)
                    .map(|(_, s)| Some(s)),
            );
            faces[face as usize] = Some(UsedGlyphs {
                remapper: GlyphRemapper::new_from_glyphs(&ids),
                glyphs: ids,
                shown,
                font_ref: next.bump(),
                resource: format!("F{n}"),
            });
        }
        UsedFaces { faces, order }
    }

    /// The used faces with their glyphs, in document order.
    fn in_order(&self) -> impl Iterator<Item = (FaceId, &UsedGlyphs)> {
        self.order
            .iter()
            .filter_map(|&f| self.faces[f as usize].as_ref().map(|g| (f, g)))
    }

    fn subset_gid(&self, face: u16, gid: u16) -> u16 {
        self.faces[face as usize]
            .as_ref()
            .and_then(|u| u.remapper.get(gid))
            .unwrap_or(0)
    }
}

/// Writes one face as a Type 0 font with an embedded subset: the font, its
/// CID font, descriptor, widths, `ToUnicode` map and font file.
fn embed_face(
    pdf: &mut Pdf,
    next: &mut Ref,
    face: &Face,
    used: &UsedGlyphs,
    program: &[u8],
) -> Result<(), String> {
    let cid_ref = next.bump();
    let descriptor_ref = next.bump();
    let cmap_ref = next.bump();
    let file_ref = next.bump();
    let metrics = &face.metrics;
    let base_font = format!("{}+{}", subset_tag(face, used), metrics.postscript_name);
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(used.font_ref)
        .base_font(Name(base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap_ref);

    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(if metrics.cff {
        CidFontType::Type0
    } else {
        CidFontType::Type2
    })
    .base_font(Name(base_font.as_bytes()))
    .system_info(system_info)
    .font_descriptor(descriptor_ref);
    if !metrics.cff {
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    let widths = used.shown.iter().map(|s| match s {
        Some((_, natural)) => *natural as f32,
        None => face.natural_advance(0) as f32,
    });
    cid.widths().consecutive(0, widths);
    cid.finish();

    let [left, bottom, right, top] = metrics.bbox;
    let mut descriptor = pdf.font_descriptor(descriptor_ref);
    descriptor
        .name(Name(base_font.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(left, bottom, right, top))
        .italic_angle(metrics.italic_angle)
        .ascent(metrics.ascent)
        .descent(metrics.descent)
        .cap_height(metrics.cap_height)
        // The usual estimate from the weight class; viewers use it only
        // when they must substitute the font.
        .stem_v(10.0 + 0.244 * (metrics.weight as f32 - 50.0).max(0.0));
    if metrics.cff {
        descriptor.font_file3(file_ref);
    } else {
        descriptor.font_file2(file_ref);
    }
    descriptor.finish();

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (gid, shown) in used.shown.iter().enumerate() {
        if let Some((ch, _)) = shown {
            cmap.pair(gid as u16, *ch);
        }
    }
    let cmap = deflate_content(&cmap.finish())?;
    pdf.cmap(cmap_ref, &cmap).filter(Filter::FlateDecode);

    let mut file = pdf.stream(file_ref, program);
    file.filter(Filter::FlateDecode);
    if metrics.cff {
        file.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
    }
    Ok(())
}

/// Six capital letters naming the subset (PDF 32000 §9.6.4), from the face
/// and the characters kept: the same subset always gets the same tag.
fn subset_tag(face: &Face, used: &UsedGlyphs) -> String {
    let glyphs = used
        .shown
        .iter()
        .flatten()
        .flat_map(|(ch, _)| (*ch as u32).to_le_bytes());
    let mut hash = fnv1a(
        0xcbf2_9ce4_8422_2325,
        face.metrics.postscript_name.bytes().chain(glyphs),
    );
    (0..6)
        .map(|_| {
            let letter = (b'A' + (hash % 26) as u8) as char;
            hash /= 26;
            letter
        })
        .collect()
}

fn set_color(content: &mut Content, color: Color, stroke: bool) {
    let (r, g, b) = match color {
        Color::Black => (0.0, 0.0, 0.0),
        Color::Red => (1.0, 0.0, 0.0),
    };
    if stroke {
        content.set_stroke_rgb(r, g, b);
    } else {
        content.set_fill_rgb(r, g, b);
    }
}

/// The content stream of one page: rules first, then all text in one text
/// object.
fn paint_page(page: &Page, used: &UsedFaces) -> Vec<u8> {
    let mut content = Content::new();
    for item in &page.items {
        if let Item::Rule(rule) = item {
            paint_rule(rule, &mut content);
        }
    }
    content.begin_text();
    let mut state = TextState::default();
    for item in &page.items {
        if let Item::Text(run) = item {
            paint_run(run, used, &mut state, &mut content);
        }
    }
    content.end_text();
    content.finish().into_vec()
}

fn paint_rule(rule: &Rule, content: &mut Content) {
    set_color(content, rule.color, true);
    content
        .set_line_width(rule.width)
        .move_to(rule.x0, PAGE_HEIGHT - rule.y0)
        .line_to(rule.x1, PAGE_HEIGHT - rule.y1)
        .stroke();
}

/// What the text object has set, so unchanged state is not repeated.
#[derive(Default)]
struct TextState {
    color: Option<Color>,
    font: Option<(u16, u32)>,
    hscale: Option<u32>,
}

/// One run: split where the face changes; within a face, one `TJ` whose
/// adjustments put every glyph at its laid-out position.
fn paint_run(run: &TextRun, used: &UsedFaces, state: &mut TextState, content: &mut Content) {
    if run.glyphs.is_empty() {
        return;
    }
    if state.color != Some(run.color) {
        set_color(content, run.color, false);
        state.color = Some(run.color);
    }
    let percent = (run.hscale * 100.0).round() as u32;
    if state.hscale != Some(percent) {
        content.set_horizontal_scaling(percent as f32);
        state.hscale = Some(percent);
    }
    let y = PAGE_HEIGHT - run.baseline;
    for group in run.glyphs.chunk_by(|a, b| a.face == b.face) {
        let face = group[0].face;
        let Some(glyphs) = &used.faces[face as usize] else {
            continue;
        };
        let key = (face, run.size.to_bits());
        if state.font != Some(key) {
            content.set_font(Name(glyphs.resource.as_bytes()), run.size);
            state.font = Some(key);
        }
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, run.x + group[0].dx, y]);
        let mut shown = content.show_positioned();
        let mut items = shown.items();
        let mut codes: Vec<u8> = Vec::with_capacity(group.len() * 2);
        for (k, g) in group.iter().enumerate() {
            codes.extend_from_slice(&used.subset_gid(face, g.gid).to_be_bytes());
            // TJ moves the pen by the glyph's width minus the adjustment
            // (thousandths of an em, scaled by Tz like the width).
            let Some(next) = group.get(k + 1) else { break };
            let adjust = g.natural as f32 - (next.dx - g.dx) / run.hscale * 1000.0 / run.size;
            let adjust = (adjust * 100.0).round() / 100.0;
            if adjust != 0.0 {
                items.show(Str(&codes));
                items.adjust(adjust);
                codes.clear();
            }
        }
        if !codes.is_empty() {
            items.show(Str(&codes));
        }
    }
}
