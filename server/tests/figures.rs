//! Figures the test command prints every run, and fails on when they fall short:
//! - the sensitive-text guard on its labelled corpus, both parts, per language: recall per
//!   category and the false-alarm rate on practical messages. It fails when, on the test part
//!   (written first, never tuned on), recall falls under 95% in a category (100% for identity
//!   numbers) or false alarms pass 5% in a language; and the time of one check of a 1,000-character
//!   message (p50/p99; this is the unoptimised test build, the browser's figure is printed by
//!   end2end/tests/guard-speed.spec.ts);
//! - a guardian's inbox listing with 100,000 messages in the database: p99 under 10 ms, on
//!   SQLite and on PostgreSQL.

mod support;

use app::backend::Database;
use app::backend::messaging::inbox::{self, Cursor};
use app::backend::sql;
use app::domain::Audience;
use app::domain::guard::corpus::{self, Split};
use app::domain::guard::{self, Category};
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
    println!(
        "\nSensitive-text guard, labelled corpus (app/src/domain/guard/corpus.tsv), run without the group's names:"
    );
    let dev = corpus::evaluate(Split::Dev);
    let test = corpus::evaluate(Split::Test);
    print_figures(&dev, "");
    print_figures(&test, "");
    // What the learned component adds: the test part with the rules alone.
    print_figures(&corpus::evaluate_with(Split::Test, false), ", rules alone");
    let mut ok = true;
    for category in Category::ALL {
        let floor = if category == Category::NationalId { 1.0 } else { 0.95 };
        if test.recall_of(category) < floor {
            println!("  BELOW TARGET: test recall {} under {floor}", category.code());
            ok = false;
        }
    }
    if test.worst_false_alarm_rate() > 0.05 {
        println!("  BELOW TARGET: test false alarms over 5% in a language");
        ok = false;
    }
    // The development part is the one tuned on: what it misses is shown, to be mended.
    for miss in &dev.misses {
        println!("    dev {miss}");
    }
    ok & guard_speed()
}

fn print_figures(figures: &corpus::Figures, how: &str) {
    let part = format!("{} part{how}", figures.split.code());
    let header: String = corpus::LANGUAGES.iter().map(|l| format!("{l:>14}")).collect();
    println!("\n  {part:<20}{:>14}{header}", "all");
    for (category, all) in &figures.recall {
        let per_language: String = corpus::LANGUAGES
            .iter()
            .map(|l| {
                let r = figures
                    .recall_by_language
                    .iter()
                    .find(|(lang, c, _)| lang == l && c == category)
                    .map(|(_, _, r)| *r)
                    .unwrap_or_default();
                format!("{:>14}", cell(r))
            })
            .collect();
        println!("  recall {:<13}{:>14}{per_language}", category.code(), cell(*all));
    }
    let all = figures.false_alarms.iter().fold(corpus::Ratio::default(), |acc, (_, r)| {
        corpus::Ratio { hits: acc.hits + r.hits, all: acc.all + r.all }
    });
    let per_language: String =
        figures.false_alarms.iter().map(|(_, r)| format!("{:>14}", cell(*r))).collect();
    println!("  false alarms        {:>14}{per_language}", cell(all));
}

fn cell(r: corpus::Ratio) -> String {
    format!("{:.3} ({}/{})", r.rate(), r.hits, r.all)
}

/// One check of a 1,000-character message, as the browser runs it on every keystroke.
fn guard_speed() -> bool {
    let samples = corpus::samples();
    let mut text = String::new();
    for sample in samples.iter().cycle() {
        if text.chars().count() >= 1_000 {
            break;
        }
        text.push_str(sample.text);
        text.push(' ');
    }
    let text: String = text.chars().take(1_000).collect();
    let names: Vec<String> = ["Lise Hansen", "Mathias Berg", "Sara Ali"].map(String::from).to_vec();
    let mut times = Vec::new();
    for i in 0..1_100 {
        // Every keystroke checks a slightly different text.
        let typed: String = text.chars().take(900 + i % 100).collect();
        let started = Instant::now();
        let found = guard::check(&typed, &names);
        if i >= 100 {
            times.push(started.elapsed());
        }
        std::hint::black_box(found);
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q).ceil() as usize).min(times.len()) - 1];
    println!(
        "\n  one check of a 1,000-character message, {} runs (unoptimised test build): p50 {:.2} ms, p99 {:.2} ms",
        times.len(),
        p(0.5).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3
    );
    true
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
