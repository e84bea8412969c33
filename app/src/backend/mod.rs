//! Server-only code: the database, repositories, access policy and demo data. Compiled only with
//! the `ssr` feature (gated once, in `lib.rs`), so none of it reaches the WASM bundle.

pub mod db;
pub mod demo;
mod migrations;
pub mod policy;
pub mod repo;
#[cfg(test)]
pub mod testing;

pub use db::{Database, DbError, Engine};

use crate::api::AppError;
use leptos::prelude::use_context;

/// Settings the app needs while serving, provided as context with the database.
#[derive(Debug, Clone, Default)]
pub struct AppSettings {
    /// Demo mode: synthetic data and (later) the built-in test identity provider. Every page
    /// says so while it is on.
    pub demo: bool,
}

/// What every server function and page render gets from the host: provided as Leptos context
/// by both the server-function handler and the SSR handler (never a global, so each test has
/// its own database).
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub settings: AppSettings,
}

impl AppState {
    /// Who is calling. Until login exists every caller is anonymous.
    pub async fn actor(&self) -> policy::Actor {
        policy::Actor::Anonymous
    }
}

/// The app state of the current request.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("request context", &"AppState was not provided"))
}
