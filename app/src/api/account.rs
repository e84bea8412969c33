//! What a logged-in person sees first: their name, and for a guardian their children.

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::home::{
    ChildSummary, GuardianHome, NoticeSummary, StaffChild, StaffHome, StaffRoleSummary,
};

/// The guardian's start page: their children with current parental responsibility.
#[server]
pub async fn get_guardian_home() -> Result<GuardianHome, AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::access::Caller;
        let crate::backend::access::Caller { state, user, .. } =
            crate::backend::access::Caller::guardian().await?;
        let today = state.today();
        let caller = Caller { state, user, today };
        crate::backend::home::guardian(&caller, remembered_child()).await
    })
    .await
}

/// The staff start page: who they are and where they work.
#[server]
pub async fn get_staff_home() -> Result<StaffHome, AppError> {
    crate::api::error::with_status(async move {
        use crate::backend::access::Caller;
        let crate::backend::access::Caller { state, user, .. } =
            crate::backend::access::Caller::staff().await?;
        let today = state.today();
        crate::backend::home::staff(&Caller { state, user, today }).await
    })
    .await
}

/// The child last chosen on this device (a cookie set by the child page).
#[cfg(feature = "ssr")]
fn remembered_child() -> Option<String> {
    crate::backend::cookies::from_request(crate::api::children::CHILD_COOKIE)
}

/// A guardian's profile: contact details from KRR (read-only here) and whether notices can use
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    /// KRR knows the person.
    pub known: bool,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub reserved: bool,
    pub can_notify: bool,
    /// The e-mail address may be used for notices (fresh, not reserved).
    pub email_used: bool,
    pub mobile_used: bool,
}

#[server]
pub async fn get_profile() -> Result<Profile, AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        use crate::backend::repo::contacts;
        let crate::backend::access::Caller { state, user, .. } =
            crate::backend::access::Caller::guardian().await?;
        let contact =
            contacts::get(&state.db, &user.person_id).await.context("loading contact details")?;
        let channels =
            contact.as_ref().map(|c| c.notice_channels(&state.today())).unwrap_or_default();
        let contact_ref = contact.as_ref();
        Ok(Profile {
            name: user.name.to_string(),
            known: contact.is_some(),
            email: contact_ref.and_then(|c| c.email.clone()),
            mobile: contact_ref.and_then(|c| c.mobile.clone()),
            reserved: contact_ref.is_some_and(|c| c.reserved),
            can_notify: contact_ref.is_some_and(|c| c.can_notify),
            email_used: channels.email.is_some(),
            mobile_used: channels.sms.is_some(),
        })
    })
    .await
}
