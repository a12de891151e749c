//! The document model: one official document by GB/T 9704-2012, as plain
//! data. `compose` builds it from templates; `render::docx` and `layout`
//! (for `render::pdf`) both read it, so the formats cannot disagree on
//! content.
//!
//! An element that a document does not have is simply absent (`None` or
//! empty). Text is plain Unicode: renderers escape it for their format.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One official document (公文).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// File metadata; fixed so that output is byte-identical between runs.
    pub meta: Meta,
    /// 版头; absent for documents without a red head (e.g. a plain list).
    pub head: Option<Head>,
    /// 标题. A `\n` forces a line break (for a trapezoid shape).
    pub title: String,
    /// 主送机关, without the trailing colon.
    pub addressee: Option<String>,
    /// 正文.
    pub body: Vec<Block>,
    /// 附件说明: the attachment names, in order; they must match `attachments`.
    pub attachment_note: Vec<String>,
    /// 署名 and 成文日期.
    pub signature: Option<Signature>,
    /// 附注, without the parentheses.
    pub note: Option<String>,
    /// 附件, each starting on a new page after the body.
    pub attachments: Vec<Attachment>,
    /// 版记, on the last (even) page.
    pub colophon: Option<Colophon>,
    /// A draft (征求意见稿): marked visibly on the first page.
    pub draft: bool,
}

/// Document metadata for the DOCX core properties and the PDF info dictionary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The document title, usually the same as `Document::title` on one line.
    pub title: String,
    /// The issuing organ.
    pub author: String,
    /// The creation and modification date written into the file; from the
    /// campaign config, never the clock.
    pub date: NaiveDate,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            title: String::new(),
            author: String::new(),
            date: NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date"),
        }
    }
}

/// 版头: everything above the red separator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Head {
    /// 份号, six digits.
    pub copy_no: Option<String>,
    /// 密级和保密期限, e.g. `秘密★1年`.
    pub secrecy: Option<String>,
    /// 紧急程度: `特急` or `加急`.
    pub urgency: Option<String>,
    /// 发文机关标志 in red, e.g. `岳阳市精神文明建设指导委员会文件`.
    pub organ_mark: String,
    /// 发文字号, e.g. `岳市文明委〔2020〕1号`.
    pub doc_number: Option<String>,
    /// 签发人 names, for upward documents (报告, 请示). When non-empty the
    /// 发文字号 goes left and the signers right on the same line.
    pub signers: Vec<String>,
}

/// 署名 and 成文日期.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// The signing organs, host first.
    pub organs: Vec<String>,
    /// 成文日期.
    pub date: NaiveDate,
    /// Sealed arrangement (7.3.5.1: date right indent 4, name centred above);
    /// otherwise unsealed (7.3.5.2: name right indent 2).
    pub sealed: bool,
}

/// One attachment: `附件N` on line 1, the title centred on line 3, then the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// The title; the same text as its line in `attachment_note`.
    pub title: String,
    /// The content.
    pub body: Vec<Block>,
}

/// 版记.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Colophon {
    /// 抄送 organs; the renderer joins them with `，` and ends with `。`.
    pub copy_to: Vec<String>,
    /// 印发机关.
    pub printer: String,
    /// 印发日期.
    pub print_date: NaiveDate,
}

/// A body block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// A body paragraph in 3号仿宋.
    Paragraph(Paragraph),
    /// A heading; `text` includes its number (一、 （一） 1. （1）).
    Heading {
        /// 1 = 一、 (黑体), 2 = （一） (楷体), 3 = 1. and 4 = （1） (仿宋).
        level: u8,
        /// The heading text with its number.
        text: String,
    },
    /// A table.
    Table(Table),
    /// Start a new page.
    PageBreak,
}

/// A paragraph of body text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The text; no line breaks (the renderer breaks lines).
    pub text: String,
    /// Alignment; body paragraphs are justified with a 2-character indent.
    pub align: Align,
}

impl Paragraph {
    /// A justified body paragraph with the usual first-line indent.
    pub fn body(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            align: Align::Justify,
        }
    }
}

/// Paragraph alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Align {
    /// Justified, first line indented two characters (the body default).
    #[default]
    Justify,
    /// Flush left, no indent.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// A table with one header row, repeated on every page it spans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The data rows; each has one cell per column.
    pub rows: Vec<Vec<String>>,
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The header text.
    pub header: String,
    /// Cell alignment.
    pub align: CellAlign,
}

/// Horizontal alignment of a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CellAlign {
    /// Flush left (names, text).
    #[default]
    Left,
    /// Centred (numbers, short codes, years).
    Center,
}

/// Writes `2020年10月9日`: Arabic digits, full year, no zero padding (7.3.5.4).
pub fn official_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_dates_have_no_zero_padding() {
        let d = NaiveDate::from_ymd_opt(2020, 7, 1).unwrap();
        assert_eq!(official_date(d), "2020年7月1日");
    }
}
