//! Protection on every response: the session lookup, cross-site request refusal, and the
//! security headers (CSP with a per-response nonce for the hydration scripts, no sniffing, a
//! strict referrer policy, HSTS over https).

use super::AppState;
use super::identity::session::{self, token_from_cookies};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
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

/// Sets the page's CSP with the nonce of this render. Called by the shell during SSR.
pub fn set_page_csp() {
    use leptos::prelude::use_context;
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&content_security_policy(nonce.as_deref())),
    ) {
        options.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Finds the session of the request (if any) and makes the user available to handlers,
/// server functions and page renders through the request's extensions.
pub async fn load_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let cookies = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(token) = token_from_cookies(&state.settings.session, cookies) {
        match session::load(&state.db, &token).await {
            Ok(Some(row)) => {
                if let Some(user) = row.current_user() {
                    req.extensions_mut().insert(user);
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "loading a session"),
        }
    }
    next.run(req).await
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
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let same_host = origin.split_once("://").is_some_and(|(_, h)| h == host);
        return origin != public_url && !same_host;
    }
    false
}

/// Adds the security headers every response gets; pages keep the CSP with their nonce.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&content_security_policy(None))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if state.settings.session.secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(is_cross_site(
            &post(&[("sec-fetch-site", "cross-site")]),
            public
        ));
        assert!(is_cross_site(
            &post(&[("sec-fetch-site", "same-site")]),
            public
        ));
        assert!(is_cross_site(
            &post(&[
                ("origin", "https://evil.example"),
                ("host", "localhost:3000")
            ]),
            public
        ));
    }

    #[test]
    fn a_post_from_our_own_pages_or_a_non_browser_client_is_not() {
        let public = "http://localhost:3000";
        assert!(!is_cross_site(
            &post(&[("sec-fetch-site", "same-origin")]),
            public
        ));
        assert!(!is_cross_site(
            &post(&[("origin", "http://localhost:3000")]),
            public
        ));
        assert!(!is_cross_site(
            &post(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
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
