//! Quick unlock in the browser: the PIN screen (`/las-opp`), the device page (`/enheter`) where
//! it is set up and devices are revoked, the offer on the home page after a login, and "log out
//! and forget this device". Everything that needs the device (its key in IndexedDB, WebCrypto,
//! WebAuthn) happens after hydration; the server-rendered page says so, and ID-porten is always
//! one link away.

pub mod device;
mod devices_page;
mod unlock_page;

pub use devices_page::{DevicesPage, QuickUnlockOffer};
pub use unlock_page::UnlockPage;

use crate::i18n::use_i18n;
use device::Stored;
use leptos::prelude::*;

/// What this device has, once the browser has looked: `None` until then (and while rendering
/// on the server, so the first render is the same on both sides).
pub fn this_device() -> RwSignal<Option<Option<Stored>>> {
    let found = RwSignal::new(None);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { found.set(Some(device::load().await)) });
    });
    found
}

/// On the front page: a device with quick unlock goes to the PIN screen (the installed app
/// starts at `/`, so this is where a guardian lands when the session has ended).
#[component]
pub fn UnlockRedirect() -> impl IntoView {
    let found = this_device();
    Effect::new(move |_| {
        if let Some(Some(_)) = found.get() {
            super::error::redirect_to("/las-opp");
        }
    });
}

/// Beside the logout button: "log out and forget this device" revokes this device's quick
/// unlock on the server, removes its key here, then logs out. Only shown on a device that has
/// quick unlock.
#[component]
pub fn ForgetAndLogout() -> impl IntoView {
    let i18n = use_i18n();
    let found = this_device();
    let busy = RwSignal::new(false);
    let forget = move |_| {
        let Some(Some(stored)) = found.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            // The session may already be gone: the local key goes whatever the server says.
            if let Err(e) = crate::api::quick_unlock::revoke_device(stored.credential_id).await {
                leptos::logging::warn!("revoking this device: {e}");
            }
            device::forget().await;
            device::submit_logout();
        });
    };
    view! {
        <Show when=move || matches!(found.get(), Some(Some(_)))>
            <button type="button" class="secondary forget-device" disabled=move || busy.get() on:click=forget>
                {i18n.t("unlock.forget_and_logout")}
            </button>
        </Show>
    }
}
