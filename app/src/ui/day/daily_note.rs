//! `/ansatt/dagen/notat/:id`: today's note about a child for the guardians, written on the
//! tablet in a few taps — when the child slept, how the child ate, a few words about the day.
//! The free text has the guard, as every text that leaves the staff room does.

use crate::api::day::daily_note::{DailyNotePage as Data, WriteDailyNote, get_daily_note};
use crate::domain::daily_note::ATE;
use crate::i18n::use_i18n;
use crate::ui::error_summary::{ErrorSummary, Problem};
use crate::ui::messaging::GuardedText;
use crate::ui::once::OnceField;
use crate::ui::protected::loaded_page;
use crate::ui::tablet::TabletLock;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DailyNotePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let action = ServerAction::<WriteDailyNote>::new();
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), query.read().get("utkast")),
        |(child, draft)| get_daily_note(child, draft),
    );
    let group = move || query.read().get("gruppe").unwrap_or_default();
    loaded_page("daily.title", data, move |page| view! { <NoteForm page action group=group() /> })
}

/// The field a refused note's problem is about: its element id and its label's i18n key.
fn problem_field(problem: &str) -> Option<(&'static str, &'static str)> {
    Some(match problem {
        "daily.error.slept" | "daily.error.slept_order" => ("slept_from", "daily.slept_from"),
        "daily.error.ate" => ("ate-well", "daily.ate"),
        "daily.error.empty" => ("slept_from", "daily.slept_from"),
        _ => ("body", "daily.note"),
    })
}

#[component]
fn NoteForm(page: Data, action: ServerAction<WriteDailyNote>, group: String) -> impl IntoView {
    let i18n = use_i18n();
    let problem = page.problem.clone().map(|key| Problem { field: problem_field(&key), key });
    let slept_marks = Problem::marks(&problem, "slept_from");
    let back = if crate::domain::input::is_id(&group) {
        format!("/ansatt/dagen?gruppe={group}")
    } else {
        "/ansatt/dagen".to_owned()
    };
    let guard_problem = page.problem.clone().filter(|p| !p.starts_with("daily."));
    let lock = page.tablet_idle_minutes.map(|idle_minutes| view! { <TabletLock idle_minutes /> });
    view! {
        {lock}
        <p class="breadcrumb"><a href=back>{i18n.t("daily.back")}</a></p>
        <h1>{i18n.t_with("daily.heading", &[("child", &page.child_name)])}</h1>
        {page.written.as_ref().map(|w| view! {
            <p class="receipt">{i18n.t_with("daily.written_by", &[("name", &w.written_by), ("time", &w.written_at)])}</p>
        })}
        <ActionForm action attr:class="compose daily-note">
            <input type="hidden" name="child_id" value=page.child_id.clone() />
            <input type="hidden" name="group" value=group.clone() />
            <OnceField />
            {problem.clone().map(|problem| view! { <ErrorSummary heading_key="daily.error.heading" problem /> })}
            <fieldset>
                <legend>{i18n.t("daily.slept")}</legend>
                <p class="time-pair">
                    <label for="slept_from">{i18n.t("daily.slept_from")}</label>
                    <input type="time" id="slept_from" name="form[slept_from]" value=page.form.slept_from.clone()
                        aria-invalid=slept_marks.0 aria-describedby=slept_marks.1 />
                    <label for="slept_to">{i18n.t("daily.slept_to")}</label>
                    <input type="time" id="slept_to" name="form[slept_to]" value=page.form.slept_to.clone() />
                </p>
            </fieldset>
            <fieldset class="big-choices">
                <legend>{i18n.t("daily.ate")}</legend>
                {ATE
                    .iter()
                    .map(|code| {
                        let id = format!("ate-{code}");
                        let checked = page.form.ate == *code;
                        view! {
                            <p class="choice">
                                <input type="radio" id=id.clone() name="form[ate]" value=*code checked=checked />
                                <label for=id>{i18n.t(&format!("daily.ate.{code}"))}</label>
                            </p>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <GuardedText
                initial=page.form.note.clone()
                other_children=page.other_children.clone()
                problem=guard_problem
                label_key="daily.note"
                form_name="form[note]"
            />
            <button type="submit" class="primary main-action">{i18n.t("daily.submit")}</button>
        </ActionForm>
    }
}
