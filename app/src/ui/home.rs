//! The guardian's start page.

use super::child::place_text;
use super::protected::protected_page;
use super::quick_unlock::QuickUnlockOffer;
use crate::api::account::{GuardianHome, get_guardian_home};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn GuardianHomePage() -> impl IntoView {
    protected_page("home.title", get_guardian_home, |home| view! { <GuardianHomeView home /> })
}

#[component]
fn GuardianHomeView(home: GuardianHome) -> impl IntoView {
    crate::ui::error::return_after_login();
    let i18n = use_i18n();
    let greeting = i18n.t_with("home.greeting", &[("name", &home.name)]);
    let body = if home.children.is_empty() {
        view! {
            <section class="notice">
                <h2>{i18n.t("home.no_children.title")}</h2>
                <p>{i18n.t("home.no_children.text")}</p>
                <p>{i18n.t_with("home.no_children.contact", &[("municipality", &home.municipality)])}</p>
            </section>
        }
        .into_any()
    } else {
        view! {
            <h2>{i18n.t("home.children")}</h2>
            <ul class="child-list">
                {home
                    .children
                    .into_iter()
                    .map(|c| {
                        let places = c
                            .places
                            .iter()
                            .map(place_text)
                            .collect::<Vec<_>>()
                            .join(" · ");
                        view! {
                            <li>
                                <a class="child-card" href=format!("/barn/{}", c.id)>
                                    <span class="card-title">{c.name}</span>
                                    <span class="card-meta">{places}</span>
                                </a>
                                <a class="child-messages" href=format!("/barn/{}/meldinger", c.id)>
                                    {i18n.t("messages.inbox.title")}
                                    {(c.unread > 0).then(|| view! {
                                        " "<span class="unread">{i18n.t_with("messages.inbox.unread", &[("count", &c.unread.to_string())])}</span>
                                    })}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let notices = (!home.notices.is_empty()).then(|| {
        view! {
            <section class="notices" aria-labelledby="notices-heading">
                <h2 id="notices-heading">{i18n.t("home.notices")}</h2>
                <ul>
                    {home
                        .notices
                        .iter()
                        .map(|n| {
                            let text = match &n.adult {
                                Some(adult) => i18n.t_with("notice.access_granted", &[("adult", adult), ("child", &n.child)]),
                                None => i18n.t_with("notice.access_granted_unnamed", &[("child", &n.child)]),
                            };
                            view! { <li>{text}</li> }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    view! {
        <h1>{greeting}</h1>
        <p class="lead">{home.municipality.clone()}</p>
        {notices}
        <QuickUnlockOffer fresh=home.offer_quick_unlock />
        {home.offer_notifications.then(|| view! {
            <section class="offer" aria-labelledby="notify-offer">
                <p id="notify-offer">{i18n.t("notify.offer.text")}</p>
                <a class="button secondary" href="/varsler">{i18n.t("notify.offer.link")}</a>
            </section>
        })}
        {body}
        <p><a class="nav-link" href="/meldinger">{i18n.t("messages.inbox.all")}</a></p>
        <p><a class="nav-link" href="/aktiviteter">{i18n.t("activity.title")}</a></p>
        <p><a class="nav-link" href="/profil">{i18n.t("profile.link")}</a></p>
        <p><a class="nav-link" href="/enheter">{i18n.t("devices.link")}</a></p>
        <p><a class="nav-link" href="/varsler">{i18n.t("notify.nav")}</a></p>
    }
}
