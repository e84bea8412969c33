//! A municipality's page: the units that use Ranselpost there, and (with the identity issue) the
//! way in for guardians and staff.

use super::error::ErrorMessage;
use super::layout::Page;
use crate::api::municipalities::{MunicipalityDetails, get_municipality};
use crate::domain::UnitKind;
use crate::i18n::use_i18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MunicipalityPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let details =
        Resource::new(move || params.read().get("number").unwrap_or_default(), get_municipality);
    view! {
        <Page>
            <Suspense fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match details.await {
                        Ok(details) => view! { <MunicipalityDetailsView details /> }.into_any(),
                        Err(error) => view! {
                            <PageTitle text=i18n.t("municipality.not_found.title") />
                            <h1>{i18n.t("municipality.not_found.title")}</h1>
                            <ErrorMessage error />
                            <p><a class="nav-link" href="/">{i18n.t("municipality.back")}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Page>
    }
}

#[component]
fn MunicipalityDetailsView(details: MunicipalityDetails) -> impl IntoView {
    let i18n = use_i18n();
    let sections = UnitKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let names: Vec<String> =
                details.units.iter().filter(|u| u.kind == kind).map(|u| u.name.clone()).collect();
            (!names.is_empty()).then(|| {
                view! {
                    <section class="unit-section">
                        <h2>{i18n.t(kind.heading_key())}</h2>
                        <ul>{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    </section>
                }
            })
        })
        .collect_view();
    view! {
        <PageTitle text=details.name.clone() />
        <p class="breadcrumb"><a href="/">{i18n.t("municipality.back")}</a></p>
        <h1>{details.name.clone()}</h1>
        <section class="login" aria-labelledby="login-heading">
            <h2 id="login-heading">{i18n.t("municipality.login.heading")}</h2>
            // rel="external": a full page load to the server's login route, not client routing.
            <a class="button primary" rel="external" href=format!("/auth/login/{}/guardian", details.number)>
                {i18n.t("municipality.login.guardian")}
            </a>
            <p class="hint">{i18n.t("municipality.login.guardian_hint")}</p>
            <a class="button secondary" rel="external" href=format!("/auth/login/{}/staff", details.number)>
                {i18n.t("municipality.login.staff")}
            </a>
        </section>
        <p class="lead">{i18n.t_with("municipality.lead", &[("name", &details.name)])}</p>
        {if details.units.is_empty() {
            view! { <p>{i18n.t("municipality.no_units")}</p> }.into_any()
        } else {
            sections.into_any()
        }}
    }
}
