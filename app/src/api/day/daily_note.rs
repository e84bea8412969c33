//! The kindergarten's daily note about a child: written by the child's staff on the tablet,
//! read by the guardians on the child's page. The work is in `backend::day::daily_note`.

use crate::api::AppError;
use leptos::prelude::*;

pub use crate::domain::daily_note::{DailyNoteForm, DailyNotePage, DailyNoteView, DayAtUnit};

/// The page for writing today's note about a child (staff who have the child on their board).
#[server(prefix = "/api/child", endpoint = "daily_note")]
pub async fn get_daily_note(
    child_id: String,
    draft: Option<String>,
) -> Result<DailyNotePage, AppError> {
    crate::api::error::with_status(async move {
        let staff = crate::backend::access::StaffOfChild::on_tablet(&child_id).await?;
        crate::backend::day::daily_note::page(&staff, draft).await
    })
    .await
}

/// Staff write (or write again) today's note about a child; back to the board, or to the form
/// as typed with why it was not saved.
#[server(prefix = "/api/child", endpoint = "write_daily_note")]
pub async fn write_daily_note(
    child_id: String,
    form: DailyNoteForm,
    confirmed: Option<String>,
    group: Option<String>,
    once: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        use crate::api::forms;
        use crate::backend::day::daily_note::{self, Written};
        use crate::backend::once::Posted;

        let staff = crate::backend::access::StaffOfChild::on_tablet(&child_id).await?;
        let confirmed = confirmed.is_some();
        let page = format!("/ansatt/dagen/notat/{child_id}");
        let content = format!("{form:?}{confirmed}");
        forms::once(&staff.0.caller, once, &content, async {
            Ok(match daily_note::write(&staff, &form, confirmed).await? {
                Written::Saved => Posted::Done(super::board::board_path(group)),
                Written::Kept(id) => {
                    Posted::NotDone(format!("{}#feil", forms::kept_at(&page, &id)))
                }
            })
        })
        .await
    })
    .await
}
