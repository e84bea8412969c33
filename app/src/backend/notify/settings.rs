//! The settings page's use cases: what a person gets and how, their browsers with push, and
//! subscribing a browser.

use super::{prefs, push};
use crate::backend::access::Caller;
use crate::backend::repo::contacts;
use crate::domain::notify::{
    self, Channel, EventKind, NotifySettings, PrefsForm, PushDevice, SettingsRow,
};
use crate::error::{AppError, ResultExt};

/// The caller's settings as the page shows them.
pub async fn load(caller: &Caller) -> Result<NotifySettings, AppError> {
    let (db, person) = (&caller.state.db, &caller.user.person_id);
    let prefs = prefs::get(db, person).await.context("loading notification settings")?;
    let devices = prefs::devices(db, person).await.context("listing push devices")?;
    let here = this_browser();
    let contact = contacts::get(db, person).await.context("loading contact details")?;
    let channels = contact.as_ref().map(|c| c.notice_channels(&caller.today)).unwrap_or_default();
    let has_push = !devices.is_empty();
    let rows = EventKind::ALL
        .into_iter()
        // Staff are not told of their own units' absences, leave or new guardians.
        .filter(|e| !caller.is_staff() || matches!(e, EventKind::Message | EventKind::GroupMessage))
        .map(|event| SettingsRow {
            event: event.code().to_owned(),
            key: event.key().to_owned(),
            channels: Channel::ALL
                .into_iter()
                .map(|c| (c.code().to_owned(), prefs.wants(event, c, has_push)))
                .collect(),
            always: event.always(),
        })
        .collect();
    let (quiet_from, quiet_to) = prefs.quiet_hours();
    let senders = &caller.state.notify;
    Ok(NotifySettings {
        rows,
        quiet_from: if quiet_from == quiet_to {
            String::new()
        } else {
            notify::minute_text(quiet_from)
        },
        quiet_to: if quiet_from == quiet_to {
            String::new()
        } else {
            notify::minute_text(quiet_to)
        },
        digest: prefs.digest_at.is_some(),
        digest_at: notify::minute_text(prefs.digest_at.unwrap_or(18 * 60)),
        email: channels.email.as_deref().map(notify::masked_email),
        sms: channels.sms.as_deref().map(crate::domain::contact::phone_display),
        reserved: contact.is_some_and(|c| c.reserved || !c.can_notify),
        email_configured: senders.email.is_some(),
        sms_configured: senders.sms.is_some(),
        push_here: devices.iter().any(|(.., b)| b.is_some() && *b == here),
        devices: devices
            .into_iter()
            .map(|(id, name, at, _)| PushDevice {
                id,
                name,
                added: crate::backend::clock::date_time_text(at),
            })
            .collect(),
        push_key: senders.vapid.as_ref().map(|v| v.public_key().to_owned()).unwrap_or_default(),
        staff: caller.is_staff(),
    })
}

/// Saves the settings form: `Err` with an i18n key when it does not read (nothing is changed).
pub async fn save(caller: &Caller, form: &PrefsForm) -> Result<Result<(), &'static str>, AppError> {
    let prefs = match form.parse() {
        Ok(prefs) => prefs,
        Err(problem) => return Ok(Err(problem)),
    };
    // Every box as the person left it: what they saw ticked is what they get, also when they
    // turn push on later (until then, the defaults follow their devices: e-mail while there is
    // no push).
    prefs::save(&caller.state.db, &caller.user.person_id, &prefs)
        .await
        .context("saving notification settings")?;
    Ok(Ok(()))
}

/// The most a browser's subscription may hold: push services' endpoints are a few hundred
/// characters.
const MAX_ENDPOINT: usize = 1024;

/// Subscribes the caller's browser to push: `endpoint` must be at a known push service, and the
/// keys must read. Bound to this browser's quick-unlock device, so that revoking (or forgetting)
/// the device stops its notices: the one the session was unlocked with, else `device` as the
/// browser says, if it is one of the caller's own.
pub async fn subscribe(
    caller: &Caller,
    endpoint: &str,
    (p256dh, auth): (&str, &str),
    name: &str,
    device: Option<&str>,
) -> Result<(), AppError> {
    let senders = &caller.state.notify;
    // A P-256 point is 87 characters in base64url, the secret 22.
    if endpoint.len() > MAX_ENDPOINT
        || p256dh.len() > 100
        || auth.len() > 32
        || !senders.push_hosts.allows(endpoint)
        || !push::keys_valid(p256dh, auth)
    {
        return Err(AppError::invalid("notify.error.subscription"));
    }
    // No control characters, nor the marks that turn text around (a name that reads otherwise).
    let bidi = |c: &char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let name: String =
        name.trim().chars().filter(|c| !c.is_control() && !bidi(c)).take(60).collect();
    let name = if name.is_empty() { "Nettleser".to_owned() } else { name };
    let db = &caller.state.db;
    let unlocked_with = crate::backend::access::session_origin(db, &caller.user.session_hash)
        .await
        .context("loading the session's origin")?
        .and_then(|o| o.device_credential_id);
    let device = match (unlocked_with, device) {
        (Some(id), _) => Some(id),
        (None, Some(said)) => crate::backend::quick_unlock::list(db, &caller.user.person_id)
            .await
            .context("listing a person's devices")?
            .into_iter()
            .find(|c| c.id == said)
            .map(|c| c.id),
        (None, None) => None,
    };
    // This browser's token: kept in a cookie of its own, made the first time it subscribes.
    let browser = match this_browser() {
        Some(hash) => hash,
        None => {
            let token = crate::backend::identity::session::random_token();
            let secure = caller.state.settings.session.secure;
            crate::backend::cookies::set(&prefs::browser_cookie(&token, secure));
            crate::backend::identity::session::hash_token(&token)
        }
    };
    let kept = prefs::subscribe(
        db,
        &caller.user.person_id,
        (endpoint, p256dh, auth),
        &name,
        device.as_deref(),
        &browser,
    )
    .await
    .context("keeping a push subscription")?;
    match kept {
        prefs::Subscribed::Yes => Ok(()),
        prefs::Subscribed::TooMany => Err(AppError::invalid("notify.error.too_many")),
        prefs::Subscribed::NotYours => Err(AppError::invalid("notify.error.subscription")),
    }
}

/// The hash of this browser's push token, if it has one.
fn this_browser() -> Option<String> {
    crate::backend::cookies::from_request(prefs::BROWSER_COOKIE)
        .map(|token| crate::backend::identity::session::hash_token(&token))
}

/// Stops push to one of the caller's browsers; another's is not found.
pub async fn unsubscribe(caller: &Caller, id: &str) -> Result<(), AppError> {
    let mine = prefs::unsubscribe(&caller.state.db, &caller.user.person_id, id)
        .await
        .context("removing a push subscription")?;
    if mine { Ok(()) } else { Err(AppError::NotFound) }
}
