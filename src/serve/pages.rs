//! The workbench's pages: Handlebars templates embedded in the binary,
//! and the plain data each page shows, made from the register's types.
//! Handlebars escapes every value for HTML, so a file or body name can
//! never inject markup.

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
    ("copy.js", include_str!("templates/copy.js")),
    ("documents.js", include_str!("templates/documents.js")),
];

pub(super) const TIME: &str = "%Y-%m-%d %H:%M";

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
            ("file", include_str!("templates/file.hbs")),
            ("aftercare", include_str!("templates/aftercare.hbs")),
            ("accounts", include_str!("templates/accounts.hbs")),
            ("setup", include_str!("templates/setup.hbs")),
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

/// `text` as one URL path segment: every byte outside the unreserved set
/// percent-encoded, so a body's name always makes a well-formed link.
pub(super) fn path_segment(text: &str) -> String {
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
