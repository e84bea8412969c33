//! Quick unlock with a PIN: the browser keeps a non-extractable P-256 key in IndexedDB and
//! registers its public half with the PIN; unlocking needs the key's signature over a fresh
//! challenge and the PIN.

use super::UnlockAnswer;
use crate::api::AppError;
use leptos::prelude::*;

/// Registers this device for quick unlock: its public key (P-256, SEC1, base64url) and a PIN
/// typed twice. Only right after an ID-porten login.
#[server(prefix = "/api/device", endpoint = "register")]
pub async fn register_device(
    public_key: String,
    pin: String,
    pin_again: String,
    name: Option<String>,
) -> Result<String, AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::quick_unlock::enroll::{self, PinDevice};

        let caller = crate::backend::access::Caller::guardian().await?;
        let provider_id = super::fresh_login(&caller.state, &caller.user).await?;
        let name = super::device_name(name)?;
        let device = PinDevice { public_key, pin, pin_again, name };
        enroll::with_pin(&caller, &provider_id, device).await
    })
    .await
}

/// A one-time challenge for the device to sign: (challenge id, challenge).
#[server(prefix = "/api/device", endpoint = "challenge")]
pub async fn unlock_challenge(credential_id: String) -> Result<(String, String), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        let state = crate::backend::state()?;
        state.limits.check_credential(&credential_id)?;
        crate::backend::quick_unlock::challenge(&state.db, &credential_id)
            .await
            .context("making an unlock challenge")
    })
    .await
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
    crate::api::error::with_status(async move {
        use crate::backend::quick_unlock::{self, UnlockError};
        let state = crate::backend::state()?;
        state.limits.check_credential(&credential_id)?;
        let outcome = quick_unlock::unlock(
            &state.db,
            state.limits.hashing(),
            &credential_id,
            &challenge_id,
            &signature,
            &pin,
        )
        .await
        .map_err(|e| match e {
            UnlockError::Busy(busy) => AppError::busy(busy.retry_after),
            UnlockError::Database(e) => AppError::internal("checking an unlock", &e),
        })?;
        super::answer(&state, outcome).await
    })
    .await
}
