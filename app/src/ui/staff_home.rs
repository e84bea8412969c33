//! The staff start page, on a (often shared) tablet.

use super::error::{ErrorMessage, no_store, redirect_to};
use super::layout::{LogoutButton, Page};
use crate::api::AppError;
use crate::api::account::{StaffHome, get_staff_home};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let i18n = use_i18n();
    no_store();
    let home = Resource::new(|| (), |_| get_staff_home());
    view! {
        <Title text=i18n.t("staff.title") />
        <Page>
            <Suspense fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! { <StaffHomeView home /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            redirect_to("/");
                            ().into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Page>
    }
}

#[component]
fn StaffHomeView(home: StaffHome) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{i18n.t_with("home.greeting", &[("name", &home.name)])}</h1>
        <p class="lead">{home.municipality.clone()}</p>
        <p class="notice">
            {i18n.t_with("staff.shared_device", &[("minutes", &home.idle_minutes.to_string())])}
        </p>
        <h2>{i18n.t("staff.roles")}</h2>
        <ul>
            {home
                .roles
                .into_iter()
                .map(|r| {
                    let place = match r.group {
                        Some(g) => format!("{}, {g}", r.unit),
                        None => r.unit,
                    };
                    view! { <li>{format!("{} – {place}", i18n.t(&r.role_key))}</li> }
                })
                .collect_view()}
        </ul>
        <LogoutButton />
    }
}
