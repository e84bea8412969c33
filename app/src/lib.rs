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

/// The browser entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    register_service_worker();
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
