//! Notification settings: what a person is told of, on which channel and when, and the
//! browsers that get push.

use crate::api::AppError;
use crate::domain::notify::{NotifySettings, PrefsForm};
use leptos::prelude::*;

/// The caller's notification settings.
#[server(prefix = "/api/notify", endpoint = "settings")]
pub async fn get_notify_settings() -> Result<NotifySettings, AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::current().await?;
        crate::backend::notify::settings::load(&caller).await
    })
    .await
}

/// Saves the settings form and goes back to the page, saying it is saved (or what is wrong).
#[server(prefix = "/api/notify", endpoint = "save")]
pub async fn save_notify_settings(#[server(default)] form: PrefsForm) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::current().await?;
        match crate::backend::notify::settings::save(&caller, &form).await? {
            Ok(()) => leptos_axum::redirect("/varsler?lagret=1"),
            Err(_) => leptos_axum::redirect("/varsler?feil=tid#feil"),
        }
        Ok(())
    })
    .await
}

/// Subscribes this browser to push notices (its `PushSubscription`'s endpoint and keys).
#[server(prefix = "/api/notify", endpoint = "subscribe")]
pub async fn push_subscribe(
    endpoint: String,
    p256dh: String,
    auth: String,
    name: String,
    device: Option<String>,
) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::current().await?;
        let keys = (p256dh.as_str(), auth.as_str());
        crate::backend::notify::settings::subscribe(
            &caller,
            &endpoint,
            keys,
            &name,
            device.as_deref(),
        )
        .await
    })
    .await
}

/// Stops push to one of the caller's browsers.
#[server(prefix = "/api/notify", endpoint = "unsubscribe")]
pub async fn push_unsubscribe(id: String) -> Result<(), AppError> {
    crate::api::error::with_status(async move {
        let caller = crate::backend::access::Caller::current().await?;
        crate::backend::notify::settings::unsubscribe(&caller, &id).await?;
        leptos_axum::redirect("/varsler");
        Ok(())
    })
    .await
}
