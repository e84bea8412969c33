//! `/ansatt/gruppemelding`: a message from staff to the guardians of a group or a whole unit,
//! and (for a unit's leader) when the unit reads messages.

use super::guarded_text::SubjectAndBody;
use crate::api::messaging::{GroupData, SendGroup, SetHours, group_context};
use crate::i18n::use_i18n;
use crate::ui::once::OnceField;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn GroupMessagePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("utkast"), group_context);
    let bad_hours = move || query.read().get("timer").is_some();
    loaded_page("messages.group.title", data, move |data| {
        view! {
            <GroupForm data=data.clone() />
            <HoursForms data bad=bad_hours() />
        }
    })
}

#[component]
fn GroupForm(data: GroupData) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SendGroup>::new();
    let draft = data.draft.clone();
    let chosen = draft.as_ref().and_then(|d| d.recipient.clone());
    view! {
        <p class="breadcrumb"><a href="/ansatt">{i18n.t("staff.back")}</a></p>
        <h1>{i18n.t("messages.group.title")}</h1>
        <ActionForm action attr:class="compose">
            <OnceField />
            <super::DraftSummary draft=draft.clone() label_key="messages.compose.body" />
            <label for="target">{i18n.t("messages.group.to")}</label>
            <select id="target" name="target">
                {data
                    .targets
                    .iter()
                    .map(|t| {
                        let label = i18n.t_with(
                            "messages.group.target",
                            &[("place", &t.label), ("children", &t.children.to_string())],
                        );
                        view! {
                            <option value=t.value.clone() selected=chosen.as_deref() == Some(t.value.as_str())>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="readers" role="note">{i18n.t("messages.group.private_answers")}</p>
            <label class="choice">
                <input type="checkbox" name="urgent" value="on" aria-describedby="urgent-hint" />
                {i18n.t("messages.group.urgent")}
            </label>
            <p class="hint" id="urgent-hint">{i18n.t("messages.group.urgent_hint")}</p>
            <SubjectAndBody draft other_children=data.other_children.clone() subject_required=true />
        </ActionForm>
    }
}

/// A unit leader sets when the unit reads messages.
#[component]
fn HoursForms(data: GroupData, bad: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetHours>::new();
    (!data.hour_units.is_empty()).then(|| {
        view! {
            <section aria-labelledby="hours-heading">
                <h2 id="hours-heading">{i18n.t("messages.hours.heading")}</h2>
                <p class="hint">{i18n.t("messages.hours.hint")}</p>
                {bad.then(|| view! { <p class="error" role="alert">{i18n.t("messages.hours.invalid")}</p> })}
                {data
                    .hour_units
                    .into_iter()
                    .map(|(unit_id, name, hours)| {
                        let field = format!("hours-{unit_id}");
                        view! {
                            <ActionForm action attr:class="hours-form">
                                <input type="hidden" name="unit_id" value=unit_id.clone() />
                                <label for=field.clone()>{name}</label>
                                <input id=field name="hours" type="text" value=hours placeholder="man-fre 08-16" />
                                <button type="submit" class="secondary">{i18n.t("messages.hours.save")}</button>
                            </ActionForm>
                        }
                    })
                    .collect_view()}
            </section>
        }
    })
}
