//! DOCX renderer: one [`Document`] in, a Word file laid out by GB/T
//! 9704-2012 out, which Word, WPS and LibreOffice all show with 22 lines of
//! 28 characters.
//!
//! `head`, `body` and `table` map the model's elements to a story of
//! paragraphs and tables (`story`) with the measures of `text`; `write`
//! turns the story into `word/document.xml` and the footers, in the
//! schema's element order; `parts` writes settings, styles, font table and
//! core properties; `package` zips it all, deterministically. We write the
//! XML ourselves rather than through a DOCX library: the few elements we
//! use are simple, and a library's tree, its XML writer and the rewriting
//! its output needed (schema order, header rows, paragraph ids) took most
//! of the time of a whole batch.
//!
//! The grid is exact 579-twip line spacing with −0.25 pt tracking on 3号
//! text, no document grid (`docs/gbt9704.md` §2). The 版记 is a floating table
//! anchored to the bottom of the type area; whether that last page is even
//! is up to the word processor's pagination, which a DOCX cannot know.
//!
//! Page geometry (`docs/gbt9704.md` §7.2): A4, margins top 37 mm, left 28 mm,
//! bottom 35 mm, right 26 mm, so the type area is 156 × 225 mm. Odd and
//! even footers carry `— N —` in 4号宋体, right and left, one 4号
//! character in from the edge, the dash about 7 mm below the type area.

mod body;
mod head;
mod package;
mod parts;
mod story;
mod table;
mod text;
mod write;
mod xml;

use crate::campaign::{FontRole, FontSettings};
use crate::doc::Document;
use crate::layout::geometry;
use crate::render::{BoxError, Format, RenderError, Renderer, Setup};
use story::{Alignment, Indent, Paragraph, Piece, Run, RunContent, Spacing};
use text::{CHAR_4, Face, RoleFonts, SIZE_4, Typesetter, twips};

/// The DOCX in the registry ([`crate::render::Formats`]).
pub struct DocxFormat;

impl Format for DocxFormat {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn renderer(&self, setup: &Setup<'_>) -> Result<Box<dyn Renderer>, BoxError> {
        Ok(Box::new(DocxRenderer::new(setup.fonts())))
    }
}

/// Why a DOCX could not be produced (zipping into memory failed).
#[derive(Debug, thiserror::Error)]
#[error("生成 DOCX 失败：“{title}”：{message}")]
pub struct DocxError {
    /// The document's title.
    pub title: String,
    /// What went wrong.
    pub message: String,
}
use write::{PageSetup, StoryWriter};

/// The page of [`geometry::PAGE`] in twips (A4 11906 × 16838, margins top
/// 2098, right 1474, bottom 1984, left 1587). The footer distance from the
/// paper's bottom edge (25.1 mm) puts the page number's dash ≈ 7 mm below
/// the type area (`docs/gbt9704.md` §7.1 item 13).
const PAGE: PageSetup = PageSetup {
    width: twips(geometry::PAGE.width),
    height: twips(geometry::PAGE.height),
    top: twips(geometry::PAGE.top),
    right: twips(geometry::PAGE.right()),
    bottom: twips(geometry::PAGE.bottom()),
    left: text::LEFT_MARGIN,
    // Word's default header distance (1.5 cm, which Word stores as 851
    // twips); the documents have no header.
    header: 851,
    footer: twips(25.1),
};

/// Writes documents as DOCX. Holds the font names and the parts common to
/// every document, never anything of one document, so it is cheap to
/// share between threads.
#[derive(Debug, Clone)]
pub struct DocxRenderer {
    set: Typesetter,
    /// The parts common to every document, deflated once; an error (which
    /// zipping into memory should never give) is reported by each render.
    fixed: Result<package::FixedParts, String>,
}

impl DocxRenderer {
    /// A renderer writing the `w:eastAsia` name of each role as configured
    /// (the first name of each chain: 方正小标宋简体, 仿宋_GB2312, 黑体,
    /// 楷体_GB2312, 宋体 by default) and Times New Roman for Latin text.
    pub fn new(fonts: &FontSettings) -> DocxRenderer {
        let fonts = RoleFonts::new(fonts);
        DocxRenderer {
            fixed: package::FixedParts::new(&fonts),
            set: Typesetter { fonts },
        }
    }

    /// The paragraphs and tables of the whole document, in reading order.
    fn pieces<'a>(&self, doc: &'a Document) -> Vec<Piece<'a>> {
        let set = &self.set;
        let mut out: Vec<Piece> = Vec::new();
        let push = |p: Paragraph<'a>, out: &mut Vec<Piece<'a>>| out.push(Piece::Paragraph(p));
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
            for p in set.attachment_opening(label, &attachment.title) {
                push(p, &mut out);
            }
            out.extend(set.blocks(&attachment.body));
        }
        if let Some(colophon) = &doc.colophon {
            out.extend(set.colophon(colophon));
        }
        out
    }

    /// The page-number footer: `— N —` with a PAGE field, 4号宋体, one 4号
    /// character in from the outer edge.
    fn page_number_footer(&self, align: Alignment) -> Paragraph<'static> {
        let face = Face::plain(FontRole::PageNumber, SIZE_4);
        let indent = match align {
            Alignment::Left => Indent {
                left: CHAR_4,
                ..Indent::default()
            },
            _ => Indent {
                right: CHAR_4,
                ..Indent::default()
            },
        };
        let field = |content| Run { face, content };
        // Single spacing here: the footer distance was measured with it.
        let single = Spacing {
            before: 0,
            line: 240,
            exact: false,
        };
        self.set
            .paragraph(face)
            .line_spacing(single)
            .align(align)
            .indent(indent)
            .add_run(self.set.run("— ", face))
            .add_run(field(RunContent::FieldBegin))
            .add_run(field(RunContent::FieldInstruction("PAGE")))
            .add_run(field(RunContent::FieldSeparate))
            .add_run(self.set.run("1", face))
            .add_run(field(RunContent::FieldEnd))
            .add_run(self.set.run(" —", face))
    }
}

impl Renderer for DocxRenderer {
    fn extension(&self) -> &'static str {
        "docx"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError> {
        let failed = |e: &str| {
            RenderError::new(DocxError {
                title: doc.meta.title.clone(),
                message: e.to_string(),
            })
        };
        let fixed = self.fixed.as_ref().map_err(|e| failed(e))?;
        let mut writer = StoryWriter::new(&self.set.fonts);
        // Body first, then the footers: paragraph ids run in that order.
        let parts = package::Parts {
            core: parts::core_properties(&doc.meta),
            document: writer.document(&self.pieces(doc), &PAGE),
            footers: [
                writer.footer(&self.page_number_footer(Alignment::Right)),
                writer.footer(&self.page_number_footer(Alignment::Left)),
            ],
        };
        package::zip(&parts, fixed, &doc.meta).map_err(|e| failed(&e))
    }
}
