//! A load test of the unauthenticated endpoints, printed on every test run. The real binary
//! (demo mode, two hashing slots, behind a "proxy" so that every simulated client has its own
//! address, production rate limits) gets, all at once:
//! 1. 200 anonymous unlocks from 200 addresses, for made-up devices: none may cost a hash;
//! 2. 200 anonymous unlocks from one address: its rate limit answers most of them with 429;
//! 3. 200 correctly signed unlocks with a wrong PIN over 40 devices, from 200 addresses (an
//!    attacker holding device keys, or a crowd of real people): the hashing slots bound the
//!    memory, and whoever gets no slot in time is answered 429.
//!
//! It prints the server's resident and peak memory (`VmRSS`, `VmHWM` in /proc) and the 429s,
//! and fails when the peak grows more than 256 MiB over the resident memory before the load:
//! 200 argon2id hashes at once (19 MiB each) would take several gigabytes, two take 38 MiB.

mod support;

use std::time::{Duration, Instant};
use support::device::{device_key, sign};
use support::process::Served;

const BOUND_MIB: u64 = 256;

fn main() {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    if !rt.block_on(load_test()) {
        eprintln!("load test: failed (see above)");
        std::process::exit(1);
    }
}

/// The server's (resident, peak resident) memory in MiB.
fn memory(server: &Served) -> (u64, u64) {
    (server.memory_kib("VmRSS") / 1024, server.memory_kib("VmHWM") / 1024)
}

async fn start() -> Served {
    let flags = ["--hash-slots", "2", "--trusted-proxy-header", "X-Forwarded-For"];
    Served::demo(&flags, "info").await
}

/// Posts `form` to `path` from `from` (the proxy's header): status and body.
async fn post(client: &reqwest::Client, url: String, form: String, from: String) -> (u16, String) {
    match client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", from)
        .body(form)
        .send()
        .await
    {
        Ok(res) => (res.status().as_u16(), res.text().await.unwrap_or_default()),
        Err(e) => (0, e.to_string()),
    }
}

/// Sends every (path, form, from) at once: the answers, in order.
async fn at_once(
    client: &reqwest::Client,
    requests: Vec<(String, String, String)>,
) -> Vec<(u16, String)> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (url, form, from)) in requests.into_iter().enumerate() {
        let client = client.clone();
        tasks.spawn(async move { (i, post(&client, url, form, from).await) });
    }
    let mut answers = tasks.join_all().await;
    answers.sort_by_key(|(i, _)| *i);
    answers.into_iter().map(|(_, a)| a).collect()
}

fn count(answers: &[(u16, String)], status: u16) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

fn anonymous_unlock(base: &str, from: String) -> (String, String, String) {
    let form = format!(
        "credential_id={}&challenge_id={}&signature=AAAA&pin=2580",
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4()
    );
    (format!("{base}/api/device/unlock"), form, from)
}

async fn load_test() -> bool {
    let server = start().await;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    // Warm up: a page and an unlock, so that what is made once is made before measuring.
    client.get(format!("{base}/")).send().await.unwrap();
    at_once(&client, vec![anonymous_unlock(&base, "192.0.2.200".into())]).await;
    let (baseline, _) = memory(&server);
    let mut ok = true;
    println!("\nLoad test of the unauthenticated endpoints (real binary, 2 hashing slots):");
    println!("  resident before the load                 {baseline:>5} MiB");

    // 1. A botnet: 200 addresses, one anonymous unlock each.
    let started = Instant::now();
    let answers = at_once(
        &client,
        (0..200)
            .map(|i| anonymous_unlock(&base, format!("10.0.{}.{}", i / 200, i % 200 + 1)))
            .collect(),
    )
    .await;
    let refused = answers.iter().filter(|(s, b)| *s == 200 && b == "\"Refused\"").count();
    let (rss, peak) = memory(&server);
    println!(
        "  200 anonymous unlocks, 200 addresses      {refused} refused, {} × 429, {:.1} s; \
         resident {rss} MiB, peak {peak} MiB",
        count(&answers, 429),
        started.elapsed().as_secs_f64()
    );
    ok &= refused == 200;

    // 2. One address, 200 anonymous unlocks.
    let answers =
        at_once(&client, (0..200).map(|_| anonymous_unlock(&base, "192.0.2.1".into())).collect())
            .await;
    let limited = count(&answers, 429);
    let (rss, peak) = memory(&server);
    println!(
        "  200 anonymous unlocks, 1 address          {limited} × 429 (rate limit); \
         resident {rss} MiB, peak {peak} MiB"
    );
    ok &= limited >= 100 && count(&answers, 200) + limited == 200;

    // 3. 40 devices, five signed wrong PINs each, from 200 addresses.
    let devices = devices(&server, 40).await;
    let mut challenges = Vec::new();
    for (d, (id, _)) in devices.iter().enumerate() {
        for n in 0..5 {
            challenges.push((
                format!("{base}/api/device/challenge"),
                format!("credential_id={id}"),
                format!("10.1.{d}.{n}"),
            ));
        }
    }
    let issued = at_once(&client, challenges).await;
    let mut unlocks = Vec::new();
    for (i, (status, body)) in issued.iter().enumerate() {
        assert_eq!(*status, 200, "{body}");
        let (challenge_id, challenge): (String, String) = serde_json::from_str(body).unwrap();
        let (id, key) = &devices[i / 5];
        unlocks.push((
            format!("{base}/api/device/unlock"),
            format!(
                "credential_id={id}&challenge_id={challenge_id}&signature={}&pin=0852",
                sign(key, &challenge)
            ),
            format!("10.2.{}.{}", i / 5, i % 5),
        ));
    }
    let started = Instant::now();
    let answers = at_once(&client, unlocks).await;
    let checked = answers
        .iter()
        .filter(|(s, b)| *s == 200 && (b.contains("WrongPin") || b == "\"Revoked\""))
        .count();
    let busy = answers.iter().filter(|(s, b)| *s == 429 && b.contains("error.busy")).count();
    let (rss, peak) = memory(&server);
    println!(
        "  200 signed wrong PINs, 40 devices         {checked} checked, {busy} × 429 (busy), \
         {:.1} s; resident {rss} MiB, peak {peak} MiB",
        started.elapsed().as_secs_f64()
    );
    ok &= checked >= 1 && checked + busy == answers.len();

    let growth = peak.saturating_sub(baseline);
    println!("  peak over the resident memory before     {growth:>5} MiB (bound {BOUND_MIB} MiB)");
    ok &= growth < BOUND_MIB;
    let errors: Vec<&(u16, String)> =
        answers.iter().filter(|(s, _)| *s >= 500 || *s == 0).collect();
    if !errors.is_empty() || !ok {
        println!("  answers with errors: {errors:?}");
        println!("{}", server.log().lines().rev().take(30).collect::<Vec<_>>().join("\n"));
    }
    ok && errors.is_empty()
}

/// `n` PIN devices of Kari's, written straight into the server's database (setting each up over
/// HTTP would need a fresh login each): (credential id, device key).
async fn devices(server: &Served, n: usize) -> Vec<(String, p256::ecdsa::SigningKey)> {
    use app::backend::limits::hashing::HashSlots;
    use app::backend::quick_unlock::{self, NewCredential};
    let db = app::backend::Database::connect(&format!(
        "sqlite://{}/ranselpost.db",
        server.dir.display()
    ))
    .await
    .unwrap();
    let hash = quick_unlock::hash_pin(&HashSlots::new(1, Duration::from_secs(60)), "2580".into())
        .await
        .unwrap();
    let mut made = Vec::new();
    for i in 0..n {
        let (key, public_key) = device_key();
        let id = quick_unlock::register(
            &db,
            &NewCredential {
                person_id: "demo-person-kari",
                municipality_id: "4601",
                name: &format!("Last {i}"),
                public_key: &public_key,
                pin_hash: &hash,
                provider_id: "testid-4601-guardian",
            },
        )
        .await
        .unwrap();
        made.push((id, key));
    }
    db.pool.close().await;
    made
}
