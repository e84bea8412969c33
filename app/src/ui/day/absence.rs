//! `/barn/:id/fravaer`: report absence in three taps (today, whole day, illness preselected),
//! see what was reported and whether the staff have seen it, change or withdraw it. Staff use
//! the same page to register an absence after a phone call. `/ansatt/fravaer`: today's absence
//! per group, acknowledged with one tap, and leave requests for the principal.

use crate::api::day::absence::{
    AbsencePage as Data, AbsenceView, AckAbsence, DecideLeave, ReportAbsence, StaffAbsence,
    WithdrawAbsence, get_absences, get_staff_absence,
};
use crate::domain::absence::AbsenceForm;
use crate::i18n::use_i18n;
use crate::ui::error_summary::{ErrorSummary, Problem};
use crate::ui::messaging::GuardedText;
use crate::ui::once::OnceField;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/barn/:id/fravaer`.
#[component]
pub fn AbsencePage() -> impl IntoView {
    absence_page(false)
}

/// `/barn/:id/permisjon`: an application for leave of absence, a form of its own.
#[component]
pub fn LeavePage() -> impl IntoView {
    absence_page(true)
}

fn absence_page(leave: bool) -> impl IntoView {
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
    let title = if leave { "absence.leave_title" } else { "absence.title" };
    loaded_page(title, data, move |page| {
        view! { <AbsenceView page leave reported=reported() withdrawn=withdrawn() report withdraw /> }
    })
}

fn days_text(
    i18n: crate::i18n::I18n,
    first: &str,
    last: &str,
    from: &Option<String>,
    to: &Option<String>,
) -> String {
    let days = if first == last {
        i18n.date(first)
    } else {
        format!("{} – {}", i18n.date(first), i18n.date(last))
    };
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
        "absence.error.leave_reason" => ("body", "absence.leave_reason"),
        p if p.starts_with("guard.") => ("body", "absence.note"),
        _ => return None,
    })
}

#[component]
fn AbsenceView(
    page: Data,
    /// The leave application form instead of the absence report.
    leave: bool,
    reported: Option<String>,
    withdrawn: bool,
    report: ServerAction<ReportAbsence>,
    withdraw: ServerAction<WithdrawAbsence>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = page.form.clone();
    // A refused report: a summary at the top of the form that takes the focus (and the page is
    // opened at it, `#feil`), naming the field, which is marked and described by it.
    let problem =
        page.problem.clone().map(|key| Problem { field: problem_field(&key, &form), key });
    let marks = {
        let problem = problem.clone();
        move |id: &str| Problem::marks(&problem, id)
    };
    let summary = problem.clone().map(|problem| {
        let heading_key =
            if leave { "absence.error.leave_heading" } else { "absence.error.heading" };
        view! { <ErrorSummary heading_key problem /> }
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
    let heading = if leave {
        i18n.t_with("absence.leave_heading", &[("child", &page.child_name)])
    } else {
        i18n.t_with("absence.heading", &[("child", &page.child_name)])
    };
    let submit = if page.editing.is_some() {
        i18n.t("absence.save_change")
    } else if leave {
        i18n.t("absence.leave_submit")
    } else {
        i18n.t("absence.submit")
    };
    let list_child = page.child_id.clone();
    let list = page
        .absences
        .clone()
        .into_iter()
        .map(move |a: AbsenceView| {
            // Leave is decided, not seen: its status and the decision say where it stands.
            let seen = (!a.leave).then(|| if a.seen_by.is_empty() {
                i18n.t("absence.not_seen").to_owned()
            } else {
                i18n.t_with("absence.seen_by", &[("names", &a.seen_by.join(", "))])
            });
            let decided = a.decided_by.as_ref().map(|d| {
                let by = i18n.t_with("absence.decided_by", &[("name", d)]);
                if a.decision_reason.is_empty() {
                    by
                } else {
                    format!("{by}: {}", a.decision_reason)
                }
            });
            let page_path = if a.leave { "permisjon" } else { "fravaer" };
            let id = a.id.clone();
            let actions = a.changeable.then(|| {
                let child_id = list_child.clone();
                view! {
                    <div class="row-actions">
                        <a class="button secondary" href=format!("/barn/{child_id}/{page_path}?endre={id}")>{i18n.t("absence.change")}</a>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="child_id" value=child_id.clone() />
                            <input type="hidden" name="absence_id" value=id.clone() />
                            <input type="hidden" name="from" value=if leave { "permisjon" } else { "fravaer" } />
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
                    {seen.map(|s| view! { <p class="receipt">{s}</p> })}
                    {decided.map(|d| view! { <p class="receipt">{d}</p> })}
                    {actions}
                </li>
            }
        })
        .collect_view();
    // The first and last day: the leave form's only "when", the absence form's third choice.
    let date_fields = {
        let (first, last) = (marks("first_day"), marks("last_day"));
        view! {
            <div class="dates">
                <label for="first_day">{i18n.t("absence.first_day")}</label>
                <input type="date" id="first_day" name="form[first_day]" min=page.today.clone() value=form.first_day.clone()
                    aria-invalid=first.0 aria-describedby=first.1 />
                <label for="last_day">{i18n.t("absence.last_day")}</label>
                <input type="date" id="last_day" name="form[last_day]" min=page.today.clone() value=form.last_day.clone()
                    aria-invalid=last.0 aria-describedby=last.1 />
            </div>
        }
    };
    let leave_path = format!("/barn/{}/permisjon", page.child_id);
    let leave_link = (!leave && page.can_apply_leave).then(|| {
        view! {
            <p><a class="button secondary" href=leave_path>{i18n.t("absence.leave_link")}</a></p>
        }
    });
    if leave && !page.can_apply_leave {
        return view! {
            <p class="breadcrumb"><a href=format!("/barn/{}", page.child_id)>{i18n.t("absence.back_to_child")}</a></p>
            <h1>{heading}</h1>
            <p>{i18n.t("absence.leave_only_school")}</p>
        }
        .into_any();
    }
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
            {if leave {
                // Leave is applied for whole days, with a reason the principal decides on.
                view! {
                    <p class="notice" role="note">{i18n.t_with("absence.leave_goes_to", &[("school", &i18n.list(&page.schools))])}</p>
                    <input type="hidden" name="form[when]" value="dates" />
                    <input type="hidden" name="form[part]" value="whole" />
                    <input type="hidden" name="form[kind]" value="leave" />
                    <fieldset>
                        <legend>{i18n.t("absence.leave_days")}</legend>
                {date_fields}
                    </fieldset>
                    <GuardedText
                        initial=form.note.clone()
                        other_children=page.other_children.clone()
                        problem=page.problem.clone().filter(|p| matches!(problem_field(p, &form), Some(("body", _))))
                        label_key="absence.leave_reason"
                        form_name="form[note]"
                    />
                }
                .into_any()
            } else {
                view! {
            <fieldset class="when">
                <legend>{i18n.t("absence.when")}</legend>
                {radio("when", "today", "absence.today", &form.when)}
                {radio("when", "tomorrow", "absence.tomorrow", &form.when)}
                {radio("when", "dates", "absence.dates", &form.when)}
                {date_fields}
            </fieldset>
            <fieldset class="part">
                <legend>{i18n.t("absence.part")}</legend>
                {radio("part", "whole", "absence.whole_day", &form.part)}
                {radio("part", "part", "absence.part_day", &form.part)}
                <div class="dates">
                    <label for="from_time">{i18n.t("absence.from_time")}</label>
                    <input type="time" id="from_time" name="form[from_time]" value=form.from_time.clone()
                        aria-invalid=marks("from_time").0 aria-describedby=marks("from_time").1 />
                    <label for="to_time">{i18n.t("absence.to_time")}</label>
                    <input type="time" id="to_time" name="form[to_time]" value=form.to_time.clone()
                        aria-invalid=marks("to_time").0 aria-describedby=marks("to_time").1 />
                </div>
            </fieldset>
            <fieldset>
                <legend>{i18n.t("absence.why")}</legend>
                {radio("kind", "illness", "absence.kind.illness", &form.kind)}
                {radio("kind", "other", "absence.kind.other", &form.kind)}
            </fieldset>
            <GuardedText
                initial=form.note.clone()
                other_children=page.other_children.clone()
                // The note's own problems beside it too; the others only in the summary.
                problem=page.problem.clone().filter(|p| matches!(problem_field(p, &form), Some(("body", _))))
                label_key="absence.note"
                form_name="form[note]"
            />
                }
                .into_any()
            }}
            // Already reported for some of these days (often by the other parent): asked first.
            {(page.problem.as_deref() == Some("absence.warning.overlap")).then(|| view! {
                <p class="confirm">
                    <input type="checkbox" id="overlap" name="overlap" value="on" />
                    <label for="overlap">{i18n.t("absence.overlap_confirm")}</label>
                </p>
            })}
            <button type="submit" class="primary main-action">{submit}</button>
        </ActionForm>
        {leave_link}
        <h2>{i18n.t("absence.list")}</h2>
        {if page.absences.is_empty() {
            view! { <p>{i18n.t("absence.none")}</p> }.into_any()
        } else {
            view! { <ul class="inbox absences">{list}</ul> }.into_any()
        }}
    }
    .into_any()
}

#[component]
pub fn StaffAbsencePage() -> impl IntoView {
    let query = use_query_map();
    let ack = ServerAction::<AckAbsence>::new();
    let decide = ServerAction::<DecideLeave>::new();
    let data = Resource::new(
        move || {
            (
                query.read().get("soknad"),
                query.read().get("utkast"),
                ack.version().get() + decide.version().get(),
            )
        },
        |(request, draft, _)| get_staff_absence(request, draft),
    );
    let decided = move || query.read().get("avgjort").is_some();
    loaded_page("absence.staff_title", data, move |page| {
        view! { <StaffAbsenceView page ack decide decided=decided() /> }
    })
}

#[component]
fn StaffAbsenceView(
    page: StaffAbsence,
    ack: ServerAction<AckAbsence>,
    decide: ServerAction<DecideLeave>,
    decided: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = page.groups.is_empty();
    let refused = page.refused.clone();
    let groups = view! { <AbsenceGroups groups=page.groups day=page.today.clone() ack /> };
    // What is reported for the coming days, by day, so a teacher can plan (and acknowledge it
    // ahead).
    let coming = if page.coming.is_empty() {
        view! { <p>{i18n.t("absence.none_coming")}</p> }.into_any()
    } else {
        page.coming
            .into_iter()
            .map(|(day, groups)| {
                let heading = i18n.date(&day);
                view! {
                    <section class="absence-day">
                        <h3>{heading}</h3>
                        <AbsenceGroups groups day ack under_day=true />
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    let requests = (!page.requests.is_empty()).then(|| {
        view! {
            <section>
                <h2>{i18n.t("absence.requests")}</h2>
                <ul class="inbox">
                    {page
                        .requests
                        .into_iter()
                        .map(|(c, first, last)| {
                            let id = c.absence_id.clone();
                            // A decision refused (a refusal without a reason …): why, at the
                            // request, the reason as typed.
                            let again = refused.clone().filter(|(r, _, _)| *r == id);
                            let reason_id = format!("reason-{id}");
                            let item_id = format!("soknad-{id}");
                            let problem = again.as_ref().map(|(_, _, key)| Problem {
                                key: key.clone(),
                                field: None,
                            });
                            view! {
                                <li class="absence" id=item_id>
                                    <p class="card-title">{format!("{} – {} – {}", c.child, i18n.date(&first), i18n.date(&last))}</p>
                                    {(!c.note.is_empty()).then(|| view! { <p class="body">{c.note.clone()}</p> })}
                                    <ActionForm action=decide attr:class="compose">
                                        <input type="hidden" name="absence_id" value=id.clone() />
                                        <OnceField />
                                        {problem.map(|problem| view! { <ErrorSummary heading_key="absence.error.decision_heading" problem /> })}
                                        <label for=reason_id.clone()>{i18n.t("absence.decision_reason")}</label>
                                        <textarea id=reason_id name="reason" rows="2" maxlength="500"
                                            aria-invalid=again.is_some().then_some("true")
                                            aria-describedby=again.is_some().then_some("feil")>
                                            {crate::domain::html::escape(&again.as_ref().map(|(_, r, _)| r.clone()).unwrap_or_default())}
                                        </textarea>
                                        <div class="row-actions">
                                            <button type="submit" name="decision" value="grant" class="primary">{i18n.t("absence.grant")}</button>
                                            <button type="submit" name="decision" value="refuse" class="secondary">{i18n.t("absence.refuse")}</button>
                                        </div>
                                    </ActionForm>
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
        <h1>{i18n.t_with("absence.staff_heading", &[("day", &i18n.date(&page.today))])}</h1>
        {decided.then(|| view! { <p class="success" role="status">{i18n.t("absence.decided")}</p> })}
        {empty.then(|| view! { <p>{i18n.t("absence.none_today")}</p> })}
        {groups}
        {requests}
        <h2>{i18n.t("absence.coming")}</h2>
        {coming}
    }
}

/// Absent children by group (a heading each), on `day`: each with "Sett" until their unit has
/// seen it.
#[component]
fn AbsenceGroups(
    groups: crate::domain::absence::AbsentByGroup,
    day: String,
    ack: ServerAction<AckAbsence>,
    /// Under a day's heading (the coming days): the groups' headings a level down.
    #[prop(optional)]
    under_day: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    groups
        .into_iter()
        .map(|(label, children)| {
            let day = day.clone();
            let heading = if under_day {
                view! { <h4>{label}</h4> }.into_any()
            } else {
                view! { <h2>{label}</h2> }.into_any()
            };
            view! {
                <section class="absence-group">
                    {heading}
                    <ul class="inbox">
                        {children
                            .into_iter()
                            .map(|c| {
                                let times = match (&c.from_time, &c.to_time) {
                                    (Some(f), Some(t)) => format!(" {f}–{t}"),
                                    _ => String::new(),
                                };
                                let until = (c.last_day != day)
                                    .then(|| i18n.t_with("absence.until", &[("day", &i18n.date(&c.last_day))]));
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
        .collect_view()
}
