//! The rectification follow-up's part of a run. A build records the
//! 整改通知书 it issues (with their deadlines) in the register; `check` and
//! `build` then read the follow-up folder (`rectifications`, default 整改),
//! receive its workbooks into the register under a body of their own
//! ([`crate::rectify::followup_body`]) and judge each unit on the reference
//! date. `build --as-of` reads the follow-ups in force on its date from the
//! bytes the register kept.

use super::{Context, PipelineError, received};
use crate::check::{CheckedBatch, Receipts};
use crate::rectify::{
    FollowupBatch, FollowupContext, check_followup_files, check_followup_stored, followup_body,
    followup_files, is_followup_body,
};
use crate::register::{Incoming, RectificationNotice, Register};
use chrono::NaiveDate;
use std::path::PathBuf;

/// The date overdue is judged on: `--on`, else the config's
/// `reference_date`, else the `--as-of` date, else today.
pub fn reference_date(ctx: &Context, on: Option<NaiveDate>) -> NaiveDate {
    on.or(ctx.campaign.reference_date)
        .or_else(|| ctx.recorded.as_ref()?.as_of.map(|at| at.date()))
        .unwrap_or_else(|| received::now().date())
}

/// Checks the season's follow-ups against the notices in the register
/// (those `batch` calls for when the register has none yet); with `issue`,
/// first records the notices this build issues. Only a run through the
/// register (the intake folder, or `--as-of`) reads follow-ups.
pub fn followups(
    ctx: &Context,
    batch: &CheckedBatch,
    on: Option<NaiveDate>,
    issue: bool,
) -> Result<FollowupBatch, PipelineError> {
    let reference = reference_date(ctx, on);
    let Some(recorded) = &ctx.recorded else {
        return Ok(FollowupBatch {
            reference_date: Some(reference),
            ..FollowupBatch::default()
        });
    };
    let year = recorded.year;
    let mut register = Register::open(&recorded.register)?;
    let issued = crate::compose::issued_notices(batch, &ctx.roster, &ctx.campaign);
    if issue && recorded.as_of.is_none() {
        register.record_rectification_notices(year, &issued)?;
    }
    let mut notices = register.rectification_notices(year)?;
    if notices.is_empty() {
        notices = issued;
    }
    let fctx = |receipts| FollowupContext {
        notices: &notices,
        roster: &ctx.roster,
        campaign: &ctx.campaign,
        reference_date: reference,
        receipts,
    };
    // The follow-ups stored in the register, as they stood at `at`.
    let stored = |register: &Register, at| -> Result<FollowupBatch, PipelineError> {
        let versions: Vec<_> = register
            .in_force(year, Some(at))?
            .into_iter()
            .filter(|s| s.body.as_deref().is_some_and(is_followup_body))
            .collect();
        let mut files = Vec::new();
        let mut receipts = Receipts::new();
        for (s, path) in versions.iter().zip(received::version_paths(&versions)) {
            files.push((PathBuf::from(&path), register.file_bytes(&s.hash)?));
            receipts.insert(path, s.received_at);
        }
        let fctx = FollowupContext {
            notices: &notices,
            roster: &ctx.roster,
            campaign: &ctx.campaign,
            reference_date: reference,
            receipts: &receipts,
        };
        Ok(check_followup_stored(&files, &fctx))
    };
    if let Some(at) = recorded.as_of {
        return stored(&register, at);
    }
    let paths = followup_files(&ctx.campaign.rectifications);
    let hashes = received::hashes(&paths);
    let receipts = received::receipts(&register, year, &hashes)?;
    let checked = check_followup_files(&paths, &fctx(&receipts));
    receive(&mut register, year, &checked)?;
    // An accepted filing is a fact of the season: a body's later workbook
    // that leaves the unit blank, or replaces the file under its name, does
    // not undo it. So when a version in force is not in the folder, the
    // follow-ups are read from the register, as `--as-of` reads them: each
    // unit's latest filing, whichever version it came in.
    let folder: std::collections::BTreeSet<&String> = hashes.values().collect();
    let missing = register
        .in_force(year, None)?
        .iter()
        .filter(|s| s.body.as_deref().is_some_and(is_followup_body))
        .any(|s| !folder.contains(&s.hash));
    if missing {
        return stored(&register, received::now());
    }
    Ok(checked)
}

/// Enters the follow-up workbooks the register has not seen, now, each
/// under its follow-up body, so nothing is lost and `--as-of` finds them.
fn receive(register: &mut Register, year: i32, batch: &FollowupBatch) -> Result<(), PipelineError> {
    let mut kept = Vec::new();
    for f in &batch.files {
        if let Ok(bytes) = std::fs::read(&f.path) {
            kept.push((f, bytes));
        }
    }
    let incoming: Vec<Incoming<'_>> = kept
        .iter()
        .map(|(f, bytes)| {
            let body = f
                .jurisdiction
                .clone()
                .unwrap_or_else(|| followup_body("未能确定"));
            received::incoming(
                year,
                f,
                bytes,
                Some(body),
                batch.diagnostics_of(f).map(|d| d.severity),
                batch.rows.get(&f.path).map_or(&[], Vec::as_slice),
            )
        })
        .collect();
    register.receive(&incoming, received::now())?;
    Ok(())
}

/// The blank follow-up workbook of `body`, if it has a unit under
/// follow-up: its file name (with extension) and bytes.
pub fn followup_workbook_of(
    ctx: &Context,
    body: &str,
) -> Result<Option<(String, Vec<u8>)>, PipelineError> {
    let stem = crate::intake::followup::followup_file_stem(body);
    Ok(followup_workbooks(ctx)?
        .into_iter()
        .find(|(name, _)| *name == stem)
        .map(|(name, bytes)| (format!("{name}.xlsx"), bytes)))
}

/// The blank follow-up workbooks (整改落实情况表), one per body with a unit
/// under follow-up: from the notices in the register, or, before any build
/// recorded them, from those the intake folder's results call for.
pub fn followup_workbooks(ctx: &Context) -> Result<Vec<(String, Vec<u8>)>, PipelineError> {
    let year = ctx.campaign.campaign.year;
    let register = Register::open(&ctx.campaign.register)?;
    let mut notices: Vec<RectificationNotice> = register.rectification_notices(year)?;
    if notices.is_empty() {
        // As the build would issue them: the inspectors' findings replace
        // the county's results first.
        let mut batch = ctx.check(&[]);
        super::spot::apply_from_folder(&ctx.campaign, &ctx.roster, &register, &mut batch)?;
        notices = crate::compose::issued_notices(&batch, &ctx.roster, &ctx.campaign);
    }
    Ok(crate::intake::followup::followup_workbooks(
        &notices,
        &ctx.roster,
        &ctx.campaign,
    )?)
}

/// The season's spot check and rectification follow-up as `fucha check`
/// finds them now: the draw in force, what the inspectors found, and where
/// each unit under follow-up stands.
#[derive(Debug)]
pub struct Aftercare {
    /// The draw in force, if `fucha sample` recorded one.
    pub draw: Option<crate::check::spot::SpotDraw>,
    /// The inspectors' findings, once their workbook has come in.
    pub spot: Option<crate::check::spot::SpotCheck>,
    /// The units under follow-up and what their workbooks said.
    pub rectification: FollowupBatch,
}

/// [`Aftercare`] of the season `config` describes, reading its folders as
/// `fucha check` does (new files are entered in the register).
pub fn aftercare(
    config: &std::path::Path,
    roster: Option<&std::path::Path>,
) -> Result<Aftercare, PipelineError> {
    let (ctx, batch) = Context::load_and_check(config, roster, &[])?;
    let register = Register::open(&ctx.campaign.register)?;
    let draw = super::draw_in_force(&register, ctx.campaign.campaign.year, None)?;
    drop(register);
    let rectification = followups(&ctx, &batch, None, false)?;
    Ok(Aftercare {
        draw,
        spot: batch.spot_check.clone(),
        rectification,
    })
}
