//! The roster: every unit due for review, with its honour, award year,
//! jurisdiction (the reporting body that reviews it) and reform flag.
//!
//! The reporting bodies are whatever the roster's 所属县市区 column names;
//! nothing in code or config fixes that list. Names are matched after
//! normalisation (spaces, full/half-width forms) and through aliases, since
//! counties write full or corrected names.

mod load;

pub use load::RosterError;
pub(crate) use load::parse_year;

use crate::review::HonourLevel;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One unit under review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// The official name, as the work plan lists it.
    pub name: String,
    /// Other names a spreadsheet may use (full or corrected forms).
    pub aliases: Vec<String>,
    /// The honour held.
    pub level: HonourLevel,
    /// The year the honour was given.
    pub award_year: i32,
    /// The reporting body (所属县市区), e.g. 市直 or 岳阳县.
    pub jurisdiction: String,
    /// Touched by the institutional reforms.
    pub reform: bool,
    /// Remarks (备注).
    pub remarks: String,
}

/// The roster, in file order, with a name index.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    units: Vec<Unit>,
    /// Normalised name or alias → index into `units`.
    index: HashMap<String, usize>,
    /// The workbook it was loaded from, if any.
    source: Option<PathBuf>,
    /// Each reporting body with the indices of its units, in order of first
    /// appearance: a province has thousands of bodies, and `check` asks for
    /// them per row, so they are not worked out from `units` each time.
    bodies: Vec<(String, Vec<usize>)>,
    /// Normalised body name → index into `bodies`.
    body_index: HashMap<String, usize>,
}

impl Roster {
    /// Builds the roster and its name index. A later unit whose normalised
    /// name or alias is taken keeps its place in `units` but does not take
    /// over the earlier unit's name.
    pub fn from_units(units: Vec<Unit>) -> Roster {
        let mut index = HashMap::new();
        for (i, unit) in units.iter().enumerate() {
            for name in std::iter::once(&unit.name).chain(&unit.aliases) {
                index.entry(normalize_name(name)).or_insert(i);
            }
        }
        let bodies = group_by_body(&units);
        let body_index = bodies
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (normalize_name(name), i))
            .collect();
        Roster {
            units,
            index,
            source: None,
            bodies,
            body_index,
        }
    }

    /// The reporting body written exactly as the roster writes it, up to
    /// spaces and full/half-width forms.
    pub fn body(&self, written: &str) -> Option<&str> {
        self.body_index
            .get(&normalize_name(written))
            .map(|&i| self.bodies[i].0.as_str())
    }

    /// The workbook the roster was loaded from (None when built in code).
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// The position of a unit in the roster, by its official name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.indexed(name)
            .filter(|&i| self.units[i].name == name)
            .or_else(|| self.units.iter().position(|u| u.name == name))
    }

    /// All units in roster order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The unit a spreadsheet name refers to, by name or alias.
    pub fn lookup(&self, name: &str) -> Option<&Unit> {
        self.indexed(name).map(|i| &self.units[i])
    }

    /// The index entry of a name. Most names arrive already in normalised
    /// form (the roster's own, in results); they are looked up as they are,
    /// without the copy normalising makes (`normalize_name` is idempotent,
    /// so a hit means the same entry).
    fn indexed(&self, name: &str) -> Option<usize> {
        match self.index.get(name) {
            Some(&i) => Some(i),
            None => self.index.get(&normalize_name(name)).copied(),
        }
    }

    /// The reporting bodies, in order of first appearance in the roster.
    pub fn jurisdictions(&self) -> Vec<&str> {
        self.bodies.iter().map(|(b, _)| b.as_str()).collect()
    }

    /// The units a reporting body reviews, in roster order.
    pub fn units_of<'a>(&'a self, jurisdiction: &'a str) -> impl Iterator<Item = &'a Unit> + 'a {
        let members = self
            .bodies
            .iter()
            .find(|(b, _)| b == jurisdiction)
            .map_or(&[][..], |(_, m)| m.as_slice());
        members.iter().map(|&i| &self.units[i])
    }

    /// The roster names closest to `name`, best first, for "did you mean".
    pub fn closest(&self, name: &str, n: usize) -> Vec<&str> {
        let target = normalize_name(name);
        let mut scored: Vec<(usize, &str)> = self
            .units
            .iter()
            .map(|u| {
                let best = std::iter::once(&u.name)
                    .chain(&u.aliases)
                    .map(|cand| char_distance(&target, &normalize_name(cand)))
                    .min()
                    .unwrap_or(usize::MAX);
                (best, u.name.as_str())
            })
            .collect();
        scored.sort();
        let limit = target.chars().count().max(2) / 2 + 1;
        scored
            .into_iter()
            .filter(|(d, _)| *d <= limit)
            .take(n)
            .map(|(_, s)| s)
            .collect()
    }
}

/// The reporting bodies in order of first appearance, each with its units.
fn group_by_body(units: &[Unit]) -> Vec<(String, Vec<usize>)> {
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut bodies: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let slot = *position.entry(u.jurisdiction.as_str()).or_insert_with(|| {
            bodies.push((u.jurisdiction.clone(), Vec::new()));
            bodies.len() - 1
        });
        bodies[slot].1.push(i);
    }
    bodies
}

/// Folds the spellings a clerk may use for the same name into one key:
/// whitespace removed, full-width ASCII folded to half-width, and both kinds
/// of parentheses written full-width, as in official names.
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200b}' && *c != '\u{feff}')
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            '\u{ff01}'..='\u{ff5e}' if c != '（' && c != '）' => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Levenshtein distance over chars (names are short; quadratic is fine).
pub(crate) fn char_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str, aliases: &[&str]) -> Unit {
        Unit {
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            level: HonourLevel::Provincial,
            award_year: 2014,
            jurisdiction: "市直".into(),
            reform: false,
            remarks: String::new(),
        }
    }

    #[test]
    fn names_match_across_spaces_parentheses_and_aliases() {
        let r = Roster::from_units(vec![
            unit("岳阳县烟草专卖局（分公司）", &[]),
            unit("市中医院", &["岳阳市中医医院"]),
        ]);
        assert_eq!(
            r.lookup(" 岳阳县烟草专卖局(分公司) ").unwrap().name,
            "岳阳县烟草专卖局（分公司）"
        );
        assert_eq!(r.lookup("岳阳市 中医医院").unwrap().name, "市中医院");
        assert!(r.lookup("岳阳市中医院附属").is_none());
    }

    #[test]
    fn closest_names_suggest_the_likely_unit() {
        let r = Roster::from_units(vec![unit("岳阳市财政局", &[]), unit("岳阳市审计局", &[])]);
        assert_eq!(
            r.closest("岳阳市财政厅", 2),
            vec!["岳阳市财政局", "岳阳市审计局"]
        );
        assert!(r.closest("完全无关的名字很长很长", 3).is_empty());
    }
}
