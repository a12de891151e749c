//! Documents (`/documents`…, issue #15): a city clerk builds the season's
//! documents from the browser, lists them, previews a PDF and downloads
//! files singly or all as a zip.
//!
//! A build is the CLI's `fucha build`: the same pipeline calls
//! ([`Context::load_and_check`] on the config, then
//! [`pipeline::build_checked`]) into the same output folder, so a build
//! from either is recorded in the register alike and the files land in
//! one place. It runs on a blocking thread; one at a time.
//!
//! Files are served only by looking their folder and name up among those
//! the output folder holds (see [`output_files`]): a URL segment is never
//! joined into a path.

use super::pages::{User, path_segment};
use super::{
    CsrfForm, Failure, Shared, Workbench, audit, forged_form, message, now, open, session,
    signed_in,
};
use crate::pipeline::{self, BuildOptions, Context, Progress};
use crate::register::{Role, Session};
use axum::extract::{Form, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

const TIME: &str = "%Y-%m-%d %H:%M";

/// Where and how the workbench builds, as `fucha build` would with the
/// same options.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// The season's config, read again for every build as `fucha build`
    /// reads it; None: this workbench only lists what is there.
    pub config: Option<PathBuf>,
    /// The roster, when not the config's (`--roster`).
    pub roster: Option<PathBuf>,
    /// The output folder (`fucha build --out`, by default `output`).
    pub output: PathBuf,
    /// The template folder; None uses the built-in templates.
    pub templates: Option<PathBuf>,
    /// Documents rendered at once.
    pub jobs: usize,
}

impl Default for BuildSettings {
    /// No config (nothing to build from), the CLI's default output folder.
    fn default() -> Self {
        BuildSettings {
            config: None,
            roster: None,
            output: PathBuf::from("output"),
            templates: None,
            jobs: 1,
        }
    }
}

/// The build settings and the state of the current or last build.
pub(super) struct Builds {
    pub(super) settings: BuildSettings,
    state: Arc<Mutex<BuildState>>,
}

impl Builds {
    pub(super) fn new(settings: BuildSettings) -> Builds {
        Builds {
            settings,
            state: Arc::default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, BuildState> {
        lock(&self.state)
    }
}

/// A poisoned lock still holds a usable state: the build thread catches
/// its own panics, and the state is plain data.
fn lock(state: &Mutex<BuildState>) -> MutexGuard<'_, BuildState> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The current or last build since the server started.
#[derive(Debug, Default, Clone)]
struct BuildState {
    running: bool,
    by: String,
    started: Option<NaiveDateTime>,
    stage: &'static str,
    done: u64,
    total: u64,
    finished: Option<NaiveDateTime>,
    error: Option<String>,
    outcome: Option<String>,
    withheld: Vec<String>,
}

/// The pipeline's progress, into the shared state (read by the page and
/// by `/documents/progress`).
struct Tracker(Arc<Mutex<BuildState>>);

impl Progress for Tracker {
    fn start(&self, total: u64) {
        let mut s = lock(&self.0);
        s.stage = "排版公文";
        s.total = total;
        s.done = 0;
    }
    fn tick(&self) {
        lock(&self.0).done += 1;
    }
    fn finish(&self) {
        lock(&self.0).stage = "写入文件清单并登记";
    }
}

/// One file of the output folder: `<output>/<folder>/<name>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct OutputFile {
    pub(super) folder: String,
    pub(super) name: String,
    pub(super) size: u64,
}

impl OutputFile {
    /// The file name without its extension, and the extension.
    pub(super) fn stem_and_ext(&self) -> (&str, &str) {
        match self.name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem, ext),
            _ => (self.name.as_str(), ""),
        }
    }

    fn path(&self, root: &Path) -> PathBuf {
        root.join(&self.folder).join(&self.name)
    }

    fn relative(&self) -> String {
        format!("{}/{}", self.folder, self.name)
    }
}

/// The documents the output folder holds: the regular files (not links)
/// one folder down, hidden ones and Office lock files left out, sorted by
/// folder then name. Files at the top (the build's file list, a roster of
/// next year) are not documents of the season's folders.
pub(super) fn output_files(root: &Path) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let visible = |name: &str| !name.starts_with('.') && !name.starts_with("~$");
    let Ok(folders) = std::fs::read_dir(root) else {
        return files;
    };
    for folder in folders.flatten() {
        let Ok(folder_name) = folder.file_name().into_string() else {
            continue;
        };
        let is_dir = folder.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || !visible(&folder_name) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            // DirEntry::metadata does not follow a symbolic link.
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            if meta.is_file() && visible(&name) {
                files.push(OutputFile {
                    folder: folder_name.clone(),
                    name,
                    size: meta.len(),
                });
            }
        }
    }
    files.sort();
    files
}

/// A size as a clerk reads it.
pub(super) fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} 字节"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
    }
}

/// The format's name as the page shows it.
pub(super) fn format_label(ext: &str) -> String {
    match ext.to_ascii_lowercase().as_str() {
        "docx" => "DOCX".into(),
        "pdf" => "PDF".into(),
        "ofd" => "OFD".into(),
        "xlsx" => "Excel".into(),
        "html" | "htm" => "网页".into(),
        "" => "文件".into(),
        other => other.to_ascii_uppercase(),
    }
}

fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("ofd") => "application/ofd",
        Some("zip") => "application/zip",
        // A web page (the 公示's) is downloaded, never shown from here.
        _ => "application/octet-stream",
    }
}

/// A `Content-Disposition` value: `attachment` or `inline`, with the name
/// in UTF-8 by RFC 5987 (`filename*`) and a plain ASCII fallback for old
/// clients.
pub(super) fn disposition(kind: &str, name: &str) -> String {
    let ascii = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._ ()".contains(c));
    let fallback = if ascii {
        name.to_string()
    } else {
        match name.rsplit_once('.') {
            Some((_, ext)) if ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
                format!("document.{ext}")
            }
            _ => "document".to_string(),
        }
    };
    format!(
        "{kind}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        path_segment(name)
    )
}

/// A file's bytes as a download (or, `inline`, for the browser to show).
pub(super) fn file_response(name: &str, bytes: Vec<u8>, inline: bool) -> Response {
    let kind = if inline { "inline" } else { "attachment" };
    (
        [
            (header::CONTENT_TYPE, content_type(name).to_string()),
            (header::CONTENT_DISPOSITION, disposition(kind, name)),
        ],
        bytes,
    )
        .into_response()
}

/// The 403 page for a county account on the city's pages, audited.
async fn city_only(shared: &Shared, session: &Session, what: String) -> Result<Response, Failure> {
    audit(shared, Some(session.account.name.clone()), "refused", what).await?;
    message(
        shared,
        StatusCode::FORBIDDEN,
        "无权操作",
        Some(User::of(session)),
        "公文的生成和下载只对市文明办的账号开放；县市区账号请在本单位页面下载退回修改意见。".into(),
    )
}

fn is_city(session: &Session) -> bool {
    matches!(session.account.role, Role::City)
}

/// One format of a document on the page.
#[derive(Serialize)]
struct FormatLink {
    label: String,
    href: String,
    preview: Option<String>,
    size: String,
}

/// A document: one name, its formats.
#[derive(Serialize)]
struct DocumentRow {
    name: String,
    formats: Vec<FormatLink>,
}

/// A folder of the output folder.
#[derive(Serialize)]
struct Group {
    folder: String,
    documents: Vec<DocumentRow>,
}

/// The current or last build as the page shows it.
#[derive(Serialize)]
struct BuildView {
    running: bool,
    by: String,
    started: String,
    stage: &'static str,
    done: u64,
    total: u64,
    max: u64,
    finished: Option<String>,
    error: Option<String>,
    outcome: Option<String>,
    withheld: Vec<String>,
}

impl BuildView {
    fn of(s: &BuildState) -> Option<BuildView> {
        let started = s.started?;
        Some(BuildView {
            running: s.running,
            by: s.by.clone(),
            started: started.format(TIME).to_string(),
            stage: s.stage,
            done: s.done,
            total: s.total,
            max: s.total.max(1),
            finished: s.finished.map(|t| t.format(TIME).to_string()),
            error: s.error.clone(),
            outcome: s.outcome.clone(),
            withheld: s.withheld.clone(),
        })
    }
}

#[derive(Serialize)]
struct DocumentsPage {
    title: &'static str,
    user: Option<User>,
    can_build: bool,
    running: bool,
    output: String,
    build: Option<BuildView>,
    groups: Vec<Group>,
    count: usize,
    size: String,
}

/// The files grouped for the page: by folder, then by name without
/// extension, each with its formats.
fn groups(files: &[OutputFile]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for f in files {
        if groups.last().is_none_or(|g| g.folder != f.folder) {
            groups.push(Group {
                folder: f.folder.clone(),
                documents: Vec::new(),
            });
        }
        let group = groups.last_mut().expect("pushed above");
        let (stem, ext) = f.stem_and_ext();
        let href = format!(
            "/documents/file/{}/{}",
            path_segment(&f.folder),
            path_segment(&f.name)
        );
        let link = FormatLink {
            label: format_label(ext),
            preview: ext
                .eq_ignore_ascii_case("pdf")
                .then(|| format!("{href}?view=1")),
            href,
            size: human_size(f.size),
        };
        // Sorted by name, so a document's formats are next to each other
        // unless another name sorts between "x" and "x.pdf" (a name that
        // starts with "x."); then it is listed twice, which is harmless.
        match group.documents.last_mut() {
            Some(d) if d.name == stem => d.formats.push(link),
            _ => group.documents.push(DocumentRow {
                name: stem.to_string(),
                formats: vec![link],
            }),
        }
    }
    groups
}

/// `GET /documents`: the output folder's documents and the build button.
pub(super) async fn documents_page(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !is_city(&session) {
        return city_only(&shared, &session, "查看公文列表".into()).await;
    }
    let worker = shared.clone();
    let files =
        tokio::task::spawn_blocking(move || output_files(&worker.builds.settings.output)).await?;
    let build = BuildView::of(&shared.builds.state());
    let running = build.as_ref().is_some_and(|b| b.running);
    let page = DocumentsPage {
        title: "公文",
        user: Some(User::of(&session)),
        can_build: shared.builds.settings.config.is_some(),
        running,
        output: shared.builds.settings.output.display().to_string(),
        build,
        count: files.len(),
        size: human_size(files.iter().map(|f| f.size).sum()),
        groups: groups(&files),
    };
    audit(
        &shared,
        Some(session.account.name.clone()),
        "view",
        format!("查看公文列表（{} 个文件）", files.len()),
    )
    .await?;
    Ok(Html(shared.pages.render("documents", &page)?).into_response())
}

/// `POST /documents/build`: starts a build in the background and sends
/// the clerk back to the list, where its progress shows.
pub(super) async fn start_build(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = session.account.name.clone();
    if !session::tokens_match(&session.csrf, &form.csrf) {
        return forged_form(&shared, &session, "生成公文的校验码不符".into()).await;
    }
    if !is_city(&session) {
        return city_only(&shared, &session, "生成公文".into()).await;
    }
    let Some(config) = shared.builds.settings.config.clone() else {
        return message(
            &shared,
            StatusCode::SERVICE_UNAVAILABLE,
            "不能生成公文",
            Some(User::of(&session)),
            "本工作台启动时没有指定配置文件，不能生成公文；请用 fucha build 生成。".into(),
        );
    };
    // Claimed under the lock: two clicks at once start one build.
    let running = {
        let mut state = shared.builds.state();
        if state.running {
            Some(state.clone())
        } else {
            *state = BuildState {
                running: true,
                by: who.clone(),
                started: Some(now()),
                stage: "读取并校验报送表",
                ..BuildState::default()
            };
            None
        }
    };
    if let Some(running) = running {
        audit(
            &shared,
            Some(who),
            "build_refused",
            format!("生成公文：{}发起的生成尚未完成", running.by),
        )
        .await?;
        let started = running
            .started
            .map(|t| t.format(TIME).to_string())
            .unwrap_or_default();
        return Ok((
            StatusCode::CONFLICT,
            Html(shared.pages.render(
                "message",
                &super::pages::MessagePage {
                    title: "正在生成公文",
                    user: Some(User::of(&session)),
                    message: format!(
                        "{}于 {started} 开始的生成尚未完成，请等它完成后再生成。",
                        running.by
                    ),
                    back: "/documents",
                },
            )?),
        )
            .into_response());
    }
    audit(
        &shared,
        Some(who.clone()),
        "build",
        format!(
            "开始生成公文（配置 {}，输出到 {}）",
            config.display(),
            shared.builds.settings.output.display()
        ),
    )
    .await?;
    let worker = shared.clone();
    // Not awaited: the build goes on after this answer.
    drop(tokio::task::spawn_blocking(move || {
        run_build(&worker, &config, &who)
    }));
    Ok(Redirect::to("/documents").into_response())
}

/// Runs one build to its end and records how it ended, in the state and
/// in the audit log (first the log, so that a finished state means the
/// log has it).
fn run_build(shared: &Workbench, config: &Path, who: &str) {
    let state = shared.builds.state.clone();
    let settings = &shared.builds.settings;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build_now(settings, config, &state)
    }));
    let (action, detail, withheld) = match outcome {
        Ok(Ok((summary, withheld))) => ("build_finished", Ok(summary), withheld),
        Ok(Err(e)) => (
            "build_failed",
            Err(crate::diag::error_chain(&e as &dyn std::error::Error)),
            Vec::new(),
        ),
        Err(_) => (
            "build_failed",
            Err("生成时程序出错，详见工作台的日志".to_string()),
            Vec::new(),
        ),
    };
    let text = match &detail {
        Ok(summary) => summary.clone(),
        Err(why) => format!("生成公文失败：{why}"),
    };
    let logged = open(shared).and_then(|mut r| Ok(r.audit(Some(who), action, &text, now())?));
    if let Err(e) = logged {
        eprintln!(
            "工作台出错：{}",
            crate::diag::error_chain(&e as &dyn std::error::Error)
        );
    }
    let mut s = state.lock().unwrap_or_else(PoisonError::into_inner);
    s.running = false;
    s.finished = Some(now());
    s.withheld = withheld;
    match detail {
        Ok(summary) => {
            s.stage = "已完成";
            s.outcome = Some(summary);
        }
        Err(why) => {
            eprintln!("工作台生成公文失败：{why}");
            s.stage = "生成失败";
            s.error = Some(why);
        }
    }
}

/// `fucha build` with the workbench's settings: the summary line and the
/// documents withheld, each with why.
fn build_now(
    settings: &BuildSettings,
    config: &Path,
    state: &Arc<Mutex<BuildState>>,
) -> Result<(String, Vec<String>), pipeline::PipelineError> {
    let started = Instant::now();
    let (ctx, batch) = Context::load_and_check(config, settings.roster.as_deref(), &[])?;
    lock(state).stage = "生成退回修改意见，组成公文";
    let opts = BuildOptions {
        inputs: Vec::new(),
        output: settings.output.clone(),
        templates: settings.templates.clone(),
        draft: false,
        jobs: settings.jobs.max(1),
        reference_date: None,
    };
    let report = pipeline::build_checked(&ctx, batch, &opts, &Tracker(state.clone()), started)?;
    let batch = &report.batch;
    let mut summary = format!(
        "生成公文：读取 {} 个报送文件，错误 {} 个、警告 {} 个；写入 {} 个文件",
        batch.files.len(),
        batch.errors(),
        batch.warnings(),
        report.written.len()
    );
    if !report.removed.is_empty() {
        summary.push_str(&format!("，删除过期文件 {} 个", report.removed.len()));
    }
    if !report.withheld.is_empty() {
        summary.push_str(&format!("，暂缓 {} 份", report.withheld.len()));
    }
    for u in &report.unavailable {
        summary.push_str(&format!("；{u}"));
    }
    summary.push_str(&format!("；用时 {:.1} 秒。", report.elapsed.as_secs_f64()));
    let withheld = report
        .withheld
        .iter()
        .map(|(path, why)| format!("{}：{why}", path.display()))
        .collect();
    Ok((summary, withheld))
}

/// What `/documents/progress` answers, for the page's script.
#[derive(Serialize)]
struct ProgressJson {
    running: bool,
    done: u64,
    total: u64,
    stage: &'static str,
    finished: bool,
    error: Option<String>,
}

/// `GET /documents/progress`: the current or last build, as JSON.
pub(super) async fn progress(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !is_city(&session) {
        return Ok(StatusCode::FORBIDDEN.into_response());
    }
    let s = shared.builds.state().clone();
    let json = ProgressJson {
        running: s.running,
        done: s.done,
        total: s.total,
        stage: s.stage,
        finished: !s.running && s.finished.is_some(),
        error: s.error,
    };
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        serde_json::to_string(&json).unwrap_or_else(|_| "{}".into()),
    )
        .into_response())
}

/// Whether the query asks for the file to be shown (`?view=1`).
fn wants_view(uri: &Uri) -> bool {
    uri.query()
        .is_some_and(|q| q.split('&').any(|pair| pair == "view=1"))
}

/// `GET /documents/file/{folder}/{name}`: one file of the output folder,
/// found by its folder and name among those listed (`?view=1`: a PDF shown
/// in the browser).
pub(super) async fn file(
    State(shared): State<Shared>,
    headers: HeaderMap,
    uri: Uri,
    UrlPath((folder, name)): UrlPath<(String, String)>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !is_city(&session) {
        return city_only(&shared, &session, format!("下载公文 {folder}/{name}")).await;
    }
    let view = wants_view(&uri) && name.to_ascii_lowercase().ends_with(".pdf");
    let worker = shared.clone();
    let wanted = (folder.clone(), name.clone());
    let found = tokio::task::spawn_blocking(move || -> std::io::Result<Option<Vec<u8>>> {
        let root = &worker.builds.settings.output;
        let files = output_files(root);
        let Some(file) = files
            .iter()
            .find(|f| f.folder == wanted.0 && f.name == wanted.1)
        else {
            return Ok(None);
        };
        std::fs::read(file.path(root)).map(Some)
    })
    .await??;
    let Some(bytes) = found else {
        return not_found(&shared, &session);
    };
    audit(
        &shared,
        Some(session.account.name.clone()),
        "download",
        format!("{}公文 {folder}/{name}", if view { "预览" } else { "下载" }),
    )
    .await?;
    Ok(file_response(&name, bytes, view))
}

pub(super) fn not_found(shared: &Shared, session: &Session) -> Result<Response, Failure> {
    message(
        shared,
        StatusCode::NOT_FOUND,
        "没有这个文件",
        Some(User::of(session)),
        "没有这个文件：它可能已被重新生成的公文取代，请回到列表刷新。".into(),
    )
}

/// Every file of the output folder in one zip, in the listing's order,
/// each under `folder/name` and dated 1980-01-01 (the zip's epoch), so the
/// same documents always give the same zip.
fn zip_of(root: &Path, files: &[OutputFile]) -> Result<Vec<u8>, Failure> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let io = |e: zip::result::ZipError| Failure::Io(std::io::Error::other(e));
    for f in files {
        let bytes = std::fs::read(f.path(root))?;
        zip.start_file(f.relative(), options).map_err(io)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish().map_err(io)?.into_inner())
}

/// `GET /documents/all.zip`: every document of the output folder.
pub(super) async fn all_zip(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !is_city(&session) {
        return city_only(&shared, &session, "下载全部公文".into()).await;
    }
    let worker = shared.clone();
    let (count, bytes) = super::blocking(move || {
        let root = &worker.builds.settings.output;
        let files = output_files(root);
        Ok((files.len(), zip_of(root, &files)?))
    })
    .await?;
    audit(
        &shared,
        Some(session.account.name.clone()),
        "download",
        format!("下载全部公文（zip，{count} 个文件）"),
    )
    .await?;
    let name = format!("{}年复查公文.zip", shared.ctx.campaign.campaign.year);
    Ok(file_response(&name, bytes, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disposition_names_the_file_in_utf8_with_an_ascii_fallback() {
        assert_eq!(
            disposition("attachment", "通报.pdf"),
            "attachment; filename=\"document.pdf\"; filename*=UTF-8''%E9%80%9A%E6%8A%A5.pdf"
        );
        assert_eq!(
            disposition("inline", "a b.pdf"),
            "inline; filename=\"a b.pdf\"; filename*=UTF-8''a%20b.pdf"
        );
        // A quote or a separator never reaches the header unencoded.
        let odd = disposition("attachment", "x\"; y/..\\z.docx");
        assert!(odd.contains("filename=\"document.docx\""), "{odd}");
        assert!(odd.ends_with("x%22%3B%20y%2F..%5Cz.docx"), "{odd}");
    }

    #[test]
    fn only_files_one_folder_down_are_listed_not_links_or_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("02-复查通报")).unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("02-复查通报/通报.pdf"), b"%PDF").unwrap();
        std::fs::write(root.join("02-复查通报/通报.docx"), b"PK").unwrap();
        std::fs::write(root.join("02-复查通报/~$通报.docx"), b"").unwrap();
        std::fs::write(root.join(".hidden/x.pdf"), b"").unwrap();
        std::fs::write(root.join("a/b/deep.pdf"), b"").unwrap();
        std::fs::write(root.join("top.pdf"), b"").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/hostname", root.join("02-复查通报/link.pdf")).unwrap();
        let names: Vec<String> = output_files(root)
            .iter()
            .map(OutputFile::relative)
            .collect();
        assert_eq!(names, ["02-复查通报/通报.docx", "02-复查通报/通报.pdf"]);
        let grouped = groups(&output_files(root));
        assert_eq!(grouped.len(), 1);
        assert_eq!(grouped[0].documents.len(), 1);
        let formats: Vec<&str> = grouped[0].documents[0]
            .formats
            .iter()
            .map(|f| f.label.as_str())
            .collect();
        assert_eq!(formats, ["DOCX", "PDF"]);
        assert!(grouped[0].documents[0].formats[1].preview.is_some());
    }
}
