//! The clerk's workbench (issue #15): `fucha serve`, the season in a
//! browser. A second front end beside the CLI with no logic of its own:
//! every page reads the register through [`crate::pipeline`] and
//! [`crate::register`], and the login rules (lockout, idle timeout,
//! password hashing) live in `register::accounts`.
//!
//! - [`router`]: the routes, for the server and for tests (`oneshot`).
//! - [`serve`]: binds an address and runs the router on tokio.
//! - `session`: cookies, the signed-in user, CSRF tokens.
//! - `pages`: the embedded Handlebars templates and what each page shows.
//!
//! Routes: `GET /login`, `POST /login`, `POST /logout`, `GET /` (the
//! season dashboard), `GET /body/{name}` (a body's versions),
//! `POST /body/{name}/return` (send it back), `GET /file/{id}` (a
//! version's problems; see `season`), `GET /followup` and its workbooks
//! (spot check and rectification, see `aftercare`), `GET`/`POST /accounts`
//! (the city's accounts, see `accounts`), `GET /upload` and `POST /upload` (send workbooks, see `upload`),
//! `GET /documents`, `POST /documents/build`, `GET /documents/progress`,
//! `GET /documents/file/{folder}/{name}`, `GET /documents/all.zip` (build
//! and download the season's documents, see `documents`),
//! `GET /feedback/{body}` and `GET /feedback/{body}/{name}` (a body's
//! 退回修改意见, see `feedback`), `GET /style.css`, `GET /static/{name}`
//! (the scripts).

mod accounts;
mod aftercare;
mod documents;
mod feedback;
mod pages;
mod season;
mod season_pages;
mod session;
mod setup;
mod upload;

pub use documents::BuildSettings;

use crate::pipeline::{self, Context, PipelineError};
use crate::register::{Login, Register, RegisterError, Session};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pages::{LoginPage, MessagePage, Pages, User};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound (taken, or not this machine's).
    #[error("无法在 {addr} 上监听")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The async runtime could not start, or the server stopped.
    #[error("工作台服务出错")]
    Runtime(#[source] std::io::Error),
    /// An embedded page template does not compile (a bug in fucha).
    #[error("工作台的页面模板有误")]
    Template(#[source] Box<handlebars::TemplateError>),
}

/// What every request shares: the season's reference data and the pages.
struct Workbench {
    ctx: Context,
    pages: Pages,
    builds: documents::Builds,
    /// The first-run token while the register has no account (see `setup`).
    setup: std::sync::Mutex<Option<String>>,
}

type Shared = Arc<Workbench>;

/// The workbench's routes over the season of `ctx`; it lists the
/// documents of the CLI's default output folder and cannot build them
/// (see [`router_with`]).
pub fn router(ctx: Context) -> Result<Router, ServeError> {
    router_with(ctx, BuildSettings::default())
}

/// The workbench's routes over the season of `ctx`, building documents
/// as `fucha build` does with `build`.
pub fn router_with(ctx: Context, build: BuildSettings) -> Result<Router, ServeError> {
    Ok(first_run_router(ctx, build)?.0)
}

/// [`router_with`], and, when the register has no account yet, the path
/// of the one-time page that creates the first city account
/// (`/setup?token=…`), for the terminal that started the server only.
pub fn first_run_router(
    ctx: Context,
    build: BuildSettings,
) -> Result<(Router, Option<String>), ServeError> {
    let pages = Pages::new().map_err(|e| ServeError::Template(Box::new(e)))?;
    let builds = documents::Builds::new(build);
    // A register that cannot be read now says so on the first request.
    let first_run = pipeline::accounts(&ctx).is_ok_and(|a| a.is_empty());
    let token = first_run.then(session::random_token);
    let link = token.as_ref().map(|t| format!("/setup?token={t}"));
    let shared = Arc::new(Workbench {
        ctx,
        pages,
        builds,
        setup: std::sync::Mutex::new(token),
    });
    let router = routes(shared);
    Ok((router, link))
}

fn routes(shared: Shared) -> Router {
    Router::new()
        .route("/", get(season::dashboard))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/body/{name}", get(season::body_page))
        .route("/body/{name}/return", post(season::send_back))
        .route("/file/{id}", get(season::file_page))
        .route("/followup", get(aftercare::aftercare_page))
        .route(
            "/accounts",
            get(accounts::accounts_page).post(accounts::add_account),
        )
        .route(
            "/followup/spot-check.xlsx",
            get(aftercare::spot_check_workbook),
        )
        .route(
            "/followup/workbook/{body}",
            get(aftercare::followup_workbook),
        )
        .route(
            "/upload",
            get(upload::upload_form)
                .post(upload::upload)
                .layer(DefaultBodyLimit::max(upload::MAX_BYTES)),
        )
        .route("/documents", get(documents::documents_page))
        .route("/documents/build", post(documents::start_build))
        .route("/documents/progress", get(documents::progress))
        .route("/documents/file/{folder}/{name}", get(documents::file))
        .route("/documents/all.zip", get(documents::all_zip))
        .route("/feedback/{body}", get(feedback::feedback_page))
        .route("/feedback/{body}/{name}", get(feedback::feedback_file))
        .route("/style.css", get(style))
        .route("/static/{name}", get(script))
        .route("/setup", get(setup::setup_form).post(setup::setup))
        .layer(axum::middleware::map_response(guard_headers))
        .with_state(shared)
}

/// Headers on every answer: no other site may frame a page (clickjacking),
/// the pages load nothing but this server's style sheet and scripts, the browser does not guess types, and no page with a season's
/// data is kept in a shared machine's cache.
async fn guard_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    // A PDF shown in the browser (预览) is drawn by the browser's own
    // viewer, which a page's policy of no plugins and no frames would
    // leave blank; a PDF runs no script of ours either way.
    let pdf = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/pdf"));
    if !pdf {
        for (name, value) in [
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
            ),
        ] {
            headers.insert(name, header::HeaderValue::from_static(value));
        }
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    response
}

/// Serves the workbench on `addr` until the process is stopped, building
/// documents with `build`; `ready` is told the address actually bound
/// (port 0 picks a free one) and the first-run page's path, if any.
pub fn serve(
    ctx: Context,
    build: BuildSettings,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr, Option<String>),
) -> Result<(), ServeError> {
    let (app, setup) = first_run_router(ctx, build)?;
    // Two worker threads: the register is SQLite, one writer at a time,
    // and the office's machine has few cores.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Listen { addr, source })?;
        let bound = listener.local_addr().map_err(ServeError::Runtime)?;
        ready(bound, setup);
        axum::serve(listener, app)
            .await
            .map_err(ServeError::Runtime)
    })
}

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error("后台任务中断")]
    Task(#[from] tokio::task::JoinError),
    #[error("页面生成失败")]
    Render(#[from] handlebars::RenderError),
    #[error("临时文件读写失败")]
    Io(#[from] std::io::Error),
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        // The cause goes to the server's log for the office's IT; the
        // clerk sees no path or SQL.
        eprintln!(
            "工作台出错：{}",
            crate::diag::error_chain(&self as &dyn std::error::Error)
        );
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html("<p>服务器内部错误，请稍后再试或联系管理员。</p>"),
        )
            .into_response()
    }
}

/// Runs register work (SQLite, argon2) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    tokio::task::spawn_blocking(work).await?
}

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn open(shared: &Workbench) -> Result<Register, Failure> {
    Ok(Register::open(&shared.ctx.campaign.register)?)
}

/// The signed-in user's session, or None (no cookie, unknown or idled out).
async fn signed_in(shared: &Shared, headers: &HeaderMap) -> Result<Option<Session>, Failure> {
    let Some(token) = session::cookie(headers, session::SESSION_COOKIE) else {
        return Ok(None);
    };
    let shared = shared.clone();
    blocking(move || Ok(open(&shared)?.session(&token, now())?)).await
}

/// Records an action in the audit log.
async fn audit(
    shared: &Shared,
    account: Option<String>,
    action: &'static str,
    detail: String,
) -> Result<(), Failure> {
    let shared = shared.clone();
    blocking(move || Ok(open(&shared)?.audit(account.as_deref(), action, &detail, now())?)).await
}

fn message(
    shared: &Workbench,
    status: StatusCode,
    title: &'static str,
    user: Option<User>,
    message: String,
) -> Result<Response, Failure> {
    let back = if user.is_some() { "/" } else { "/login" };
    let page = MessagePage {
        title,
        user,
        message,
        back,
    };
    Ok((status, Html(shared.pages.render("message", &page)?)).into_response())
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::STYLE,
    )
}

/// One of the embedded scripts; anything else is 404.
async fn script(Path(name): Path<String>) -> Response {
    match pages::STATIC.iter().find(|(n, _)| *n == name) {
        Some((_, body)) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The login form, with a fresh login token in a cookie and in the form:
/// a login cannot be forged from another site before there is a session.
async fn login_form(State(shared): State<Shared>) -> Result<Response, Failure> {
    login_page(&shared, String::new(), None, StatusCode::OK)
}

fn login_page(
    shared: &Workbench,
    name: String,
    message: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, Failure> {
    let token = session::random_token();
    let html = shared.pages.render(
        "login",
        &LoginPage {
            title: "登录",
            user: None,
            csrf: token.clone(),
            name,
            message,
        },
    )?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            session::set_cookie(session::LOGIN_COOKIE, &token),
        )],
        Html(html),
    )
        .into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// The one message for every refused login: it does not tell whether the
/// account exists or is locked.
const LOGIN_REFUSED: &str =
    "账号或密码错误，或账号因连续输错密码已暂时锁定（连续 5 次锁定 15 分钟）。";

async fn login(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, Failure> {
    let expected = session::cookie(&headers, session::LOGIN_COOKIE).unwrap_or_default();
    if !session::tokens_match(&expected, &form.csrf) {
        audit(
            &shared,
            Some(form.name.clone()),
            "csrf_refused",
            "登录表单的校验码不符".into(),
        )
        .await?;
        return message(
            &shared,
            StatusCode::FORBIDDEN,
            "表单已失效",
            None,
            "表单已失效，请刷新登录页后重新登录。".into(),
        );
    }
    let name = form.name.trim().to_string();
    let tried = name.clone();
    let worker = shared.clone();
    let outcome =
        blocking(move || Ok(open(&worker)?.login(&tried, &form.password, now())?)).await?;
    match outcome {
        // Two cookies: AppendHeaders, as an array of headers would keep
        // only the last Set-Cookie.
        Login::Opened(_, new) => Ok((
            StatusCode::SEE_OTHER,
            AppendHeaders([
                (
                    header::SET_COOKIE,
                    session::set_cookie(session::SESSION_COOKIE, &new.token),
                ),
                (
                    header::SET_COOKIE,
                    session::clear_cookie(session::LOGIN_COOKIE),
                ),
                (header::LOCATION, "/".to_string()),
            ]),
        )
            .into_response()),
        Login::Refused | Login::Locked(_) => {
            login_page(&shared, name, Some(LOGIN_REFUSED), StatusCode::UNAUTHORIZED)
        }
    }
}

/// The answer to a form whose token is not the session's (a forged or
/// stale form): 403, and what was tried in the audit log.
async fn forged_form(
    shared: &Shared,
    session: &Session,
    what: String,
) -> Result<Response, Failure> {
    let who = Some(session.account.name.clone());
    audit(shared, who, "csrf_refused", what).await?;
    message(
        shared,
        StatusCode::FORBIDDEN,
        "表单已失效",
        Some(User::of(session)),
        "表单已失效，请刷新页面后重试。".into(),
    )
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = Some(session.account.name.clone());
    if !session::tokens_match(&session.csrf, &form.csrf) {
        return forged_form(&shared, &session, "退出登录的校验码不符".into()).await;
    }
    let token = session::cookie(&headers, session::SESSION_COOKIE).unwrap_or_default();
    let worker = shared.clone();
    blocking(move || {
        let mut register = open(&worker)?;
        register.close_session(&token)?;
        Ok(register.audit(who.as_deref(), "logout", "退出登录", now())?)
    })
    .await?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                session::clear_cookie(session::SESSION_COOKIE),
            ),
            (header::LOCATION, "/login".to_string()),
        ],
    )
        .into_response())
}

/// The season's status, read through the pipeline as `fucha status` does.
async fn season(shared: &Shared) -> Result<pipeline::SeasonStatus, Failure> {
    let worker = shared.clone();
    blocking(move || Ok(pipeline::status(&worker.ctx, None)?)).await
}
