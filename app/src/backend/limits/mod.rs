//! Limits on what anyone can make the server do without logging in.
//!
//! - Rates: every unauthenticated endpoint (quick unlock and its challenges, passkey unlock,
//!   login and logout under `/auth`, the demo's TestID, calendar feeds) is rate-limited per
//!   client address, in the middleware here; quick unlock also per credential, where the
//!   server functions know which one is asked for. `governor`'s keyed GCRA limiters hold the
//!   counts in memory, per process: a flood is refused before it reaches the database.
//! - Work: password hashing (argon2id, 19 MiB a time) runs in a bounded number of slots
//!   ([`hashing::HashSlots`]).
//!
//! A refusal is a 429 with `Retry-After`, and a message in the person's language.

pub mod address;
pub mod hashing;

use crate::error::AppError;
use address::ClientAddress;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Quick-unlock requests per client address a minute, by default: an unlock is two requests,
/// and a household's or a school's devices may share one address.
pub const UNLOCK_PER_MINUTE: u32 = 60;
/// Quick-unlock requests for one credential a minute, by default: five wrong PINs end it anyway.
pub const CREDENTIAL_PER_MINUTE: u32 = 20;
/// Login requests per client address a minute, by default: a login is two to four requests, and
/// a school's staff log in behind one address at the start of the day.
pub const LOGIN_PER_MINUTE: u32 = 120;
/// Calendar feed requests per client address a minute, by default.
pub const FEED_PER_MINUTE: u32 = 60;
/// Calls of the public server functions (the municipality directory, the language choice) per
/// client address a minute, by default: a visitor makes a handful before logging in.
pub const PUBLIC_PER_MINUTE: u32 = 120;
/// Where the server functions anyone may call without logging in live (see [`Bucket`]).
pub const PUBLIC_API: &str = "/api/public/";

/// How much each client may ask for. Per-address limits must leave room for a school's or a
/// household's devices behind one address.
#[derive(Debug, Clone)]
pub struct LimitSettings {
    /// Quick-unlock requests (challenges, PIN and passkey unlocks) per client address a minute.
    pub unlock_per_minute: u32,
    /// Quick-unlock requests for one credential a minute, from anywhere.
    pub credential_per_minute: u32,
    /// Login and logout requests (`/auth`, and the demo's `/testid`) per client address a minute.
    pub login_per_minute: u32,
    /// Calendar feed requests per client address a minute.
    pub feed_per_minute: u32,
    /// Public server function calls (directory, language) per client address a minute.
    pub public_per_minute: u32,
    /// The header a reverse proxy in front of the app puts the client's address in (e.g.
    /// `X-Forwarded-For`). `None`: the TCP peer is the client, and such headers are ignored.
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
    /// The addresses of those proxies: the header is believed only from them.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Password hashes computed at once.
    pub hash_slots: usize,
    /// How long a request waits for a hashing slot before it is refused.
    pub hash_wait: Duration,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            unlock_per_minute: UNLOCK_PER_MINUTE,
            credential_per_minute: CREDENTIAL_PER_MINUTE,
            login_per_minute: LOGIN_PER_MINUTE,
            feed_per_minute: FEED_PER_MINUTE,
            public_per_minute: PUBLIC_PER_MINUTE,
            trusted_proxy_header: None,
            trusted_proxies: address::loopback(),
            hash_slots: hashing::HashSlots::for_this_machine_count(),
            hash_wait: Duration::from_secs(2),
        }
    }
}

type ByAddress = DefaultKeyedRateLimiter<IpAddr>;
type ByCredential = DefaultKeyedRateLimiter<String>;

/// The limits of one running application. Cheap to clone.
#[derive(Clone)]
pub struct Limits {
    inner: Arc<Inner>,
}

struct Inner {
    unlock: ByAddress,
    login: ByAddress,
    feed: ByAddress,
    public: ByAddress,
    credential: ByCredential,
    client: ClientAddress,
    hashing: hashing::HashSlots,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits")
            .field("client", &self.inner.client)
            .field("hashing", &self.inner.hashing)
            .finish()
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(&LimitSettings::default())
    }
}

/// Which limit a request path falls under, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Unlock,
    Login,
    Feed,
    Public,
}

impl Bucket {
    fn of(path: &str) -> Option<Bucket> {
        match path {
            "/api/device/challenge"
            | "/api/device/unlock"
            | "/api/device/passkey/unlock/begin"
            | "/api/device/passkey/unlock/finish"
            | "/api/tablet/pair_start"
            | "/api/tablet/challenge"
            | "/api/tablet/switch" => Some(Bucket::Unlock),
            // The provider's back-channel logouts come in bursts from its few addresses, and a
            // refused one would leave a session alive after the person logged out there. Each is
            // a signed token checked against a configured provider's cached keys: cheap to refuse.
            "/auth/backchannel-logout" => None,
            p if p.starts_with("/auth/") || p.starts_with(crate::backend::testid::PATH) => {
                Some(Bucket::Login)
            }
            p if p.starts_with("/kalender/") => Some(Bucket::Feed),
            p if p.starts_with(PUBLIC_API) => Some(Bucket::Public),
            _ => None,
        }
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
    pub fn new(settings: &LimitSettings) -> Self {
        Limits {
            inner: Arc::new(Inner {
                unlock: ByAddress::keyed(per_minute(settings.unlock_per_minute)),
                login: ByAddress::keyed(per_minute(settings.login_per_minute)),
                feed: ByAddress::keyed(per_minute(settings.feed_per_minute)),
                public: ByAddress::keyed(per_minute(settings.public_per_minute)),
                credential: ByCredential::keyed(per_minute(settings.credential_per_minute)),
                client: ClientAddress::new(
                    settings.trusted_proxy_header.clone(),
                    settings.trusted_proxies.clone(),
                ),
                hashing: hashing::HashSlots::new(settings.hash_slots, settings.hash_wait),
            }),
        }
    }

    /// The slots password hashing runs in.
    pub fn hashing(&self) -> &hashing::HashSlots {
        &self.inner.hashing
    }

    /// Counts a request from `address` against `bucket`; `Err` holds how long to wait.
    fn check_address(&self, bucket: Bucket, address: IpAddr) -> Result<(), Duration> {
        let limiter = match bucket {
            Bucket::Unlock => &self.inner.unlock,
            Bucket::Login => &self.inner.login,
            Bucket::Feed => &self.inner.feed,
            Bucket::Public => &self.inner.public,
        };
        limiter
            .check_key(&address)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Counts a quick-unlock request for `credential_id`, wherever it comes from: a stolen
    /// credential id tried from many addresses is still limited.
    pub fn check_credential(&self, credential_id: &str) -> Result<(), AppError> {
        // Any text can be sent as an id; a bounded key keeps the table's memory bounded.
        let key: String = credential_id.chars().take(64).collect();
        self.inner.credential.check_key(&key).map_err(|not_until| {
            AppError::rate_limited(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }

    /// Forgets clients whose limits have refilled, so the tables do not grow without end.
    pub fn forget_idle(&self) {
        for limiter in [&self.inner.unlock, &self.inner.login, &self.inner.feed, &self.inner.public]
        {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        self.inner.credential.retain_recent();
        self.inner.credential.shrink_to_fit();
    }
}

/// Middleware: finds the client's address (kept in the request's extensions for later use)
/// and refuses a request over its address's limit with 429 and `Retry-After`.
pub async fn limit_requests(
    State(limits): State<Limits>,
    mut req: Request,
    next: Next,
) -> Response {
    let address = limits.inner.client.of(&req);
    req.extensions_mut().insert(address);
    let Some(bucket) = Bucket::of(req.uri().path()) else {
        return next.run(req).await;
    };
    match limits.check_address(bucket, address.0) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            // The bucket, not the path: a calendar feed's path is its secret.
            tracing::debug!(bucket = ?bucket, "rate limit reached");
            too_many_requests(&req, AppError::rate_limited(wait))
        }
    }
}

/// The 429 for a refused request: a server function's caller gets the error as the JSON it
/// decodes (and shows in the person's language); a page gets the text in their language.
fn too_many_requests(req: &Request, error: AppError) -> Response {
    let locale = crate::backend::identity::routes::locale(req.headers());
    let (content_type, body) = if req.uri().path().starts_with("/api/") {
        ("application/json", serde_json::to_string(&error).unwrap_or_default())
    } else {
        (
            "text/plain; charset=utf-8",
            crate::i18n::translate(locale, error.message_key()).to_owned(),
        )
    };
    let mut res = (StatusCode::TOO_MANY_REQUESTS, body).into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(secs) = error.retry_after() {
        headers.insert(header::RETRY_AFTER, secs.into());
    }
    res
}

#[cfg(test)]
mod tests;
