//! Templates → document model: the only module that knows Handlebars.
//!
//! The office's templates (`templates/*.hbs`, editable without a rebuild)
//! produce a small line-oriented markup ([`markup`]), which is parsed into
//! [`crate::doc::Document`]s. [`document_set`] decides which documents a
//! checked batch yields and which wait while errors remain.
//!
//! - [`Templates`]: every template and helper, registered once, strict mode.
//! - [`render_template`]: any template with any JSON data, for `fucha render`.
//! - [`document_set`]: the season's documents from a checked batch.

pub(crate) mod data;
mod helpers;
pub mod markup;
mod set;
mod templates;

pub use set::{ComposedDocument, DRAFT_SUFFIX, DocumentSet, Withheld, document_set, file_safe};
pub use templates::{TemplateError, Templates, render_template};

pub(crate) use set::compose_one;
