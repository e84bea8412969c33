//! The start pages: a guardian's children with current parental responsibility, a staff
//! member's roles and the children they work with now.

use crate::backend::access::{self, Caller};
use crate::backend::children::{for_staff, is_protected, places};
use crate::backend::messaging::inbox;
use crate::backend::notices;
use crate::backend::repo::{children, municipalities, staff_roles};
use crate::domain::DisplayName;
use crate::domain::home::{
    ChildSummary, GuardianHome, NoticeSummary, StaffChild, StaffHome, StaffRoleSummary,
};
use crate::error::{AppError, ResultExt};

/// The name of the caller's municipality.
async fn municipality_name(caller: &Caller) -> Result<String, AppError> {
    Ok(municipalities::get(&caller.state.db, &caller.user.municipality_id)
        .await
        .context("loading a person's municipality")?
        .map(|m| m.name)
        .unwrap_or_default())
}

/// A guardian's start page; the child chosen last on this device (`remembered`) comes first.
pub async fn guardian(
    caller: &Caller,
    remembered: Option<String>,
) -> Result<GuardianHome, AppError> {
    let (db, user, today) = (&caller.state.db, &caller.user, &caller.today);
    let mut list = Vec::new();
    for c in children::list_for_guardian(db, &user.person_id, today)
        .await
        .context("listing a guardian's children")?
    {
        let places = places(db, &c.id, today).await.context("loading a child's places")?;
        let unread = inbox::unread_for_child(db, &user.person_id, &c.id, today)
            .await
            .context("counting unread messages")?;
        list.push(ChildSummary { name: c.display_name().to_string(), id: c.id, places, unread });
    }
    if let Some(last) = remembered {
        list.sort_by_key(|c| c.id != last);
    }
    let notices = notices::for_person(db, &user.person_id, today)
        .await
        .context("listing a guardian's notices")?
        .into_iter()
        .map(|n| NoticeSummary { child: n.child, adult: n.adult })
        .collect();
    let offer_quick_unlock = access::require_fresh_login(db, user).await.is_ok();
    let offer_notifications = !crate::backend::notify::prefs::has_chosen(db, &user.person_id)
        .await
        .context("looking for notification settings")?;
    Ok(GuardianHome {
        name: user.name.to_string(),
        municipality: municipality_name(caller).await?,
        children: list,
        notices,
        offer_quick_unlock,
        offer_notifications,
    })
}

/// A staff member's start page.
pub async fn staff(caller: &Caller) -> Result<StaffHome, AppError> {
    let (state, user, today) = (&caller.state, &caller.user, &caller.today);
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
    let children = for_staff(&state.db, &user.person_id, today)
        .await
        .context("listing a staff member's children")?
        .into_iter()
        .map(|r| StaffChild {
            name: DisplayName::from_register(&r.given_names, r.middle_name.as_deref(), &r.surname)
                .to_string(),
            place: format!("{}, {}", r.unit_name, r.group_name),
            shielded: is_protected(&r.address_protection),
            id: r.child_id,
        })
        .collect();
    let (absent_today, absent_tomorrow, leave_requests) =
        crate::backend::day::follow_up::counts(caller).await?;
    let has_board =
        !crate::backend::day::board::groups_for_staff(&state.db, &user.person_id, today)
            .await
            .context("listing a staff member's boards")?
            .is_empty();
    Ok(StaffHome {
        absent_today,
        absent_tomorrow,
        leave_requests,
        has_board,
        name: user.name.to_string(),
        municipality: municipality_name(caller).await?,
        roles,
        children,
        idle_minutes: state.settings.session.staff_idle_secs / 60,
        unread: inbox::unread_for_staff(&state.db, &user.person_id, today)
            .await
            .context("counting unread messages")?,
    })
}
