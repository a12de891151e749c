//! Accounts (`GET`/`POST /accounts`, city only): the city office lists the
//! season's accounts and creates more, city clerks and one or more per
//! reporting body, as `fucha account add` does; the rules (password
//! strength, a county account's body in the roster, one name once) are
//! [`pipeline::add_account`]'s.

use super::pages::User;
use super::{Failure, Shared, audit, blocking, forged_form, message, session, signed_in};
use crate::pipeline::{self, PipelineError};
use crate::register::{RegisterError, Role, Session};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

/// One account as listed.
#[derive(Serialize)]
struct AccountRow {
    name: String,
    role: String,
    created_at: String,
}

#[derive(Serialize)]
struct AccountsPage {
    title: &'static str,
    user: Option<User>,
    accounts: Vec<AccountRow>,
    bodies: Vec<String>,
    message: Option<String>,
    created: Option<String>,
    name: String,
}

#[derive(Deserialize)]
pub(super) struct NewAccount {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    password: String,
}

/// The 403 a county account gets here, audited.
async fn city_only(shared: &Shared, session: &Session, what: &str) -> Result<Response, Failure> {
    let who = Some(session.account.name.clone());
    audit(shared, who, "refused", what.to_string()).await?;
    message(
        shared,
        StatusCode::FORBIDDEN,
        "无权管理账号",
        Some(User::of(session)),
        "只有市文明办的账号可以查看和新建账号。".into(),
    )
}

async fn page(
    shared: &Shared,
    session: &Session,
    status: StatusCode,
    outcome: (Option<String>, Option<String>),
    name: String,
) -> Result<Response, Failure> {
    let worker = shared.clone();
    let accounts = blocking(move || Ok(pipeline::accounts(&worker.ctx)?)).await?;
    let (message, created) = outcome;
    let page = AccountsPage {
        title: "账号",
        user: Some(User::of(session)),
        accounts: accounts
            .into_iter()
            .map(|a| AccountRow {
                name: a.name,
                role: role_label(&a.role),
                created_at: a.created_at.format(super::pages::TIME).to_string(),
            })
            .collect(),
        bodies: shared
            .ctx
            .roster
            .jurisdictions()
            .into_iter()
            .map(str::to_string)
            .collect(),
        message,
        created,
        name,
    };
    Ok((status, Html(shared.pages.render("accounts", &page)?)).into_response())
}

pub(super) async fn accounts_page(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if session.account.role != Role::City {
        return city_only(&shared, &session, "查看账号").await;
    }
    page(
        &shared,
        &session,
        StatusCode::OK,
        (None, None),
        String::new(),
    )
    .await
}

pub(super) async fn add_account(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<NewAccount>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = Some(session.account.name.clone());
    if !session::tokens_match(&session.csrf, &form.csrf) {
        return forged_form(&shared, &session, "新建账号的校验码不符".into()).await;
    }
    if session.account.role != Role::City {
        return city_only(&shared, &session, "新建账号").await;
    }
    let name = form.name.trim().to_string();
    let role = match form.role.as_str() {
        "city" => Role::City,
        _ => Role::County(form.body.trim().to_string()),
    };
    let worker = shared.clone();
    let (tried, wanted) = (name.clone(), role.clone());
    let made = blocking(move || {
        match pipeline::add_account(&worker.ctx, &tried, &wanted, &form.password) {
            Ok(a) => Ok(Ok(a)),
            Err(PipelineError::Register(RegisterError::Account(why))) => Ok(Err(why)),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    match made {
        Ok(account) => {
            let detail = format!(
                "新建账号“{}”（{}）",
                account.name,
                role_label(&account.role)
            );
            audit(&shared, who, "account_add", detail.clone()).await?;
            page(
                &shared,
                &session,
                StatusCode::OK,
                (None, Some(detail)),
                String::new(),
            )
            .await
        }
        Err(why) => {
            audit(
                &shared,
                who,
                "account_refused",
                format!("新建账号“{name}”：{why}"),
            )
            .await?;
            page(
                &shared,
                &session,
                StatusCode::BAD_REQUEST,
                (Some(why), None),
                name,
            )
            .await
        }
    }
}

fn role_label(role: &Role) -> String {
    match role {
        Role::City => Role::City.label().to_string(),
        Role::County(body) => format!("县市区：{body}"),
    }
}
