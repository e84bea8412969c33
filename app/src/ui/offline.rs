//! Being offline: a banner on every page while the device has no network, and `/frakoblet`,
//! the page the service worker shows when a page cannot be fetched.

use super::layout::Page;
use crate::i18n::use_i18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;

/// Whether the device is online, as the browser reports it (always `true` on the server).
#[derive(Debug, Clone, Copy)]
pub struct Online(pub RwSignal<bool>);

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let i18n = use_i18n();
    let online = use_context::<Online>();
    move || {
        online.filter(|o| !o.0.get()).map(|_| {
            view! { <p class="offline-banner" role="status">{i18n.t("offline.banner")}</p> }
        })
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
            <p><a href="/meldinger">{i18n.t("offline.inbox")}</a></p>
        </Page>
    }
}
