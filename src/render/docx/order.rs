//! Puts property elements in the order the OOXML schema prescribes.
//!
//! docx-rs writes the children of `w:pPr`, `w:rPr`, `w:tblPr`, `w:tcPr` and
//! `w:sectPr` in its own order (e.g. `w:rPr` first in `w:pPr`, `w:sz`
//! before `w:rFonts`). LibreOffice does not mind; Word validates parts
//! against the schema's sequences and may call the file corrupt. We sort
//! the children of each such element by the schema's sequence, keeping
//! unknown elements after the known ones in their original order.

/// ECMA-376 Part 1, CT_PPrBase + CT_PPr.
const PPR: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];
/// CT_RPr (EG_RPrBase).
const RPR: &[&str] = &[
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "ins",
    "del",
    "rPrChange",
];
/// CT_TblPr.
const TBLPR: &[&str] = &[
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
];
/// CT_TcPr.
const TCPR: &[&str] = &[
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
];
/// CT_SectPr: header and footer references come first.
const SECTPR: &[&str] = &[
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
];

/// Reorders the property elements of one WordprocessingML part.
pub(crate) fn schema_order(xml: &str) -> String {
    let mut xml = xml.to_string();
    for (name, order) in [
        ("pPr", PPR),
        ("rPr", RPR),
        ("tblPr", TBLPR),
        ("tcPr", TCPR),
        ("sectPr", SECTPR),
    ] {
        xml = reorder_each(&xml, name, order);
    }
    xml
}

/// Sorts the children of every `<w:{name}>…</w:{name}>` (which must not
/// nest in itself; none of ours do).
fn reorder_each(xml: &str, name: &str, order: &[&str]) -> String {
    let open = format!("<w:{name}>");
    let close = format!("</w:{name}>");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let inner_start = start + open.len();
        let Some(len) = rest[inner_start..].find(&close) else {
            break;
        };
        out.push_str(&rest[..inner_start]);
        let inner = &rest[inner_start..inner_start + len];
        match children(inner) {
            Some(mut kids) => {
                // Stable: equal ranks (header/footer references) keep their order.
                kids.sort_by_key(|(local, _)| {
                    order.iter().position(|o| o == local).unwrap_or(order.len())
                });
                kids.iter().for_each(|(_, text)| out.push_str(text));
            }
            None => out.push_str(inner),
        }
        rest = &rest[inner_start + len..];
    }
    out.push_str(rest);
    out
}

/// The top-level child elements of an element's content, with their local
/// names; `None` if the content is not a plain sequence of elements.
fn children(inner: &str) -> Option<Vec<(&str, &str)>> {
    let mut kids = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let tag = rest.strip_prefix("<w:")?;
        let name_len = tag.find([' ', '>', '/'])?;
        let local = &tag[..name_len];
        let head_end = rest.find('>')? + 1;
        let end = if rest[..head_end].ends_with("/>") {
            head_end
        } else {
            let close = format!("</w:{local}>");
            rest.find(&close)? + close.len()
        };
        kids.push((local, &rest[..end]));
        rest = &rest[end..];
    }
    Some(kids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_properties_follow_the_schema() {
        let xml = r#"<w:p><w:pPr><w:rPr><w:sz w:val="32" /><w:rFonts w:ascii="A" /></w:rPr><w:jc w:val="both" /><w:ind w:left="0" /><w:spacing w:line="579" /><w:pBdr><w:bottom w:val="single" /></w:pBdr><w:widowControl w:val="0" /></w:pPr></w:p>"#;
        assert_eq!(
            schema_order(xml),
            r#"<w:p><w:pPr><w:widowControl w:val="0" /><w:pBdr><w:bottom w:val="single" /></w:pBdr><w:spacing w:line="579" /><w:ind w:left="0" /><w:jc w:val="both" /><w:rPr><w:rFonts w:ascii="A" /><w:sz w:val="32" /></w:rPr></w:pPr></w:p>"#
        );
    }

    #[test]
    fn unknown_content_is_left_alone() {
        let xml = "<w:rPr>text</w:rPr>";
        assert_eq!(schema_order(xml), xml);
    }
}
