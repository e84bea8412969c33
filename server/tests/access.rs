//! Every server function the app has, found from the router rather than listed by hand, called
//! by people who must get nothing: an anonymous client, a guardian of another family, a father
//! without parental responsibility, and staff of other units. The only exceptions are named
//! here, with why. A new server function is covered the day it is added.

mod support;

use app::backend::sql;
use support::browser::{Browser, location};
use support::personas::{BJORN, KARI, PER, Persona, SIV, TOR};
use support::scenes::{kari_writes_to_ingrid, report_for_jonas};
use support::{Engine, TestApp};

/// Anyone may call these: the directory a visitor needs before logging in, and the language.
const PUBLIC: [&str; 3] =
    ["/api/public/language", "/api/public/municipalities", "/api/public/municipality"];

/// Quick unlock happens before there is a session: these answer every caller alike (see
/// `server/tests/quick_unlock.rs` and `limits.rs`), and open nothing without a device's key. So
/// do a shared tablet's own calls before anyone is switched in on it (being paired, its staff
/// tiles, a challenge, a switch, the lock): they need the tablet's cookie and key
/// (`server/tests/tablet.rs`).
const BEFORE_LOGIN: [&str; 10] = [
    "/api/device/challenge",
    "/api/device/unlock",
    "/api/device/passkey/unlock/begin",
    "/api/device/passkey/unlock/finish",
    "/api/tablet/pair_start",
    "/api/tablet/pair_poll",
    "/api/tablet/home",
    "/api/tablet/challenge",
    "/api/tablet/switch",
    "/api/tablet/lock",
];

/// What Kari's family wrote, which nobody outside it (and its staff) may ever be shown.
const SUBJECT: &str = "Hytteturen til Geilo";
const BODY: &str = "Vi drar torsdag kveld";
const NOTE: &str = "Bestemor Randi kommer";
const PICKUP: &str = "Onkel Sverre";
/// What an intruder tries to write into Kari's family's records.
const INTRUDER: &str = "Inntrenger";

fn all_paths() -> Vec<&'static str> {
    let mut paths: Vec<&'static str> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

fn guarded(path: &str) -> bool {
    !PUBLIC.contains(&path) && !BEFORE_LOGIN.contains(&path)
}

/// Kari's family's records: a conversation about Jonas with his teacher, an absence report
/// for Jonas, a pick-up note for Emma. Returns the conversation's id and the absence's.
async fn karis_family_writes(app: &TestApp) -> (String, String) {
    let mut kari = app.logged_in(KARI).await;
    let thread = kari_writes_to_ingrid(app, &mut kari, SUBJECT, BODY).await;
    let thread = thread.strip_prefix("/samtale/").expect("the new conversation").to_owned();
    let later = [("when", "days"), ("first_day", "2099-06-01"), ("kind", "other"), ("note", NOTE)];
    let back = report_for_jonas(app, &mut kari, &later).await;
    assert!(back.ends_with("?meldt=1"), "{back}");
    let res = kari
        .post(
            app,
            "/api/child/write_pickup",
            &[("child_id", "demo-child-emma"), ("who", PICKUP), ("at_time", "15:30")],
        )
        .await;
    assert!(location(&res).contains("lagret=1"));
    let (absence,): (String,) = app.one("SELECT id FROM absence").await;
    (thread, absence)
}

/// Every field any server function reads, filled with Kari's family's ids and with what an
/// intruder would write, so that a function that forgot its check would act.
fn intrusion(thread: &str, absence: &str) -> Vec<(String, String)> {
    [
        ("child_id", "demo-child-jonas"),
        ("thread_id", thread),
        ("absence_id", absence),
        ("unit_id", "demo-unit-fjordvik-skole"),
        ("group", "demo-group-4b"),
        ("target", "group:demo-unit-fjordvik-skole:demo-group-4b"),
        ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
        ("subject", INTRUDER),
        ("body", INTRUDER),
        ("title", INTRUDER),
        ("who", INTRUDER),
        ("at_time", "15:00"),
        ("day", "2099-06-02"),
        ("starts", "10:00"),
        ("form[when]", "today"),
        ("form[kind]", "illness"),
        ("form[note]", INTRUDER),
        ("form[target]", "group:demo-unit-fjordvik-skole:demo-group-4b"),
        ("form[title]", INTRUDER),
        ("form[day]", "2099-06-02"),
        ("form[starts]", "10:00"),
        ("going", "yes"),
        ("decision", "grant"),
        ("action", "create"),
        ("hours", "man-fre 08-16"),
        ("number", "4601"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// Everything Kari's family wrote about Jonas (and Emma's pick-up note, unless `emmas_staff`).
fn tells_nothing(body: &str, emmas_staff: bool) -> bool {
    [SUBJECT, BODY, NOTE].iter().all(|s| !body.contains(s))
        && (emmas_staff || !body.contains(PICKUP))
}

async fn every_server_function_refuses_anonymous_callers_and_tells_outsiders_nothing(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let (thread, absence) = karis_family_writes(&app).await;
    let paths = all_paths();
    assert!(paths.len() >= 40, "every server function is registered: {paths:?}");
    for listed in PUBLIC.iter().chain(&BEFORE_LOGIN) {
        assert!(paths.contains(listed), "{listed} is still a server function");
    }
    let form = intrusion(&thread, &absence);

    let mut anonymous = Browser::new();
    for path in paths.iter().filter(|p| guarded(p)) {
        let res = anonymous.post_form(&app.public(path), &form, "same-origin").await;
        let status = res.status();
        let body = res.text().await.unwrap();
        assert!(status.is_client_error(), "{path} anonymously: {status} {body}");
        assert!(tells_nothing(&body, false), "{path} anonymously: {body}");
    }

    let outsiders: [(Persona, &str); 4] = [
        (PER, "a guardian of another family"),
        (TOR, "a father without parental responsibility"),
        (BJORN, "Emma's kindergarten teacher, not of Jonas's school"),
        (SIV, "staff of an SFO Jonas has not started at"),
    ];
    for (who, what) in outsiders {
        let emmas_staff = who.id == BJORN.id;
        let mut browser = app.logged_in(who).await;
        for path in paths.iter().filter(|p| guarded(p)) {
            let res = browser.post_form(&app.public(path), &form, "same-origin").await;
            let status = res.status();
            let body = res.text().await.unwrap();
            assert!(tells_nothing(&body, emmas_staff), "{path} as {what}: {status} {body}");
            if path.starts_with("/api/child/") {
                assert!(status.is_client_error(), "{path} as {what}: {status} {body}");
            }
        }
    }

    // Nothing of Kari's family's was changed, and nothing was written in their name.
    let (messages,): (i64,) =
        sql::one(&app.db.pool, "SELECT COUNT(*) FROM message WHERE thread_id = $1", (&thread,))
            .await
            .unwrap();
    assert_eq!(messages, 1, "no answer was added to the conversation");
    let (status,): (String,) =
        sql::one(&app.db.pool, "SELECT status FROM absence WHERE id = $1", (&absence,))
            .await
            .unwrap();
    assert_eq!(status, "reported", "the absence was neither withdrawn nor decided");
    for (table, column) in [
        ("message", "body"),
        ("thread", "subject"),
        ("absence", "note"),
        ("pickup_note", "who"),
        ("activity", "title"),
    ] {
        let (n,): (i64,) = sql::one(
            &app.db.pool,
            &format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"),
            (INTRUDER,),
        )
        .await
        .unwrap();
        assert_eq!(n, 0, "{table}.{column}: written by an outsider");
    }
}

on_both_engines!(every_server_function_refuses_anonymous_callers_and_tells_outsiders_nothing);
