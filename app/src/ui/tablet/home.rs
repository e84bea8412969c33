//! `/nettbrett`: what a shared tablet shows when nobody is switched in. Not paired: a button
//! that makes the tablet's key and shows the code a leader confirms. Paired: the unit's staff
//! as large tiles; a tap opens a PIN pad, and the right PIN (with the tablet's signature) opens
//! the board. Everything here needs the tablet's key, so it needs JavaScript: the page is plain
//! HTML made live by `public/tablet.js`, and says so until the script has run.

use crate::api::tablet::{StaffTile, TabletHome, get_tablet_home};
use crate::i18n::use_i18n;
use crate::ui::protected::loaded_page;
use leptos::prelude::*;

#[component]
pub fn TabletPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_tablet_home());
    loaded_page("tablet.title", data, move |home| view! { <TabletHomeView home /> })
}

#[component]
fn TabletHomeView(home: TabletHome) -> impl IntoView {
    let i18n = use_i18n();
    match home {
        TabletHome::Unpaired => view! {
            <h1>{i18n.t("tablet.pair.title")}</h1>
            <p class="lead">{i18n.t("tablet.pair.lead")}</p>
            <div
                id="tablet-pair"
                data-waiting=i18n.t("tablet.pair.waiting")
                data-failed=i18n.t("tablet.pair.failed")
                data-busy=i18n.t("error.rate_limited")
            >
                <p class="pairing-code" aria-live="polite" hidden=true></p>
                <button type="button" class="primary big" disabled=true>{i18n.t("tablet.pair.start")}</button>
                <p class="hint" data-state="">{i18n.t("tablet.needs_js")}</p>
            </div>
            <script src="/tablet.js" defer=true></script>
        }
        .into_any(),
        TabletHome::Paired { unit, name, municipality, staff } => view! {
            <h1>{unit}</h1>
            <p class="hint">{i18n.t_with("tablet.this", &[("name", &name)])}</p>
            <StaffTiles staff />
            <p class="hint">
                {i18n.t("tablet.no_pin_hint")} " "
                <a rel="external" href=format!("/auth/login/{municipality}/staff?fersk=1")>{i18n.t("tablet.full_login")}</a>
            </p>
            <script src="/tablet.js" defer=true></script>
        }
        .into_any(),
    }
}

/// The unit's staff as tiles, and the PIN pad a tap on one opens (`tablet.js`).
#[component]
fn StaffTiles(staff: Vec<StaffTile>) -> impl IntoView {
    let i18n = use_i18n();
    let digit =
        |d: &'static str| view! { <button type="button" class="pin-key" data-digit=d>{d}</button> };
    view! {
        <ul
            id="tablet-tiles"
            class="tiles staff-tiles"
            data-format=i18n.t("tablet.pin.error.format")
            data-wrong-pin=i18n.t("tablet.wrong_pin")
            data-locked=i18n.t("tablet.locked")
            data-no-pin=i18n.t("tablet.no_pin")
            data-refused=i18n.t("tablet.refused")
            data-busy=i18n.t("error.rate_limited")
        >
            {staff
                .into_iter()
                .map(|tile| {
                    let note = (!tile.ready).then(|| view! { <p class="hint">{i18n.t("tablet.tile_no_pin")}</p> });
                    view! {
                        <li class="tile">
                            <button type="button" class="tile-button primary" disabled=true
                                data-person=tile.person_id.clone() data-name=tile.name.clone()>
                                {tile.name.clone()}
                            </button>
                            {note}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <form id="pin-pad" class="pin-pad" hidden=true>
            <h2 data-who=""></h2>
            <label for="tablet-pin">{i18n.t("tablet.pin.label")}</label>
            <input id="tablet-pin" class="pin" type="password" inputmode="numeric" autocomplete="off"
                maxlength="6" pattern="[0-9]{4,6}" />
            <div class="pin-keys">
                {["1", "2", "3", "4", "5", "6", "7", "8", "9"].into_iter().map(digit).collect_view()}
                <button type="button" class="pin-key secondary" data-erase="">{i18n.t("tablet.pin.erase")}</button>
                {digit("0")}
                <button type="submit" class="pin-key primary">{i18n.t("tablet.pin.ok")}</button>
            </div>
            <p class="problem" role="alert" data-state=""></p>
            <p><button type="button" class="secondary" data-back="">{i18n.t("tablet.back")}</button></p>
        </form>
    }
}
