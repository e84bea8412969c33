//! A child's page, with the switcher between the guardian's children. The URL names the child,
//! so a page can be bookmarked and shared between the guardian's own devices.

use super::error::{ErrorMessage, login_first, no_store};
use super::layout::Page;
use crate::api::AppError;
use crate::api::account::{ChildSummary, get_guardian_home};
use crate::api::children::{ChildDetails, Place, get_child};
use crate::i18n::use_i18n;
use crate::ui::live::Live;
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ChildPage() -> impl IntoView {
    let i18n = use_i18n();
    no_store();
    let params = use_params_map();
    let child = Resource::new(move || params.read().get("id").unwrap_or_default(), get_child);
    let home = Resource::new(|| (), |_| get_guardian_home());
    view! {
        <Page>
            <Suspense fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match (home.await, child.await) {
                        (Ok(home), Ok(child)) => view! {
                            <p class="breadcrumb"><a href="/hjem">{i18n.t("child.back_home")}</a></p>
                            <ChildSwitcher children=home.children current=child.id.clone() />
                            <ChildView child />
                        }.into_any(),
                        // Staff have no children of their own to switch between.
                        (Err(AppError::Forbidden), Ok(child)) => view! {
                            <p class="breadcrumb"><a href="/ansatt">{i18n.t("staff.back")}</a></p>
                            <ChildView child />
                        }.into_any(),
                        (Err(AppError::Unauthenticated), _) | (_, Err(AppError::Unauthenticated)) => {
                            login_first();
                            ().into_any()
                        }
                        (_, Err(error)) | (Err(error), _) => view! {
                            <PageTitle text=i18n.t("child.not_found") />
                            <h1>{i18n.t("child.not_found")}</h1>
                            <ErrorMessage error />
                            <p><a class="nav-link" href="/hjem">{i18n.t("child.back_home")}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Page>
    }
}

/// The guardian's children as tabs; the current one is marked for screen readers too.
#[component]
fn ChildSwitcher(children: Vec<ChildSummary>, current: String) -> impl IntoView {
    let i18n = use_i18n();
    (children.len() > 1).then(|| {
        view! {
            <nav class="child-switcher" aria-label=i18n.t("child.switcher")>
                <ul>
                    {children
                        .into_iter()
                        .map(|c| {
                            let here = c.id == current;
                            view! {
                                <li>
                                    <a
                                        href=format!("/barn/{}", c.id)
                                        aria-current=if here { Some("page") } else { None }
                                    >
                                        {first_name(&c.name)}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}

/// Whether the child is at a kindergarten or SFO, whose day is recorded on a board.
fn has_board_day(places: &[Place]) -> bool {
    places.iter().any(|p| {
        matches!(p.kind, crate::domain::UnitKind::Kindergarten | crate::domain::UnitKind::Sfo)
    })
}

/// The child's day at each kindergarten or SFO today: check-in and check-out, the staff's note.
#[component]
fn ChildToday(days: Vec<crate::domain::daily_note::DayAtUnit>) -> impl IntoView {
    let i18n = use_i18n();
    if days.is_empty() {
        return view! { <p>{i18n.t("child.today_nothing")}</p> }.into_any();
    }
    days.into_iter()
        .map(|d| {
            let times = match (&d.checked_in, &d.checked_out) {
                (Some(i), Some(o)) => i18n.t_with("child.today_in_out", &[("in", i), ("out", o)]),
                (Some(i), None) => i18n.t_with("child.today_in", &[("in", i)]),
                _ => i18n.t("child.today_not_in").to_owned(),
            };
            let note = d.note.map(|n| {
                let slept = n.slept.map(|(from, to)| {
                    view! { <p>{i18n.t_with("daily.slept_text", &[("from", &from), ("to", &to)])}</p> }
                });
                let ate = n.ate.map(|key| view! { <p>{format!("{}: {}", i18n.t("daily.ate"), i18n.t(&key))}</p> });
                view! {
                    <div class="daily-note">
                        {slept}
                        {ate}
                        {(!n.note.is_empty()).then(|| view! { <p class="note-text">{n.note.clone()}</p> })}
                        <p class="receipt">{i18n.t_with("daily.written_by", &[("name", &n.written_by), ("time", &n.written_at)])}</p>
                    </div>
                }
            });
            view! {
                <div class="card day-at-unit">
                    <p class="card-title">{d.unit}</p>
                    <p>{times}</p>
                    {note}
                </div>
            }
        })
        .collect_view()
        .into_any()
}

fn first_name(name: &str) -> String {
    name.split(' ').next().unwrap_or(name).to_owned()
}

/// "Fjordvik skole, 4B": a place the child is in today.
pub fn place_text(place: &Place) -> String {
    format!("{}, {}", place.unit, place.group)
}

#[component]
fn ChildView(child: ChildDetails) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=child.name.clone() />
        <h1>{child.name.clone()}</h1>
        {child.shielded.then(|| view! {
            <p class="shielded" role="note"><strong>{i18n.t("child.shielded")}</strong>" "{i18n.t("child.shielded_hint")}</p>
        })}
        <p class="actions">
            <a class="button primary" href=format!("/barn/{}/ny-melding", child.id)>{i18n.t("messages.new")}</a>
            " "
            <a class="button secondary" href=format!("/barn/{}/meldinger", child.id)>{i18n.t("messages.inbox.title")}</a>
            " "
            <a class="button secondary" href=format!("/barn/{}/fravaer", child.id)>{i18n.t("absence.link")}</a>
            " "
            <a class="button secondary" href=format!("/barn/{}/henting", child.id)>{i18n.t("pickup.link")}</a>
        </p>
        {(!child.today.is_empty() || has_board_day(&child.places)).then(|| view! {
            <section aria-labelledby="today-heading">
                <h2 id="today-heading">{i18n.t("child.today")}</h2>
                // Checked in or out, or a note written, while the page is open: it shows.
                <Live id="child-today" on_board=true>
                    <ChildToday days=child.today.clone() />
                </Live>
            </section>
        })}
        <section aria-labelledby="places-heading">
            <h2 id="places-heading">{i18n.t("child.places")}</h2>
            {if child.places.is_empty() {
                view! { <p>{i18n.t("child.no_places")}</p> }.into_any()
            } else {
                view! {
                    <ul class="places">
                        {child
                            .places
                            .iter()
                            .map(|p| view! { <li>{place_text(p)}</li> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section aria-labelledby="readers-heading">
            <h2 id="readers-heading">{i18n.t("child.readers")}</h2>
            <p class="hint">{i18n.t("child.readers_hint")}</p>
            <ul class="readers">
                {child
                    .readers
                    .into_iter()
                    .map(|r| {
                        let role = i18n.t(&r.role_key);
                        let text = match r.place {
                            Some(place) => format!("{} – {role}, {place}", r.name),
                            None => format!("{} – {role}", r.name),
                        };
                        view! { <li>{text}</li> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
