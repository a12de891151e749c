//! Finishing the DOCX package: what docx-rs cannot express, and what would
//! make two renders of one document differ.
//!
//! docx-rs writes the parts; we then reopen its zip and write a new one with
//! - `w:tblHeader` on the first row of every table (docx-rs has no API);
//! - `w14:paraId`s renumbered from 1 (docx-rs draws them from a per-thread
//!   counter, so they depend on what the thread rendered before);
//! - our own settings, styles, font table and core properties (`parts`):
//!   schema order, zh-CN defaults, dates from the document's metadata
//!   instead of the Unix epoch;
//! - property elements sorted into the schema's order (`order`);
//! - every zip entry stamped with the document date, deflated, in the
//!   order docx-rs wrote them.

use super::order::schema_order;
use super::parts::OwnParts;
use crate::doc::Meta;
use chrono::Datelike;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// Rewrites the package produced by docx-rs. Errors are messages for
/// [`crate::render::RenderError::Docx`].
pub(crate) fn finish(raw: &[u8], meta: &Meta, own: &OwnParts) -> Result<Vec<u8>, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(raw)).map_err(|e| format!("无法读取 DOCX 包：{e}"))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(meta))
        .unix_permissions(0o644);
    let mut para_ids = 0u32;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("无法读取 DOCX 包：{e}"))?;
        let name = entry
            .name()
            .map_err(|e| format!("无法读取 DOCX 包：{e}"))?
            .into_owned();
        if entry.is_dir() || UNUSED_PARTS.contains(&name.as_str()) {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("无法读取 DOCX 部件 {name}：{e}"))?;
        let bytes = match own.get(&name) {
            Some(text) => text.as_bytes().to_vec(),
            None => transform(&name, bytes, &mut para_ids)?,
        };
        out.start_file(name.as_str(), options)
            .map_err(|e| format!("无法写入 DOCX 部件 {name}：{e}"))?;
        out.write_all(&bytes)
            .map_err(|e| format!("无法写入 DOCX 部件 {name}：{e}"))?;
    }
    let cursor = out.finish().map_err(|e| format!("无法写入 DOCX 包：{e}"))?;
    Ok(cursor.into_inner())
}

/// Parts docx-rs always writes but our documents never use (no comments,
/// footnotes or lists). They are dropped, with their content types and
/// relationships, so Word has nothing stale to validate.
const UNUSED_PARTS: [&str; 4] = [
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/numbering.xml",
    "word/footnotes.xml",
];

/// Removes every element `<{tag} … {attr}="{value}" … />` whose attribute
/// names one of the dropped parts.
fn drop_references(xml: &str, tag: &str, attr: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = xml.to_string();
    for part in UNUSED_PARTS {
        let needle = format!("{attr}=\"{}\"", value(part));
        while let Some(at) = out.find(&needle) {
            let Some(start) = out[..at].rfind(&format!("<{tag} ")) else {
                break;
            };
            let Some(len) = out[start..].find("/>") else {
                break;
            };
            out.replace_range(start..start + len + 2, "");
        }
    }
    out
}

/// Edits a story (the body, a header or a footer) and the lists that name
/// parts; other parts pass as they are.
fn transform(name: &str, bytes: Vec<u8>, ids: &mut u32) -> Result<Vec<u8>, String> {
    if name == "[Content_Types].xml" || name == "word/_rels/document.xml.rels" {
        let xml = String::from_utf8(bytes).map_err(|e| format!("{name} 不是 UTF-8：{e}"))?;
        let xml = if name == "[Content_Types].xml" {
            drop_references(&xml, "Override", "PartName", |p| format!("/{p}"))
        } else {
            drop_references(&xml, "Relationship", "Target", |p| {
                p.trim_start_matches("word/").to_string()
            })
        };
        return Ok(xml.into_bytes());
    }
    let is_story = name == "word/document.xml"
        || (name.starts_with("word/footer") || name.starts_with("word/header"))
            && name.ends_with(".xml");
    if !is_story {
        return Ok(bytes);
    }
    let mut xml = String::from_utf8(bytes).map_err(|e| format!("{name} 不是 UTF-8：{e}"))?;
    if name == "word/document.xml" {
        xml = mark_header_rows(&xml);
        xml = drop_grid_column_types(&xml);
    }
    xml = renumber_para_ids(&xml, ids);
    Ok(schema_order(&xml).into_bytes())
}

/// The zip timestamp: the document date at midnight (zip cannot go before 1980).
fn zip_time(meta: &Meta) -> zip::DateTime {
    let d = meta.date;
    let year = d.year().clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(year, d.month() as u8, d.day() as u8, 0, 0, 0)
        .unwrap_or_default()
}

/// Adds `<w:tblHeader/>` to the first row of every table, so Word and
/// LibreOffice repeat it on each page the table spans; floating tables
/// (the 版记) have no header row and are left alone.
pub(crate) fn mark_header_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml;
    while let Some(tbl) = rest.find("<w:tbl>") {
        let (head, tail) = rest.split_at(tbl);
        out.push_str(head);
        // The first row's properties follow the table's own tblPr/tblGrid.
        let Some(row) = tail.find("<w:tr>").or_else(|| tail.find("<w:tr ")) else {
            rest = tail;
            break;
        };
        if tail[..row].contains("<w:tblpPr") {
            out.push_str(&tail[..row]);
            rest = &tail[row..];
            continue;
        }
        let row_tail = &tail[row..];
        let open = row_tail.find('>').map(|i| i + 1).unwrap_or(row_tail.len());
        let after_open = &row_tail[open..];
        out.push_str(&tail[..row + open]);
        if let Some(props) = after_open.strip_prefix("<w:trPr>") {
            out.push_str("<w:trPr><w:tblHeader />");
            rest = props;
        } else if let Some(props) = after_open.strip_prefix("<w:trPr />") {
            out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = props;
        } else {
            out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = after_open;
        }
    }
    out.push_str(rest);
    out
}

/// Removes the `w:type` docx-rs puts on `w:gridCol`, an attribute the
/// schema does not have (only `w:w`).
fn drop_grid_column_types(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("<w:gridCol ") {
        let end = at + rest[at..].find('>').map_or(rest.len() - at, |e| e + 1);
        out.push_str(&rest[..at]);
        out.push_str(&rest[at..end].replace(" w:type=\"dxa\"", ""));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces each `w14:paraId="…"` with the next number of a sequence that
/// runs across the package's parts.
fn renumber_para_ids(xml: &str, next: &mut u32) -> String {
    const ATTR: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(ATTR) {
        let start = at + ATTR.len();
        out.push_str(&rest[..start]);
        let value_end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        *next += 1;
        out.push_str(&format!("{:08X}", *next));
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_row_of_each_table_is_a_header() {
        let xml = "<w:tbl><w:tblPr /><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>\
                   <w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>\
                   <w:tbl><w:tr><w:trPr /></w:tr></w:tbl>\
                   <w:tbl><w:tblPr><w:tblpPr /></w:tblPr><w:tr><w:trPr /></w:tr></w:tbl>";
        let out = mark_header_rows(xml);
        assert_eq!(out.matches("<w:tblHeader />").count(), 2);
        assert!(out.starts_with(
            "<w:tbl><w:tblPr /><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit />"
        ));
    }

    #[test]
    fn para_ids_run_across_parts() {
        let mut n = 0;
        let a = renumber_para_ids(
            r#"<w:p w14:paraId="0000abcd"/><w:p w14:paraId="00000003"/>"#,
            &mut n,
        );
        let b = renumber_para_ids(r#"<w:p w14:paraId="00000001"/>"#, &mut n);
        assert_eq!(
            a,
            r#"<w:p w14:paraId="00000001"/><w:p w14:paraId="00000002"/>"#
        );
        assert_eq!(b, r#"<w:p w14:paraId="00000003"/>"#);
    }
}
