//! Heading numbers (一、 （一） 1. （1）) and Chinese numerals.

/// Whether a heading's text already starts with the number of its level.
pub(super) fn has_number(level: usize, text: &str) -> bool {
    let is_cn = |c: char| "〇零一二三四五六七八九十百".contains(c);
    match level {
        1 => {
            let n = text.chars().take_while(|&c| is_cn(c)).count();
            n > 0 && text.chars().nth(n) == Some('、')
        }
        2 | 4 => {
            let Some(rest) = text.strip_prefix('（').or_else(|| text.strip_prefix('(')) else {
                return false;
            };
            let n = rest
                .chars()
                .take_while(|&c| {
                    if level == 2 {
                        is_cn(c)
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            n > 0 && matches!(rest.chars().nth(n), Some('）' | ')'))
        }
        _ => {
            let n = text.chars().take_while(|c| c.is_ascii_digit()).count();
            n > 0 && matches!(text.chars().nth(n), Some('.' | '．'))
        }
    }
}

/// The number prefix of a heading: 一、 （一） 1. （1）.
pub fn heading_number(level: usize, n: u32) -> String {
    match level {
        1 => format!("{}、", chinese_number(n)),
        2 => format!("（{}）", chinese_number(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// Chinese numerals as used in numbering: 一 … 十 十一 … 二十 … 九十九, 一百 …
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    if n < 20 {
        return format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n - 10) as usize]
            }
        );
    }
    if n < 100 {
        let tens = DIGITS[(n / 10) as usize];
        let ones = if n.is_multiple_of(10) {
            ""
        } else {
            DIGITS[(n % 10) as usize]
        };
        return format!("{tens}十{ones}");
    }
    if n < 1000 {
        let hundreds = DIGITS[(n / 100) as usize];
        let rest = n % 100;
        return match rest {
            0 => format!("{hundreds}百"),
            1..=9 => format!("{hundreds}百零{}", DIGITS[rest as usize]),
            10..=19 => format!("{hundreds}百一{}", chinese_number(rest)),
            _ => format!("{hundreds}百{}", chinese_number(rest)),
        };
    }
    n.to_string()
}
