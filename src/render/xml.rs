//! Escaping text for the XML parts the renderers write by hand (DOCX
//! and OFD).
//!
//! Unit names come from spreadsheets and may hold anything: `<&"'` must be
//! written as entities, and the C0 control characters other than tab, line
//! feed and carriage return (and U+FFFE, U+FFFF) cannot appear in an XML 1.0
//! document at all, not even as character references, so they are dropped;
//! Word, and OFD readers, would refuse the whole file otherwise.

/// Whether XML 1.0 can carry `c` (its `Char` production; Rust's `char`
/// already excludes surrogates).
fn is_xml_char(c: char) -> bool {
    !matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `text` can be copied as it is: no markup character and nothing
/// XML cannot carry. Most of our text (Chinese, digits) takes this path.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'&' | b'<' | b'>' | b'"' | b'\'' => false,
        b'\t' | b'\n' | b'\r' => true,
        0..=0x1F => false,
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
        0xEF => !(bytes.get(i + 1) == Some(&0xBF) && bytes.get(i + 2).is_some_and(|&c| c >= 0xBE)),
        _ => true,
    })
}

/// Appends `text` as element content or an attribute value: `&<>"'` as
/// entities, characters XML cannot carry dropped; tab, line feed and
/// carriage return are kept as they are.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    if is_plain(text) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text` escaped by [`push_escaped`].
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"岳阳<试点>&"联合"'单位'"#),
            "岳阳&lt;试点&gt;&amp;&quot;联合&quot;&apos;单位&apos;"
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        assert_eq!(escape("a\u{0}b\u{1}c\u{1F}d\u{FFFE}e\u{FFFF}f"), "abcdef");
        assert_eq!(escape("a\tb\nc\rd"), "a\tb\nc\rd");
        // Other characters whose UTF-8 holds 0xBF are kept.
        assert_eq!(escape("\u{FFFD}\u{BF}忿"), "\u{FFFD}\u{BF}忿");
    }
}
