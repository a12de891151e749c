//! Reads the PDFs fucha writes, in Rust, so that no test needs poppler:
//! the text of each page with the box of every line and word (in points,
//! y from the top of the page, as a viewer measures), the fonts with their
//! embedding, and the page count.
//!
//! lopdf parses the file; the text is found by running the page's content
//! stream through the PDF text state (PDF 32000-1 §9.4): `Tm`/`Td`/`T*`
//! place the pen, `TJ`/`Tj` show two-byte CIDs whose advances come from the
//! CID font's `W` array and whose characters come from its `ToUnicode` map.
//! A glyph's box runs from its origin to its advance across and from the
//! descriptor's ascent to its descent upright, as pdftotext draws it.
//!
//! Why lopdf and not pdf-extract: pdf-extract read our CID fonts' text
//! correctly, but its per-character callback carries no font, so the
//! ascent and descent that line boxes need (and the font list) would have
//! needed a second parse anyway; lopdf with default features off gives the
//! objects and content operators, and the text state is a page of code.

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

#[path = "pdf_fonts.rs"]
mod fonts;

use fonts::{FontCache, FontInfo, describe_font};

/// One shown character with its box.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub ch: char,
    pub x_min: f32,
    pub x_max: f32,
    /// The baseline, from the top of the page.
    pub baseline: f32,
    pub y_min: f32,
    pub y_max: f32,
    pub size: f32,
}

/// Characters that sit close together on one baseline.
#[derive(Debug, Clone)]
pub struct Word {
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
    pub text: String,
}

/// A line: words on one baseline, none far from the next.
#[derive(Debug, Clone)]
pub struct TextLine {
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
    /// The words joined with single spaces.
    pub text: String,
    pub words: Vec<Word>,
}

/// One page: its size and its lines, top to bottom, left to right.
#[derive(Debug, Clone, Default)]
pub struct TextPage {
    pub width: f32,
    pub height: f32,
    pub lines: Vec<TextLine>,
}

/// One font of a PDF, as `pdffonts` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfFont {
    /// `BaseFont`, with its subset tag (`ABCDEF+FandolFang-Regular`).
    pub name: String,
    /// `CID TrueType`, `CID Type 0C`, `Type 3`, `TrueType`, …
    pub kind: String,
    pub embedded: bool,
    /// The name carries a six-letter subset tag.
    pub subset: bool,
}

impl PdfFont {
    /// The font's name without the subset tag.
    pub fn face(&self) -> &str {
        if self.subset {
            &self.name[7..]
        } else {
            &self.name
        }
    }
}

/// A gap wider than this many ems between two characters starts a new word.
const WORD_GAP: f32 = 0.3;
/// A gap wider than this many ems starts a new line (another column).
const LINE_GAP: f32 = 1.0;

fn load(path: &Path) -> Document {
    Document::load(path).unwrap_or_else(|e| panic!("{path:?} is not a readable PDF: {e}"))
}

/// The number of pages.
pub fn page_count(path: &Path) -> usize {
    load(path).get_pages().len()
}

/// Every page with its lines.
pub fn text_pages(path: &Path) -> Vec<TextPage> {
    let doc = load(path);
    let mut fonts = FontCache::default();
    doc.get_pages()
        .values()
        .map(|&page| {
            let (width, height) = page_size(&doc, page);
            let glyphs = page_glyphs(&doc, page, height, &mut fonts);
            TextPage {
                width,
                height,
                lines: lines_of(glyphs),
            }
        })
        .collect()
}

/// The text of every page, a line per line, pages separated by a form feed.
pub fn text(path: &Path) -> String {
    text_pages(path)
        .iter()
        .map(TextPage::text)
        .collect::<Vec<_>>()
        .join("\n\u{c}")
}

/// The text of one page (1-based).
pub fn page_text(path: &Path, page: usize) -> String {
    text_pages(path)
        .get(page - 1)
        .map(TextPage::text)
        .unwrap_or_default()
}

/// The fonts the pages use, each once, in page order.
pub fn fonts(path: &Path) -> Vec<PdfFont> {
    let doc = load(path);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for &page in doc.get_pages().values() {
        for (_, font) in page_fonts(&doc, page) {
            let (id, dict) = font;
            if id.is_some() && seen.contains(&id) {
                continue;
            }
            seen.push(id);
            out.push(describe_font(&doc, &dict));
        }
    }
    out
}

impl TextPage {
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every word of the page.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.lines.iter().flat_map(|l| l.words.iter())
    }
}

fn number(obj: &Object) -> f32 {
    match obj {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => 0.0,
    }
}

fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(obj),
        _ => obj,
    }
}

fn dict<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, obj).as_dict().ok()
}

/// A page attribute, looked up the page tree as PDF inheritance says.
fn inherited<'a>(doc: &'a Document, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    loop {
        if let Ok(value) = node.get(key) {
            return Some(resolve(doc, value));
        }
        node = dict(doc, node.get(b"Parent").ok()?)?;
    }
}

fn page_size(doc: &Document, page: ObjectId) -> (f32, f32) {
    let b = inherited(doc, page, b"MediaBox")
        .and_then(|b| b.as_array().ok())
        .expect("a MediaBox");
    let b: Vec<f32> = b.iter().map(|o| number(resolve(doc, o))).collect();
    (b[2] - b[0], b[3] - b[1])
}

/// The page's fonts by resource name: (object id if indirect, dictionary).
fn page_fonts(doc: &Document, page: ObjectId) -> BTreeMap<Vec<u8>, (Option<ObjectId>, Dictionary)> {
    let mut out = BTreeMap::new();
    let Some(resources) = inherited(doc, page, b"Resources").and_then(|r| r.as_dict().ok()) else {
        return out;
    };
    let Some(fonts) = resources.get(b"Font").ok().and_then(|f| dict(doc, f)) else {
        return out;
    };
    for (name, font) in fonts.iter() {
        let id = font.as_reference().ok();
        if let Some(d) = dict(doc, font) {
            out.insert(name.clone(), (id, d.clone()));
        }
    }
    out
}

type Matrix = [f32; 6];

fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// The text and graphics state a content stream changes.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
    font: Option<std::rc::Rc<FontInfo>>,
    size: f32,
}

/// Runs the page's content and collects every shown character.
// Long on purpose: one pass of a small PDF text-state interpreter (the
// operators it needs, each a few lines), which reads best as one match.
fn page_glyphs(doc: &Document, page: ObjectId, height: f32, cache: &mut FontCache) -> Vec<Glyph> {
    let fonts = page_fonts(doc, page);
    let content = doc.get_page_content(page);
    let ops = Content::decode(&content)
        .expect("a decodable content stream")
        .operations;
    let mut state = State {
        ctm: IDENTITY,
        char_spacing: 0.0,
        word_spacing: 0.0,
        hscale: 1.0,
        leading: 0.0,
        rise: 0.0,
        font: None,
        size: 0.0,
    };
    let mut stack = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    let mut out = Vec::new();
    for op in ops {
        let n = |i: usize| op.operands.get(i).map(number).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" => stack.push(state.clone()),
            "Q" => state = stack.pop().unwrap_or(state),
            "cm" => state.ctm = multiply(&[n(0), n(1), n(2), n(3), n(4), n(5)], &state.ctm),
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tc" => state.char_spacing = n(0),
            "Tw" => state.word_spacing = n(0),
            "Tz" => state.hscale = n(0) / 100.0,
            "TL" => state.leading = n(0),
            "Ts" => state.rise = n(0),
            "Tf" => {
                let name = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .unwrap_or(b"");
                state.font = fonts.get(name).map(|(id, d)| cache.get(doc, *id, d));
                state.size = n(1);
            }
            "Tm" => {
                tm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                tlm = tm;
            }
            "Td" | "TD" => {
                if op.operator == "TD" {
                    state.leading = -n(1);
                }
                tlm = multiply(&translate(n(0), n(1)), &tlm);
                tm = tlm;
            }
            "T*" => {
                tlm = multiply(&translate(0.0, -state.leading), &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" => {
                if op.operator != "Tj" {
                    tlm = multiply(&translate(0.0, -state.leading), &tlm);
                    tm = tlm;
                }
                if let Some(Object::String(bytes, _)) = op.operands.last() {
                    show(bytes, &state, &mut tm, height, &mut out);
                }
            }
            "TJ" => {
                let Some(Object::Array(items)) = op.operands.first() else {
                    continue;
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => show(bytes, &state, &mut tm, height, &mut out),
                        other => {
                            let tx = -number(other) / 1000.0 * state.size * state.hscale;
                            tm = multiply(&translate(tx, 0.0), &tm);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Shows a string: one glyph per code, the pen moved by each advance.
fn show(bytes: &[u8], state: &State, tm: &mut Matrix, height: f32, out: &mut Vec<Glyph>) {
    let Some(font) = &state.font else { return };
    for code in bytes.chunks(font.code_len) {
        let code = code.iter().fold(0u32, |acc, b| acc << 8 | *b as u32);
        let w0 = font
            .widths
            .get(&code)
            .copied()
            .unwrap_or(font.default_width)
            / 1000.0;
        let space = if font.code_len == 1 && code == 32 {
            state.word_spacing
        } else {
            0.0
        };
        let advance = (w0 * state.size + state.char_spacing + space) * state.hscale;
        let trm = multiply(&multiply(&translate(0.0, state.rise), tm), &state.ctm);
        let end = multiply(
            &multiply(&translate(w0 * state.size * state.hscale, state.rise), tm),
            &state.ctm,
        );
        // The em's height in device space (rotation is never used here).
        let scale = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
        let size = state.size * scale;
        let baseline = height - trm[5];
        if let Some(text) = font.to_unicode.get(&code) {
            for ch in text.chars() {
                out.push(Glyph {
                    ch,
                    x_min: trm[4].min(end[4]),
                    x_max: trm[4].max(end[4]),
                    baseline,
                    y_min: baseline - font.ascent / 1000.0 * size,
                    y_max: baseline - font.descent / 1000.0 * size,
                    size,
                });
            }
        }
        *tm = multiply(&translate(advance, 0.0), tm);
    }
}

/// Groups glyphs into lines (one baseline, no wide gap) and words.
fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<TextLine> {
    glyphs.retain(|g| !g.ch.is_whitespace());
    // Baselines within a tenth of a point are one.
    glyphs.sort_by(|a, b| {
        let key = |g: &Glyph| ((g.baseline * 10.0).round() as i64, g.x_min);
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    let mut lines: Vec<TextLine> = Vec::new();
    let mut previous: Option<&Glyph> = None;
    for g in &glyphs {
        let same_baseline = previous.is_some_and(|p| (p.baseline - g.baseline).abs() < 0.1);
        let gap = previous.map_or(f32::MAX, |p| g.x_min - p.x_max);
        let em = g.size.max(1.0);
        if !same_baseline || gap > LINE_GAP * em {
            lines.push(TextLine {
                x_min: g.x_min,
                y_min: g.y_min,
                x_max: g.x_max,
                y_max: g.y_max,
                text: String::new(),
                words: Vec::new(),
            });
        }
        let line = lines.last_mut().unwrap();
        let new_word = line.words.is_empty() || gap > WORD_GAP * em;
        if new_word {
            line.words.push(Word {
                x_min: g.x_min,
                y_min: g.y_min,
                x_max: g.x_max,
                y_max: g.y_max,
                text: String::new(),
            });
        }
        let word = line.words.last_mut().unwrap();
        word.text.push(g.ch);
        word.x_max = word.x_max.max(g.x_max);
        word.y_min = word.y_min.min(g.y_min);
        word.y_max = word.y_max.max(g.y_max);
        line.x_max = line.x_max.max(g.x_max);
        line.y_min = line.y_min.min(g.y_min);
        line.y_max = line.y_max.max(g.y_max);
        previous = Some(g);
    }
    for line in &mut lines {
        line.text = line
            .words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
    }
    lines
}
