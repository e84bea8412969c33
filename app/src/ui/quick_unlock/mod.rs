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

use crate::i18n::{Texts, use_i18n};
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

/// The texts of every quick-unlock island: its own screens and the errors its calls may give.
const TEXTS: [&str; 5] = ["unlock.", "devices.", "error.", "guard.problem.", "common.loading"];

pub(super) fn texts() -> Texts {
    Texts::pick(use_i18n(), &TEXTS)
}

/// On the front page: a device with quick unlock goes to the PIN screen (the installed app
/// starts at `/`, so this is where a guardian lands when the session has ended).
#[island]
pub fn UnlockRedirect() -> impl IntoView {
    let found = this_device();
    Effect::new(move |_| {
        if let Some(Some(_)) = found.get() {
            device::go("/las-opp");
        }
    });
}

/// Beside the logout button: "log out and forget this device" revokes this device's quick
/// unlock on the server, removes its key here, then logs out. Only shown on a device that has
/// quick unlock.
#[component]
pub fn ForgetAndLogout() -> impl IntoView {
    view! { <ForgetAndLogoutButton texts=Texts::pick(use_i18n(), &["unlock.forget_and_logout"]) /> }
}

/// The key goes from this browser at once; the logout form then carries the credential id, and
/// the server revokes it as it ends the session (so this island needs no server call).
#[island]
fn ForgetAndLogoutButton(texts: Texts) -> impl IntoView {
    let i18n = texts.provide();
    let found = this_device();
    let busy = RwSignal::new(false);
    let forget = move |_| {
        let Some(Some(stored)) = found.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            device::forget().await;
            device::submit_logout(&stored.credential_id);
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
