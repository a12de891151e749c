//! A batch of intake files: folders walked in sorted order, every file
//! checked, then the checks that need the whole batch (units no file
//! reported, bodies that sent nothing) and the final ordering.

use super::file::{FileReport, check_file};
use super::rows::Seen;
use super::versions::{Receipts, VersionKey, version_key};
use super::{CheckedBatch, Submission};
use crate::campaign::Campaign;
use crate::diag::{Code, Diagnostic};
use crate::ingest;
use crate::roster::Roster;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The suffix of the feedback workbooks we write; a folder walk skips them so
/// that a second run does not check its own output.
pub const FEEDBACK_SUFFIX: &str = "退回修改意见";

/// Expands folders (recursively, sorted by path) into spreadsheet files,
/// skipping Office lock files, our own feedback workbooks and the roster.
/// Paths named directly are kept whatever their extension.
pub fn collect_files(paths: &[PathBuf], roster: &Roster) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    list_files(paths, roster.source())
}

/// [`collect_files`] before the roster is read: skips the roster's file.
pub fn list_files(
    paths: &[PathBuf],
    roster_source: Option<&Path>,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files, &mut problems);
        } else {
            files.push(p.clone());
        }
    }
    let roster_path = roster_source.and_then(|p| p.canonicalize().ok());
    files.retain(|f| roster_path.is_none() || f.canonicalize().ok() != roster_path);
    (files, problems)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(
                Diagnostic::error(
                    Code::UnreadableFile,
                    format!("无法读取文件夹 {}：{e}", dir.display()),
                )
                .in_file(dir.display().to_string()),
            );
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_hidden(name) {
            continue;
        }
        if p.is_dir() {
            walk(&p, files, problems);
        } else if ingest::has_spreadsheet_extension(&p) && !is_feedback(&p) {
            files.push(p);
        }
    }
}

/// A name a folder walk skips: hidden files and Office's lock files.
pub(crate) fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$")
}

/// A workbook fucha wrote back to a county (its stem ends in
/// [`FEEDBACK_SUFFIX`]), which a folder walk does not read as a submission.
pub(crate) fn is_feedback(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.ends_with(FEEDBACK_SUFFIX))
}

/// What a batch stands for, which decides what it can lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The season: a body with no file has sent nothing, and each of its
    /// due units is reported missing.
    Season,
    /// A delivery of some files (an upload, `fucha receive`): only the
    /// bodies that sent a file in it are held to their units. On a
    /// province's roster the season-wide list is tens of thousands of
    /// errors that no receipt shows.
    Delivery,
}

/// Checks every file and the batch as a whole.
pub fn check_paths(paths: &[PathBuf], roster: &Roster, campaign: &Campaign) -> CheckedBatch {
    check_received(paths, roster, campaign, &Receipts::new(), Scope::Season)
}

/// [`check_paths`], with the times the register received the files, which
/// order a body's versions (see [`super::versions`]), and the batch's scope.
pub fn check_received(
    paths: &[PathBuf],
    roster: &Roster,
    campaign: &Campaign,
    receipts: &Receipts,
    scope: Scope,
) -> CheckedBatch {
    let (files, diagnostics) = collect_files(paths, roster);
    let read = |p: &Path| ingest::read_workbook(p);
    let Some((reports, seen)) = check_each_file(&files, &read, || Some(roster), campaign) else {
        unreachable!("the roster is given");
    };
    check_batch(
        reports,
        seen,
        diagnostics,
        roster,
        campaign,
        receipts,
        scope,
    )
}

/// Checks files kept in the register, each under the path it was read
/// from when received, as [`check_received`] would have checked them then.
pub fn check_stored(
    files: &[(PathBuf, Vec<u8>)],
    roster: &Roster,
    campaign: &Campaign,
    receipts: &Receipts,
    scope: Scope,
) -> CheckedBatch {
    let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    let bytes: BTreeMap<&Path, &Vec<u8>> = files.iter().map(|(p, b)| (p.as_path(), b)).collect();
    let read = |p: &Path| {
        ingest::read_workbook_bytes(p, bytes.get(p).map(|b| b.to_vec()).unwrap_or_default())
    };
    let Some((reports, seen)) = check_each_file(&paths, &read, || Some(roster), campaign) else {
        unreachable!("the roster is given");
    };
    check_batch(reports, seen, Vec::new(), roster, campaign, receipts, scope)
}

/// Reads one workbook: from its file, or from bytes already read.
type Reader<'a> = dyn Fn(&Path) -> Result<ingest::Workbook, ingest::IngestError> + Sync + 'a;

/// Reads the roster with `load_roster` while the workbooks are decoded,
/// then checks: for a province the roster is as large as all the intake
/// workbooks together, and neither needs the other to be decoded. The
/// roster's error, if any, is returned before any rule runs.
pub fn check_paths_loading<E: Send>(
    paths: &[PathBuf],
    roster_source: &Path,
    load_roster: impl FnOnce() -> Result<Roster, E> + Send,
    campaign: &Campaign,
    receipts: &Receipts,
) -> Result<(Roster, CheckedBatch), E> {
    let (files, diagnostics) = list_files(paths, Some(roster_source));
    let loaded: std::sync::OnceLock<Result<Roster, E>> = std::sync::OnceLock::new();
    let each = std::thread::scope(|s| {
        let loader = s.spawn(load_roster);
        let roster = || {
            let result = loader.join().expect("roster reader panicked");
            loaded.get_or_init(|| result).as_ref().ok()
        };
        check_each_file(
            &files,
            &|p: &Path| ingest::read_workbook(p),
            roster,
            campaign,
        )
    });
    let roster = match loaded.into_inner() {
        Some(Ok(roster)) => roster,
        Some(Err(e)) => return Err(e),
        None => unreachable!("the roster is awaited before the batch is checked"),
    };
    let (reports, seen) = each.expect("the roster was read");
    let batch = check_batch(
        reports,
        seen,
        diagnostics,
        &roster,
        campaign,
        receipts,
        Scope::Season,
    );
    Ok((roster, batch))
}

/// Decodes the workbooks on every core and runs the per-file rules in file
/// order on this thread as each arrives (duplicates are found across
/// files). `roster` is asked for once, when the first rule needs it; `None`
/// stops the work (the caller reports why).
fn check_each_file<'r>(
    files: &[PathBuf],
    read: &Reader<'_>,
    roster: impl FnOnce() -> Option<&'r Roster>,
    campaign: &Campaign,
) -> Option<(Vec<FileReport>, Seen)> {
    let mut seen = Seen::new();
    let mut reports: Vec<FileReport> = Vec::with_capacity(files.len());
    let mut roster = Some(roster);
    let mut ready: Option<&Roster> = None;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Decoded workbooks may wait while the roster is read; a window of a few
    // dozen keeps both cores busy without holding a province in memory.
    crate::parallel::produce_in_order(
        files.len(),
        threads,
        threads * 16,
        |i| (!stop.load(std::sync::atomic::Ordering::Relaxed)).then(|| read(&files[i])),
        |i, read| {
            if let Some(get) = roster.take() {
                ready = get();
                if ready.is_none() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            let (Some(roster), Some(read)) = (ready, read) else {
                return;
            };
            let path = &files[i];
            let display = path.display().to_string();
            reports.push(check_file(
                path, &display, read, roster, campaign, &mut seen,
            ));
        },
    );
    if let Some(get) = roster.take() {
        ready = get();
    }
    ready.map(|_| (reports, seen))
}

/// The rules across the whole batch: units not reported, bodies missing,
/// and the order of results and diagnostics.
fn check_batch(
    reports: Vec<FileReport>,
    seen: Seen,
    mut diagnostics: Vec<Diagnostic>,
    roster: &Roster,
    campaign: &Campaign,
    receipts: &Receipts,
    scope: Scope,
) -> CheckedBatch {
    let mut batch = CheckedBatch::default();
    let mut body_files: BTreeMap<String, String> = BTreeMap::new();
    for r in &reports {
        for b in r.bodies.iter().chain(r.summary.jurisdiction.iter()) {
            body_files
                .entry(b.clone())
                .or_insert_with(|| r.summary.path.clone());
        }
    }
    let unknown_body_files = reports
        .iter()
        .any(|r| r.summary.jurisdiction.is_none() && r.bodies.is_empty());
    // A body's 报送信息 is its latest version's.
    let mut submissions: BTreeMap<String, (VersionKey, Submission)> = BTreeMap::new();
    for r in reports {
        let key = version_key(&r.summary.path, receipts);
        if let (Some(s), Some(b)) = (r.submission, r.summary.jurisdiction.clone()) {
            match submissions.get(&b) {
                Some((k, _)) if *k > key => {}
                _ => {
                    submissions.insert(b, (key, s));
                }
            }
        }
        batch.rows.insert(r.summary.path.clone(), r.rows);
        batch.files.push(r.summary);
        batch.results.extend(r.results);
        diagnostics.extend(r.diagnostics);
    }
    super::versions::resolve(
        &batch.files,
        &seen,
        receipts,
        &mut batch.results,
        &mut diagnostics,
    );
    let reported: BTreeSet<&str> = seen.keys().map(String::as_str).collect();
    let missing = missing_units(
        roster,
        campaign,
        &reported,
        &body_files,
        unknown_body_files,
        scope,
    );
    batch.missing_bodies = missing.1;
    diagnostics.extend(missing.0);

    batch
        .results
        .sort_by_cached_key(|r| roster.position(&r.unit).unwrap_or(usize::MAX));
    let order: BTreeMap<&str, usize> = batch
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    // Per file: file-level problems and cells in order, then the units the
    // file should have held.
    diagnostics.sort_by_key(|d| {
        (
            d.file
                .as_deref()
                .and_then(|f| order.get(f))
                .copied()
                .unwrap_or(usize::MAX),
            d.code == Code::MissingUnit,
            d.sheet.clone(),
            d.row.unwrap_or(0),
            d.cell.map(|c| c.col).unwrap_or(0),
        )
    });
    batch.diagnostics = diagnostics;
    batch.submissions = submissions.into_iter().map(|(b, (_, s))| (b, s)).collect();
    batch
}

/// Units due this campaign that no file reported. A body that sent no file
/// at all gets one error per unit saying so, and is listed in the result.
fn missing_units(
    roster: &Roster,
    campaign: &Campaign,
    reported: &BTreeSet<&str>,
    body_files: &BTreeMap<String, String>,
    unknown_body_files: bool,
    scope: Scope,
) -> (Vec<Diagnostic>, Vec<String>) {
    let mut out = Vec::new();
    let mut absent = Vec::new();
    for body in roster.jurisdictions() {
        if scope == Scope::Delivery && !body_files.contains_key(body) {
            continue;
        }
        let due: Vec<_> = roster
            .units_of(body)
            .filter(|u| campaign.is_due(u.level) && !reported.contains(u.name.as_str()))
            .collect();
        if due.is_empty() {
            continue;
        }
        let file = body_files.get(body);
        if file.is_none() && !unknown_body_files {
            absent.push(body.to_string());
        }
        for u in due {
            let (message, suggestion) = match file {
                Some(_) => (
                    format!("名单中{}的“{}”（{}）未填报", body, u.name, u.level.label()),
                    "请补填该单位的复查情况".to_string(),
                ),
                None if unknown_body_files => (
                    format!(
                        "“{}”（{}，{}）无复查结果，且未能确定哪个文件是{}报送的",
                        u.name,
                        u.level.label(),
                        body,
                        body
                    ),
                    "请在报送信息表中写明报送单位，或以县市区名称命名文件".to_string(),
                ),
                None => (
                    format!(
                        "未收到{}的报送表格，“{}”（{}）无复查结果",
                        body,
                        u.name,
                        u.level.label()
                    ),
                    format!("请{}报送复查情况表", body),
                ),
            };
            let mut d = Diagnostic::error(Code::MissingUnit, message)
                .for_unit(u.name.clone())
                .suggest(suggestion);
            if let Some(f) = file {
                d = d.in_file(f.clone());
            }
            out.push(d);
        }
    }
    (out, absent)
}
