//! Pages and components.

mod accessibility;
pub mod app;
mod boot;
mod child;
mod day;
mod error;
mod error_summary;
mod home;
mod landing;
mod layout;
mod live;
mod login_result;
mod messaging;
mod municipality;
mod not_found;
mod notify;
mod offline;
mod once;
mod profile;
mod protected;
mod quick_unlock;
mod staff_home;
mod tablet;
mod title;

pub use app::{App, shell};
