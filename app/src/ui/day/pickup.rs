//! `/barn/:id/henting`: who picks the child up today or tomorrow (a note written the evening
//! before), when, and a short comment — shown on the child's tile on the staff tablet that
//! day, acknowledged there.

use crate::api::day::board::{PickupPage as Data, WritePickup, get_pickup};
use crate::domain::board::{MAX_PICKUP_COMMENT_CHARS, PickupForm};
use crate::i18n::use_i18n;
use crate::ui::error_summary::{ErrorSummary, Problem};
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

/// The field a refused note's problem is about: its element id and its label's i18n key.
fn problem_field(problem: &str, form: &PickupForm) -> Option<(&'static str, &'static str)> {
    Some(match problem {
        "pickup.error.who" => ("who", "pickup.who"),
        "pickup.error.time" => ("at_time", "pickup.time"),
        "pickup.error.comment" => ("comment", "pickup.comment"),
        "pickup.error.day" | "pickup.error.day_past" => ("day-today", "pickup.day"),
        // The identity number the guard refused is in "who", or else in the comment.
        p if p.starts_with("guard.") => {
            let in_who = crate::domain::guard::has_refused(&form.who);
            if in_who { ("who", "pickup.who") } else { ("comment", "pickup.comment") }
        }
        _ => return None,
    })
}

#[component]
fn PickupView(page: Data, saved: bool, action: ServerAction<WritePickup>) -> impl IntoView {
    let i18n = use_i18n();
    let problem =
        page.problem.clone().map(|key| Problem { field: problem_field(&key, &page.form), key });
    let (who_marked, comment_marked) = (
        Problem::marks(&problem, "who").0.is_some(),
        Problem::marks(&problem, "comment").0.is_some(),
    );
    let time_marks = Problem::marks(&problem, "at_time");
    let chosen = page.form.day_for(&page.today, &page.next_day).ok();
    let day = move |id: &'static str, date: String, label: &'static str| {
        let checked = chosen.as_deref() == Some(date.as_str());
        let text = format!("{}, {}", i18n.t(label), i18n.date(&date));
        view! {
            <p class="choice">
                <input type="radio" id=id name="day" value=date checked=checked />
                <label for=id>{text}</label>
            </p>
        }
    };
    view! {
        <p class="breadcrumb"><a href=format!("/barn/{}", page.child_id)>{i18n.t("absence.back_to_child")}</a></p>
        <h1>{i18n.t_with("pickup.heading", &[("child", &page.child_name)])}</h1>
        {saved.then(|| view! { <p class="success" role="status">{i18n.t("pickup.saved")}</p> })}
        <ActionForm action attr:class="compose">
            <input type="hidden" name="child_id" value=page.child_id.clone() />
            <OnceField />
            <p class="standing-warning" role="note">{i18n.t("messages.standing_warning")}</p>
            {problem.clone().map(|problem| view! { <ErrorSummary heading_key="pickup.error.heading" problem /> })}
            <GuardedInput
                name="who"
                label_key="pickup.who"
                maxlength=200
                initial=page.form.who.clone()
                placeholder=i18n.t("pickup.who_example")
                invalid=who_marked
            />
            <fieldset>
                <legend>{i18n.t("pickup.day")}</legend>
                {day("day-today", page.today.clone(), "pickup.day_today")}
                {day("day-tomorrow", page.next_day.clone(), "pickup.day_tomorrow")}
            </fieldset>
            <label for="at_time">{i18n.t("pickup.time")}</label>
            <input type="time" id="at_time" name="at_time" value=page.form.at_time.clone()
                aria-invalid=time_marks.0 aria-describedby=time_marks.1 />
            <GuardedInput
                name="comment"
                label_key="pickup.comment"
                maxlength=MAX_PICKUP_COMMENT_CHARS
                initial=page.form.comment.clone()
                invalid=comment_marked
            />
            <button type="submit" class="primary main-action">{i18n.t("pickup.submit")}</button>
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
