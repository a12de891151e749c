//! Which of two files from one reporting body is the later version, and
//! what changed between them.
//!
//! A body's versions are ordered by when the register first received them.
//! Files first seen in the same run (a clerk drops the first file and its
//! correction into the folder together) tie on that, and then the name
//! decides ([`crate::check::version_rank`]): a name marked as a later
//! version (第二次报送, 更正, 修改稿, v2 …) comes after one without a mark.

use super::Submission;
use crate::check::ReadRow;
use crate::check::version_rank;
use std::cmp::Ordering;
use std::collections::BTreeMap;

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
pub fn diff(old: &[ReadRow], new: &[ReadRow]) -> VersionDiff {
    let by_unit = |rows: &[ReadRow]| -> BTreeMap<String, Vec<(String, String)>> {
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

    fn row(unit: &str, score: &str) -> ReadRow {
        ReadRow {
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
