//! The workbench's documents and feedback pages over HTTP (issue #15),
//! through the router itself (`tower::ServiceExt::oneshot`): a city clerk
//! builds the season's documents from the browser into the folder
//! `fucha build --out` would write, lists, previews and downloads them
//! singly or as a zip; a county office downloads its own 退回修改意见. The
//! refusals (anonymous, county, forged form, paths out of the folder) and
//! the audit log too. Expected names and counts come from the season's own
//! data and the output folder, never typed in.

use crate::common::{copy_dir, docx_text, repo, squash, with_bad_review_date};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use fucha::check::feedback::feedback_file_name;
use fucha::compose::{DocumentKind, Subject};
use fucha::pipeline::{self, Context};
use fucha::register::{Register, Role};
use fucha::serve::BuildSettings;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const CITY: &str = "张三";
const CITY_PASSWORD: &str = "Yueyang-2020";
const COUNTY_PASSWORD: &str = "County!2020abc";
/// The county whose workbook the feedback tests break.
const BROKEN: &str = "华容县";
/// Another county, with a clean workbook.
const CLEAN: &str = "汨罗市";
const BAD_DATE: &str = "2020-13-45";

/// A copy of the default season, accounts for the city and for two
/// counties, and the router building into `out`.
struct Bench {
    _dir: tempfile::TempDir,
    config: PathBuf,
    out: PathBuf,
    app: Router,
    runtime: tokio::runtime::Runtime,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    fn location(&self) -> String {
        self.header(header::LOCATION)
    }
}

fn county_account(body: &str) -> String {
    format!("{body}文明办")
}

/// Bytes >= 0x80 and spaces percent-encoded, the rest (and any `%` already
/// there) left as written: the tests spell some paths pre-encoded.
fn uri(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            0x80..=0xff | b' ' => format!("%{b:02X}"),
            _ => (b as char).to_string(),
        })
        .collect()
}

/// A form value, fully encoded.
fn form_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `%XX` sequences decoded (the links on a page, back to names).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Every `href="…"` on a page that starts with `prefix`, in page order,
/// unescaped as a browser reads it.
fn links(html: &str, prefix: &str) -> Vec<String> {
    let needle = format!("href=\"{prefix}");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let start = at + 6;
            let end = html[start..].find('"').unwrap() + start;
            html[start..end]
                .replace("&#x3D;", "=")
                .replace("&amp;", "&")
        })
        .collect()
}

fn hidden_csrf(html: &str) -> String {
    let start = html.find(r#"name="csrf" value=""#).expect("a csrf field") + 19;
    html[start..start + 64].to_string()
}

/// The documents one folder down in `out`, as `folder/name`, sorted: what
/// the page and the zip must show.
fn files_on_disk(out: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for folder in std::fs::read_dir(out).unwrap() {
        let folder = folder.unwrap();
        if !folder.file_type().unwrap().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(folder.path()).unwrap() {
            let f = f.unwrap();
            files.push(format!(
                "{}/{}",
                folder.file_name().to_str().unwrap(),
                f.file_name().to_str().unwrap()
            ));
        }
    }
    files.sort();
    files
}

impl Bench {
    /// The default season; with `broken`, that county's workbook gets an
    /// invalid date in its first data row (returning the unit's name).
    fn new(broken: Option<&str>) -> (Bench, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        copy_dir(&repo().join("input"), &input);
        let dated_unit = broken.map(|body| {
            let book = input.join("报送").join(format!("{body}.xlsx"));
            with_bad_review_date(&book, &book, BAD_DATE)
        });
        let config = input.join("fucha.toml");
        let ctx = Context::load(&config, None).unwrap();
        pipeline::add_account(&ctx, CITY, &Role::City, CITY_PASSWORD).unwrap();
        for body in [BROKEN, CLEAN] {
            pipeline::add_account(
                &ctx,
                &county_account(body),
                &Role::County(body.into()),
                COUNTY_PASSWORD,
            )
            .unwrap();
        }
        let out = dir.path().join("公文");
        let settings = BuildSettings {
            config: Some(config.clone()),
            roster: None,
            output: out.clone(),
            templates: None,
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
        };
        let app = fucha::serve::router_with(ctx, settings).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let bench = Bench {
            _dir: dir,
            config,
            out,
            app,
            runtime,
        };
        (bench, dated_unit)
    }

    fn send(&self, request: Request<Body>) -> Reply {
        self.runtime.block_on(async {
            let response = self.app.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec();
            Reply {
                status,
                headers,
                bytes,
            }
        })
    }

    fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(uri(path));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap())
    }

    fn post(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
        let mut request = Request::post(uri(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let form: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", form_value(v)))
            .collect();
        self.send(request.body(Body::from(form.join("&"))).unwrap())
    }

    /// Logs in as a browser does; the session cookie header value.
    fn session(&self, name: &str, password: &str) -> String {
        let form = self.get("/login", None);
        let token = hidden_csrf(&form.text());
        let cookie = format!("fucha_login={token}");
        let reply = self.post(
            "/login",
            Some(&cookie),
            &[("name", name), ("password", password), ("csrf", &token)],
        );
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
        let set = reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("fucha_session="))
            .expect("a session cookie");
        set.split(';').next().unwrap().to_string()
    }

    fn city(&self) -> String {
        self.session(CITY, CITY_PASSWORD)
    }

    /// Starts a build as the city clerk does (the form's token) and waits
    /// for it to finish; the progress answers seen while it ran.
    fn build(&self, city: &str) -> Vec<serde_json::Value> {
        let page = self.get("/documents", Some(city));
        let token = hidden_csrf(&page.text());
        let started = self.post("/documents/build", Some(city), &[("csrf", &token)]);
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text());
        assert_eq!(started.location(), "/documents");
        self.wait(city)
    }

    fn wait(&self, city: &str) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(900);
        let mut seen = Vec::new();
        loop {
            let reply = self.get("/documents/progress", Some(city));
            assert_eq!(reply.status, StatusCode::OK);
            assert!(
                reply
                    .header(header::CONTENT_TYPE)
                    .starts_with("application/json")
            );
            let progress: serde_json::Value = serde_json::from_slice(&reply.bytes).unwrap();
            let finished = progress["finished"] == true;
            seen.push(progress);
            if finished {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "the build did not finish: {seen:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn campaign(&self) -> fucha::campaign::Campaign {
        Context::load(&self.config, None).unwrap().campaign
    }

    fn audit(&self) -> Vec<(Option<String>, String, String)> {
        Register::open(&self.campaign().register)
            .unwrap()
            .audit_log()
            .unwrap()
            .into_iter()
            .map(|e| (e.account, e.action, e.detail))
            .collect()
    }
}

/// The text of a DOCX given as bytes.
fn docx_bytes_text(bytes: &[u8]) -> String {
    let file = tempfile::Builder::new().suffix(".docx").tempfile().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    docx_text(file.path())
}

/// The season's circular, relative to the output folder, without extension.
fn circular(campaign: &fucha::campaign::Campaign) -> String {
    DocumentKind::Circular
        .path(campaign, Subject::Season, false)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_city_builds_the_documents_in_the_browser_and_downloads_them() {
    let (wb, _) = Bench::new(None);
    let city = wb.city();
    let before = wb.get("/documents", Some(&city));
    assert_eq!(before.status, StatusCode::OK);
    let html = before.text();
    assert!(html.contains(r#"action="/documents/build""#), "{html}");
    assert!(html.contains(">生成公文</button>"), "{html}");
    assert!(!html.contains("build-progress"), "no build yet: {html}");
    assert!(links(&html, "/documents/file/").is_empty());

    // Started, then refused a second time while it runs.
    let token = hidden_csrf(&html);
    let started = wb.post("/documents/build", Some(&city), &[("csrf", &token)]);
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text());
    assert_eq!(started.location(), "/documents");
    let running = wb.get("/documents", Some(&city)).text();
    assert!(
        running.contains(r#"<progress id="build-progress" max=""#),
        "{running}"
    );
    assert!(running.contains(r#"id="build-stage""#), "{running}");
    assert!(
        running.contains(r#"http-equiv="refresh""#),
        "works without script: {running}"
    );
    assert!(running.contains(r#"<script src="/static/documents.js">"#));
    let again = wb.post("/documents/build", Some(&city), &[("csrf", &token)]);
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    assert!(again.text().contains("尚未完成"), "{}", again.text());
    let seen = wb.wait(&city);
    let last = seen.last().unwrap();
    assert_eq!(last["error"], serde_json::Value::Null, "{last}");
    assert_eq!(last["running"], false);
    assert_eq!(last["done"], last["total"], "every render counted: {last}");
    assert!(last["total"].as_u64().unwrap() > 0);
    let script = wb.get("/static/documents.js", None);
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.text().contains("/documents/progress"));

    // The page lists exactly what the folder holds, which is what the
    // build's own file list says it wrote.
    let page = wb.get("/documents", Some(&city)).text();
    assert!(!page.contains("build-progress"), "{page}");
    let on_disk = files_on_disk(&wb.out);
    let manifest = std::fs::read_to_string(wb.out.join(".fucha-生成文件清单.txt")).unwrap();
    let mut written: Vec<String> = manifest.lines().map(str::to_string).collect();
    written.sort();
    assert_eq!(on_disk, written);
    let mut listed: Vec<String> = links(&page, "/documents/file/")
        .iter()
        .filter(|l| !l.ends_with("?view=1"))
        .map(|l| decode(l.strip_prefix("/documents/file/").unwrap()))
        .collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    let previews = links(&page, "/documents/file/")
        .into_iter()
        .filter(|l| l.ends_with("?view=1"))
        .count();
    let pdfs = on_disk.iter().filter(|f| f.ends_with(".pdf")).count();
    assert!(pdfs > 0);
    assert_eq!(previews, pdfs, "a 预览 for every PDF");
    assert!(page.contains(r#"href="/documents/all.zip""#) && page.contains("全部下载（zip）"));
    let written_count = on_disk.len();
    assert!(
        page.contains(&format!("写入 {written_count} 个文件")),
        "{page}"
    );

    // The circular, as downloaded, is the circular: every roster unit.
    let campaign = wb.campaign();
    let circular = circular(&campaign);
    let docx = format!("{circular}.docx");
    assert!(on_disk.contains(&docx), "{docx} in {on_disk:?}");
    let reply = wb.get(&format!("/documents/file/{docx}"), Some(&city));
    assert_eq!(reply.status, StatusCode::OK);
    let name = Path::new(&docx).file_name().unwrap().to_str().unwrap();
    let disposition = reply.header(header::CONTENT_DISPOSITION);
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains(&format!("filename*=UTF-8''{}", form_value(name))),
        "{disposition}"
    );
    assert_eq!(reply.bytes, std::fs::read(wb.out.join(&docx)).unwrap());
    let text = squash(&docx_bytes_text(&reply.bytes));
    let roster = fucha::roster::Roster::load(&campaign.roster).unwrap();
    assert!(!roster.units().is_empty());
    for unit in roster.units() {
        assert!(
            text.contains(&squash(&unit.name)),
            "the circular lacks {}",
            unit.name
        );
    }

    // A PDF is previewed in the browser.
    let pdf = format!("{circular}.pdf");
    let preview = wb.get(&format!("/documents/file/{pdf}?view=1"), Some(&city));
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.header(header::CONTENT_TYPE), "application/pdf");
    assert!(
        preview
            .header(header::CONTENT_DISPOSITION)
            .starts_with("inline;")
    );
    assert!(preview.bytes.starts_with(b"%PDF"));
    // Left to the browser's PDF viewer: no page policy that would blank it,
    // still not sniffed or cached.
    assert_eq!(preview.header(header::CONTENT_SECURITY_POLICY), "");
    assert_eq!(preview.header(header::CACHE_CONTROL), "no-store");

    // The zip holds the same files, in the page's order, byte for byte,
    // and is the same zip when downloaded again.
    let zip = wb.get("/documents/all.zip", Some(&city));
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.header(header::CONTENT_TYPE), "application/zip");
    assert!(
        zip.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment;")
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).unwrap();
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, std::fs::read(wb.out.join(&name)).unwrap());
        names.push(name);
    }
    assert_eq!(names, on_disk);
    assert_eq!(wb.get("/documents/all.zip", Some(&city)).bytes, zip.bytes);

    // Recorded in the register as `fucha build` records: the files it read,
    // and the versions the circular was made from.
    let register = Register::open(&campaign.register).unwrap();
    let year = campaign.campaign.year;
    let submissions: Vec<_> = register
        .submissions(year)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(!submissions.is_empty());
    let sources = register.sources_of(year, &docx).unwrap();
    assert!(!sources.is_empty());
    assert!(sources.iter().all(|s| submissions.contains(s)));

    // Who built and downloaded what, in the audit log.
    let audit = wb.audit();
    let by_city = |action: &str| -> Vec<String> {
        audit
            .iter()
            .filter(|(who, a, _)| who.as_deref() == Some(CITY) && a == action)
            .map(|(_, _, d)| d.clone())
            .collect()
    };
    assert_eq!(by_city("build").len(), 1, "{audit:?}");
    assert_eq!(by_city("build_refused").len(), 1, "{audit:?}");
    let finished = by_city("build_finished");
    assert_eq!(finished.len(), 1, "{audit:?}");
    assert!(
        finished[0].contains(&format!("写入 {written_count} 个文件")),
        "{finished:?}"
    );
    let downloads = by_city("download");
    assert!(
        downloads
            .iter()
            .any(|d| d.contains("下载") && d.contains(&docx)),
        "{downloads:?}"
    );
    assert!(
        downloads
            .iter()
            .any(|d| d.contains("预览") && d.contains(&pdf)),
        "{downloads:?}"
    );
    assert_eq!(
        downloads.iter().filter(|d| d.contains("zip")).count(),
        2,
        "{downloads:?}"
    );
}

#[test]
fn paths_that_leave_the_output_folder_or_name_no_listed_file_are_404() {
    let (wb, _) = Bench::new(None);
    let city = wb.city();
    // A folder the build never wrote, with a file beside the documents:
    // only listed files are served, and only one folder down.
    std::fs::create_dir_all(wb.out.join("02-复查通报")).unwrap();
    std::fs::write(wb.out.join("02-复查通报/通报.pdf"), b"%PDF-1.7").unwrap();
    std::fs::write(wb.out.join("top.pdf"), b"%PDF-1.7").unwrap();
    let listed = wb.get("/documents/file/02-复查通报/通报.pdf", Some(&city));
    assert_eq!(listed.status, StatusCode::OK);
    for path in [
        "/documents/file/../input/fucha.toml",
        "/documents/file/..%2F..%2Finput/fucha.toml",
        "/documents/file/02-复查通报/..%2F..%2Finput%2Ffucha.toml",
        "/documents/file/02-复查通报/..%5C..%5Cinput%5Cfucha.toml",
        "/documents/file/%2E%2E/%2E%2E",
        "/documents/file/02-复查通报/%2Fetc%2Fpasswd",
        "/documents/file/02-复查通报/不存在.pdf",
        "/documents/file/02-复查通报",
        "/documents/file/./top.pdf",
        "/documents/file/02-复查通报/../top.pdf",
        "/feedback/汨罗市/..%2F..%2Finput%2Ffucha.toml",
        "/feedback/汨罗市/..",
    ] {
        let reply = wb.get(path, Some(&city));
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.text()
        );
        assert!(!reply.text().contains("[campaign]"), "{path}");
    }
}

#[test]
fn anonymous_county_and_forged_requests_are_refused() {
    let (wb, _) = Bench::new(None);
    for path in [
        "/documents",
        "/documents/progress",
        "/documents/all.zip",
        "/documents/file/02-复查通报/通报.pdf",
        "/feedback/汨罗市",
        "/feedback/汨罗市/汨罗市退回修改意见.docx",
    ] {
        let reply = wb.get(path, None);
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.location(), "/login", "{path}");
    }
    let anonymous = wb.post("/documents/build", None, &[("csrf", "x")]);
    assert_eq!(anonymous.location(), "/login");

    // A county account: no documents, no build, even with its own token.
    let county = wb.session(&county_account(CLEAN), COUNTY_PASSWORD);
    let home = wb.get("/", Some(&county)).text();
    assert!(!home.contains(r#"href="/documents""#), "{home}");
    assert!(
        home.contains(&format!(r#"href="/feedback/{}""#, form_value(CLEAN))),
        "{home}"
    );
    let token = hidden_csrf(&home);
    for path in [
        "/documents",
        "/documents/all.zip",
        "/documents/file/02-复查通报/通报.pdf",
    ] {
        let reply = wb.get(path, Some(&county));
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(reply.text().contains("市文明办"), "{path}");
    }
    assert_eq!(
        wb.get("/documents/progress", Some(&county)).status,
        StatusCode::FORBIDDEN
    );
    let build = wb.post("/documents/build", Some(&county), &[("csrf", &token)]);
    assert_eq!(build.status, StatusCode::FORBIDDEN);

    // The city with a forged token starts nothing.
    let city = wb.city();
    let home = wb.get("/", Some(&city)).text();
    assert!(home.contains(r#"href="/documents""#), "{home}");
    let forged = wb.post(
        "/documents/build",
        Some(&city),
        &[("csrf", &"0".repeat(64))],
    );
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let missing = wb.post("/documents/build", Some(&city), &[]);
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let progress: serde_json::Value =
        serde_json::from_slice(&wb.get("/documents/progress", Some(&city)).bytes).unwrap();
    assert_eq!(progress["running"], false);
    assert_eq!(progress["finished"], false);
    assert!(!wb.out.exists(), "nothing was built");

    let audit = wb.audit();
    let county_refused: Vec<&str> = audit
        .iter()
        .filter(|(who, a, _)| who.as_deref() == Some(&county_account(CLEAN)) && a == "refused")
        .map(|(_, _, d)| d.as_str())
        .collect();
    assert_eq!(county_refused.len(), 4, "{audit:?}");
    let csrf: Vec<_> = audit
        .iter()
        .filter(|(who, a, _)| who.as_deref() == Some(CITY) && a == "csrf_refused")
        .collect();
    assert_eq!(csrf.len(), 2, "{audit:?}");
    assert!(!audit.iter().any(|(_, a, _)| a == "build"), "{audit:?}");
}

#[test]
fn a_county_downloads_its_own_feedback_and_no_other_bodys() {
    let (wb, dated_unit) = Bench::new(Some(BROKEN));
    let dated_unit = dated_unit.unwrap();
    let city = wb.city();
    let county = wb.session(&county_account(BROKEN), COUNTY_PASSWORD);
    // Received, its errors known, but no build yet: the letter is to come.
    let input = wb.config.parent().unwrap();
    let ctx = Context::load(&wb.config, None).unwrap();
    pipeline::receive(
        &ctx,
        &[input.join("报送").join(format!("{BROKEN}.xlsx"))],
        None,
    )
    .unwrap();
    let pending = wb.get(&format!("/feedback/{BROKEN}"), Some(&county)).text();
    assert!(pending.contains("尚未生成"), "{pending}");
    assert!(links(&pending, &format!("/feedback/{}/", form_value(BROKEN))).is_empty());
    let seen = wb.build(&city);
    assert_eq!(seen.last().unwrap()["error"], serde_json::Value::Null);

    // The file names the build gives the broken body's letter and workbook.
    let campaign = wb.campaign();
    let year = campaign.campaign.year;
    let register = Register::open(&campaign.register).unwrap();
    let version = register
        .submissions(year)
        .unwrap()
        .into_iter()
        .find(|s| s.body.as_deref() == Some(BROKEN))
        .expect("the broken body's version, received by the build");
    assert!(version.errors > 0);
    let letter = DocumentKind::Feedback.path(&campaign, Subject::File(&version.path), false);
    let letter_name = letter.file_name().unwrap().to_str().unwrap().to_string();
    let workbook = feedback_file_name(Path::new(&version.path));
    let folder = DocumentKind::Feedback.folder();
    let on_disk: Vec<String> = files_on_disk(&wb.out)
        .into_iter()
        .filter_map(|f| f.strip_prefix(&format!("{folder}/")).map(str::to_string))
        .collect();
    let mut expected: Vec<String> = on_disk
        .iter()
        .filter(|f| f.starts_with(&format!("{letter_name}.")) || **f == workbook)
        .cloned()
        .collect();
    expected.sort();
    assert!(expected.contains(&workbook), "{on_disk:?}");
    assert!(
        expected.contains(&format!("{letter_name}.docx")),
        "{on_disk:?}"
    );

    let page = wb.get(&format!("/feedback/{BROKEN}"), Some(&county));
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("已退回修改"), "{html}");
    let prefix = format!("/feedback/{}/", form_value(BROKEN));
    let mut listed: Vec<String> = links(&html, &prefix)
        .iter()
        .filter(|l| !l.ends_with("?view=1"))
        .map(|l| decode(l.strip_prefix(&prefix).unwrap()))
        .collect();
    listed.sort();
    assert_eq!(listed, expected);

    // The letter names the broken row's unit and the bad value.
    let reply = wb.get(
        &format!("/feedback/{BROKEN}/{letter_name}.docx"),
        Some(&county),
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header(header::CONTENT_DISPOSITION)
            .starts_with("attachment;")
    );
    let text = squash(&docx_bytes_text(&reply.bytes));
    assert!(
        text.contains(&squash(&dated_unit)),
        "the letter lacks {dated_unit}"
    );
    assert!(text.contains(BAD_DATE));
    let marked = wb.get(&format!("/feedback/{BROKEN}/{workbook}"), Some(&county));
    assert_eq!(marked.status, StatusCode::OK);
    assert_eq!(
        marked.bytes,
        std::fs::read(wb.out.join(folder).join(&workbook)).unwrap()
    );

    // Another body's, existing or not, is refused alike; a file of the
    // output folder that is not this body's feedback is not served.
    for path in [
        format!("/feedback/{CLEAN}"),
        "/feedback/长沙市".to_string(),
        format!("/feedback/{CLEAN}/{letter_name}.docx"),
    ] {
        let reply = wb.get(&path, Some(&county));
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!reply.text().contains(&dated_unit));
    }
    let circular_docx = format!("{}.docx", circular(&campaign));
    let circular_name = Path::new(&circular_docx)
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    for name in [circular_name, "不存在.pdf"] {
        let reply = wb.get(&format!("/feedback/{BROKEN}/{name}"), Some(&county));
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{name}");
    }
    // The county's body page links to its feedback.
    let body = wb.get(&format!("/body/{BROKEN}"), Some(&county)).text();
    assert!(
        body.contains(&format!(r#"href="/feedback/{}""#, form_value(BROKEN))),
        "{body}"
    );

    // The city sees every body's: a clean one has none, and says so.
    let clean = wb.get(&format!("/feedback/{CLEAN}"), Some(&city));
    assert_eq!(clean.status, StatusCode::OK);
    assert!(clean.text().contains("未发现错误"), "{}", clean.text());
    assert!(links(&clean.text(), &format!("/feedback/{}/", form_value(CLEAN))).is_empty());
    let broken = wb.get(&format!("/feedback/{BROKEN}"), Some(&city));
    assert_eq!(broken.status, StatusCode::OK);
    assert_eq!(
        wb.get("/feedback/长沙市", Some(&city)).status,
        StatusCode::NOT_FOUND
    );

    let audit = wb.audit();
    let of_county = |action: &str| -> Vec<String> {
        audit
            .iter()
            .filter(|(who, a, _)| who.as_deref() == Some(&county_account(BROKEN)) && a == action)
            .map(|(_, _, d)| d.clone())
            .collect()
    };
    let downloads = of_county("download");
    assert_eq!(downloads.len(), 2, "{downloads:?}");
    assert!(
        downloads.iter().any(|d| d.contains(&workbook)),
        "{downloads:?}"
    );
    assert_eq!(of_county("refused").len(), 3, "{audit:?}");
}
