//! The axum host: configuration, router, start-up. Kept as a library so the integration tests
//! start the very same application on a random port.

pub mod admin;
pub mod check_text;
pub mod config;
mod health;
mod startup;
pub mod telemetry;

pub use startup::{Application, StartupError, build_register, open_database};
