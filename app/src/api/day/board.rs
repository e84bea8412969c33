//! The kindergarten/SFO day on a (shared) tablet: a group's children as tiles, check in and out
//! with one tap, today's absence and pick-up notes on the tiles. And the guardian's side: the
//! pick-up note for today. The work is in `backend::day::tablet`.

use crate::api::AppError;
use leptos::prelude::*;

pub use crate::domain::board::{Board, PickupForm, PickupPage, PickupView, TileView};

/// Today's board for one of the caller's kindergarten or SFO groups.
#[server(prefix = "/api/day", endpoint = "board")]
pub async fn get_board(group: Option<String>) -> Result<Board, AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::on_tablet().await?;
        crate::backend::day::tablet::board(&caller, group.as_deref()).await
    })
    .await
}

/// Checks a child in or out (`action` "in" or "out"), back to the group's board.
#[server(prefix = "/api/child", endpoint = "check")]
pub async fn check(
    child_id: String,
    action: Option<String>,
    group: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let staff = crate::backend::access::StaffOfChild::on_tablet(&child_id).await?;
        crate::backend::day::tablet::check(&staff, action.as_deref()).await?;
        leptos_axum::redirect(&board_path(group));
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
pub(crate) fn board_path(group: Option<String>) -> String {
    // Back to the group the tap came from; anything but a group id is not put in the address.
    match group.filter(|g| crate::domain::input::is_id(g)) {
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
    crate::api::error::with_status(async move {
        let staff = crate::backend::access::StaffOfChild::on_tablet(&child_id).await?;
        let note_id = note_id.unwrap_or_default();
        crate::backend::day::tablet::ack_pickup(&staff, &note_id).await?;
        leptos_axum::redirect(&board_path(group));
        Ok(())
    })
    .await
}

/// A guardian's pick-up notes for a child today.
#[server(prefix = "/api/child", endpoint = "pickup")]
pub async fn get_pickup(child_id: String, draft: Option<String>) -> Result<PickupPage, AppError> {
    crate::api::error::with_status(async move {
        let access = crate::backend::access::ChildAccess::check(&child_id).await?;
        crate::backend::day::tablet::pickup_page(&access, draft).await
    })
    .await
}

/// A guardian writes who picks the child up today, and when. What cannot be saved comes back
/// to the form as typed.
#[server(prefix = "/api/child", endpoint = "write_pickup")]
pub async fn write_pickup(
    child_id: String,
    who: Option<String>,
    at_time: Option<String>,
    day: Option<String>,
    comment: Option<String>,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::forms;
        use crate::backend::day::tablet::{self, Noted};
        use crate::backend::once::Posted;

        let guardian = crate::backend::access::GuardianOf::check(&child_id).await?;
        let form = PickupForm {
            who: who.unwrap_or_default(),
            at_time: at_time.unwrap_or_default(),
            day: day.unwrap_or_default(),
            comment: comment.unwrap_or_default(),
        };
        let page = format!("/barn/{child_id}/henting");
        let content = format!("{form:?}");
        forms::once(&guardian.0.caller, once, &content, async {
            Ok(match tablet::note_pickup(&guardian, &form).await? {
                Noted::Saved => Posted::Done(format!("{page}?lagret=1")),
                // Opened at the error summary, which names the field.
                Noted::Kept(id) => Posted::NotDone(format!("{}#feil", forms::kept_at(&page, &id))),
            })
        })
        .await
    })
    .await
}
