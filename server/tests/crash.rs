//! Delivery survives a crash: the real binary is killed with SIGKILL while it mails 1,000
//! notices and started again on the same database; every notice then arrives once. The one
//! exception the design allows: the single mail the killed worker had handed to the mail
//! server without hearing back (a worker sends one at a time) is sent again, with the same
//! Message-ID on both tries so the mail system can tell.

mod support;

use app::backend::sql;
use std::collections::BTreeMap;
use std::time::Duration;
use support::outside::SmtpSink;
use support::process::Served;
use support::{Engine, TempDatabase};

const NOTICES: usize = 1_000;
/// A weekday morning: no quiet hours hold the notices, and Kari's e-mail in KRR is current.
const NOW: &str = "2027-01-04T10:00:00+01:00";

/// `count` events about Jonas for Kari alone, each its own topic so that none is gathered
/// into another; their ids.
async fn notices_for_kari(db: &app::backend::Database, count: usize) -> Vec<String> {
    // Written at the server's time, which starts at NOW.
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().timestamp_millis();
    let mut tx = db.pool.begin().await.unwrap();
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        let id = format!("crash-event-{n:04}");
        sql::run(
            &mut *tx,
            "INSERT INTO notice_event (id, kind, unit_id, child_id, topic, path, created_at)
             VALUES ($1, 'activity', 'demo-unit-fjordvik-skole', 'demo-child-jonas', $1,
                     '/barn/demo-child-jonas', $2)",
            (&id, now),
        )
        .await
        .unwrap();
        sql::run(
            &mut *tx,
            "INSERT INTO notice_recipient (event_id, person_id) VALUES ($1, 'demo-person-kari')",
            (&id,),
        )
        .await
        .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    ids
}

/// The delivery id in a mail's Message-ID (`<id@host>`).
fn delivery_id(mail: &support::outside::Mail) -> String {
    let header = mail.header("Message-ID").expect("every notice has a Message-ID");
    header.trim_matches(['<', '>']).split('@').next().unwrap_or_default().to_owned()
}

async fn count(db: &app::backend::Database, status: &str) -> i64 {
    let (n,): (i64,) =
        sql::one(&db.pool, "SELECT COUNT(*) FROM notice_delivery WHERE status = $1", (status,))
            .await
            .unwrap();
    n
}

async fn every_notice_arrives_after_the_server_is_killed_mid_delivery_and_none_is_sent_twice_unless_it_was_in_flight(
    engine: Engine,
) {
    let database = TempDatabase::create(engine).await;
    // Each mail is answered 5 ms after the mail server has it, so a kill lands mid-send.
    let smtp = SmtpSink::answering_after(Duration::from_millis(5)).await;
    let flags = |now: &str| {
        let owned = ["--now", now, "--smtp-url", &smtp.url(), "--notice-lease-seconds", "2"];
        owned.map(str::to_owned)
    };
    let started = std::time::Instant::now();
    let first_flags = flags(NOW);
    let first_flags: Vec<&str> = first_flags.iter().map(String::as_str).collect();
    let mut first = Served::on(Some(&database.url), &first_flags, "info").await;
    let db = app::backend::Database::connect(&database.url).await.unwrap();
    let events = notices_for_kari(&db, NOTICES).await;

    // Killed when about a third has gone out.
    let mut waited = 0;
    while smtp.mails().len() < NOTICES / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
        waited += 1;
        assert!(waited < 12_000, "the first process sent {} of {NOTICES}", smtp.mails().len());
    }
    first.kill_hard();
    let killed_after = started.elapsed();
    let at_kill = smtp.mails().len();
    let in_flight = count(&db, "sending").await;
    assert!(at_kill < NOTICES, "the kill came after the last notice had gone");

    // Its clock goes on from where the first one's was.
    let later = chrono::DateTime::parse_from_rfc3339(NOW).unwrap()
        + chrono::Duration::seconds(started.elapsed().as_secs() as i64 + 1);
    let second_flags = flags(&later.to_rfc3339());
    let second_flags: Vec<&str> = second_flags.iter().map(String::as_str).collect();
    let second = Served::on(Some(&database.url), &second_flags, "info").await;
    let mut waited = 0;
    while count(&db, "sent").await < NOTICES as i64 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
        assert!(
            waited < 900,
            "after the restart {} of {NOTICES} notices were sent; the server said: {}",
            count(&db, "sent").await,
            second.log()
        );
    }
    let all_after = started.elapsed();
    // Time for a wrong extra mail to arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mails = smtp.mails();
    let mut per_delivery: BTreeMap<String, usize> = BTreeMap::new();
    for mail in &mails {
        assert_eq!(mail.to, ["kari.nordmann@example.no"], "only to Kari");
        *per_delivery.entry(delivery_id(mail)).or_default() += 1;
    }
    let deliveries: Vec<(String, String)> =
        sql::all(&db.pool, "SELECT id, event_id FROM notice_delivery ORDER BY event_id", ())
            .await
            .unwrap();
    let mut delivered_events: Vec<&str> = deliveries.iter().map(|(_, e)| e.as_str()).collect();
    delivered_events.dedup();
    assert_eq!(delivered_events, events, "one e-mail delivery was planned per event");
    for (id, event) in &deliveries {
        assert!(per_delivery.contains_key(id), "the notice of {event} never arrived");
    }
    assert_eq!(per_delivery.len(), NOTICES, "no mail for anything but the notices");
    let twice = mails.len() - per_delivery.len();
    println!(
        "\nKilled mid-delivery ({engine:?}): {at_kill} mails had arrived at the kill ({} s in), \
         {in_flight} notices were being sent; after the restart all {NOTICES} arrived ({} s in), \
         {twice} of them twice",
        killed_after.as_secs(),
        all_after.as_secs()
    );
    assert!(
        twice <= 1,
        "{twice} notices arrived twice; only the one being sent at the kill may ({in_flight} \
         were claimed)"
    );
}

on_both_engines!(
    every_notice_arrives_after_the_server_is_killed_mid_delivery_and_none_is_sent_twice_unless_it_was_in_flight
);
