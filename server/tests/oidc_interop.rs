//! Ranselpost's production OpenID Connect client against an independent, OpenID Certified
//! provider (npm `oidc-provider`, set up like ID-porten): a full login with each client
//! authentication method, and every attack on the login refused with a clear error page and no
//! session. Each attack test names the reason the client gives, so removing that check fails it.

mod support;

use app::backend::identity::providers::{self, ClientAuth, NewProvider};
use app::domain::Audience;
use support::browser::{Browser, location, query};
use support::oidc_provider::OidcProvider;
use support::{Engine, TestApp};

struct Setup {
    app: TestApp,
    idp: OidcProvider,
    browser: Browser,
}

fn rsa_key_pair() -> (String, String) {
    use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
    use rsa::pkcs8::EncodePublicKey;
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let private = key.to_pkcs1_pem(LineEnding::LF).unwrap().to_string();
    let public = key.to_public_key().to_public_key_pem(LineEnding::LF).unwrap();
    (private, public)
}

/// An app (not in demo mode) whose Bergen guardians log in at the independent provider.
async fn setup(client_id: &str, auth: ClientAuth) -> Setup {
    let app = TestApp::empty().spawn(Engine::Sqlite).await;
    app::backend::demo::seed(&app.db).await.unwrap();
    let (private_pem, public_pem) = rsa_key_pair();
    let idp = OidcProvider::start(&app.public(""), &app.url(""), &public_pem);
    let provider = NewProvider {
        id: "interop",
        municipality_id: "4601",
        audience: Audience::Guardian,
        issuer: &idp.issuer,
        client_id,
        client_auth: auth,
        client_secret: (auth != ClientAuth::PrivateKeyJwt).then_some(idp.client_secret.as_str()),
        private_key_pem: (auth == ClientAuth::PrivateKeyJwt).then_some(private_pem.as_str()),
        acr_values: Some("idporten-loa-substantial"),
    };
    providers::upsert(&app.db, &provider).await.unwrap();
    Setup { app, idp, browser: Browser::new() }
}

/// From "Logg inn med ID-porten" to the provider's redirect back: returns the callback URL.
async fn to_callback(s: &mut Setup) -> String {
    let Setup { app, idp, browser } = s;
    callback_for(browser, app, idp).await
}

async fn callback_for(browser: &mut Browser, app: &TestApp, idp: &OidcProvider) -> String {
    callback_from(browser, app, idp, "/auth/login/4601/guardian").await
}

/// From the login start at `start` to the provider's redirect back: returns the callback URL.
async fn callback_from(
    browser: &mut Browser,
    app: &TestApp,
    idp: &OidcProvider,
    start: &str,
) -> String {
    let res = browser.get(&app.public(start)).await;
    assert_eq!(res.status(), 303, "login start");
    let mut url = location(&res);
    assert!(url.starts_with(&idp.issuer), "{url}");
    // Follow the provider's redirects (authorize → interaction → resume) until it sends the
    // browser back to us.
    for _ in 0..10 {
        if url.starts_with(&app.public("/auth/callback")) {
            return url;
        }
        let res = browser.get(&url).await;
        assert!(res.status().is_redirection(), "{url}: {}", res.status());
        let next = location(&res);
        url = if next.starts_with('/') { format!("{}{next}", idp.issuer) } else { next };
    }
    panic!("the provider never redirected back");
}

async fn finish(s: &mut Setup, callback: &str) -> String {
    let res = s.browser.get(callback).await;
    assert_eq!(res.status(), 303);
    location(&res)
}

async fn assert_refused(s: &mut Setup, callback: &str, reason: &str) {
    let landed = finish(s, callback).await;
    assert_eq!(landed, format!("/innlogging-feilet?grunn={reason}"));
    assert!(
        !s.browser.cookies.contains_key("ranselpost_session"),
        "no session after a refused login"
    );
    let page = s.browser.get(&s.app.public(&landed)).await.text().await.unwrap();
    assert!(page.contains("Innloggingen ble avbrutt"), "a clear error page");
}

async fn logs_in(client_id: &str, auth: ClientAuth) {
    let mut s = setup(client_id, auth).await;
    s.idp.next("12848510058", "idporten-loa-substantial", None).await;
    let callback = to_callback(&mut s).await;
    assert!(query(&callback).iter().any(|(k, v)| k == "iss" && *v == s.idp.issuer), "RFC 9207 iss");
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
    let html = s.browser.get(&s.app.public("/hjem")).await.text().await.unwrap();
    assert!(html.contains("Hei, Kari Nordmann"), "{html}");
    // RP-initiated logout goes to the provider's end_session endpoint with the ID token.
    let res = s.browser.post_form(&s.app.public("/auth/logout"), &[], "same-origin").await;
    let end = location(&res);
    assert!(end.starts_with(&format!("{}/session/end", s.idp.issuer)), "{end}");
    assert!(query(&end).iter().any(|(k, _)| k == "id_token_hint"));
}

/// Whether the session in `s.browser` may open a long-lived way in (quick unlock, calendar).
async fn fresh(s: &mut Setup) -> bool {
    let res = s.browser.post_form(&s.app.public("/api/device/status"), &[], "same-origin").await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(body.contains("\"fresh\":"), "{body}");
    body.contains("\"fresh\":true")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_to_open_a_way_in_makes_the_provider_ask_again_and_an_old_authentication_does_not_count()
 {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    s.idp.next("12848510058", "idporten-loa-substantial", None).await;
    let callback = to_callback(&mut s).await;
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
    assert!(fresh(&mut s).await, "a login just now is fresh");

    // The provider is asked to authenticate the person again, not to answer from its session.
    let res = s.browser.get(&s.app.public("/auth/login/4601/guardian?fersk=1")).await;
    let authorize = location(&res);
    let params = query(&authorize);
    assert!(params.iter().any(|(k, v)| k == "prompt" && v == "login"), "{authorize}");
    assert!(params.iter().any(|(k, v)| k == "max_age" && v == "900"), "{authorize}");
    let ordinary = s.browser.get(&s.app.public("/auth/login/4601/guardian")).await;
    assert!(
        !query(&location(&ordinary)).iter().any(|(k, _)| k == "prompt" || k == "max_age"),
        "an ordinary login may use the provider's single sign-on"
    );

    // A provider that answers with an authentication of an hour ago gives a session, but not a
    // fresh one: the new session's start says nothing about when the person proved who they are.
    s.idp.next_authenticated_ago(3600).await;
    let Setup { app, idp, browser } = &mut s;
    let callback = callback_from(browser, app, idp, "/auth/login/4601/guardian?fersk=1").await;
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
    assert!(!fresh(&mut s).await, "an hour-old authentication is not fresh");

    let Setup { app, idp, browser } = &mut s;
    let callback = callback_from(browser, app, idp, "/auth/login/4601/guardian?fersk=1").await;
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
    assert!(fresh(&mut s).await, "a new authentication is fresh again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guardian_logs_in_with_client_secret_basic() {
    logs_in("ranselpost", ClientAuth::ClientSecretBasic).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guardian_logs_in_with_client_secret_post() {
    logs_in("ranselpost-post", ClientAuth::ClientSecretPost).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guardian_logs_in_with_private_key_jwt() {
    logs_in("ranselpost-pkjwt", ClientAuth::PrivateKeyJwt).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_at_high_level_is_accepted_too() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    s.idp.next("12848510058", "idporten-loa-high", None).await;
    let callback = to_callback(&mut s).await;
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_without_state_is_refused() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    let callback = to_callback(&mut s).await;
    let without: Vec<_> = query(&callback).into_iter().filter(|(k, _)| k != "state").collect();
    let url = format!("{}?{}", s.app.public("/auth/callback"), encode(&without));
    assert_refused(&mut s, &url, "state").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_with_a_wrong_state_is_refused() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    let callback = to_callback(&mut s).await;
    let wrong: Vec<_> = query(&callback)
        .into_iter()
        .map(|(k, v)| if k == "state" { (k, "forged-state".to_owned()) } else { (k, v) })
        .collect();
    let url = format!("{}?{}", s.app.public("/auth/callback"), encode(&wrong));
    assert_refused(&mut s, &url, "state").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_authorization_code_is_refused() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    let callback = to_callback(&mut s).await;
    let binding = s.browser.cookies.clone();
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
    s.browser.cookies = binding;
    s.browser.cookies.remove("ranselpost_session");
    assert_refused(&mut s, &callback, "state").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_from_another_login_fails_the_pkce_check() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    // The attacker's own login yields a code bound to the attacker's PKCE challenge...
    let attackers = to_callback(&mut s).await;
    let stolen_code = query(&attackers).into_iter().find(|(k, _)| k == "code").unwrap().1;
    // ...which is injected into the victim's callback (victim's state and browser).
    let mut victim = Browser::new();
    let victims = callback_for(&mut victim, &s.app, &s.idp).await;
    let injected: Vec<_> = query(&victims)
        .into_iter()
        .map(|(k, v)| if k == "code" { (k, stolen_code.clone()) } else { (k, v) })
        .collect();
    let url = format!("{}?{}", s.app.public("/auth/callback"), encode(&injected));
    s.browser = victim;
    assert_refused(&mut s, &url, "invalid").await;
}

async fn tampered(mode: &str) {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    s.idp.next("12848510058", "idporten-loa-substantial", Some(mode)).await;
    let callback = to_callback(&mut s).await;
    assert_refused(&mut s, &callback, "invalid").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_with_a_wrong_nonce_is_refused() {
    tampered("wrong-nonce").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_signed_by_another_key_is_refused() {
    tampered("other-key").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsigned_id_token_with_alg_none_is_refused() {
    tampered("alg-none").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_from_another_issuer_is_refused() {
    tampered("wrong-iss").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_for_another_audience_is_refused() {
    tampered("wrong-aud").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_id_token_is_refused() {
    tampered("expired").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_below_substantial_is_refused() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    s.idp.next("12848510058", "idporten-loa-low", None).await;
    let callback = to_callback(&mut s).await;
    assert_refused(&mut s, &callback, "level").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_whose_iss_names_another_provider_is_refused() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    let callback = to_callback(&mut s).await;
    let mixed: Vec<_> = query(&callback)
        .into_iter()
        .map(
            |(k, v)| {
                if k == "iss" { (k, "https://login.evil.example".to_owned()) } else { (k, v) }
            },
        )
        .collect();
    let url = format!("{}?{}", s.app.public("/auth/callback"), encode(&mixed));
    assert_refused(&mut s, &url, "invalid").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_at_the_provider_ends_the_session_here_through_the_back_channel() {
    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    let callback = to_callback(&mut s).await;
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
    assert_eq!(s.browser.get(&s.app.public("/hjem")).await.status(), 200);
    // The person logs out at the provider (another app's logout, say): its confirmation form.
    let page = s.browser.get(&format!("{}/session/end", s.idp.issuer)).await.text().await.unwrap();
    let xsrf =
        page.split("name=\"xsrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = [("xsrf".to_owned(), xsrf), ("logout".to_owned(), "yes".to_owned())];
    let res = s
        .browser
        .post_form(&format!("{}/session/end/confirm", s.idp.issuer), &form, "same-origin")
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    // The provider has told us on the back channel: the session here is gone.
    let res = s.browser.get(&s.app.public("/hjem")).await;
    assert_eq!(res.status(), 302);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_logout_token_ends_nothing() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use rsa::pkcs1v15::SigningKey;
    use rsa::signature::{SignatureEncoding, Signer};

    let mut s = setup("ranselpost", ClientAuth::ClientSecretBasic).await;
    let callback = to_callback(&mut s).await;
    assert_eq!(finish(&mut s, &callback).await, "/hjem");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let claims = serde_json::json!({
        "iss": s.idp.issuer, "aud": "ranselpost", "iat": now, "jti": uuid::Uuid::new_v4().to_string(),
        "sub": "12848510058", "events": { "http://schemas.openid.net/event/backchannel-logout": {} }
    });
    let enc = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    // Unsigned (alg none), and signed by a key that is not the provider's.
    let unsigned = format!("{}.{}.", enc(&serde_json::json!({"alg": "none"})), enc(&claims));
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let input = format!(
        "{}.{}",
        enc(&serde_json::json!({"alg": "RS256", "kid": "interop-1"})),
        enc(&claims)
    );
    let signature = SigningKey::<sha2::Sha256>::new(key).sign(input.as_bytes()).to_bytes();
    let forged = format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature));
    for token in [unsigned, forged] {
        let res = s
            .browser
            .client
            .post(s.app.url("/auth/backchannel-logout"))
            .form(&[("logout_token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
    }
    assert_eq!(s.browser.get(&s.app.public("/hjem")).await.status(), 200, "still logged in");
}

fn encode(pairs: &[(String, String)]) -> String {
    let mut url = reqwest::Url::parse("http://x/").unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_owned()
}
