//! Typed values from raw cells: dates in every form counties send, scores and
//! rates, the list of review methods. Helpers return plain results and the
//! row checks attach the cell.

use super::text::fold_width;
use crate::ingest::CellValue;
use crate::review::Method;
use chrono::NaiveDate;

/// A date from a date cell, a serial number (as a number or as text), or
/// text: `2020-07-15`, `2020/7/15`, `2020.7.15`, `2020年7月15日`, `20200715`,
/// or `7月15日` (the campaign's year). Full-width digits are accepted.
pub fn parse_date(value: &CellValue, campaign_year: i32) -> Option<NaiveDate> {
    match value {
        CellValue::DateTime(dt) => Some(dt.date()),
        CellValue::Number(n) => serial_to_date(*n),
        CellValue::Text(s) => parse_date_text(s, campaign_year),
        _ => None,
    }
}

/// Excel's 1900 serial number: day 1 is 1900-01-01, and the fictitious
/// 1900-02-29 makes the epoch 1899-12-30 for every date we meet. Only serials
/// between 1950 and 2100 are taken as dates.
fn serial_to_date(n: f64) -> Option<NaiveDate> {
    if !(18_264.0..=73_051.0).contains(&n) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(chrono::Duration::days(n.trunc() as i64))
}

fn parse_date_text(s: &str, campaign_year: i32) -> Option<NaiveDate> {
    let folded = fold_width(s);
    let mut t = folded.trim();
    // Drop a time of day: "2020-07-15 00:00:00", "2020-07-15T09:30".
    if let Some(i) = t.find([' ', 'T'])
        && t[i + 1..].contains(':')
    {
        t = t[..i].trim();
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') && !t.is_empty() {
        let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
        if t.len() == 8 && digits.len() == 8 {
            let (y, m, d) = (&t[..4], &t[4..6], &t[6..]);
            return ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
        if let Ok(n) = t.parse::<f64>()
            && t.split('.').count() <= 2
            && n >= 10_000.0
        {
            return serial_to_date(n);
        }
    }
    let (numbers, seps) = split_numbers(t)?;
    match (numbers.as_slice(), seps.as_slice()) {
        ([y, m, d], [a, b, tail]) if *y >= 1000 => {
            let dashed = a == b && ["-", "/", "."].contains(&a.as_str()) && tail.is_empty();
            let chinese = a == "年" && b == "月" && ["日", "号", ""].contains(&tail.as_str());
            (dashed || chinese).then_some(())?;
            ymd(*y, *m, *d)
        }
        ([m, d], [a, tail]) if a == "月" && ["日", "号", ""].contains(&tail.as_str()) => {
            ymd(campaign_year as u32, *m, *d)
        }
        _ => None,
    }
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Splits `2020年7月15日` into `[2020, 7, 15]` and the text after each
/// number `["年", "月", "日"]`; None when text precedes the first number.
fn split_numbers(t: &str) -> Option<(Vec<u32>, Vec<String>)> {
    let mut numbers = Vec::new();
    let mut seps = Vec::new();
    let mut chars = t.chars().peekable();
    if !chars.peek()?.is_ascii_digit() {
        return None;
    }
    while chars.peek().is_some() {
        let mut digits = String::new();
        while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
            digits.push(c);
            chars.next();
        }
        if digits.len() > 4 {
            return None;
        }
        numbers.push(digits.parse().ok()?);
        let mut sep = String::new();
        while let Some(c) = chars.peek().copied().filter(|c| !c.is_ascii_digit()) {
            if !c.is_whitespace() {
                sep.push(c);
            }
            chars.next();
        }
        seps.push(sep);
        if numbers.len() > 3 {
            return None;
        }
    }
    Some((numbers, seps))
}

/// A number from a number cell or text such as `92.5`, `９５`, `95分`.
pub fn parse_number(value: &CellValue) -> Option<f64> {
    match value {
        CellValue::Number(n) => Some(*n),
        CellValue::Text(s) => {
            let t = fold_width(s);
            let t = t.trim().trim_end_matches('分').trim();
            t.parse::<f64>().ok().filter(|n| n.is_finite())
        }
        _ => None,
    }
}

/// A satisfaction rate in percent: `95`, `95%`, `95.5％`, or a fraction
/// such as `0.95` (a percent-formatted cell holds the fraction).
pub fn parse_percent(value: &CellValue) -> Option<f64> {
    match value {
        CellValue::Number(n) if n.is_finite() => {
            // Round away the binary noise of 0.93 * 100.
            let pct = if n.abs() <= 1.0 { n * 100.0 } else { *n };
            Some((pct * 1e6).round() / 1e6)
        }
        CellValue::Text(s) => {
            let t = fold_width(s);
            let t = t.trim();
            match t.strip_suffix('%') {
                Some(p) => p.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
                None => parse_percent(&CellValue::Number(t.parse::<f64>().ok()?)),
            }
        }
        _ => None,
    }
}

/// The methods named in a cell, in order, without repeats; or the words
/// that are not methods.
pub fn parse_methods(text: &str) -> Result<Vec<Method>, Vec<String>> {
    let folded = fold_width(text);
    let mut methods = Vec::new();
    let mut unknown = Vec::new();
    for word in folded
        .split(['、', ',', ';', '/', '+', '\n', ' ', '\t', '，', '；'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        match Method::parse(word) {
            Some(m) if !methods.contains(&m) => methods.push(m),
            Some(_) => {}
            None => unknown.push(word.to_string()),
        }
    }
    if unknown.is_empty() {
        Ok(methods)
    } else {
        Err(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn every_documented_date_form_parses() {
        let want = NaiveDate::from_ymd_opt(2020, 7, 15);
        for form in [
            "2020-07-15",
            "2020/7/15",
            "2020.7.15",
            "2020年7月15日",
            "7月15日",
            "２０２０年７月１５日",
            "2020-07-15 00:00:00",
            "20200715",
            "44027",
            "44027.0",
        ] {
            assert_eq!(parse_date(&text(form), 2020), want, "{form}");
        }
        assert_eq!(parse_date(&CellValue::Number(44027.0), 2020), want);
        assert_eq!(parse_date(&text("2020年13月1日"), 2020), None);
        assert_eq!(parse_date(&text("2020-7/15"), 2020), None);
        assert_eq!(parse_date(&text("七月中旬"), 2020), None);
        assert_eq!(parse_date(&CellValue::Number(95.0), 2020), None);
    }

    #[test]
    fn rates_accept_percent_signs_and_fractions() {
        assert_eq!(parse_percent(&text("95%")), Some(95.0));
        assert_eq!(parse_percent(&text("９５．５％")), Some(95.5));
        assert_eq!(parse_percent(&CellValue::Number(0.93)), Some(93.0));
        assert_eq!(parse_number(&text("88分")), Some(88.0));
        assert_eq!(parse_number(&text("９５．５")), Some(95.5));
        assert_eq!(parse_number(&text("优秀")), None);
    }

    #[test]
    fn methods_split_on_any_separator() {
        assert_eq!(
            parse_methods("实地察看、听取汇报，问卷调查"),
            Ok(vec![Method::OnSite, Method::Hearing, Method::Survey])
        );
        assert_eq!(
            parse_methods("实地察看 材料审核"),
            Ok(vec![Method::OnSite, Method::Files])
        );
        assert_eq!(parse_methods("实地查看"), Err(vec!["实地查看".to_string()]));
    }
}
