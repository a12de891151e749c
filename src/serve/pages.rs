//! The workbench's pages: Handlebars templates embedded in the binary,
//! and the plain data each page shows, made from the register's types.
//! Handlebars escapes every value for HTML, so a file or body name can
//! never inject markup.

use crate::pipeline::SeasonStatus;
use crate::register::{Role, Session};
use handlebars::Handlebars;
use serde::Serialize;

/// The style sheet, served at `/style.css`.
pub(super) const STYLE: &str = include_str!("templates/style.css");

/// The scripts, served at `/static/{name}`: each a small enhancement
/// (drag and drop, live progress, copying a text); every page works
/// without them.
pub(super) const STATIC: &[(&str, &str)] = &[
    ("upload.js", include_str!("templates/upload.js")),
    ("documents.js", include_str!("templates/documents.js")),
];

const TIME: &str = "%Y-%m-%d %H:%M";

/// Every page template, registered once.
pub(super) struct Pages(Handlebars<'static>);

impl Pages {
    pub(super) fn new() -> Result<Pages, handlebars::TemplateError> {
        let mut hb = Handlebars::new();
        // A misspelt field is an error in the tests, not a blank cell.
        hb.set_strict_mode(true);
        for (name, source) in [
            ("head", include_str!("templates/head.hbs")),
            ("foot", include_str!("templates/foot.hbs")),
            ("login", include_str!("templates/login.hbs")),
            ("dashboard", include_str!("templates/dashboard.hbs")),
            ("body", include_str!("templates/body.hbs")),
            ("message", include_str!("templates/message.hbs")),
            ("upload", include_str!("templates/upload.hbs")),
            ("uploaded", include_str!("templates/uploaded.hbs")),
            ("documents", include_str!("templates/documents.hbs")),
            ("feedback", include_str!("templates/feedback.hbs")),
        ] {
            hb.register_template_string(name, source)?;
        }
        // `{{segment name}}`: a name as one URL path segment, for links.
        handlebars::handlebars_helper!(segment: |text: str| path_segment(text));
        hb.register_helper("segment", Box::new(segment));
        Ok(Pages(hb))
    }

    /// A page as HTML.
    pub(super) fn render(
        &self,
        name: &str,
        data: &impl Serialize,
    ) -> Result<String, handlebars::RenderError> {
        self.0.render(name, data)
    }
}

/// The signed-in user as every page's header shows it.
#[derive(Serialize)]
pub(super) struct User {
    name: String,
    role: String,
    csrf: String,
}

impl User {
    pub(super) fn of(session: &Session) -> User {
        let role = match &session.account.role {
            Role::City => Role::City.label().to_string(),
            Role::County(body) => body.clone(),
        };
        User {
            name: session.account.name.clone(),
            role,
            csrf: session.csrf.clone(),
        }
    }
}

/// The login page.
#[derive(Serialize)]
pub(super) struct LoginPage {
    pub(super) title: &'static str,
    pub(super) user: Option<User>,
    pub(super) csrf: String,
    pub(super) name: String,
    pub(super) message: Option<&'static str>,
}

/// A page with one message (refusals, errors).
#[derive(Serialize)]
pub(super) struct MessagePage {
    pub(super) title: &'static str,
    pub(super) user: Option<User>,
    pub(super) message: String,
    pub(super) back: &'static str,
}

/// One reporting body on the dashboard.
#[derive(Serialize)]
struct BodyRow {
    name: String,
    link: String,
    sent: bool,
    status: &'static str,
    version: Option<String>,
    received_at: Option<String>,
    errors: usize,
    warnings: usize,
    versions: usize,
}

/// The season dashboard (`/`).
#[derive(Serialize)]
pub(super) struct Dashboard {
    title: &'static str,
    user: Option<User>,
    year: i32,
    sent: usize,
    total: usize,
    with_errors: usize,
    missing: Vec<String>,
    missing_count: usize,
    bodies: Vec<BodyRow>,
    unknown: usize,
}

impl Dashboard {
    /// The dashboard of `bodies` (the roster's, or a county's own) from
    /// the season's status.
    pub(super) fn new(session: &Session, status: &SeasonStatus, bodies: &[&str]) -> Dashboard {
        let rows: Vec<BodyRow> = bodies
            .iter()
            .map(|name| {
                let versions = status
                    .bodies
                    .iter()
                    .find(|b| b.body.as_deref() == Some(*name))
                    .map(|b| b.versions.as_slice())
                    .unwrap_or_default();
                let in_force = versions.iter().rev().find(|(_, counts)| *counts);
                let sent = in_force.is_some();
                let (errors, warnings) = in_force.map_or((0, 0), |(s, _)| (s.errors, s.warnings));
                BodyRow {
                    name: name.to_string(),
                    link: path_segment(name),
                    sent,
                    status: match (sent, errors) {
                        (false, _) => "未报送",
                        (true, 0) => "已报送",
                        (true, _) => "已报送，有错误",
                    },
                    version: in_force.map(|(s, _)| s.name.clone()),
                    received_at: in_force.map(|(s, _)| s.received_at.format(TIME).to_string()),
                    errors,
                    warnings,
                    versions: versions.len(),
                }
            })
            .collect();
        // Files whose sender could not be told are the city's to sort out.
        let unknown = match session.account.role {
            Role::City => status
                .bodies
                .iter()
                .filter(|b| b.body.is_none())
                .map(|b| b.versions.len())
                .sum(),
            Role::County(_) => 0,
        };
        let missing: Vec<String> = rows
            .iter()
            .filter(|r| !r.sent)
            .map(|r| r.name.clone())
            .collect();
        Dashboard {
            title: "报送情况",
            user: Some(User::of(session)),
            year: status.year,
            sent: rows.iter().filter(|r| r.sent).count(),
            total: rows.len(),
            with_errors: rows.iter().filter(|r| r.sent && r.errors > 0).count(),
            missing_count: missing.len(),
            missing,
            bodies: rows,
            unknown,
        }
    }
}

/// One version on a body's page.
#[derive(Serialize)]
struct VersionRow {
    name: String,
    received_at: String,
    rows: usize,
    accepted: usize,
    rejected: usize,
    errors: usize,
    warnings: usize,
    mark: String,
}

/// A reporting body's page (`/body/{name}`): every version received.
#[derive(Serialize)]
pub(super) struct BodyPage {
    title: &'static str,
    user: Option<User>,
    year: i32,
    name: String,
    versions: Vec<VersionRow>,
}

impl BodyPage {
    pub(super) fn new(session: &Session, status: &SeasonStatus, body: &str) -> BodyPage {
        let versions = status
            .bodies
            .iter()
            .find(|b| b.body.as_deref() == Some(body))
            .map(|b| b.versions.as_slice())
            .unwrap_or_default();
        let latest = versions.iter().rposition(|(_, counts)| *counts);
        let versions = versions
            .iter()
            .enumerate()
            .map(|(i, (s, counts))| VersionRow {
                name: s.name.clone(),
                received_at: s.received_at.format(TIME).to_string(),
                rows: s.rows,
                accepted: s.accepted,
                rejected: s.rejected,
                errors: s.errors,
                warnings: s.warnings,
                mark: match &s.withdrawn {
                    Some((when, why)) => format!("已撤回（{}，{why}）", when.format(TIME)),
                    None if !counts => "尚未收到".to_string(),
                    None if Some(i) == latest => "有效版本".to_string(),
                    None => "前一版".to_string(),
                },
            })
            .collect();
        BodyPage {
            title: "各版报送文件",
            user: Some(User::of(session)),
            year: status.year,
            name: body.to_string(),
            versions,
        }
    }
}

/// `text` as one URL path segment: every byte outside the unreserved set
/// percent-encoded, so a body's name always makes a well-formed link.
fn path_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_name_is_percent_encoded_as_utf8() {
        assert_eq!(path_segment("汨罗市"), "%E6%B1%A8%E7%BD%97%E5%B8%82");
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
    }

    #[test]
    fn every_page_template_compiles_and_loads_nothing_from_outside() {
        let pages = Pages::new().expect("templates compile");
        let html = pages
            .render(
                "login",
                &LoginPage {
                    title: "登录",
                    user: None,
                    csrf: "t0k3n".into(),
                    name: "<b>".into(),
                    message: Some("用户名或密码错误"),
                },
            )
            .expect("the login page renders");
        assert!(html.contains(r#"<meta name="renderer" content="webkit">"#));
        assert!(html.contains(r#"name="csrf" value="t0k3n""#));
        assert!(html.contains("&lt;b&gt;"), "names are escaped: {html}");
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(!html.contains("<script"));
    }
}
