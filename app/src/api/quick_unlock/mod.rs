//! Quick unlock on a known device. A guardian who has just logged in with ID-porten sets up this
//! device, with a PIN (a WebCrypto key in IndexedDB plus the PIN: [`pin`]) or with its platform
//! authenticator (Touch ID, face recognition: [`passkey`]); later a session starts without
//! ID-porten. The guardian sees and revokes their devices here.

pub mod passkey;
pub mod pin;

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The answer to an unlock attempt. Whatever could tell which devices exist reads as `Refused`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnlockAnswer {
    Unlocked,
    WrongPin {
        left: i64,
    },
    /// The device proved itself, and its quick unlock is now turned off (too many wrong
    /// PINs): log in with ID-porten again.
    Revoked,
    /// Not unlocked, and nothing more to say: the same for an unknown or revoked device and a
    /// wrong signature, so that only the device itself learns more.
    Refused,
}

/// A device on the person's list of ways in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    /// `pin` or `webauthn`.
    pub kind: String,
    pub created: String,
    pub last_used: String,
}

/// What the quick-unlock page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceOverview {
    /// Whether this session comes from an ID-porten login in the last 15 minutes, so a device
    /// may be set up now.
    pub fresh: bool,
    /// Where a new ID-porten login starts.
    pub login_url: String,
    pub devices: Vec<DeviceView>,
}

/// The guardian's devices with quick unlock, and whether one can be set up now.
#[server(prefix = "/api/device", endpoint = "status")]
pub async fn quick_unlock_status() -> Result<DeviceOverview, AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        use crate::backend::clock::date_time_text;
        use crate::backend::quick_unlock;

        let crate::backend::access::Caller { state, user, .. } =
            crate::backend::access::Caller::guardian().await?;
        let fresh = fresh_login(&state, &user).await.is_ok();
        let devices = quick_unlock::list(&state.db, &user.person_id)
            .await
            .context("listing devices")?
            .into_iter()
            .map(|c| DeviceView {
                id: c.id,
                name: c.name,
                kind: c.kind,
                created: date_time_text(c.created_at),
                last_used: date_time_text(c.last_used_at),
            })
            .collect();
        Ok(DeviceOverview {
            fresh,
            login_url: format!("/auth/login/{}/guardian?fersk=1", user.municipality_id),
            devices,
        })
    })
    .await
}

/// Revokes one of the guardian's devices (and ends the sessions it unlocked).
#[server(prefix = "/api/device", endpoint = "revoke")]
pub async fn revoke_device(credential_id: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        use crate::backend::quick_unlock;

        let crate::backend::access::Caller { state, user, .. } =
            crate::backend::access::Caller::guardian().await?;
        let mine = quick_unlock::revoke_own(&state.db, &user.person_id, &credential_id)
            .await
            .context("revoking a device")?;
        if !mine {
            return Err(AppError::NotFound);
        }
        Ok(())
    })
    .await
}

/// The identity provider of this session when it comes from an ID-porten login of the last
/// 15 minutes: setting up a device opens a long-lived way in, so a quick-unlocked or an older
/// session is not enough (the one rule: [`crate::backend::access::require_fresh_login`]).
#[cfg(feature = "ssr")]
async fn fresh_login(
    state: &crate::backend::AppState,
    user: &crate::backend::identity::CurrentUser,
) -> Result<String, AppError> {
    crate::backend::access::require_fresh_login(&state.db, user)
        .await
        .map(|origin| origin.provider_id)
}

/// A device's name as the guardian gave it (or a default), trimmed to 60 characters. The
/// browser proposes it from the user agent ("Chrome på Android") and only the guardian sees
/// it, so an identity number in it is refused and nothing else the guard finds matters.
#[cfg(feature = "ssr")]
fn device_name(name: Option<String>) -> Result<String, AppError> {
    let name = name
        .map(|n| n.trim().chars().take(60).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Enhet".to_owned());
    crate::backend::messaging::send::screen(&[("name", &name)], &[], true)
        .map_err(|_| AppError::invalid("guard.problem.national_id"))?;
    Ok(name)
}

/// Starts a session unlocked by `credential` and sets its cookie.
#[cfg(feature = "ssr")]
async fn start_unlocked_session(
    state: &crate::backend::AppState,
    credential: &crate::backend::quick_unlock::CredentialRow,
) -> Result<UnlockAnswer, AppError> {
    use crate::api::error::ResultExt;
    use crate::backend::audit;
    use crate::backend::identity::session::{self, NewSession};
    use crate::backend::quick_unlock;
    use crate::domain::Audience;

    let token = session::create(
        &state.db,
        &state.settings.session,
        &NewSession {
            person_id: &credential.person_id,
            audience: Audience::Guardian,
            municipality_id: &credential.municipality_id,
            provider_id: &credential.provider_id,
            idp_sid: None,
            idp_sub: None,
            id_token: None,
            device_credential_id: Some(&credential.id),
            authenticated_at: None,
            tablet: None,
        },
    )
    .await
    .context("starting a session")?;
    // A revocation at the same moment ends the device's sessions; if it ran before this one
    // was stored, it is seen here instead, and the session goes too.
    if !quick_unlock::still_live(&state.db, &credential.id).await.context("checking a device")? {
        session::delete_by_hash(&state.db, &session::hash_token(&token))
            .await
            .context("ending a session")?;
        return Ok(UnlockAnswer::Revoked);
    }
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&state.settings.session.set_cookie(&token)),
    ) {
        options.append_header(axum::http::header::SET_COOKIE, value);
    }
    audit::record(
        &state.db,
        Some(&credential.person_id),
        "device_unlocked",
        Some(&credential.id),
        None,
    )
    .await
    .context("recording an audit event")?;
    // Unlocked whatever happens here: a failure is logged, and the person is in.
    if let Err(e) = give_back_kept_post(state, &credential.person_id).await {
        tracing::error!(error = ?e, "giving back a form sent without a session");
    }
    Ok(UnlockAnswer::Unlocked)
}

/// A form this browser sent after the session ran out is given back to the person who has
/// unlocked: the first page after the unlock goes to it (`backend::pending`, `next`).
#[cfg(feature = "ssr")]
async fn give_back_kept_post(
    state: &crate::backend::AppState,
    person_id: &str,
) -> Result<(), AppError> {
    use crate::backend::{cookies, identity::next, pending};
    use crate::error::ResultExt;
    let Some(parts) = use_context::<axum::http::request::Parts>() else { return Ok(()) };
    let header = parts.headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok());
    let secure = state.settings.session.secure;
    let kept = pending::adopt(&state.db, person_id, header.unwrap_or_default())
        .await
        .context("giving back a form sent without a session")?;
    if let Some(cookie) = kept.and_then(|page: String| next::remember(&page, secure)) {
        cookies::set(&cookie);
    }
    cookies::set(&pending::forget(secure));
    Ok(())
}

/// The answer for an unlock outcome.
#[cfg(feature = "ssr")]
async fn answer(
    state: &crate::backend::AppState,
    outcome: crate::backend::quick_unlock::Unlock,
) -> Result<UnlockAnswer, AppError> {
    use crate::backend::quick_unlock::Unlock;
    match outcome {
        Unlock::Unlocked(c) => start_unlocked_session(state, &c).await,
        Unlock::WrongPin { left } => Ok(UnlockAnswer::WrongPin { left }),
        Unlock::Revoked => Ok(UnlockAnswer::Revoked),
        Unlock::Refused => Ok(UnlockAnswer::Refused),
    }
}
