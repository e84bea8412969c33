//! Messaging over HTTP as a browser without JavaScript uses it: plain form posts, redirects,
//! server-rendered pages; and the live event stream across two server processes.

mod support;

use app::backend::sql;
use support::browser::{Browser, location};
use support::personas::{ANNE, INGRID, KARI, NINA, OLA, PER};
use support::scenes::{forest_trip_to_4b, group_message, kari_writes_to_ingrid};
use support::{Engine, TestApp};

async fn kari(app: &TestApp) -> Browser {
    app.logged_in(KARI).await
}

async fn ingrid(app: &TestApp) -> Browser {
    app.logged_in(INGRID).await
}

/// Kari writes about Jonas to Ingrid; returns the conversation's path.
async fn kari_writes(app: &TestApp, kari: &mut Browser, body: &str) -> String {
    let to = kari_writes_to_ingrid(app, kari, "Henting", body).await;
    assert!(to.starts_with("/samtale/"), "{to}");
    to
}

/// The value of the recipient checked on a compose page.
fn preselected(page: &str) -> &str {
    let input = page
        .split("<input")
        .find(|i| i.contains("name=\"recipient\"") && i.contains(" checked"))
        .expect("a recipient is preselected");
    input.split("value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap()
}

async fn the_childs_own_contact_is_preselected_also_when_an_sfo_leader_could_be_written_to(
    engine: Engine,
) {
    // From 2027-01-04 Jonas also goes to Fjordvik SFO, whose name sorts before "skole" byte by
    // byte: the SFO leader is offered, but his contact teacher is the one chosen.
    let app = TestApp::demo().on("2027-01-04").spawn(engine).await;
    let mut kari = kari(&app).await;
    let jonas = kari.text(&app, "/barn/demo-child-jonas/ny-melding").await;
    assert!(jonas.contains("Fjordvik SFO"), "the SFO's staff are offered too: {jonas}");
    assert_eq!(preselected(&jonas), "demo-unit-fjordvik-skole:demo-staff-ingrid");
    assert_eq!(
        jonas.matches("name=\"recipient\"").count(),
        jonas.matches("recipient-name").count()
    );
    let emma = kari.text(&app, "/barn/demo-child-emma/ny-melding").await;
    assert_eq!(preselected(&emma), "demo-unit-lia:demo-staff-bjorn", "her pedagogical leader");
}

async fn a_flagged_message_comes_back_as_a_draft_until_confirmed_then_is_read_and_receipted(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let compose = kari.text(&app, "/barn/demo-child-jonas/ny-melding").await;
    assert!(compose.contains("Del ikke sensitive personopplysninger"), "standing warning");
    assert!(
        compose.contains(
            "Ingrid Berg</span> <span class=\"recipient-place\">Kontaktlærer, Fjordvik skole, 4B"
        ),
        "the contact teacher is offered with role, unit and class"
    );
    assert!(compose.contains("Kari Nordmann, Ola Nordmann"), "who will read it");

    let form = [
        ("child_id", "demo-child-jonas"),
        ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
        ("subject", "Om Jonas"),
        ("body", "Han har fått diagnosen ADHD"),
    ];
    let res = kari.post(&app, "/api/child/start_thread", &form).await;
    assert_eq!(res.status(), 302);
    let back = location(&res);
    assert!(back.starts_with("/barn/demo-child-jonas/ny-melding?utkast="), "{back}");
    let page = kari.text(&app, &back).await;
    assert!(page.contains("Han har fått diagnosen ADHD</textarea>"), "the draft is kept");
    assert!(page.contains(">ADHD</mark>"), "the word is highlighted");
    assert!(page.contains("kryss av hvis du vil sende likevel"));

    let mut confirmed = form.to_vec();
    confirmed.push(("confirmed", "on"));
    let res = kari.post(&app, "/api/child/start_thread", &confirmed).await;
    assert_eq!(res.status(), 302);
    let thread = location(&res);
    assert!(thread.starts_with("/samtale/"), "{thread}");
    let (flagged, confirmed_at): (Option<String>, Option<i64>) =
        sql::one(&app.db.pool, "SELECT flagged, confirmed_at FROM message", ()).await.unwrap();
    assert_eq!(flagged.as_deref(), Some("health"));
    assert!(confirmed_at.is_some(), "the confirmation is recorded");
    let page = kari.text(&app, &thread).await;
    assert!(page.contains("Ikke lest ennå"));

    let mut ingrid = ingrid(&app).await;
    let home = ingrid.text(&app, "/ansatt").await;
    assert!(home.contains("1 ulest"), "{home}");
    let page = ingrid.text(&app, &thread).await;
    assert!(page.contains("Han har fått diagnosen ADHD"));
    let home = ingrid.text(&app, "/ansatt").await;
    assert!(!home.contains("ulest"), "opening it clears the count");
    let page = kari.text(&app, &thread).await;
    assert!(page.contains("Lest av Ingrid Berg"), "Kari sees it read");

    let mut ola = app.logged_in(OLA).await;
    let inbox = ola.text(&app, "/meldinger").await;
    assert!(inbox.contains("Om Jonas") && inbox.contains("1 ulest"));
    let mut per = app.logged_in(PER).await;
    assert_eq!(per.get(&app.public(&thread)).await.status(), 404);
    assert!(!per.text(&app, "/meldinger").await.contains("Om Jonas"));
}

async fn answers_to_a_group_message_go_only_to_the_staff(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut ingrid = ingrid(&app).await;
    let page = ingrid.text(&app, "/ansatt/gruppemelding").await;
    assert!(page.contains("Fjordvik skole, 4B (24 barn)"), "{page}");
    let res = group_message(
        &app,
        &mut ingrid,
        "group:demo-group-4b",
        "Skogstur fredag",
        "Vi går til skogen på fredag. Ta med matpakke.",
    )
    .await;
    assert_eq!(res.status(), 302);
    let group = location(&res);

    let mut per = app.logged_in(PER).await;
    let inbox = per.text(&app, "/meldinger").await;
    assert!(inbox.contains("Skogstur fredag"));
    let res = per
        .post(
            &app,
            "/api/messages/reply",
            &[
                ("thread_id", group.trim_start_matches("/samtale/")),
                ("body", "Lise har ikke regntøy, kan hun låne?"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let private = location(&res);
    assert_ne!(private, group, "the answer is a conversation of its own");

    let mut kari = kari(&app).await;
    let inbox = kari.text(&app, "/meldinger").await;
    assert!(inbox.contains("Skogstur fredag"));
    assert!(!inbox.contains("regntøy"));
    let page = kari.text(&app, &group).await;
    assert!(!page.contains("regntøy"));
    assert_eq!(kari.get(&app.public(&private)).await.status(), 404);

    let page = ingrid.text(&app, &private).await;
    assert!(page.contains("Lise har ikke regntøy"));
    let page = ingrid.text(&app, &group).await;
    assert!(page.contains("Lest av 1 av 4"), "Kari has read it: {page}");
    // By name, family by family: whom to remind.
    assert!(page.contains("Kari Nordmann (lest)"), "{page}");
    assert!(page.contains("Per Hansen (ikke lest)"), "{page}");
    assert!(!page.contains("Nås ikke digitalt"), "{page}");
    // Nina is reserved against digital contact in KRR (known from her login): her family is
    // marked as one the school must reach another way.
    let _nina = app.logged_in(NINA).await;
    let page = ingrid.text(&app, &group).await;
    assert!(page.contains("Nås ikke digitalt ifølge KRR"), "{page}");
    assert!(page.contains("Nås ikke digitalt: 1"), "{page}");
}

async fn empty_long_and_identity_number_texts_are_refused_with_the_text_kept(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let long = "a".repeat(10_001);
    for (body, explanation) in [
        ("   ", "Skriv en melding før du sender."),
        (long.as_str(), "høyst 10 000 tegn"),
        ("Jonas 229115 50060", "inneholder et fødselsnummer"),
    ] {
        let res = kari
            .post(
                &app,
                "/api/child/start_thread",
                &[
                    ("child_id", "demo-child-jonas"),
                    ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
                    ("body", body),
                    ("confirmed", "on"),
                ],
            )
            .await;
        assert_eq!(res.status(), 302);
        let back = location(&res);
        let page = kari.text(&app, &back).await;
        assert!(page.contains(explanation), "{explanation}");
        if !body.trim().is_empty() {
            // A draft never holds more than could be sent: a text over the limit is kept cut
            // to it.
            let kept: String = body.chars().take(10_000).collect();
            assert!(page.contains(&format!(">{kept}</textarea>")), "the text is kept");
        }
    }
    let (n,): (i64,) = app.one("SELECT COUNT(*) FROM message").await;
    assert_eq!(n, 0);
}

async fn text_is_stored_as_typed_and_shown_escaped(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let body = "<script>alert('x')</script> & <b>fet</b>";
    let thread = kari_writes(&app, &mut kari, body).await;
    let (stored,): (String,) = app.one("SELECT body FROM message").await;
    assert_eq!(stored, body);
    let page = kari.text(&app, &thread).await;
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("&lt;script&gt;alert"));
}

/// The value of hidden field `name` on a page.
fn hidden(page: &str, name: &str) -> String {
    let at = format!("name=\"{name}\" value=\"");
    let rest = &page[page.find(&at).unwrap_or_else(|| panic!("no {name} in {page}")) + at.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

async fn a_reply_tapped_five_times_from_one_page_is_sent_once(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let thread = kari_writes(&app, &mut kari, "Bestemor henter i dag.").await;
    let page = kari.text(&app, &thread).await;
    let once = hidden(&page, "once");
    let id = thread.trim_start_matches("/samtale/");
    let form = [("thread_id", id), ("body", "Hun kommer kl. 15."), ("once", &once)];
    let taps = (0..5).map(|_| {
        let mut tab = kari.tab();
        let app = &app;
        async move { tab.post(app, "/api/messages/reply", &form).await }
    });
    for res in futures::future::join_all(taps).await {
        assert_eq!(res.status(), 302);
        assert_eq!(location(&res), thread, "every tap lands on the conversation");
    }
    let (sent,): (i64,) =
        app.one("SELECT COUNT(*) FROM message WHERE body = 'Hun kommer kl. 15.'").await;
    assert_eq!(sent, 1);
    // The page it lands on has an empty answer box and a new token: the next answer is new.
    let after = kari.text(&app, &thread).await;
    assert_ne!(hidden(&after, "once"), once);
    assert!(after.contains("></textarea>"), "the answer box is empty");
    let again =
        [("thread_id", id), ("body", "Hun kommer kl. 15."), ("once", &hidden(&after, "once"))];
    assert_eq!(kari.post(&app, "/api/messages/reply", &again).await.status(), 302);
    let (sent,): (i64,) =
        app.one("SELECT COUNT(*) FROM message WHERE body = 'Hun kommer kl. 15.'").await;
    assert_eq!(sent, 2, "the same words sent on purpose a second time are sent");
}

async fn a_new_message_reaches_an_open_screen_served_by_another_process(engine: Engine) {
    let first = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&first).await;
    let thread = kari_writes(&first, &mut kari, "Bestemor henter i dag.").await;
    let mut per = first.logged_in(PER).await;
    // The second process takes over the demo's test login (its own address), so everyone on
    // the first logs in before it starts.
    let second = first.spawn_sharing().await;
    let mut ingrid = ingrid(&second).await;

    let mut kari_events = kari.events(&first).await;
    assert_eq!(kari_events.status(), 200);
    let mut per_events = per.events(&first).await;
    // Ingrid answers through the other server.
    let res = ingrid
        .post(
            &second,
            "/api/messages/reply",
            &[("thread_id", thread.trim_start_matches("/samtale/")), ("body", "Takk for beskjed!")],
        )
        .await;
    assert_eq!(res.status(), 302);
    let id = thread.trim_start_matches("/samtale/");
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains(id) {
        let chunk = tokio::time::timeout_at(deadline, kari_events.chunk())
            .await
            .expect("the event arrives within 10 s")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: message"), "{seen}");
    // Per may not read the conversation: his stream says nothing of it.
    let nothing = tokio::time::timeout(std::time::Duration::from_secs(2), per_events.chunk()).await;
    if let Ok(Ok(Some(chunk))) = nothing {
        assert!(!String::from_utf8_lossy(&chunk).contains(id));
    }
    // Without a session there is no stream.
    let anonymous = Browser::new().client.get(first.public("/api/events")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    drop(per.get(&first.public("/")).await);
}

async fn a_unit_leader_sets_staff_hours_and_guardians_are_told_when_to_expect_an_answer(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut anne = app.logged_in(ANNE).await;
    let res = anne
        .post(
            &app,
            "/api/messages/hours",
            &[("unit_id", "demo-unit-fjordvik-skole"), ("hours", "hver dag")],
        )
        .await;
    assert_eq!(location(&res), "/ansatt/gruppemelding?timer=ugyldig");
    // Hours that never include now: only the day after tomorrow, in the small hours.
    let (weekday, _) = app::backend::clock::Clock::real().weekday_and_minute();
    let day = (weekday + 1) % 7 + 1;
    let hours = format!("{day}-{day} 00:00-00:01");
    let res = anne
        .post(
            &app,
            "/api/messages/hours",
            &[("unit_id", "demo-unit-fjordvik-skole"), ("hours", &hours)],
        )
        .await;
    assert_eq!(res.status(), 302);
    let mut kari = kari(&app).await;
    let page = kari.text(&app, "/barn/demo-child-jonas/ny-melding").await;
    assert!(page.contains("Fjordvik skole leser meldinger"), "{page}");
    assert!(page.contains("Du kan vente svar tidligst"), "{page}");
    // Ingrid is not the unit's leader.
    let mut ingrid = ingrid(&app).await;
    let res = ingrid
        .post(
            &app,
            "/api/messages/hours",
            &[("unit_id", "demo-unit-fjordvik-skole"), ("hours", "")],
        )
        .await;
    assert_eq!(res.status(), 403);
}

/// Everything an open event stream says within `wait`.
async fn heard(events: &mut reqwest::Response, wait: std::time::Duration) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, events.chunk()).await {
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

/// A server function called as the browser's JavaScript does: (status, body).
async fn call(
    app: &TestApp,
    browser: &mut Browser,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let form: Vec<(String, String)> =
        form.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let res = browser.post_form(&app.public(path), &form, "same-origin").await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

async fn a_staff_member_whose_role_ends_loses_its_conversations_in_her_open_session(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = kari(&app).await;
    let thread = kari_writes(&app, &mut kari, "Bestemor henter i dag.").await;
    let id = thread.trim_start_matches("/samtale/").to_owned();
    let mut ingrid = ingrid(&app).await;
    assert_eq!(ingrid.get(&app.public(&thread)).await.status(), 200);
    let group = forest_trip_to_4b(&app, &mut ingrid).await;
    let mut stream = ingrid.events(&app).await;
    assert_eq!(stream.status(), 200);

    // Ingrid moves to 4A: she still works at the school, no longer with Jonas or 4B.
    app.run(
        "UPDATE staff_role SET group_id = 'demo-group-4a' WHERE person_id = 'demo-staff-ingrid'",
    )
    .await;
    assert_eq!(ingrid.get(&app.public(&thread)).await.status(), 404);
    assert_eq!(ingrid.get(&app.public(&group)).await.status(), 404);
    let (status, body) =
        call(&app, &mut ingrid, "/api/messages/thread", &[("thread_id", &id)]).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = call(
        &app,
        &mut ingrid,
        "/api/messages/reply",
        &[("thread_id", &id), ("body", "Takk for beskjed!")],
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = call(&app, &mut ingrid, "/api/messages/inbox", &[]).await;
    assert_eq!(status, 200);
    assert!(
        !body.contains("Henting") && !body.contains("Skogstur") && !body.contains("Jonas"),
        "{body}"
    );
    let inbox = ingrid.text(&app, "/meldinger").await;
    assert!(!inbox.contains("Henting") && !inbox.contains("Skogstur"));
    // Kari writes again: nothing of it reaches Ingrid, neither live nor as a count.
    let res = kari
        .post(&app, "/api/messages/reply", &[("thread_id", &id), ("body", "Og i morgen også.")])
        .await;
    assert_eq!(res.status(), 302);
    let said = heard(&mut stream, std::time::Duration::from_secs(3)).await;
    assert!(!said.contains(&id), "{said}");
    let home = ingrid.text(&app, "/ansatt").await;
    assert!(!home.contains("ulest") && !home.contains("Jonas"), "{home}");

    // No role at all: no inbox and no event stream.
    app.run("DELETE FROM staff_role WHERE person_id = 'demo-staff-ingrid'").await;
    let (status, _) = call(&app, &mut ingrid, "/api/messages/inbox", &[]).await;
    assert_eq!(status, 403);
    assert_eq!(ingrid.events(&app).await.status(), 403);
    // The family still has its conversation.
    let page = kari.text(&app, &thread).await;
    assert!(page.contains("Og i morgen også."));
}

async fn a_guardian_who_loses_parental_responsibility_can_no_longer_read_or_answer(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    // Emma goes to 4B too, so Kari gets the class's message for two children.
    app.run(
        "INSERT INTO enrollment (id, child_id, group_id, valid_from)
         VALUES ('emma-4b', 'demo-child-emma', 'demo-group-4b', '2026-08-17')",
    )
    .await;
    let mut kari = kari(&app).await;
    let thread = kari_writes(&app, &mut kari, "Bestemor henter i dag.").await;
    let mut ingrid = ingrid(&app).await;
    let group = forest_trip_to_4b(&app, &mut ingrid).await;
    let group_id = group.trim_start_matches("/samtale/").to_owned();
    let page = kari.text(&app, &group).await;
    assert!(page.contains("value=\"demo-child-jonas\""), "{page}");

    // The register ends Kari's responsibility for Jonas; her session goes on.
    app.run(
        "UPDATE guardianship SET valid_to = '2026-01-01'
         WHERE person_id = 'demo-person-kari' AND child_id = 'demo-child-jonas'",
    )
    .await;
    assert_eq!(kari.get(&app.public(&thread)).await.status(), 404);
    let res = kari
        .post(
            &app,
            "/api/messages/reply",
            &[("thread_id", thread.trim_start_matches("/samtale/")), ("body", "Hallo?")],
        )
        .await;
    assert_eq!(res.status(), 404);
    // She may still answer the class's message, but about Emma only.
    let page = kari.text(&app, &group).await;
    assert!(!page.contains("value=\"demo-child-jonas\""), "{page}");
    let res = kari
        .post(
            &app,
            "/api/messages/reply",
            &[
                ("thread_id", &group_id),
                ("child_id", "demo-child-jonas"),
                ("body", "Jonas har ikke regntøy."),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    let (about_jonas,): (i64,) = sql::one(
        &app.db.pool,
        "SELECT COUNT(*) FROM thread WHERE origin_id = $1 AND child_id = 'demo-child-jonas'",
        (&group_id,),
    )
    .await
    .unwrap();
    assert_eq!(about_jonas, 0);
    let res = kari
        .post(
            &app,
            "/api/messages/reply",
            &[
                ("thread_id", &group_id),
                ("child_id", "demo-child-emma"),
                ("body", "Emma har ikke regntøy."),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let inbox = kari.text(&app, "/meldinger").await;
    assert!(!inbox.contains("Henting"), "{inbox}");
    // Ola still has Jonas.
    let mut ola = app.logged_in(OLA).await;
    assert_eq!(ola.get(&app.public(&thread)).await.status(), 200);
}

on_both_engines!(
    the_childs_own_contact_is_preselected_also_when_an_sfo_leader_could_be_written_to,
    a_staff_member_whose_role_ends_loses_its_conversations_in_her_open_session,
    a_guardian_who_loses_parental_responsibility_can_no_longer_read_or_answer,
    a_flagged_message_comes_back_as_a_draft_until_confirmed_then_is_read_and_receipted,
    answers_to_a_group_message_go_only_to_the_staff,
    empty_long_and_identity_number_texts_are_refused_with_the_text_kept,
    text_is_stored_as_typed_and_shown_escaped,
    a_reply_tapped_five_times_from_one_page_is_sent_once,
    a_new_message_reaches_an_open_screen_served_by_another_process,
    a_unit_leader_sets_staff_hours_and_guardians_are_told_when_to_expect_an_answer
);
