//! Identity: OpenID Connect login for guardians (ID-porten) and staff (Feide or the
//! municipality's IdP), server-side sessions, and logout in all three OIDC forms.

pub mod backchannel;
pub mod next;
pub mod oidc;
#[cfg(test)]
mod properties;
pub mod providers;
pub mod routes;
pub mod session;
pub mod staff;

pub use session::{CurrentUser, SessionSettings, current_user};
