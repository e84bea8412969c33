//! `/ansatt/nettbrett`: a staff member's own tablet PIN, and for a unit's leader the unit's
//! tablets — pair one by the code it shows, see who paired each and when it was last used,
//! unpair one (every session on it ends at once), and the minutes without a touch before a
//! tablet locks. Plain forms, so all of it works without JavaScript.

use crate::api::tablet::{
    ADMIN_PROBLEMS, ConfirmPairing, SetTabletIdle, SetTabletPin, TabletAdmin, UnpairTablet,
    get_tablet_admin,
};
use crate::i18n::use_i18n;
use crate::ui::protected::loaded_page;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TabletAdminPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("enhet"), get_tablet_admin);
    loaded_page("tablet.admin.title", data, move |page| view! { <AdminView page /> })
}

#[component]
fn AdminView(page: TabletAdmin) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let flag = move |name: &str| query.read_untracked().get(name).is_some();
    // Only a known word from the address is shown, as its text.
    let problem = query
        .read_untracked()
        .get("feil")
        .and_then(|w| ADMIN_PROBLEMS.iter().find(|(word, _)| *word == w).map(|(_, key)| *key));
    let done = [
        ("paret", "tablet.admin.paired"),
        ("fjernet", "tablet.admin.unpaired"),
        ("lagret", "tablet.admin.idle_saved"),
        ("pin", "tablet.pin.saved"),
    ]
    .into_iter()
    .find(|(name, _)| flag(name))
    .map(|(_, key)| key);
    let pin_form = ServerAction::<SetTabletPin>::new();
    let unit = page.unit.clone().unwrap_or_default();
    view! {
        <p class="breadcrumb"><a href="/ansatt">{i18n.t("staff.back")}</a></p>
        <h1>{i18n.t("tablet.admin.title")}</h1>
        {done.map(|key| view! { <p class="success" role="status">{i18n.t(key)}</p> })}
        {problem.map(|key| view! { <p class="error" role="alert" id="feil" tabindex="-1">{i18n.t(key)}</p> })}
        <section aria-labelledby="pin-heading">
            <h2 id="pin-heading">{i18n.t("tablet.pin.heading")}</h2>
            <p>{if page.has_pin { i18n.t("tablet.pin.has") } else { i18n.t("tablet.pin.none") }}</p>
            <ActionForm action=pin_form attr:class="compose">
                <input type="hidden" name="unit_id" value=unit.clone() />
                <label for="pin">{i18n.t("tablet.pin.new")}</label>
                <input id="pin" name="pin" class="pin" type="password" inputmode="numeric"
                    autocomplete="new-password" maxlength="6" pattern="[0-9]{4,6}" required />
                <label for="pin_again">{i18n.t("tablet.pin.again")}</label>
                <input id="pin_again" name="pin_again" class="pin" type="password" inputmode="numeric"
                    autocomplete="new-password" maxlength="6" pattern="[0-9]{4,6}" required />
                <button type="submit" class="primary">{i18n.t("tablet.pin.submit")}</button>
            </ActionForm>
        </section>
        {(!page.units.is_empty()).then(|| view! { <UnitTablets page /> })}
    }
}

#[component]
fn UnitTablets(page: TabletAdmin) -> impl IntoView {
    let i18n = use_i18n();
    let pair = ServerAction::<ConfirmPairing>::new();
    let unpair = ServerAction::<UnpairTablet>::new();
    let idle = ServerAction::<SetTabletIdle>::new();
    let unit = page.unit.clone().unwrap_or_default();
    let unit_name = page
        .units
        .iter()
        .find(|(id, _)| *id == unit)
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    let tablets = page.tablets.clone();
    let (unit_for_pair, unit_for_list, unit_for_idle) = (unit.clone(), unit.clone(), unit.clone());
    let switcher = (page.units.len() > 1).then(|| {
        view! {
            <nav class="child-switcher" aria-label=i18n.t("tablet.admin.units")>
                <ul>
                    {page.units.iter().map(|(id, name)| {
                        let here = *id == unit;
                        view! { <li><a href=format!("/ansatt/nettbrett?enhet={id}") aria-current=here.then_some("page")>{name.clone()}</a></li> }
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    view! {
        <section aria-labelledby="tablets-heading">
            <h2 id="tablets-heading">{i18n.t_with("tablet.admin.of_unit", &[("unit", &unit_name)])}</h2>
            {switcher}
            <ActionForm action=pair attr:class="compose">
                <input type="hidden" name="unit_id" value=unit_for_pair />
                <p class="hint">{i18n.t("tablet.admin.pair_hint")}</p>
                <label for="code">{i18n.t("tablet.admin.code")}</label>
                <input id="code" name="code" autocomplete="off" autocapitalize="characters"
                    maxlength="12" required placeholder="ABCD-EFGH" />
                <label for="name">{i18n.t("tablet.admin.name")}</label>
                <input id="name" name="name" maxlength="60" required
                    placeholder=i18n.t("tablet.admin.name_example") />
                <button type="submit" class="primary">{i18n.t("tablet.admin.pair")}</button>
            </ActionForm>
            {if tablets.is_empty() {
                view! { <p>{i18n.t("tablet.admin.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="inbox tablets">
                        {tablets.into_iter().map(|t| {
                            let unit = unit_for_list.clone();
                            let paired = i18n.t_with("tablet.admin.paired_by", &[("name", &t.paired_by), ("date", &i18n.date(&t.paired_on))]);
                            let used = i18n.t_with("tablet.admin.last_used", &[("date", &i18n.date(&t.last_used_on)), ("time", &t.last_used_at)]);
                            view! {
                                <li class="card">
                                    <p class="card-title">{t.name.clone()}</p>
                                    <p>{paired}</p>
                                    <p class="receipt">{used}</p>
                                    <ActionForm action=unpair>
                                        <input type="hidden" name="unit_id" value=unit />
                                        <input type="hidden" name="tablet_id" value=t.id.clone() />
                                        <button type="submit" class="secondary">
                                            {i18n.t("tablet.admin.unpair")}
                                            <span class="visually-hidden">{format!(" – {}", t.name)}</span>
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=idle attr:class="compose">
                <input type="hidden" name="unit_id" value=unit_for_idle />
                <label for="minutes">{i18n.t("tablet.admin.idle")}</label>
                <input id="minutes" name="minutes" type="number" min="1" max="60" inputmode="numeric"
                    value=page.idle_minutes.to_string() />
                <button type="submit" class="secondary">{i18n.t("tablet.admin.idle_save")}</button>
            </ActionForm>
        </section>
    }
}
