//! The text of a DOCX run; escaping itself is [`crate::render::xml`]'s.

pub(crate) use crate::render::xml::escape;
use crate::render::xml::push_escaped;

/// Appends the text of a `w:t`: escaped, and without line feeds or carriage
/// returns, which a word processor shows as nothing more than a space (a
/// line break in our text is a `w:br`, made by the builder).
pub(crate) fn push_run_text(out: &mut String, text: &str) {
    if text.contains(['\n', '\r']) {
        let flat: String = text.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
        push_escaped(out, &flat);
    } else {
        push_escaped(out, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_text_loses_line_ends_only() {
        let mut out = String::new();
        push_run_text(&mut out, "一\n二\r\n三\t&");
        assert_eq!(out, "一二三\t&amp;");
    }
}
