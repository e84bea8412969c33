//! Quick unlock over HTTP: the PIN without the device key fails, the device key without the PIN
//! fails, both together start a session; five wrong PINs revoke the device; no PIN in any log
//! line or column.

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer;
use support::browser::{Browser, log_in};
use support::{Engine, TestApp};

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

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

async fn call(
    app: &TestApp,
    browser: &mut Browser,
    path: &str,
    pairs: &[(&str, &str)],
) -> (u16, String) {
    let res = browser
        .post_form(&app.public(path), &form(pairs), "same-origin")
        .await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// A fresh challenge signed with `key`, then the unlock with `pin`: the JSON answer.
async fn unlock(
    app: &TestApp,
    browser: &mut Browser,
    id: &str,
    key: &SigningKey,
    pin: &str,
) -> String {
    let (status, body) = call(
        app,
        browser,
        "/api/device/challenge",
        &[("credential_id", id)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (challenge_id, challenge): (String, String) = serde_json::from_str(&body).unwrap();
    let signature: p256::ecdsa::Signature = key.sign(challenge.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(signature.to_bytes());
    call(
        app,
        browser,
        "/api/device/unlock",
        &[
            ("credential_id", id),
            ("challenge_id", &challenge_id),
            ("signature", &signature),
            ("pin", pin),
        ],
    )
    .await
    .1
}

async fn a_device_needs_both_its_key_and_the_pin_and_five_wrong_pins_revoke_it(engine: Engine) {
    let app = TestApp::spawn(engine, true).await;
    let mut kari = Browser::new();
    log_in(&app, &mut kari, "guardian", ("pid", "12848510058")).await;
    let (key, public) = device();
    let (status, body) = call(
        &app,
        &mut kari,
        "/api/device/register",
        &[
            ("public_key", &public),
            ("pin", "1234"),
            ("pin_again", "1234"),
        ],
    )
    .await;
    assert_eq!(status, 400, "a trivial PIN is refused: {body}");
    let (status, body) = call(
        &app,
        &mut kari,
        "/api/device/register",
        &[
            ("public_key", &public),
            ("pin", "2580"),
            ("pin_again", "2580"),
            ("name", "Karis telefon"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();

    // A new browser: no session, only the device key.
    let mut device_browser = Browser::new();
    let (other, _) = device();
    assert_eq!(
        unlock(&app, &mut device_browser, &id, &other, "2580").await,
        "\"Refused\""
    );
    assert!(
        unlock(&app, &mut device_browser, &id, &key, "2581")
            .await
            .contains("WrongPin")
    );
    assert!(!device_browser.cookies.contains_key("ranselpost_session"));
    assert_eq!(
        unlock(&app, &mut device_browser, &id, &key, "2580").await,
        "\"Unlocked\""
    );
    let home = device_browser.get(&app.public("/hjem")).await;
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("Hei, Kari Nordmann"));

    let devices = call(&app, &mut kari, "/api/device/list", &[]).await.1;
    assert!(devices.contains("Karis telefon"), "{devices}");

    let mut again = Browser::new();
    for _ in 0..4 {
        assert!(
            unlock(&app, &mut again, &id, &key, "0852")
                .await
                .contains("WrongPin")
        );
    }
    assert_eq!(
        unlock(&app, &mut again, &id, &key, "0852").await,
        "\"Revoked\""
    );
    assert_eq!(
        unlock(&app, &mut again, &id, &key, "2580").await,
        "\"Revoked\""
    );

    let columns: Vec<(Option<String>, String)> =
        sqlx::query_as("SELECT pin_hash, public_key FROM device_credential")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for (hash, _) in columns {
        let hash = hash.unwrap();
        assert!(hash.starts_with("$argon2id$") && !hash.contains("2580"));
    }
}

async fn only_a_fresh_login_sets_up_quick_unlock_and_only_for_guardians(engine: Engine) {
    let app = TestApp::spawn(engine, true).await;
    let mut kari = Browser::new();
    log_in(&app, &mut kari, "guardian", ("pid", "12848510058")).await;
    sqlx::query("UPDATE session SET created_at = created_at - 3600")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, public) = device();
    let (status, body) = call(
        &app,
        &mut kari,
        "/api/device/register",
        &[
            ("public_key", &public),
            ("pin", "2580"),
            ("pin_again", "2580"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let mut ingrid = Browser::new();
    log_in(&app, &mut ingrid, "staff", ("subject", "demo-staff-ingrid")).await;
    let (status, _) = call(
        &app,
        &mut ingrid,
        "/api/device/register",
        &[
            ("public_key", &public),
            ("pin", "2580"),
            ("pin_again", "2580"),
        ],
    )
    .await;
    assert_eq!(status, 403);
}

on_both_engines!(
    a_device_needs_both_its_key_and_the_pin_and_five_wrong_pins_revoke_it,
    only_a_fresh_login_sets_up_quick_unlock_and_only_for_guardians
);
