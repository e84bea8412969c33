//! Quick unlock over HTTP: the PIN without the device key fails, the device key without the PIN
//! fails, both together start a session; five wrong PINs revoke the device; no PIN in any log
//! line or column.

mod support;

use p256::ecdsa::SigningKey;
use support::browser::Browser;
use support::device::{device_key as device, pairs, pairs as form, sign};
use support::personas::{INGRID, KARI, PER};
use support::{Engine, TestApp};

async fn call(
    app: &TestApp,
    browser: &mut Browser,
    path: &str,
    pairs: &[(&str, &str)],
) -> (u16, String) {
    let res = browser.post_form(&app.public(path), &form(pairs), "same-origin").await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// Moves every login an hour back: no longer fresh enough to set up quick unlock.
const AN_HOUR_AGO: &str =
    "UPDATE session SET created_at = created_at - 3600, authenticated_at = authenticated_at - 3600";

/// A fresh challenge signed with `key`, then the unlock with `pin`: the JSON answer.
async fn unlock(
    app: &TestApp,
    browser: &mut Browser,
    id: &str,
    key: &SigningKey,
    pin: &str,
) -> String {
    let (status, body) =
        call(app, browser, "/api/device/challenge", &[("credential_id", id)]).await;
    assert_eq!(status, 200, "{body}");
    let (challenge_id, challenge): (String, String) = serde_json::from_str(&body).unwrap();
    let signature = sign(key, &challenge);
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
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let (key, public) = device();
    let (status, body) = try_register(&app, &mut kari, &public, "1234", None).await;
    assert_eq!(status, 400, "a trivial PIN is refused: {body}");
    let (status, body) =
        try_register(&app, &mut kari, &public, "2580", Some("Karis telefon")).await;
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();

    // A new browser: no session, only the device key.
    let mut device_browser = Browser::new();
    let (other, _) = device();
    assert_eq!(unlock(&app, &mut device_browser, &id, &other, "2580").await, "\"Refused\"");
    assert!(unlock(&app, &mut device_browser, &id, &key, "2581").await.contains("WrongPin"));
    assert!(!device_browser.cookies.contains_key("ranselpost_session"));
    assert_eq!(unlock(&app, &mut device_browser, &id, &key, "2580").await, "\"Unlocked\"");
    let home = device_browser.get(&app.public("/hjem")).await;
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("Hei, Kari Nordmann"));

    let devices = call(&app, &mut kari, "/api/device/status", &[]).await.1;
    assert!(devices.contains("Karis telefon"), "{devices}");

    let mut again = Browser::new();
    for _ in 0..4 {
        assert!(unlock(&app, &mut again, &id, &key, "0852").await.contains("WrongPin"));
    }
    assert_eq!(unlock(&app, &mut again, &id, &key, "0852").await, "\"Revoked\"");
    // Afterwards the device is answered as an unknown one would be.
    assert_eq!(unlock(&app, &mut again, &id, &key, "2580").await, "\"Refused\"");

    let columns: Vec<(Option<String>, String)> =
        app.all("SELECT pin_hash, public_key FROM device_credential").await;
    for (hash, _) in columns {
        let hash = hash.unwrap();
        assert!(hash.starts_with("$argon2id$") && !hash.contains("2580"));
    }
}

async fn only_a_fresh_login_sets_up_quick_unlock_and_only_for_guardians(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    app.run(AN_HOUR_AGO).await;
    let (_, public) = device();
    let (status, body) = try_register(&app, &mut kari, &public, "2580", None).await;
    assert_eq!(status, 400, "{body}");
    let mut ingrid = app.logged_in(INGRID).await;
    let (status, _) = try_register(&app, &mut ingrid, &public, "2580", None).await;
    assert_eq!(status, 403);
}

/// Asks to register a PIN device (the PIN typed the same twice): the status and the body.
async fn try_register(
    app: &TestApp,
    browser: &mut Browser,
    public_key: &str,
    pin: &str,
    name: Option<&str>,
) -> (u16, String) {
    let mut pairs = vec![("public_key", public_key), ("pin", pin), ("pin_again", pin)];
    pairs.extend(name.map(|n| ("name", n)));
    call(app, browser, "/api/device/register", &pairs).await
}

/// Registers a PIN device for the logged-in `browser`: (key, credential id).
async fn register(app: &TestApp, browser: &mut Browser) -> (SigningKey, String) {
    let (key, public) = device();
    let (status, body) = try_register(app, browser, &public, "2580", None).await;
    assert_eq!(status, 200, "{body}");
    (key, serde_json::from_str(&body).unwrap())
}

/// Kari logs in with ID-porten, sets up a device with PIN 2580, and unlocks a second browser
/// (her phone) with it: (her browser, the phone, the device key, the device id).
async fn kari_and_her_unlocked_phone(
    app: &TestApp,
) -> (Browser, Browser, p256::ecdsa::SigningKey, String) {
    let mut kari = app.logged_in(KARI).await;
    let (key, id) = register(app, &mut kari).await;
    let mut phone = Browser::new();
    assert_eq!(unlock(app, &mut phone, &id, &key, "2580").await, "\"Unlocked\"");
    (kari, phone, key, id)
}

async fn a_quick_unlocked_session_cannot_set_up_devices_and_ends_when_its_device_is_revoked(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let (mut kari, mut phone, _, id) = kari_and_her_unlocked_phone(&app).await;
    // Setting up a device changes who has access: a PIN-unlocked session may not.
    let (_, public) = device();
    let (status, body) = try_register(&app, &mut phone, &public, "3691", None).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = call(&app, &mut phone, "/api/device/status", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"fresh\":false"), "{body}");
    let res = phone
        .post_json(
            &app.public("/api/device/passkey/register/begin"),
            &serde_json::json!({ "name": "Nettbrett" }),
        )
        .await;
    assert_eq!(res.status(), 400);

    // Revoking the device from the ID-porten session ends the session it unlocked.
    let (status, body) =
        call(&app, &mut kari, "/api/device/revoke", &[("credential_id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(phone.get(&app.public("/hjem")).await.status(), 302);
    assert_eq!(kari.get(&app.public("/hjem")).await.status(), 200);
}

/// Asks for a calendar address: where the browser is sent.
async fn make_calendar(app: &TestApp, browser: &mut Browser) -> String {
    let res = browser.post(app, "/api/activities/calendar", &[("action", "create")]).await;
    assert_eq!(res.status(), 302);
    support::browser::location(&res)
}

async fn feed_status(app: &TestApp, token: &str) -> u16 {
    app.client
        .get(app.public(&format!("/kalender/{token}.ics")))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn a_calendar_address_needs_a_fresh_id_porten_login_and_ends_with_the_device_that_made_it(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let (mut kari, mut phone, _, id) = kari_and_her_unlocked_phone(&app).await;

    // A calendar address works without a session: a quick-unlocked one may not make it, and
    // the page says why and offers the ID-porten login.
    let page = phone.text(&app, "/aktiviteter").await;
    assert!(
        page.contains("rett etter at du har logget inn med ID-porten")
            && page.contains("href=\"/auth/login/4601/guardian?fersk=1\"")
            && !page.contains("value=\"create\""),
        "{page}"
    );
    let back = make_calendar(&app, &mut phone).await;
    assert_eq!(back, "/aktiviteter?feil=activity.error.fresh_login");
    let page = phone.text(&app, &back).await;
    assert!(page.contains("i løpet av de siste 15 minuttene"), "{page}");
    let (made,): (i64,) = app.one("SELECT COUNT(*) FROM calendar_feed").await;
    assert_eq!(made, 0);

    // Right after the ID-porten login it may.
    let token = support::browser::make_calendar_address(&app, &mut kari).await;
    assert_eq!(feed_status(&app, &token).await, 200);

    // An address made through the phone (as one could before this rule) ends with the phone;
    // the one made after the ID-porten login does not.
    let through_phone =
        app::backend::day::calendar::create(&app.db, "demo-person-kari", Some(&id)).await.unwrap();
    app.run("UPDATE calendar_feed SET revoked_at = NULL").await;
    assert_eq!(feed_status(&app, &through_phone).await, 200);
    let (status, body) =
        call(&app, &mut kari, "/api/device/revoke", &[("credential_id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(feed_status(&app, &through_phone).await, 404);
    assert_eq!(feed_status(&app, &token).await, 200);

    // An ID-porten login of an hour ago is not fresh either.
    app.run(AN_HOUR_AGO).await;
    assert_eq!(
        make_calendar(&app, &mut kari).await,
        "/aktiviteter?feil=activity.error.fresh_login"
    );
    assert_eq!(feed_status(&app, &token).await, 200, "nothing was replaced");
}

async fn someone_elses_device_cannot_be_revoked(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let (_, id) = register(&app, &mut kari).await;
    let mut per = app.logged_in(PER).await;
    let (status, _) = call(&app, &mut per, "/api/device/revoke", &[("credential_id", &id)]).await;
    assert_eq!(status, 404);
    let (_, body) = call(&app, &mut kari, "/api/device/status", &[]).await;
    assert!(body.contains(&id), "{body}");
}

async fn a_passkey_registration_starts_with_a_platform_authenticator_that_verifies_the_user(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let res = kari
        .post_json(
            &app.public("/api/device/passkey/register/begin"),
            &serde_json::json!({ "name": "Karis telefon" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (ceremony, options): (String, serde_json::Value) = res.json().await.unwrap();
    let public_key = &options["publicKey"];
    let selection = &public_key["authenticatorSelection"];
    assert_eq!(selection["authenticatorAttachment"], "platform");
    assert_eq!(selection["userVerification"], "required");
    assert_eq!(public_key["rp"]["id"], "localhost");
    // The ceremony's state stays on the server, and a forged answer is refused without a device.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webauthn_ceremony WHERE id = $1")
        .bind(&ceremony)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    // A PIN device's id gives options like any other (so that they do not tell which devices
    // exist), but no ceremony to unlock with.
    let (_, id) = register(&app, &mut kari).await;
    let mut phone = Browser::new();
    let res = phone
        .post_json(
            &app.public("/api/device/passkey/unlock/begin"),
            &serde_json::json!({ "credential_id": id }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (ceremony, options): (String, serde_json::Value) = res.json().await.unwrap();
    assert_eq!(options["publicKey"]["userVerification"], "required");
    assert_eq!(options["publicKey"]["allowCredentials"].as_array().unwrap().len(), 1);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webauthn_ceremony WHERE id = $1")
        .bind(&ceremony)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

async fn a_device_revoked_while_its_unlock_is_being_answered_starts_no_session(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let (key, id) = register(&app, &mut kari).await;
    let mut phone = Browser::new();
    let (_, body) =
        call(&app, &mut phone, "/api/device/challenge", &[("credential_id", &id)]).await;
    let (challenge_id, challenge): (String, String) = serde_json::from_str(&body).unwrap();
    let form = pairs(&[
        ("credential_id", &id),
        ("challenge_id", &challenge_id),
        ("signature", &sign(&key, &challenge)),
        ("pin", "2580"),
    ]);
    // The PIN is right; while the answer waits out its minimum time, Kari revokes the device.
    let unlocking = tokio::spawn({
        let url = app.public("/api/device/unlock");
        async move {
            let res = phone.post_form(&url, &form, "same-origin").await;
            (res.text().await.unwrap(), phone)
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let (status, _) = call(&app, &mut kari, "/api/device/revoke", &[("credential_id", &id)]).await;
    assert_eq!(status, 200);
    let (answer, phone) = unlocking.await.unwrap();
    assert_eq!(answer, "\"Revoked\"");
    assert!(!phone.cookies.contains_key("ranselpost_session"));
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM session WHERE device_credential_id = $1")
            .bind(&id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(sessions, 0);
}

/// "Log out and forget this device": the logout form carries the device's id, and the device
/// goes with the session — but only a device of the person logging out.
async fn logging_out_with_forget_device_revokes_only_ones_own_device(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let (_, karis) = register(&app, &mut kari).await;
    let mut per = app.logged_in(PER).await;
    let res = per
        .post_form(&app.public("/auth/logout"), &form(&[("forget_device", &karis)]), "same-origin")
        .await;
    assert_eq!(res.status(), 303);
    let (_, body) = call(&app, &mut kari, "/api/device/status", &[]).await;
    assert!(body.contains(&karis), "Per's logout must not revoke Kari's device: {body}");

    let res = kari
        .post_form(&app.public("/auth/logout"), &form(&[("forget_device", &karis)]), "same-origin")
        .await;
    assert_eq!(res.status(), 303);
    assert!(!kari.cookies.contains_key("ranselpost_session"));
    let revoked: Option<i64> =
        sqlx::query_scalar("SELECT revoked_at FROM device_credential WHERE id = $1")
            .bind(&karis)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(revoked.is_some(), "Kari's own device is revoked with her logout");
}

on_both_engines!(
    logging_out_with_forget_device_revokes_only_ones_own_device,
    a_device_revoked_while_its_unlock_is_being_answered_starts_no_session,
    a_device_needs_both_its_key_and_the_pin_and_five_wrong_pins_revoke_it,
    only_a_fresh_login_sets_up_quick_unlock_and_only_for_guardians,
    a_quick_unlocked_session_cannot_set_up_devices_and_ends_when_its_device_is_revoked,
    someone_elses_device_cannot_be_revoked,
    a_calendar_address_needs_a_fresh_id_porten_login_and_ends_with_the_device_that_made_it,
    a_passkey_registration_starts_with_a_platform_authenticator_that_verifies_the_user
);
