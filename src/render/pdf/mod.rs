//! PDF renderer: GB/T 9704-2012 layout with our own line breaking and
//! pagination, written with printpdf.
//!
//! The steps, each in its own module: [`fonts`] finds and parses the faces
//! once; [`text`] measures; [`linebreak`] and [`paginate`] are pure and turn
//! the document into pages of positioned items; [`write`] is the only code
//! that talks to printpdf.

pub mod fonts;
pub mod geometry;
pub mod linebreak;
pub mod text;

pub use fonts::FontError;
