//! Cookies and tokens: the session cookie, the login form's token and the
//! constant-time comparison of CSRF tokens. The session's rules (hashing,
//! idle timeout) are the register's.

use axum::http::{HeaderMap, header};
use subtle::ConstantTimeEq;

/// The cookie holding the session token.
pub(super) const SESSION_COOKIE: &str = "fucha_session";
/// The cookie holding the login form's token, before there is a session.
pub(super) const LOGIN_COOKIE: &str = "fucha_login";

/// A `Set-Cookie` value: HttpOnly (no script reads it) and SameSite=Strict
/// (no other site's page sends it). Not `Secure`: offices serve the
/// workbench over plain HTTP on their intranet.
pub(super) fn set_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict")
}

/// A `Set-Cookie` value that deletes the cookie.
pub(super) fn clear_cookie(name: &str) -> String {
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The value of cookie `name` in the request, if sent and not empty.
pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// 32 random bytes from the OS, in hex. An OS without a random source
/// cannot run the workbench safely, so this panics rather than continue.
pub(super) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a token sent with a form is the expected one, in constant time
/// (an attacker timing the answers learns nothing); an empty expected
/// token matches nothing.
pub(super) fn tokens_match(expected: &str, sent: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; fucha_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, LOGIN_COOKIE), None);
    }

    #[test]
    fn an_empty_or_different_token_never_matches() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", ""));
        assert!(!tokens_match("", ""));
    }

    #[test]
    fn tokens_are_random_and_long() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
