//! The document shell and the router.

use super::accessibility::AccessibilityPage;
use super::boot::{Boot, DEMO_META};
use super::child::ChildPage;
use super::day::{
    AbsencePage, ActivitiesPage, BoardPage, DailyNotePage, LeavePage, PickupPage, StaffAbsencePage,
};
use super::home::GuardianHomePage;
use super::login_result::{LoginFailedPage, NoAccessPage};
use super::messaging::{ChildInboxPage, ComposePage, GroupMessagePage, InboxPage, ThreadPage};
use super::notify::NotifyPage;
use super::offline::OfflinePage;
use super::profile::ProfilePage;
use super::quick_unlock::{DevicesPage, UnlockPage};
use super::staff_home::StaffHomePage;
use super::tablet::{TabletAdminPage, TabletPage};
use super::{landing::LandingPage, municipality::MunicipalityPage, not_found::NotFound};
use crate::i18n::I18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let boot = Boot::detect();
    view! {
        <!DOCTYPE html>
        <html lang=boot.locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1f5f8b" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                <link rel="stylesheet" href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name) />
                {boot.demo.then(|| view! { <meta name=DEMO_META content="on" /> })}
                <crate::ui::once::SubmitOnceScript />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
                <PageReady />
            </body>
        </html>
    }
}

/// The last island of every page. The island script brings islands to life in document order,
/// waiting for each (a lazy one's WASM file is fetched first), so when this one runs every island
/// before it has: it marks the page, so browser tests and support staff can tell a live page
/// from server-rendered HTML.
#[island]
fn PageReady() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
}

/// The app: provides the page's language and demo flag, then routes. It runs on the server
/// only; in the browser just the islands inside its pages come alive.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let boot = Boot::detect();
    let i18n = I18n::new(boot.locale);
    provide_context(i18n);
    provide_context(boot);
    view! {
        <PageTitle text=i18n.t("app.name") />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                // Async: the whole page is rendered before it is sent, so it is complete and
                // usable without JavaScript (out-of-order streaming needs script to swap in data).
                <Route path=path!("/") view=LandingPage ssr=SsrMode::Async />
                <Route path=path!("/kommune/:number") view=MunicipalityPage ssr=SsrMode::Async />
                <Route path=path!("/hjem") view=GuardianHomePage ssr=SsrMode::Async />
                <Route path=path!("/ansatt") view=StaffHomePage ssr=SsrMode::Async />
                <Route path=path!("/barn/:id") view=ChildPage ssr=SsrMode::Async />
                <Route path=path!("/barn/:id/meldinger") view=ChildInboxPage ssr=SsrMode::Async />
                <Route path=path!("/barn/:id/ny-melding") view=ComposePage ssr=SsrMode::Async />
                <Route path=path!("/barn/:id/fravaer") view=AbsencePage ssr=SsrMode::Async />
                <Route path=path!("/barn/:id/permisjon") view=LeavePage ssr=SsrMode::Async />
                <Route path=path!("/barn/:id/henting") view=PickupPage ssr=SsrMode::Async />
                <Route path=path!("/aktiviteter") view=ActivitiesPage ssr=SsrMode::Async />
                <Route path=path!("/ansatt/aktiviteter") view=ActivitiesPage ssr=SsrMode::Async />
                <Route path=path!("/ansatt/fravaer") view=StaffAbsencePage ssr=SsrMode::Async />
                <Route path=path!("/ansatt/dagen") view=BoardPage ssr=SsrMode::Async />
                <Route path=path!("/ansatt/dagen/notat/:id") view=DailyNotePage ssr=SsrMode::Async />
                <Route path=path!("/ansatt/nettbrett") view=TabletAdminPage ssr=SsrMode::Async />
                <Route path=path!("/nettbrett") view=TabletPage ssr=SsrMode::Async />
                <Route path=path!("/meldinger") view=InboxPage ssr=SsrMode::Async />
                <Route path=path!("/samtale/:id") view=ThreadPage ssr=SsrMode::Async />
                <Route path=path!("/ansatt/gruppemelding") view=GroupMessagePage ssr=SsrMode::Async />
                <Route path=path!("/profil") view=ProfilePage ssr=SsrMode::Async />
                <Route path=path!("/enheter") view=DevicesPage ssr=SsrMode::Async />
                <Route path=path!("/varsler") view=NotifyPage ssr=SsrMode::Async />
                <Route path=path!("/las-opp") view=UnlockPage ssr=SsrMode::Async />
                <Route path=path!("/ingen-tilgang") view=NoAccessPage ssr=SsrMode::Async />
                <Route path=path!("/frakoblet") view=OfflinePage ssr=SsrMode::Async />
                <Route path=path!("/innlogging-feilet") view=LoginFailedPage ssr=SsrMode::Async />
                <Route path=path!("/tilgjengelighet") view=AccessibilityPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
