//! `/meldinger` (all of a guardian's children, or a staff member's conversations) and
//! `/barn/:id/meldinger` (one child): newest first, unread marked, older pages by link.

use crate::api::AppError;
use crate::api::messaging::{InboxPage as Inbox, child_inbox, inbox};
use crate::i18n::use_i18n;
use crate::ui::live::Live;
use crate::ui::protected::loaded_page;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("eldre"), inbox);
    inbox_frame(data)
}

#[component]
pub fn ChildInboxPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), query.read().get("eldre")),
        |(child, older)| child_inbox(child, older),
    );
    inbox_frame(data)
}

/// The inbox page around a list, which follows new messages by itself.
fn inbox_frame(data: Resource<Result<Inbox, AppError>>) -> impl IntoView {
    loaded_page("messages.inbox.title", data, |page| view! { <InboxView page /> })
}

#[component]
fn InboxView(page: Inbox) -> impl IntoView {
    let i18n = use_i18n();
    let heading = match &page.child {
        Some((_, name)) => i18n.t_with("messages.inbox.child_heading", &[("child", name)]),
        None => i18n.t("messages.inbox.title").to_owned(),
    };
    let back = if page.staff { "/ansatt" } else { "/hjem" };
    let actions = match (&page.child, page.staff) {
        (Some((id, _)), _) => Some(view! {
            <p class="actions"><a class="button primary" href=format!("/barn/{id}/ny-melding")>{i18n.t("messages.new")}</a></p>
        }.into_any()),
        (None, true) => Some(view! {
            <p class="actions"><a class="button primary" href="/ansatt/gruppemelding">{i18n.t("messages.group.new")}</a></p>
        }.into_any()),
        (None, false) => None,
    };
    let older = page.older.clone().map(|cursor| {
        let base = match &page.child {
            Some((id, _)) => format!("/barn/{id}/meldinger"),
            None => "/meldinger".to_owned(),
        };
        view! { <p><a class="nav-link" href=format!("{base}?eldre={cursor}")>{i18n.t("messages.inbox.older")}</a></p> }
    });
    let list = if page.threads.is_empty() {
        view! { <p>{i18n.t("messages.inbox.empty")}</p> }.into_any()
    } else {
        view! {
            <ul class="inbox">
                {page
                    .threads
                    .into_iter()
                    .map(|t| {
                        let unread = (t.unread > 0).then(|| {
                            view! {
                                <span class="unread">
                                    {i18n.t_with("messages.inbox.unread", &[("count", &t.unread.to_string())])}
                                </span>
                            }
                        });
                        let kind = if t.is_group {
                            i18n.t("messages.inbox.group")
                        } else if t.is_reply {
                            i18n.t("messages.inbox.reply")
                        } else {
                            ""
                        };
                        view! {
                            <li class={if t.unread > 0 { "thread unread-thread" } else { "thread" }}>
                                <a href=format!("/samtale/{}", t.id)>
                                    <span class="card-title">{t.subject.clone()}</span>
                                    {unread}
                                    <span class="card-meta">
                                        {format!("{kind}{} · {} · {}", t.about, t.last_author, t.last_at)}
                                    </span>
                                    <span class="preview">{t.preview.clone()}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="breadcrumb"><a href=back>{i18n.t("messages.back_home")}</a></p>
        <h1>{heading}</h1>
        {actions}
        <Live id="inbox-list" on_messages=true>{list} {older}</Live>
    }
}
