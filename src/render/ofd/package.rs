//! The OFD package: the entry file, the document root, its resources, a
//! content file per page, the embedded faces and the 公文 tags, zipped in
//! a fixed order with the document's date as every entry's time, so the
//! same document always gives the same bytes.
//!
//! Parts follow the element order of the GB/T 33190-2016 schemas (for
//! example `CommonData`: `MaxUnitID`, `PageArea`, `PublicRes`, `DefaultCS`;
//! `DocInfo`: `DocID`, `Title`, `Author`, `CreationDate`, `ModDate`,
//! `Creator`, `CustomDatas`).

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use chrono::Datelike;
use zip::write::SimpleFileOptions;

use crate::doc::Document;
use crate::layout::fonts::FontSet;
use crate::layout::geometry::PAGE;

use super::fonts::{UsedFace, extension, family_name, is_bold};
use super::tags::{self, Element};
use super::xml::{DECLARATION, NS, push_escaped};

/// The entry file (`OFD.xml`): the document's metadata and where its root is.
pub(crate) fn entry(doc: &Document, elements: &[Element]) -> String {
    let meta = &doc.meta;
    let date = meta.date.format("%Y-%m-%d");
    let mut out = format!(
        "{DECLARATION}<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>{}</ofd:DocID>",
        doc_id(doc)
    );
    out.push_str("<ofd:Title>");
    push_escaped(&mut out, &meta.title);
    out.push_str("</ofd:Title><ofd:Author>");
    push_escaped(&mut out, &meta.author);
    let _ = write!(
        out,
        "</ofd:Author><ofd:CreationDate>{date}</ofd:CreationDate><ofd:ModDate>{date}</ofd:ModDate><ofd:Creator>fucha</ofd:Creator>"
    );
    out.push_str(&tags::custom_datas(elements));
    out.push_str(
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
    );
    out
}

/// 32 hex digits from the metadata and the 公文's own marks (FNV-1a, twice
/// with two seeds): the same document always has the same ID.
fn doc_id(doc: &Document) -> String {
    let number = doc.head.as_ref().and_then(|h| h.doc_number.as_deref());
    let key = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
        doc.meta.title,
        doc.meta.author,
        doc.meta.date,
        number.unwrap_or(""),
        doc.addressee.as_deref().unwrap_or("")
    );
    let fnv = |seed: u64| {
        key.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x8422_2325_cbf2_9ce4)
    )
}

/// The document root (`Doc_0/Document.xml`).
pub(crate) fn document(max_id: u32, color_space: u32, page_ids: &[u32], tagged: bool) -> String {
    let mut out = format!(
        "{DECLARATION}<ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DefaultCS>{color_space}</ofd:DefaultCS></ofd:CommonData><ofd:Pages>",
        PAGE.width, PAGE.height
    );
    for (n, id) in page_ids.iter().enumerate() {
        let _ = write!(
            out,
            "<ofd:Page ID=\"{id}\" BaseLoc=\"Pages/Page_{n}/Content.xml\"/>"
        );
    }
    out.push_str("</ofd:Pages>");
    if tagged {
        out.push_str("<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>");
    }
    out.push_str("</ofd:Document>");
    out
}

/// The shared resources (`Doc_0/PublicRes.xml`): the RGB colour space and
/// the embedded faces, whose files are in `Doc_0/Res/`.
pub(crate) fn public_res(color_space: u32, fonts: &FontSet, used: &[UsedFace]) -> String {
    let mut out = format!(
        "{DECLARATION}<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:ColorSpaces><ofd:ColorSpace ID=\"{color_space}\" Type=\"RGB\" BitsPerComponent=\"8\"/></ofd:ColorSpaces>"
    );
    if !used.is_empty() {
        out.push_str("<ofd:Fonts>");
        for u in used {
            let face = &fonts.faces()[u.face as usize];
            let _ = write!(out, "<ofd:Font ID=\"{}\" FontName=\"", u.id);
            push_escaped(&mut out, family_name(face));
            out.push_str("\" FamilyName=\"");
            push_escaped(&mut out, family_name(face));
            out.push('"');
            if is_bold(face) {
                out.push_str(" Bold=\"true\"");
            }
            let _ = write!(
                out,
                "><ofd:FontFile>{}</ofd:FontFile></ofd:Font>",
                font_file(u, fonts)
            );
        }
        out.push_str("</ofd:Fonts>");
    }
    out.push_str("</ofd:Res>");
    out
}

/// A face's file name in `Doc_0/Res/`.
pub(crate) fn font_file(used: &UsedFace, fonts: &FontSet) -> String {
    let face = &fonts.faces()[used.face as usize];
    format!("font_{}.{}", used.id, extension(face))
}

/// One entry of the package.
pub(crate) struct Entry<'a> {
    pub(crate) name: String,
    pub(crate) bytes: &'a [u8],
}

/// Fonts are deflated at level 2, as the PDF deflates its fonts; the XML
/// at level 1: a long table's pages are most of a big package, and on the
/// L campaign level 6 made an OFD cost 5-8% more than its PDF for 3% fewer
/// bytes (bench/README.md).
const FONT_LEVEL: i64 = 2;
const XML_LEVEL: i64 = 1;

/// Zips the entries in the order given, each stamped with `date`.
pub(crate) fn zip(entries: &[Entry<'_>], date: chrono::NaiveDate) -> Result<Vec<u8>, String> {
    let year = date.year().clamp(1980, 2107) as u16;
    let time =
        zip::DateTime::from_date_and_time(year, date.month() as u8, date.day() as u8, 0, 0, 0)
            .unwrap_or_default();
    let size: usize = entries.iter().map(|e| e.bytes.len()).sum();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(size / 2 + 4096)));
    for e in entries {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(if e.name.ends_with(".xml") {
                XML_LEVEL
            } else {
                FONT_LEVEL
            }))
            .last_modified_time(time)
            .unix_permissions(0o644);
        out.start_file(e.name.as_str(), options)
            .and_then(|()| Ok(out.write_all(e.bytes)?))
            .map_err(|err| format!("无法写入 OFD 部件 {}：{err}", e.name))?;
    }
    let cursor = out.finish().map_err(|e| format!("无法写入 OFD 包：{e}"))?;
    Ok(cursor.into_inner())
}
