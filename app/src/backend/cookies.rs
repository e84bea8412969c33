//! Reading a cookie of the request a server function answers, and setting one on its response.
//! Session cookies have their own rules (`identity::session`); these are for the small ones a
//! page remembers (the chosen child, a calendar address just made).

use axum::http::{HeaderValue, header};
use leptos::prelude::use_context;

/// The value of cookie `name` in a `Cookie` header.
pub fn named(cookie_header: &str, name: &str) -> Option<String> {
    cookie_header.split(';').find_map(|c| {
        let (n, v) = c.trim().split_once('=')?;
        (n == name && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The value of cookie `name` in the request being answered, if there is one.
pub fn from_request(name: &str) -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let header = parts.headers.get(header::COOKIE)?.to_str().ok()?;
    named(header, name)
}

/// Adds `Set-Cookie: set_cookie` to the response being made.
pub fn set(set_cookie: &str) {
    if let (Some(options), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(set_cookie))
    {
        options.append_header(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cookie_is_found_by_its_exact_name_only() {
        let header = "ranselpost_child=abc; other_ranselpost_child=x; empty=";
        assert_eq!(super::named(header, "ranselpost_child").as_deref(), Some("abc"));
        assert_eq!(super::named(header, "child"), None);
        assert_eq!(super::named(header, "empty"), None);
    }
}
