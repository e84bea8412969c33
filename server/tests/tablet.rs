//! Shared tablets over HTTP, on both engines: a leader pairs one to the unit by the code it
//! shows; staff switch on it with a tablet PIN and the tablet's key; the PIN session reaches
//! that unit's board and children and nothing else; five wrong PINs lock the PIN until a full
//! login; unpairing ends every session on the tablet at once.

mod support;

use p256::ecdsa::SigningKey;
use support::browser::{Browser, location};
use support::device::{device_key, sign};
use support::personas::{BJORN, HILDE, INGRID, KARI, LEILA, Persona};
use support::{Engine, TestApp};

/// A tablet: a browser with its own key, paired or not.
struct Tablet {
    browser: Browser,
    key: SigningKey,
    public: String,
}

impl Tablet {
    fn new() -> Tablet {
        let (key, public) = device_key();
        Tablet { browser: Browser::new(), key, public }
    }

    async fn call(&mut self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = self.browser.call(&app.public(path), form).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// Asks to be paired: the code it shows.
    async fn show_code(&mut self, app: &TestApp) -> String {
        let public = self.public.clone();
        let (status, body) =
            self.call(app, "/api/tablet/pair_start", &[("public_key", &public)]).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    async fn poll(&mut self, app: &TestApp) -> bool {
        let (status, body) = self.call(app, "/api/tablet/pair_poll", &[]).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// `who` switches in with `pin`: the JSON answer.
    async fn switch(&mut self, app: &TestApp, who: Persona, pin: &str) -> String {
        let (status, body) = self.call(app, "/api/tablet/challenge", &[]).await;
        if status != 200 {
            return format!("{status}");
        }
        let (challenge_id, challenge): (String, String) = serde_json::from_str(&body).unwrap();
        let signature = sign(&self.key, &challenge);
        let form = [
            ("person_id", who.id),
            ("challenge_id", challenge_id.as_str()),
            ("signature", signature.as_str()),
            ("pin", pin),
        ];
        self.call(app, "/api/tablet/switch", &form).await.1
    }
}

/// Hilde pairs `tablet` to Lia barnehage as `name`.
async fn pair(app: &TestApp, hilde: &mut Browser, tablet: &mut Tablet, name: &str) {
    let code = tablet.show_code(app).await;
    assert!(!tablet.poll(app).await, "not before a leader has confirmed");
    let form = [("unit_id", "demo-unit-lia"), ("code", code.as_str()), ("name", name)];
    let res = hilde.post(app, "/api/tablet/confirm", &form).await;
    assert_eq!(location(&res), "/ansatt/nettbrett?enhet=demo-unit-lia&paret=1");
    assert!(tablet.poll(app).await);
    assert!(tablet.browser.cookies.contains_key("ranselpost_tablet"));
}

async fn set_pin(app: &TestApp, who: Persona, pin: &str) -> String {
    let mut browser = app.logged_in(who).await;
    let form = [("pin", pin), ("pin_again", pin), ("unit_id", "demo-unit-lia")];
    location(&browser.post(app, "/api/tablet/set_pin", &form).await)
}

async fn a_leader_pairs_a_tablet_by_its_code_once_and_only_for_a_unit_she_leads(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut hilde = app.logged_in(HILDE).await;
    let mut bjorn = app.logged_in(BJORN).await;
    let mut tablet = Tablet::new();
    let code = tablet.show_code(&app).await;
    assert_eq!(code.len(), 9, "ABCD-EFGH: {code}");
    // Bjørn teaches at Lia but does not lead it; Hilde does not lead Fjordvik skole.
    let form = [("unit_id", "demo-unit-lia"), ("code", code.as_str()), ("name", "Garderoben")];
    assert_eq!(bjorn.post(&app, "/api/tablet/confirm", &form).await.status(), 403);
    let school = [("unit_id", "demo-unit-fjordvik-skole"), ("code", code.as_str()), ("name", "x")];
    assert_eq!(hilde.post(&app, "/api/tablet/confirm", &school).await.status(), 403);
    // A code typed in lower case with a space is the same code; confirmed twice at once, one
    // tablet.
    let typed = code.to_lowercase().replace('-', " ");
    let confirm = [("unit_id", "demo-unit-lia"), ("code", typed.as_str()), ("name", "Garderoben")];
    let taps = (0..10).map(|_| {
        let mut tab = hilde.tab();
        let app = &app;
        async move { location(&tab.post(app, "/api/tablet/confirm", &confirm).await) }
    });
    let outcomes = futures::future::join_all(taps).await;
    let paired = outcomes.iter().filter(|l| l.ends_with("paret=1")).count();
    assert_eq!(paired, 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|l| l.ends_with("paret=1") || l.ends_with("feil=kode")));
    let (tablets,): (i64,) = app.one("SELECT COUNT(*) FROM tablet").await;
    assert_eq!(tablets, 1);
    // The tablet collects its cookie once.
    assert!(tablet.poll(&app).await);
    let mut copy = Tablet::new();
    copy.browser.cookies = tablet.browser.cookies.clone();
    copy.browser.cookies.remove("ranselpost_tablet");
    assert!(!copy.poll(&app).await, "a copied pairing cookie collects nothing");
    // The leader sees it, with who paired it.
    let page = hilde.text(&app, "/ansatt/nettbrett").await;
    assert!(page.contains("Garderoben") && page.contains("Koblet til av Hilde Vik"), "{page}");
    // A wrong code, or markup for a name, changes nothing and shows nothing raw.
    let other = tablet.show_code(&app).await;
    let bad = [("unit_id", "demo-unit-lia"), ("code", "ZZZZ-ZZZZ"), ("name", "x")];
    assert!(location(&hilde.post(&app, "/api/tablet/confirm", &bad).await).ends_with("feil=kode"));
    let marked = [("unit_id", "demo-unit-lia"), ("code", other.as_str()), ("name", "<b>Ute</b>")];
    hilde.post(&app, "/api/tablet/confirm", &marked).await;
    let page = hilde.text(&app, "/ansatt/nettbrett").await;
    assert!(page.contains("&lt;b&gt;Ute&lt;/b&gt;") && !page.contains("<b>Ute"), "escaped");
}

async fn staff_switch_with_their_pin_and_the_tablets_key_into_the_units_board_only(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut hilde = app.logged_in(HILDE).await;
    let mut tablet = Tablet::new();
    pair(&app, &mut hilde, &mut tablet, "Garderoben").await;
    assert!(set_pin(&app, BJORN, "1234").await.ends_with("feil=pin-enkel"));
    assert!(set_pin(&app, BJORN, "48213").await.ends_with("pin=1"));
    assert!(set_pin(&app, LEILA, "7391").await.ends_with("pin=1"));
    assert!(set_pin(&app, INGRID, "5917").await.ends_with("pin=1"));
    let tiles = tablet.browser.text(&app, "/nettbrett").await;
    assert!(tiles.contains("Bjørn Dahl") && tiles.contains("Leila Haddad"), "{tiles}");
    assert!(!tiles.contains("Ingrid Berg"), "staff of other units have no tile");

    // Ingrid has a PIN but no role at Lia; another device's key is not the tablet's.
    assert_eq!(tablet.switch(&app, INGRID, "5917").await, "\"Refused\"");
    let mut impostor = Tablet::new();
    impostor.browser.cookies = tablet.browser.cookies.clone();
    assert_eq!(impostor.switch(&app, BJORN, "48213").await, "\"Refused\"");
    assert!(tablet.switch(&app, BJORN, "48214").await.contains("WrongPin"));
    assert_eq!(tablet.switch(&app, BJORN, "48213").await, "\"Opened\"");
    let board = tablet.browser.text(&app, "/ansatt/dagen").await;
    assert!(board.contains("Lia barnehage, Blåbær") && board.contains("Lås"), "{board}");
    // The session's cookie, carried off the tablet, opens nothing.
    let mut away = Browser::new();
    away.cookies
        .insert("ranselpost_session".into(), tablet.browser.cookies["ranselpost_session"].clone());
    assert!(!away.text(&app, "/ansatt/dagen").await.contains("Blåbær"));

    // The PIN session's reach: the board's children, nothing of conversations or other units.
    let check = [("child_id", "demo-child-emma"), ("action", "in")];
    assert_eq!(tablet.browser.post(&app, "/api/child/check", &check).await.status(), 302);
    let jonas = [("child_id", "demo-child-jonas"), ("action", "in")];
    assert_eq!(tablet.browser.post(&app, "/api/child/check", &jonas).await.status(), 404);
    for path in
        ["/api/messages/inbox", "/api/child/details", "/api/child/inbox", "/api/child/compose"]
    {
        let res = tablet.browser.call(&app.public(path), &[("child_id", "demo-child-emma")]).await;
        assert_eq!(res.status(), 403, "{path}");
    }
    let inbox = tablet.browser.get(&app.public("/meldinger")).await.text().await.unwrap();
    assert!(!inbox.contains("Emma"), "{inbox}");
    // A daily note can be written from the tablet.
    let note =
        [("child_id", "demo-child-emma"), ("form[ate]", "well"), ("form[note]", "Malte en hest.")];
    let res = tablet.browser.post(&app, "/api/child/write_daily_note", &note).await;
    assert_eq!(location(&res), "/ansatt/dagen");

    // Leila takes over: Bjørn's session on the tablet ends.
    let (sessions,): (i64,) =
        app.one("SELECT COUNT(*) FROM session WHERE tablet_id IS NOT NULL").await;
    assert_eq!(sessions, 1);
    assert_eq!(tablet.switch(&app, LEILA, "7391").await, "\"Opened\"");
    let (who,): (String,) =
        app.one("SELECT person_id FROM session WHERE tablet_id IS NOT NULL").await;
    assert_eq!(who, "demo-staff-leila");
    // "Lås" ends it at once.
    let res = tablet.browser.post(&app, "/api/tablet/lock", &[]).await;
    assert_eq!(location(&res), "/nettbrett");
    let (sessions,): (i64,) =
        app.one("SELECT COUNT(*) FROM session WHERE tablet_id IS NOT NULL").await;
    assert_eq!(sessions, 0);
}

async fn five_wrong_pins_at_once_lock_the_pin_until_a_full_login(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut hilde = app.logged_in(HILDE).await;
    let mut tablet = Tablet::new();
    pair(&app, &mut hilde, &mut tablet, "Garderoben").await;
    assert!(set_pin(&app, LEILA, "7391").await.ends_with("pin=1"));
    // Twelve wrong PINs at once (a person's tries are limited to twenty a minute as well): at
    // most five are counted, and the PIN is locked.
    let tries = (0..12).map(|n| {
        let mut tab = Tablet {
            browser: tablet.browser.tab(),
            key: tablet.key.clone(),
            public: String::new(),
        };
        let app = &app;
        async move { tab.switch(app, LEILA, &format!("{:04}", 1000 + n * 7)).await }
    });
    let answers = futures::future::join_all(tries).await;
    let wrong = answers.iter().filter(|a| a.contains("WrongPin")).count();
    assert!(wrong <= 4, "{answers:?}");
    let (failures, locked): (i64, Option<i64>) =
        app.one("SELECT failures, locked_at FROM staff_tablet_pin").await;
    assert!(failures <= 5 && locked.is_some(), "{failures} {locked:?}");
    assert_eq!(tablet.switch(&app, LEILA, "7391").await, "\"Locked\"", "the right PIN too late");
    // A full login opens it again.
    drop(app.logged_in(LEILA).await);
    assert_eq!(tablet.switch(&app, LEILA, "7391").await, "\"Opened\"");
}

async fn unpairing_a_tablet_ends_every_session_on_it_at_once(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut hilde = app.logged_in(HILDE).await;
    let mut tablet = Tablet::new();
    pair(&app, &mut hilde, &mut tablet, "Garderoben").await;
    assert!(set_pin(&app, BJORN, "48213").await.ends_with("pin=1"));
    assert_eq!(tablet.switch(&app, BJORN, "48213").await, "\"Opened\"");
    let mut stream = tablet.browser.events(&app).await;
    assert_eq!(stream.status(), 200);
    let (tablet_id,): (String,) = app.one("SELECT id FROM tablet").await;
    // Only a leader of the unit can unpair it.
    let mut bjorn = app.logged_in(BJORN).await;
    let form = [("unit_id", "demo-unit-lia"), ("tablet_id", tablet_id.as_str())];
    assert_eq!(bjorn.post(&app, "/api/tablet/unpair", &form).await.status(), 403);
    let res = hilde.post(&app, "/api/tablet/unpair", &form).await;
    assert_eq!(location(&res), "/ansatt/nettbrett?enhet=demo-unit-lia&fjernet=1");
    // The session is gone, its event stream ends, and the tablet is not paired any longer.
    let board = tablet.browser.get(&app.public("/ansatt/dagen")).await;
    assert!(!board.text().await.unwrap().contains("Blåbær"));
    let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream ends with the session");
    assert!(tablet.browser.text(&app, "/nettbrett").await.contains("Koble til nettbrettet"));
    assert_eq!(tablet.switch(&app, BJORN, "48213").await, "404");
}

async fn a_tablet_session_ends_after_the_units_idle_minutes(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut hilde = app.logged_in(HILDE).await;
    let form = [("unit_id", "demo-unit-lia"), ("minutes", "7")];
    assert!(location(&hilde.post(&app, "/api/tablet/idle", &form).await).ends_with("lagret=1"));
    let form = [("unit_id", "demo-unit-lia"), ("minutes", "0")];
    assert!(location(&hilde.post(&app, "/api/tablet/idle", &form).await).ends_with("feil=tid"));
    let mut tablet = Tablet::new();
    pair(&app, &mut hilde, &mut tablet, "Garderoben").await;
    assert!(set_pin(&app, BJORN, "48213").await.ends_with("pin=1"));
    assert_eq!(tablet.switch(&app, BJORN, "48213").await, "\"Opened\"");
    let (idle,): (i64,) =
        app.one("SELECT idle_timeout_secs FROM session WHERE tablet_id IS NOT NULL").await;
    assert_eq!(idle, 7 * 60);
    app.run("UPDATE session SET last_seen_at = last_seen_at - 421 WHERE tablet_id IS NOT NULL")
        .await;
    let board = tablet.browser.get(&app.public("/ansatt/dagen")).await;
    assert!(!board.text().await.unwrap().contains("Blåbær"), "the session has ended");
}

async fn a_daily_note_is_escaped_written_once_however_many_taps_and_only_by_the_childs_kindergarten(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let bjorn = app.logged_in(BJORN).await;
    let marked = "<script>alert(1)</script><b>Sov godt</b>";
    let note = [("child_id", "demo-child-emma"), ("form[ate]", "well"), ("form[note]", marked)];
    // Twenty taps at once: one note.
    let taps = (0..20).map(|_| {
        let mut tab = bjorn.tab();
        let app = &app;
        async move { tab.post(app, "/api/child/write_daily_note", &note).await.status() }
    });
    for status in futures::future::join_all(taps).await {
        assert_eq!(status, 302);
    }
    let (notes,): (i64,) = app.one("SELECT COUNT(*) FROM daily_note").await;
    assert_eq!(notes, 1);
    // Kari reads it as text, in the page and nowhere raw.
    let mut kari = app.logged_in(KARI).await;
    let page = kari.text(&app, "/barn/demo-child-emma").await;
    assert!(page.contains("&lt;b&gt;Sov godt&lt;/b&gt;"), "{page}");
    assert!(!page.contains("<script>alert(1)") && !page.contains("<b>Sov godt"));
    // A megabyte of note is refused whole; the stored note stays as it was.
    let huge = "å".repeat(512 * 1024);
    let big = [("child_id", "demo-child-emma"), ("form[note]", huge.as_str())];
    let status = bjorn.tab().post(&app, "/api/child/write_daily_note", &big).await.status();
    assert!(status.is_client_error() || status.is_redirection(), "{status}");
    let (text,): (String,) = app.one("SELECT note FROM daily_note").await;
    assert_eq!(text, marked);
    // Not Kari, not a teacher of another unit.
    let res = kari.post(&app, "/api/child/write_daily_note", &note).await;
    assert_eq!(res.status(), 403);
    let mut ingrid = app.logged_in(INGRID).await;
    assert_eq!(ingrid.post(&app, "/api/child/write_daily_note", &note).await.status(), 404);
    let (written_by,): (String,) = app.one("SELECT written_by FROM daily_note").await;
    assert_eq!(written_by, "demo-staff-bjorn");
}

on_both_engines!(
    a_leader_pairs_a_tablet_by_its_code_once_and_only_for_a_unit_she_leads,
    staff_switch_with_their_pin_and_the_tablets_key_into_the_units_board_only,
    five_wrong_pins_at_once_lock_the_pin_until_a_full_login,
    unpairing_a_tablet_ends_every_session_on_it_at_once,
    a_tablet_session_ends_after_the_units_idle_minutes,
    a_daily_note_is_escaped_written_once_however_many_taps_and_only_by_the_childs_kindergarten
);
