//! Fixed layout: a [`Document`](crate::doc::Document) set on GB/T 9704-2012
//! pages of positioned items, for every writer of a fixed-layout format
//! (PDF now). Nothing here knows a file format.
//!
//! The steps, each in its own module: [`fonts`] finds and parses the faces
//! once; [`text`] measures; [`linebreak`] and [`paginate`] are pure and turn
//! the document into [`frame`]s (pages of positioned items); [`geometry`]
//! holds every number of the page, and [`table`] the column plan both the
//! PDF and the DOCX follow.

pub mod flow;
pub mod fonts;
pub mod frame;
pub mod geometry;
pub mod linebreak;
pub mod paginate;
pub mod table;
pub mod text;

pub use flow::LayoutError;
pub use fonts::FontError;

use crate::campaign::FontSettings;
use crate::doc::Document;
use fonts::{CachedShaper, FontSet};
use frame::Page;

/// The faces of every role, found and parsed once per run, and the pages
/// they give a document. Every fixed-layout writer takes its pages from here
/// and only writes them; shared between threads and between writers.
pub struct FixedLayout {
    fonts: FontSet,
}

impl FixedLayout {
    /// Finds and parses the faces of every role once.
    pub fn new(fonts: &FontSettings) -> Result<FixedLayout, FontError> {
        Ok(FixedLayout {
            fonts: FontSet::load(fonts)?,
        })
    }

    /// The loaded faces (the PDF embeds them).
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// Lays a document out: its pages of positioned items (frames).
    pub fn pages(&self, doc: &Document) -> Result<Vec<Page>, LayoutError> {
        paginate::paginate(doc, &CachedShaper::new(&self.fonts))
    }
}

#[cfg(test)]
mod tests;
