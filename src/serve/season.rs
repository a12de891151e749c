//! The season's pages: the dashboard (`/`), a body's versions
//! (`/body/{name}`, and `POST /body/{name}/return` to send the version in
//! force back), and one version's problems (`/file/{id}`). What each shows
//! comes from [`pipeline::status`] and [`pipeline::diagnose`]; the page
//! data is in `season_pages`.

use super::pages::User;
use super::season_pages::{BodyPage, Dashboard, FilePage, Season};
use super::{Failure, Shared, audit, blocking, forged_form, message, session, signed_in};
use crate::pipeline::{self, PipelineError};
use crate::register::Role;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The season's status and dates, read through the pipeline as
/// `fucha status` does.
async fn season(shared: &Shared) -> Result<Season, Failure> {
    let worker = shared.clone();
    blocking(move || {
        let ctx = &worker.ctx;
        Ok(Season {
            status: pipeline::status(ctx, None)?,
            deadline: ctx.campaign.deadlines.submission,
            today: pipeline::reference_date(ctx, None),
            office: ctx.campaign.campaign.office_short.clone(),
        })
    })
    .await
}

pub(super) async fn dashboard(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let season = season(&shared).await?;
    let bodies: Vec<&str> = shared
        .ctx
        .roster
        .jurisdictions()
        .into_iter()
        .filter(|b| session.account.role.may_see(b))
        .collect();
    let page = Dashboard::new(&session, &season, &bodies);
    let seen = match bodies.as_slice() {
        [one] => format!("查看{}年{one}的报送情况", season.status.year),
        _ => format!("查看{}年全部报送单位的报送情况", season.status.year),
    };
    audit(&shared, Some(session.account.name.clone()), "view", seen).await?;
    Ok(Html(shared.pages.render("dashboard", &page)?).into_response())
}

/// The refusal a county account gets for anything of another body, or of
/// no body it may know of: the same whether or not it exists.
fn not_yours(shared: &Shared, user: User) -> Result<Response, Failure> {
    message(
        shared,
        StatusCode::FORBIDDEN,
        "无权查看",
        Some(user),
        "本账号只能查看本单位的报送情况。".into(),
    )
}

fn no_such_body(shared: &Shared, user: User, body: &str) -> Result<Response, Failure> {
    message(
        shared,
        StatusCode::NOT_FOUND,
        "没有这个报送单位",
        Some(user),
        format!("复查单位名单中没有报送单位“{body}”。"),
    )
}

pub(super) async fn body_page(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(body): Path<String>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = Some(session.account.name.clone());
    if !session.account.role.may_see(&body) {
        audit(&shared, who, "refused", format!("查看{body}的报送情况")).await?;
        return not_yours(&shared, User::of(&session));
    }
    if !shared.ctx.roster.jurisdictions().contains(&body.as_str()) {
        return no_such_body(&shared, User::of(&session), &body);
    }
    let season = season(&shared).await?;
    let page = BodyPage::new(&session, &season, &body);
    audit(
        &shared,
        who,
        "view",
        format!("查看{}年{body}的各版报送文件", season.status.year),
    )
    .await?;
    Ok(Html(shared.pages.render("body", &page)?).into_response())
}

#[derive(Deserialize)]
pub(super) struct SendBackForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

/// The note a county gets when the clerk writes none.
const DEFAULT_NOTE: &str = "报送的复查情况表有错误，请按退回修改意见修改后重新报送。";

/// Sends the body's version in force back to its county (city only).
pub(super) async fn send_back(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(body): Path<String>,
    Form(form): Form<SendBackForm>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = session.account.name.clone();
    let user = User::of(&session);
    if !session::tokens_match(&session.csrf, &form.csrf) {
        return forged_form(&shared, &session, format!("退回{body}的报送文件")).await;
    }
    if session.account.role != Role::City {
        audit(
            &shared,
            Some(who),
            "refused",
            format!("退回{body}的报送文件"),
        )
        .await?;
        return message(
            &shared,
            StatusCode::FORBIDDEN,
            "无权退回",
            Some(user),
            "只有市文明办的账号可以退回报送文件。".into(),
        );
    }
    if !shared.ctx.roster.jurisdictions().contains(&body.as_str()) {
        return no_such_body(&shared, user, &body);
    }
    let note = match form.note.trim() {
        "" => DEFAULT_NOTE.to_string(),
        note => note.chars().take(500).collect(),
    };
    let worker = shared.clone();
    let (target, by) = (body.clone(), who.clone());
    let done = blocking(
        move || match pipeline::send_back(&worker.ctx, &target, &by, &note) {
            Ok(s) => Ok(Ok(s)),
            Err(PipelineError::NothingToSendBack { .. }) => Ok(Err(())),
            Err(e) => Err(e.into()),
        },
    )
    .await?;
    let Ok(sent_back) = done else {
        return message(
            &shared,
            StatusCode::CONFLICT,
            "无法退回",
            Some(user),
            format!("{body}没有有效的报送文件，无法退回。"),
        );
    };
    audit(
        &shared,
        Some(who),
        "send_back",
        format!("退回{body}的报送文件“{}”", sent_back.name),
    )
    .await?;
    let to = format!("/body/{}", super::pages::path_segment(&body));
    Ok(Redirect::to(&to).into_response())
}

/// One version's problems, with the rows as the spreadsheet shows them.
pub(super) async fn file_page(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = Some(session.account.name.clone());
    let worker = shared.clone();
    let report = match id.parse::<i64>() {
        Ok(id) => blocking(move || Ok(pipeline::diagnose(&worker.ctx, id)?)).await?,
        Err(_) => None,
    };
    let body = report.as_ref().and_then(|r| r.submission.body.clone());
    // A county learns nothing of files not its own, not even that they exist.
    if !body
        .as_deref()
        .is_some_and(|b| session.account.role.may_see(b))
        && session.account.role != Role::City
    {
        audit(&shared, who, "refused", format!("查看报送文件 {id}")).await?;
        return not_yours(&shared, User::of(&session));
    }
    let Some(report) = report else {
        return message(
            &shared,
            StatusCode::NOT_FOUND,
            "没有这个文件",
            Some(User::of(&session)),
            "登记簿中本年度没有这个报送文件。".into(),
        );
    };
    let season = season(&shared).await?;
    let page = FilePage::new(&session, &season, &report);
    audit(
        &shared,
        who,
        "view",
        format!("查看报送文件“{}”的问题", report.submission.name),
    )
    .await?;
    Ok(Html(shared.pages.render("file", &page)?).into_response())
}
