//! Templates → document model: the only module that knows Handlebars.
//!
//! The office's templates (`templates/*.hbs`, editable without a rebuild,
//! described for the office in `templates/README.md`) produce a small
//! line-oriented markup ([`markup`]), which is parsed into
//! [`crate::doc::Document`]s. Data inserted by a template is escaped for the
//! markup, never for HTML: renderers escape for their own formats.
//!
//! - [`Templates`]: every template and helper, registered once, strict mode.
//! - [`render_template`]: any template with any JSON data, for `fucha render`.
//! - [`document_set`]: the season's documents from a checked batch, with the
//!   blocking rule (what waits while errors remain, or is drafted).
//! - [`DocumentKind`]: each kind's template, folder, file naming and
//!   blocking, defined once; its template data is a type in `kinds`.
//! - [`sample_list`]: the spot-check list of a draw ([`crate::sample`]).
//! - `publicity`: the 复查结果公示, as a document and as a web page.

pub(crate) mod data;
mod helpers;
mod kind;
mod kinds;
pub mod markup;
mod publicity;
#[cfg(test)]
mod readme_fields;
mod set;
mod spot;
mod templates;

pub use kind::{DRAFT_SUFFIX, DocumentKind, Subject, Withholding};
pub use kinds::{followup_documents, issued_notices, sample_list};
pub use publicity::{Publicity, WebPage, publicity_notice};
pub use set::{
    ComposedDocument, DocumentSet, Withheld, document_set, document_set_with_jobs, file_safe,
};
pub use templates::{TemplateError, Templates, render_template};
