//! The practical day on both engines, with the demo's people.

use super::{absence, activities, board, calendar};
use crate::backend::Database;
use crate::backend::sql;
use crate::backend::testing::on_both_engines;

const SFO_DAY: &str = "2027-01-04";

/// Kari reports Jonas absent a whole day: `kind` from `first_day` to `last_day`.
fn jonas<'a>(
    kind: &'a str,
    first_day: &'a str,
    last_day: &'a str,
    note: &'a str,
) -> absence::NewAbsence<'a> {
    absence::NewAbsence {
        child_id: "demo-child-jonas",
        kind,
        first_day,
        last_day,
        from_time: None,
        to_time: None,
        note,
        flagged: &[],
        reported_by: "demo-person-kari",
    }
}

async fn one_report_reaches_school_and_sfo_and_each_acknowledges_for_itself(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let id = absence::report(&db, &jonas("illness", SFO_DAY, SFO_DAY, "Feber")).await.unwrap();
    let ingrid = absence::on_day_for_staff(&db, "demo-staff-ingrid", SFO_DAY).await.unwrap();
    let siv = absence::on_day_for_staff(&db, "demo-staff-siv", SFO_DAY).await.unwrap();
    assert_eq!(ingrid.len(), 1);
    assert_eq!(ingrid[0].group_name, "4B");
    assert_eq!(siv.len(), 1);
    assert_eq!(siv[0].unit_id, "demo-unit-fjordvik-sfo");
    assert!(absence::on_day_for_staff(&db, "demo-staff-bjorn", SFO_DAY).await.unwrap().is_empty());
    absence::acknowledge(
        &db,
        &id,
        "demo-child-jonas",
        "demo-unit-fjordvik-skole",
        "demo-staff-ingrid",
    )
    .await
    .unwrap();
    assert_eq!(
        absence::on_day_for_staff(&db, "demo-staff-ingrid", SFO_DAY).await.unwrap()[0].acked,
        1
    );
    assert_eq!(
        absence::on_day_for_staff(&db, "demo-staff-siv", SFO_DAY).await.unwrap()[0].acked,
        0,
        "the SFO has not seen it yet"
    );
    // Withdrawn reports leave the lists.
    assert!(absence::set_status(&db, &id, "reported", "withdrawn", None).await.unwrap());
    assert!(absence::on_day_for_staff(&db, "demo-staff-siv", SFO_DAY).await.unwrap().is_empty());
}

async fn checking_out_a_child_counts_as_seeing_the_days_pickup_note(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let day = "2026-11-27";
    let note = board::NewPickup {
        child_id: "demo-child-emma",
        day,
        who: "Mormor Randi",
        at_time: "15:30",
        comment: "",
        written_by: "demo-person-kari",
    };
    board::write_pickup(&db, &note).await.unwrap();
    let mark = board::Mark {
        child_id: "demo-child-emma",
        unit_id: "demo-unit-lia",
        day,
        by: "demo-staff-bjorn",
    };
    board::check_in(&db, &mark).await.unwrap();
    let tiles = board::tiles(&db, "demo-group-blabaer", "demo-unit-lia", day).await.unwrap();
    let emma = tiles.iter().find(|t| t.child_id == "demo-child-emma").unwrap();
    assert!(emma.checked_in_at.is_some() && emma.checked_out_at.is_none());
    assert!(tiles.iter().filter(|t| t.checked_in_at.is_some()).count() == 1, "only Emma");
    board::check_out(&db, &mark).await.unwrap();
    let notes = board::pickups_on(&db, "demo-child-emma", day).await.unwrap();
    assert_eq!(notes[0].ack_given.as_deref(), Some("Bjørn"));
    // Tomorrow the note is gone from the day.
    assert!(board::pickups_on(&db, "demo-child-emma", "2026-11-28").await.unwrap().is_empty());
    assert_eq!(
        board::board_unit_for(&db, "demo-staff-ingrid", "demo-child-jonas", day, None)
            .await
            .unwrap(),
        None,
        "a school class has no check-in"
    );
}

async fn a_groups_activity_reaches_its_children_and_their_guardians_calendar(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    activities::create(
        &db,
        &activities::NewActivity {
            unit_id: "demo-unit-lia",
            group_id: Some("demo-group-blabaer"),
            title: "Skogstur, med matpakke",
            day: "2026-12-02",
            starts: "09:00",
            ends: Some("13:00"),
            place: "Lia-skogen",
            bring: "Sitteunderlag",
            signup: true,
            signup_deadline: Some("2026-11-30"),
            created_by: "demo-staff-bjorn",
        },
    )
    .await
    .unwrap();
    let today = "2026-11-27";
    assert_eq!(activities::for_child(&db, "demo-child-emma", today).await.unwrap().len(), 1);
    assert!(activities::for_child(&db, "demo-child-jonas", today).await.unwrap().is_empty());
    let token = calendar::create(&db, "demo-person-kari", None).await.unwrap();
    assert_eq!(calendar::owner(&db, &token).await.unwrap().as_deref(), Some("demo-person-kari"));
    let ics = calendar::feed(&db, "demo-person-kari", today, today).await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("SUMMARY:Skogstur\\, med matpakke\r\n"));
    assert!(ics.contains("DTSTART;TZID=Europe/Oslo:20261202T090000\r\n"));
    assert!(ics.contains("LOCATION:Lia-skogen\r\n"));
    let per = calendar::feed(&db, "demo-person-per", today, today).await.unwrap();
    assert!(!per.contains("Skogstur"));
    // A new address stops the old one.
    let again = calendar::create(&db, "demo-person-kari", None).await.unwrap();
    assert_eq!(calendar::owner(&db, &token).await.unwrap(), None);
    calendar::revoke(&db, "demo-person-kari").await.unwrap();
    assert_eq!(calendar::owner(&db, &again).await.unwrap(), None);
}

/// A group activity at Lia with sign-up until 30 November, as Bjørn makes it: its id.
async fn skogstur(db: &Database) -> String {
    activities::create(
        db,
        &activities::NewActivity {
            unit_id: "demo-unit-lia",
            group_id: Some("demo-group-blabaer"),
            title: "Skogstur",
            day: "2026-12-02",
            starts: "09:00",
            ends: None,
            place: "Lia-skogen",
            bring: "",
            signup: true,
            signup_deadline: Some("2026-11-30"),
            created_by: "demo-staff-bjorn",
        },
    )
    .await
    .unwrap()
}

async fn signups(db: &Database, activity_id: &str) -> Vec<(String, i64)> {
    sql::all(
        &db.pool,
        "SELECT child_id, going FROM activity_signup WHERE activity_id = $1",
        (activity_id,),
    )
    .await
    .unwrap()
}

async fn a_sign_up_is_recorded_only_while_open_and_once_per_child_however_many_at_once(
    db: Database,
) {
    crate::backend::demo::seed(&db).await.unwrap();
    let id = skogstur(&db).await;
    // Twenty answers for Emma at once, yes and no: one answer stands.
    let answers = futures::future::join_all((0..20).map(|i| {
        activities::sign_up(
            &db,
            &id,
            "demo-child-emma",
            i % 2 == 0,
            "demo-person-kari",
            "2026-11-27",
        )
    }))
    .await;
    assert!(answers.into_iter().all(|a| a.unwrap()));
    assert_eq!(signups(&db, &id).await.len(), 1);
    // Past the deadline, and once cancelled, nothing is recorded.
    assert!(
        !activities::sign_up(&db, &id, "demo-child-emma", true, "demo-person-kari", "2026-12-01")
            .await
            .unwrap()
    );
    sql::run(&db.pool, "DELETE FROM activity_signup", ()).await.unwrap();
    assert!(activities::cancel(&db, &id).await.unwrap());
    let answers = futures::future::join_all((0..20).map(|_| {
        activities::sign_up(&db, &id, "demo-child-emma", true, "demo-person-kari", "2026-11-27")
    }))
    .await;
    assert!(answers.into_iter().all(|a| !a.unwrap()));
    assert!(signups(&db, &id).await.is_empty());
}

async fn twenty_calendar_addresses_made_at_once_leave_exactly_one_working(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let tokens: Vec<String> =
        futures::future::join_all((0..20).map(|_| calendar::create(&db, "demo-person-kari", None)))
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
    let mut working = Vec::new();
    for token in &tokens {
        if calendar::owner(&db, token).await.unwrap().is_some() {
            working.push(token);
        }
    }
    assert_eq!(working.len(), 1, "{} addresses work", working.len());
    let live: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM calendar_feed WHERE person_id = 'demo-person-kari' AND revoked_at IS NULL",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(live, 1);
}

async fn an_activity_cancelled_twenty_times_at_once_is_cancelled_once_and_then_not_changed(
    db: Database,
) {
    crate::backend::demo::seed(&db).await.unwrap();
    let id = skogstur(&db).await;
    let cancelled = futures::future::join_all((0..20).map(|_| activities::cancel(&db, &id)))
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(cancelled, 1, "the families are told once");
    let change = activities::NewActivity {
        unit_id: "demo-unit-lia",
        group_id: Some("demo-group-blabaer"),
        title: "Skogstur, ny dag",
        day: "2026-12-03",
        starts: "09:00",
        ends: None,
        place: "Lia-skogen",
        bring: "",
        signup: false,
        signup_deadline: None,
        created_by: "demo-staff-bjorn",
    };
    assert!(!activities::update(&db, &id, &change).await.unwrap());
}

async fn a_leave_decided_and_withdrawn_at_once_ends_as_exactly_one_of_them(db: Database) {
    crate::backend::demo::seed(&db).await.unwrap();
    let leave = jonas("leave", "2026-12-14", "2026-12-15", "Bryllup");
    let id = absence::report(&db, &leave).await.unwrap();
    let attempts = (0..20).map(|i| {
        let db = &db;
        let id = &id;
        async move {
            match i % 3 {
                0 => absence::set_status(db, id, "requested", "withdrawn", None).await,
                1 => {
                    absence::set_status(db, id, "requested", "granted", Some("demo-staff-anne"))
                        .await
                }
                _ => {
                    absence::set_status(db, id, "requested", "refused", Some("demo-staff-anne"))
                        .await
                }
            }
        }
    });
    let won = futures::future::join_all(attempts)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1, "one decision or withdrawal, not several");
}

/// A report for today, read as changeable by the family, then seen by the school before the
/// family's change or withdrawal lands: neither may go through, and twenty at once change it
/// once at most.
async fn a_report_seen_before_the_familys_change_lands_is_neither_changed_nor_withdrawn(
    db: Database,
) {
    crate::backend::demo::seed(&db).await.unwrap();
    let new = |note| jonas("illness", SFO_DAY, SFO_DAY, note);
    let id = absence::report(&db, &new("Feber")).await.unwrap();
    // Twenty changes at once, each read when it was still unseen: all may land, one by one,
    // since each leaves it reported and unseen; none fails.
    let changed = new("Omgangssyke");
    let changes = (0..20).map(|_| absence::change(&db, &id, "reported", SFO_DAY, &changed));
    let landed = futures::future::join_all(changes).await;
    assert!(landed.iter().all(|r| matches!(r, Ok(true))), "{landed:?}");
    absence::acknowledge(
        &db,
        &id,
        "demo-child-jonas",
        "demo-unit-fjordvik-skole",
        "demo-staff-ingrid",
    )
    .await
    .unwrap();
    assert!(
        !absence::change(&db, &id, "reported", SFO_DAY, &new("Endret")).await.unwrap(),
        "seen today: no longer the family's to change"
    );
    assert!(
        !absence::withdraw(&db, &id, "reported", SFO_DAY).await.unwrap(),
        "seen today: no longer the family's to withdraw"
    );
    let row = absence::get(&db, &id).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.note.as_str()), ("reported", "Omgangssyke"));
    assert_eq!(absence::acks(&db, &id).await.unwrap().len(), 1, "the school's ack stays");
    // A report that has not begun may still be withdrawn, once.
    let later = absence::report(
        &db,
        &absence::NewAbsence { first_day: "2027-01-05", last_day: "2027-01-05", ..new("Tannlege") },
    )
    .await
    .unwrap();
    let withdrawals = (0..20).map(|_| absence::withdraw(&db, &later, "reported", SFO_DAY));
    let won = futures::future::join_all(withdrawals)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1);
}

on_both_engines!(
    a_report_seen_before_the_familys_change_lands_is_neither_changed_nor_withdrawn,
    an_activity_cancelled_twenty_times_at_once_is_cancelled_once_and_then_not_changed,
    a_leave_decided_and_withdrawn_at_once_ends_as_exactly_one_of_them,
    one_report_reaches_school_and_sfo_and_each_acknowledges_for_itself,
    checking_out_a_child_counts_as_seeing_the_days_pickup_note,
    a_groups_activity_reaches_its_children_and_their_guardians_calendar,
    a_sign_up_is_recorded_only_while_open_and_once_per_child_however_many_at_once,
    twenty_calendar_addresses_made_at_once_leave_exactly_one_working
);
