//! Quick unlock with the device's platform authenticator (Touch ID, face recognition): the two
//! WebAuthn ceremonies, each in two requests. The bodies are WebAuthn's JSON forms (binary
//! fields base64url), passed through as JSON values: only the server parses them, so the WASM
//! carries no WebAuthn types of its own.

use super::UnlockAnswer;
use crate::api::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde_json::Value;

/// WebAuthn options as the browser's API takes them: an absent member, never `null` (which
/// the browser refuses for lists and enumerations).
#[cfg(feature = "ssr")]
fn options_json(options: &impl serde::Serialize) -> Result<Value, AppError> {
    fn without_nulls(value: Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k, without_nulls(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
            other => other,
        }
    }
    serde_json::to_value(options)
        .map(without_nulls)
        .map_err(|e| AppError::internal("writing WebAuthn options", &e))
}

/// The authenticator's answer as webauthn-rs reads it; a malformed one is the person's device
/// failing, not ours.
#[cfg(feature = "ssr")]
fn answer_from<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|_| AppError::invalid("unlock.error.passkey"))
}

/// Starts setting up the platform authenticator: (ceremony id, options for
/// `navigator.credentials.create`). Only right after an ID-porten login.
#[server(prefix = "/api/device", endpoint = "passkey/register/begin", input = Json)]
pub async fn passkey_register_begin(name: Option<String>) -> Result<(String, Value), AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::quick_unlock::passkey::{self, Registering};
        let crate::backend::access::Caller { state, user, .. } =
            crate::backend::access::Caller::guardian().await?;
        super::fresh_login(&state, &user).await?;
        let display_name = user.name.to_string();
        let (ceremony, options) = passkey::begin_register(
            &state.db,
            &state.settings.public_url,
            &Registering {
                person_id: &user.person_id,
                display_name: &display_name,
                device_name: &super::device_name(name)?,
            },
        )
        .await
        .map_err(|e| AppError::internal("starting a WebAuthn registration", &e))?;
        Ok((ceremony, options_json(&options)?))
    })
    .await
}

/// Finishes setting up the platform authenticator with its answer; the new device's id.
#[server(prefix = "/api/device", endpoint = "passkey/register/finish", input = Json)]
pub async fn passkey_register_finish(
    ceremony_id: String,
    credential: Value,
) -> Result<String, AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::guardian().await?;
        let provider_id = super::fresh_login(&caller.state, &caller.user).await?;
        let answer = answer_from(credential)?;
        crate::backend::quick_unlock::enroll::with_passkey(
            &caller,
            &provider_id,
            &ceremony_id,
            &answer,
        )
        .await
    })
    .await
}

/// Starts unlocking with the platform authenticator: (ceremony id, options for
/// `navigator.credentials.get`). Always `Some`: a device whose credential is gone gets options
/// that no authenticator answers, as an unknown one does, so the answer tells nothing about
/// which devices exist.
#[server(prefix = "/api/device", endpoint = "passkey/unlock/begin", input = Json)]
pub async fn passkey_unlock_begin(
    credential_id: String,
) -> Result<Option<(String, Value)>, AppError> {
    crate::api::error::with_status(async move {
        let state = crate::backend::state()?;
        state.limits.check_credential(&credential_id)?;
        let started = crate::backend::quick_unlock::passkey::begin_unlock(
            &state.db,
            &state.settings.public_url,
            &credential_id,
        )
        .await
        .map_err(|e| AppError::internal("starting a WebAuthn unlock", &e))?;
        let (ceremony, options) = started;
        Ok(Some((ceremony, options_json(&options)?)))
    })
    .await
}

/// Unlocks with the platform authenticator's answer; on success the session cookie is set.
#[server(prefix = "/api/device", endpoint = "passkey/unlock/finish", input = Json)]
pub async fn passkey_unlock_finish(
    ceremony_id: String,
    credential: Value,
) -> Result<UnlockAnswer, AppError> {
    crate::api::error::with_status(async move {
        let state = crate::backend::state()?;
        let credential = answer_from(credential)?;
        let outcome = crate::backend::quick_unlock::passkey::finish_unlock(
            &state.db,
            &state.settings.public_url,
            &ceremony_id,
            &credential,
        )
        .await
        .map_err(|e| AppError::internal("finishing a WebAuthn unlock", &e))?;
        super::answer(&state, outcome).await
    })
    .await
}
