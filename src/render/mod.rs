//! Renderers: one [`Document`] in, the bytes of one file out.
//!
//! The formats fucha writes are known in one place, the registry
//! [`Formats`]: the pipeline and the CLI ask it for renderers by the names
//! in `fucha.toml` (`[output] formats`) or by a file's extension, and never
//! name a format themselves. A new format (OFD, say) is one [`Format`]
//! implementation and one line in [`Formats::default_set`]; from outside the
//! crate, [`Formats::with`] adds one to a registry.
//!
//! Fixed-layout formats (PDF) take their pages from
//! [`crate::layout::FixedLayout`], which [`Setup`] loads once per run for
//! every format that asks, and only write them.

use crate::campaign::FontSettings;
use crate::doc::Document;
use crate::layout::{FixedLayout, FontError};
use std::error::Error;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

pub mod docx;
pub mod ofd;
pub mod pdf;
pub(crate) mod xml;

/// A boxed error of any renderer.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// A renderer's failure: the renderer's own error (a
/// [`crate::layout::LayoutError`], a [`pdf::PdfError`], a
/// [`docx::DocxError`], ...) behind one type, its message and causes
/// unchanged. [`RenderError::downcast_ref`] gets the renderer's type back.
#[derive(Debug)]
pub struct RenderError(BoxError);

impl RenderError {
    /// Wraps a renderer's own error.
    pub fn new(error: impl Into<BoxError>) -> RenderError {
        RenderError(error.into())
    }

    /// The renderer's own error, if it is an `E`.
    pub fn downcast_ref<E: Error + 'static>(&self) -> Option<&E> {
        self.0.downcast_ref()
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Transparent: the renderer's error speaks for itself.
        self.0.fmt(f)
    }
}

impl Error for RenderError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

/// A renderer for one run.
pub trait Renderer: Send + Sync {
    /// The file extension, without the dot: `docx`, `pdf`.
    fn extension(&self) -> &'static str;
    /// Renders one document to the bytes of one file. Must be deterministic:
    /// the same document gives the same bytes.
    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError>;
}

/// A format fucha can write: its name and how to make its renderer.
pub trait Format: Send + Sync {
    /// The name in `fucha.toml` and the file extension: `docx`, `pdf`.
    fn name(&self) -> &'static str;
    /// Makes the renderer of a run; fails when the format cannot be
    /// written at all this run (no face for a role, say).
    fn renderer(&self, setup: &Setup<'_>) -> Result<Box<dyn Renderer>, BoxError>;
}

/// What formats need to make their renderers, loaded once per run and
/// shared: the font settings and, when a format asks, the fixed layout.
pub struct Setup<'a> {
    fonts: &'a FontSettings,
    layout: OnceLock<Result<Arc<FixedLayout>, Arc<FontError>>>,
}

impl<'a> Setup<'a> {
    /// Nothing loaded yet.
    pub fn new(fonts: &'a FontSettings) -> Setup<'a> {
        Setup {
            fonts,
            layout: OnceLock::new(),
        }
    }

    /// The configured fonts.
    pub fn fonts(&self) -> &'a FontSettings {
        self.fonts
    }

    /// The fixed layout, its faces found and parsed on the first call only.
    pub fn fixed_layout(&self) -> Result<Arc<FixedLayout>, Arc<FontError>> {
        self.layout
            .get_or_init(|| FixedLayout::new(self.fonts).map(Arc::new).map_err(Arc::new))
            .clone()
    }
}

/// A format whose renderer could not be made this run; the other formats
/// are still written.
#[derive(Debug)]
pub struct RendererUnavailable {
    /// The format's name.
    pub format: String,
    /// The format's own error.
    pub cause: BoxError,
}

impl fmt::Display for RendererUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "未生成 {}", self.format.to_ascii_uppercase())
    }
}

impl Error for RendererUnavailable {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.cause)
    }
}

/// The renderers made for a run, in the order asked, and the formats that
/// could not be made.
#[derive(Default)]
pub struct Renderers {
    /// Ready to render.
    pub ready: Vec<Box<dyn Renderer>>,
    /// Could not be made.
    pub unavailable: Vec<RendererUnavailable>,
}

impl Renderers {
    /// The ready renderers, as the pipeline takes them.
    pub fn as_refs(&self) -> Vec<&dyn Renderer> {
        self.ready.iter().map(|r| &**r).collect()
    }
}

/// The registry: every format fucha can write, by name.
pub struct Formats {
    formats: Vec<Box<dyn Format>>,
}

impl Formats {
    /// The formats fucha writes: DOCX, PDF and OFD. A new format is one more line here.
    pub fn default_set() -> Formats {
        Formats::empty()
            .with(docx::DocxFormat)
            .with(pdf::PdfFormat)
            .with(ofd::OfdFormat)
    }

    /// No format at all.
    pub fn empty() -> Formats {
        Formats {
            formats: Vec::new(),
        }
    }

    /// This registry with `format` added (replacing one of the same name).
    pub fn with(mut self, format: impl Format + 'static) -> Formats {
        self.formats.retain(|f| f.name() != format.name());
        self.formats.push(Box::new(format));
        self
    }

    /// The names, in registry order.
    pub fn names(&self) -> Vec<&'static str> {
        self.formats.iter().map(|f| f.name()).collect()
    }

    /// The format of that name.
    pub fn get(&self, name: &str) -> Option<&dyn Format> {
        self.formats.iter().find(|f| f.name() == name).map(|f| &**f)
    }

    /// The format a file name's extension names, in any case.
    pub fn by_extension(&self, path: &Path) -> Option<&dyn Format> {
        let ext = path.extension()?.to_str()?.to_lowercase();
        self.get(&ext)
    }

    /// The renderer of one format, or why it is unavailable.
    pub fn renderer(
        &self,
        name: &str,
        setup: &Setup<'_>,
    ) -> Result<Box<dyn Renderer>, RendererUnavailable> {
        let unavailable = |cause| RendererUnavailable {
            format: name.to_string(),
            cause,
        };
        let format = self.get(name).ok_or_else(|| {
            let known = self.names().join("、");
            unavailable(format!("没有这种格式，可用的有：{known}").into())
        })?;
        format.renderer(setup).map_err(unavailable)
    }

    /// The renderers of the named formats (each once, in the order given),
    /// sharing one [`Setup`].
    pub fn renderers<S: AsRef<str>>(&self, names: &[S], fonts: &FontSettings) -> Renderers {
        let setup = Setup::new(fonts);
        let mut seen = Vec::new();
        let mut out = Renderers::default();
        for name in names.iter().map(AsRef::as_ref) {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            match self.renderer(name, &setup) {
                Ok(r) => out.ready.push(r),
                Err(e) => out.unavailable.push(e),
            }
        }
        out
    }
}
