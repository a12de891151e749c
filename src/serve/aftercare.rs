//! The season after the circular (`/followup`): the spot check's draw and
//! what the inspectors found, and where each unit under rectification
//! stands, with the workbooks to send out: the inspectors' one
//! (`/followup/spot-check.xlsx`, city only) and each body's follow-up one
//! (`/followup/workbook/{body}`, a county only its own). Read through
//! [`pipeline::aftercare`], as `fucha check` reads the season.

use super::documents::file_response;
use super::pages::{User, path_segment};
use super::{Failure, Shared, audit, blocking, message, signed_in};
use crate::pipeline::{self, Aftercare, PipelineError};
use crate::rectify::RectificationOutcome;
use crate::register::{Role, Session};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

/// One drawn unit on the page.
#[derive(Serialize)]
struct DrawnRow {
    unit: String,
    body: String,
    county: String,
    city: String,
    differs: bool,
}

/// One unit under rectification on the page.
#[derive(Serialize)]
struct RectificationRow {
    unit: String,
    body: String,
    review_outcome: String,
    number: String,
    deadline: String,
    outcome: &'static str,
    class: &'static str,
}

/// A follow-up workbook to download.
#[derive(Serialize)]
struct WorkbookLink {
    body: String,
    link: String,
}

#[derive(Serialize)]
struct AftercarePage {
    title: &'static str,
    user: Option<User>,
    city: bool,
    seed: Option<u64>,
    drawn: Vec<DrawnRow>,
    drawn_count: usize,
    inspected: bool,
    differing: usize,
    reference_date: String,
    counts: Vec<(String, usize)>,
    units: Vec<RectificationRow>,
    workbooks: Vec<WorkbookLink>,
}

fn outcome_class(outcome: RectificationOutcome) -> &'static str {
    match outcome {
        RectificationOutcome::Rectified => "passed",
        RectificationOutcome::NotRectified => "has-errors",
        RectificationOutcome::Overdue => "sent-back",
        RectificationOutcome::Pending => "not-sent",
    }
}

impl AftercarePage {
    fn new(session: &Session, season: &Aftercare, roster: &crate::roster::Roster) -> AftercarePage {
        let role = &session.account.role;
        let body_of = |unit: &str| {
            roster
                .lookup(unit)
                .map(|u| u.jurisdiction.clone())
                .unwrap_or_default()
        };
        let drawn: Vec<DrawnRow> = match (&season.spot, &season.draw) {
            (Some(spot), _) => spot
                .units
                .iter()
                .map(|u| DrawnRow {
                    unit: u.unit.clone(),
                    body: u.jurisdiction.clone(),
                    county: u
                        .county
                        .as_ref()
                        .map_or("未报送".into(), |r| r.outcome.label().into()),
                    city: u
                        .city
                        .as_ref()
                        .map_or("尚未抽查".into(), |r| r.outcome.label().into()),
                    differs: !u.discrepancies.is_empty(),
                })
                .collect(),
            (None, Some(draw)) => draw
                .units
                .iter()
                .map(|unit| DrawnRow {
                    unit: unit.clone(),
                    body: body_of(unit),
                    county: String::new(),
                    city: "尚未收到抽查表".into(),
                    differs: false,
                })
                .collect(),
            (None, None) => Vec::new(),
        };
        let drawn: Vec<DrawnRow> = drawn
            .into_iter()
            .filter(|d| role.may_see(&d.body))
            .collect();
        let units: Vec<_> = season
            .rectification
            .units
            .iter()
            .filter(|u| role.may_see(&u.jurisdiction))
            .collect();
        let counts = RectificationOutcome::ALL
            .iter()
            .map(|o| {
                (
                    o.label().to_string(),
                    units.iter().filter(|u| u.outcome == *o).count(),
                )
            })
            .collect();
        let mut workbooks: Vec<WorkbookLink> = Vec::new();
        for u in &units {
            if !workbooks.iter().any(|w| w.body == u.jurisdiction) {
                workbooks.push(WorkbookLink {
                    body: u.jurisdiction.clone(),
                    link: path_segment(&u.jurisdiction),
                });
            }
        }
        AftercarePage {
            title: "抽查与整改",
            user: Some(User::of(session)),
            city: *role == Role::City,
            seed: season
                .spot
                .as_ref()
                .map(|s| s.seed)
                .or(season.draw.as_ref().map(|d| d.seed)),
            inspected: season.spot.is_some(),
            differing: drawn.iter().filter(|d| d.differs).count(),
            drawn_count: drawn.len(),
            drawn,
            reference_date: season
                .rectification
                .reference_date
                .map(|d| d.format("%Y年%-m月%-d日").to_string())
                .unwrap_or_default(),
            counts,
            units: units
                .iter()
                .map(|u| RectificationRow {
                    unit: u.unit.clone(),
                    body: u.jurisdiction.clone(),
                    review_outcome: u.review_outcome.clone(),
                    number: u.number.clone(),
                    deadline: u.deadline.format("%Y-%m-%d").to_string(),
                    outcome: u.outcome.label(),
                    class: outcome_class(u.outcome),
                })
                .collect(),
            workbooks,
        }
    }
}

/// The config and roster the workbench was started on; None when it was
/// started without (then these pages cannot read the season's folders).
fn season_files(shared: &Shared) -> Option<(std::path::PathBuf, Option<std::path::PathBuf>)> {
    let settings = &shared.builds.settings;
    Some((settings.config.clone()?, settings.roster.clone()))
}

pub(super) async fn aftercare_page(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let Some((config, roster)) = season_files(&shared) else {
        return message(
            &shared,
            StatusCode::SERVICE_UNAVAILABLE,
            "无法读取",
            Some(User::of(&session)),
            "工作台启动时没有指定配置文件，无法读取抽查和整改情况。".into(),
        );
    };
    let season = blocking(move || Ok(pipeline::aftercare(&config, roster.as_deref())?)).await?;
    let page = AftercarePage::new(&session, &season, &shared.ctx.roster);
    audit(
        &shared,
        Some(session.account.name.clone()),
        "view",
        "查看抽查与整改情况".into(),
    )
    .await?;
    Ok(Html(shared.pages.render("aftercare", &page)?).into_response())
}

/// The inspectors' workbook for the draw in force (city only).
pub(super) async fn spot_check_workbook(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = Some(session.account.name.clone());
    if session.account.role != Role::City {
        audit(&shared, who, "refused", "下载随机抽查表".into()).await?;
        return message(
            &shared,
            StatusCode::FORBIDDEN,
            "无权下载",
            Some(User::of(&session)),
            "随机抽查表只有市文明办的账号可以下载。".into(),
        );
    }
    let worker = shared.clone();
    let made = blocking(move || match pipeline::spot_check_workbook(&worker.ctx) {
        Ok(made) => Ok(Some(made)),
        Err(PipelineError::NoSpotDraw { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    })
    .await?;
    let Some((name, bytes)) = made else {
        return message(
            &shared,
            StatusCode::NOT_FOUND,
            "尚未抽取",
            Some(User::of(&session)),
            "登记簿中没有本年度的随机抽查记录，请先用 fucha sample 抽取。".into(),
        );
    };
    audit(&shared, who, "download", format!("下载“{name}”")).await?;
    Ok(file_response(&name, bytes, false))
}

/// A body's blank follow-up workbook (a county only its own).
pub(super) async fn followup_workbook(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(body): Path<String>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = Some(session.account.name.clone());
    if !session.account.role.may_see(&body) {
        audit(
            &shared,
            who,
            "refused",
            format!("下载{body}的整改落实情况表"),
        )
        .await?;
        return message(
            &shared,
            StatusCode::FORBIDDEN,
            "无权下载",
            Some(User::of(&session)),
            "本账号只能下载本单位的整改落实情况表。".into(),
        );
    }
    let worker = shared.clone();
    let target = body.clone();
    let made = blocking(move || Ok(pipeline::followup_workbook_of(&worker.ctx, &target)?)).await?;
    let Some((name, bytes)) = made else {
        return message(
            &shared,
            StatusCode::NOT_FOUND,
            "没有整改落实情况表",
            Some(User::of(&session)),
            format!("{body}没有需要报送整改落实情况的单位。"),
        );
    };
    audit(&shared, who, "download", format!("下载“{name}”")).await?;
    Ok(file_response(&name, bytes, false))
}
