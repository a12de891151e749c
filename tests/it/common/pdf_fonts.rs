//! The fonts of a PDF: what `pdffonts` would list, and what the text
//! state needs to place and read a shown string (advances from `W` or
//! `Widths`, characters from `ToUnicode`, ascent and descent).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::{PdfFont, dict, number, resolve};

pub(super) fn name_of(doc: &Document, d: &Dictionary, key: &[u8]) -> String {
    d.get(key)
        .ok()
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

pub(super) fn describe_font(doc: &Document, font: &Dictionary) -> PdfFont {
    let name = name_of(doc, font, b"BaseFont");
    let subtype = name_of(doc, font, b"Subtype");
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .and_then(|d| resolve(doc, d).as_array().ok())
        .and_then(|a| a.first())
        .and_then(|d| dict(doc, d));
    let (kind, descriptor) = match (subtype.as_str(), descendant) {
        ("Type0", Some(cid)) => {
            let descriptor = cid.get(b"FontDescriptor").ok().and_then(|d| dict(doc, d));
            let kind = match name_of(doc, cid, b"Subtype").as_str() {
                "CIDFontType2" => "CID TrueType".to_string(),
                _ => "CID Type 0C".to_string(),
            };
            (kind, descriptor)
        }
        (other, _) => (
            match other {
                "Type3" => "Type 3".to_string(),
                o => o.to_string(),
            },
            font.get(b"FontDescriptor").ok().and_then(|d| dict(doc, d)),
        ),
    };
    let embedded = descriptor.is_some_and(|d| {
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| d.has(k))
    });
    let subset = name.len() > 7
        && name.as_bytes()[6] == b'+'
        && name.as_bytes()[..6].iter().all(u8::is_ascii_uppercase);
    PdfFont {
        name,
        kind,
        embedded,
        subset,
    }
}

/// What the text state needs of a font: advances, characters, ascent.
pub(super) struct FontInfo {
    /// Bytes per code: 2 for Identity-H Type 0 fonts, else 1.
    pub(super) code_len: usize,
    pub(super) widths: BTreeMap<u32, f32>,
    pub(super) default_width: f32,
    pub(super) to_unicode: BTreeMap<u32, String>,
    pub(super) ascent: f32,
    pub(super) descent: f32,
}

#[derive(Default)]
pub(super) struct FontCache {
    by_id: BTreeMap<ObjectId, std::rc::Rc<FontInfo>>,
}

impl FontCache {
    pub(super) fn get(
        &mut self,
        doc: &Document,
        id: Option<ObjectId>,
        font: &Dictionary,
    ) -> std::rc::Rc<FontInfo> {
        if let Some(id) = id
            && let Some(info) = self.by_id.get(&id)
        {
            return info.clone();
        }
        let info = std::rc::Rc::new(font_info(doc, font));
        if let Some(id) = id {
            self.by_id.insert(id, info.clone());
        }
        info
    }
}

fn font_info(doc: &Document, font: &Dictionary) -> FontInfo {
    let type0 = name_of(doc, font, b"Subtype") == "Type0";
    let mut widths = BTreeMap::new();
    let mut default_width = if type0 { 1000.0 } else { 0.0 };
    let descriptor_holder;
    if type0 {
        let cid = font
            .get(b"DescendantFonts")
            .ok()
            .and_then(|d| resolve(doc, d).as_array().ok())
            .and_then(|a| a.first())
            .and_then(|d| dict(doc, d))
            .expect("a CID font");
        if let Ok(dw) = cid.get(b"DW") {
            default_width = number(resolve(doc, dw));
        }
        if let Some(w) = cid
            .get(b"W")
            .ok()
            .and_then(|w| resolve(doc, w).as_array().ok())
        {
            read_cid_widths(doc, w, &mut widths);
        }
        descriptor_holder = cid.get(b"FontDescriptor").ok().and_then(|d| dict(doc, d));
    } else {
        let first = font
            .get(b"FirstChar")
            .map(|o| number(resolve(doc, o)))
            .unwrap_or(0.0) as u32;
        if let Some(w) = font
            .get(b"Widths")
            .ok()
            .and_then(|w| resolve(doc, w).as_array().ok())
        {
            for (i, w) in w.iter().enumerate() {
                widths.insert(first + i as u32, number(resolve(doc, w)));
            }
        }
        descriptor_holder = font.get(b"FontDescriptor").ok().and_then(|d| dict(doc, d));
    }
    let metric = |key: &[u8], default: f32| {
        descriptor_holder
            .and_then(|d| d.get(key).ok())
            .map(|o| number(resolve(doc, o)))
            .unwrap_or(default)
    };
    let to_unicode = font
        .get(b"ToUnicode")
        .ok()
        .and_then(|o| resolve(doc, o).as_stream().ok())
        .and_then(|s| {
            s.decompressed_content()
                .ok()
                .or_else(|| Some(s.content.clone()))
        })
        .map(|bytes| parse_to_unicode(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default();
    FontInfo {
        code_len: if type0 { 2 } else { 1 },
        widths,
        default_width,
        to_unicode,
        ascent: metric(b"Ascent", 950.0),
        descent: metric(b"Descent", -350.0),
    }
}

/// `W`: `c [w1 w2 …]` or `c_first c_last w`.
fn read_cid_widths(doc: &Document, w: &[Object], out: &mut BTreeMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() {
        let first = number(resolve(doc, &w[i])) as u32;
        match w.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    out.insert(first + k as u32, number(resolve(doc, v)));
                }
                i += 2;
            }
            Some(last) => {
                let last = number(last) as u32;
                let width = w.get(i + 2).map(|o| number(resolve(doc, o))).unwrap_or(0.0);
                for c in first..=last {
                    out.insert(c, width);
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// The `bfchar` and `bfrange` entries of a `ToUnicode` CMap.
fn parse_to_unicode(cmap: &str) -> BTreeMap<u32, String> {
    let mut map = BTreeMap::new();
    let hex = |s: &str| u32::from_str_radix(s.trim_matches(|c| c == '<' || c == '>'), 16).ok();
    let utf16 = |s: &str| -> String {
        let digits = s.trim_matches(|c| c == '<' || c == '>');
        let units: Vec<u16> = (0..digits.len() / 4)
            .filter_map(|i| u16::from_str_radix(&digits[i * 4..i * 4 + 4], 16).ok())
            .collect();
        String::from_utf16_lossy(&units)
    };
    let mut section = "";
    for line in cmap.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            section = "char";
            continue;
        }
        if line.ends_with("beginbfrange") {
            section = "range";
            continue;
        }
        if line.starts_with("endbf") {
            section = "";
            continue;
        }
        let parts: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
            .filter(|p| !p.is_empty())
            .collect();
        match (section, parts.as_slice()) {
            ("char", [code, dst]) => {
                if let Some(code) = hex(code) {
                    map.insert(code, utf16(dst));
                }
            }
            ("range", [lo, hi, dst, ..]) => {
                if let (Some(lo), Some(hi)) = (hex(lo), hex(hi)) {
                    let first = utf16(dst).chars().next().map_or(0, |c| c as u32);
                    for (code, ch) in (lo..=hi).zip(first..) {
                        if let Some(c) = char::from_u32(ch) {
                            map.insert(code, c.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    map
}
