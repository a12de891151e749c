//! Feedback (`/feedback/{body}`, issue #15): a body's 退回修改意见 letter
//! and its marked workbook, as the last build wrote them into the output
//! folder's `06-退回修改意见`, one pair per version of the body's table that
//! had errors. A county account sees only its own body's; the city every
//! body's.
//!
//! Which files are a body's is worked out from the versions the register
//! holds of it, with the names the build gives them
//! ([`DocumentKind::path`] for the letter, `feedback_file_name` for the
//! workbook), then looked up among the files the folder holds.

use super::documents::{file_response, format_label, human_size, output_files};
use super::pages::{User, path_segment};
use super::{Failure, Shared, audit, message, season, signed_in};
use crate::check::feedback::feedback_file_name;
use crate::compose::{DocumentKind, Subject};
use crate::pipeline::SeasonStatus;
use crate::register::Session;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

const TIME: &str = "%Y-%m-%d %H:%M";

/// One feedback file of a body.
#[derive(Serialize, Clone)]
struct FileLink {
    name: String,
    label: String,
    href: String,
    preview: Option<String>,
    size: String,
}

/// One version of the body's table and its feedback files.
#[derive(Serialize)]
struct VersionRow {
    name: String,
    received_at: String,
    errors: usize,
    warnings: usize,
    mark: &'static str,
    letters: Vec<FileLink>,
    workbooks: Vec<FileLink>,
}

#[derive(Serialize)]
struct FeedbackPage {
    title: &'static str,
    user: Option<User>,
    name: String,
    link: String,
    year: i32,
    /// What the page says first: whether there is feedback to act on.
    summary: String,
    /// The in-force version has errors and its letter is here.
    returned: bool,
    versions: Vec<VersionRow>,
    city: bool,
}

/// The body's versions, latest last, each with the feedback files the
/// output folder holds for it; a file is the latest version's when two
/// versions had the same path (a table sent again under its own name).
fn versions(
    shared: &Shared,
    status: &SeasonStatus,
    body: &str,
) -> (Vec<VersionRow>, Option<usize>) {
    let versions = status
        .bodies
        .iter()
        .find(|b| b.body.as_deref() == Some(body))
        .map(|b| b.versions.as_slice())
        .unwrap_or_default();
    let in_force = versions.iter().rposition(|(_, counts)| *counts);
    let folder = DocumentKind::Feedback.folder();
    let files: Vec<_> = output_files(&shared.builds.settings.output)
        .into_iter()
        .filter(|f| f.folder == folder)
        .collect();
    let body_segment = path_segment(body);
    let mut claimed = BTreeSet::new();
    let mut rows: Vec<VersionRow> = Vec::new();
    for (i, (s, counts)) in versions.iter().enumerate().rev() {
        let letter =
            DocumentKind::Feedback.path(&shared.ctx.campaign, Subject::File(&s.path), false);
        let letter = letter
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let workbook = feedback_file_name(Path::new(&s.path));
        let (mut letters, mut workbooks) = (Vec::new(), Vec::new());
        for f in &files {
            let (stem, ext) = f.stem_and_ext();
            let mine = f.name == workbook || stem == letter;
            if !mine || !claimed.insert(f.name.clone()) {
                continue;
            }
            let href = format!("/feedback/{body_segment}/{}", path_segment(&f.name));
            let link = FileLink {
                name: f.name.clone(),
                label: format_label(ext),
                preview: ext
                    .eq_ignore_ascii_case("pdf")
                    .then(|| format!("{href}?view=1")),
                href,
                size: human_size(f.size),
            };
            if f.name == workbook {
                workbooks.push(link);
            } else {
                letters.push(link);
            }
        }
        rows.push(VersionRow {
            name: s.name.clone(),
            received_at: s.received_at.format(TIME).to_string(),
            errors: s.errors,
            warnings: s.warnings,
            mark: match (&s.withdrawn, counts, Some(i) == in_force) {
                (Some(_), _, _) => "已撤回",
                (None, false, _) => "尚未收到",
                (None, true, true) => "有效版本",
                (None, true, false) => "前一版",
            },
            letters,
            workbooks,
        });
    }
    rows.reverse();
    (rows, in_force)
}

/// The refusal for a body the account may not see, whether or not it
/// exists (a county learns nothing of other bodies), audited.
async fn refused(shared: &Shared, session: &Session, what: String) -> Result<Response, Failure> {
    audit(shared, Some(session.account.name.clone()), "refused", what).await?;
    message(
        shared,
        StatusCode::FORBIDDEN,
        "无权查看",
        Some(User::of(session)),
        "本账号只能查看本单位的退回修改意见。".into(),
    )
}

fn unknown_body(shared: &Shared, session: &Session, body: &str) -> Result<Response, Failure> {
    message(
        shared,
        StatusCode::NOT_FOUND,
        "没有这个报送单位",
        Some(User::of(session)),
        format!("复查单位名单中没有报送单位“{body}”。"),
    )
}

/// `GET /feedback/{body}`.
pub(super) async fn feedback_page(
    State(shared): State<Shared>,
    headers: HeaderMap,
    UrlPath(body): UrlPath<String>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !session.account.role.may_see(&body) {
        return refused(&shared, &session, format!("查看{body}的退回修改意见")).await;
    }
    if !shared.ctx.roster.jurisdictions().contains(&body.as_str()) {
        return unknown_body(&shared, &session, &body);
    }
    let status = season(&shared).await?;
    let year = status.year;
    let worker = shared.clone();
    let name = body.clone();
    let (rows, in_force) =
        tokio::task::spawn_blocking(move || versions(&worker, &status, &name)).await?;
    let current = in_force.map(|i| &rows[i]);
    let returned = current.is_some_and(|v| !v.letters.is_empty() || !v.workbooks.is_empty());
    let summary = match current {
        None => format!("{body}尚未报送，没有退回修改意见。"),
        Some(v) if returned => format!(
            "有效版本“{}”有错误，已退回修改：请按下面的退回修改意见和标出错误的报送表修改后重新报送。",
            v.name
        ),
        Some(v) if v.errors > 0 => format!(
            "有效版本“{}”有 {} 个错误；退回修改意见尚未生成，市文明办生成公文后可在此下载。",
            v.name, v.errors
        ),
        Some(v) => format!(
            "有效版本“{}”未发现错误，不需要退回修改，没有退回修改意见。",
            v.name
        ),
    };
    let page = FeedbackPage {
        title: "退回修改意见",
        user: Some(User::of(&session)),
        name: body.clone(),
        link: path_segment(&body),
        year,
        summary,
        returned,
        versions: rows,
        city: matches!(session.account.role, crate::register::Role::City),
    };
    audit(
        &shared,
        Some(session.account.name.clone()),
        "view",
        format!("查看{body}的退回修改意见"),
    )
    .await?;
    Ok(Html(shared.pages.render("feedback", &page)?).into_response())
}

/// `GET /feedback/{body}/{name}`: one of the body's feedback files
/// (`?view=1`: a PDF shown in the browser).
pub(super) async fn feedback_file(
    State(shared): State<Shared>,
    headers: HeaderMap,
    uri: Uri,
    UrlPath((body, name)): UrlPath<(String, String)>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !session.account.role.may_see(&body) {
        return refused(
            &shared,
            &session,
            format!("下载{body}的退回修改意见 {name}"),
        )
        .await;
    }
    if !shared.ctx.roster.jurisdictions().contains(&body.as_str()) {
        return unknown_body(&shared, &session, &body);
    }
    let status = season(&shared).await?;
    let worker = shared.clone();
    let (wanted_body, wanted) = (body.clone(), name.clone());
    let found = tokio::task::spawn_blocking(move || -> std::io::Result<Option<Vec<u8>>> {
        let (rows, _) = versions(&worker, &status, &wanted_body);
        let known = rows
            .iter()
            .flat_map(|v| v.letters.iter().chain(&v.workbooks))
            .any(|f| f.name == wanted);
        if !known {
            return Ok(None);
        }
        let path = worker
            .builds
            .settings
            .output
            .join(DocumentKind::Feedback.folder())
            .join(&wanted);
        std::fs::read(path).map(Some)
    })
    .await??;
    let Some(bytes) = found else {
        return super::documents::not_found(&shared, &session);
    };
    let view = uri
        .query()
        .is_some_and(|q| q.split('&').any(|pair| pair == "view=1"))
        && name.to_ascii_lowercase().ends_with(".pdf");
    audit(
        &shared,
        Some(session.account.name.clone()),
        "download",
        format!(
            "{}{body}的退回修改意见 {name}",
            if view { "预览" } else { "下载" }
        ),
    )
    .await?;
    Ok(file_response(&name, bytes, view))
}
