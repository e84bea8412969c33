//! The landing page: "Velg kommune". The first thing a guardian sees, so it is complete as
//! server-rendered HTML; once the WASM has arrived a search box narrows the list as one types.

use super::error::ErrorMessage;
use super::layout::Page;
use super::quick_unlock::UnlockRedirect;
use crate::api::municipalities::{MunicipalitySummary, list_municipalities};
use crate::i18n::use_i18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    view! {
        <PageTitle text=i18n.t("landing.title") />
        <Page>
            <UnlockRedirect />
            <h1>{i18n.t("landing.title")}</h1>
            <p class="lead">{i18n.t("landing.lead")}</p>
            <Suspense fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match municipalities.await {
                        Ok(list) => view! { <MunicipalityChooser list /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Page>
    }
}

#[component]
fn MunicipalityChooser(list: Vec<MunicipalitySummary>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    // The search box only helps once the WASM runs, so it is only shown then: without
    // JavaScript the full list is there and every entry is a plain link.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let matches = move |name: &str| {
        let q = query.read();
        q.trim().is_empty() || name.to_lowercase().contains(&q.trim().to_lowercase())
    };
    let count = list.len();
    let names: Vec<String> = list.iter().map(|m| m.name.clone()).collect();
    let visible = Memo::new(move |_| names.iter().filter(|n| matches(n)).count());

    view! {
        <Show when=move || hydrated.get()>
            <div class="search">
                <label for="municipality-search">{i18n.t("landing.search.label")}</label>
                <input
                    id="municipality-search"
                    type="search"
                    autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <p class="search-status" role="status" aria-live="polite">
                    {move || {
                        let n = visible.get();
                        if n == count {
                            String::new()
                        } else {
                            i18n.t_with("landing.search.count", &[("n", &n.to_string())])
                        }
                    }}
                </p>
            </div>
        </Show>
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
