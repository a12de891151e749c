//! Loading the roster workbook the office edits: the first visible sheet, its
//! header row found by its labels (title rows may sit above), one unit per
//! row. Every problem names the file, the sheet and the cell, in Chinese, and
//! all of them are reported at once so the office fixes the file in one go.

use super::{Roster, Unit};
use crate::check::header::find_labelled_header;
use crate::check::text::{fold_width, parse_yes_no};
use crate::diag::CellPos;
use crate::ingest::{self, IngestError, Row};
use crate::intake::contract::RosterColumn as Col;
use crate::review::HonourLevel;
use std::path::{Path, PathBuf};

/// Why the roster could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// The workbook itself could not be read.
    #[error("无法读取复查单位名单")]
    Read(#[from] IngestError),
    /// No visible sheet with rows.
    #[error("复查单位名单 {path} 中没有可用的工作表")]
    NoSheet {
        /// The roster file.
        path: PathBuf,
    },
    /// No row carries the required labels.
    #[error(
        "复查单位名单 {path} 的工作表“{sheet}”中找不到表头行（应含“单位名称”“荣誉类别”“命名年度”“所属县市区”）"
    )]
    MissingHeader {
        /// The roster file.
        path: PathBuf,
        /// The sheet searched.
        sheet: String,
    },
    /// A required column is absent.
    #[error("复查单位名单 {path} 的工作表“{sheet}”缺少“{column}”列（表头在第{row}行）")]
    MissingColumn {
        /// The roster file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
        /// The missing label.
        column: &'static str,
        /// The 1-based header row.
        row: u32,
    },
    /// Cells with wrong values; each problem is `工作表!单元格：说明`.
    #[error("复查单位名单 {path} 有误：{}", problems.join("；"))]
    Invalid {
        /// The roster file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<String>,
    },
}

/// Rows a roster sheet may have: a national roster stays far below this,
/// while intake workbooks keep the tighter `ingest::MAX_ROWS`.
const MAX_ROSTER_ROWS: usize = 1_000_000;

/// How many rows from the top may hold titles above the roster's header.
const HEADER_SEARCH_ROWS: usize = 30;

impl Roster {
    /// Loads the roster workbook; the roster remembers its path so that a
    /// folder walk does not take it for an intake file.
    pub fn load(path: &Path) -> Result<Roster, RosterError> {
        let workbook = ingest::read_workbook_with_rows(path, MAX_ROSTER_ROWS)?;
        let sheet = workbook
            .first_visible()
            .filter(|s| !s.rows.is_empty())
            .ok_or_else(|| RosterError::NoSheet {
                path: path.to_path_buf(),
            })?;
        // The intake sheets' header finder: title rows above, a two-row
        // header, the same rules for both kinds of workbook.
        let header =
            find_labelled_header(&sheet.rows, HEADER_SEARCH_ROWS, Col::from_label, Col::Name)
                .ok_or_else(|| RosterError::MissingHeader {
                    path: path.to_path_buf(),
                    sheet: sheet.name.clone(),
                })?;
        let columns = header.columns;
        for req in Col::REQUIRED {
            if !columns.iter().any(|(c, _)| *c == req) {
                return Err(RosterError::MissingColumn {
                    path: path.to_path_buf(),
                    sheet: sheet.name.clone(),
                    column: req.label(),
                    row: header.row + 1,
                });
            }
        }
        let mut units = Vec::new();
        let mut problems = Vec::new();
        for row in sheet.rows.iter().filter(|r| r.index > header.last_row) {
            if row.is_blank() {
                continue;
            }
            match read_unit(row, &columns) {
                Ok(unit) => units.push(unit),
                Err(mut errs) => problems.extend(
                    errs.drain(..)
                        .map(|(cell, msg)| format!("{}!{cell}：{msg}", sheet.name)),
                ),
            }
        }
        let mut seen = std::collections::BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(first) = seen.insert(super::normalize_name(&u.name), i) {
                problems.push(format!(
                    "{}：单位“{}”重复出现（第{}个和第{}个单位）",
                    sheet.name,
                    u.name,
                    first + 1,
                    i + 1
                ));
            }
        }
        if units.is_empty() && problems.is_empty() {
            problems.push(format!("{}：表头下没有任何单位", sheet.name));
        }
        if !problems.is_empty() {
            return Err(RosterError::Invalid {
                path: path.to_path_buf(),
                problems,
            });
        }
        let mut roster = Roster::from_units(units);
        roster.source = Some(path.to_path_buf());
        Ok(roster)
    }
}

type CellProblems = Vec<(CellPos, String)>;

fn read_unit(row: &Row, columns: &[(Col, u32)]) -> Result<Unit, CellProblems> {
    let mut problems = Vec::new();
    let cell = |c: Col| {
        columns
            .iter()
            .find(|(x, _)| *x == c)
            .map(|&(_, col)| (CellPos::new(row.index, col), row.get(col).display()))
    };
    let text = |c: Col| {
        cell(c)
            .map(|(_, t)| t.trim().to_string())
            .unwrap_or_default()
    };
    let (name_pos, name) = cell(Col::Name).expect("required column");
    let name = name.trim().to_string();
    if name.is_empty() {
        problems.push((name_pos, "单位名称为空".to_string()));
    }
    let (level_pos, level_text) = cell(Col::Level).expect("required column");
    let level = HonourLevel::parse(&level_text);
    if level.is_none() {
        problems.push((
            level_pos,
            format!(
                "荣誉类别“{}”无法识别，应为全国文明单位、省级文明标兵单位、省级文明单位、市级文明标兵单位或市级文明单位",
                level_text.trim()
            ),
        ));
    }
    let (year_pos, year_text) = cell(Col::Year).expect("required column");
    let year = parse_year(&year_text);
    if year.is_none() {
        problems.push((
            year_pos,
            format!("命名年度“{}”不是年份，应写如 2014", year_text.trim()),
        ));
    }
    let (jur_pos, jurisdiction) = cell(Col::Jurisdiction).expect("required column");
    let jurisdiction = jurisdiction.trim().to_string();
    if jurisdiction.is_empty() {
        problems.push((jur_pos, "所属县市区为空".to_string()));
    }
    let reform = match cell(Col::Reform) {
        Some((pos, t)) if !t.trim().is_empty() => parse_yes_no(&t).unwrap_or_else(|| {
            problems.push((
                pos,
                format!("是否涉及机构改革应填“是”或“否”，实际为“{}”", t.trim()),
            ));
            false
        }),
        _ => false,
    };
    let aliases = text(Col::Aliases)
        .split(['、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    match (problems.is_empty(), level, year) {
        (true, Some(level), Some(award_year)) => Ok(Unit {
            name,
            aliases,
            level,
            award_year,
            jurisdiction,
            reform,
            remarks: text(Col::Remarks),
        }),
        _ => Err(problems),
    }
}

/// A year written as a number, `2014`, `2014年` or with full-width digits.
pub(crate) fn parse_year(text: &str) -> Option<i32> {
    let t = fold_width(text);
    let t = t.trim().trim_end_matches('年').trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    t.parse::<i32>().ok().filter(|y| (1949..=2200).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_accept_the_usual_spellings() {
        assert_eq!(parse_year("2014"), Some(2014));
        assert_eq!(parse_year("２０１４年"), Some(2014));
        assert_eq!(parse_year("2014.0"), Some(2014));
        assert_eq!(parse_year("十四"), None);
    }
}
