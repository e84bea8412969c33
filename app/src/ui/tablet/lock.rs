//! On a tablet a staff member has switched in on: "Lås" locks it with one tap (a plain form
//! post, so it works before any script), and so does the unit's idle time without a touch
//! (`public/tablet.js`, loaded by the tablet screens only).

use crate::api::tablet::TabletLock as Lock;
use crate::i18n::use_i18n;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The lock button, and the idle timer: after `idle_minutes` without a touch or a key the
/// tablet locks itself (the server ends the session after the same time regardless).
#[component]
pub fn TabletLock(idle_minutes: i64) -> impl IntoView {
    let i18n = use_i18n();
    let lock = ServerAction::<Lock>::new();
    view! {
        <ActionForm action=lock attr:class="tablet-lock" attr:data-idle-minutes=idle_minutes.to_string()>
            <button type="submit" class="secondary lock-button">{i18n.t("tablet.lock")}</button>
        </ActionForm>
        <script src="/tablet.js" defer=true></script>
    }
}
