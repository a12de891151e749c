//! Finishing the DOCX package: what docx-rs cannot express, and what would
//! make two renders of one document differ.
//!
//! docx-rs writes the parts; we then reopen its zip and write a new one with
//! - `w:tblHeader` on the first row of every table (docx-rs has no API);
//! - `w:lang w:eastAsia="zh-CN"` and no automatic Chinese/Latin spacing
//!   in the document defaults (no API either);
//! - `w14:paraId`s renumbered from 1 (docx-rs draws them from a per-thread
//!   counter, so they depend on what the thread rendered before);
//! - our own `word/fontTable.xml`, declaring the Chinese faces as GB2312
//!   fonts with the name Windows has as a fallback (`w:altName`);
//! - our own `docProps/core.xml`: title, author, and dates from the
//!   document's metadata instead of the Unix epoch;
//! - property elements sorted into the schema's order (`order`);
//! - every zip entry stamped with the document date, deflated, in the
//!   order docx-rs wrote them.

use super::order::schema_order;
use crate::doc::Meta;
use chrono::Datelike;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// Rewrites the package produced by docx-rs. Errors are messages for
/// [`crate::render::RenderError::Docx`].
pub(crate) fn finish(raw: &[u8], meta: &Meta, font_table: &str) -> Result<Vec<u8>, String> {
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
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("无法读取 DOCX 部件 {name}：{e}"))?;
        let bytes = if name == "word/fontTable.xml" {
            font_table.as_bytes().to_vec()
        } else {
            transform(&name, bytes, meta, &mut para_ids)?
        };
        out.start_file(name.as_str(), options)
            .map_err(|e| format!("无法写入 DOCX 部件 {name}：{e}"))?;
        out.write_all(&bytes)
            .map_err(|e| format!("无法写入 DOCX 部件 {name}：{e}"))?;
    }
    let cursor = out.finish().map_err(|e| format!("无法写入 DOCX 包：{e}"))?;
    Ok(cursor.into_inner())
}

fn transform(name: &str, bytes: Vec<u8>, meta: &Meta, ids: &mut u32) -> Result<Vec<u8>, String> {
    let is_story = name == "word/document.xml"
        || (name.starts_with("word/footer") || name.starts_with("word/header"))
            && name.ends_with(".xml");
    let edit = is_story || name == "word/styles.xml";
    if name == "docProps/core.xml" {
        return Ok(core_properties(meta).into_bytes());
    }
    if !edit {
        return Ok(bytes);
    }
    let mut xml = String::from_utf8(bytes).map_err(|e| format!("{name} 不是 UTF-8：{e}"))?;
    if name == "word/document.xml" {
        xml = mark_header_rows(&xml);
    }
    if is_story {
        xml = renumber_para_ids(&xml, ids);
    }
    if name == "word/styles.xml" {
        xml = add_document_defaults(&xml)?;
    }
    xml = schema_order(&xml);
    Ok(xml.into_bytes())
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

/// Document defaults docx-rs cannot write:
/// - the text is Chinese (zh-CN), so Word's East Asian line breaking
///   (kinsoku) and punctuation rules apply;
/// - no automatic space between Chinese and digits or Latin
///   (`autoSpaceDE`/`autoSpaceDN` off): it would push `2020年10月9日` off
///   the 28-character grid and make widths unpredictable.
fn add_document_defaults(xml: &str) -> Result<String, String> {
    const LANG: &str = "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\" />";
    const NO_AUTOSPACE: &str = "<w:autoSpaceDE w:val=\"0\" /><w:autoSpaceDN w:val=\"0\" />";
    let run_defaults = xml
        .find("<w:rPrDefault>")
        .ok_or("styles.xml 缺少 w:rPrDefault")?;
    let close = xml[run_defaults..]
        .find("</w:rPr>")
        .map(|i| run_defaults + i)
        .ok_or("styles.xml 的 w:rPrDefault 缺少 w:rPr")?;
    let xml = format!("{}{LANG}{}", &xml[..close], &xml[close..]);
    const PARA_DEFAULTS: &str = "<w:pPrDefault><w:pPr>";
    let at = xml
        .find(PARA_DEFAULTS)
        .ok_or("styles.xml 缺少 w:pPrDefault")?
        + PARA_DEFAULTS.len();
    Ok(format!("{}{NO_AUTOSPACE}{}", &xml[..at], &xml[at..]))
}

/// `docProps/core.xml` from the document's metadata; never the clock.
fn core_properties(meta: &Meta) -> String {
    let when = format!("{}T00:00:00Z", meta.date.format("%Y-%m-%d"));
    let title = escape(&meta.title);
    let author = escape(&meta.author);
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties",
            " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\"",
            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
            " xmlns:dcterms=\"http://purl.org/dc/terms/\"",
            " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\"",
            " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>",
            "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        title = title,
        author = author,
        when = when
    )
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
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
