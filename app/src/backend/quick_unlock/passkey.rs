//! Quick unlock with the device's platform authenticator (Touch ID, face recognition, Windows
//! Hello) through WebAuthn. webauthn-rs runs the ceremonies; user verification is required, so
//! the authenticator itself checks the fingerprint, face or device PIN. The server's half of each
//! ceremony is kept in the database between its two requests and used once.

use super::{CredentialRow, Unlock, live};
use crate::backend::Database;
use crate::backend::messaging::now_ms;
use crate::backend::repo::{new_id, row_struct};
use crate::backend::sql;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use webauthn_rs::prelude::{
    AuthenticatorAttachment, CreationChallengeResponse, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
};

/// A ceremony must be finished within this time.
const CEREMONY_MS: i64 = 5 * 60 * 1000;

/// What failed in a WebAuthn ceremony on the server side.
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("webauthn: {0}")]
    Webauthn(#[from] webauthn_rs::prelude::WebauthnError),
    #[error("stored ceremony state: {0}")]
    State(#[from] serde_json::Error),
    #[error("public URL: {0}")]
    Url(String),
}

/// The relying party: the app's public address, whose host is the WebAuthn RP id.
fn relying_party(public_url: &str) -> Result<Webauthn, PasskeyError> {
    let origin = Url::parse(public_url).map_err(|e| PasskeyError::Url(e.to_string()))?;
    let host = origin
        .host_str()
        .ok_or_else(|| PasskeyError::Url(format!("{public_url} has no host")))?
        .to_owned();
    Ok(WebauthnBuilder::new(&host, &origin)?.rp_name("Ranselpost").build()?)
}

/// A stable WebAuthn user handle for a person that does not reveal their id.
fn user_handle(person_id: &str) -> Uuid {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("ranselpost-webauthn-user:{person_id}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(bytes)
}

/// Who starts setting up a passkey, and the device's name.
pub struct Registering<'a> {
    pub person_id: &'a str,
    pub display_name: &'a str,
    pub device_name: &'a str,
}

/// Starts registering a platform credential: `(ceremony id, options for
/// navigator.credentials.create)`. The person's existing credentials are excluded, so one
/// authenticator is registered once.
pub async fn begin_register(
    db: &Database,
    public_url: &str,
    who: &Registering<'_>,
) -> Result<(String, CreationChallengeResponse), PasskeyError> {
    super::clear_old_challenges(db).await?;
    let rp = relying_party(public_url)?;
    let existing: Vec<Passkey> = super::list(db, who.person_id)
        .await?
        .into_iter()
        .filter_map(|c| c.passkey.and_then(|p| serde_json::from_str(&p).ok()))
        .collect();
    let exclude = (!existing.is_empty())
        .then(|| existing.iter().map(|p: &Passkey| p.cred_id().clone()).collect());
    let (mut options, state) = rp.start_passkey_registration(
        user_handle(who.person_id),
        who.display_name,
        who.display_name,
        exclude,
    )?;
    // Quick unlock is for this device: ask for its own authenticator, not a security key or a
    // phone nearby.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.authenticator_attachment = Some(AuthenticatorAttachment::Platform);
    }
    let id = new_id();
    sql::run(
        &db.pool,
        "INSERT INTO webauthn_ceremony (id, kind, person_id, name, state, created_at)
         VALUES ($1, 'register', $2, $3, $4, $5)",
        (&id, who.person_id, who.device_name, serde_json::to_string(&state)?, now_ms()),
    )
    .await?;
    Ok((id, options))
}

row_struct! {
    /// The server's half of a ceremony.
    pub struct Ceremony {
        pub state: String,
        pub name: Option<String>,
        pub person_id: Option<String>,
        pub credential_id: Option<String>,
        pub created_at: i64,
    }
}

/// Uses up a ceremony, if it is unused, fresh and of this kind (and, for a registration, this
/// person's).
async fn take_ceremony(
    db: &Database,
    id: &str,
    kind: &str,
    person_id: Option<&str>,
) -> sqlx::Result<Option<Ceremony>> {
    let row: Option<Ceremony> = sql::opt(
        &db.pool,
        "UPDATE webauthn_ceremony SET used_at = $3
         WHERE id = $1 AND kind = $2 AND used_at IS NULL
         RETURNING state, name, person_id, credential_id, created_at",
        (id, kind, now_ms()),
    )
    .await?;
    Ok(row.filter(|c| {
        let fresh = now_ms() - c.created_at <= CEREMONY_MS;
        fresh && (person_id.is_none() || c.person_id.as_deref() == person_id)
    }))
}

/// Who finishes setting up a passkey, and the login it was made after.
pub struct Registered<'a> {
    pub person_id: &'a str,
    pub municipality_id: &'a str,
    pub provider_id: &'a str,
}

/// Finishes a registration: the new credential's id, or `None` when the ceremony or the
/// authenticator's answer does not hold (unknown, used, expired, someone else's, not verified).
pub async fn finish_register(
    db: &Database,
    public_url: &str,
    ceremony_id: &str,
    answer: &RegisterPublicKeyCredential,
    who: &Registered<'_>,
) -> Result<Option<String>, PasskeyError> {
    let Some(ceremony) = take_ceremony(db, ceremony_id, "register", Some(who.person_id)).await?
    else {
        return Ok(None);
    };
    let state: PasskeyRegistration = serde_json::from_str(&ceremony.state)?;
    let passkey = match relying_party(public_url)?.finish_passkey_registration(answer, &state) {
        Ok(passkey) => passkey,
        Err(e) => {
            tracing::info!(error = %e, "a WebAuthn registration was refused");
            return Ok(None);
        }
    };
    let id = new_id();
    let now = now_ms();
    sql::run(
        &db.pool,
        "INSERT INTO device_credential (id, person_id, municipality_id, kind, name, public_key,
                                        passkey, provider_id, created_at, last_used_at)
         VALUES ($1, $2, $3, 'webauthn', $4, $5, $6, $7, $8, $8)",
        (
            &id,
            who.person_id,
            who.municipality_id,
            ceremony.name.unwrap_or_default(),
            URL_SAFE_NO_PAD.encode(passkey.cred_id().as_ref()),
            serde_json::to_string(&passkey)?,
            who.provider_id,
            now,
        ),
    )
    .await?;
    Ok(Some(id))
}

/// Every start of an unlock takes at least this long, so timing does not tell whether the
/// credential exists (only then is a ceremony stored).
const MIN_BEGIN: std::time::Duration = std::time::Duration::from_millis(100);

/// Starts unlocking with a platform credential: `(ceremony id, options for
/// navigator.credentials.get)`. A credential that is not a live passkey (unknown, revoked, a
/// PIN device's) gets options of the same shape, naming a stand-in credential that no
/// authenticator holds, and a ceremony id that was never stored: finishing it is refused like
/// any wrong answer, and the answer here does not tell which credentials exist.
pub async fn begin_unlock(
    db: &Database,
    public_url: &str,
    credential_id: &str,
) -> Result<(String, RequestChallengeResponse), PasskeyError> {
    let started = tokio::time::Instant::now();
    let rp = relying_party(public_url)?;
    let id = new_id();
    let options = match live_passkey(db, credential_id).await? {
        Some((_, passkey)) => {
            super::clear_old_challenges(db).await?;
            let (options, state) = rp.start_passkey_authentication(&[passkey])?;
            sql::run(
                &db.pool,
                "INSERT INTO webauthn_ceremony (id, kind, credential_id, state, created_at)
                 VALUES ($1, 'authenticate', $2, $3, $4)",
                (&id, credential_id, serde_json::to_string(&state)?, now_ms()),
            )
            .await?;
            options
        }
        None => {
            let secret = crate::backend::repo::secrets::get_or_make(db, "passkey-stand-in").await?;
            rp.start_passkey_authentication(&[stand_in(&secret, credential_id)?])?.0
        }
    };
    tokio::time::sleep_until(started + MIN_BEGIN).await;
    Ok((id, options))
}

/// The credential id lengths of the authenticators guardians' phones and computers hold
/// passkeys in, with how common each is out of 256: Google Password Manager (16 bytes), iCloud
/// Keychain (20), Windows Hello (32), security keys (64). A stand-in takes one of them, so its
/// length does not tell it from a real passkey, whatever device that was made on.
pub(crate) const STAND_IN_ID_LENGTHS: [(usize, u16); 4] = [(16, 80), (20, 100), (32, 50), (64, 26)];

/// The transports such an authenticator reports, by credential id length: a synced platform
/// passkey can also be used from another device (hybrid), Windows Hello cannot, a security key
/// is plugged in or tapped.
fn stand_in_transports(id_length: usize) -> &'static [&'static str] {
    match id_length {
        16 | 20 => &["hybrid", "internal"],
        32 => &["internal"],
        _ => &["nfc", "usb"],
    }
}

/// A stand-in's credential id for `credential_id`: the same for the same id and secret, of a
/// length chosen by it from [`STAND_IN_ID_LENGTHS`], unrelated to any real
/// credential.
pub(crate) fn stand_in_id(secret: &[u8], credential_id: &str) -> Vec<u8> {
    use sha2::Digest;
    let block = |counter: u8| {
        let mut digest = sha2::Sha256::new();
        digest.update(secret);
        digest.update([counter]);
        digest.update(credential_id.as_bytes());
        digest.finalize()
    };
    let choice = u16::from(block(0)[0]);
    let mut bound = 0;
    let length = STAND_IN_ID_LENGTHS
        .iter()
        .find(|(_, weight)| {
            bound += weight;
            choice < bound
        })
        .map_or(16, |(length, _)| *length);
    (1..=2).flat_map(block).take(length).collect()
}

/// The stand-in passkey for a credential id that is not a live passkey: the same for the same
/// id (in every process and after a restart: `secret` is the server's stored one), unrelated to
/// any real credential, shaped as a real authenticator's.
fn stand_in(secret: &[u8; 32], credential_id: &str) -> Result<Passkey, PasskeyError> {
    // Any point on the curve does: the key is never used, only the credential id is sent.
    let point = p256::ecdsa::SigningKey::from_slice(&secret[..])
        .map(|k| k.verifying_key().to_sec1_point(false).as_bytes().to_vec())
        .unwrap_or_else(|_| vec![0; 65]);
    let (x, y) = (point.get(1..33), point.get(33..65));
    let id = stand_in_id(&secret[..], credential_id);
    let json = stored_form(&id, x, y, stand_in_transports(id.len()));
    Ok(serde_json::from_value(json)?)
}

/// A P-256 passkey as webauthn-rs stores it after a registration with a user-verifying platform
/// authenticator: no attestation, signature counter 0.
pub(super) fn stored_form(
    credential_id: &[u8],
    x: Option<&[u8]>,
    y: Option<&[u8]>,
    transports: impl serde::Serialize,
) -> serde_json::Value {
    serde_json::json!({ "cred": {
        "cred_id": URL_SAFE_NO_PAD.encode(credential_id),
        "cred": { "type_": "ES256", "key": { "EC_EC2": { "curve": "SECP256R1", "x": x, "y": y } } },
        "counter": 0,
        "transports": transports,
        "user_verified": true,
        "backup_eligible": false,
        "backup_state": false,
        "registration_policy": "required",
        "extensions": { "cred_protect": "NotRequested", "hmac_create_secret": "NotRequested" },
        "attestation": { "data": "None", "metadata": "None" },
        "attestation_format": "none"
    } })
}

async fn live_passkey(
    db: &Database,
    credential_id: &str,
) -> Result<Option<(CredentialRow, Passkey)>, PasskeyError> {
    let Some(row) = live(db, credential_id).await? else {
        return Ok(None);
    };
    let Some(stored) = row.passkey.as_deref().filter(|_| row.kind == "webauthn") else {
        return Ok(None);
    };
    let passkey: Passkey = serde_json::from_str(stored)?;
    Ok(Some((row, passkey)))
}

/// Finishes an unlock: the authenticator's signature over the ceremony's challenge, with the
/// user verified. Whatever does not hold (unknown or used ceremony, a credential gone since, a
/// wrong or replayed answer) is [`Unlock::Refused`], all alike.
pub async fn finish_unlock(
    db: &Database,
    public_url: &str,
    ceremony_id: &str,
    answer: &PublicKeyCredential,
) -> Result<Unlock, PasskeyError> {
    let Some(ceremony) = take_ceremony(db, ceremony_id, "authenticate", None).await? else {
        return Ok(Unlock::Refused);
    };
    let Some(credential_id) = ceremony.credential_id.as_deref() else {
        return Ok(Unlock::Refused);
    };
    let state: PasskeyAuthentication = serde_json::from_str(&ceremony.state)?;
    let result = match relying_party(public_url)?.finish_passkey_authentication(answer, &state) {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(error = %e, "a WebAuthn unlock was refused");
            return Ok(Unlock::Refused);
        }
    };
    // webauthn-rs compared the signature counter with the one stored when the ceremony began;
    // other unlocks may have finished since. The use is recorded only if the counter moves on
    // from the one stored now, and only if nothing else changed the passkey in between (one
    // conditional UPDATE): two answers with the same counter (a cloned authenticator, or a
    // replay racing the original) cannot both unlock.
    for _ in 0..3 {
        let Some((row, mut passkey)) = live_passkey(db, credential_id).await? else {
            return Ok(Unlock::Refused);
        };
        let stored = row.passkey.clone().unwrap_or_default();
        if !counter_moves_on(&stored, result.counter()) {
            tracing::warn!("a WebAuthn unlock repeated a signature counter: refused");
            return Ok(Unlock::Refused);
        }
        passkey.update_credential(&result);
        let recorded = sql::run(
            &db.pool,
            "UPDATE device_credential SET passkey = $3, last_used_at = $4
             WHERE id = $1 AND passkey = $2 AND revoked_at IS NULL",
            (&row.id, &stored, serde_json::to_string(&passkey)?, now_ms()),
        )
        .await?
        .rows_affected();
        if recorded == 1 {
            return Ok(Unlock::Unlocked(Box::new(row)));
        }
    }
    Ok(Unlock::Refused)
}

/// Whether an authenticator's signature counter `counter` moves on from the one in the stored
/// passkey (JSON): it must grow, unless the authenticator keeps none (always 0, as many
/// platform authenticators and synced passkeys do).
fn counter_moves_on(stored_passkey: &str, counter: u32) -> bool {
    // webauthn-rs keeps the stored counter private; its serialised form has it.
    let stored = serde_json::from_str::<serde_json::Value>(stored_passkey)
        .ok()
        .and_then(|v| v["cred"]["counter"].as_u64())
        .unwrap_or(0);
    (counter == 0 && stored == 0) || u64::from(counter) > stored
}

#[cfg(test)]
mod tests;
