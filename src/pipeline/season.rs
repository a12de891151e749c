//! The register's own commands: receive files by hand, withdraw one, the
//! state of the season per body, a unit's history, the roster of a later
//! year, backup and restore. Each returns plain data for the CLI to print.

use super::{Context, PipelineError, received};
use crate::check::{self, CheckedBatch};
use crate::register::versions::{VersionDiff, diff};
use crate::register::{Register, Submission, UnitHistory};
use crate::roster::Roster;
use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};

/// What `fucha receive` did.
#[derive(Debug)]
pub struct ReceiveReport {
    /// The files as checked.
    pub batch: CheckedBatch,
    /// The files entered now.
    pub new: Vec<Submission>,
    /// The files the register already had, unchanged.
    pub known: usize,
}

/// Checks the given files and enters those the register has not seen, as
/// received at `at` (default now): a file that came by mail or on a USB
/// stick is entered on the day it arrived.
pub fn receive(
    ctx: &Context,
    files: &[PathBuf],
    at: Option<NaiveDateTime>,
) -> Result<ReceiveReport, PipelineError> {
    let mut register = Register::open(&ctx.campaign.register)?;
    let year = ctx.campaign.campaign.year;
    let hashes = received::hashes(&check::collect_files(files, &ctx.roster).0);
    let receipts = received::receipts(&register, year, &hashes)?;
    let mut batch = check::check_received(
        files,
        &ctx.roster,
        &ctx.campaign,
        &receipts,
        check::Scope::Delivery,
    );
    // A delivery is checked file by file: which bodies or units the season
    // still lacks is for `check` and `status` to say, not for each receipt.
    let received: Vec<String> = batch.files.iter().map(|f| f.path.clone()).collect();
    batch
        .diagnostics
        .retain(|d| d.file.as_ref().is_some_and(|f| received.contains(f)));
    let at = at.unwrap_or_else(received::now);
    let (ids, new) = received::record(&mut register, year, &batch, &hashes, at)?;
    Ok(ReceiveReport {
        known: ids.len() - new.len(),
        batch,
        new,
    })
}

/// Marks the submission a clerk names (file name, path or hash prefix)
/// withdrawn now; it stays in the register.
pub fn withdraw(ctx: &Context, name: &str, reason: &str) -> Result<Submission, PipelineError> {
    let mut register = Register::open(&ctx.campaign.register)?;
    let found = register.find(ctx.campaign.campaign.year, name)?;
    Ok(register.withdraw(found.id, reason, received::now())?)
}

/// Marks the version of `body` in force sent back to its county by the
/// city account `by`, with the note the county is given.
pub fn send_back(
    ctx: &Context,
    body: &str,
    by: &str,
    note: &str,
) -> Result<Submission, PipelineError> {
    let mut register = Register::open(&ctx.campaign.register)?;
    let year = ctx.campaign.campaign.year;
    let in_force = register
        .in_force(year, None)?
        .into_iter()
        .rfind(|s| s.body.as_deref() == Some(body))
        .ok_or_else(|| PipelineError::NothingToSendBack {
            body: body.to_string(),
        })?;
    Ok(register.mark_returned(in_force.id, by, note, received::now())?)
}

/// Where a reporting body stands in the season.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum BodyState {
    /// No version counts.
    NotSent,
    /// The version in force has errors and has not been sent back yet.
    HasErrors,
    /// The version in force was sent back for correction.
    SentBack,
    /// The version in force has no errors.
    Passed,
}

impl BodyState {
    /// The state as the office says it.
    pub fn label(self) -> &'static str {
        match self {
            BodyState::NotSent => "未报送",
            BodyState::HasErrors => "有错误",
            BodyState::SentBack => "已退回",
            BodyState::Passed => "已通过",
        }
    }
}

/// One reporting body's versions.
#[derive(Debug)]
pub struct BodyVersions {
    /// The body (None: files whose sender could not be told).
    pub body: Option<String>,
    /// Its versions in order, each with whether it counts at the date.
    pub versions: Vec<(Submission, bool)>,
    /// What changed from each counted version to the next.
    pub changes: Vec<(String, String, VersionDiff)>,
}

/// The season at a date (None: now): per body, the versions received and
/// what changed between them; and the bodies that have sent nothing.
#[derive(Debug)]
pub struct SeasonStatus {
    /// The campaign year.
    pub year: i32,
    /// Bodies with at least one file, in name order.
    pub bodies: Vec<BodyVersions>,
    /// Bodies of the roster with no file counted.
    pub not_received: Vec<String>,
}

impl SeasonStatus {
    /// The version of `body` in force (the latest that counts), if any.
    pub fn in_force(&self, body: &str) -> Option<&Submission> {
        self.versions_of(body)
            .iter()
            .rev()
            .find(|(_, counts)| *counts)
            .map(|(s, _)| s)
    }

    /// Every version of `body`, each with whether it counts.
    pub fn versions_of(&self, body: &str) -> &[(Submission, bool)] {
        self.bodies
            .iter()
            .find(|b| b.body.as_deref() == Some(body))
            .map(|b| b.versions.as_slice())
            .unwrap_or_default()
    }

    /// Where `body` stands: a version sent back stays 已退回 until a new one
    /// comes; a new one is judged on its own.
    pub fn state_of(&self, body: &str) -> BodyState {
        match self.in_force(body) {
            None => BodyState::NotSent,
            Some(s) if s.returned.is_some() => BodyState::SentBack,
            Some(s) if s.errors > 0 => BodyState::HasErrors,
            Some(_) => BodyState::Passed,
        }
    }
}

/// The state of the season at `at` (None: now).
pub fn status(ctx: &Context, at: Option<NaiveDateTime>) -> Result<SeasonStatus, PipelineError> {
    let register = Register::open(&ctx.campaign.register)?;
    let year = ctx.campaign.campaign.year;
    let mut bodies: Vec<BodyVersions> = Vec::new();
    for s in register.submissions(year)? {
        let counts = s.in_force_at(at);
        match bodies.last_mut() {
            Some(b) if b.body == s.body => b.versions.push((s, counts)),
            _ => bodies.push(BodyVersions {
                body: s.body.clone(),
                versions: vec![(s, counts)],
                changes: Vec::new(),
            }),
        }
    }
    for b in &mut bodies {
        let counted: Vec<&Submission> = b
            .versions
            .iter()
            .filter(|(_, c)| *c)
            .map(|(s, _)| s)
            .collect();
        for pair in counted.windows(2) {
            let d = diff(&register.rows(pair[0].id)?, &register.rows(pair[1].id)?);
            b.changes
                .push((pair[0].name.clone(), pair[1].name.clone(), d));
        }
    }
    let not_received = ctx
        .roster
        .jurisdictions()
        .into_iter()
        .filter(|j| {
            !bodies
                .iter()
                .any(|b| b.body.as_deref() == Some(*j) && b.versions.iter().any(|(_, c)| *c))
        })
        .map(str::to_string)
        .collect();
    Ok(SeasonStatus {
        year,
        bodies,
        not_received,
    })
}

/// Enters the configured season into the register when it holds none of
/// that year's results yet: the files of the intake folder are received
/// and their results recorded, as a build would. A new office's first
/// `roster` or `history` then works on its data without a build first.
/// Returns the number of results recorded, when it seeded.
pub fn seed_season(ctx: &Context) -> Result<Option<usize>, PipelineError> {
    let year = ctx.campaign.campaign.year;
    if Register::open(&ctx.campaign.register)?.has_season(year)? {
        return Ok(None);
    }
    let report = receive(ctx, &super::paths_or_intake(&[], &ctx.campaign), None)?;
    Register::open(&ctx.campaign.register)?.record_season(
        year,
        &ctx.roster,
        &report.batch.results,
    )?;
    Ok(Some(report.batch.results.len()))
}

/// A unit's history across the seasons the register holds.
pub fn history(ctx: &Context, unit: &str) -> Result<Option<UnitHistory>, PipelineError> {
    Ok(Register::open(&ctx.campaign.register)?.history(unit)?)
}

/// The roster of the units due for review in `year`, from the register's
/// seasons and `[review_cycle]`, and the workbook in the roster's shape.
pub fn roster_for_year(ctx: &Context, year: i32) -> Result<(Roster, Vec<u8>), PipelineError> {
    let register = Register::open(&ctx.campaign.register)?;
    let units = register.units_due(year, &ctx.campaign.review_cycle())?;
    let roster = Roster::from_units(units);
    let mut campaign = ctx.campaign.clone();
    campaign.campaign.year = year;
    let bytes = crate::intake::roster_workbook(&roster, &campaign)?;
    Ok((roster, bytes))
}

/// Writes a consistent copy of the register to `dest`.
pub fn backup(ctx: &Context, dest: &Path) -> Result<(), PipelineError> {
    Ok(Register::open(&ctx.campaign.register)?.backup_to(dest)?)
}

/// Checks `backup` and makes it the register (the current one is kept
/// beside it first).
pub fn restore(ctx: &Context, backup: &Path) -> Result<(), PipelineError> {
    Register::restore(backup, &ctx.campaign.register)?;
    Ok(())
}
