//! `/barn/:id/fravaer`: report absence in three taps (today, whole day, illness preselected),
//! see what was reported and whether the staff have seen it, change or withdraw it. Staff use
//! the same page to register an absence after a phone call. `/ansatt/fravaer`: today's absence
//! per group, acknowledged with one tap, and leave requests for the principal.

use crate::api::day::absence::{
    AbsencePage as Data, AbsenceView, AckAbsence, DecideLeave, ReportAbsence, StaffAbsence,
    WithdrawAbsence, get_absences, get_staff_absence,
};
use crate::domain::absence::AbsenceForm;
use crate::domain::days::short;
use crate::i18n::use_i18n;
use crate::ui::messaging::GuardedText;
use crate::ui::once::OnceField;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AbsencePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // The forms' actions live here so that the page reloads after each (in the browser the
    // server's redirect back to the same address would not).
    let report = ServerAction::<ReportAbsence>::new();
    let withdraw = ServerAction::<WithdrawAbsence>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("utkast"),
                query.read().get("endre"),
                report.version().get() + withdraw.version().get(),
            )
        },
        |(child, draft, edit, _)| get_absences(child, draft, edit),
    );
    let reported = move || query.read().get("meldt");
    let withdrawn = move || query.read().get("trukket").is_some();
    loaded_page("absence.title", data, move |page| {
        view! { <AbsenceView page reported=reported() withdrawn=withdrawn() report withdraw /> }
    })
}

fn days_text(
    i18n: crate::i18n::I18n,
    first: &str,
    last: &str,
    from: &Option<String>,
    to: &Option<String>,
) -> String {
    let days =
        if first == last { short(first) } else { format!("{}–{}", short(first), short(last)) };
    match (from, to) {
        (Some(f), Some(t)) => {
            i18n.t_with("absence.part_of_day", &[("days", &days), ("from", f), ("to", t)])
        }
        _ => days,
    }
}

/// The field a refused report's problem is about: its element id and the i18n key of its label,
/// so the error summary can name it and link to it, and the field can be marked.
fn problem_field(problem: &str, form: &AbsenceForm) -> Option<(&'static str, &'static str)> {
    use crate::domain::days::{day_number, minutes};
    Some(match problem {
        "days.error.bad_date" if day_number(&form.first_day).is_none() => {
            ("first_day", "absence.first_day")
        }
        "days.error.bad_date" | "days.error.end_before_start" | "days.error.too_long" => {
            ("last_day", "absence.last_day")
        }
        "days.error.past" => ("first_day", "absence.first_day"),
        "days.error.bad_time" if minutes(&form.from_time).is_none() => {
            ("from_time", "absence.from_time")
        }
        "days.error.bad_time" | "days.error.times" => ("to_time", "absence.to_time"),
        "absence.error.kind" => ("kind-illness", "absence.why"),
        "absence.error.note_too_long" => ("body", "absence.note"),
        p if p.starts_with("guard.") => ("body", "absence.note"),
        _ => return None,
    })
}

#[component]
fn AbsenceView(
    page: Data,
    reported: Option<String>,
    withdrawn: bool,
    report: ServerAction<ReportAbsence>,
    withdraw: ServerAction<WithdrawAbsence>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = page.form.clone();
    // A refused report: a summary at the top of the form that takes the focus (and the page is
    // opened at it, `#feil`), naming the field, which is marked and described by it.
    let field = page.problem.as_deref().and_then(|p| problem_field(p, &form));
    let invalid = move |id: &str| field.is_some_and(|(f, _)| f == id).then_some("true");
    let described = move |id: &str| field.is_some_and(|(f, _)| f == id).then_some("feil");
    let summary = page.problem.clone().map(|key| {
        let text = match field {
            Some((id, label)) => view! {
                <a href=format!("#{id}")>{format!("{}: {}", i18n.t(label), i18n.t(&key))}</a>
            }
            .into_any(),
            None => view! { {i18n.t(&key)} }.into_any(),
        };
        view! {
            <div class="error-summary" id="feil" role="alert" tabindex="-1" autofocus>
                <h2>{i18n.t("absence.error.heading")}</h2>
                <p>{text}</p>
            </div>
        }
    });
    let radio = move |name: &'static str,
                      value: &'static str,
                      label: &'static str,
                      current: &str| {
        let id = format!("{name}-{value}");
        let checked = current == value;
        view! {
            <p class="choice">
                <input type="radio" id=id.clone() name=format!("form[{name}]") value=value checked=checked />
                <label for=id>{i18n.t(label)}</label>
            </p>
        }
    };
    let heading = i18n.t_with("absence.heading", &[("child", &page.child_name)]);
    let submit = if page.editing.is_some() {
        i18n.t("absence.save_change")
    } else {
        i18n.t("absence.submit")
    };
    let list_child = page.child_id.clone();
    let list = page
        .absences
        .clone()
        .into_iter()
        .map(move |a: AbsenceView| {
            let seen = if a.seen_by.is_empty() {
                i18n.t("absence.not_seen").to_owned()
            } else {
                i18n.t_with("absence.seen_by", &[("names", &a.seen_by.join(", "))])
            };
            let decided = a.decided_by.as_ref().map(|d| i18n.t_with("absence.decided_by", &[("name", d)]));
            let id = a.id.clone();
            let actions = a.changeable.then(|| {
                let child_id = list_child.clone();
                view! {
                    <div class="row-actions">
                        <a class="button secondary" href=format!("/barn/{child_id}/fravaer?endre={id}")>{i18n.t("absence.change")}</a>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="child_id" value=child_id.clone() />
                            <input type="hidden" name="absence_id" value=id.clone() />
                            <button type="submit" class="secondary">{i18n.t("absence.withdraw")}</button>
                        </ActionForm>
                    </div>
                }
            });
            view! {
                <li class="absence">
                    <p class="card-title">{format!("{} – {}", days_text(i18n, &a.first_day, &a.last_day, &a.from_time, &a.to_time), i18n.t(&a.kind_key))}</p>
                    {(!a.note.is_empty()).then(|| view! { <p class="body">{a.note.clone()}</p> })}
                    <p class="card-meta">{format!("{} · {}", i18n.t(&a.status_key), i18n.t_with("absence.reported_by", &[("name", &a.reporter)]))}</p>
                    <p class="receipt">{seen}</p>
                    {decided.map(|d| view! { <p class="receipt">{d}</p> })}
                    {actions}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="breadcrumb"><a href=format!("/barn/{}", page.child_id)>{i18n.t("absence.back_to_child")}</a></p>
        <h1>{heading}</h1>
        {reported.map(|how| {
            let text = if how == "permisjon" {
                i18n.t_with("absence.leave_applied", &[("school", &i18n.list(&page.schools))])
            } else if page.units.is_empty() {
                i18n.t("absence.reported_plain").to_owned()
            } else {
                i18n.t_with("absence.reported", &[("units", &i18n.list(&page.units))])
            };
            view! { <p class="success" role="status">{text}</p> }
        })}
        {withdrawn.then(|| view! { <p class="success" role="status">{i18n.t("absence.withdrawn")}</p> })}
        {page.staff.then(|| view! { <p class="notice" role="note">{i18n.t("absence.on_behalf")}</p> })}
        // novalidate: a field hidden because it does not apply (a half-typed date, a date
        // before `min` kept from yesterday) must not block sending; the server checks all.
        <ActionForm action=report attr:class="compose absence-form" attr:novalidate=true>
            <input type="hidden" name="child_id" value=page.child_id.clone() />
            <OnceField />
            {page.editing.clone().map(|id| view! { <input type="hidden" name="absence_id" value=id /> })}
            {summary}
            <fieldset class="when">
                <legend>{i18n.t("absence.when")}</legend>
                {radio("when", "today", "absence.today", &form.when)}
                {radio("when", "tomorrow", "absence.tomorrow", &form.when)}
                {radio("when", "dates", "absence.dates", &form.when)}
                <div class="dates">
                    <label for="first_day">{i18n.t("absence.first_day")}</label>
                    <input type="date" id="first_day" name="form[first_day]" min=page.today.clone() value=form.first_day.clone()
                        aria-invalid=invalid("first_day") aria-describedby=described("first_day") />
                    <label for="last_day">{i18n.t("absence.last_day")}</label>
                    <input type="date" id="last_day" name="form[last_day]" min=page.today.clone() value=form.last_day.clone()
                        aria-invalid=invalid("last_day") aria-describedby=described("last_day") />
                </div>
            </fieldset>
            <fieldset class="part">
                <legend>{i18n.t("absence.part")}</legend>
                {radio("part", "whole", "absence.whole_day", &form.part)}
                {radio("part", "part", "absence.part_day", &form.part)}
                <div class="dates">
                    <label for="from_time">{i18n.t("absence.from_time")}</label>
                    <input type="time" id="from_time" name="form[from_time]" value=form.from_time.clone()
                        aria-invalid=invalid("from_time") aria-describedby=described("from_time") />
                    <label for="to_time">{i18n.t("absence.to_time")}</label>
                    <input type="time" id="to_time" name="form[to_time]" value=form.to_time.clone()
                        aria-invalid=invalid("to_time") aria-describedby=described("to_time") />
                </div>
            </fieldset>
            <fieldset>
                <legend>{i18n.t("absence.why")}</legend>
                {radio("kind", "illness", "absence.kind.illness", &form.kind)}
                {radio("kind", "other", "absence.kind.other", &form.kind)}
                {page.can_apply_leave.then(|| radio("kind", "leave", "absence.kind.leave", &form.kind))}
            </fieldset>
            <GuardedText
                initial=form.note.clone()
                other_children=page.other_children.clone()
                // The note's own problems beside it too; the others only in the summary.
                problem=page.problem.clone().filter(|p| matches!(problem_field(p, &form), Some(("body", _))))
                label_key="absence.note"
                form_name="form[note]"
            />
            <button type="submit" class="primary">{submit}</button>
        </ActionForm>
        <h2>{i18n.t("absence.list")}</h2>
        {if page.absences.is_empty() {
            view! { <p>{i18n.t("absence.none")}</p> }.into_any()
        } else {
            view! { <ul class="inbox absences">{list}</ul> }.into_any()
        }}
    }
}

#[component]
pub fn StaffAbsencePage() -> impl IntoView {
    let ack = ServerAction::<AckAbsence>::new();
    let decide = ServerAction::<DecideLeave>::new();
    let data = Resource::new(
        move || ack.version().get() + decide.version().get(),
        |_| get_staff_absence(),
    );
    loaded_page(
        "absence.staff_title",
        data,
        move |page| view! { <StaffAbsenceView page ack decide /> },
    )
}

#[component]
fn StaffAbsenceView(
    page: StaffAbsence,
    ack: ServerAction<AckAbsence>,
    decide: ServerAction<DecideLeave>,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = page.groups.is_empty();
    let groups = page
        .groups
        .into_iter()
        .map(|(label, children)| {
            view! {
                <section class="absence-group">
                    <h2>{label}</h2>
                    <ul class="inbox">
                        {children
                            .into_iter()
                            .map(|c| {
                                let times = match (&c.from_time, &c.to_time) {
                                    (Some(f), Some(t)) => format!(" {f}–{t}"),
                                    _ => String::new(),
                                };
                                let until = (c.last_day != page.today)
                                    .then(|| i18n.t_with("absence.until", &[("day", &short(&c.last_day))]));
                                view! {
                                    <li class="absence">
                                        <p class="card-title">{c.child.clone()}</p>
                                        <p class="card-meta">{format!("{}{times}", i18n.t(&c.kind_key))}" "{until}</p>
                                        {(!c.note.is_empty()).then(|| view! { <p class="body">{c.note.clone()}</p> })}
                                        {if c.acked {
                                            view! { <p class="receipt">{i18n.t("absence.acked")}</p> }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=ack>
                                                    <input type="hidden" name="absence_id" value=c.absence_id.clone() />
                                                    <input type="hidden" name="unit_id" value=c.unit_id.clone() />
                                                    <button type="submit" class="primary">
                                                        {i18n.t_with("absence.ack", &[("child", &c.child)])}
                                                    </button>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    let requests = (!page.requests.is_empty()).then(|| {
        view! {
            <section>
                <h2>{i18n.t("absence.requests")}</h2>
                <ul class="inbox">
                    {page
                        .requests
                        .into_iter()
                        .map(|(c, first, last)| {
                            let (grant_id, refuse_id) = (c.absence_id.clone(), c.absence_id.clone());
                            view! {
                                <li class="absence">
                                    <p class="card-title">{format!("{} – {}–{}", c.child, short(&first), short(&last))}</p>
                                    {(!c.note.is_empty()).then(|| view! { <p class="body">{c.note.clone()}</p> })}
                                    <div class="row-actions">
                                        <ActionForm action=decide>
                                            <input type="hidden" name="absence_id" value=grant_id />
                                            <input type="hidden" name="decision" value="grant" />
                                            <button type="submit" class="primary">{i18n.t("absence.grant")}</button>
                                        </ActionForm>
                                        <ActionForm action=decide>
                                            <input type="hidden" name="absence_id" value=refuse_id />
                                            <input type="hidden" name="decision" value="refuse" />
                                            <button type="submit" class="secondary">{i18n.t("absence.refuse")}</button>
                                        </ActionForm>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    view! {
        <p class="breadcrumb"><a href="/ansatt">{i18n.t("staff.back")}</a></p>
        <h1>{i18n.t_with("absence.staff_heading", &[("day", &short(&page.today))])}</h1>
        {empty.then(|| view! { <p>{i18n.t("absence.none_today")}</p> })}
        {groups}
        {requests}
    }
}
