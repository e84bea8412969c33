//! The staff start page, on a (often shared) tablet.

use super::protected::protected_page;
use crate::api::account::{StaffHome, get_staff_home};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    protected_page("staff.title", get_staff_home, |home| view! { <StaffHomeView home /> })
}

#[component]
fn StaffHomeView(home: StaffHome) -> impl IntoView {
    crate::ui::error::return_after_login();
    let i18n = use_i18n();
    let mut absence_counts = i18n.t_with(
        "staff.absence_counts",
        &[
            ("today", &home.absent_today.to_string()),
            ("tomorrow", &home.absent_tomorrow.to_string()),
        ],
    );
    if home.leave_requests > 0 {
        let requests =
            i18n.t_with("staff.leave_requests", &[("count", &home.leave_requests.to_string())]);
        absence_counts = format!("{absence_counts}, {requests}");
    }
    view! {
        <h1>{i18n.t_with("home.greeting", &[("name", &home.name)])}</h1>
        <p class="lead">{home.municipality.clone()}</p>
        <p class="notice">
            {i18n.t_with("staff.shared_device", &[("minutes", &home.idle_minutes.to_string())])}
        </p>
        <p class="actions">
            <a class="button primary" href="/meldinger">
                {i18n.t("messages.inbox.title")}
                {(home.unread > 0).then(|| view! {
                    " "<span class="unread">{i18n.t_with("messages.inbox.unread", &[("count", &home.unread.to_string())])}</span>
                })}
            </a>
            " "
            <a class="button secondary" href="/ansatt/gruppemelding">{i18n.t("messages.group.new")}</a>
            " "
            <a class="button secondary" href="/ansatt/fravaer">
                {i18n.t("absence.staff_title")}
                " "<span class="unread">{absence_counts}</span>
            </a>
            // The check-in board is for kindergarten and SFO groups only.
            {home.has_board.then(|| view! {
                " "<a class="button secondary" href="/ansatt/dagen">{i18n.t("board.title")}</a>
            })}
            " "
            <a class="button secondary" href="/ansatt/aktiviteter">{i18n.t("activity.title")}</a>
            " "
            <a class="button secondary" href="/varsler">{i18n.t("notify.nav")}</a>
            " "
            <a class="button secondary" href="/ansatt/nettbrett">{i18n.t("tablet.admin.nav")}</a>
        </p>
        <h2>{i18n.t("staff.roles")}</h2>
        <ul>
            {home
                .roles
                .into_iter()
                .map(|r| {
                    let place = match r.group {
                        Some(g) => format!("{}, {g}", r.unit),
                        None => r.unit,
                    };
                    view! { <li>{format!("{} – {place}", i18n.t(&r.role_key))}</li> }
                })
                .collect_view()}
        </ul>
        <h2>{i18n.t("staff.children")}</h2>
        <ul class="child-list">
            {home
                .children
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <a class="child-card" href=format!("/barn/{}", c.id)>
                                <span class="card-title">{c.name}</span>
                                <span class="card-meta">{c.place}</span>
                                {c.shielded.then(|| view! { <span class="shielded-tag">{i18n.t("child.shielded")}</span> })}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
