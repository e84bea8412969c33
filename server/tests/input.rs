//! What people type and what a request carries, over HTTP against the real server on both
//! engines: every free-text field goes through the sensitive-text guard, request bodies are
//! bounded, drafts are capped, and malformed input is a 4xx in the person's language — never a
//! 500, never a decoder's words, and never a control character stored.

mod support;

use support::browser::{Browser, location};
use support::personas::{BJORN, INGRID, KARI};
use support::scenes::{
    days_from_today, group_message, kari_writes_to_ingrid, plan_activity, report_for_jonas,
};
use support::{Engine, TestApp};

const FNR: &str = "22911550060";

/// Words of the decoders and frameworks that must never reach a person.
const LIBRARY_WORDS: &[&str] = &[
    "invalid utf-8",
    "Multiple",
    "missing field",
    "deserializ",
    "invalid type",
    "length limit",
    "Failed to",
    "server function",
];

async fn kari(app: &TestApp) -> Browser {
    app.logged_in(KARI).await
}

async fn ingrid(app: &TestApp) -> Browser {
    app.logged_in(INGRID).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = app.one(sql).await;
    n
}

fn assert_no_library_words(body: &str) {
    for word in LIBRARY_WORDS {
        assert!(!body.to_lowercase().contains(&word.to_lowercase()), "{word:?} in {body}");
    }
}

/// A same-origin post of `body` as it is, with the content type and Accept given.
async fn post_raw(
    app: &TestApp,
    browser: &Browser,
    path: &str,
    content_type: &str,
    accept: &str,
    body: Vec<u8>,
) -> (u16, String) {
    let cookies =
        browser.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let res = browser
        .client
        .post(app.public(path))
        .header("cookie", cookies)
        .header("content-type", content_type)
        .header("accept", accept)
        .header("sec-fetch-site", "same-origin")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

async fn a_subject_with_an_identity_number_is_refused_in_a_conversation_and_a_group_message(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let back = kari_writes_to_ingrid(&app, &mut kari, &format!("Fnr {FNR}"), "Hei").await;
    assert!(back.starts_with("/barn/demo-child-jonas/ny-melding?utkast="), "{back}");
    let page = kari.text(&app, &back).await;
    assert!(page.contains("inneholder et fødselsnummer"), "the reason is given");
    assert!(page.contains(&format!(">{FNR}</mark>")), "the number is marked in the subject");

    let mut ingrid = ingrid(&app).await;
    let res = ingrid
        .post(
            &app,
            "/api/messages/send_group",
            &[
                ("target", "group:demo-group-4b"),
                ("subject", &format!("Til {FNR}")),
                ("body", "Vi går på tur fredag."),
                ("confirmed", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert!(location(&res).starts_with("/ansatt/gruppemelding?utkast="), "{}", location(&res));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM thread").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM message").await, 0);

    // Anything else the guard finds in a subject needs the confirmation, as in the body.
    let res = group_message(
        &app,
        &mut ingrid,
        "group:demo-group-4b",
        "Om ADHD i klassen",
        "Vi går på tur fredag.",
    )
    .await;
    let back = location(&res);
    assert!(back.starts_with("/ansatt/gruppemelding?utkast="), "{back}");
    let page = ingrid.text(&app, &back).await;
    assert!(page.contains("kryss av hvis du vil sende likevel"));
    assert!(page.contains(">ADHD</mark>"), "the subject's word is marked");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM message").await, 0);
}

async fn every_other_free_text_field_with_an_identity_number_is_refused(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let thread = kari_writes_to_ingrid(&app, &mut kari, "Henting", "Hei").await;

    // An answer.
    let res = kari
        .post(
            &app,
            "/api/messages/reply",
            &[
                ("thread_id", thread.trim_start_matches("/samtale/")),
                ("body", &format!("Nummeret er {FNR}")),
                ("confirmed", "on"),
            ],
        )
        .await;
    assert!(location(&res).contains("utkast="), "{}", location(&res));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM message").await, 1);

    // An absence note.
    let note = format!("Fnr {FNR}");
    let today = [("when", "today"), ("part", "whole"), ("kind", "illness"), ("note", &note)];
    let back =
        report_for_jonas(&app, &mut kari, &[&today[..], &[("confirmed", "on")]].concat()).await;
    assert!(back.contains("utkast="), "{back}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM absence").await, 0);

    // Who picks a child up.
    let res = kari
        .post(
            &app,
            "/api/child/write_pickup",
            &[
                ("child_id", "demo-child-emma"),
                ("who", &format!("Mormor {FNR}")),
                ("at_time", "15:30"),
            ],
        )
        .await;
    let back = location(&res);
    assert!(back.contains("utkast="), "{back}");
    let page = kari.text(&app, &back).await;
    assert!(page.contains("inneholder et fødselsnummer"), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM pickup_note").await, 0);

    // An activity's title, place and what to bring.
    let mut bjorn = app.logged_in(BJORN).await;
    let day = days_from_today(3);
    for field in ["title", "place", "bring"] {
        let text = format!("Tur {FNR}");
        let mut form = vec![
            ("target", "group:demo-unit-lia:demo-group-blabaer"),
            ("title", "Skogstur"),
            ("day", day.as_str()),
            ("starts", "09:00"),
        ];
        form.retain(|(k, _)| *k != field);
        form.push((field, &text));
        let back = plan_activity(&app, &mut bjorn, &form).await;
        assert!(back.starts_with("/ansatt/aktiviteter?utkast="), "{field}: {back}");
        let page = bjorn.text(&app, &back).await;
        assert!(page.contains("inneholder et fødselsnummer"), "{field}");
        assert!(page.contains("Skogstur") || field == "title", "the rest is kept: {field}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM activity").await, 0);

    // A device's name (set up right after an ID-porten login).
    let (_, public) = support::device::device_key();
    let res = kari
        .post_form(
            &app.public("/api/device/register"),
            &support::device::pairs(&[
                ("public_key", &public),
                ("pin", "2580"),
                ("pin_again", "2580"),
                ("name", &format!("Telefon {FNR}")),
            ]),
            "same-origin",
        )
        .await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("guard.problem.national_id"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM device_credential").await, 0);
}

async fn a_one_megabyte_answer_is_refused_and_no_draft_keeps_it(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let thread = kari_writes_to_ingrid(&app, &mut kari, "Henting", "Hei").await;
    let thread_id = thread.trim_start_matches("/samtale/");

    let res = kari
        .post(
            &app,
            "/api/messages/reply",
            &[("thread_id", thread_id), ("body", &"a".repeat(1 << 20))],
        )
        .await;
    assert_eq!(res.status(), 413);
    let page = res.text().await.unwrap();
    assert!(page.contains("Det du sendte er for stort"), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM kept_form").await, 0);

    // A text over the limit but within the body limit comes back as a draft, cut to the limit.
    let res = kari
        .post(
            &app,
            "/api/messages/reply",
            &[("thread_id", thread_id), ("body", &"æ".repeat(20_000))],
        )
        .await;
    assert!(location(&res).contains("utkast="), "{}", location(&res));
    let kept: Vec<(String,)> = app.all("SELECT fields FROM kept_form").await;
    let longest = kept
        .iter()
        .map(|(json,)| {
            let fields: serde_json::Value = serde_json::from_str(json).unwrap();
            fields["body"].as_str().unwrap().chars().count() as i64
        })
        .max()
        .unwrap_or(0);
    assert_eq!(longest, app::domain::guard::MAX_MESSAGE_CHARS as i64);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM message").await, 1);
}

async fn a_body_over_two_megabytes_is_a_413_in_the_persons_language(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let kari = kari(&app).await;
    let body = format!("child_id=demo-child-jonas&subject=Hei&body={}", "a".repeat(2_200_000))
        .into_bytes();

    // A form posted without JavaScript gets a page.
    let (status, page) =
        post_raw(&app, &kari, "/api/child/start_thread", FORM, "text/html", body.clone()).await;
    assert_eq!(status, 413);
    assert!(page.contains("<html lang=\"nb\">"), "{page}");
    assert!(page.contains("Det du sendte er for stort"), "{page}");
    assert_no_library_words(&page);

    // The app's own call gets its error, which it shows in the person's language.
    let (status, json) = post_raw(&app, &kari, "/api/child/start_thread", FORM, JSON, body).await;
    assert_eq!(status, 413);
    let error: app::api::AppError = serde_json::from_str(&json).unwrap();
    assert_eq!(error.message_key(), "error.too_large");

    // A body sent in chunks declares no length; it is cut off all the same.
    let (status, page) = chunked_post(&app, "/api/child/start_thread", 400_000).await;
    assert_eq!(status, 413, "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM thread").await, 0);
}

/// Posts `size` bytes of form body in chunks (no Content-Length): the status and the body.
async fn chunked_post(app: &TestApp, path: &str, size: usize) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {FORM}\r\nAccept: text/html\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 16 * 1024];
    let mut sent = 0;
    while sent < size {
        let piece = format!("{:x}\r\n", chunk.len());
        // The server may answer and close before everything is sent.
        if stream.write_all(piece.as_bytes()).await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

async fn malformed_input_is_a_400_in_plain_words(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let thread = kari_writes_to_ingrid(&app, &mut kari, "Henting", "Hei").await;
    let thread_id = thread.trim_start_matches("/samtale/").to_owned();
    let reply = "/api/messages/reply";
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "invalid UTF-8 in the body",
            FORM,
            [format!("thread_id={thread_id}&body=").as_bytes(), b"\xff\xfe"].concat(),
        ),
        (
            "invalid UTF-8 percent-encoded",
            FORM,
            format!("thread_id={thread_id}&body=%FF%FE").into_bytes(),
        ),
        ("a field given twice", FORM, format!("thread_id={thread_id}&body=a&body=b").into_bytes()),
        ("a missing field", FORM, b"body=Hei".to_vec()),
        ("not a form at all", "text/plain", b"Hei".to_vec()),
        ("broken JSON", JSON, b"{\"thread_id\":".to_vec()),
    ];
    for (what, content_type, body) in cases {
        for accept in ["text/html", JSON] {
            let (status, text) =
                post_raw(&app, &kari, reply, content_type, accept, body.clone()).await;
            assert_eq!(status, 400, "{what} ({accept}): {text}");
            assert_no_library_words(&text);
            assert!(
                text.contains("error.bad_input") || text.contains("Skjemaet kom ikke fram"),
                "{what} ({accept}): {text}"
            );
        }
    }
    // A JSON function given a wrong type, anonymously.
    let (status, text) = post_raw(
        &app,
        &Browser::new(),
        "/api/device/passkey/unlock/begin",
        JSON,
        JSON,
        br#"{"credential_id": 5}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{text}");
    assert_no_library_words(&text);
    // A form the framework reads itself (the identity provider's logout call).
    let (status, text) = post_raw(
        &app,
        &Browser::new(),
        "/auth/backchannel-logout",
        FORM,
        "*/*",
        b"nothing=here".to_vec(),
    )
    .await;
    assert!((400..500).contains(&status), "{status} {text}");
    assert_no_library_words(&text);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM message").await, 1);
}

async fn a_nul_byte_is_never_stored_and_never_reaches_the_database(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let thread =
        kari_writes_to_ingrid(&app, &mut kari, "Om\0 Jonas\u{1b}", "Hei\0 der,\r\nvi ses").await;
    assert!(thread.starts_with("/samtale/"), "{thread}");
    let (subject,): (String,) = app.one("SELECT subject FROM thread").await;
    let (body,): (String,) = app.one("SELECT body FROM message").await;
    assert_eq!(subject, "Om Jonas");
    assert_eq!(body, "Hei der,\r\nvi ses", "line breaks stay");

    let res = kari
        .post(
            &app,
            "/api/child/write_pickup",
            &[("child_id", "demo-child-emma"), ("who", "Mormor\0 Randi"), ("at_time", "15:30")],
        )
        .await;
    assert_eq!(location(&res), "/barn/demo-child-emma/henting?lagret=1");
    let (who,): (String,) = app.one("SELECT who FROM pickup_note").await;
    assert_eq!(who, "Mormor Randi");

    // An id with a NUL in the address is refused before it reaches the database (PostgreSQL
    // would fail on it, SQLite would not).
    for path in ["/samtale/%00", "/barn/demo-child-jonas/ny-melding?utkast=%00"] {
        let res = kari.get(&app.public(path)).await;
        assert_eq!(res.status(), 400, "{path}");
        assert_no_library_words(&res.text().await.unwrap());
    }
    let (status, text) = post_raw(
        &app,
        &kari,
        "/api/messages/reply",
        FORM,
        JSON,
        b"thread_id=%00&body=Hei".to_vec(),
    )
    .await;
    assert_eq!(status, 404, "the id is cleaned and then unknown: {text}");

    // A server function reads URL-encoded arguments whatever the declared type: a body sent as
    // text/plain, or with no type, is cleaned all the same.
    let thread_id = thread.trim_start_matches("/samtale/").to_owned();
    for content_type in ["text/plain", ""] {
        let (status, text) = post_raw(
            &app,
            &kari,
            "/api/messages/reply",
            content_type,
            JSON,
            format!("thread_id={thread_id}&body=Ogs%C3%A5%00+i+morgen").into_bytes(),
        )
        .await;
        assert!(status < 500, "{content_type:?}: {status} {text}");
        assert_no_library_words(&text);
    }
    let bodies: Vec<(String,)> = app.all("SELECT body FROM message").await;
    assert!(
        bodies.iter().all(|(b,)| !b.contains('\0')),
        "no NUL stored, whatever the content type: {bodies:?}"
    );
}

async fn a_refused_plain_form_post_is_a_page_in_words_with_the_way_back(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut bjorn = app.logged_in(BJORN).await;
    let odd = [("child_id", "demo-child-emma"), ("action", "sideways"), ("group", "")];
    let res = bjorn.submit_on(&app, "/ansatt/dagen", "/api/child/check", &odd).await;
    assert_eq!(res.status(), 400);
    let page = res.text().await.unwrap();
    assert!(page.contains("Skjemaet kom ikke fram slik det skulle"), "{page}");
    assert!(page.contains("href=\"/ansatt/dagen\""), "the way back: {page}");
    assert!(!page.contains("board.error") && !page.contains("Invalid"), "{page}");
    // Something that is not (or no longer) there, as a stale second tab finds it.
    let mut kari = app.logged_in(KARI).await;
    let gone = [("child_id", "demo-child-jonas"), ("absence_id", "no-such-absence")];
    let res = kari
        .submit_on(
            &app,
            "/barn/demo-child-jonas/fravaer?endre=x",
            "/api/child/withdraw_absence",
            &gone,
        )
        .await;
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(page.contains("finnes ikke lenger"), "{page}");
    assert!(page.contains("href=\"/barn/demo-child-jonas/fravaer?endre=x\""), "{page}");
    assert!(!page.contains("NotFound"), "{page}");
    // The app's own calls still get the function's answer to read.
    let res = bjorn.call(&app.public("/api/child/check"), &odd).await;
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("board.error.action"));
}

on_both_engines!(
    a_subject_with_an_identity_number_is_refused_in_a_conversation_and_a_group_message,
    every_other_free_text_field_with_an_identity_number_is_refused,
    a_one_megabyte_answer_is_refused_and_no_draft_keeps_it,
    a_body_over_two_megabytes_is_a_413_in_the_persons_language,
    malformed_input_is_a_400_in_plain_words,
    a_nul_byte_is_never_stored_and_never_reaches_the_database,
    a_refused_plain_form_post_is_a_page_in_words_with_the_way_back,
);
