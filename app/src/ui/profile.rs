//! The guardian's profile: contact details as KRR has them, read-only, and where to change them.

use super::protected::protected_page;
use crate::api::account::{Profile, get_profile};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn ProfilePage() -> impl IntoView {
    protected_page("profile.title", get_profile, |profile| view! { <ProfileView profile /> })
}

#[component]
fn ProfileView(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let missing = i18n.t("profile.not_registered");
    let detail = move |value: Option<String>, used: bool| {
        let text = value.clone().unwrap_or_else(|| missing.to_owned());
        let note = (value.is_some() && !used && !profile.reserved && profile.can_notify)
            .then(|| view! { <p class="hint">{i18n.t("profile.stale")}</p> });
        view! { <dd>{text}{note}</dd> }
    };
    view! {
        <p class="breadcrumb"><a href="/hjem">{i18n.t("child.back_home")}</a></p>
        <h1>{i18n.t("profile.title")}</h1>
        <p class="lead">{profile.name.clone()}</p>
        <section aria-labelledby="contact-heading">
            <h2 id="contact-heading">{i18n.t("profile.contact")}</h2>
            <dl class="contact">
                <dt>{i18n.t("profile.email")}</dt>
                {detail(profile.email.clone(), profile.email_used)}
                <dt>{i18n.t("profile.mobile")}</dt>
                {detail(profile.mobile.as_deref().map(crate::domain::contact::phone_display), profile.mobile_used)}
            </dl>
            {(profile.reserved || (profile.known && !profile.can_notify))
                .then(|| view! { <p class="notice">{i18n.t("profile.no_notices")}</p> })}
            <p>{i18n.t("profile.source")}</p>
            <p>
                <a class="nav-link" href="https://www.norge.no/kontaktregisteret" rel="external noopener">
                    {i18n.t("profile.change")}
                </a>
            </p>
        </section>
    }
}
