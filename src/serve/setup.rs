//! First run (`GET`/`POST /setup`): a register with no account yet gets
//! its first city account from the browser. The server makes a one-time
//! token when it starts with no account and prints the link only in the
//! terminal that started it, so only whoever started the server can use
//! it, even on the office network; it ends when the first account exists.

use super::pages::User;
use super::{Failure, Shared, audit, blocking, message, session};
use crate::pipeline::{self, PipelineError};
use crate::register::{RegisterError, Role};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub(super) struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

#[derive(Serialize)]
struct SetupPage {
    title: &'static str,
    user: Option<User>,
    token: String,
    name: String,
    message: Option<String>,
}

/// Whether `sent` is the first-run token still open.
fn open_with(shared: &Shared, sent: &str) -> bool {
    let token = shared.setup.lock().unwrap_or_else(|e| e.into_inner());
    token
        .as_deref()
        .is_some_and(|t| session::tokens_match(t, sent))
}

fn closed(shared: &Shared) -> Result<Response, Failure> {
    message(
        shared,
        StatusCode::NOT_FOUND,
        "无需首次设置",
        None,
        "首次设置链接无效或已用过。已有账号的，请直接登录。".into(),
    )
}

fn form(
    shared: &Shared,
    status: StatusCode,
    token: String,
    name: String,
    why: Option<String>,
) -> Result<Response, Failure> {
    let page = SetupPage {
        title: "首次设置",
        user: None,
        token,
        name,
        message: why,
    };
    Ok((status, Html(shared.pages.render("setup", &page)?)).into_response())
}

pub(super) async fn setup_form(
    State(shared): State<Shared>,
    uri: Uri,
) -> Result<Response, Failure> {
    // The token is hex: it needs no decoding.
    let token = uri
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("token=")))
        .unwrap_or_default()
        .to_string();
    if !open_with(&shared, &token) {
        return closed(&shared);
    }
    form(&shared, StatusCode::OK, token, String::new(), None)
}

pub(super) async fn setup(
    State(shared): State<Shared>,
    Form(sent): Form<SetupForm>,
) -> Result<Response, Failure> {
    if !open_with(&shared, &sent.token) {
        audit(&shared, None, "setup_refused", "首次设置链接无效".into()).await?;
        return closed(&shared);
    }
    let name = sent.name.trim().to_string();
    let worker = shared.clone();
    let tried = name.clone();
    let made = blocking(move || {
        // Another first account may have been made meanwhile (the CLI).
        if !pipeline::accounts(&worker.ctx)?.is_empty() {
            return Ok(Err(None));
        }
        match pipeline::add_account(&worker.ctx, &tried, &Role::City, &sent.password) {
            Ok(a) => Ok(Ok(a)),
            Err(PipelineError::Register(RegisterError::Account(why))) => Ok(Err(Some(why))),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    match made {
        Ok(account) => {
            shared
                .setup
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            let detail = format!("首次设置：新建市文明办账号“{}”", account.name);
            audit(&shared, Some(account.name), "account_add", detail).await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(None) => {
            shared
                .setup
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            closed(&shared)
        }
        Err(Some(why)) => form(
            &shared,
            StatusCode::BAD_REQUEST,
            sent.token,
            name,
            Some(why),
        ),
    }
}
