//! Notices outside the app, through local stand-ins of the outside services (an SMTP server,
//! LINK Mobility's SMS API, an RFC 8030 push service): who is told on which channel by KRR's
//! rules and their settings, that nothing sent carries the content, that web push is encrypted
//! for the subscription and signed with VAPID, and that each notice goes once.

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use support::browser::Browser;
use support::outside::{PushService, SmsGatewayFake, SmtpSink, eventually};
use support::personas::{INGRID, KARI, NINA};
use support::{Engine, TestApp};

/// A weekday morning in Norway: no quiet hours hold the notices, whatever the time the tests run.
const MORNING: &str = "2027-01-04T10:00:00+01:00";
const SUBJECT: &str = "Skogstur fredag";
const BODY: &str = "Vi går til Storeskogen på fredag, ta med matpakke og ullundertøy.";

async fn ingrid_writes_to_4b(app: &TestApp, urgent: bool) {
    let mut ingrid = app.logged_in(INGRID).await;
    ingrid_writes_again(app, &mut ingrid, urgent).await;
}

async fn ingrid_writes_again(app: &TestApp, ingrid: &mut Browser, urgent: bool) {
    let mut form = vec![("target", "group:demo-group-4b"), ("subject", SUBJECT), ("body", BODY)];
    if urgent {
        form.push(("urgent", "on"));
    }
    let res = ingrid.post(app, "/api/messages/send_group", &form).await;
    assert_eq!(res.status(), 302, "the group message is sent");
}

/// Nothing a notice carries may tell what was written.
fn assert_no_content(text: &str) {
    for secret in ["Skogstur", "Storeskogen", "matpakke", "Jonas Nordmann", "Mathias"] {
        assert!(!text.contains(secret), "a notice carried {secret:?}: {text}");
    }
}

async fn a_group_message_to_4b_is_mailed_to_kari_and_per_and_to_nobody_kkr_rules_out(
    engine: Engine,
) {
    let (smtp, sms) = (SmtpSink::start().await, SmsGatewayFake::start().await);
    let app =
        TestApp::demo().on(MORNING).sending_to(Some(&smtp), Some(&sms), None).spawn(engine).await;
    ingrid_writes_to_4b(&app, false).await;
    all_sent(&app).await;
    // Give a wrong extra notice the time to show up.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let kari = smtp.to("kari.nordmann@example.no");
    let per = smtp.to("per.hansen@example.no");
    assert_eq!((kari.len(), per.len()), (1, 1), "{:#?}", smtp.mails());
    assert!(smtp.to("ola.nordmann@example.no").is_empty(), "Ola's e-mail is stale");
    let nina: (i64,) =
        app.one("SELECT COUNT(*) FROM notice_delivery WHERE person_id = 'demo-person-nina'").await;
    assert_eq!(nina.0, 0, "Nina is reserved in KRR: nothing at all");
    let mut to: Vec<String> = smtp.mails().iter().flat_map(|m| m.to.clone()).collect();
    let mailed = to.len();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), mailed, "one mail per guardian");
    assert!(sms.sent().is_empty(), "no SMS for a message that is not urgent: {:?}", sms.sent());
    // Its sender sees how far it went, among the guardians with parental responsibility.
    let (thread,): (String,) = app.one("SELECT id FROM thread WHERE kind = 'group'").await;
    let (of,): (i64,) = app.one("SELECT COUNT(*) FROM notice_recipient").await;
    let page = app.logged_in(INGRID).await.text(&app, &format!("/samtale/{thread}")).await;
    let told = format!("Varslet {mailed} av {of}: 0 på enheten, {mailed} på e-post, 0 på SMS");
    assert!(page.contains(&told), "{told} in {page}");
    let mail = &kari[0];
    assert!(mail.header("Subject").unwrap().contains("Fjordvik skole"), "{}", mail.data);
    assert!(mail.data.contains(&app.public("/samtale/")), "it links into the app: {}", mail.data);
    for mail in smtp.mails() {
        assert_no_content(&mail.data);
    }
}

/// Waits until every planned notice has gone (or given up).
async fn all_sent(app: &TestApp) {
    for _ in 0..300 {
        let (events,): (i64,) =
            app.one("SELECT COUNT(*) FROM notice_event WHERE planned_at IS NULL").await;
        let (open,): (i64,) = app
            .one("SELECT COUNT(*) FROM notice_delivery WHERE status IN ('pending', 'sending')")
            .await;
        let (any,): (i64,) = app.one("SELECT COUNT(*) FROM notice_event").await;
        if any > 0 && events == 0 && open == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the notices were not all sent within 30 seconds");
}

async fn an_urgent_group_message_also_reaches_by_sms_those_with_a_current_mobile(engine: Engine) {
    let (smtp, sms) = (SmtpSink::start().await, SmsGatewayFake::start().await);
    let app =
        TestApp::demo().on(MORNING).sending_to(Some(&smtp), Some(&sms), None).spawn(engine).await;
    ingrid_writes_to_4b(&app, true).await;
    assert!(
        eventually(|| sms.sent().iter().any(|s| s.destination == "+4740000002")).await,
        "Ola, with a stale e-mail but a current mobile, gets an SMS: {:?}",
        sms.sent()
    );
    smtp.wait_for(2).await;
    let sent = sms.sent();
    assert!(sent.iter().all(|s| s.text.starts_with("Ranselpost: ") && s.text.len() <= 160));
    for s in &sent {
        assert_no_content(&s.text);
    }
    all_sent(&app).await;
    assert!(smtp.to("kari.nordmann@example.no").len() == 1);
    let nina: (i64,) =
        app.one("SELECT COUNT(*) FROM notice_delivery WHERE person_id = 'demo-person-nina'").await;
    assert_eq!(nina.0, 0, "Nina is reserved in KRR: nothing at all");
}

async fn a_guardian_who_switches_off_group_messages_by_email_gets_none(engine: Engine) {
    let smtp = SmtpSink::start().await;
    let app = TestApp::demo().on(MORNING).sending_to(Some(&smtp), None, None).spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let res = kari
        .post(
            &app,
            "/api/notify/save",
            &[("form[on][message-email]", "1"), ("form[quiet_from]", ""), ("form[quiet_to]", "")],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(support::browser::location(&res), "/varsler?lagret=1");
    let page = kari.text(&app, "/varsler?lagret=1").await;
    assert!(page.contains("Innstillingene er lagret"), "{page}");
    ingrid_writes_to_4b(&app, false).await;
    assert!(eventually(|| !smtp.to("per.hansen@example.no").is_empty()).await);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(smtp.to("kari.nordmann@example.no").is_empty(), "Kari said no");
    // A time that does not read changes nothing and says so.
    let res = kari
        .post(&app, "/api/notify/save", &[("form[quiet_from]", "25:99"), ("form[quiet_to]", "7")])
        .await;
    assert_eq!(support::browser::location(&res), "/varsler?feil=tid#feil");
}

async fn quiet_hours_hold_a_notice_until_seven_but_not_an_urgent_one(engine: Engine) {
    let smtp = SmtpSink::start().await;
    // 22:30 in Norway.
    let app = TestApp::demo()
        .on("2027-01-04T21:30:00Z")
        .sending_to(Some(&smtp), None, None)
        .spawn(engine)
        .await;
    ingrid_writes_to_4b(&app, false).await;
    let planned = || async {
        app.all::<(String, String, i64)>(
            "SELECT person_id, status, due_at FROM notice_delivery WHERE person_id = 'demo-person-kari'",
        )
        .await
    };
    let mut rows = planned().await;
    for _ in 0..50 {
        if !rows.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        rows = planned().await;
    }
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (_, status, due) = &rows[0];
    assert_eq!(status, "pending");
    // 07:00 on 5 January in Norway is 06:00 UTC.
    let seven =
        chrono::DateTime::parse_from_rfc3339("2027-01-05T06:00:00Z").unwrap().timestamp_millis();
    assert!((due - seven).abs() < 2_000, "due at seven: {due} vs {seven}");
    assert!(smtp.mails().is_empty());
    ingrid_writes_to_4b(&app, true).await;
    assert!(
        eventually(|| smtp.to("kari.nordmann@example.no").len() == 1).await,
        "urgent comes at once"
    );
}

/// A browser's push subscription: its keys, the secret half kept to read what arrives.
struct Subscriber {
    secret: web_push_native::p256::SecretKey,
    auth: [u8; 16],
}

impl Subscriber {
    fn new() -> Subscriber {
        use rand::RngCore;
        let mut auth = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut auth);
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        bytes[0] = 1;
        let secret = web_push_native::p256::SecretKey::from_slice(&bytes).unwrap();
        Subscriber { secret, auth }
    }

    fn public(&self) -> String {
        use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }

    async fn subscribe(
        &self,
        app: &TestApp,
        browser: &mut Browser,
        endpoint: &str,
    ) -> reqwest::Response {
        browser
            .call(
                &app.public("/api/notify/subscribe"),
                &[
                    ("endpoint", endpoint),
                    ("p256dh", &self.public()),
                    ("auth", &URL_SAFE_NO_PAD.encode(self.auth)),
                    ("name", "Karis telefon"),
                ],
            )
            .await
    }

    fn read(&self, body: &[u8]) -> serde_json::Value {
        let auth = web_push_native::Auth::clone_from_slice(&self.auth);
        let plain = web_push_native::decrypt(body.to_vec(), &self.secret, &auth).expect("decrypts");
        serde_json::from_slice(&plain).unwrap()
    }
}

async fn a_push_notice_is_encrypted_for_the_subscription_signed_with_vapid_and_a_gone_one_removed(
    engine: Engine,
) {
    use p256::ecdsa::signature::Verifier;
    let push = PushService::start().await;
    let app = TestApp::demo().on(MORNING).sending_to(None, None, Some(&push)).spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let phone = Subscriber::new();
    let res = phone.subscribe(&app, &mut kari, &push.endpoint("kari-phone")).await;
    assert!(res.status().is_success(), "{}", res.status());
    ingrid_writes_to_4b(&app, false).await;
    assert!(eventually(|| !push.received().is_empty()).await, "the push service got it");
    let got = &push.received()[0];
    assert_eq!(got.headers["content-encoding"], "aes128gcm");
    let notice = phone.read(&got.body);
    assert_eq!(notice["title"], "Ny melding fra Fjordvik skole");
    assert!(notice["url"].as_str().unwrap().contains("/samtale/"), "{notice}");
    assert_no_content(&notice.to_string());
    // RFC 8292: a JWT for the push service's origin, signed with the key the browser was given.
    let vapid = got.headers["authorization"].to_str().unwrap();
    let (t, k) = vapid.strip_prefix("vapid t=").unwrap().split_once(", k=").unwrap();
    let settings = kari.text(&app, "/varsler").await;
    assert!(settings.contains("Karis telefon"), "the device is listed");
    let (input, signature) = t.rsplit_once('.').unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(input.split('.').nth(1).unwrap()).unwrap())
            .unwrap();
    assert_eq!(claims["aud"], push.origin);
    let key =
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(k).unwrap()).unwrap();
    let signature =
        p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap()).unwrap();
    assert!(key.verify(input.as_bytes(), &signature).is_ok(), "VAPID signature");
    // The browser was reset: the push service answers 410, and the subscription goes.
    push.forget("kari-phone");
    ingrid_writes_to_4b(&app, false).await;
    let mut left = 1;
    for _ in 0..100 {
        left = app.one::<(i64,)>("SELECT COUNT(*) FROM push_subscription").await.0;
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "a subscription the push service no longer knows is removed");
}

async fn a_notice_whose_push_subscription_is_gone_goes_by_e_mail_instead(engine: Engine) {
    let (push, smtp) = (PushService::start().await, SmtpSink::start().await);
    let app =
        TestApp::demo().on(MORNING).sending_to(Some(&smtp), None, Some(&push)).spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let phone = Subscriber::new();
    assert!(
        phone.subscribe(&app, &mut kari, &push.endpoint("kari-phone")).await.status().is_success()
    );
    // With push, Kari's default is no e-mail; then her phone is reset.
    push.forget("kari-phone");
    ingrid_writes_to_4b(&app, false).await;
    assert!(
        eventually(|| !smtp.to("kari.nordmann@example.no").is_empty()).await,
        "the notice push could not deliver reaches Kari by e-mail"
    );
    assert_no_content(&smtp.to("kari.nordmann@example.no")[0].data);
    assert_eq!(app.one::<(i64,)>("SELECT COUNT(*) FROM push_subscription").await.0, 0);
}

async fn logging_out_stops_push_to_that_browser_and_to_no_other(engine: Engine) {
    let push = PushService::start().await;
    let app = TestApp::demo().on(MORNING).sending_to(None, None, Some(&push)).spawn(engine).await;
    let (mut laptop, mut phone) = (app.logged_in(KARI).await, app.logged_in(KARI).await);
    let (laptop_keys, phone_keys) = (Subscriber::new(), Subscriber::new());
    let res = laptop_keys.subscribe(&app, &mut laptop, &push.endpoint("kari-laptop")).await;
    assert!(res.status().is_success());
    let res = phone_keys.subscribe(&app, &mut phone, &push.endpoint("kari-phone")).await;
    assert!(res.status().is_success());
    // Each browser's page knows whether push is on in that browser.
    assert!(laptop.text(&app, "/varsler").await.contains("data-listed=\"true\""));
    let mut other = app.logged_in(KARI).await;
    assert!(other.text(&app, "/varsler").await.contains("data-listed=\"false\""));
    laptop.post_form(&app.public("/auth/logout"), &[], "same-origin").await;
    let left: Vec<(String,)> = app.all("SELECT endpoint FROM push_subscription").await;
    assert_eq!(left, [(push.endpoint("kari-phone"),)], "the phone keeps its push");
}

async fn a_subscription_elsewhere_than_a_push_service_is_refused(engine: Engine) {
    let push = PushService::start().await;
    let app = TestApp::demo().on(MORNING).sending_to(None, None, Some(&push)).spawn(engine).await;
    let mut nina = app.logged_in(NINA).await;
    let phone = Subscriber::new();
    for endpoint in [
        "http://127.0.0.1:5432/",
        "https://fcm.googleapis.com.evil.example/x",
        "file:///etc/passwd",
        &format!("{}/push/x", push.origin.replace("127.0.0.1", "localhost")),
    ] {
        let res = phone.subscribe(&app, &mut nina, endpoint).await;
        assert_eq!(res.status(), 400, "{endpoint}");
    }
    assert_eq!(app.one::<(i64,)>("SELECT COUNT(*) FROM push_subscription").await.0, 0);
}

async fn another_person_cannot_take_over_a_subscription_without_its_secret(engine: Engine) {
    let push = PushService::start().await;
    let app = TestApp::demo().on(MORNING).sending_to(None, None, Some(&push)).spawn(engine).await;
    let endpoint = push.endpoint("kari-phone");
    let phone = Subscriber::new();
    let mut kari = app.logged_in(KARI).await;
    assert!(phone.subscribe(&app, &mut kari, &endpoint).await.status().is_success());
    // Per has learnt the address, but not the browser's secret.
    let mut per = app.logged_in(support::personas::PER).await;
    let res = Subscriber::new().subscribe(&app, &mut per, &endpoint).await;
    assert_eq!(res.status(), 400);
    let (owner,): (String,) = app.one("SELECT person_id FROM push_subscription").await;
    assert_eq!(owner, "demo-person-kari");
    // The same address written another way is not another subscription.
    let odd = endpoint.replace("/push/", "/push/./");
    assert_eq!(phone.subscribe(&app, &mut kari, &odd).await.status(), 400);
    // Per logged in on Kari's very browser (it holds the secret) takes it over.
    assert!(phone.subscribe(&app, &mut per, &endpoint).await.status().is_success());
    let (owner,): (String,) = app.one("SELECT person_id FROM push_subscription").await;
    assert_eq!(owner, "demo-person-per");
}

async fn five_messages_in_one_conversation_within_minutes_make_one_notice(engine: Engine) {
    let smtp = SmtpSink::start().await;
    let app = TestApp::demo().on(MORNING).sending_to(Some(&smtp), None, None).spawn(engine).await;
    let mut kari = app.logged_in(KARI).await;
    let thread =
        support::scenes::kari_writes_to_ingrid(&app, &mut kari, "Henting", "Hentes kl 15.").await;
    let id = thread.trim_start_matches("/samtale/").to_owned();
    let mut ingrid = app.logged_in(INGRID).await;
    for n in 0..5 {
        let body = format!("Svar nummer {n}");
        let res =
            ingrid.post(&app, "/api/messages/reply", &[("thread_id", &id), ("body", &body)]).await;
        assert_eq!(res.status(), 302);
    }
    assert!(eventually(|| !smtp.to("kari.nordmann@example.no").is_empty()).await);
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(smtp.to("kari.nordmann@example.no").len(), 1, "one notice for five messages");
    assert_no_content(&smtp.mails()[0].data);
}

async fn two_processes_deliver_every_notice_once(engine: Engine) {
    let smtp = SmtpSink::start().await;
    let app = TestApp::demo().on(MORNING).sending_to(Some(&smtp), None, None).spawn(engine).await;
    // Logged in first: a second demo process takes over the test identity provider.
    let mut ingrid = app.logged_in(INGRID).await;
    let _second = app.spawn_sharing_with(MORNING, Some(&smtp)).await;
    for n in 0..10 {
        // Each its own message: the same text again would be taken for a repeated tap.
        let body = format!("Beskjed nummer {n}");
        let form = [("target", "group:demo-group-4b"), ("subject", "Beskjed"), ("body", &body)];
        let res = ingrid.post(&app, "/api/messages/send_group", &form).await;
        assert_eq!(res.status(), 302);
    }
    // Ten group messages, each to every guardian of 4B with a usable e-mail.
    all_sent(&app).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let ids: Vec<String> = smtp.mails().iter().filter_map(|m| m.header("Message-ID")).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    let (sent,): (i64,) = app
        .one("SELECT COUNT(*) FROM notice_delivery WHERE channel = 'email' AND status = 'sent'")
        .await;
    assert!(sent >= 20, "Kari and Per at least, ten times: {sent}");
    assert_eq!(ids.len() as i64, sent, "every notice arrived");
    assert_eq!(unique.len(), ids.len(), "none twice");
}

on_both_engines!(
    a_notice_whose_push_subscription_is_gone_goes_by_e_mail_instead,
    logging_out_stops_push_to_that_browser_and_to_no_other,
    a_group_message_to_4b_is_mailed_to_kari_and_per_and_to_nobody_kkr_rules_out,
    an_urgent_group_message_also_reaches_by_sms_those_with_a_current_mobile,
    a_guardian_who_switches_off_group_messages_by_email_gets_none,
    quiet_hours_hold_a_notice_until_seven_but_not_an_urgent_one,
    a_push_notice_is_encrypted_for_the_subscription_signed_with_vapid_and_a_gone_one_removed,
    a_subscription_elsewhere_than_a_push_service_is_refused,
    another_person_cannot_take_over_a_subscription_without_its_secret,
    five_messages_in_one_conversation_within_minutes_make_one_notice,
    two_processes_deliver_every_notice_once,
);
