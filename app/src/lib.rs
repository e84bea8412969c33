//! Ranselpost: school/kindergarten–home communication for Norwegian municipalities.
//!
//! This crate is compiled twice: with `ssr` into the server, and with `hydrate` into the WASM
//! bundle. Server-only code lives in `backend`, gated here once.

pub mod api;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

pub use ui::{App, shell};

/// The browser entry point. The page itself is server-rendered HTML; Leptos's island script
/// calls this, then brings each `#[island]` on the page to life.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic's message in the console while developing; a release build leaves the formatting
    // code out of the WASM (a panic there still stops the island, with a stack trace).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    follow_redirects();
    leptos::mount::hydrate_islands();
    register_service_worker();
}

/// What an island does with a server function's redirect (a plain form post gets it as an HTTP
/// redirect instead): one back to this very page is answered in place by the island, which
/// shows the new state itself (the device page after a revoke); any other is a page load. Set
/// before any island, so `ActionForm`'s own fallback (always a page load) is not used.
#[cfg(feature = "hydrate")]
fn follow_redirects() {
    let _ = leptos::server_fn::redirect::set_redirect_hook(|to: &str| {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let here = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if to != here
            && let Err(e) = location.set_href(to)
        {
            leptos::logging::warn!("following a redirect to {to}: {e:?}");
        }
    });
}

/// The service worker makes the app installable and lets it start offline (`public/sw.js`).
#[cfg(feature = "hydrate")]
fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        // A browser that refuses (private mode, no https) simply runs without it.
        let _ = container.register("/sw.js");
    }
}
