//! Where to go after logging in. A page opened without a session (a link from a notification to
//! a conversation, a bookmark, a form sent after the session ran out) remembers itself in a
//! short-lived cookie on this browser; the login callback and quick unlock send the person
//! there instead of the front page. Only a page of this site is ever remembered, so the cookie
//! cannot be made into a redirect elsewhere.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The cookie holding the page to return to (base64url of its path and query).
pub const NEXT_COOKIE: &str = "ranselpost_next";

/// How long the way back is remembered: a login at the provider takes minutes, not hours.
const NEXT_MAX_AGE_SECS: u32 = 3600;

/// The longest path remembered.
const MAX_PATH: usize = 512;

/// Whether `path` is a page of this site worth returning to: a path (not `//host`), no
/// backslash or control characters, not an endpoint of login or of the server functions.
pub fn is_page(path: &str) -> bool {
    path.len() <= MAX_PATH
        && path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && !["/auth/", "/api/", "/pkg/", "/kalender/"].iter().any(|p| path.starts_with(p))
        && path != "/"
}

/// The `Set-Cookie` value that remembers `path`, or `None` when it is not a page to return to.
pub fn remember(path: &str, secure: bool) -> Option<String> {
    is_page(path).then(|| {
        let secure = if secure { "; Secure" } else { "" };
        format!(
            "{NEXT_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={NEXT_MAX_AGE_SECS}{secure}",
            URL_SAFE_NO_PAD.encode(path)
        )
    })
}

/// The `Set-Cookie` value that forgets the way back (once it has been taken).
pub fn forget(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{NEXT_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The page remembered in a `Cookie` header, if it is one to return to.
pub fn remembered(cookie_header: &str) -> Option<String> {
    let value = crate::backend::cookies::named(cookie_header, NEXT_COOKIE)?;
    let path = String::from_utf8(URL_SAFE_NO_PAD.decode(value).ok()?).ok()?;
    is_page(&path).then_some(path)
}

/// Set at logout for the front page to say "you are logged out" once, after the provider has
/// sent the browser back (its return address is fixed, so it cannot carry the message).
pub const LOGGED_OUT_COOKIE: &str = "ranselpost_logged_out";

/// The `Set-Cookie` value of [`LOGGED_OUT_COOKIE`]: `on` to set it, else to clear it.
pub fn logged_out(on: bool, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let (value, age) = if on { ("1", 300) } else { ("", 0) };
    format!("{LOGGED_OUT_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={age}{secure}")
}

/// The municipality chosen last on this device (its number), so the front page can offer it
/// first next time. Not personal: the same for everyone in the municipality.
pub const MUNICIPALITY_COOKIE: &str = "ranselpost_municipality";

/// The `Set-Cookie` value remembering municipality `number` for a year.
pub fn remember_municipality(number: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{MUNICIPALITY_COOKIE}={number}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_page_of_this_site_is_remembered_and_read_back() {
        for page in ["/samtale/abc", "/barn/demo-child-jonas/ny-melding?utkast=1", "/ansatt"] {
            let cookie = remember(page, true).unwrap();
            assert!(cookie.contains("HttpOnly") && cookie.contains("Secure"), "{cookie}");
            let value = cookie.split(';').next().unwrap();
            assert_eq!(remembered(value).as_deref(), Some(page));
        }
        for not_a_page in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/auth/logout",
            "/api/messages/reply",
            "/",
            "/samtale/a\r\nSet-Cookie: x=1",
            &format!("/{}", "a".repeat(600)),
        ] {
            assert_eq!(remember(not_a_page, false), None, "{not_a_page}");
            let forged = format!("{NEXT_COOKIE}={}", URL_SAFE_NO_PAD.encode(not_a_page));
            assert_eq!(remembered(&forged), None, "{not_a_page}");
        }
        assert_eq!(remembered(&format!("{NEXT_COOKIE}=%%%")), None);
    }
}
