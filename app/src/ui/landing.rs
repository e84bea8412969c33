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
    view! {
        <PageTitle text=i18n.t("landing.title") />
        <Page>
            <UnlockRedirect />
            <h1>{i18n.t("landing.title")}</h1>
            <p class="lead">{i18n.t("landing.lead")}</p>
            <Suspense fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match municipalities.await {
                        Ok(list) => {
                            let texts = Texts::pick(i18n, &["landing.search.", "landing.list.label", "landing.municipality_number"]);
                            view! { <MunicipalityChooser texts list searched=searched() /> }.into_any()
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

/// The list with its search. `searched` is what the form last sent (the list arrives filtered
/// by it); typing filters further in the browser, where this is an island.
#[island(lazy)]
fn MunicipalityChooser(
    texts: Texts,
    list: Vec<MunicipalitySummary>,
    searched: String,
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
                    (n != count).then(|| i18n.t_with("landing.search.count", &[("n", &n.to_string())]))
                }}
            </p>
        </form>
        <ul class="municipality-list" aria-label=i18n.t("landing.list.label")>
            {list
                .into_iter()
                .map(|m| {
                    let name = m.name.clone();
                    let href = format!("/kommune/{}", m.number);
                    view! {
                        <li hidden=move || !matches(&name)>
                            <a class="card-link" href=href>
                                <span class="card-title">{m.name.clone()}</span>
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
