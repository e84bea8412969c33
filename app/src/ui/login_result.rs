//! Where a login that could not give access ends: a friendly page, never an error dump.

use super::error::set_status;
use super::layout::Page;
use crate::i18n::use_i18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/ingen-tilgang`: the person logged in, but the system knows no child (or no staff role)
/// for them.
#[component]
pub fn NoAccessPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let staff = query.read_untracked().get("rolle").as_deref() == Some("staff");
    let municipality = query.read_untracked().get("kommune").unwrap_or_default();
    let (title, text) = if staff {
        ("no_access.staff.title", "no_access.staff.text")
    } else {
        ("no_access.guardian.title", "no_access.guardian.text")
    };
    let back = if municipality.chars().all(|c| c.is_ascii_digit()) && municipality.len() == 4 {
        format!("/kommune/{municipality}")
    } else {
        "/".to_owned()
    };
    view! {
        <PageTitle text=i18n.t(title) />
        <Page>
            <h1>{i18n.t(title)}</h1>
            <p>{i18n.t(text)}</p>
            <p>{i18n.t("no_access.contact")}</p>
            <p><a class="nav-link" href=back>{i18n.t("no_access.back")}</a></p>
        </Page>
    }
}

/// `/innlogging-feilet?grunn=…`: the login was refused; says why in plain words and offers to
/// try again.
#[component]
pub fn LoginFailedPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reason = query.read_untracked().get("grunn").unwrap_or_default();
    let text = match reason.as_str() {
        "state" => "login_failed.state",
        "expired" => "login_failed.expired",
        "level" => "login_failed.level",
        "provider" => "login_failed.provider",
        "unavailable" => "login_failed.unavailable",
        _ => "login_failed.invalid",
    };
    set_status(400);
    view! {
        <PageTitle text=i18n.t("login_failed.title") />
        <Page>
            <h1>{i18n.t("login_failed.title")}</h1>
            <p role="alert">{i18n.t(text)}</p>
            <p><a class="nav-link" href="/">{i18n.t("login_failed.again")}</a></p>
        </Page>
    }
}
