//! A draw the register does not have (a fresh register, a season folder
//! copied to another machine) is recovered from the inspectors' workbook
//! itself, and only when it checks out: the workbook's title carries the
//! seed, its rows the units in draw order, and drawing again with that
//! seed from the county results must give exactly those units. The draw
//! is public and reproducible, so this is the verification anyone could do.

use super::{SpotReader, spot_sheet};
use crate::intake::contract::Field;
use crate::review::ReviewResult;
use crate::roster::Roster;
use crate::sample::{SampleDraw, draw_record};
use std::path::PathBuf;

/// Written before the seed in the workbook's title: `（种子20201106）`.
pub const SEED_MARK: &str = "种子";

/// The draw the first workbook in `files` that verifies stands for, drawn
/// again from `results` (the county results in force).
pub fn draw_from_workbooks(
    files: &[PathBuf],
    read: &SpotReader<'_>,
    roster: &Roster,
    results: &[ReviewResult],
) -> Option<SampleDraw> {
    files.iter().find_map(|path| {
        let workbook = read(path).ok()?;
        let (sheet, header) = spot_sheet(&workbook)?;
        let title: String = sheet
            .rows
            .iter()
            .take_while(|r| r.index < header.row)
            .flat_map(|r| r.cells.iter())
            .map(|c| c.value.display())
            .collect();
        let seed = seed_in(&title)?;
        let name_col = header.col(Field::Name)?;
        let listed: Vec<String> = sheet
            .rows
            .iter()
            .filter(|r| r.index > header.last_row)
            .filter_map(|r| roster.lookup(r.get(name_col).display().trim()))
            .map(|u| u.name.clone())
            .collect();
        if listed.is_empty() {
            return None;
        }
        let draw = draw_record(roster, results, listed.len(), seed);
        let drawn: Vec<&String> = draw.picks.iter().map(|p| &p.unit).collect();
        (drawn == listed.iter().collect::<Vec<_>>()).then_some(draw)
    })
}

/// The digits after the seed mark.
fn seed_in(title: &str) -> Option<u64> {
    let at = title.find(SEED_MARK)? + SEED_MARK.len();
    let digits: String = title[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_read_from_the_title() {
        assert_eq!(
            seed_in("岳阳市2020年文明单位随机抽查情况表（种子20201106）"),
            Some(20201106)
        );
        assert_eq!(seed_in(&format!("（种子{}）", u64::MAX)), Some(u64::MAX));
        assert_eq!(seed_in("随机抽查情况表"), None);
        assert_eq!(seed_in("种子："), None);
    }
}
