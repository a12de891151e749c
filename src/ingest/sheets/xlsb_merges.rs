//! Merged areas of xlsb worksheets, which calamine does not report: the
//! `BrtMergeCell` records after each sheet's data, found through the
//! workbook's `BrtBundleSh` records and their relationships. Without them a
//! value merged down over several data rows would be read in the first row
//! only, unlike xlsx and xls. Whatever cannot be read gives no merges:
//! calamine reports a damaged package itself.

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};

/// BrtBundleSh: one sheet of the workbook, its relationship and its name.
const BUNDLE_SHEET: u16 = 0x009C;
/// BrtEndBundleShs: the list of sheets is over.
const END_BUNDLE_SHEETS: u16 = 0x0090;
/// BrtMergeCell: rwFirst, rwLast, colFirst, colLast.
const MERGE_CELL: u16 = 0x00B0;
/// The most merged areas kept per sheet: a real intake sheet has dozens.
const MAX_MERGES: usize = 100_000;
/// The largest BrtBundleSh body read: two short strings and two integers.
const MAX_BUNDLE_BYTES: usize = 4096;

/// The merged areas of each worksheet, by sheet name.
pub(super) fn xlsb_merges(bytes: &[u8]) -> HashMap<String, Vec<Dimensions>> {
    let mut out = HashMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let rels = match zip.by_name("xl/_rels/workbook.bin.rels") {
        Ok(entry) => relationships(BufReader::new(entry)),
        Err(_) => return out,
    };
    let sheets = match zip.by_name("xl/workbook.bin") {
        Ok(entry) => bundle_sheets(BufReader::new(entry)),
        Err(_) => return out,
    };
    for (name, rel) in sheets {
        let Some(target) = rels.get(&rel) else {
            continue;
        };
        // Targets are relative to xl/ unless absolute, as calamine reads them.
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        let Ok(entry) = zip.by_name(&path) else {
            continue;
        };
        let merges = merge_cells(BufReader::new(entry));
        if !merges.is_empty() {
            out.insert(name, merges);
        }
    }
    out
}

/// Relationship id → target, from `workbook.bin.rels`.
fn relationships(source: impl BufRead) -> HashMap<String, String> {
    let mut rels = HashMap::new();
    let mut reader = Reader::from_reader(source);
    let mut buf = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let attr = |name: &str| {
                    e.try_get_attribute(name).ok().flatten().and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    })
                };
                if let (Some(id), Some(target)) = (attr("Id"), attr("Target")) {
                    rels.insert(id, target);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    rels
}

/// (sheet name, relationship id) of every sheet in `workbook.bin`.
fn bundle_sheets(mut source: impl Read) -> Vec<(String, String)> {
    let mut sheets = Vec::new();
    let mut body = Vec::new();
    while let Some((kind, len)) = record_header(&mut source) {
        if kind == BUNDLE_SHEET && len <= MAX_BUNDLE_BYTES {
            body.resize(len, 0);
            if source.read_exact(&mut body).is_err() {
                break;
            }
            // hsState (4), iTabID (4), strRelID, strName.
            let mut at = 8;
            let (Some(rel), Some(name)) = (wide_str(&body, &mut at), wide_str(&body, &mut at))
            else {
                continue;
            };
            sheets.push((name, rel));
        } else if !skip(&mut source, len) {
            break;
        }
        if kind == END_BUNDLE_SHEETS {
            break;
        }
    }
    sheets
}

/// The BrtMergeCell records of one sheet part.
fn merge_cells(mut source: impl Read) -> Vec<Dimensions> {
    let mut merges = Vec::new();
    let mut body = [0u8; 16];
    while let Some((kind, len)) = record_header(&mut source) {
        if kind == MERGE_CELL && len == body.len() && merges.len() < MAX_MERGES {
            if source.read_exact(&mut body).is_err() {
                break;
            }
            let u = |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
            let (r0, r1, c0, c1) = (u(0), u(4), u(8), u(12));
            if r0 <= r1 && c0 <= c1 {
                merges.push(Dimensions::new((r0, c0), (r1, c1)));
            }
        } else if !skip(&mut source, len) {
            break;
        }
    }
    merges
}

/// A record's type (7 bits a byte, two bytes at most) and body length
/// (7 bits a byte, four bytes at most); None at the end of the part.
fn record_header(source: &mut impl Read) -> Option<(u16, usize)> {
    let mut byte = || {
        let mut b = [0u8];
        source.read_exact(&mut b).ok().map(|()| b[0])
    };
    let b = byte()?;
    let kind = if b & 0x80 != 0 {
        u16::from(b & 0x7F) | (u16::from(byte()? & 0x7F) << 7)
    } else {
        u16::from(b)
    };
    let mut len = 0usize;
    for i in 0..4 {
        let b = byte()?;
        len |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    Some((kind, len))
}

/// Skips a record body without holding it; false when the part ends first.
fn skip(source: &mut impl Read, len: usize) -> bool {
    let len = len as u64;
    std::io::copy(&mut source.take(len), &mut std::io::sink()).is_ok_and(|n| n == len)
}

/// An XLWideString at `at`: a character count, then UTF-16LE.
fn wide_str(body: &[u8], at: &mut usize) -> Option<String> {
    let count = body.get(*at..*at + 4)?;
    let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
    let start = *at + 4;
    let end = start.checked_add(count.checked_mul(2)?)?;
    let units: Vec<u16> = body
        .get(start..end)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    *at = end;
    Some(String::from_utf16_lossy(&units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_with_their_variable_length_headers() {
        // A two-byte type (0x00B0) and a one-byte length, then a one-byte
        // type (0x05) with a length needing two bytes (200).
        let mut part = vec![0xB0, 0x01, 16];
        for v in [3u32, 6, 4, 4] {
            part.extend(v.to_le_bytes());
        }
        part.extend([0x05, 0xC8, 0x01]);
        part.extend([0u8; 200]);
        let merges = merge_cells(&part[..]);
        assert_eq!(merges, [Dimensions::new((3, 4), (6, 4))]);
    }

    #[test]
    fn a_damaged_package_gives_no_merges() {
        assert!(xlsb_merges(b"not a zip").is_empty());
        // A record claiming more bytes than the part holds.
        assert!(merge_cells(&[0xB0, 0x01, 16, 1, 2][..]).is_empty());
    }
}
