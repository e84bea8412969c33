//! Children across kindergarten, school and SFO, and who may see them.

mod support;

use support::browser::{Browser, location, log_in};
use support::personas::{INGRID, KARI, NINA, OLA, PER, TOR};
use support::scenes::{group_message, kari_writes_to_ingrid, report_for_jonas};
use support::{Engine, TestApp};

async fn kari_sees_emma_and_jonas_with_their_places_and_sfo_only_once_it_starts(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let home = kari.text(&app, "/hjem").await;
    assert!(
        home.contains("Emma Sofie Nordmann") && home.contains("Lia barnehage, Blåbær"),
        "{home}"
    );
    assert!(home.contains("Jonas Nordmann") && home.contains("Fjordvik skole, 4B"));
    assert!(!home.contains("Fjordvik SFO"), "Bergen's SFO is not in use before 2027-01-01");

    let later = TestApp::demo().on("2027-01-04").spawn(Engine::Sqlite).await;
    let mut kari = later.logged_in(KARI).await;
    let home = kari.text(&later, "/hjem").await;
    assert!(home.contains("Fjordvik SFO, SFO 1.–4. trinn"), "{home}");
}

async fn a_childs_page_names_the_child_and_everyone_who_can_read_about_it(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let res = kari.get(&app.public("/barn/demo-child-jonas")).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| { c.to_str().unwrap().starts_with("ranselpost_child=demo-child-jonas") })
    );
    let page = res.text().await.unwrap();
    for expected in [
        "<h1>Jonas Nordmann</h1>",
        "Fjordvik skole, 4B",
        "Kari Nordmann – foresatt med foreldreansvar",
        "Ola Nordmann – foresatt med foreldreansvar",
        "Ingrid Berg – Kontaktlærer, Fjordvik skole",
        "aria-current=\"page\"",
    ] {
        assert!(page.contains(expected), "missing {expected}: {page}");
    }
    // The switcher was remembered: the home page now lists Jonas first.
    let home = kari.text(&app, "/hjem").await;
    assert!(home.find("Jonas Nordmann").unwrap() < home.find("Emma Sofie Nordmann").unwrap());
}

async fn per_sees_only_lise_and_tor_sees_no_child(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut per = app.logged_in(PER).await;
    let home = per.text(&app, "/hjem").await;
    assert!(home.contains("Lise Hansen") && !home.contains("Nordmann"));
    let res = per.get(&app.public("/barn/demo-child-jonas")).await;
    assert_eq!(res.status(), 404);
    assert!(!res.text().await.unwrap().contains("Jonas"));

    let mut tor = app.logged_in(TOR).await;
    assert_eq!(tor.get(&app.public("/barn/demo-child-lise")).await.status(), 404);
}

/// Every server function under `/api/child/`, called as people who must not see the child.
async fn every_child_scoped_server_function_refuses_people_without_access(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .filter(|p| p.starts_with("/api/child/"))
        .collect();
    assert!(!paths.is_empty(), "the child-scoped functions are registered");
    let cases = [
        (("pid", "19888812035"), "guardian", "demo-child-lise"),
        (("pid", "07868030083"), "guardian", "demo-child-emma"),
        (("pid", "07868030083"), "guardian", "demo-child-jonas"),
        (("subject", "demo-staff-bjorn"), "staff", "demo-child-jonas"),
        (("subject", "demo-staff-bjorn"), "staff", "demo-child-lise"),
        (("subject", "demo-staff-siv"), "staff", "demo-child-jonas"),
    ];
    for (who, audience, child) in cases {
        let mut browser = Browser::new();
        log_in(&app, &mut browser, audience, who).await;
        for path in &paths {
            let form = [("child_id".to_owned(), child.to_owned())];
            let res = browser.post_form(&app.public(path), &form, "same-origin").await;
            let status = res.status();
            let body = res.text().await.unwrap();
            assert!(
                status.is_client_error() && !body.contains("Nordmann") && !body.contains("Hansen"),
                "{path} as {who:?} for {child}: {status} {body}"
            );
        }
    }
    // And anonymously.
    let anonymous = Browser::new().client;
    for path in &paths {
        let res = anonymous
            .post(app.public(path))
            .form(&[("child_id", "demo-child-emma")])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{path} anonymously: {}", res.status());
    }
}

/// Every server function a staff member could call, called by one whose roles have all ended
/// while her session goes on: none tells her anything about a child or a conversation.
async fn a_staff_member_whose_roles_ended_gets_nothing_from_any_function(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let thread = kari_writes_to_ingrid(&app, &mut kari, "Henting", "Bestemor henter i dag.").await;
    let thread = thread.trim_start_matches("/samtale/").to_owned();
    report_for_jonas(&app, &mut kari, &[("when", "today"), ("kind", "illness")]).await;
    let (absence,): (String,) = app.one("SELECT id FROM absence").await;
    let mut ingrid = app.logged_in(INGRID).await;
    let form: Vec<(String, String)> = [
        ("child_id", "demo-child-jonas"),
        ("thread_id", thread.as_str()),
        ("absence_id", absence.as_str()),
        ("unit_id", "demo-unit-fjordvik-skole"),
        ("group", "demo-group-4b"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let inbox = ingrid.post_form(&app.public("/api/messages/inbox"), &form, "same-origin").await;
    assert!(inbox.text().await.unwrap().contains("Henting"), "while she has her role");

    app.run("DELETE FROM staff_role WHERE person_id = 'demo-staff-ingrid'").await;
    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .filter(|p| {
            ["/api/child/", "/api/messages/", "/api/absence/", "/api/day/", "/api/activities/"]
                .iter()
                .any(|prefix| p.starts_with(prefix))
        })
        .collect();
    assert!(paths.contains(&"/api/messages/thread") && paths.contains(&"/api/day/board"));
    for path in &paths {
        let res = ingrid.post_form(&app.public(path), &form, "same-origin").await;
        let status = res.status();
        let body = res.text().await.unwrap();
        for told in ["Jonas", "Lise", "Mathias", "Nordmann", "Hansen", "Henting", "Bestemor"] {
            assert!(!body.contains(told), "{path}: {status} {body}");
        }
    }
    for (path, refused) in [("/api/messages/inbox", 403), ("/api/messages/thread", 404)] {
        let res = ingrid.post_form(&app.public(path), &form, "same-origin").await;
        assert_eq!(res.status(), refused, "{path}");
    }
}

async fn a_child_with_a_confidential_address_is_never_named_to_other_families(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let person = |audience: &'static str, who: (&'static str, &'static str)| {
        let app = &app;
        async move {
            let mut browser = Browser::new();
            log_in(app, &mut browser, audience, who).await;
            browser
        }
    };
    // Everyone logs in first: a guardian's login refreshes her children from the register.
    let mut kari = person("guardian", ("pid", "12848510058")).await;
    let mut nina = person("guardian", ("pid", "14908615183")).await;
    let mut ingrid = person("staff", ("subject", "demo-staff-ingrid")).await;
    let mut anne = person("staff", ("subject", "demo-staff-anne")).await;
    let compose = "/barn/demo-child-jonas/ny-melding";
    let before = kari.text(&app, compose).await;
    assert!(before.contains("Mathias Berg"), "the guard's names: {before}");

    app.run(
        "UPDATE child SET address_protection = 'strengtFortrolig' WHERE id = 'demo-child-mathias'",
    )
    .await;
    let send = async |browser: &mut Browser, target: &str, subject: &str| {
        let res = group_message(&app, browser, target, subject, "Velkommen!").await;
        location(&res)
    };
    let school = send(&mut anne, "unit:demo-unit-fjordvik-skole", "Juleavslutning").await;
    let class = send(&mut ingrid, "group:demo-group-4b", "Skogstur").await;

    let mut pages = vec![
        "/hjem",
        "/meldinger",
        "/aktiviteter",
        "/barn/demo-child-jonas",
        compose,
        "/barn/demo-child-jonas/fravaer",
        "/barn/demo-child-jonas/henting",
        "/barn/demo-child-jonas/meldinger",
        "/barn/demo-child-emma/ny-melding",
    ];
    pages.extend([school.as_str(), class.as_str()]);
    for page in pages {
        let res = kari.get(&app.public(page)).await;
        assert_eq!(res.status(), 200, "{page}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("Mathias"), "{page}: {body}");
    }
    let jonas = [("child_id", "demo-child-jonas")];
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/child/compose", jonas.to_vec()),
        ("/api/child/absences", jonas.to_vec()),
        ("/api/child/details", jonas.to_vec()),
        ("/api/child/inbox", jonas.to_vec()),
        ("/api/child/pickup", jonas.to_vec()),
        ("/api/messages/inbox", Vec::new()),
        ("/api/messages/thread", vec![("thread_id", school.trim_start_matches("/samtale/"))]),
        ("/api/messages/thread", vec![("thread_id", class.trim_start_matches("/samtale/"))]),
        ("/api/activities/list", Vec::new()),
    ];
    for (path, form) in calls {
        let form: Vec<(String, String)> =
            form.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let res = kari.post_form(&app.public(path), &form, "same-origin").await;
        assert_eq!(res.status(), 200, "{path}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("Mathias"), "{path}: {body}");
    }

    // His own guardian and the staff who work with him still see him.
    let own = nina.text(&app, "/barn/demo-child-mathias/ny-melding").await;
    assert!(own.contains("Mathias Berg"), "{own}");
    let group = ingrid.text(&app, "/ansatt/gruppemelding").await;
    assert!(group.contains("Mathias Berg"), "{group}");
    let sent = anne.text(&app, &school).await;
    assert!(sent.contains("Mathias Berg"), "{sent}");
}

async fn a_change_in_folkeregisteret_shows_at_the_next_login(engine: Engine) {
    // The register now says Kari is no longer responsible for Jonas.
    let dir = support::register_copy();
    let kari_path = dir.join("personer/12848510058.json");
    let mut kari: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&kari_path).unwrap()).unwrap();
    kari["foreldreansvar"].as_array_mut().unwrap().retain(|f| f["ansvarssubjekt"] != "22911550060");
    std::fs::write(&kari_path, kari.to_string()).unwrap();

    let app = TestApp::demo().with_registers(&dir).spawn(engine).await;
    let mut browser = app.logged_in(KARI).await;
    let home = browser.text(&app, "/hjem").await;
    assert!(home.contains("Emma Sofie Nordmann"));
    assert!(!home.contains("Jonas"), "access to Jonas ended with the register's change");
    assert_eq!(browser.get(&app.public("/barn/demo-child-jonas")).await.status(), 404);
    let _ = std::fs::remove_dir_all(dir);
}

async fn the_profile_shows_krr_details_and_whether_notices_can_use_them(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let page = kari.text(&app, "/profil").await;
    assert!(page.contains("kari.nordmann@example.no") && page.contains("400 00 001"), "{page}");
    assert!(!page.contains("brukes ikke til varsler") && !page.contains("reservert deg"));

    let mut ola = app.logged_in(OLA).await;
    let page = ola.text(&app, "/profil").await;
    assert!(page.contains("ola.nordmann@example.no"));
    assert!(
        page.contains("Ikke oppdatert eller bekreftet de siste 18 månedene"),
        "old e-mail not used"
    );

    let mut nina = app.logged_in(NINA).await;
    let page = nina.text(&app, "/profil").await;
    assert!(page.contains("Du har reservert deg mot digital kommunikasjon"), "{page}");
}

async fn staff_see_the_children_of_their_groups_with_a_shielded_marker(engine: Engine) {
    let app = TestApp::demo().spawn(engine).await;
    app.run(
        "UPDATE child SET address_protection = 'strengtFortrolig' WHERE id = 'demo-child-lise'",
    )
    .await;
    let mut ingrid = app.logged_in(INGRID).await;
    let home = ingrid.text(&app, "/ansatt").await;
    for name in ["Jonas Nordmann", "Lise Hansen", "Mathias Berg"] {
        assert!(home.contains(name), "{name}: {home}");
    }
    assert!(!home.contains("Emma"));
    assert!(home.contains("shielded-tag"));
    let page = ingrid.text(&app, "/barn/demo-child-lise").await;
    assert!(page.contains("<h1>Lise Hansen</h1>") && page.contains("Skjermet"), "{page}");
    assert_eq!(ingrid.get(&app.public("/barn/demo-child-emma")).await.status(), 404);
}

async fn when_a_new_adult_gains_access_the_other_guardians_are_told(engine: Engine) {
    let dir = support::register_copy();
    // The register now names a new parent (a synthetic number) as responsible for Jonas.
    let entry = serde_json::json!({ "ansvar": "far", "ansvarlig": "01448010070", "ansvarssubjekt": "22911550060", "erGjeldende": true });
    std::fs::write(
        dir.join("personer/01448010070.json"),
        serde_json::json!({
            "navn": [{ "fornavn": "Nils Petter Olav", "etternavn": "Nordmann", "erGjeldende": true }],
            "foreldreansvar": [entry.clone()],
        })
        .to_string(),
    )
    .unwrap();
    let jonas_path = dir.join("personer/22911550060.json");
    let mut jonas: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&jonas_path).unwrap()).unwrap();
    jonas["foreldreansvar"].as_array_mut().unwrap().push(entry);
    std::fs::write(&jonas_path, jonas.to_string()).unwrap();

    let app = TestApp::demo().with_registers(&dir).spawn(engine).await;
    let mut nils = Browser::new();
    assert_eq!(log_in(&app, &mut nils, "guardian", ("pid", "01448010070")).await, "/hjem");
    let home = nils.text(&app, "/hjem").await;
    assert!(home.contains("Jonas Nordmann"), "admitted from the register: {home}");

    let mut kari = app.logged_in(KARI).await;
    let home = kari.text(&app, "/hjem").await;
    assert!(
        home.contains("Nils Petter Nordmann har fått tilgang til Jonas Nordmann i Ranselpost"),
        "{home}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

on_both_engines!(
    a_staff_member_whose_roles_ended_gets_nothing_from_any_function,
    a_child_with_a_confidential_address_is_never_named_to_other_families,
    when_a_new_adult_gains_access_the_other_guardians_are_told,
    staff_see_the_children_of_their_groups_with_a_shielded_marker,
    the_profile_shows_krr_details_and_whether_notices_can_use_them,
    a_change_in_folkeregisteret_shows_at_the_next_login,
    kari_sees_emma_and_jonas_with_their_places_and_sfo_only_once_it_starts,
    a_childs_page_names_the_child_and_everyone_who_can_read_about_it,
    per_sees_only_lise_and_tor_sees_no_child,
    every_child_scoped_server_function_refuses_people_without_access
);
