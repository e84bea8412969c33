//! Live updates at scale, printed on every test run: the real binary (demo, on SQLite and on
//! PostgreSQL in turn) holds 2,000 open event streams of 2,000 guardians of one child; one
//! message in the child's conversation then reaches every stream. Prints the server's memory
//! per open stream and the delivery time from the sender's answer to each stream (p50, p99),
//! and fails when a stream costs more than [`MAX_KIB_PER_STREAM`] or p99 is over the bound.
//!
//! The goal is 10,000 streams within 300 MB (30 KiB each) and 150 ms at p99. `cargo test` runs
//! the unoptimised test build of the server, bound at [`MAX_P99_MS_TEST_BUILD`]; `scripts/test.sh`
//! runs it again on the release build (`RANSELPOST_SERVER_BIN`), bound at [`MAX_P99_MS`]. The
//! 2,000 clients share the machine's two cores with the server in both.

mod support;

use app::backend::identity::session::{self, NewSession, SessionSettings};
use app::domain::Audience;
use std::time::{Duration, Instant};
use support::process::Served;
use support::{Engine, TempDatabase};

const STREAMS: usize = 2_000;
const MAX_KIB_PER_STREAM: u64 = 30;
/// The release build: the goal (150 ms at 10,000 streams) with room for the 2,000 clients on the
/// same two cores, which make the figure move between about 75 and 200 ms from run to run.
const MAX_P99_MS: u128 = 250;
/// The unoptimised test build: only a gross regression fails here, since its timing moves with
/// whatever else the machine runs; the release run holds the bound.
const MAX_P99_MS_TEST_BUILD: u128 = 1_000;

fn main() {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    // One engine after the other: each run has the machine to itself.
    let sqlite = rt.block_on(measure(Engine::Sqlite));
    let postgres = rt.block_on(measure(Engine::Postgres));
    if !(sqlite && postgres) {
        eprintln!("stream test: failed (see above)");
        std::process::exit(1);
    }
}

/// `count` guardians of Jonas, each with a session; their cookies.
async fn guardians(db: &app::backend::Database, count: usize) -> Vec<String> {
    use app::backend::sql;
    let (provider,): (String,) = sql::one(
        &db.pool,
        "SELECT id FROM identity_provider WHERE municipality_id = '4601' AND audience = 'guardian'",
        (),
    )
    .await
    .unwrap();
    let mut cookies = Vec::with_capacity(count);
    for n in 0..count {
        let id = format!("load-guardian-{n}");
        sql::run(
            &db.pool,
            "INSERT INTO person (id, given_names, surname, created_at, updated_at)
             VALUES ($1, 'Last', 'Test', 0, 0)",
            (&id,),
        )
        .await
        .unwrap();
        sql::run(
            &db.pool,
            "INSERT INTO guardianship (id, child_id, person_id, responsibility, source)
             VALUES ($1, 'demo-child-jonas', $1, 'felles', 'fixture')",
            (&id,),
        )
        .await
        .unwrap();
        let new = NewSession {
            person_id: &id,
            audience: Audience::Guardian,
            municipality_id: "4601",
            provider_id: &provider,
            idp_sid: None,
            idp_sub: None,
            id_token: None,
            device_credential_id: None,
            authenticated_at: None,
            tablet: None,
        };
        let token = session::create(db, &SessionSettings::default(), &new).await.unwrap();
        cookies.push(format!("ranselpost_session={token}"));
    }
    cookies
}

/// `GET /api/events` on a plain socket, read up to the end of the answer's headers: the
/// stream, or `None` (said) when it is refused.
async fn open_stream(port: &str, cookie: &str) -> Option<tokio::net::TcpStream> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}")).await.unwrap();
    let request = format!(
        "GET /api/events HTTP/1.1\r\nHost: localhost:{port}\r\nCookie: {cookie}\r\n\
         Accept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    if !head.starts_with("HTTP/1.1 200") {
        println!("  a stream was refused: {}", head.lines().next().unwrap_or_default());
        return None;
    }
    Some(stream)
}

async fn measure(engine: Engine) -> bool {
    let database = TempDatabase::create(engine).await;
    let server = Served::on(Some(&database.url), &[], "info").await;
    let db = app::backend::Database::connect(&database.url).await.unwrap();
    let cookies = guardians(&db, STREAMS + 1).await;
    let (writer, readers) = cookies.split_last().unwrap();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    // A conversation about Jonas, started by one of the guardians.
    let form = [
        ("child_id", "demo-child-jonas"),
        ("recipient", "demo-unit-fjordvik-skole:demo-staff-ingrid"),
        ("subject", "Måling"),
        ("body", "Første melding."),
    ];
    let post = |path: &str, form: &[(&str, &str)]| {
        client
            .post(format!("{}{path}", server.base))
            .header("cookie", writer)
            .header("origin", &server.base)
            .header("sec-fetch-site", "same-origin")
            .header("accept", "application/json")
            .form(form)
    };
    let res = post("/api/child/start_thread", &form).send().await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let (thread,): (String,) =
        app::backend::sql::one(&db.pool, "SELECT id FROM thread ORDER BY created_at DESC", ())
            .await
            .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = server.memory_kib("VmRSS");
    // Every reader opens the event stream; each answers with the time its event arrived.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let mut open = 0;
    // Each stream is a bare socket, so that the clients (in this unoptimised test build, on
    // the server's two cores) cost little beside what is measured.
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    for cookie in readers {
        let Some(mut stream) = open_stream(&port, cookie).await else { continue };
        open += 1;
        let tx = tx.clone();
        tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            let mut buf = vec![0u8; 4096];
            while let Ok(n) = stream.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                if buf[..n].windows(14).any(|w| w == b"event: message") {
                    let _ = tx.send(Instant::now());
                    break;
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.memory_kib("VmRSS");
    let per_stream = after.saturating_sub(before) / open.max(1) as u64;
    let sent = Instant::now();
    let res = post("/api/messages/reply", &[("thread_id", &thread), ("body", "Svar til alle.")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let answered = Instant::now();
    let mut times = Vec::with_capacity(open);
    while times.len() < open {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(at)) => times.push(at.saturating_duration_since(answered).as_millis()),
            _ => break,
        }
    }
    times.sort_unstable();
    let pick =
        |q: f64| times.get(((times.len() as f64 * q).ceil() as usize).saturating_sub(1)).copied();
    let (p50, p99) = (pick(0.50).unwrap_or(u128::MAX), pick(0.99).unwrap_or(u128::MAX));
    let release = std::env::var_os("RANSELPOST_SERVER_BIN").is_some();
    let build = if release { "release build" } else { "test build" };
    println!("\nLive updates at scale ({build}, {engine:?}, {open} open event streams):");
    println!(
        "  resident before {} MiB, with the streams {} MiB: {per_stream} KiB per stream \
         (10,000 streams: about {} MiB; goal 300 MB)",
        before / 1024,
        after / 1024,
        (before + per_stream * 10_000) / 1024
    );
    println!(
        "  one message reached {} of {open} streams; after the sender's answer ({} ms) \
         p50 {p50} ms, p99 {p99} ms (goal 150 ms)",
        times.len(),
        answered.duration_since(sent).as_millis()
    );
    let mut ok = true;
    if open < STREAMS || times.len() < open {
        println!("  FAILED: every stream must open and hear the message");
        ok = false;
    }
    if per_stream > MAX_KIB_PER_STREAM {
        println!("  FAILED: a stream costs more than {MAX_KIB_PER_STREAM} KiB");
        ok = false;
    }
    let bound = if release { MAX_P99_MS } else { MAX_P99_MS_TEST_BUILD };
    if p99 > bound {
        println!("  FAILED: p99 is over {bound} ms");
        ok = false;
    }
    ok
}
