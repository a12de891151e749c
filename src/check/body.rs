//! Which reporting body a written name means: the roster's 所属县市区 names,
//! longer forms of them (岳阳县文明办, 岳阳市岳阳县), and the short names the
//! office declares in `fucha.toml` under `[bodies]` (经开区 for
//! 岳阳经济技术开发区). One place, so the 所属县市区 column, the 报送信息
//! sheet and the file name all read a body the same way.

use super::text::normalize_label;
use crate::campaign::Campaign;
use crate::roster::Roster;

/// The roster body a written name refers to: the name itself (spaces and
/// widths ignored), a declared short name, or a longer text containing one
/// of them (the longest wins).
pub fn match_body(roster: &Roster, campaign: &Campaign, written: &str) -> Option<String> {
    // The usual case, a body written as the roster writes it, is one lookup;
    // the scans below are for forms like 岳阳县文明办 and for short names.
    if let Some(body) = roster.body(written) {
        return Some(body.to_string());
    }
    let key = normalize_label(written);
    if key.is_empty() {
        return None;
    }
    let names = body_names(roster, campaign);
    if let Some((_, b)) = names.iter().find(|(n, _)| normalize_label(n) == key) {
        return Some(b.to_string());
    }
    names
        .iter()
        .filter(|(n, _)| key.contains(&normalize_label(n)))
        .max_by_key(|(n, _)| n.chars().count())
        .map(|(_, b)| b.to_string())
}

/// The body named in a file name: the longest roster body or declared short
/// name the stem contains (岳阳县.xlsx, 2020年经开区复查情况.xls).
pub fn body_in_text(roster: &Roster, campaign: &Campaign, text: &str) -> Option<String> {
    body_names(roster, campaign)
        .into_iter()
        .filter(|(n, _)| text.contains(n))
        .max_by_key(|(n, _)| n.chars().count())
        .map(|(_, b)| b.to_string())
}

/// Every name a body goes by, with the body: the roster's own names first,
/// then the short names declared for bodies the roster has.
fn body_names<'a>(roster: &'a Roster, campaign: &'a Campaign) -> Vec<(&'a str, &'a str)> {
    let mut names: Vec<(&str, &str)> = roster.jurisdictions().into_iter().map(|b| (b, b)).collect();
    names.extend(
        campaign
            .short_names()
            .filter_map(|(short, body)| roster.body(body).map(|b| (short, b))),
    );
    names
}

/// The body `[bodies]` declares `written` a short name of, when the roster
/// has no such body: such a declaration does nothing (a config copied to
/// another city's roster is still valid), but a file using the short name
/// is told why it was not understood.
pub(super) fn stray_short_name<'c>(
    roster: &Roster,
    campaign: &'c Campaign,
    written: &str,
) -> Option<&'c str> {
    let key = normalize_label(written);
    campaign
        .short_names()
        .find(|(short, body)| normalize_label(short) == key && roster.body(body).is_none())
        .map(|(_, body)| body)
}
