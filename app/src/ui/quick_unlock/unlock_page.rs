//! The PIN screen (`/las-opp`): a device with quick unlock lands here when its session has
//! ended. Four digits (or Touch ID / face recognition) and the guardian is in; five wrong PINs
//! and the device is revoked and ID-porten is next.

use super::device::{self, Kind, Stored};
use super::{texts, this_device};
use crate::api::AppError;
use crate::api::quick_unlock::UnlockAnswer;
use crate::i18n::{Texts, use_i18n};
use crate::ui::error::ErrorMessage;
use crate::ui::layout::Page;
use crate::ui::title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn UnlockPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t("unlock.title") />
        <Page>
            <h1>{i18n.t("unlock.title")}</h1>
            <UnlockScreen texts=texts() />
        </Page>
    }
}

/// The PIN or passkey screen, once the browser has found this device's key.
#[island(lazy)]
fn UnlockScreen(texts: Texts) -> impl IntoView {
    let i18n = texts.provide();
    let found = this_device();
    Effect::new(move |_| {
        // Nothing to unlock with on this device: the front page, to choose ID-porten.
        if let Some(None) = found.get() {
            device::go("/");
        }
    });
    move || match found.get() {
        Some(Some(stored)) => view! { <UnlockForm stored /> }.into_any(),
        // Server-rendered (and before the browser has looked): the PIN screen needs
        // the app's code, which is on its way; ID-porten works without it.
        _ => view! {
            <p>{i18n.t("common.loading")}</p>
            <p class="hint">
                {i18n.t("unlock.needs_app")} " "
                <a href="/">{i18n.t("unlock.use_idporten")}</a>
            </p>
        }
        .into_any(),
    }
}

#[component]
fn UnlockForm(stored: Stored) -> impl IntoView {
    let i18n = use_i18n();
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let login_url = StoredValue::new(stored.login_url.clone());

    let settle = move |answer: Result<UnlockAnswer, AppError>| {
        busy.set(false);
        pin.set(String::new());
        match answer {
            Ok(UnlockAnswer::Unlocked) => device::go("/hjem"),
            Ok(UnlockAnswer::WrongPin { left }) => {
                problem.set(Some(i18n.t_with("unlock.wrong_pin", &[("left", &left.to_string())])))
            }
            Ok(UnlockAnswer::Revoked) => {
                busy.set(true);
                problem.set(Some(i18n.t("unlock.revoked").to_owned()));
                leptos::task::spawn_local(async move {
                    device::forget().await;
                    device::go(&login_url.get_value());
                });
            }
            Ok(UnlockAnswer::Refused) => problem.set(Some(i18n.t("unlock.refused").to_owned())),
            Err(e) => error.set(Some(e)),
        }
    };
    let start = move || {
        busy.set(true);
        problem.set(None);
        error.set(None);
    };
    let submit_pin = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = pin.get_untracked();
        if typed.len() != 4 || !typed.bytes().all(|b| b.is_ascii_digit()) {
            problem.set(Some(i18n.t("unlock.error.format").to_owned()));
            return;
        }
        start();
        leptos::task::spawn_local(async move { settle(device::unlock_with_pin(typed).await) });
    };
    let use_passkey = move |_| {
        start();
        leptos::task::spawn_local(async move { settle(device::unlock_with_passkey().await) });
    };
    let forget = move |_| {
        leptos::task::spawn_local(async move {
            device::forget().await;
            device::go("/");
        });
    };

    let method = match stored.kind {
        Kind::Pin => view! {
            <form class="unlock" on:submit=submit_pin>
                <label for="pin">{i18n.t("unlock.pin")}</label>
                <input
                    id="pin"
                    class="pin"
                    type="password"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="4"
                    pattern="[0-9]{4}"
                    required
                    autofocus
                    prop:value=move || pin.get()
                    on:input=move |ev| pin.set(event_target_value(&ev))
                />
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {i18n.t("unlock.submit")}
                </button>
            </form>
        }
        .into_any(),
        Kind::Passkey => view! {
            <p>{i18n.t("unlock.passkey_lead")}</p>
            <button type="button" class="primary" disabled=move || busy.get() on:click=use_passkey>
                {i18n.t("unlock.passkey_submit")}
            </button>
        }
        .into_any(),
    };
    view! {
        {method}
        <p class="problem" role="alert">{move || problem.get()}</p>
        {move || error.get().map(|error| view! { <ErrorMessage error /> })}
        <p>
            <a rel="external" href=stored.login_url.clone()>{i18n.t("unlock.use_idporten")}</a>
        </p>
        <p>
            <button type="button" class="link" on:click=forget>{i18n.t("unlock.forget")}</button>
        </p>
    }
}
