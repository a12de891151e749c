//! Pagination: the document model laid out on A4 pages by the element
//! table of GB/T 9704-2012 (`docs/gbt9704.md` §3.3). Pure: glyphs in (through a
//! [`Shaper`]), positioned items out; no PDF involved.

use crate::campaign::FontRole;
use crate::doc::{Align, Attachment, Block, Colophon, Document, Head, Signature, official_date};

use super::flow::{Flow, LayoutError, LineAlign, set_line, set_solid, widow_safe_breaks};
use super::frame::{Item, Page, PageKind};
use super::geometry::*;
use super::linebreak::{Line, Measure, break_lines};
use super::table;
use super::text::{Color, Shaper, Style, width};

fn body_style() -> Style {
    Style::new(FontRole::Body, SIZE_3)
}

/// Lays a document out on pages, page numbers included.
pub fn paginate<S: Shaper>(doc: &Document, shaper: &S) -> Result<Vec<Page>, LayoutError> {
    let mut flow = Flow::new(shaper);
    if doc.draft {
        draft_mark(&mut flow)?;
    }
    if let Some(head) = &doc.head {
        head_block(&mut flow, head)?;
    }
    if !doc.title.is_empty() {
        title(&mut flow, &doc.title)?;
        flow.blank_lines(1);
    }
    if let Some(addressee) = &doc.addressee {
        let text = format!("{addressee}：");
        flow.paragraph(
            &text,
            body_style(),
            Measure::plain(TYPE_WIDTH),
            LineAlign::Justify,
        )?;
    }
    blocks(&mut flow, &doc.body)?;
    attachment_note(&mut flow, &doc.attachment_note)?;
    signature_and_note(&mut flow, doc.signature.as_ref(), doc.note.as_deref())?;
    let count = doc.attachments.len();
    for (i, attachment) in doc.attachments.iter().enumerate() {
        attachment_pages(&mut flow, attachment, i, count)?;
    }
    if let Some(colophon) = &doc.colophon {
        colophon_block(&mut flow, colophon)?;
    }
    page_numbers(&mut flow)?;
    Ok(flow.pages)
}

/// 征求意见稿, 3号黑体, top right above the type area.
fn draft_mark<S: Shaper>(flow: &mut Flow<S>) -> Result<(), LayoutError> {
    let style = Style::new(FontRole::Heading1, SIZE_3);
    let glyphs = flow.shape("征求意见稿", style)?;
    let x = RIGHT - width(&glyphs);
    let run = set_solid(
        &glyphs,
        x,
        baseline_in_cell(TOP - PITCH, SIZE_3),
        style,
        1.0,
    );
    flow.push(Item::Text(run));
    Ok(())
}

/// Places `text` solid at `x` in the line cell whose top is `top`.
fn text_at<S: Shaper>(
    flow: &mut Flow<S>,
    text: &str,
    style: Style,
    x: f32,
    top: f32,
) -> Result<f32, LayoutError> {
    let glyphs = flow.shape(text, style)?;
    let w = width(&glyphs);
    let run = set_solid(&glyphs, x, baseline_in_cell(top, style.size), style, 1.0);
    flow.push(Item::Text(run));
    Ok(w)
}

/// 版头: 份号, 密级, 紧急程度, the red head, 发文字号 (with 签发人) and the
/// red separator. Leaves the cursor where the title starts.
fn head_block<S: Shaper>(flow: &mut Flow<S>, head: &Head) -> Result<(), LayoutError> {
    let marks = [
        (&head.copy_no, FontRole::Body),
        (&head.secrecy, FontRole::Heading1),
        (&head.urgency, FontRole::Heading1),
    ];
    let mut line = 0;
    for (text, role) in marks {
        if let Some(text) = text {
            text_at(
                flow,
                text,
                Style::new(role, SIZE_3),
                LEFT,
                TOP + line as f32 * PITCH,
            )?;
            line += 1;
        }
    }
    let head_bottom = red_head(flow, &head.organ_mark)?;
    let first_top = head_bottom + 2.0 * PITCH;
    let number_top = if head.signers.is_empty() {
        if let Some(number) = &head.doc_number {
            let glyphs = flow.shape(number, body_style())?;
            let x = LEFT + (TYPE_WIDTH - width(&glyphs)) / 2.0;
            let run = set_solid(
                &glyphs,
                x,
                baseline_in_cell(first_top, SIZE_3),
                body_style(),
                1.0,
            );
            flow.push(Item::Text(run));
        }
        first_top
    } else {
        signers(flow, head, first_top)?
    };
    let number_bottom = baseline_in_cell(number_top, SIZE_3) + EM_DESCENT * SIZE_3;
    let red_y = number_bottom + RED_LINE_GAP;
    flow.rule(LEFT, red_y, RIGHT, red_y, RED_LINE_WIDTH, Color::Red);
    flow.y = red_y + 2.0 * PITCH;
    Ok(())
}

/// The red 发文机关标志, centred, its top 35 mm below the type-area top:
/// 小初 (36 pt), condensed horizontally to keep one character of margin on
/// each side, down to 70 %, and only then made smaller — the DOCX's rule
/// (`red_head_metrics`), so both formats show the same head. Returns the
/// bottom of its em box.
fn red_head<S: Shaper>(flow: &mut Flow<S>, mark: &str) -> Result<f32, LayoutError> {
    const HEAD_SIZE: f32 = 36.0;
    const MIN_SCALE: f32 = 0.7;
    let room = TYPE_WIDTH - 2.0 * SIZE_3;
    // Measured as a word processor sets it: every character a full em or
    // half an em for Latin, without the body grid's tracking.
    let ems: f32 = mark
        .chars()
        .map(|c| if super::text::is_latin(c) { 0.5 } else { 1.0 })
        .sum::<f32>()
        .max(0.5);
    let (size, target) = if ems * HEAD_SIZE <= room {
        (HEAD_SIZE, ems * HEAD_SIZE)
    } else if ems * HEAD_SIZE * MIN_SCALE <= room {
        (HEAD_SIZE, room)
    } else {
        ((room / (ems * MIN_SCALE)).max(SIZE_3), room)
    };
    let style = Style {
        role: FontRole::Title,
        size,
        color: Color::Red,
    };
    let glyphs = flow.shape(mark, style)?;
    let w = width(&glyphs).max(EPS);
    let hscale = target / w;
    let x = LEFT + (TYPE_WIDTH - w * hscale) / 2.0;
    let baseline = RED_HEAD_TOP + EM_ASCENT * size;
    flow.push(Item::Text(set_solid(&glyphs, x, baseline, style, hscale)));
    Ok(baseline + EM_DESCENT * size)
}

/// 签发人 (upward documents): names in 楷体 right, two a line, 发文字号 left
/// on the last signer line. Returns that line's top.
fn signers<S: Shaper>(flow: &mut Flow<S>, head: &Head, first_top: f32) -> Result<f32, LayoutError> {
    let label_style = body_style();
    let name_style = Style::new(FontRole::Heading2, SIZE_3);
    let lines: Vec<String> = head.signers.chunks(2).map(|pair| pair.join("　")).collect();
    let mut widths = Vec::with_capacity(lines.len());
    for line in &lines {
        widths.push(width(&flow.shape(line, name_style)?));
    }
    let names_x = RIGHT - CHAR - widths.iter().cloned().fold(0.0, f32::max);
    let label_w = width(&flow.shape("签发人：", label_style)?);
    text_at(flow, "签发人：", label_style, names_x - label_w, first_top)?;
    let mut top = first_top;
    for (i, line) in lines.iter().enumerate() {
        top = first_top + i as f32 * PITCH;
        text_at(flow, line, name_style, names_x, top)?;
    }
    if let Some(number) = &head.doc_number {
        text_at(flow, number, label_style, LEFT + CHAR, top)?;
    }
    Ok(top)
}

/// 标题: 2号小标宋, centred; a `\n` forces a break, and a title too long
/// for one line is broken into lines of balanced length.
fn title<S: Shaper>(flow: &mut Flow<S>, text: &str) -> Result<(), LayoutError> {
    let style = Style::new(FontRole::Title, SIZE_2);
    for part in text.split('\n').filter(|p| !p.trim().is_empty()) {
        let glyphs = flow.shape(part, style)?;
        for line in balanced_lines(&glyphs) {
            let top = flow.take_cell();
            let run = set_line(
                &glyphs,
                &line,
                LEFT,
                baseline_in_cell(top, SIZE_2),
                style,
                LineAlign::Center,
            );
            flow.push(Item::Text(run));
        }
    }
    Ok(())
}

/// Breaks a title into as few lines as the type area allows, then narrows
/// the measure as far as the line count stays the same, so the lines come
/// out of similar length (the 梯形/菱形 shapes of 7.3.1). Lines are
/// returned centred on the full type width.
pub fn balanced_lines(glyphs: &[super::text::Glyph]) -> Vec<Line> {
    let full = break_lines(glyphs, &Measure::plain(TYPE_WIDTH));
    if full.len() <= 1 {
        return recentre(full);
    }
    let count = full.len();
    let (mut lo, mut hi) = (width(glyphs) / count as f32, TYPE_WIDTH);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if break_lines(glyphs, &Measure::plain(mid)).len() <= count {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    recentre(break_lines(glyphs, &Measure::plain(hi)))
}

fn recentre(mut lines: Vec<Line>) -> Vec<Line> {
    for line in &mut lines {
        line.available = TYPE_WIDTH;
        line.indent = 0.0;
    }
    lines
}

/// The body blocks: paragraphs, headings, tables, page breaks.
pub fn blocks<S: Shaper>(flow: &mut Flow<S>, blocks: &[Block]) -> Result<(), LayoutError> {
    let indented = Measure {
        width: TYPE_WIDTH,
        first_indent: 2.0 * CHAR,
        rest_indent: 0.0,
        right_indent: 0.0,
    };
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Paragraph(p) => {
                let (measure, align) = match p.align {
                    Align::Justify => (indented, LineAlign::Justify),
                    Align::Left => (Measure::plain(TYPE_WIDTH), LineAlign::Left),
                    Align::Center => (Measure::plain(TYPE_WIDTH), LineAlign::Center),
                    Align::Right => (Measure::plain(TYPE_WIDTH), LineAlign::Right),
                };
                flow.paragraph(&p.text, body_style(), measure, align)?;
            }
            Block::Heading { level, text } => {
                let role = match level {
                    1 => FontRole::Heading1,
                    2 => FontRole::Heading2,
                    _ => FontRole::Body,
                };
                let style = Style::new(role, SIZE_3);
                // Keep a heading with what follows: one line, or as much of
                // a following paragraph as widow control lets stay on the
                // page (two lines, or all three of a three-line one), so
                // the paragraph does not move on and strand the heading.
                let lines = flow.count_lines(text, style, &indented)?;
                let follow = kept_with_heading(flow, &blocks[i + 1..], &indented)?;
                if flow.cells_left() < lines + follow && !flow.page_is_empty() {
                    flow.new_page(PageKind::Content);
                }
                flow.paragraph(text, style, indented, LineAlign::Justify)?;
            }
            Block::Table(t) => table::layout(flow, t)?,
            Block::PageBreak => {
                if !flow.page_is_empty() {
                    flow.new_page(PageKind::Content);
                }
            }
        }
    }
    Ok(())
}

/// Cells that must follow a heading on its page: as much of a following
/// paragraph as widow control lets stay (two lines, or all of a short one),
/// a following heading with what it keeps in turn (一、 then （一） then
/// text), a table's header and first row, or one line of anything else.
fn kept_with_heading<S: Shaper>(
    flow: &Flow<S>,
    rest: &[Block],
    measure: &Measure,
) -> Result<usize, LayoutError> {
    match rest.first() {
        Some(Block::Paragraph(p)) => {
            let n = flow.count_lines(&p.text, body_style(), measure)?;
            let per_page = flow.cells_per_page();
            Ok((1..=n)
                .find(|&c| widow_safe_breaks(n, c, per_page).first() != Some(&0))
                .unwrap_or(n))
        }
        Some(Block::Heading { level, text }) => {
            let role = if *level == 1 {
                FontRole::Heading1
            } else if *level == 2 {
                FontRole::Heading2
            } else {
                FontRole::Body
            };
            let lines = flow.count_lines(text, Style::new(role, SIZE_3), measure)?;
            Ok(lines + kept_with_heading(flow, &rest[1..], measure)?)
        }
        Some(Block::Table(t)) => {
            let height = table::opening_height(flow, t)?;
            Ok(((height - EPS) / PITCH).ceil().max(1.0) as usize)
        }
        _ => Ok(1),
    }
}

/// 附件说明: one empty line below the body, `附件：1.XXX`, wrapped names
/// aligned with the first character of the name above.
fn attachment_note<S: Shaper>(flow: &mut Flow<S>, names: &[String]) -> Result<(), LayoutError> {
    if names.is_empty() {
        return Ok(());
    }
    let style = body_style();
    let label = "附件：";
    let label_w = width(&flow.shape(label, style)?);
    let numbered = names.len() > 1;
    let mut items = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let prefix = if numbered {
            format!("{}.", i + 1)
        } else {
            String::new()
        };
        let prefix_w = width(&flow.shape(&prefix, style)?);
        let text = if i == 0 {
            format!("{label}{prefix}{name}")
        } else {
            format!("{prefix}{name}")
        };
        let first_indent = if i == 0 {
            2.0 * CHAR
        } else {
            2.0 * CHAR + label_w
        };
        let measure = Measure {
            width: TYPE_WIDTH,
            first_indent,
            rest_indent: 2.0 * CHAR + label_w + prefix_w,
            right_indent: 0.0,
        };
        items.push((text, measure));
    }
    // The note is read as one block: it moves to the next page whole.
    let mut lines = 0;
    for (text, measure) in &items {
        lines += flow.count_lines(text, style, measure)?;
    }
    if flow.cells_left() < lines + 1 && !flow.page_is_empty() {
        flow.new_page(PageKind::Content);
    } else {
        flow.blank_lines(1);
    }
    for (text, measure) in &items {
        flow.paragraph(text, style, *measure, LineAlign::Justify)?;
    }
    Ok(())
}

/// 署名 and 成文日期 (sealed 7.3.5.1 or unsealed 7.3.5.2), then 附注;
/// kept together on one page.
fn signature_and_note<S: Shaper>(
    flow: &mut Flow<S>,
    signature: Option<&Signature>,
    note: Option<&str>,
) -> Result<(), LayoutError> {
    let style = body_style();
    let note_text = note.map(|n| format!("（{n}）"));
    let note_measure = Measure {
        width: TYPE_WIDTH,
        first_indent: 2.0 * CHAR,
        rest_indent: 0.0,
        right_indent: 0.0,
    };
    let note_lines = match &note_text {
        Some(t) => flow.count_lines(t, style, &note_measure)?,
        None => 0,
    };
    if let Some(sig) = signature {
        let blank = if sig.sealed { 2 } else { 1 };
        let needed = blank + sig.organs.len() + 1 + note_lines.min(1);
        if flow.cells_left() < needed {
            flow.new_page(PageKind::Content);
        } else {
            flow.blank_lines(blank);
        }
        let date = official_date(sig.date);
        let date_w = width(&flow.shape(&date, style)?);
        let mut name_ws = Vec::with_capacity(sig.organs.len());
        for organ in &sig.organs {
            name_ws.push(width(&flow.shape(organ, style)?));
        }
        let (name_xs, date_x) = if sig.sealed {
            // Date right indent 4; each name centred over the date, but a
            // name too long for that ends at the type area's right edge (as
            // the DOCX's right indent stops at zero) rather than beyond it.
            let date_x = RIGHT - 4.0 * CHAR - date_w;
            let centre = date_x + date_w / 2.0;
            (
                name_ws
                    .iter()
                    .map(|w| (centre - w / 2.0).min(RIGHT - w))
                    .collect::<Vec<_>>(),
                date_x,
            )
        } else {
            // Name right indent 2; date starts 2 characters right of the
            // name, unless it is the longer one: then it takes the right
            // indent of 2 and the name moves left to keep the 2 characters.
            let name_w = name_ws.iter().cloned().fold(0.0, f32::max);
            let name_x = RIGHT - 2.0 * CHAR - name_w;
            if name_x + 2.0 * CHAR + date_w > RIGHT - 2.0 * CHAR + EPS {
                let date_x = RIGHT - 2.0 * CHAR - date_w;
                (vec![date_x - 2.0 * CHAR; name_ws.len()], date_x)
            } else {
                (vec![name_x; name_ws.len()], name_x + 2.0 * CHAR)
            }
        };
        for (organ, x) in sig.organs.iter().zip(name_xs) {
            let top = flow.take_cell();
            text_at(flow, organ, style, x, top)?;
        }
        let top = flow.take_cell();
        text_at(flow, &date, style, date_x, top)?;
    }
    if let Some(text) = &note_text {
        if signature.is_none() {
            flow.blank_lines(1);
        }
        flow.paragraph(text, style, note_measure, LineAlign::Justify)?;
    }
    Ok(())
}

/// One attachment: a new page, `附件N` in 黑体 on line 1, the title centred
/// on line 3, one empty line, then its body.
fn attachment_pages<S: Shaper>(
    flow: &mut Flow<S>,
    attachment: &Attachment,
    index: usize,
    count: usize,
) -> Result<(), LayoutError> {
    flow.new_page(PageKind::Content);
    let label = if count > 1 {
        format!("附件{}", index + 1)
    } else {
        "附件".to_string()
    };
    let top = flow.take_cell();
    text_at(
        flow,
        &label,
        Style::new(FontRole::Heading1, SIZE_3),
        LEFT,
        top,
    )?;
    flow.blank_lines(1);
    title(flow, &attachment.title)?;
    flow.blank_lines(1);
    blocks(flow, &attachment.body)
}

/// 版记 at the bottom of the last page, which must be even: on the current
/// page when it is even and has room, else on the next even page (after an
/// unnumbered blank page when needed). 抄送 and 印发 in 4号仿宋, between a
/// thick rule above and a thick rule on the type area's bottom edge, with a
/// thin rule between them.
fn colophon_block<S: Shaper>(flow: &mut Flow<S>, colophon: &Colophon) -> Result<(), LayoutError> {
    let style = Style::new(FontRole::Body, SIZE_4);
    let one = SIZE_4;
    let copy_to =
        (!colophon.copy_to.is_empty()).then(|| format!("抄送：{}。", colophon.copy_to.join("，")));
    let label_w = width(&flow.shape("抄送：", style)?);
    let cc_measure = Measure {
        width: TYPE_WIDTH,
        first_indent: one,
        rest_indent: one + label_w,
        right_indent: one,
    };
    let cc_glyphs = match &copy_to {
        Some(t) => flow.shape(t, style)?,
        None => Vec::new(),
    };
    let cc_lines = break_lines(&cc_glyphs, &cc_measure);
    let height = (cc_lines.len() + 1) as f32 * PITCH;
    let page_no = flow.pages.len();
    if page_no % 2 == 1 {
        flow.new_page(PageKind::Colophon);
    } else if !flow.fits(height) {
        flow.new_page(PageKind::Blank);
        flow.new_page(PageKind::Colophon);
        let n = flow.pages.len();
        flow.pages[n - 2].numbered = false;
        flow.pages[n - 1].numbered = false;
    }
    let top = BOTTOM - height;
    flow.rule(LEFT, top, RIGHT, top, THICK_RULE, Color::Black);
    for (i, line) in cc_lines.iter().enumerate() {
        let cell = top + i as f32 * PITCH;
        let run = set_line(
            &cc_glyphs,
            line,
            LEFT,
            baseline_in_cell(cell, SIZE_4),
            style,
            LineAlign::Justify,
        );
        flow.push(Item::Text(run));
    }
    let printer_top = BOTTOM - PITCH;
    if !cc_lines.is_empty() {
        flow.rule(
            LEFT,
            printer_top,
            RIGHT,
            printer_top,
            THIN_RULE,
            Color::Black,
        );
    }
    text_at(flow, &colophon.printer, style, LEFT + one, printer_top)?;
    let date = format!("{}印发", official_date(colophon.print_date));
    let date_w = width(&flow.shape(&date, style)?);
    text_at(flow, &date, style, RIGHT - one - date_w, printer_top)?;
    flow.rule(LEFT, BOTTOM, RIGHT, BOTTOM, THICK_RULE, Color::Black);
    flow.y = BOTTOM;
    Ok(())
}

/// `— N —` in 4号宋体 7 mm below the type area: odd pages right, even pages
/// left, one character in from the edge. Attachments continue the count.
fn page_numbers<S: Shaper>(flow: &mut Flow<S>) -> Result<(), LayoutError> {
    let style = Style::new(FontRole::PageNumber, SIZE_4);
    // The em box's centre (where the dash sits) on the 7 mm line.
    let baseline = PAGE_NUMBER_Y + (EM_ASCENT - 0.5) * SIZE_4;
    for i in 0..flow.pages.len() {
        if !flow.pages[i].numbered {
            continue;
        }
        let n = i + 1;
        let glyphs = flow.shape(&format!("\u{2014} {n} \u{2014}"), style)?;
        let w = width(&glyphs);
        let x = if n % 2 == 1 {
            RIGHT - SIZE_4 - w
        } else {
            LEFT + SIZE_4
        };
        let run = set_solid(&glyphs, x, baseline, style, 1.0);
        flow.pages[i].items.push(Item::Text(run));
    }
    Ok(())
}
