//! The workbench over HTTP (issue #15): every route through the router
//! itself (`tower::ServiceExt::oneshot`, no network), on a copy of the
//! default season whose register has received two bodies' files. Logins,
//! refusals, lockout, CSRF, who sees which body, the cookies' flags, what
//! the register keeps of passwords and tokens, and the audit log.

use crate::common::*;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use fucha::pipeline::{self, Context};
use fucha::register::{Register, Role};
use std::path::{Path, PathBuf};
use tower::ServiceExt;

pub(crate) const CITY: &str = "张三";
pub(crate) const CITY_PASSWORD: &str = "Yueyang-2020";
pub(crate) const COUNTY: &str = "汨罗市文明办";
pub(crate) const COUNTY_PASSWORD: &str = "Miluo!2020abc";

/// A copy of the default season whose register holds 汨罗市's two files
/// and 市直's, a city account and a county account for 汨罗市; and the
/// router on it.
pub(crate) struct Workbench {
    _dir: tempfile::TempDir,
    pub(crate) config: PathBuf,
    app: Router,
    runtime: tokio::runtime::Runtime,
}

impl Workbench {
    pub(crate) fn new() -> Workbench {
        Workbench::with_sent(&[
            "报送/汨罗市.xlsx",
            "报送/汨罗市（更正）.xlsx",
            "报送/市直.xlsx",
        ])
    }

    /// The intake folder, where uploads are kept.
    pub(crate) fn intake(&self) -> PathBuf {
        self.config.parent().unwrap().join("报送")
    }

    /// The default season whose register has received `sent` (paths
    /// under `input/`), with the two accounts.
    pub(crate) fn with_sent(sent: &[&str]) -> Workbench {
        Workbench::start(sent, true).0
    }

    /// The default season with no account yet, as a new office starts it,
    /// and the first-run page's path.
    pub(crate) fn first_run() -> (Workbench, String) {
        let (wb, setup) = Workbench::start(&[], false);
        (wb, setup.expect("a first-run link without accounts"))
    }

    fn start(sent: &[&str], accounts: bool) -> (Workbench, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        copy_dir(&repo().join("input"), &input);
        let config = input.join("fucha.toml");
        let ctx = Context::load(&config, None).unwrap();
        let files: Vec<PathBuf> = sent.iter().map(|f| input.join(f)).collect();
        pipeline::receive(&ctx, &files, None).unwrap();
        if accounts {
            pipeline::add_account(&ctx, CITY, &Role::City, CITY_PASSWORD).unwrap();
            let county = Role::County("汨罗市".into());
            pipeline::add_account(&ctx, COUNTY, &county, COUNTY_PASSWORD).unwrap();
        }
        // Started as `fucha serve --config` starts it: the pages that read
        // the season's folders (抽查与整改) know where they are.
        let settings = fucha::serve::BuildSettings {
            config: Some(config.clone()),
            output: dir.path().join("output"),
            ..fucha::serve::BuildSettings::default()
        };
        let (app, setup) =
            fucha::serve::first_run_router(Context::load(&config, None).unwrap(), settings)
                .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let wb = Workbench {
            _dir: dir,
            config,
            app,
            runtime,
        };
        (wb, setup)
    }

    pub(crate) fn register_path(&self) -> PathBuf {
        Context::load(&self.config, None).unwrap().campaign.register
    }

    fn send(&self, request: Request<Body>) -> Reply {
        self.runtime.block_on(async {
            let response = self.app.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            Reply {
                status,
                set_cookies: headers
                    .get_all(header::SET_COOKIE)
                    .iter()
                    .map(|v| v.to_str().unwrap().to_string())
                    .collect(),
                location: headers
                    .get(header::LOCATION)
                    .map(|v| v.to_str().unwrap().to_string()),
                content_type: headers
                    .get(header::CONTENT_TYPE)
                    .map(|v| v.to_str().unwrap().to_string()),
                headers,
                // Downloads (workbooks) are not text; pages must be UTF-8.
                text: String::from_utf8(bytes.to_vec())
                    .unwrap_or_else(|e| format!("{} bytes, not text", e.as_bytes().len())),
            }
        })
    }

    pub(crate) fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(encode_path(path));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap())
    }

    pub(crate) fn post(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let form: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", percent(v)))
            .collect();
        self.send(request.body(Body::from(form.join("&"))).unwrap())
    }

    /// The login form's cookie and token, as a browser gets them.
    fn login_form(&self) -> (String, String) {
        let form = self.get("/login", None);
        assert_eq!(form.status, StatusCode::OK);
        let cookie = form.cookie("fucha_login").expect("a login cookie");
        let token = hidden_csrf(&form.text);
        assert_eq!(cookie, token, "the form carries the cookie's token");
        (format!("fucha_login={cookie}"), token)
    }

    pub(crate) fn login(&self, name: &str, password: &str) -> Reply {
        let (cookie, token) = self.login_form();
        self.post(
            "/login",
            Some(&cookie),
            &[("name", name), ("password", password), ("csrf", &token)],
        )
    }

    /// Logs in and returns the session cookie header value.
    pub(crate) fn session(&self, name: &str, password: &str) -> String {
        let reply = self.login(name, password);
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text);
        assert_eq!(reply.location.as_deref(), Some("/"));
        format!(
            "fucha_session={}",
            reply.cookie("fucha_session").expect("a session cookie")
        )
    }

    /// Posts files to `/upload` as a browser's multipart form does.
    pub(crate) fn upload(
        &self,
        cookie: Option<&str>,
        csrf: &str,
        files: &[(&str, Vec<u8>)],
    ) -> Reply {
        let boundary = "----fuchaFormBoundary7MA4YWxkTrZu0gW";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
        )
        .into_bytes();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; \
                     filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request = Request::post("/upload").header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).unwrap())
    }

    /// A default workbook's bytes.
    pub(crate) fn workbook(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.config.parent().unwrap().join("报送").join(name)).unwrap()
    }

    /// The season's submissions in the register.
    pub(crate) fn submissions(&self) -> Vec<fucha::register::Submission> {
        let year = Context::load(&self.config, None)
            .unwrap()
            .campaign
            .campaign
            .year;
        Register::open(&self.register_path())
            .unwrap()
            .submissions(year)
            .unwrap()
    }

    pub(crate) fn audit(&self) -> Vec<(Option<String>, String, String)> {
        Register::open(&self.register_path())
            .unwrap()
            .audit_log()
            .unwrap()
            .into_iter()
            .map(|e| (e.account, e.action, e.detail))
            .collect()
    }
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    set_cookies: Vec<String>,
    pub(crate) location: Option<String>,
    content_type: Option<String>,
    headers: axum::http::HeaderMap,
    pub(crate) text: String,
}

impl Reply {
    /// A header's value, or "" when absent.
    pub(crate) fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    /// The value a `Set-Cookie` gives cookie `name`, when not empty.
    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies.iter().find_map(|c| {
            let value = c.strip_prefix(&format!("{name}="))?;
            let value = value.split(';').next()?;
            Some(value.to_string()).filter(|v| !v.is_empty())
        })
    }
}

pub(crate) fn hidden_csrf(html: &str) -> String {
    let start = html.find(r#"name="csrf" value=""#).expect("a csrf field") + 19;
    html[start..start + 64].to_string()
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A path as a browser sends it: the path percent-encoded, the query
/// (after `?`) as given.
fn encode_path(path: &str) -> String {
    match path.split_once('?') {
        Some((path, query)) => format!("{}?{query}", percent(path)),
        None => percent(path),
    }
}

/// The cells of the dashboard row of `body`, as text.
pub(crate) fn row_of(html: &str, body: &str) -> Option<String> {
    let link = format!(">{body}</a>");
    let at = html.find(&link)?;
    let end = html[at..].find("</tr>")? + at;
    Some(html[at..end].to_string())
}

#[test]
fn a_city_clerk_logs_in_and_sees_every_body_with_its_status() {
    let wb = Workbench::new();
    let reply = wb.login(CITY, CITY_PASSWORD);
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let set = reply
        .set_cookies
        .iter()
        .find(|c| c.starts_with("fucha_session="))
        .expect("a session cookie");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    let cookie = format!("fucha_session={}", reply.cookie("fucha_session").unwrap());

    let page = wb.get("/", Some(&cookie));
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains(r#"<meta name="renderer" content="webkit">"#),
        "{}",
        page.text
    );
    assert!(page.text.contains("2020年复查报送情况"), "{}", page.text);
    assert!(page.text.contains("2/13 已报送"), "{}", page.text);
    let miluo = row_of(&page.text, "汨罗市").expect("汨罗市's row");
    // The state follows the register's count of errors in the version in force.
    let in_force = wb
        .submissions()
        .into_iter()
        .find(|s| s.name == "汨罗市（更正）.xlsx")
        .unwrap();
    let state = if in_force.errors == 0 {
        "已通过"
    } else {
        "有错误"
    };
    assert!(miluo.contains(state), "{miluo}");
    assert!(
        miluo.contains("汨罗市（更正）.xlsx"),
        "the correction is in force: {miluo}"
    );
    assert!(miluo.contains(r#"data-label="版本数">2<"#), "{miluo}");
    let shizhi = row_of(&page.text, "市直").expect("市直's row");
    assert!(shizhi.contains("市直.xlsx"), "{shizhi}");
    for body in ["岳阳楼区", "云溪区", "南湖新区", "岳阳经济技术开发区"] {
        let row = row_of(&page.text, body).unwrap_or_else(|| panic!("{body}'s row"));
        assert!(row.contains("未报送"), "{row}");
    }
    let missing = page
        .text
        .split("未报送（11）")
        .nth(1)
        .expect("the list of 11");
    let missing = &missing[..missing.find("</section>").unwrap()];
    assert!(missing.contains("岳阳楼区") && missing.contains("南湖新区"));
    assert!(!missing.contains("汨罗市") && !missing.contains("市直"));
    // The clerk's name and a logout form with the session's token.
    assert!(page.text.contains(CITY));
    assert!(page.text.contains(r#"action="/logout""#));

    let body = wb.get("/body/汨罗市", Some(&cookie));
    assert_eq!(body.status, StatusCode::OK);
    assert!(body.text.contains("汨罗市.xlsx") && body.text.contains("前一版"));
    assert!(body.text.contains("汨罗市（更正）.xlsx") && body.text.contains("有效版本"));
    let unknown = wb.get("/body/长沙市", Some(&cookie));
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text.contains("没有报送单位“长沙市”"));
}

#[test]
fn a_wrong_password_or_an_unknown_name_is_refused_with_the_same_message() {
    let wb = Workbench::new();
    let wrong = wb.login(CITY, "Yueyang-2021");
    let unknown = wb.login("王五", CITY_PASSWORD);
    for reply in [&wrong, &unknown] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.cookie("fucha_session"), None);
        assert!(reply.text.contains("账号或密码错误"), "{}", reply.text);
        assert!(!reply.text.contains("不存在"));
    }
    let audit = wb.audit();
    let failed: Vec<_> = audit
        .iter()
        .filter(|(_, action, _)| action == "login_failed")
        .map(|(who, _, _)| who.clone().unwrap())
        .collect();
    assert_eq!(failed, [CITY, "王五"]);
}

#[test]
fn five_failures_lock_the_account_even_against_the_right_password() {
    let wb = Workbench::new();
    for _ in 0..5 {
        assert_eq!(
            wb.login(COUNTY, "Miluo!2020xyz").status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = wb.login(COUNTY, COUNTY_PASSWORD);
    assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(locked.cookie("fucha_session"), None);
    assert!(locked.text.contains("账号或密码错误"));
    // The other account is not affected.
    wb.session(CITY, CITY_PASSWORD);
    let audit = wb.audit();
    let county: Vec<&str> = audit
        .iter()
        .filter(|(who, _, _)| who.as_deref() == Some(COUNTY))
        .map(|(_, action, _)| action.as_str())
        .collect();
    assert_eq!(
        county,
        [
            "account_added",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_locked"
        ]
    );
    assert!(
        audit
            .iter()
            .any(|(_, _, d)| d.contains("连续失败 5 次，账号锁定"))
    );
}

#[test]
fn an_anonymous_visitor_is_sent_to_the_login_page() {
    let wb = Workbench::new();
    for path in ["/", "/body/汨罗市"] {
        let reply = wb.get(path, None);
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.location.as_deref(), Some("/login"), "{path}");
        assert!(!reply.text.contains("汨罗市"));
    }
    let forged = wb.get("/", Some("fucha_session=00ff"));
    assert_eq!(forged.location.as_deref(), Some("/login"));
    let logout = wb.post("/logout", None, &[("csrf", "x")]);
    assert_eq!(logout.location.as_deref(), Some("/login"));
    let page = wb.get("/login", None);
    assert!(page.text.contains(r#"type="password""#));
    for reply in [&page, &wb.get("/", None)] {
        assert_eq!(reply.header("x-frame-options"), "DENY");
        assert_eq!(reply.header("cache-control"), "no-store");
        let csp = reply.header("content-security-policy");
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    }
    let css = wb.get("/style.css", None);
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.unwrap().starts_with("text/css"));
    assert!(css.text.contains("@media (max-width: 700px)"));
    let js = wb.get("/static/upload.js", None);
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.content_type.unwrap().starts_with("text/javascript"));
    assert!(js.text.contains("dataTransfer"));
    for unknown in ["/static/nothing.js", "/static/..%2Fmod.rs"] {
        assert_eq!(wb.get(unknown, None).status, StatusCode::NOT_FOUND);
    }
    let csp = page.header("content-security-policy");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
}

#[test]
fn a_missing_or_forged_csrf_token_is_refused() {
    let wb = Workbench::new();
    // Login without the form's token, or with another one.
    let (cookie, token) = wb.login_form();
    let missing = wb.post(
        "/login",
        Some(&cookie),
        &[("name", CITY), ("password", CITY_PASSWORD)],
    );
    let forged = wb.post(
        "/login",
        Some(&cookie),
        &[
            ("name", CITY),
            ("password", CITY_PASSWORD),
            ("csrf", &token.replace('a', "b")),
        ],
    );
    let no_cookie = wb.post(
        "/login",
        None,
        &[
            ("name", CITY),
            ("password", CITY_PASSWORD),
            ("csrf", &token),
        ],
    );
    for reply in [&missing, &forged, &no_cookie] {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
        assert_eq!(reply.cookie("fucha_session"), None);
        assert!(reply.text.contains("表单已失效"));
    }
    // Logout with a forged token leaves the session open.
    let session = wb.session(CITY, CITY_PASSWORD);
    let forged = wb.post("/logout", Some(&session), &[("csrf", &"0".repeat(64))]);
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let missing = wb.post("/logout", Some(&session), &[]);
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(wb.get("/", Some(&session)).status, StatusCode::OK);
    // With the page's token it closes, and the cookie no longer opens it.
    let page = wb.get("/", Some(&session));
    let logout = wb.post(
        "/logout",
        Some(&session),
        &[("csrf", &hidden_csrf(&page.text))],
    );
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert_eq!(logout.location.as_deref(), Some("/login"));
    assert!(
        logout
            .set_cookies
            .iter()
            .any(|c| c.contains("fucha_session=;"))
    );
    assert_eq!(
        wb.get("/", Some(&session)).location.as_deref(),
        Some("/login")
    );
    let refused = wb
        .audit()
        .into_iter()
        .filter(|(_, action, _)| action == "csrf_refused")
        .count();
    assert_eq!(refused, 5);
}

#[test]
fn a_county_account_sees_only_its_own_body() {
    let wb = Workbench::new();
    let session = wb.session(COUNTY, COUNTY_PASSWORD);
    let page = wb.get("/", Some(&session));
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("1/1 已报送"), "{}", page.text);
    let own = row_of(&page.text, "汨罗市").expect("its own row");
    assert!(own.contains("汨罗市（更正）.xlsx"));
    for other in ["市直", "岳阳楼区", "南湖新区"] {
        assert!(!page.text.contains(other), "{other} shown to 汨罗市");
    }
    assert!(!page.text.contains("未报送（"));
    assert_eq!(
        wb.get("/body/汨罗市", Some(&session)).status,
        StatusCode::OK
    );
    for other in ["/body/市直", "/body/岳阳楼区", "/body/长沙市"] {
        let refused = wb.get(other, Some(&session));
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{other}");
        assert!(refused.text.contains("只能查看本单位"));
        assert!(!refused.text.contains(".xlsx"));
    }
    let audit = wb.audit();
    assert!(audit.contains(&(
        Some(COUNTY.to_string()),
        "refused".to_string(),
        "查看市直的报送情况".to_string()
    )));
}

#[test]
fn the_register_keeps_neither_passwords_nor_session_tokens_in_clear() {
    let wb = Workbench::new();
    let session = wb.session(CITY, CITY_PASSWORD);
    let token = session.trim_start_matches("fucha_session=").to_string();
    assert_eq!(token.len(), 64);
    let path = wb.register_path();
    let mut stored = Vec::new();
    for suffix in ["", "-wal"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        if let Ok(bytes) = std::fs::read(Path::new(&file)) {
            stored.extend(bytes);
        }
    }
    assert!(stored.len() > 10_000, "the register was read");
    let contains = |needle: &str| stored.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains("$argon2id$"), "hashes are stored");
    for secret in [CITY_PASSWORD, COUNTY_PASSWORD, token.as_str()] {
        assert!(!contains(secret), "{secret} stored in clear");
    }
}

#[test]
fn the_audit_log_names_who_logged_in_looked_and_left() {
    let wb = Workbench::new();
    let session = wb.session(CITY, CITY_PASSWORD);
    wb.get("/", Some(&session));
    wb.get("/body/汨罗市", Some(&session));
    let page = wb.get("/", Some(&session));
    wb.post(
        "/logout",
        Some(&session),
        &[("csrf", &hidden_csrf(&page.text))],
    );
    let mine: Vec<(String, String)> = wb
        .audit()
        .into_iter()
        .filter(|(who, _, _)| who.as_deref() == Some(CITY))
        .map(|(_, action, detail)| (action, detail))
        .collect();
    let expected = [
        ("account_added", "市文明办"),
        ("login", "登录成功"),
        ("view", "查看2020年全部报送单位的报送情况"),
        ("view", "查看2020年汨罗市的各版报送文件"),
        ("view", "查看2020年全部报送单位的报送情况"),
        ("logout", "退出登录"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, d)| (a.to_string(), d.to_string()))
        .collect();
    assert_eq!(mine, expected);
}

/// `fucha account add` with the password on stdin, as the README shows it.
fn account_add(config: &Path, args: &[&str], password: &str) -> Run {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = fucha()
        .args(["account", "add"])
        .args(args)
        .arg("--password-stdin")
        .arg("--config")
        .arg(config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn account_add_takes_the_password_from_stdin_and_refuses_weak_ones_and_unknown_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let config = input.join("fucha.toml");
    let ok = account_add(&config, &["张三", "--role", "city"], CITY_PASSWORD);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    assert!(
        ok.stdout.contains("已新建账号 张三（市文明办）"),
        "{}",
        ok.stdout
    );
    let weak = account_add(&config, &["李四", "--role", "city"], "abc");
    assert_eq!(weak.code, Some(2));
    assert!(weak.stderr.contains("密码太短"), "{}", weak.stderr);
    let nowhere = account_add(
        &config,
        &["王五", "--role", "county", "--body", "长沙市"],
        COUNTY_PASSWORD,
    );
    assert_eq!(nowhere.code, Some(2));
    assert!(
        nowhere.stderr.contains("没有报送单位“长沙市”"),
        "{}",
        nowhere.stderr
    );
    let county = account_add(
        &config,
        &["汨罗", "--role", "county", "--body", "汨罗市"],
        COUNTY_PASSWORD,
    );
    assert_eq!(county.code, Some(0), "{}", county.stderr);
    let list = run(fucha().args(["account", "list", "--config"]).arg(&config));
    assert_eq!(list.code, Some(0));
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", list.stdout);
    assert!(lines.iter().any(|l| l.starts_with("张三  市文明办")));
    assert!(lines.iter().any(|l| l.starts_with("汨罗  县市区：汨罗市")));
    assert!(!list.stdout.contains(CITY_PASSWORD));
}

#[test]
fn serve_prints_the_address_it_listens_on() {
    use std::io::BufRead;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    // Port 0: the system picks a free one, and fucha says which.
    let mut child = fucha()
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(input.join("fucha.toml"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let addr = line
        .trim()
        .strip_prefix("复查工作台已启动：http://127.0.0.1:")
        .unwrap_or_else(|| panic!("{line}"));
    let port: u16 = addr.trim_end_matches('/').parse().unwrap();
    assert_ne!(port, 0);
}

/// The upload page's form, and a signed-in clerk's token for it.
pub(crate) fn upload_token(wb: &Workbench, session: &str) -> String {
    let page = wb.get("/upload", Some(session));
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains(r#"enctype="multipart/form-data""#));
    assert!(page.text.contains(r#"name="files" multiple"#));
    // Scripts only from this server, and only as files (the CSP allows no
    // inline script).
    for script in page.text.split("<script").skip(1) {
        assert!(script.starts_with(r#" src="/static/"#), "{script}");
    }
    hidden_csrf(&page.text)
}

#[test]
fn a_county_uploads_its_corrected_workbook_and_sees_it_as_a_new_version() {
    let wb = Workbench::with_sent(&["报送/汨罗市.xlsx", "报送/市直.xlsx"]);
    let session = wb.session(COUNTY, COUNTY_PASSWORD);
    assert!(
        wb.get("/", Some(&session))
            .text
            .contains(r#"href="/upload""#)
    );
    let token = upload_token(&wb, &session);
    assert!(
        wb.get("/upload", Some(&session))
            .text
            .contains("本账号只能上传汨罗市的文件")
    );
    let reply = wb.upload(
        Some(&session),
        &token,
        &[("汨罗市（更正）.xlsx", wb.workbook("汨罗市（更正）.xlsx"))],
    );
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(
        reply.text.contains("<h2>汨罗市（更正）.xlsx</h2>"),
        "{}",
        reply.text
    );
    assert!(reply.text.contains("报送单位：汨罗市"));
    assert!(reply.text.contains("已登记为新版本"));
    let stored = wb.submissions();
    let new = stored
        .iter()
        .find(|s| s.name == "汨罗市（更正）.xlsx")
        .expect("the upload is in the register");
    assert_eq!(new.body.as_deref(), Some("汨罗市"));
    assert_eq!(
        new.hash,
        fucha::register::content_hash(&wb.workbook("汨罗市（更正）.xlsx"))
    );
    assert!(reply.text.contains(&format!(
        "接收 {} 行，退回 {} 行",
        new.accepted, new.rejected
    )));
    // Each diagnostic is a row of the table, with its code.
    assert_eq!(
        reply.text.matches(r#"<td data-label="代码">"#).count(),
        new.errors + new.warnings,
        "{}",
        reply.text
    );
    // The body's page shows it as the version in force.
    let body = wb.get("/body/汨罗市", Some(&session));
    let row = body
        .text
        .split("<tr")
        .find(|r| r.contains("汨罗市（更正）.xlsx"))
        .expect("the new version is listed");
    assert!(row.contains("有效版本"), "{row}");
    // The same file again is not a second version.
    let again = wb.upload(
        Some(&session),
        &token,
        &[("汨罗市（更正）.xlsx", wb.workbook("汨罗市（更正）.xlsx"))],
    );
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.text.contains("未重复登记"));
    assert_eq!(wb.submissions().len(), stored.len());
    let uploads: Vec<_> = wb
        .audit()
        .into_iter()
        .filter(|(_, action, _)| action == "upload")
        .collect();
    assert_eq!(uploads.len(), 2);
    let (who, _, detail) = &uploads[0];
    assert_eq!(who.as_deref(), Some(COUNTY));
    assert!(
        detail.contains("汨罗市（更正）.xlsx") && detail.contains("（汨罗市）"),
        "{detail}"
    );
}

#[test]
fn an_anonymous_or_forged_upload_is_refused_and_nothing_recorded() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx"]);
    let before = wb.submissions().len();
    let file = [("汨罗市.xlsx", wb.workbook("汨罗市.xlsx"))];
    assert_eq!(wb.get("/upload", None).location.as_deref(), Some("/login"));
    let anonymous = wb.upload(None, &"0".repeat(64), &file);
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location.as_deref(), Some("/login"));
    let session = wb.session(COUNTY, COUNTY_PASSWORD);
    let token = upload_token(&wb, &session);
    for forged in ["0".repeat(64), String::new(), token.replace('a', "b")] {
        if forged == token {
            continue;
        }
        let reply = wb.upload(Some(&session), &forged, &file);
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
        assert!(reply.text.contains("表单已失效"));
    }
    // A form from another session's page is refused too.
    let other = wb.session(COUNTY, COUNTY_PASSWORD);
    let reply = wb.upload(Some(&other), &token, &file);
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(wb.submissions().len(), before);
    assert!(
        wb.audit()
            .iter()
            .any(|(who, action, detail)| who.as_deref() == Some(COUNTY)
                && action == "csrf_refused"
                && detail.contains("上传"))
    );
}

#[test]
fn a_county_uploading_another_bodys_data_is_refused_and_nothing_recorded() {
    let wb = Workbench::with_sent(&["报送/汨罗市.xlsx"]);
    let before = wb.submissions();
    let session = wb.session(COUNTY, COUNTY_PASSWORD);
    let token = upload_token(&wb, &session);
    // Another body's workbook, even under the county's own file name and
    // beside one of its own, is not recorded at all.
    for files in [
        vec![("临湘市.xlsx", wb.workbook("临湘市.xlsx"))],
        vec![("汨罗市（再更正）.xlsx", wb.workbook("临湘市.xlsx"))],
        vec![
            ("汨罗市（更正）.xlsx", wb.workbook("汨罗市（更正）.xlsx")),
            ("临湘市.xlsx", wb.workbook("临湘市.xlsx")),
        ],
    ] {
        let reply = wb.upload(Some(&session), &token, &files);
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
        assert!(reply.text.contains("数据属于临湘市"), "{}", reply.text);
        assert!(reply.text.contains("本次上传的文件均未登记"));
        assert_eq!(wb.submissions().len(), before.len());
    }
    let refused = wb
        .audit()
        .into_iter()
        .filter(|(who, action, detail)| {
            who.as_deref() == Some(COUNTY)
                && action == "upload_refused"
                && detail.contains("临湘市")
        })
        .count();
    assert_eq!(refused, 3);
    // A city clerk may send it.
    let city = wb.session(CITY, CITY_PASSWORD);
    let token = upload_token(&wb, &city);
    let reply = wb.upload(
        Some(&city),
        &token,
        &[("临湘市.xlsx", wb.workbook("临湘市.xlsx"))],
    );
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.text.contains("报送单位：临湘市"));
    assert_eq!(wb.submissions().len(), before.len() + 1);
}

#[test]
fn an_oversized_upload_or_too_many_files_is_refused_with_a_message() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx"]);
    let before = wb.submissions().len();
    let session = wb.session(CITY, CITY_PASSWORD);
    let token = upload_token(&wb, &session);
    let big = vec![b'x'; 11 * 1024 * 1024];
    let reply = wb.upload(Some(&session), &token, &[("大文件.csv", big)]);
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text
    );
    assert!(reply.text.contains("不能超过 10 MB"), "{}", reply.text);
    let many: Vec<(String, Vec<u8>)> = (0..11)
        .map(|i| (format!("表{i}.csv"), b"a,b\n".to_vec()))
        .collect();
    let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let reply = wb.upload(Some(&session), &token, &many);
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text
    );
    assert!(reply.text.contains("不能多于 10 个"));
    assert_eq!(wb.submissions().len(), before);
}

#[test]
fn a_path_in_the_sent_file_name_is_dropped() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx"]);
    let session = wb.session(CITY, CITY_PASSWORD);
    let token = upload_token(&wb, &session);
    let reply = wb.upload(
        Some(&session),
        &token,
        &[
            ("../../etc/passwd.xlsx", wb.workbook("岳阳县.xlsx")),
            (r"..\..\win.ini.xlsx", wb.workbook("华容县.xlsx")),
        ],
    );
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(
        reply.text.contains("<h2>passwd.xlsx</h2>"),
        "{}",
        reply.text
    );
    let stored = wb.submissions();
    for (name, body) in [("passwd.xlsx", "岳阳县"), ("win.ini.xlsx", "华容县")] {
        let s = stored
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name} in {stored:?}"));
        assert_eq!(s.body.as_deref(), Some(body));
        assert!(!s.name.contains(['/', '\\']));
        // Kept in the intake folder under the clean name, where the CLI's
        // build reads it too.
        let path = Path::new(&s.path);
        assert_eq!(path, wb.intake().join(name), "{}", s.path);
        assert_eq!(
            std::fs::read(path).unwrap(),
            wb.workbook(&format!("{body}.xlsx"))
        );
    }
    let tmp = std::env::temp_dir();
    assert!(!tmp.join("etc/passwd.xlsx").exists());
    assert!(
        !tmp.parent()
            .unwrap_or(&tmp)
            .join("etc/passwd.xlsx")
            .exists()
    );
    assert!(!Path::new("/etc/passwd.xlsx").exists());
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_refused() {
    let wb = Workbench::with_sent(&["报送/市直.xlsx"]);
    let before = wb.submissions().len();
    let session = wb.session(COUNTY, COUNTY_PASSWORD);
    let token = upload_token(&wb, &session);
    for name in ["汨罗市.exe", "汨罗市.xlsx.sh", "汨罗市", "汨罗市.txt"] {
        let reply = wb.upload(
            Some(&session),
            &token,
            &[(name, wb.workbook("汨罗市.xlsx"))],
        );
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{name}: {}",
            reply.text
        );
        assert!(reply.text.contains("不是电子表格"), "{}", reply.text);
        assert!(reply.text.contains(".xlsx、.xls、.ods 或 .csv"));
    }
    assert_eq!(wb.submissions().len(), before);
}
