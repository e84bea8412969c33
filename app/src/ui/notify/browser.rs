//! This browser's side of web push: asking the person's permission (only when they press the
//! button, never on load), subscribing through the service worker with the server's VAPID key,
//! and telling the server. On the server (rendering) there is no browser.

/// Whether this browser is subscribed now: `None` while not known (rendering, or no push).
#[cfg(not(feature = "hydrate"))]
pub async fn subscribed() -> Option<bool> {
    None
}

/// Subscribes this browser; `Err` with an i18n key of why not.
#[cfg(not(feature = "hydrate"))]
pub async fn subscribe(_key: &str) -> Result<(), &'static str> {
    Err("notify.push.unsupported")
}

#[cfg(feature = "hydrate")]
pub use live::*;

#[cfg(feature = "hydrate")]
mod live {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn get(object: &JsValue, name: &str) -> JsValue {
        Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    /// Calls `object.name(args…)` and awaits the promise it returns.
    async fn call(object: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
        let f: Function = get(object, name).dyn_into()?;
        let array: js_sys::Array = args.iter().collect();
        let promise: Promise = f.apply(object, &array)?.dyn_into()?;
        JsFuture::from(promise).await
    }

    /// The service worker's push manager, if this browser has one.
    async fn push_manager() -> Option<JsValue> {
        let window = web_sys::window()?;
        let container = window.navigator().service_worker();
        let registration = JsFuture::from(container.ready().ok()?).await.ok()?;
        let manager = get(&registration, "pushManager");
        (!manager.is_undefined()).then_some(manager)
    }

    pub async fn subscribed() -> Option<bool> {
        let manager = push_manager().await?;
        let sub = call(&manager, "getSubscription", &[]).await.ok()?;
        Some(!sub.is_null() && !sub.is_undefined())
    }

    pub async fn subscribe(key: &str) -> Result<(), &'static str> {
        let window = web_sys::window().ok_or("notify.push.unsupported")?;
        let notification = get(&window, "Notification");
        if notification.is_undefined() {
            return Err("notify.push.unsupported");
        }
        let permission = call(&notification, "requestPermission", &[])
            .await
            .map_err(|_| "notify.push.denied")?;
        if permission.as_string().as_deref() != Some("granted") {
            return Err("notify.push.denied");
        }
        let manager = push_manager().await.ok_or("notify.push.unsupported")?;
        let key = URL_SAFE_NO_PAD.decode(key).map_err(|_| "notify.push.failed")?;
        let options = Object::new();
        let set =
            |name: &str, value: &JsValue| Reflect::set(&options, &JsValue::from_str(name), value);
        set("userVisibleOnly", &JsValue::TRUE).map_err(|_| "notify.push.failed")?;
        set("applicationServerKey", &Uint8Array::from(&key[..]).into())
            .map_err(|_| "notify.push.failed")?;
        let sub = call(&manager, "subscribe", &[options.into()])
            .await
            .map_err(|_| "notify.push.failed")?;
        let json_fn: Function = get(&sub, "toJSON").dyn_into().map_err(|_| "notify.push.failed")?;
        let json = json_fn.call0(&sub).map_err(|_| "notify.push.failed")?;
        let keys = get(&json, "keys");
        let text = |v: JsValue| v.as_string().unwrap_or_default();
        let (endpoint, p256dh, auth) =
            (text(get(&json, "endpoint")), text(get(&keys, "p256dh")), text(get(&keys, "auth")));
        // Its name in the person's list. (Not quick unlock's device code: this island stays
        // out of the WASM every page loads.) A session unlocked with a device binds the
        // subscription to it on the server; logging out unsubscribes the browser.
        let agent = window.navigator().user_agent().unwrap_or_default();
        let name = ["iPhone", "iPad", "Android", "Windows", "Mac", "Linux"]
            .into_iter()
            .find(|p| agent.contains(p))
            .unwrap_or("Nettleser")
            .to_owned();
        crate::api::notify::push_subscribe(endpoint, p256dh, auth, name, None).await.map_err(|e| {
            match e.message_key() {
                "notify.error.too_many" => "notify.error.too_many",
                _ => "notify.push.failed",
            }
        })
    }
}
