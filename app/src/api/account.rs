//! What a logged-in person sees first: their name, and for a guardian their children.

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSummary {
    pub id: String,
    /// The display name: at most two given names.
    pub name: String,
    /// Kindergarten, school and SFO groups the child is in today.
    pub places: Vec<crate::api::children::Place>,
    /// Unread messages about the child.
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianHome {
    pub name: String,
    pub municipality: String,
    pub children: Vec<ChildSummary>,
    pub notices: Vec<NoticeSummary>,
}

/// "Someone has gained access to your child": the adult is `None` when they must not be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSummary {
    pub child: String,
    pub adult: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRoleSummary {
    pub unit: String,
    pub group: Option<String>,
    /// i18n key of the role's name.
    pub role_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHome {
    pub name: String,
    pub municipality: String,
    pub roles: Vec<StaffRoleSummary>,
    /// The children this staff member may see, each with unit and group.
    pub children: Vec<StaffChild>,
    /// Minutes without use before this session ends.
    pub idle_minutes: i64,
    /// Unread messages in the conversations the staff member takes part in.
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChild {
    pub id: String,
    pub name: String,
    pub place: String,
    /// Confidential address: shown as "skjermet" to staff.
    pub shielded: bool,
}

/// The guardian's start page: their children with current parental responsibility.
#[server]
pub async fn get_guardian_home() -> Result<GuardianHome, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::repo::{children, municipalities};
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_guardian_home).await?;
            let today = state.today();
            let mut children = Vec::new();
            for c in children::list_for_guardian(&state.db, &user.person_id, &today)
                .await
                .context("listing a guardian's children")?
            {
                let places = crate::backend::children::places(&state.db, &c.id, &today)
                    .await
                    .context("loading a child's places")?;
                let unread = crate::backend::messaging::inbox::unread_for_child(
                    &state.db,
                    &user.person_id,
                    &c.id,
                    &today,
                )
                .await
                .context("counting unread messages")?;
                children.push(ChildSummary {
                    name: c.display_name().to_string(),
                    id: c.id,
                    places,
                    unread,
                });
            }
            // The child chosen last on this device comes first.
            if let Some(last) = remembered_child() {
                children.sort_by_key(|c| c.id != last);
            }
            let municipality = municipalities::get(&state.db, &user.municipality_id)
                .await
                .context("loading the guardian's municipality")?
                .map(|m| m.name)
                .unwrap_or_default();
            let notices = crate::backend::notices::for_person(&state.db, &user.person_id, &today)
                .await
                .context("listing a guardian's notices")?
                .into_iter()
                .map(|n| NoticeSummary {
                    child: n.child,
                    adult: n.adult,
                })
                .collect();
            Ok(GuardianHome {
                name: user.name.to_string(),
                municipality,
                children,
                notices,
            })
        }
        .await,
    )
}

/// The staff start page: who they are and where they work.
#[server]
pub async fn get_staff_home() -> Result<StaffHome, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::repo::{municipalities, staff_roles};
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let roles = staff_roles::list_for_person(&state.db, &user.person_id)
                .await
                .context("listing a staff member's roles")?
                .into_iter()
                .map(|r| StaffRoleSummary {
                    role_key: crate::domain::staff::role_key(&r.role).to_owned(),
                    unit: r.unit_name,
                    group: r.group_name,
                })
                .collect();
            let municipality = municipalities::get(&state.db, &user.municipality_id)
                .await
                .context("loading the staff member's municipality")?
                .map(|m| m.name)
                .unwrap_or_default();
            let children =
                crate::backend::children::for_staff(&state.db, &user.person_id, &state.today())
                    .await
                    .context("listing a staff member's children")?
                    .into_iter()
                    .map(|r| StaffChild {
                        name: crate::domain::DisplayName::from_register(
                            &r.given_names,
                            r.middle_name.as_deref(),
                            &r.surname,
                        )
                        .to_string(),
                        place: format!("{}, {}", r.unit_name, r.group_name),
                        shielded: crate::backend::children::is_protected(&r.address_protection),
                        id: r.child_id,
                    })
                    .collect();
            Ok(StaffHome {
                name: user.name.to_string(),
                municipality,
                roles,
                children,
                idle_minutes: state.settings.session.staff_idle_secs / 60,
                unread: crate::backend::messaging::inbox::unread_for_staff(
                    &state.db,
                    &user.person_id,
                    &state.today(),
                )
                .await
                .context("counting unread messages")?,
            })
        }
        .await,
    )
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
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::repo::contacts;
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_guardian_home).await?;
            let contact = contacts::get(&state.db, &user.person_id)
                .await
                .context("loading contact details")?;
            let channels = contact
                .as_ref()
                .map(|c| c.notice_channels(&state.today()))
                .unwrap_or_default();
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
        }
        .await,
    )
}
