//! The notification settings page (`/varsler`): what a person is told of, on which channel,
//! quiet hours and a daily digest (a plain form, works without JavaScript); the browsers that
//! get push, each removable; and a button that turns push on for this browser, the only place
//! the permission prompt appears, on the person's own press.
//!
//! The button is `public/push.js`, a small script loaded by this page alone, not a WASM island:
//! as an island it split the WASM that the PIN screen shares into more files, over that page's
//! byte budget. Its texts come from here, as data attributes.

use crate::api::notify::{PushUnsubscribe, SaveNotifySettings, get_notify_settings};
use crate::domain::notify::{NotifySettings, PushDevice};
use crate::i18n::use_i18n;
use crate::ui::error_summary::{ErrorSummary, Problem};
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotifyPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_notify_settings());
    let query = use_query_map();
    loaded_page("notify.title", settings, move |s: NotifySettings| {
        let i18n = use_i18n();
        let saved = query.with_untracked(|q| q.get("lagret").is_some());
        let problem = query.with_untracked(|q| q.get("feil").is_some()).then(|| Problem {
            key: "notify.error.time".into(),
            field: Some(("quiet_from", "notify.quiet.from")),
        });
        view! {
            <p class="breadcrumb">
                {if s.staff {
                    view! { <a href="/ansatt">{i18n.t("staff.back")}</a> }.into_any()
                } else {
                    view! { <a href="/hjem">{i18n.t("child.back_home")}</a> }.into_any()
                }}
            </p>
            <h1>{i18n.t("notify.title")}</h1>
            <p class="lead">{i18n.t("notify.lead")}</p>
            {saved.then(|| view! { <p class="success" role="status">{i18n.t("notify.saved")}</p> })}
            <Reach settings=s.clone() />
            <section aria-labelledby="push-heading">
                <h2 id="push-heading">{i18n.t("notify.push.heading")}</h2>
                <PushSwitch key=s.push_key.clone() listed=s.push_here />
                <PushDevices devices=s.devices.clone() />
            </section>
            <Choices settings=s problem />
        }
        .into_any()
    })
}

/// Where e-mail and SMS go, as KRR gives them, or why they do not.
#[component]
fn Reach(settings: NotifySettings) -> impl IntoView {
    let i18n = use_i18n();
    if settings.staff {
        return view! { <p class="notice" role="note">{i18n.t("notify.reach.staff")}</p> }
            .into_any();
    }
    let krr = if settings.reserved {
        i18n.t("notify.reach.reserved").to_owned()
    } else {
        let email = match (&settings.email, settings.email_configured) {
            (Some(address), true) => i18n.t_with("notify.reach.email", &[("address", address)]),
            (None, true) => i18n.t("notify.reach.no_email").to_owned(),
            (_, false) => i18n.t("notify.reach.email_off").to_owned(),
        };
        let sms = match (&settings.sms, settings.sms_configured) {
            (Some(number), true) => i18n.t_with("notify.reach.sms", &[("number", number)]),
            (None, true) => i18n.t("notify.reach.no_sms").to_owned(),
            (_, false) => i18n.t("notify.reach.sms_off").to_owned(),
        };
        format!("{email} {sms}")
    };
    view! {
        <p class="notice" role="note">{krr} " " {i18n.t("notify.reach.krr")}</p>
    }
    .into_any()
}

/// Without JavaScript it says what push needs; `push.js` then says whether push is on here (this
/// browser has a subscription, and the server lists it for this browser), or shows the button.
#[component]
fn PushSwitch(key: String, listed: bool) -> impl IntoView {
    let i18n = use_i18n();
    if key.is_empty() {
        return view! { <p class="hint">{i18n.t("notify.push.unsupported")}</p> }.into_any();
    }
    view! {
        <div
            id="push-switch"
            data-key=key
            data-listed=listed.to_string()
            data-offer=i18n.t("notify.push.offer")
            data-on-here=i18n.t("notify.push.on_here")
            data-needs-app=i18n.t("notify.push.needs_app")
            data-unsupported=i18n.t("notify.push.unsupported")
            data-denied=i18n.t("notify.push.denied")
            data-failed=i18n.t("notify.push.failed")
            data-too-many=i18n.t("notify.error.too_many")
            data-logged-out=i18n.t("notify.push.logged_out")
            data-busy=i18n.t("notify.push.busy")
            data-unnamed=i18n.t("notify.push.this_browser")
        >
            <p class="hint" data-state="">{i18n.t("notify.push.needs_js")}</p>
            <button type="button" class="primary" hidden=true>{i18n.t("notify.push.turn_on")}</button>
        </div>
        <script src="/push.js" defer=true></script>
    }
    .into_any()
}

#[component]
fn PushDevices(devices: Vec<PushDevice>) -> impl IntoView {
    let i18n = use_i18n();
    let remove = ServerAction::<PushUnsubscribe>::new();
    if devices.is_empty() {
        return view! { <p>{i18n.t("notify.devices.none")}</p> }.into_any();
    }
    view! {
        <ul class="device-list">
            {devices
                .into_iter()
                .map(|d| {
                    let label = i18n.t_with("notify.devices.remove_named", &[("name", &d.name)]);
                    view! {
                        <li class="card">
                            <span class="card-title">{d.name.clone()}</span>
                            <span class="card-meta">{i18n.t_with("devices.created", &[("time", &d.added)])}</span>
                            <ActionForm action=remove>
                                <input type="hidden" name="id" value=d.id.clone() />
                                <button type="submit" class="secondary" aria-label=label>
                                    {i18n.t("notify.devices.remove")}
                                </button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// What to be told of, and how: a box per event and channel; quiet hours; the digest.
#[component]
fn Choices(settings: NotifySettings, problem: Option<Problem>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveNotifySettings>::new();
    let channels = ["push", "email", "sms"];
    let (invalid, described) = Problem::marks(&problem, "quiet_from");
    view! {
        <section aria-labelledby="choices-heading">
            <h2 id="choices-heading">{i18n.t("notify.choices.heading")}</h2>
            {problem.map(|problem| view! { <ErrorSummary heading_key="notify.error.heading" problem /> })}
            <ActionForm action=save attr:class="compose notify-form">
                <table class="notify-table">
                    <caption class="visually-hidden">{i18n.t("notify.choices.caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t("notify.choices.event")}</th>
                            {channels.iter().map(|c| view! { <th scope="col">{i18n.t(channel_key(c))}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {settings.rows.iter().map(|row| {
                            let event_name = i18n.t(&row.key);
                            view! {
                                <tr>
                                    <th scope="row">
                                        {event_name}
                                        {row.always.then(|| view! { <span class="hint">{i18n.t("notify.choices.always")}</span> })}
                                    </th>
                                    {row.channels.iter().map(|(c, on)| {
                                        let name = format!("form[on][{}-{c}]", row.event);
                                        let label = format!("{event_name}: {}", i18n.t(channel_key(c)));
                                        view! {
                                            <td>
                                                // The whole cell takes the tap.
                                                <label class="cell-hit">
                                                    <input type="checkbox" name=name value="1" checked=*on aria-label=label />
                                                </label>
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <fieldset>
                    <legend>{i18n.t("notify.quiet.legend")}</legend>
                    <p class="hint">{i18n.t("notify.quiet.hint")}</p>
                    <label for="quiet_from">{i18n.t("notify.quiet.from")}</label>
                    <input type="time" id="quiet_from" name="form[quiet_from]" value=settings.quiet_from.clone() aria-invalid=invalid aria-describedby=described />
                    <label for="quiet_to">{i18n.t("notify.quiet.to")}</label>
                    <input type="time" id="quiet_to" name="form[quiet_to]" value=settings.quiet_to.clone() />
                </fieldset>
                <fieldset>
                    <legend>{i18n.t("notify.digest.legend")}</legend>
                    <label class="choice">
                        <input type="checkbox" name="form[digest]" value="1" checked=settings.digest />
                        {i18n.t("notify.digest.label")}
                    </label>
                    <label for="digest_at">{i18n.t("notify.digest.at")}</label>
                    <input type="time" id="digest_at" name="form[digest_at]" value=settings.digest_at.clone() />
                    <p class="hint">{i18n.t("notify.digest.hint")}</p>
                </fieldset>
                <button type="submit" class="primary main-action">{i18n.t("notify.save")}</button>
            </ActionForm>
        </section>
    }
}

fn channel_key(code: &str) -> &'static str {
    match code {
        "push" => "notify.channel.push",
        "email" => "notify.channel.email",
        _ => "notify.channel.sms",
    }
}
