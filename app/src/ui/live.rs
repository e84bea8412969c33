//! Parts of a page that keep themselves current: an inbox, a conversation's messages, the
//! tablet board. The server renders them, as on any page load; in the browser a small island
//! fetches the page again when something changed and swaps in the new version of that one
//! element. Nothing else on the page moves (an answer being typed stays as it is), and the WASM
//! holds no second copy of how those parts look. Without JavaScript the page shows what it had
//! when it loaded.

use leptos::prelude::*;

/// A part of the page (`id`) kept current: whenever the server says a conversation the person
/// may read has a new message (`on_messages`), and every `every_secs` seconds if given.
#[component]
pub fn Live(
    id: &'static str,
    #[prop(optional)] on_messages: bool,
    #[prop(optional, into)] every_secs: Option<u64>,
    children: Children,
) -> impl IntoView {
    view! {
        <LiveRegion id=id.to_owned() on_messages every_secs />
        <div id=id data-viewer=viewer()>{children()}</div>
    }
}

/// Which session the page was rendered for, as a short hash. A part fetched for another session
/// (someone else has logged in, in another tab of this browser) is not put into this page: the
/// page is loaded again instead.
fn viewer() -> String {
    #[cfg(feature = "ssr")]
    {
        use sha2::{Digest, Sha256};
        crate::backend::identity::session::current_user()
            .map(|user| {
                let digest = Sha256::digest(format!("live-region:{}", user.session_hash));
                digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

#[island]
fn LiveRegion(id: String, on_messages: bool, every_secs: Option<u64>) -> impl IntoView {
    let id = StoredValue::new(id);
    // One fetch at a time, so an older answer never replaces a newer one; a change that comes
    // in meanwhile fetches once more when it is done.
    let busy = StoredValue::new(false);
    let again = StoredValue::new(false);
    let refresh = move || {
        if busy.get_value() {
            again.set_value(true);
            return;
        }
        busy.set_value(true);
        leptos::task::spawn_local(async move {
            loop {
                swap(id.get_value()).await;
                if !again.get_value() {
                    break;
                }
                again.set_value(false);
            }
            busy.set_value(false);
        });
    };
    if on_messages {
        on_new_messages(refresh);
    }
    if let Some(secs) = every_secs {
        Effect::new(move |_| {
            if let Ok(handle) =
                set_interval_with_handle(refresh, std::time::Duration::from_secs(secs))
            {
                on_cleanup(move || handle.clear());
            }
        });
    }
}

/// Calls `refresh` whenever the server says a conversation the person may read has a new
/// message (`/api/events`). Does nothing during server rendering.
fn on_new_messages(refresh: impl Fn() + Send + Sync + 'static) {
    #[cfg(feature = "hydrate")]
    let refresh = std::sync::Arc::new(refresh);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
            let refresh = refresh.clone();
            move |_| refresh()
        });
        let _ =
            source.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        let stored = StoredValue::new_local((source, on_message));
        on_cleanup(move || stored.with_value(|(source, _)| source.close()));
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = refresh;
}

/// Fetches this page again and puts its element `id` in place of the one shown. A page that is
/// now sent elsewhere (the session has ended) is loaded as a whole, as the person would see it;
/// any other failure (a busy server) leaves the part as it is until the next change.
async fn swap(id: String) {
    #[cfg(feature = "hydrate")]
    if let Err(e) = try_swap(&id).await {
        leptos::logging::warn!("updating #{id}: {e:?}");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(feature = "hydrate")]
async fn try_swap(id: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = window();
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(&window.location().href()?)).await?.dyn_into()?;
    if response.redirected() {
        return window.location().reload();
    }
    if !response.ok() {
        return Err(format!("the page answered {}", response.status()).into());
    }
    let html = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    let fresh = web_sys::DomParser::new()?
        .parse_from_string(&html, web_sys::SupportedType::TextHtml)?
        .get_element_by_id(id);
    match (fresh, document().get_element_by_id(id)) {
        (Some(fresh), Some(shown))
            if fresh.get_attribute("data-viewer") != shown.get_attribute("data-viewer") =>
        {
            window.location().reload()
        }
        (Some(fresh), Some(shown)) => shown.replace_with_with_node_1(&fresh),
        _ => Err("the part is not on the page".into()),
    }
}
