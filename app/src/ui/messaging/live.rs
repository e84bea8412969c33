//! New messages on open screens: the browser listens to the server's event stream and the page
//! reloads its list. Without JavaScript the page shows what it had when it loaded.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Calls `refresh` whenever the server says a conversation the person may read has a new
/// message. Does nothing during server rendering.
pub fn on_new_messages(refresh: impl Fn() + Send + Sync + 'static) {
    #[cfg(feature = "hydrate")]
    let refresh = std::sync::Arc::new(refresh);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let on_message = {
            let refresh = refresh.clone();
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| refresh())
        };
        let _ =
            source.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        let stored = StoredValue::new_local((source, on_message));
        on_cleanup(move || {
            stored.with_value(|(source, _)| source.close());
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = refresh;
}
