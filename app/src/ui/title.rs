//! The page title, safe for any text.

use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the page's `<title>`. leptos_meta 0.8 writes the title into the server-rendered head
/// as it is, without escaping, so a message subject such as `</title><meta http-equiv=refresh…>`
/// would add markup to the head. On the server the text is escaped here; in the browser Leptos
/// sets `document.title`, which takes plain text, so it gets the text unchanged. Every page sets
/// its title through this component, never `Title` directly (a server test sends markup in a
/// subject and finds it inert, and fails if the title were escaped twice).
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = crate::domain::html::escape(&text);
    view! { <Title text /> }
}
