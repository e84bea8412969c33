//! Quick unlock on both engines: both factors needed, failures counted, expiry.

use super::*;
use crate::backend::testing::on_both_engines;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer;

/// A device key, as WebCrypto would make it: (signing key, public key in base64url SEC1).
fn device() -> (SigningKey, String) {
    use rand::RngCore;
    loop {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            let public = key.verifying_key().to_sec1_point(false);
            return (key, URL_SAFE_NO_PAD.encode(public.as_bytes()));
        }
    }
}

fn sign(key: &SigningKey, challenge: &str) -> String {
    let signature: p256::ecdsa::Signature = key.sign(challenge.as_bytes());
    URL_SAFE_NO_PAD.encode(signature.to_bytes())
}

async fn kari_with_pin(db: &Database, pin: &str) -> (String, SigningKey) {
    crate::backend::demo::seed(db).await.unwrap();
    crate::backend::testid::install(db, "http://localhost:3000")
        .await
        .unwrap();
    let (key, public) = device();
    assert!(valid_public_key(&public));
    let hash = hash_pin(pin.to_owned()).await.unwrap();
    let id = register(
        db,
        &NewCredential {
            person_id: "demo-person-kari",
            municipality_id: "4601",
            name: "Karis telefon",
            public_key: &public,
            pin_hash: &hash,
            provider_id: "testid-4601-guardian",
        },
    )
    .await
    .unwrap();
    (id, key)
}

async fn try_pin(db: &Database, id: &str, key: &SigningKey, pin: &str) -> Unlock {
    let (challenge_id, challenge) = challenge(db, id).await.unwrap();
    unlock(db, id, &challenge_id, &sign(key, &challenge), pin)
        .await
        .unwrap()
}

async fn the_pin_without_the_device_key_and_the_key_without_the_pin_both_fail(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    let (other_key, _) = device();
    // Every answer, right or wrong, takes at least the minimum time, so the time taken does
    // not tell whether the PIN was right.
    let timed = |key: SigningKey, pin: &'static str| {
        let (db, id) = (db.clone(), id.clone());
        async move {
            let started = std::time::Instant::now();
            let outcome = try_pin(&db, &id, &key, pin).await;
            let took = started.elapsed();
            assert!(took >= MIN_ANSWER, "{outcome:?} took {took:?}");
            outcome
        }
    };
    assert_eq!(timed(other_key, "2580").await, Unlock::Refused);
    assert_eq!(
        timed(key.clone(), "2581").await,
        Unlock::WrongPin { left: 4 }
    );
    assert!(matches!(
        timed(key.clone(), "2580").await,
        Unlock::Unlocked(c) if c.person_id == "demo-person-kari"
    ));
    // A challenge works once.
    let (challenge_id, challenge) = challenge(&db, &id).await.unwrap();
    let signature = sign(&key, &challenge);
    assert!(matches!(
        unlock(&db, &id, &challenge_id, &signature, "2580")
            .await
            .unwrap(),
        Unlock::Unlocked(_)
    ));
    assert_eq!(
        unlock(&db, &id, &challenge_id, &signature, "2580")
            .await
            .unwrap(),
        Unlock::Refused
    );
    // The PIN is nowhere in clear.
    let (hash,): (String,) = sqlx::query_as("SELECT pin_hash FROM device_credential")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("2580"));
}

async fn five_wrong_pins_revoke_the_credential(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    for left in (1..=4).rev() {
        assert_eq!(
            try_pin(&db, &id, &key, "0852").await,
            Unlock::WrongPin { left }
        );
    }
    assert_eq!(try_pin(&db, &id, &key, "0852").await, Unlock::Revoked);
    // Even the right PIN no longer works: ID-porten again.
    assert_eq!(try_pin(&db, &id, &key, "2580").await, Unlock::Revoked);
    assert!(list(&db, "demo-person-kari").await.unwrap().is_empty());
}

async fn a_credential_unused_for_90_days_expires(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    sqlx::query("UPDATE device_credential SET last_used_at = $1")
        .bind(now_ms() - UNUSED_LIMIT_MS - 1000)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(try_pin(&db, &id, &key, "2580").await, Unlock::Revoked);
}

async fn old_challenges_are_cleared_when_new_ones_are_made(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    let (old, _) = challenge(&db, &id).await.unwrap();
    sqlx::query("UPDATE unlock_challenge SET created_at = created_at - $1")
        .bind(KEEP_CHALLENGES_MS + 1)
        .execute(&db.pool)
        .await
        .unwrap();
    assert!(matches!(
        try_pin(&db, &id, &key, "2580").await,
        Unlock::Unlocked(_)
    ));
    let left: Vec<String> = sqlx::query_scalar("SELECT id FROM unlock_challenge")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert!(!left.contains(&old));
}

on_both_engines!(
    old_challenges_are_cleared_when_new_ones_are_made,
    the_pin_without_the_device_key_and_the_key_without_the_pin_both_fail,
    five_wrong_pins_revoke_the_credential,
    a_credential_unused_for_90_days_expires
);

#[test]
fn trivial_and_mistyped_pins_are_refused() {
    for pin in [
        "0000", "1111", "1234", "6789", "9876", "3210", "1212", "4545",
    ] {
        assert_eq!(check_pin(pin, pin), Err(PinProblem::Trivial), "{pin}");
    }
    assert_eq!(check_pin("123", "123"), Err(PinProblem::Format));
    assert_eq!(check_pin("12a4", "12a4"), Err(PinProblem::Format));
    assert_eq!(check_pin("2580", "2508"), Err(PinProblem::Mismatch));
    assert_eq!(check_pin("2580", "2580"), Ok(()));
    assert_eq!(check_pin("1357", "1357"), Ok(()));
}
