//! The DOCX package: its parts, in a fixed order, zipped once.
//!
//! The zip is deterministic: every entry is stamped with the document date
//! (never the clock), deflated, and written in the order below, which is
//! the order docx-rs used, so files written before and after this module
//! replaced it can be compared entry by entry.
//!
//! Ten of the fourteen parts are the same for every document of a batch
//! (they depend on the configured fonts at most). They are deflated once,
//! when the renderer is made, and copied into each package compressed:
//! starting a deflate stream costs more than these small parts, and most
//! of a batch is small documents.
//!
//! The package has no comments, footnotes, numbering or images: only the
//! parts a document of ours uses, so Word has nothing stale to validate.

use super::parts;
use super::text::RoleFonts;
use crate::doc::Meta;
use chrono::Datelike;
use std::io::{Cursor, Write};
use std::sync::Arc;
use zip::ZipArchive;
use zip::write::SimpleFileOptions;

/// Every part, in the package's order.
const ORDER: [&str; 14] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/app.xml",
    "docProps/core.xml",
    "docProps/custom.xml",
    "word/_rels/document.xml.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/footer1.xml",
    "word/_rels/footer1.xml.rels",
    "word/footer2.xml",
    "word/_rels/footer2.xml.rels",
];

/// The parts that change from one document to the next.
pub(crate) struct Parts {
    pub(crate) core: String,
    pub(crate) document: String,
    /// Footers of odd and even pages (`footer1.xml`, `footer2.xml`).
    pub(crate) footers: [String; 2],
}

impl Parts {
    /// The text of a part that changes, by name; `None` for a fixed part.
    fn text(&self, name: &str) -> Option<&str> {
        match name {
            "docProps/core.xml" => Some(&self.core),
            "word/document.xml" => Some(&self.document),
            "word/footer1.xml" => Some(&self.footers[0]),
            "word/footer2.xml" => Some(&self.footers[1]),
            _ => None,
        }
    }
}

/// The parts that are the same for every document of a renderer, as a zip
/// of their own to copy entries from.
#[derive(Debug, Clone)]
pub(crate) struct FixedParts {
    archive: ZipArchive<Cursor<Arc<[u8]>>>,
}

impl FixedParts {
    pub(crate) fn new(fonts: &RoleFonts) -> Result<FixedParts, String> {
        let texts = [
            ("[Content_Types].xml", CONTENT_TYPES.to_string()),
            ("_rels/.rels", PACKAGE_RELS.to_string()),
            ("docProps/app.xml", APP_PROPERTIES.to_string()),
            ("docProps/custom.xml", CUSTOM_PROPERTIES.to_string()),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
            ("word/styles.xml", parts::styles(fonts)),
            ("word/settings.xml", parts::settings()),
            ("word/fontTable.xml", parts::font_table(fonts)),
            ("word/_rels/footer1.xml.rels", NO_RELS.to_string()),
            ("word/_rels/footer2.xml.rels", NO_RELS.to_string()),
        ];
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in texts {
            out.start_file(name, options(zip::DateTime::default()))
                .and_then(|()| Ok(out.write_all(text.as_bytes())?))
                .map_err(|e| format!("无法写入 DOCX 部件 {name}：{e}"))?;
        }
        let bytes = out
            .finish()
            .map_err(|e| format!("无法写入 DOCX 包：{e}"))?
            .into_inner();
        let archive = ZipArchive::new(Cursor::new(Arc::from(bytes)))
            .map_err(|e| format!("无法读取 DOCX 包：{e}"))?;
        Ok(FixedParts { archive })
    }
}

/// Deflated, read-write for everyone who may read, stamped `time`.
fn options(time: zip::DateTime) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644)
}

/// Zips the package. Errors are messages for
/// [`super::DocxError`].
pub(crate) fn zip(parts: &Parts, fixed: &FixedParts, meta: &Meta) -> Result<Vec<u8>, String> {
    let time = zip_time(meta);
    let mut fixed = fixed.archive.clone();
    // Word XML deflates to about a sixth.
    let capacity = parts.document.len() / 6 + 16 * 1024;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(capacity)));
    for name in ORDER {
        let written = match parts.text(name) {
            Some(text) => out
                .start_file(name, options(time))
                .and_then(|()| Ok(out.write_all(text.as_bytes())?)),
            None => fixed
                .by_name_raw(name.as_bytes())
                .and_then(|file| out.raw_copy_file_touch(file, time, Some(0o644))),
        };
        written.map_err(|e| format!("无法写入 DOCX 部件 {name}：{e}"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::FontSettings;
    use std::io::Read;

    #[test]
    fn every_part_is_written_in_order_with_the_document_date() {
        let fonts = RoleFonts::new(&FontSettings::default());
        let fixed = FixedParts::new(&fonts).unwrap();
        let parts = Parts {
            core: "core".into(),
            document: "document".into(),
            footers: ["odd".into(), "even".into()],
        };
        let meta = Meta {
            date: chrono::NaiveDate::from_ymd_opt(2020, 10, 9).unwrap(),
            ..Meta::default()
        };
        let bytes = zip(&parts, &fixed, &meta).unwrap();
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let names: Vec<&[u8]> = archive.file_names_raw().collect();
        let expected: Vec<&[u8]> = ORDER.iter().map(|n| n.as_bytes()).collect();
        assert_eq!(names, expected);
        for name in ORDER {
            let mut entry = archive.by_name(name).unwrap();
            let when = entry.last_modified().unwrap();
            assert_eq!((when.year(), when.month(), when.day()), (2020, 10, 9));
            assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            match name {
                "word/document.xml" => assert_eq!(text, "document"),
                "word/footer2.xml" => assert_eq!(text, "even"),
                "word/styles.xml" => assert_eq!(text, parts::styles(&fonts)),
                _ => assert!(!text.is_empty()),
            }
        }
    }
}
