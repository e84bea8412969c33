//! Quick unlock with a 4-digit PIN on a known device. The PIN alone is never enough: the device
//! holds a non-extractable P-256 key (WebCrypto, in IndexedDB) and must sign a fresh one-time
//! challenge; only the key's public half and an argon2id hash of the PIN are stored. Failures
//! are counted per credential on the server: after five wrong PINs it is revoked and ID-porten
//! is required again (NIST SP 800-63B-4 allows at most ten). A credential unused for 90 days
//! expires.

use super::Database;
use super::limits::hashing::{Busy, HashPermit, HashSlots, Memory};
use super::messaging::now_ms;
use super::repo::{new_id, row_struct};
use crate::backend::sql;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Wrong PINs before a credential is revoked.
pub const MAX_FAILURES: i64 = 5;
/// A credential not used for this long expires.
pub const UNUSED_LIMIT_MS: i64 = 90 * 24 * 3600 * 1000;
/// A challenge must be signed within this time.
const CHALLENGE_MS: i64 = 2 * 60 * 1000;
/// Every unlock answer takes at least this long, so timing tells nothing about the PIN (nor,
/// without the device key, whether the credential exists).
const MIN_ANSWER: std::time::Duration = std::time::Duration::from_millis(400);
/// Every challenge takes at least this long, so timing does not tell whether the credential
/// exists (only then is the challenge stored).
const MIN_CHALLENGE: std::time::Duration = std::time::Duration::from_millis(100);

/// Why a PIN cannot be chosen (an i18n key each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    Format,
    Mismatch,
    Trivial,
}

impl PinProblem {
    pub fn key(self) -> &'static str {
        match self {
            PinProblem::Format => "unlock.error.format",
            PinProblem::Mismatch => "unlock.error.mismatch",
            PinProblem::Trivial => "unlock.error.trivial",
        }
    }
}

/// A PIN is four digits, typed the same twice, and not one anybody would guess first: no
/// repeated digit (0000), no straight run (1234, 9876), no repeated pair (1212).
pub fn check_pin(pin: &str, again: &str) -> Result<(), PinProblem> {
    let digits: Vec<u8> = pin.bytes().collect();
    if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(PinProblem::Format);
    }
    if pin != again {
        return Err(PinProblem::Mismatch);
    }
    let steps: Vec<i16> = digits.windows(2).map(|w| i16::from(w[1]) - i16::from(w[0])).collect();
    let same = steps.iter().all(|s| *s == 0);
    let run = steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1);
    let pairs = digits[0] == digits[2] && digits[1] == digits[3];
    if same || run || pairs {
        return Err(PinProblem::Trivial);
    }
    Ok(())
}

fn params() -> argon2::Params {
    // OWASP's argon2id recommendation (19 MiB, 2 passes, 1 lane).
    argon2::Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

/// Why a PIN could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("hashing failed: {0}")]
    Failed(String),
}

/// The argon2id PHC string of `pin`, computed in one of the server's hashing slots.
pub async fn hash_pin(slots: &HashSlots, pin: String) -> Result<String, HashError> {
    slots
        .run(move |memory| phc_string(&pin, memory).map_err(|e| e.to_string()))
        .await?
        .unwrap_or_else(|| Err("the hashing task panicked".to_owned()))
        .map_err(HashError::Failed)
}

fn phc_string(pin: &str, memory: &mut Memory) -> argon2::password_hash::Result<String> {
    use argon2::password_hash::{ParamsString, PasswordHash, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params());
    let output = compute(&argon2, pin, salt.as_salt(), argon2::Params::DEFAULT_OUTPUT_LEN, memory)?;
    Ok(PasswordHash {
        algorithm: argon2::Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: ParamsString::try_from(&params())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

/// Whether `pin` matches the PHC string `stored`, checked in the slot `permit` holds.
pub(crate) async fn pin_matches(permit: HashPermit, pin: String, stored: String) -> bool {
    permit.run(move |memory| matches_phc(&pin, &stored, memory)).await.unwrap_or(false)
}

fn matches_phc(pin: &str, stored: &str, memory: &mut Memory) -> bool {
    use argon2::password_hash::PasswordHash;
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        argon2::Algorithm::try_from(parsed.algorithm),
        argon2::Version::try_from(parsed.version.unwrap_or(0x13)),
        argon2::Params::try_from(&parsed),
    ) else {
        return false;
    };
    let argon2 = argon2::Argon2::new(algorithm, version, params);
    // `Output`'s comparison takes the same time wherever the outputs differ.
    compute(&argon2, pin, salt, expected.len(), memory).is_ok_and(|computed| computed == expected)
}

/// The argon2 output of `pin` with `salt`, `len` bytes, worked out in `memory` (grown to what
/// the parameters need, and kept for the next time): what argon2's own `PasswordHasher` does,
/// except that it allocates its memory every time.
fn compute(
    argon2: &argon2::Argon2<'_>,
    pin: &str,
    salt: argon2::password_hash::Salt<'_>,
    len: usize,
    memory: &mut Memory,
) -> argon2::password_hash::Result<argon2::password_hash::Output> {
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    memory.resize(argon2.params().block_count(), argon2::Block::default());
    argon2::password_hash::Output::init_with(len, |out| {
        Ok(argon2.hash_password_into_with_memory(pin.as_bytes(), salt, out, &mut memory[..])?)
    })
}

/// Checks that `public_key` is an uncompressed P-256 point (base64url), as WebCrypto exports it.
pub fn valid_public_key(public_key: &str) -> bool {
    URL_SAFE_NO_PAD
        .decode(public_key)
        .ok()
        .is_some_and(|bytes| p256::ecdsa::VerifyingKey::from_sec1_bytes(&bytes).is_ok())
}

/// A device to register for quick unlock with a PIN.
pub struct NewCredential<'a> {
    pub person_id: &'a str,
    pub municipality_id: &'a str,
    pub name: &'a str,
    pub public_key: &'a str,
    pub pin_hash: &'a str,
    pub provider_id: &'a str,
}

pub async fn register(db: &Database, c: &NewCredential<'_>) -> sqlx::Result<String> {
    let id = new_id();
    let now = now_ms();
    sql::run(
        &db.pool,
        "INSERT INTO device_credential (id, person_id, municipality_id, kind, name, public_key,
                                        pin_hash, provider_id, created_at, last_used_at)
         VALUES ($1, $2, $3, 'pin', $4, $5, $6, $7, $8, $8)",
        (&id, c.person_id, c.municipality_id, c.name, c.public_key, c.pin_hash, c.provider_id, now),
    )
    .await?;
    Ok(id)
}

row_struct! {
    /// A registered device as stored, with its failure count.
    pub struct CredentialRow {
        pub id: String,
        pub person_id: String,
        pub municipality_id: String,
        pub name: String,
        pub public_key: String,
        pub pin_hash: Option<String>,
        pub provider_id: String,
        pub failures: i64,
        pub created_at: i64,
        pub last_used_at: i64,
        pub revoked_at: Option<i64>,
        /// `pin` or `webauthn`.
        pub kind: String,
        /// A WebAuthn credential's passkey (JSON).
        pub passkey: Option<String>,
    }
}

const SELECT: &str =
    "SELECT id, person_id, municipality_id, name, public_key, pin_hash, provider_id, failures,
            created_at, last_used_at, revoked_at, kind, passkey FROM device_credential";

/// A live credential: not revoked and used within 90 days (an expired one is revoked now).
pub async fn live(db: &Database, id: &str) -> sqlx::Result<Option<CredentialRow>> {
    let row: Option<CredentialRow> =
        sql::opt(&db.pool, &format!("{SELECT} WHERE id = $1"), (id,)).await?;
    match row {
        Some(r) if r.revoked_at.is_none() && now_ms() - r.last_used_at > UNUSED_LIMIT_MS => {
            revoke(db, &r.id).await?;
            Ok(None)
        }
        Some(r) if r.revoked_at.is_none() => Ok(Some(r)),
        _ => Ok(None),
    }
}

/// A person's live credentials, newest first.
pub async fn list(db: &Database, person_id: &str) -> sqlx::Result<Vec<CredentialRow>> {
    let cutoff = now_ms() - UNUSED_LIMIT_MS;
    sql::all(
        &db.pool,
        &format!(
            "{SELECT} WHERE person_id = $1 AND revoked_at IS NULL AND last_used_at >= $2
         ORDER BY created_at DESC"
        ),
        (person_id, cutoff),
    )
    .await
}

/// Revokes `credential_id` if it is one of `person_id`'s live devices (and records that they
/// did); whether it was.
pub async fn revoke_own(db: &Database, person_id: &str, credential_id: &str) -> sqlx::Result<bool> {
    let mine = list(db, person_id).await?.into_iter().any(|c| c.id == credential_id);
    if mine {
        revoke(db, credential_id).await?;
        crate::backend::audit::record(
            db,
            Some(person_id),
            "device_revoked",
            Some(credential_id),
            None,
        )
        .await?;
    }
    Ok(mine)
}

/// Revokes a credential and ends everything opened through it: the sessions it unlocked and
/// what they made ([`crate::backend::access::end_what_device_opened`]), all at once.
pub async fn revoke(db: &Database, id: &str) -> sqlx::Result<()> {
    let at = now_ms();
    let mut tx = db.pool.begin().await?;
    sql::run(
        &mut *tx,
        "UPDATE device_credential SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        (id, at),
    )
    .await?;
    crate::backend::access::end_what_device_opened(&mut tx, id, at).await?;
    // The device gets no more notices either.
    sql::run(&mut *tx, "DELETE FROM push_subscription WHERE device_credential_id = $1", (id,))
        .await?;
    tx.commit().await
}

/// Challenges and WebAuthn ceremonies are kept this long (long after they can be used), then
/// cleared as new ones are made.
const KEEP_CHALLENGES_MS: i64 = 24 * 3600 * 1000;

/// Clears challenges and ceremonies older than [`KEEP_CHALLENGES_MS`].
pub(super) async fn clear_old_challenges(db: &Database) -> sqlx::Result<()> {
    let cutoff = now_ms() - KEEP_CHALLENGES_MS;
    for table in ["unlock_challenge", "webauthn_ceremony"] {
        sql::run(&db.pool, &format!("DELETE FROM {table} WHERE created_at < $1"), (cutoff,))
            .await?;
    }
    Ok(())
}

/// A fresh challenge for a credential: `(challenge id, challenge)`. An unknown or revoked
/// credential gets one too (that is never accepted), in the same time, so the answer does not
/// tell which exist.
pub async fn challenge(db: &Database, credential_id: &str) -> sqlx::Result<(String, String)> {
    let started = tokio::time::Instant::now();
    let id = new_id();
    let challenge = super::identity::session::random_token();
    if live(db, credential_id).await?.is_some() {
        // Only requests for a live credential write, so a flood with made-up ids writes nothing.
        clear_old_challenges(db).await?;
        sql::run(
            &db.pool,
            "INSERT INTO unlock_challenge (id, credential_id, challenge, created_at)
             VALUES ($1, $2, $3, $4)",
            (&id, credential_id, &challenge, now_ms()),
        )
        .await?;
    }
    tokio::time::sleep_until(started + MIN_CHALLENGE).await;
    Ok((id, challenge))
}

/// What an unlock attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unlock {
    /// Both the device's signature and the PIN were right.
    Unlocked(Box<CredentialRow>),
    /// The signature was right and the PIN wrong; `left` attempts remain.
    WrongPin { left: i64 },
    /// The signature was right, and the credential is now revoked: too many wrong PINs (this
    /// one, or others at the same time). Log in with ID-porten.
    Revoked,
    /// Anything else, all alike: no valid signature over a fresh challenge from this device, or
    /// no such live credential. Whoever does not hold the device key learns nothing more.
    Refused,
}

/// Why an unlock could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Every hashing slot is taken; nothing was counted.
    #[error(transparent)]
    Busy(#[from] Busy),
}

/// Checks an unlock: the signature (raw r‖s, base64url) of the challenge with the device key,
/// and the PIN. Takes at least [`MIN_ANSWER`] whatever the outcome.
pub async fn unlock(
    db: &Database,
    slots: &HashSlots,
    credential_id: &str,
    challenge_id: &str,
    signature: &str,
    pin: &str,
) -> Result<Unlock, UnlockError> {
    let started = tokio::time::Instant::now();
    // One block, so every `return` below still waits out the minimum time.
    let outcome: Result<Unlock, UnlockError> = async {
        // An unknown or revoked credential has no challenge to use: refused without a write, so a
        // flood of made-up ids costs one read each.
        let Some(credential) = live(db, credential_id).await?.filter(|c| c.kind == "pin") else {
            return Ok(Unlock::Refused);
        };
        let Some(pin_hash) = credential.pin_hash.clone() else {
            return Ok(Unlock::Refused);
        };
        // The challenge is used up whatever happens next, in one statement: two requests with one
        // challenge cannot both get past here.
        let challenge: Option<(String, i64)> = sql::opt(
            &db.pool,
            "UPDATE unlock_challenge SET used_at = $3
             WHERE id = $1 AND credential_id = $2 AND used_at IS NULL
             RETURNING challenge, created_at",
            (challenge_id, credential_id, now_ms()),
        )
        .await?;
        let Some((challenge, created_at)) = challenge else {
            return Ok(Unlock::Refused);
        };
        if now_ms() - created_at > CHALLENGE_MS
            || !signed(&credential.public_key, &challenge, signature)
        {
            return Ok(Unlock::Refused);
        }
        // From here on the caller holds the device key. No PIN is checked without a hashing slot,
        // and none without being counted first: the count goes up (in one statement, so attempts
        // at the same time each get their own number) before the PIN is looked at, and a
        // credential at the limit is not checked at all.
        let permit = slots.acquire().await?;
        let Some(failures) = count_attempt(db, &credential.id).await? else {
            revoke(db, &credential.id).await?;
            return Ok(Unlock::Revoked);
        };
        if pin_matches(permit, pin.to_owned(), pin_hash).await {
            let reset = sql::run(
                &db.pool,
                "UPDATE device_credential SET failures = 0, last_used_at = $2
                 WHERE id = $1 AND revoked_at IS NULL",
                (&credential.id, now_ms()),
            )
            .await?
            .rows_affected();
            // Revoked meanwhile by wrong PINs at the same time: the right one comes too late.
            return Ok(if reset == 1 {
                Unlock::Unlocked(Box::new(credential))
            } else {
                Unlock::Revoked
            });
        }
        if failures >= MAX_FAILURES {
            revoke(db, &credential.id).await?;
            return Ok(Unlock::Revoked);
        }
        Ok(Unlock::WrongPin { left: MAX_FAILURES - failures })
    }
    .await;
    tokio::time::sleep_until(started + MIN_ANSWER).await;
    outcome
}

/// Counts an attempt on a live credential below the limit: its number (1 to
/// [`MAX_FAILURES`]), or `None` when the credential is at the limit or revoked.
async fn count_attempt(db: &Database, credential_id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE device_credential SET failures = failures + 1
         WHERE id = $1 AND revoked_at IS NULL AND failures < $2
         RETURNING failures",
    )
    .bind(credential_id)
    .bind(MAX_FAILURES)
    .fetch_optional(&db.pool)
    .await
}

/// Whether the credential is still live (not revoked). A session it unlocked is checked again
/// with this after it was stored: a revocation at the same moment either sees the session (and
/// ends it) or is seen here.
pub async fn still_live(db: &Database, credential_id: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT id FROM device_credential WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(credential_id)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

/// Whether `signature` (raw r‖s, base64url, as WebCrypto's ECDSA P-256/SHA-256 gives it) signs
/// the challenge's bytes (its UTF-8 text) with `public_key`.
pub(crate) fn signed(public_key: &str, challenge: &str, signature: &str) -> bool {
    use p256::ecdsa::signature::Verifier;
    let (Ok(key), Ok(sig)) =
        (URL_SAFE_NO_PAD.decode(public_key), URL_SAFE_NO_PAD.decode(signature))
    else {
        return false;
    };
    let (Ok(key), Ok(sig)) = (
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&key),
        p256::ecdsa::Signature::from_slice(&sig),
    ) else {
        return false;
    };
    key.verify(challenge.as_bytes(), &sig).is_ok()
}

pub mod enroll;
pub mod passkey;
#[cfg(test)]
mod tests;
