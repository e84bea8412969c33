//! "Messages are read weekdays 08:00–16:00": shown where a guardian writes, with when to
//! expect an answer outside those hours.

use crate::api::messaging::HoursInfo;
use crate::domain::days::weekday_key;
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn HoursNotice(hours: Vec<HoursInfo>) -> impl IntoView {
    let i18n = use_i18n();
    hours
        .into_iter()
        .map(|h| {
            let days = if h.first_day == h.last_day {
                i18n.t(weekday_key(h.first_day)).to_owned()
            } else {
                format!("{}–{}", i18n.t(weekday_key(h.first_day)), i18n.t(weekday_key(h.last_day)))
            };
            let read = i18n.t_with(
                "messages.hours.read",
                &[("unit", &h.unit), ("days", &days), ("opens", &h.opens), ("closes", &h.closes)],
            );
            let expect = h.next.map(|n| {
                let at = crate::domain::hours::clock(n.at);
                let when = match n.days_ahead {
                    0 => i18n.t_with("messages.hours.today", &[("at", &at)]),
                    1 => i18n.t_with("messages.hours.tomorrow", &[("at", &at)]),
                    _ => i18n.t_with(
                        "messages.hours.on_day",
                        &[("day", i18n.t(weekday_key(n.weekday))), ("at", &at)],
                    ),
                };
                i18n.t_with("messages.hours.expect", &[("when", &when)])
            });
            view! {
                <p class="hours" role="note">
                    {read}
                    {expect.map(|e| view! { " " <strong>{e}</strong> })}
                </p>
            }
        })
        .collect_view()
}
