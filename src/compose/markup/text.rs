//! Escaping and plain values in the markup: the backslash rule, lists
//! split at unescaped 、, and dates in the spellings officials use.

use chrono::NaiveDate;

/// Makes inserted data literal: a backslash before every character that
/// means something in the markup, and line breaks folded into spaces.
pub fn escape(data: &str) -> String {
    let mut out = String::with_capacity(data.len() + 8);
    let mut last_was_break = false;
    for c in data.chars() {
        match c {
            '\r' | '\n' => {
                if !last_was_break {
                    out.push(' ');
                }
                last_was_break = true;
                continue;
            }
            '\\' | '|' | '｜' | '#' | '@' | '＃' | '＠' | '、' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        last_was_break = false;
    }
    out
}

/// Removes the escaping backslashes.
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(next) => out.push(next),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits `text` at every unescaped separator; the pieces keep their escapes.
pub(super) fn split_unescaped(text: &str, is_sep: impl Fn(char) -> bool) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if is_sep(c) {
            pieces.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// A list value (`A、B、C`) split at unescaped 、, each item unescaped and trimmed.
pub(super) fn list_items(value: &str) -> Vec<String> {
    split_unescaped(value, |c| c == '、')
        .into_iter()
        .map(|s| unescape(s.trim()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads `2020-10-09`, `2020/10/9` or `2020年10月9日`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let digits: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let shape_ok = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | ' '));
    if !shape_ok || digits.len() != 3 {
        return None;
    }
    let y = digits[0].parse().ok()?;
    let m = digits[1].parse().ok()?;
    let d = digits[2].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}
