//! `/barn/:id/ny-melding`: a new conversation about a child. A guardian chooses the staff
//! member (the child's contact is preselected); staff write to the child's guardians. The form
//! is a plain post, so it works before the WASM arrives.

use super::guarded_text::SubjectAndBody;
use super::hours::HoursNotice;
use crate::api::messaging::{ComposeData, StartThread, compose_context};
use crate::i18n::use_i18n;
use crate::ui::once::OnceField;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ComposePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), query.read().get("utkast")),
        |(child, draft)| compose_context(child, draft),
    );
    loaded_page("messages.compose.title", data, |data| {
        view! { <ComposeForm data /> }
    })
}

#[component]
fn ComposeForm(data: ComposeData) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<StartThread>::new();
    let draft = data.draft.clone();
    // The recipient chosen in a kept draft, while that person can still be written to (a draft
    // kept after the session ran out, or from before a staff change, may name one who cannot);
    // else the preselected one, so one is always checked.
    let chosen = draft
        .as_ref()
        .and_then(|d| d.recipient.clone())
        .filter(|c| data.recipients.iter().any(|r| r.value == *c));
    let guardians = data.guardians.join(", ");
    let readers = if data.staff {
        i18n.t_with("messages.compose.readers_staff", &[("guardians", &guardians)])
    } else {
        i18n.t_with(
            "messages.compose.readers_guardian",
            &[("guardians", &guardians), ("child", &data.child_name)],
        )
    };
    // Radio buttons, not a drop-down: a closed picker on a phone cuts the role and unit off,
    // and the guardian must see in full who will read the message.
    let recipients = (!data.staff).then(|| {
        view! {
            <fieldset class="recipients">
                <legend>{i18n.t("messages.compose.to")}</legend>
                {data
                    .recipients
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let checked = match &chosen {
                            Some(c) => *c == r.value,
                            None => r.preselected,
                        };
                        let id = format!("recipient-{i}");
                        view! {
                            <p class="choice recipient">
                                <input type="radio" id=id.clone() name="recipient" value=r.value.clone() checked=checked />
                                <label for=id>
                                    <span class="recipient-name">{r.name.clone()}</span>
                                    " "
                                    <span class="recipient-place">
                                        {format!("{}, {}", i18n.t(&r.role_key), r.place)}
                                    </span>
                                </label>
                            </p>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    });
    let title = i18n.t_with("messages.compose.heading", &[("child", &data.child_name)]);
    view! {
        <p class="breadcrumb">
            <a href=format!("/barn/{}/meldinger", data.child_id)>{i18n.t("messages.back_to_child_inbox")}</a>
        </p>
        <h1>{title}</h1>
        <ActionForm action attr:class="compose">
            <input type="hidden" name="child_id" value=data.child_id.clone() />
            <OnceField />
            <super::DraftSummary draft=draft.clone() label_key="messages.compose.body" />
            {recipients}
            <p class="readers" role="note">{readers}</p>
            <HoursNotice hours=data.hours.clone() />
            <SubjectAndBody draft other_children=data.other_children.clone() />
        </ActionForm>
    }
}
