//! Quick unlock on a known device (server side): a guardian who just logged in with ID-porten
//! registers the device's public key with a PIN; later the device signs a fresh challenge and
//! the PIN is checked, and a session starts without ID-porten. The browser side (WebCrypto key
//! in IndexedDB, the PIN screen) is still to come.

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How recent the ID-porten login must be to set up quick unlock.
pub const FRESH_LOGIN_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnlockAnswer {
    Unlocked,
    WrongPin {
        left: i64,
    },
    /// Log in with ID-porten again.
    Revoked,
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub created: String,
    pub last_used: String,
}

/// Registers this device for quick unlock: its public key (P-256, SEC1, base64url) and a PIN
/// typed twice. Only right after an ID-porten login.
#[server(prefix = "/api/device", endpoint = "register")]
pub async fn register_device(
    public_key: String,
    pin: String,
    pin_again: String,
    name: Option<String>,
) -> Result<String, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::quick_unlock::{self, NewCredential};
            use crate::backend::{audit, authorize, policy};

            let (state, user) = authorize(policy::can_see_guardian_home).await?;
            let session: Option<(String, i64)> =
                sqlx::query_as("SELECT provider_id, created_at FROM session WHERE id_hash = $1")
                    .bind(&user.session_hash)
                    .fetch_optional(&state.db.pool)
                    .await
                    .context("loading a session")?;
            let Some((provider_id, created_at)) = session else {
                return Err(AppError::Unauthenticated);
            };
            if crate::backend::repo::now() - created_at > FRESH_LOGIN_SECS {
                return Err(AppError::invalid("unlock.error.fresh_login"));
            }
            quick_unlock::check_pin(&pin, &pin_again).map_err(|p| AppError::invalid(p.key()))?;
            if !quick_unlock::valid_public_key(&public_key) {
                return Err(AppError::invalid("unlock.error.device"));
            }
            let name: String = name
                .map(|n| n.trim().chars().take(60).collect::<String>())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "Enhet".to_owned());
            let pin_hash = quick_unlock::hash_pin(pin)
                .await
                .map_err(|e| AppError::internal("hashing a PIN", &e))?;
            let id = quick_unlock::register(
                &state.db,
                &NewCredential {
                    person_id: &user.person_id,
                    municipality_id: &user.municipality_id,
                    name: &name,
                    public_key: &public_key,
                    pin_hash: &pin_hash,
                    provider_id: &provider_id,
                },
            )
            .await
            .context("registering a device")?;
            audit::record(
                &state.db,
                Some(&user.person_id),
                "device_registered",
                Some(&id),
                None,
            )
            .await
            .context("recording an audit event")?;
            Ok(id)
        }
        .await,
    )
}

/// A one-time challenge for the device to sign: (challenge id, challenge).
#[server(prefix = "/api/device", endpoint = "challenge")]
pub async fn unlock_challenge(credential_id: String) -> Result<(String, String), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            let state = crate::backend::state()?;
            crate::backend::quick_unlock::challenge(&state.db, &credential_id)
                .await
                .context("making an unlock challenge")
        }
        .await,
    )
}

/// Unlocks with the device's signature over the challenge and the PIN; on success the session
/// cookie is set.
#[server(prefix = "/api/device", endpoint = "unlock")]
pub async fn unlock_device(
    credential_id: String,
    challenge_id: String,
    signature: String,
    pin: String,
) -> Result<UnlockAnswer, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::identity::session::{self, NewSession};
            use crate::backend::quick_unlock::{self, Unlock};
            use crate::backend::{audit, state};
            use crate::domain::Audience;

            let state = state()?;
            let outcome =
                quick_unlock::unlock(&state.db, &credential_id, &challenge_id, &signature, &pin)
                    .await
                    .context("checking an unlock")?;
            Ok(match outcome {
                Unlock::Unlocked(c) => {
                    let token = session::create(
                        &state.db,
                        &state.settings.session,
                        &NewSession {
                            person_id: &c.person_id,
                            audience: Audience::Guardian,
                            municipality_id: &c.municipality_id,
                            provider_id: &c.provider_id,
                            idp_sid: None,
                            idp_sub: None,
                            id_token: None,
                        },
                    )
                    .await
                    .context("starting a session")?;
                    if let (Some(options), Ok(value)) = (
                        use_context::<leptos_axum::ResponseOptions>(),
                        axum::http::HeaderValue::from_str(
                            &state.settings.session.set_cookie(&token),
                        ),
                    ) {
                        options.append_header(axum::http::header::SET_COOKIE, value);
                    }
                    audit::record(
                        &state.db,
                        Some(&c.person_id),
                        "device_unlocked",
                        Some(&c.id),
                        None,
                    )
                    .await
                    .context("recording an audit event")?;
                    UnlockAnswer::Unlocked
                }
                Unlock::WrongPin { left } => UnlockAnswer::WrongPin { left },
                Unlock::Revoked => UnlockAnswer::Revoked,
                Unlock::Refused => UnlockAnswer::Refused,
            })
        }
        .await,
    )
}

/// The guardian's devices with quick unlock.
#[server(prefix = "/api/device", endpoint = "list")]
pub async fn list_devices() -> Result<Vec<DeviceView>, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::send::time_text;
            use crate::backend::{authorize, policy, quick_unlock};

            let (state, user) = authorize(policy::can_see_guardian_home).await?;
            Ok(quick_unlock::list(&state.db, &user.person_id)
                .await
                .context("listing devices")?
                .into_iter()
                .map(|c| DeviceView {
                    id: c.id,
                    name: c.name,
                    created: time_text(c.created_at),
                    last_used: time_text(c.last_used_at),
                })
                .collect())
        }
        .await,
    )
}

/// Revokes one of the guardian's devices.
#[server(prefix = "/api/device", endpoint = "revoke")]
pub async fn revoke_device(credential_id: String) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::{audit, authorize, policy, quick_unlock};

            let (state, user) = authorize(policy::can_see_guardian_home).await?;
            let mine = quick_unlock::list(&state.db, &user.person_id)
                .await
                .context("listing devices")?
                .into_iter()
                .any(|c| c.id == credential_id);
            if !mine {
                return Err(AppError::NotFound);
            }
            quick_unlock::revoke(&state.db, &credential_id)
                .await
                .context("revoking a device")?;
            audit::record(
                &state.db,
                Some(&user.person_id),
                "device_revoked",
                Some(&credential_id),
                None,
            )
            .await
            .context("recording an audit event")?;
            Ok(())
        }
        .await,
    )
}
