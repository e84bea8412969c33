//! Messaging on both engines, with the demo's people: who reads what, group answers stay
//! private, read markers, paging.

use super::inbox::{self, Cursor};
use super::send::{self, Problem};
use super::threads::{self, NewMessage, NewThread};
use crate::backend::Database;
use crate::backend::sql;
use crate::backend::testing::{on_both_engines, user};
use crate::domain::Audience;
use crate::domain::guard::Category;

const TODAY: &str = "2026-11-27";

fn text(author: &str, body: &'static str) -> NewMessage<'static> {
    NewMessage {
        author_id: Box::leak(author.to_owned().into_boxed_str()),
        body,
        flagged: &[],
        confirmed: false,
        notice: crate::domain::notify::EventKind::Message,
    }
}

async fn kari_writes_to_ingrid(db: &Database) -> String {
    let staff = ["demo-staff-ingrid".to_owned()];
    threads::create(
        db,
        "demo-unit-fjordvik-skole",
        "Henting",
        NewThread::Child { child_id: "demo-child-jonas", staff: &staff, origin_id: None },
        text("demo-person-kari", "Bestemor henter i dag."),
    )
    .await
    .unwrap()
}

async fn both_guardians_and_the_chosen_teacher_read_a_conversation_and_nobody_else(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let id = kari_writes_to_ingrid(&db).await;
    let thread = threads::get(&db, &id).await.unwrap().unwrap();
    for (person, audience, expected) in [
        ("demo-person-kari", Audience::Guardian, true),
        ("demo-person-ola", Audience::Guardian, true),
        ("demo-staff-ingrid", Audience::Staff, true),
        ("demo-person-per", Audience::Guardian, false),
        ("demo-person-tor", Audience::Guardian, false),
        ("demo-staff-bjorn", Audience::Staff, false),
    ] {
        assert_eq!(
            threads::can_read(&db, &user(person, audience), &thread, TODAY).await.unwrap(),
            expected,
            "{person}"
        );
    }
    let ola =
        inbox::list(&db, Audience::Guardian, "demo-person-ola", TODAY, None, &Cursor::first(), 20)
            .await
            .unwrap();
    assert_eq!(ola.len(), 1);
    assert_eq!(ola[0].unread, 1, "Ola has not read what Kari wrote");
    let kari =
        inbox::list(&db, Audience::Guardian, "demo-person-kari", TODAY, None, &Cursor::first(), 20)
            .await
            .unwrap();
    assert_eq!(kari[0].unread, 0, "one's own message is read");
}

async fn opening_a_thread_clears_its_unread_count_and_shows_the_writer_it_was_read(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let id = kari_writes_to_ingrid(&db).await;
    assert_eq!(inbox::unread_for_staff(&db, "demo-staff-ingrid", TODAY).await.unwrap(), 1);
    let thread = threads::get(&db, &id).await.unwrap().unwrap();
    threads::mark_read(&db, &id, "demo-staff-ingrid", thread.last_message_at).await.unwrap();
    assert_eq!(inbox::unread_for_staff(&db, "demo-staff-ingrid", TODAY).await.unwrap(), 0);
    let markers = threads::read_markers(&db, &id).await.unwrap();
    let message = &threads::messages(&db, &id).await.unwrap()[0];
    assert!(
        markers
            .iter()
            .any(|(p, until, _)| p == "demo-staff-ingrid" && *until >= message.created_at)
    );
    // A marker never moves back.
    threads::mark_read(&db, &id, "demo-staff-ingrid", 0).await.unwrap();
    assert_eq!(inbox::unread_for_staff(&db, "demo-staff-ingrid", TODAY).await.unwrap(), 0);
}

/// Ingrid's group message to 4B about Friday's trip: its id, and its `(guardian, child)`
/// recipients.
async fn ingrids_trip_message_to_4b(db: &Database) -> (String, Vec<(String, String)>) {
    let recipients =
        send::group_recipients(db, "demo-unit-fjordvik-skole", Some("demo-group-4b"), TODAY)
            .await
            .unwrap();
    let group = threads::create(
        db,
        "demo-unit-fjordvik-skole",
        "Tur fredag",
        NewThread::Group { group_id: Some("demo-group-4b"), recipients: &recipients },
        text("demo-staff-ingrid", "Vi går til skogen på fredag."),
    )
    .await
    .unwrap();
    (group, recipients)
}

async fn answers_to_a_group_message_never_reach_other_families(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let (group, recipients) = ingrids_trip_message_to_4b(&db).await;
    // Kari and Ola for Jonas, Per for Lise, Nina for Mathias (and the other families of the
    // class); not Tor.
    let named = ["demo-person-kari", "demo-person-ola", "demo-person-per", "demo-person-nina"];
    for person in named {
        assert!(recipients.iter().any(|(p, _)| p == person), "{person}");
    }
    assert!(recipients.len() > named.len(), "the other families of 4B too");
    assert!(!recipients.iter().any(|(p, _)| p == "demo-person-tor"));
    // Per answers: a private thread about Lise with Ingrid.
    let staff = ["demo-staff-ingrid".to_owned()];
    let answer = threads::create(
        &db,
        "demo-unit-fjordvik-skole",
        "Tur fredag",
        NewThread::Child { child_id: "demo-child-lise", staff: &staff, origin_id: Some(&group) },
        text("demo-person-per", "Lise har ikke regntøy."),
    )
    .await
    .unwrap();
    let kari =
        inbox::list(&db, Audience::Guardian, "demo-person-kari", TODAY, None, &Cursor::first(), 20)
            .await
            .unwrap();
    assert_eq!(kari.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [group.as_str()]);
    let answer_thread = threads::get(&db, &answer).await.unwrap().unwrap();
    let kari_user = user("demo-person-kari", Audience::Guardian);
    assert!(!threads::can_read(&db, &kari_user, &answer_thread, TODAY).await.unwrap());
    let ingrid =
        inbox::list(&db, Audience::Staff, "demo-staff-ingrid", TODAY, None, &Cursor::first(), 20)
            .await
            .unwrap();
    assert_eq!(ingrid.len(), 2);
    assert_eq!(
        threads::reply_thread_of(&db, &group, "demo-child-lise").await.unwrap(),
        Some(answer.clone())
    );
    let group_thread = threads::get(&db, &group).await.unwrap().unwrap();
    let people: std::collections::HashSet<&String> = recipients.iter().map(|(p, _)| p).collect();
    let families = people.len() as i64;
    assert_eq!(threads::group_read_count(&db, &group_thread).await.unwrap(), (0, families));
    threads::mark_read(&db, &group, "demo-person-per", group_thread.last_message_at).await.unwrap();
    assert_eq!(threads::group_read_count(&db, &group_thread).await.unwrap(), (1, families));
}

async fn twenty_answers_to_a_group_message_at_once_make_one_private_thread(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let (group, _) = ingrids_trip_message_to_4b(&db).await;
    let group = threads::get(&db, &group).await.unwrap().unwrap();
    // Kari and Ola both answer about Jonas, ten times each, all at the same moment.
    let answers = futures::future::join_all((0..20).map(|i| {
        let author = if i % 2 == 0 { "demo-person-kari" } else { "demo-person-ola" };
        threads::reply_privately(&db, &group, "demo-child-jonas", text(author, "Vi kommer."))
    }))
    .await;
    let ids: std::collections::BTreeSet<String> = answers.into_iter().map(|a| a.unwrap()).collect();
    assert_eq!(ids.len(), 1, "one thread for the family: {ids:?}");
    let id = ids.into_iter().next().unwrap();
    assert_eq!(threads::messages(&db, &id).await.unwrap().len(), 20);
    assert_eq!(
        threads::reply_thread_of(&db, &group.id, "demo-child-jonas").await.unwrap(),
        Some(id.clone())
    );
    let staff: Vec<String> =
        threads::staff(&db, &id).await.unwrap().into_iter().map(|s| s.person_id).collect();
    assert_eq!(staff, ["demo-staff-ingrid"]);
    // Another family's answer is a thread of its own.
    let lise =
        threads::reply_privately(&db, &group, "demo-child-lise", text("demo-person-per", "Ok."))
            .await
            .unwrap();
    assert_ne!(lise, id);
}

async fn the_inbox_pages_newest_first_without_gaps_or_repeats(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..7 {
        ids.push(kari_writes_to_ingrid(&db).await);
    }
    let mut seen = Vec::new();
    let mut cursor = Cursor::first();
    loop {
        let page = inbox::list(&db, Audience::Guardian, "demo-person-ola", TODAY, None, &cursor, 3)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.windows(2).all(|w| w[0].last_message_at >= w[1].last_message_at));
        let last = page.last().unwrap();
        cursor = Cursor { at: last.last_message_at, id: last.id.clone() };
        seen.extend(page.into_iter().map(|r| r.id));
    }
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
    let emma_only = inbox::list(
        &db,
        Audience::Guardian,
        "demo-person-kari",
        TODAY,
        Some("demo-child-emma"),
        &Cursor::first(),
        20,
    )
    .await
    .unwrap();
    assert!(emma_only.is_empty(), "the threads are about Jonas");
}

async fn ingrid_writes_to_4b(db: &Database) -> String {
    let recipients =
        send::group_recipients(db, "demo-unit-fjordvik-skole", Some("demo-group-4b"), TODAY)
            .await
            .unwrap();
    threads::create(
        db,
        "demo-unit-fjordvik-skole",
        "Tur fredag",
        NewThread::Group { group_id: Some("demo-group-4b"), recipients: &recipients },
        text("demo-staff-ingrid", "Vi går til skogen på fredag."),
    )
    .await
    .unwrap()
}

async fn ingrid_reads(db: &Database, thread_id: &str) -> bool {
    let thread = threads::get(db, thread_id).await.unwrap().unwrap();
    let ingrid = user("demo-staff-ingrid", Audience::Staff);
    threads::can_read(db, &ingrid, &thread, TODAY).await.unwrap()
}

async fn staff_read_only_through_a_role_they_hold_now(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let conversation = kari_writes_to_ingrid(&db).await;
    let group = ingrid_writes_to_4b(&db).await;
    assert!(ingrid_reads(&db, &conversation).await && ingrid_reads(&db, &group).await);
    let listed = |db: Database| async move {
        inbox::list(&db, Audience::Staff, "demo-staff-ingrid", TODAY, None, &Cursor::first(), 20)
            .await
            .unwrap()
            .len()
    };
    assert_eq!(listed(db.clone()).await, 2);

    // Ingrid moves to 4A: she still works at the school, but no longer with Jonas or 4B.
    sql::run(
        &db.pool,
        "UPDATE staff_role SET group_id = 'demo-group-4a' WHERE person_id = 'demo-staff-ingrid'",
        (),
    )
    .await
    .unwrap();
    assert!(!ingrid_reads(&db, &conversation).await);
    assert!(!ingrid_reads(&db, &group).await);
    assert_eq!(listed(db.clone()).await, 0);
    threads::add_message(&db, &conversation, text("demo-person-kari", "Og i morgen også."))
        .await
        .unwrap();
    assert_eq!(
        inbox::unread_for_staff(&db, "demo-staff-ingrid", TODAY).await.unwrap(),
        0,
        "no unread count from a conversation she may not open"
    );

    // The principal leads the whole school: taking part through that role is enough.
    sql::run(
        &db.pool,
        "INSERT INTO thread_staff (thread_id, person_id) VALUES ($1, 'demo-staff-anne')",
        (&conversation,),
    )
    .await
    .unwrap();
    let anne = user("demo-staff-anne", Audience::Staff);
    let thread = threads::get(&db, &conversation).await.unwrap().unwrap();
    assert!(threads::can_read(&db, &anne, &thread, TODAY).await.unwrap());
    // A role somewhere else does not count: Bjørn leads nothing at the school.
    sql::run(
        &db.pool,
        "INSERT INTO thread_staff (thread_id, person_id) VALUES ($1, 'demo-staff-bjorn')",
        (&conversation,),
    )
    .await
    .unwrap();
    let bjorn = user("demo-staff-bjorn", Audience::Staff);
    assert!(!threads::can_read(&db, &bjorn, &thread, TODAY).await.unwrap());
}

async fn a_guardian_answers_a_group_message_only_about_a_child_still_in_her_care(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    sql::run(
        &db.pool,
        "INSERT INTO enrollment (id, child_id, group_id, valid_from)
         VALUES ('emma-4b', 'demo-child-emma', 'demo-group-4b', '2026-08-17')",
        (),
    )
    .await
    .unwrap();
    let group = ingrid_writes_to_4b(&db).await;
    assert_eq!(
        threads::recipient_children(&db, &group, "demo-person-kari", TODAY).await.unwrap(),
        ["demo-child-emma", "demo-child-jonas"]
    );
    sql::run(
        &db.pool,
        "UPDATE guardianship SET valid_to = '2026-11-01'
         WHERE person_id = 'demo-person-kari' AND child_id = 'demo-child-jonas'",
        (),
    )
    .await
    .unwrap();
    assert_eq!(
        threads::recipient_children(&db, &group, "demo-person-kari", TODAY).await.unwrap(),
        ["demo-child-emma"]
    );
    let conversation = kari_writes_to_ingrid(&db).await;
    let thread = threads::get(&db, &conversation).await.unwrap().unwrap();
    let kari = user("demo-person-kari", Audience::Guardian);
    assert!(!threads::can_read(&db, &kari, &thread, TODAY).await.unwrap());
    assert_eq!(
        inbox::unread_for_child(&db, "demo-person-ola", "demo-child-jonas", TODAY).await.unwrap(),
        2,
        "Ola still has Jonas: the group message and the conversation"
    );
    assert_eq!(
        inbox::unread_for_child(&db, "demo-person-kari", "demo-child-jonas", TODAY).await.unwrap(),
        0
    );
}

async fn a_child_with_a_confidential_address_is_named_only_to_his_guardians_and_his_staff(
    db: Database,
) {
    crate::backend::demo::seed(&db).await.unwrap();
    let names_for = |person: &'static str, audience: Audience| {
        let db = db.clone();
        async move {
            send::children_of(
                &db,
                &user(person, audience),
                "demo-unit-fjordvik-skole",
                Some("demo-group-4b"),
                TODAY,
            )
            .await
            .unwrap()
        }
    };
    assert!(
        names_for("demo-person-kari", Audience::Guardian)
            .await
            .contains(&"Mathias Berg".to_owned())
    );
    sql::run(
        &db.pool,
        "UPDATE child SET address_protection = 'strengtFortrolig' WHERE id = 'demo-child-mathias'",
        (),
    )
    .await
    .unwrap();
    for (person, audience, named) in [
        ("demo-person-kari", Audience::Guardian, false),
        ("demo-person-per", Audience::Guardian, false),
        ("demo-staff-bjorn", Audience::Staff, false),
        ("demo-person-nina", Audience::Guardian, true),
        ("demo-staff-ingrid", Audience::Staff, true),
        ("demo-staff-anne", Audience::Staff, true),
    ] {
        let names = names_for(person, audience).await;
        assert_eq!(names.contains(&"Mathias Berg".to_owned()), named, "{person}: {names:?}");
        assert!(names.contains(&"Lise Hansen".to_owned()), "{person}");
    }
    let kari = user("demo-person-kari", Audience::Guardian);
    let for_kari = send::other_children(&db, &kari, "demo-child-jonas", TODAY).await.unwrap();
    assert!(for_kari.contains(&"Lise Hansen".to_owned()), "{for_kari:?}");
    assert!(!for_kari.contains(&"Mathias Berg".to_owned()), "{for_kari:?}");
    assert!(!for_kari.contains(&"Jonas Nordmann".to_owned()), "not the child itself");
    let ingrid = user("demo-staff-ingrid", Audience::Staff);
    let for_ingrid = send::other_children(&db, &ingrid, "demo-child-jonas", TODAY).await.unwrap();
    assert!(for_ingrid.contains(&"Lise Hansen".to_owned()), "{for_ingrid:?}");
    assert!(for_ingrid.contains(&"Mathias Berg".to_owned()), "{for_ingrid:?}");
    // "fortrolig" hides him just the same.
    sql::run(
        &db.pool,
        "UPDATE child SET address_protection = 'fortrolig' WHERE id = 'demo-child-mathias'",
        (),
    )
    .await
    .unwrap();
    let for_kari = send::other_children(&db, &kari, "demo-child-jonas", TODAY).await.unwrap();
    assert!(for_kari.contains(&"Lise Hansen".to_owned()), "{for_kari:?}");
    assert!(!for_kari.contains(&"Mathias Berg".to_owned()), "{for_kari:?}");
}

async fn drafts_are_capped_in_size_and_in_number_per_person(db: Database) {
    use crate::backend::kept::{self, MAX_PER_PERSON};
    use crate::domain::guard::MAX_MESSAGE_CHARS;
    use crate::domain::messaging::MessageFields;
    crate::backend::demo::seed(&db).await.unwrap();
    let huge = "ø".repeat(MAX_MESSAGE_CHARS * 10);
    let draft =
        |body: &str| MessageFields { subject: "Emne".into(), body: body.into(), recipient: None };
    let save = |fields: MessageFields| {
        let db = db.clone();
        async move {
            kept::keep(
                &db,
                "demo-person-kari",
                "child:demo-child-jonas",
                &fields,
                "messages.problem.too_long",
            )
            .await
        }
    };
    let load = |id: String| {
        let db = db.clone();
        async move {
            kept::load::<MessageFields>(&db, &id, "demo-person-kari", "child:demo-child-jonas")
                .await
                .unwrap()
        }
    };
    let first = save(draft(&huge)).await.unwrap();
    let kept = load(first.clone()).await.unwrap();
    assert_eq!(kept.fields.body.chars().count(), MAX_MESSAGE_CHARS);
    // Written a minute ago, so that it is the oldest even if the others share a millisecond.
    sql::run(
        &db.pool,
        "UPDATE kept_form SET created_at = created_at - 60000 WHERE id = $1",
        (&first,),
    )
    .await
    .unwrap();
    let mut last = first.clone();
    for _ in 0..MAX_PER_PERSON + 5 {
        last = save(draft("Hei")).await.unwrap();
    }
    assert_eq!(kept_by_kari(&db).await, MAX_PER_PERSON);
    assert!(load(last).await.is_some(), "the newest is kept");
    assert!(load(first).await.is_none(), "the oldest is dropped");
    // Forty saves at the same moment still leave the cap, none lost to an error.
    let saved = futures::future::join_all((0..40).map(|_| save(draft("Hei")))).await;
    assert!(saved.iter().all(Result::is_ok), "{saved:?}");
    assert_eq!(kept_by_kari(&db).await, MAX_PER_PERSON);
}

on_both_engines!(
    staff_read_only_through_a_role_they_hold_now,
    a_guardian_answers_a_group_message_only_about_a_child_still_in_her_care,
    a_child_with_a_confidential_address_is_named_only_to_his_guardians_and_his_staff,
    drafts_are_capped_in_size_and_in_number_per_person,
    both_guardians_and_the_chosen_teacher_read_a_conversation_and_nobody_else,
    opening_a_thread_clears_its_unread_count_and_shows_the_writer_it_was_read,
    answers_to_a_group_message_never_reach_other_families,
    twenty_answers_to_a_group_message_at_once_make_one_private_thread,
    the_inbox_pages_newest_first_without_gaps_or_repeats
);

#[test]
fn a_text_must_be_there_fit_and_be_confirmed_when_flagged() {
    let others = vec!["Lise Hansen".to_owned()];
    assert_eq!(send::validate("", "  \n ", &others, true), Err(Problem::Empty));
    assert_eq!(send::validate("", &"a".repeat(10_001), &others, true), Err(Problem::TooLong));
    assert!(send::validate("", &"a".repeat(10_000), &others, false).is_ok());
    assert_eq!(send::validate("", "Han har ADHD", &others, false), Err(Problem::NeedsConfirmation));
    assert_eq!(send::validate("", "Han har ADHD", &others, true), Ok(vec![Category::Health]));
    assert_eq!(send::validate("", "fnr 22911550060", &others, true), Err(Problem::NationalId));
    assert_eq!(send::validate("", "Husk matpakke", &others, false), Ok(Vec::new()));
}

#[test]
fn the_subject_goes_through_the_guard_like_the_body() {
    let others = vec!["Lise Hansen".to_owned()];
    assert_eq!(send::validate("fnr 22911550060", "Hei", &others, true), Err(Problem::NationalId));
    assert_eq!(
        send::validate("Om ADHD-utredningen", "Hei", &others, false),
        Err(Problem::NeedsConfirmation)
    );
    assert_eq!(
        send::validate("Om ADHD-utredningen", "Hei", &others, true),
        Ok(vec![Category::Health])
    );
}

#[test]
fn a_form_without_confirmation_refuses_only_identity_numbers() {
    assert_eq!(
        send::screen(&[("who", "Mormor"), ("place", "22911550060")], &[], true),
        Err(Problem::NationalId)
    );
    assert_eq!(
        send::screen(&[("who", "Mormor, hun har diabetes")], &[], true),
        Ok(vec![Category::Health])
    );
}

/// How many forms are kept for Kari.
async fn kept_by_kari(db: &Database) -> i64 {
    let (count,): (i64,) = sql::one(
        &db.pool,
        "SELECT COUNT(*) FROM kept_form WHERE person_id = 'demo-person-kari'",
        (),
    )
    .await
    .unwrap();
    count
}
