//! The landing page: "Velg kommune". The first thing a guardian sees, so it is complete as
//! server-rendered HTML. Its search is a plain GET form (`/?sok=…`, filtered on the server), so
//! it works and takes its place before any script runs; once the WASM has arrived (the list is
//! an island) it also narrows the list as one types.

use super::error::ErrorMessage;
use super::layout::Page;
use super::quick_unlock::UnlockRedirect;
use crate::api::municipalities::{MunicipalitySummary, list_municipalities};
use crate::i18n::{Texts, use_i18n};
use crate::ui::messaging::typed_before_hydration;
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    let query = use_query_map();
    let searched = move || query.read_untracked().get(SEARCH_PARAM).unwrap_or_default();
    let notice = arrival_notice(query.read_untracked().get(LOGIN_PARAM).as_deref());
    let last = StoredValue::new(last_municipality());
    view! {
        <PageTitle text=i18n.t("landing.title") />
        <Page>
            <UnlockRedirect />
            // No live region: the notice is there when the page loads, and the search's status is
            // the page's one live region.
            {notice.map(|key| view! { <p class="notice">{i18n.t(key)}</p> })}
            <h1>{i18n.t("landing.title")}</h1>
            <p class="lead">{i18n.t("landing.lead")}</p>
            <Suspense fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match municipalities.await {
                        Ok(list) => {
                            let texts = Texts::pick(i18n, &["landing.search.", "landing.list.label", "landing.municipality_number", "landing.last_chosen"]);
                            let (list, last) = last_first(list, last.get_value());
                            view! { <MunicipalityChooser texts list searched=searched() last /> }.into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Page>
    }
}

/// The query parameter of the search form.
const SEARCH_PARAM: &str = "sok";

/// The query parameter saying why the app sent someone here to log in (`ui::error::LOGIN_FIRST`;
/// `utlopt` when a form was kept after the session ran out).
const LOGIN_PARAM: &str = "logg-inn";

/// The i18n key of what the front page says first: why a login is needed, or that the person
/// has just logged out (said once).
fn arrival_notice(login: Option<&str>) -> Option<&'static str> {
    match login {
        Some("utlopt") => Some("landing.session_ended"),
        Some(_) => Some("landing.login_first"),
        None => just_logged_out().then_some("landing.logged_out"),
    }
}

/// Whether this browser has just logged out (the logout left a short-lived mark, taken here).
fn just_logged_out() -> bool {
    #[cfg(feature = "ssr")]
    {
        use crate::backend::identity::next;
        if crate::backend::cookies::from_request(next::LOGGED_OUT_COOKIE).is_some() {
            let secure = use_context::<crate::backend::AppState>()
                .is_none_or(|state| state.settings.session.secure);
            crate::backend::cookies::set(&next::logged_out(false, secure));
            return true;
        }
    }
    false
}

/// The list with the municipality chosen last on this device first, and its number (if it is
/// in the list).
fn last_first(
    mut list: Vec<MunicipalitySummary>,
    last: Option<String>,
) -> (Vec<MunicipalitySummary>, Option<String>) {
    match list.iter().position(|m| Some(m.number.as_str()) == last.as_deref()) {
        Some(at) => {
            let chosen = list.remove(at);
            list.insert(0, chosen);
            (list, last)
        }
        None => (list, None),
    }
}

/// The number of the municipality chosen last on this device, if any.
fn last_municipality() -> Option<String> {
    #[cfg(feature = "ssr")]
    return crate::backend::cookies::from_request(
        crate::backend::identity::next::MUNICIPALITY_COOKIE,
    );
    #[cfg(not(feature = "ssr"))]
    None
}

/// The list with its search. `searched` is what the form last sent (the list arrives filtered
/// by it); typing filters further in the browser, where this is an island.
#[island(lazy)]
fn MunicipalityChooser(
    texts: Texts,
    list: Vec<MunicipalitySummary>,
    searched: String,
    /// The municipality chosen last on this device, first in `list`.
    last: Option<String>,
) -> impl IntoView {
    let i18n = texts.provide();
    let query = RwSignal::new(searched.clone());
    let (typed, set_typed) = query.split();
    typed_before_hydration("municipality-search".to_owned(), typed, set_typed);
    let matches = move |name: &str| {
        let q = query.read();
        q.trim().is_empty() || name.to_lowercase().contains(&q.trim().to_lowercase())
    };
    let count = list.len();
    let names: Vec<String> = list.iter().map(|m| m.name.clone()).collect();
    let visible = Memo::new(move |_| names.iter().filter(|n| matches(n)).count());

    view! {
        <form class="search" method="get" action="/" role="search">
            <label for="municipality-search">{i18n.t("landing.search.label")}</label>
            <input
                id="municipality-search"
                name=SEARCH_PARAM
                type="search"
                autocomplete="off"
                value=searched
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <button type="submit" class="secondary">{i18n.t("landing.search.submit")}</button>
            <p class="search-status" role="status" aria-live="polite">
                // None, not an empty text, while nothing is filtered out: the server renders no
                // text node for "", and hydration would then look for one that is not there.
                {move || {
                    let n = visible.get();
                    (n != count).then(|| {
                        // One municipality is "kommune", not "kommuner".
                        let key = if n == 1 { "landing.search.count_one" } else { "landing.search.count" };
                        i18n.t_with(key, &[("n", &n.to_string())])
                    })
                }}
            </p>
        </form>
        <ul class="municipality-list" aria-label=i18n.t("landing.list.label")>
            {list
                .into_iter()
                .map(|m| {
                    let name = m.name.clone();
                    let href = format!("/kommune/{}", m.number);
                    let chosen_last = (last.as_deref() == Some(m.number.as_str()))
                        .then(|| view! { " " <span class="tag">{i18n.t("landing.last_chosen")}</span> });
                    view! {
                        <li hidden=move || !matches(&name)>
                            <a class="card-link" href=href>
                                <span class="card-title">{m.name.clone()}{chosen_last}</span>
                                <span class="card-meta">
                                    {i18n.t_with("landing.municipality_number", &[("number", m.number.as_str())])}
                                </span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
