//! OFD renderer (GB/T 33190-2016): the pages [`crate::layout`] sets,
//! written as an OFD package, the fixed-layout format Chinese government
//! bodies exchange electronic official documents in.
//!
//! The same frames as the PDF, a second writer: [`page`] turns each page
//! into text and path objects in millimetres, [`fonts`] embeds every face
//! used as a subset with a `cmap` ([`sfnt`]), [`tags`] records the 公文
//! elements (发文字号, 签发人, …) as metadata and tags, and [`package`]
//! zips it all deterministically. `docs/ofd.md` says what is written where.

mod fonts;
mod package;
mod page;
mod sfnt;
mod tags;
mod xml;

use std::sync::Arc;

use crate::campaign::FontSettings;
use crate::doc::Document;
use crate::layout::frame::Page;
use crate::layout::{FixedLayout, FontError, LayoutError};
use crate::render::{BoxError, Format, RenderError, Renderer, Setup};

use package::Entry;
use page::{Ids, PageContext};

/// The OFD in the registry ([`crate::render::Formats`]).
pub struct OfdFormat;

impl Format for OfdFormat {
    fn name(&self) -> &'static str {
        "ofd"
    }

    fn renderer(&self, setup: &Setup<'_>) -> Result<Box<dyn Renderer>, BoxError> {
        Ok(Box::new(OfdRenderer::with_layout(setup.fixed_layout()?)))
    }
}

/// Why laid-out pages could not be written as OFD (a failure of the
/// layout is a [`LayoutError`]).
#[derive(Debug, thiserror::Error)]
#[error("生成 OFD 失败：{0}")]
pub struct OfdError(pub String);

/// Renders documents to OFD. Holds the fixed layout (the parsed fonts) and
/// the subsets kept for reuse; cheap to share between threads.
pub struct OfdRenderer {
    layout: Arc<FixedLayout>,
    subsets: fonts::SubsetCache,
}

impl OfdRenderer {
    /// Finds and parses the faces of every role once.
    pub fn new(fonts: &FontSettings) -> Result<OfdRenderer, FontError> {
        Ok(OfdRenderer::with_layout(Arc::new(FixedLayout::new(fonts)?)))
    }

    /// A renderer writing the pages of a layout loaded already.
    pub fn with_layout(layout: Arc<FixedLayout>) -> OfdRenderer {
        OfdRenderer {
            layout,
            subsets: fonts::SubsetCache::default(),
        }
    }

    /// Lays a document out without writing it: the pages of positioned
    /// items, the same the PDF writer gets.
    pub fn layout(&self, doc: &Document) -> Result<Vec<Page>, LayoutError> {
        self.layout.pages(doc)
    }

    /// Writes laid-out pages as an OFD package.
    pub fn write(&self, pages: &[Page], doc: &Document) -> Result<Vec<u8>, OfdError> {
        let fonts = self.layout.fonts();
        let mut ids = Ids::new();
        let color_space = ids.next();
        let used = fonts::used_faces(pages, fonts.faces().len(), &mut ids);
        let mut font_ids = vec![None; fonts.faces().len()];
        for u in &used {
            font_ids[u.face as usize] = Some(u.id);
        }

        let mut texts = page::WrittenTexts::default();
        let mut page_ids = Vec::with_capacity(pages.len());
        let mut contents = Vec::with_capacity(pages.len());
        for page in pages {
            let page_id = ids.next();
            let cx = PageContext {
                font_ids: &font_ids,
                page_id,
            };
            contents.push(page::content(page, &cx, &mut ids, &mut texts));
            page_ids.push(page_id);
        }
        let elements = tags::elements(doc, &texts);
        let tag_file = tags::tag_file(&elements);

        let programs = used
            .iter()
            .map(|u| self.subsets.program(fonts, u))
            .collect::<Result<Vec<_>, _>>()
            .map_err(OfdError)?;
        let entry = package::entry(doc, &elements);
        let document = package::document(ids.max(), color_space, &page_ids, tag_file.is_some());
        let public_res = package::public_res(color_space, fonts, &used);

        let mut entries = vec![
            part("OFD.xml", &entry),
            part("Doc_0/Document.xml", &document),
            part("Doc_0/PublicRes.xml", &public_res),
        ];
        for (n, content) in contents.iter().enumerate() {
            entries.push(part(&format!("Doc_0/Pages/Page_{n}/Content.xml"), content));
        }
        for (u, program) in used.iter().zip(&programs) {
            entries.push(Entry {
                name: format!("Doc_0/Res/{}", package::font_file(u, fonts)),
                bytes: program,
            });
        }
        if let Some(tag_file) = &tag_file {
            entries.push(part("Doc_0/Tags/CustomTags.xml", tags::CUSTOM_TAGS_INDEX));
            entries.push(part("Doc_0/Tags/Gongwen.xml", tag_file));
        }
        package::zip(&entries, doc.meta.date).map_err(OfdError)
    }
}

/// An XML part of the package.
fn part<'a>(name: &str, text: &'a str) -> Entry<'a> {
    Entry {
        name: name.to_string(),
        bytes: text.as_bytes(),
    }
}

impl Renderer for OfdRenderer {
    fn extension(&self) -> &'static str {
        "ofd"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError> {
        let pages = self.layout(doc).map_err(RenderError::new)?;
        self.write(&pages, doc).map_err(RenderError::new)
    }
}
