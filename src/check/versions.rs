//! Several files from one reporting body are versions of its data: the
//! first file, then a 第二次报送, a 更正 or a 修改稿, sent after a
//! 退回修改意见. This module decides which value of each unit is in force.
//!
//! What a clerk expects, for a full resubmission and a partial correction
//! alike:
//! - Versions are ordered by when the office received them (the register
//!   knows; without it, all at once), then by the name's mark ([`version_rank`]),
//!   then by name.
//! - Each unit's value is taken from the latest version that names it. A
//!   unit named in two versions is not a `duplicate-unit`; only a unit named
//!   twice in one file, or by two different bodies, is.
//! - A unit named in an earlier version and not in the latest keeps its
//!   earlier value, and the latest version gets a `unit-not-in-new-version`
//!   warning naming it, so nothing drops out unsaid: a full resubmission
//!   that forgot a row shows it, a partial correction shows what it did not
//!   touch.
//! - If the latest version names a unit but its row is rejected, the unit
//!   has no value in force until that row is fixed; the error says why.

use super::FileSummary;
use super::rows::Seen;
use crate::diag::{Code, Diagnostic};
use crate::review::ReviewResult;
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, BTreeSet};

/// When each file (by its path as displayed) was received, from the
/// register. Files it does not list count as received now, together.
pub type Receipts = BTreeMap<String, NaiveDateTime>;

/// How late a file name says its version is: 0 for no mark, 1 for a
/// correction (更正, 修改, 修订, 补报, 重报 …), n for 第n次 or vn.
pub fn version_rank(name: &str) -> u32 {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut rank = 0;
    for mark in [
        "更正", "修改", "修订", "补报", "重报", "最新", "终稿", "定稿",
    ] {
        if stem.contains(mark) {
            rank = rank.max(1);
        }
    }
    if let Some(n) = nth_submission(stem).filter(|n| *n > 1) {
        rank = rank.max(n);
    }
    if let Some(n) = v_number(stem) {
        rank = rank.max(n);
    }
    rank
}

/// `第二次` … `第十次`, or `第2次`.
fn nth_submission(stem: &str) -> Option<u32> {
    const DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    stem.split('第')
        .skip(1)
        .filter_map(|rest| {
            let (number, _) = rest.split_once('次')?;
            number.parse::<u32>().ok().or_else(|| {
                DIGITS
                    .iter()
                    .position(|d| *d == number)
                    .map(|i| i as u32 + 1)
            })
        })
        .max()
}

/// `v2`, `V3`, `_v2`: a `v` not inside a word, then digits.
fn v_number(stem: &str) -> Option<u32> {
    let chars: Vec<char> = stem.chars().collect();
    (0..chars.len())
        .filter(|&i| matches!(chars[i], 'v' | 'V'))
        .filter(|&i| i == 0 || !chars[i - 1].is_ascii_alphabetic())
        .filter_map(|i| {
            let digits: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            digits.parse().ok()
        })
        .max()
}

/// The sort key of a version: see [`version_key`].
pub type VersionKey = (NaiveDateTime, u32, String);

/// The sort key of a version: received time (unlisted files last, as now),
/// the name's mark, the name.
pub fn version_key(path: &str, receipts: &Receipts) -> VersionKey {
    // A file not yet in the register is being received now, after all
    // those it has.
    let received = receipts.get(path).copied().unwrap_or(NaiveDateTime::MAX);
    (received, version_rank(path), path.to_string())
}

/// Applies the versions to a checked batch: drops the values of units that
/// a later version of the same body names again, and warns of units the
/// latest version left out.
pub(super) fn resolve(
    files: &[FileSummary],
    seen: &Seen,
    receipts: &Receipts,
    results: &mut Vec<ReviewResult>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let key = |path: &str| version_key(path, receipts);
    // The latest file naming each unit.
    let latest_of: BTreeMap<&str, &str> = seen
        .iter()
        .filter_map(|(unit, at)| {
            at.iter()
                .max_by_key(|a| key(&a.file))
                .map(|a| (unit.as_str(), a.file.as_str()))
        })
        .collect();
    results.retain(|r| latest_of.get(r.unit.as_str()) == Some(&r.origin.file.as_str()));

    // Per body, its versions in order; the latest must name what the
    // earlier ones named, or say so.
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in files {
        if let Some(body) = f.jurisdiction.as_deref() {
            versions.entry(body).or_default().push(f.path.as_str());
        }
    }
    settle_superseded(files, &latest_of, diagnostics);
    for paths in versions.values_mut().filter(|v| v.len() > 1) {
        paths.sort_by_key(|p| key(p));
        let latest = *paths.last().expect("two or more");
        let named_by = |file: &str| -> BTreeSet<&str> {
            seen.iter()
                .filter(|(_, at)| at.iter().any(|a| a.file == file))
                .map(|(unit, _)| unit.as_str())
                .collect()
        };
        let in_latest = named_by(latest);
        let mut said = BTreeSet::new();
        for earlier in paths[..paths.len() - 1].iter().rev() {
            for unit in named_by(earlier) {
                if in_latest.contains(unit) || !said.insert(unit) {
                    continue;
                }
                diagnostics.push(
                    Diagnostic::warning(
                        Code::UnitNotInNewVersion,
                        format!(
                            "“{unit}”在前一版 {earlier} 中有，在最新一版中没有，沿用前一版的结果"
                        ),
                    )
                    .in_file(latest)
                    .for_unit(unit)
                    .suggest("若是整表重新报送，请补上该单位；若只报送更正的行，可不理会"),
                );
            }
        }
    }
}

/// An earlier version's problems with a unit that a later version of the
/// same body names again are settled by the later one: the corrected row is
/// judged on its own, and the old one no longer holds the season up.
fn settle_superseded(
    files: &[FileSummary],
    latest_of: &BTreeMap<&str, &str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let body_of = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.jurisdiction.as_deref())
    };
    diagnostics.retain(|d| {
        let (Some(file), Some(unit)) = (d.file.as_deref(), d.unit.as_deref()) else {
            return true;
        };
        match latest_of.get(unit) {
            Some(&latest) if latest != file => {
                body_of(latest).is_none() || body_of(latest) != body_of(file)
            }
            _ => true,
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_of_a_later_version_rank_above_none() {
        assert_eq!(version_rank("报送/汨罗市复查情况.xlsx"), 0);
        assert_eq!(version_rank("汨罗市复查情况（更正）.xlsx"), 1);
        assert_eq!(version_rank("汨罗市复查情况修改稿.xlsx"), 1);
        assert_eq!(version_rank("汨罗市第一次报送.xlsx"), 0);
        assert_eq!(version_rank("汨罗市第二次报送.xlsx"), 2);
        assert_eq!(version_rank("汨罗市第3次报送.xlsx"), 3);
        assert_eq!(version_rank("汨罗市复查情况v2.xlsx"), 2);
        assert_eq!(version_rank("汨罗市复查情况_V3.csv"), 3);
        // A v inside a word is not a version mark, nor is the extension.
        assert_eq!(version_rank("review2.xlsx"), 0);
        assert_eq!(version_rank("汨罗市.v2"), 0);
    }

    #[test]
    fn the_register_s_receipt_time_comes_before_the_mark() {
        let t = |d| {
            chrono::NaiveDate::from_ymd_opt(2020, 10, d)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
        };
        let receipts = Receipts::from([
            ("汨罗市（更正）.xlsx".to_string(), t(10)),
            ("汨罗市.xlsx".to_string(), t(12)),
        ]);
        assert!(
            version_key("汨罗市（更正）.xlsx", &receipts) < version_key("汨罗市.xlsx", &receipts)
        );
        // Without receipts the mark decides; a file the register has not
        // seen comes after those it has.
        let none = Receipts::new();
        assert!(version_key("汨罗市.xlsx", &none) < version_key("汨罗市（更正）.xlsx", &none));
        assert!(
            version_key("汨罗市.xlsx", &receipts) < version_key("汨罗市第二次报送.xlsx", &receipts)
        );
    }
}
