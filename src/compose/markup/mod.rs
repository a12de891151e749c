//! The office markup (公文标记): the small line-oriented text that a
//! template produces, parsed into a [`Document`].
//!
//! Why a markup at all: the office edits wording in plain text, and the
//! document model needs structure (head, headings, tables, attachments).
//! Every line is one of
//!
//! - a directive `@名称 内容` (head elements, title, addressee, signature,
//!   dates, note, colophon, attachment, page break, table alignment, aligned
//!   single-line paragraphs, draft flag);
//! - a heading `#`, `##`, `###`, `####` (一、 （一） 1. （1）, numbered
//!   automatically unless the text already carries its number);
//! - a table row `| 单元格 | 单元格 |` (the first row of a block is the header);
//! - text: consecutive text lines form one paragraph, a blank line ends it.
//!
//! A backslash makes the next character literal (`\|`, `\#`, `\@`, `\、`,
//! `\\`); [`escape`] is applied to every value a template inserts, so data
//! can never start a directive, split a table cell or a list. The full
//! description for the office is `templates/README.md`.

mod numbering;
mod text;

pub use numbering::{chinese_number, heading_number};
pub use text::{escape, parse_date};

use numbering::has_number;
use text::{list_items, split_unescaped, unescape};

use crate::doc::{
    Align, Attachment, Block, CellAlign, Colophon, Column, Document, Head, Meta, Paragraph,
    Signature, Table,
};
use chrono::NaiveDate;
/// A markup problem at a line and column of the generated text.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkupError {
    /// 1-based line in the generated text.
    pub line: usize,
    /// 1-based column (in characters) in the generated text.
    pub column: usize,
    /// What is wrong, in Chinese.
    pub message: String,
    /// Texts to look for in the template source to point at the template
    /// line instead of the generated one, most specific first.
    pub anchors: Vec<String>,
}
/// Where a parsed block goes: the body or the last attachment.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Body,
    Attachment,
}

/// A table being read: its alignment line (if any) and rows so far.
struct OpenTable {
    aligns: Option<Vec<CellAlign>>,
    align_line: usize,
    header: Option<Vec<String>>,
    rows: Vec<Vec<String>>,
}

/// Parser state: the document so far plus what is still open.
struct Parser {
    doc: Document,
    head_line: Option<usize>,
    titles: Vec<String>,
    organs: Vec<String>,
    sign_date: Option<NaiveDate>,
    sealed: bool,
    sign_line: Option<usize>,
    copy_to: Vec<String>,
    printer: Option<String>,
    print_date: Option<NaiveDate>,
    colophon_line: Option<usize>,
    target: Target,
    paragraph: Vec<String>,
    table: Option<OpenTable>,
    counters: [u32; 4],
}

/// Position of the current line, for errors.
struct Pos<'a> {
    line: usize,
    column: usize,
    text: &'a str,
}

impl Pos<'_> {
    fn error(&self, message: impl Into<String>, anchor: Option<&str>) -> MarkupError {
        let mut anchors = vec![self.text.to_string()];
        if let Some(a) = anchor {
            anchors.push(a.to_string());
        }
        MarkupError {
            line: self.line,
            column: self.column,
            message: message.into(),
            anchors,
        }
    }
}

/// A directive line split into its name and value: `@名称 内容`, with a
/// space, a colon (half- or full-width) or nothing between.
struct Directive<'p, 't> {
    pos: &'p Pos<'t>,
    name: &'t str,
    /// The value as written, escapes kept (for lists split on 、).
    raw: &'t str,
}

impl<'p, 't> Directive<'p, 't> {
    fn parse(pos: &'p Pos<'t>) -> Directive<'p, 't> {
        let text: &'t str = pos.text;
        let mut chars = text.char_indices();
        chars.next();
        let after_at = chars.next().map(|(i, _)| &text[i..]).unwrap_or("");
        let name_end = after_at
            .find(|c: char| c.is_whitespace() || c == ':' || c == '：')
            .unwrap_or(after_at.len());
        let mut raw = after_at[name_end..].trim_start();
        if let Some(v) = raw.strip_prefix('：').or_else(|| raw.strip_prefix(':')) {
            raw = v.trim_start();
        }
        Directive {
            pos,
            name: &after_at[..name_end],
            raw: raw.trim_end(),
        }
    }

    fn error(&self, message: String) -> MarkupError {
        self.pos.error(message, Some(&format!("@{}", self.name)))
    }

    /// The value, unescaped; an empty one is an error.
    fn value(&self) -> Result<String, MarkupError> {
        let value = unescape(self.raw);
        if value.is_empty() {
            Err(self.error(format!("@{} 后面缺少内容", self.name)))
        } else {
            Ok(value)
        }
    }

    /// The value as a date.
    fn date(&self) -> Result<NaiveDate, MarkupError> {
        let v = self.value()?;
        parse_date(&v).ok_or_else(|| {
            self.error(format!(
                "@{} 的日期“{v}”无法识别，应写成 2020年10月9日 或 2020-10-09",
                self.name
            ))
        })
    }

    /// `@表格 中 左 中`: each column's alignment, none when not given.
    fn column_aligns(&self) -> Result<Vec<CellAlign>, MarkupError> {
        self.raw
            .split(|c: char| c.is_whitespace() || is_bar(c) || c == '，' || c == ',')
            .filter(|s| !s.is_empty())
            .map(|token| match token {
                "左" | "居左" => Ok(CellAlign::Left),
                "中" | "居中" => Ok(CellAlign::Center),
                other => {
                    Err(self.error(format!("@表格 的对齐方式只能写“左”或“中”，这里是“{other}”")))
                }
            })
            .collect()
    }
}

/// The table bar, half- or full-width (a Chinese input method types `｜`).
fn is_bar(c: char) -> bool {
    c == '|' || c == '｜'
}

/// Parses generated markup into a document.
pub fn parse(text: &str) -> Result<Document, MarkupError> {
    let mut p = Parser {
        doc: Document::default(),
        head_line: None,
        titles: Vec::new(),
        organs: Vec::new(),
        sign_date: None,
        sealed: true,
        sign_line: None,
        copy_to: Vec::new(),
        printer: None,
        print_date: None,
        colophon_line: None,
        target: Target::Body,
        paragraph: Vec::new(),
        table: None,
        counters: [0; 4],
    };
    let mut last_line = 0;
    for (i, raw) in text.lines().enumerate() {
        last_line = i + 1;
        let trimmed = raw.trim();
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        let pos = Pos {
            line: i + 1,
            column: indent + 1,
            text: trimmed,
        };
        p.line(&pos)?;
    }
    let end = Pos {
        line: last_line.max(1),
        column: 1,
        text: "",
    };
    p.flush_paragraph();
    p.close_table(&end)?;
    p.finish(&end)
}

impl Parser {
    fn line(&mut self, pos: &Pos<'_>) -> Result<(), MarkupError> {
        let t = pos.text;
        if t.is_empty() {
            self.flush_paragraph();
            return self.close_table(pos);
        }
        let first = t.chars().next().unwrap_or(' ');
        if is_bar(first) {
            self.flush_paragraph();
            return self.table_row(pos);
        }
        self.close_table(pos)?;
        match first {
            '@' | '＠' => {
                self.flush_paragraph();
                self.directive(pos)
            }
            '#' | '＃' => {
                self.flush_paragraph();
                self.heading(pos)
            }
            _ => {
                self.paragraph.push(unescape(t));
                Ok(())
            }
        }
    }

    fn blocks(&mut self) -> &mut Vec<Block> {
        match self.target {
            Target::Body => &mut self.doc.body,
            Target::Attachment => match self.doc.attachments.last_mut() {
                Some(a) => &mut a.body,
                None => &mut self.doc.body,
            },
        }
    }

    fn flush_paragraph(&mut self) {
        if self.paragraph.is_empty() {
            return;
        }
        let mut text = String::new();
        for piece in self.paragraph.drain(..) {
            let needs_space = text
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric())
                && piece
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            if needs_space {
                text.push(' ');
            }
            text.push_str(&piece);
        }
        self.blocks().push(Block::Paragraph(Paragraph::body(text)));
    }

    fn push_aligned(&mut self, text: String, align: Align) {
        self.blocks()
            .push(Block::Paragraph(Paragraph { text, align }));
    }

    fn heading(&mut self, pos: &Pos<'_>) -> Result<(), MarkupError> {
        let t = pos.text;
        let level = t.chars().take_while(|c| matches!(c, '#' | '＃')).count();
        let rest: String = t.chars().skip(level).collect();
        let text = unescape(rest.trim());
        if level > 4 {
            return Err(pos.error(
                format!("标题最多四级（# 到 ####），这里写了 {level} 个 #"),
                None,
            ));
        }
        if text.is_empty() {
            return Err(pos.error("标题符号 # 后面缺少标题文字", None));
        }
        let idx = level - 1;
        self.counters[idx] += 1;
        for deeper in &mut self.counters[idx + 1..] {
            *deeper = 0;
        }
        let text = if has_number(level, &text) {
            text
        } else {
            format!("{}{}", heading_number(level, self.counters[idx]), text)
        };
        self.blocks().push(Block::Heading {
            level: level as u8,
            text,
        });
        Ok(())
    }

    fn table_row(&mut self, pos: &Pos<'_>) -> Result<(), MarkupError> {
        let first_len = pos.text.chars().next().map_or(0, char::len_utf8);
        let body = &pos.text[first_len..];
        let mut cells = split_unescaped(body, is_bar);
        if cells.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        let cells: Vec<String> = cells.into_iter().map(|c| unescape(c.trim())).collect();
        let table = self.table.get_or_insert(OpenTable {
            aligns: None,
            align_line: pos.line,
            header: None,
            rows: Vec::new(),
        });
        match &table.header {
            None => {
                if let Some(aligns) = &table.aligns
                    && aligns.len() != cells.len()
                {
                    return Err(pos.error(
                        format!(
                            "@表格 写了 {} 列的对齐方式，表头却有 {} 列",
                            aligns.len(),
                            cells.len()
                        ),
                        Some("@表格"),
                    ));
                }
                table.header = Some(cells);
            }
            Some(header) => {
                if header.len() != cells.len() {
                    return Err(pos.error(
                        format!(
                            "表格这一行有 {} 个单元格，表头有 {} 列；单元格里的“|”请写成“\\|”",
                            cells.len(),
                            header.len()
                        ),
                        None,
                    ));
                }
                table.rows.push(cells);
            }
        }
        Ok(())
    }

    fn close_table(&mut self, pos: &Pos<'_>) -> Result<(), MarkupError> {
        let Some(table) = self.table.take() else {
            return Ok(());
        };
        let Some(header) = table.header else {
            let at = Pos {
                line: table.align_line,
                column: pos.column,
                text: "@表格",
            };
            return Err(at.error("@表格 下一行应是以“|”开头的表头行", None));
        };
        let aligns = table
            .aligns
            .unwrap_or_else(|| vec![CellAlign::Left; header.len()]);
        let columns = header
            .into_iter()
            .zip(aligns)
            .map(|(header, align)| Column { header, align })
            .collect();
        self.blocks().push(Block::Table(Table {
            columns,
            rows: table.rows,
        }));
        Ok(())
    }

    fn directive(&mut self, pos: &Pos<'_>) -> Result<(), MarkupError> {
        let d = Directive::parse(pos);
        if self.head_directive(&d)? || self.body_directive(&d)? || self.closing_directive(&d)? {
            return Ok(());
        }
        Err(d.error(format!(
            "未知的指令“@{}”；可用的指令见 templates/README.md（正文要以 @ 开头请写成 \\@）",
            d.name
        )))
    }

    /// The 版头 directives; false when `d` is not one of them.
    fn head_directive(&mut self, d: &Directive<'_, '_>) -> Result<bool, MarkupError> {
        let pos = d.pos;
        match d.name {
            "发文机关标志" => self.head(pos).organ_mark = d.value()?,
            "发文字号" => self.head(pos).doc_number = Some(d.value()?),
            "签发人" => {
                d.value()?;
                self.head(pos).signers.extend(list_items(d.raw));
            }
            "份号" => self.head(pos).copy_no = Some(d.value()?),
            "密级" => self.head(pos).secrecy = Some(d.value()?),
            "紧急程度" => self.head(pos).urgency = Some(d.value()?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The title, addressee and body directives; false when `d` is not one.
    fn body_directive(&mut self, d: &Directive<'_, '_>) -> Result<bool, MarkupError> {
        match d.name {
            "标题" => self.titles.push(d.value()?),
            "主送" => {
                let v = d.value()?.trim_end_matches(['：', ':']).to_string();
                self.doc.addressee = Some(v);
            }
            "附件" => {
                self.doc.attachments.push(Attachment {
                    title: d.value()?,
                    body: Vec::new(),
                });
                self.target = Target::Attachment;
                self.counters = [0; 4];
            }
            "分页" => self.blocks().push(Block::PageBreak),
            "表格" => {
                let aligns = d.column_aligns()?;
                self.table = Some(OpenTable {
                    aligns: (!aligns.is_empty()).then_some(aligns),
                    align_line: d.pos.line,
                    header: None,
                    rows: Vec::new(),
                });
            }
            "居中" => self.push_aligned(d.value()?, Align::Center),
            "居左" => self.push_aligned(d.value()?, Align::Left),
            "居右" => self.push_aligned(d.value()?, Align::Right),
            "征求意见稿" => self.doc.draft = true,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The 版记 and signature directives; false when `d` is not one.
    fn closing_directive(&mut self, d: &Directive<'_, '_>) -> Result<bool, MarkupError> {
        let line = d.pos.line;
        match d.name {
            "署名" => {
                d.value()?;
                self.organs.extend(list_items(d.raw));
                self.sign_line.get_or_insert(line);
            }
            "不盖章" => {
                self.sealed = false;
                self.sign_line.get_or_insert(line);
            }
            "成文日期" => {
                self.sign_date = Some(d.date()?);
                self.sign_line.get_or_insert(line);
            }
            "附注" => {
                let value = d.value()?;
                let v = value
                    .strip_prefix('（')
                    .and_then(|v| v.strip_suffix('）'))
                    .unwrap_or(&value)
                    .to_string();
                self.doc.note = Some(v);
            }
            "抄送" => {
                d.value()?;
                let items = list_items(d.raw)
                    .into_iter()
                    .map(|s| s.trim_end_matches(['。', '，', ',']).to_string());
                self.copy_to.extend(items);
                self.colophon_line.get_or_insert(line);
            }
            "印发机关" => {
                self.printer = Some(d.value()?);
                self.colophon_line.get_or_insert(line);
            }
            "印发日期" => {
                self.print_date = Some(d.date()?);
                self.colophon_line.get_or_insert(line);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn head(&mut self, pos: &Pos<'_>) -> &mut Head {
        self.head_line.get_or_insert(pos.line);
        self.doc.head.get_or_insert_with(Head::default)
    }

    fn finish(mut self, end: &Pos<'_>) -> Result<Document, MarkupError> {
        let at = |line: Option<usize>, anchor: &str, message: &str| {
            let p = Pos {
                line: line.unwrap_or(end.line),
                column: 1,
                text: "",
            };
            p.error(message, Some(anchor))
        };
        if self.titles.is_empty() {
            return Err(at(None, "@标题", "缺少 @标题：每份公文都要有标题"));
        }
        if let Some(head) = &self.doc.head
            && head.organ_mark.is_empty()
        {
            return Err(at(
                self.head_line,
                "@发文字号",
                "写了版头内容（发文字号、签发人等），但缺少 @发文机关标志",
            ));
        }
        self.doc.title = self.titles.join("\n");
        if self.sign_line.is_some() {
            let Some(date) = self.sign_date else {
                return Err(at(self.sign_line, "@署名", "写了 @署名 但缺少 @成文日期"));
            };
            self.doc.signature = Some(Signature {
                organs: std::mem::take(&mut self.organs),
                date,
                sealed: self.sealed,
            });
        }
        if self.colophon_line.is_some() {
            let (Some(printer), Some(print_date)) = (self.printer.take(), self.print_date) else {
                return Err(at(
                    self.colophon_line,
                    "@抄送",
                    "版记要同时写 @印发机关 和 @印发日期",
                ));
            };
            self.doc.colophon = Some(Colophon {
                copy_to: std::mem::take(&mut self.copy_to),
                printer,
                print_date,
            });
        }
        self.doc.attachment_note = self
            .doc
            .attachments
            .iter()
            .map(|a| a.title.clone())
            .collect();
        self.doc.meta = Meta {
            title: self.titles.concat(),
            author: self
                .doc
                .signature
                .as_ref()
                .and_then(|s| s.organs.first().cloned())
                .or_else(|| self.doc.colophon.as_ref().map(|c| c.printer.clone()))
                .unwrap_or_default(),
            date: self
                .sign_date
                .or(self.print_date)
                .unwrap_or_else(|| Meta::default().date),
        };
        Ok(self.doc)
    }
}
#[cfg(test)]
mod tests;
