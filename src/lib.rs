//! `fucha` (复查): the review pipeline of a city civilization office.
//!
//! The stages, in order, with plain data between them:
//!
//! 1. [`ingest`] reads spreadsheets (xlsx, xls, xlsb, ods, csv) into rows
//!    with their cell positions; it knows nothing of the domain.
//! 2. [`roster`] and [`campaign`] hold the reference data: the units due for
//!    review and the season's configuration.
//! 3. [`check`] applies the intake rules to the rows, producing
//!    [`review::ReviewResult`]s and [`diag::Diagnostic`]s with stable codes.
//!    [`rectify`] checks the rectification follow-up workbooks against the
//!    notices the register recorded.
//! 4. [`compose`] turns the checked batch into [`doc::Document`]s through the
//!    office's Handlebars templates.
//! 5. [`layout`] sets a document on GB/T 9704-2012 pages of positioned
//!    items, for the fixed-layout formats (PDF).
//! 6. [`render`] writes each document in the configured formats (DOCX and
//!    PDF), through the registry [`render::Formats`].
//! 7. [`pipeline`] runs the stages for the CLI and writes the output folder.
//!
//! [`serve`] is the clerk's workbench, a web front end on the register.
//!
//! [`synth`] makes synthetic campaigns of any size for benchmarks.

pub mod campaign;
pub mod check;
pub mod compose;
pub mod diag;
pub mod doc;
pub mod ingest;
pub mod intake;
pub mod layout;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod rectify;
pub mod register;
pub mod render;
pub mod review;
pub mod roster;
pub mod sample;
pub mod serve;
pub mod synth;
