//! What anyone can make the server do without logging in is bounded: wrong PINs sent at once
//! are counted one by one; PIN checks beyond the hashing slots are refused with 429; every
//! unauthenticated endpoint is rate-limited per client address (from a trusted proxy's header
//! only when one is configured) and quick unlock per credential, with 429 and `Retry-After`;
//! and an unknown device is answered exactly as a live one with a wrong signature.

mod support;

use app::backend::limits::LimitSettings;
use app::backend::sql;
use p256::ecdsa::SigningKey;
use std::time::Duration;
use support::device::{device_key, pairs, sign};
use support::personas::KARI;
use support::{Engine, TestApp};

/// Limits nothing in these tests reaches, unless a test lowers one.
fn generous() -> LimitSettings {
    LimitSettings {
        unlock_per_minute: 10_000,
        credential_per_minute: 10_000,
        login_per_minute: 10_000,
        feed_per_minute: 10_000,
        public_per_minute: 10_000,
        trusted_proxy_header: None,
        trusted_proxies: app::backend::limits::address::loopback(),
        hash_slots: 32,
        hash_wait: Duration::from_secs(60),
    }
}

/// An answer: status, `Retry-After`, whether it set a cookie, and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    retry_after: Option<String>,
    sets_cookie: bool,
    body: String,
}

/// A same-origin form post from a client without cookies, optionally through a proxy that
/// forwards `forwarded_for`.
async fn post(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    forwarded_for: Option<&str>,
) -> Answer {
    let body = form.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let mut req = app
        .client
        .post(app.public(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(body);
    if let Some(address) = forwarded_for {
        req = req.header("x-forwarded-for", address);
    }
    answer(req.send().await.unwrap()).await
}

async fn answer(res: reqwest::Response) -> Answer {
    Answer {
        status: res.status().as_u16(),
        retry_after: res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned()),
        sets_cookie: res.headers().contains_key("set-cookie"),
        body: res.text().await.unwrap(),
    }
}

/// Kari logs in and sets up a PIN device: (key, credential id).
async fn karis_device(app: &TestApp) -> (SigningKey, String) {
    let mut kari = app.logged_in(KARI).await;
    let (key, public) = device_key();
    let res = kari
        .post_form(
            &app.public("/api/device/register"),
            &pairs(&[("public_key", &public), ("pin", "2580"), ("pin_again", "2580")]),
            "same-origin",
        )
        .await;
    assert_eq!(res.status(), 200);
    (key, serde_json::from_str(&res.text().await.unwrap()).unwrap())
}

async fn challenge(app: &TestApp, credential_id: &str) -> (String, String) {
    let answer =
        post(app, "/api/device/challenge", &[("credential_id", credential_id)], None).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    serde_json::from_str(&answer.body).unwrap()
}

/// Signed unlocks with `pin`, each over its own fresh challenge, all sent at once.
async fn unlocks_at_once(
    app: &TestApp,
    credential_id: &str,
    key: &SigningKey,
    pin: &str,
    n: usize,
) -> Vec<Answer> {
    let mut forms = Vec::new();
    for _ in 0..n {
        let (challenge_id, challenge) = challenge(app, credential_id).await;
        forms.push(format!(
            "credential_id={credential_id}&challenge_id={challenge_id}&signature={}&pin={pin}",
            sign(key, &challenge)
        ));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for form in forms {
        let (url, client) = (app.public("/api/device/unlock"), app.client.clone());
        tasks.spawn(async move {
            let res = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(form)
                .send()
                .await
                .unwrap();
            answer(res).await
        });
    }
    tasks.join_all().await
}

async fn failures_and_revoked(app: &TestApp, credential_id: &str) -> (i64, bool) {
    let (failures, revoked_at): (i64, Option<i64>) = sql::one(
        &app.db.pool,
        "SELECT failures, revoked_at FROM device_credential WHERE id = $1",
        (credential_id,),
    )
    .await
    .unwrap();
    (failures, revoked_at.is_some())
}

async fn twenty_wrong_pins_at_once_revoke_after_exactly_five_and_the_right_pin_then_fails(
    engine: Engine,
) {
    let app = TestApp::demo().with_limits(generous()).spawn(engine).await;
    let (key, id) = karis_device(&app).await;
    let answers = unlocks_at_once(&app, &id, &key, "0852", 20).await;
    let mut wrong: Vec<&str> =
        answers.iter().filter(|a| a.body.contains("WrongPin")).map(|a| a.body.as_str()).collect();
    wrong.sort_unstable();
    assert_eq!(
        wrong,
        [1, 2, 3, 4].map(|left| format!("{{\"WrongPin\":{{\"left\":{left}}}}}")),
        "{answers:?}"
    );
    // The rest found the device at its limit ("Revoked") or already revoked ("Refused").
    for a in &answers {
        let expected =
            a.body.contains("WrongPin") || a.body == "\"Revoked\"" || a.body == "\"Refused\"";
        assert!(a.status == 200 && !a.sets_cookie && expected, "{answers:?}");
    }
    assert!(answers.iter().any(|a| a.body == "\"Revoked\""), "{answers:?}");
    assert_eq!(failures_and_revoked(&app, &id).await, (5, true));
    let right = unlocks_at_once(&app, &id, &key, "2580", 1).await;
    assert_eq!(right[0].body, "\"Refused\"");
    assert!(!right[0].sets_cookie);
}

async fn a_saturated_server_refuses_pin_checks_with_429_and_retry_after_and_counts_none_of_them(
    engine: Engine,
) {
    let app = TestApp::demo()
        .with_limits(LimitSettings {
            hash_slots: 1,
            hash_wait: Duration::from_millis(1),
            ..generous()
        })
        .spawn(engine)
        .await;
    let (key, id) = karis_device(&app).await;
    let answers = unlocks_at_once(&app, &id, &key, "0852", 8).await;
    let (busy, checked): (Vec<Answer>, Vec<Answer>) =
        answers.into_iter().partition(|a| a.status == 429);
    assert!(!busy.is_empty(), "one slot and eight PINs at once: {checked:?}");
    assert!(!checked.is_empty(), "{busy:?}");
    for refused in &busy {
        assert_eq!(refused.retry_after.as_deref(), Some("1"), "{refused:?}");
        assert!(refused.body.contains("error.busy"), "{refused:?}");
    }
    // Only the PINs that got a slot were counted.
    let (failures, _) = failures_and_revoked(&app, &id).await;
    assert_eq!(failures, checked.len().min(5) as i64, "{checked:?}");
}

async fn each_address_is_limited_and_told_when_to_try_again(engine: Engine) {
    let app = TestApp::demo()
        .with_limits(LimitSettings { unlock_per_minute: 3, ..generous() })
        .spawn(engine)
        .await;
    let ask = || post(&app, "/api/device/challenge", &[("credential_id", "x")], None);
    for _ in 0..3 {
        assert_eq!(ask().await.status, 200);
    }
    let refused = ask().await;
    assert_eq!(refused.status, 429, "{refused:?}");
    let wait: u64 = refused.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    assert!(refused.body.contains("error.rate_limited"), "{refused:?}");
    let unlock = post(
        &app,
        "/api/device/unlock",
        &[("credential_id", "x"), ("challenge_id", "y"), ("signature", "z"), ("pin", "2580")],
        None,
    )
    .await;
    assert_eq!(unlock.status, 429);
    // Other kinds of request have their own limits, and logged-in pages none.
    let login = app.client.get(app.public("/auth/login/4601/guardian")).send().await.unwrap();
    assert_eq!(login.status(), 303);
    assert_eq!(app.get("/").await.status(), 200);
}

async fn logins_and_the_test_provider_are_limited_with_a_message_in_the_persons_language(
    engine: Engine,
) {
    // Four: two logins, and the server's own fetch of the test provider's discovery document
    // and keys at the first (the demo's provider is on the same address).
    let app = TestApp::demo()
        .with_limits(LimitSettings { login_per_minute: 4, ..generous() })
        .spawn(engine)
        .await;
    let login = |language: &'static str| {
        app.client
            .get(app.public("/auth/login/4601/guardian"))
            .header("accept-language", language)
            .send()
    };
    assert_eq!(login("nb").await.unwrap().status(), 303);
    assert_eq!(login("nb").await.unwrap().status(), 303);
    let refused = answer(login("nb").await.unwrap()).await;
    assert_eq!(refused.status, 429);
    assert!(refused.retry_after.is_some());
    assert_eq!(refused.body, app::i18n::translate(app::i18n::Locale::Nb, "error.rate_limited"));
    let english = answer(login("en-GB,en;q=0.9").await.unwrap()).await;
    assert_eq!(english.body, app::i18n::translate(app::i18n::Locale::En, "error.rate_limited"));
    let testid = app.get("/testid/authorize").await;
    assert_eq!(testid.status(), 429);
}

/// The status of a challenge request for a made-up credential, sent through a proxy that
/// says it came from `from`.
async fn challenge_from(app: &TestApp, from: &str) -> u16 {
    post(app, "/api/device/challenge", &[("credential_id", "x")], Some(from)).await.status
}

async fn behind_a_trusted_proxy_its_header_names_the_client_and_otherwise_it_is_ignored(
    engine: Engine,
) {
    let limits = LimitSettings { unlock_per_minute: 2, ..generous() };
    let proxied = TestApp::demo()
        .with_limits(LimitSettings {
            trusted_proxy_header: Some("x-forwarded-for".parse().unwrap()),
            ..limits.clone()
        })
        .spawn(engine)
        .await;
    assert_eq!(challenge_from(&proxied, "203.0.113.1").await, 200);
    assert_eq!(challenge_from(&proxied, "203.0.113.1").await, 200);
    assert_eq!(challenge_from(&proxied, "203.0.113.1").await, 429);
    // The proxy's entry is the last one; what the client wrote before it does not count.
    assert_eq!(challenge_from(&proxied, "203.0.113.1, 203.0.113.2").await, 200);
    assert_eq!(challenge_from(&proxied, "203.0.113.2, 203.0.113.1").await, 429);

    // A header from an address that is not one of the trusted proxies is the client's own
    // claim: the tests' requests come from 127.0.0.1, and here only 10.0.0.0/8 is a proxy.
    let bypassing = TestApp::demo()
        .with_limits(LimitSettings {
            trusted_proxy_header: Some("x-forwarded-for".parse().unwrap()),
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            ..limits.clone()
        })
        .spawn(Engine::Sqlite)
        .await;
    assert_eq!(challenge_from(&bypassing, "203.0.113.1").await, 200);
    assert_eq!(challenge_from(&bypassing, "203.0.113.2").await, 200);
    assert_eq!(challenge_from(&bypassing, "203.0.113.3").await, 429);

    // Without a trusted proxy, a client cannot pick its own address.
    let direct = TestApp::demo().with_limits(limits).spawn(Engine::Sqlite).await;
    assert_eq!(challenge_from(&direct, "203.0.113.1").await, 200);
    assert_eq!(challenge_from(&direct, "203.0.113.2").await, 200);
    assert_eq!(challenge_from(&direct, "203.0.113.3").await, 429);
}

async fn a_credential_is_limited_whichever_address_asks(engine: Engine) {
    let app = TestApp::demo()
        .with_limits(LimitSettings {
            credential_per_minute: 2,
            trusted_proxy_header: Some("x-forwarded-for".parse().unwrap()),
            ..generous()
        })
        .spawn(engine)
        .await;
    let ask = |credential: &'static str, from: &'static str| {
        let app = &app;
        async move {
            post(app, "/api/device/challenge", &[("credential_id", credential)], Some(from)).await
        }
    };
    assert_eq!(ask("credential-1", "198.51.100.1").await.status, 200);
    assert_eq!(ask("credential-1", "198.51.100.2").await.status, 200);
    let refused = ask("credential-1", "198.51.100.3").await;
    assert_eq!(refused.status, 429);
    assert!(refused.retry_after.is_some());
    assert!(refused.body.contains("error.rate_limited"), "{refused:?}");
    assert_eq!(ask("credential-2", "198.51.100.3").await.status, 200);
}

async fn an_unknown_a_revoked_and_a_live_device_with_a_wrong_signature_are_answered_alike(
    engine: Engine,
) {
    let app = TestApp::demo().with_limits(generous()).spawn(engine).await;
    let (key, id) = karis_device(&app).await;
    let (stranger, _) = device_key();
    let try_unlock = |credential: String, key: SigningKey| {
        let app = &app;
        async move {
            let (challenge_id, challenge) = challenge(app, &credential).await;
            post(
                app,
                "/api/device/unlock",
                &[
                    ("credential_id", &credential),
                    ("challenge_id", &challenge_id),
                    ("signature", &sign(&key, &challenge)),
                    ("pin", "2580"),
                ],
                None,
            )
            .await
        }
    };
    let live_wrong_signature = try_unlock(id.clone(), stranger.clone()).await;
    let unknown = try_unlock(uuid::Uuid::new_v4().to_string(), stranger.clone()).await;
    let unknown_own_key = try_unlock(uuid::Uuid::new_v4().to_string(), key.clone()).await;
    assert_eq!(live_wrong_signature, unknown);
    assert_eq!(unknown, unknown_own_key);
    assert_eq!(
        (unknown.status, unknown.body.as_str(), unknown.sets_cookie),
        (200, "\"Refused\"", false)
    );
    // Nothing was counted against the live device.
    assert_eq!(failures_and_revoked(&app, &id).await, (0, false));
    // Revoked, even the right key and PIN are answered the same way.
    sql::run(&app.db.pool, "UPDATE device_credential SET revoked_at = 1 WHERE id = $1", (&id,))
        .await
        .unwrap();
    assert_eq!(try_unlock(id.clone(), key.clone()).await, unknown);
}

on_both_engines!(
    twenty_wrong_pins_at_once_revoke_after_exactly_five_and_the_right_pin_then_fails,
    a_saturated_server_refuses_pin_checks_with_429_and_retry_after_and_counts_none_of_them,
    each_address_is_limited_and_told_when_to_try_again,
    logins_and_the_test_provider_are_limited_with_a_message_in_the_persons_language,
    behind_a_trusted_proxy_its_header_names_the_client_and_otherwise_it_is_ignored,
    a_credential_is_limited_whichever_address_asks,
    an_unknown_a_revoked_and_a_live_device_with_a_wrong_signature_are_answered_alike
);
