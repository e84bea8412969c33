//! Quick unlock on both engines: both factors needed, failures counted (also when many come at
//! once), single-use challenges, expiry, and a bounded number of hashes at once.

use super::*;
use crate::backend::sql;
use crate::backend::testing::device::{device_key as device, sign};
use crate::backend::testing::on_both_engines;
use p256::ecdsa::SigningKey;

async fn kari_with_pin(db: &Database, pin: &str) -> (String, SigningKey) {
    crate::backend::demo::seed(db).await.unwrap();
    crate::backend::testid::install(db, "http://localhost:3000").await.unwrap();
    let (key, public) = device();
    assert!(valid_public_key(&public));
    let hash = hash_pin(&slots(), pin.to_owned()).await.unwrap();
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

/// Enough hashing slots for every test here, and a patient wait.
fn slots() -> HashSlots {
    HashSlots::new(32, std::time::Duration::from_secs(60))
}

async fn try_pin(db: &Database, id: &str, key: &SigningKey, pin: &str) -> Unlock {
    let (challenge_id, challenge) = challenge(db, id).await.unwrap();
    unlock(db, &slots(), id, &challenge_id, &sign(key, &challenge), pin).await.unwrap()
}

async fn failures_and_revoked(db: &Database, id: &str) -> (i64, bool) {
    let (failures, revoked_at): (i64, Option<i64>) = sql::one(
        &db.pool,
        "SELECT failures, revoked_at FROM device_credential WHERE id = $1",
        (id,),
    )
    .await
    .unwrap();
    (failures, revoked_at.is_some())
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
    assert_eq!(timed(key.clone(), "2581").await, Unlock::WrongPin { left: 4 });
    assert!(matches!(
        timed(key.clone(), "2580").await,
        Unlock::Unlocked(c) if c.person_id == "demo-person-kari"
    ));
    // A challenge works once.
    let (challenge_id, challenge) = challenge(&db, &id).await.unwrap();
    let signature = sign(&key, &challenge);
    assert!(matches!(
        unlock(&db, &slots(), &id, &challenge_id, &signature, "2580").await.unwrap(),
        Unlock::Unlocked(_)
    ));
    assert_eq!(
        unlock(&db, &slots(), &id, &challenge_id, &signature, "2580").await.unwrap(),
        Unlock::Refused
    );
    // The PIN is nowhere in clear.
    let (hash,): (String,) =
        sql::one(&db.pool, "SELECT pin_hash FROM device_credential", ()).await.unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("2580"));
}

async fn five_wrong_pins_revoke_the_credential(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    for left in (1..=4).rev() {
        assert_eq!(try_pin(&db, &id, &key, "0852").await, Unlock::WrongPin { left });
    }
    assert_eq!(try_pin(&db, &id, &key, "0852").await, Unlock::Revoked);
    // Even the right PIN no longer works: ID-porten again. A revoked credential is answered
    // like an unknown one.
    assert_eq!(try_pin(&db, &id, &key, "2580").await, Unlock::Refused);
    assert!(list(&db, "demo-person-kari").await.unwrap().is_empty());
}

/// Twenty unlocks with a wrong PIN at the same moment, each over its own fresh challenge.
async fn wrong_pins_at_once(db: &Database, id: &str, key: &SigningKey, n: usize) -> Vec<Unlock> {
    let mut signed = Vec::new();
    for _ in 0..n {
        let (challenge_id, challenge) = challenge(db, id).await.unwrap();
        signed.push((challenge_id, sign(key, &challenge)));
    }
    let slots = slots();
    futures::future::join_all(
        signed.iter().map(|(challenge_id, signature)| {
            unlock(db, &slots, id, challenge_id, signature, "0852")
        }),
    )
    .await
    .into_iter()
    .map(Result::unwrap)
    .collect()
}

async fn twenty_wrong_pins_at_once_are_counted_one_by_one_and_revoke_after_exactly_five(
    db: Database,
) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    let answers = wrong_pins_at_once(&db, &id, &key, 20).await;
    // Each counted attempt got its own number: 4, 3, 2 and 1 left, then the fifth revoked;
    // the other fifteen found the credential at its limit (Revoked, not checked at all) or
    // already revoked (Refused, as an unknown credential is).
    let mut left: Vec<i64> = answers
        .iter()
        .filter_map(|a| match a {
            Unlock::WrongPin { left } => Some(*left),
            _ => None,
        })
        .collect();
    left.sort_unstable();
    assert_eq!(left, vec![1, 2, 3, 4], "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|a| !matches!(a, Unlock::WrongPin { .. }))
            .all(|a| matches!(a, Unlock::Revoked | Unlock::Refused)),
        "{answers:?}"
    );
    assert!(answers.contains(&Unlock::Revoked), "{answers:?}");
    assert_eq!(failures_and_revoked(&db, &id).await, (5, true));
    // The right PIN afterwards does not unlock.
    assert_eq!(try_pin(&db, &id, &key, "2580").await, Unlock::Refused);
}

async fn a_credential_at_its_limit_is_revoked_without_its_pin_being_checked(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    // Five failures counted, but not yet revoked (as if the server stopped in between).
    sql::run(&db.pool, "UPDATE device_credential SET failures = $1", (MAX_FAILURES,))
        .await
        .unwrap();
    assert_eq!(try_pin(&db, &id, &key, "2580").await, Unlock::Revoked);
    assert_eq!(failures_and_revoked(&db, &id).await, (5, true));
}

async fn a_challenge_unlocks_once_even_when_sent_twenty_times_at_once(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    let (challenge_id, challenge) = challenge(&db, &id).await.unwrap();
    let signature = sign(&key, &challenge);
    let slots = slots();
    let answers = futures::future::join_all(
        (0..20).map(|_| unlock(&db, &slots, &id, &challenge_id, &signature, "2580")),
    )
    .await;
    let unlocked = answers.iter().filter(|a| matches!(a, Ok(Unlock::Unlocked(_)))).count();
    let refused = answers.iter().filter(|a| matches!(a, Ok(Unlock::Refused))).count();
    assert_eq!((unlocked, refused), (1, 19), "{answers:?}");
}

async fn a_pin_waits_for_a_free_hashing_slot_and_is_not_counted_when_none_comes(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    let slots = HashSlots::new(1, std::time::Duration::from_millis(50));
    let taken = slots.acquire().await.unwrap();
    let (challenge_id, first) = challenge(&db, &id).await.unwrap();
    let busy = unlock(&db, &slots, &id, &challenge_id, &sign(&key, &first), "0852").await;
    assert!(matches!(busy, Err(UnlockError::Busy(_))), "{busy:?}");
    assert!(matches!(hash_pin(&slots, "2580".into()).await, Err(HashError::Busy(_))));
    assert_eq!(failures_and_revoked(&db, &id).await, (0, false));
    drop(taken);
    let (challenge_id, fresh) = challenge(&db, &id).await.unwrap();
    assert_eq!(
        unlock(&db, &slots, &id, &challenge_id, &sign(&key, &fresh), "0852").await.unwrap(),
        Unlock::WrongPin { left: 4 }
    );
}

async fn an_unknown_credential_and_a_wrong_signature_are_answered_alike_without_hashing(
    db: Database,
) {
    let (id, _key) = kari_with_pin(&db, "2580").await;
    let (stranger, _) = device();
    // No slot is free: an answer that needed one would be Busy.
    let slots = HashSlots::new(1, std::time::Duration::from_millis(10));
    let _taken = slots.acquire().await.unwrap();
    for credential in [id.as_str(), "no-such-credential"] {
        let (challenge_id, challenge) = challenge(&db, credential).await.unwrap();
        let answer =
            unlock(&db, &slots, credential, &challenge_id, &sign(&stranger, &challenge), "2580")
                .await
                .unwrap();
        assert_eq!(answer, Unlock::Refused, "{credential}");
    }
    assert_eq!(failures_and_revoked(&db, &id).await, (0, false));
}

async fn a_credential_unused_for_90_days_expires(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    sql::run(
        &db.pool,
        "UPDATE device_credential SET last_used_at = $1",
        (now_ms() - UNUSED_LIMIT_MS - 1000,),
    )
    .await
    .unwrap();
    assert_eq!(try_pin(&db, &id, &key, "2580").await, Unlock::Refused);
    assert!(list(&db, "demo-person-kari").await.unwrap().is_empty());
}

async fn old_challenges_are_cleared_when_new_ones_are_made(db: Database) {
    let (id, key) = kari_with_pin(&db, "2580").await;
    let (old, _) = challenge(&db, &id).await.unwrap();
    sql::run(
        &db.pool,
        "UPDATE unlock_challenge SET created_at = created_at - $1",
        (KEEP_CHALLENGES_MS + 1,),
    )
    .await
    .unwrap();
    assert!(matches!(try_pin(&db, &id, &key, "2580").await, Unlock::Unlocked(_)));
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM unlock_challenge").fetch_all(&db.pool).await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(!left.contains(&old));
}

on_both_engines!(
    old_challenges_are_cleared_when_new_ones_are_made,
    the_pin_without_the_device_key_and_the_key_without_the_pin_both_fail,
    five_wrong_pins_revoke_the_credential,
    a_credential_unused_for_90_days_expires,
    twenty_wrong_pins_at_once_are_counted_one_by_one_and_revoke_after_exactly_five,
    a_credential_at_its_limit_is_revoked_without_its_pin_being_checked,
    a_challenge_unlocks_once_even_when_sent_twenty_times_at_once,
    a_pin_waits_for_a_free_hashing_slot_and_is_not_counted_when_none_comes,
    an_unknown_credential_and_a_wrong_signature_are_answered_alike_without_hashing
);

#[tokio::test]
async fn a_pin_hash_is_standard_argon2id_that_argon2s_own_verifier_accepts() {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let hash = hash_pin(&slots(), "2580".into()).await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    let parsed = PasswordHash::new(&hash).unwrap();
    let argon2 = argon2::Argon2::default();
    assert!(argon2.verify_password(b"2580", &parsed).is_ok());
    assert!(argon2.verify_password(b"2581", &parsed).is_err());
    // And ours accepts what argon2 itself wrote (the PINs set before this change).
    let theirs = {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params())
            .hash_password(b"2580", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string()
    };
    let mut memory = Memory::new();
    assert!(matches_phc("2580", &theirs, &mut memory));
    assert!(!matches_phc("2581", &theirs, &mut memory));
    assert!(matches_phc("2580", &hash, &mut memory));
    assert!(!matches_phc("2580", "not a hash", &mut memory));
}

#[test]
fn trivial_and_mistyped_pins_are_refused() {
    for pin in ["0000", "1111", "1234", "6789", "9876", "3210", "1212", "4545"] {
        assert_eq!(check_pin(pin, pin), Err(PinProblem::Trivial), "{pin}");
    }
    assert_eq!(check_pin("123", "123"), Err(PinProblem::Format));
    assert_eq!(check_pin("12a4", "12a4"), Err(PinProblem::Format));
    assert_eq!(check_pin("2580", "2508"), Err(PinProblem::Mismatch));
    assert_eq!(check_pin("2580", "2580"), Ok(()));
    assert_eq!(check_pin("1357", "1357"), Ok(()));
}
