//! Setting up a device for quick unlock, right after an ID-porten login (the server function
//! has checked that and names the login's provider): a device key with a PIN, or a passkey.
//! Each new device is recorded in the audit log.

use super::{HashError, NewCredential, check_pin, hash_pin, passkey, register, valid_public_key};
use crate::backend::access::Caller;
use crate::backend::audit;
use crate::error::{AppError, ResultExt};
use webauthn_rs::prelude::RegisterPublicKeyCredential;

/// A device key and the PIN for it, as the browser sends them.
pub struct PinDevice {
    /// The device key's public half: P-256, SEC1, base64url.
    pub public_key: String,
    pub pin: String,
    pub pin_again: String,
    pub name: String,
}

/// Registers `device` for `caller`; the new device's id.
pub async fn with_pin(
    caller: &Caller,
    provider_id: &str,
    device: PinDevice,
) -> Result<String, AppError> {
    let (state, user) = (&caller.state, &caller.user);
    check_pin(&device.pin, &device.pin_again).map_err(|p| AppError::invalid(p.key()))?;
    if !valid_public_key(&device.public_key) {
        return Err(AppError::invalid("unlock.error.device"));
    }
    let pin_hash = hash_pin(state.limits.hashing(), device.pin).await.map_err(|e| match e {
        HashError::Busy(busy) => AppError::busy(busy.retry_after),
        other => AppError::internal("hashing a PIN", &other),
    })?;
    let credential = NewCredential {
        person_id: &user.person_id,
        municipality_id: &user.municipality_id,
        name: &device.name,
        public_key: &device.public_key,
        pin_hash: &pin_hash,
        provider_id,
    };
    let id = register(&state.db, &credential).await.context("registering a device")?;
    recorded(caller, id).await
}

/// Finishes registering a passkey for `caller` from the authenticator's `answer` to ceremony
/// `ceremony_id`; the new device's id.
pub async fn with_passkey(
    caller: &Caller,
    provider_id: &str,
    ceremony_id: &str,
    answer: &RegisterPublicKeyCredential,
) -> Result<String, AppError> {
    let (state, user) = (&caller.state, &caller.user);
    let who = passkey::Registered {
        person_id: &user.person_id,
        municipality_id: &user.municipality_id,
        provider_id,
    };
    let id =
        passkey::finish_register(&state.db, &state.settings.public_url, ceremony_id, answer, &who)
            .await
            .map_err(|e| AppError::internal("finishing a WebAuthn registration", &e))?
            .ok_or_else(|| AppError::invalid("unlock.error.passkey"))?;
    recorded(caller, id).await
}

async fn recorded(caller: &Caller, id: String) -> Result<String, AppError> {
    let person = Some(caller.user.person_id.as_str());
    audit::record(&caller.state.db, person, "device_registered", Some(&id), None)
        .await
        .context("recording an audit event")?;
    Ok(id)
}
