//! The server-rendered pages and health endpoint, over real HTTP, on both database engines.

mod support;

use support::browser::read;
use support::{Engine, TestApp};

async fn the_landing_page_lists_both_demo_municipalities_as_html(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"nb\""), "{html}");
    assert!(html.contains("Velg kommune"));
    assert!(html.contains("Bergen kommune"));
    assert!(html.contains("Askøy kommune"));
    assert!(html.contains("href=\"/kommune/4601\""));
}

async fn the_health_endpoint_says_the_database_is_up(engine: Engine) {
    let app = TestApp::empty().spawn(engine).await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "up");
    assert_eq!(body["status"], "ok");
}

async fn a_municipality_page_lists_its_units_by_kind(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let html = app.get("/kommune/4601").await.text().await.unwrap();
    for expected in ["Bergen kommune", "Barnehager", "Lia barnehage", "Skoler", "Fjordvik skole"] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(!html.contains("Kleppestø skole"));
    assert!(!html.contains("Fjordvik SFO"), "Bergen's SFO is not in use before 2027-01-01");
    let later = TestApp::demo().on("2027-01-01").spawn(Engine::Sqlite).await;
    let html = later.get("/kommune/4601").await.text().await.unwrap();
    assert!(html.contains("Fjordvik SFO"), "from its start date the SFO is listed");
}

async fn an_unknown_municipality_is_a_404_page_in_plain_words(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let res = app.get("/kommune/9999").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("Fant ikke kommunen"));
    let res = app.get("/kommune/abc").await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Et kommunenummer har fire sifre."));
}

async fn an_unknown_path_is_a_404_page(engine: Engine) {
    let app = TestApp::empty().spawn(engine).await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Fant ikke siden"));
}

async fn the_page_follows_the_browser_language_and_the_chosen_language(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let english =
        read(app.client.get(app.url("/")).header("accept-language", "en-GB,en;q=0.9")).await;
    assert!(english.contains("Choose your municipality"));

    // Choosing nynorsk with the picker's plain form post sets a cookie and goes back.
    let res = app
        .client
        .post(app.url("/api/public/language"))
        .header("accept", "text/html")
        .header("referer", app.url("/kommune/4601"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("lang=nn")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap();
    // Back to the page, as a path of this site (never another site's address).
    assert_eq!(location, "/kommune/4601");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("ranselpost_lang=nn;"), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    let nynorsk = read(
        app.client
            .get(app.url("/"))
            .header("accept-language", "en")
            .header("cookie", "ranselpost_lang=nn"),
    )
    .await;
    assert!(nynorsk.contains("Vel kommune"));
    assert!(nynorsk.contains("<html lang=\"nn\""));
}

async fn demo_mode_is_marked_on_every_page_and_absent_otherwise(engine: Engine) {
    let demo = TestApp::demo().spawn(engine).await;
    for path in ["/", "/kommune/4627", "/missing"] {
        let html = demo.get(path).await.text().await.unwrap();
        assert!(html.contains("class=\"demo-banner\""), "{path}");
    }
    let plain = TestApp::empty().spawn(Engine::Sqlite).await;
    assert!(!plain.get("/").await.text().await.unwrap().contains("demo-banner"));
}

async fn without_demo_mode_an_empty_database_stays_empty(engine: Engine) {
    let app = TestApp::empty().spawn(engine).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(!html.contains("Bergen kommune"));
}

/// The `data-viewer` of the page's live part (`ui/live.rs`).
fn viewer(html: &str) -> String {
    let marker = "id=\"inbox-list\" data-viewer=\"";
    let at = html.find(marker).expect("the inbox is a live part") + marker.len();
    html[at..].split('"').next().unwrap().to_owned()
}

/// A live part names the session it was rendered for, so that a part fetched after someone
/// else logged in (in another tab) is not swapped into this page; the name is a hash, not the
/// session's own.
async fn a_live_part_names_the_session_it_was_rendered_for(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(support::personas::KARI).await;
    let mut kari_again = app.logged_in(support::personas::KARI).await;
    let mut per = app.logged_in(support::personas::PER).await;
    let url = app.public("/meldinger");
    let first = viewer(&kari.get(&url).await.text().await.unwrap());
    assert_eq!(first.len(), 16, "{first}");
    assert_eq!(first, viewer(&kari.get(&url).await.text().await.unwrap()), "the same session");
    assert_ne!(first, viewer(&kari_again.get(&url).await.text().await.unwrap()));
    assert_ne!(first, viewer(&per.get(&url).await.text().await.unwrap()));
}

on_both_engines!(
    a_live_part_names_the_session_it_was_rendered_for,
    the_landing_page_lists_both_demo_municipalities_as_html,
    the_health_endpoint_says_the_database_is_up,
    a_municipality_page_lists_its_units_by_kind,
    an_unknown_municipality_is_a_404_page_in_plain_words,
    an_unknown_path_is_a_404_page,
    the_page_follows_the_browser_language_and_the_chosen_language,
    demo_mode_is_marked_on_every_page_and_absent_otherwise,
    without_demo_mode_an_empty_database_stays_empty
);
