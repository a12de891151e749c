//! Writes the story (`story`) as WordprocessingML: `word/document.xml` and
//! the footer parts.
//!
//! Word validates property elements against the schema's sequences and
//! calls a file with misordered children corrupt, so every element here is
//! written in the order of ECMA-376 Part 1 (CT_PPr, CT_RPr, CT_TblPr,
//! CT_TcPr, CT_SectPr). The bytes are those docx-rs wrote once its output
//! was reordered, `w:tblHeader` added and paragraph ids renumbered: the
//! same document gives the same file as before this writer replaced
//! docx-rs, down to the empty `w:t` before a tab or a line break.
//!
//! Paragraph ids (`w14:paraId`) count from 1 through the body, then the
//! footers, so they depend on the document alone.

use super::story::{Alignment, Border, Cell, FirstLine, Paragraph, Piece, Run, RunContent, Table};
use super::text::{Face, RoleFonts, TYPE_WIDTH};
use super::xml::push_run_text;
use std::fmt::Write;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";

/// The namespaces docx-rs declared on `w:document`; only `w`, `r`, `w14`
/// and `mc` are used, the rest are declared as Word itself declares them.
const DOCUMENT_OPEN: &str = concat!(
    "<w:document xmlns:o=\"urn:schemas-microsoft-com:office:office\"",
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"",
    " xmlns:v=\"urn:schemas-microsoft-com:vml\"",
    " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"",
    " xmlns:w10=\"urn:schemas-microsoft-com:office:word\"",
    " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"",
    " xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"",
    " xmlns:wpg=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\"",
    " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"",
    " xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\"",
    " xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\"",
    " xmlns:w15=\"http://schemas.microsoft.com/office/word/2012/wordml\"",
    " mc:Ignorable=\"w14 wp14\"><w:body>"
);

/// The same for `w:ftr`, in docx-rs's order for footers.
const FOOTER_OPEN: &str = concat!(
    "<w:ftr xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"",
    " xmlns:o=\"urn:schemas-microsoft-com:office:office\"",
    " xmlns:v=\"urn:schemas-microsoft-com:vml\"",
    " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"",
    " xmlns:w10=\"urn:schemas-microsoft-com:office:word\"",
    " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"",
    " xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"",
    " xmlns:wpg=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\"",
    " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"",
    " xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\"",
    " xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\"",
    " mc:Ignorable=\"w14 wp14\">"
);

/// Page size and margins in twips (`mod.rs` says why these values).
pub(crate) struct PageSetup {
    pub(crate) width: i32,
    pub(crate) height: i32,
    pub(crate) top: i32,
    pub(crate) right: i32,
    pub(crate) bottom: i32,
    pub(crate) left: i32,
    pub(crate) header: i32,
    pub(crate) footer: i32,
}

/// Writes parts of one package; holds the running paragraph id.
pub(crate) struct StoryWriter<'a> {
    fonts: &'a RoleFonts,
    out: String,
    para_id: u32,
}

impl<'a> StoryWriter<'a> {
    pub(crate) fn new(fonts: &'a RoleFonts) -> StoryWriter<'a> {
        StoryWriter {
            fonts,
            out: String::new(),
            para_id: 0,
        }
    }

    /// `word/document.xml`: the pieces, then one section whose odd and even
    /// footers are `rIdFooter1` and `rIdFooter2`.
    pub(crate) fn document(&mut self, pieces: &[Piece], page: &PageSetup) -> String {
        self.out = String::with_capacity(estimated_len(pieces));
        self.out.push_str(XML_HEAD);
        self.out.push_str(DOCUMENT_OPEN);
        for piece in pieces {
            match piece {
                Piece::Paragraph(p) => self.paragraph(p),
                Piece::Table(t) => self.table(t),
            }
        }
        self.section(page);
        self.out.push_str("</w:body></w:document>");
        std::mem::take(&mut self.out)
    }

    /// A footer part holding one paragraph.
    pub(crate) fn footer(&mut self, p: &Paragraph) -> String {
        self.out = String::with_capacity(4096);
        self.out.push_str(XML_HEAD);
        self.out.push_str(FOOTER_OPEN);
        self.paragraph(p);
        self.out.push_str("</w:ftr>");
        std::mem::take(&mut self.out)
    }

    fn paragraph(&mut self, p: &Paragraph) {
        self.para_id += 1;
        let _ = write!(self.out, "<w:p w14:paraId=\"{:08X}\"><w:pPr>", self.para_id);
        self.paragraph_properties(p);
        self.run_properties(p.mark);
        self.out.push_str("</w:pPr>");
        for run in &p.runs {
            self.run(run);
        }
        self.out.push_str("</w:p>");
    }

    /// The children of `w:pPr` before its `w:rPr`, in CT_PPrBase order.
    fn paragraph_properties(&mut self, p: &Paragraph) {
        let out = &mut self.out;
        if p.keep_next {
            out.push_str("<w:keepNext />");
        }
        if p.page_break_before {
            out.push_str("<w:pageBreakBefore />");
        }
        out.push_str("<w:widowControl w:val=\"1\" />");
        if let Some(b) = p.bottom_border {
            let _ = write!(
                out,
                "<w:pBdr><w:bottom w:val=\"{}\" w:space=\"{}\" w:sz=\"{}\" w:color=\"{}\" /></w:pBdr>",
                border_style(b),
                b.space,
                b.size,
                b.color
            );
        }
        if !p.tabs.is_empty() {
            out.push_str("<w:tabs>");
            for tab in &p.tabs {
                let val = if tab.right_aligned { "right" } else { "left" };
                let _ = write!(out, "<w:tab w:val=\"{val}\" w:pos=\"{}\" />", tab.pos);
            }
            out.push_str("</w:tabs>");
        }
        let s = p.spacing;
        let rule = if s.exact { "exact" } else { "auto" };
        let _ = write!(
            out,
            "<w:spacing w:before=\"{}\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"{rule}\" />",
            s.before, s.line
        );
        if let Some(ind) = p.indent {
            let _ = write!(
                out,
                "<w:ind w:left=\"{}\" w:right=\"{}\"",
                ind.left, ind.right
            );
            let _ = match ind.first_line {
                Some(FirstLine::Indent(v)) => write!(out, " w:firstLine=\"{v}\""),
                Some(FirstLine::Hanging(v)) => write!(out, " w:hanging=\"{v}\""),
                None => Ok(()),
            };
            out.push_str(" />");
        }
        if let Some(a) = p.alignment {
            let _ = write!(out, "<w:jc w:val=\"{}\" />", alignment(a));
        }
        if let Some(level) = p.outline_level {
            let _ = write!(out, "<w:outlineLvl w:val=\"{level}\" />");
        }
    }

    /// `w:rPr` in CT_RPr order: fonts, colour, tracking, scale, size.
    fn run_properties(&mut self, face: Face) {
        let out = &mut self.out;
        out.push_str("<w:rPr>");
        out.push_str(self.fonts.run_fonts(face.role));
        if let Some(color) = face.color {
            let _ = write!(out, "<w:color w:val=\"{color}\" />");
        }
        if face.tracking != 0 {
            let _ = write!(out, "<w:spacing w:val=\"{}\" />", face.tracking);
        }
        if let Some(scale) = face.scale {
            let _ = write!(out, "<w:w w:val=\"{scale}\" />");
        }
        let _ = write!(
            out,
            "<w:sz w:val=\"{0}\" /><w:szCs w:val=\"{0}\" /></w:rPr>",
            face.size
        );
    }

    fn run(&mut self, run: &Run) {
        self.out.push_str("<w:r>");
        self.run_properties(run.face);
        // docx-rs wrote a tab or a break as an empty text followed by it.
        const EMPTY_TEXT: &str = "<w:t xml:space=\"preserve\"></w:t>";
        let out = &mut self.out;
        match &run.content {
            RunContent::Text(text) => {
                out.push_str("<w:t xml:space=\"preserve\">");
                push_run_text(out, text);
                out.push_str("</w:t>");
            }
            RunContent::Tab => {
                out.push_str(EMPTY_TEXT);
                out.push_str("<w:tab />");
            }
            RunContent::LineBreak => {
                out.push_str(EMPTY_TEXT);
                out.push_str("<w:br w:type=\"textWrapping\" />");
            }
            RunContent::FieldBegin => field_char(out, "begin"),
            RunContent::FieldInstruction(instr) => {
                let _ = write!(out, "<w:instrText>{instr}</w:instrText>");
            }
            RunContent::FieldSeparate => field_char(out, "separate"),
            RunContent::FieldEnd => field_char(out, "end"),
        }
        self.out.push_str("</w:r>");
    }

    fn table(&mut self, t: &Table) {
        self.table_properties(t);
        self.out.push_str("<w:tblGrid>");
        for w in &t.grid {
            let _ = write!(self.out, "<w:gridCol w:w=\"{w}\" />");
        }
        self.out.push_str("</w:tblGrid>");
        for (i, row) in t.rows.iter().enumerate() {
            // Rows never split across pages; the header row repeats on each.
            self.out.push_str(if i == 0 && t.header_row {
                "<w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr>"
            } else {
                "<w:tr><w:trPr><w:cantSplit /></w:trPr>"
            });
            for cell in row {
                self.cell(cell);
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
    }

    /// `w:tblPr` in CT_TblPr order. Every table spans the type area with
    /// fixed column widths and no indent.
    fn table_properties(&mut self, t: &Table) {
        let out = &mut self.out;
        out.push_str("<w:tbl><w:tblPr>");
        if let Some(x) = t.float_x {
            // Horizontally from the page edge: LibreOffice (7.4) only floats
            // a table as wide as the type area when it is placed that way.
            let _ = write!(
                out,
                "<w:tblpPr w:vertAnchor=\"margin\" w:horzAnchor=\"page\" \
                 w:tblpYSpec=\"bottom\" w:tblpX=\"{x}\" />"
            );
        }
        let _ = write!(
            out,
            "<w:tblW w:w=\"{TYPE_WIDTH}\" w:type=\"dxa\" /><w:jc w:val=\"left\" />\
             <w:tblInd w:w=\"0\" w:type=\"dxa\" /><w:tblBorders>"
        );
        let sides = ["top", "left", "bottom", "right", "insideH", "insideV"];
        for (side, b) in sides.iter().zip(&t.borders) {
            let _ = write!(
                out,
                "<w:{side} w:val=\"{}\" w:sz=\"{}\" w:space=\"{}\" w:color=\"{}\" />",
                border_style(*b),
                b.size,
                b.space,
                b.color
            );
        }
        out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\" /><w:tblCellMar>");
        for (side, w) in ["top", "left", "bottom", "right"]
            .iter()
            .zip(t.cell_margins)
        {
            let _ = write!(out, "<w:{side} w:w=\"{w}\" w:type=\"dxa\" />");
        }
        out.push_str("</w:tblCellMar></w:tblPr>");
    }

    fn cell(&mut self, cell: &Cell) {
        let _ = write!(
            self.out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\" />",
            cell.width
        );
        if cell.v_center {
            self.out.push_str("<w:vAlign w:val=\"center\" />");
        }
        self.out.push_str("</w:tcPr>");
        self.paragraph(&cell.paragraph);
        self.out.push_str("</w:tc>");
    }

    /// `w:sectPr` in CT_SectPr order. `w:docGrid` of type `default` means
    /// no grid: LibreOffice snaps every line to a line grid (table rows,
    /// the red head), and a character grid gives 14 characters a line.
    fn section(&mut self, page: &PageSetup) {
        let _ = write!(
            self.out,
            concat!(
                "<w:sectPr>",
                "<w:footerReference w:type=\"default\" r:id=\"rIdFooter1\" />",
                "<w:footerReference w:type=\"even\" r:id=\"rIdFooter2\" />",
                "<w:pgSz w:w=\"{}\" w:h=\"{}\" />",
                "<w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" ",
                "w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\" />",
                "<w:cols w:space=\"425\" w:num=\"1\" />",
                "<w:docGrid w:type=\"default\" />",
                "</w:sectPr>"
            ),
            page.width,
            page.height,
            page.top,
            page.right,
            page.bottom,
            page.left,
            page.header,
            page.footer
        );
    }
}

fn field_char(out: &mut String, kind: &str) {
    let _ = write!(
        out,
        "<w:fldChar w:fldCharType=\"{kind}\" w:dirty=\"false\" />"
    );
}

fn border_style(b: Border) -> &'static str {
    if b.single { "single" } else { "nil" }
}

fn alignment(a: Alignment) -> &'static str {
    match a {
        Alignment::Left => "left",
        Alignment::Center => "center",
        Alignment::Right => "right",
        Alignment::Both => "both",
    }
}

/// Room for the body so that the string rarely grows: about 700 bytes a
/// paragraph, most of it run properties.
fn estimated_len(pieces: &[Piece]) -> usize {
    let paragraphs: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Paragraph(_) => 1,
            Piece::Table(t) => t.rows.iter().map(Vec::len).sum(),
        })
        .sum();
    4096 + paragraphs * 768
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{FontRole, FontSettings};
    use crate::render::docx::story::{Indent, Tab};
    use crate::render::docx::text::{Typesetter, exact};

    fn set() -> Typesetter {
        Typesetter {
            fonts: RoleFonts::new(&FontSettings::default()),
        }
    }

    const PAGE: PageSetup = PageSetup {
        width: 100,
        height: 200,
        top: 1,
        right: 2,
        bottom: 3,
        left: 4,
        header: 5,
        footer: 6,
    };

    /// The local names of the elements directly inside the first `<w:{parent}>`.
    fn children(xml: &str, parent: &str) -> Vec<String> {
        let open = format!("<w:{parent}>");
        let start = xml.find(&open).expect("parent") + open.len();
        let mut names = Vec::new();
        let mut depth = 0;
        let mut rest = &xml[start..];
        while let Some(lt) = rest.find('<') {
            rest = &rest[lt + 1..];
            let end = rest.find('>').unwrap();
            let tag = &rest[..end];
            if let Some(closing) = tag.strip_prefix('/') {
                if depth == 0 {
                    assert_eq!(closing, format!("w:{parent}"));
                    break;
                }
                depth -= 1;
            } else {
                if depth == 0 {
                    let name = tag.split([' ', '/']).next().unwrap();
                    names.push(name.trim_start_matches("w:").to_string());
                }
                if !tag.ends_with('/') {
                    depth += 1;
                }
            }
        }
        names
    }

    #[test]
    fn paragraph_properties_follow_the_schema() {
        let set = set();
        let face = Face {
            color: Some("FF0000"),
            scale: Some(80),
            ..Face::grid(FontRole::Title)
        };
        let p = set
            .paragraph(face)
            .align(Alignment::Both)
            .indent(Indent::default())
            .outline_level(0)
            .add_tab(Tab::left(320))
            .bottom_border(Border::single(12))
            .page_break_before()
            .keep_next()
            .add_run(set.run("x", face));
        let xml = StoryWriter::new(&set.fonts).document(&[Piece::Paragraph(p)], &PAGE);
        assert_eq!(
            children(&xml, "pPr"),
            [
                "keepNext",
                "pageBreakBefore",
                "widowControl",
                "pBdr",
                "tabs",
                "spacing",
                "ind",
                "jc",
                "outlineLvl",
                "rPr"
            ]
        );
        // The mark has the face's colour but not its scale; the run has both.
        assert_eq!(
            children(&xml, "rPr"),
            ["rFonts", "color", "spacing", "sz", "szCs"]
        );
        let run = &xml[xml.find("<w:r>").unwrap()..];
        assert_eq!(
            children(run, "rPr"),
            ["rFonts", "color", "spacing", "w", "sz", "szCs"]
        );
        assert_eq!(
            children(&xml, "sectPr"),
            [
                "footerReference",
                "footerReference",
                "pgSz",
                "pgMar",
                "cols",
                "docGrid"
            ]
        );
    }

    fn table(header_row: bool, float_x: Option<i32>) -> Table<'static> {
        let set = set();
        let cell = |text: &'static str| Cell {
            width: 100,
            v_center: true,
            paragraph: set
                .paragraph(Face::grid(FontRole::Body))
                .line_spacing(exact(300))
                .add_run(set.run(text, Face::grid(FontRole::Body))),
        };
        Table {
            grid: vec![100],
            float_x,
            borders: [Border::single(4); 6],
            cell_margins: [0; 4],
            header_row,
            rows: vec![vec![cell("head")], vec![cell("a")], vec![cell("b")]],
        }
    }

    #[test]
    fn only_the_first_row_of_a_result_table_repeats() {
        let set = set();
        let pieces = [
            Piece::Table(table(true, None)),
            Piece::Table(table(false, Some(1587))),
        ];
        let xml = StoryWriter::new(&set.fonts).document(&pieces, &PAGE);
        assert_eq!(xml.matches("<w:tblHeader />").count(), 1);
        let header = xml.find("<w:tblHeader />").unwrap();
        assert!(
            header < xml.find("head").unwrap()
                && xml.find("head").unwrap() < xml.find(">a<").unwrap()
        );
        assert_eq!(xml.matches("<w:cantSplit />").count(), 6);
        assert_eq!(
            children(&xml[xml.rfind("<w:tbl>").unwrap()..], "tblPr"),
            [
                "tblpPr",
                "tblW",
                "jc",
                "tblInd",
                "tblBorders",
                "tblLayout",
                "tblCellMar"
            ]
        );
        assert_eq!(children(&xml, "tcPr"), ["tcW", "vAlign"]);
    }

    #[test]
    fn paragraph_ids_run_from_the_body_into_the_footers() {
        let set = set();
        let blank = || Piece::Paragraph(set.blank());
        let mut writer = StoryWriter::new(&set.fonts);
        let body = writer.document(&[blank(), Piece::Table(table(true, None)), blank()], &PAGE);
        let footer = writer.footer(&set.blank());
        let ids: Vec<&str> = body
            .split("w14:paraId=\"")
            .skip(1)
            .map(|s| &s[..8])
            .collect();
        assert_eq!(
            ids,
            ["00000001", "00000002", "00000003", "00000004", "00000005"]
        );
        assert!(footer.contains("w14:paraId=\"00000006\""));
    }

    #[test]
    fn run_text_is_escaped_and_fonts_are_written_once() {
        let set = set();
        let face = Face::grid(FontRole::Body);
        let p = set.paragraph(face).add_run(set.run("<&\"'>\u{1}", face));
        let xml = StoryWriter::new(&set.fonts).document(&[Piece::Paragraph(p)], &PAGE);
        assert!(xml.contains(">&lt;&amp;&quot;&apos;&gt;</w:t>"));
        assert!(xml.contains(set.fonts.run_fonts(FontRole::Body)));
    }
}
