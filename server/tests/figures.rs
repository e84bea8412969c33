//! Figures the test command prints every run, and fails on when they fall short:
//! - the sensitive-text guard on its labelled corpus: recall per category (at least 95%) and the
//!   false-alarm rate on practical messages (under 5%);
//! - a guardian's inbox listing with 100,000 messages in the database: p99 under 10 ms, on
//!   SQLite and on PostgreSQL.

mod support;

use app::backend::Database;
use app::backend::messaging::inbox::{self, Cursor};
use app::backend::sql;
use app::domain::Audience;
use app::domain::guard::Category;
use app::domain::guard::corpus;
use std::time::{Duration, Instant};
use support::{Engine, TempDatabase};

const MESSAGES: usize = 100_000;
const TODAY: &str = "2026-11-27";

fn main() {
    let mut failed = false;
    failed |= !guard_figures();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    for engine in [Engine::Sqlite, Engine::Postgres] {
        failed |= !rt.block_on(inbox_benchmark(engine));
    }
    if failed {
        eprintln!("figures: below target (see above)");
        std::process::exit(1);
    }
}

fn guard_figures() -> bool {
    let figures = corpus::evaluate();
    println!("\nSensitive-text guard, labelled corpus (app/src/domain/guard/corpus.tsv):");
    let mut ok = true;
    for category in Category::ALL {
        let (_, caught, all) = figures
            .recall
            .iter()
            .find(|(c, _, _)| *c == category)
            .copied()
            .unwrap_or((category, 0, 0));
        let recall = figures.recall_of(category);
        ok &= recall >= 0.95;
        println!("  recall {:<12} {:>5.1}%  ({caught}/{all})", category.code(), recall * 100.0);
    }
    let (alarms, practical) = figures.false_alarms;
    let rate = figures.false_alarm_rate();
    ok &= rate < 0.05;
    println!(
        "  false alarms          {:>5.1}%  ({alarms}/{practical} practical messages)",
        rate * 100.0
    );
    for miss in &figures.misses {
        println!("    {miss}");
    }
    ok
}

async fn inbox_benchmark(engine: Engine) -> bool {
    let name = match engine {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
    };
    let temp = TempDatabase::create(engine).await;
    let db = Database::connect(&temp.url).await.unwrap();
    db.migrate().await.unwrap();
    app::backend::demo::seed(&db).await.unwrap();
    let started = Instant::now();
    fill(&db).await;
    let filled = started.elapsed();
    let mut times = Vec::new();
    for i in 0..1_050 {
        let t = Instant::now();
        let rows = inbox::list(
            &db,
            Audience::Guardian,
            "demo-person-kari",
            TODAY,
            None,
            &Cursor::first(),
            21,
        )
        .await
        .unwrap();
        if i >= 50 {
            times.push(t.elapsed());
        }
        assert_eq!(rows.len(), 21);
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q).ceil() as usize).min(times.len()) - 1];
    let p99 = p(0.99);
    println!(
        "\nInbox benchmark, {name}: {MESSAGES} messages (filled in {:.1} s); a guardian's first \
         page (21 threads with unread counts), {} runs: p50 {:.2} ms, p99 {:.2} ms (target < 10 ms)",
        filled.as_secs_f64(),
        times.len(),
        p(0.5).as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
    db.pool.close().await;
    p99 < Duration::from_millis(10)
}

/// 1,000 other families in 4A, each with 5 conversations of 19 messages, and Kari's Jonas with
/// 50 conversations of 100 messages: 100,000 messages.
async fn fill(db: &Database) {
    let mut persons = Vec::new();
    let mut threads = Vec::new();
    let mut messages = Vec::new();
    let mut t: i64 = 1_700_000_000_000;
    let mut add_thread = |id: String,
                          child: &str,
                          author: &str,
                          count: usize,
                          threads: &mut Vec<[String; 4]>,
                          messages: &mut Vec<[String; 4]>| {
        let mut last = String::new();
        for m in 0..count {
            t += 1_000;
            last = format!("{id}-m{m}");
            let who = if m % 2 == 0 { author } else { "demo-staff-ingrid" };
            messages.push([last.clone(), id.clone(), who.to_owned(), t.to_string()]);
        }
        threads.push([id, child.to_owned(), last, t.to_string()]);
    };
    for f in 0..1_000 {
        let person = format!("bench-p{f}");
        let child = format!("bench-c{f}");
        persons.push((person.clone(), child.clone()));
        for k in 0..5 {
            add_thread(format!("bench-t{f}-{k}"), &child, &person, 19, &mut threads, &mut messages);
        }
    }
    for k in 0..50 {
        add_thread(
            format!("bench-jonas-{k}"),
            "demo-child-jonas",
            "demo-person-kari",
            100,
            &mut threads,
            &mut messages,
        );
    }
    assert_eq!(messages.len(), MESSAGES);
    let mut tx = db.pool.begin().await.unwrap();
    for chunk in persons.chunks(200) {
        insert(
            &mut tx,
            "INSERT INTO person (id, given_names, surname, created_at, updated_at) VALUES ",
            5,
            chunk.iter().map(|(p, _)| {
                vec![p.clone(), "Bench".into(), "Forelder".into(), "0".into(), "0".into()]
            }),
        )
        .await;
        insert(
            &mut tx,
            "INSERT INTO child (id, pid, given_names, surname, created_at, updated_at) VALUES ",
            6,
            chunk.iter().map(|(_, c)| {
                vec![c.clone(), c.clone(), "Bench".into(), "Barn".into(), "0".into(), "0".into()]
            }),
        )
        .await;
        insert(
            &mut tx,
            "INSERT INTO guardianship (id, child_id, person_id, responsibility, source) VALUES ",
            5,
            chunk.iter().map(|(p, c)| {
                vec![format!("g-{c}"), c.clone(), p.clone(), "felles".into(), "fixture".into()]
            }),
        )
        .await;
        insert(
            &mut tx,
            "INSERT INTO enrollment (id, child_id, group_id, valid_from) VALUES ",
            4,
            chunk.iter().map(|(_, c)| {
                vec![format!("e-{c}"), c.clone(), "demo-group-4a".into(), "2026-08-17".into()]
            }),
        )
        .await;
    }
    for chunk in threads.chunks(500) {
        insert(&mut tx, "INSERT INTO thread (id, kind, unit_id, child_id, subject, created_by, created_at, last_message_at, last_message_id) VALUES ", 9, chunk.iter().map(|[id, child, last, at]| vec![id.clone(), "child".into(), "demo-unit-fjordvik-skole".into(), child.clone(), "Henting".into(), "demo-staff-ingrid".into(), at.clone(), at.clone(), last.clone()])).await;
        insert(
            &mut tx,
            "INSERT INTO thread_staff (thread_id, person_id) VALUES ",
            2,
            chunk.iter().map(|[id, ..]| vec![id.clone(), "demo-staff-ingrid".into()]),
        )
        .await;
    }
    for chunk in messages.chunks(1000) {
        insert(
            &mut tx,
            "INSERT INTO message (id, thread_id, author_id, body, created_at) VALUES ",
            5,
            chunk.iter().map(|[id, thread, author, at]| {
                vec![
                    id.clone(),
                    thread.clone(),
                    author.clone(),
                    "Hei! Husk gymtøy og matpakke i morgen.".into(),
                    at.clone(),
                ]
            }),
        )
        .await;
    }
    tx.commit().await.unwrap();
    // Fresh statistics and visibility maps, as a running database has; otherwise PostgreSQL's
    // autovacuum starts on the new rows in the middle of the measurement.
    let settle = match db.engine {
        app::backend::Engine::Postgres => "VACUUM ANALYZE",
        app::backend::Engine::Sqlite => "ANALYZE",
    };
    sql::run(&db.pool, settle, ()).await.unwrap();
}

/// One multi-row INSERT; values that look like integers are bound as integers.
async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    head: &str,
    columns: usize,
    rows: impl Iterator<Item = Vec<String>>,
) {
    let rows: Vec<Vec<String>> = rows.collect();
    let mut sql = head.to_owned();
    for (r, _) in rows.iter().enumerate() {
        if r > 0 {
            sql.push_str(", ");
        }
        let marks: Vec<String> = (1..=columns).map(|c| format!("${}", r * columns + c)).collect();
        sql.push_str(&format!("({})", marks.join(", ")));
    }
    let mut query = sqlx::query(&sql);
    for row in &rows {
        for value in row {
            query = match value.parse::<i64>() {
                Ok(n) if !value.starts_with("bench") => query.bind(n),
                _ => query.bind(value.clone()),
            };
        }
    }
    query.execute(&mut **tx).await.unwrap();
}
