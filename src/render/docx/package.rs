//! The DOCX package: its parts, in a fixed order, zipped once.
//!
//! The zip is deterministic: every entry is stamped with the document date
//! (never the clock), deflated, and written in the order below, which is
//! the order docx-rs used, so files written before and after this module
//! replaced it can be compared entry by entry.
//!
//! The package has no comments, footnotes, numbering or images: only the
//! parts a document of ours uses, so Word has nothing stale to validate.

use super::parts::OwnParts;
use crate::doc::Meta;
use chrono::Datelike;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// The parts that change from one document to the next.
pub(crate) struct Parts {
    pub(crate) document: String,
    /// Footers of odd and even pages (`footer1.xml`, `footer2.xml`).
    pub(crate) footers: [String; 2],
    pub(crate) own: OwnParts,
}

/// Zips the package. Errors are messages for
/// [`crate::render::RenderError::Docx`].
pub(crate) fn zip(parts: &Parts, meta: &Meta) -> Result<Vec<u8>, String> {
    let own = &parts.own;
    let entries: [(&str, &str); 14] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("docProps/app.xml", APP_PROPERTIES),
        ("docProps/core.xml", &own.core),
        ("docProps/custom.xml", CUSTOM_PROPERTIES),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", &parts.document),
        ("word/styles.xml", &own.styles),
        ("word/settings.xml", &own.settings),
        ("word/fontTable.xml", &own.font_table),
        ("word/footer1.xml", &parts.footers[0]),
        ("word/_rels/footer1.xml.rels", NO_RELS),
        ("word/footer2.xml", &parts.footers[1]),
        ("word/_rels/footer2.xml.rels", NO_RELS),
    ];
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(meta))
        .unix_permissions(0o644);
    // Word XML deflates to about a sixth.
    let capacity = parts.document.len() / 6 + 16 * 1024;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(capacity)));
    for (name, text) in entries {
        out.start_file(name, options)
            .and_then(|()| Ok(out.write_all(text.as_bytes())?))
            .map_err(|e| format!("无法写入 DOCX 部件 {name}：{e}"))?;
    }
    let cursor = out.finish().map_err(|e| format!("无法写入 DOCX 包：{e}"))?;
    Ok(cursor.into_inner())
}

/// The zip timestamp: the document date at midnight (zip cannot go before 1980).
fn zip_time(meta: &Meta) -> zip::DateTime {
    let d = meta.date;
    let year = d.year().clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(year, d.month() as u8, d.day() as u8, 0, 0, 0)
        .unwrap_or_default()
}

/// Content types: every part by name. The image defaults are unused; they
/// are kept from docx-rs's list so the part stayed byte for byte the same.
const CONTENT_TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    "<Default ContentType=\"image/png\" Extension=\"png\" />",
    "<Default ContentType=\"image/jpeg\" Extension=\"jpeg\" />",
    "<Default ContentType=\"image/jpg\" Extension=\"jpg\" />",
    "<Default ContentType=\"image/bmp\" Extension=\"bmp\" />",
    "<Default ContentType=\"image/gif\" Extension=\"gif\" />",
    "<Default ContentType=\"application/vnd.openxmlformats-package.relationships+xml\" Extension=\"rels\" />",
    "<Default ContentType=\"application/xml\" Extension=\"xml\" />",
    "<Override PartName=\"/_rels/.rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\" />",
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\" />",
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\" />",
    "<Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\" />",
    "<Override PartName=\"/word/_rels/document.xml.rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\" />",
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\" />",
    "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\" />",
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\" />",
    "<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\" />",
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\" />",
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\" />",
    "</Types>"
);

/// The package's relationships: properties and the main document.
const PACKAGE_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\" />",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\" />",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\" />",
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\" />",
    "</Relationships>"
);

/// The document's relationships; the footer ids are the ones `write` puts
/// in `w:sectPr`.
const DOCUMENT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\" />",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\" />",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\" />",
    "<Relationship Id=\"rIdFooter1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\" />",
    "<Relationship Id=\"rIdFooter2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\" />",
    "</Relationships>"
);

/// A footer's relationships: none (kept as docx-rs wrote them).
const NO_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\" />"
);

/// Empty application and custom properties.
const APP_PROPERTIES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" ",
    "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\" />"
);
const CUSTOM_PROPERTIES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" ",
    "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\" />"
);
