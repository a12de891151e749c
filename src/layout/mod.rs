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

pub use fonts::FontError;

#[cfg(test)]
mod tests;
