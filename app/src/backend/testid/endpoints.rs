//! The test provider's HTTP endpoints.

use super::page::{self, LoginPage, Person};
use super::{GUARDIAN_CLIENT, PATH, STAFF_CLIENT, TestIdp};
use crate::backend::AppState;
use crate::backend::identity::oidc::{PidClaims, PidIdToken};
use crate::backend::identity::session::{hash_token, random_token};
use crate::backend::repo::now;
use crate::backend::sql;
use crate::domain::{Acr, Audience, Pid};
use crate::i18n::Locale;
use axum::extract::{FromRef, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{
    AuthenticationContextClass, AuthenticationMethodReference, EndUserName, IssuerUrl,
    LocalizedClaim, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new()
        .route(&format!("{PATH}/.well-known/openid-configuration"), get(discovery))
        .route(&format!("{PATH}/jwks"), get(jwks))
        .route(&format!("{PATH}/authorize"), get(authorize_page).post(authorize_submit))
        .route(&format!("{PATH}/token"), post(token))
        .route(&format!("{PATH}/endsession"), get(end_session))
}

/// The test provider, present only in demo mode (its routes are only mounted then, too).
fn idp(state: &AppState) -> Option<Arc<TestIdp>> {
    state.testid.clone()
}

fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

async fn discovery(State(state): State<AppState>) -> Response {
    let Some(idp) = idp(&state) else {
        return not_found();
    };
    let i = &idp.issuer;
    Json(serde_json::json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "end_session_endpoint": format!("{i}/endsession"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "claims_supported": ["sub", "pid", "acr", "amr", "sid", "name"],
        "acr_values_supported": [Acr::SUBSTANTIAL, Acr::HIGH],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "ui_locales_supported": ["nb", "nn", "en"],
        "authorization_response_iss_parameter_supported": true,
        "frontchannel_logout_supported": true,
        "frontchannel_logout_session_supported": true,
    }))
    .into_response()
}

async fn jwks(State(state): State<AppState>) -> Response {
    match idp(&state) {
        Some(idp) => Json(serde_json::json!({ "keys": [idp.signing_key.as_verification_key()] }))
            .into_response(),
        None => not_found(),
    }
}

/// The authorization request, as the client sends it and as the login form echoes it back.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub acr_values: Option<String>,
    pub ui_locales: Option<String>,
    /// The person chosen on the login page: a fødselsnummer, or a staff member's subject.
    pub pid: Option<String>,
    pub subject: Option<String>,
}

impl AuthorizeParams {
    fn locale(&self) -> Locale {
        self.ui_locales
            .as_deref()
            .and_then(|l| l.split_whitespace().find_map(Locale::parse))
            .unwrap_or_default()
    }
}

/// Checks the request the way a real provider must before showing a login page: a known
/// client, its registered redirect URI, the code flow with PKCE S256. Errors are shown on the
/// provider's own page, never sent to an unverified redirect URI.
fn validate(idp: &TestIdp, p: &AuthorizeParams) -> Result<Audience, &'static str> {
    let audience =
        p.client_id.as_deref().and_then(TestIdp::audience_of).ok_or("testid.error.client")?;
    if p.redirect_uri.as_deref() != Some(idp.redirect_uri().as_str()) {
        return Err("testid.error.redirect_uri");
    }
    if p.response_type.as_deref() != Some("code")
        || !p.scope.as_deref().unwrap_or_default().split(' ').any(|s| s == "openid")
    {
        return Err("testid.error.request");
    }
    if p.code_challenge_method.as_deref() != Some("S256")
        || p.code_challenge.as_deref().unwrap_or_default().is_empty()
    {
        return Err("testid.error.pkce");
    }
    Ok(audience)
}

async fn people(state: &AppState, audience: Audience) -> Vec<Person> {
    use sqlx::Row;
    let sql = match audience {
        Audience::Guardian => {
            "SELECT p.id, p.pid, p.given_names, p.surname FROM person p
             WHERE p.pid IS NOT NULL ORDER BY p.given_names, p.surname"
        }
        Audience::Staff => {
            "SELECT DISTINCT p.id, p.pid, p.given_names, p.surname FROM person p
             JOIN staff_role r ON r.person_id = p.id ORDER BY p.given_names, p.surname"
        }
    };
    match sqlx::query(sql).fetch_all(&state.db.pool).await {
        Ok(rows) => rows
            .into_iter()
            .map(|r| Person {
                id: r.get("id"),
                pid: r.get("pid"),
                name: format!(
                    "{} {}",
                    r.get::<String, _>("given_names"),
                    r.get::<String, _>("surname")
                ),
            })
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "listing test persons");
            Vec::new()
        }
    }
}

async fn authorize_page(
    State(state): State<AppState>,
    Query(p): Query<AuthorizeParams>,
) -> Response {
    let Some(idp) = idp(&state) else {
        return not_found();
    };
    render(&state, &idp, &p, None).await
}

async fn render(
    state: &AppState,
    idp: &TestIdp,
    p: &AuthorizeParams,
    error: Option<&'static str>,
) -> Response {
    let locale = p.locale();
    match validate(idp, p) {
        Err(key) => (StatusCode::BAD_REQUEST, Html(page::error_page(locale, key))).into_response(),
        Ok(audience) => {
            let login =
                LoginPage { audience, params: p, people: people(state, audience).await, error };
            let mut res = Html(page::login_page(locale, &login)).into_response();
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
    }
}

async fn authorize_submit(
    State(state): State<AppState>,
    Form(p): Form<AuthorizeParams>,
) -> Response {
    let Some(idp) = idp(&state) else {
        return not_found();
    };
    let audience = match validate(&idp, &p) {
        Ok(a) => a,
        Err(_) => return render(&state, &idp, &p, None).await,
    };
    let (subject, pid) = match audience {
        Audience::Guardian => match Pid::parse(p.pid.as_deref().unwrap_or_default()) {
            // ID-porten's `sub` is an opaque per-client identifier, not the pid.
            Ok(pid) => (hash_token(&format!("{}:{}", GUARDIAN_CLIENT, pid.as_str())), Some(pid)),
            Err(e) => return render(&state, &idp, &p, Some(e.message_key())).await,
        },
        Audience::Staff => match p.subject.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => (s.to_owned(), None),
            None => return render(&state, &idp, &p, Some("testid.error.choose")).await,
        },
    };
    let acr = p
        .acr_values
        .as_deref()
        .and_then(|a| a.split_whitespace().find(|v| Acr::parse(v).is_some()))
        .unwrap_or(Acr::SUBSTANTIAL);
    let code = random_token();
    let stored = sql::run(
        &state.db.pool,
        "INSERT INTO testid_code (code_hash, client_id, redirect_uri, subject, pid, nonce,
             code_challenge, acr, sid, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        (
            hash_token(&code),
            p.client_id.as_deref().unwrap_or_default(),
            p.redirect_uri.as_deref().unwrap_or_default(),
            &subject,
            pid.as_ref().map(Pid::as_str),
            p.nonce.as_deref(),
            p.code_challenge.as_deref(),
            acr,
            random_token(),
            now(),
        ),
    )
    .await;
    if let Err(e) = stored {
        tracing::error!(error = %e, "storing a test authorization code");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(page::error_page(p.locale(), "testid.error.internal")),
        )
            .into_response();
    }
    let mut url = match reqwest::Url::parse(p.redirect_uri.as_deref().unwrap_or_default()) {
        Ok(u) => u,
        Err(_) => return (StatusCode::BAD_REQUEST, "bad redirect_uri").into_response(),
    };
    url.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", p.state.as_deref().unwrap_or_default())
        .append_pair("iss", &idp.issuer);
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(url.as_str()) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[derive(Debug, Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn token_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(serde_json::json!({ "error": error }))).into_response()
}

/// The client's id and secret, from HTTP Basic or the form.
fn client_credentials(headers: &HeaderMap, form: &TokenRequest) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = String::from_utf8(STANDARD.decode(basic).ok()?).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        let unescape = |s: &str| url_decode(s);
        return Some((unescape(id), unescape(secret)));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

fn url_decode(s: &str) -> String {
    reqwest::Url::parse(&format!("http://x/?v={s}"))
        .ok()
        .and_then(|u| u.query_pairs().next().map(|(_, v)| v.into_owned()))
        .unwrap_or_else(|| s.to_owned())
}

async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<TokenRequest>,
) -> Response {
    let Some(idp) = idp(&state) else {
        return not_found();
    };
    let Some((client_id, secret)) = client_credentials(&headers, &form) else {
        return (StatusCode::UNAUTHORIZED, Json(serde_json::json!({ "error": "invalid_client" })))
            .into_response();
    };
    let known = [GUARDIAN_CLIENT, STAFF_CLIENT].contains(&client_id.as_str());
    if !known || !constant_time_eq(secret.as_bytes(), idp.client_secret.as_bytes()) {
        return (StatusCode::UNAUTHORIZED, Json(serde_json::json!({ "error": "invalid_client" })))
            .into_response();
    }
    if form.grant_type.as_deref() != Some("authorization_code") {
        return token_error("unsupported_grant_type");
    }
    let Some(code) = form.code.as_deref() else {
        return token_error("invalid_request");
    };
    match issue(&state, &idp, &client_id, code, &form).await {
        Ok(body) => {
            let mut res = Json(body).into_response();
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(error) => token_error(error),
    }
}

async fn issue(
    state: &AppState,
    idp: &TestIdp,
    client_id: &str,
    code: &str,
    form: &TokenRequest,
) -> Result<serde_json::Value, &'static str> {
    use sqlx::Row;
    let code_hash = hash_token(code);
    // A code works once: the UPDATE claims it, a second use finds it used.
    let claimed = sql::run(
        &state.db.pool,
        "UPDATE testid_code SET used = 1 WHERE code_hash = $1 AND used = 0 AND created_at > $2",
        (&code_hash, now() - 60),
    )
    .await
    .map_err(|_| "server_error")?
    .rows_affected();
    if claimed != 1 {
        return Err("invalid_grant");
    }
    let row = sqlx::query(
        "SELECT client_id, redirect_uri, subject, pid, nonce, code_challenge, acr, sid
         FROM testid_code WHERE code_hash = $1",
    )
    .bind(&code_hash)
    .fetch_one(&state.db.pool)
    .await
    .map_err(|_| "server_error")?;
    if row.get::<String, _>("client_id") != client_id
        || Some(row.get::<String, _>("redirect_uri")) != form.redirect_uri
    {
        return Err("invalid_grant");
    }
    let challenge: Option<String> = row.get("code_challenge");
    let verifier = form.code_verifier.as_deref().unwrap_or_default();
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if challenge.as_deref() != Some(computed.as_str()) {
        return Err("invalid_grant");
    }
    let id_token = sign_id_token(
        idp,
        client_id,
        &row.get::<String, _>("subject"),
        row.get("pid"),
        row.get("nonce"),
        &row.get::<String, _>("acr"),
        row.get("sid"),
    )
    .map_err(|_| "server_error")?;
    Ok(serde_json::json!({
        "access_token": random_token(),
        "token_type": "Bearer",
        "expires_in": 120,
        "scope": "openid profile",
        "id_token": id_token,
    }))
}

fn sign_id_token(
    idp: &TestIdp,
    client_id: &str,
    subject: &str,
    pid: Option<String>,
    nonce: Option<String>,
    acr: &str,
    sid: Option<String>,
) -> Result<String, String> {
    let issued = chrono::Utc::now();
    let mut standard = StandardClaims::new(SubjectIdentifier::new(subject.to_owned()));
    if pid.is_none() {
        standard =
            standard.set_name(Some(LocalizedClaim::from(EndUserName::new(subject.to_owned()))));
    }
    let claims = openidconnect::IdTokenClaims::new(
        IssuerUrl::new(idp.issuer.clone()).map_err(|e| e.to_string())?,
        vec![openidconnect::Audience::new(client_id.to_owned())],
        issued + chrono::Duration::seconds(120),
        issued,
        standard,
        PidClaims { pid, sid },
    )
    .set_nonce(nonce.map(Nonce::new))
    // TestID keeps no single sign-on session: every login is a person choosing an identity on
    // its page, so the authentication happened just now.
    .set_auth_time(Some(issued))
    .set_auth_context_ref(Some(AuthenticationContextClass::new(acr.to_owned())))
    .set_auth_method_refs(Some(vec![AuthenticationMethodReference::new("TestID".to_owned())]));
    let key: &CoreRsaPrivateSigningKey = &idp.signing_key;
    PidIdToken::new(claims, key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None)
        .map(|t| t.to_string())
        .map_err(|e| e.to_string())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, Deserialize)]
struct EndSessionParams {
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
    ui_locales: Option<String>,
}

/// RP-initiated logout: back to the registered post-logout URI, or a "logged out" page.
async fn end_session(State(state): State<AppState>, Query(q): Query<EndSessionParams>) -> Response {
    let Some(idp) = idp(&state) else {
        return not_found();
    };
    match q.post_logout_redirect_uri {
        Some(uri) if uri == idp.post_logout_redirect_uri() => {
            let mut url = match reqwest::Url::parse(&uri) {
                Ok(u) => u,
                Err(_) => return StatusCode::BAD_REQUEST.into_response(),
            };
            if let Some(s) = q.state {
                url.query_pairs_mut().append_pair("state", &s);
            }
            let mut res = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(url.as_str()) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        _ => {
            let locale = q.ui_locales.as_deref().and_then(Locale::parse).unwrap_or_default();
            Html(page::logged_out_page(locale)).into_response()
        }
    }
}
