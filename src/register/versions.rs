//! Which of two files from one reporting body is the later version, and
//! what changed between them.
//!
//! A body's versions are ordered by when the register first received them.
//! Files first seen in the same run (a clerk drops the first file and its
//! correction into the folder together) tie on that, and then the name
//! decides: a name marked as a later version (第二次报送, 更正, 修改稿,
//! v2 …) comes after one without a mark, and 第三次 after 第二次.

use super::{StoredRow, Submission};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// How late a file name says its version is: 0 for no mark, 1 for a
/// correction (更正, 修改, 修订, 补报, 重报), n for 第n次 or vn.
pub fn version_rank(name: &str) -> u32 {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut rank = 0;
    for mark in [
        "更正", "修改", "修订", "补报", "重报", "最新", "终稿", "定稿",
    ] {
        if stem.contains(mark) {
            rank = rank.max(1);
        }
    }
    if let Some(n) = nth_submission(stem) {
        // 第一次报送 is the first version, not a correction.
        rank = if n == 1 { rank } else { rank.max(n) };
    }
    if let Some(n) = v_number(stem) {
        rank = rank.max(n);
    }
    rank
}

/// `第二次` … `第十次`, or `第2次`.
fn nth_submission(stem: &str) -> Option<u32> {
    let after = stem.split("第").skip(1);
    after
        .filter_map(|rest| {
            let (number, _) = rest.split_once('次')?;
            number
                .parse::<u32>()
                .ok()
                .or_else(|| chinese_small_number(number))
        })
        .max()
}

fn chinese_small_number(text: &str) -> Option<u32> {
    const DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    DIGITS.iter().position(|d| *d == text).map(|i| i as u32 + 1)
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

/// The order of two versions from one body: received time, then the
/// name's mark, then the name, then the order entered.
pub fn version_order(a: &Submission, b: &Submission) -> Ordering {
    a.received_at
        .cmp(&b.received_at)
        .then_with(|| version_rank(&a.name).cmp(&version_rank(&b.name)))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
}

/// What changed from one version of a body's file to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionDiff {
    /// Units in the new version and not the old.
    pub added: Vec<String>,
    /// Units in the old version and not the new (they stay in force from
    /// the old one).
    pub missing: Vec<String>,
    /// Cells that differ, by unit: (unit, column, old, new).
    pub changed: Vec<(String, String, String, String)>,
}

/// The difference between two versions' rows, by unit (rows that name no
/// roster unit are left out).
pub fn diff(old: &[StoredRow], new: &[StoredRow]) -> VersionDiff {
    let by_unit = |rows: &[StoredRow]| -> BTreeMap<String, Vec<(String, String)>> {
        rows.iter()
            .filter_map(|r| r.unit.clone().map(|u| (u, r.cells.clone())))
            .collect()
    };
    let (old, new) = (by_unit(old), by_unit(new));
    let mut d = VersionDiff::default();
    for (unit, cells) in &new {
        match old.get(unit) {
            None => d.added.push(unit.clone()),
            Some(before) => {
                let before: BTreeMap<&str, &str> = before
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                for (column, value) in cells {
                    let was = before.get(column.as_str()).copied().unwrap_or("");
                    if was.trim() != value.trim() {
                        d.changed.push((
                            unit.clone(),
                            column.clone(),
                            was.to_string(),
                            value.clone(),
                        ));
                    }
                }
            }
        }
    }
    d.missing = old
        .keys()
        .filter(|u| !new.contains_key(*u))
        .cloned()
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_of_a_later_version_rank_above_none() {
        assert_eq!(version_rank("汨罗市复查情况.xlsx"), 0);
        assert_eq!(version_rank("汨罗市复查情况（更正）.xlsx"), 1);
        assert_eq!(version_rank("汨罗市复查情况修改稿.xlsx"), 1);
        assert_eq!(version_rank("汨罗市第一次报送.xlsx"), 0);
        assert_eq!(version_rank("汨罗市第二次报送.xlsx"), 2);
        assert_eq!(version_rank("汨罗市第3次报送.xlsx"), 3);
        assert_eq!(version_rank("汨罗市复查情况v2.xlsx"), 2);
        assert_eq!(version_rank("汨罗市复查情况_V3.csv"), 3);
        // A v inside a word is not a version mark.
        assert_eq!(version_rank("review2.xlsx"), 0);
        // The extension is not part of the name.
        assert_eq!(version_rank("汨罗市.v2"), 0);
    }

    fn row(unit: &str, score: &str) -> StoredRow {
        StoredRow {
            sheet: "复查情况".into(),
            row: 4,
            unit: Some(unit.into()),
            accepted: true,
            cells: vec![
                ("单位名称".into(), unit.into()),
                ("测评得分".into(), score.into()),
            ],
        }
    }

    #[test]
    fn a_diff_names_added_missing_and_changed_cells() {
        let old = [row("甲", "90"), row("乙", "80")];
        let new = [row("甲", "92"), row("丙", "85")];
        let d = diff(&old, &new);
        assert_eq!(d.added, ["丙"]);
        assert_eq!(d.missing, ["乙"]);
        assert_eq!(
            d.changed,
            [("甲".into(), "测评得分".into(), "90".into(), "92".into())]
        );
    }
}
