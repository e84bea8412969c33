//! What an attacker tries with a browser or curl: markup in every text field (it must reach every
//! page inert, the head too), a page whose scripts and CSP nonce disagree, redirects to other
//! sites, look-alike calendar addresses.

mod support;

use support::browser::location;
use support::personas::{BJORN, INGRID, KARI};
use support::scenes::{
    days_from_today, group_message, kari_writes_to_ingrid, plan_activity, report_for_jonas,
};
use support::{Engine, TestApp};

/// Closes the title and adds a refresh to another site; closes an attribute; opens a script.
const MARKUP: &str = "</title><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">\"'><script>x()</script>";

/// The markup is nowhere on the page as markup, and `escaped_in_title` says whether the page's
/// `<title>` must carry it as text (escaped exactly once).
fn assert_inert(html: &str, path: &str, escaped_in_title: bool) {
    assert!(
        !html.contains("<meta http-equiv=\"refresh\""),
        "{path}: a meta refresh got into the page"
    );
    assert!(!html.contains("<script>x()"), "{path}: a script got in");
    assert!(!html.contains("\"'><script"), "{path}: an attribute was closed");
    let title = html
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_else(|| panic!("{path}: no title"));
    if escaped_in_title {
        assert!(
            title.starts_with("&lt;/title&gt;&lt;meta http-equiv="),
            "{path}: the title is not the subject as text: {title}"
        );
        assert!(!title.contains("&amp;lt;"), "{path}: escaped twice");
    }
}

async fn a_subject_with_markup_reaches_the_head_and_the_body_as_text(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let thread = kari_writes_to_ingrid(&app, &mut kari, MARKUP, MARKUP).await;
    assert!(thread.starts_with("/samtale/"), "{thread}");
    let mut ingrid = app.logged_in(INGRID).await;
    assert_inert(&ingrid.text(&app, &thread).await, &thread, true);
    assert_inert(&ingrid.text(&app, "/ansatt").await, "/ansatt", false);
    assert_inert(&kari.text(&app, &thread).await, &thread, true);
    assert_inert(&kari.text(&app, "/meldinger").await, "/meldinger", false);
}

async fn a_group_message_with_markup_reaches_every_family_as_text(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut ingrid = app.logged_in(INGRID).await;
    let res = group_message(&app, &mut ingrid, "group:demo-group-4b", MARKUP, MARKUP).await;
    assert_eq!(res.status(), 302);
    let thread = location(&res);
    let mut kari = app.logged_in(KARI).await;
    let inbox = kari.text(&app, "/meldinger").await;
    assert_inert(&inbox, "/meldinger", false);
    let link = inbox
        .split("href=\"/samtale/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the group message is in Kari's inbox");
    let path = format!("/samtale/{link}");
    assert_inert(&kari.text(&app, &path).await, &path, true);
    assert_inert(&ingrid.text(&app, &thread).await, &thread, true);
}

async fn absence_notes_activity_texts_and_device_names_with_markup_are_shown_as_text(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let today = [("when", "today"), ("part", "whole"), ("kind", "other"), ("note", MARKUP)];
    report_for_jonas(&app, &mut kari, &today).await;
    let path = "/barn/demo-child-jonas/fravaer";
    assert_inert(&kari.text(&app, path).await, path, false);
    let mut ingrid = app.logged_in(INGRID).await;
    assert_inert(&ingrid.text(&app, "/ansatt/fravaer").await, "/ansatt/fravaer", false);

    let day = days_from_today(3);
    let mut bjorn = app.logged_in(BJORN).await;
    plan_activity(
        &app,
        &mut bjorn,
        &[
            ("target", "group:demo-unit-lia:demo-group-blabaer"),
            ("title", MARKUP),
            ("day", &day),
            ("starts", "09:00"),
            ("place", MARKUP),
            ("bring", MARKUP),
        ],
    )
    .await;
    assert_inert(&bjorn.text(&app, "/ansatt/aktiviteter").await, "/ansatt/aktiviteter", false);
    assert_inert(&kari.text(&app, "/aktiviteter").await, "/aktiviteter", false);

    let (_key, public_key) = support::device::device_key();
    let res = kari
        .post_form(
            &app.public("/api/device/register"),
            &support::device::pairs(&[
                ("public_key", &public_key),
                ("pin", "2580"),
                ("pin_again", "2580"),
                ("name", MARKUP),
            ]),
            "same-origin",
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_inert(&kari.text(&app, "/enheter").await, "/enheter", false);
}

/// The nonce of the CSP header, and every nonce on the page's scripts.
fn nonces(csp: &str, html: &str) -> (String, Vec<String>) {
    let header = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap_or_default()
        .to_owned();
    let on_page = html
        .split("nonce=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect();
    (header, on_page)
}

async fn every_page_carries_the_nonce_of_its_own_csp_header_under_concurrency(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let kari = app.logged_in(KARI).await;
    let cookie =
        kari.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let paths = [
        "/",
        "/kommune/4601",
        "/hjem",
        "/meldinger",
        "/barn/demo-child-jonas",
        "/barn/demo-child-jonas/fravaer",
        "/aktiviteter",
        "/enheter",
        "/finnes-ikke",
    ];
    let client = reqwest::Client::new();
    let mut calls = Vec::new();
    for round in 0..10 {
        for path in paths {
            let request = client
                .get(app.public(path))
                .header("cookie", &cookie)
                .header("accept", "text/html");
            calls.push(async move {
                let res = request.send().await.unwrap();
                let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
                (round, path, csp, res.text().await.unwrap())
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (round, path, csp, html) in futures::future::join_all(calls).await {
        let (header, on_page) = nonces(&csp, &html);
        assert!(!header.is_empty(), "{path} ({round}): no nonce in {csp}");
        assert!(!on_page.is_empty(), "{path} ({round}): no script nonce");
        assert!(
            on_page.iter().all(|n| *n == header),
            "{path} ({round}): header {header}, scripts {on_page:?}"
        );
        assert!(seen.insert(header), "{path}: a nonce was used twice");
    }
}

async fn responses_carry_a_permissions_policy_and_an_opener_policy(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    for path in ["/", "/healthz", "/finnes-ikke", "/manifest.webmanifest"] {
        let res = app.get(path).await;
        let headers = res.headers();
        assert_eq!(headers["cross-origin-opener-policy"], "same-origin", "{path}");
        let policy = headers["permissions-policy"].to_str().unwrap();
        assert!(policy.contains("camera=()"), "{path}: {policy}");
        assert!(policy.contains("geolocation=()"), "{path}: {policy}");
        assert!(
            policy.contains("publickey-credentials-get=(self)"),
            "{path}: quick unlock needs WebAuthn: {policy}"
        );
    }
}

async fn a_form_post_without_javascript_returns_only_to_a_page_of_this_site(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let cookie =
        kari.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    // Choosing a language is a server function that answers with no redirect of its own, so
    // leptos_axum sends a plain form post back to its `Referer`.
    let post = |referer: String| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(app.public("/api/public/language"))
            .header("cookie", &cookie)
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("referer", referer)
            .body("lang=nn")
            .send()
    };
    let back = |res: &reqwest::Response| {
        res.headers().get("location").map(|v| v.to_str().unwrap().to_owned())
    };
    let res = post(app.public("/barn/demo-child-jonas?x=1")).await.unwrap();
    assert_eq!(back(&res).as_deref(), Some("/barn/demo-child-jonas?x=1"));
    for elsewhere in [
        "https://evil.example/phish".to_owned(),
        "http://localhost.evil.example/".to_owned(),
        format!("{}//evil.example/", app.public("")),
        app.public("").replacen("http://", "https://", 1) + "/x",
    ] {
        let res = post(elsewhere.clone()).await.unwrap();
        assert_eq!(back(&res).as_deref(), Some("/"), "Referer {elsewhere}");
    }
    // The no-JS form post keeps working from the browser's point of view.
    assert_eq!(kari.get(&app.public("/hjem")).await.status(), 200);
}

async fn a_post_whose_origin_has_another_scheme_is_refused(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let https_origin = app.public("").replacen("http://", "https://", 1);
    let res = reqwest::Client::new()
        .post(app.public("/auth/logout"))
        .header("origin", https_origin.trim_end_matches('/'))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

async fn only_the_exact_calendar_address_answers(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let token = support::browser::make_calendar_address(&app, &mut kari).await;
    let status = |path: String| {
        let app = &app;
        async move { app.get(&path).await.status().as_u16() }
    };
    assert_eq!(status(format!("/kalender/{token}.ics")).await, 200);
    assert_eq!(status(format!("/kalender/{token}")).await, 404);
    assert_eq!(status(format!("/kalender/{token}.ics.ics")).await, 404);
    assert_eq!(status(format!("/kalender/{token}.ICS")).await, 404);
}

async fn personal_pages_are_not_stored_and_a_new_calendar_address_is_forgotten_at_logout(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    for path in ["/hjem", "/meldinger", "/aktiviteter", "/barn/demo-child-jonas"] {
        let res = kari.get(&app.public(path)).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let token = support::browser::make_calendar_address(&app, &mut kari).await;
    assert!(kari.cookies.values().any(|v| v == &token));
    let res = kari.post_form(&app.public("/auth/logout"), &[], "same-origin").await;
    assert_eq!(res.status(), 303);
    assert!(
        !kari.cookies.values().any(|v| v == &token),
        "the address is no longer carried: {:?}",
        kari.cookies.keys()
    );
}

/// A text the guard holds back comes back in its box: as text, even when it closes the box.
async fn a_kept_draft_that_closes_its_text_box_comes_back_as_text(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let body = "ADHD </textarea><b id=\"injected\">x</b>";
    let form = [
        ("child_id", "demo-child-jonas"),
        ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
        ("subject", "Om Jonas"),
        ("body", body),
    ];
    let res = kari.post(&app, "/api/child/start_thread", &form).await;
    assert_eq!(res.status(), 302);
    let page = kari.text(&app, &location(&res)).await;
    assert!(!page.contains("<b id=\"injected\">"), "the draft's markup reached the page");
    assert!(
        page.contains(
            "ADHD &lt;/textarea&gt;&lt;b id=&quot;injected&quot;&gt;x&lt;/b&gt;</textarea>"
        )
    );
}

on_both_engines!(
    a_kept_draft_that_closes_its_text_box_comes_back_as_text,
    a_subject_with_markup_reaches_the_head_and_the_body_as_text,
    a_group_message_with_markup_reaches_every_family_as_text,
    absence_notes_activity_texts_and_device_names_with_markup_are_shown_as_text,
    every_page_carries_the_nonce_of_its_own_csp_header_under_concurrency,
    responses_carry_a_permissions_policy_and_an_opener_policy,
    a_form_post_without_javascript_returns_only_to_a_page_of_this_site,
    a_post_whose_origin_has_another_scheme_is_refused,
    only_the_exact_calendar_address_answers,
    personal_pages_are_not_stored_and_a_new_calendar_address_is_forgotten_at_logout,
);
