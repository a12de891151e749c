//! The package parts that say how the document is set rather than what it
//! says: settings, styles, font table and core properties. They are small,
//! written whole in the schema's element order (Word calls a file with
//! misordered settings or styles corrupt) and free of anything that
//! depends on the clock.

use super::text::{RoleFonts, SIZE_3};
use super::xml::escape;
use crate::campaign::FontRole;
use crate::doc::Meta;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// `word/settings.xml`: separate odd and even footers; full-width
/// punctuation never compressed (it would pull a 29th character onto a
/// line); East Asian layout; Word 2013+ layout mode.
pub(crate) fn settings() -> String {
    format!(
        concat!(
            "{head}<w:settings {ns}>",
            "<w:zoom w:percent=\"100\" />",
            "<w:defaultTabStop w:val=\"420\" />",
            "<w:evenAndOddHeaders />",
            "<w:characterSpacingControl w:val=\"doNotCompress\" />",
            "<w:compat><w:spaceForUL /><w:doNotLeaveBackslashAlone /><w:ulTrailSpace />",
            "<w:doNotExpandShiftReturn /><w:useFELayout />",
            "<w:compatSetting w:name=\"compatibilityMode\" ",
            "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\" />",
            "</w:compat>",
            "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\" />",
            "</w:settings>"
        ),
        head = XML_HEAD,
        ns = W_NS
    )
}

/// `word/styles.xml`: document defaults — body face and size, the text
/// declared Chinese (zh-CN, so Word's East Asian line breaking and kinsoku
/// apply), widow control (no paragraph leaves one line alone at a page
/// foot or head; the PDF renderer keeps the same rule), no
/// automatic space between Chinese and digits or Latin (it would push
/// `2020年10月9日` off the grid) — and the Normal style.
pub(crate) fn styles(fonts: &RoleFonts) -> String {
    let latin = escape(fonts.name(FontRole::Latin));
    let body = escape(fonts.name(FontRole::Body));
    format!(
        concat!(
            "{head}<w:styles {ns}>",
            "<w:docDefaults><w:rPrDefault><w:rPr>",
            "<w:rFonts w:ascii=\"{latin}\" w:eastAsia=\"{body}\" w:hAnsi=\"{latin}\" ",
            "w:cs=\"{latin}\" w:hint=\"eastAsia\" />",
            "<w:sz w:val=\"{size}\" /><w:szCs w:val=\"{size}\" />",
            "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\" />",
            "</w:rPr></w:rPrDefault>",
            "<w:pPrDefault><w:pPr><w:widowControl />",
            "<w:autoSpaceDE w:val=\"0\" /><w:autoSpaceDN w:val=\"0\" />",
            "</w:pPr></w:pPrDefault></w:docDefaults>",
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">",
            "<w:name w:val=\"Normal\" /><w:qFormat /></w:style>",
            "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">",
            "<w:name w:val=\"Default Paragraph Font\" /><w:uiPriority w:val=\"1\" />",
            "<w:semiHidden /><w:unhideWhenUsed /></w:style>",
            "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">",
            "<w:name w:val=\"Normal Table\" /><w:uiPriority w:val=\"99\" />",
            "<w:semiHidden /><w:unhideWhenUsed /><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\" />",
            "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\" /><w:left w:w=\"108\" w:type=\"dxa\" />",
            "<w:bottom w:w=\"0\" w:type=\"dxa\" /><w:right w:w=\"108\" w:type=\"dxa\" />",
            "</w:tblCellMar></w:tblPr></w:style>",
            "</w:styles>"
        ),
        head = XML_HEAD,
        ns = W_NS,
        latin = latin,
        body = body,
        size = SIZE_3
    )
}

/// `word/fontTable.xml`: each face once, Chinese ones with the GB2312
/// character set (86) and, for the names of the standard, the face every
/// Windows has (`w:altName`) for Word to fall back on.
pub(crate) fn font_table(fonts: &RoleFonts) -> String {
    let mut names: Vec<&str> = Vec::new();
    for role in FontRole::ALL {
        let name = fonts.name(role);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut xml = format!("{XML_HEAD}<w:fonts {W_NS}>");
    for name in names {
        let alt = match name {
            "仿宋_GB2312" => Some("仿宋"),
            "楷体_GB2312" => Some("楷体"),
            "方正小标宋简体" => Some("宋体"),
            "黑体" => Some("SimHei"),
            "宋体" => Some("SimSun"),
            _ => None,
        };
        let (charset, family, pitch) = if name.is_ascii() {
            ("00", "roman", "variable")
        } else {
            ("86", "modern", "fixed")
        };
        xml.push_str(&format!("<w:font w:name=\"{}\">", escape(name)));
        if let Some(alt) = alt {
            xml.push_str(&format!("<w:altName w:val=\"{alt}\" />"));
        }
        if name == "仿宋_GB2312" {
            xml.push_str("<w:panose1 w:val=\"02010609030101010101\" />");
        }
        xml.push_str(&format!(
            "<w:charset w:val=\"{charset}\" /><w:family w:val=\"{family}\" /><w:pitch w:val=\"{pitch}\" /></w:font>"
        ));
    }
    xml.push_str("</w:fonts>");
    xml
}

/// `docProps/core.xml` from the document's metadata; never the clock.
pub(crate) fn core_properties(meta: &Meta) -> String {
    let when = format!("{}T00:00:00Z", meta.date.format("%Y-%m-%d"));
    format!(
        concat!(
            "{head}<cp:coreProperties",
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
        head = XML_HEAD,
        title = escape(&meta.title),
        author = escape(&meta.author),
        when = when
    )
}
