//! The device page (`/enheter`): set up quick unlock on this device (a PIN typed twice, or Touch
//! ID / face recognition where the device has it), and see and revoke every device that has it.
//! Revoking is a plain form post and works without JavaScript; setting up needs the browser's
//! key store, so that part appears once the island has loaded.

use super::device::{self, Kind};
use super::{texts, this_device};
use crate::api::AppError;
use crate::api::quick_unlock::{DeviceOverview, DeviceView, RevokeDevice, quick_unlock_status};
use crate::i18n::{Texts, use_i18n};
use crate::ui::error::ErrorMessage;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn DevicesPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| quick_unlock_status());
    loaded_page("devices.title", overview, move |overview| {
        let i18n = use_i18n();
        view! {
            <p class="breadcrumb"><a href="/hjem">{i18n.t("child.back_home")}</a></p>
            <h1>{i18n.t("devices.title")}</h1>
            <p class="lead">{i18n.t("devices.lead")}</p>
            <DevicesView texts=texts() overview />
        }
    })
}

/// This device and the list: an island, because setting up needs the browser's key store and
/// revoking this very device also removes its key here. Revoking is a plain form post too.
#[island(lazy)]
fn DevicesView(texts: Texts, overview: DeviceOverview) -> impl IntoView {
    let i18n = texts.provide();
    let revoke = ServerAction::<RevokeDevice>::new();
    // What was sent last: the action clears its input as soon as the answer is in.
    let sent = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        if let Some(input) = revoke.input().get() {
            sent.set_value(Some(input.credential_id));
        }
    });
    // A revoked entry that was this device: its key here is useless now. Then the page is
    // loaded again, with the list as it is now.
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            let revoked = sent.get_value();
            leptos::task::spawn_local(async move {
                if let Some(stored) = device::load().await
                    && Some(stored.credential_id) == revoked
                {
                    device::forget().await;
                }
                reload();
            });
        }
    });
    let devices = overview.devices.clone();
    view! {
        <section aria-labelledby="this-device-heading">
            <h2 id="this-device-heading">{i18n.t("devices.this_device")}</h2>
            <ThisDevice fresh=overview.fresh login_url=overview.login_url.clone() />
        </section>
        <section aria-labelledby="device-list-heading">
            <h2 id="device-list-heading">{i18n.t("devices.list")}</h2>
            {if devices.is_empty() {
                view! { <p>{i18n.t("devices.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="device-list">
                        {devices.into_iter().map(|d| view! { <DeviceItem device=d revoke /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {move || match revoke.value().get() {
                Some(Err(error)) => Some(view! { <ErrorMessage error /> }),
                _ => None,
            }}
        </section>
    }
}

/// The page again from the server, after this device was set up or a device revoked.
fn reload() {
    #[cfg(feature = "hydrate")]
    if let Err(e) = window().location().reload() {
        leptos::logging::warn!("reloading the device page: {e:?}");
    }
}

#[component]
fn DeviceItem(device: DeviceView, revoke: ServerAction<RevokeDevice>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = if device.kind == "webauthn" {
        i18n.t("devices.kind.passkey")
    } else {
        i18n.t("devices.kind.pin")
    };
    let label = i18n.t_with("devices.revoke_named", &[("name", &device.name)]);
    view! {
        <li class="card">
            <span class="card-title">{device.name.clone()}</span>
            <span class="card-meta">{kind}</span>
            <span class="card-meta">
                {i18n.t_with("devices.created", &[("time", &device.created)])} " · "
                {i18n.t_with("devices.last_used", &[("time", &device.last_used)])}
            </span>
            <ActionForm action=revoke>
                <input type="hidden" name="credential_id" value=device.id.clone() />
                <button type="submit" class="secondary" aria-label=label>
                    {i18n.t("devices.revoke")}
                </button>
            </ActionForm>
        </li>
    }
}

/// This device: what it has, or how to set it up.
#[component]
fn ThisDevice(fresh: bool, login_url: String) -> impl IntoView {
    let i18n = use_i18n();
    let found = this_device();
    let passkey = RwSignal::new(false);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { passkey.set(device::passkey_available().await) });
    });
    let login_url = StoredValue::new(login_url);
    let done = reload;
    move || match found.get() {
        // Server-rendered, or the browser has not looked yet.
        None => view! { <p class="hint">{i18n.t("devices.needs_app")}</p> }.into_any(),
        Some(Some(stored)) => {
            let text = match stored.kind {
                Kind::Pin => i18n.t("devices.has_pin"),
                Kind::Passkey => i18n.t("devices.has_passkey"),
            };
            view! { <p class="notice" role="status">{text}</p> }.into_any()
        }
        Some(None) if !fresh => view! {
            <p>{i18n.t("devices.fresh_login")}</p>
            <a class="button primary" rel="external" href=login_url.get_value()>
                {i18n.t("devices.login_again")}
            </a>
        }
        .into_any(),
        Some(None) => view! {
            <SetUpPin login_url=login_url.get_value() done />
            <Show when=move || passkey.get()>
                <SetUpPasskey login_url=login_url.get_value() done />
            </Show>
        }
        .into_any(),
    }
}

#[component]
fn SetUpPin(login_url: String, done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let name = RwSignal::new(device::default_name());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let login_url = StoredValue::new(login_url);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let (p, a, n) = (pin.get_untracked(), again.get_untracked(), name.get_untracked());
        leptos::task::spawn_local(async move {
            match device::set_up_pin(p, a, n, login_url.get_value()).await {
                Ok(()) => done(),
                Err(e) => {
                    // The PINs are typed again; the name stays.
                    pin.set(String::new());
                    again.set(String::new());
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let pin_input = move |id: &'static str, value: RwSignal<String>| {
        view! {
            <input
                id=id
                class="pin"
                type="password"
                inputmode="numeric"
                autocomplete="new-password"
                maxlength="4"
                pattern="[0-9]{4}"
                required
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
    };
    view! {
        <form class="set-pin" on:submit=submit>
            <h3>{i18n.t("devices.pin.heading")}</h3>
            <p class="hint">{i18n.t("devices.pin.hint")}</p>
            <label for="new-pin">{i18n.t("devices.pin.first")}</label>
            {pin_input("new-pin", pin)}
            <label for="new-pin-again">{i18n.t("devices.pin.again")}</label>
            {pin_input("new-pin-again", again)}
            <label for="device-name">{i18n.t("devices.name")}</label>
            <input
                id="device-name"
                type="text"
                maxlength="60"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <button type="submit" class="primary" disabled=move || busy.get()>
                {i18n.t("devices.pin.submit")}
            </button>
        </form>
    }
}

#[component]
fn SetUpPasskey(
    login_url: String,
    done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let login_url = StoredValue::new(login_url);
    let start = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match device::set_up_passkey(device::default_name(), login_url.get_value()).await {
                Ok(()) => done(),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="set-passkey">
            <h3>{i18n.t("devices.passkey.heading")}</h3>
            <p class="hint">{i18n.t("devices.passkey.hint")}</p>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <button type="button" class="primary" disabled=move || busy.get() on:click=start>
                {i18n.t("devices.passkey.submit")}
            </button>
        </div>
    }
}

/// On the guardian's home page, right after an ID-porten login (`fresh`, decided on the server):
/// the offer to set up quick unlock. It is in the server-rendered page, so it takes its place
/// at the first paint; the browser removes it only on a device that already has quick unlock.
#[component]
pub fn QuickUnlockOffer(fresh: bool) -> impl IntoView {
    fresh.then(
        || view! { <QuickUnlockOfferIsland texts=Texts::pick(use_i18n(), &["devices.offer."]) /> },
    )
}

#[island(lazy)]
fn QuickUnlockOfferIsland(texts: Texts) -> impl IntoView {
    let i18n = texts.provide();
    let found = this_device();
    view! {
        <Show when=move || !matches!(found.get(), Some(Some(_)))>
            <section class="offer" aria-labelledby="offer-heading">
                <h2 id="offer-heading">{i18n.t("devices.offer.heading")}</h2>
                <p>{i18n.t("devices.offer.text")}</p>
                <a class="button primary" href="/enheter">{i18n.t("devices.offer.link")}</a>
            </section>
        </Show>
    }
}
