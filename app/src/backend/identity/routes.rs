//! The HTTP side of login and logout. Plain axum handlers: every step is a full-page
//! navigation, so it works the same with and without JavaScript.

use super::oidc::{CallbackParams, LoginError, VerifiedLogin};
use super::session::{self, NewSession, token_from_cookies};
use super::{providers, staff};
use crate::backend::access::FRESH_LOGIN_SECS;
use crate::backend::repo::{contacts, persons};
use crate::backend::{AppState, audit};
use crate::domain::{Audience, MunicipalityNumber, Pid};
use crate::i18n::{LANG_COOKIE, Locale};
use axum::Router;
use axum::extract::{FromRef, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// Binds a login attempt to the browser that started it; lives only while the person is at
/// the provider.
const LOGIN_COOKIE: &str = "ranselpost_login";

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AppState: FromRef<S>,
{
    Router::new()
        .route("/auth/login/{municipality}/{audience}", get(login))
        .route("/auth/callback", get(callback))
        .route("/auth/logout", post(logout))
        .route("/auth/frontchannel-logout", get(frontchannel_logout))
        .route("/auth/backchannel-logout", post(backchannel_logout))
}

/// A 303 to `location`, never cached, with the given cookies.
fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    res
}

fn cookie_header(headers: &HeaderMap) -> &str {
    headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie_header(headers).split(';').find_map(|c| {
        let (n, v) = c.trim().split_once('=')?;
        (n == name && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The language of a request: its language cookie, else `Accept-Language`, else bokmål.
pub(crate) fn locale(headers: &HeaderMap) -> Locale {
    cookie(headers, LANG_COOKIE)
        .and_then(|l| Locale::parse(&l))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

fn failed(reason: &str, municipality: Option<&str>) -> Response {
    let mut location = format!("/innlogging-feilet?grunn={reason}");
    if let Some(m) = municipality {
        location.push_str(&format!("&kommune={m}"));
    }
    see_other(&location, &[])
}

/// The query of a login start: `?fersk=1` when the login is to prove who one is again, before
/// an action that opens a long-lived way in (see [`crate::backend::access::require_fresh_login`]).
#[derive(Debug, Default, serde::Deserialize)]
struct LoginQuery {
    #[serde(default)]
    fersk: Option<String>,
}

/// `GET /auth/login/{municipality}/{guardian|staff}[?fersk=1]`: off to the municipality's
/// provider.
async fn login(
    State(state): State<AppState>,
    Path((municipality, audience)): Path<(String, String)>,
    Query(query): Query<LoginQuery>,
    headers: HeaderMap,
) -> Response {
    // On a paired shared tablet every login proves who one is: the provider must not answer
    // from a sign-on session someone else left on the tablet.
    let on_tablet = crate::backend::cookies::named(
        cookie_header(&headers),
        crate::backend::tablet::tablet_cookie_name(state.settings.session.secure),
    )
    .is_some();
    let reauthenticate = on_tablet || query.fersk.is_some_and(|v| v == "1");
    let (Ok(municipality), Some(audience)) =
        (MunicipalityNumber::parse(&municipality), Audience::parse(&audience))
    else {
        return failed("unavailable", None);
    };
    // The login cookie must be set on the origin the provider will send the browser back to.
    let public = &state.settings.public_url;
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !public.ends_with(&format!("//{host}")) {
        let again = if reauthenticate { "?fersk=1" } else { "" };
        return see_other(
            &format!("{public}/auth/login/{municipality}/{}{again}", audience.as_str()),
            &[],
        );
    }
    let provider = match providers::for_municipality(&state.db, municipality.as_str(), audience)
        .await
    {
        Ok(Some(p)) => p,
        Ok(None) => {
            tracing::warn!(municipality = %municipality, audience = audience.as_str(), "no identity provider configured");
            return failed("unavailable", Some(municipality.as_str()));
        }
        Err(e) => {
            tracing::error!(error = %e, "loading identity provider");
            return failed("unavailable", Some(municipality.as_str()));
        }
    };
    match state.rp.begin(&state.db, &provider, locale(&headers), reauthenticate).await {
        Ok(start) => {
            let secure = if state.settings.session.secure { "; Secure" } else { "" };
            let binding = format!(
                "{LOGIN_COOKIE}={}; Path=/auth; HttpOnly; SameSite=Lax; Max-Age=600{secure}",
                start.browser_token
            );
            let chosen = super::next::remember_municipality(
                municipality.as_str(),
                state.settings.session.secure,
            );
            see_other(&start.authorize_url, &[binding, chosen])
        }
        Err(e) => {
            tracing::error!(reason = e.reason(), error = %e, "starting login");
            failed(e.reason(), Some(municipality.as_str()))
        }
    }
}

/// `GET /auth/callback`: the provider sends the browser back here with a code.
async fn callback(
    State(state): State<AppState>,
    Query(params): Query<CallbackParams>,
    headers: HeaderMap,
) -> Response {
    let settings = &state.settings.session;
    let secure = if settings.secure { "; Secure" } else { "" };
    let clear_binding =
        format!("{LOGIN_COOKIE}=; Path=/auth; HttpOnly; SameSite=Lax; Max-Age=0{secure}");
    let browser = cookie(&headers, LOGIN_COOKIE);
    let login = match state.rp.finish(&state.db, &params, browser.as_deref()).await {
        Ok(login) => login,
        Err(e) => {
            log_failure(&e);
            let mut res = failed(e.reason(), None);
            if let Ok(v) = HeaderValue::from_str(&clear_binding) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            return res;
        }
    };
    let person_id = match find_person(&state, &login).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            let _ = audit::record(
                &state.db,
                None,
                "login.unknown_person",
                None,
                Some(login.audience.as_str()),
            )
            .await;
            let location = format!(
                "/ingen-tilgang?kommune={}&rolle={}",
                login.municipality_id,
                login.audience.as_str()
            );
            return see_other(&location, &[clear_binding]);
        }
        Err(e) => {
            tracing::error!(error = %e, "looking up the person who logged in");
            return failed("unavailable", Some(&login.municipality_id));
        }
    };
    if login.audience == Audience::Guardian {
        refresh_contact_details(&state, &person_id, login.pid.as_deref()).await;
    }
    // A new session every login; any session this browser had before is ended (rotation).
    if let Some(old) = token_from_cookies(settings, cookie_header(&headers)) {
        let _ = session::delete_by_hash(&state.db, &session::hash_token(&old)).await;
    }
    let new = NewSession {
        person_id: &person_id,
        audience: login.audience,
        municipality_id: &login.municipality_id,
        provider_id: &login.provider_id,
        idp_sid: login.sid.as_deref(),
        idp_sub: Some(&login.subject),
        id_token: Some(&login.id_token),
        device_credential_id: None,
        authenticated_at: login.auth_time,
        tablet: None,
    };
    match session::create(&state.db, settings, &new).await {
        Ok(token) => {
            // A full staff login, proved just now at the provider (not answered from its
            // sign-on session), opens a tablet PIN locked by wrong tries.
            let proved_now = login
                .auth_time
                .is_some_and(|at| crate::backend::repo::now() - at <= FRESH_LOGIN_SECS);
            if login.audience == Audience::Staff
                && proved_now
                && let Err(e) =
                    crate::backend::tablet::switch::unlock_after_full_login(&state.db, &person_id)
                        .await
            {
                tracing::warn!(error = %e, "opening a locked tablet PIN after a login");
            }
            let _ = audit::record(
                &state.db,
                Some(&person_id),
                "login",
                None,
                Some(login.audience.as_str()),
            )
            .await;
            let home = match login.audience {
                Audience::Guardian => "/hjem",
                Audience::Staff => "/ansatt",
            };
            // Back to a form sent after the session ran out, with its text (`pending`), or to
            // the page that asked for the login (`next`).
            let cookies = cookie_header(&headers);
            let kept = crate::backend::pending::adopt(&state.db, &person_id, cookies)
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "giving back a form sent without a session");
                    None
                });
            let to = kept.or_else(|| super::next::remembered(cookies));
            let forget = [
                super::next::forget(settings.secure),
                crate::backend::pending::forget(settings.secure),
            ];
            let [forget_next, forget_pending] = forget;
            let to = to.as_deref().unwrap_or(home);
            see_other(
                to,
                &[settings.set_cookie(&token), clear_binding, forget_next, forget_pending],
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "creating a session");
            failed("unavailable", Some(&login.municipality_id))
        }
    }
}

fn log_failure(e: &LoginError) {
    match e {
        LoginError::Discovery(_) | LoginError::Config(_) | LoginError::Database(_) => {
            tracing::error!(reason = e.reason(), error = %e, "login failed")
        }
        _ => tracing::warn!(reason = e.reason(), error = %e, "login refused"),
    }
}

/// Contact details from KRR, refreshed at login. If KRR cannot be reached, the last known
/// details stand.
async fn refresh_contact_details(state: &AppState, person_id: &str, pid: Option<&str>) {
    let (Some(krr), Some(pid)) = (&state.krr, pid) else {
        return;
    };
    let result = match krr.lookup(&[pid.to_owned()]).await {
        Ok(found) => match found.first() {
            Some(person) => contacts::upsert(&state.db, person_id, &person.contact_details()).await,
            None => contacts::delete(&state.db, person_id).await,
        },
        Err(e) => {
            tracing::warn!(error = %e, "KRR lookup at login failed");
            return;
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "storing contact details");
    }
}

/// The person a verified login belongs to: a guardian by pid, staff by the IdP's subject.
async fn find_person(state: &AppState, login: &VerifiedLogin) -> sqlx::Result<Option<String>> {
    match login.audience {
        Audience::Guardian => {
            let Some(pid) = login.pid.as_deref().and_then(|p| Pid::parse(p).ok()) else {
                return Ok(None);
            };
            // Relations are refreshed from the register at every login; if it cannot be
            // reached, the last known relations stand (and the feed catches up later).
            if let Some(register) = &state.folkeregister {
                match crate::backend::registers::sync::admit_guardian(&state.db, register, &pid)
                    .await
                {
                    Ok(found) => return Ok(found),
                    Err(e) => tracing::warn!(error = %e, "Folkeregisteret sync at login failed"),
                }
            }
            Ok(persons::find_by_pid(&state.db, &pid).await?.map(|p| p.id))
        }
        Audience::Staff => {
            staff::person_for_subject(&state.db, &login.issuer, &login.subject).await
        }
    }
}

/// `POST /auth/logout`: ends the session here, then at the provider (RP-initiated logout).
///
/// Pages the installed app kept for offline reading are dropped by the service worker when it
/// sees this request (`public/sw.js`). `Clear-Site-Data: "cache"` would do it too, but Chrome
/// takes seconds over it and holds up the next page meanwhile.
///
/// "Log out and forget this device" posts the device's credential id as `forget_device`: it is
/// revoked with the session, if it is one of the person's own (the browser has already removed
/// its key).
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<axum::Form<LogoutForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let forget = form.ok().and_then(|f| f.0.forget_device).filter(|id| !id.is_empty());
    end_session(&state, &headers, forget.as_deref()).await
}

#[derive(serde::Deserialize)]
struct LogoutForm {
    forget_device: Option<String>,
}

async fn end_session(state: &AppState, headers: &HeaderMap, forget: Option<&str>) -> Response {
    let settings = &state.settings.session;
    let clear = settings.clear_cookie();
    // What the person's pages remembered goes with them.
    let clear_calendar = crate::backend::day::calendar::show_cookie(None, settings.secure);
    let bye = super::next::logged_out(true, settings.secure);
    let Some(token) = token_from_cookies(settings, cookie_header(headers)) else {
        return see_other("/", &[clear, clear_calendar, bye]);
    };
    let row = session::load(&state.db, &token).await.ok().flatten();
    let hash = session::hash_token(&token);
    let _ = session::delete_by_hash(&state.db, &hash).await;
    // Its open event streams end now, in every process.
    crate::backend::messaging::realtime::session_ended(state, &hash).await;
    let Some(row) = row else {
        return see_other("/", &[clear, clear_calendar, bye]);
    };
    if let Some(credential) = forget
        && let Err(e) =
            crate::backend::quick_unlock::revoke_own(&state.db, &row.person_id, credential).await
    {
        tracing::error!(error = %e, "revoking the device at logout");
    }
    // This browser stops getting the person's push notices: here on the server, whether or not
    // its service worker unsubscribes it.
    if let Some(browser) = crate::backend::cookies::named(
        cookie_header(headers),
        crate::backend::notify::prefs::BROWSER_COOKIE,
    ) && let Err(e) = crate::backend::notify::prefs::forget_browser(
        &state.db,
        &row.person_id,
        &session::hash_token(&browser),
    )
    .await
    {
        tracing::error!(error = %e, "stopping this browser's push at logout");
    }
    let _ = audit::record(&state.db, Some(&row.person_id), "logout", None, None).await;
    let provider = providers::get(&state.db, &row.provider_id).await.ok().flatten();
    let end_session = match provider {
        Some(p) => state.rp.end_session_url(&p, row.id_token.as_deref()).await,
        None => None,
    };
    see_other(end_session.as_deref().unwrap_or("/"), &[clear, clear_calendar, bye])
}

#[derive(serde::Deserialize)]
struct FrontChannel {
    iss: Option<String>,
    sid: Option<String>,
}

/// `GET /auth/frontchannel-logout?iss=…&sid=…`: the provider, in a hidden frame, tells us a
/// session ended there. Both parameters are required, so only the matching session ends.
async fn frontchannel_logout(
    State(state): State<AppState>,
    Query(q): Query<FrontChannel>,
) -> Response {
    let (Some(iss), Some(sid)) = (q.iss, q.sid) else {
        return (StatusCode::BAD_REQUEST, "iss and sid are required").into_response();
    };
    let mut ended = 0;
    match providers::by_issuer(&state.db, &iss).await {
        Ok(list) => {
            for p in list {
                ended += session::delete_by_idp_sid(&state.db, &p.id, &sid).await.unwrap_or(0);
            }
        }
        Err(e) => tracing::error!(error = %e, "front-channel logout"),
    }
    tracing::info!(ended, "front-channel logout");
    let mut res = (StatusCode::OK, "").into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(serde::Deserialize)]
struct BackChannel {
    logout_token: Option<String>,
}

/// `POST /auth/backchannel-logout`: the provider's server tells us, with a signed logout token,
/// that a session ended there.
async fn backchannel_logout(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<BackChannel>,
) -> Response {
    let no_store = |status: StatusCode, body: &'static str| {
        let mut res = (status, body).into_response();
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    };
    let Some(token) = form.logout_token else {
        return no_store(StatusCode::BAD_REQUEST, "{\"error\":\"invalid_request\"}");
    };
    match super::backchannel::handle(&state.db, &state.rp, &token).await {
        Ok(ended) => {
            tracing::info!(ended, "back-channel logout");
            no_store(StatusCode::OK, "")
        }
        Err(e) => {
            tracing::warn!(error = %e, "back-channel logout refused");
            no_store(StatusCode::BAD_REQUEST, "{\"error\":\"invalid_request\"}")
        }
    }
}
