//! `/aktiviteter` (a guardian: each child's coming activities, sign-up, the calendar
//! subscription) and `/ansatt/aktiviteter` (staff: the units' activities, new ones, cancelling).

use crate::api::day::activities::{
    ActivitiesPage as Data, ActivityInput, ActivityView, CalendarSubscription, CancelActivity,
    CreateActivity, MAX_BRING_CHARS, MAX_PLACE_CHARS, MAX_REASON_CHARS, MAX_TITLE_CHARS, SignUp,
    get_activities,
};
use crate::i18n::use_i18n;
use crate::ui::error_summary::{ErrorSummary, Problem};
use crate::ui::messaging::GuardedInput;
use crate::ui::once::OnceField;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateActivity>,
    cancel: ServerAction<CancelActivity>,
    sign_up: ServerAction<SignUp>,
    calendar: ServerAction<CalendarSubscription>,
}

#[component]
pub fn ActivitiesPage() -> impl IntoView {
    let query = use_query_map();
    let actions = Actions {
        create: ServerAction::new(),
        cancel: ServerAction::new(),
        sign_up: ServerAction::new(),
        calendar: ServerAction::new(),
    };
    let data = Resource::new(
        move || {
            (
                query.read().get("feil"),
                query.read().get("endre"),
                query.read().get("avlys"),
                query.read().get("utkast"),
                actions.create.version().get()
                    + actions.cancel.version().get()
                    + actions.sign_up.version().get()
                    + actions.calendar.version().get(),
            )
        },
        |(problem, edit, cancel, draft, _)| get_activities(problem, edit, cancel, draft),
    );
    let saved = move || query.read().get("lagret").is_some();
    // "Avlys" asks first: the activity being cancelled shows what will happen, with a reason.
    let cancelling = move || query.read().get("avlys");
    loaded_page("activity.title", data, move |page| {
        view! { <ActivitiesView page actions saved=saved() cancelling=cancelling() /> }
    })
}

fn when(i18n: crate::i18n::I18n, a: &ActivityView) -> String {
    let time = match &a.ends {
        Some(end) => format!("{}–{end}", a.starts),
        None => a.starts.clone(),
    };
    format!("{} {time}", i18n.date(&a.day))
}

/// The field of the activity form a refused form's problem is about: its element id and its
/// label's i18n key.
fn problem_field(problem: &str) -> Option<(&'static str, &'static str)> {
    Some(match problem {
        "activity.error.target" => ("target", "activity.for"),
        "activity.error.title" | "activity.error.too_long" | "activity.error.national_id" => {
            ("title", "activity.field_title")
        }
        "activity.error.day" => ("day", "activity.day"),
        "activity.error.time" => ("starts", "activity.starts"),
        "activity.error.deadline" => ("signup_deadline", "activity.signup_deadline"),
        _ => return None,
    })
}

#[component]
fn ActivityItem(
    a: ActivityView,
    child_id: Option<String>,
    actions: Actions,
    #[prop(optional)] cancelling: bool,
    /// A refused cancellation: its reason as typed, and why.
    refused: Option<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut meta = vec![when(i18n, &a), a.for_whom.clone()];
    if !a.place.is_empty() {
        meta.push(a.place.clone());
    }
    let signup = match (child_id, a.signup) {
        (Some(child), true) => {
            let answer = match a.going {
                Some(true) => i18n.t("activity.signed_up"),
                Some(false) => i18n.t("activity.signed_off"),
                None => i18n.t("activity.no_answer"),
            };
            let deadline = a
                .signup_deadline
                .as_ref()
                .map(|d| i18n.t_with("activity.deadline", &[("day", &i18n.date(d))]));
            let activity_id = a.id.clone();
            // Two answers side by side, not one button that toggles in place: a double tap on
            // "Meld på" gives the same answer twice, never a sign-off.
            let buttons = a.signup_open.then(move || {
                let answer = move |value: &'static str, label: &'static str, current: bool| {
                    let (child, activity_id) = (child.clone(), activity_id.clone());
                    view! {
                        <ActionForm action=actions.sign_up>
                            <input type="hidden" name="child_id" value=child />
                            <input type="hidden" name="activity_id" value=activity_id />
                            <input type="hidden" name="going" value=value />
                            <button type="submit" class=if current { "primary" } else { "secondary" }
                                aria-pressed=if current { "true" } else { "false" }>
                                {i18n.t(label)}
                            </button>
                        </ActionForm>
                    }
                };
                view! {
                    <div class="row-actions">
                        {answer("yes", "activity.sign_up", a.going == Some(true))}
                        {answer("no", "activity.sign_off", a.going == Some(false))}
                    </div>
                }
            });
            Some(
                view! {
                    <p class="receipt">{answer}" "{deadline}</p>
                    {buttons}
                }
                .into_any(),
            )
        }
        (None, _) => {
            // Who comes, who does not, and whom to remind: names, not only a count.
            let count = a.answers.clone().map(|answers| {
                let summary = i18n.t_with(
                    "activity.answers_summary",
                    &[
                        ("coming", &answers.coming.len().to_string()),
                        ("unanswered", &answers.unanswered.len().to_string()),
                    ],
                );
                let line = move |key: &'static str, names: Vec<String>| {
                    (!names.is_empty()).then(
                        || view! { <p><strong>{i18n.t(key)}</strong>" "{names.join(", ")}</p> },
                    )
                };
                view! {
                    <details class="answers">
                        <summary>{summary}</summary>
                        {line("activity.answers_coming", answers.coming)}
                        {line("activity.answers_not_coming", answers.not_coming)}
                        {line("activity.answers_unanswered", answers.unanswered)}
                    </details>
                }
            });
            let activity_id = a.id.clone();
            let question = i18n
                .t_with("activity.cancel_question", &[("title", &a.title), ("for", &a.for_whom)]);
            let cancel = (!a.cancelled && !cancelling).then(move || {
                view! {
                    <a class="button secondary" href=format!("/ansatt/aktiviteter?endre={activity_id}")>{i18n.t("activity.change")}</a>
                    <a class="button secondary" href=format!("/ansatt/aktiviteter?avlys={activity_id}#avlys")>{i18n.t("activity.cancel")}</a>
                }
            });
            let id = a.id.clone();
            let confirm = (!a.cancelled && cancelling).then(move || {
                view! {
                    <div class="confirm-box" id="avlys">
                        <p><strong>{question}</strong></p>
                        <ActionForm action=actions.cancel>
                            <input type="hidden" name="activity_id" value=id />
                            {refused.clone().map(|(_, key)| {
                                let problem = Problem { key, field: Some(("cancel-reason", "activity.cancel_reason")) };
                                view! { <ErrorSummary heading_key="activity.error.cancel_heading" problem /> }
                            })}
                            <GuardedInput
                                name="cancel-reason"
                                form_name="reason"
                                label_key="activity.cancel_reason"
                                maxlength=MAX_REASON_CHARS
                                initial=refused.clone().map(|(reason, _)| reason).unwrap_or_default()
                                invalid=refused.is_some()
                            />
                            <div class="row-actions">
                                <button type="submit" class="primary">{i18n.t("activity.cancel_confirm")}</button>
                                <a class="button secondary" href="/ansatt/aktiviteter">{i18n.t("activity.cancel_keep")}</a>
                            </div>
                        </ActionForm>
                    </div>
                }
            });
            Some(view! { {count} <div class="row-actions">{cancel}</div> {confirm} }.into_any())
        }
        _ => None,
    };
    view! {
        <li class=if a.cancelled { "activity cancelled" } else { "activity" }>
            <p class="card-title">
                {a.title.clone()}
                {a.cancelled.then(|| view! { " " <span class="tag">{i18n.t("activity.cancelled")}</span> })}
            </p>
            <p class="card-meta">{meta.join(" · ")}</p>
            {(!a.bring.is_empty()).then(|| view! { <p>{i18n.t_with("activity.bring", &[("what", &a.bring)])}</p> })}
            {signup}
        </li>
    }
}

#[component]
fn ActivitiesView(
    page: Data,
    actions: Actions,
    saved: bool,
    cancelling: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem =
        page.problem.clone().map(|key| view! { <p class="error" role="alert">{i18n.t(&key)}</p> });
    if page.staff {
        // A refused cancellation is shown in its own box; a refused activity form at its top.
        let refused_cancel = cancelling.is_some() && page.form.is_none();
        let form_problem = page
            .problem
            .clone()
            .filter(|_| !refused_cancel)
            .map(|key| Problem { field: problem_field(&key), key });
        let marks = {
            let p = form_problem.clone();
            move |id: &str| Problem::marks(&p, id)
        };
        let title_marked = marks("title").0.is_some();
        let summary = form_problem
            .clone()
            .map(|problem| view! { <ErrorSummary heading_key="activity.error.heading" problem /> });
        let refused = page
            .problem
            .clone()
            .filter(|_| refused_cancel)
            .map(|key| (page.cancel_reason.clone(), key));
        // What the form shows: the activity as typed when it was refused, else the one being
        // changed as it is, else nothing.
        let typed = page.form.clone();
        let editing = page.editing.clone();
        let value =
            move |t: fn(&ActivityInput) -> String, f: fn(&ActivityView) -> String| match &typed {
                Some(form) => t(form),
                None => editing.as_ref().map(f).unwrap_or_default(),
            };
        let signup_ticked = match &page.form {
            Some(form) => form.signup.is_some(),
            None => page.editing.as_ref().is_some_and(|a| a.signup),
        };
        let target = page.form.as_ref().map(|f| f.target.clone()).unwrap_or_default();
        let heading =
            if page.editing.is_some() { i18n.t("activity.edit") } else { i18n.t("activity.new") };
        let list = page
            .staff_activities
            .into_iter()
            .map(|a| {
                let cancelling = cancelling.as_deref() == Some(a.id.as_str());
                let refused = refused.clone().filter(|_| cancelling);
                view! { <ActivityItem a child_id=None actions cancelling refused=refused /> }
            })
            .collect_view();
        return view! {
            <p class="breadcrumb"><a href="/ansatt">{i18n.t("staff.back")}</a></p>
            <h1>{i18n.t("activity.title")}</h1>
            {saved.then(|| view! { <p class="success" role="status">{i18n.t("activity.saved")}</p> })}
            <h2>{heading}</h2>
            <ActionForm action=actions.create attr:class="compose">
                <OnceField />
                {summary}
                {match &page.editing {
                    Some(a) => view! {
                        <input type="hidden" name="activity_id" value=a.id.clone() />
                        <p class="notice" role="note">{i18n.t_with("activity.editing", &[("place", &a.for_whom)])}</p>
                    }.into_any(),
                    None => view! {
                        <label for="target">{i18n.t("activity.for")}</label>
                        <select id="target" name="form[target]" aria-invalid=marks("target").0 aria-describedby=marks("target").1>
                            {page.targets.iter().map(|t| view! { <option value=t.value.clone() selected=t.value == target>{t.label.clone()}</option> }).collect_view()}
                        </select>
                    }.into_any(),
                }}
                <p class="standing-warning" role="note">{i18n.t("messages.standing_warning")}</p>
                <GuardedInput
                    name="title"
                    form_name="form[title]"
                    label_key="activity.field_title"
                    maxlength=MAX_TITLE_CHARS
                    required=true
                    initial=value(|f| f.title.clone(), |a| a.title.clone())
                    invalid=title_marked
                />
                <label for="day">{i18n.t("activity.day")}</label>
                <input type="date" id="day" name="form[day]" min=page.today.clone() required value=value(|f| f.day.clone(), |a| a.day.clone())
                    aria-invalid=marks("day").0 aria-describedby=marks("day").1 />
                <label for="starts">{i18n.t("activity.starts")}</label>
                <input type="time" id="starts" name="form[starts]" required value=value(|f| f.starts.clone(), |a| a.starts.clone())
                    aria-invalid=marks("starts").0 aria-describedby=marks("starts").1 />
                <label for="ends">{i18n.t("activity.ends")}</label>
                <input type="time" id="ends" name="form[ends]" value=value(|f| f.ends.clone(), |a| a.ends.clone().unwrap_or_default()) />
                <GuardedInput
                    name="place"
                    form_name="form[place]"
                    label_key="activity.place"
                    maxlength=MAX_PLACE_CHARS
                    initial=value(|f| f.place.clone(), |a| a.place.clone())
                />
                <GuardedInput
                    name="bring"
                    form_name="form[bring]"
                    label_key="activity.field_bring"
                    maxlength=MAX_BRING_CHARS
                    initial=value(|f| f.bring.clone(), |a| a.bring.clone())
                />
                <p class="confirm">
                    <input type="checkbox" id="signup" name="form[signup]" value="on" checked=signup_ticked />
                    <label for="signup">{i18n.t("activity.signup")}</label>
                </p>
                <label for="signup_deadline">{i18n.t("activity.signup_deadline")}</label>
                <input type="date" id="signup_deadline" name="form[signup_deadline]" min=page.today.clone()
                    value=value(|f| f.signup_deadline.clone(), |a| a.signup_deadline.clone().unwrap_or_default())
                    aria-invalid=marks("signup_deadline").0 aria-describedby=marks("signup_deadline").1 />
                <button type="submit" class="primary">
                    {if page.editing.is_some() { i18n.t("activity.save_change") } else { i18n.t("activity.create") }}
                </button>
            </ActionForm>
            <h2>{i18n.t("activity.coming")}</h2>
            <ul class="inbox activities">{list}</ul>
        }
        .into_any();
    }
    let calendar = view! {
        <section aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">{i18n.t("activity.calendar")}</h2>
            <p class="hint">{i18n.t("activity.calendar_hint")}</p>
            {page.calendar_url.clone().map(|url| {
                // One tap subscribes (the calendar app takes `webcal:`); the copy button shows
                // only where a script can copy (ui/once.rs), the address itself always.
                let webcal = url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
                view! {
                    <p class="success" role="status">{i18n.t("activity.calendar_made")}</p>
                    <p><a class="calendar-url" href=url.clone()>{url.clone()}</a></p>
                    <p class="row-actions">
                        <a class="button primary" href=webcal>{i18n.t("activity.calendar_subscribe")}</a>
                        <button type="button" class="secondary" hidden aria-live="polite" data-copy=url.clone() data-copied=i18n.t("activity.calendar_copied")>
                            {i18n.t("activity.calendar_copy")}
                        </button>
                    </p>
                }
            })}
            {if page.calendar_fresh {
                view! {
                    <ActionForm action=actions.calendar>
                        <input type="hidden" name="action" value="create" />
                        <button type="submit" class="secondary">
                            {if page.calendar_active { i18n.t("activity.calendar_renew") } else { i18n.t("activity.calendar_create") }}
                        </button>
                    </ActionForm>
                }
                .into_any()
            } else {
                // A calendar address outlives this session: it is made only right after an
                // ID-porten login, never in a quick-unlocked session.
                view! {
                    <p class="notice" role="note">{i18n.t("activity.calendar_fresh_login")}</p>
                    <a class="button secondary" rel="external" href=page.login_url.clone()>
                        {i18n.t("activity.calendar_login")}
                    </a>
                }
                .into_any()
            }}
            {page.calendar_active.then(|| view! {
                <ActionForm action=actions.calendar>
                    <input type="hidden" name="action" value="revoke" />
                    <button type="submit" class="secondary">{i18n.t("activity.calendar_revoke")}</button>
                </ActionForm>
            })}
        </section>
    };
    view! {
        <p class="breadcrumb"><a href="/hjem">{i18n.t("messages.back_home")}</a></p>
        <h1>{i18n.t("activity.title")}</h1>
        {problem}
        {page
            .children
            .into_iter()
            .map(|c| {
                let id = c.child_id.clone();
                view! {
                    <section class="child-activities">
                        <h2>{c.child_name.clone()}</h2>
                        {if c.activities.is_empty() {
                            view! { <p>{i18n.t("activity.none")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="inbox activities">
                                    {c.activities.into_iter().map(|a| view! { <ActivityItem a child_id=Some(id.clone()) actions refused=None /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                }
            })
            .collect_view()}
        {calendar}
    }
    .into_any()
}
