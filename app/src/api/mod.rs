//! Server functions, grouped by capability. Each is a public HTTP endpoint: it authenticates the
//! caller, asks `backend::policy`, calls the backend and maps errors to [`AppError`].

pub mod absence;
pub mod account;
pub mod activities;
pub mod board;
pub mod children;
pub mod messages;
pub mod municipalities;
pub mod preferences;
pub mod unlock;

/// The one error type, shared by every layer (see `crate::error`); re-exported here because
/// every server function answers with it.
pub use crate::error::{self, AppError};
