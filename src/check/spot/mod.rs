//! The city's spot check (随机抽查) read back: the inspectors' workbooks
//! (written by `fucha intake --spot-check`, filled by the inspectors) are
//! checked row by row under the same rules as a county's file, then each
//! finding is held against the draw in force and against the county's
//! result for the unit. Where they differ a diagnostic names both, and the
//! city's finding replaces the county's result in the batch: the spot
//! check exists to keep county reviews honest, so the city's word stands.
//!
//! A row whose findings are all blank is a unit not inspected yet, not a
//! data row (as a template row holding only its number is not).

mod compare;
mod verify;

pub use compare::{Discrepancy, discrepancies};
pub use verify::{SEED_MARK, draw_from_workbooks};

use super::header::{Header, find_header};
use super::rows::{RowContext, Seen, check_row, read_row};
use super::text::normalize_label;
use super::{CheckedBatch, FileSummary, ReadRow};
use crate::campaign::Campaign;
use crate::diag::{CellPos, Code, Diagnostic, Severity};
use crate::ingest::{self, Visibility, Workbook};
use crate::intake::contract::Field;
use crate::review::ReviewResult;
use crate::roster::Roster;
use chrono::Datelike;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The body the inspectors' workbooks are filed under in the register: not
/// a roster body, so no county's versions or 'not received' list counts it.
pub const SPOT_BODY: &str = "市文明办（随机抽查）";
/// The data sheet of the inspectors' workbook.
pub const SPOT_SHEET: &str = "随机抽查情况";
/// The locked column beside the findings holding the county's conclusion.
pub const COUNTY_OUTCOME_LABEL: &str = "县市区复查结论";
/// The locked column holding the county's score.
pub const COUNTY_SCORE_LABEL: &str = "县市区测评得分";

/// The columns the inspectors fill in: a row with all of them blank has
/// not been inspected yet.
pub const FINDING_FIELDS: [Field; 8] = [
    Field::Date,
    Field::Methods,
    Field::Score,
    Field::Satisfaction,
    Field::Negative,
    Field::Problems,
    Field::Rectification,
    Field::Outcome,
];

/// The draw the findings are held against: its seed and the roster names
/// drawn, in draw order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotDraw {
    /// The seed.
    pub seed: u64,
    /// The units drawn, by roster name, in draw order.
    pub units: Vec<String>,
}

/// One drawn unit: the county's result, the city's finding, how they differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpotUnit {
    /// The roster name.
    pub unit: String,
    /// The reporting body that reviewed it.
    pub jurisdiction: String,
    /// The county's result in force, when it has one.
    pub county: Option<ReviewResult>,
    /// The city's finding, once inspected and accepted.
    pub city: Option<ReviewResult>,
    /// How the finding differs from the county's result.
    pub discrepancies: Vec<Discrepancy>,
}

impl SpotUnit {
    /// Inspected, and the city found what the county found.
    pub fn confirmed(&self) -> bool {
        self.city.is_some() && self.discrepancies.is_empty()
    }
}

/// The spot check of the season: the draw and what became of each unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpotCheck {
    /// The seed of the draw in force.
    pub seed: u64,
    /// Every drawn unit, in draw order.
    pub units: Vec<SpotUnit>,
}

impl SpotCheck {
    /// The units with a discrepancy, in draw order.
    pub fn discrepancies(&self) -> impl Iterator<Item = &SpotUnit> {
        self.units.iter().filter(|u| !u.discrepancies.is_empty())
    }
}

/// Reads one workbook: from its file, or from bytes the register kept.
pub type SpotReader<'a> = dyn Fn(&Path) -> Result<Workbook, ingest::IngestError> + 'a;

/// The inspectors' workbooks in a folder, sorted by path (a later file's
/// finding replaces an earlier one's); none when the folder is absent.
pub fn spot_files(folder: &Path) -> Vec<PathBuf> {
    if !folder.is_dir() {
        return Vec::new();
    }
    super::list_files(&[folder.to_path_buf()], None).0
}

/// Checks the inspectors' workbooks `files` (read with `read`) against the
/// draw and the county results in `batch`, and folds them in: their files,
/// rows and diagnostics join the batch, each accepted finding replaces the
/// county's result, and `batch.spot_check` says what the check found.
pub fn apply_spot_checks(
    files: &[PathBuf],
    read: &SpotReader<'_>,
    draw: Option<&SpotDraw>,
    roster: &Roster,
    campaign: &Campaign,
    batch: &mut CheckedBatch,
) {
    let county: BTreeMap<String, ReviewResult> = batch
        .results
        .iter()
        .map(|r| (r.unit.clone(), r.clone()))
        .collect();
    let drawn: BTreeSet<&str> = draw
        .map(|d| d.units.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mut findings: BTreeMap<String, ReviewResult> = BTreeMap::new();
    let mut blank_rows: BTreeMap<String, Diagnostic> = BTreeMap::new();
    let first_own = batch.diagnostics.len();
    for path in files {
        let display = path.display().to_string();
        let checks = Checks {
            roster,
            campaign,
            drawn: &drawn,
            county: &county,
        };
        let mut report = SpotFile::new(&display, read(path), &checks);
        for result in report.results.drain(..) {
            blank_rows.remove(&result.unit);
            findings.insert(result.unit.clone(), result);
        }
        for (unit, d) in report.blank.drain(..) {
            if !findings.contains_key(&unit) {
                blank_rows.insert(unit, d);
            }
        }
        batch.rows.insert(display.clone(), report.rows);
        batch.files.push(report.summary);
        batch.diagnostics.extend(report.diagnostics);
    }
    // Until the inspectors' first workbook comes in there is nothing to
    // report: a draw alone changes no document.
    let Some(draw) = draw.filter(|_| !files.is_empty()) else {
        return;
    };
    for unit in draw.units.iter().filter(|u| !findings.contains_key(*u)) {
        batch.diagnostics.push(
            blank_rows
                .remove(unit)
                .unwrap_or_else(|| not_inspected(unit, files.last(), None)),
        );
    }
    // The workbooks' diagnostics in file, row and column order, as the
    // county files' are.
    let order: BTreeMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.display().to_string(), i))
        .collect();
    batch.diagnostics[first_own..].sort_by_key(|d| {
        let file = d.file.as_ref().and_then(|f| order.get(f)).copied();
        (file, d.row, d.cell.map(|c| c.col))
    });
    let units = spot_units(draw, &county, &findings, roster, campaign);
    replace_county_results(batch, roster, findings);
    batch.spot_check = Some(SpotCheck {
        seed: draw.seed,
        units,
    });
}

/// Each drawn unit with the county's result, the city's finding and how
/// they differ, in draw order.
fn spot_units(
    draw: &SpotDraw,
    county: &BTreeMap<String, ReviewResult>,
    findings: &BTreeMap<String, ReviewResult>,
    roster: &Roster,
    campaign: &Campaign,
) -> Vec<SpotUnit> {
    draw.units
        .iter()
        .map(|unit| {
            let county = county.get(unit).cloned();
            let city = findings.get(unit).cloned();
            let found = city
                .as_ref()
                .map(|c| discrepancies(c, county.as_ref(), campaign, &|f| f as u32).0)
                .unwrap_or_default();
            SpotUnit {
                unit: unit.clone(),
                jurisdiction: roster
                    .lookup(unit)
                    .map(|u| u.jurisdiction.clone())
                    .unwrap_or_default(),
                county,
                city,
                discrepancies: found,
            }
        })
        .collect()
}

/// The city's findings stand: each replaces the county's result for its
/// unit (or is the unit's only result), the roster order kept.
fn replace_county_results(
    batch: &mut CheckedBatch,
    roster: &Roster,
    mut findings: BTreeMap<String, ReviewResult>,
) {
    for r in &mut batch.results {
        if let Some(city) = findings.remove(&r.unit) {
            *r = city;
        }
    }
    batch.results.extend(findings.into_values());
    batch
        .results
        .sort_by_cached_key(|r| roster.position(&r.unit).unwrap_or(usize::MAX));
}

/// A drawn unit with no finding yet, at its blank row when it has one.
fn not_inspected(unit: &str, file: Option<&PathBuf>, at: Option<(&str, CellPos)>) -> Diagnostic {
    let mut d = Diagnostic::warning(
        Code::SpotUnitNotInspected,
        format!("抽中的“{unit}”尚无抽查结果"),
    )
    .for_unit(unit)
    .suggest("实地抽查后填写复查日期、复查方式、测评得分和抽查结论；全部抽中单位填齐后，随机抽查情况才完整");
    if let Some(f) = file {
        d = d.in_file(f.display().to_string());
    }
    if let Some((sheet, cell)) = at {
        d = d.in_sheet(sheet).at(cell);
    }
    d
}

/// What the rows of an inspectors' workbook are checked against.
struct Checks<'a> {
    roster: &'a Roster,
    campaign: &'a Campaign,
    drawn: &'a BTreeSet<&'a str>,
    /// The county results in force, by unit.
    county: &'a BTreeMap<String, ReviewResult>,
}

/// One inspectors' workbook checked.
struct SpotFile {
    summary: FileSummary,
    results: Vec<ReviewResult>,
    diagnostics: Vec<Diagnostic>,
    rows: Vec<ReadRow>,
    /// Drawn units whose row is still blank, with the warning saying so.
    blank: Vec<(String, Diagnostic)>,
}

impl SpotFile {
    fn new(
        display: &str,
        read: Result<Workbook, ingest::IngestError>,
        checks: &Checks<'_>,
    ) -> SpotFile {
        let mut file = SpotFile {
            summary: FileSummary {
                path: display.to_string(),
                jurisdiction: Some(SPOT_BODY.to_string()),
                rows: 0,
                accepted: 0,
                rejected: 0,
            },
            results: Vec::new(),
            diagnostics: Vec::new(),
            rows: Vec::new(),
            blank: Vec::new(),
        };
        let workbook = match read {
            Ok(w) => w,
            Err(e) => {
                file.diagnostics.push(
                    Diagnostic::error(Code::UnreadableFile, crate::diag::error_chain(&e))
                        .in_file(display)
                        .suggest("请用 Excel 打开检查，另存为 .xlsx 后放回抽查文件夹"),
                );
                return file;
            }
        };
        let Some((sheet, header)) = spot_sheet(&workbook) else {
            file.diagnostics.push(
                Diagnostic::error(
                    Code::MissingHeader,
                    "随机抽查表中找不到表头行（应含“单位名称”“复查日期”“复查结论”等列名）",
                )
                .in_file(display)
                .suggest("请使用 fucha intake --spot-check 生成的随机抽查表，保留表头行"),
            );
            return file;
        };
        file.check_rows(sheet, &header, checks);
        file
    }

    /// Every row below the header: blank findings noted, the rest checked
    /// as a county's row, then held to the draw and the campaign year.
    fn check_rows(&mut self, sheet: &ingest::Sheet, header: &Header, checks: &Checks<'_>) {
        let (roster, campaign) = (checks.roster, checks.campaign);
        let display = self.summary.path.clone();
        missing_columns(header, &display, &sheet.name, &mut self.diagnostics);
        let notes = BTreeMap::new();
        let ctx = RowContext {
            file: &display,
            sheet: &sheet.name,
            roster,
            campaign,
            // Units of every county: none is the sender's own.
            body: None,
            reform_notes: &notes,
        };
        let mut seen = Seen::new();
        let at = |row: u32, field: Field| CellPos::new(row, header.col(field).unwrap_or(0));
        for row in sheet.rows.iter().filter(|r| r.index > header.last_row) {
            let name = header
                .col(Field::Name)
                .map(|c| row.get(c).display())
                .unwrap_or_default();
            let unit = roster.lookup(name.trim()).map(|u| u.name.clone());
            if row.is_blank() {
                continue;
            }
            if let Some(unit) = &unit
                && findings_blank(header, row)
            {
                let cell = at(row.index, Field::Date);
                let file = PathBuf::from(&display);
                let d = not_inspected(unit, Some(&file), Some((&sheet.name, cell)));
                self.blank.push((unit.clone(), d));
                continue;
            }
            self.summary.rows += 1;
            let mut diags = Vec::new();
            let result = check_row(&ctx, header, row, &mut seen, &mut diags);
            // The city inspects after the counties' phases: any day of the
            // campaign year is in time (checked below), so the phase rule
            // does not apply.
            diags.retain(|d| d.code != Code::DateOutOfWindow);
            let result = result.and_then(|r| {
                held_to_draw(
                    r,
                    checks.drawn,
                    &display,
                    &sheet.name,
                    at,
                    campaign,
                    &mut diags,
                )
            });
            if let Some(r) = &result {
                let col = |f: Field| header.col(f).unwrap_or(0);
                diags.extend(discrepancies(r, checks.county.get(&r.unit), campaign, &col).1);
            }
            let accepted = result.is_some() && !diags.iter().any(|d| d.severity == Severity::Error);
            match result.filter(|_| accepted) {
                Some(r) => {
                    self.summary.accepted += 1;
                    self.results.push(r);
                }
                None => self.summary.rejected += 1,
            }
            self.diagnostics.append(&mut diags);
            self.rows
                .push(read_row(header, row, roster, &sheet.name, accepted));
        }
    }
}

/// A finding for a unit that was not drawn is refused; one dated outside
/// the campaign year is questioned.
fn held_to_draw(
    result: ReviewResult,
    drawn: &BTreeSet<&str>,
    display: &str,
    sheet: &str,
    at: impl Fn(u32, Field) -> CellPos,
    campaign: &Campaign,
    out: &mut Vec<Diagnostic>,
) -> Option<ReviewResult> {
    let row = result.origin.row;
    let year = campaign.campaign.year;
    if result.review_date.year() != year {
        out.push(
            Diagnostic::warning(
                Code::DateOutOfWindow,
                format!("抽查日期{}不在{year}年内", result.review_date),
            )
            .in_file(display)
            .in_sheet(sheet)
            .at(at(row, Field::Date))
            .for_unit(result.unit.as_str())
            .suggest("请核对抽查日期"),
        );
    }
    if drawn.contains(result.unit.as_str()) {
        return Some(result);
    }
    let why = if drawn.is_empty() {
        format!("登记簿中没有{year}年的随机抽查记录")
    } else {
        "不在登记簿记录的随机抽查名单中".to_string()
    };
    out.push(
        Diagnostic::error(
            Code::SpotUnitNotDrawn,
            format!("“{}”{why}，其抽查结果不予采用", result.unit),
        )
        .in_file(display)
        .in_sheet(sheet)
        .at(at(row, Field::Name))
        .for_unit(result.unit.as_str())
        .suggest(if drawn.is_empty() {
            // No draw recorded and the workbook's seed does not draw its
            // units again: most often the county results changed since.
            "按抽查表标题中的种子重新抽取的单位与表中不一致：如县市区的报送表自抽取后有改动或仍有错误，请先改正；如尚未抽取，请先用 fucha sample 抽取，再用 fucha intake --spot-check 生成抽查表"
        } else {
            "随机抽查只针对 fucha sample 抽中的单位：请删除此行，或先用 fucha sample 抽取后再用 fucha intake --spot-check 生成抽查表"
        }),
    );
    None
}

/// The data sheet: the one named 随机抽查情况 with a header, else the first
/// visible sheet with one.
fn spot_sheet(workbook: &Workbook) -> Option<(&ingest::Sheet, Header)> {
    let mut sheets: Vec<&ingest::Sheet> = workbook
        .sheets
        .iter()
        .filter(|s| s.visibility == Visibility::Visible || named(s))
        .collect();
    sheets.sort_by_key(|s| !named(s));
    sheets
        .into_iter()
        .find_map(|s| find_header(&s.rows).map(|h| (s, h)))
}

/// The sheet carries the inspectors' workbook's name.
fn named(s: &ingest::Sheet) -> bool {
    normalize_label(&s.name) == SPOT_SHEET
}

/// Required columns the header lacks.
fn missing_columns(header: &Header, display: &str, sheet: &str, out: &mut Vec<Diagnostic>) {
    let first_col = header.columns.iter().map(|&(_, c)| c).min().unwrap_or(0);
    for field in Field::ALL.into_iter().filter(|f| f.is_required()) {
        if header.col(field).is_none() {
            out.push(
                Diagnostic::error(Code::MissingColumn, format!("缺少“{}”列", field.label()))
                    .in_file(display)
                    .in_sheet(sheet)
                    .at(CellPos::new(header.row, first_col))
                    .suggest(format!("请在表头行加上“{}”列并逐行填写", field.label())),
            );
        }
    }
}

/// None of the columns the inspectors fill in holds anything.
fn findings_blank(header: &Header, row: &ingest::Row) -> bool {
    FINDING_FIELDS
        .iter()
        .filter_map(|f| header.col(*f))
        .all(|c| row.get(c).is_blank())
}
