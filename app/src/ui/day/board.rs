//! `/ansatt/dagen`: a kindergarten or SFO group's children as large tiles on a shared tablet.
//! One tap checks a child in or out; today's absence and pick-up notes are on the tiles.

use crate::api::day::board::{AckPickup, Board, Check, get_board};
use crate::i18n::use_i18n;
use crate::ui::live::Live;
use crate::ui::protected::loaded_page;
use crate::ui::tablet::TabletLock;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BoardPage() -> impl IntoView {
    let query = use_query_map();
    // Each tap is a plain form post, answered with this board again.
    let check = ServerAction::<Check>::new();
    let ack = ServerAction::<AckPickup>::new();
    let data = Resource::new(move || query.read().get("gruppe"), get_board);
    loaded_page("board.title", data, move |board| view! { <BoardView board check ack /> })
}

#[component]
fn BoardView(
    board: Board,
    check: ServerAction<Check>,
    ack: ServerAction<AckPickup>,
) -> impl IntoView {
    let i18n = use_i18n();
    let group = board.group.clone().unwrap_or_default();
    let switcher = (board.groups.len() > 1).then(|| {
        view! {
            <nav class="child-switcher" aria-label=i18n.t("board.groups")>
                <ul>
                    {board
                        .groups
                        .iter()
                        .map(|(id, label)| {
                            let here = board.group.as_deref() == Some(id.as_str());
                            view! {
                                <li>
                                    <a href=format!("/ansatt/dagen?gruppe={id}") aria-current=if here { Some("page") } else { None }>
                                        {label.clone()}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    });
    let lock = board.tablet_idle_minutes.map(|idle_minutes| view! { <TabletLock idle_minutes /> });
    if board.group.is_none() {
        return view! {
            {lock}
            <p class="breadcrumb"><a href="/ansatt">{i18n.t("staff.back")}</a></p>
            <h1>{i18n.t("board.title")}</h1>
            <p>{i18n.t("board.no_groups")}</p>
        }
        .into_any();
    }
    let total = board.tiles.len();
    let on_tablet = board.tablet_idle_minutes.is_some();
    view! {
        {lock}
        {(!on_tablet).then(|| view! { <p class="breadcrumb"><a href="/ansatt">{i18n.t("staff.back")}</a></p> })}
        <h1>{board.label.clone()}</h1>
        {switcher}
        {(!board.activities.is_empty()).then(|| view! {
            <section class="day-activities" aria-labelledby="activities-heading">
                <h2 id="activities-heading">{i18n.t("board.activities")}</h2>
                <ul>
                    {board.activities.iter().map(|(title, time, place)| {
                        let text = if place.is_empty() { format!("{time} {title}") } else { format!("{time} {title}, {place}") };
                        view! { <li>{text}</li> }
                    }).collect_view()}
                </ul>
            </section>
        })}
        // The tablet stays open all day: check-ins on the other tablets, new absence and pick-up
        // notes show up by themselves, within a second.
        <Live id="board-tiles" on_board=true>
        <p class="lead" role="status">
            {i18n.t_with("board.present", &[("present", &board.present.to_string()), ("total", &total.to_string())])}
        </p>
        <ul class="tiles">
            {board
                .tiles
                .into_iter()
                .map(|t| {
                    let status = match t.state.as_str() {
                        "here" => i18n.t_with("board.here_since", &[("time", &t.checked_in.clone().unwrap_or_default())]),
                        "gone" => i18n.t_with("board.gone_at", &[("time", &t.checked_out.clone().unwrap_or_default())]),
                        _ => i18n.t("board.not_arrived").to_owned(),
                    };
                    let absence = t.absence.clone().map(|(kind, from, to)| {
                        let times = match (from, to) {
                            (Some(f), Some(to)) => format!(" {f}–{to}"),
                            _ => String::new(),
                        };
                        view! { <p class="tile-absence">{format!("{}{times}", i18n.t_with("board.absent", &[("kind", i18n.t(&kind))]))}</p> }
                    });
                    let (action, label) = if t.state == "here" {
                        ("out", i18n.t_with("board.check_out", &[("child", &t.name)]))
                    } else {
                        ("in", i18n.t_with("board.check_in", &[("child", &t.name)]))
                    };
                    let child_id = t.child_id.clone();
                    let group = group.clone();
                    view! {
                        <li class=format!("tile {}", t.state) data-settles-in=t.settles_in_ms.map(|ms| ms.to_string())>
                            <p class="tile-name">{t.name.clone()}</p>
                            {t.shielded.then(|| view! { <p class="tile-shielded">{i18n.t("board.shielded")}</p> })}
                            <p class="tile-status">{status}</p>
                            {absence}
                            {t.pickups
                                .iter()
                                .map(|p| {
                                    let (child_id, group, note_id) = (child_id.clone(), group.clone(), p.id.clone());
                                    let note = i18n.t_with("pickup.note", &[("who", &p.who), ("time", &p.at_time)]);
                                    view! {
                                        <div class="tile-pickup">
                                            <p>{note}</p>
                                            {(!p.comment.is_empty()).then(|| view! { <p>{p.comment.clone()}</p> })}
                                            {match &p.seen_by {
                                                Some(name) => view! { <p class="receipt">{i18n.t_with("pickup.seen_by", &[("name", name)])}</p> }.into_any(),
                                                None => view! {
                                                    <ActionForm action=ack>
                                                        <input type="hidden" name="child_id" value=child_id />
                                                        <input type="hidden" name="note_id" value=note_id />
                                                        <input type="hidden" name="group" value=group />
                                                        <button type="submit" class="secondary">{i18n.t("board.ack_pickup")}</button>
                                                    </ActionForm>
                                                }.into_any(),
                                            }}
                                        </div>
                                    }
                                })
                                .collect_view()}
                            {t.noted.map(|written| {
                                let href = format!("/ansatt/dagen/notat/{}?gruppe={}", child_id, group);
                                let key = if written { "board.note_written" } else { "board.note_write" };
                                view! {
                                    <a class="button secondary tile-note" href=href>
                                        {i18n.t(key)}<span class="visually-hidden">{format!(" – {}", t.name)}</span>
                                    </a>
                                }
                            })}
                            {if t.settles_in_ms.is_some() {
                                // Just checked in or out: the spot of the button says so, and
                                // "Angre" sits apart from it, so a double tap changes nothing.
                                let (done, undo) = if t.state == "here" {
                                    (i18n.t_with("board.checked_in", &[("child", &t.name)]), "undo-in")
                                } else {
                                    (i18n.t_with("board.checked_out", &[("child", &t.name)]), "undo-out")
                                };
                                view! {
                                    <p class="tile-done" role="status">{done}</p>
                                    <ActionForm action=check attr:class="tile-undo">
                                        <input type="hidden" name="child_id" value=child_id.clone() />
                                        <input type="hidden" name="action" value=undo />
                                        <input type="hidden" name="group" value=group.clone() />
                                        <button type="submit" class="secondary">
                                            {i18n.t("board.undo")}
                                            <span class="visually-hidden">{format!(" – {}", t.name)}</span>
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=check>
                                        <input type="hidden" name="child_id" value=child_id.clone() />
                                        <input type="hidden" name="action" value=action />
                                        <input type="hidden" name="group" value=group.clone() />
                                        <button type="submit" class="primary tile-button">{label}</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        </Live>
    }
    .into_any()
}
