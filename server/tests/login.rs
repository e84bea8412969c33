//! Logging in through the demo's test identity provider, over real HTTP and real OpenID
//! Connect, on both database engines.

mod support;

use support::browser::{Browser, location, log_in, query};
use support::personas::{KARI, OLA};
use support::scenes::kari_writes_to_ingrid;
use support::{Engine, TestApp};

async fn kari_logs_in_sees_her_children_and_logs_out(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = Browser::new();
    let landed = log_in(&app, &mut browser, "guardian", ("pid", "12848510058")).await;
    assert_eq!(landed, "/hjem");
    assert!(browser.cookies.contains_key("ranselpost_session"));
    assert!(!browser.cookies.contains_key("ranselpost_login"), "the login binding is cleared");

    let res = browser.get(&app.public("/hjem")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.unwrap();
    assert!(html.contains("Hei, Kari Nordmann"), "{html}");
    assert!(html.contains("Emma Sofie Nordmann") && !html.contains("Louise"));
    assert!(html.contains("Jonas Nordmann"));

    let res = browser.post_form(&app.public("/auth/logout"), &[], "same-origin").await;
    assert_eq!(res.status(), 303);
    let end_session = location(&res);
    assert!(end_session.starts_with(&app.public("/testid/endsession?")), "{end_session}");
    assert!(query(&end_session).iter().any(|(k, _)| k == "id_token_hint"));
    assert!(!browser.cookies.contains_key("ranselpost_session"));

    // The old cookie no longer opens anything, even if the browser kept it.
    let res = browser.get(&app.public("/hjem")).await;
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "/?logg-inn=1", "to the front page, which says why");
}

async fn a_stolen_session_cookie_stops_working_after_logout(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = app.logged_in(KARI).await;
    let stolen = browser.cookies.clone();
    browser.post_form(&app.public("/auth/logout"), &[], "same-origin").await;
    let mut thief = Browser::new();
    thief.cookies = stolen;
    let res = thief.get(&app.public("/hjem")).await;
    assert_eq!(res.status(), 302);
}

async fn a_father_without_parental_responsibility_sees_no_child(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = Browser::new();
    assert_eq!(log_in(&app, &mut browser, "guardian", ("pid", "19888812035")).await, "/hjem");
    let html = browser.text(&app, "/hjem").await;
    assert!(html.contains("Hei, Tor Hansen"));
    assert!(html.contains("Vi fant ingen barn knyttet til deg"));
    assert!(!html.contains("Lise"));
}

async fn a_person_the_system_does_not_know_gets_the_friendly_page(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = Browser::new();
    // A valid synthetic number that belongs to nobody in the demo.
    let landed = log_in(&app, &mut browser, "guardian", ("pid", "15831860054")).await;
    assert_eq!(landed, "/ingen-tilgang?kommune=4601&rolle=guardian");
    assert!(!browser.cookies.contains_key("ranselpost_session"));
    let html = browser.text(&app, &landed).await;
    assert!(html.contains("Vi fant ingen barn knyttet til deg"), "{html}");
}

async fn a_staff_member_logs_in_to_the_staff_page(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = Browser::new();
    let landed = log_in(&app, &mut browser, "staff", ("subject", "demo-staff-ingrid")).await;
    assert_eq!(landed, "/ansatt");
    let html = browser.text(&app, "/ansatt").await;
    assert!(html.contains("Hei, Ingrid Berg"));
    assert!(html.contains("Kontaktlærer – Fjordvik skole, 4B"), "{html}");
    // A staff session is not a guardian session.
    let res = browser.get(&app.public("/hjem")).await;
    assert_eq!(res.status(), 403);
}

async fn a_replayed_callback_is_refused_without_a_session(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = Browser::new();
    let res = browser.get(&app.public("/auth/login/4601/guardian")).await;
    let mut form = query(&location(&res));
    form.push(("pid".into(), "12848510058".into()));
    let res = browser.post_form(&app.public("/testid/authorize"), &form, "same-origin").await;
    let callback = location(&res);
    let binding = browser.cookies.clone();
    assert_eq!(location(&browser.get(&callback).await), "/hjem");
    // Same state and code again, with the binding cookie restored: the attempt is used up.
    let mut replay = Browser::new();
    replay.cookies = binding;
    replay.cookies.remove("ranselpost_session");
    let res = replay.get(&callback).await;
    assert_eq!(location(&res), "/innlogging-feilet?grunn=state");
    assert!(!replay.cookies.contains_key("ranselpost_session"));
}

async fn a_callback_in_another_browser_is_refused(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut victim = Browser::new();
    let res = victim.get(&app.public("/auth/login/4601/guardian")).await;
    let mut form = query(&location(&res));
    form.push(("pid".into(), "12848510058".into()));
    let res = victim.post_form(&app.public("/testid/authorize"), &form, "same-origin").await;
    let callback = location(&res);
    let mut attacker = Browser::new();
    let res = attacker.get(&callback).await;
    assert_eq!(location(&res), "/innlogging-feilet?grunn=state");
    assert!(!attacker.cookies.contains_key("ranselpost_session"));
}

async fn a_login_failure_page_explains_in_plain_words(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = Browser::new();
    let res = browser.get(&app.public("/auth/callback?code=x")).await;
    assert_eq!(location(&res), "/innlogging-feilet?grunn=state");
    let res = browser.get(&app.public("/innlogging-feilet?grunn=state")).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Start innloggingen på nytt."));
}

async fn a_cross_site_logout_post_is_refused(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = app.logged_in(KARI).await;
    let res = browser.post_form(&app.public("/auth/logout"), &[], "cross-site").await;
    assert_eq!(res.status(), 403);
    assert_eq!(browser.get(&app.public("/hjem")).await.status(), 200);
}

async fn pages_carry_a_nonce_csp_and_the_security_headers(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let res = app.get("/").await;
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["referrer-policy"], "strict-origin-when-cross-origin");
    let html = res.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{html}");
    assert!(!csp.contains("unsafe-inline"));
    let other =
        app.get("/").await.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_ne!(csp, other, "a fresh nonce per response");
}

async fn the_test_provider_publishes_discovery_and_keys(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = Browser::new();
    let discovery: serde_json::Value = browser
        .get(&app.public("/testid/.well-known/openid-configuration"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["issuer"], app.public("/testid"));
    assert_eq!(discovery["authorization_response_iss_parameter_supported"], true);
    let jwks: serde_json::Value =
        browser.get(&app.public("/testid/jwks")).await.json().await.unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert!(jwks["keys"][0].get("d").is_none(), "no private part in the JWKS");
    // Without demo mode, there is no test provider at all.
    let plain = TestApp::empty().spawn(Engine::Sqlite).await;
    let res = browser.get(&plain.public("/testid/.well-known/openid-configuration")).await;
    assert_eq!(res.status(), 404);
}

async fn a_front_channel_logout_ends_the_matching_session_only(engine: Engine) {
    use sqlx::Row;
    let app = TestApp::demo().spawn(engine).await;
    let mut browser = app.logged_in(KARI).await;
    let sid: String = sqlx::query("SELECT idp_sid FROM session")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("idp_sid");
    let issuer = app.public("/testid");
    let frontchannel = |iss: &str, sid: &str| {
        let mut url = reqwest::Url::parse(&app.public("/auth/frontchannel-logout")).unwrap();
        url.query_pairs_mut().append_pair("iss", iss).append_pair("sid", sid);
        url.to_string()
    };
    // Another session id, or the right one from another issuer: nothing ends.
    browser.get(&frontchannel(&issuer, "some-other-sid")).await;
    browser.get(&frontchannel("https://login.evil.example", &sid)).await;
    assert_eq!(browser.get(&app.public("/hjem")).await.status(), 200);
    let res = browser.get(&frontchannel(&issuer, &sid)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(browser.get(&app.public("/hjem")).await.status(), 302);
}

async fn over_https_strict_transport_security_is_sent(engine: Engine) {
    let app = TestApp::empty().at_public_url("https://ranselpost.example").spawn(engine).await;
    let res = app.get("/").await;
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let plain = TestApp::empty().spawn(Engine::Sqlite).await;
    assert!(plain.get("/").await.headers().get("strict-transport-security").is_none());
}

async fn a_link_opened_without_a_session_is_where_the_login_lands(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let thread = kari_writes_to_ingrid(&app, &mut kari, "Henting", "Bestemor henter.").await;
    let mut phone = Browser::new();
    let res = phone.get(&app.public(&thread)).await;
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), "/?logg-inn=1");
    let front = phone.text(&app, "/?logg-inn=1").await;
    assert!(front.contains("Logg inn for å fortsette"), "says why: {front}");
    assert_eq!(app.log_in(&mut phone, KARI).await, thread, "lands on the link's page");
    assert_eq!(phone.get(&app.public(&thread)).await.status(), 200);
    // Once: the next login lands at home again.
    assert_eq!(app.log_in(&mut phone, KARI).await, "/hjem");
    // The municipality is remembered on the device, and logging out says so.
    let res = phone.post(&app, "/auth/logout", &[]).await;
    assert_eq!(res.status(), 303);
    let front = phone.text(&app, "/").await;
    assert!(front.contains("Du er logget ut"), "{front}");
    assert!(front.contains("Sist valgt"), "{front}");
    let (bergen, askoy) = (front.find("Bergen kommune"), front.find("Askøy kommune"));
    assert!(bergen < askoy, "the municipality chosen last comes first");
    assert!(!phone.text(&app, "/").await.contains("Du er logget ut"), "said once");
}

async fn a_message_sent_after_the_session_ran_out_comes_back_after_the_next_login(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let compose = "/barn/demo-child-jonas/ny-melding";
    assert_eq!(kari.get(&app.public(compose)).await.status(), 200);
    // She writes for a long while; the session's idle time runs out meanwhile.
    app.run("UPDATE session SET last_seen_at = last_seen_at - 100000").await;
    let body = "Jonas skal hentes av bestemor hele neste uke, fra mandag til fredag.";
    let form = [
        ("child_id", "demo-child-jonas"),
        ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
        ("subject", "Henting neste uke"),
        ("body", body),
    ];
    let res = kari.submit_on(&app, compose, "/api/child/start_thread", &form).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/?logg-inn=utlopt");
    let (sent,): (i64,) = app.one("SELECT COUNT(*) FROM message").await;
    assert_eq!(sent, 0, "nothing was sent");
    let front = kari.text(&app, "/?logg-inn=utlopt").await;
    assert!(front.contains("Det du skrev er tatt vare på"), "{front}");
    assert!(!front.contains("Unauthenticated"));

    let back = app.log_in(&mut kari, KARI).await;
    assert!(back.starts_with(&format!("{compose}?utkast=")), "back to the form: {back}");
    let page = kari.text(&app, &back).await;
    assert!(page.contains(&format!("{body}</textarea>")), "with the text: {page}");
    assert!(page.contains("Henting neste uke"));
    assert!(page.contains("Du ble logget ut før dette ble sendt"));
    // The same text is not given to the next person who logs in on this browser.
    assert_eq!(app.log_in(&mut kari, OLA).await, "/hjem");
}

async fn a_form_sent_without_a_session_is_kept_only_for_the_person_whose_session_ended(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut tablet = app.logged_in(KARI).await;
    app.run("UPDATE session SET last_seen_at = last_seen_at - 100000").await;
    let form = [("child_id", "demo-child-jonas"), ("subject", "Privat"), ("body", "Privat sak")];
    let res = tablet.submit_on(&app, "/hjem", "/api/child/start_thread", &form).await;
    assert_eq!(location(&res), "/?logg-inn=utlopt");
    assert_eq!(app.log_in(&mut tablet, OLA).await, "/hjem", "Ola does not get Kari's text");
    let (kept,): (i64,) = app.one("SELECT COUNT(*) FROM kept_form").await;
    assert_eq!(kept, 0);
    // A server function called by the app's own client (JSON) still just answers 401.
    let mut stranger = Browser::new();
    let res = stranger.call(&app.public("/api/child/start_thread"), &form).await;
    assert_eq!(res.status(), 401);
}

on_both_engines!(
    a_link_opened_without_a_session_is_where_the_login_lands,
    a_message_sent_after_the_session_ran_out_comes_back_after_the_next_login,
    a_form_sent_without_a_session_is_kept_only_for_the_person_whose_session_ended,
    a_front_channel_logout_ends_the_matching_session_only,
    over_https_strict_transport_security_is_sent,
    kari_logs_in_sees_her_children_and_logs_out,
    a_stolen_session_cookie_stops_working_after_logout,
    a_father_without_parental_responsibility_sees_no_child,
    a_person_the_system_does_not_know_gets_the_friendly_page,
    a_staff_member_logs_in_to_the_staff_page,
    a_replayed_callback_is_refused_without_a_session,
    a_callback_in_another_browser_is_refused,
    a_login_failure_page_explains_in_plain_words,
    a_cross_site_logout_post_is_refused,
    pages_carry_a_nonce_csp_and_the_security_headers,
    the_test_provider_publishes_discovery_and_keys
);
