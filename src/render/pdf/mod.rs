//! PDF renderer: the pages [`crate::layout`] sets, written with pdf-writer
//! and subsetter.
//!
//! [`write`] is the only code that writes PDF syntax; [`subset`] cuts the
//! faces down to a document's glyphs.

pub mod subset;
pub mod write;

use std::sync::Arc;

use crate::campaign::FontSettings;
use crate::doc::Document;
use crate::layout::fonts::FontSet;
use crate::layout::frame::Page;
use crate::layout::{FixedLayout, FontError, LayoutError};
use crate::render::{BoxError, Format, RenderError, Renderer, Setup};

/// The PDF in the registry ([`crate::render::Formats`]).
pub struct PdfFormat;

impl Format for PdfFormat {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn renderer(&self, setup: &Setup<'_>) -> Result<Box<dyn Renderer>, BoxError> {
        Ok(Box::new(PdfRenderer::with_layout(setup.fixed_layout()?)))
    }
}

/// Why the writer could not write laid-out pages (a failure of the layout
/// is a [`LayoutError`]).
#[derive(Debug, thiserror::Error)]
#[error("生成 PDF 失败：{0}")]
pub struct PdfError(pub String);

/// Renders documents to PDF. Holds the fixed layout (the parsed fonts) and
/// the subsets kept for reuse; cheap to share between threads.
pub struct PdfRenderer {
    layout: Arc<FixedLayout>,
    subsets: subset::SubsetCache,
}

impl PdfRenderer {
    /// Finds and parses the faces of every role once.
    pub fn new(fonts: &FontSettings) -> Result<PdfRenderer, FontError> {
        Ok(PdfRenderer::with_layout(Arc::new(FixedLayout::new(fonts)?)))
    }

    /// A renderer writing the pages of a layout loaded already.
    pub fn with_layout(layout: Arc<FixedLayout>) -> PdfRenderer {
        PdfRenderer {
            layout,
            subsets: subset::SubsetCache::default(),
        }
    }

    /// The loaded fonts.
    pub fn fonts(&self) -> &FontSet {
        self.layout.fonts()
    }

    /// The subsets kept for reuse across this renderer's documents.
    pub fn subsets(&self) -> &subset::SubsetCache {
        &self.subsets
    }

    /// Lays a document out without writing a PDF: the pages of positioned
    /// items, for tests and for checking layout decisions.
    pub fn layout(&self, doc: &Document) -> Result<Vec<Page>, LayoutError> {
        self.layout.pages(doc)
    }

    /// Writes laid-out pages as a PDF.
    pub fn write(&self, pages: &[Page], doc: &Document) -> Result<Vec<u8>, PdfError> {
        write::write_pdf(pages, self.fonts(), &self.subsets, &doc.meta).map_err(PdfError)
    }
}

impl Renderer for PdfRenderer {
    fn extension(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError> {
        let pages = self.layout(doc).map_err(RenderError::new)?;
        self.write(&pages, doc).map_err(RenderError::new)
    }
}
