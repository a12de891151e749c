//! Text folding shared by the intake checks and the roster loader: clerks
//! type full-width digits and brackets, stray spaces and line breaks inside
//! header labels, and the same label in several wordings.

/// Folds full-width ASCII (`０-９`, `（）`, `％`...) and the ideographic space
/// to their half-width forms.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A header label reduced to what identifies it: widths folded, whitespace
/// and line breaks removed, a percent sign in any bracket form removed, and
/// required-field stars and trailing colons dropped.
pub fn normalize_label(s: &str) -> String {
    let folded: String = fold_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200b}' && *c != '\u{feff}')
        .collect();
    let mut out = folded
        .replace("(%)", "")
        .replace("[%]", "")
        .replace(['%', '*'], "");
    while out.ends_with(':') {
        out.pop();
    }
    out
}

/// A cell's text cut for quoting in a message: a 30,000-character cell must
/// not make a 30,000-character diagnostic.
pub fn clip(s: &str, max_chars: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let head: String = s.chars().take(max_chars).collect();
        format!("{head}…（共{}字）", s.chars().count())
    }
}

/// Values clerks write for "nothing" in a text column.
pub fn means_none(s: &str) -> bool {
    matches!(
        fold_width(s).trim(),
        "" | "无" | "没有" | "否" | "/" | "-" | "--" | "—" | "——" | "暂无" | "无。"
    )
}

/// 是/否 and their common variants.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match fold_width(s).trim().to_ascii_lowercase().as_str() {
        "是" | "涉及" | "有" | "y" | "yes" | "√" | "true" => Some(true),
        "否" | "不涉及" | "无" | "n" | "no" | "×" | "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold_widths_spaces_breaks_and_percent() {
        assert_eq!(normalize_label("群众满意度（%）"), "群众满意度");
        assert_eq!(normalize_label("群众\n满意度(%)"), "群众满意度");
        assert_eq!(normalize_label(" 单位 名称*："), "单位名称");
        assert_eq!(fold_width("２０２０年７月"), "2020年7月");
    }

    #[test]
    fn long_text_is_clipped_for_messages() {
        let long = "字".repeat(30_000);
        let c = clip(&long, 10);
        assert!(c.starts_with("字字字字字字字字字字…"));
        assert!(c.contains("30000"));
    }
}
