//! Parts of a page that keep themselves current: an inbox, a conversation's messages, the
//! tablet board. The server renders them, as on any page load; in the browser a small island
//! fetches the page again when something changed and swaps in the new version of that one
//! element. Nothing else on the page moves (an answer being typed stays as it is), and the WASM
//! holds no second copy of how those parts look. Without JavaScript the page shows what it had
//! when it loaded.

use leptos::prelude::*;

/// A part of the page (`id`) kept current: whenever the server says a conversation the person
/// may read has a new message (`on_messages`), or the day of a child on their board changed
/// (`on_board`). An element in the part with `data-settles-in` (milliseconds) changes by itself
/// then (a tile's "Angre" goes), and the part is fetched again at that moment.
#[component]
pub fn Live(
    id: &'static str,
    #[prop(optional)] on_messages: bool,
    #[prop(optional)] on_board: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <LiveRegion id=id.to_owned() on_messages on_board />
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
fn LiveRegion(id: String, on_messages: bool, on_board: bool) -> impl IntoView {
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
            settle_later(&id.get_value(), refresh_handle());
        });
    };
    let mut kinds = Vec::new();
    if on_messages {
        kinds.push("message");
    }
    if on_board {
        kinds.push("board");
    }
    on_events(kinds, refresh);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        REFRESH.with(|r| *r.borrow_mut() = Some(std::rc::Rc::new(refresh)));
        settle_later(&id.get_value(), refresh_handle());
    });
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// The page's one live region's refresh, for the timer of a part that settles by itself.
    static REFRESH: std::cell::RefCell<Option<std::rc::Rc<dyn Fn()>>> = const { std::cell::RefCell::new(None) };
}

#[cfg(feature = "hydrate")]
fn refresh_handle() -> Option<std::rc::Rc<dyn Fn()>> {
    REFRESH.with(|r| r.borrow().clone())
}

#[cfg(not(feature = "hydrate"))]
fn refresh_handle() -> Option<()> {
    None
}

/// Fetches part `id` again when the soonest of its `data-settles-in` times has passed.
#[cfg(feature = "hydrate")]
fn settle_later(id: &str, refresh: Option<std::rc::Rc<dyn Fn()>>) {
    use wasm_bindgen::JsCast;
    let Some(refresh) = refresh else { return };
    let Some(part) = document().get_element_by_id(id) else { return };
    let Ok(found) = part.query_selector_all("[data-settles-in]") else { return };
    let soonest = (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute("data-settles-in")?.parse::<u64>().ok())
        .min();
    if let Some(ms) = soonest {
        // A little after, so that the server agrees it has settled.
        set_timeout(move || refresh(), std::time::Duration::from_millis(ms + 250));
    }
}

#[cfg(not(feature = "hydrate"))]
fn settle_later(_id: &str, _refresh: Option<()>) {}

/// Calls `refresh` whenever the server sends an event of one of `kinds` (`/api/events`), and
/// when the stream comes back after it was lost (what happened meanwhile was not heard). Does
/// nothing during server rendering, or without kinds.
fn on_events(kinds: Vec<&'static str>, refresh: impl Fn() + Send + Sync + 'static) {
    #[cfg(feature = "hydrate")]
    let refresh = std::sync::Arc::new(refresh);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        if kinds.is_empty() {
            return;
        }
        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let on_event = Closure::<dyn Fn(web_sys::Event)>::new({
            let refresh = refresh.clone();
            move |_| refresh()
        });
        for kind in &kinds {
            let _ =
                source.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
        }
        // The first "open" is the page's own start; a later one follows a lost connection.
        let opened = std::rc::Rc::new(std::cell::Cell::new(false));
        let on_open = Closure::<dyn Fn(web_sys::Event)>::new({
            let refresh = refresh.clone();
            move |_| {
                if opened.replace(true) {
                    refresh()
                }
            }
        });
        let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
        let stored = StoredValue::new_local((source, on_event, on_open));
        on_cleanup(move || stored.with_value(|(source, _, _)| source.close()));
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (kinds, refresh);
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
    // Marked as fetched by itself: it does not count as the person doing something (a shared
    // tablet still locks when nobody touches it).
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new()?;
    headers.set("x-ranselpost-live", "1")?;
    init.set_headers(&headers);
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(&window.location().href()?, &init))
            .await?
            .dyn_into()?;
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
