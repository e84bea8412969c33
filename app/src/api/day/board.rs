//! The kindergarten/SFO day on a (shared) tablet: a group's children as tiles, check in and out
//! with one tap, today's absence and pick-up notes on the tiles. And the guardian's side: the
//! pick-up note for today.

use crate::api::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::board::{Board, PickupView, TileView};

/// Today's board for one of the caller's kindergarten or SFO groups.
#[server(prefix = "/api/day", endpoint = "board")]
pub async fn get_board(group: Option<String>) -> Result<Board, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::backend::access::Caller;
            use crate::backend::{authorize, policy};

            let (state, user) = authorize(policy::can_see_staff_home).await?;
            let today = state.today();
            let caller = Caller { state, user, today };
            crate::backend::day::tablet::board(&caller, group.as_deref()).await
        }
        .await,
    )
}

/// Checks a child in or out (`action` "in" or "out"), back to the group's board.
#[server(prefix = "/api/child", endpoint = "check")]
pub async fn check(
    child_id: String,
    action: Option<String>,
    group: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::board;
            use crate::domain::Audience;

            let (state, user, today) = crate::backend::access::ChildAccess::check(&child_id)
                .await?
                .into_parts();
            if user.audience != Audience::Staff {
                return Err(AppError::Forbidden);
            }
            let unit = board::board_unit_for(&state.db, &user.person_id, &child_id, &today)
                .await
                .context("finding a child's kindergarten or SFO")?
                .ok_or(AppError::NotFound)?;
            match action.as_deref() {
                Some("in") => board::check_in(&state.db, &child_id, &unit, &today, &user.person_id)
                    .await
                    .context("checking a child in")?,
                Some("out") => {
                    board::check_out(&state.db, &child_id, &unit, &today, &user.person_id)
                        .await
                        .context("checking a child out")?
                }
                _ => return Err(AppError::invalid("board.error.action")),
            }
            leptos_axum::redirect(&board_path(group));
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn board_path(group: Option<String>) -> String {
    match group.filter(|g| !g.is_empty()) {
        Some(g) => format!("/ansatt/dagen?gruppe={g}"),
        None => "/ansatt/dagen".to_owned(),
    }
}

/// Staff mark a pick-up note as seen.
#[server(prefix = "/api/child", endpoint = "ack_pickup")]
pub async fn ack_pickup(
    child_id: String,
    note_id: Option<String>,
    group: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::day::board;
            use crate::domain::Audience;

            let (state, user, _) = crate::backend::access::ChildAccess::check(&child_id)
                .await?
                .into_parts();
            if user.audience != Audience::Staff {
                return Err(AppError::Forbidden);
            }
            board::ack_pickup(
                &state.db,
                &note_id.unwrap_or_default(),
                &child_id,
                &user.person_id,
            )
            .await
            .context("acknowledging a pick-up note")?;
            leptos_axum::redirect(&board_path(group));
            Ok(())
        }
        .await,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupPage {
    pub child_id: String,
    pub child_name: String,
    pub notes: Vec<PickupView>,
    pub problem: Option<String>,
    pub who: String,
    pub at_time: String,
}

/// A guardian's pick-up notes for a child today.
#[server(prefix = "/api/child", endpoint = "pickup")]
pub async fn get_pickup(child_id: String, draft: Option<String>) -> Result<PickupPage, AppError> {
    crate::api::error::with_status(
        async move {
            use crate::api::error::ResultExt;
            use crate::backend::messaging::drafts;
            use crate::backend::repo::children;

            let (state, user, today) = crate::backend::access::ChildAccess::check(&child_id)
                .await?
                .into_parts();
            let child = children::get(&state.db, &child_id)
                .await
                .context("loading a child")?
                .ok_or(AppError::NotFound)?;
            let mut page = PickupPage {
                child_name: child.display_name().to_string(),
                notes: crate::backend::day::tablet::pickups(&state.db, &child_id, &today).await?,
                child_id: child_id.clone(),
                problem: None,
                who: String::new(),
                at_time: String::new(),
            };
            if let Some(id) = draft.filter(|d| !d.is_empty())
                && let Some(d) = drafts::load(
                    &state.db,
                    &id,
                    &user.person_id,
                    &crate::backend::day::tablet::pickup_draft_target(&child_id),
                )
                .await
                .context("loading a pick-up draft")?
            {
                page.who = d.body;
                page.at_time = d.subject;
                page.problem = Some(d.problem);
            }
            Ok(page)
        }
        .await,
    )
}

/// A guardian writes who picks the child up today, and when.
#[server(prefix = "/api/child", endpoint = "write_pickup")]
pub async fn write_pickup(
    child_id: String,
    who: Option<String>,
    at_time: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(
        async move {
            use crate::backend::access::GuardianOf;
            use crate::backend::day::tablet::{self, Noted};
            use crate::backend::messaging::drafts::NewDraft;

            let guardian = GuardianOf::check(&child_id).await?;
            let who = who.unwrap_or_default().trim().to_owned();
            let at_time = at_time.unwrap_or_default().trim().to_owned();
            let page = format!("/barn/{child_id}/henting");
            match tablet::note_pickup(&guardian, &who, &at_time).await? {
                Noted::Saved => {
                    leptos_axum::redirect(&format!("{page}?lagret=1"));
                    Ok(())
                }
                Noted::Refused(problem) => {
                    let caller = &guardian.0.caller;
                    let draft = NewDraft {
                        person_id: &caller.user.person_id,
                        target: &tablet::pickup_draft_target(&child_id),
                        subject: &at_time,
                        body: &who,
                        recipient: None,
                        problem,
                    };
                    crate::api::messages::keep_draft(&caller.state, draft, &page).await
                }
            }
        }
        .await,
    )
}
