//! The page for an address the app does not have (404), in the person's language.

use super::error::set_status;
use super::layout::Page;
use crate::i18n::use_i18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    set_status(404);
    view! {
        <PageTitle text=i18n.t("not_found.title") />
        <Page>
            <h1>{i18n.t("not_found.title")}</h1>
            <p>{i18n.t("not_found.text")}</p>
            <p><a class="nav-link" href="/">{i18n.t("not_found.home")}</a></p>
        </Page>
    }
}
