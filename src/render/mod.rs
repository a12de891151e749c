//! Renderers: one [`Document`] in, the bytes of one file out.
//!
//! A renderer is a small trait so that a new format (OFD, say) is one more
//! implementation; the pipeline does not know which formats exist.

use crate::doc::Document;

pub mod docx;
pub mod pdf;

/// Errors of a renderer; each says which document and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A DOCX could not be produced.
    #[error("生成 DOCX 失败：{0}")]
    Docx(String),
    /// A PDF could not be produced.
    #[error("生成 PDF 失败：{0}")]
    Pdf(String),
    /// No font in a role's chain has a character of the document.
    #[error(
        "字体缺字：“{ch}”（U+{code:04X}，出自“{context}”）在{role}的所有字体中都没有，已尝试：{tried}。请安装含该字的字体，或在 fucha.toml 的 [fonts] 中加入"
    )]
    MissingGlyph {
        /// The character.
        ch: char,
        /// Its code point.
        code: u32,
        /// The text it came from (a unit name, a field).
        context: String,
        /// The role's Chinese name.
        role: String,
        /// The faces tried, in order.
        tried: String,
    },
}

/// A document format.
pub trait Renderer: Send + Sync {
    /// The file extension, without the dot: `docx`, `pdf`.
    fn extension(&self) -> &'static str;
    /// Renders one document to the bytes of one file. Must be deterministic:
    /// the same document gives the same bytes.
    fn render(&self, doc: &Document) -> Result<Vec<u8>, RenderError>;
}
