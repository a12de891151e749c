//! One page's `Content.xml`: the frame's text runs as `TextObject`s and its
//! rules as `PathObject`s, in millimetres from the page's top-left corner
//! (the frame's own origin, so nothing is flipped).
//!
//! A run becomes one text object per face it uses (an object has one
//! font); every glyph keeps the position the layout gave it, written as
//! the steps between glyphs (`DeltaX`), not re-measured from the font.

use std::fmt::Write;

use crate::layout::frame::{Item, Page, PlacedGlyph, Rule, TextRun};
use crate::layout::text::Color;

use super::xml::{DECLARATION, NS, micrometres, push_deltas, push_escaped, push_mm, push_uint};

/// Hands out the document's object IDs, one after another.
pub(crate) struct Ids {
    last: u32,
}

impl Ids {
    /// IDs from 1 on.
    pub(crate) fn new() -> Ids {
        Ids { last: 0 }
    }

    /// A fresh ID.
    pub(crate) fn next(&mut self) -> u32 {
        self.last += 1;
        self.last
    }

    /// The highest ID handed out (the document's `MaxUnitID`).
    pub(crate) fn max(&self) -> u32 {
        self.last
    }
}

/// The text objects as written, for tagging the 公文 elements afterwards:
/// all their characters in reading order, white space left out, and where
/// each object's are (one string, not one per object: a long table has
/// hundreds of thousands of objects).
#[derive(Debug, Clone, Default)]
pub(crate) struct WrittenTexts {
    /// Every object's characters but white space, one after another.
    pub(crate) text: String,
    /// The objects, in the order written.
    pub(crate) objects: Vec<WrittenText>,
}

/// One text object: its page, its ID, and its bytes of [`WrittenTexts::text`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WrittenText {
    /// The page's ID.
    pub(crate) page: u32,
    /// The object's ID.
    pub(crate) id: u32,
    /// Where its characters start in the text.
    pub(crate) start: usize,
    /// Where they end.
    pub(crate) end: usize,
}

impl WrittenTexts {
    /// Records an object showing `chars`.
    pub(crate) fn push(&mut self, page: u32, id: u32, chars: impl Iterator<Item = char>) {
        let start = self.text.len();
        self.text.extend(chars.filter(|c| !c.is_whitespace()));
        self.objects.push(WrittenText {
            page,
            id,
            start,
            end: self.text.len(),
        });
    }
}

/// What [`content`] needs besides the page.
pub(crate) struct PageContext<'a> {
    /// Font resource ID by face ID; `None` for faces the document does not use.
    pub(crate) font_ids: &'a [Option<u32>],
    /// The page's ID.
    pub(crate) page_id: u32,
}

/// The `Content.xml` of one page; records every text object in `texts`.
pub(crate) fn content(
    page: &Page,
    cx: &PageContext<'_>,
    ids: &mut Ids,
    texts: &mut WrittenTexts,
) -> String {
    let mut out = String::with_capacity(256 + page.items.len() * 200);
    let _ = write!(out, "{DECLARATION}<ofd:Page xmlns:ofd=\"{NS}\">");
    if page.items.is_empty() {
        out.push_str("</ofd:Page>");
        return out;
    }
    let _ = write!(out, "<ofd:Content><ofd:Layer ID=\"{}\">", ids.next());
    for item in &page.items {
        match item {
            Item::Text(run) => push_run(&mut out, run, cx, ids, texts),
            Item::Rule(rule) => push_rule(&mut out, rule, ids),
        }
    }
    out.push_str("</ofd:Layer></ofd:Content></ofd:Page>");
    out
}

/// Red as OFD writes it (RGB, 0-255); black is the default and not written.
const RED: &str = "255 0 0";

fn push_color(out: &mut String, element: &str, color: Color) {
    if color == Color::Red {
        let _ = write!(out, "<ofd:{element} Value=\"{RED}\"/>");
    }
}

/// Appends `x y w h` in millimetres.
fn push_box(out: &mut String, b: [i64; 4]) {
    for (k, v) in b.into_iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        push_mm(out, v);
    }
}

/// One text object per face of the run; spaces at either end of a group
/// draw nothing and are left out (XML readers may trim them anyway).
fn push_run(
    out: &mut String,
    run: &TextRun,
    cx: &PageContext<'_>,
    ids: &mut Ids,
    texts: &mut WrittenTexts,
) {
    for group in run.glyphs.chunk_by(|a, b| a.face == b.face) {
        let start = group.iter().position(|g| g.ch != ' ');
        let end = group.iter().rposition(|g| g.ch != ' ');
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        let group = &group[start..=end];
        let Some(font) = cx.font_ids.get(group[0].face as usize).copied().flatten() else {
            continue;
        };
        let id = ids.next();
        push_text_object(out, run, group, id, font);
        texts.push(cx.page_id, id, group.iter().map(|g| g.ch));
    }
}

thread_local! {
    /// The steps of the object being written, kept to save an allocation
    /// per object (a long table has hundreds of thousands).
    static STEPS: std::cell::RefCell<Vec<i64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A text object holding `group` (glyphs of one face, from one run).
fn push_text_object(out: &mut String, run: &TextRun, group: &[PlacedGlyph], id: u32, font: u32) {
    let first = group[0];
    let last = group[group.len() - 1];
    let last_width = f32::from(last.natural) * run.size / 1000.0 * run.hscale;
    // The em box from one size above the baseline to a quarter below.
    let left = micrometres(run.x + first.dx);
    let top = micrometres(run.baseline - run.size);
    let width = micrometres(last.dx - first.dx + last_width).max(1);
    let height = micrometres(run.size * 1.25).max(1);
    let baseline = micrometres(run.baseline) - top;
    out.push_str("<ofd:TextObject ID=\"");
    push_uint(out, u64::from(id), 1);
    out.push_str("\" Boundary=\"");
    push_box(out, [left, top, width, height]);
    out.push_str("\" Font=\"");
    push_uint(out, u64::from(font), 1);
    out.push_str("\" Size=\"");
    push_mm(out, micrometres(run.size));
    out.push('"');
    if (run.hscale - 1.0).abs() > 1e-4 {
        let _ = write!(
            out,
            " HScale=\"{}\"",
            (run.hscale * 1000.0).round() / 1000.0
        );
    }
    out.push('>');
    push_color(out, "FillColor", run.color);
    out.push_str("<ofd:TextCode X=\"0\" Y=\"");
    push_mm(out, baseline);
    out.push('"');
    if group.len() > 1 {
        STEPS.with_borrow_mut(|steps| {
            steps.clear();
            steps.extend(group.windows(2).map(|w| micrometres(w[1].dx - w[0].dx)));
            out.push_str(" DeltaX=\"");
            push_deltas(out, steps);
        });
        out.push('"');
    }
    out.push('>');
    let mut buf = [0u8; 4];
    for g in group {
        push_escaped(out, g.ch.encode_utf8(&mut buf));
    }
    out.push_str("</ofd:TextCode></ofd:TextObject>");
}

/// A rule as a stroked path whose boundary holds the whole stroke, so that
/// it has a height even for a horizontal line.
fn push_rule(out: &mut String, rule: &Rule, ids: &mut Ids) {
    let half = rule.width / 2.0;
    let left = micrometres(rule.x0.min(rule.x1) - half);
    let top = micrometres(rule.y0.min(rule.y1) - half);
    let width = micrometres((rule.x1 - rule.x0).abs() + rule.width).max(1);
    let height = micrometres((rule.y1 - rule.y0).abs() + rule.width).max(1);
    let _ = write!(out, "<ofd:PathObject ID=\"{}\" Boundary=\"", ids.next());
    push_box(out, [left, top, width, height]);
    out.push_str("\" LineWidth=\"");
    push_mm(out, micrometres(rule.width).max(1));
    out.push_str("\">");
    push_color(out, "StrokeColor", rule.color);
    out.push_str("<ofd:AbbreviatedData>M ");
    let point = |out: &mut String, x: f32, y: f32| {
        push_mm(out, micrometres(x) - left);
        out.push(' ');
        push_mm(out, micrometres(y) - top);
    };
    point(out, rule.x0, rule.y0);
    out.push_str(" L ");
    point(out, rule.x1, rule.y1);
    out.push_str("</ofd:AbbreviatedData></ofd:PathObject>");
}
