//! Server-only code: the database, repositories, identity, access policy and demo data.
//! Compiled only with the `ssr` feature (gated once, in `lib.rs`), so none of it reaches the
//! WASM bundle.

pub mod access;
pub mod audit;
pub mod children;
pub mod clock;
pub mod cookies;
pub mod day;
pub mod db;
pub mod demo;
pub mod home;
pub mod identity;
pub mod input;
pub mod jwt;
pub mod kept;
pub mod limits;
pub mod messaging;
mod migrations;
pub mod notices;
pub mod notify;
pub mod once;
pub mod pending;
pub mod quick_unlock;
pub mod registers;
pub mod repo;
pub mod security;
pub mod sql;
pub mod tablet;
pub mod testid;
/// Throw-away databases and helpers for tests: the app's own and, through the `testing`
/// feature, the server's.
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use db::{Database, DbError, Engine};

use crate::error::AppError;
use identity::SessionSettings;
use identity::oidc::RelyingParty;
use leptos::prelude::use_context;

/// Settings the app needs while serving, provided as context with the database.
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Demo mode: synthetic data and the built-in test identity provider. Every page says so
    /// while it is on.
    pub demo: bool,
    /// The address people reach the app at, e.g. `https://ranselpost.bergen.kommune.no`:
    /// redirect URIs and secure cookies follow from it.
    pub public_url: String,
    pub session: SessionSettings,
}

impl AppSettings {
    pub fn new(public_url: &str, demo: bool) -> Self {
        let public_url = public_url.trim_end_matches('/').to_owned();
        let session = SessionSettings {
            secure: public_url.starts_with("https://"),
            ..SessionSettings::default()
        };
        AppSettings { demo, public_url, session }
    }
}

/// What every server function and page render gets from the host: provided as Leptos context
/// by both the server-function handler and the SSR handler (never a global, so each test has
/// its own database).
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub settings: AppSettings,
    pub rp: RelyingParty,
    /// The demo's test identity provider; `None` outside demo mode.
    pub testid: Option<std::sync::Arc<testid::TestIdp>>,
    /// Folkeregisteret, when one is configured (the demo has its own): relations are refreshed
    /// from it at every guardian login.
    pub folkeregister: Option<registers::folkeregisteret::Folkeregister>,
    /// KRR, when one is configured (the demo has its own): contact details are refreshed from
    /// it at every guardian login.
    pub krr: Option<registers::krr::Krr>,
    /// News of new messages, for the open event streams of this process.
    pub events: messaging::realtime::Hub,
    /// Rate limits and hashing slots for what can be asked without logging in.
    pub limits: limits::Limits,
    /// The ways notices leave the system (web push, e-mail, SMS).
    pub notify: notify::Senders,
}

/// The app state of the current request.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("request context", &"AppState was not provided"))
}

impl AppState {
    /// Today's date (YYYY-MM-DD) in Norway, by the app's clock (a demo's `--now`).
    pub fn today(&self) -> String {
        self.db.clock.today()
    }
}
