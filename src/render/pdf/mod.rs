//! PDF renderer: the pages [`crate::layout`] sets, written with pdf-writer
//! and subsetter.
//!
//! [`write`] is the only code that writes PDF syntax; [`subset`] cuts the
//! faces down to a document's glyphs.

pub mod subset;
pub mod write;

use crate::campaign::FontSettings;
use crate::doc::Document;
use crate::layout::fonts::{self, FontError, FontSet};
use crate::layout::{frame, paginate};
use crate::render::{RenderError, Renderer};

/// Renders documents to PDF. Holds the parsed fonts; cheap to share
/// between threads.
pub struct PdfRenderer {
    fonts: FontSet,
    subsets: subset::SubsetCache,
}

impl PdfRenderer {
    /// Finds and parses the faces of every role once.
    pub fn new(fonts: &FontSettings) -> Result<PdfRenderer, FontError> {
        Ok(PdfRenderer {
            fonts: FontSet::load(fonts)?,
            subsets: subset::SubsetCache::default(),
        })
    }

    /// The loaded fonts.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// The subsets kept for reuse across this renderer's documents.
    pub fn subsets(&self) -> &subset::SubsetCache {
        &self.subsets
    }

    /// Lays a document out without writing a PDF: the pages of positioned
    /// items, for tests and for checking layout decisions.
    pub fn layout(&self, doc: &Document) -> Result<Vec<frame::Page>, RenderError> {
        paginate::paginate(doc, &fonts::CachedShaper::new(&self.fonts)).map_err(|e| {
            RenderError::MissingGlyph {
                ch: e.missing.ch,
                code: e.missing.ch as u32,
                context: e.context,
                role: e.missing.role.label().to_string(),
                tried: e.missing.tried.join("、"),
            }
        })
    }
}

impl Renderer for PdfRenderer {
    fn extension(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError> {
        let pages = self.layout(doc)?;
        write::write_pdf(&pages, &self.fonts, &self.subsets, &doc.meta).map_err(RenderError::Pdf)
    }
}
