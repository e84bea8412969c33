//! The frame around every page: skip link, header with the language picker, demo marker.

use super::boot::Boot;
use super::quick_unlock::ForgetAndLogout;
use crate::api::preferences::SetLanguage;
use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// `account`: the page is a logged-in person's, and its footer has the logout button — at the
/// bottom of the page, apart from the forms, so that nobody reaching for "Send" taps it.
#[component]
pub fn Page(children: Children, #[prop(optional)] account: bool) -> impl IntoView {
    let i18n = use_i18n();
    let boot = expect_context::<Boot>();
    // Erased to `AnyView`: the frame's type nests inside every page's, past the compiler's
    // query depth otherwise.
    let footer = view! {
        <footer class="footer">
            {account.then(|| view! { <LogoutButton /> })}
            <p>{i18n.t("layout.footer")}</p>
            <p><a class="nav-link" href="/tilgjengelighet">{i18n.t("layout.accessibility")}</a></p>
        </footer>
    }
    .into_any();
    view! {
        // rel="external" leaves the link to the browser, which moves the focus to <main> (the
        // client-side router would only scroll there, and the next Tab would start over at the
        // top).
        <a class="skip-link" href="#main" rel="external">{i18n.t("layout.skip_to_content")}</a>
        {boot.demo.then(|| view! {
            <p class="demo-banner" role="note">
                <strong>{i18n.t("layout.demo.badge")}</strong>" "{i18n.t("layout.demo.explanation")}
            </p>
        })}
        <header class="topbar">
            <a class="brand" href="/">
                <img src="/icons/icon.svg" alt="" width="32" height="32" />
                <span>{i18n.t("app.name")}</span>
            </a>
            <LanguagePicker />
        </header>
        <super::offline::OfflineBanner />
        <main id="main" tabindex="-1">{children()}</main>
        {footer}
    }
}

/// Logs out: a plain form post, so it works before the WASM arrives. The server ends the
/// session and sends the browser on to the identity provider's logout.
#[component]
pub fn LogoutButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="logout" method="post" action="/auth/logout">
            // Filled in by "log out and forget this device" only.
            <input type="hidden" name="forget_device" value="" />
            <button type="submit" class="secondary">{i18n.t("layout.logout")}</button>
            <ForgetAndLogout />
        </form>
    }
}

/// A plain form post, so it works the same with and without JavaScript: the server sets the
/// language cookie and sends the browser back to the page it came from.
#[component]
fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="language-picker" method="post" action=SetLanguage::PATH>
            <span class="visually-hidden" id="language-label">{i18n.t("layout.language")}</span>
            <div role="group" aria-labelledby="language-label">
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        let current = locale == i18n.locale;
                        view! {
                            <button
                                type="submit"
                                name="lang"
                                value=locale.code()
                                lang=locale.code()
                                aria-pressed=if current { "true" } else { "false" }
                            >
                                {locale.native_name()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </form>
    }
}
