//! The real HTTP adapter against a local server that answers in Folkeregisteret's and
//! Maskinporten's documented shapes, including 304, 429 and 5xx.

use super::*;
use crate::backend::registers::maskinporten::{Maskinporten, MaskinportenConfig};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

const KARI: &str = "12848510058";
const EMMA: &str = "15831860054";

#[derive(Clone, Default)]
struct Fake {
    token_calls: Arc<AtomicUsize>,
    /// Statuses to answer with (in order) before answering normally.
    failures: Arc<Mutex<Vec<u16>>>,
    public_pem: Arc<String>,
}

fn kari() -> serde_json::Value {
    serde_json::json!({
        "navn": [{ "fornavn": "Kari", "etternavn": "Nordmann", "erGjeldende": true }],
        "foreldreansvar": [
            { "ansvar": "felles", "ansvarlig": KARI, "ansvarssubjekt": EMMA, "erGjeldende": true,
              "gyldighetstidspunkt": "2018-03-15T00:00:00Z" },
            { "ansvar": "felles", "ansvarlig": KARI, "ansvarssubjekt": "22911550060", "erGjeldende": false,
              "opphoerstidspunkt": "2020-01-01T00:00:00Z" }
        ],
        "adressebeskyttelse": [{ "graderingsnivaa": "fortrolig", "erGjeldende": true }]
    })
}

async fn token(State(fake): State<Fake>, Form(form): Form<HashMap<String, String>>) -> Response {
    use rsa::pkcs1v15::VerifyingKey;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    fake.token_calls.fetch_add(1, Ordering::SeqCst);
    if form.get("grant_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
    {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let assertion = form.get("assertion").cloned().unwrap_or_default();
    let (input, sig) = assertion.rsplit_once('.').unwrap();
    let key = rsa::RsaPublicKey::from_public_key_pem(&fake.public_pem).unwrap();
    let signature =
        rsa::pkcs1v15::Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice())
            .unwrap();
    if VerifyingKey::<sha2::Sha256>::new(key).verify(input.as_bytes(), &signature).is_err() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(input.split('.').nth(1).unwrap()).unwrap())
            .unwrap();
    if claims["scope"] != "skatteetaten:folkeregister" || claims["iss"] != "ranselpost-bergen" {
        return StatusCode::BAD_REQUEST.into_response();
    }
    Json(serde_json::json!({ "access_token": "tok-1", "token_type": "Bearer", "expires_in": 120 }))
        .into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer tok-1")
}

/// What the fake answers instead of data: 401 without the token, else the next failure asked of
/// it, if any.
fn refusal(fake: &Fake, headers: &HeaderMap) -> Option<Response> {
    if !authorized(headers) {
        return Some(StatusCode::UNAUTHORIZED.into_response());
    }
    take_failure(fake)
}

fn take_failure(fake: &Fake) -> Option<Response> {
    let status = {
        let mut failures = fake.failures.lock().unwrap();
        if failures.is_empty() {
            return None;
        } else {
            failures.remove(0)
        }
    };
    let mut res = (
        StatusCode::from_u16(status).unwrap(),
        Json(serde_json::json!({"kode": "FREG-001", "melding": "Feil"})),
    )
        .into_response();
    if status == 429 {
        res.headers_mut().insert("retry-after", "50".parse().unwrap());
    }
    Some(res)
}

async fn person(
    State(fake): State<Fake>,
    Path(pid): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refusal(&fake, &headers) {
        return refusal;
    }
    let parts: Vec<_> = q.iter().filter(|(k, _)| k == "part").map(|(_, v)| v.as_str()).collect();
    assert_eq!(parts, PARTS, "data minimisation: exactly the parts Ranselpost needs");
    match pid.as_str() {
        KARI => Json(kari()).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn feed(
    State(fake): State<Fake>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refusal(&fake, &headers) {
        return refusal;
    }
    let seq: i64 = q["seq"].parse().unwrap();
    // Three events exist; a page holds at most two here (the real page size is 1000).
    let all: Vec<_> = (1..=3)
        .map(|n| {
            serde_json::json!({ "sekvensnummer": n, "hendelse": {
            "folkeregisteridentifikator": KARI, "hendelsestype": "endringIForeldreansvar",
            "hendelsesdokument": format!("d{n}"), "persondokument": format!("p{n}"),
            "ajourholdstidspunkt": "2026-11-27T10:00:00+01:00" } })
        })
        .filter(|e| e["sekvensnummer"].as_i64().unwrap() >= seq)
        .take(2)
        .collect();
    let etag = format!("\"feed-{seq}-{}\"", all.len());
    if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut res = Json(all).into_response();
    res.headers_mut().insert("etag", etag.parse().unwrap());
    res
}

async fn start() -> (Folkeregister, Fake) {
    use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
    use rsa::pkcs8::EncodePublicKey;
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let fake = Fake {
        public_pem: Arc::new(key.to_public_key().to_public_key_pem(LineEnding::LF).unwrap()),
        ..Fake::default()
    };
    let app = Router::new()
        .route("/token", post(token))
        .route("/folkeregisteret/offentlig-med-hjemmel/api/v1/personer/{pid}", get(person))
        .route("/folkeregisteret/offentlig-med-hjemmel/api/v1/hendelser/feed", get(feed))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = MaskinportenConfig {
        issuer: "https://maskinporten.example/".into(),
        token_endpoint: format!("{base}/token"),
        client_id: "ranselpost-bergen".into(),
        key_id: Some("bergen-1".into()),
        private_key_pem: key.to_pkcs1_pem(LineEnding::LF).unwrap().to_string(),
    };
    let http = reqwest::Client::new();
    let tokens = Maskinporten::new(config, "skatteetaten:folkeregister", http.clone());
    (Folkeregister::Http(Arc::new(HttpFolkeregister::new(&base, http, tokens))), fake)
}

#[tokio::test]
async fn a_person_is_read_with_a_maskinporten_token_that_is_reused() {
    let (register, fake) = start().await;
    let kari = register.person(KARI).await.unwrap().unwrap();
    assert_eq!(kari.current_name().unwrap().fornavn, "Kari");
    assert_eq!(kari.protection(), "fortrolig");
    let children: Vec<_> =
        kari.children_in_care(KARI).filter_map(|f| f.ansvarssubjekt.clone()).collect();
    assert_eq!(children, [EMMA], "only current responsibility counts");
    register.person(KARI).await.unwrap();
    assert_eq!(fake.token_calls.load(Ordering::SeqCst), 1, "the token is cached");
}

#[tokio::test]
async fn an_unknown_person_is_none_not_an_error() {
    let (register, _) = start().await;
    assert_eq!(register.person("03898320188").await.unwrap(), None);
    assert_eq!(register.person("../../etc").await.unwrap(), None);
}

#[tokio::test]
async fn the_feed_pages_by_sequence_number_and_says_when_nothing_is_new() {
    let (register, _) = start().await;
    let FeedPage::Entries(first) = register.feed(1).await.unwrap() else { panic!("entries") };
    assert_eq!(first.iter().map(|e| e.sekvensnummer).collect::<Vec<_>>(), [1, 2]);
    assert!(first[0].hendelse.concerns_ranselpost());
    let FeedPage::Entries(next) = register.feed(3).await.unwrap() else { panic!("entries") };
    assert_eq!(next.len(), 1);
    assert_eq!(register.feed(3).await.unwrap(), FeedPage::NotModified, "ETag / 304");
}

#[tokio::test]
async fn too_many_requests_is_waited_out_as_retry_after_says() {
    let (register, fake) = start().await;
    fake.failures.lock().unwrap().extend([429, 429]);
    let started = std::time::Instant::now();
    assert!(register.person(KARI).await.unwrap().is_some());
    assert!(started.elapsed() >= Duration::from_millis(100), "two Retry-After waits of 50 ms");
}

#[tokio::test]
async fn server_errors_are_retried_a_few_times_then_reported() {
    let (register, fake) = start().await;
    fake.failures.lock().unwrap().extend([500, 503]);
    assert!(register.person(KARI).await.unwrap().is_some());
    fake.failures.lock().unwrap().extend([500, 500, 500, 500]);
    assert!(matches!(register.feed(1).await, Err(RegisterError::Unavailable(_))));
}

#[tokio::test]
async fn the_fixture_adapter_reads_the_same_shapes_from_files() {
    let dir = std::env::temp_dir().join(format!("freg-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("personer")).unwrap();
    std::fs::write(dir.join("personer").join(format!("{KARI}.json")), kari().to_string()).unwrap();
    let register = Folkeregister::Fixture(FixtureFolkeregister::from_dir(dir.clone()));
    assert_eq!(register.person(KARI).await.unwrap().unwrap().protection(), "fortrolig");
    assert_eq!(register.person(EMMA).await.unwrap(), None);
    assert_eq!(register.feed(1).await.unwrap(), FeedPage::Entries(vec![]));
    let _ = std::fs::remove_dir_all(dir);
}
