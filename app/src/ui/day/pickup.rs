//! `/barn/:id/henting`: who picks the child up today or tomorrow (a note written the evening
//! before), when, and a short comment — shown on the child's tile on the staff tablet that
//! day, acknowledged there.

use crate::api::day::board::{PickupPage as Data, WritePickup, get_pickup};
use crate::domain::board::MAX_PICKUP_COMMENT_CHARS;
use crate::i18n::use_i18n;
use crate::ui::messaging::GuardedInput;
use crate::ui::once::OnceField;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn PickupPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let action = ServerAction::<WritePickup>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("utkast"),
                action.version().get(),
            )
        },
        |(child, draft, _)| get_pickup(child, draft),
    );
    let saved = move || query.read().get("lagret").is_some();
    loaded_page(
        "pickup.title",
        data,
        move |page| view! { <PickupView page saved=saved() action /> },
    )
}

#[component]
fn PickupView(page: Data, saved: bool, action: ServerAction<WritePickup>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="breadcrumb"><a href=format!("/barn/{}", page.child_id)>{i18n.t("absence.back_to_child")}</a></p>
        <h1>{i18n.t_with("pickup.heading", &[("child", &page.child_name)])}</h1>
        {saved.then(|| view! { <p class="success" role="status">{i18n.t("pickup.saved")}</p> })}
        <ActionForm action attr:class="compose">
            <input type="hidden" name="child_id" value=page.child_id.clone() />
            <OnceField />
            <p class="standing-warning" role="note">{i18n.t("messages.standing_warning")}</p>
            {page.problem.clone().map(|key| view! { <p class="error" role="alert">{i18n.t(&key)}</p> })}
            <GuardedInput
                name="who"
                label_key="pickup.who"
                maxlength=200
                initial=page.form.who.clone()
                placeholder=i18n.t("pickup.who_example")
            />
            <fieldset>
                <legend>{i18n.t("pickup.day")}</legend>
                <p class="choice">
                    <input type="radio" id="day-today" name="day" value="today" checked=!page.form.for_tomorrow() />
                    <label for="day-today">{i18n.t("pickup.day_today")}</label>
                </p>
                <p class="choice">
                    <input type="radio" id="day-tomorrow" name="day" value="tomorrow" checked=page.form.for_tomorrow() />
                    <label for="day-tomorrow">{i18n.t("pickup.day_tomorrow")}</label>
                </p>
            </fieldset>
            <label for="at_time">{i18n.t("pickup.time")}</label>
            <input type="time" id="at_time" name="at_time" value=page.form.at_time.clone() />
            <GuardedInput
                name="comment"
                label_key="pickup.comment"
                maxlength=MAX_PICKUP_COMMENT_CHARS
                initial=page.form.comment.clone()
            />
            <button type="submit" class="primary">{i18n.t("pickup.submit")}</button>
        </ActionForm>
        <h2>{i18n.t("pickup.today")}</h2>
        <PickupList notes=page.notes.clone() />
        {(!page.tomorrow.is_empty()).then(|| view! {
            <h2>{i18n.t("pickup.tomorrow")}</h2>
            <PickupList notes=page.tomorrow.clone() />
        })}
    }
}

/// A day's pick-up notes, with whether the staff have seen each.
#[component]
fn PickupList(notes: Vec<crate::domain::board::PickupView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {if notes.is_empty() {
            view! { <p>{i18n.t("pickup.none")}</p> }.into_any()
        } else {
            view! {
                <ul class="inbox">
                    {notes
                        .iter()
                        .map(|n| {
                            let seen = match &n.seen_by {
                                Some(name) => i18n.t_with("pickup.seen_by", &[("name", name)]),
                                None => i18n.t("pickup.not_seen").to_owned(),
                            };
                            view! {
                                <li class="absence">
                                    <p class="card-title">{i18n.t_with("pickup.note", &[("who", &n.who), ("time", &n.at_time)])}</p>
                                    {(!n.comment.is_empty()).then(|| view! { <p>{n.comment.clone()}</p> })}
                                    <p class="receipt">{seen}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
