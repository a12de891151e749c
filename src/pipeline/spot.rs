//! The spot check's part of a run: `sample` records its draw in the
//! register; `intake --spot-check` writes the inspectors' workbook for the
//! draw in force; `check` and `build` read the filled workbooks from the
//! configured folder (`spot_checks`), hold them against the draw and the
//! county results, and receive them into the register under their own body
//! ([`SPOT_BODY`]), so that `build --as-of` reads them back from there.

use super::received::{self, Hashes, InForce};
use super::{Context, PipelineError};
use crate::campaign::Campaign;
use crate::check::CheckedBatch;
use crate::check::spot::{SPOT_BODY, SpotDraw, apply_spot_checks, draw_from_workbooks, spot_files};
use crate::ingest;
use crate::register::{DrawnUnit, RecordedDraw, Register};
use crate::roster::Roster;
use crate::sample::SampleDraw;
use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};

/// Records a draw `sample` made, now, as the draw in force.
pub(crate) fn record_draw(campaign: &Campaign, draw: &SampleDraw) -> Result<(), PipelineError> {
    let recorded = RecordedDraw {
        year: campaign.campaign.year,
        seed: draw.seed,
        method: crate::sample::METHOD.to_string(),
        candidates: draw.candidates,
        drawn_at: received::now(),
        units: draw
            .picks
            .iter()
            .map(|p| DrawnUnit {
                position: p.order,
                unit: p.unit.clone(),
                jurisdiction: p.jurisdiction.clone(),
            })
            .collect(),
    };
    Register::open(&campaign.register)?.record_draw(&recorded)?;
    Ok(())
}

/// The draw in force at `at` (None: now), as the check needs it.
pub fn draw_in_force(
    register: &Register,
    year: i32,
    at: Option<NaiveDateTime>,
) -> Result<Option<SpotDraw>, PipelineError> {
    Ok(register.draw_in_force(year, at)?.map(|d| SpotDraw {
        seed: d.seed,
        units: d.units.into_iter().map(|u| u.unit).collect(),
    }))
}

/// Reads the filled inspectors' workbooks of the spot-check folder into
/// `batch` (see [`apply_spot_checks`]); returns their content hashes, so
/// that the register receives them with the county files.
pub(crate) fn apply_from_folder(
    campaign: &Campaign,
    roster: &Roster,
    register: &Register,
    batch: &mut CheckedBatch,
) -> Result<Hashes, PipelineError> {
    let files = spot_files(&campaign.spot_checks);
    let read = |p: &Path| ingest::read_workbook(p);
    let mut draw = draw_in_force(register, campaign.campaign.year, None)?;
    // A register without the draw (a fresh copy of the season folder)
    // takes it from a workbook whose units the seed draws again.
    if draw.is_none()
        && let Some(found) = draw_from_workbooks(&files, &read, roster, &batch.results)
    {
        record_draw(campaign, &found)?;
        draw = draw_in_force(register, campaign.campaign.year, None)?;
    }
    apply_spot_checks(&files, &read, draw.as_ref(), roster, campaign, batch);
    Ok(received::hashes(&files))
}

/// Takes the inspectors' workbooks out of the versions in force (they are
/// not county files) and reads them into `batch` from the kept bytes, with
/// the draw in force at the same time.
pub(crate) fn take_stored(
    register: &Register,
    year: i32,
    at: NaiveDateTime,
    in_force: &mut InForce,
) -> Result<Vec<(PathBuf, Vec<u8>)>, PipelineError> {
    let spot: Vec<i64> = register
        .in_force(year, Some(at))?
        .into_iter()
        .filter(|s| s.body.as_deref() == Some(SPOT_BODY))
        .map(|s| s.id)
        .collect();
    // `in_force.files` and `.ids` are in step: the paths a version is
    // checked under may differ from the one it was received under.
    let (taken, county): (Vec<_>, Vec<_>) = std::mem::take(&mut in_force.files)
        .into_iter()
        .zip(in_force.ids.iter())
        .partition(|(_, id)| spot.contains(id));
    let taken: Vec<(PathBuf, Vec<u8>)> = taken.into_iter().map(|(f, _)| f).collect();
    in_force.files = county.into_iter().map(|(f, _)| f).collect();
    for (path, _) in &taken {
        in_force.receipts.remove(&path.display().to_string());
    }
    Ok(taken)
}

/// Reads stored inspectors' workbooks into `batch`, against the draw in
/// force at `at`.
pub(crate) fn apply_stored(
    register: &Register,
    campaign: &Campaign,
    roster: &Roster,
    at: NaiveDateTime,
    files: &[(PathBuf, Vec<u8>)],
    batch: &mut CheckedBatch,
) -> Result<(), PipelineError> {
    let draw = draw_in_force(register, campaign.campaign.year, Some(at))?;
    let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    let read = |p: &Path| {
        let bytes = files
            .iter()
            .find(|(q, _)| q == p)
            .map(|(_, b)| b.clone())
            .unwrap_or_default();
        ingest::read_workbook_bytes(p, bytes)
    };
    apply_spot_checks(&paths, &read, draw.as_ref(), roster, campaign, batch);
    Ok(())
}

/// The inspectors' workbook for the draw in force, with the county
/// results in force beside each unit: its file name and bytes.
pub fn spot_check_workbook(ctx: &Context) -> Result<(String, Vec<u8>), PipelineError> {
    let year = ctx.campaign.campaign.year;
    let register = Register::open(&ctx.campaign.register)?;
    let draw = draw_in_force(&register, year, None)?.ok_or(PipelineError::NoSpotDraw { year })?;
    let batch = ctx.check(&[]);
    let bytes = crate::intake::spot::spot_check_workbook(
        &ctx.roster,
        &ctx.campaign,
        &draw,
        &batch.results,
        &[],
    )?;
    Ok((
        crate::intake::spot::spot_check_file_name(&ctx.campaign),
        bytes,
    ))
}
