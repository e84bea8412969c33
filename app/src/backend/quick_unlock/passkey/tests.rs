//! Passkey unlocks on both engines, with a software authenticator: the signature counter moves
//! on once however many answers race.

use super::*;
use crate::backend::sql;
use crate::backend::testing::on_both_engines;
use p256::ecdsa::SigningKey;
use sha2::{Digest, Sha256};

const PUBLIC_URL: &str = "http://localhost:3000";

/// A platform authenticator in software: its key and credential id.
struct SoftAuthenticator {
    key: SigningKey,
    cred_id: Vec<u8>,
}

impl SoftAuthenticator {
    fn new() -> Self {
        use rand::RngCore;
        let mut cred_id = vec![0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut cred_id);
        loop {
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            if let Ok(key) = SigningKey::from_slice(&bytes) {
                return SoftAuthenticator { key, cred_id };
            }
        }
    }

    /// The passkey as webauthn-rs stores it after a registration (no attestation, user
    /// verified, signature counter 0).
    fn passkey(&self) -> String {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let (x, y) = (bytes.get(1..33), bytes.get(33..65));
        super::stored_form(&self.cred_id, x, y, ["internal"]).to_string()
    }

    /// The authenticator's answer to `options` (navigator.credentials.get), the user verified,
    /// with signature counter `counter`.
    fn answer(&self, options: &RequestChallengeResponse, counter: u32) -> PublicKeyCredential {
        use p256::ecdsa::signature::Signer;
        let options = serde_json::to_value(options).unwrap();
        let challenge = options["publicKey"]["challenge"].as_str().unwrap();
        let client_data = serde_json::json!({
            "type": "webauthn.get",
            "challenge": challenge,
            "origin": PUBLIC_URL,
            "crossOrigin": false,
        })
        .to_string();
        let mut authenticator_data = Sha256::digest(b"localhost").to_vec();
        // User present and user verified.
        authenticator_data.push(0x05);
        authenticator_data.extend_from_slice(&counter.to_be_bytes());
        let mut signed = authenticator_data.clone();
        signed.extend_from_slice(&Sha256::digest(client_data.as_bytes()));
        let signature: p256::ecdsa::Signature = self.key.sign(&signed);
        serde_json::from_value(serde_json::json!({
            "id": URL_SAFE_NO_PAD.encode(&self.cred_id),
            "rawId": URL_SAFE_NO_PAD.encode(&self.cred_id),
            "response": {
                "authenticatorData": URL_SAFE_NO_PAD.encode(&authenticator_data),
                "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data.as_bytes()),
                "signature": URL_SAFE_NO_PAD.encode(signature.to_der().as_bytes()),
                "userHandle": null,
            },
            "extensions": {},
            "type": "public-key",
        }))
        .unwrap()
    }
}

/// Kari's passkey device: its credential id.
async fn karis_passkey(db: &Database, authenticator: &SoftAuthenticator) -> String {
    crate::backend::demo::seed(db).await.unwrap();
    crate::backend::testid::install(db, PUBLIC_URL).await.unwrap();
    let id = new_id();
    sql::run(
        &db.pool,
        "INSERT INTO device_credential (id, person_id, municipality_id, kind, name, public_key,
                                        passkey, provider_id, created_at, last_used_at)
         VALUES ($1, 'demo-person-kari', '4601', 'webauthn', 'Karis telefon', $2, $3,
                 'testid-4601-guardian', $4, $4)",
        (&id, URL_SAFE_NO_PAD.encode(&authenticator.cred_id), authenticator.passkey(), now_ms()),
    )
    .await
    .unwrap();
    id
}

/// Ceremonies begun now, answered later with `counter`.
async fn answers(
    db: &Database,
    id: &str,
    authenticator: &SoftAuthenticator,
    counter: u32,
    n: usize,
) -> Vec<(String, PublicKeyCredential)> {
    let mut answers = Vec::new();
    for _ in 0..n {
        let (ceremony, options) = begin_unlock(db, PUBLIC_URL, id).await.unwrap();
        answers.push((ceremony, authenticator.answer(&options, counter)));
    }
    answers
}

async fn a_passkey_unlocks_once_per_signature_counter_even_when_twenty_answers_race(db: Database) {
    let authenticator = SoftAuthenticator::new();
    let id = karis_passkey(&db, &authenticator).await;
    // Twenty ceremonies begun while the stored counter is 0, all answered with counter 1: a
    // cloned authenticator, or one answer replayed into other ceremonies at the same moment.
    let racing = answers(&db, &id, &authenticator, 1, 20).await;
    let outcomes = futures::future::join_all(
        racing.iter().map(|(ceremony, answer)| finish_unlock(&db, PUBLIC_URL, ceremony, answer)),
    )
    .await;
    let unlocked = outcomes.iter().filter(|o| matches!(o, Ok(Unlock::Unlocked(_)))).count();
    let refused = outcomes.iter().filter(|o| matches!(o, Ok(Unlock::Refused))).count();
    assert_eq!((unlocked, refused), (1, 19), "{outcomes:?}");
    // The authenticator's next use (counter 2) unlocks; the old counter does not.
    let next = answers(&db, &id, &authenticator, 2, 1).await;
    assert!(matches!(
        finish_unlock(&db, PUBLIC_URL, &next[0].0, &next[0].1).await,
        Ok(Unlock::Unlocked(_))
    ));
    let old = answers(&db, &id, &authenticator, 1, 1).await;
    assert!(matches!(
        finish_unlock(&db, PUBLIC_URL, &old[0].0, &old[0].1).await,
        Ok(Unlock::Refused)
    ));
}

async fn a_ceremony_is_used_once_and_a_revoked_passkey_is_refused_like_an_unknown_one(
    db: Database,
) {
    let authenticator = SoftAuthenticator::new();
    let id = karis_passkey(&db, &authenticator).await;
    let (ceremony, answer) = answers(&db, &id, &authenticator, 0, 1).await.remove(0);
    let outcomes = futures::future::join_all(
        (0..20).map(|_| finish_unlock(&db, PUBLIC_URL, &ceremony, &answer)),
    )
    .await;
    let unlocked = outcomes.iter().filter(|o| matches!(o, Ok(Unlock::Unlocked(_)))).count();
    assert_eq!(unlocked, 1, "{outcomes:?}");
    // Begun while live, finished after a revocation: refused, as an unknown ceremony is.
    let (ceremony, answer) = answers(&db, &id, &authenticator, 0, 1).await.remove(0);
    super::super::revoke(&db, &id).await.unwrap();
    assert!(matches!(
        finish_unlock(&db, PUBLIC_URL, &ceremony, &answer).await,
        Ok(Unlock::Refused)
    ));
    assert!(matches!(
        finish_unlock(&db, PUBLIC_URL, "no-such-ceremony", &answer).await,
        Ok(Unlock::Refused)
    ));
}

/// The shape of a JSON value: its members' names, recursively, and lists' lengths.
fn shape(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::String(s) => Value::from(format!("string of {}", s.len())),
        other => other.clone(),
    }
}

async fn starting_an_unlock_does_not_tell_a_live_passkey_from_an_unknown_or_revoked_device(
    db: Database,
) {
    let authenticator = SoftAuthenticator::new();
    let live = karis_passkey(&db, &authenticator).await;
    let options = |id: String| {
        let db = db.clone();
        async move {
            let (ceremony, options) = begin_unlock(&db, PUBLIC_URL, &id).await.unwrap();
            (ceremony, serde_json::to_value(&options).unwrap())
        }
    };
    let (_, real) = options(live.clone()).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let (stand_in_ceremony, first) = options(unknown.clone()).await;
    let (_, again) = options(unknown).await;
    let (_, other) = options(uuid::Uuid::new_v4().to_string()).await;
    let credential = |o: &serde_json::Value| o["publicKey"]["allowCredentials"][0]["id"].clone();
    // Alike but for the credential id's length and its transports, which are those of some
    // real authenticator.
    let without_id = |o: &serde_json::Value| {
        let mut o = o.clone();
        o["publicKey"]["allowCredentials"][0]["id"] = serde_json::Value::Null;
        o["publicKey"]["allowCredentials"][0]["transports"] = serde_json::Value::Null;
        shape(&o)
    };
    assert_eq!(without_id(&first), without_id(&real), "{first}\n{real}");
    // The same stand-in for the same id; another for another.
    assert_eq!(credential(&first), credential(&again));
    assert_ne!(credential(&first), credential(&other));
    // A revoked passkey looks the same as an unknown one.
    super::super::revoke(&db, &live).await.unwrap();
    let (_, revoked) = options(live).await;
    assert_eq!(without_id(&revoked), without_id(&real));
    assert_ne!(credential(&revoked), credential(&real));
    // No ceremony was stored for a stand-in; finishing one is refused.
    let answer = authenticator.answer(&serde_json::from_value(first).unwrap(), 1);
    assert!(matches!(
        finish_unlock(&db, PUBLIC_URL, &stand_in_ceremony, &answer).await,
        Ok(Unlock::Refused)
    ));
}

#[test]
fn a_stand_in_credential_id_has_the_length_of_a_real_authenticators_and_keeps_it() {
    let secret = [7u8; 32];
    let mut seen = std::collections::BTreeMap::<usize, u32>::new();
    for n in 0..2000 {
        let id = format!("credential-{n}");
        let stand_in = stand_in_id(&secret, &id);
        assert_eq!(stand_in, stand_in_id(&secret, &id), "the same id, the same stand-in");
        *seen.entry(stand_in.len()).or_default() += 1;
    }
    // Every real length appears, about as often as among real passkeys, and nothing else.
    let lengths: Vec<usize> = seen.keys().copied().collect();
    assert_eq!(lengths, STAND_IN_ID_LENGTHS.map(|(l, _)| l));
    for (length, weight) in STAND_IN_ID_LENGTHS {
        let expected = 2000.0 * f64::from(weight) / 256.0;
        let got = f64::from(seen[&length]);
        assert!((got - expected).abs() < expected * 0.3, "{length}: {got} vs {expected}");
    }
    assert_ne!(stand_in_id(&secret, "a"), stand_in_id(&[8u8; 32], "a"));
}

on_both_engines!(
    a_passkey_unlocks_once_per_signature_counter_even_when_twenty_answers_race,
    a_ceremony_is_used_once_and_a_revoked_passkey_is_refused_like_an_unknown_one,
    starting_an_unlock_does_not_tell_a_live_passkey_from_an_unknown_or_revoked_device
);
