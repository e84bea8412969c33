//! Server functions, grouped by capability. Each is a public HTTP endpoint: it authenticates the
//! caller, asks `backend::policy`, calls the backend and maps errors to [`AppError`].

pub mod absence;
pub mod account;
pub mod activities;
pub mod board;
pub mod children;
pub mod error;
pub mod messages;
pub mod municipalities;
pub mod preferences;
pub mod unlock;

pub use error::AppError;
