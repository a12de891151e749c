//! The 公文 elements of a document as OFD metadata: each element's value
//! in `DocInfo/CustomDatas`, and a custom tag file (`CustomTags`) that
//! points at the text objects showing it, so that a reader can find the
//! 发文字号 on the page as well as read it. See `docs/ofd.md` for the
//! mapping and its basis.
//!
//! The layout's frames do not say which element a run of text is; the
//! objects are found by their text, in reading order, each element where
//! GB/T 9704 puts it (the 发文字号 first, the 印发 line last). An element
//! that cannot be found this way keeps its `CustomData` and gets no tag.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::doc::{Document, official_date};

use super::page::WrittenTexts;
use super::xml::{DECLARATION, NS, push_escaped};

/// The namespace of fucha's 公文 tags (no public schema names these
/// elements for OFD; see `docs/ofd.md`).
pub(crate) const TAG_NS: &str = "urn:fucha:gongwen";

/// One 公文 element: its name (the GB/T 9704 term), its value, and the
/// objects that show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element {
    /// `发文字号`, `签发人`, ….
    pub(crate) name: &'static str,
    /// The value as metadata: text as printed, dates as `YYYY-MM-DD`.
    pub(crate) value: String,
    /// `(page ID, object ID)` of every text object showing it.
    pub(crate) objects: Vec<(u32, u32)>,
}

/// The elements a document has, located among its text objects.
pub(crate) fn elements(doc: &Document, texts: &WrittenTexts) -> Vec<Element> {
    let hay = Haystack::new(texts);
    let mut out = Vec::new();
    let mut add = |name, value: String, objects| {
        out.push(Element {
            name,
            value,
            objects,
        })
    };
    if let Some(head) = &doc.head {
        if let Some(number) = &head.doc_number {
            add("发文字号", number.clone(), hay.first(number, "", ""));
        }
        if !head.signers.is_empty() {
            let objects = head
                .signers
                .iter()
                .flat_map(|name| hay.first(name, "签发人：", ""))
                .collect();
            add("签发人", head.signers.join("、"), objects);
        }
    }
    if let Some(signature) = &doc.signature {
        let organ = signature.organs.last().map(String::as_str).unwrap_or("");
        let date = official_date(signature.date);
        add("成文日期", iso(signature.date), hay.first(&date, organ, ""));
    }
    if let Some(addressee) = &doc.addressee {
        add("主送", addressee.clone(), hay.first(addressee, "", "："));
    }
    if let Some(colophon) = &doc.colophon {
        if !colophon.copy_to.is_empty() {
            let copy = colophon.copy_to.join("，");
            add("抄送", copy.clone(), hay.last(&copy, "抄送：", "。"));
        }
        let date = official_date(colophon.print_date);
        let line_end = format!("{date}印发");
        add(
            "印发机关",
            colophon.printer.clone(),
            hay.last(&colophon.printer, "", &line_end),
        );
        add(
            "印发日期",
            iso(colophon.print_date),
            hay.last(&date, &colophon.printer, "印发"),
        );
    }
    out
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// All text of the document in reading order, without white space, and
/// which object each stretch came from.
struct Haystack<'a> {
    texts: &'a WrittenTexts,
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

impl<'a> Haystack<'a> {
    fn new(texts: &'a WrittenTexts) -> Haystack<'a> {
        Haystack { texts }
    }

    /// The objects of the first `value` that has `before` right before it
    /// and `after` right after it.
    fn first(&self, value: &str, before: &str, after: &str) -> Vec<(u32, u32)> {
        let needle = squeeze(&format!("{before}{value}{after}"));
        match self.texts.text.find(&needle) {
            Some(at) => self.objects(at + squeeze(before).len(), squeeze(value).len()),
            None => Vec::new(),
        }
    }

    /// The same for the last such `value`.
    fn last(&self, value: &str, before: &str, after: &str) -> Vec<(u32, u32)> {
        let needle = squeeze(&format!("{before}{value}{after}"));
        match self.texts.text.rfind(&needle) {
            Some(at) => self.objects(at + squeeze(before).len(), squeeze(value).len()),
            None => Vec::new(),
        }
    }

    /// The objects holding any of the `len` bytes from `at`.
    fn objects(&self, at: usize, len: usize) -> Vec<(u32, u32)> {
        if len == 0 {
            return Vec::new();
        }
        self.texts
            .objects
            .iter()
            .filter(|t| t.start < at + len && at < t.end)
            .map(|t| (t.page, t.id))
            .collect()
    }
}

/// `CustomData` entries for `DocInfo`.
pub(crate) fn custom_datas(elements: &[Element]) -> String {
    if elements.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ofd:CustomDatas>");
    for e in elements {
        let _ = write!(out, "<ofd:CustomData Name=\"{}\">", e.name);
        push_escaped(&mut out, &e.value);
        out.push_str("</ofd:CustomData>");
    }
    out.push_str("</ofd:CustomDatas>");
    out
}

/// The index of custom tags (`Doc_0/Tags/CustomTags.xml`), naming the tag
/// file beside it.
pub(crate) const CUSTOM_TAGS_INDEX: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<ofd:CustomTags xmlns:ofd=\"http://www.ofdspec.org/2016\">",
    "<ofd:CustomTag NameSpace=\"urn:fucha:gongwen\"><ofd:FileLoc>Gongwen.xml</ofd:FileLoc></ofd:CustomTag>",
    "</ofd:CustomTags>"
);

/// The tag file: each located element with references to its objects; `None`
/// when no element was located.
pub(crate) fn tag_file(elements: &[Element]) -> Option<String> {
    if elements.iter().all(|e| e.objects.is_empty()) {
        return None;
    }
    let mut out = format!("{DECLARATION}<gw:公文 xmlns:gw=\"{TAG_NS}\" xmlns:ofd=\"{NS}\">");
    for e in elements.iter().filter(|e| !e.objects.is_empty()) {
        let _ = write!(out, "<gw:{}>", e.name);
        for (page, id) in &e.objects {
            let _ = write!(
                out,
                "<ofd:ObjectRef PageRef=\"{page}\">{id}</ofd:ObjectRef>"
            );
        }
        let _ = write!(out, "</gw:{}>", e.name);
    }
    out.push_str("</gw:公文>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(texts: &[&str]) -> WrittenTexts {
        let mut out = WrittenTexts::default();
        for (k, t) in texts.iter().enumerate() {
            out.push(1, k as u32 + 10, t.chars());
        }
        out
    }

    #[test]
    fn a_value_split_over_objects_points_at_each_of_them() {
        let texts = written(&["岳市文明委〔", "2020", "〕", "1", "号", "关于"]);
        let hay = Haystack::new(&texts);
        let ids: Vec<u32> = hay
            .first("岳市文明委〔2020〕1号", "", "")
            .iter()
            .map(|o| o.1)
            .collect();
        assert_eq!(ids, [10, 11, 12, 13, 14]);
    }

    #[test]
    fn context_picks_the_occurrence_and_is_not_tagged() {
        let texts = written(&[
            "岳阳市文明办",
            "2020年10月9日",
            "正文",
            "岳阳市文明办",
            "2020年10月9日印发",
        ]);
        let hay = Haystack::new(&texts);
        assert_eq!(hay.first("2020年10月9日", "岳阳市文明办", ""), [(1, 11)]);
        assert_eq!(hay.last("2020年10月9日", "", "印发"), [(1, 14)]);
        assert_eq!(hay.last("岳阳市文明办", "", "2020年10月9日印发"), [(1, 13)]);
        assert!(hay.first("不存在", "", "").is_empty());
    }
}
