//! A child's page: where the child is, and who can read what is written about the child.
//!
//! Every server function that takes a child lives under `/api/child/`, so the access test can
//! find all of them and call each one as people who must be refused.

use crate::api::AppError;
pub use crate::domain::children::{Place, Reader};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the last chosen child on this device.
pub const CHILD_COOKIE: &str = "ranselpost_child";

/// A child's page: names, places, guardians and who has read about the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildDetails {
    pub id: String,
    pub name: String,
    /// Shown to staff: the child has a confidential address ("skjermet"); say nothing of where
    /// the child lives or goes to anyone outside.
    pub shielded: bool,
    pub places: Vec<Place>,
    pub readers: Vec<Reader>,
    /// The child's day today at a kindergarten or SFO: check-in, check-out, the staff's note.
    pub today: Vec<crate::domain::daily_note::DayAtUnit>,
}

/// One child, for a person allowed to see it; remembers the choice on this device.
#[server(prefix = "/api/child", endpoint = "details")]
pub async fn get_child(child_id: String) -> Result<ChildDetails, AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        use crate::backend::repo::children;

        let access = crate::backend::access::ChildAccess::check(&child_id).await?;
        let day = crate::backend::day::daily_note::today_for_family(&access).await?;
        let (state, user, today) = access.into_parts();
        let user = &user;
        let child = children::get(&state.db, &child_id)
            .await
            .context("loading a child")?
            .ok_or(AppError::NotFound)?;
        let places = crate::backend::children::places(&state.db, &child_id, &today)
            .await
            .context("loading a child's places")?;
        let viewer_guardian =
            (user.audience == crate::domain::Audience::Guardian).then_some(user.person_id.as_str());
        let readers =
            crate::backend::children::readers(&state.db, &child_id, &today, viewer_guardian)
                .await
                .context("listing who can read about a child")?;
        remember_child(&child_id);
        let shielded = user.audience == crate::domain::Audience::Staff
            && crate::backend::children::is_protected(&child.address_protection);
        Ok(ChildDetails {
            id: child.id.clone(),
            name: child.display_name().to_string(),
            shielded,
            places,
            readers,
            today: day,
        })
    })
    .await
}

/// Remembers on this device the child chosen last, to show it first next time.
#[cfg(feature = "ssr")]
fn remember_child(child_id: &str) {
    crate::backend::cookies::set(&format!(
        "{CHILD_COOKIE}={child_id}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
    ));
}
