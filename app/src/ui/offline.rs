//! Being offline: a banner on every page while the device has no network, and `/frakoblet`,
//! the page the service worker shows when a page cannot be fetched.

use super::layout::Page;
use crate::i18n::{Texts, use_i18n};
use crate::ui::title::PageTitle;
use leptos::prelude::*;

/// The banner's place on every page: empty in the server's HTML (the server cannot know), filled
/// by the browser while the device is offline.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    view! { <OfflineNotice texts=Texts::pick(use_i18n(), &["offline.banner"]) /> }
}

/// Says so while the browser reports no network, or when the service worker served this page
/// from its cache (it marks such a page `data-offline`).
#[island]
fn OfflineNotice(texts: Texts) -> impl IntoView {
    let i18n = texts.provide();
    let online = RwSignal::new(true);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let saved = document().body().is_some_and(|b| b.has_attribute("data-offline"));
            online.set(window.navigator().on_line() && !saved);
            std::mem::forget(window_event_listener(leptos::ev::online, move |_| online.set(true)));
            std::mem::forget(window_event_listener(leptos::ev::offline, move |_| {
                online.set(false)
            }));
        }
    });
    move || {
        (!online.get()).then(
            || view! { <p class="offline-banner" role="status">{i18n.t("offline.banner")}</p> },
        )
    }
}

#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t("offline.title") />
        <Page>
            <h1>{i18n.t("offline.title")}</h1>
            <p>{i18n.t("offline.text")}</p>
            <p><a class="nav-link" href="/meldinger">{i18n.t("offline.inbox")}</a></p>
        </Page>
    }
}
