//! Uploads (`GET`/`POST /upload`): a clerk sends one or more workbooks
//! through the browser and they are received at once, as `fucha receive`
//! would. Each sent name is made safe here (never used as a path); the
//! files are kept in the intake folder, and for a county account refused
//! as a whole when any file belongs to another body, by
//! [`pipeline::upload`].

use super::pages::{MessagePage, User};
use super::season_pages::ProblemRow;
use super::{Failure, Shared, audit, blocking, forged_form, message, session, signed_in};
use crate::pipeline;
use crate::register::{Role, Session};
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

/// At most this many files in one upload.
pub(super) const MAX_FILES: usize = 10;
/// At most this many bytes in one upload request, all files together.
pub(super) const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The extensions a workbook may have.
const EXTENSIONS: [&str; 4] = ["xlsx", "xls", "ods", "csv"];

/// The file name a clerk sent, made safe to write: only its last
/// component (either separator), without control or reserved characters
/// or leading dots, at most 100 characters, and with one of the workbook
/// extensions (lower-cased). Err: the message for a refused extension.
pub(super) fn safe_name(sent: &str) -> Result<String, String> {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) => (stem, ext.to_ascii_lowercase()),
        None => (cleaned.as_str(), String::new()),
    };
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(format!(
            "文件“{}”不是电子表格，只接收扩展名为 .xlsx、.xls、.ods 或 .csv 的文件。",
            last.chars().filter(|c| !c.is_control()).collect::<String>()
        ));
    }
    // No "..", no leading dot (a hidden file), no trailing dots or spaces.
    let stem = stem
        .replace("..", "")
        .trim_start_matches('.')
        .trim()
        .trim_end_matches('.')
        .to_string();
    let stem: String = stem.chars().take(100).collect();
    let stem = if stem.is_empty() {
        "上传文件".to_string()
    } else {
        stem
    };
    Ok(format!("{stem}.{ext}"))
}

#[derive(Serialize)]
struct UploadForm {
    title: &'static str,
    user: Option<User>,
    scope: String,
    max_files: usize,
    max_mb: usize,
}

pub(super) async fn upload_form(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let page = UploadForm {
        title: "上传报送文件",
        user: Some(User::of(&session)),
        scope: scope(&session),
        max_files: MAX_FILES,
        max_mb: MAX_BYTES / 1024 / 1024,
    };
    Ok(Html(shared.pages.render("upload", &page)?).into_response())
}

fn scope(session: &Session) -> String {
    match &session.account.role {
        Role::City => "可上传任一报送单位的文件。".to_string(),
        Role::County(own) => format!("本账号只能上传{own}的文件。"),
    }
}

/// One file on the result page.
#[derive(Serialize)]
struct FileRow {
    name: String,
    body: String,
    rows: usize,
    accepted: usize,
    rejected: usize,
    outcome: &'static str,
    diagnostics: Vec<ProblemRow>,
}

#[derive(Serialize)]
struct UploadResult {
    title: &'static str,
    user: Option<User>,
    files: Vec<FileRow>,
}

/// A file as sent: its safe name and its bytes.
struct Sent {
    name: String,
    bytes: Vec<u8>,
}

/// An upload over the limits: `what` in the audit log, and a page saying
/// what the limits are.
async fn too_large(
    shared: &Shared,
    who: Option<String>,
    user: User,
    what: String,
) -> Result<Response, Failure> {
    audit(shared, who, "upload_refused", what).await?;
    message(
        shared,
        StatusCode::PAYLOAD_TOO_LARGE,
        "文件过大",
        Some(user),
        format!(
            "一次上传的文件合计不能超过 {} MB、不能多于 {MAX_FILES} 个，请分批上传。",
            MAX_BYTES / 1024 / 1024
        ),
    )
}

pub(super) async fn upload(
    State(shared): State<Shared>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Failure> {
    let Some(session) = signed_in(&shared, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let who = Some(session.account.name.clone());
    let user = || User::of(&session);
    let bad_form = |shared: &Shared, user: User| {
        message(
            shared,
            StatusCode::BAD_REQUEST,
            "上传失败",
            Some(user),
            "上传的表单不完整，请回到上传页重新选择文件。".into(),
        )
    };
    let Ok(mut multipart) = multipart else {
        return bad_form(&shared, user());
    };
    let mut csrf = String::new();
    let mut sent: Vec<Sent> = Vec::new();
    let mut refused: Option<String> = None;
    let mut count = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return too_large(&shared, who, user(), "上传的文件超过大小限制".into()).await;
            }
            Err(_) => return bad_form(&shared, user()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return too_large(&shared, who, user(), "上传的文件超过大小限制".into()).await;
            }
            Err(_) => return bad_form(&shared, user()),
        };
        match (name.as_str(), file_name) {
            ("csrf", _) => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            ("files", Some(file_name)) => {
                // A browser sends an empty part when no file was chosen.
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                count += 1;
                match safe_name(&file_name) {
                    Ok(name) => sent.push(Sent {
                        name,
                        bytes: bytes.to_vec(),
                    }),
                    Err(why) => {
                        refused.get_or_insert(why);
                    }
                }
            }
            _ => {}
        }
    }
    if !session::tokens_match(&session.csrf, &csrf) {
        return forged_form(&shared, &session, "上传文件的校验码不符".into()).await;
    }
    if count > MAX_FILES {
        return too_large(&shared, who, user(), format!("一次上传{count}个文件")).await;
    }
    if let Some(why) = refused {
        audit(&shared, who, "upload_refused", why.clone()).await?;
        return refuse(
            &shared,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "文件类型不符",
            user(),
            why,
        );
    }
    if sent.is_empty() {
        return message(
            &shared,
            StatusCode::BAD_REQUEST,
            "没有选择文件",
            Some(user()),
            "请选择要上传的报送文件。".into(),
        );
    }
    let own = match &session.account.role {
        Role::City => None,
        Role::County(own) => Some(own.clone()),
    };
    let worker = shared.clone();
    let mine = own.clone();
    let outcome = blocking(move || {
        let files: Vec<pipeline::Upload> = sent
            .into_iter()
            .map(|f| pipeline::Upload {
                name: f.name,
                bytes: f.bytes,
            })
            .collect();
        Ok(pipeline::upload(&worker.ctx, &files, mine.as_deref())?)
    })
    .await?;
    let report = match outcome {
        pipeline::UploadOutcome::Received(report) => report,
        pipeline::UploadOutcome::Foreign { file, body } => {
            let own = own.unwrap_or_default();
            let body = body.unwrap_or_else(|| "无法判断".into());
            audit(
                &shared,
                who,
                "upload_refused",
                format!("上传文件“{file}”（数据属于{body}），不属本单位{own}"),
            )
            .await?;
            return refuse(
                &shared,
                StatusCode::FORBIDDEN,
                "不能上传其他单位的文件",
                user(),
                format!(
                    "文件“{file}”的数据属于{body}，本账号只能上传{own}的文件。本次上传的文件均未登记。"
                ),
            );
        }
    };
    let mut rows = Vec::new();
    for f in &report.batch.files {
        let name = display_name(&f.path);
        let body = f.jurisdiction.clone().unwrap_or_else(|| "无法判断".into());
        let new = report.new.iter().any(|s| s.path == f.path);
        audit(
            &shared,
            who.clone(),
            "upload",
            format!(
                "上传文件“{name}”（{body}），接收{}行、退回{}行{}",
                f.accepted,
                f.rejected,
                if new {
                    ""
                } else {
                    "，此前已收到相同内容"
                }
            ),
        )
        .await?;
        rows.push(FileRow {
            name,
            body,
            rows: f.rows,
            accepted: f.accepted,
            rejected: f.rejected,
            outcome: if new {
                "已登记为新版本"
            } else {
                "此前已收到相同内容的文件，未重复登记"
            },
            diagnostics: report.batch.diagnostics_of(f).map(ProblemRow::of).collect(),
        });
    }
    let page = UploadResult {
        title: "上传结果",
        user: Some(user()),
        files: rows,
    };
    Ok(Html(shared.pages.render("uploaded", &page)?).into_response())
}

/// The file name of a path the checker shows (our own safe name).
fn display_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

fn refuse(
    shared: &Shared,
    status: StatusCode,
    title: &'static str,
    user: User,
    text: String,
) -> Result<Response, Failure> {
    let page = MessagePage {
        title,
        user: Some(user),
        message: text,
        back: "/upload",
    };
    Ok((status, Html(shared.pages.render("message", &page)?)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_name_keeps_only_its_last_component_and_a_workbook_extension() {
        assert_eq!(safe_name("../../etc/passwd.xlsx").unwrap(), "passwd.xlsx");
        assert_eq!(safe_name(r"C:\报送\汨罗市.XLSX").unwrap(), "汨罗市.xlsx");
        assert_eq!(safe_name("..xlsx").unwrap(), "上传文件.xlsx");
        assert_eq!(safe_name("a\u{0}b\n..c.csv").unwrap(), "abc.csv");
        assert!(safe_name("run.sh").unwrap_err().contains(".xlsx"));
        assert!(safe_name("汨罗市").is_err());
        assert!(safe_name("x.xlsx/").is_err());
    }
}
