//! Protection on every response: the session lookup, cross-site request refusal, and the
//! security headers (CSP with a per-response nonce for the hydration scripts, no sniffing, a
//! strict referrer policy, HSTS over https).

use super::AppState;
use super::identity::session::{self, token_from_cookies};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The login hosts of ID-porten (production and test), which embed our front-channel logout
/// endpoint in a frame.
pub const IDPORTEN_FRAME_HOSTS: &str = "https://login.idporten.no https://login.test.idporten.no";

/// The Content-Security-Policy. With a nonce, inline scripts carrying it (Leptos' hydration
/// scripts) may run; nothing else inline does.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'self' {IDPORTEN_FRAME_HOSTS}"
    )
}

/// The CSP nonce of one request: made once by [`security_headers`] before anything else runs,
/// handed to Leptos (which puts it on the hydration scripts) through the request's extensions,
/// and written into the response's CSP header by the same middleware. One value, one place: the
/// scripts and the header cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn fresh() -> CspNonce {
        // 128 bits are plenty for a nonce; base64url has no character that needs escaping in
        // an attribute or a header.
        let token = super::identity::session::random_token();
        CspNonce(token[..22].to_owned())
    }
}

/// Gives Leptos the nonce of the request being rendered. Called from the render context of the
/// host (server-function handler and page handler alike), where leptos_axum has already
/// provided the request's `Parts`; it replaces the random nonce leptos_axum makes itself.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}

/// Finds the session of the request (if any) and makes the user available to handlers,
/// server functions and page renders through the request's extensions.
pub async fn load_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let cookies =
        req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    // A page part fetched again by itself (`ui/live.rs`) is not the person doing something.
    let touched = !req.headers().contains_key(LIVE_HEADER);
    if let Some(token) = token_from_cookies(&state.settings.session, cookies) {
        match session::look_up(&state.db, &token, touched).await {
            // A session switched in on a shared tablet is used only on that tablet: with the
            // tablet's own cookie beside it.
            Ok(Ok(row)) if !on_its_tablet(&row, cookies, state.settings.session.secure) => {}
            Ok(Ok(row)) => {
                if let Some(user) = row.current_user() {
                    req.extensions_mut().insert(user);
                }
            }
            // Who it was, for a form sent just after it ended (`backend::pending`).
            Ok(Err(Some(person_id))) => {
                req.extensions_mut().insert(super::pending::EndedSession(person_id));
            }
            Ok(Err(None)) => {}
            Err(e) => tracing::error!(error = %e, "loading a session"),
        }
    }
    next.run(req).await
}

/// The header `ui/live.rs` sends when it fetches a page part again by itself.
pub const LIVE_HEADER: &str = "x-ranselpost-live";

/// Whether a session is used where it may be: anywhere, unless it was switched in on a shared
/// tablet, which must then be the browser holding that tablet's cookie.
fn on_its_tablet(row: &session::SessionRow, cookies: &str, secure: bool) -> bool {
    if row.tablet_id.is_none() {
        return true;
    }
    let name = super::tablet::tablet_cookie_name(secure);
    let held = super::cookies::named(cookies, name).map(|t| session::hash_token(&t));
    held.is_some() && held == row.tablet_cookie_hash
}

/// Refuses state-changing requests that another site made the browser send. Browsers mark
/// them with `Sec-Fetch-Site` (and `Origin`); requests without either are not from a browser
/// page and carry no ambient cookie risk.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The back-channel logout is called by the provider's server, not a browser.
    let exempt = req.uri().path() == "/auth/backchannel-logout";
    if unsafe_method && !exempt && is_cross_site(&req, &state.settings.public_url) {
        tracing::warn!(path = req.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

fn is_cross_site(req: &Request, public_url: &str) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return !is_own_origin(req, public_url, origin);
    }
    false
}

/// Whether `origin` (scheme://host[:port]) is this site: the configured public address, or the
/// host the request was sent to — with the public address's scheme, so that an `https://` page
/// does not pass for an `http://` site or the other way round.
fn is_own_origin(req: &Request, public_url: &str, origin: &str) -> bool {
    if origin == public_url {
        return true;
    }
    let scheme = public_url.split_once("://").map_or("http", |(s, _)| s);
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    !host.is_empty() && origin == format!("{scheme}://{host}")
}

/// A plain form post (no JavaScript) is sent back to the page it came from: leptos_axum
/// redirects to the request's `Referer`. Only a path on this site may be that target, so the
/// header is narrowed here to its path and query; a `Referer` from anywhere else becomes `/`.
pub async fn same_site_referer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(referer) = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()) {
        let path = own_path(&req, &state.settings.public_url, referer).unwrap_or("/");
        let path = HeaderValue::from_str(path).unwrap_or(HeaderValue::from_static("/"));
        req.headers_mut().insert(header::REFERER, path);
    }
    next.run(req).await
}

/// The path and query of `url` when it is a page of this site (`/` and not `//`).
fn own_path<'a>(req: &Request, public_url: &str, url: &'a str) -> Option<&'a str> {
    let (scheme, rest) = url.split_once("://")?;
    let (host, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
    let own = is_own_origin(req, public_url, &format!("{scheme}://{host}"));
    let path = path.split('#').next().unwrap_or("/");
    (own && path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'))
        .then_some(path)
}

/// Adds the security headers every response gets, with the CSP nonce made here for this
/// request (see [`CspNonce`]).
pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::fresh();
    req.extensions_mut().insert(nonce.clone());
    let built = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if state.settings.session.secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if built && content_type.is_some_and(is_code) {
        return res;
    }
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(Some(&nonce.0))) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    // Pages and answers carry children's data: a shared tablet's browser must not keep them
    // (the back button after logging out, the disk cache). The service worker's own offline
    // copy is made on purpose and dropped at login and logout.
    let personal = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    if personal && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// A script, style sheet or WASM file of the build (`/pkg/`): the policies above govern the
/// document that loads it, so sent with each of these they would only add a kilobyte of headers
/// to every one of the dozens of files a page fetches. `nosniff` (and HSTS) still go with them.
/// The service worker (`/sw.js`) keeps its CSP: a worker's policy comes from its own response.
fn is_code(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    matches!(
        essence,
        "application/wasm" | "text/javascript" | "application/javascript" | "text/css"
    )
}

/// Browser features the app never uses are switched off for it and anything it embeds.
/// WebAuthn (Touch ID / face) is the one it does use, on its own origin only.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
     display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), \
     midi=(), payment=(), usb=(), screen-wake-lock=(), xr-spatial-tracking=(), \
     publickey-credentials-get=(self), publickey-credentials-create=(self)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scripts_style_sheets_and_wasm_go_without_the_page_policies() {
        for code in ["application/wasm", "text/javascript; charset=utf-8", "text/css"] {
            assert!(is_code(code), "{code}");
        }
        for page in ["text/html; charset=utf-8", "application/json", "image/svg+xml", ""] {
            assert!(!is_code(page), "{page}");
        }
    }

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().method("POST").uri("/api/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn a_post_from_another_site_is_cross_site() {
        let public = "http://localhost:3000";
        assert!(is_cross_site(&post(&[("sec-fetch-site", "cross-site")]), public));
        assert!(is_cross_site(&post(&[("sec-fetch-site", "same-site")]), public));
        assert!(is_cross_site(
            &post(&[("origin", "https://evil.example"), ("host", "localhost:3000")]),
            public
        ));
    }

    #[test]
    fn an_origin_with_another_scheme_is_cross_site() {
        let public = "http://localhost:3000";
        assert!(is_cross_site(
            &post(&[("origin", "https://localhost:3000"), ("host", "localhost:3000")]),
            public
        ));
        assert!(is_cross_site(&post(&[("origin", "null"), ("host", "localhost:3000")]), public));
    }

    #[test]
    fn only_a_path_of_this_site_is_kept_as_the_referer() {
        let public = "http://localhost:3000";
        let req = post(&[("host", "localhost:3000")]);
        assert_eq!(
            own_path(&req, public, "http://localhost:3000/barn/1?x=2#top"),
            Some("/barn/1?x=2")
        );
        assert_eq!(own_path(&req, public, "http://localhost:3000"), Some("/"));
        assert_eq!(own_path(&req, public, "https://evil.example/x"), None);
        assert_eq!(own_path(&req, public, "https://localhost:3000/x"), None);
        assert_eq!(own_path(&req, public, "http://localhost:3000//evil.example"), None);
        assert_eq!(own_path(&req, public, "http://localhost:3000@evil.example/"), None);
        assert_eq!(own_path(&req, public, "/relative"), None);
    }

    #[test]
    fn a_post_from_our_own_pages_or_a_non_browser_client_is_not() {
        let public = "http://localhost:3000";
        assert!(!is_cross_site(&post(&[("sec-fetch-site", "same-origin")]), public));
        assert!(!is_cross_site(&post(&[("origin", "http://localhost:3000")]), public));
        assert!(!is_cross_site(
            &post(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(!is_cross_site(&post(&[]), public));
    }

    #[test]
    fn the_policy_admits_the_nonce_and_id_porten_frames_and_no_other_inline_script() {
        let csp = content_security_policy(Some("abc"));
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'self' https://login.idporten.no"));
    }
}
