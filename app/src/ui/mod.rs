//! Pages and components.

pub mod app;
mod boot;
mod error;
mod landing;
mod layout;
mod municipality;
mod not_found;

pub use app::{App, shell};
