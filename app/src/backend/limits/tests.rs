//! The limits without a server: which paths they cover, per-address and per-credential counts,
//! and what a refusal looks like.

use super::*;
use axum::body::Body;

fn limits(per_minute: u32) -> Limits {
    Limits::new(&LimitSettings {
        unlock_per_minute: per_minute,
        credential_per_minute: per_minute,
        login_per_minute: per_minute,
        feed_per_minute: per_minute,
        public_per_minute: per_minute,
        ..LimitSettings::default()
    })
}

#[test]
fn every_unauthenticated_endpoint_is_limited_and_nothing_else_is() {
    for path in [
        "/api/device/challenge",
        "/api/device/unlock",
        "/api/device/passkey/unlock/begin",
        "/api/device/passkey/unlock/finish",
    ] {
        assert_eq!(Bucket::of(path), Some(Bucket::Unlock), "{path}");
    }
    for path in
        ["/auth/login/4601/guardian", "/auth/callback", "/testid/authorize", "/testid/token"]
    {
        assert_eq!(Bucket::of(path), Some(Bucket::Login), "{path}");
    }
    assert_eq!(Bucket::of("/kalender/abc.ics"), Some(Bucket::Feed));
    for path in ["/api/public/language", "/api/public/municipalities", "/api/public/municipality"] {
        assert_eq!(Bucket::of(path), Some(Bucket::Public), "{path}");
    }
    for path in [
        "/",
        "/hjem",
        "/api/messages/inbox",
        "/pkg/ranselpost.wasm",
        "/healthz",
        "/auth/backchannel-logout",
    ] {
        assert_eq!(Bucket::of(path), None, "{path}");
    }
}

#[test]
fn each_address_has_its_own_limit_per_kind_of_request() {
    let limits = limits(3);
    let kari: IpAddr = "198.51.100.1".parse().unwrap();
    let per: IpAddr = "198.51.100.2".parse().unwrap();
    for _ in 0..3 {
        assert!(limits.check_address(Bucket::Unlock, kari).is_ok());
    }
    let wait = limits.check_address(Bucket::Unlock, kari).unwrap_err();
    assert!(wait > Duration::ZERO && wait <= Duration::from_secs(20), "{wait:?}");
    assert!(limits.check_address(Bucket::Unlock, per).is_ok());
    assert!(limits.check_address(Bucket::Login, kari).is_ok());
}

#[test]
fn a_credential_is_limited_wherever_the_requests_come_from() {
    let limits = limits(2);
    assert!(limits.check_credential("credential-a").is_ok());
    assert!(limits.check_credential("credential-a").is_ok());
    let refused = limits.check_credential("credential-a").unwrap_err();
    assert_eq!(refused.status_code(), 429);
    assert!(refused.retry_after().is_some_and(|s| (1..=30).contains(&s)));
    assert!(limits.check_credential("credential-b").is_ok());
    // Very long "ids" share a bounded key instead of growing the table.
    let long = "x".repeat(10_000);
    assert!(limits.check_credential(&long).is_ok());
    limits.forget_idle();
}

async fn body_text(res: Response) -> String {
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn a_refused_server_function_call_gets_the_error_its_caller_decodes_and_retry_after() {
    let req = Request::builder().uri("/api/device/unlock").body(Body::empty()).unwrap();
    let res = too_many_requests(&req, AppError::rate_limited(Duration::from_millis(2500)));
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()[header::RETRY_AFTER], "3");
    let error: AppError = serde_json::from_str(&body_text(res).await).unwrap();
    assert_eq!(error.message_key(), "error.rate_limited");
}

#[tokio::test]
async fn a_refused_page_gets_the_message_in_the_persons_language() {
    let req = Request::builder()
        .uri("/auth/login/4601/guardian")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8")
        .body(Body::empty())
        .unwrap();
    let res = too_many_requests(&req, AppError::rate_limited(Duration::from_secs(1)));
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()[header::RETRY_AFTER], "1");
    assert_eq!(
        body_text(res).await,
        crate::i18n::translate(crate::i18n::Locale::En, "error.rate_limited")
    );
}
