//! Absence, leave, activities, the calendar feed and the tablet day over HTTP, as a browser
//! without JavaScript uses them.

mod support;

use support::browser::{Browser, location, read};
use support::personas::{ANNE, BJORN, INGRID, KARI, LEILA, OLA, PER, SIV};
use support::scenes::{days_from_today, plan_activity, report_for_jonas};
use support::{Engine, TestApp};

async fn a_reported_absence_is_seen_by_school_and_sfo_and_the_guardians_see_who_saw_it(
    engine: Engine,
) {
    let app = TestApp::demo().on("2027-01-04").spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let back = report_for_jonas(
        &app,
        &mut kari,
        &[("when", "today"), ("part", "whole"), ("kind", "illness"), ("body", "Feber i natt")],
    )
    .await;
    assert_eq!(back, "/barn/demo-child-jonas/fravaer?meldt=1");
    let page = kari.text(&app, &back).await;
    assert!(
        page.contains("Fraværet er meldt. Fjordvik skole og Fjordvik SFO ser det."),
        "the confirmation names the units that see it: {page}"
    );

    let mut ingrid = app.logged_in(INGRID).await;
    let list = ingrid.text(&app, "/ansatt/fravaer").await;
    assert!(list.contains("Fjordvik skole, 4B") && list.contains("Jonas Nordmann"));
    assert!(list.contains("Feber i natt"));
    let mut siv = app.logged_in(SIV).await;
    let list = siv.text(&app, "/ansatt/fravaer").await;
    assert!(list.contains("Fjordvik SFO") && list.contains("Jonas Nordmann"), "{list}");

    let (id,): (String,) = app.one("SELECT id FROM absence").await;
    let res = ingrid
        .post(
            &app,
            "/api/absence/ack",
            &[("absence_id", &id), ("unit_id", "demo-unit-fjordvik-skole")],
        )
        .await;
    assert_eq!(res.status(), 302);
    // Ingrid cannot acknowledge for the SFO.
    let res = ingrid
        .post(
            &app,
            "/api/absence/ack",
            &[("absence_id", &id), ("unit_id", "demo-unit-fjordvik-sfo")],
        )
        .await;
    assert_eq!(res.status(), 404);

    let mut ola = app.logged_in(OLA).await;
    let mine = ola.text(&app, "/barn/demo-child-jonas/fravaer").await;
    assert!(mine.contains("Sett av Fjordvik skole: Ingrid Berg"), "{mine}");
    assert!(mine.contains("meldt av Kari Nordmann"));
    // Seen today: it can no longer be withdrawn.
    let res = ola
        .post(
            &app,
            "/api/child/withdraw_absence",
            &[("child_id", "demo-child-jonas"), ("absence_id", &id)],
        )
        .await;
    assert_eq!(location(&res), "/barn/demo-child-jonas/fravaer?feil=started");
    // Per has nothing to do with Jonas.
    let mut per = app.logged_in(PER).await;
    assert_eq!(per.get(&app.public("/barn/demo-child-jonas/fravaer")).await.status(), 404);
}

async fn bad_days_are_explained_and_the_form_comes_back_as_typed(engine: Engine) {
    let app = TestApp::demo().on("2027-01-04").spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    for (fields, explanation) in [
        (
            vec![("when", "dates"), ("first_day", "2027-01-10"), ("last_day", "2027-01-08")],
            "Sluttdatoen er før startdatoen.",
        ),
        (
            vec![("when", "dates"), ("first_day", "2027-01-01"), ("last_day", "2027-01-05")],
            "Datoen har vært.",
        ),
        (
            vec![("when", "dates"), ("first_day", "2027-01-05"), ("last_day", "2028-02-01")],
            "lengre enn et skoleår",
        ),
        (
            vec![("when", "today"), ("part", "part"), ("from_time", "12:00"), ("to_time", "10:00")],
            "Fra-tiden må være før til-tiden.",
        ),
    ] {
        let mut all = fields.clone();
        all.push(("kind", "other"));
        all.push(("body", "Tannlege"));
        let back = report_for_jonas(&app, &mut kari, &all).await;
        assert!(back.contains("utkast="), "{back}");
        let html = kari.text(&app, &back).await;
        assert!(html.contains(explanation), "{explanation}: {html}");
        assert!(html.contains("Tannlege</textarea>"), "the note is kept");
        if let Some((_, first)) = fields.iter().find(|(k, _)| *k == "first_day") {
            assert!(html.contains(&format!("value=\"{first}\"")), "the dates are kept");
        }
        // Where the eye is: opened at a summary at the top of the form that takes the focus,
        // names the field and links to it; the field is marked and described by it.
        assert!(back.ends_with("#feil"), "{back}");
        let at = html.find("class=\"error-summary\"").expect("an error summary");
        let summary = &html[html[..at].rfind('<').unwrap()..];
        assert!(summary.contains("autofocus") && summary.contains("Fraværet ble ikke meldt"));
        let form_part = html.split("class=\"error-summary\"").next().unwrap();
        assert!(!form_part.contains("<fieldset"), "the summary comes before the fields");
        let field = summary.split("<a href=\"#").nth(1).and_then(|s| s.split('"').next());
        let field = field.expect("the summary links to the field");
        let input = html.split(&format!("id=\"{field}\"")).nth(1).expect("the field");
        let input = &input[..input.find('>').unwrap()];
        assert!(
            input.contains("aria-invalid=\"true\"") && input.contains("aria-describedby=\"feil\""),
            "{field}: {input}"
        );
    }
    let (n,): (i64,) = app.one("SELECT COUNT(*) FROM absence").await;
    assert_eq!(n, 0);
    // A future absence can be changed and withdrawn.
    report_for_jonas(
        &app,
        &mut kari,
        &[
            ("when", "dates"),
            ("first_day", "2027-01-11"),
            ("last_day", "2027-01-12"),
            ("kind", "other"),
        ],
    )
    .await;
    let (id,): (String,) = app.one("SELECT id FROM absence").await;
    let edit = kari.text(&app, &format!("/barn/demo-child-jonas/fravaer?endre={id}")).await;
    assert!(edit.contains("value=\"2027-01-11\"") && edit.contains("Lagre endringen"));
    report_for_jonas(
        &app,
        &mut kari,
        &[
            ("absence_id", &id),
            ("when", "dates"),
            ("first_day", "2027-01-13"),
            ("last_day", "2027-01-13"),
            ("kind", "other"),
        ],
    )
    .await;
    let (first,): (String,) = app.one("SELECT first_day FROM absence").await;
    assert_eq!(first, "2027-01-13");
    let res = kari
        .post(
            &app,
            "/api/child/withdraw_absence",
            &[("child_id", "demo-child-jonas"), ("absence_id", &id)],
        )
        .await;
    assert_eq!(location(&res), "/barn/demo-child-jonas/fravaer?trukket=1");
}

/// Kari applies for leave for Jonas on the form of its own (`/barn/…/permisjon`), with the
/// dates and a reason; the principal decides.
async fn apply_for_leave(app: &TestApp, kari: &mut Browser, reason: &str) -> String {
    let later = days_from_today(20);
    report_for_jonas(
        app,
        kari,
        &[
            ("when", "dates"),
            ("first_day", &later),
            ("last_day", &later),
            ("part", "whole"),
            ("kind", "leave"),
            ("body", reason),
        ],
    )
    .await
}

async fn a_second_report_for_the_same_day_asks_first_and_loses_nothing(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let ill_today =
        [("when", "today"), ("part", "whole"), ("kind", "illness"), ("body", "Feber og vondt")];
    let mut kari = app.logged_in(KARI).await;
    assert_eq!(
        report_for_jonas(&app, &mut kari, &ill_today).await,
        "/barn/demo-child-jonas/fravaer?meldt=1"
    );
    // Ola has not seen that Kari already reported: he is asked, and his text is kept.
    let mut ola = app.logged_in(OLA).await;
    let back = report_for_jonas(&app, &mut ola, &ill_today).await;
    assert!(back.starts_with("/barn/demo-child-jonas/fravaer?utkast=") && back.ends_with("#feil"));
    let page = ola.text(&app, &back).await;
    assert!(page.contains("allerede fravær meldt for noen av disse dagene"), "{page}");
    assert!(page.contains("Feber og vondt") && page.contains("name=\"overlap\""), "{page}");
    let (count,): (i64,) = app.one("SELECT COUNT(*) FROM absence").await;
    assert_eq!(count, 1);
    // Confirmed, it is reported; another day is not asked about.
    let confirmed = [ill_today.as_slice(), &[("overlap", "on")]].concat();
    assert_eq!(
        report_for_jonas(&app, &mut ola, &confirmed).await,
        "/barn/demo-child-jonas/fravaer?meldt=1"
    );
    let tomorrow = [("when", "tomorrow"), ("part", "whole"), ("kind", "other")];
    assert_eq!(
        report_for_jonas(&app, &mut ola, &tomorrow).await,
        "/barn/demo-child-jonas/fravaer?meldt=1"
    );
    let (count,): (i64,) = app.one("SELECT COUNT(*) FROM absence").await;
    assert_eq!(count, 3);
}

async fn staff_see_the_coming_days_absence_and_counts_on_their_start_page(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let tomorrow = [("when", "tomorrow"), ("part", "whole"), ("kind", "other")];
    report_for_jonas(&app, &mut kari, &tomorrow).await;
    let later = days_from_today(3);
    let dates =
        [("when", "dates"), ("first_day", &later), ("last_day", &later), ("kind", "illness")];
    report_for_jonas(&app, &mut kari, &dates).await;

    let mut ingrid = app.logged_in(INGRID).await;
    let home = ingrid.text(&app, "/ansatt").await;
    assert!(home.contains("0 i dag, 1 i morgen"), "{home}");
    // A school teacher has no check-in board to be offered; a kindergarten teacher has.
    assert!(!home.contains("href=\"/ansatt/dagen\""), "{home}");
    let list = ingrid.text(&app, "/ansatt/fravaer").await;
    assert!(list.contains("Ingen har meldt fravær i dag"), "{list}");
    let nb = app::i18n::I18n::new(app::i18n::Locale::Nb);
    for day in [days_from_today(1), later] {
        assert!(list.contains(&format!("<h3>{}</h3>", nb.date(&day))), "{day}: {list}");
    }
    let items = list.matches("<p class=\"card-title\">Jonas Nordmann</p>").count();
    assert_eq!(items, 2, "{list}");
    let mut bjorn = app.logged_in(BJORN).await;
    assert!(bjorn.text(&app, "/ansatt").await.contains("href=\"/ansatt/dagen\""));
}

async fn the_principal_decides_on_leave_and_both_guardians_are_told(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let form = kari.text(&app, "/barn/demo-child-jonas/fravaer").await;
    assert!(form.contains("href=\"/barn/demo-child-jonas/permisjon\""), "{form}");
    assert!(!form.contains("value=\"leave\""), "leave is not one of the absence reasons");
    let emma = kari.text(&app, "/barn/demo-child-emma/fravaer").await;
    assert!(!emma.contains("/permisjon"), "no leave in kindergarten");
    let leave = kari.text(&app, "/barn/demo-child-jonas/permisjon").await;
    assert!(leave.contains("Søk om permisjon for Jonas Nordmann"), "{leave}");
    assert!(leave.contains("rektor ved Fjordvik skole"), "{leave}");

    // Without a reason it is not sent, and says so at the top of the form.
    let back = apply_for_leave(&app, &mut kari, "").await;
    assert!(
        back.starts_with("/barn/demo-child-jonas/permisjon?utkast=") && back.ends_with("#feil")
    );
    let page = kari.text(&app, &back).await;
    assert!(page.contains("Skriv hvorfor dere søker om permisjon"), "{page}");
    let (none,): (i64,) = app.one("SELECT COUNT(*) FROM absence").await;
    assert_eq!(none, 0);

    let back = apply_for_leave(&app, &mut kari, "Bryllup i familien").await;
    assert_eq!(back, "/barn/demo-child-jonas/permisjon?meldt=permisjon");
    let page = kari.text(&app, &back).await;
    assert!(page.contains("sendt til rektor ved Fjordvik skole"), "{page}");
    assert!(page.contains("Sendt til rektor, venter på svar"), "{page}");
    assert!(!page.contains("Fraværet er meldt"), "an application is not said to be reported");
    assert!(!page.contains("Ikke sett ennå"), "an application is decided, not seen");
    let (id, status): (String, String) = app.one("SELECT id, status FROM absence").await;
    assert_eq!(status, "requested");
    let mut ingrid = app.logged_in(INGRID).await;
    let fields = [("absence_id", id.as_str()), ("decision", "grant"), ("reason", "")];
    let res = ingrid.post(&app, "/api/absence/decide", &fields).await;
    assert_eq!(res.status(), 403, "only the principal decides");

    let mut anne = app.logged_in(ANNE).await;
    let list = anne.text(&app, "/ansatt/fravaer").await;
    assert!(list.contains("Søknader om permisjon") && list.contains("Bryllup i familien"));
    // A refusal needs a reason: without one nothing is decided, and the page says why there.
    let fields = [("absence_id", id.as_str()), ("decision", "refuse"), ("reason", " ")];
    let res = anne.post(&app, "/api/absence/decide", &fields).await;
    let back = location(&res);
    assert!(back.contains(&format!("soknad={id}")) && back.ends_with(&format!("#soknad-{id}")));
    assert!(anne.text(&app, &back).await.contains("Skriv en begrunnelse for avslaget"));
    let (status,): (String,) = app.one("SELECT status FROM absence").await;
    assert_eq!(status, "requested");

    let fields = [
        ("absence_id", id.as_str()),
        ("decision", "refuse"),
        ("reason", "Skolen har heldagsprøve den dagen"),
    ];
    let res = anne.post(&app, "/api/absence/decide", &fields).await;
    assert_eq!(location(&res), "/ansatt/fravaer?avgjort=1");
    // Both guardians read the decision on the child's page and in a message from the principal.
    for persona in [KARI, OLA] {
        let mut guardian = app.logged_in(persona).await;
        let mine = guardian.text(&app, "/barn/demo-child-jonas/permisjon").await;
        assert!(mine.contains("Permisjon avslått"), "{mine}");
        assert!(mine.contains("Avgjort av Anne Solberg: Skolen har heldagsprøve den dagen"));
        assert!(!mine.contains("Ikke sett ennå"), "{mine}");
        let inbox = guardian.text(&app, "/barn/demo-child-jonas/meldinger").await;
        assert!(inbox.contains("Permisjon for Jonas"), "{inbox}");
    }
    let res = anne.post(&app, "/api/absence/decide", &fields).await;
    assert_eq!(res.status(), 404, "decided once");
}

async fn activities_sign_up_and_the_calendar_feed(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let day = days_from_today(3);
    let mut bjorn = app.logged_in(BJORN).await;
    let back = plan_activity(
        &app,
        &mut bjorn,
        &[
            ("target", "group:demo-unit-lia:demo-group-4b"),
            ("title", "X"),
            ("day", &day),
            ("starts", "09:00"),
        ],
    )
    .await;
    // Refused, and what was typed comes back with why, at the top of the form.
    assert!(back.starts_with("/ansatt/aktiviteter?utkast=") && back.ends_with("#feil"), "{back}");
    let again = bjorn.text(&app, &back).await;
    assert!(again.contains("Velg en gruppe du jobber med"), "{again}");
    assert!(again.contains(&format!("value=\"{day}\"")), "the day is kept");
    let back = plan_activity(
        &app,
        &mut bjorn,
        &[
            ("target", "group:demo-unit-lia:demo-group-blabaer"),
            ("title", "Skogstur"),
            ("day", &day),
            ("starts", "09:00"),
            ("ends", "12:00"),
            ("place", "Lia-skogen"),
            ("bring", "Sitteunderlag"),
            ("signup", "on"),
        ],
    )
    .await;
    assert_eq!(back, "/ansatt/aktiviteter?lagret=1");
    let (id,): (String,) = app.one("SELECT id FROM activity").await;

    let mut kari = app.logged_in(KARI).await;
    let list = kari.text(&app, "/aktiviteter").await;
    assert!(list.contains("Skogstur") && list.contains("Ta med: Sitteunderlag"));
    let res = kari
        .post(
            &app,
            "/api/child/signup",
            &[("child_id", "demo-child-emma"), ("activity_id", &id), ("going", "yes")],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert!(kari.text(&app, "/aktiviteter").await.contains("Påmeldt"));
    // The staff see who comes and whom to remind, by name.
    let list = bjorn.text(&app, "/ansatt/aktiviteter").await;
    assert!(list.contains("Påmeldt: 1 · Ikke svart: 17"), "{list}");
    let answers = &list[list.find("<details class=\"answers\"").expect("the answers")..];
    let answers = &answers[..answers.find("</details>").expect("their end")];
    let (coming, to_remind) = answers.split_once("Ikke svart:</strong>").expect("whom to remind");
    assert!(coming.contains("Kommer:</strong>") && coming.contains("Emma Sofie Nordmann"));
    assert!(!to_remind.contains("Emma"), "Emma has answered: {answers}");
    // Jonas is not in Blåbær.
    let res = kari
        .post(
            &app,
            "/api/child/signup",
            &[("child_id", "demo-child-jonas"), ("activity_id", &id), ("going", "yes")],
        )
        .await;
    assert_eq!(res.status(), 404);

    let token = support::browser::make_calendar_address(&app, &mut kari).await;
    let feed = app.client.get(app.public(&format!("/kalender/{token}.ics"))).send().await.unwrap();
    assert_eq!(feed.status(), 200);
    assert!(feed.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = feed.text().await.unwrap();
    assert!(ics.contains("SUMMARY:Skogstur"));
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo"), "every TZID is defined");
    // What leaves for the calendar service: the first name, not the full name, school or class.
    assert!(ics.contains("DESCRIPTION:Emma"), "{ics}");
    for told_too_much in ["Emma Sofie", "Nordmann", "Lia barnehage", "Blåbær"] {
        assert!(!ics.contains(told_too_much), "{told_too_much} in {ics}");
    }

    // A change reaches the guardians as a message.
    let form = bjorn.text(&app, &format!("/ansatt/aktiviteter?endre={id}")).await;
    assert!(form.contains("value=\"Lia-skogen\"") && form.contains("Lagre og varsle"));
    let back = plan_activity(
        &app,
        &mut bjorn,
        &[
            ("activity_id", &id),
            ("title", "Skogstur"),
            ("day", &day),
            ("starts", "10:00"),
            ("place", "Lia-skogen"),
            ("signup", "on"),
        ],
    )
    .await;
    assert_eq!(back, "/ansatt/aktiviteter?lagret=1");
    assert!(kari.text(&app, "/meldinger").await.contains("Endret: Skogstur"));
    let (starts,): (String,) = app.one("SELECT starts FROM activity").await;
    assert_eq!(starts, "10:00");

    // "Avlys" asks first, saying who will be told, with room for a reason.
    let list = bjorn.text(&app, "/ansatt/aktiviteter").await;
    let ask = format!("/ansatt/aktiviteter?avlys={id}#avlys");
    assert!(list.contains(&ask.replace('&', "&amp;")) || list.contains(&ask), "{list}");
    let asking = bjorn.text(&app, &format!("/ansatt/aktiviteter?avlys={id}")).await;
    assert!(asking.contains("Alle familiene i Lia barnehage, Blåbær får en melding"), "{asking}");
    assert!(asking.contains("name=\"reason\""));
    // A reason with personal data is not sent to every family, and nothing is cancelled.
    let res = bjorn
        .post(
            &app,
            "/api/activities/cancel",
            &[("activity_id", &id), ("reason", "Emma har fått diagnosen ADHD")],
        )
        .await;
    // The reason comes back in the confirmation box, with why.
    let back = location(&res);
    assert!(back.contains(&format!("avlys={id}")) && back.contains("utkast="), "{back}");
    let again = bjorn.text(&app, &back).await;
    assert!(
        again.contains("Grunnen ble ikke sendt") && again.contains("Emma har fått diagnosen ADHD")
    );
    let (cancelled,): (Option<i64>,) = app.one("SELECT cancelled_at FROM activity").await;
    assert_eq!(cancelled, None);
    // Cancelling reaches the guardians as a message, with the reason, and the feed marks it.
    let res = bjorn
        .post(
            &app,
            "/api/activities/cancel",
            &[("activity_id", &id), ("reason", "Det er meldt storm.")],
        )
        .await;
    assert_eq!(res.status(), 302);
    let inbox = kari.text(&app, "/meldinger").await;
    assert!(inbox.contains("Avlyst: Skogstur"));
    let (body,): (String,) =
        app.one("SELECT body FROM message WHERE body LIKE '%er avlyst.%'").await;
    assert!(body.ends_with("er avlyst. Det er meldt storm."), "with the reason: {body}");
    let ics = read(app.client.get(app.public(&format!("/kalender/{token}.ics")))).await;
    assert!(ics.contains("STATUS:CANCELLED"));
    kari.post(&app, "/api/activities/calendar", &[("action", "revoke")]).await;
    let gone = app.client.get(app.public(&format!("/kalender/{token}.ics"))).send().await.unwrap();
    assert_eq!(gone.status(), 404);
}

async fn a_pickup_note_shows_on_the_tile_and_check_out_marks_it_seen(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let res = kari
        .post(
            &app,
            "/api/child/write_pickup",
            &[("child_id", "demo-child-emma"), ("who", "Mormor Randi"), ("at_time", "15:30")],
        )
        .await;
    assert_eq!(location(&res), "/barn/demo-child-emma/henting?lagret=1");
    let res = kari
        .post(
            &app,
            "/api/child/write_pickup",
            &[("child_id", "demo-child-emma"), ("who", "Morfar"), ("at_time", "halv fire")],
        )
        .await;
    let back = location(&res);
    assert!(kari.text(&app, &back).await.contains("Skriv klokkeslettet som tt:mm"));
    // Tomorrow's note, written the evening before, with a comment: on tomorrow's board only.
    let tomorrow = [
        ("child_id", "demo-child-emma"),
        ("who", "Onkel Sverre"),
        ("at_time", "14:15"),
        ("day", "tomorrow"),
        ("comment", "Han venter ved porten med sykkelvogna."),
    ];
    let res = kari.post(&app, "/api/child/write_pickup", &tomorrow).await;
    assert_eq!(location(&res), "/barn/demo-child-emma/henting?lagret=1");
    let (day,): (String,) = app.one("SELECT day FROM pickup_note WHERE who = 'Onkel Sverre'").await;
    assert_eq!(day, days_from_today(1));
    let page = kari.text(&app, "/barn/demo-child-emma/henting").await;
    let (today_part, tomorrow_part) =
        page.split_once("<h2>I morgen</h2>").expect("a list for tomorrow");
    assert!(
        tomorrow_part.contains("Onkel Sverre henter 14:15")
            && tomorrow_part.contains("sykkelvogna")
    );
    assert!(!today_part.contains("Onkel Sverre"));

    let mut bjorn = app.logged_in(BJORN).await;
    // Staff who work with Emma see her note but cannot write one, nor act as her family
    // otherwise.
    for (path, form) in [
        (
            "/api/child/write_pickup",
            vec![("child_id", "demo-child-emma"), ("who", "Noen andre"), ("at_time", "14:00")],
        ),
        (
            "/api/child/signup",
            vec![("child_id", "demo-child-emma"), ("activity_id", "x"), ("going", "yes")],
        ),
        ("/api/child/withdraw_absence", vec![("child_id", "demo-child-emma"), ("absence_id", "x")]),
    ] {
        let res = bjorn.post(&app, path, &form).await;
        assert_eq!(res.status(), 403, "{path}");
    }
    let board = bjorn.text(&app, "/ansatt/dagen").await;
    assert!(board.contains("Emma Sofie Nordmann") && board.contains("Mormor Randi henter 15:30"));
    assert!(!board.contains("Noen andre"));
    assert!(!board.contains("Onkel Sverre"), "tomorrow's note is not on today's board");
    // Nor can it be marked seen today, even by a post made by hand.
    let (note,): (String,) = app.one("SELECT id FROM pickup_note WHERE who = 'Onkel Sverre'").await;
    let ack = [("child_id", "demo-child-emma"), ("note_id", note.as_str())];
    bjorn.post(&app, "/api/child/ack_pickup", &ack).await;
    let (seen,): (Option<i64>,) =
        app.one("SELECT ack_at FROM pickup_note WHERE who = 'Onkel Sverre'").await;
    assert_eq!(seen, None);
    assert!(board.contains("Til stede nå: 0 av 18"));
    // Just checked in, the tile says so where its button was, and offers "Angre" instead of
    // "Kryss ut": a double tap does not check her out again.
    let check = |action: &'static str| {
        [("child_id", "demo-child-emma"), ("action", action), ("group", "demo-group-blabaer")]
    };
    bjorn.post(&app, "/api/child/check", &check("in")).await;
    let board = bjorn.text(&app, "/ansatt/dagen").await;
    assert!(board.contains("Emma Sofie Nordmann er krysset inn") && board.contains("Angre"));
    assert!(!board.contains("Kryss ut Emma"), "{board}");
    bjorn.post(&app, "/api/child/check", &check("undo-in")).await;
    assert!(bjorn.text(&app, "/ansatt/dagen").await.contains("Til stede nå: 0 av 18"));
    // Undoing a check-out that was not made changes nothing.
    bjorn.post(&app, "/api/child/check", &check("undo-out")).await;
    let (rows,): (i64,) =
        app.one("SELECT COUNT(*) FROM attendance WHERE checked_in_at IS NOT NULL").await;
    assert_eq!(rows, 0);
    for action in ["in", "out"] {
        let res = bjorn
            .post(
                &app,
                "/api/child/check",
                &[
                    ("child_id", "demo-child-emma"),
                    ("action", action),
                    ("group", "demo-group-blabaer"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/ansatt/dagen?gruppe=demo-group-blabaer");
        if action == "in" {
            // Only a group id goes back into the address (a line break would break the header).
            let odd = [("child_id", "demo-child-emma"), ("action", "in"), ("group", "a\r\nb")];
            let res = bjorn.post(&app, "/api/child/check", &odd).await;
            assert_eq!(location(&res), "/ansatt/dagen");
            assert!(bjorn.text(&app, "/ansatt/dagen").await.contains("Til stede nå: 1 av 18"));
        }
    }
    // Checked out by mistake and taken back: she is here again, and the pick-up note the
    // check-out marked as seen is new again; checked out once more, it is seen.
    let seen =
        || app.one::<(Option<i64>,)>("SELECT ack_at FROM pickup_note WHERE who = 'Mormor Randi'");
    assert!(seen().await.0.is_some());
    // Two tablets (or a double tap) undoing at the same moment: both answered, undone once.
    let taps = (0..10).map(|_| {
        let mut tab = bjorn.tab();
        let app = &app;
        async move { tab.post(app, "/api/child/check", &check("undo-out")).await }
    });
    for res in futures::future::join_all(taps).await {
        assert_eq!(res.status(), 302);
    }
    assert!(bjorn.text(&app, "/ansatt/dagen").await.contains("Til stede nå: 1 av 18"));
    assert_eq!(seen().await.0, None);
    bjorn.post(&app, "/api/child/check", &check("out")).await;
    assert!(seen().await.0.is_some());
    let mine = kari.text(&app, "/barn/demo-child-emma/henting").await;
    assert!(mine.contains("Sett av Bjørn Dahl"), "{mine}");
    // Guardians cannot check children in or out.
    let res = kari
        .post(&app, "/api/child/check", &[("child_id", "demo-child-emma"), ("action", "in")])
        .await;
    assert_eq!(res.status(), 403);
}

/// Reads `stream` until it has said `event: board`; how long that took, or `None` if it said
/// nothing of the kind within `within`.
async fn board_event_within(
    stream: &mut reqwest::Response,
    within: std::time::Duration,
) -> Option<std::time::Duration> {
    let start = tokio::time::Instant::now();
    let mut seen = String::new();
    while !seen.contains("event: board") {
        match tokio::time::timeout_at(start + within, stream.chunk()).await {
            Ok(Ok(Some(chunk))) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            _ => return None,
        }
    }
    Some(start.elapsed())
}

async fn a_check_in_on_one_tablet_reaches_the_units_other_boards_and_the_family_within_a_second(
    engine: Engine,
) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let leila = app.logged_in(LEILA).await;
    let ingrid = app.logged_in(INGRID).await;
    // The second tablet is served by another process on the same database.
    let second = app.spawn_sharing().await;
    let mut bjorn = second.logged_in(BJORN).await;
    let mut on_leilas_board = leila.events(&app).await;
    let mut on_karis_phone = kari.events(&app).await;
    let mut at_another_school = ingrid.events(&app).await;
    assert_eq!(on_leilas_board.status(), 200);
    let second_of = std::time::Duration::from_secs(1);

    let check = [("child_id", "demo-child-emma"), ("action", "in")];
    assert_eq!(bjorn.post(&second, "/api/child/check", &check).await.status(), 302);
    let took = board_event_within(&mut on_leilas_board, second_of).await;
    assert!(took.is_some(), "Leila's board hears of the check-in within a second");
    assert!(board_event_within(&mut on_karis_phone, second_of).await.is_some());
    let board = leila.tab().text(&app, "/ansatt/dagen").await;
    assert!(board.contains("Til stede nå: 1 av"), "{board}");
    // A teacher of another unit hears nothing of Emma.
    let nothing = board_event_within(&mut at_another_school, second_of * 2).await;
    assert!(nothing.is_none(), "Ingrid does not work with Emma");

    // Kari's pick-up note reaches the boards the same way.
    let note = [("child_id", "demo-child-emma"), ("who", "Mormor Randi"), ("at_time", "15:30")];
    assert_eq!(kari.post(&app, "/api/child/write_pickup", &note).await.status(), 302);
    assert!(board_event_within(&mut on_leilas_board, second_of).await.is_some());
    let board = bjorn.text(&second, "/ansatt/dagen").await;
    assert!(board.contains("Mormor Randi henter 15:30"), "{board}");
}

async fn twenty_taps_on_two_tablets_at_once_leave_one_consistent_check_in(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let bjorn = app.logged_in(BJORN).await;
    let leila = app.logged_in(LEILA).await;
    let taps = (0..20).map(|n| {
        let mut tablet = if n % 2 == 0 { bjorn.tab() } else { leila.tab() };
        let app = &app;
        async move {
            let check = [("child_id", "demo-child-emma"), ("action", "in")];
            tablet.post(app, "/api/child/check", &check).await.status()
        }
    });
    for status in futures::future::join_all(taps).await {
        assert_eq!(status, 302);
    }
    let (rows, checked_in, checked_out): (i64, i64, i64) = app
        .one(
            "SELECT COUNT(*), COUNT(checked_in_at), COUNT(checked_out_at) FROM attendance
             WHERE child_id = 'demo-child-emma'",
        )
        .await;
    assert_eq!((rows, checked_in, checked_out), (1, 1, 0), "one row, checked in, not out");
    // Check-outs and check-ins crossing each other end in one of the two states, whole.
    let taps = (0..20).map(|n| {
        let mut tablet = if n % 2 == 0 { bjorn.tab() } else { leila.tab() };
        let app = &app;
        async move {
            let action = if n % 3 == 0 { "in" } else { "out" };
            let check = [("child_id", "demo-child-emma"), ("action", action)];
            tablet.post(app, "/api/child/check", &check).await.status()
        }
    });
    for status in futures::future::join_all(taps).await {
        assert_eq!(status, 302);
    }
    let (rows, in_by, out_at, out_by): (i64, Option<String>, Option<i64>, Option<String>) = app
        .one(
            "SELECT COUNT(*), MAX(checked_in_by), MAX(checked_out_at), MAX(checked_out_by)
             FROM attendance WHERE child_id = 'demo-child-emma'",
        )
        .await;
    assert_eq!(rows, 1);
    assert!(in_by.is_some());
    assert_eq!(out_at.is_some(), out_by.is_some(), "a check-out has its time and its author");
}

async fn half_past_midnight_on_a_summer_night_an_absence_lands_on_the_new_day_and_check_in_shows_oslo_time(
    engine: Engine,
) {
    // 22:30 UTC on 14 June is 00:30 on Tuesday 15 June in Norway (summer time, UTC+2).
    let app = TestApp::demo().on("2027-06-14T22:30:00Z").spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let back = report_for_jonas(
        &app,
        &mut kari,
        &[("when", "today"), ("part", "whole"), ("kind", "illness"), ("body", "Kastet opp i natt")],
    )
    .await;
    assert_eq!(back, "/barn/demo-child-jonas/fravaer?meldt=1");
    let (first, last): (String, String) = app.one("SELECT first_day, last_day FROM absence").await;
    assert_eq!((first.as_str(), last.as_str()), ("2027-06-15", "2027-06-15"));
    let mut ingrid = app.logged_in(INGRID).await;
    let list = ingrid.text(&app, "/ansatt/fravaer").await;
    assert!(list.contains("Fravær tirsdag 15. juni"), "{list}");
    assert!(list.contains("Jonas Nordmann"), "{list}");

    let mut bjorn = app.logged_in(BJORN).await;
    let res = bjorn
        .post(
            &app,
            "/api/child/check",
            &[("child_id", "demo-child-emma"), ("action", "in"), ("group", "demo-group-blabaer")],
        )
        .await;
    assert_eq!(location(&res), "/ansatt/dagen?gruppe=demo-group-blabaer");
    let board = bjorn.text(&app, "/ansatt/dagen").await;
    // The clock runs on from 00:30, so allow the test a few minutes.
    assert!(board.contains("Til stede fra 00:3"), "{board}");
}

on_both_engines!(
    a_reported_absence_is_seen_by_school_and_sfo_and_the_guardians_see_who_saw_it,
    bad_days_are_explained_and_the_form_comes_back_as_typed,
    the_principal_decides_on_leave_and_both_guardians_are_told,
    a_second_report_for_the_same_day_asks_first_and_loses_nothing,
    staff_see_the_coming_days_absence_and_counts_on_their_start_page,
    activities_sign_up_and_the_calendar_feed,
    a_pickup_note_shows_on_the_tile_and_check_out_marks_it_seen,
    half_past_midnight_on_a_summer_night_an_absence_lands_on_the_new_day_and_check_in_shows_oslo_time,
    a_check_in_on_one_tablet_reaches_the_units_other_boards_and_the_family_within_a_second,
    twenty_taps_on_two_tablets_at_once_leave_one_consistent_check_in
);
