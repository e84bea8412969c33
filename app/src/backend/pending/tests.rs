//! Forms sent after the session ran out, on both engines.

use super::{PENDING_COOKIE, adopt, keep, take};
use crate::backend::Database;
use crate::backend::kept;
use crate::backend::testing::on_both_engines;
use crate::domain::messaging::MessageFields;

const KARI: &str = "demo-person-kari";
const OLA: &str = "demo-person-ola";

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

/// The kept form's id in a page address given back.
fn kept_id(page: &str) -> &str {
    page.split("utkast=").nth(1).expect("the page shows a kept form")
}

async fn a_message_sent_after_the_session_ended_comes_back_to_its_writer_once(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let form = pairs(&[
        ("child_id", "demo-child-jonas"),
        ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
        ("subject", "Henting"),
        ("body", "Bestemor henter Jonas i dag."),
        ("once", "abc"),
    ]);
    let id = keep(&db, "/api/child/start_thread", form, KARI).await.unwrap();
    let cookies = format!("other=1; {PENDING_COOKIE}={id}");
    let page = adopt(&db, KARI, &cookies).await.unwrap().expect("given back");
    assert!(page.starts_with("/barn/demo-child-jonas/ny-melding?utkast="), "{page}");
    let back = kept::load::<MessageFields>(&db, kept_id(&page), KARI, "child:demo-child-jonas")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.fields.body, "Bestemor henter Jonas i dag.");
    assert_eq!(back.fields.subject, "Henting");
    assert_eq!(
        back.fields.recipient.as_deref(),
        Some("demo-unit-fjordvik-skole:demo-staff-ingrid")
    );
    assert_eq!(back.problem, "error.session_kept");
    assert_eq!(adopt(&db, KARI, &cookies).await.unwrap(), None, "given back once");
}

async fn a_post_whose_session_was_someone_elses_is_not_given_to_the_next_person(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let form = pairs(&[("thread_id", "t-1"), ("body", "Privat")]);
    let id = keep(&db, "/api/messages/reply", form, KARI).await.unwrap();
    let cookies = format!("{PENDING_COOKIE}={id}");
    assert_eq!(adopt(&db, OLA, &cookies).await.unwrap(), None);
    assert!(take(&db, &id, KARI).await.unwrap().is_some(), "still Kari's, untouched");
    // One kept post per person: a newer one replaces it.
    let first = keep(&db, "/api/messages/reply", pairs(&[("body", "1")]), KARI).await.unwrap();
    let second = keep(&db, "/api/messages/reply", pairs(&[("body", "2")]), KARI).await.unwrap();
    assert_eq!(take(&db, &first, KARI).await.unwrap(), None);
    assert!(take(&db, &second, KARI).await.unwrap().is_some());
}

async fn every_keepable_form_comes_back_on_its_own_page(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    /// A post to an endpoint, and the start of the page it comes back on.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 4] = [
        ("/api/messages/reply", &[("thread_id", "t-1"), ("body", "Takk")], "/samtale/t-1?utkast="),
        (
            "/api/child/report_absence",
            &[("child_id", "demo-child-jonas"), ("form[when]", "today"), ("form[note]", "Feber")],
            "/barn/demo-child-jonas/fravaer?utkast=",
        ),
        (
            "/api/child/write_pickup",
            &[("child_id", "demo-child-emma"), ("who", "Mormor"), ("at_time", "15:30")],
            "/barn/demo-child-emma/henting?utkast=",
        ),
        (
            "/api/messages/send_group",
            &[("target", "group:demo-group-4b"), ("subject", "Tur"), ("body", "Vi går")],
            "/ansatt/gruppemelding?utkast=",
        ),
    ];
    for (endpoint, fields, page) in cases {
        let id = keep(&db, endpoint, pairs(fields), KARI).await.unwrap();
        let back = adopt(&db, KARI, &format!("{PENDING_COOKIE}={id}")).await.unwrap();
        assert!(back.as_deref().is_some_and(|b| b.starts_with(page)), "{endpoint}: {back:?}");
    }
    // An id that is not one does not go into a path.
    let id =
        keep(&db, "/api/messages/reply", pairs(&[("thread_id", "../x?y")]), KARI).await.unwrap();
    assert_eq!(adopt(&db, KARI, &format!("{PENDING_COOKIE}={id}")).await.unwrap(), None);
}

async fn a_kept_post_is_cut_to_the_forms_limits(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let huge = "x".repeat(100_000);
    let mut form: Vec<(String, String)> = (0..100).map(|i| (format!("f{i}"), "v".into())).collect();
    form.insert(0, ("body".into(), huge));
    let id = keep(&db, "/api/messages/reply", form, KARI).await.unwrap();
    let kept = take(&db, &id, KARI).await.unwrap().unwrap();
    assert_eq!(kept.fields.len(), super::MAX_FIELDS);
    assert_eq!(kept.fields[0].1.chars().count(), super::MAX_VALUE_CHARS);
}

on_both_engines!(
    a_message_sent_after_the_session_ended_comes_back_to_its_writer_once,
    a_post_whose_session_was_someone_elses_is_not_given_to_the_next_person,
    every_keepable_form_comes_back_on_its_own_page,
    a_kept_post_is_cut_to_the_forms_limits,
);
