//! DOCX renderer: one [`Document`] in, a Word file laid out by GB/T
//! 9704-2012 out, which Word, WPS and LibreOffice all show with 22 lines of
//! 28 characters.
//!
//! docx-rs builds the story (`head`, `body`, `table` map the model's
//! elements to paragraphs and tables with the measures of `text`);
//! `package` then adds what docx-rs cannot say (`w:tblHeader`), swaps in
//! the parts we write whole (`parts`: settings, styles, font table, core
//! properties), sorts property elements into schema order (`order`) and
//! makes the bytes deterministic.
//!
//! The grid is exact 579-twip line spacing with −0.25 pt tracking on 3号
//! text, no document grid (`gbt9704.md` §2). The 版记 is a floating table
//! anchored to the bottom of the type area; whether that last page is even
//! is up to the word processor's pagination, which a DOCX cannot know.
//!
//! Page geometry (`gbt9704.md` §7.2): A4, margins top 37 mm, left 28 mm,
//! bottom 35 mm, right 26 mm, so the type area is 156 × 225 mm. Odd and
//! even footers carry `— N —` in 4号宋体, right and left, one 4号
//! character in from the edge, the dash about 7 mm below the type area.

mod body;
mod head;
mod order;
mod package;
mod parts;
mod table;
mod text;

use crate::campaign::{FontRole, FontSettings};
use crate::doc::Document;
use crate::render::{RenderError, Renderer};
use body::Piece;
use docx_rs::{
    AlignmentType, DocGrid, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Run,
};
use text::{CHAR_4, Face, RoleFonts, SIZE_3, SIZE_4, Typesetter};

/// A4 in twips.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// Footer distance from the paper's bottom edge (25.1 mm): puts the page
/// number's dash ≈ 7 mm below the type area (`gbt9704.md` §7.1 item 13).
const FOOTER_DISTANCE: i32 = 1423;

/// Writes documents as DOCX. Holds only the font names, so it is cheap to
/// share between threads.
#[derive(Debug, Clone)]
pub struct DocxRenderer {
    set: Typesetter,
}

impl DocxRenderer {
    /// A renderer writing the `w:eastAsia` name of each role as configured
    /// (the first name of each chain: 方正小标宋简体, 仿宋_GB2312, 黑体,
    /// 楷体_GB2312, 宋体 by default) and Times New Roman for Latin text.
    pub fn new(fonts: &FontSettings) -> DocxRenderer {
        DocxRenderer {
            set: Typesetter {
                fonts: RoleFonts::new(fonts),
            },
        }
    }

    /// The paragraphs and tables of the whole document, in reading order.
    fn pieces(&self, doc: &Document) -> Vec<Piece> {
        let set = &self.set;
        let mut out: Vec<Piece> = Vec::new();
        let push = |p: Paragraph, out: &mut Vec<Piece>| out.push(Piece::Paragraph(p));
        let mut lines_above = 0;
        if doc.draft {
            push(set.draft_mark(), &mut out);
            lines_above += 1;
        }
        if let Some(head) = &doc.head {
            for p in set.head(head, lines_above) {
                push(p, &mut out);
            }
            // Two empty lines below the red separator.
            push(set.blank(), &mut out);
            push(set.blank(), &mut out);
        }
        if !doc.title.is_empty() {
            push(set.title(&doc.title), &mut out);
            push(set.blank(), &mut out);
        }
        if let Some(addressee) = &doc.addressee {
            push(set.addressee(addressee), &mut out);
        }
        out.extend(set.blocks(&doc.body));
        if !doc.attachment_note.is_empty() {
            push(set.blank(), &mut out);
            for p in set.attachment_note(&doc.attachment_note) {
                push(p, &mut out);
            }
        }
        if let Some(sig) = &doc.signature {
            for p in set.signature(sig) {
                push(p, &mut out);
            }
        }
        if let Some(note) = &doc.note {
            push(set.note(note), &mut out);
        }
        let several = doc.attachments.len() > 1;
        for (i, attachment) in doc.attachments.iter().enumerate() {
            let label = if several {
                format!("附件{}", i + 1)
            } else {
                "附件".to_string()
            };
            for p in set.attachment_opening(&label, &attachment.title) {
                push(p, &mut out);
            }
            out.extend(set.blocks(&attachment.body));
        }
        if let Some(colophon) = &doc.colophon {
            out.extend(set.colophon(colophon));
        }
        out
    }

    /// The page-number footer: `— N —` with a PAGE field, 4号宋体.
    fn page_number_footer(&self, align: AlignmentType) -> Footer {
        let face = Face::plain(FontRole::PageNumber, SIZE_4);
        let (left, right) = match align {
            AlignmentType::Left => (Some(CHAR_4), None),
            _ => (None, Some(CHAR_4)),
        };
        let run = |r: Run| {
            r.fonts(self.set.fonts.run_fonts(FontRole::PageNumber))
                .size(SIZE_4)
        };
        // Single spacing here: the footer distance was measured with it.
        let p = self
            .set
            .paragraph(face)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(240)
                    .before(0)
                    .after(0),
            )
            .align(align)
            .indent(left, None, right, None)
            .add_run(self.set.run("— ", face))
            .add_run(run(Run::new().add_field_char(FieldCharType::Begin, false)))
            .add_run(run(
                Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new()))
            ))
            .add_run(run(
                Run::new().add_field_char(FieldCharType::Separate, false)
            ))
            .add_run(self.set.run("1", face))
            .add_run(run(Run::new().add_field_char(FieldCharType::End, false)))
            .add_run(self.set.run(" —", face));
        Footer::new().add_paragraph(p)
    }

    fn build(&self, doc: &Document) -> Docx {
        let mut docx = Docx::new()
            .page_size(PAGE_WIDTH, PAGE_HEIGHT)
            .page_margin(PageMargin {
                top: 2098,
                left: text::LEFT_MARGIN,
                bottom: 1984,
                right: 1474,
                header: 851,
                footer: FOOTER_DISTANCE,
                gutter: 0,
            })
            .default_fonts(self.set.fonts.run_fonts(FontRole::Body))
            .default_size(SIZE_3)
            .footer(self.page_number_footer(AlignmentType::Right))
            .even_footer(self.page_number_footer(AlignmentType::Left));
        // No document grid: LibreOffice snaps every line to a line grid
        // (table rows, the red head), and a character grid gives 14
        // characters a line. Exact spacing alone keeps the 22 lines.
        docx.document = docx.document.doc_grid(DocGrid::with_empty());
        for piece in self.pieces(doc) {
            docx = match piece {
                Piece::Paragraph(p) => docx.add_paragraph(p),
                Piece::Table(t) => docx.add_table(t),
            };
        }
        docx
    }
}

impl Renderer for DocxRenderer {
    fn extension(&self) -> &'static str {
        "docx"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError> {
        let mut raw = std::io::Cursor::new(Vec::new());
        self.build(doc)
            .build()
            .pack(&mut raw)
            .map_err(|e| RenderError::Docx(format!("无法打包“{}”：{e}", doc.meta.title)))?;
        package::finish(
            raw.get_ref(),
            &doc.meta,
            &parts::OwnParts::new(&self.set.fonts, &doc.meta),
        )
        .map_err(|e| RenderError::Docx(format!("“{}”：{e}", doc.meta.title)))
    }
}
